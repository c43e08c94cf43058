"""``ends_step``: the one list of events after which the client machine waits for a command.

Drivers (oracle_asyncio's transport, the examples, docs/embedding.md) all stop reading on these;
a new event class must be placed on one side of the line on purpose."""

from __future__ import annotations

import typing

from oracle_sansio import (
    STEP_ENDING_EVENTS,
    Accepted,
    CallCompleted,
    ClientEvent,
    ConnectionClosed,
    Described,
    LobOpCompleted,
    LoggedOn,
    Negotiated,
    OutBindsReceived,
    Redirected,
    Refused,
    ResetCompleted,
    RowsReceived,
    ServerErrorReceived,
    TlsRenegotiationRequested,
    VersionReceived,
    WarningReceived,
    ends_step,
)
from oracle_sansio.connection.server import ServerConfig
from tests.sansio.test_connection_pair import logged_on_pair

#: Events that come before the step's end, within the same step.
_WITHIN_A_STEP = {Accepted, Negotiated, Described, RowsReceived, OutBindsReceived, WarningReceived,
                  ResetCompleted}


def test_every_client_event_is_placed_on_one_side() -> None:
    every = set(typing.get_args(ClientEvent))
    assert STEP_ENDING_EVENTS | _WITHIN_A_STEP == every
    assert not STEP_ENDING_EVENTS & _WITHIN_A_STEP


def test_ends_step_answers_for_instances() -> None:
    assert ends_step(CallCompleted())
    assert ends_step(ConnectionClosed())
    assert ends_step(LoggedOn.__new__(LoggedOn))
    assert ends_step(TlsRenegotiationRequested.__new__(TlsRenegotiationRequested))
    assert {LobOpCompleted, Refused, Redirected, ServerErrorReceived} <= STEP_ENDING_EVENTS
    assert not ends_step(ResetCompleted())
    assert not ends_step(Accepted(version=315, sdu=8192, tdu=65535, end_of_response=False))
    assert not ends_step(object())


def test_get_version_ends_its_step() -> None:
    # VersionReceived is the call's last event: a driver reading until ends_step() blocked
    # on a socket the server had nothing more to send on.
    pair = logged_on_pair(ServerConfig(version_banner="Oracle Database 23ai Free"))
    pair.client_events.clear()
    pair.client.get_version()
    pair.pump()
    assert [ends_step(event) for event in pair.client_events] == [True]
