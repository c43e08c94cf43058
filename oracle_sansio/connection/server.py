"""ServerConnection: the server role of an Oracle session, without I/O.

Theory of operation.  The machine parses everything a real client sends and
answers what needs no decision itself: PROTOCOL and DATA_TYPES negotiation
(in each client's layout, DBTIMEZONE included), the O5LOGON math (it checks
phase two against the verifier its owner gave and answers ORA-01017 on a
wrong password), changes of password (``PasswordChanged``), get-version,
LOB_OP calls, ORA-03115 for a call or piggyback it does not implement (the
session goes on, ``CallRefused``), and the break/reset marker dance.
Its owner answers the rest: whether to accept a CONNECT (``ConnectRequested``),
which verifier a user has (``LogonRequested``), and how each call ends
(``ExecuteRequested``, ``FetchRequested``, ...) through ``send_describe``,
``send_rows``, ``complete_call`` and ``send_error``.  A response is sent as
DATA packets split at the SDU, with END_OF_RESPONSE when negotiated.
``kill()`` (ALTER SYSTEM KILL SESSION) makes the machine answer the next
call of any kind with ORA-00028 and end the session (``KillDelivered``).

Randomness (server session keys, salts) comes from the ``entropy`` callable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import assert_never

from ..crypto.o5logon import AuthAccepted, ServerChallenge, Verifier, server_challenge, server_check_response
from ..crypto.secret import Secret
from ..error_codes import ora_text
from ..errors import LocalProtocolError, UnexpectedMessageError
from ..limits import DEFAULT_LIMITS, Limits
from ..tns.constants import (
    VERSION_MIN_END_OF_RESPONSE,
    VERSION_MIN_LARGE_SDU,
    VERSION_MIN_OOB_CHECK,
    AcceptFlag,
    DataFlag,
    MarkerType,
    PacketFlag,
)
from ..tns.packets import Accept, Connect, Control, Data, Marker, Packet, Redirect, Refuse, Resend
from ..ttc.capabilities import Capabilities
from ..ttc.constants import CallStatus, ErrorNumber, FunctionCode, MessageType
from ..ttc.messages.auth import AuthParameters, AuthRequest, pairs_dict
from ..ttc.messages.calls import VersionReply
from ..ttc.messages.describe import ColumnMetadata
from ..ttc.messages.fast_auth import FastAuthRequest
from ..ttc.messages.lob import LobOpRequest, encode_lob_data
from ..ttc.messages.function import FunctionHeader
from ..ttc.messages.negotiate import DataTypesRequest, ProtocolRequest, wants_tz_version
from ..ttc.messages.status import BatchError, ErrorInfo, Status
from ..ttc.wire import Reader, Writer
from . import _server_calls as calls
from . import _server_session as session
from . import _server_token as token
from ._base import MachineBase
from ._call import CallMachine
from ._server_config import ServerConfig, encode_version_number
from .lobs import LobStore
from .events import (
    BreakReceived,
    ClientClosed,
    CursorsClosed,
    KillDelivered,
    LobWritten,
    AppContextChanged,
    LoggedOnUser,
    LogonRejected,
    LogonRequested,
    PasswordChanged,
    RequestBoundary,
    ServerEvent,
    SessionAttributesChanged,
)
from .states import SERVER_TRANSITIONS, ServerInput, ServerState

__all__ = ["ServerConnection", "ServerConfig", "encode_version_number"]

_SI = ServerInput
_MSG_1017 = ora_text(1017)
_MSG_1013 = ora_text(1013)
#: "your session has been killed"
_ORA_28 = 28
_MSG_28 = ora_text(_ORA_28)


class ServerConnection(MachineBase[ServerState, ServerInput, ServerEvent]):
    """The server side of one Oracle session (see the module docstring)."""

    def __init__(
        self,
        config: ServerConfig = ServerConfig(),
        *,
        entropy: Callable[[int], bytes],
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        super().__init__(
            initial=ServerState.IDLE, error_state=ServerState.ERROR, table=SERVER_TRANSITIONS, limits=limits
        )
        #: The session's LOBs: rows with LOB columns store their values here and
        #: LOB_OP calls are answered from it by the machine itself.
        self.lobs = LobStore(limits=limits)
        self.config = config
        self._entropy = entropy
        self.caps = Capabilities(field_version=config.field_version)
        self._connect: Connect | None = None
        self._logon: AuthRequest | None = None
        self._challenge: ServerChallenge | None = None
        self._session: tuple[int, int] = (0, 0)
        self._service_name: str | None = None
        self._response = Writer()
        #: The call the owner answers (its answer held after a break) and a
        #: CONNECT whose descriptor follows in the next DATA packet.
        self._calls: CallMachine[calls.ServerCall, Connect] = CallMachine()
        self.cursors: dict[int, calls.CursorInfo] = {}
        self.in_transaction = False
        self._cursor_counter = 0
        self.caps.max_string_size = 32767
        #: PROTOCOL and DATA_TYPES replies owed to a FAST_AUTH, sent with the challenge.
        self._prefix = b""
        #: The logged-on user's verifier and the session's combo key: a change
        #: of password proves the old one with them.
        self._verifier: Verifier | None = None
        self._combo_key: Secret[bytes] | None = None
        self._password_expired = False
        self._proxy_clients: frozenset[str] = frozenset()

    @property
    def call(self) -> calls.ServerCall | None:
        """The call being answered (None between calls)."""
        return self._calls.record

    # ------------------------------------------------------------- events

    def _owner_must_answer(self) -> bool:
        return self._state in (ServerState.CONNECT_RECEIVED, ServerState.LOGON_RECEIVED)

    def _on_eof(self) -> None:
        if self._state != ServerState.CLOSED:
            self._move(_SI.RECV_EOF, local=False)
            self._events.append(ClientClosed())

    # ------------------------------------------------------- connect phase

    def accept(self) -> None:
        """Accept the CONNECT: ACCEPT with the negotiated version, SDU and flags."""
        self._check_usable()
        conn = self._connect
        self._move(_SI.SEND_ACCEPT, local=True)
        assert conn is not None  # guaranteed by the state table
        cfg = self.config
        version = min(conn.version, cfg.version)
        eor = cfg.end_of_response and version >= VERSION_MIN_END_OF_RESPONSE
        sdu = max(512, min(cfg.sdu, conn.sdu or cfg.sdu))
        flags2 = AcceptFlag.HAS_END_OF_RESPONSE if eor else AcceptFlag.NONE
        if cfg.fast_auth and version >= VERSION_MIN_OOB_CHECK:
            flags2 |= AcceptFlag.FAST_AUTH
        self._out += Accept(version=version, sdu=sdu, tdu=sdu, flags2=flags2, uuid=self._entropy(16)).encode()
        caps = self.caps
        caps.protocol_version = version
        caps.end_of_response = eor
        caps.sdu = sdu
        large = version >= VERSION_MIN_LARGE_SDU
        self._reader.large = large
        self._writer.large = large
        self._writer.sdu = sdu

    def resend(self, *, renegotiate_tls: bool = False) -> None:
        """Ask the client to send its CONNECT again (real listeners often do).

        ``renegotiate_tls`` (TCPS only): the RESEND carries the TLS-renegotiation
        flag; once it is sent, the owner drops the current TLS session (without
        closing it) and runs a new server handshake on the same TCP stream before
        feeding more bytes; the CONNECT then arrives over the new session."""
        self._check_usable()
        self._move(_SI.SEND_RESEND, local=True)
        self._connect = None
        self._out += Resend(flags=PacketFlag.TLS_RENEGOTIATE if renegotiate_tls else PacketFlag.NONE).encode()

    def refuse(self, code: int = ErrorNumber.INVALID_SERVICE_NAME, text: str | None = None) -> None:
        """Refuse the CONNECT with a listener error (12514 = unknown service)."""
        self._check_usable()
        self._move(_SI.SEND_REFUSE, local=True)
        body = text or f"(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR={code})(ERROR_STACK=(ERROR=(CODE={code})(EMFI=4))))"
        self._out += Refuse(user_reason=1, data=body.encode()).encode()

    def redirect(self, address: str, connect_data: str | None = None) -> None:
        """Send the client to ``address`` (e.g. ``(ADDRESS=(PROTOCOL=tcp)(HOST=h)(PORT=n))``)."""
        self._check_usable()
        self._move(_SI.SEND_REDIRECT, local=True)
        original = self._connect.connect_data.decode("utf-8", "replace") if self._connect else ""
        data = address + "\x00" + (connect_data if connect_data is not None else original)
        self._out += Redirect(data=data.encode(), flags=PacketFlag.REDIRECT_DATA).encode()

    # --------------------------------------------------------------- logon

    def accept_user(
        self, verifier: Verifier, *, session_id: int, serial_number: int, password_expired: bool = False,
        proxy_clients: Collection[str] = (),
    ) -> None:
        """Answer AUTH phase one with the O5LOGON challenge for ``verifier``.

        ``password_expired``: phase two then succeeds only with a new password
        (python-oracledb ``newpassword=``); without one it fails ORA-28001.
        ``proxy_clients``: the users (upper case) this user may log on as through
        proxy authentication (``user[client]``: PROXY_CLIENT_NAME in phase two);
        any other client name fails ORA-28150.  ``LoggedOnUser.proxy_client``
        then names the session's user.
        """
        self._check_usable()
        self._password_expired = password_expired
        self._proxy_clients = frozenset(proxy_clients)
        self._move(_SI.SEND_CHALLENGE, local=True)
        key_len = 32 if verifier.verifier_type == 0x4815 else 48
        random = self._entropy(key_len + 16)
        challenge = server_challenge(verifier, server_key=random[:key_len], csk_salt=random[key_len:])
        self._challenge = challenge
        self._session = (session_id, serial_number)
        w = self._take_prefix()
        AuthParameters(pairs=session.challenge_pairs(challenge)).encode(w)
        ErrorInfo(call_number=1).encode(w, field_version=self.caps.field_version)
        self._send_response(w)

    def accept_token(self, *, user: str, session_id: int, serial_number: int) -> None:
        """Accept a token logon (``LogonRequested.token``) as ``user``: the session starts."""
        self._check_usable()
        req = token.token_logon(self._logon)
        self._move(_SI.SEND_TOKEN_ACCEPT, local=True)
        w = self._take_prefix()
        fv = self.caps.field_version
        AuthParameters(pairs=token.token_reply_pairs(self.config, fv, session_id, serial_number,
                                                     self._service_name or "")).encode(w)
        ErrorInfo(call_number=2).encode(w, field_version=fv)
        self._send_response(w)
        self._events.append(token.logged_on(user, req))

    def reject_user(self, number: int = ErrorNumber.INVALID_CREDENTIAL, message: str = _MSG_1017) -> None:
        """Refuse the logon (unknown user: 1017; locked account: 28000)."""
        self._check_usable()
        self._move(_SI.SEND_LOGON_REJECT, local=True)
        w = self._take_prefix()
        ErrorInfo(number=number, message=message).encode(w, field_version=self.caps.field_version)
        self._send_response(w)

    # --------------------------------------------------------------- calls

    def send_describe(self, columns: Sequence[ColumnMetadata]) -> None:
        """Queue DESCRIBE_INFO for the current call (see ``column_for``)."""
        self._in_call()
        calls.send_describe(self.call, self._response, columns, self.caps.field_version)

    def send_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Queue rows of the current query, encoded with the cursor's describe.

        Raises:
            EncodeError: a value does not fit its column's type.
        """
        self._in_call()
        calls.send_rows(self.call, self._response, rows, self.lobs)

    def send_out_binds(self, directions: Sequence[int], values: Sequence[object], *,
                       more: Sequence[Sequence[object]] = ()) -> None:
        """Queue the IO_VECTOR (16 OUT, 32 IN, 48 IN OUT per bind) and the OUT values;
        ``more``: the OUT values of each further execution of a PL/SQL executemany,
        one ROW_DATA each after the first (the client counts them as row indices)."""
        self._in_call()
        calls.send_out_binds(self.call, self._response, directions, values, more=more)

    def send_returning(self, values: Sequence[Sequence[object]]) -> None:
        """Queue one execution's RETURNING INTO values (a list per RETURNING bind)."""
        self._in_call()
        calls.send_returning(self.call, self._response, values)

    def complete_call(
        self,
        *,
        cursor_id: int = 0,
        row_count: int | None = None,
        more_rows: bool = True,
        in_transaction: bool | None = None,
        rowid: tuple[int, int, int, int] | None = None,
        batch_errors: Sequence[BatchError] = (),
        dml_row_counts: Sequence[int] | None = None,
        compile_warning: bool = False,
    ) -> None:
        """End the current call successfully: STATUS for COMMIT/ROLLBACK/PING/LOGOFF,
        ERROR 0 (``more_rows``) or 1403 for queries, ERROR 0 with ``row_count``
        for DML.  A query's row count defaults to the rows sent so far.
        ``batch_errors`` (ORA-24381) and ``dml_row_counts`` answer executemany's options;
        ``compile_warning``: a PL/SQL unit was created with compilation errors (docs/protocol-ttc.md 8.4)."""
        self._in_call()
        if in_transaction is not None:
            self.in_transaction = in_transaction
        status = CallStatus.TXN_IN_PROGRESS if self.in_transaction else CallStatus.NONE
        call = self.call
        w = self._response
        if call is None or call.simple:
            Status(call_status=status).encode(w)
        else:
            calls.end_query(w, call, self.lobs, self.caps.field_version, cursor_id=cursor_id, row_count=row_count, more_rows=more_rows,
                            call_status=status, rowid=rowid, batch_errors=batch_errors,
                            dml_row_counts=dml_row_counts, compile_warning=compile_warning)
        self._end_call(logoff=call is not None and call.function == FunctionCode.LOGOFF)

    def send_error(
        self,
        number: int,
        message: str,
        *,
        cursor_id: int = 0,
        position: int = 0,
        row_count: int = 0,
        in_transaction: bool | None = None,
    ) -> None:
        """End the current call with ORA-``number`` (``message`` is the full text)."""
        self._in_call()
        if in_transaction is not None:
            self.in_transaction = in_transaction
        status = CallStatus.TXN_IN_PROGRESS if self.in_transaction else CallStatus.NONE
        ErrorInfo(
            call_status=status, number=number, message=message, cursor_id=cursor_id, position=position,
            row_count=row_count, call_number=3,
        ).encode(self._response, field_version=self.caps.field_version)
        self._end_call(logoff=False)

    def abort_call(self, number: int, message: str, *, cursor_id: int = 0) -> None:
        """End the current call with an error found while streaming its answer:
        what was queued is dropped, a BREAK marker is sent, and the error follows
        the reset the client then performs (a server-side break)."""
        self._in_call()
        self._move(_SI.SEND_ABORT, local=True)
        self._response = Writer()
        self._out += self._writer.marker(MarkerType.BREAK)
        w = Writer()
        status = CallStatus.TXN_IN_PROGRESS if self.in_transaction else CallStatus.NONE
        ErrorInfo(call_status=status, number=number, message=message, cursor_id=cursor_id, call_number=3).encode(
            w, field_version=self.caps.field_version
        )
        self._calls.hold(w.getvalue())

    def kill(self) -> bool:
        """Kill the session, as ALTER SYSTEM KILL SESSION (without IMMEDIATE) does.

        A call the owner is answering is answered ORA-00028 now (what was
        queued for it is dropped) and the session is over: returns True, send
        ``data_to_send()`` and close.  Otherwise returns False: the machine
        answers the client's next call of any kind (execute, fetch, commit,
        LOB_OP, change of password, get-version, ping, LOGOFF too), or the
        reset of its next break, with ORA-00028 itself, carries none of it
        out, and reports ``KillDelivered``.  Killing again, or a session
        already over, changes nothing.
        """
        self._check_usable()
        before = self._state
        self._move(_SI.SEND_KILL, local=True)
        self._response = Writer()
        if before == ServerState.IN_CALL:
            self._calls.end()
            self._send_killed()
            return True
        if before == ServerState.BREAK:
            # The answer the call owes, or holds for the client's RESET, becomes ORA-00028.
            if self._calls.is_held:
                self._calls.release()
            elif self._calls.is_open:
                self._calls.end()
        return False

    # ------------------------------------------------------------ internals

    def _take_prefix(self) -> Writer:
        """A writer holding the PROTOCOL and DATA_TYPES replies owed to a FAST_AUTH."""
        w = Writer()
        w.raw(self._prefix)
        self._prefix = b""
        return w

    def _new_cursor_id(self) -> int:
        # Ids are ub2 on the wire (ERROR field 7); reuse freed ones before wrapping.
        for _ in range(0xFFFF):
            self._cursor_counter = self._cursor_counter % 0xFFFF + 1
            if self._cursor_counter not in self.cursors:
                return self._cursor_counter
        raise LocalProtocolError("no free cursor id: 65535 cursors are open")

    def _in_call(self) -> None:
        self._check_usable()
        if not self._calls.is_open:
            exc = LocalProtocolError(f"no call to answer in state {self._state.name}")
            self._fail(exc)
            raise exc

    def _end_call(self, *, logoff: bool) -> None:
        w = self._response
        self._response = Writer()
        if self._state == ServerState.BREAK:
            self._move(_SI.SEND_CALL_END, local=True)
            self._calls.hold(w.getvalue())
            return
        self._calls.end()
        self._move(_SI.SEND_LOGOFF_END if logoff else _SI.SEND_CALL_END, local=True)
        self._send_response(w)

    def _send_response(self, w: Writer | bytes) -> None:
        payload = w if isinstance(w, bytes) else w.getvalue()
        if self.caps.end_of_response:
            self._send_data(payload + bytes((MessageType.END_OF_RESPONSE,)), last_flags=DataFlag.END_OF_RESPONSE)
        else:
            self._send_data(payload)

    def _on_packet(self, packet: Packet) -> None:
        state = self._state
        if state == ServerState.IDLE or (state == ServerState.CONNECT_RECEIVED and self._connect is None):
            self._on_connect(packet)
            return
        match packet:
            case Data():
                if packet.data_flags & DataFlag.EOF:
                    self._move(_SI.RECV_EOF, local=False)
                    self._events.append(ClientClosed())
                    return
                if state in (ServerState.BREAK, ServerState.KILLED_BREAK):
                    return
                self._append_ttc(packet.payload)
                self._parse_ttc(self._parse_one)
            case Marker():
                self._on_marker(packet)
            case Control():
                return
            case Connect() | Accept() | Refuse() | Redirect() | Resend():
                raise UnexpectedMessageError(f"{type(packet).__name__.upper()} packet received in state {state.name}")
            case _:
                assert_never(packet)

    def _on_connect(self, packet: Packet) -> None:
        if self._calls.data_pending:
            if not isinstance(packet, Data):
                raise UnexpectedMessageError("expected the DATA packet holding the connect data")
            conn = self._calls.take_pending().with_connect_data(packet.payload)
        elif isinstance(packet, Connect):
            if packet.data_follows:
                self._calls.expect_data(packet)
                return
            conn = packet
        else:
            raise UnexpectedMessageError(f"expected CONNECT, got {type(packet).__name__.upper()}")
        self._move(_SI.RECV_CONNECT, local=False)
        self._connect = conn
        event = session.connect_requested(conn)
        self._service_name = event.service_name
        self._events.append(event)

    def _on_marker(self, marker: Marker) -> None:
        if self._state in (ServerState.NEGOTIATING, ServerState.AUTH_ONE):
            return  # the OOB check's RESET marker: swallow it (docs/protocol-connect.md 4.4)
        if self._state == ServerState.CLOSED:
            # A client's break (a call_timeout) can cross the kill's ORA-00028 on
            # the wire: the session is over and nothing is left to interrupt.
            return
        in_break = self._state in (ServerState.BREAK, ServerState.KILLED_BREAK)
        if marker.marker == MarkerType.RESET:
            if not in_break:
                return
            self._out += self._writer.marker(MarkerType.RESET)
            if self._state == ServerState.KILLED_BREAK:
                self._move(_SI.RECV_KILLED_CALL, local=False)
                self._deliver_kill(None)
            elif self._calls.is_held:
                held = self._calls.release()
                self._move(_SI.RECV_RESET_CALL_DONE, local=False)
                self._send_response(held)
            elif self._calls.is_open:
                self._move(_SI.RECV_RESET_CALL_PENDING, local=False)
            else:
                self._move(_SI.RECV_RESET_CALL_DONE, local=False)
                w = Writer()
                ErrorInfo(number=ErrorNumber.USER_CANCEL, message=_MSG_1013).encode(
                    w, field_version=self.caps.field_version
                )
                self._send_response(w)
            return
        if in_break:
            return
        killed = self._state == ServerState.KILLED
        self._move(_SI.RECV_BREAK, local=False)
        self._discard_ttc()
        self._out += self._writer.marker(MarkerType.BREAK)
        if not killed:  # a killed session has no call of the owner's to interrupt
            self._events.append(BreakReceived())

    def _parse_one(self, r: Reader) -> bool:
        state = self._state
        if state == ServerState.NEGOTIATING:
            first = r.peek_ub1()
            if first == MessageType.PROTOCOL:
                ProtocolRequest.decode(r)
                self._move(_SI.RECV_NEGOTIATION, local=False)
                w = Writer()
                session.protocol_reply(self.config, self.caps.end_of_response).encode(w)
                self._send_data(w.getvalue())
                return False
            if first == MessageType.FAST_AUTH:
                r.ub1()
                fast = FastAuthRequest.decode_body(r, limits=self._limits)
                self.caps.adjust_for_client_compile_caps(fast.data_types.compile_caps)
                w = Writer()
                session.protocol_reply(self.config, self.caps.end_of_response).encode(w)
                session.data_types_reply(self.config, fast.data_types).encode(w)
                self._prefix = w.getvalue()
                self._move(_SI.RECV_FAST_AUTH, local=False)
                self._on_logon(fast.auth)
                return True
            if first == MessageType.DATA_TYPES:
                ours = session.compile_caps(self.config, self.caps.end_of_response)
                types = DataTypesRequest.decode(r, server_tz_version=wants_tz_version(ours), list_may_be_absent=True)
                self.caps.adjust_for_client_compile_caps(types.compile_caps)
                w = Writer()
                session.data_types_reply(self.config, types).encode(w)
                self._send_data(w.getvalue())
                self._move(_SI.RECV_NEGOTIATION_DONE, local=False)
                return False
        if state == ServerState.AUTH_ONE:
            header = FunctionHeader.decode(r, has_token=self.caps.has_token)
            req = AuthRequest.decode_body(r, header, limits=self._limits)
            if req.phase_two and not any(pair[0] == "AUTH_TOKEN" for pair in req.pairs):
                raise UnexpectedMessageError("AUTH phase two received before phase one")
            self._move(_SI.RECV_AUTH_ONE, local=False)
            self._on_logon(req)
            return True
        if state == ServerState.AUTH_TWO:
            header = FunctionHeader.decode(r, has_token=self.caps.has_token)
            two = AuthRequest.decode_body(r, header, limits=self._limits)
            if not two.phase_two:
                raise UnexpectedMessageError("AUTH phase one received twice")
            self._check_phase_two(two)
            return True
        if state in (ServerState.READY, ServerState.KILLED):
            return self._parse_call(r)
        raise UnexpectedMessageError(f"TTC data received in state {state.name}")

    def _answer_lob_op(self, request: LobOpRequest) -> None:
        """LOB_OP calls are answered by the machine from its LobStore."""
        answer = self.lobs.handle(request)
        fv = self.caps.field_version

        def write(w: Writer) -> None:
            if answer.error is not None:
                self._error_info(answer.error.number, answer.error.message).encode(w, field_version=fv)
                return
            if answer.data is not None:
                encode_lob_data(w, answer.data)
            if answer.result is not None:
                answer.result.encode(w, request)
            self._error_info().encode(w, field_version=fv)

        self._answer_now(write)
        if answer.changed is not None:
            self._events.append(LobWritten(lob=answer.changed))

    def _on_logon(self, req: AuthRequest) -> None:
        self._logon = req
        self._events.append(token.logon_requested(req))

    def _check_phase_two(self, req: AuthRequest) -> None:
        challenge = self._challenge
        assert challenge is not None  # set in accept_user
        self._challenge = None
        p = pairs_dict(req.pairs)
        result = server_check_response(
            challenge,
            sesskey_hex=p.get("AUTH_SESSKEY", ""),
            password_hex=p.get("AUTH_PASSWORD", ""),
            speedy_key_hex=p.get("AUTH_PBKDF2_SPEEDY_KEY"),
            response_salt=self._entropy(16),
        )
        user = self._logon.user if self._logon else req.user
        w = Writer()
        fv = self.caps.field_version
        reason, changed = session.judge_phase_two(result, challenge.verifier, p.get("AUTH_NEWPASSWORD"),
                                                  self._password_expired, self._entropy)
        proxy = p.get("PROXY_CLIENT_NAME")
        if reason is None and proxy is not None and proxy.upper() not in self._proxy_clients:
            reason = "PROXY_NOT_AUTHORIZED"
        reason = reason or token.app_context_reason(req)
        if reason is not None:
            self._move(_SI.RECV_AUTH_TWO_BAD, local=False)
            number, text = token.logon_refusal(reason)
            ErrorInfo(number=number, message=text).encode(w, field_version=fv)
            self._send_response(w)
            self._events.append(LogonRejected(user=user, reason=reason))
            return
        assert isinstance(result, AuthAccepted)
        self._verifier = changed or challenge.verifier
        self._combo_key = result.combo_key
        if changed is not None:
            self._events.append(PasswordChanged(user=user, verifier=changed))
        session_id, serial = self._session
        pairs = session.logon_pairs(self.config, fv, session_id, serial, self._service_name or "",
                                    result.svr_response_hex)
        AuthParameters(pairs=pairs).encode(w)
        ErrorInfo(call_number=2).encode(w, field_version=fv)
        self._move(_SI.RECV_AUTH_TWO_OK, local=False)
        self._send_response(w)
        self._events.append(token.logged_on(user, req, proxied=True))

    def _parse_call(self, r: Reader) -> bool:
        """One whole request, read in full before anything of it is acted on."""
        req = calls.read_request(r, caps=self.caps, cursors=self.cursors, limits=self._limits,
                                 new_cursor_id=self._new_cursor_id, lobs=self.lobs)
        if self._state == ServerState.KILLED:
            # Whatever the call (LOGOFF, AUTH and LOB_OP included), and its
            # piggybacks, nothing is carried out or reported: ORA-00028 only.
            self._move(_SI.RECV_KILLED_CALL, local=False)
            self._deliver_kill(req.function)
            return True
        pb = req.piggybacks
        for piggyback in pb.freed:
            self.lobs.handle(piggyback)
        for cursor_id in pb.closed:
            self.cursors.pop(cursor_id, None)
        self._move(_SI.RECV_CALL if req.released is None else _SI.RECV_ONEWAY, local=False)
        if pb.closed:
            self._events.append(CursorsClosed(cursor_ids=tuple(pb.closed)))
        if pb.attributes:
            self._events.append(SessionAttributesChanged(values=tuple(pb.attributes)))
        self._events.extend(AppContextChanged(namespace=c.namespace, values=c.values, cleared=c.cleared)
                            for c in pb.contexts)
        for st in pb.states:
            self._events.append(RequestBoundary(begin=st.request_begin, end=st.request_end, state=st.state))
        if req.released is not None:
            self._events.append(req.released)  # one-way: no answer, still READY
        elif req.lob is not None:
            self._answer_lob_op(req.lob)
        elif req.refused is not None:
            refused = req.refused
            self._answer_now(lambda w: self._error_info(refused.error_number, calls.refusal_text(refused)).encode(
                w, field_version=self.caps.field_version))
            self._events.append(req.refused)
        elif req.version:
            self._answer_now(self._version_answer)
        elif req.change_password is not None:
            self._answer_now(self._change_password(req.change_password))
        else:
            assert req.event is not None and req.call is not None  # read_request sets one of the above
            if req.call.cursor is not None and req.function == FunctionCode.FETCH:
                req.call.cursor.holding = False
            self._calls.start(req.call)
            self._events.append(req.event)
        return True

    def _deliver_kill(self, function: int | None) -> None:
        """Answer a killed session's call (or a break's reset) with ORA-00028,
        and tell the owner: the session is over."""
        self._send_killed()
        self._events.append(KillDelivered(function=function))

    def _send_killed(self) -> None:
        # Oracle rolls back a killed session's transaction.
        self.in_transaction = False
        w = Writer()
        self._error_info(_ORA_28, _MSG_28).encode(w, field_version=self.caps.field_version)
        self._send_response(w)

    def _version_answer(self, w: Writer) -> None:
        # The major release alone, as 19c answers 19.0.0.0.0.
        VersionReply(banner=self.config.version_banner, number=(self.config.db_version[0] & 0xFF) << 24).encode(w)
        self._error_info().encode(w, field_version=self.caps.field_version)

    def _error_info(self, number: int = 0, message: str | None = None) -> ErrorInfo:
        status = CallStatus.TXN_IN_PROGRESS if self.in_transaction else CallStatus.NONE
        return ErrorInfo(call_status=status, number=number, message=message)

    def _answer_now(self, write: Callable[[Writer], object]) -> None:
        """End a call the machine answers itself; ``write`` queues the whole
        reply, its end-of-call ERROR message included."""
        write(self._response)
        self._calls.start(None)
        self._end_call(logoff=False)

    def _change_password(self, req: AuthRequest) -> Callable[[Writer], object]:
        """An in-session change of password (see ``session.change_password``)."""
        fv = self.caps.field_version
        logged = self._logon.user if self._logon else ""
        error, changed = session.change_password(req, logged, self._verifier, self._combo_key, self._entropy)
        if error is not None:
            return lambda w: self._error_info(*error).encode(w, field_version=fv)
        assert changed is not None
        self._verifier = changed
        self._events.append(PasswordChanged(user=logged, verifier=changed))

        def write(w: Writer) -> None:
            AuthParameters(pairs=()).encode(w)
            self._error_info().encode(w, field_version=fv)

        return write
