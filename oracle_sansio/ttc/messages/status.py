"""End-of-call and side-channel messages (docs/protocol-ttc.md 4.5-4.11):
ERROR (the end-of-call summary, which also carries ORA errors), STATUS,
WARNING, PARAMETER after EXECUTE/FETCH, and SERVER_SIDE_PIGGYBACK.

Field order per python-oracledb impl/thin/messages/base.pyx
(``_process_error_info``, ``_process_return_parameters``,
``_process_server_side_piggyback``).  Every ``decode_body`` reads what follows
the message-type byte.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..._fast_init import positional_maker
from ...errors import DecodeError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import CallStatus, FieldVersion, MessageType, ServerPiggybackOp
from ..wire import LONG_LENGTH_INDICATOR, Reader, Writer

__all__ = [
    "BatchError",
    "ErrorInfo",
    "Status",
    "Warning_",
    "ReturnParameters",
    "ServerPiggyback",
    "RowidFields",
]

#: (rba, partition id, block number, slot number): a physical rowid's fields.
RowidFields = tuple[int, int, int, int]

_MAX_BATCH = 65_535
#: CallStatus.TXN_IN_PROGRESS as a plain int (an IntFlag's ``&`` builds a flag object).
_TXN_IN_PROGRESS = int(CallStatus.TXN_IN_PROGRESS)


def _code(r: Reader) -> int:
    return r.ub2()


def _long_code(r: Reader) -> int:
    r.ub4()  # python-oracledb skips it when the array's first byte is 0xFE
    return r.ub2()


def _offset(r: Reader) -> int:
    return r.ub4()


def _long_offset(r: Reader) -> int:
    r.ub4()
    return r.ub4()


def _batch_message(r: Reader) -> str:
    r.ub2()
    text = (r.clr_str("batch error message") or "").rstrip()
    r.skip(2)
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchError:
    """One row's error in ``executemany(batcherrors=True)``."""

    code: int
    offset: int = 0
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorInfo:
    """The ERROR message: how a call ended (``number`` 0 = success)."""

    call_status: int = 0
    end_to_end_seq: int = 0
    current_row: int = 0
    cursor_id: int = 0
    position: int = 0
    sql_type: int = 0
    fatal: int = 0
    warning_flags: int = 0
    rowid: RowidFields | None = None
    os_error: int = 0
    statement_number: int = 0
    call_number: int = 0
    success_iterations: int = 0
    batch_errors: tuple[BatchError, ...] = ()
    number: int = 0
    row_count: int = 0
    message: str | None = None

    @property
    def in_transaction(self) -> bool:
        """Call-status bit 0x02: a transaction is open on the server."""
        return bool(self.call_status & _TXN_IN_PROGRESS)

    def encode(self, w: Writer, *, field_version: int) -> None:
        """Write the message (server role)."""
        w.ub1(MessageType.ERROR)
        w.ub4(self.call_status)
        w.ub2(self.end_to_end_seq)
        w.ub4(self.current_row)
        w.ub2(self.number if self.number < 0x10000 else 0)
        w.ub2(0)
        w.ub2(0)
        w.ub2(self.cursor_id)
        w.sb2(self.position)
        w.ub1(self.sql_type)
        w.ub1(self.fatal)
        w.ub1(0)
        w.ub1(0)
        w.ub1(0)
        w.ub1(self.warning_flags)
        rba, partition, block, slot = self.rowid or (0, 0, 0, 0)
        w.ub4(rba)
        w.ub2(partition)
        w.ub1(0)
        w.ub4(block)
        w.ub2(slot)
        w.ub4(self.os_error)
        w.ub1(self.statement_number)
        w.ub1(self.call_number)
        w.ub2(0)
        w.ub4(self.success_iterations)
        w.ub4(0)  # oerrdd: absent
        errors = self.batch_errors
        w.ub2(len(errors))
        if errors:
            w.ub1(1)
            for e in errors:
                w.ub2(e.code)
        w.ub4(len(errors))
        if errors:
            w.ub1(1)
            for e in errors:
                w.ub4(e.offset)
        messages = [e.message or "" for e in errors]
        w.ub2(len(messages) if any(messages) else 0)
        if any(messages):
            w.ub1(1)
            for text in messages:
                data = text.encode()
                w.ub2(len(data))
                w.clr(data)
                w.raw(b"\x00\x00")
        w.ub4(self.number)
        w.ub8(self.row_count)
        if field_version >= FieldVersion.V20_1:
            w.ub4(0)
            w.ub4(0)
        if self.number:
            w.clr_str(self.message or "")

    @classmethod
    def decode_body(cls, r: Reader, *, field_version: int, limits: Limits = DEFAULT_LIMITS) -> ErrorInfo:
        """Read the body after the ERROR type byte (client role)."""
        call_status = r.ub4()
        e2e = r.ub2()
        current_row = r.ub4()
        r.ub2()
        r.ub2()
        r.ub2()
        cursor_id = r.ub2()
        position = r.sb2()
        sql_type = r.ub1()
        fatal = r.ub1()
        r.ub1()
        r.ub1()
        r.ub1()
        warning_flags = r.ub1()
        rba = r.ub4()
        partition = r.ub2()
        r.ub1()
        block = r.ub4()
        slot = r.ub2()
        os_error = r.ub4()
        stmt_no = r.ub1()
        call_no = r.ub1()
        r.ub2()
        success_iters = r.ub4()
        r.dlc()
        # Up to 65,535 entries per list, read through Reader.repeat: an ERROR
        # spanning packets is read again from its start on each one, and the
        # memo lets that re-read skip the entries already decoded.
        codes: tuple[int, ...] = ()
        count = r.ub2()
        if count:
            limits.check("batch error count", count, _MAX_BATCH)
            first = r.ub1()
            codes = r.repeat(count, _long_code if first == LONG_LENGTH_INDICATOR else _code, ("batch codes", first))
            if first == LONG_LENGTH_INDICATOR:
                r.skip(1)
        offsets: tuple[int, ...] = ()
        count = r.ub4()
        if count:
            if count > _MAX_BATCH:
                raise DecodeError(f"ERROR carries {count} batch error offsets (at most {_MAX_BATCH})")
            first = r.ub1()
            offsets = r.repeat(
                count, _long_offset if first == LONG_LENGTH_INDICATOR else _offset, ("batch offsets", first)
            )
            if first == LONG_LENGTH_INDICATOR:
                r.skip(1)
        messages: tuple[str, ...] = ()
        count = r.ub2()
        if count:
            limits.check("batch error message count", count, _MAX_BATCH)
            r.skip(1)
            messages = r.repeat(count, _batch_message, "batch messages")
        number = r.ub4()
        row_count = r.ub8()
        if field_version >= FieldVersion.V20_1:
            r.ub4()
            r.ub4()
        message = None
        if number:
            message = (r.clr_str("error message") or "").rstrip()
        batch = tuple(
            BatchError(
                code=code,
                offset=offsets[i] if i < len(offsets) else 0,
                message=messages[i] if i < len(messages) else None,
            )
            for i, code in enumerate(codes)
        ) if codes else ()
        rowid = (rba, partition, block, slot) if (rba or partition or block or slot) else None
        if cls is ErrorInfo:
            # Made once per call: built without the frozen __init__ (see _fast_init).
            return _make_error_info(call_status, e2e, current_row, cursor_id, position, sql_type, fatal,
                                    warning_flags, rowid, os_error, stmt_no, call_no, success_iters, batch,
                                    number, row_count, message)
        return cls(
            call_status=call_status,
            end_to_end_seq=e2e,
            current_row=current_row,
            cursor_id=cursor_id,
            position=position,
            sql_type=sql_type,
            fatal=fatal,
            warning_flags=warning_flags,
            rowid=rowid,
            os_error=os_error,
            statement_number=stmt_no,
            call_number=call_no,
            success_iterations=success_iters,
            batch_errors=batch,
            number=number,
            row_count=row_count,
            message=message,
        )


#: ``ErrorInfo`` from every field, positionally in declaration order.
_make_error_info = positional_maker(ErrorInfo)


@dataclass(frozen=True, slots=True, kw_only=True)
class Status:
    """STATUS: the call status alone (answers COMMIT, ROLLBACK, PING, LOGOFF)."""

    call_status: int = 0
    end_to_end_seq: int = 0

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.STATUS)
        w.ub4(self.call_status)
        w.ub2(self.end_to_end_seq)

    @classmethod
    def decode_body(cls, r: Reader) -> Status:
        """Read the body after the type byte."""
        return cls(call_status=r.ub4(), end_to_end_seq=r.ub2())


@dataclass(frozen=True, slots=True, kw_only=True)
class Warning_:
    """WARNING: an ORA warning that does not fail the call."""

    number: int = 0
    flags: int = 0
    message: str | None = None

    def encode(self, w: Writer) -> None:
        """Write the message."""
        data = (self.message or "").encode()
        w.ub1(MessageType.WARNING)
        w.ub2(self.number)
        w.ub2(len(data))
        w.ub2(self.flags)
        if self.number and data:
            w.clr(data)

    @classmethod
    def decode_body(cls, r: Reader) -> Warning_:
        """Read the body after the type byte."""
        number = r.ub2()
        length = r.ub2()
        flags = r.ub2()
        message = None
        if number and length:
            message = (r.clr_str("warning message") or "").rstrip()
        return cls(number=number, flags=flags, message=message)


KeywordPair = tuple[bytes | None, bytes | None, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnParameters:
    """PARAMETER after EXECUTE or FETCH: al8o4 values, keyword pairs, registration, row counts."""

    al8o4: tuple[int, ...] = ()
    transaction: bytes = b""
    keywords: tuple[KeywordPair, ...] = ()
    registration: bytes = b""
    dml_row_counts: tuple[int, ...] | None = None

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.PARAMETER)
        w.ub2(len(self.al8o4))
        for value in self.al8o4:
            w.ub4(value)
        w.ub2(len(self.transaction))
        w.raw(self.transaction)
        w.ub2(len(self.keywords))
        for text, binary, keyword in self.keywords:
            w.keyword_value(text, binary, keyword)
        w.ub2(len(self.registration))
        w.raw(self.registration)
        if self.dml_row_counts is not None:
            w.ub4(len(self.dml_row_counts))
            for count in self.dml_row_counts:
                w.ub8(count)

    @classmethod
    def decode_body(
        cls, r: Reader, *, dml_row_counts: bool = False, limits: Limits = DEFAULT_LIMITS
    ) -> ReturnParameters:
        """Read the body after the type byte; ``dml_row_counts`` if they were requested."""
        count = r.ub2()
        al8o4 = r.repeat(count, Reader.ub4, "ub4")
        transaction = r.raw(r.ub2())
        count = r.ub2()
        limits.check("keyword pair count", count, limits.max_kv_pairs)
        keywords = tuple(r.keyword_value() for _ in range(count))
        registration = r.raw(r.ub2())
        counts = None
        if dml_row_counts:
            n = r.ub4()
            limits.check("DML row count entries", n, limits.max_rows)
            counts = r.repeat(n, Reader.ub8, "ub8")
        return cls(
            al8o4=al8o4,
            transaction=transaction,
            keywords=keywords,
            registration=registration,
            dml_row_counts=counts,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerPiggyback:
    """SERVER_SIDE_PIGGYBACK: session state the server pushes (schema, LTXID, ...).

    Only the parts clients act on are kept: keyword pairs of SYNC, the LTXID,
    and SESS_RET's session flags.
    """

    opcode: int
    keywords: tuple[KeywordPair, ...] = ()
    ltxid: bytes | None = None
    session_flags: int = 0

    def encode(self, w: Writer) -> None:
        """Write the message (SYNC, LTXID and the no-body opcodes)."""
        w.ub1(MessageType.SERVER_SIDE_PIGGYBACK)
        w.ub1(self.opcode)
        if self.opcode == ServerPiggybackOp.LTXID:
            w.dlc(self.ltxid)
        elif self.opcode == ServerPiggybackOp.SYNC:
            w.ub2(0)
            w.ub1(0)
            w.ub2(len(self.keywords))
            w.ub1(0)
            for text, binary, keyword in self.keywords:
                w.keyword_value(text, binary, keyword)
            w.ub4(0)
        elif self.opcode not in (ServerPiggybackOp.QUERY_CACHE_INVALIDATION, ServerPiggybackOp.TRACE_EVENT):
            raise ValueError(f"encoding server piggyback opcode {self.opcode} is not supported")

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> ServerPiggyback:
        """Read the body after the type byte.

        Raises:
            DecodeError: unknown opcode (python-oracledb fails too).
        """
        op = r.ub1()
        keywords: tuple[KeywordPair, ...] = ()
        ltxid = None
        flags = 0
        if op == ServerPiggybackOp.LTXID:
            ltxid = r.dlc()
        elif op in (ServerPiggybackOp.QUERY_CACHE_INVALIDATION, ServerPiggybackOp.TRACE_EVENT):
            pass
        elif op == ServerPiggybackOp.OS_PID_MTS:
            r.ub2()
            r.clr()
        elif op == ServerPiggybackOp.SYNC:
            r.ub2()
            r.ub1()
            count = r.ub2()
            r.ub1()
            limits.check("SYNC keyword pair count", count, limits.max_kv_pairs)
            keywords = tuple(r.keyword_value() for _ in range(count))
            r.ub4()
        elif op == ServerPiggybackOp.EXT_SYNC:
            r.ub2()
            r.ub1()
        elif op == ServerPiggybackOp.AC_REPLAY_CONTEXT:
            r.ub2()
            r.ub1()
            r.ub4()
            r.ub4()
            r.ub1()
            r.dlc()
        elif op == ServerPiggybackOp.SESS_RET:
            r.ub2()
            r.ub1()
            count = r.ub2()
            if count:
                limits.check("SESS_RET pair count", count, limits.max_kv_pairs)
                r.ub1()
                for _ in range(count):
                    if r.ub2():
                        r.clr()
                    if r.ub2():
                        r.clr()
                    r.ub2()
            flags = r.ub4()
            r.ub4()
            r.ub2()
        elif op == ServerPiggybackOp.SESS_SIGNATURE:
            r.ub2()
            r.ub1()
            r.ub8()
            r.ub8()
            r.ub8()
        else:
            raise DecodeError(f"unknown server-side piggyback opcode {op}")
        return cls(opcode=op, keywords=keywords, ltxid=ltxid, session_flags=flags)
