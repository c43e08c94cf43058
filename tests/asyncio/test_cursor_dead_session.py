"""Closing a cursor is local (issue 12 item 16): on a connection whose session was
killed or whose socket dropped, leaving ``with conn.cursor()`` and ``cursor.close()``
raise nothing; only the calls fail (python-oracledb 26.1 behaves so against the same
embedded server)."""

from __future__ import annotations

import asyncio

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run


def _cut(server: EmbeddedServer, conn: oracle_asyncio.AsyncConnection, how: str) -> None:
    if how == "kill":
        assert server.kill_session(conn.session_id)
    else:
        server.drop_all()


async def _call_fails(cur: oracle_asyncio.AsyncCursor) -> None:
    """The session is gone: a call fails (DPY-4011 here; ORA-00028 where a kill is
    reported in-band); retried for a few loop turns until the client has noticed."""
    for _ in range(200):
        try:
            await cur.execute("select 1 from dual")
        except oracle_asyncio.DatabaseError:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("calls kept working on a killed session")


@pytest.mark.parametrize("how", ["kill", "drop"])
def test_leaving_with_cursor_on_a_dead_session_raises_nothing(how: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        with conn.cursor() as cur:
            await cur.execute("select 1 from dual")
            assert await cur.fetchall() == [(1,)]
            _cut(server, conn, how)
            await _call_fails(cur)
        # leaving the block raised nothing; the cursor is closed as usual
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1006"):
            cur.close()
        async with conn.cursor() as acur:  # a new cursor on the dead session: made, calls fail
            await _call_fails(acur)
        other = conn.cursor()
        await _call_fails(other)
        other.close()  # explicit close: local, no error
        with pytest.raises(oracle_asyncio.DatabaseError):
            await conn.ping()

    run(body)


def test_cursor_close_after_connection_close_is_local() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        await cur.execute("select 1 from dual")
        await conn.close()
        cur.close()  # python-oracledb: no error
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            conn.cursor()

    run(body)


def test_pooled_connection_killed_inside_with_cursor() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=1)
        async with pool.acquire() as conn:
            with conn.cursor() as cur:
                await cur.execute("select 1 from dual")
                _cut(server, conn, "kill")
                await _call_fails(cur)
        # released (and replaced) on leaving; the pool serves again
        async with pool.acquire() as again:
            assert await again.fetchone("select 1 from dual") == (1,)
        await pool.close()

    run(body)
