"""Application context in both roles: the APP_CONTEXT piggyback (function 154) and the
logon's AUTH_APPCTX_* triples, byte for byte as python-oracledb sends them, through the
client machine to the server machine, and malformed or oversized input answered with an
ORA error while the session goes on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    AppContextChanged,
    CallCompleted,
    CallRefused,
    LoggedOnUser,
    LogonRejected,
    PingRequested,
    ServerErrorReceived,
)
from oracle_sansio.connection.states import ServerState
from oracle_sansio.ttc.constants import FunctionCode
from oracle_sansio.ttc.messages.appctx import (
    MAX_ATTRIBUTE,
    MAX_VALUE,
    AppContextChange,
    AppContextError,
    logon_entries,
    logon_pairs,
)
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.wire import Reader, Writer
from tests.sansio.pair import Pair, client_params, counter_entropy
from tests.sansio.test_connection_pair import logged_on_pair, logon_handler
from tests.sansio.test_session_calls import _error_of, _header, _ping_still_works, _raw_call

# python-oracledb 26.1 thin, PYO_DEBUG_PACKETS=1, 2026-12-08: set_app_context("CLIENTCONTEXT",
# ATTR1="VALUE1") and clear_app_context("NS2") before a ping (field version 24: each header
# has a ub8 token, 0 here).
PYO_SET_CLEAR_PING = bytes.fromhex(
    "119a0300 01 010d 01 0101 0101 00 0d434c49454e54434f4e54455854 0105 054154545231 0106 0656414c554531 00"
    "119a040001010300000102 00 034e5332"
    "039305 00".replace(" ", "")
)


def _piggybacks(*changes: AppContextChange, seq: int = 3) -> bytes:
    w = Writer()
    for i, change in enumerate(changes):
        change.encode(w, seq=seq + i, token=0)
    return w.getvalue()


def test_encode_matches_python_oracledb() -> None:
    ours = _piggybacks(AppContextChange(namespace="CLIENTCONTEXT", values=(("ATTR1", "VALUE1"),)),
                       AppContextChange(namespace="NS2", cleared=True))
    w = Writer()
    FunctionHeader(code=FunctionCode.PING, seq=5, token=0).encode(w)
    assert ours + w.getvalue() == PYO_SET_CLEAR_PING


def test_decode_python_oracledb_bytes() -> None:
    r = Reader(PYO_SET_CLEAR_PING)
    FunctionHeader.decode(r, has_token=True)
    first = AppContextChange.decode_body(r)
    FunctionHeader.decode(r, has_token=True)
    second = AppContextChange.decode_body(r)
    assert first == AppContextChange(namespace="CLIENTCONTEXT", values=(("ATTR1", "VALUE1"),))
    assert second == AppContextChange(namespace="NS2", cleared=True)


def test_server_reports_python_oracledb_piggybacks_and_answers_the_call() -> None:
    pair = logged_on_pair()
    server = pair.server

    events, _ = _raw_call(pair, PYO_SET_CLEAR_PING)
    assert events[:2] == [
        AppContextChanged(namespace="CLIENTCONTEXT", values=(("ATTR1", "VALUE1"),)),
        AppContextChanged(namespace="NS2", cleared=True),
    ]
    assert isinstance(events[2], PingRequested)
    server.complete_call()
    assert server.state == ServerState.READY


def test_client_machine_to_server_machine() -> None:
    pair = logged_on_pair()
    pair.server_events.clear()
    pair.client_events.clear()
    client = pair.client
    client.set_app_context("CLIENTCONTEXT", {"A": "1"})
    client.set_app_context("CLIENTCONTEXT", {"B": "é" * 3})
    client.set_app_context("OTHER", None)
    client.ping()
    pair.pump(logon_handler(pair))
    assert pair.server_events[:2] == [
        AppContextChanged(namespace="CLIENTCONTEXT", values=(("A", "1"), ("B", "ééé"))),
        AppContextChanged(namespace="OTHER", cleared=True),
    ]
    assert [type(e) for e in pair.client_events] == [CallCompleted]
    # sent once: the next call carries none
    pair.server_events.clear()
    client.ping()
    pair.pump(logon_handler(pair))
    assert not any(isinstance(e, AppContextChanged) for e in pair.server_events)


def test_context_rides_with_a_cursor_close() -> None:
    # The close's queue handling once emptied the whole queue before the context was written.
    pair = logged_on_pair()
    pair.server_events.clear()
    pair.client.close_cursors([5])
    pair.client.set_app_context("CLIENTCONTEXT", {"A": "1"})
    pair.client.ping()
    pair.pump(logon_handler(pair))
    assert AppContextChanged(namespace="CLIENTCONTEXT", values=(("A", "1"),)) in pair.server_events


def test_logon_triples_reach_the_server() -> None:
    entries = (("CLIENTCONTEXT", "ATTR1", "VALUE1"), ("clientcontext", "attr2", ""))
    params = replace(client_params(), app_context=entries)
    pair = Pair(client=ClientConnection(params, entropy=counter_entropy(b"client")))
    pair.client.start()
    pair.pump(logon_handler(pair))
    logged = [e for e in pair.server_events if isinstance(e, LoggedOnUser)]
    assert len(logged) == 1 and logged[0].app_context == entries


def test_logon_pairs_carry_the_nul_ended_keys() -> None:
    pairs = logon_pairs([("N", "A", "V")])
    assert pairs == [("AUTH_APPCTX_NSPACE\0", "N", 0), ("AUTH_APPCTX_ATTR\0", "A", 0), ("AUTH_APPCTX_VALUE\0", "V", 0)]
    assert logon_entries([("AUTH_X", "y", 0), *pairs]) == (("N", "A", "V"),)


@pytest.mark.parametrize("pairs", [
    logon_pairs([("N", "A", "V")])[:2],
    [logon_pairs([("N", "A", "V")])[i] for i in (1, 0, 2)],
    logon_pairs([("N", "A" * (MAX_ATTRIBUTE + 1), "V")]),
    logon_pairs([("N", "A", "V" * (MAX_VALUE + 1))]),
    logon_pairs([("", "A", "V")]),
])
def test_bad_logon_triples_are_a_typed_error(pairs: list[tuple[str, str, int]]) -> None:
    with pytest.raises(AppContextError):
        logon_entries(pairs)


def test_oversized_logon_triples_refuse_the_logon() -> None:
    entries = (("CLIENTCONTEXT", "A", "V" * (MAX_VALUE + 1)),)
    params = replace(client_params(), app_context=entries)
    pair = Pair(client=ClientConnection(params, entropy=counter_entropy(b"client")))
    pair.client.start()
    pair.pump(logon_handler(pair))
    rejected = [e for e in pair.server_events if isinstance(e, LogonRejected)]
    assert rejected and rejected[0].reason == "APP_CONTEXT_TOO_LARGE"
    errors = [e for e in pair.client_events if isinstance(e, ServerErrorReceived)]
    assert errors and errors[0].info.number == 28268


def _raw_piggyback(body: bytes) -> bytes:
    return _header(FunctionCode.SET_KEY_VALUE, piggyback=True) + body + _header(FunctionCode.PING)


def _body(change: AppContextChange) -> bytes:
    return _piggybacks(change)[4:]  # past the header (11 9a seq token)


@pytest.mark.parametrize(("body", "number"), [
    # an attribute longer than python-oracledb lets a client send: ORA-28268
    (_body(AppContextChange(namespace="N", values=(("A" * (MAX_ATTRIBUTE + 1), "v"),))), 28268),
    (_body(AppContextChange(namespace="N", values=(("A", "v" * (MAX_VALUE + 1)),))), 28268),
    # flags CLEAR with entries; then flags 7
    (bytes.fromhex("01 01 01 01 01 01 01 01 02 00 01 4e 01 01 01 41 01 01 01 42 00".replace(" ", "")), 3115),
    (bytes.fromhex("01 01 01 00 00 01 07 00 01 4e".replace(" ", "")), 3115),
    # the namespace's declared length is not what its CLR holds
    (bytes.fromhex("01 01 05 00 00 01 02 00 01 4e".replace(" ", "")), 3115),
    # an entry count over the limit, a namespace over 128 bytes
    (bytes.fromhex("01 01 01 01 04 7f ff ff ff 01 01 00 01 4e".replace(" ", "")), 28268),
    (bytes.fromhex("01 02 01 00 00 01 02 00".replace(" ", "")), 28268),
    # a value that is not UTF-8
    (bytes.fromhex("01 01 01 01 01 01 01 01 00 01 4e 01 01 01 41 01 01 01 ff 00".replace(" ", "")), 3115),
])
def test_bad_piggyback_is_refused_and_the_session_goes_on(body: bytes, number: int) -> None:
    pair = logged_on_pair()
    events, reply = _raw_call(pair, _raw_piggyback(body))
    assert len(events) == 1 and isinstance(events[0], CallRefused)
    refused = events[0]
    assert refused.piggyback and refused.function == FunctionCode.SET_KEY_VALUE
    assert refused.error_number == number and refused.detail
    assert _error_of(reply).number == number
    assert pair.server.state == ServerState.READY
    _ping_still_works(pair)
