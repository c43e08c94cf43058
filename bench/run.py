"""Side-by-side benchmark: python-oracledb (thin, asyncio) vs oracle_asyncio,
same workloads, same embedded server, same run.  Prints time per workload and
the ratio (python-oracledb time / ours: above 1 means we are faster).

    python -m bench.run                 # default sizes
    python -m bench.run --scale 0.1     # a quick slice (what CI's smoke test runs)

Both clients talk to one EmbeddedServer, so server time is included in both
columns; the ratio understates client-side differences.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import oracledb

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer

Workload = Callable[[Any, str], Awaitable[None]]


async def _fetch_rows(lib: Any, dsn: str, rows: int) -> None:
    conn = await lib.connect_async(user="scott", password="tiger", dsn=dsn)
    cur = conn.cursor()
    cur.arraysize = 1000
    await cur.execute(f"select level, level * 1.5, to_char(level) from dual connect by level <= {rows}")
    got = await cur.fetchall()
    assert len(got) == rows
    await conn.close()


async def _small_queries(lib: Any, dsn: str, count: int) -> None:
    conn = await lib.connect_async(user="scott", password="tiger", dsn=dsn)
    cur = conn.cursor()
    for i in range(count):
        await cur.execute("select :1 from dual", [i])
        await cur.fetchall()
    await conn.close()


async def _pool_churn(lib: Any, dsn: str, count: int) -> None:
    pool = lib.create_pool_async(user="scott", password="tiger", dsn=dsn, min=4, max=4)

    async def one(i: int) -> None:
        async with pool.acquire() as conn:
            cur = conn.cursor()
            await cur.execute("select :1 from dual", [i])
            await cur.fetchall()

    await asyncio.gather(*(one(i) for i in range(count)))
    await pool.close(force=True)


async def _logons(lib: Any, dsn: str, count: int) -> None:
    for _ in range(count):
        conn = await lib.connect_async(user="scott", password="tiger", dsn=dsn)
        await conn.close()


async def _time(fn: Callable[[], Awaitable[None]], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        best = min(best, time.perf_counter() - start)
    return best


async def main_async(scale: float) -> list[tuple[str, float, float]]:
    """Run every workload with both libraries; return (name, theirs, ours) seconds."""
    sizes = {"fetch 50k rows": int(50_000 * scale) or 100, "1k small queries": int(1_000 * scale) or 20,
             "pool churn 2k": int(2_000 * scale) or 20, "20 logons": int(20 * scale) or 2}
    workloads: dict[str, Callable[[Any, str, int], Awaitable[None]]] = {
        "fetch 50k rows": _fetch_rows, "1k small queries": _small_queries, "pool churn 2k": _pool_churn,
        "20 logons": _logons,
    }
    results = []
    async with EmbeddedServer() as server:
        for name, fn in workloads.items():
            n = sizes[name]
            theirs = await _time(lambda: fn(oracledb, server.dsn, n))
            ours = await _time(lambda: fn(oracle_asyncio, server.dsn, n))
            results.append((f"{name} (n={n})", theirs, ours))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    results = asyncio.run(main_async(args.scale))
    print(f"{'workload':<32} {'python-oracledb':>16} {'oracle_asyncio':>16} {'ratio':>7}")
    for name, theirs, ours in results:
        print(f"{name:<32} {theirs * 1000:>13.1f} ms {ours * 1000:>13.1f} ms {theirs / ours:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
