"""Real 23ai capabilities in the server role: end of response and explicit
request boundaries, at the byte level."""

from __future__ import annotations

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    NEED_DATA,
    Accepted,
    CallCompleted,
    ExecuteRequested,
    LogoffRequested,
    RequestBoundary,
    RollbackRequested,
    RowsReceived,
    ServerErrorReceived,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.connection.states import ClientState
from oracle_sansio.ttc.capabilities import SERVER_23AI_COMPILE_CAPS, server_compile_caps, server_runtime_caps
from oracle_sansio.ttc.constants import CompileCap, RuntimeCap
from oracle_sansio.ttc.messages.calls import SessionState
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.negotiate import ProtocolResponse
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_oracle_nio_23ai
from tests.sansio.pair import client_params, counter_entropy
from tests.sansio.test_connection_pair import logged_on_pair

NIO = load_oracle_nio_23ai()

# Provenance: python-oracledb 26.1.0 thin, PYO_DEBUG_PACKETS=1, 2026-12-07: a pool (min=max=1)
# acquire + "select 1 from dual" + release, then pool.close(), against the embedded server
# offering request boundaries at field version 24.  The EXECUTE starts with the SESSION_STATE
# piggyback 11 B0 <seq 03> <token 00> 01 44 (REQUEST_BEGIN | EXPLICIT_BOUNDARY); release sends
# a ROLLBACK behind 01 48 (REQUEST_END | EXPLICIT_BOUNDARY); the LOGOFF of the second, unused
# acquire still carries its pending REQUEST_BEGIN.
PYO_EXECUTE_WITH_BEGIN = bytes.fromhex(
    "00000067060000000000"
    "11B003000144"
    "035E0400028061000101120101"
    "0D000000010204 7FFFFFFF 000000000000000000000001 0000000000000000000000000000 0012"
    "73656C6563742031206672 6F6D206475616C"
    "0101000000000000010100028000000000".replace(" ", "")
)
PYO_ROLLBACK_WITH_END = bytes.fromhex("00000014060000000000" "11B005000148" "030F0600")
PYO_LOGOFF_WITH_BEGIN = bytes.fromhex("00000014060000000000" "11B007000144" "03090800")
#: Our STATUS reply with end of response, as the embedded server sent it in that session; real
#: 23ai's reply to LOGOFF (oracle-nio CloseMessage) has the same frame (data flags 0x2000, 1D last).
STATUS_WITH_EOR = bytes.fromhex("0000000E06000000" "2000" "090000" "1D")


def _drain(pair_server: object) -> list[ServerEvent]:
    from oracle_sansio.connection.server import ServerConnection

    assert isinstance(pair_server, ServerConnection)
    events: list[ServerEvent] = []
    while (ev := pair_server.next_event()) is not NEED_DATA:
        events.append(ev)
    return events


def test_python_oracledb_request_boundaries_reach_the_owner() -> None:
    pair = logged_on_pair()
    server = pair.server
    assert len(PYO_EXECUTE_WITH_BEGIN) == 0x67
    server.receive_data(PYO_EXECUTE_WITH_BEGIN)
    boundary, execute = _drain(server)
    assert boundary == RequestBoundary(begin=True, end=False, state=0x44)
    assert isinstance(execute, ExecuteRequested) and execute.sql == "select 1 from dual"
    server.send_error(942, "ORA-00942: table or view does not exist")
    assert server.data_to_send().endswith(b"\x1d")
    server.receive_data(PYO_ROLLBACK_WITH_END)
    boundary, rollback = _drain(server)
    assert boundary == RequestBoundary(begin=False, end=True, state=0x48)
    assert isinstance(rollback, RollbackRequested)
    server.complete_call()
    assert server.data_to_send() == STATUS_WITH_EOR
    server.receive_data(PYO_LOGOFF_WITH_BEGIN)
    boundary, logoff = _drain(server)
    assert boundary.begin and isinstance(logoff, LogoffRequested)  # type: ignore[union-attr]
    server.complete_call()
    assert server.data_to_send() == STATUS_WITH_EOR


def test_real_23ai_status_reply_has_our_frame() -> None:
    close = NIO["CloseMessage"]
    assert close[8:10] == STATUS_WITH_EOR[8:10] == b"\x20\x00"  # data flags END_OF_RESPONSE
    assert close[10] == STATUS_WITH_EOR[10] == 9 and close[-1] == STATUS_WITH_EOR[-1] == 0x1D


def test_session_state_round_trip() -> None:
    w = Writer()
    SessionState(state=0x44).encode(w, seq=3, token=0)
    assert w.getvalue() == bytes.fromhex("11B003000144")
    r = Reader(w.getvalue())
    FunctionHeader.decode(r, has_token=True)
    state = SessionState.decode_body(r)
    assert state.request_begin and not state.request_end and r.at_end()


def test_server_caps_are_real_23ai_s_when_both_are_on() -> None:
    # Provenance of SERVER_23AI_COMPILE_CAPS: the oracle-nio 23ai capture (AuthenticationChallengeMessage).
    proto = ProtocolResponse.decode(Reader(NIO["AuthenticationChallengeMessage"][10:]))
    assert proto.compile_caps == SERVER_23AI_COMPILE_CAPS
    assert server_compile_caps(24, end_of_response=True, request_boundaries=True) == SERVER_23AI_COMPILE_CAPS
    off = server_compile_caps(24)
    assert off[CompileCap.TTC4] == 0xFF & ~0x60
    assert server_compile_caps(24, end_of_response=True)[CompileCap.TTC4] == 0xFF & ~0x40
    assert server_runtime_caps(request_boundaries=True)[RuntimeCap.TTC] & 0x10
    assert not server_runtime_caps()[RuntimeCap.TTC] & 0x10
    assert server_runtime_caps(request_boundaries=True)[RuntimeCap.TTC] & proto.runtime_caps[RuntimeCap.TTC] == 0x15


@pytest.mark.parametrize(("version", "eor", "rb"), [(319, True, True), (319, False, False), (318, True, True)])
def test_protocol_reply_follows_the_config_and_the_accept(version: int, eor: bool, rb: bool) -> None:
    """TTC4's end-of-response bit is set only when ACCEPT negotiated it (TNS 319 and up)."""
    pair = logged_on_pair(ServerConfig(version=version, end_of_response=eor, request_boundaries=rb))
    accepted = next(e for e in pair.client_events if isinstance(e, Accepted))
    negotiated = eor and version >= 319
    assert accepted.end_of_response == negotiated
    caps = pair.client.caps.server_compile_caps
    assert bool(caps[CompileCap.TTC4] & 0x20) == negotiated
    assert bool(caps[CompileCap.TTC4] & 0x40) == rb
    assert bool(pair.client.caps.server_runtime_caps[RuntimeCap.TTC] & 0x10) == rb
    # Our client asks for no boundaries: its calls carry no SESSION_STATE.
    pair.client.ping()
    pair.pump(lambda ev: pair.server.complete_call())
    assert not any(isinstance(e, RequestBoundary) for e in pair.server_events)
    assert isinstance(pair.client_events[-1], CallCompleted)


@pytest.mark.parametrize("last_flags", [b"\x20\x00", b"\x00\x00"])
def test_client_ends_a_real_23ai_query_at_end_of_response(last_flags: bytes) -> None:
    """Real 23ai's reply to ``SELECT 'hello' FROM dual`` (oracle-nio capture): describe, a row,
    ORA-01403, then 1D; our client ends the call at the 1D, whether its 11-byte packet is
    flagged 0x2000 or not (python-oracledb takes either as the final packet)."""
    pair = logged_on_pair()
    pair.client_events.clear()
    pair.client.execute(ExecuteRequest.for_query("select 'hello' from dual"))
    pair.client.data_to_send()
    body = NIO["SelectOneFromDualMessage"][10:]
    assert body[-1] == 0x1D
    # Split as a server may: everything up to the ERROR in one packet (no flags), the 1D in the
    # next; the ERROR alone does not end the call.
    first = len(body) + 9
    pair.client.receive_data(first.to_bytes(4, "big") + b"\x06\x00\x00\x00\x00\x00" + body[:-1])
    events = []
    while (ev := pair.client.next_event()) is not NEED_DATA:
        events.append(ev)
    assert not any(isinstance(e, (CallCompleted, ServerErrorReceived)) for e in events)
    pair.client.receive_data(bytes.fromhex("0000000B06000000") + last_flags + b"\x1d")
    while (ev := pair.client.next_event()) is not NEED_DATA:
        events.append(ev)
    assert [r for e in events if isinstance(e, RowsReceived) for r in e.rows] == [("hello",)]
    assert isinstance(events[-1], CallCompleted) and pair.client.state == ClientState.READY


@pytest.mark.parametrize("asks", [True, False])
def test_end_of_response_only_for_a_client_that_asks(asks: bool) -> None:
    """python-oracledb 26.1's own packets (tests/vectors/captures, "sync" session): its
    DATA_TYPES has TTC4 0x20 after an ACCEPT offering end of response.  With the bit
    cleared, as go-ora v3 sends it (compile caps byte 40 = 0x47, data_type_nego.go) while
    speaking TNS 319, the server answers the logon with no 1D and no data flag 0x2000."""
    from oracle_sansio.connection.events import ConnectRequested, LogonRequested
    from oracle_sansio.connection.server import ServerConnection
    from tests.captures import load_python_oracledb_client
    from tests.sansio.pair import verifier_for

    packets = dict(load_python_oracledb_client()["sync"][:3])
    types = bytearray(packets["data_types"])
    assert types[10] == 2 and types[16] == 55 and types[17 + CompileCap.TTC4] & 0x20
    if not asks:
        types[17 + CompileCap.TTC4] &= ~0x20
    auth_one = next(raw for label, raw in load_python_oracledb_client()["sync"] if label == "authorization")
    server = ServerConnection(ServerConfig(), entropy=counter_entropy(b"s"))
    server.receive_data(packets["connect"])
    assert isinstance(server.next_event(), ConnectRequested)
    server.accept()
    server.data_to_send()
    for raw in (packets["protocol"], bytes(types)):
        server.receive_data(raw)
        assert server.next_event() is NEED_DATA
        assert server.data_to_send()[8:10] == b"\x00\x00"  # negotiation replies never end with 1D
    server.receive_data(auth_one)
    assert isinstance(server.next_event(), LogonRequested)
    server.accept_user(verifier_for("tiger"), session_id=1, serial_number=1)
    challenge = server.data_to_send()
    assert (challenge[8:10] == b"\x20\x00") is asks
    assert (challenge[-1] == 0x1D) is asks
    assert server.caps.end_of_response is asks
