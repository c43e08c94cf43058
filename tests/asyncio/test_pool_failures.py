"""AsyncConnectionPool against the embedded server: logon errors no retry can fix
are never retried (issue 12 item 2), logon failures are logged as state changes
(item 13), a connection of another pool is refused (item 18), and every wait
counts in ``statistics.wait_time`` (item 20).  Timers run on an injected clock."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_pool_clock import FakeClock, acquire, make_pool, turns, until

#: Real time any failing step may take: a refused logon on loopback takes milliseconds.
FAST = 2.0


def run_counting(body: Callable[[EmbeddedServer, list[int]], Awaitable[None]], **kw: object) -> None:
    """Run ``body`` with a server that counts the TCP connections (logon attempts) it accepts."""

    async def main() -> None:
        server = EmbeddedServer(**kw)  # type: ignore[arg-type]
        accepted = [0]
        serve = server._accept

        async def counting(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted[0] += 1
            await serve(reader, writer)

        setattr(server, "_accept", counting)
        async with server:
            await body(server, accepted)

    asyncio.run(asyncio.wait_for(main(), 60))


def bad_pool(server: EmbeddedServer, clock: FakeClock, **kw: object) -> oracle_asyncio.AsyncConnectionPool:
    return oracle_asyncio.create_pool_async(user="scott", password="wrong", dsn=server.dsn, clock=clock,
                                            **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------- item 2


def test_wrong_password_is_tried_once_and_fails_wait_and_acquire_at_once() -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = bad_pool(server, clock, min=1, max=1)
        pending = asyncio.ensure_future(pool.acquire())  # full: waits for the background logon
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(pool.wait(3), FAST)
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(pending, FAST)
        assert accepted[0] == 1
        for _ in range(20):  # an hour of pool time: nothing is retried
            clock.advance(180)
            await turns(20)
        assert accepted[0] == 1 and pool.statistics.connections_failed == 1
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(pool.wait(3), FAST)  # still at once, no new logon
        # An explicit acquire tries exactly once more (as python-oracledb's would).
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(pool.acquire(), FAST)
        assert accepted[0] == 2
        await pool.close()

    run_counting(body)


@pytest.mark.parametrize("code", [28000, 28001, 1045, 28040])
def test_account_errors_are_not_retried(code: int) -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=2, max=4)
        with pytest.raises(oracle_asyncio.DatabaseError, match=f"ORA-{code:05d}"):
            await asyncio.wait_for(pool.wait(3), FAST)
        clock.advance(3600)
        await turns(50)
        assert accepted[0] == 1
        await pool.close()

    run_counting(body, refuse_logons=code)


def test_unavailable_database_is_retried_and_the_pool_heals() -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=2)
        await until(lambda: pool.statistics.connections_failed == 1, "the first logon failed")
        assert not pool.warm
        clock.advance(31)  # beyond the longest backoff
        await until(lambda: pool.statistics.connections_failed == 2, "the retry failed too")
        server.refuse_logons = 0
        clock.advance(31)
        await until(lambda: pool.warm, "the pool warmed up")
        assert accepted[0] == 3
        await pool.close()

    run_counting(body, refuse_logons=1034)


def test_halted_pool_recovers_after_an_explicit_acquire_succeeds() -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=2, max=3)
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-28000"):
            await asyncio.wait_for(pool.wait(3), FAST)
        server.refuse_logons = 0  # the DBA unlocked the account
        conn = await acquire(pool)
        await until(lambda: pool.opened == 2, "the pool refilled to min")
        await pool.release(conn)
        await asyncio.wait_for(pool.wait(3), FAST)
        await pool.close()

    run_counting(body, refuse_logons=28000)


def test_caller_kept_for_a_held_session_fails_when_it_is_dropped_after_a_halt() -> None:
    """A caller waiting on a full pool when a logon fails ORA-01017 is kept while a held
    session could be released to it; when that session is dropped instead it fails at
    once with ORA-01017 (it used to wait forever: WAIT mode, no wait_timeout), and no
    logon is tried for it.  The next explicit acquire makes the one probe."""
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=2, increment=1)
        await asyncio.wait_for(pool.wait(3), FAST)
        held = await acquire(pool)
        server.refuse_logons = 1017  # the password was changed under the pool
        own = asyncio.ensure_future(pool.acquire())  # room: its own logon, refused
        await turns(1)
        waiting = asyncio.ensure_future(pool.acquire())  # full: waits for a release
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(own, FAST)
        await turns(20)
        assert not waiting.done() and accepted[0] == 2
        await pool.drop(held)
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(waiting, FAST)
        clock.advance(3600)
        await turns(20)
        assert accepted[0] == 2  # nothing logged on for it, nothing retried
        server.refuse_logons = 0
        await pool.release(await acquire(pool))  # the probe: the halt lifts
        assert accepted[0] == 3
        await pool.close()

    run_counting(body)


def test_wrong_password_with_a_large_min_costs_one_logon() -> None:
    """min=10 wrong-password logons at once would lock a default-profile account
    (FAILED_LOGIN_ATTEMPTS 10): until a logon succeeds the pool's own go one at a time."""

    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = bad_pool(server, clock, min=10, max=10)
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await asyncio.wait_for(pool.wait(3), FAST)
        clock.advance(3600)
        await turns(50)
        assert accepted[0] == 1
        await pool.close()
        good = make_pool(server, clock, min=10, max=10)  # right password: all ten, soon
        await asyncio.wait_for(good.wait(10), 15)
        assert good.opened == 10 and accepted[0] == 11
        await good.close()

    run_counting(body)


# ------------------------------------------------------------------ item 13


def test_1000_failed_logons_log_a_bounded_number_of_records(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="oracle_asyncio.pool")
    with socket.socket() as probe:  # a loopback port nobody listens on: refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def main() -> None:
        clock = FakeClock()
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=f"127.0.0.1:{port}/x",
                                                clock=clock, min=0, max=4)
        for _ in range(1000):  # 1,000 failed logons in 100 s of pool time
            with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
                await asyncio.wait_for(pool.acquire(), FAST)
            clock.advance(0.1)
        assert pool.statistics.connections_failed == 1000
        await pool.close()

    asyncio.run(asyncio.wait_for(main(), 60))
    messages = [r.getMessage() for r in caplog.records if r.name == "oracle_asyncio.pool"]
    assert len(messages) <= 3, messages  # first failure + one count per 60 s
    assert messages[0].startswith("logons failing: DPY-6005") and "retrying with backoff" in messages[0]
    assert messages[1].startswith("logons still failing: 60") and "failures in 60 s" in messages[1]


def test_recovery_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="oracle_asyncio.pool")

    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=0, max=2)
        for _ in range(5):
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-12516"):
                await acquire(pool)
            clock.advance(1)
        server.refuse_logons = 0
        for _ in range(3):
            await pool.release(await acquire(pool))
        await pool.close()

    run_counting(body, refuse_logons=12516)
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "oracle_asyncio.pool"]
    assert [level for level, _ in messages] == ["WARNING", "INFO"], messages
    assert messages[1][1] == "logons succeed again after 5 failures in 5.0 s"


def test_fatal_error_is_logged_once_as_an_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="oracle_asyncio.pool")

    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        pool = bad_pool(server, FakeClock(), min=1, max=2)
        for _ in range(3):
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
                await acquire(pool)
        await pool.close()

    run_counting(body)
    records = [r for r in caplog.records if r.name == "oracle_asyncio.pool"]
    assert len(records) == 1 and records[0].levelname == "ERROR", records
    assert records[0].getMessage().startswith("logons failing: ORA-01017")
    assert "not retried" in records[0].getMessage()


# ------------------------------------------------------------------ item 18


@pytest.mark.parametrize("method", ["release", "drop"])
def test_connection_of_another_pool_is_refused(method: str) -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool1 = make_pool(server, clock, min=1, max=2)
        pool2 = make_pool(server, clock, min=1, max=2)
        await asyncio.wait_for(pool1.wait(), 10)
        await asyncio.wait_for(pool2.wait(), 10)
        conn = await acquire(pool1)
        before = [(p.busy, p.opened) for p in (pool1, pool2)]
        foreign = "DPY-1001: connection belongs to a different pool"
        with pytest.raises(oracle_asyncio.InterfaceError, match=foreign):
            await getattr(pool2, method)(conn)
        await turns(20)
        assert [(p.busy, p.opened) for p in (pool1, pool2)] == before == [(1, 1), (0, 1)]
        assert await conn.fetchone("select 1 from dual") == (1,)  # still usable
        await getattr(pool1, method)(conn)  # and still its own pool's to give back
        assert pool1.busy == 0
        await pool1.close()
        await pool2.close()

    run_counting(body)


# ------------------------------------------------------------------ item 20


def test_wait_time_counts_timed_out_and_cancelled_waits_in_seconds() -> None:
    async def body(server: EmbeddedServer, accepted: list[int]) -> None:
        clock = FakeClock()
        pool = make_pool(server, clock, min=1, max=1, getmode=oracle_asyncio.POOL_GETMODE_TIMEDWAIT,
                         wait_timeout=300)
        await asyncio.wait_for(pool.wait(), 10)
        held = await acquire(pool)
        timed_out = asyncio.ensure_future(pool.acquire())
        await turns(5)
        clock.advance(0.3)
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4005"):
            await asyncio.wait_for(timed_out, FAST)
        assert pool.statistics.wait_time == pytest.approx(0.3)
        cancelled = asyncio.ensure_future(pool.acquire())
        await turns(5)
        clock.advance(0.2)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        assert pool.statistics.wait_time == pytest.approx(0.5)
        assert (pool.statistics.waits, pool.statistics.timeouts) == (2, 1)
        await pool.release(held)
        await pool.close()

    run_counting(body)
