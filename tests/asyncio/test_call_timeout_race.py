"""A call whose answer is read in the loop turn where its call_timeout fires is
answered, not broken: the machine is READY by then, where a break is illegal.
Before, the transport sent the break anyway: the machine raised a bare
LocalProtocolError ("SEND_BREAK is not allowed in state READY") out of the call
and the connection was dead (DPY-4011) from then on.  Seen with call_timeout=1
against EmbeddedServer(delay_ms=1); reproduced here exactly, with no timing, by
letting the answer arrive inside the ``wait_for`` that times out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from oracle_asyncio._transport import Transport
from oracle_sansio.connection.events import CallCompleted, NEED_DATA, PingRequested
from oracle_sansio.connection.states import ClientState
from tests.sansio.pair import Pair
from tests.sansio.test_connection_pair import logged_on_pair


class _Socket(asyncio.Transport):
    """Hands what the client writes to the server machine of ``pair``."""

    def __init__(self, pair: Pair) -> None:
        super().__init__()
        self.pair = pair

    def write(self, data: Any) -> None:
        self.pair.server.receive_data(bytes(data))

    def is_closing(self) -> bool:
        return False


def _answer(pair: Pair, protocol: Transport) -> None:
    """The server answers what it received; the answer reaches the client's transport."""
    while (event := pair.server.next_event()) is not NEED_DATA:
        if isinstance(event, PingRequested):
            pair.server.complete_call()
    protocol.data_received(pair.server.data_to_send())


def test_an_answer_read_as_the_timeout_fires_ends_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = logged_on_pair()
    protocol = Transport(pair.client)
    protocol.connection_made(_Socket(pair))

    async def answer_then_time_out(awaitable: Any, timeout: float) -> Any:
        _answer(pair, protocol)  # the answer and the timer in the same loop turn
        awaitable.cancel()
        raise asyncio.TimeoutError

    async def scenario() -> None:
        with monkeypatch.context() as patch:
            patch.setattr(asyncio, "wait_for", answer_then_time_out)  # as _transport sees it
            events = await protocol.call(pair.client.ping, timeout=0.5)
        assert [type(e) for e in events] == [CallCompleted]
        assert pair.client.state is ClientState.READY and protocol.dead is None
        waiting = asyncio.ensure_future(protocol.call(pair.client.ping))  # the session goes on
        await asyncio.sleep(0)
        _answer(pair, protocol)
        assert [type(e) for e in await waiting] == [CallCompleted]

    asyncio.run(scenario())
