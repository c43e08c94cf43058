"""Every (state, input) pair of both machines' tables (h2's test_state_machines)."""

from __future__ import annotations

import itertools
from enum import Enum
from typing import Any
from collections.abc import Callable, Mapping

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.connection.states import (
    CLIENT_TRANSITIONS,
    SERVER_TRANSITIONS,
    ClientInput,
    ClientState,
    ServerInput,
    ServerState,
)
from oracle_sansio.errors import LocalProtocolError, ProtocolError, RemoteProtocolError
from tests.sansio.pair import client_params, counter_entropy


def _client() -> ClientConnection:
    return ClientConnection(client_params(), entropy=counter_entropy(b"c"))


def _server() -> ServerConnection:
    return ServerConnection(entropy=counter_entropy(b"s"))


def _check_move(conn: ClientConnection | ServerConnection, state: Enum, inp: Enum,
                table: Mapping[tuple[Any, Any], Enum], error_state: Enum) -> None:
    """A legal pair moves as the table says; an illegal one raises and leaves ERROR."""
    conn._state = state  # type: ignore[assignment]
    local = inp.name.startswith("SEND")
    expected = table.get((state, inp))
    if expected is not None:
        conn._move(inp, local=local)  # type: ignore[arg-type]
        assert conn.state == expected
        return
    with pytest.raises(LocalProtocolError if local else RemoteProtocolError):
        conn._move(inp, local=local)  # type: ignore[arg-type]
    assert conn.state == error_state
    with pytest.raises(LocalProtocolError, match="unusable"):
        conn.next_event()
    with pytest.raises(LocalProtocolError, match="unusable"):
        conn.receive_data(b"x")


@pytest.mark.parametrize(("state", "inp"), list(itertools.product(ClientState, ClientInput)))
def test_client_table(state: ClientState, inp: ClientInput) -> None:
    _check_move(_client(), state, inp, CLIENT_TRANSITIONS, ClientState.ERROR)


@pytest.mark.parametrize(("state", "inp"), list(itertools.product(ServerState, ServerInput)))
def test_server_table(state: ServerState, inp: ServerInput) -> None:
    _check_move(_server(), state, inp, SERVER_TRANSITIONS, ServerState.ERROR)


def test_tables_name_only_real_states() -> None:
    # Terminal states have no way out except EOF bookkeeping.
    assert not [k for k, v in CLIENT_TRANSITIONS.items() if k[0] == ClientState.ERROR]
    assert not [k for k, v in SERVER_TRANSITIONS.items() if k[0] == ServerState.ERROR]
    reachable = {ClientState.IDLE} | set(CLIENT_TRANSITIONS.values())
    assert reachable == set(ClientState) - {ClientState.ERROR}
    reachable_s = {ServerState.IDLE} | set(SERVER_TRANSITIONS.values())
    assert reachable_s == set(ServerState) - {ServerState.ERROR}


CLIENT_COMMANDS: dict[str, Callable[[ClientConnection], None]] = {
    "start": lambda c: c.start(),
    "ping": lambda c: c.ping(),
    "commit": lambda c: c.commit(),
    "rollback": lambda c: c.rollback(),
    "logoff": lambda c: c.logoff(),
    "send_break": lambda c: c.send_break(),
}
LEGAL = {
    "start": {ClientState.IDLE},
    "ping": {ClientState.READY},
    "commit": {ClientState.READY},
    "rollback": {ClientState.READY},
    "logoff": {ClientState.READY},
    "send_break": {ClientState.IN_CALL, ClientState.RESETTING},
}


@pytest.mark.parametrize(("state", "command"), list(itertools.product(ClientState, CLIENT_COMMANDS)))
def test_client_commands_in_every_state(state: ClientState, command: str) -> None:
    conn = _client()
    conn._state = state
    if state == ClientState.ERROR:
        conn._error = LocalProtocolError("earlier")
    if state in LEGAL[command]:
        CLIENT_COMMANDS[command](conn)
        assert conn.data_to_send()
        return
    if command == "send_break" and state == ClientState.READY:
        # A timeout that fires just after the answer was read: nothing to interrupt, no misuse.
        conn.send_break()
        assert conn.data_to_send() == b"" and conn.state == ClientState.READY
        return
    with pytest.raises(ProtocolError):
        CLIENT_COMMANDS[command](conn)
    assert conn.state == ClientState.ERROR
