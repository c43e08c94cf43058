"""Calls beyond python-oracledb's everyday set, in both roles (issue 12, item 6):
an unknown function or piggyback is refused with ORA-03115 and the session
goes on; get-version (function 59); change password, in session and at logon."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    NEED_DATA,
    CallCompleted,
    CallRefused,
    ConnectRequested,
    LoggedOn,
    LoggedOnUser,
    LogonRejected,
    LogonRequested,
    PasswordChanged,
    PingRequested,
    ServerErrorReceived,
    ServerEvent,
    VersionReceived,
)
from oracle_sansio.connection.server import ServerConfig
from oracle_sansio.connection.states import ClientState, ServerState
from oracle_sansio.crypto import Secret, Verifier
from oracle_sansio.crypto.o5logon import verifier_matches
from oracle_sansio.tns.packets import Data
from oracle_sansio.ttc.constants import FunctionCode, MessageType
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.status import ErrorInfo
from oracle_sansio.ttc.wire import Reader, Writer
from tests.sansio.pair import Pair, client_params, counter_entropy, verifier_for
from tests.sansio.test_connection_pair import logged_on_pair


def _raw_call(pair: Pair, body: bytes) -> tuple[list[ServerEvent], bytes]:
    """Send ``body`` to the server as one DATA packet, bypassing the client."""
    server = pair.server
    server.receive_data(Data(payload=body).encode(large=True))
    events: list[ServerEvent] = []
    while (ev := server.next_event()) is not NEED_DATA:
        events.append(ev)
    return events, server.data_to_send()


def _error_of(reply: bytes, field_version: int = 24) -> ErrorInfo:
    r = Reader(reply[10:])
    assert r.ub1() == MessageType.ERROR
    return ErrorInfo.decode_body(r, field_version=field_version)


def _header(code: int, *, piggyback: bool = False) -> bytes:
    w = Writer()
    kind = MessageType.PIGGYBACK if piggyback else MessageType.FUNCTION
    FunctionHeader(code=code, seq=9, token=0, message_type=kind).encode(w)
    return w.getvalue()


def _ping_still_works(pair: Pair) -> None:
    handled: list[ServerEvent] = []

    def handle(ev: ServerEvent) -> None:
        handled.append(ev)
        if isinstance(ev, PingRequested):
            pair.server.complete_call()

    pair.client_events.clear()
    pair.client.ping()
    pair.pump(handle)
    assert [type(e) for e in pair.client_events] == [CallCompleted]
    assert any(isinstance(e, PingRequested) for e in handled)


@pytest.mark.parametrize("code", [0x7E, 200, 162, 128])
def test_unknown_function_is_refused_and_the_session_goes_on(code: int) -> None:
    pair = logged_on_pair()
    events, reply = _raw_call(pair, _header(code) + b"\x01\x02\x03\x04 whatever follows")
    assert events == [CallRefused(function=code, piggyback=False, error_number=3115)]
    info = _error_of(reply)
    assert info.number == 3115 and "ORA-03115" in (info.message or "")
    assert pair.server.state == ServerState.READY
    _ping_still_works(pair)


def test_unknown_piggyback_is_refused_with_its_call() -> None:
    # 205 (python-oracledb's end-user security context piggyback), then a PING.
    pair = logged_on_pair()
    body = _header(205, piggyback=True) + b"\x01\x05" + _header(FunctionCode.PING)
    events, reply = _raw_call(pair, body)
    assert events == [CallRefused(function=205, piggyback=True, error_number=3115)]
    assert _error_of(reply).number == 3115
    _ping_still_works(pair)


def test_get_version_both_roles() -> None:
    pair = logged_on_pair(ServerConfig(db_version=(23, 5, 0, 24, 7), version_banner="Oracle Database 23ai Free"))
    pair.client_events.clear()
    pair.client.get_version()
    pair.pump()
    assert pair.client_events == [
        VersionReceived(banner="Oracle Database 23ai Free", number=23 << 24, version=(23, 0, 0, 0, 0))
    ]
    assert pair.client.state == ClientState.READY and pair.server.state == ServerState.READY
    _ping_still_works(pair)


def test_get_version_as_go_ora_sends_it() -> None:
    # go-ora db_version.go at field version 24 (with the 23ai token): pointer,
    # ub2 256, two pointers, ub4 1.
    pair = logged_on_pair()
    body = _header(FunctionCode.GET_VERSION) + bytes.fromhex("01 02 01 00 01 01 01 01")
    events, reply = _raw_call(pair, body)
    assert events == []
    r = Reader(reply[10:])
    assert r.ub1() == MessageType.PARAMETER
    size = r.ub2()
    assert r.raw(size).startswith(b"Oracle Database 23ai") and r.ub4() == 23 << 24
    assert r.ub1() == MessageType.ERROR
    _ping_still_works(pair)


def _current_verifier(events: list[ServerEvent], first: Verifier) -> Verifier:
    changed = [e for e in events if isinstance(e, PasswordChanged)]
    return changed[-1].verifier if changed else first


def test_change_password_in_session() -> None:
    pair = logged_on_pair()
    pair.client_events.clear()
    pair.client.change_password(Secret("wrong"), Secret("lion"))
    pair.pump()
    assert len(pair.client_events) == 1 and isinstance(pair.client_events[0], ServerErrorReceived)
    assert pair.client_events[0].info.number == 28008
    assert not any(isinstance(e, PasswordChanged) for e in pair.server_events)

    pair.client_events.clear()
    pair.client.change_password(Secret("tiger"), Secret("lion"))
    pair.pump()
    assert [type(e) for e in pair.client_events] == [CallCompleted]
    changed = [e for e in pair.server_events if isinstance(e, PasswordChanged)]
    assert len(changed) == 1 and changed[0].user == "scott"
    new = changed[0].verifier
    assert verifier_matches(new, Secret(b"lion")) and not verifier_matches(new, Secret(b"tiger"))
    assert "lion" not in repr(changed[0]) and "tiger" not in repr(pair.client)
    # The old password now proves nothing to the session either.
    pair.client_events.clear()
    pair.client.change_password(Secret("tiger"), Secret("x"))
    pair.pump()
    assert isinstance(pair.client_events[0], ServerErrorReceived)
    _ping_still_works(pair)


def _logon(password: str, verifier: Verifier, *, new_password: str | None = None) -> Pair:
    params = client_params(password)
    if new_password is not None:
        params = replace(params, new_password=Secret(new_password))
    pair = Pair(client=ClientConnection(params, entropy=counter_entropy(b"c")))

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.accept_user(verifier, session_id=5, serial_number=6)

    pair.client.start()
    pair.pump(handle)
    return pair


def test_new_password_at_logon() -> None:
    old = verifier_for("tiger")
    pair = _logon("tiger", old, new_password="lion")
    assert isinstance(pair.client_events[-1], LoggedOn)
    kinds = [type(e) for e in pair.server_events]
    assert kinds == [ConnectRequested, LogonRequested, PasswordChanged, LoggedOnUser]
    new = _current_verifier(pair.server_events, old)
    assert verifier_matches(new, Secret(b"lion"))
    logged = pair.server_events[-1]
    assert isinstance(logged, LoggedOnUser) and "AUTH_NEWPASSWORD" not in dict(logged.parameters)
    # Then the new password logs on and the old one fails.
    assert isinstance(_logon("lion", new).client_events[-1], LoggedOn)
    refused = _logon("tiger", new)
    assert isinstance(refused.server_events[-1], LogonRejected)
    last = refused.client_events[-1]
    assert isinstance(last, ServerErrorReceived) and last.info.number == 1017


def test_new_password_with_a_wrong_old_one_is_refused() -> None:
    pair = _logon("nope", verifier_for("tiger"), new_password="lion")
    assert not any(isinstance(e, PasswordChanged) for e in pair.server_events)
    last = pair.client_events[-1]
    assert isinstance(last, ServerErrorReceived) and last.info.number == 1017


def _expired_logon(password: str, new_password: str | None) -> Pair:
    params = client_params(password)
    if new_password is not None:
        params = replace(params, new_password=Secret(new_password))
    pair = Pair(client=ClientConnection(params, entropy=counter_entropy(b"c")))

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.accept_user(verifier_for("tiger"), session_id=5, serial_number=6, password_expired=True)

    pair.client.start()
    pair.pump(handle)
    return pair


def test_expired_password_needs_a_new_one() -> None:
    refused = _expired_logon("tiger", None)
    last = refused.client_events[-1]
    assert isinstance(last, ServerErrorReceived) and last.info.number == 28001
    rejected = refused.server_events[-1]
    assert isinstance(rejected, LogonRejected) and rejected.reason == "PASSWORD_EXPIRED"
    # A wrong password still gets ORA-01017, expired or not (it tells nothing more).
    wrong = _expired_logon("nope", "lion").client_events[-1]
    assert isinstance(wrong, ServerErrorReceived) and wrong.info.number == 1017
    changed = _expired_logon("tiger", "lion")
    assert isinstance(changed.client_events[-1], LoggedOn)
    assert any(isinstance(e, PasswordChanged) for e in changed.server_events)


@pytest.mark.parametrize("code", [FunctionCode.FETCH, FunctionCode.REEXECUTE, FunctionCode.REEXECUTE_AND_FETCH])
def test_call_on_a_cursor_never_opened_is_ora_01001_and_the_session_goes_on(code: int) -> None:
    # A FETCH or re-execute naming cursor 77, which this session never opened:
    # well-formed, so Oracle's "invalid cursor", not the end of the session.
    pair = logged_on_pair()
    w = Writer()
    words = (77, 1) if code == FunctionCode.FETCH else (77, 1, 0, 0)  # cursor id, rows / iterations, options
    for value in words:
        w.ub4(value)
    events, reply = _raw_call(pair, _header(code) + w.getvalue())
    assert [(type(e), getattr(e, "error_number", None)) for e in events] == [(CallRefused, 1001)]
    info = _error_of(reply)
    assert info.number == 1001 and (info.message or "").startswith("ORA-01001: invalid cursor")
    assert pair.server.state == ServerState.READY
    _ping_still_works(pair)
