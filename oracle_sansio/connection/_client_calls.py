"""The client's calls: the record of the call in flight (its kind and what
its response collects) and the query/DML part (EXECUTE, re-execute and FETCH
responses: describe, rows, out binds, and how such a call ends).

The functions take what they use (capabilities, limits, the cursor table, an
``emit`` callable for events), never the connection machine.

Each handler decodes a whole message before it changes anything, so a
``NeedMoreData`` in the middle leaves no trace (the machine rewinds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum, auto
from typing import TypeAlias

from .._fast_init import positional_maker
from ..codecs import OracleType, Rowid
from ..errors import LocalProtocolError, UnexpectedMessageError
from ..limits import Limits
from ..ttc.capabilities import Capabilities
from ..ttc.constants import ErrorNumber, FunctionCode, MessageType
from ..ttc.messages.binds import BindMetadata, columns_as_defined, reexecuted_positions
from ..ttc.messages.describe import ColumnMetadata, DescribeInfo
from ..ttc.messages.calls import VersionReply
from ..ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from ..ttc.messages.lob import LobOpRequest, LobOpResult, decode_lob_data_body
from ..ttc.messages.rows import (
    BitVector,
    DecoderChoice,
    IoVector,
    RowDecoder,
    RowHeader,
    decode_out_binds_body,
    decode_returning_body,
)
from ..ttc.messages.status import ErrorInfo, ReturnParameters, Status
from ..ttc.wire import Reader, Writer
from .events import CallCompleted, ClientEvent, Described, LobOpCompleted, OutBindsReceived, RowsReceived
from .events import ServerErrorReceived, VersionReceived

__all__ = [
    "CallKind",
    "parse_lob_message",
    "version_or_lob_answer",
    "ClientCall",
    "Emit",
    "Executable",
    "CursorMeta",
    "QueryState",
    "start_execute",
    "reexecute_state",
    "parse_query_message",
    "flush_rows",
    "parse_parameters",
    "finish_query",
]

Executable: TypeAlias = ExecuteRequest | ReexecuteRequest
#: Where the functions below report events (the machine's event queue).
Emit: TypeAlias = Callable[[ClientEvent], None]


class CallKind(Enum):
    """What the exchange in flight is: it picks how its response is read."""

    FAST_AUTH = auto()
    PROTOCOL = auto()
    DATA_TYPES = auto()
    AUTH_ONE = auto()
    AUTH_TWO = auto()
    EXECUTE = auto()
    FETCH = auto()
    LOB = auto()
    SIMPLE = auto()
    VERSION = auto()
    CHANGE_PASSWORD = auto()
    LOGOFF = auto()
    #: The response after a reset that no call of ours was waiting for.
    DISCARD = auto()


@dataclass(slots=True)
class CursorMeta:
    """What the client remembers of an open cursor, for re-executes and fetches."""

    columns: tuple[ColumnMetadata, ...] = ()
    binds: tuple[BindMetadata, ...] = ()
    is_plsql: bool = False
    returning: tuple[int, ...] = ()
    directions: tuple[int, ...] | None = None
    decoder: RowDecoder | None = field(default=None, repr=False)
    #: The last row the cursor's current execution delivered, and the value
    #: decoders that made it: Oracle's BIT_VECTOR in a FETCH reply's first row
    #: repeats columns of this row (python-oracledb keeps it across fetches too).
    last_row: tuple[object, ...] | None = field(default=None, repr=False)
    last_row_choose: DecoderChoice | None = field(default=None, repr=False)
    #: A re-execute without bind values as its whole DATA packet (sequence byte 0),
    #: for the request and packet framing it was made for: see ``ClientConnection.execute``.
    template: tuple[ReexecuteRequest, bool, bytes] | None = field(default=None, repr=False)

    def previous_row(self, choose: DecoderChoice | None) -> tuple[object, ...] | None:
        """The row a FETCH's first row may repeat values of, if decoded by ``choose``
        (values from other decoders would come back in the wrong types)."""
        return self.last_row if self.last_row_choose is choose else None

    def sent_binds(self) -> tuple[BindMetadata, ...]:
        """Binds whose values a re-execute sends: not RETURNING, not OUT-only."""
        return tuple(self.binds[i] for i in reexecuted_positions(len(self.binds), self.returning, self.directions))


@dataclass(slots=True)
class QueryState:
    """What the client tracks while one EXECUTE or FETCH response streams in."""

    cursor_id: int
    columns: tuple[ColumnMetadata, ...]
    is_query: bool
    dml_row_counts: bool = False
    binds: tuple[BindMetadata, ...] = ()
    is_plsql: bool = False
    returning: tuple[int, ...] = ()
    directions: tuple[int, ...] | None = None
    decoder: RowDecoder | None = None
    #: The owner's value decoders for this call (see ``RowDecoder``).
    choose: DecoderChoice | None = None
    rows: list[tuple[object, ...]] = field(default_factory=list)
    previous_row: tuple[object, ...] | None = None
    bit_vector: bytes | None = None
    described: bool = False
    row_counts: tuple[int, ...] | None = None


@dataclass(slots=True)
class ClientCall:
    """The record of the exchange in flight (kept by the call machine)."""

    kind: CallKind
    state: QueryState | None = None
    params: tuple[tuple[str, str, int], ...] = ()
    info: ErrorInfo | Status | None = None
    extra: dict[str, object] = field(default_factory=dict)


def reusable(decoder: RowDecoder | None, choose: DecoderChoice | None) -> RowDecoder | None:
    """A cursor's remembered row decoder, if it was built with the same value decoders."""
    return decoder if decoder is not None and decoder.choose is choose else None


def start_execute(
    w: Writer, request: Executable, columns: tuple[ColumnMetadata, ...] | None,
    choose: DecoderChoice | None, *, seq: int, token: int | None, caps: Capabilities,
    cursors: dict[int, CursorMeta],
) -> QueryState:
    """Write ``request`` (after any piggybacks already in ``w``) and return the
    state its response is parsed with.

    Raises:
        LocalProtocolError: a re-execute of a cursor the machine does not know.
    """
    meta = cursors.get(request.cursor_id) if request.cursor_id else None
    if isinstance(request, ExecuteRequest):
        request.encode(
            w, seq=seq, token=token, field_version=caps.field_version, max_string_size=caps.max_string_size
        )
        if meta is not None:
            meta.last_row = None  # a new execution: its first row repeats nothing
        cols = columns if columns is not None else (meta.columns if meta else ())
        if request.defines is not None and cols:
            # Rows now come in the types the client defined (LOB columns as LONG
            # or LONG RAW with fetch_lobs=False).
            cols = columns_as_defined(cols, request.defines)
            if meta is not None:
                meta.columns = cols
                meta.decoder = None
        return QueryState(
            cursor_id=request.cursor_id,
            columns=cols,
            is_query=request.is_query,
            dml_row_counts=request.dml_rowcounts,
            binds=request.binds,
            is_plsql=request.is_plsql,
            returning=request.returning,
            directions=meta.directions if meta and meta.binds == request.binds else None,
            decoder=reusable(meta.decoder, choose) if meta and cols == meta.columns else None,
            choose=choose,
        )
    if meta is None:
        raise LocalProtocolError(f"cannot re-execute cursor {request.cursor_id}: the machine never saw it")
    request.encode(
        w, seq=seq, token=token, binds=meta.sent_binds(), max_string_size=caps.max_string_size,
        is_plsql=meta.is_plsql,
    )
    return reexecute_state(request, meta, columns, choose)


def reexecute_state(request: ReexecuteRequest, meta: CursorMeta, columns: tuple[ColumnMetadata, ...] | None,
                    choose: DecoderChoice | None) -> QueryState:
    """The state a re-execute's response is parsed with (the request is on its way)."""
    meta.last_row = None
    return QueryState(
        cursor_id=request.cursor_id,
        columns=columns if columns is not None else meta.columns,
        is_query=request.function == FunctionCode.REEXECUTE_AND_FETCH,
        binds=meta.binds,
        is_plsql=meta.is_plsql,
        returning=meta.returning,
        directions=meta.directions,
        decoder=reusable(meta.decoder, choose),
        choose=choose,
    )


def parse_query_message(
    r: Reader, mtype: int, state: QueryState, *, limits: Limits, field_version: int, emit: Emit
) -> None:
    """Handle one message of an EXECUTE/FETCH response (its type byte already read)."""
    if mtype == MessageType.ROW_DATA:
        if state.directions is not None and state.is_plsql:
            values = decode_out_binds_body(r, state.binds, state.directions, limits=limits)
            flush_rows(state, emit)
            emit(OutBindsReceived(values=values))
            return
        if state.returning and not state.is_query:
            returning = tuple(state.binds[i] for i in state.returning)
            per_bind = decode_returning_body(r, returning, limits=limits)
            flush_rows(state, emit)
            emit(OutBindsReceived(values=per_bind))
            return
        decoder = state.decoder
        if decoder is None:
            if not state.columns:
                raise UnexpectedMessageError("ROW_DATA arrived before any describe of the cursor")
            decoder = state.decoder = RowDecoder(state.columns, state.choose)
        row = decoder.decode(r, previous_row=state.previous_row, bit_vector=state.bit_vector)
        state.bit_vector = None
        rows = state.rows
        rows.append(row)
        decoder.decode_following(r, rows)
        state.previous_row = rows[-1]
        return
    if mtype == MessageType.DESCRIBE_INFO:
        info = DescribeInfo.decode_body(r, field_version=field_version, limits=limits)
        flush_rows(state, emit)
        columns = redescribed(state.columns, info.columns)
        state.columns = columns
        state.decoder = RowDecoder(columns, state.choose)
        state.previous_row = None
        state.described = True
        emit(Described(cursor_id=state.cursor_id, columns=columns))
        return
    if mtype == MessageType.ROW_HEADER:
        header = RowHeader.decode_body(r, limits=limits)
        if header.bit_vector:
            state.bit_vector = header.bit_vector
        return
    if mtype == MessageType.BIT_VECTOR:
        state.bit_vector = BitVector.decode_body(r, num_columns=len(state.columns)).bits
        return
    if mtype == MessageType.IO_VECTOR:
        state.directions = IoVector.decode_body(r, limits=limits).directions
        return
    names: dict[int, str] = {MessageType.FLUSH_OUT_BINDS: "FLUSH_OUT_BINDS", MessageType.IMPLICIT_RESULTSET: "IMPLICIT_RESULTSET",
             MessageType.LOB_DATA: "LOB_DATA"}
    if mtype in names:
        raise UnexpectedMessageError(f"{names[mtype]} messages are not supported yet")
    raise UnexpectedMessageError(f"TTC message type {mtype} is not expected in an EXECUTE/FETCH response")


_TEXT_TYPES = frozenset({OracleType.CHAR, OracleType.LONG, OracleType.VARCHAR})
_BINARY_TYPES = frozenset({OracleType.RAW, OracleType.LONG_RAW})


def redescribed(before: tuple[ColumnMetadata, ...], after: tuple[ColumnMetadata, ...]) -> tuple[ColumnMetadata, ...]:
    """A cursor described again (its table changed under the same statement): a
    column that was text or raw and is now a CLOB or BLOB arrives as LONG / LONG
    RAW, as Oracle sends it then (python-oracledb ``_adjust_metadata``)."""
    if not before:
        return after
    out = list(after)
    for i, (old, new) in enumerate(zip(before, after)):
        if new.ora_type == OracleType.CLOB and old.ora_type in _TEXT_TYPES:
            out[i] = replace(new, ora_type=OracleType.LONG, csfrm=old.csfrm)
        elif new.ora_type == OracleType.BLOB and old.ora_type in _BINARY_TYPES:
            out[i] = replace(new, ora_type=OracleType.LONG_RAW)
    return tuple(out)


def parse_parameters(r: Reader, state: QueryState | None, limits: Limits) -> None:
    """A PARAMETER after EXECUTE/FETCH: only the array DML row counts are kept."""
    wanted = state is not None and state.dml_row_counts
    params = ReturnParameters.decode_body(r, dml_row_counts=wanted, limits=limits)
    if state is not None and params.dml_row_counts is not None:
        state.row_counts = params.dml_row_counts


def flush_rows(state: QueryState, emit: Emit) -> None:
    """Report the rows collected so far as one ``RowsReceived``."""
    if state.rows:
        emit(_rows_received(state.cursor_id, state.rows))
        state.rows = []


def finish_query(state: QueryState, info: ErrorInfo, cursors: dict[int, CursorMeta], emit: Emit) -> None:
    """Report how an EXECUTE/FETCH ended; remember in ``cursors`` what the cursor needs later."""
    cursor_id = info.cursor_id or state.cursor_id
    if cursor_id:
        meta = cursors.get(cursor_id)
        if meta is None:
            meta = cursors[cursor_id] = CursorMeta()
        if state.columns:
            if meta.columns != state.columns:
                meta.decoder = None
            meta.columns = state.columns
            meta.decoder = state.decoder or meta.decoder
        if state.binds or not meta.binds:
            meta.binds = state.binds
            meta.is_plsql = state.is_plsql
            meta.returning = state.returning
        if state.directions is not None:
            meta.directions = state.directions
        if state.is_query:
            # A FETCH starts from the cursor's last row, an EXECUTE from none (see
            # start_execute); a describe on the way clears it.
            meta.last_row = state.previous_row
            meta.last_row_choose = state.choose
    # ORA-24381 only says that batch errors follow: the call itself succeeded.
    ended_ok = info.number == ErrorNumber.ARRAY_DML_ERRORS or (
        info.number == ErrorNumber.NO_DATA_FOUND and state.is_query)
    if info.number and not ended_ok:
        emit(ServerErrorReceived(info=info))
        return
    # Fields in declaration order: cursor_id, row_count, more_rows, last_rowid,
    # in_transaction, info, batch_errors, dml_row_counts.
    emit(_call_completed(cursor_id, info.row_count, state.is_query and info.number == 0,
                         _rowid_text(info) if info.rowid is not None else None, info.in_transaction, info,
                         info.batch_errors, state.row_counts))


#: The events every EXECUTE / FETCH reports, built positionally (see ``_fast_init``).
_rows_received = positional_maker(RowsReceived)
_call_completed = positional_maker(CallCompleted)


def _rowid_text(info: ErrorInfo) -> str | None:
    if info.rowid is None or not info.row_count:
        return None
    rba, partition, block, slot = info.rowid
    return Rowid(rba=rba, partition_id=partition, block_num=block, slot_num=slot).to_string()


def parse_lob_message(r: Reader, mtype: int, call: ClientCall) -> None:
    """A PARAMETER or LOB_DATA message (its type byte read) in reply to a LOB call."""
    lob_request = call.extra["request"]
    assert isinstance(lob_request, LobOpRequest)
    if mtype == MessageType.LOB_DATA:
        data = decode_lob_data_body(r)
        # Parts joined once at the end: several LOB_DATA messages cost their size, not its square.
        parts = call.extra.setdefault("data", [])
        assert isinstance(parts, list)
        parts.append(data)
    else:
        call.extra["result"] = LobOpResult.decode_parameter_body(r, lob_request)


def version_or_lob_answer(call: ClientCall) -> ClientEvent | None:
    """The event a VERSION or LOB call that succeeded ends with (None for other calls or a failure)."""
    info = call.info
    if isinstance(info, ErrorInfo) and info.number:
        return None
    version = call.extra.get("version")
    if isinstance(version, VersionReply):
        return VersionReceived(banner=version.banner, number=version.number, version=version.version)
    if call.kind == CallKind.LOB:
        result = call.extra.get("result") or LobOpResult()
        parts = call.extra.get("data")
        assert isinstance(result, LobOpResult) and (parts is None or isinstance(parts, list))
        return LobOpCompleted(result=result, data=None if parts is None else b"".join(parts))
    return None
