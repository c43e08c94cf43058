"""Connection machines parked in interesting states, copied for each fuzz input."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ConnectRequested, LogonRequested, PingRequested, ServerEvent
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.errors import LocalProtocolError, ProtocolError
from oracle_sansio.ttc.messages.lob import LobOpRequest
from tests.sansio.pair import Pair, counter_entropy, verifier_for


def _handler(pair: Pair) -> Callable[[ServerEvent], None]:
    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            pair.server.accept_user(verifier_for("tiger"), session_id=1, serial_number=1)

    return handle


@cache
def parked() -> tuple[list[ClientConnection], list[ServerConnection]]:
    """Client and server machines in each state worth fuzzing."""
    clients: list[ClientConnection] = []
    servers: list[ServerConnection] = []
    fresh_server = ServerConnection(entropy=counter_entropy(b"s"))
    servers.append(copy.deepcopy(fresh_server))  # IDLE
    pair = Pair()
    pair.client.start()
    clients.append(copy.deepcopy(pair.client))  # CONNECTING
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), ConnectRequested)
    pair.server.accept()
    servers.append(copy.deepcopy(pair.server))  # NEGOTIATING
    # Step the handshake by hand to park both sides in the logon states.
    pair.client.receive_data(pair.server.data_to_send())
    pair.client.next_event()
    clients.append(copy.deepcopy(pair.client))  # NEGOTIATING
    for _ in range(2):
        pair.client.next_event()
    for _ in range(4):  # PROTOCOL, DATA_TYPES, AUTH one
        pair.server.receive_data(pair.client.data_to_send())
        while (sev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(sev, LogonRequested):
                servers.append(copy.deepcopy(pair.server))  # LOGON_RECEIVED
                pair.server.accept_user(verifier_for("tiger"), session_id=1, serial_number=1)
                servers.append(copy.deepcopy(pair.server))  # AUTH_TWO
        pair.client.receive_data(pair.server.data_to_send())
        while pair.client.next_event() is not NEED_DATA:
            pass
        if pair.client.state.name == "AUTHENTICATING" and len(clients) < 3:
            clients.append(copy.deepcopy(pair.client))  # AUTHENTICATING
    pair.pump(_handler(pair))
    clients.append(copy.deepcopy(pair.client))  # READY
    servers.append(copy.deepcopy(pair.server))  # READY
    pair.client.ping()
    clients.append(copy.deepcopy(pair.client))  # IN_CALL
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), PingRequested)
    servers.append(copy.deepcopy(pair.server))  # IN_CALL
    pair.client.send_break()
    clients.append(copy.deepcopy(pair.client))  # IN_CALL with a break sent
    # A LOB_OP in flight: its LOB_DATA / PARAMETER reply parsing gets fuzzed.
    pair2 = Pair()
    pair2.client.start()
    pair2.pump(_handler(pair2))
    value = pair2.server.lobs.create("hello", ora_type=OracleType.CLOB, csfrm=1)
    pair2.client.lob_op(LobOpRequest.read(value.locator, 1, 5))
    clients.append(copy.deepcopy(pair2.client))  # IN_CALL (LOB read)
    return clients, servers


def drive(machine: ClientConnection | ServerConnection, data: bytes, step: int) -> None:
    """Feed ``data`` in ``step``-byte chunks, draining events; then EOF.

    Only ProtocolError may escape; after one, the machine must refuse further use.
    """
    try:
        for pos in range(0, len(data), step):
            machine.receive_data(data[pos : pos + step])
            for _ in range(10_000):
                if machine.next_event() is NEED_DATA:
                    break
            machine.data_to_send()
        machine.receive_data(b"")
        for _ in range(100):
            if machine.next_event() is NEED_DATA:
                break
    except ProtocolError:
        try:
            machine.next_event()
        except LocalProtocolError:
            return
        raise AssertionError("a machine that raised still accepts calls") from None
