"""Events the connection machines report (past tense, h2 style), for both roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Final, TypeAlias

from ..crypto.o5logon import Verifier
from ..error_codes import SESSION_DEAD_ORA
from ..crypto.secret import Secret
from ..ttc.messages.binds import BindMetadata
from ..ttc.messages.describe import ColumnMetadata
from ..ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from ..ttc.messages.lob import LobOpResult
from ..ttc.messages.status import BatchError, ErrorInfo, Warning_
from .lobs import StoredLob

__all__ = [
    "NeedData",
    "NEED_DATA",
    # client
    "Accepted",
    "Redirected",
    "Refused",
    "Negotiated",
    "SessionInfo",
    "LoggedOn",
    "Described",
    "RowsReceived",
    "OutBindsReceived",
    "CallCompleted",
    "LobOpCompleted",
    "ServerErrorReceived",
    "WarningReceived",
    "ResetCompleted",
    "VersionReceived",
    "ConnectionClosed",
    "ClientEvent",
    "TlsRenegotiationRequested",
    "STEP_ENDING_EVENTS",
    "ends_step",
    # server
    "ConnectRequested",
    "LogonRequested",
    "LoggedOnUser",
    "LogonRejected",
    "ExecuteRequested",
    "FetchRequested",
    "CommitRequested",
    "RollbackRequested",
    "PingRequested",
    "LogoffRequested",
    "CursorsClosed",
    "SessionAttributesChanged",
    "AppContextChanged",
    "RequestBoundary",
    "LobWritten",
    "PasswordChanged",
    "CallRefused",
    "SessionReleased",
    "KillDelivered",
    "BreakReceived",
    "ClientClosed",
    "ServerEvent",
]


class NeedData(Enum):
    """Sentinel type of :data:`NEED_DATA`."""

    NEED_DATA = "NEED_DATA"


#: Returned by ``next_event()`` when no event can be produced without more bytes.
NEED_DATA: Final = NeedData.NEED_DATA


# ------------------------------------------------------------------ client role


@dataclass(frozen=True, slots=True, kw_only=True)
class Accepted:
    """The listener accepted the connection."""

    version: int
    sdu: int
    tdu: int
    end_of_response: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Redirected:
    """The listener named another address; reconnect there with ``connect_data``."""

    address: str
    connect_data: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsRenegotiationRequested:
    """A TCPS listener answered CONNECT with RESEND and the TLS-renegotiation flag:
    run a new TLS handshake on the same TCP stream (drop the current TLS session
    without closing it), then call ``tls_renegotiated()``, which sends CONNECT again."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Refused:
    """The listener refused the connection (e.g. ORA-12514 unknown service)."""

    code: int | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Negotiated:
    """PROTOCOL and DATA_TYPES exchanges are done."""

    server_banner: str
    charset_id: int
    ncharset_id: int
    field_version: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInfo:
    """Facts about the session from the logon reply."""

    session_id: int
    serial_number: int
    version: tuple[int, ...]
    service_name: str | None = None
    instance_name: str | None = None
    db_name: str | None = None
    max_open_cursors: int = 0
    max_identifier_length: int = 30
    parameters: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def version_string(self) -> str:
        """``conn.version`` as python-oracledb reports it (e.g. ``23.5.0.24.7``)."""
        return ".".join(str(part) for part in self.version)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedOn:
    """O5LOGON succeeded and the server proved it knows the password."""

    session: SessionInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class Described:
    """Column metadata of a query (``columns`` are ``ColumnMetadata``)."""

    cursor_id: int
    columns: tuple[ColumnMetadata, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowsReceived:
    """One or more rows of the current query."""

    cursor_id: int
    rows: list[tuple[object, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class OutBindsReceived:
    """Values of OUT / IN OUT binds (PL/SQL) or RETURNING INTO binds (one list per row)."""

    values: tuple[object, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CallCompleted:
    """The call ended without an error (a query may have more rows)."""

    cursor_id: int = 0
    row_count: int = 0
    more_rows: bool = False
    last_rowid: str | None = None
    in_transaction: bool = False
    info: ErrorInfo | None = field(default=None, repr=False)
    #: executemany(batcherrors=True): the rows that failed (ORA-24381 is not an error).
    batch_errors: tuple[BatchError, ...] = ()
    #: executemany(arraydmlrowcounts=True): rows affected per execution; None if not requested.
    dml_row_counts: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerErrorReceived:
    """The call ended with an ORA error; the session stays usable unless the
    error is one that ends it (the driver decides from the code)."""

    info: ErrorInfo

    @property
    def code(self) -> int:
        """The ORA number."""
        return self.info.number

    @property
    def message(self) -> str:
        """The server's message text."""
        return self.info.message or ""

    @property
    def ends_session(self) -> bool:
        """The error is one after which the session is gone (ORA-00028, ORA-03113, ...:
        ``oracle_sansio.error_codes.SESSION_DEAD_ORA``; python-oracledb reports them as
        DPY-4011): close the socket."""
        return self.info.number in SESSION_DEAD_ORA


@dataclass(frozen=True, slots=True, kw_only=True)
class LobOpCompleted:
    """A LOB_OP call ended: ``data`` holds what READ returned (raw bytes in the
    LOB's encoding), ``result`` the locator, amount and flag the server sent."""

    result: LobOpResult
    data: bytes | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningReceived:
    """A warning attached to the current call."""

    warning: Warning_


@dataclass(frozen=True, slots=True, kw_only=True)
class ResetCompleted:
    """A break/reset exchange finished; the call's final event follows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionReceived:
    """The answer to ``get_version()``: the server's banner and release number."""

    banner: str
    number: int
    version: tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectionClosed:
    """The peer closed the connection (or logoff completed)."""

    error_number: int | None = None


ClientEvent: TypeAlias = (
    Accepted
    | Redirected
    | TlsRenegotiationRequested
    | Refused
    | Negotiated
    | LoggedOn
    | Described
    | RowsReceived
    | OutBindsReceived
    | CallCompleted
    | LobOpCompleted
    | ServerErrorReceived
    | WarningReceived
    | ResetCompleted
    | VersionReceived
    | ConnectionClosed
)

#: The client events after which the machine waits for the driver's next command: the end
#: of the connect and logon (``LoggedOn``, ``Refused``, ``Redirected``, or
#: ``TlsRenegotiationRequested`` until ``tls_renegotiated()``), of a call
#: (``CallCompleted``, ``ServerErrorReceived``, ``LobOpCompleted``, ``VersionReceived``),
#: or of the session (``ConnectionClosed``).  Every other event comes before one of these within the same step.
#: Event classes are final, so a driver may test ``type(event) in STEP_ENDING_EVENTS``.
STEP_ENDING_EVENTS: Final[frozenset[type]] = frozenset((
    LoggedOn, Refused, Redirected, TlsRenegotiationRequested,
    CallCompleted, ServerErrorReceived, LobOpCompleted, VersionReceived, ConnectionClosed,
))


def ends_step(event: object) -> bool:
    """True when ``event`` ends the current step (see :data:`STEP_ENDING_EVENTS`)."""
    return type(event) in STEP_ENDING_EVENTS

# ------------------------------------------------------------------ server role


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectRequested:
    """A client sent CONNECT; answer with ``accept()``, ``refuse()`` or ``redirect()``."""

    connect_data: str
    version: int
    service_name: str | None
    sid: str | None
    instance_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonRequested:
    """AUTH phase one: answer with ``accept_user(verifier)`` or ``reject_user()``."""

    user: str
    mode: int
    program: str = ""
    machine: str = ""
    terminal: str = ""
    pid: str = ""
    osuser: str = ""
    parameters: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    #: A token logon (AUTH_TOKEN, no phase one): answer with ``accept_token()`` or
    #: ``reject_user()``.  An IAM token's AUTH_HEADER and AUTH_SIGNATURE are in ``parameters``.
    token: Secret[str] | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedOnUser:
    """AUTH phase two proved the password; the session is established."""

    user: str
    driver_name: str = ""
    alter_session: str | None = None
    connect_string: str | None = None
    #: A proxy logon (``user[client]``): the client user the session runs as (``user`` authenticated).
    proxy_client: str | None = None
    parameters: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    #: The logon's application context: (namespace, attribute, value) in the order sent
    #: (python-oracledb ``appcontext=``); the owner decides which namespaces a client may set.
    app_context: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonRejected:
    """The machine answered ORA-01017 (wrong password) itself."""

    user: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecuteRequested:
    """EXECUTE (or a re-execute of a cursor); answer with describe/rows/complete_call."""

    cursor_id: int
    sql: str | None
    options: int
    #: Rows to send now (for a define-only call: beyond those the machine already holds).
    prefetch_rows: int
    binds: tuple[BindMetadata, ...]
    rows: tuple[tuple[object, ...], ...]
    num_execs: int = 1
    is_query: bool = False
    autocommit: bool = False
    reexecute: bool = False
    #: A define-only call (python-oracledb re-sends one after a describe with LOB
    #: columns): answer it with the first rows, as for a FETCH.
    define_only: bool = False
    #: Run every row and report the failing ones (answer with ``complete_call(batch_errors=...)``).
    batch_errors: bool = False
    #: The client wants each row's count (answer with ``complete_call(dml_row_counts=...)``).
    dml_row_counts: bool = False
    #: The decoded request, for a server that needs more than the fields above.  Typed (not
    #: ``object``): mypyc's dataclass support cannot build an ``object`` field with a default.
    request: ExecuteRequest | ReexecuteRequest | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchRequested:
    """FETCH more rows of a cursor."""

    cursor_id: int
    #: Rows to send (beyond those held since a LOB describe, which go first).
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitRequested:
    """COMMIT."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RollbackRequested:
    """ROLLBACK."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PingRequested:
    """PING."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LogoffRequested:
    """LOGOFF; the machine answers it after the owner calls ``complete_call()``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionReleased:
    """DRCP: the client released its session to the broker (SESSION_RELEASE, a
    one-way call: nothing is answered).  ``deauthenticate``: a standalone
    connection closing (its session ends); else a pooled connection's release
    (the session may serve this connection class again)."""

    mode: int
    deauthenticate: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CursorsClosed:
    """The client piggybacked CLOSE_CURSORS before its next call."""

    cursor_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionAttributesChanged:
    """The client changed module, action, client_identifier, client_info, dbop or
    current_schema (piggybacked before its next call); None clears a value."""

    values: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AppContextChanged:
    """The client set values of an application context namespace, or cleared all of
    them (python-oracledb ``set_app_context`` / ``clear_app_context``, piggybacked
    before its next call).  Names come as sent: Oracle compares them case-insensitively.
    The owner decides whether the client may set the namespace (Oracle answers
    ORA-28267 for one it may not)."""

    namespace: str
    #: (attribute, value) pairs set; empty when ``cleared``.
    values: tuple[tuple[str, str], ...] = ()
    cleared: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBoundary:
    """The client marked where a request begins or ends (23ai explicit request
    boundaries, ``ServerConfig.request_boundaries``; piggybacked before its next
    call): python-oracledb's pools begin one at acquire and end it at release."""

    begin: bool
    end: bool
    #: The raw SESSION_STATE bits (0x04 begin, 0x08 end, 0x40 explicit boundary).
    state: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakReceived:
    """The client interrupted the current call; finish it (the machine handles the reset)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LobWritten:
    """A LOB_OP changed a LOB's content (WRITE, TRIM); persist it if it belongs to a row.

    The machine answered the call itself from its ``LobStore``.
    """

    lob: StoredLob


@dataclass(frozen=True, slots=True, kw_only=True)
class PasswordChanged:
    """The user proved the old password and set a new one, at logon
    (``newpassword``) or in session (change password); store ``verifier``.

    The machine checked the old password and answered the client itself.
    """

    user: str
    verifier: Verifier


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRefused:
    """The client called a function (or sent a piggyback) this server does not
    implement; the machine answered ``error_number`` and the session goes on."""

    function: int
    piggyback: bool
    error_number: int
    #: What was refused when the function itself is known (a bind of a type
    #: this server does not handle); empty for an unknown function or piggyback.
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class KillDelivered:
    """A call of a session the owner killed (``ServerConnection.kill``) arrived:
    the machine answered it with ORA-00028 itself, and nothing of the call was
    carried out or reported.  The session is over (state ``CLOSED``): send what
    is queued, then close the socket.

    ``function`` is the call's function code (LOGOFF included), or None when
    the answer followed the reset of a client break.
    """

    function: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientClosed:
    """The client sent its final EOF packet or closed the socket."""


ServerEvent: TypeAlias = (
    ConnectRequested
    | LogonRequested
    | LoggedOnUser
    | LogonRejected
    | ExecuteRequested
    | FetchRequested
    | CommitRequested
    | RollbackRequested
    | PingRequested
    | LogoffRequested
    | SessionReleased
    | CursorsClosed
    | SessionAttributesChanged
    | AppContextChanged
    | RequestBoundary
    | LobWritten
    | PasswordChanged
    | CallRefused
    | KillDelivered
    | BreakReceived
    | ClientClosed
)
