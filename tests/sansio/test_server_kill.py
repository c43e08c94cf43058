"""A killed session in the server role (issue 12, item 7): after ``kill()`` the
machine answers the next call of ANY kind with ORA-00028 itself (execute, fetch,
commit, rollback, ping, LOGOFF, LOB_OP, change of password, get-version, an
unknown function), carries none of it out (no PasswordChanged, no LOB read or
write, no piggybacked close or free), reports ``KillDelivered`` and is CLOSED.
A call the owner is answering when the kill comes is answered ORA-00028 at once;
a break's reset after a kill is answered ORA-00028."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import (
    NEED_DATA,
    BreakReceived,
    CallCompleted,
    ClientClosed,
    ExecuteRequested,
    FetchRequested,
    KillDelivered,
    PingRequested,
    ServerErrorReceived,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.connection.states import ServerState
from oracle_sansio.crypto import Secret
from oracle_sansio.errors import LocalProtocolError
from oracle_sansio.tns.constants import MarkerType
from oracle_sansio.tns.framer import PacketReader
from oracle_sansio.tns.packets import Data, Marker, Packet
from oracle_sansio.ttc.constants import FunctionCode
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.lob import LobOpRequest
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair
from tests.sansio.test_session_calls import _error_of, _header, _raw_call

COLUMNS = (column_for("N", OracleType.NUMBER, precision=10, scale=0),)


def _state(pair: Pair) -> ServerState:
    return pair.server.state  # a call, so mypy does not narrow it between commands


def _owner(pair: Pair) -> Callable[[ServerEvent], None]:
    """An owner that answers queries with one row (and more to come), and nothing else."""

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe(COLUMNS)
            pair.server.send_rows([(1,)])
            pair.server.complete_call(more_rows=True)
        elif isinstance(ev, FetchRequested):
            pair.server.send_rows([(2,)])
            pair.server.complete_call(more_rows=False)

    return handle


def _assert_killed_reply(pair: Pair, function: int | None) -> None:
    """The client got ORA-00028 and nothing else; the server reported only the kill."""
    assert pair.server_events == [KillDelivered(function=function)]
    assert _state(pair) == ServerState.CLOSED
    errors = [e for e in pair.client_events if isinstance(e, ServerErrorReceived)]
    assert len(errors) == 1 and errors[0].info.number == 28
    assert errors[0].info.message == "ORA-00028: your session has been killed"


def _killed_pair() -> tuple[Pair, bytes]:
    """A logged-on pair with an open query (cursor 1) and a stored CLOB, then killed."""
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select n from t"))
    pair.pump(_owner(pair))
    clob = pair.server.lobs.create("hello", ora_type=OracleType.CLOB)
    assert pair.server.kill() is False  # between calls: the next call gets the answer
    assert _state(pair) == ServerState.KILLED
    assert pair.server.kill() is False and _state(pair) == ServerState.KILLED  # twice: no change
    pair.client_events.clear()
    pair.server_events.clear()
    return pair, clob.locator


CALLS: dict[str, tuple[int, Callable[[Pair, bytes], None]]] = {
    "execute": (FunctionCode.EXECUTE, lambda p, _: p.client.execute(ExecuteRequest.for_query("select 2 from t"))),
    "fetch": (FunctionCode.FETCH, lambda p, _: p.client.fetch(1, 10)),
    "commit": (FunctionCode.COMMIT, lambda p, _: p.client.commit()),
    "rollback": (FunctionCode.ROLLBACK, lambda p, _: p.client.rollback()),
    "ping": (FunctionCode.PING, lambda p, _: p.client.ping()),
    "lob_read": (FunctionCode.LOB_OP, lambda p, loc: p.client.lob_op(LobOpRequest.read(loc, 1, 5))),
    "lob_write": (FunctionCode.LOB_OP, lambda p, loc: p.client.lob_op(LobOpRequest.write(loc, 1, b"HELLO"))),
    "change_password": (FunctionCode.AUTH_PHASE_TWO,
                        lambda p, _: p.client.change_password(Secret("tiger"), Secret("lion"))),
    "get_version": (FunctionCode.GET_VERSION, lambda p, _: p.client.get_version()),
}


@pytest.mark.parametrize("kind", list(CALLS))
def test_every_call_of_a_killed_session_is_answered_ora_00028(kind: str) -> None:
    pair, locator = _killed_pair()
    function, send = CALLS[kind]
    send(pair, locator)
    pair.pump(_owner(pair))  # the owner would answer anything: it is never asked
    _assert_killed_reply(pair, function)
    assert pair.server.lobs.content(locator) == "hello"  # neither read nor written


def test_logoff_of_a_killed_session_is_answered_ora_00028() -> None:
    # Oracle's documented cause of ORA-00028 is "you are no longer logged on":
    # the LOGOFF is a call like any other, answered with it, and the session ends.
    pair, _ = _killed_pair()
    pair.client.logoff()
    pair.pump()
    # (then the client sends its EOF packet)
    assert pair.server_events == [KillDelivered(function=FunctionCode.LOGOFF), ClientClosed()]
    assert _state(pair) == ServerState.CLOSED
    assert pair.server.kill() is False  # a session already over: nothing happens


def test_change_password_of_a_killed_session_changes_nothing() -> None:
    pair, _ = _killed_pair()
    events, reply = _raw_call(pair, _change_password_bytes(pair))
    assert events == [KillDelivered(function=FunctionCode.AUTH_PHASE_TWO)]
    info = _error_of(reply)
    assert info.number == 28
    assert not reply.count(b"AUTH_")  # no AUTH parameters: nothing was judged


def _change_password_bytes(pair: Pair) -> bytes:
    pair.client.change_password(Secret("tiger"), Secret("lion"))
    sent = pair.client.data_to_send()
    return sent[10:]  # the TTC payload of the one DATA packet


def test_piggybacks_of_a_killed_session_are_not_carried_out() -> None:
    pair, _ = _killed_pair()
    temp = pair.server.lobs.create("temporary", ora_type=OracleType.CLOB, temporary=True)
    pair.client.close_cursors([1])
    pair.client.free_temporary_lobs([temp.locator])
    pair.client.ping()
    pair.pump()
    _assert_killed_reply(pair, FunctionCode.PING)  # no CursorsClosed, no PingRequested
    assert 1 in pair.server.cursors and pair.server.lobs.content(temp) == "temporary"


def test_unknown_function_of_a_killed_session() -> None:
    pair, _ = _killed_pair()
    events, reply = _raw_call(pair, _header(0x7E) + b"\x01\x02\x03 whatever follows")
    assert events == [KillDelivered(function=0x7E)]  # no CallRefused: ORA-00028, not ORA-03115
    assert _error_of(reply).number == 28


def test_a_killed_sessions_call_is_read_whole_across_packets() -> None:
    pair = logged_on_pair(ServerConfig(sdu=512))
    assert pair.server.kill() is False
    pair.client_events.clear()
    pair.server_events.clear()
    pair.client.execute(ExecuteRequest.for_query("select n from t where n in (" + ",".join(["1"] * 1500) + ")"))
    sent = pair.client.data_to_send()
    assert len(sent) > 2048  # several DATA packets
    pair.server.receive_data(sent[:600])
    assert pair.server.next_event() is NEED_DATA  # no answer before the call is whole
    assert _state(pair) == ServerState.KILLED and not pair.server.data_to_send()
    pair.server.receive_data(sent[600:])
    assert pair.server.next_event() == KillDelivered(function=FunctionCode.EXECUTE)
    assert _state(pair) == ServerState.CLOSED


def test_kill_during_a_call_answers_it_now() -> None:
    pair = logged_on_pair()
    pair.client_events.clear()
    pair.client.ping()
    pair.pump()  # the owner sits on the call
    assert _state(pair) == ServerState.IN_CALL
    assert pair.server.kill() is True
    assert _state(pair) == ServerState.CLOSED
    pair.pump()
    errors = [e for e in pair.client_events if isinstance(e, ServerErrorReceived)]
    assert [e.info.number for e in errors] == [28]
    assert not [e for e in pair.server_events if isinstance(e, KillDelivered)]  # the owner knows: it killed
    with pytest.raises(LocalProtocolError):
        pair.server.complete_call()  # the call is no longer the owner's to answer


def test_kill_drops_what_the_owner_queued() -> None:
    pair = logged_on_pair()
    pair.client.execute(ExecuteRequest.for_query("select n from t"))
    seen: list[ServerEvent] = []

    def handle(ev: ServerEvent) -> None:
        seen.append(ev)
        if isinstance(ev, ExecuteRequested):
            pair.server.send_describe(COLUMNS)
            pair.server.send_rows([(1,)])
            assert pair.server.kill() is True

    pair.client_events.clear()
    pair.pump(handle)
    assert [type(e) for e in pair.client_events] == [ServerErrorReceived]
    assert _state(pair) == ServerState.CLOSED


def test_a_killed_sessions_break_is_answered_ora_00028_after_the_reset() -> None:
    pair, _ = _killed_pair()
    server = pair.server
    server.receive_data(Marker(marker=MarkerType.BREAK).encode(large=True))
    assert server.next_event() is NEED_DATA  # no BreakReceived: no owner's call to stop
    assert _state(pair) == ServerState.KILLED_BREAK
    assert _packets(server.data_to_send()) == [Marker(marker=MarkerType.BREAK)]
    server.receive_data(Data(payload=b"ignored until the reset").encode(large=True))
    assert server.next_event() is NEED_DATA
    server.receive_data(Marker(marker=MarkerType.RESET).encode(large=True))
    assert server.next_event() == KillDelivered(function=None)
    assert _state(pair) == ServerState.CLOSED
    reset, reply = _packets(server.data_to_send())
    assert reset == Marker(marker=MarkerType.RESET)
    assert isinstance(reply, Data) and _error_of(reply.encode(large=True)).number == 28


def _packets(out: bytes) -> list[Packet]:
    reader = PacketReader(large=True)
    reader.receive_data(out)
    packets: list[Packet] = []
    while (packet := reader.next_packet()) is not None:
        packets.append(packet)
    return packets


@pytest.mark.parametrize("answered", [False, True])
def test_kill_during_a_break_answers_the_reset_with_ora_00028(answered: bool) -> None:
    pair = logged_on_pair()
    pair.client.ping()
    pair.pump()
    pair.client.send_break()
    pair.client_events.clear()
    pair.server_events.clear()

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, BreakReceived):
            if answered:  # the answer is held for the client's RESET
                pair.server.send_error(1013, "ORA-01013: user requested cancel of current operation")
            assert pair.server.kill() is False

    pair.pump(handle)
    assert [type(e) for e in pair.server_events] == [BreakReceived, KillDelivered]
    errors = [e for e in pair.client_events if isinstance(e, ServerErrorReceived)]
    assert [e.info.number for e in errors] == [28]
    assert _state(pair) == ServerState.CLOSED


def test_kill_before_logon_is_refused() -> None:
    pair = Pair()
    with pytest.raises(LocalProtocolError):
        pair.server.kill()


def test_an_unkilled_session_still_changes_its_password_and_reads_lobs() -> None:
    # The same calls without a kill: what the kill must prevent does happen otherwise.
    pair = logged_on_pair()
    clob = pair.server.lobs.create("hello", ora_type=OracleType.CLOB)
    pair.client_events.clear()
    pair.client.lob_op(LobOpRequest.read(clob.locator, 1, 5))
    pair.pump()
    assert [type(e).__name__ for e in pair.client_events] == ["LobOpCompleted"]
    pair.client_events.clear()
    pair.client.change_password(Secret("tiger"), Secret("lion"))
    pair.pump()
    assert [type(e) for e in pair.client_events] == [CallCompleted]
    assert [type(e).__name__ for e in pair.server_events][-1] == "PasswordChanged"
    pair.client_events.clear()
    pair.client.ping()
    pair.pump(lambda ev: pair.server.complete_call() if isinstance(ev, PingRequested) else None)
    assert [type(e) for e in pair.client_events] == [CallCompleted]


@pytest.mark.parametrize("marker", [MarkerType.BREAK, MarkerType.RESET])
def test_a_marker_racing_the_end_of_a_killed_call_is_ignored(marker: MarkerType) -> None:
    # The client's call_timeout can send its BREAK (and then RESET) while the kill's
    # ORA-00028 is on the way: the session is over, so the marker changes nothing
    # and is no protocol error (it was logged as "RECV_BREAK is not allowed in state CLOSED").
    pair = logged_on_pair()
    pair.client.ping()
    pair.pump()
    assert pair.server.kill() is True
    sent = pair.server.data_to_send()
    pair.server.receive_data(Marker(marker=marker).encode(large=True))
    assert pair.server.next_event() is NEED_DATA
    assert _state(pair) == ServerState.CLOSED
    assert pair.server.data_to_send() == b""
    assert sent  # the ORA-00028 answer went out before
