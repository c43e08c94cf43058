"""oracle_asyncio's AsyncConnectionPool (over PoolMachine) against EmbeddedServer."""

from __future__ import annotations

import asyncio

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run


def test_acquire_release_concurrency_and_close() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=2, max=4)
        assert (pool.min, pool.max, pool.increment, pool.getmode) == (2, 4, 1, oracle_asyncio.POOL_GETMODE_WAIT)
        peak = 0

        async def work(i: int) -> int:
            nonlocal peak
            async with pool.acquire() as conn:
                peak = max(peak, pool.busy)
                value = await conn.fetchone(f"select {i} from dual")
                assert value is not None
                return int(value[0])

        results = await asyncio.gather(*(work(i) for i in range(60)))
        assert sorted(results) == list(range(60))
        assert peak <= 4 and pool.opened <= 4
        conn = await pool.acquire()
        await conn.execute("create table pool_t (x number)")
        await conn.execute("insert into pool_t values (1)")
        assert conn.transaction_in_progress
        await pool.release(conn)  # the pool rolls the open transaction back
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await conn.ping()
        async with pool.acquire() as again:
            assert await again.fetchone("select count(*) from pool_t") == (0,)
        busy = await pool.acquire()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1005"):
            await pool.close()
        await pool.release(busy)
        await pool.close()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await pool.acquire()

    run(body)


def test_nowait_and_cancellation_keep_slots() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=0, max=2,
                                                getmode=oracle_asyncio.POOL_GETMODE_NOWAIT)
        held = [await pool.acquire(), await pool.acquire()]  # each waits for its own logon
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4005"):
            await pool.acquire()  # full: NOWAIT fails at once
        for conn in held:
            await pool.release(conn)
        wait_pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=1)
        first = await wait_pool.acquire()
        waiter = asyncio.ensure_future(wait_pool.acquire())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await wait_pool.release(first)
        again = await asyncio.wait_for(wait_pool.acquire(), 5)  # the slot was not lost
        await wait_pool.release(again)
        await pool.close(force=True)
        await wait_pool.close(force=True)

    run(body)


def test_dead_connection_is_replaced() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=1)
        conn = await pool.acquire()
        server.kill_session(conn.session_id)
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
            await conn.ping()
        await pool.release(conn)  # not reusable: closed and replaced
        async with pool.acquire() as fresh:
            assert await fresh.fetchone("select 1 from dual") == (1,)
        await pool.close(force=True)

    run(body)


def test_attributes_read_and_write() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=2)
        assert pool.getmode == oracle_asyncio.POOL_GETMODE_WAIT and pool.homogeneous and pool.thin
        pool.getmode = oracle_asyncio.POOL_GETMODE_TIMEDWAIT
        pool.wait_timeout = 250
        assert pool.wait_timeout == 250
        pool.timeout = 30
        pool.ping_interval = -1
        assert (pool.timeout, pool.ping_interval) == (30, -1)
        async with pool.acquire() as conn:
            assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.close()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            pool.timeout = 5

    run(body)
