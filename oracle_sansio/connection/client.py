"""ClientConnection: the client role of an Oracle session, without I/O.

Theory of operation.  ``start()`` queues CONNECT.  Bytes from the socket go
to ``receive_data``; ``next_event`` turns them into packets and TTC messages
and returns events; ``data_to_send`` drains what must go out.  After ACCEPT
the machine drives the handshake on its own (PROTOCOL, DATA_TYPES, AUTH phase
one, AUTH phase two), reporting ``Accepted``, ``Negotiated`` and ``LoggedOn``;
then it is ``READY`` and the owner issues calls one at a time.  A call's
response spans DATA packets and holds many TTC messages; it ends with exactly
one ``CallCompleted`` or ``ServerErrorReceived`` (after END_OF_RESPONSE when
that was negotiated, else at the ERROR or STATUS message).

Randomness (session keys, salts) comes from the ``entropy`` callable the
owner passes in; nothing here reads a clock or a socket.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import assert_never

from ..crypto.aes import AES
from ..crypto.secret import Secret
from ..dsn import build_descriptor
from ..errors import LocalProtocolError
from ..errors import UnexpectedMessageError
from ..limits import DEFAULT_LIMITS, Limits
from ..params import ClientParams
from ..tns.constants import (
    DataFlag,
    MarkerType,
    PacketFlag,
)
from ..tns.packets import Accept, Connect, Control, Data, Marker, Packet, Redirect, Refuse, Resend
from ..ttc.capabilities import Capabilities
from ..ttc.constants import ErrorNumber, FunctionCode, MessageType
from ..ttc.messages.auth import AuthParameters, AuthRequest
from ..ttc.messages.calls import FetchRequest
from ..ttc.messages.calls import SessionRelease, SimpleCall, VersionReply, VersionRequest
from ..ttc.messages.describe import ColumnMetadata
from ..ttc.messages.execute import ReexecuteRequest
from ..ttc.messages.fast_auth import FastAuthRequest
from ..ttc.messages.lob import LobOpRequest
from ..ttc.messages.function import next_sequence
from ..ttc.messages.negotiate import DataTypesResponse, ProtocolRequest, ProtocolResponse, reply_layout
from ..ttc.messages.rows import DecoderChoice
from ..ttc.messages.status import ErrorInfo, ServerPiggyback, Status, Warning_
from ..ttc.wire import Reader, Writer
from . import _client_calls as calls
from ._call import CallMachine
from ._client_calls import CallKind, ClientCall
from . import _client_logon as logon
from ._client_piggyback import Piggybacks
from ._client_reuse import ErrorMemo, reexecute_packet
from ._base import MachineBase
from .events import (
    Accepted,
    CallCompleted,
    ClientEvent,
    ConnectionClosed,
    LoggedOn,
    Negotiated,
    Redirected,
    Refused,
    ResetCompleted,
    ServerErrorReceived,
    SessionInfo,
    TlsRenegotiationRequested,
    WarningReceived,
)
from .states import CLIENT_TRANSITIONS, ClientInput, ClientState

__all__ = ["ClientConnection", "Entropy"]

#: A source of random bytes (``os.urandom`` in drivers, fixed bytes in tests).
Entropy = Callable[[int], bytes]

_CI = ClientInput
_ROW_DATA = int(MessageType.ROW_DATA)


class ClientConnection(MachineBase[ClientState, ClientInput, ClientEvent]):
    """The client side of one Oracle session (see the module docstring)."""

    def __init__(self, params: ClientParams, *, entropy: Entropy, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(
            initial=ClientState.IDLE, error_state=ClientState.ERROR, table=CLIENT_TRANSITIONS, limits=limits
        )
        self._params = params
        #: The session is a DRCP pooled server's (``(SERVER=POOLED)``): released, not logged off.
        self.drcp: bool = (params.target.server_type or "").lower() == "pooled"
        self._entropy = entropy
        self.caps = Capabilities(sdu=params.sdu)
        self._seq = 0
        self._connect_bytes = b""
        #: The call in flight, its break and reset, and a REFUSE or REDIRECT whose text follows.
        self._calls: CallMachine[ClientCall, Refuse | Redirect] = CallMachine()
        #: Free LOBs, attributes, schema, cursors to close: they ride before the next call.
        self._piggybacks = Piggybacks()
        self._combo_key: Secret[bytes] | None = None
        self.session: SessionInfo | None = None
        #: What the machine knows of each open cursor (describe, binds).
        self.cursors: dict[int, calls.CursorMeta] = {}
        self.in_transaction = False
        #: The logical transaction id the server last pushed (b"" until then).
        self.ltxid = b""
        #: Rows the last EXECUTE reported, kept when it failed (executemany stops at a failing row).
        self.last_row_count = 0
        self.password_key: Secret[bytes] | None = params.password_key
        #: Which challenge ``password_key`` answers (pass both back via ClientParams to reuse it).
        self.password_key_salt: str | None = params.password_key_salt
        #: ``password_key``'s expanded AES key for that challenge (pass it back too).
        self.password_key_cipher: AES | None = params.password_key_cipher
        self._combo_cipher: AES | None = None
        self._resends = 0
        self._banner = ""
        self._error_memo = ErrorMemo()
        #: A call whose reply outran its break: it ends once the server has answered the break.
        self._outran: ClientCall | None = None

    # ------------------------------------------------------------ commands

    def start(self) -> None:
        """Queue the CONNECT packet (and its separate DATA packet when long)."""
        self._check_usable()
        self._move(_CI.SEND_CONNECT, local=True)
        p = self._params
        descriptor = p.connect_data or build_descriptor(
            p.target,
            address=p.address,
            program=p.program,
            machine=p.machine,
            osuser=p.osuser,
            connection_id=p.connection_id,
        )
        self._connect_bytes = Connect(
            sdu=p.sdu,
            tdu=p.sdu,
            connect_data=descriptor.encode(),
            flags=PacketFlag.REDIRECTED if p.redirected else PacketFlag.NONE,
        ).encode()
        self._out += self._connect_bytes

    def tls_renegotiated(self) -> None:
        """The new TLS handshake that ``TlsRenegotiationRequested`` asked for is done:
        queue the CONNECT again (to be sent over the new TLS session)."""
        self._check_usable()
        self._move(_CI.SEND_CONNECT_AFTER_TLS, local=True)
        self._out += self._connect_bytes

    def set_attributes(self, **values: str | None) -> None:
        """Queue new module / action / client_identifier / client_info / dbop values (None clears
        one); they go as a piggyback before the next call.  LocalProtocolError: an unknown name."""
        self._piggybacks.set_attributes(values)

    def set_app_context(self, namespace: str, values: Mapping[str, str] | None) -> None:
        """Queue application context values of ``namespace`` (None: clear the namespace); they go
        as an APP_CONTEXT piggyback before the next call (python-oracledb's set_app_context)."""
        self._piggybacks.set_app_context(namespace, values)

    def set_current_schema(self, schema: str) -> None:
        """Queue a new current schema; it goes as a SET_SCHEMA piggyback before the next call."""
        self._piggybacks.schema = schema

    def lob_op(self, request: LobOpRequest) -> None:
        """Send a LOB_OP (read, write, trim, length, chunk size, open/close,
        create temporary); it ends with ``LobOpCompleted`` or ``ServerErrorReceived``."""
        call = ClientCall(CallKind.LOB)
        call.extra["request"] = request
        self._start_call(call)
        w = self._request_writer()
        request.encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.view())  # a LOB write's data: not copied out of the writer

    def free_temporary_lobs(self, locators: list[bytes]) -> None:
        """Queue temporary LOBs to free; they go as a piggyback before the next call (as python-oracledb's)."""
        self._piggybacks.free_lobs.extend(locators)

    def close_cursors(self, cursor_ids: list[int]) -> None:
        """Queue cursor ids to close; they go as a piggyback before the next call."""
        self._piggybacks.close_queue.extend(cursor_ids)

    def commit(self) -> None:
        """COMMIT the transaction."""
        self._simple(FunctionCode.COMMIT)

    def rollback(self) -> None:
        """ROLLBACK the transaction."""
        self._simple(FunctionCode.ROLLBACK)

    def ping(self) -> None:
        """PING the server (a full round trip)."""
        self._simple(FunctionCode.PING)

    def get_version(self) -> None:
        """Ask the server's banner and release number (function 59, as go-ora
        does after logon); ``VersionReceived`` answers."""
        self._start_call(ClientCall(CallKind.VERSION))
        w = self._request_writer()
        VersionRequest().encode(w, seq=self._next_seq(), token=self._token(), field_version=self.caps.field_version)
        self._send_data(w.getvalue())

    def change_password(self, old: Secret[str], new: Secret[str]) -> None:
        """Change the logged-on user's password (an AUTH call under the session
        key, as python-oracledb's ``changepassword``); ``CallCompleted`` or
        ``ServerErrorReceived`` (ORA-28008: wrong old password) answers."""
        if self._combo_key is None:
            raise LocalProtocolError("change_password needs a logged-on session")
        request = logon.change_password(self._params.user, self._combo_key, old, new, self._entropy(16))
        self._start_call(ClientCall(CallKind.CHANGE_PASSWORD))
        w = self._request_writer()
        request.encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())

    def logoff(self) -> None:
        """LOGOFF; when it completes the EOF packet is queued and the state is CLOSED."""
        self._check_usable()
        self._move(_CI.SEND_LOGOFF, local=True)
        self._calls.record = ClientCall(CallKind.LOGOFF)
        w = self._request_writer()
        SimpleCall(function=FunctionCode.LOGOFF).encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())

    def release_session(self, *, deauthenticate: bool = False) -> None:
        """DRCP: give the session back to the broker (SESSION_RELEASE, one-way: nothing
        answers, the state stays READY).  ``deauthenticate`` (a standalone connection
        closing, in place of LOGOFF): the session ends and the EOF packet follows (CLOSED)."""
        self._check_usable()
        self._move(_CI.SEND_RELEASE_CLOSE if deauthenticate else _CI.SEND_RELEASE, local=True)
        w = self._request_writer()
        mode = SessionRelease.DEAUTHENTICATE if deauthenticate else 0
        SessionRelease(mode=mode).encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())
        if deauthenticate:
            self._out += Data(data_flags=DataFlag.EOF).encode(large=self._writer.large)
            self._emit(ConnectionClosed())

    def execute(self, request: calls.Executable, *, columns: tuple[ColumnMetadata, ...] | None = None,
                decoders: DecoderChoice | None = None) -> None:
        """Send an EXECUTE (``ExecuteRequest``) or re-execute (``ReexecuteRequest``).

        ``columns``: the describe of the cursor, when the owner knows better than
        the machine (which remembers every describe it received, by cursor id).
        ``decoders``: picks value decoders per column for this call's rows (pass
        the same object each time to keep the cursor's row decoder).

        Raises:
            LocalProtocolError: not READY, or a re-execute of an unknown cursor.
            EncodeError: a bind value cannot be encoded (nothing is sent).
        """
        if columns is None and type(request) is ReexecuteRequest and not request.rows \
                and self._quick_reexecute(request, decoders):
            return
        self._check_usable()
        if not self._can(_CI.SEND_CALL):
            self._move(_CI.SEND_CALL, local=True)
        w = self._request_writer(defer=True)
        state = calls.start_execute(w, request, columns, decoders, seq=self._next_seq(), token=self._token(),
                                    caps=self.caps, cursors=self.cursors)
        self._start_call(ClientCall(CallKind.EXECUTE, state=state))
        self._piggybacks.forget(self.cursors)
        self._send_data(w.view())  # bind values (a LONG of megabytes): not copied out of the writer

    def _quick_reexecute(self, request: ReexecuteRequest, decoders: DecoderChoice | None) -> bool:
        """Send a re-execute that carries no bind values and rides with no piggyback
        from its cursor's byte template (the whole DATA packet; only the sequence
        byte changes).  False, with nothing done, when it does not apply."""
        if self._piggybacks.pending():
            return False
        meta = self.cursors.get(request.cursor_id)
        if meta is None or meta.binds:
            return False
        self._check_usable()
        self._move(_CI.SEND_CALL, local=True)
        packet = reexecute_packet(meta, request, self._writer, seq=self._next_seq(), token=self._token(),
                                  max_string_size=self.caps.max_string_size)
        self._calls.start(ClientCall(CallKind.EXECUTE, state=calls.reexecute_state(request, meta, None, decoders)))
        self._out += packet
        return True

    def fetch(self, cursor_id: int, rows: int, *, decoders: DecoderChoice | None = None) -> None:
        """FETCH up to ``rows`` more rows of an open cursor (``decoders`` as for :meth:`execute`).

        The reply's first row may repeat columns of the last row fetched before
        (a BIT_VECTOR); those values are taken from that row only when ``decoders``
        is the object that decoded it, else such a row is a ``DecodeError``.
        """
        meta = self.cursors.get(cursor_id)
        if meta is None or not meta.columns:
            raise LocalProtocolError(f"cursor {cursor_id} has no known describe to decode rows with")
        state = calls.QueryState(cursor_id=cursor_id, columns=meta.columns, is_query=True,
                                 decoder=calls.reusable(meta.decoder, decoders), choose=decoders,
                                 previous_row=meta.previous_row(decoders))
        self._start_call(ClientCall(CallKind.FETCH, state=state))
        w = self._request_writer()
        FetchRequest(cursor_id=cursor_id, rows=rows).encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())

    def send_break(self) -> None:
        """Interrupt the call in flight (MARKER INTERRUPT, as python-oracledb sends on
        a timeout); the call then ends with ORA-01013 after a reset exchange, or, when its
        reply outran the break, with that reply once the server has answered the break.
        With no call in flight (READY: its answer was read before the timer fired) nothing
        is sent: a driver's timeout racing the answer is no misuse."""
        self._check_usable()
        if self._state is ClientState.READY:
            return
        self._move(_CI.SEND_BREAK, local=True)
        if self._calls.send_break():
            self._out += self._writer.marker(MarkerType.INTERRUPT)

    def send_failed(self) -> None:
        """The owner could not send what the machine queued: the connection is dead."""
        self._fail(LocalProtocolError("sending to the server failed"))

    # ------------------------------------------------------------ internals

    def _simple(self, code: FunctionCode) -> None:
        self._start_call(ClientCall(CallKind.SIMPLE))
        w = self._request_writer()
        SimpleCall(function=code).encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())

    def _start_call(self, call: ClientCall) -> None:
        self._check_usable()
        self._move(_CI.SEND_CALL, local=True)
        self._calls.start(call)

    def _request_writer(self, *, defer: bool = False) -> Writer:
        """A writer holding the piggybacks that wait (``defer``: keep them queued; the
        caller forgets them once the request is sure to go)."""
        w = Writer()
        self._piggybacks.write(w, self._next_seq, self._token(), self.cursors, defer=defer)
        return w

    def _next_seq(self) -> int:
        self._seq = next_sequence(self._seq)
        return self._seq

    def _token(self) -> int | None:
        return 0 if self.caps.has_token else None

    def _emit(self, event: ClientEvent) -> None:
        self._events.append(event)

    # ------------------------------------------------------------- packets

    def _on_packet(self, packet: Packet) -> None:
        state = self._state
        if state == ClientState.CONNECTING:
            self._on_connect_reply(packet)
            return
        if state == ClientState.RENEGOTIATING_TLS:
            raise UnexpectedMessageError(f"{type(packet).__name__.upper()} packet received before the new TLS handshake")
        match packet:
            case Data():
                self._on_data(packet)
            case Marker():
                self._on_marker(packet)
            case Control():
                if packet.command == 8 and packet.error_number:
                    self._closed_by_peer(packet.error_number)
            case Connect() | Accept() | Refuse() | Redirect() | Resend():
                raise UnexpectedMessageError(
                    f"{type(packet).__name__.upper()} packet received in state {state.name}"
                )
            case _:
                assert_never(packet)

    def _on_connect_reply(self, packet: Packet) -> None:
        if self._calls.data_pending:
            if not isinstance(packet, Data):
                raise UnexpectedMessageError(
                    f"expected the DATA packet of a {type(self._calls.pending).__name__.upper()}"
                )
            pending = self._calls.take_pending()
            if isinstance(pending, Redirect):
                red = pending.with_data(packet.payload)
                self._move(_CI.RECV_REDIRECT, local=False)
                self._emit(Redirected(address=red.address, connect_data=red.connect_data))
            else:
                ref = pending.with_data(packet.payload)
                self._move(_CI.RECV_REFUSE, local=False)
                self._emit(Refused(code=ref.error_code, text=ref.data.decode("utf-8", "replace")))
            return
        match packet:
            case Resend():
                self._resends += 1
                self._limits.check("RESEND count (a listener resend loop)", self._resends, self._limits.max_resends)
                if packet.flags & PacketFlag.TLS_RENEGOTIATE and logon.over_tls(self._params):
                    # python-oracledb: only a TCPS connection honours the flag; the
                    # CONNECT waits for the owner's new handshake (``tls_renegotiated``).
                    self._move(_CI.RECV_RESEND_TLS, local=False)
                    self._emit(TlsRenegotiationRequested())
                    return
                self._move(_CI.RECV_RESEND, local=False)
                self._out += self._connect_bytes
            case Accept():
                self._on_accept(packet)
            case Refuse():
                if packet.data_follows:
                    self._calls.expect_data(packet)
                    return
                self._move(_CI.RECV_REFUSE, local=False)
                self._emit(Refused(code=packet.error_code, text=packet.data.decode("utf-8", "replace")))
            case Redirect():
                if packet.data_follows:
                    self._calls.expect_data(packet)
                    return
                self._move(_CI.RECV_REDIRECT, local=False)
                self._emit(Redirected(address=packet.address, connect_data=packet.connect_data))
            case Connect() | Data() | Marker() | Control():
                raise UnexpectedMessageError(f"{type(packet).__name__.upper()} packet received in reply to CONNECT")
            case _:
                assert_never(packet)

    def _on_accept(self, acc: Accept) -> None:
        logon.check_accept(acc)
        self._move(_CI.RECV_ACCEPT, local=False)
        caps = self.caps
        large = logon.apply_accept(caps, acc, self._limits.max_packet_size)
        self._reader.large = large
        self._writer.large = large
        self._writer.sdu = caps.sdu
        self._emit(Accepted(version=acc.version, sdu=acc.sdu, tdu=acc.tdu, end_of_response=caps.end_of_response))
        w = Writer()
        protocol = ProtocolRequest(driver_name=self._params.protocol_driver_name)
        if caps.supports_fast_auth and self._params.fast_auth:
            # 23ai: protocol, data types and phase one in one round trip.
            self._calls.record = ClientCall(CallKind.FAST_AUTH)
            FastAuthRequest(protocol=protocol, data_types=logon.data_types_request(self.caps), auth=self._auth_one()).encode(
                w, seq=self._next_seq()
            )
        else:
            self._calls.record = ClientCall(CallKind.PROTOCOL)
            protocol.encode(w)
        self._send_data(w.getvalue())

    def _on_data(self, data: Data) -> None:
        if data.data_flags == DataFlag.EOF:
            self._closed_by_peer(ErrorNumber.SESSION_SHUTDOWN)
            return
        if self._state == ClientState.RESETTING:
            return  # python-oracledb discards packets until the RESET marker
        # Checked through a local: mypy would keep ``self._calls.record`` narrowed to not-None
        # across _parse_ttc (which ends the call), and a mypyc build trusts that narrowing.
        outstanding = self._calls.record
        if outstanding is None:
            raise UnexpectedMessageError(f"DATA packet received with no call outstanding (state {self._state.name})")
        self._append_ttc(data.payload)
        if self._reader.whole_data_next():
            return  # parsed once after the last DATA packet buffered: no re-read at each boundary
        self._parse_ttc(self._parse_one, big_chunks=self.caps.big_chunks)
        call = self._calls.record
        if call is not None and call.state is not None:
            calls.flush_rows(call.state, self._emit)

    def _on_marker(self, marker: Marker) -> None:
        if marker.marker == MarkerType.RESET:
            if self._state == ClientState.RESETTING:
                self._reset_completed()
                return
            if self._calls.reset_seen:
                return  # further markers after the reset are skipped
        if self._state == ClientState.RESETTING:
            return
        in_call = self._state == ClientState.IN_CALL
        if in_call and self._calls.reset_seen:
            return
        self._move(_CI.RECV_MARKER, local=False)
        self._discard_ttc()
        self._out += self._writer.marker(MarkerType.RESET)
        if in_call and marker.marker == MarkerType.RESET:
            # A RESET with no BREAK before it is the whole exchange (python-oracledb's _reset
            # stops at the first RESET, this one included): the call's answer follows now.
            self._reset_completed()

    def _reset_completed(self) -> None:
        """The server's RESET ended the marker exchange: the answer comes next."""
        self._move(_CI.RECV_RESET, local=False)
        self._calls.reset()
        self._emit(ResetCompleted())
        if self._calls.record is None:
            self._calls.record = ClientCall(CallKind.DISCARD)

    def _on_eof(self) -> None:
        if self._state in (ClientState.CLOSED,):
            return
        clean = self._state in (ClientState.LOGGING_OFF,)
        self._move(_CI.RECV_EOF, local=False)
        self._calls.record = None
        self._emit(ConnectionClosed(error_number=None if clean else int(ErrorNumber.SESSION_SHUTDOWN)))

    def _closed_by_peer(self, number: int) -> None:
        self._move(_CI.RECV_SHUTDOWN, local=False)
        self._calls.record = None
        self._emit(ConnectionClosed(error_number=number))

    # ------------------------------------------------------------ messages

    def _parse_one(self, r: Reader) -> bool:
        call = self._calls.record
        if call is None:
            raise UnexpectedMessageError("TTC message received with no call outstanding")
        kind = call.kind
        if kind == CallKind.PROTOCOL:
            self._banner = logon.apply_protocol(self.caps, ProtocolResponse.decode(r, limits=self._limits))
            self._calls.record = ClientCall(CallKind.DATA_TYPES)
            w = Writer()
            logon.data_types_request(self.caps).encode(w)
            self._send_data(w.getvalue())
            return True
        if kind == CallKind.DATA_TYPES:
            DataTypesResponse.decode(r, **reply_layout(logon.data_types_request(self.caps)))
            self._negotiated()
            self._calls.record = ClientCall(self._first_auth_kind())
            w = Writer()
            self._auth_one().encode(w, seq=self._next_seq(), token=self._token())
            self._send_data(w.getvalue())
            return True
        if kind == CallKind.FAST_AUTH:
            first = r.peek_ub1()
            if first == MessageType.PROTOCOL:
                self._banner = logon.apply_protocol(self.caps, ProtocolResponse.decode(r, limits=self._limits))
                return False
            if first == MessageType.DATA_TYPES:
                DataTypesResponse.decode(r, **reply_layout(logon.data_types_request(self.caps)))
                self._negotiated()
                call.kind = kind = self._first_auth_kind()
                return False
            call.kind = kind = self._first_auth_kind()
        mtype = r.ub1()
        fv = self.caps.field_version
        state = call.state
        if mtype == _ROW_DATA and state is not None:
            # Rows first: a query's reply is mostly rows (where the chain below ends up too).
            calls.parse_query_message(r, mtype, state, limits=self._limits, field_version=fv, emit=self._emit)
            return False
        if mtype == MessageType.ERROR:
            return self._on_end_message(call, self._error_memo.read(r, fv, self._limits))
        if mtype == MessageType.STATUS:
            return self._on_end_message(call, Status.decode_body(r))
        if mtype == MessageType.END_OF_RESPONSE:
            if not self.caps.end_of_response:
                raise UnexpectedMessageError("END_OF_RESPONSE received but it was not negotiated")
            self._finish(call)
            return True
        if kind == CallKind.LOB and mtype in (MessageType.PARAMETER, MessageType.LOB_DATA):
            calls.parse_lob_message(r, mtype, call)
            return False
        if mtype == MessageType.PARAMETER:
            if kind in (CallKind.AUTH_ONE, CallKind.AUTH_TWO, CallKind.CHANGE_PASSWORD):
                call.params = AuthParameters.decode_body(r, limits=self._limits).pairs
            elif kind == CallKind.VERSION:
                call.extra["version"] = VersionReply.decode_body(r, limits=self._limits)
            else:
                calls.parse_parameters(r, call.state, self._limits)
            return False
        if mtype == MessageType.WARNING:
            warning = Warning_.decode_body(r)
            if call.state is not None:
                calls.flush_rows(call.state, self._emit)
            if warning.number:
                self._emit(WarningReceived(warning=warning))
            return False
        if mtype == MessageType.SERVER_SIDE_PIGGYBACK:
            piggyback = ServerPiggyback.decode_body(r, limits=self._limits)
            if piggyback.ltxid is not None:
                self.ltxid = piggyback.ltxid
            return False
        if mtype == MessageType.TOKEN:
            r.ub8()
            return False
        if call.state is not None or kind == CallKind.DISCARD:
            if call.state is None:
                call.state = calls.QueryState(cursor_id=0, columns=(), is_query=False)
            calls.parse_query_message(r, mtype, call.state, limits=self._limits, field_version=fv,
                                      emit=self._emit)
            return False
        raise UnexpectedMessageError(f"TTC message type {mtype} is not expected in reply to {kind.name}")

    def _on_end_message(self, call: ClientCall, info: ErrorInfo | Status) -> bool:
        call.info = info
        self.in_transaction = bool(info.call_status & 0x02)
        if self.caps.end_of_response:
            return False
        self._finish(call)
        return True

    def _negotiated(self) -> None:
        caps = self.caps
        self._move(_CI.RECV_NEGOTIATED, local=False)
        self._emit(
            Negotiated(
                server_banner=self._banner,
                charset_id=caps.charset_id,
                ncharset_id=caps.ncharset_id,
                field_version=caps.field_version,
            )
        )

    def _auth_one(self) -> AuthRequest:
        # A token logon skips phase one: its first AUTH call is phase two.
        if self._params.access_token is not None:
            return logon.token_logon(self._params)
        return logon.phase_one(self._params)

    def _first_auth_kind(self) -> CallKind:
        return CallKind.AUTH_ONE if self._params.access_token is None else CallKind.AUTH_TWO

    def _finish(self, call: ClientCall) -> None:
        """The response to ``call`` is complete: report it and move on."""
        kind = call.kind
        self._calls.record = None
        match kind:
            case CallKind.AUTH_ONE:
                self._after_auth_one(call)
            case CallKind.AUTH_TWO:
                self._after_auth_two(call)
            case CallKind.LOGOFF:
                self._move(_CI.RECV_LOGOFF_END, local=False)
                self._out += Data(data_flags=DataFlag.EOF).encode(large=self._writer.large)
                # One event ends each step (ends_step): the logoff's is the session's end.
                self._emit(ConnectionClosed())
            # FAST_AUTH, PROTOCOL and DATA_TYPES never end here (_parse_one reads their
            # replies whole); they stay with the calls, where they always fell.
            case (CallKind.EXECUTE | CallKind.FETCH | CallKind.LOB | CallKind.SIMPLE | CallKind.VERSION
                  | CallKind.CHANGE_PASSWORD | CallKind.DISCARD | CallKind.FAST_AUTH | CallKind.PROTOCOL
                  | CallKind.DATA_TYPES):
                self._finish_call(call)
            case _:
                assert_never(kind)

    def _finish_call(self, call: ClientCall) -> None:
        """A call of the session (not logon or logoff) ended: report how."""
        if call.state is not None:
            calls.flush_rows(call.state, self._emit)
        if call.kind != CallKind.DISCARD and self._calls.break_sent and not self._calls.reset_seen:
            # The reply outran the break, which the server answers next (a marker, a reset,
            # an ORA-01013 to drop): the call ends after that, or the owner's next call
            # would go into the reset and end with that ORA-01013.
            self._outran = call
            self._calls.record = ClientCall(CallKind.DISCARD)
            return
        self._move(_CI.RECV_CALL_END, local=False)
        if call.kind == CallKind.DISCARD:
            if self._outran is None:
                return
            call, self._outran = self._outran, None
        info = call.info
        answer = calls.version_or_lob_answer(call)
        if answer is not None:
            self._emit(answer)
            return
        if isinstance(info, ErrorInfo):
            if call.state is not None:
                self.last_row_count = info.row_count
                calls.finish_query(call.state, info, self.cursors, self._emit)
                return
            if info.number:
                self._emit(ServerErrorReceived(info=info))
                return
        self._emit(
            CallCompleted(
                in_transaction=self.in_transaction,
                info=info if isinstance(info, ErrorInfo) else None,
            )
        )

    def _logon_error(self, info: ErrorInfo | Status | None) -> bool:
        if isinstance(info, ErrorInfo) and info.number:
            self._move(_CI.RECV_LOGON_FAILED, local=False)
            self._emit(ServerErrorReceived(info=info))
            return True
        return False

    def _after_auth_one(self, call: ClientCall) -> None:
        if self._logon_error(call.info):
            return
        step = logon.phase_two(self._params, call.params, self._entropy, self.password_key,
                               self.password_key_salt, self.password_key_cipher)
        self._combo_key = step.combo_key
        self.password_key, self.password_key_salt = step.password_key, step.key_salt
        self.password_key_cipher, self._combo_cipher = step.password_key_cipher, step.combo_cipher
        self._calls.record = ClientCall(CallKind.AUTH_TWO)
        w = Writer()
        step.request.encode(w, seq=self._next_seq(), token=self._token())
        self._send_data(w.getvalue())

    def _after_auth_two(self, call: ClientCall) -> None:
        if self._logon_error(call.info):
            return
        # The combo key stays: a change of password encrypts under it.
        self.session = logon.session_from_reply(call.params, self._combo_key, self.caps.field_version,
                                                self._combo_cipher,
                                                token_logon_done=self._params.access_token is not None)
        self._combo_cipher = None  # checked; later uses of the combo key are rare
        self._move(_CI.RECV_LOGON_OK, local=False)
        self._emit(LoggedOn(session=self.session))
