"""The scenarios of issue 14: each is one async function taking the client module.

Every function runs unchanged with ``oracledb`` (python-oracledb thin, async API)
and ``oracle_asyncio``: the two share names, so ``lib.connect_async`` and
``lib.create_pool_async`` are the only entry points used.  Tables are created and
filled with python-oracledb, the reference, so that a fault in our client shows in
its own figures only.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import tracemalloc
from dataclasses import dataclass, field
from typing import Any

import oracledb

from .measure import OURS, THEIRS, Env, Run, Sample
from .server import PASSWORD, USER


@dataclass(frozen=True)
class Goal:
    """A ratio to reach: ``>= threshold`` (higher is better) or ``<= threshold``."""

    threshold: float
    higher_is_better: bool = True
    #: The threshold with the compiled (mypyc) build, where the issue sets another one.
    compiled: float | None = None

    def target(self, compiled: bool) -> float:
        """The threshold that applies to this build."""
        return self.compiled if compiled and self.compiled is not None else self.threshold

    def met(self, ratio: float, compiled: bool) -> bool:
        """Whether ``ratio`` reaches the goal."""
        target = self.target(compiled)
        return ratio >= target if self.higher_is_better else ratio <= target

    def text(self, compiled: bool) -> str:
        """``>= 1.2`` or ``<= 0.5``."""
        return f"{'>=' if self.higher_is_better else '<='} {self.target(compiled):g}"


@dataclass(frozen=True)
class Scenario:
    """A named workload, its unit, rounds, clients and goals (per metric; "" for all)."""

    name: str
    run: Run
    unit: str
    doc: str
    rounds: int = 5
    clients: tuple[str, ...] = (THEIRS, OURS)
    goals: dict[str, Goal] = field(default_factory=dict)
    #: Run once untimed before the rounds (imports, caches, statement cache).
    warmup: bool = True

    def goal(self, metric: str) -> Goal | None:
        """The goal of ``metric``, if the issue sets one."""
        return self.goals.get(metric, self.goals.get(""))


async def _connect(lib: Any, env: Env, user: str = USER, password: str = PASSWORD) -> Any:
    return await lib.connect_async(user=user, password=password, dsn=env.dsn)


async def _pool(lib: Any, env: Env, size: int, **kwargs: Any) -> Any:
    """A pool of ``size`` sessions (min = max), once they are all open."""
    pool = lib.create_pool_async(user=USER, password=PASSWORD, dsn=env.dsn, min=size, max=size, **kwargs)
    for _ in range(12_000):  # two minutes at most: 1,000 logons on a loaded machine
        if pool.opened >= size:
            return pool
        await asyncio.sleep(0.01)
    await pool.close(force=True)
    raise RuntimeError(f"the pool opened {pool.opened} of {size} sessions")


# ---------------------------------------------------------------- pool acquire + release


async def pool_acquire(lib: Any, env: Env) -> list[Sample]:
    """min = max = 1: acquire then release, no SQL (no round trip in either client)."""
    n = env.size(5_000, 200)
    pool = await _pool(lib, env, 1)
    try:
        await pool.release(await pool.acquire())
        start = env.mark()
        for _ in range(n):
            conn = await pool.acquire()
            await pool.release(conn)
        return [env.sample("pool", n, start)]
    finally:
        await pool.close(force=True)


# ---------------------------------------------------------------- select 1


async def select_one(lib: Any, env: Env) -> list[Sample]:
    """``select 1 from dual`` + fetchone on one connection."""
    n = env.size(2_000, 50)
    conn = await _connect(lib, env)
    try:
        cur = conn.cursor()
        await cur.execute("select 1 from dual")
        await cur.fetchone()
        start = env.mark()
        for _ in range(n):
            await cur.execute("select 1 from dual")
            await cur.fetchone()
        return [env.sample("select-1", n, start)]
    finally:
        await conn.close()


# ---------------------------------------------------------------- 64 tasks on a pool of 8


async def pool_64(lib: Any, env: Env) -> list[Sample]:
    """64 tasks share a pool of 8: acquire + ``select 1 from dual`` + release."""
    per_task = env.size(32, 2)
    pool = await _pool(lib, env, 8)

    async def worker() -> None:
        for _ in range(per_task):
            conn = await pool.acquire()
            cur = conn.cursor()
            await cur.execute("select 1 from dual")
            await cur.fetchone()
            await pool.release(conn)

    try:
        start = env.mark()
        await asyncio.gather(*(worker() for _ in range(64)))
        return [env.sample("pool-64", 64 * per_task, start)]
    finally:
        await pool.close(force=True)


# ---------------------------------------------------------------- fetch, async for

_ROWS_TABLE = "bench_rows"


async def _fill_rows(env: Env) -> int:
    """The fetched table: NUMBER, VARCHAR2(30), DATE, BINARY_DOUBLE (filled once, by the server)."""
    rows = env.size(100_000, 2_000)

    async def fill() -> None:
        conn = await _connect(oracledb, env)
        try:
            cur = conn.cursor()
            await cur.execute(f"create table {_ROWS_TABLE} (n number, s varchar2(30), d date, f binary_double)")
            await cur.execute(f"insert into {_ROWS_TABLE} select level * 7, 'row ' || to_char(level),"
                              f" date '2020-01-01' + level, cast(level as binary_double) / 3"
                              f" from dual connect by level <= {rows}")
            await conn.commit()
        finally:
            await conn.close()

    await env.once("rows", fill)
    return rows


async def fetch(lib: Any, env: Env) -> list[Sample]:
    """fetchmany of every row, arraysize 1000."""
    rows = await _fill_rows(env)
    conn = await _connect(lib, env)
    try:
        cur = conn.cursor()
        cur.arraysize = 1000
        start = env.mark()
        await cur.execute(f"select n, s, d, f from {_ROWS_TABLE}")
        got = 0
        while batch := await cur.fetchmany():
            got += len(batch)
        sample = env.sample("fetch", rows, start)
        if got != rows:
            raise RuntimeError(f"fetched {got} of {rows} rows")
        return [sample]
    finally:
        await conn.close()


async def async_for(lib: Any, env: Env) -> list[Sample]:
    """``async for row in cursor`` over the same rows, arraysize 1000."""
    rows = await _fill_rows(env)
    conn = await _connect(lib, env)
    try:
        cur = conn.cursor()
        cur.arraysize = 1000
        start = env.mark()
        await cur.execute(f"select n, s, d, f from {_ROWS_TABLE}")
        got = 0
        async for _ in cur:
            got += 1
        sample = env.sample("async-for", rows, start)
        if got != rows:
            raise RuntimeError(f"fetched {got} of {rows} rows")
        return [sample]
    finally:
        await conn.close()


# ---------------------------------------------------------------- connect


async def connect(lib: Any, env: Env) -> list[Sample]:
    """connect + logon + close: cold (a password this process never used) and warm (the same one again)."""
    cold, warm = env.size(2, 1), env.size(20, 2)
    await (await _connect(lib, env)).close()  # imports and first-use work are not a logon's cost
    samples = []
    for _ in range(cold):
        user, password = env.cold_user()
        start = env.mark()
        await (await _connect(lib, env, user, password)).close()
        samples.append(env.sample("connect cold", 1, start))
    start = env.mark()
    for _ in range(warm):
        await (await _connect(lib, env)).close()
    samples.append(env.sample("connect warm", warm, start))
    return samples


# ---------------------------------------------------------------- memory


async def memory(lib: Any, env: Env) -> list[Sample]:
    """Bytes per idle pooled connection: the slope of traced memory between two open pools.

    tracemalloc sees every allocation through Python's allocators, python-oracledb's
    Cython objects and buffers included; the slope leaves out what a pool costs once."""
    small, big = env.size(2, 1), env.size(18, 3)
    await (await _pool(lib, env, 1)).close(force=True)  # imports and caches first, untraced
    tracemalloc.start()
    try:
        grew = [await _pool_bytes(lib, env, size) for size in (small, big)]
    finally:
        tracemalloc.stop()
    per_connection = (grew[1] - grew[0]) / (big - small)
    return [Sample("memory", 1, 0.0, 0.0, 0.0, bytes=per_connection)]


async def _pool_bytes(lib: Any, env: Env, size: int) -> float:
    """Traced bytes held by an open, idle pool of ``size`` sessions."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    pool = await _pool(lib, env, size)
    try:
        await asyncio.sleep(0.05)  # background work after the last logon settles
        gc.collect()
        return float(tracemalloc.get_traced_memory()[0] - before)
    finally:
        await pool.close(force=True)


# ---------------------------------------------------------------- insert-many

_INSERT_TABLE = "bench_insert"


def _insert_rows(count: int) -> list[tuple[int, str, datetime.datetime, float]]:
    day0 = datetime.datetime(2020, 1, 1)
    return [(i, f"row {i}", day0 + datetime.timedelta(days=i % 3650), i / 3) for i in range(count)]


async def insert_many(lib: Any, env: Env) -> list[Sample]:
    """executemany of NUMBER, VARCHAR2(30), DATE, BINARY_DOUBLE rows in batches."""
    count, batch = env.size(10_000, 1_000), env.size(1_000, 250)

    async def create() -> None:
        conn = await _connect(oracledb, env)
        try:
            await conn.cursor().execute(
                f"create table {_INSERT_TABLE} (n number, s varchar2(30), d date, f binary_double)")
        finally:
            await conn.close()

    await env.once("insert", create)
    rows = _insert_rows(count)
    batches = [rows[i:i + batch] for i in range(0, count, batch)]
    conn = await _connect(lib, env)
    try:
        cur = conn.cursor()
        sql = f"insert into {_INSERT_TABLE} values (:1, :2, :3, :4)"
        start = env.mark()
        for rows_of_batch in batches:
            await cur.executemany(sql, rows_of_batch)
        sample = env.sample("insert-many", count, start)
        await conn.rollback()
        return [sample]
    finally:
        await conn.close()


# ---------------------------------------------------------------- large LOBs

MB = 1_000_000


def lob_sizes(env: Env) -> tuple[int, ...]:
    """Value sizes in bytes (characters for a CLOB)."""
    return (64_000, 256_000) if env.quick else (1 * MB, 16 * MB, 64 * MB)


def size_label(size: int) -> str:
    """``16MB`` or ``64KB``."""
    return f"{size // MB}MB" if size % MB == 0 else f"{size // 1000}KB"


async def large_lob(lib: Any, env: Env) -> list[Sample]:
    """Bind (insert) then fetch (select + read) a CLOB and a BLOB of each size; the unit is a MB."""

    async def create() -> None:
        conn = await _connect(oracledb, env)
        try:
            await conn.cursor().execute("create table bench_lob (c clob, b blob)")
        finally:
            await conn.close()

    await env.once("lob", create)
    samples = []
    conn = await _connect(lib, env)
    try:
        cur = conn.cursor()
        for size in lob_sizes(env):
            for kind, column in (("CLOB", "c"), ("BLOB", "b")):
                value: str | bytes = "z" * size if kind == "CLOB" else b"\x5a" * size
                mb = size / MB
                start = env.mark()
                await cur.execute(f"insert into bench_lob ({column}) values (:1)", [value])
                samples.append(env.sample(f"large-lob bind {kind} {size_label(size)}", mb, start))
                start = env.mark()
                await cur.execute(f"select {column} from bench_lob")
                row = await cur.fetchone()
                got = await row[0].read()
                samples.append(env.sample(f"large-lob fetch {kind} {size_label(size)}", mb, start))
                if len(got) != size:
                    raise RuntimeError(f"read {len(got)} of {size}")
                del value, got, row
                await conn.rollback()
    finally:
        await conn.close()
    return samples


# ---------------------------------------------------------------- pool scale (ours only)


def scale_points(env: Env) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(pool sizes, waiter counts)."""
    return ((2, 8), (10, 40)) if env.quick else ((10, 100, 1_000), (10, 100, 1_000, 10_000))


async def pool_scale(lib: Any, env: Env) -> list[Sample]:
    """acquire + release cost as the pool grows (one task) and as waiters pile up (pool of 10)."""
    sizes, waiters = scale_points(env)
    samples = []
    for size in sizes:
        n = env.size(2_000, 100)
        pool = await _pool(lib, env, size)
        try:
            await pool.release(await pool.acquire())
            start = env.mark()
            for _ in range(n):
                await pool.release(await pool.acquire())
            samples.append(env.sample(f"pool-scale max={size}", n, start))
        finally:
            await pool.close(force=True)
    pool = await _pool(lib, env, env.size(10, 2))
    try:
        for count in waiters:
            total = max(env.size(4_000, 80), 4 * count)
            per_task = total // count

            async def holder() -> None:
                for _ in range(per_task):
                    conn = await pool.acquire()
                    await asyncio.sleep(0)  # hold across a yield: the others queue up
                    await pool.release(conn)

            start = env.mark()
            await asyncio.gather(*(holder() for _ in range(count)))
            samples.append(env.sample(f"pool-scale waiters={count}", per_task * count, start))
    finally:
        await pool.close(force=True)
    return samples


SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("pool", pool_acquire, "acquire+release", "pool min=max=1, acquire + release, no SQL",
             goals={"": Goal(5)}),
    Scenario("select-1", select_one, "query", "`select 1 from dual` + fetchone, one connection",
             goals={"": Goal(1.2)}),
    Scenario("pool-64", pool_64, "query", "64 tasks, pool of 8, acquire + select 1 + release",
             goals={"": Goal(1.5)}),
    Scenario("fetch", fetch, "row", "fetchmany 100k rows (NUMBER, VARCHAR2(30), DATE, BINARY_DOUBLE), arraysize 1000",
             goals={"": Goal(0.5, compiled=1.0)}),
    Scenario("async-for", async_for, "row", "`async for row in cursor`, same rows", goals={"": Goal(1.0)}),
    Scenario("connect", connect, "connect", "connect + logon + close (cold: first logon of a password)",
             goals={"connect cold": Goal(1.0), "connect warm": Goal(2.0)}, warmup=False),
    Scenario("memory", memory, "bytes/connection", "bytes per idle pooled connection (ratio: ours / theirs)",
             rounds=3, goals={"": Goal(0.5, higher_is_better=False)}, warmup=False),
    Scenario("insert-many", insert_many, "row", "executemany 10,000 rows of the four types, batches of 1,000",
             goals={"": Goal(0.7)}),
    Scenario("large-lob", large_lob, "MB", "bind and fetch of 1, 16, 64 MB CLOB/BLOB, cost per MB",
             rounds=3, goals={"": Goal(0.5)}, warmup=False),
    Scenario("pool-scale", pool_scale, "acquire+release", "ours only: pool max 10 -> 1,000, waiters 10 -> 10,000",
             rounds=3, clients=(OURS,), warmup=False),
)}
