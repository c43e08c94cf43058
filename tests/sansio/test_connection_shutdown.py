"""A peer that ends the session in band (a DATA packet with the EOF flag, a
CONTROL packet carrying an error): the machines report it and are CLOSED,
through their transition tables (RECV_SHUTDOWN, RECV_EOF)."""

from __future__ import annotations

import pytest

from oracle_sansio.connection.events import NEED_DATA, ClientClosed, ConnectionClosed, PingRequested
from oracle_sansio.connection.states import ClientState, ServerState
from oracle_sansio.tns.constants import DataFlag
from oracle_sansio.tns.packets import Control, Data
from oracle_sansio.ttc.constants import ErrorNumber
from tests.sansio.test_connection_pair import logged_on_pair


@pytest.mark.parametrize("in_call", [False, True])
def test_client_sees_a_data_eof(in_call: bool) -> None:
    pair = logged_on_pair()
    if in_call:
        pair.client.ping()
    pair.client.receive_data(Data(data_flags=DataFlag.EOF).encode(large=True))
    assert pair.client.next_event() == ConnectionClosed(error_number=int(ErrorNumber.SESSION_SHUTDOWN))
    assert pair.client.state == ClientState.CLOSED
    assert pair.client.next_event() is NEED_DATA


def test_client_sees_a_control_error() -> None:
    pair = logged_on_pair()
    pair.client.receive_data(Control(command=8, data=(0).to_bytes(4, "big") + (12572).to_bytes(4, "big")).encode(large=True))
    assert pair.client.next_event() == ConnectionClosed(error_number=12572)
    assert pair.client.state == ClientState.CLOSED


@pytest.mark.parametrize("in_call", [False, True])
def test_server_sees_a_data_eof(in_call: bool) -> None:
    pair = logged_on_pair()
    if in_call:
        pair.client.ping()
        pair.server.receive_data(pair.client.data_to_send())
        assert isinstance(pair.server.next_event(), PingRequested)
    pair.server.receive_data(Data(data_flags=DataFlag.EOF).encode(large=True))
    assert pair.server.next_event() == ClientClosed()
    assert pair.server.state == ServerState.CLOSED
    # The socket's own end after that is no second event.
    pair.server.receive_data(b"")
    assert pair.server.next_event() is NEED_DATA
