"""The query/DML part of the server machine: EXECUTE-family requests in;
describe, rows, out binds and the end-of-call ERROR out.

The machine assigns cursor ids itself (a counter per session, as Oracle
does) and remembers each cursor's SQL, binds and describe, so re-executes
and fetches can be decoded and rows encoded without the owner's help.

The functions take what they use (the call being answered, a writer, the
cursor table, the session's LobStore), never the connection machine.

A request is read whole (``read_request``) before the machine acts on any of
it, so the machine can still decide to carry none of it out: a killed
session's call is answered ORA-00028 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeAlias

from ..codecs import OracleType
from ..error_codes import ora_text
from ..errors import EncodeError, LocalProtocolError, UnexpectedMessageError, UnsupportedTypeError
from ..limits import Limits
from ..statement import parse_statement
from ..ttc.capabilities import Capabilities
from ..ttc.constants import COMMIT_REEXECUTE, COMPILE_WARNING, ErrorNumber, ExecOption, FunctionCode, MessageType
from ..ttc.messages.appctx import AppContextChange, AppContextError
from ..ttc.messages.auth import AuthRequest
from ..ttc.messages.binds import BindMetadata, columns_as_defined, reexecuted_positions
from ..ttc.messages.calls import (SIMPLE_CALLS, CloseCursors, EndToEndAttributes, FetchRequest, SessionRelease,
                                   SessionState, SetSchema)
from ..ttc.messages.describe import ColumnMetadata, DescribeInfo
from ..ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from ..ttc.messages.function import FunctionHeader
from ..ttc.messages.lob import LobOpRequest, LobValue
from ..ttc.messages.rows import IoVector, RowEncoder, encode_out_binds, encode_returning_row
from ..ttc.messages.status import BatchError, ErrorInfo, ReturnParameters
from ..ttc.wire import Reader, Writer
from .events import (
    CallRefused,
    SessionReleased,
    CommitRequested,
    ExecuteRequested,
    FetchRequested,
    LogoffRequested,
    PingRequested,
    RollbackRequested,
)
from ._server_session import MSG_3115
from .lobs import LobStore

__all__ = [
    "ServerCall",
    "Piggybacks",
    "read_piggybacks",
    "Request",
    "read_request",
    "CursorInfo",
    "FUNCTIONS",
    "parse_function",
    "send_describe",
    "send_rows",
    "send_out_binds",
    "send_returning",
    "end_query",
    "refusal_text",
]

#: The calls parse_function decodes.
FUNCTIONS = frozenset({FunctionCode.EXECUTE, FunctionCode.REEXECUTE, FunctionCode.REEXECUTE_AND_FETCH})

_ORA_3115 = int(ErrorNumber.UNSUPPORTED_NETWORK_DATATYPE)
#: The text of each error a refused call is answered with.
REFUSAL_TEXTS: dict[int, str] = {
    _ORA_3115: MSG_3115,
    1001: "ORA-01001: invalid cursor",
    1002: "ORA-01002: fetch out of sequence",
    28268: ora_text(28268),
}


class _Refused(Exception):
    """A well-formed call this session cannot carry out (answered with ``number``)."""

    def __init__(self, number: int, detail: str) -> None:
        super().__init__(detail)
        self.number = number
        self.detail = detail


def refusal_text(refused: CallRefused) -> str:
    """The error message a refused call is answered with (its detail, if any, appended)."""
    text = REFUSAL_TEXTS.get(refused.error_number, f"ORA-{refused.error_number:05d}")
    return f"{text} ({refused.detail})" if refused.detail else text
_SIMPLE_EVENTS: dict[int, type[CommitRequested | RollbackRequested | PingRequested | LogoffRequested]] = {
    FunctionCode.COMMIT: CommitRequested,
    FunctionCode.ROLLBACK: RollbackRequested,
    FunctionCode.PING: PingRequested,
    FunctionCode.LOGOFF: LogoffRequested,
}

_MSG_1403 = "ORA-01403: no data found"
_MSG_24381 = "ORA-24381: error(s) in array DML"


@dataclass(slots=True)
class CursorInfo:
    """What the server remembers of an open cursor."""

    sql: str | None = None
    binds: tuple[BindMetadata, ...] = ()
    is_query: bool = False
    is_plsql: bool = False
    returning: tuple[int, ...] = ()
    directions: tuple[int, ...] | None = None
    columns: tuple[ColumnMetadata, ...] = ()
    #: The client's define (python-oracledb defines LOB columns, as LOBs or as
    #: LONG/LONG RAW with fetch_lobs=False); rows are encoded as defined.
    defines: tuple[BindMetadata, ...] | None = None
    encoder: RowEncoder | None = field(default=None, repr=False)
    wire_columns: tuple[ColumnMetadata, ...] = ()
    #: Rows of a LOB query held back until the client's define arrives: the
    #: client reads rows with its define's types (LONG when fetch_lobs=False).
    held: list[tuple[object, ...]] = field(default_factory=list)
    #: True during the EXECUTE that described LOB columns (rows are held).
    holding: bool = False
    rows_sent: int = 0
    #: Each column's (type, csfrm) as the client last took the describe: a LOB
    #: column re-described where the client had text / raw is read as LONG /
    #: LONG RAW (below).
    described: tuple[tuple[int, int], ...] = ()

    def sent_positions(self) -> tuple[int, ...]:
        """Indices of the binds a re-execute carries values for."""
        return reexecuted_positions(len(self.binds), self.returning, self.directions)


@dataclass(slots=True)
class ServerCall:
    """The call being answered."""

    function: int
    simple: bool = False
    cursor_id: int = 0
    is_query: bool = False
    cursor: CursorInfo | None = None


@dataclass(slots=True)
class Piggybacks:
    """The piggybacks before a call, decoded, and the header of what follows them."""

    header: FunctionHeader
    closed: list[int] = field(default_factory=list)
    attributes: list[tuple[str, str | None]] = field(default_factory=list)
    freed: list[LobOpRequest] = field(default_factory=list)
    #: SESSION_STATE piggybacks (request boundaries), in the order sent.
    states: list[SessionState] = field(default_factory=list)
    #: APP_CONTEXT piggybacks (set or clear a namespace's values), in the order sent.
    contexts: list[AppContextChange] = field(default_factory=list)
    #: ``header`` is a piggyback this server does not implement (ORA-03115), or one
    #: it could not take (``error_number`` and ``detail`` say why).
    refused: bool = False
    error_number: int = _ORA_3115
    detail: str = ""


def read_piggybacks(r: Reader, *, has_token: bool, limits: Limits) -> Piggybacks:
    """Decode the piggybacks at the start of a request, up to the first header
    that is not one (or one that is not implemented, or an application context
    this server cannot take: ORA-28268 when too large, ORA-03115 when malformed);
    nothing is acted on yet."""
    pb = Piggybacks(FunctionHeader.decode(r, has_token=has_token))
    while pb.header.message_type == MessageType.PIGGYBACK:
        code = pb.header.code
        if code == FunctionCode.CLOSE_CURSORS:
            pb.closed.extend(CloseCursors.decode_body(r, limits=limits).cursor_ids)
        elif code == FunctionCode.SET_END_TO_END_ATTR:
            pb.attributes.extend(EndToEndAttributes.decode_body(r).values)
        elif code == FunctionCode.SET_SCHEMA:
            pb.attributes.append(("current_schema", SetSchema.decode_body(r).schema))
        elif code == FunctionCode.LOB_OP:
            pb.freed.append(LobOpRequest.decode_body(r, pb.header, limits=limits))
        elif code == FunctionCode.SESSION_STATE:
            pb.states.append(SessionState.decode_body(r))
        elif code == FunctionCode.SET_KEY_VALUE:
            try:
                pb.contexts.append(AppContextChange.decode_body(r, limits=limits))
            except AppContextError as exc:
                pb.refused, pb.detail = True, exc.message
                pb.error_number = 28268 if exc.too_large else _ORA_3115
                return pb
        else:
            pb.refused = True
            return pb
        pb.header = FunctionHeader.decode(r, has_token=has_token)
    return pb


#: The event of a call the owner answers.
OwnerEvent: TypeAlias = CommitRequested | RollbackRequested | PingRequested | LogoffRequested | FetchRequested | ExecuteRequested


@dataclass(slots=True)
class Request:
    """One whole request as read from the wire, nothing of it acted on yet.

    Exactly one of ``refused``, ``lob``, ``released``, ``version``, ``change_password`` and
    ``event`` (with ``call``) says what the function call asks for.
    """

    piggybacks: Piggybacks
    #: The function code of the call (of the refused piggyback, when that ended the request).
    function: int
    #: A function or piggyback this server does not implement (ORA-03115), a
    #: bind type it does not handle (ORA-03115), a cursor that is not open (ORA-01001/01002).
    refused: CallRefused | None = None
    #: A LOB_OP call, answered by the machine from its LobStore.
    lob: LobOpRequest | None = None
    #: SESSION_RELEASE (DRCP), one-way: reported, never answered.
    released: SessionReleased | None = None
    #: GET_VERSION, answered by the machine.
    version: bool = False
    #: An AUTH call in session (change password), judged by the machine.
    change_password: AuthRequest | None = None
    #: A call the owner answers, and the record the machine keeps of it.
    event: OwnerEvent | None = None
    call: ServerCall | None = None


def read_request(
    r: Reader, *, caps: Capabilities, cursors: dict[int, CursorInfo], limits: Limits,
    new_cursor_id: Callable[[], int], lobs: LobStore,
) -> Request:
    """Read one whole request: piggybacks, then exactly one function call.

    Nothing is acted on: piggybacked closes and frees are only listed, no
    password is judged, no LOB touched.  The one exception is an EXECUTE's
    cursor, entered in ``cursors`` (a re-execute is decoded with it); a
    session whose call is then not carried out (killed) ends with its table.

    Raises:
        DecodeError: the request is malformed.
    """
    pb = read_piggybacks(r, has_token=caps.has_token, limits=limits)
    header = pb.header
    code = header.code
    req = Request(piggybacks=pb, function=code)
    if pb.refused:
        req.refused = CallRefused(function=code, piggyback=True, error_number=pb.error_number, detail=pb.detail)
    elif code == FunctionCode.LOB_OP:
        req.lob = LobOpRequest.decode_body(r, header, limits=limits)
    elif code in SIMPLE_CALLS:
        req.event = _SIMPLE_EVENTS[code]()
        req.call = ServerCall(function=code, simple=True)
    elif code == FunctionCode.FETCH:
        fetch = FetchRequest.decode_body(r)
        cursor = cursors.get(fetch.cursor_id)
        if cursor is None or not cursor.columns:
            # Oracle: no such cursor (closed, never opened), or one with no query to fetch from.
            number = 1001 if cursor is None else 1002
            req.refused = CallRefused(function=code, piggyback=False, error_number=number,
                                      detail=f"FETCH of cursor {fetch.cursor_id}, which has no open query")
            return req
        # Rows held since the describe go first and count toward the rows asked for.
        req.event = FetchRequested(cursor_id=fetch.cursor_id, rows=max(0, fetch.rows - len(cursor.held)))
        req.call = ServerCall(function=code, cursor_id=fetch.cursor_id, is_query=True, cursor=cursor)
    elif code == FunctionCode.SESSION_RELEASE and header.message_type == MessageType.ONEWAY_FN:
        mode = SessionRelease.decode_body(r).mode
        req.released = SessionReleased(mode=mode, deauthenticate=bool(mode & SessionRelease.DEAUTHENTICATE))
    elif code == FunctionCode.GET_VERSION:
        r.skip(r.remaining)  # buffer pointers and sizes: the answer does not depend on them
        req.version = True
    elif code == FunctionCode.AUTH_PHASE_TWO:
        req.change_password = AuthRequest.decode_body(r, header, limits=limits)
    elif code in FUNCTIONS:
        try:
            req.event, req.call = parse_function(r, header, caps=caps, cursors=cursors, limits=limits,
                                                 new_cursor_id=new_cursor_id, lobs=lobs)
        except UnsupportedTypeError as exc:
            # Well-formed, but a bind of a type this server does not handle:
            # Oracle's answer for a type it cannot take over the network.
            req.refused = CallRefused(function=code, piggyback=False, error_number=_ORA_3115,
                                      detail=exc.message)
        except _Refused as exc:
            req.refused = CallRefused(function=code, piggyback=False, error_number=exc.number, detail=exc.detail)
    else:
        req.refused = CallRefused(function=code, piggyback=False, error_number=_ORA_3115)
    if req.refused is not None:
        # (A refused FETCH returned above: its body was read whole.)
        # Its layout is unknown, so nothing after it can be read: the rest
        # of what the client sent is dropped with it.
        r.skip(r.remaining)
    return req


def _widen(row: Sequence[object], positions: Sequence[int], total: int) -> tuple[object, ...]:
    """Spread the values of the sent binds over all bind positions (None elsewhere)."""
    out: list[object] = [None] * total
    for pos, value in zip(positions, row):
        out[pos] = value
    return tuple(out)


def parse_function(
    r: Reader, header: FunctionHeader, *, caps: Capabilities, cursors: dict[int, CursorInfo], limits: Limits,
    new_cursor_id: Callable[[], int], lobs: LobStore,
) -> tuple[ExecuteRequested, ServerCall]:
    """Decode an EXECUTE-family call into its event (after the function header);
    a new cursor is entered in ``cursors`` under an id from ``new_cursor_id``."""
    code = header.code
    if code == FunctionCode.EXECUTE:

        def returning(sql: str | None, cursor_id: int) -> Sequence[int]:
            if sql:
                return parse_statement(sql).returning
            known = cursors.get(cursor_id)
            return known.returning if known else ()

        req = ExecuteRequest.decode_body(
            r, header, field_version=caps.field_version, max_string_size=caps.max_string_size,
            limits=limits, returning=returning,
        )
        cursor_id = req.cursor_id
        cursor = cursors.get(cursor_id) if cursor_id else None
        if cursor is None or (req.sql and req.sql != cursor.sql):
            if not cursor_id:
                cursor_id = new_cursor_id()
            stmt = parse_statement(req.sql) if req.sql else None
            cursor = CursorInfo(
                sql=req.sql if req.sql else (cursor.sql if cursor else None),
                is_query=req.is_query,
                is_plsql=stmt.is_plsql if stmt else req.is_plsql,
            )
            cursors[cursor_id] = cursor
        if req.binds:
            if req.binds != cursor.binds:
                cursor.directions = None
            cursor.binds = req.binds
            cursor.returning = tuple(req.returning)
        if req.defines is not None:
            cursor.defines = tuple(req.defines)
            cursor.encoder = None
        cursor.holding = False
        positions = tuple(i for i in range(len(req.binds)) if i not in set(req.returning))
        rows = tuple(_resolve_lobs(lobs, _widen(row, positions, len(req.binds))) for row in req.rows)
        define_only = bool(req.options & ExecOption.DEFINE) and not req.options & ExecOption.EXECUTE
        # A define's rows start with those held since the describe: they count toward its prefetch.
        event = ExecuteRequested(
            cursor_id=cursor_id,
            sql=cursor.sql,
            options=req.options,
            prefetch_rows=_rows_wanted(req, len(cursor.held), define_only),
            binds=req.binds,
            rows=rows,
            num_execs=req.num_execs,
            is_query=req.is_query or cursor.is_query,
            autocommit=bool(req.options & ExecOption.COMMIT),
            define_only=define_only,
            batch_errors=req.batch_errors,
            dml_row_counts=req.dml_rowcounts,
            request=req,
        )
        return event, ServerCall(function=code, cursor_id=cursor_id, is_query=event.is_query, cursor=cursor)
    if code in (FunctionCode.REEXECUTE, FunctionCode.REEXECUTE_AND_FETCH):
        r_start = r.pos
        cursor_id = r.ub4()
        r.pos = r_start
        cursor = cursors.get(cursor_id)
        if cursor is None:
            # Its binds are unknown, so its values cannot be read: the rest is dropped (read_request).
            raise _Refused(1001, f"re-execute of cursor {cursor_id}, which this session never opened")
        positions = cursor.sent_positions()
        rex = ReexecuteRequest.decode_body(
            r, header, binds=tuple(cursor.binds[i] for i in positions), max_string_size=caps.max_string_size,
            is_plsql=cursor.is_plsql, limits=limits,
        )
        rows = tuple(_resolve_lobs(lobs, _widen(row, positions, len(cursor.binds))) for row in rex.rows)
        is_query = code == FunctionCode.REEXECUTE_AND_FETCH or cursor.is_query
        event = ExecuteRequested(
            cursor_id=cursor_id,
            sql=cursor.sql,
            options=rex.options_1,
            prefetch_rows=rex.num_iters if code == FunctionCode.REEXECUTE_AND_FETCH else 0,
            binds=cursor.binds,
            rows=rows,
            num_execs=rex.num_iters if code == FunctionCode.REEXECUTE else 1,
            is_query=is_query,
            autocommit=bool(rex.options_2 & COMMIT_REEXECUTE),
            reexecute=True,
            request=rex,
        )
        cursor.rows_sent = 0
        cursor.holding = False
        return event, ServerCall(function=code, cursor_id=cursor_id, is_query=is_query, cursor=cursor)
    raise UnexpectedMessageError(f"function {code} is not supported by this server")


def _rows_wanted(req: ExecuteRequest, held: int, define_only: bool) -> int:
    """Rows an EXECUTE asks for: a define's count less the rows held since the
    describe (python-oracledb sends defines without the FETCH option and reads
    rows), otherwise none without the FETCH option (python-oracledb then expects none)."""
    if define_only:
        return max(0, req.prefetch_rows - held)
    return req.prefetch_rows if req.options & ExecOption.FETCH else 0


def _cursor(call: ServerCall | None) -> CursorInfo:
    if call is None or call.cursor is None:
        raise LocalProtocolError("the current call has no cursor (it is not an EXECUTE or FETCH)")
    return call.cursor


def send_describe(call: ServerCall | None, w: Writer, columns: Sequence[ColumnMetadata], field_version: int) -> None:
    """Queue DESCRIBE_INFO and remember the columns for the rows that follow."""
    cursor = _cursor(call)
    cols = tuple(columns)
    DescribeInfo(columns=cols, max_row_size=sum(c.buffer_size for c in cols)).encode(
        w, field_version=field_version
    )
    if cursor.columns != cols:
        # A define belongs to the cursor: it lasts across executes of the same
        # statement (python-oracledb's statement cache relies on it) until the
        # columns change or the client defines again.
        cursor.defines = None
    cursor.described = _as_described(cols, cursor.described)
    cursor.columns = cols
    cursor.encoder = None
    cursor.held = []
    # python-oracledb reads rows with its define's types and sends that define
    # right after a describe with LOB columns, so such rows wait for it.
    cursor.holding = any(t in _LOB_TYPES for t, _ in cursor.described) and cursor.defines is None
    cursor.is_query = True
    cursor.rows_sent = 0
    assert call is not None  # _cursor checked it
    call.is_query = True


def send_rows(call: ServerCall | None, w: Writer, rows: Sequence[Sequence[object]], lobs: LobStore) -> None:
    """Queue ROW_DATA messages, encoded with the cursor's describe (as the client defined it).

    Values of LOB columns may be ``str``/``bytes``: the machine stores them in its
    LobStore and sends locators, or sends the data inline when the client
    defined the column as LONG / LONG RAW.
    """
    cursor = _cursor(call)
    if not cursor.columns:
        raise LocalProtocolError("rows sent before any describe of the cursor")
    if cursor.holding:
        cursor.held.extend(tuple(row) for row in rows)
        return
    if cursor.held:
        held, cursor.held = cursor.held, []
        send_rows(call, w, held, lobs)
    encoder = cursor.encoder
    if encoder is None:
        cursor.wire_columns = tuple(
            replace(c, ora_type=t, csfrm=f) if t in _LONG_TYPES and c.ora_type in _LOB_TYPES else c
            for c, (t, f) in zip(columns_as_defined(cursor.columns, cursor.defines), cursor.described)
        )
        encoder = cursor.encoder = RowEncoder(cursor.wire_columns)
    lob_columns = [i for i, c in enumerate(cursor.wire_columns) if c.ora_type in _LOB_TYPES or c.ora_type in _LONG_TYPES]
    for row in rows:
        if lob_columns:
            row = _lob_values(lobs, cursor.wire_columns, lob_columns, row)
        encoder.encode(w, row)
    cursor.rows_sent += len(rows)


_LOB_TYPES = (OracleType.CLOB, OracleType.BLOB)
_LONG_TYPES = (OracleType.LONG, OracleType.LONG_RAW)
_TEXT_TYPES = (OracleType.CHAR, OracleType.VARCHAR, OracleType.LONG)
_RAW_TYPES = (OracleType.RAW, OracleType.LONG_RAW)


def _as_described(cols: Sequence[ColumnMetadata], before: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Column types as the client takes a describe of a cursor it saw described
    as ``before``: when DDL turned a text (raw) column into a CLOB (BLOB), Oracle
    sends its data as LONG (LONG RAW), as after such a define, and python-oracledb
    reads it so (its ``_adjust_metadata``)."""
    out: list[tuple[int, int]] = []
    for i, c in enumerate(cols):
        prev = before[i] if i < len(before) else None
        if prev is not None and c.ora_type == OracleType.CLOB and prev[0] in _TEXT_TYPES:
            out.append((OracleType.LONG, prev[1]))
        elif prev is not None and c.ora_type == OracleType.BLOB and prev[0] in _RAW_TYPES:
            out.append((OracleType.LONG_RAW, 0))
        else:
            out.append((c.ora_type, c.csfrm))
    return tuple(out)


def _lob_values(
    lobs: LobStore, columns: tuple[ColumnMetadata, ...], indices: list[int], row: Sequence[object]
) -> tuple[object, ...]:
    values = list(row)
    for i in indices:
        value = values[i]
        column = columns[i]
        if value is None:
            continue
        if column.ora_type in _LONG_TYPES:
            if isinstance(value, LobValue):
                values[i] = lobs.content(value)
        elif isinstance(value, (str, bytes, bytearray)):
            values[i] = lobs.create(
                bytes(value) if isinstance(value, bytearray) else value, ora_type=column.ora_type,
                csfrm=column.csfrm,
            )
    return tuple(values)


def _resolve_lobs(lobs: LobStore, row: tuple[object, ...]) -> tuple[object, ...]:
    """Bind values that are locators of LOBs this session stores become their content."""
    if not any(isinstance(v, LobValue) for v in row):
        return row
    out: list[object] = []
    for value in row:
        if isinstance(value, LobValue):
            content = lobs.content(value)
            out.append(value if content is None else content)
        else:
            out.append(value)
    return tuple(out)


def send_out_binds(call: ServerCall | None, w: Writer, directions: Sequence[int], values: Sequence[object], *,
                   more: Sequence[Sequence[object]] = ()) -> None:
    """Queue IO_VECTOR and the OUT / IN OUT values (one per such bind, in bind order),
    then a ROW_DATA per further execution (``more``)."""
    cursor = _cursor(call)
    if len(directions) != len(cursor.binds):
        raise EncodeError(f"{len(directions)} bind directions for {len(cursor.binds)} binds")
    cursor.directions = tuple(directions)
    IoVector(directions=tuple(directions)).encode(w)
    encode_out_binds(w, cursor.binds, values, directions=directions)
    for row in more:
        encode_out_binds(w, cursor.binds, row, directions=directions)


def send_returning(call: ServerCall | None, w: Writer, values: Sequence[Sequence[object]]) -> None:
    """Queue one execution's RETURNING INTO values: a list of values per RETURNING bind."""
    cursor = _cursor(call)
    encode_returning_row(w, tuple(cursor.binds[i] for i in cursor.returning), values)


def end_query(
    w: Writer,
    call: ServerCall,
    lobs: LobStore,
    field_version: int,
    *,
    cursor_id: int,
    row_count: int | None,
    more_rows: bool,
    call_status: int,
    rowid: tuple[int, int, int, int] | None,
    batch_errors: Sequence[BatchError] = (),
    dml_row_counts: Sequence[int] | None = None,
    compile_warning: bool = False,
) -> None:
    """Write the ERROR that ends an EXECUTE or FETCH (1403 when a query is exhausted);
    ``compile_warning`` sets the warning flag Oracle sends after creating a PL/SQL unit with
    compilation errors (0x20, "success with compilation error": docs/protocol-ttc.md 4.5).

    ``dml_row_counts`` go first in a PARAMETER; ``batch_errors`` make the
    ERROR ORA-24381 with the per-row arrays, as Oracle sends them (3.7, 4.5).
    """
    cursor = call.cursor
    if cursor is not None and cursor.held:
        if cursor.holding:
            more_rows = True  # the rows wait for the define (or a FETCH)
        else:
            send_rows(call, w, [], lobs)
    exhausted = call.is_query and not more_rows
    if row_count is None:
        row_count = cursor.rows_sent if (cursor is not None and call.is_query) else 0
    if dml_row_counts is not None:
        ReturnParameters(dml_row_counts=tuple(dml_row_counts)).encode(w)
    number, message = (ErrorNumber.NO_DATA_FOUND, _MSG_1403) if exhausted else (0, None)
    if batch_errors:
        number, message = ErrorNumber.ARRAY_DML_ERRORS, _MSG_24381
    ErrorInfo(
        call_status=call_status,
        cursor_id=cursor_id or call.cursor_id,
        number=number,
        message=message,
        batch_errors=tuple(batch_errors),
        row_count=row_count,
        rowid=rowid,
        sql_type=3 if call.is_query else 0,
        call_number=3,
        current_row=row_count,
        success_iterations=1 if call.is_query else 0,
        warning_flags=COMPILE_WARNING if compile_warning else 0,
    ).encode(w, field_version=field_version)
