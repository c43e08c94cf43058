"""The main job: the embedded server, a pool, and hundreds of concurrent
acquire / query / release tasks (``python -m oracle_asyncio demo``).

It lives in ``testing`` because it starts the embedded server: the driver
never imports ``testing``; only the command line (``oracle_asyncio.__main__``)
reaches down here."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .. import create_pool_async
from .server import EmbeddedServer


async def run_demo(*, dsn: str | None, user: str, password: str, sessions: int = 8, tasks: int = 400) -> None:
    """Create a pool of up to ``sessions`` connections and run ``tasks`` concurrent
    acquire / query / release tasks through it; print the pool's statistics."""
    server = None
    if dsn is None:
        server = EmbeddedServer(users={user: password})
        await server.start()
        dsn = server.dsn
        print(f"embedded server listening at {dsn}")
    try:
        pool = create_pool_async(user=user, password=password, dsn=dsn, min=2, max=sessions, increment=2)
        try:
            await _run(pool, sessions, tasks)
        finally:
            await pool.close(force=True)
    finally:
        if server is not None:
            await server.stop()


async def _run(pool: Any, sessions: int, tasks: int) -> None:
    done = 0
    rows = 0
    t0 = time.perf_counter()

    async def work(i: int) -> None:
        nonlocal done, rows
        async with pool.acquire() as conn:
            got = await conn.fetchall(f"select level, level * {i} from dual connect by level <= {1 + i % 50}")
        # (not ``rows += len(await ...)``: that reads ``rows`` before awaiting)
        rows += len(got)
        done += 1
        if done % 100 == 0 or done == tasks:
            print(f"  {done}/{tasks} queries, {rows} rows, pool opened {pool.opened} busy {pool.busy}", flush=True)

    await asyncio.gather(*(work(i) for i in range(tasks)))
    elapsed = time.perf_counter() - t0
    print(f"{tasks} queries through a pool of max {sessions} in {elapsed:.2f} s ({tasks / elapsed:.0f} queries/s)")
    print(f"pool statistics: {pool.statistics}")
