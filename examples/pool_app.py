"""A typical asyncio service on oracle_asyncio's pool, runnable without a database:
an embedded server, a pool whose new sessions are prepared once (session_callback),
concurrent request handlers, a transaction, and a clean shutdown.

    python -m examples.pool_app [--dsn host:port/service --user U --password P]

Switching to python-oracledb is ``import oracledb as db`` instead of the import below.
"""

from __future__ import annotations

import argparse
import asyncio

import oracle_asyncio as db
from oracle_asyncio.testing import EmbeddedServer


async def prepare_session(conn: db.AsyncConnection, requested_tag: str | None) -> None:
    """Runs once per new session (python-oracledb's session_callback)."""
    await conn.execute("alter session set nls_date_format = 'YYYY-MM-DD'")


async def handle_request(pool: db.AsyncConnectionPool, order_id: int) -> int:
    """One request: check out a session, do a transaction, give the session back."""
    async with pool.acquire() as conn:
        with conn.cursor() as cur:
            await cur.execute("insert into orders (id, qty) values (:id, :qty)", id=order_id, qty=order_id % 7)
            await conn.commit()
            await cur.execute("select count(*) from orders")
            row = await cur.fetchone()
            assert row is not None
            return int(row[0])


async def run(dsn: str, user: str, password: str, requests: int = 200) -> db.AsyncConnectionPool:
    pool = db.create_pool_async(user=user, password=password, dsn=dsn, min=2, max=8,
                                session_callback=prepare_session, ping_interval=30)
    await pool.wait(timeout=10)  # an extra: fail fast at start-up (wrong password, no listener)
    async with pool.acquire() as conn:
        await conn.execute("create table orders (id number primary key, qty number)")
    counts = await asyncio.gather(*(handle_request(pool, i) for i in range(requests)))
    print(f"{requests} requests, {max(counts)} orders, pool opened {pool.opened}, busy {pool.busy}")
    print(pool.statistics)
    await pool.close()
    return pool


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dsn")
    parser.add_argument("--user", default="scott")
    parser.add_argument("--password", default="tiger")
    args = parser.parse_args(argv)
    if args.dsn:
        await run(args.dsn, args.user, args.password)
        return
    async with EmbeddedServer(users={args.user: args.password}) as server:
        await run(server.dsn, args.user, args.password)


if __name__ == "__main__":
    asyncio.run(main())
