"""Connection machines parked in interesting states, copied for each fuzz input."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import TypeVar

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ConnectRequested, LogonRequested, PingRequested, ServerEvent
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.connection.states import CLIENT_TRANSITIONS, SERVER_TRANSITIONS
from oracle_sansio.errors import LocalProtocolError, ProtocolError
from oracle_sansio.limits import DEFAULT_LIMITS
from oracle_sansio.ttc.messages.lob import LobOpRequest
from tests.sansio.pair import Pair, counter_entropy, verifier_for


#: What every machine holds and none changes: the transition tables (about two
#: thirds of a machine's deep copy when copied) and the default limits.
_SHARED: tuple[object, ...] = (CLIENT_TRANSITIONS, SERVER_TRANSITIONS, DEFAULT_LIMITS)

M = TypeVar("M", ClientConnection, ServerConnection)

#: Per parked machine (by id; parked() keeps them alive): the objects its copies share.
_SHARED_BY_TEMPLATE: dict[int, dict[int, object]] = {}


def _immutable(obj: object) -> bool:
    """True for values no machine can change: scalars, and tuples and frozen dataclasses of them."""
    if obj is None or isinstance(obj, (int, float, str, bytes, Enum)):
        return True
    if isinstance(obj, (tuple, frozenset)):
        return all(_immutable(item) for item in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and obj.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return all(_immutable(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    return False


def clone(machine: M) -> M:
    """A deep copy of ``machine`` that shares with it the objects in ``_SHARED`` and,
    for a parked machine, every frozen dataclass it holds that holds nothing mutable."""
    shared = _SHARED_BY_TEMPLATE.get(id(machine))
    if shared is None:
        shared = {id(o): o for o in _SHARED}
    return copy.deepcopy(machine, dict(shared))


def _park(machine: M) -> M:
    """A copy of ``machine`` to keep, with what its own copies may share worked out once."""
    parked_copy = clone(machine)
    memo: dict[int, object] = {id(o): o for o in _SHARED}
    copy.deepcopy(parked_copy, memo)
    originals = memo.get(id(memo), [])
    assert isinstance(originals, list)  # deepcopy keeps every original alive there
    shared = {id(o): o for o in _SHARED}
    shared.update({id(o): o for o in originals if dataclasses.is_dataclass(o) and _immutable(o)})
    _SHARED_BY_TEMPLATE[id(parked_copy)] = shared
    return parked_copy


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
    servers.append(_park(fresh_server))  # IDLE
    pair = Pair()
    pair.client.start()
    clients.append(_park(pair.client))  # CONNECTING
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), ConnectRequested)
    pair.server.accept()
    servers.append(_park(pair.server))  # NEGOTIATING
    # Step the handshake by hand to park both sides in the logon states.
    pair.client.receive_data(pair.server.data_to_send())
    pair.client.next_event()
    clients.append(_park(pair.client))  # NEGOTIATING
    for _ in range(2):
        pair.client.next_event()
    for _ in range(4):  # PROTOCOL, DATA_TYPES, AUTH one
        pair.server.receive_data(pair.client.data_to_send())
        while (sev := pair.server.next_event()) is not NEED_DATA:
            if isinstance(sev, LogonRequested):
                servers.append(_park(pair.server))  # LOGON_RECEIVED
                pair.server.accept_user(verifier_for("tiger"), session_id=1, serial_number=1)
                servers.append(_park(pair.server))  # AUTH_TWO
        pair.client.receive_data(pair.server.data_to_send())
        while pair.client.next_event() is not NEED_DATA:
            pass
        if pair.client.state.name == "AUTHENTICATING" and len(clients) < 3:
            clients.append(_park(pair.client))  # AUTHENTICATING
    pair.pump(_handler(pair))
    clients.append(_park(pair.client))  # READY
    servers.append(_park(pair.server))  # READY
    pair.client.ping()
    clients.append(_park(pair.client))  # IN_CALL
    pair.server.receive_data(pair.client.data_to_send())
    assert isinstance(pair.server.next_event(), PingRequested)
    servers.append(_park(pair.server))  # IN_CALL
    pair.client.send_break()
    clients.append(_park(pair.client))  # IN_CALL with a break sent
    # A LOB_OP in flight: its LOB_DATA / PARAMETER reply parsing gets fuzzed.
    pair2 = Pair()
    pair2.client.start()
    pair2.pump(_handler(pair2))
    value = pair2.server.lobs.create("hello", ora_type=OracleType.CLOB, csfrm=1)
    pair2.client.lob_op(LobOpRequest.read(value.locator, 1, 5))
    clients.append(_park(pair2.client))  # IN_CALL (LOB read)
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
