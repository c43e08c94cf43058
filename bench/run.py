"""Side-by-side benchmark: python-oracledb (thin, asyncio) vs oracle_asyncio,
same workloads, same embedded server, same run.  Prints, per workload, the
wall time and the client's own CPU time of each library, and their ratios
(python-oracledb / ours: above 1 means we are faster or cheaper).

    python -m bench.run                      # default sizes, server in its own process
    python -m bench.run --scale 0.1          # a quick slice
    python -m bench.run --server in-process  # server on the benchmark's loop (what CI's smoke test runs)

With the server in its own process (the default), the CPU column is the
client library alone; wall time includes the server's work for both.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
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


Result = tuple[str, float, float, float, float]  # name, their wall, our wall, their CPU, our CPU


async def _time(fn: Callable[[], Awaitable[None]], repeat: int = 3) -> tuple[float, float]:
    """Best wall time and best process CPU time of ``repeat`` runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        await fn()
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


@asynccontextmanager
async def _server(mode: str) -> AsyncIterator[str]:
    """The DSN of an embedded server: on this loop, or in a child process."""
    if mode == "in-process":
        async with EmbeddedServer() as server:
            yield server.dsn
        return
    child = subprocess.Popen([sys.executable, "-m", "oracle_asyncio.testing"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 60)
        if not line.startswith("dsn="):
            raise RuntimeError(f"embedded server did not start: {line!r}")
        yield line.split()[0].removeprefix("dsn=")
    finally:
        child.terminate()
        child.wait(10)


async def main_async(scale: float, server: str = "process") -> list[Result]:
    """Run every workload with both libraries; return (name, wall and CPU seconds of each)."""
    sizes = {"fetch 50k rows": int(50_000 * scale) or 100, "1k small queries": int(1_000 * scale) or 20,
             "pool churn 2k": int(2_000 * scale) or 20, "20 logons": int(20 * scale) or 2}
    workloads: dict[str, Callable[[Any, str, int], Awaitable[None]]] = {
        "fetch 50k rows": _fetch_rows, "1k small queries": _small_queries, "pool churn 2k": _pool_churn,
        "20 logons": _logons,
    }
    results: list[Result] = []
    async with _server(server) as dsn:
        for name, fn in workloads.items():
            n = sizes[name]
            theirs, their_cpu = await _time(lambda: fn(oracledb, dsn, n))
            ours, our_cpu = await _time(lambda: fn(oracle_asyncio, dsn, n))
            results.append((f"{name} (n={n})", theirs, ours, their_cpu, our_cpu))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--server", choices=("process", "in-process"), default="process")
    args = parser.parse_args(argv)
    results = asyncio.run(main_async(args.scale, args.server))
    cpu_note = "client CPU" if args.server == "process" else "CPU (client + server)"
    print(f"{'workload':<28} {'wall: python-oracledb':>22} {'oracle_asyncio':>15} {'ratio':>6}"
          f"   {cpu_note + ': python-oracledb':>30} {'oracle_asyncio':>15} {'ratio':>6}")
    for name, theirs, ours, their_cpu, our_cpu in results:
        print(f"{name:<28} {theirs * 1000:>19.1f} ms {ours * 1000:>12.1f} ms {theirs / ours:>6.2f}"
              f"   {their_cpu * 1000:>27.1f} ms {our_cpu * 1000:>12.1f} ms {their_cpu / max(our_cpu, 1e-9):>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
