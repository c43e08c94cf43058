"""A listener that answers every CONNECT with RESEND (issue 12, item 11) used to
make the client send CONNECT again forever: 1.44M round trips in 60 s, stopped
only by connect_timeout.  The client machine now resends at most
``Limits.max_resends`` times per CONNECT, then fails with a typed error naming
the resend loop (the driver's side: tests/asyncio/test_resend_loop_driver.py).
"""

from __future__ import annotations

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA
from oracle_sansio.connection.states import ClientState
from oracle_sansio.errors import LimitExceededError, LocalProtocolError
from oracle_sansio.limits import DEFAULT_LIMITS, Limits
from oracle_sansio.tns.packets import Resend
from tests.sansio.pair import client_params, counter_entropy


def _resends_until_failure(limits: Limits) -> tuple[int, LimitExceededError, ClientConnection]:
    client = ClientConnection(client_params(), entropy=counter_entropy(b"resend"), limits=limits)
    client.start()
    connect = client.data_to_send()
    for count in range(1, 1000):
        client.receive_data(Resend().encode())
        try:
            assert client.next_event() is NEED_DATA
        except LimitExceededError as exc:
            return count, exc, client
        assert client.data_to_send() == connect  # the same CONNECT again
    raise AssertionError("the client resent CONNECT 1000 times")


def test_the_machine_resends_at_most_max_resends_times() -> None:
    count, exc, client = _resends_until_failure(DEFAULT_LIMITS)
    assert count == DEFAULT_LIMITS.max_resends + 1 == 6
    assert "resend loop" in str(exc)
    assert client.state is ClientState.ERROR
    with pytest.raises(LocalProtocolError):
        client.next_event()


def test_the_cap_follows_the_limits() -> None:
    count, _, _ = _resends_until_failure(Limits(max_resends=1))
    assert count == 2


def test_a_few_resends_then_accept_still_work() -> None:
    """Real listeners send one RESEND (test_connection_pair covers the pair); the
    cap counts per CONNECT, so a machine that resent max_resends times is still
    waiting for ACCEPT, not failed."""
    client = ClientConnection(client_params(), entropy=counter_entropy(b"resend"))
    client.start()
    client.data_to_send()
    for _ in range(DEFAULT_LIMITS.max_resends):
        client.receive_data(Resend().encode())
        assert client.next_event() is NEED_DATA
    assert client.state is ClientState.CONNECTING
