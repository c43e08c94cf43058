"""AsyncConnectionPool's timers driven by an injected clock (no sleeping).

``create_pool_async(..., clock=FakeClock())``: the pool reads the time from the
fake and schedules its one timer on it; ``advance(dt)`` runs the callbacks that
fall due, in order, each at its own time.  Tasks the pool spawns then run on
the real event loop; ``until(predicate)`` gives the loop a bounded number of
turns (``asyncio.sleep(0)``) for them, so a broken pool fails fast instead of
hanging.  The server is EmbeddedServer on loopback.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run

#: Loop turns ``until`` allows: loopback round trips with the server on the same
#: loop take a few dozen; this bound only stops a broken pool from spinning forever.
TURNS = 200_000


@dataclass(order=True)
class _Timer:
    when: float
    seq: int
    callback: Callable[[], object] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class FakeClock:
    """``time()`` and ``call_at()`` as the pool's ``Clock`` protocol asks; time moves
    only in ``advance``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._timers: list[_Timer] = []
        self._seq = itertools.count()

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], object]) -> _Timer:
        timer = _Timer(when, next(self._seq), callback)
        self._timers.append(timer)
        return timer

    @property
    def pending(self) -> list[float]:
        """Due times of the timers not cancelled and not run yet."""
        return sorted(t.when for t in self._timers if not t.cancelled)

    def advance(self, dt: float) -> None:
        """Move time forward by ``dt``, running every callback that falls due on the
        way at its own time (callbacks may schedule more; those run too if due)."""
        target = self.now + dt
        for _ in range(10_000):
            due = [t for t in self._timers if not t.cancelled and t.when <= target]
            if not due:
                break
            timer = min(due)
            self._timers.remove(timer)
            self.now = max(self.now, timer.when)
            timer.callback()
        else:
            raise AssertionError("timer callbacks keep rescheduling themselves")
        self.now = target

    def fire_early(self) -> None:
        """Run every pending callback now, before it is due (an early wake-up)."""
        timers, self._timers = [t for t in self._timers if not t.cancelled], []
        for timer in timers:
            timer.callback()


async def until(predicate: Callable[[], bool], what: str = "condition") -> None:
    """Let the loop run until ``predicate()`` holds, for at most TURNS turns."""
    for _ in range(TURNS):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"{what} did not hold within {TURNS} loop turns")


async def turns(n: int = 50) -> None:
    """Give the loop ``n`` turns (for asserting that something does NOT happen)."""
    for _ in range(n):
        await asyncio.sleep(0)


def make_pool(server: EmbeddedServer, clock: FakeClock, **kw: Any) -> oracle_asyncio.AsyncConnectionPool:
    return oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, clock=clock, **kw)


async def acquire(pool: oracle_asyncio.AsyncConnectionPool) -> oracle_asyncio.AsyncConnection:
    """An acquire that must complete (loopback logons take milliseconds)."""
    return await asyncio.wait_for(pool.acquire(), 10)


def test_fake_clock_runs_due_callbacks_in_order() -> None:
    clock = FakeClock(0.0)
    seen: list[tuple[str, float]] = []
    clock.call_at(5, lambda: seen.append(("b", clock.time())))
    clock.call_at(2, lambda: seen.append(("a", clock.time())))
    clock.call_at(9, lambda: seen.append(("c", clock.time()))).cancel()
    clock.advance(4)
    assert seen == [("a", 2)] and clock.time() == 4
    clock.advance(10)
    assert seen == [("a", 2), ("b", 5)] and clock.time() == 14 and clock.pending == []


def test_timeout_shrinks_idle_connections_to_min() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=3, timeout=30)
        held = await asyncio.wait_for(asyncio.gather(*(pool.acquire() for _ in range(3))), 10)
        assert (pool.opened, pool.busy) == (3, 3)
        clock.advance(100)  # busy connections are never shrunk
        assert pool.opened == 3
        for conn in held:
            await pool.release(conn)
        assert (pool.opened, pool.busy) == (3, 0)
        clock.advance(29)
        await turns()
        assert pool.opened == 3
        clock.advance(1.5)
        assert pool.opened == 1
        await until(lambda: len(server.sessions) == 1, "the shrunk sessions logged off")
        clock.advance(1000)  # never below min
        await turns()
        assert pool.opened == 1
        async with pool.acquire() as conn:
            assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.close()

    run(body)


def test_timeout_counts_from_the_last_release() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=0, max=2, timeout=30)
        a, b = await asyncio.wait_for(asyncio.gather(pool.acquire(), pool.acquire()), 10)
        await pool.release(a)
        clock.advance(20)
        await pool.release(b)
        clock.advance(15)  # a idle 35 s, b idle 15 s
        assert pool.opened == 1
        again = await acquire(pool)
        assert again is b  # the survivor is the one released last
        await pool.release(again)
        clock.advance(30)
        assert pool.opened == 0
        await pool.close()

    run(body)


def test_max_lifetime_session_closes_old_session_instead_of_handing_it_out() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=2, max_lifetime_session=10, ping_interval=-1)
        conn = await acquire(pool)
        first = conn.session_id
        await pool.release(conn)
        clock.advance(5)
        conn = await acquire(pool)
        assert conn.session_id == first  # young enough
        await pool.release(conn)
        clock.advance(6)  # 11 s old
        conn = await acquire(pool)
        assert conn.session_id != first
        assert await conn.fetchone("select 2 from dual") == (2,)
        await until(lambda: first not in {s.sid for s in server.sessions}, "the old session closed")
        assert (pool.opened, pool.busy) == (1, 1)
        clock.advance(11)  # expires while busy: closed on release, not under the caller
        assert await conn.fetchone("select 3 from dual") == (3,)
        second = conn.session_id
        await pool.release(conn)
        await until(lambda: second not in {s.sid for s in server.sessions}, "closed on release")
        conn = await acquire(pool)
        assert conn.session_id not in (first, second)
        await pool.release(conn)
        await pool.close()

    run(body)


def test_ping_interval_pings_only_after_idle_longer_than_interval() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=1, ping_interval=10)
        conn = await acquire(pool)
        sid = conn.session_id
        await pool.release(conn)
        clock.advance(5)
        conn = await acquire(pool)
        assert pool.statistics.pings == 0
        await pool.release(conn)
        clock.advance(10)  # exactly the interval: python-oracledb pings only when idle longer
        conn = await acquire(pool)
        assert pool.statistics.pings == 0
        await pool.release(conn)
        clock.advance(11)
        conn = await acquire(pool)
        assert pool.statistics.pings == 1 and pool.statistics.pings_failed == 0
        assert conn.session_id == sid
        # A session killed behind an idle connection: the ping finds it, the caller
        # gets a new working session and never sees an error.
        await pool.release(conn)
        assert server.kill_session(sid)
        clock.advance(11)
        conn = await acquire(pool)
        assert conn.session_id != sid
        assert await conn.fetchone("select 1 from dual") == (1,)
        assert (pool.opened, pool.busy) == (1, 1)
        await pool.release(conn)
        await pool.close()

    run(body)


def test_failed_ping_of_a_silently_dead_session_is_replaced() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=1, ping_interval=10)
        conn = await acquire(pool)
        sid = conn.session_id
        await pool.release(conn)
        # The ping round trip itself fails (the client has not noticed the kill yet).
        assert server.kill_session(sid)
        clock.advance(11)
        conn = await acquire(pool)
        assert conn.session_id != sid and await conn.fetchone("select 1 from dual") == (1,)
        stats = pool.statistics
        assert stats.pings == 1 and stats.pings_failed == 1
        await pool.release(conn)
        await pool.close()

    run(body)


def test_timedwait_expires_and_release_before_expiry_hands_over() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=1, getmode=oracle_asyncio.POOL_GETMODE_TIMEDWAIT,
                         wait_timeout=500)
        assert pool.wait_timeout == 500.0 and isinstance(pool.wait_timeout, float)
        held = await acquire(pool)
        waiter = asyncio.ensure_future(pool.acquire())
        await turns()
        clock.advance(0.4)
        await turns()
        assert not waiter.done()
        clock.advance(0.11)
        await until(waiter.done, "the TIMEDWAIT acquire failed")
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4005"):
            waiter.result()
        assert pool.statistics.timeouts == 1
        # A release before expiry hands the connection over.
        waiter = asyncio.ensure_future(pool.acquire())
        await turns()
        clock.advance(0.3)
        await pool.release(held)
        got = await asyncio.wait_for(waiter, 10)
        assert got is held and pool.busy == 1
        clock.advance(10)  # the expired deadline of a served waiter does nothing
        await turns()
        assert await got.fetchone("select 1 from dual") == (1,)
        await pool.release(got)
        assert (pool.opened, pool.busy) == (1, 0)
        await pool.close()

    run(body)


def test_leak_threshold_logs_once_per_checkout(caplog: pytest.LogCaptureFixture) -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=2, leak_threshold=5)
        conn = await acquire(pool)
        clock.advance(4)
        assert not [r for r in caplog.records if "held for" in r.getMessage()]
        clock.advance(2)
        leaks = [r for r in caplog.records if "held for" in r.getMessage()]
        assert len(leaks) == 1 and leaks[0].levelno == logging.WARNING
        assert leaks[0].name == "oracle_asyncio.pool" and "5.0 s" in leaks[0].getMessage()
        clock.advance(100)
        assert len([r for r in caplog.records if "held for" in r.getMessage()]) == 1
        await pool.release(conn)
        conn = await acquire(pool)
        clock.advance(4.9)
        await pool.release(conn)  # released in time: no report
        clock.advance(100)
        assert len([r for r in caplog.records if "held for" in r.getMessage()]) == 1
        conn = await acquire(pool)
        clock.advance(5)
        assert len([r for r in caplog.records if "held for" in r.getMessage()]) == 2
        await pool.release(conn)
        await pool.close()

    caplog.set_level(logging.WARNING, logger="oracle_asyncio.pool")
    run(body)


def test_early_timer_wake_up_rearms() -> None:
    """The machine's contract: early or duplicate wake-ups are harmless.  The driver
    must keep a timer armed when a wake-up found nothing due."""

    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=0, max=1, timeout=30)
        conn = await acquire(pool)
        await pool.release(conn)
        assert clock.pending == [clock.now + 30]
        clock.fire_early()
        assert pool.opened == 1
        assert clock.pending == [clock.now + 30]
        clock.advance(31)
        assert pool.opened == 0
        await pool.close()

    run(body)


def test_timer_stays_right_when_a_cancelled_waiter_is_handed_a_connection() -> None:
    """A release hands the connection to a waiter whose task was cancelled but has
    not run yet; the connection goes back idle and the timer must follow (idle shrink)."""

    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=0, max=1, timeout=30, leak_threshold=100)
        held = await acquire(pool)
        waiter = asyncio.ensure_future(pool.acquire())
        await turns()
        clock.advance(10)
        waiter.cancel()
        await pool.release(held)  # handed to the cancelled waiter, then given back
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert (pool.opened, pool.busy) == (1, 0)
        clock.advance(31)
        assert pool.opened == 0
        await pool.close()

    run(body)


def test_logon_finishing_after_its_give_up_is_not_leaked() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=1)
        clock.advance(121)  # the background logon (still in flight) is given up on
        assert pool.opened == 0
        await turns(200)
        clock.advance(60)  # the retry backoff
        conn = await acquire(pool)
        assert await conn.fetchone("select 1 from dual") == (1,)
        await until(lambda: len(server.sessions) == 1, "only the pool's session is logged on")
        await pool.release(conn)
        await pool.close()
        await until(lambda: not server.sessions, "every session logged off after close")

    run(body)


def test_background_logon_failure_retried_after_backoff() -> None:
    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        server.refuse_logons = 1034  # ORA-01034 ORACLE not available: worth a retry
        pool = make_pool(server, clock, min=2, max=2)
        await until(lambda: pool.statistics.connections_failed >= 1, "the first logon failed")
        await turns()
        # Until a logon succeeds the pool's own go one at a time.
        assert pool.opened == 0 and pool.statistics.connections_failed == 1
        server.refuse_logons = 0
        await turns()
        assert pool.opened == 0  # nothing retries before the backoff
        clock.advance(60)
        await until(lambda: pool.opened == 2, "the retried logons succeeded")
        await pool.close()

    run(body)
