"""Client and server machines against each other: logon, calls, errors, break/reset."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    Accepted,
    CallCompleted,
    ClientClosed,
    CommitRequested,
    ConnectionClosed,
    ConnectRequested,
    LoggedOn,
    LoggedOnUser,
    LogoffRequested,
    LogonRejected,
    LogonRequested,
    Negotiated,
    PingRequested,
    Redirected,
    Refused,
    RollbackRequested,
    ServerErrorReceived,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.connection.states import ClientState, ServerState
from oracle_sansio.errors import LocalProtocolError
from tests.sansio.pair import Pair, client_params, counter_entropy, verifier_for


def cstate(pair: Pair) -> ClientState:
    return pair.client.state


def sstate(pair: Pair) -> ServerState:
    return pair.server.state


def logon_handler(pair: Pair, password: str = "tiger", verifier_type: int = 0x4815) -> Callable[[ServerEvent], None]:
    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.accept_user(verifier_for(password, verifier_type), session_id=42, serial_number=7)
        elif isinstance(ev, (CommitRequested, RollbackRequested, PingRequested, LogoffRequested)):
            pair.server.complete_call()

    return handle


def logged_on_pair(config: ServerConfig = ServerConfig(), verifier_type: int = 0x4815) -> Pair:
    pair = Pair(config=config)
    pair.client.start()
    pair.pump(logon_handler(pair, verifier_type=verifier_type))
    return pair


@pytest.mark.parametrize("verifier_type", [0x4815, 0xB152, 0x1B25])
@pytest.mark.parametrize(("eor", "fv"), [(True, 24), (False, 8), (True, 17)])
def test_logon_calls_logoff(verifier_type: int, eor: bool, fv: int) -> None:
    pair = logged_on_pair(ServerConfig(end_of_response=eor, field_version=fv), verifier_type)
    kinds = [type(e) for e in pair.client_events]
    assert kinds == [Accepted, Negotiated, LoggedOn]
    accepted = pair.client_events[0]
    assert isinstance(accepted, Accepted) and accepted.end_of_response == eor
    logged = pair.client_events[2]
    assert isinstance(logged, LoggedOn)
    assert (logged.session.session_id, logged.session.serial_number) == (42, 7)
    assert logged.session.version_string == ("23.5.0.24.7" if fv >= 11 else "23.5.0.8.7")
    assert logged.session.max_open_cursors == 300
    assert cstate(pair) == ClientState.READY and sstate(pair) == ServerState.READY
    assert pair.client.caps.field_version == fv
    assert [type(e) for e in pair.server_events] == [ConnectRequested, LogonRequested, LoggedOnUser]
    connect = pair.server_events[0]
    assert isinstance(connect, ConnectRequested) and connect.service_name == "FREEPDB1"

    handler = logon_handler(pair)
    for command, expected in (
        (pair.client.ping, PingRequested),
        (pair.client.commit, CommitRequested),
        (pair.client.rollback, RollbackRequested),
    ):
        pair.client_events.clear()
        pair.server_events.clear()
        command()
        assert cstate(pair) == ClientState.IN_CALL
        pair.pump(handler)
        assert [type(e) for e in pair.server_events] == [expected]
        assert [type(e) for e in pair.client_events] == [CallCompleted]
        assert cstate(pair) == ClientState.READY

    pair.client_events.clear()
    pair.server_events.clear()
    pair.client.logoff()
    pair.pump(handler)
    # One event ends the step: the session's end (ends_step), no CallCompleted before it.
    assert [type(e) for e in pair.client_events] == [ConnectionClosed]
    assert [type(e) for e in pair.server_events] == [LogoffRequested, ClientClosed]
    assert cstate(pair) == ClientState.CLOSED and sstate(pair) == ServerState.CLOSED


def test_wrong_password_gives_ora_01017() -> None:
    pair = Pair(ClientConnection(client_params("wrong"), entropy=counter_entropy(b"c")))
    pair.client.start()
    pair.pump(logon_handler(pair))
    last = pair.client_events[-1]
    assert isinstance(last, ServerErrorReceived) and last.code == 1017
    assert "ORA-01017" in last.message
    assert cstate(pair) == ClientState.CLOSED
    assert isinstance(pair.server_events[-1], LogonRejected)
    assert sstate(pair) == ServerState.CLOSED


def test_unknown_user_rejected_by_owner() -> None:
    pair = Pair()
    pair.client.start()

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.reject_user(28000, "ORA-28000: The account is locked.")

    pair.pump(handle)
    last = pair.client_events[-1]
    assert isinstance(last, ServerErrorReceived) and last.code == 28000


def test_refuse_and_redirect() -> None:
    pair = Pair()
    pair.client.start()
    pair.pump(lambda ev: pair.server.refuse(12514) if isinstance(ev, ConnectRequested) else None)
    refused = pair.client_events[-1]
    assert isinstance(refused, Refused) and refused.code == 12514
    assert cstate(pair) == ClientState.CLOSED

    pair = Pair()
    pair.client.start()
    address = "(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=15211))"
    pair.pump(lambda ev: pair.server.redirect(address) if isinstance(ev, ConnectRequested) else None)
    redirected = pair.client_events[-1]
    assert isinstance(redirected, Redirected) and redirected.address == address
    assert redirected.connect_data is not None and "SERVICE_NAME=FREEPDB1" in redirected.connect_data


def test_commands_in_the_wrong_state_put_the_machine_in_error() -> None:
    pair = logged_on_pair()
    pair.client.ping()
    with pytest.raises(LocalProtocolError, match="SEND_CALL is not allowed in state IN_CALL"):
        pair.client.commit()
    assert cstate(pair) == ClientState.ERROR
    with pytest.raises(LocalProtocolError, match="unusable after an earlier protocol error"):
        pair.client.next_event()
    with pytest.raises(LocalProtocolError, match="no call to answer"):
        pair.server.complete_call()


@pytest.mark.parametrize("eor", [True, False])
@pytest.mark.parametrize("answer_before_reset", [True, False])
def test_break_and_reset_keep_the_session(eor: bool, answer_before_reset: bool) -> None:
    from oracle_sansio.connection.events import BreakReceived, ResetCompleted

    pair = logged_on_pair(ServerConfig(end_of_response=eor))
    pair.client_events.clear()
    pair.server_events.clear()
    pair.client.ping()
    pair.pump()  # the server owner sits on the call
    assert [type(e) for e in pair.server_events] == [PingRequested]
    pair.client.send_break()
    pair.client.send_break()  # a second break is a no-op

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, BreakReceived) and answer_before_reset:
            pair.server.send_error(1013, "ORA-01013: user requested cancel of current operation")

    pair.pump(handle)
    if not answer_before_reset:
        assert sstate(pair) == ServerState.IN_CALL
        pair.server.send_error(1013, "ORA-01013: user requested cancel of current operation")
        pair.pump()
    kinds = [type(e) for e in pair.client_events]
    assert kinds == [ResetCompleted, ServerErrorReceived]
    err = pair.client_events[-1]
    assert isinstance(err, ServerErrorReceived) and err.code == 1013
    assert cstate(pair) == ClientState.READY and sstate(pair) == ServerState.READY
    pair.client_events.clear()
    pair.client.ping()
    pair.pump(logon_handler(pair))
    assert [type(e) for e in pair.client_events] == [CallCompleted]


@pytest.mark.parametrize("eor", [True, False])
def test_a_call_whose_reply_outran_its_break_ends_after_the_break_is_answered(eor: bool) -> None:
    """The answer and the break cross on the wire.  The call ends once the server has answered
    the break (its marker, the reset, an ORA-01013 the machine drops), so the owner cannot send
    its next call into that reset: the server drops it there and answers ORA-01013, which is
    what the next call of a driver reading only during calls (and of oracle_asyncio after a
    call_timeout) used to get."""
    from oracle_sansio.connection.events import NEED_DATA, BreakReceived, ResetCompleted

    pair = logged_on_pair(ServerConfig(end_of_response=eor))
    pair.client.ping()
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), PingRequested)
    pair.server.complete_call()
    pair.client.send_break()
    pair.client_events.clear()
    pair.server_events.clear()
    pair.client.receive_data(pair.server.data_to_send())  # the reply, sent before the break arrived
    assert pair.client.next_event() is NEED_DATA and cstate(pair) == ClientState.IN_CALL
    pair.pump()
    assert [type(e) for e in pair.client_events] == [ResetCompleted, CallCompleted]
    assert [type(e) for e in pair.server_events] == [BreakReceived]
    assert cstate(pair) == ClientState.READY and sstate(pair) == ServerState.READY
    pair.client_events.clear()
    pair.client.ping()
    pair.pump(logon_handler(pair))
    assert [type(e) for e in pair.client_events] == [CallCompleted]


@pytest.mark.parametrize("fv", [24, 8])
def test_fast_auth_logon(fv: int) -> None:
    pair = logged_on_pair(ServerConfig(fast_auth=True, field_version=fv))
    assert [type(e) for e in pair.client_events] == [Accepted, Negotiated, LoggedOn]
    assert pair.client.caps.supports_fast_auth
    assert pair.client.caps.field_version == fv
    pair.client_events.clear()
    pair.client.ping()
    pair.pump(logon_handler(pair))
    assert [type(e) for e in pair.client_events] == [CallCompleted]


def test_fast_auth_against_the_real_23ai_reply() -> None:
    """The real 23ai FAST_AUTH reply decodes up to the password proof (its password is unknown)."""
    from oracle_sansio.connection.events import NEED_DATA
    from oracle_sansio.errors import AuthenticationError
    from tests.captures import load_oracle_nio_23ai

    nio = load_oracle_nio_23ai()
    client = ClientConnection(client_params(), entropy=counter_entropy(b"c"))
    client.start()
    client.data_to_send()
    client.receive_data(nio["ConnectMessage"])
    assert isinstance(client.next_event(), Accepted)
    sent = client.data_to_send()
    assert sent[10] == 34  # FAST_AUTH
    client.receive_data(nio["AuthenticationChallengeMessage"])
    negotiated = client.next_event()
    assert isinstance(negotiated, Negotiated) and negotiated.field_version == 24
    assert client.next_event() is NEED_DATA
    phase_two = client.data_to_send()
    assert phase_two[10:12] == bytes.fromhex("0373")
    # The phase-two reply carries the real server's proof for another password.
    client.receive_data(nio["AuthenticatedMessage"])
    with pytest.raises(AuthenticationError, match="invalid server response"):
        client.next_event()
    assert cstate_of(client) == ClientState.ERROR


def cstate_of(client: ClientConnection) -> ClientState:
    return client.state


def test_resend_then_accept() -> None:
    pair = Pair()
    pair.client.start()
    resends: list[int] = []

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            if not resends:
                resends.append(1)
                pair.server.resend()
            else:
                pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.accept_user(verifier_for("tiger"), session_id=1, serial_number=1)

    pair.pump(handle)
    assert [type(e) for e in pair.server_events] == [ConnectRequested, ConnectRequested, LogonRequested, LoggedOnUser]
    assert isinstance(pair.client_events[-1], LoggedOn)


@pytest.mark.parametrize("eor", [True, False])
def test_server_side_break_mid_response(eor: bool) -> None:
    from oracle_sansio.codecs import OracleType
    from oracle_sansio.connection.events import ExecuteRequested, ResetCompleted
    from oracle_sansio.ttc.messages.describe import column_for
    from oracle_sansio.ttc.messages.execute import ExecuteRequest

    pair = logged_on_pair(ServerConfig(end_of_response=eor))
    pair.client_events.clear()
    pair.client.execute(ExecuteRequest.for_query("select x from t"))

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe([column_for("X", OracleType.NUMBER)])
            pair.server.send_rows([(1,)])
            pair.server.abort_call(1476, "ORA-01476: divisor is equal to zero")

    pair.pump(handle)
    kinds = [type(e) for e in pair.client_events]
    assert kinds == [ResetCompleted, ServerErrorReceived]
    err = pair.client_events[-1]
    assert isinstance(err, ServerErrorReceived) and err.code == 1476
    assert cstate(pair) == ClientState.READY and sstate(pair) == ServerState.READY


def test_end_to_end_attributes_piggyback() -> None:
    from oracle_sansio.connection.events import SessionAttributesChanged

    pair = logged_on_pair()
    pair.server_events.clear()
    pair.client.set_attributes(module="billing", action="", client_identifier="alice")
    pair.client.ping()
    pair.pump(logon_handler(pair))
    changed, ping = pair.server_events
    assert isinstance(changed, SessionAttributesChanged) and isinstance(ping, PingRequested)
    assert dict(changed.values) == {"module": "billing", "action": "", "client_identifier": "alice"}
    pair.server_events.clear()
    pair.client.set_attributes(module=None)
    pair.client.commit()
    pair.pump(logon_handler(pair))
    assert isinstance(pair.server_events[0], SessionAttributesChanged)
    assert pair.server_events[0].values == (("module", None),)
    with pytest.raises(LocalProtocolError, match="unknown end-to-end attribute"):
        pair.client.set_attributes(colour="blue")


@pytest.mark.parametrize("break_sent", [True, False])
def test_a_reset_marker_with_no_break_marker_before_it_ends_the_exchange(break_sent: bool) -> None:
    """A server whose first marker is RESET: python-oracledb answers RESET and reads the answer
    that follows (its _reset stops at the first RESET marker, the one that started it too).  The
    machine answered RESET and then waited for a second RESET, dropping the answer: the call
    never ended."""
    from oracle_sansio.connection.events import NEED_DATA, ResetCompleted
    from oracle_sansio.tns.constants import MarkerType
    from oracle_sansio.tns.framer import PacketWriter

    reset = PacketWriter(large=True).marker(MarkerType.RESET)  # version 315+: 32-bit lengths
    pair = logged_on_pair()
    pair.client_events.clear()
    pair.client.ping()
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), PingRequested)
    if break_sent:
        pair.client.send_break()
        pair.client.data_to_send()
    pair.server.send_error(1013, "ORA-01013: user requested cancel of current operation")
    answer = pair.server.data_to_send()
    pair.client.receive_data(reset + answer)
    events = []
    while (event := pair.client.next_event()) is not NEED_DATA:
        events.append(event)
    assert [type(e) for e in events] == [ResetCompleted, ServerErrorReceived]
    assert cstate(pair) == ClientState.READY
    assert pair.client.data_to_send() == reset


def test_a_break_sent_after_the_servers_own_reset_is_answered_before_the_call_ends() -> None:
    """The server broke the call itself (abort_call: BREAK, reset, then the error); the driver's
    timer fires after the reset, before the error: its INTERRUPT goes out and the server answers
    it once idle.  The call used to end at the error, so the next call met that answer and ended
    with ORA-01013; now the call ends once the break is answered, as when a reply outruns it."""
    from oracle_sansio.connection.events import NEED_DATA, ResetCompleted
    from oracle_sansio.tns.constants import MarkerType
    from oracle_sansio.tns.framer import PacketWriter

    reset = PacketWriter(large=True).marker(MarkerType.RESET)
    pair = logged_on_pair()
    pair.client_events.clear()
    pair.client.ping()
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), PingRequested)
    pair.server.abort_call(1400, "ORA-01400: cannot insert NULL")
    pair.client.receive_data(pair.server.data_to_send())  # BREAK
    assert pair.client.next_event() is NEED_DATA
    pair.server.receive_data(pair.client.data_to_send())  # the client's RESET
    assert pair.server.next_event() is NEED_DATA
    answer = pair.server.data_to_send()  # RESET, then the error
    assert answer.startswith(reset)
    pair.client.receive_data(reset)
    assert isinstance(pair.client.next_event(), ResetCompleted)
    pair.client.send_break()
    pair.client.receive_data(answer[len(reset):])
    pair.pump(logon_handler(pair))
    assert [type(e) for e in pair.client_events] == [ResetCompleted, ServerErrorReceived]
    error = pair.client_events[-1]
    assert isinstance(error, ServerErrorReceived) and error.code == 1400
    assert cstate(pair) == ClientState.READY and sstate(pair) == ServerState.READY
    pair.client_events.clear()
    pair.client.ping()
    pair.pump(logon_handler(pair))
    assert [type(e) for e in pair.client_events] == [CallCompleted]
