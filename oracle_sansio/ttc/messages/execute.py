"""EXECUTE (94, "OALL8") and re-execution (4, 78): docs/protocol-ttc.md 3.

Field order per python-oracledb impl/thin/messages/execute.pyx
(``_write_execute_message``, ``_write_reexecute_message``), identical in
node-oracledb; parsed to the last byte in the live check and in the
python-oracledb 26.1 captures.  ``encode`` produces python-oracledb's exact
bytes; ``decode_body`` (server role) reads what follows the function header
and accepts any integer width (go-ora writes minimal lengths).

A server cannot learn from the request which binds are RETURNING INTO binds
(they have metadata but no values), so :meth:`ExecuteRequest.decode_body`
takes a callback that answers from the SQL text or the cursor's statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from ...errors import DecodeError, EncodeError, LimitExceededError, UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import (
    AL8I4_LENGTH,
    COMMIT_REEXECUTE,
    MAX_LONG_SIZE,
    ExecFlag,
    ExecOption,
    FieldVersion,
    FunctionCode,
    MessageType,
)
from ..wire import Reader, Writer
from .binds import BindMetadata, BindRows, bind_metadata_for_values, bind_wire_order
from .function import FunctionHeader

__all__ = [
    "BindMetadata",
    "bind_metadata_for_values",
    "bind_wire_order",
    "BindRows",
    "ExecuteRequest",
    "ReexecuteRequest",
    "ReturningLookup",
]

Row = tuple[object, ...]
#: (sql or None, cursor id) -> indices of the RETURNING INTO binds.
ReturningLookup = Callable[[str | None, int], Sequence[int]]

# al8i4 slots (docs/protocol-ttc.md 3.2).
_PARSE: Final = 0
_EXEC_COUNT: Final = 1
_IS_QUERY: Final = 7
_EXEC_FLAGS: Final = 9
#: Largest al8i4 array we accept (python and node send 13).
_MAX_AL8I4: Final = 64


def _al8i4(*, parse: bool, count: int, is_query: bool, flags: int) -> tuple[int, ...]:
    slots = [0] * AL8I4_LENGTH
    slots[_PARSE] = 1 if parse else 0
    slots[_EXEC_COUNT] = count
    slots[_IS_QUERY] = 1 if is_query else 0
    slots[_EXEC_FLAGS] = int(flags)
    return tuple(slots)


def _options(*, plsql: bool, parse: bool, binds: bool, autocommit: bool) -> ExecOption:
    """The options every executing EXECUTE shares; callers add FETCH or BATCH_ERRORS."""
    options = ExecOption.EXECUTE
    if not plsql:
        options |= ExecOption.NOT_PLSQL
    if parse:
        options |= ExecOption.PARSE
    if binds:
        options |= (ExecOption.BIND | ExecOption.PLSQL_BIND) if plsql else ExecOption.BIND
    if autocommit:
        options |= ExecOption.COMMIT
    return options


def _encode_rows(
    w: Writer, rows: Sequence[Row], binds: Sequence[BindMetadata], count: int, *, is_plsql: bool, max_string_size: int
) -> None:
    """Write ``count`` bind rows (each ``07`` + values) for ``binds``.

    Raises:
        EncodeError: not ``count`` rows, or a value cannot be encoded.
    """
    if len(rows) != count:
        raise EncodeError(f"{len(rows)} bind rows for {count} executions")
    BindRows(binds, is_plsql=is_plsql, max_string_size=max_string_size).encode_rows(w, rows)


def _decode_rows(
    r: Reader,
    binds: Sequence[BindMetadata],
    count: int,
    *,
    is_plsql: bool,
    max_string_size: int,
    limits: Limits,
    key: object,
) -> tuple[Row, ...]:
    """Read ``count`` bind rows through Reader.repeat; ``key`` names what the rows depend on."""
    reader = BindRows(binds, is_plsql=is_plsql, max_string_size=max_string_size)

    def row(r: Reader) -> Row:
        mtype = r.ub1()
        if mtype != MessageType.ROW_DATA:
            raise UnexpectedMessageError(f"expected a bind row (ROW_DATA, 7), got TTC message type {mtype}")
        return reader.decode_body(r, limits=limits)

    return r.repeat(count, row, key)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecuteRequest:
    """A full EXECUTE call.

    ``rows`` holds one tuple per execution with the values of every bind that
    is not a RETURNING bind (``returning`` lists those by index), in
    placeholder order; the LONG-last wire order is applied by :meth:`encode`.
    ``sql`` is None when the statement is not re-sent (SQL pointer 0).
    """

    options: int
    cursor_id: int = 0
    sql: str | None = None
    prefetch_rows: int = 1
    max_long_size: int = MAX_LONG_SIZE
    binds: tuple[BindMetadata, ...] = ()
    rows: tuple[Row, ...] = ()
    defines: tuple[BindMetadata, ...] | None = None
    al8i4: tuple[int, ...] = (0,) * AL8I4_LENGTH
    dml_rowcounts: bool = False
    num_execs: int = 1
    returning: tuple[int, ...] = ()
    registration_id: int = 0
    prefetch_buffer_size: int = 0

    # ---------------------------------------------------------- derived

    @property
    def is_query(self) -> bool:
        """al8i4[7]: the client treats the statement as a query."""
        return len(self.al8i4) > _IS_QUERY and self.al8i4[_IS_QUERY] != 0

    @property
    def is_plsql(self) -> bool:
        """PL/SQL is the statement kind without NOT_PLSQL (parse-only calls aside)."""
        return not self.options & ExecOption.NOT_PLSQL

    @property
    def batch_errors(self) -> bool:
        """Options bit 0x80000: report failing rows and keep going (executemany batcherrors)."""
        return bool(self.options & ExecOption.BATCH_ERRORS)

    @property
    def value_binds(self) -> tuple[BindMetadata, ...]:
        """The binds whose values the rows carry (all but RETURNING binds)."""
        skip = set(self.returning)
        return tuple(b for i, b in enumerate(self.binds) if i not in skip)

    # ---------------------------------------------------------- encode

    def encode(self, w: Writer, *, seq: int, token: int | None, field_version: int, max_string_size: int) -> None:
        """Write the call, header included.

        ``token`` is None below field version 18.  ``max_string_size`` (4000 or
        32767) decides which binds travel last as LONG binds.

        Raises:
            EncodeError: the rows do not match the binds or a value cannot be
                encoded.
        """
        FunctionHeader(code=FunctionCode.EXECUTE, seq=seq, token=token).encode(w)
        sql = None if self.sql is None else self.sql.encode()
        w.ub4(self.options)
        w.ub4(self.cursor_id)
        w.ub1(0 if sql is None else 1)
        w.ub4(0 if sql is None else len(sql))
        w.ub1(1)
        w.ub4(len(self.al8i4))
        w.ub1(0)  # al8o4
        w.ub1(0)  # al8o4l
        w.ub4(self.prefetch_buffer_size)
        w.ub4(self.prefetch_rows)
        w.ub4(self.max_long_size)
        w.ub1(1 if self.binds else 0)
        w.ub4(len(self.binds))
        w.raw(b"\x00\x00\x00\x00\x00")  # al8app, al8txn, al8txl, al8kv, al8kvl
        w.ub1(0 if self.defines is None else 1)
        w.ub4(0 if self.defines is None else len(self.defines))
        w.ub4(self.registration_id & 0xFFFFFFFF)
        # al8objlist 0, al8objlen 1, al8blv 0, al8blvl 0, al8dnam 0, al8dnaml 0
        w.raw(b"\x00\x01\x00\x00\x00\x00")
        w.ub4(self.registration_id >> 32)
        w.ub1(1 if self.dml_rowcounts else 0)
        w.ub4(self.num_execs if self.dml_rowcounts else 0)
        w.ub1(1 if self.dml_rowcounts else 0)
        if field_version >= FieldVersion.V12_2:
            w.raw(b"\x00\x00\x00\x00\x00")  # SQL signature and SQL id fields
            if field_version >= FieldVersion.V12_2_EXT1:
                w.raw(b"\x00\x00")  # chunk ids
        if sql is not None:
            w.clr(sql)
        for value in self.al8i4:
            w.ub4(value)
        if self.defines is not None:
            for define in self.defines:
                define.encode(w, field_version=field_version)
        for bind in self.binds:
            bind.encode(w, field_version=field_version)
        value_binds = self.value_binds
        if value_binds:
            _encode_rows(
                w, self.rows, value_binds, self.num_execs, is_plsql=self.is_plsql, max_string_size=max_string_size
            )

    # ---------------------------------------------------------- decode

    @classmethod
    def decode_body(
        cls,
        r: Reader,
        header: FunctionHeader,
        *,
        field_version: int,
        max_string_size: int,
        limits: Limits = DEFAULT_LIMITS,
        returning: ReturningLookup | None = None,
    ) -> ExecuteRequest:
        """Read the call after its function header (server role).

        ``max_string_size`` is the server's own (it decides the LONG-last
        order); ``returning`` names the RETURNING INTO binds, which have no
        values in the rows.  Rows: one for a query, else al8i4[1].

        Raises:
            UnexpectedMessageError: not an EXECUTE, or a bind row without 07.
            NeedMoreData: incomplete.
            LimitExceededError: a count above ``limits``.
            DecodeError: a malformed field or value.
        """
        if header.code != FunctionCode.EXECUTE:
            raise UnexpectedMessageError(f"function {header.code} is not EXECUTE")

        def head(r: Reader) -> ExecuteRequest:
            return cls._decode_head(r, field_version=field_version, limits=limits, returning=returning)

        # Everything before the rows is read once per message: while bind rows
        # are still arriving, a re-read neither decodes the SQL text again nor
        # asks ``returning`` again (its answer depends on the SQL and the
        # cursor id, from these bytes, and on cursors that no other message
        # can change before this one is whole).
        request = r.once(head, ("execute head", field_version, limits, returning is None))
        al8i4 = request.al8i4
        if request.is_query:
            num_execs = 1
        elif request.dml_rowcounts:
            num_execs = request.num_execs
        else:
            num_execs = al8i4[_EXEC_COUNT] if len(al8i4) > _EXEC_COUNT else 1
        limits.check("execution count", num_execs, limits.max_rows)
        value_binds = request.value_binds
        rows: tuple[Row, ...] = ()
        if value_binds:
            # The binds come from these bytes; RETURNING and the rest from the caller.
            key = ("rows", request.returning, request.is_plsql, max_string_size, limits)
            rows = _decode_rows(
                r,
                value_binds,
                num_execs,
                is_plsql=request.is_plsql,
                max_string_size=max_string_size,
                limits=limits,
                key=key,
            )
        return replace(request, rows=rows, num_execs=num_execs)

    @classmethod
    def _decode_head(
        cls, r: Reader, *, field_version: int, limits: Limits, returning: ReturningLookup | None
    ) -> ExecuteRequest:
        """The call up to its rows; ``num_execs`` holds the row-count execution count."""
        options = r.ub4()
        cursor_id = r.ub4()
        has_sql = r.ub1()
        limits.check("SQL length", r.ub4(), limits.max_bytes_length)
        r.ub1()
        al8i4_len = limits.check("al8i4 length", r.ub4(), _MAX_AL8I4)
        r.ub1()
        r.ub1()
        prefetch_buffer_size = r.ub4()
        prefetch_rows = r.ub4()
        max_long_size = r.ub4()
        r.ub1()
        num_binds = limits.check("bind count", r.ub4(), limits.max_binds)
        r.skip(5)
        has_defines = r.ub1()
        num_defines = limits.check("define count", r.ub4(), limits.max_columns)
        reg_low = r.ub4()
        r.ub1()
        r.ub1()
        r.ub1()
        r.ub4()
        r.ub1()
        r.ub4()
        reg_high = r.ub4()
        dml_rowcounts = r.ub1() != 0
        rowcount_execs = r.ub4()
        r.ub1()
        if field_version >= FieldVersion.V12_2:
            r.ub1()
            r.ub4()
            r.ub1()
            r.ub4()
            r.ub1()
            if field_version >= FieldVersion.V12_2_EXT1:
                r.ub1()
                r.ub4()
        sql = None
        if has_sql:
            sql_bytes = r.clr() or b""
            try:
                sql = sql_bytes.decode()
            except UnicodeDecodeError as exc:
                raise DecodeError(f"SQL text is not valid UTF-8 at byte {exc.start}") from None
        al8i4 = tuple(r.ub4() for _ in range(al8i4_len))
        defines = None
        # Runs of items go through Reader.repeat: a re-read of this message when
        # the next packet arrives resumes after the last whole one.
        def metadata(r: Reader) -> BindMetadata:
            return BindMetadata.decode(r, field_version=field_version)

        if has_defines:
            defines = r.repeat(num_defines, metadata, ("metadata", field_version))
        binds = r.repeat(num_binds, metadata, ("metadata", field_version))
        ret: tuple[int, ...] = ()
        if binds and returning is not None:
            ret = tuple(sorted(set(returning(sql, cursor_id))))
            if any(not 0 <= i < len(binds) for i in ret):
                raise DecodeError(f"RETURNING bind indices {ret} do not fit {len(binds)} binds")
        return cls(
            options=options,
            cursor_id=cursor_id,
            sql=sql,
            prefetch_rows=prefetch_rows,
            max_long_size=max_long_size,
            binds=binds,
            defines=defines,
            al8i4=al8i4,
            dml_rowcounts=dml_rowcounts,
            returning=ret,
            registration_id=(reg_high << 32) | reg_low,
            prefetch_buffer_size=prefetch_buffer_size,
            num_execs=rowcount_execs,
        )

    # ---------------------------------------------------------- constructors

    @classmethod
    def for_query(
        cls,
        sql: str,
        *,
        cursor_id: int = 0,
        binds: Sequence[BindMetadata] = (),
        row: Sequence[object] = (),
        prefetch_rows: int = 2,
        arraysize: int = 100,
        autocommit: bool = False,
        no_prefetch: bool = False,
    ) -> ExecuteRequest:
        """A query as python-oracledb sends it (0x8061 when new, without binds).

        A new cursor (id 0) sends the SQL and prefetches ``prefetch_rows``; a
        full re-execute of a known cursor sends no SQL and asks for
        ``arraysize`` rows.  ``no_prefetch`` (LOB columns seen before) drops FETCH.
        """
        new = cursor_id == 0
        num_iters = prefetch_rows if new else arraysize
        options = _options(plsql=False, parse=new, binds=bool(binds), autocommit=autocommit)
        if num_iters > 0 and not no_prefetch:
            options |= ExecOption.FETCH
        return cls(
            options=int(options),
            cursor_id=cursor_id,
            sql=sql if new else None,
            prefetch_rows=num_iters,
            binds=tuple(binds),
            rows=(tuple(row),) if binds else (),
            al8i4=_al8i4(parse=new, count=0 if new else num_iters, is_query=True, flags=ExecFlag.IMPLICIT_RESULTSET),
        )

    @classmethod
    def for_dml(
        cls,
        sql: str,
        *,
        cursor_id: int = 0,
        binds: Sequence[BindMetadata] = (),
        rows: Sequence[Sequence[object]] = (),
        returning: Sequence[int] = (),
        autocommit: bool = False,
        batch_errors: bool = False,
        dml_rowcounts: bool = False,
        is_ddl: bool = False,
    ) -> ExecuteRequest:
        """DML (0x8029 with binds, 0x8129 with autocommit) or DDL (0x8021: always parsed, SQL always sent).

        ``rows`` holds one tuple per execution (executemany) without RETURNING
        bind values; with RETURNING binds only, pass empty tuples or nothing.
        """
        parse = cursor_id == 0 or is_ddl
        num_execs = len(rows) or 1
        options = _options(plsql=False, parse=parse, binds=bool(binds), autocommit=autocommit)
        if batch_errors:
            options |= ExecOption.BATCH_ERRORS
        flags = ExecFlag.IMPLICIT_RESULTSET | (ExecFlag.DML_ROWCOUNTS if dml_rowcounts else 0)
        request = cls(
            options=int(options),
            cursor_id=cursor_id,
            sql=sql if parse else None,
            binds=tuple(binds),
            al8i4=_al8i4(parse=parse, count=num_execs, is_query=False, flags=flags),
            dml_rowcounts=dml_rowcounts,
            num_execs=num_execs,
            returning=tuple(sorted(set(returning))),
        )
        rows_ = tuple(map(tuple, rows)) if request.value_binds else ()
        return replace(request, rows=rows_, num_execs=num_execs)

    @classmethod
    def for_plsql(
        cls,
        sql: str,
        *,
        cursor_id: int = 0,
        binds: Sequence[BindMetadata] = (),
        rows: Sequence[Sequence[object]] = (),
        autocommit: bool = False,
    ) -> ExecuteRequest:
        """A PL/SQL block (0x0429 with binds); OUT binds are sent as NULL in the first execute."""
        parse = cursor_id == 0
        num_execs = len(rows) or 1
        options = _options(plsql=True, parse=parse, binds=bool(binds), autocommit=autocommit)
        return cls(
            options=int(options),
            cursor_id=cursor_id,
            sql=sql if parse else None,
            binds=tuple(binds),
            rows=tuple(map(tuple, rows)) if binds else (),
            al8i4=_al8i4(parse=parse, count=num_execs, is_query=False, flags=ExecFlag.IMPLICIT_RESULTSET),
            num_execs=num_execs,
        )

    @classmethod
    def for_define(cls, cursor_id: int, defines: Sequence[BindMetadata], *, prefetch_rows: int = 2) -> ExecuteRequest:
        """The define-only re-send after a describe with LOB/JSON/VECTOR columns (0x8010)."""
        return cls(
            options=int(ExecOption.DEFINE | ExecOption.NOT_PLSQL),
            cursor_id=cursor_id,
            prefetch_rows=prefetch_rows,
            defines=tuple(defines),
            al8i4=_al8i4(parse=False, count=prefetch_rows, is_query=True, flags=0),
        )

    @classmethod
    def for_parse(cls, sql: str, *, is_query: bool) -> ExecuteRequest:
        """``cursor.parse()``: PARSE (plus DESCRIBE for a query), nothing executed."""
        options = ExecOption.PARSE | (ExecOption.DESCRIBE if is_query else 0)
        return cls(
            options=int(options),
            sql=sql,
            al8i4=_al8i4(parse=True, count=0 if is_query else 1, is_query=is_query, flags=0),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ReexecuteRequest:
    """REEXECUTE (4) or REEXECUTE_AND_FETCH (78) on a cursor whose binds did not change.

    Body: ``ub4`` cursor id, ``ub4`` iterations, ``ub4`` options 1, ``ub4``
    options 2, then per execution ``07`` + the values of the binds that are
    sent: no metadata, no OUT-only binds, no RETURNING binds.
    """

    function: int = FunctionCode.REEXECUTE
    cursor_id: int
    num_iters: int
    options_1: int = 0
    options_2: int = 0
    rows: tuple[Row, ...] = ()

    @classmethod
    def for_query(cls, cursor_id: int, *, prefetch_rows: int = 2, row: Sequence[object] = ()) -> ReexecuteRequest:
        """Query re-execute (78): options_1 EXECUTE, ``prefetch_rows`` rows asked for."""
        return cls(
            function=FunctionCode.REEXECUTE_AND_FETCH,
            cursor_id=cursor_id,
            num_iters=prefetch_rows,
            options_1=int(ExecOption.EXECUTE),
            rows=(tuple(row),) if row else (),
        )

    @classmethod
    def for_dml(
        cls, cursor_id: int, *, rows: Sequence[Sequence[object]] = (), autocommit: bool = False
    ) -> ReexecuteRequest:
        """DML or PL/SQL re-execute (4): one iteration per row; options_2 0x01 with autocommit."""
        return cls(
            function=FunctionCode.REEXECUTE,
            cursor_id=cursor_id,
            num_iters=len(rows) or 1,
            options_2=COMMIT_REEXECUTE if autocommit else 0,
            rows=tuple(map(tuple, rows)),  # a C loop: no Python step per row
        )

    @property
    def num_rows(self) -> int:
        """Bind rows that follow when binds are sent: one for 78, ``num_iters`` for 4."""
        return 1 if self.function == FunctionCode.REEXECUTE_AND_FETCH else self.num_iters

    def encode(
        self,
        w: Writer,
        *,
        seq: int,
        token: int | None,
        binds: Sequence[BindMetadata],
        max_string_size: int,
        is_plsql: bool = False,
    ) -> None:
        """Write the call; ``binds`` are the binds whose values are sent (rows follow only if any).

        Raises:
            EncodeError: the rows do not match ``binds``.
        """
        FunctionHeader(code=self.function, seq=seq, token=token).encode(w)
        w.ub4(self.cursor_id)
        w.ub4(self.num_iters)
        w.ub4(self.options_1)
        w.ub4(self.options_2)
        if binds:
            _encode_rows(w, self.rows, binds, self.num_rows, is_plsql=is_plsql, max_string_size=max_string_size)

    @classmethod
    def decode_body(
        cls,
        r: Reader,
        header: FunctionHeader,
        *,
        binds: Sequence[BindMetadata],
        max_string_size: int,
        is_plsql: bool = False,
        limits: Limits = DEFAULT_LIMITS,
    ) -> ReexecuteRequest:
        """Read the call after its header; ``binds`` come from the cursor (the ones whose values are sent).

        Raises:
            UnexpectedMessageError: not function 4 or 78, or a row without 07.
            NeedMoreData: incomplete.
            LimitExceededError: more executions than ``limits.max_rows``.
            DecodeError: a bad value.
        """
        if header.code not in (FunctionCode.REEXECUTE, FunctionCode.REEXECUTE_AND_FETCH):
            raise UnexpectedMessageError(f"function {header.code} is not a re-execute")
        request = cls(
            function=header.code,
            cursor_id=r.ub4(),
            num_iters=r.ub4(),
            options_1=r.ub4(),
            options_2=r.ub4(),
        )
        if not binds:
            return request
        count = request.num_rows
        if count > limits.max_rows:
            raise LimitExceededError("re-execute iteration count", count, limits.max_rows)
        # The binds come from the cursor, not these bytes: they are part of the key.
        key = ("rows", binds, is_plsql, max_string_size, limits)
        rows = _decode_rows(
            r, binds, count, is_plsql=is_plsql, max_string_size=max_string_size, limits=limits, key=key
        )
        return cls(
            function=request.function,
            cursor_id=request.cursor_id,
            num_iters=request.num_iters,
            options_1=request.options_1,
            options_2=request.options_2,
            rows=rows,
        )
