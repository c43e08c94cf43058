"""AsyncConnectionPool's whole public surface against EmbeddedServer (loopback).

Attributes and their python-oracledb quirks, the pool cache (``pool_alias``),
constructor validation, callbacks, cancellation of ``acquire()`` at every
await point, sessions lost under the pool, stalled logons, many callers, and
misuse of ``release``/``drop``.  No sleeping: tasks get loop turns
(``asyncio.sleep(0)``); anything that must finish is awaited under a generous
``asyncio.wait_for`` bound.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import AsyncConnection, AsyncConnectionPool
from oracle_asyncio._session import session_of
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run
from tests.asyncio.test_pool_clock import turns, until

BOUND = 10  # seconds: the bound around anything that must complete


def make_pool(server: EmbeddedServer, **kw: Any) -> AsyncConnectionPool:
    return oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, **kw)


async def acquire(pool: AsyncConnectionPool) -> AsyncConnection:
    return await asyncio.wait_for(pool.acquire(), BOUND)


async def assert_slots_intact(pool: AsyncConnectionPool) -> None:
    """No slot was lost: ``max`` acquires still succeed, each connection works,
    and afterwards nothing is busy and nothing beyond ``max`` is open."""
    size = pool.max
    held = [await acquire(pool) for _ in range(size)]
    assert pool.busy == size and pool.opened <= size
    for conn in held:
        assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.release(conn)
    assert pool.busy == 0 and pool.opened <= size


# ------------------------------------------------------------------ attributes

READ_ONLY = ("min", "max", "increment", "opened", "busy", "homogeneous", "dsn", "tnsentry", "username",
             "thin", "name", "statistics")
POOL_ATTRIBUTES = ("min", "max", "increment", "opened", "busy", "homogeneous", "dsn", "tnsentry", "username",
                   "thin", "name", "getmode", "wait_timeout", "timeout", "max_lifetime_session", "ping_interval",
                   "stmtcachesize", "max_sessions_per_shard", "soda_metadata_cache")
THICK_ONLY = {
    ("get", "max_sessions_per_shard"): "DPY-3001: getting the maximum sessions per shard in a pool is only "
                                       "supported in python-oracledb thick mode",
    ("get", "soda_metadata_cache"): "DPY-3001: getting whether the SODA metadata cache is enabled is only "
                                    "supported in python-oracledb thick mode",
    ("set", "max_sessions_per_shard"): "DPY-3001: setting the maximum sessions per shard is only supported in "
                                       "python-oracledb thick mode",
    ("set", "soda_metadata_cache"): "DPY-3001: setting whether the SODA metadata cache is enabled is only "
                                    "supported in python-oracledb thick mode",
}


def test_read_only_attributes() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=3, increment=2)
        await until(lambda: pool.opened == 1, "min opened")
        assert (pool.min, pool.max, pool.increment, pool.opened, pool.busy) == (1, 3, 2, 1, 0)
        assert pool.homogeneous is True and pool.thin is True and pool.name is None
        assert pool.dsn == server.dsn and pool.tnsentry == pool.dsn and pool.username == "scott"
        conn = await acquire(pool)
        assert (pool.busy, pool.opened) == (1, 1)
        for name in READ_ONLY:
            with pytest.raises(AttributeError, match="has no setter"):
                setattr(pool, name, 1)
        await pool.release(conn)
        assert pool.busy == 0
        static = make_pool(server, min=2, max=2, increment=0, homogeneous=False)
        assert (static.increment, static.homogeneous) == (0, False)
        await static.close()
        await pool.close()

    run(body)


def test_writable_attributes_round_trip_with_python_oracledb_quirks() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=2)
        wait = oracle_asyncio.POOL_GETMODE_WAIT
        assert (pool.getmode, pool.wait_timeout, pool.timeout) == (wait, 0, 0)
        assert (pool.max_lifetime_session, pool.ping_interval, pool.stmtcachesize) == (0, 60, 20)
        assert isinstance(pool.getmode, oracle_asyncio.PoolGetMode) and type(pool.wait_timeout) is int
        pool.timeout = 30
        pool.max_lifetime_session = 600
        pool.ping_interval = -1
        pool.stmtcachesize = 50
        assert (pool.timeout, pool.max_lifetime_session, pool.ping_interval, pool.stmtcachesize) == (30, 600, -1, 50)
        pool.timeout = 1.5  # truncated, as python-oracledb's uint32_t setter does
        assert pool.timeout == 1
        pool.wait_timeout = 250  # silently ignored outside TIMEDWAIT
        assert pool.wait_timeout == 0
        pool.getmode = oracle_asyncio.POOL_GETMODE_TIMEDWAIT  # a change resets wait_timeout
        assert pool.wait_timeout == 0.0 and type(pool.wait_timeout) is float
        pool.wait_timeout = 1500
        assert pool.wait_timeout == 1500.0 and type(pool.wait_timeout) is float
        pool.getmode = oracle_asyncio.POOL_GETMODE_TIMEDWAIT  # no change: kept
        assert pool.wait_timeout == 1500.0
        pool.getmode = oracle_asyncio.POOL_GETMODE_NOWAIT
        assert (pool.getmode, pool.wait_timeout) == (oracle_asyncio.POOL_GETMODE_NOWAIT, 0)
        pool.getmode = oracle_asyncio.POOL_GETMODE_TIMEDWAIT
        assert pool.wait_timeout == 0.0
        for name in ("timeout", "max_lifetime_session", "stmtcachesize", "wait_timeout"):
            with pytest.raises(OverflowError, match="can't convert negative value to uint32_t"):
                setattr(pool, name, -1)
        with pytest.raises(TypeError):
            pool.timeout = "5"
        with pytest.raises(ValueError):
            pool.getmode = 99  # deliberate: python-oracledb stores any uint
        for (verb, name), text in THICK_ONLY.items():
            with pytest.raises(oracle_asyncio.NotSupportedError) as info:
                if verb == "get":
                    getattr(pool, name)
                else:
                    setattr(pool, name, name == "soda_metadata_cache" or 1)
            assert str(info.value) == text
        with pytest.raises(TypeError, match="soda_metadata_cache must be a boolean value"):
            pool.soda_metadata_cache = 1
        # the settings take effect: NOWAIT on a full pool fails at once
        pool.getmode = oracle_asyncio.POOL_GETMODE_NOWAIT
        held = [await acquire(pool), await acquire(pool)]
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4005"):
            await pool.acquire()
        for conn in held:
            await pool.release(conn)
        await pool.close()

    run(body)


def test_thick_only_acquire_arguments() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=1)
        pending = pool.acquire(tag="t")  # raised only when awaited
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: session tagging"):
            await pending
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: sharding"):
            await pool.acquire(shardingkey=[1])
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: sharding"):
            await pool.acquire(supershardingkey=[1])
        async with pool.acquire(user="SCOTT") as conn:  # the pool's own user is fine
            assert await conn.fetchone("select 1 from dual") == (1,)
        assert pool.busy == 0 and pool.statistics.requests == 1
        await pool.close()

    run(body)


def test_every_attribute_and_method_after_close_is_dpy_1002() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=2)
        conn = await acquire(pool)
        other = make_pool(server, min=0, max=1)
        await pool.close(force=True)
        for name in POOL_ATTRIBUTES:
            with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
                getattr(pool, name)
        for name, value in (("getmode", 0), ("wait_timeout", 1), ("timeout", 1), ("max_lifetime_session", 1),
                            ("ping_interval", 1), ("stmtcachesize", 1), ("max_sessions_per_shard", 1),
                            ("soda_metadata_cache", True)):
            with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
                setattr(pool, name, value)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            pool.acquire()  # synchronously, before any await
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await pool.release(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await pool.drop(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await pool.close()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await pool.close(force=True)
        await conn.close()  # a connection the forced close took: closing it is a no-op
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await conn.ping()
        await other.close()
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


# ------------------------------------------------------------- pool cache


def test_pool_alias_get_pool_and_connect_async() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=2, pool_alias="emb_a")
        assert oracle_asyncio.get_pool("emb_a") is pool
        assert oracle_asyncio.get_pool("EMB_A") is None  # case-sensitive
        with pytest.raises(oracle_asyncio.ProgrammingError) as info:
            make_pool(server, min=0, max=1, pool_alias="emb_a")
        assert str(info.value) == 'DPY-2055: connection pool with alias "emb_a" already exists'
        assert oracle_asyncio.get_pool("emb_a") is pool
        with pytest.raises(TypeError, match="pool_alias must be a string"):
            make_pool(server, min=0, max=1, pool_alias=5)
        conn = await asyncio.wait_for(oracle_asyncio.connect_async(pool_alias="emb_a"), BOUND)
        assert pool.busy == 1 and session_of(conn).pool is pool
        await conn.close()  # a pooled connection goes back to its pool
        assert pool.busy == 0
        async with oracle_asyncio.connect_async(pool_alias="emb_a") as conn:
            assert await conn.fetchone("select 1 from dual") == (1,) and pool.busy == 1
        assert pool.busy == 0
        async with oracle_asyncio.connect_async(pool=pool) as conn:
            assert pool.busy == 1
        with pytest.raises(oracle_asyncio.ProgrammingError) as info:
            oracle_asyncio.connect_async(pool_alias="emb_missing")  # before any await
        assert str(info.value) == 'DPY-2054: connection pool with alias "emb_missing" does not exist'
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2014"):
            oracle_asyncio.connect_async(pool=pool, pool_alias="emb_a")
        busy = await acquire(pool)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1005"):
            await pool.close()
        assert oracle_asyncio.get_pool("emb_a") is pool  # a refused close keeps the alias
        await pool.release(busy)
        await pool.close()
        assert oracle_asyncio.get_pool("emb_a") is None
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2054"):
            oracle_asyncio.connect_async(pool_alias="emb_a")
        again = make_pool(server, min=0, max=1, pool_alias="emb_a")  # the alias is free again
        assert oracle_asyncio.get_pool("emb_a") is again
        await again.close()

    run(body)


# -------------------------------------------------------------- validation


class MyConnection(AsyncConnection):
    pass


class MyPool(AsyncConnectionPool):
    pass


def test_pool_class_params_and_connectiontype_validation() -> None:
    async def body(server: EmbeddedServer) -> None:
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2026"):
            oracle_asyncio.create_pool_async(dsn=server.dsn, user="scott", password="tiger", pool_class=object)  # type: ignore[arg-type]
        for bad in ("x", oracle_asyncio.ConnectParams()):
            with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2027"):
                make_pool(server, params=bad)
        for bad_class in (object, int, oracle_asyncio.AsyncCursor):
            with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2023"):
                make_pool(server, connectiontype=bad_class)
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2064"):
            make_pool(server, min=3, max=2)
        with pytest.raises(TypeError):
            make_pool(server, no_such_parameter=1)
        assert server.sessions == []  # nothing was opened by a refused pool
        params = oracle_asyncio.PoolParams(min=0, max=1, connectiontype=MyConnection)
        pool = oracle_asyncio.create_pool_async(dsn=server.dsn, user="scott", password="tiger", pool_class=MyPool,
                                                params=params)
        assert isinstance(pool, MyPool) and (pool.min, pool.max) == (0, 1)
        async with pool.acquire() as conn:
            assert isinstance(conn, MyConnection)
        await pool.close()

    run(body)


def test_create_pool_outside_an_event_loop() -> None:
    with pytest.raises(RuntimeError):
        oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn="127.0.0.1:1/x", pool_alias="emb_nl")
    assert oracle_asyncio.get_pool("emb_nl") is None


# --------------------------------------------------------------- callbacks


def test_session_callback_once_per_session_on_connect_every_acquire() -> None:
    async def body(server: EmbeddedServer) -> None:
        calls: list[tuple[str, int]] = []

        async def on_connect(conn: AsyncConnection) -> None:
            calls.append(("connect", conn.session_id))

        async def on_session(conn: AsyncConnection, tag: str | None) -> None:
            assert tag is None
            calls.append(("session", conn.session_id))

        pool = make_pool(server, min=1, max=2, session_callback=on_session, on_connect_callback=on_connect)
        for _ in range(3):
            async with pool.acquire() as conn:
                first = conn.session_id
        a, b = await asyncio.wait_for(asyncio.gather(pool.acquire(), pool.acquire()), BOUND)
        second = b.session_id if a.session_id == first else a.session_id
        assert calls == [("connect", first), ("session", first), ("connect", first), ("connect", first),
                         ("connect", a.session_id), ("connect", b.session_id), ("session", second)]
        await pool.release(a)
        await pool.release(b)
        await pool.close()

    run(body)


@pytest.mark.parametrize("which", ["on_connect_callback", "session_callback"])
def test_raising_callback_leaves_pool_usable(which: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        failures = [ValueError("first"), KeyError("second")]

        async def callback(*args: object) -> None:
            if failures:
                raise failures.pop(0)

        pool = make_pool(server, min=1, max=1, **{which: callback})
        with pytest.raises(ValueError, match="first"):
            await acquire(pool)
        assert pool.busy == 0
        with pytest.raises(KeyError):
            await acquire(pool)
        assert pool.busy == 0 and pool.opened <= 1
        await assert_slots_intact(pool)
        await pool.close()  # nothing busy: DPY-1005 would mean a leaked slot
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


# ------------------------------------------------------------ cancellation


async def cancel_after(coro: Awaitable[AsyncConnection], n: int) -> None:
    """Start ``coro`` as a task, give it ``n`` loop turns, cancel it; if it finished
    first, give the connection back."""
    task = asyncio.ensure_future(coro)
    await turns(n)
    task.cancel()
    try:
        conn = await task
    except asyncio.CancelledError:
        return
    pool = session_of(conn).pool
    assert isinstance(pool, AsyncConnectionPool)
    await pool.release(conn)


#: cancel after 0, 1, 2, ... loop turns: every await point of an acquire is hit.
SWEEP = list(range(40)) + [60, 100, 200]


def test_cancel_while_waiting_for_its_logon() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=1)
        for n in SWEEP:
            await cancel_after(pool.acquire(), n)
            assert pool.busy == 0 and pool.opened <= 1
            await assert_slots_intact(pool)
            if pool.opened:  # drop it, so the next round waits for a logon again
                conn = await acquire(pool)
                await pool.drop(conn)
        await pool.close()

    run(body)


def test_cancel_while_waiting_on_a_full_pool() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1)
        held = await acquire(pool)
        for n in (0, 1, 5):
            await cancel_after(pool.acquire(), n)
        waiters = [asyncio.ensure_future(pool.acquire()) for _ in range(3)]
        await turns()
        waiters[1].cancel()  # the middle one leaves; the others keep their places
        await pool.release(held)
        first = await asyncio.wait_for(waiters[0], BOUND)
        with pytest.raises(asyncio.CancelledError):
            await waiters[1]
        await pool.release(first)
        last = await asyncio.wait_for(waiters[2], BOUND)
        await pool.release(last)
        await assert_slots_intact(pool)
        await pool.close()

    run(body)


@pytest.mark.parametrize("order", ["release then cancel", "cancel then release"])
def test_cancel_in_the_turn_a_release_hands_the_connection_over(order: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1)
        held = await acquire(pool)
        waiter = asyncio.ensure_future(pool.acquire())
        await turns()
        assert not waiter.done()
        if order == "release then cancel":
            await pool.release(held)  # hands the connection to the waiter's future
            waiter.cancel()  # before the waiter's task resumed
        else:
            waiter.cancel()
            await pool.release(held)
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert (pool.busy, pool.opened) == (0, 1)
        again = await acquire(pool)
        assert again is held  # the very connection went back, nothing was opened
        await pool.release(again)
        await assert_slots_intact(pool)
        await pool.close()

    run(body)


def test_cancel_during_ping_on_acquire() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1, ping_interval=0)
        conn = await acquire(pool)
        sid = conn.session_id
        await pool.release(conn)
        for n in SWEEP:
            await cancel_after(pool.acquire(), n)
            assert pool.busy == 0 and pool.opened <= 1
            await assert_slots_intact(pool)
        conn = await acquire(pool)
        assert conn.session_id == sid  # every ping succeeded: the session was never replaced
        await pool.release(conn)
        stats = pool.statistics
        assert stats.pings > len(SWEEP) and stats.pings_failed == 0
        await pool.close()

    run(body)


@pytest.mark.parametrize("which", ["on_connect_callback", "session_callback"])
def test_cancel_during_a_callback(which: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        gate = asyncio.Event()

        async def callback(*args: object) -> None:
            await gate.wait()

        pool = make_pool(server, min=1, max=2, **{which: callback})
        for n in (0, 1, 3, 10, 30, 100):
            await cancel_after(pool.acquire(), n)
            assert pool.busy == 0 and pool.opened <= 2
        gate.set()
        await assert_slots_intact(pool)
        await pool.close()

    run(body)


def test_cancelled_acquires_under_load_never_lose_slots() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=3, ping_interval=0)

        async def worker(i: int) -> None:
            async with pool.acquire() as conn:
                await conn.fetchone("select 1 from dual")

        tasks = [asyncio.ensure_future(worker(i)) for i in range(60)]
        for i, task in enumerate(tasks):
            if i % 3 == 0:
                await turns(i % 7)
                task.cancel()
        results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), BOUND)
        assert all(r is None or isinstance(r, asyncio.CancelledError) for r in results)
        assert pool.busy == 0 and pool.opened <= 3
        await assert_slots_intact(pool)
        await pool.close()

    run(body)


# ------------------------------------------------------- lost sessions


def test_killed_sessions_are_replaced() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=2, max=2, ping_interval=-1)
        a, b = await asyncio.wait_for(asyncio.gather(pool.acquire(), pool.acquire()), BOUND)
        busy_sid, idle_sid = a.session_id, b.session_id
        await pool.release(b)
        # The busy one as ALTER SYSTEM KILL SESSION (ORA-00028 on its next call), the idle one
        # IMMEDIATE (its socket is cut, which the client notices without a call).
        assert server.kill_session(busy_sid) and server.kill_session(idle_sid, immediate=True)
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
            await a.fetchone("select 1 from dual")
        await pool.release(a)  # dead: closed, not reused
        await until(lambda: session_of(b).dead is not None, "the client saw the idle session die")
        # python-oracledb's health check on reuse (docs/pool.md 1.9): no ping needed to skip it
        conn = await acquire(pool)
        assert conn.session_id not in (busy_sid, idle_sid)
        assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.release(conn)
        await until(lambda: pool.opened == 2 and len(server.sessions) == 2, "refilled to min")
        await assert_slots_intact(pool)
        await pool.close()

    run(body)


def test_dropped_connections_are_replaced() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=2, max=4)
        held = await asyncio.wait_for(asyncio.gather(*(pool.acquire() for _ in range(4))), BOUND)
        old = {conn.session_id for conn in held}
        for conn in held[2:]:
            await pool.release(conn)
        server.drop_all()
        await until(lambda: all(session_of(conn).dead is not None for conn in held), "every client saw the drop")
        for conn in held[:2]:
            with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
                await conn.ping()
            await pool.release(conn)
        fresh = await asyncio.wait_for(asyncio.gather(*(pool.acquire() for _ in range(4))), BOUND)
        assert not old & {conn.session_id for conn in fresh}
        for conn in fresh:
            assert await conn.fetchone("select 1 from dual") == (1,)
            await pool.release(conn)
        assert pool.busy == 0 and pool.opened <= 4
        await pool.close()
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


def test_release_with_open_transaction_rolls_back_and_keeps_session() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1)
        conn = await acquire(pool)
        sid = conn.session_id
        await conn.execute("create table emb_t (x number)")
        await conn.execute("insert into emb_t values (1)")
        assert conn.transaction_in_progress
        await pool.release(conn)  # returns once rolled back, as python-oracledb's
        assert (pool.busy, pool.opened) == (0, 1)
        again = await acquire(pool)
        assert again.session_id == sid  # rolled back, not replaced
        assert not again.transaction_in_progress
        assert await again.fetchone("select count(*) from emb_t") == (0,)
        await pool.release(again)
        async with pool.acquire() as other:
            assert other.session_id == sid
            await other.execute("insert into emb_t values (2)")
        assert pool.busy == 0  # leaving `async with` rolled back before returning
        await pool.close()  # no DPY-1005: nothing is still being rolled back

    run(body)


def test_ping_timeout_replaces_the_session_and_close_is_not_held_up() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1, ping_interval=0, ping_timeout=1)
        conn = await acquire(pool)
        sid = conn.session_id
        await pool.release(conn)
        server.delay_ms = 20  # every answer is late: the 1 ms ping times out mid-call
        conn = await acquire(pool)
        assert conn.session_id != sid
        stats = pool.statistics
        assert stats.pings == 1 and stats.pings_failed == 1
        server.delay_ms = 0
        assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.release(conn)
        await asyncio.wait_for(pool.close(), 5)  # the timed-out session's close finished too
        await until(lambda: not server.sessions, "every session gone")

    run(body)


def test_release_cancelled_or_force_closed_during_its_rollback() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=2)
        conn = await acquire(pool)
        await conn.execute("create table emb_r (x number)")
        for n in (1, 2, 3, 5, 20):  # (after 0 turns the release would not have started)
            await conn.execute("insert into emb_r values (1)")
            releasing = asyncio.ensure_future(pool.release(conn))
            await turns(n)
            releasing.cancel()  # the rollback carries on without its caller
            try:
                await releasing
            except asyncio.CancelledError:
                pass
            await assert_slots_intact(pool)
            conn = await acquire(pool)
            assert await conn.fetchone("select count(*) from emb_r") == (0,)
        await conn.execute("insert into emb_r values (1)")
        releasing = asyncio.ensure_future(pool.release(conn))
        await turns(1)
        await asyncio.wait_for(pool.close(force=True), 5)
        await asyncio.wait_for(releasing, BOUND)  # returns normally: the pool took the session
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


def test_pool_logs_off_every_session_it_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Idle sessions (used or never used), shrunk or closed with the pool, get a
    LOGOFF before the socket closes, as python-oracledb's do."""
    from oracle_asyncio.testing import server as server_module
    from oracle_sansio.connection.events import LogoffRequested, ServerEvent

    logoffs: list[int] = []
    handle = server_module._Link.handle

    def counting(link: Any, ev: ServerEvent) -> None:
        if isinstance(ev, LogoffRequested):
            logoffs.append(link.record.sid if link.record is not None else -1)
        handle(link, ev)

    monkeypatch.setattr(server_module._Link, "handle", counting)

    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=3, max=3)
        used = [await acquire(pool), await acquire(pool)]
        sids = {conn.session_id for conn in used}
        for conn in used:
            await pool.release(conn)
        await until(lambda: pool.opened == 3, "min opened")
        conn = await acquire(pool)
        await pool.drop(conn)  # a dropped session is logged off too
        await until(lambda: len(logoffs) == 1, "the dropped session logged off")
        await until(lambda: pool.opened == 3, "refilled")
        await pool.close()
        await until(lambda: not server.sessions, "every session gone")
        assert len(logoffs) == 4 and sids <= set(logoffs)

    run(body)


def test_connection_released_with_a_call_cancelled_mid_flight_is_reset_and_reused() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1)
        conn = await acquire(pool)
        sid = conn.session_id
        call = asyncio.ensure_future(conn.execute("begin dbms_session.sleep(30); end;"))
        await until(lambda: any(s.state == "ACTIVE" for s in server.sessions), "the call reached the server")
        call.cancel()  # the caller gives up; the server's answer is still owed
        with pytest.raises(asyncio.CancelledError):
            await call
        await asyncio.wait_for(pool.release(conn), 10)  # the break is answered, then rolled back
        again = await acquire(pool)
        assert again.session_id == sid  # same session, usable: no logon wasted
        assert await again.fetchone("select 1 from dual") == (1,)
        fresh = again
        await pool.release(fresh)
        await asyncio.wait_for(pool.close(), 5)

    run(body)


def test_wrong_password_reaches_the_caller_and_keeps_no_slot() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="wrong", dsn=server.dsn, min=0, max=1)
        for _ in range(3):
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
                await acquire(pool)
            assert (pool.busy, pool.opened) == (0, 0)
        await pool.close()

    run(body)


# --------------------------------------------------------- stalled logons


def test_stalled_logon_does_not_block_other_acquires_or_close() -> None:
    async def body(server: EmbeddedServer) -> None:
        server.stall_logons = True
        pool = make_pool(server, min=1, max=2)
        await until(lambda: len(server._links) == 1, "the background logon reached the server")
        await turns(50)  # its CONNECT arrived; the server never answers it
        assert pool.opened == 0
        server.stall_logons = False
        conn = await acquire(pool)  # a second logon, not queued behind the stalled one
        assert await conn.fetchone("select 1 from dual") == (1,)
        assert (pool.opened, len(server._links)) == (1, 2)  # the first is still stalled
        await pool.release(conn)
        await asyncio.wait_for(pool.close(force=True), 5)
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


def test_force_close_with_every_logon_stalled_wakes_waiters() -> None:
    async def body(server: EmbeddedServer) -> None:
        server.stall_logons = True
        pool = make_pool(server, min=2, max=2)
        waiters = [asyncio.ensure_future(pool.acquire()) for _ in range(3)]
        await turns(200)
        assert not any(w.done() for w in waiters)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1005"):
            await pool.close()  # callers are waiting
        await asyncio.wait_for(pool.close(force=True), 5)
        for waiter in waiters:
            with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
                await asyncio.wait_for(waiter, BOUND)

    run(body)


def test_cancelled_acquire_against_a_stalled_server_keeps_no_slot() -> None:
    async def body(server: EmbeddedServer) -> None:
        server.stall_logons = True
        pool = make_pool(server, min=0, max=2)
        await cancel_after(pool.acquire(), 100)
        assert (pool.busy, pool.opened) == (0, 0)
        server.stall_logons = False
        conn = await acquire(pool)  # the stalled logon still counts, the second slot serves
        await pool.release(conn)
        await asyncio.wait_for(pool.close(force=True), 5)

    run(body)


# ------------------------------------------------------------------- load


def test_500_tasks_on_a_pool_of_8() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=2, max=8)
        peak = 0

        async def work(i: int) -> int:
            nonlocal peak
            async with pool.acquire() as conn:
                peak = max(peak, pool.busy, pool.opened)
                row = await conn.fetchone(f"select {i} from dual")
                assert row is not None
                return int(row[0])

        results = await asyncio.wait_for(asyncio.gather(*(work(i) for i in range(500))), 30)
        assert results == list(range(500))
        assert pool.busy == 0 and pool.opened <= 8 and peak <= 8
        assert pool.statistics.requests == 500
        await pool.close()
        await until(lambda: not server.sessions, "every session logged off")

    run(body)


# ----------------------------------------------------------- misuse


def test_release_and_drop_through_the_wrong_pool_or_twice() -> None:
    async def body(server: EmbeddedServer) -> None:
        a = make_pool(server, min=1, max=2)
        b = make_pool(server, min=1, max=2)
        conn = await acquire(a)
        await until(lambda: b.opened == 1, "b warm")
        counts = (a.busy, a.opened, b.busy, b.opened)
        for wrong in (b.release, b.drop):  # a caller's bug: refused, no count changes
            with pytest.raises(oracle_asyncio.InterfaceError, match="different pool"):
                await wrong(conn)
            assert (a.busy, a.opened, b.busy, b.opened) == counts
        await a.drop(conn)
        await until(lambda: a.opened >= 1 and a.busy == 0, "a refilled to min")
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await conn.ping()
        conn = await acquire(a)
        await a.release(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await a.release(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await a.drop(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await b.release(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await conn.close()  # closing a released pooled connection
        conn = await acquire(a)
        await a.drop(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await a.drop(conn)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await a.release(conn)
        for bad in (None, "conn", object(), a):
            with pytest.raises(TypeError, match="AsyncConnection"):
                await a.release(bad)  # type: ignore[arg-type]
            with pytest.raises(TypeError, match="AsyncConnection"):
                await a.drop(bad)  # type: ignore[arg-type]
        assert (a.busy, b.busy) == (0, 0) and a.opened <= 2 and b.opened <= 2
        await assert_slots_intact(a)
        await assert_slots_intact(b)
        await a.close()
        await b.close()

    run(body)


def test_context_manager_exit_while_a_forced_close_is_running() -> None:
    """python-oracledb: leaving ``async with pool.acquire()`` after ``close(force=True)``
    took the connection is a no-op, also while that close is still logging off."""

    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=1, max=1)
        async with pool.acquire() as conn:
            closing = asyncio.ensure_future(pool.close(force=True))
            await turns(1)  # the close started and is logging the session off
            assert not closing.done()
        await asyncio.wait_for(closing, 5)
        async with make_pool(server, min=0, max=1).acquire() as other:
            assert await other.fetchone("select 1 from dual") == (1,)
            other_pool = session_of(other).pool
            assert isinstance(other_pool, AsyncConnectionPool)
            await other_pool.close(force=True)
        assert session_of(conn).pool_closed

    run(body)



def test_wait_for_warm_pool_and_fail_fast_on_wrong_password() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=3, max=4)
        assert not pool.warm
        await asyncio.wait_for(pool.wait(timeout=10), 15)
        assert pool.warm and pool.opened == 3
        await pool.close()
        bad = oracle_asyncio.create_pool_async(user="scott", password="wrong", dsn=server.dsn, min=1, max=1)
        await until(lambda: bad.statistics.connections_failed >= 1, "the first logon failed")
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await bad.wait(timeout=0)
        await bad.close()

    run(body)
