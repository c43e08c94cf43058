"""Work counting for the driver's pool (pool.py, _pool_sessions.py, and the machine under
them): an acquire/release pair executes as many lines on a pool of 1,000 idle sessions
as on one of 100, and a release handed to the first of 10,000 waiting callers as many
as to the first of 1,000.  Before, every acquire looked at every idle session for a dead
socket and every release searched the sessions for its connection: 10x the lines at
1,000 sessions than at 100 (17,062 -> 125,062 lines for the pair test; now 5,186 both).  The sessions here are stubs
(no server): only the pool's own work is counted."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from types import FrameType, FunctionType
from typing import Any, cast

import pytest

import oracle_asyncio
import oracle_asyncio._pool_sessions as pool_sessions
import oracle_sansio.pool as pool_pkg
from oracle_asyncio import AsyncConnection
from oracle_asyncio._session import Session
from oracle_asyncio._transport import Transport
from oracle_asyncio.pool import AsyncConnectionPool
from oracle_sansio.connection.states import ClientState
from oracle_sansio.crypto.secret import Secret
from oracle_sansio.dsn import parse_dsn
from oracle_sansio.params import ClientParams

_COUNTED = (os.path.dirname(pool_pkg.__file__) + os.sep, os.path.abspath(pool_sessions.__file__),
            os.path.abspath(sys.modules[AsyncConnectionPool.__module__].__file__ or ""))
_DSN = "127.0.0.1:1/stub"


class _StubMachine:
    """What the pool reads of a session's client machine."""

    in_transaction = False
    state = ClientState.READY
    drcp = False

    def logoff(self) -> None:
        pass


class _StubTransport:
    """A logged-on session's transport that never touches a socket."""

    dead = None
    transport = None

    def __init__(self) -> None:
        self.conn = _StubMachine()

    async def call(self, start: Callable[[], Any], *, timeout: float | None) -> list[Any]:
        start()
        return []


async def _stub_session(*args: Any, **kwargs: Any) -> AsyncConnection:
    params = ClientParams(user="scott", password=Secret("tiger"), target=parse_dsn(_DSN))
    return AsyncConnection(Session(cast(Transport, _StubTransport())), params, _DSN)


def _lines(work: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[int]]:
    """A coroutine function running ``work`` and returning the lines of the pool's code it executed."""

    async def counted() -> int:
        count = 0

        def tracer(frame: FrameType, event: str, arg: Any) -> Any:
            nonlocal count
            if not frame.f_code.co_filename.startswith(_COUNTED):
                return None
            count += event == "line"
            return tracer

        previous = sys.gettrace()  # a coverage tracer, if any, gets its place back
        sys.settrace(tracer)
        try:
            await work()
        finally:
            sys.settrace(previous)
        return count

    return counted


async def _pool(size: int) -> AsyncConnectionPool:
    pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=_DSN, min=size,
                                            max=size, increment=0, ping_interval=-1)
    await pool.wait()
    return pool


async def _pairs_on(size: int) -> int:
    pool = await _pool(size)

    async def pairs() -> None:
        for _ in range(20):
            await pool.release(await pool.acquire())

    lines = await _lines(pairs)()
    await pool.close(force=True)
    return lines


def test_acquire_release_work_does_not_grow_with_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_sessions, "open_session", _stub_session)

    async def main() -> tuple[int, int]:
        return await _pairs_on(100), await _pairs_on(1000)

    small, large = asyncio.run(main())
    assert large <= small * 1.1, (small, large)  # measured: equal


async def _hand_downs_with(waiting: int) -> int:
    pool = await _pool(1)
    held = await pool.acquire()
    served = 0

    async def caller() -> None:
        nonlocal served
        conn = await pool.acquire()
        served += 1
        await pool.release(conn)

    tasks = [asyncio.create_task(caller()) for _ in range(waiting)]
    while pool.statistics.waits < waiting:
        await asyncio.sleep(0)

    async def hand_downs() -> None:
        await pool.release(held)  # to the first caller, who releases to the next ...
        while served < 20:
            await asyncio.sleep(0)

    lines = await _lines(hand_downs)()
    await pool.close(force=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return lines


def test_release_to_a_queue_does_not_grow_with_the_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_sessions, "open_session", _stub_session)

    async def main() -> tuple[int, int]:
        return await _hand_downs_with(1000), await _hand_downs_with(10_000)

    small, large = asyncio.run(main())
    assert large <= small * 1.1, (small, large)


async def _calls_of_a_pair(pool: AsyncConnectionPool) -> list[str]:
    """The names of the functions an acquire + release pair calls (the pool's own and the machine's)."""
    names: list[str] = []

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename.startswith(_COUNTED):
            names.append(frame.f_code.co_name)
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        await pool.release(await pool.acquire())
    finally:
        sys.settrace(previous)
    return names


def test_the_usual_acquire_and_release_take_the_fast_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """An idle session with nothing to await is handed over without the acquire coroutine
    and without action objects (PoolMachine.acquire_idle / release_idle); a callback to
    await sends the acquire the general way."""
    monkeypatch.setattr(pool_sessions, "open_session", _stub_session)

    async def main() -> tuple[list[str], list[str]]:
        pool = await _pool(1)
        await pool.release(await pool.acquire())  # the first hand-out of a session is the same
        usual = await _calls_of_a_pair(pool)

        async def callback(conn: AsyncConnection, tag: str | None) -> None:
            pass

        pool.session_callback = callback
        general = await _calls_of_a_pair(pool)
        await pool.close(force=True)
        return usual, general

    usual, general = asyncio.run(main())
    assert "_acquire_now" in usual and "_acquire" not in usual, usual
    assert "_acquire" in general, general
    if isinstance(vars(pool_pkg.PoolMachine)["acquire_idle"], FunctionType):  # the machine is not compiled
        assert "acquire_idle" in usual and "release_idle" in usual, usual
        assert "finish" not in usual and "finish" in general, (usual, general)
