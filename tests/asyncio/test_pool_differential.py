"""Differential tests: each scenario runs against python-oracledb's
``create_pool_async`` (thin, the reference) and against oracle_asyncio's, each
on its own EmbeddedServer, and what callers observe must agree step by step
(query results, ``(busy, opened)``, attribute values and types, error class
and ``full_code``).  Harness: tests/asyncio/differential.py.

Where ours differs on purpose (docs/pool.md 1.19b bugs we fix, the "Deviations" in
oracle_sansio/pool/__init__.py) the step is listed in DELIBERATE with
both values and the reason.  A scenario marked ``bug`` is a disagreement that
looks like ours to fix (strict xfail: it fails loudly once fixed); ``pending``
names create_pool_async parameters ours does not take yet (xfail only while
they are missing).

python-oracledb reads the real clock, so these tests wait in real time:
every wait is bounded and timeouts are 1-2 s at most.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.asyncio.differential import (
    HUNG, Deliberate, Failure, Scenario, Side, Typed, failure, ours_accepts, run_differential,
)

DPY_1001 = Failure("InterfaceError", "DPY-1001")
DPY_1002 = Failure("InterfaceError", "DPY-1002")
DPY_1005 = Failure("InterfaceError", "DPY-1005")
DPY_3001 = Failure("NotSupportedError", "DPY-3001")
DPY_4005 = Failure("DatabaseError", "DPY-4005")
ORA_01017 = Failure("DatabaseError", "ORA-01017")
DPY_4011 = Failure("DatabaseError", "DPY-4011")


@dataclass
class Case:
    """A registered scenario: the coroutine, python-oracledb's pinned values, marks."""

    fn: Scenario
    expect: dict[str, object]
    marks: list[pytest.MarkDecorator] = field(default_factory=list)


SCENARIOS: dict[str, Case] = {}


def scenario(name: str, *, expect: dict[str, object] | None = None, pending: tuple[str, ...] = (),
             bug: str | None = None) -> Callable[[Scenario], Scenario]:
    """Register a scenario.  ``expect``: python-oracledb's values for some steps
    (docs/pool.md claims, checked against the reference only).  ``pending``: params
    ours lacks for now.  ``bug``: a known disagreement of ours (strict xfail)."""

    def register(fn: Scenario) -> Scenario:
        marks: list[pytest.MarkDecorator] = []
        missing = [p for p in pending if not ours_accepts(p)]
        if missing:
            marks.append(pytest.mark.xfail(strict=True, reason="pending " + ", ".join(missing)))
        if bug is not None:
            marks.append(pytest.mark.xfail(strict=True, reason=bug))
        SCENARIOS[name] = Case(fn, dict(expect or {}), marks)
        return fn

    return register


#: scenario -> step -> (theirs, ours, reason): where ours differs on purpose.
DELIBERATE: dict[str, dict[str, Deliberate]] = {
    "closed_pool_setters": {
        "set ping_interval after close": Deliberate(
            Failure("AttributeError"), DPY_1002,
            "python-oracledb's ping_interval setter skips _verify_open() and fails with a bare "
            "AttributeError; ours raises DPY-1002 like every other setter (oracle_sansio.pool Deviations, "
            "docs/pool.md 1.4/1.19b)"),
    },
    "attributes": {
        "set getmode 99": Deliberate(
            "ok", Failure("ValueError"),
            "python-oracledb stores any uint as getmode; ours only takes a PoolGetMode "
            "(oracle_sansio.pool Deviations, docs/pool.md 1.4)"),
        "getmode after set 99": Deliberate(
            Failure("ValueError"), Typed("PoolGetMode", 0),
            "follows from the rejected set: python-oracledb stored 99 and its getter then fails "
            "converting it to PoolGetMode; ours kept the previous mode (WAIT)"),
    },
    "timedwait_zero": {
        "acquire with a free idle connection": Deliberate(
            DPY_4005, "ok",
            "TIMEDWAIT with wait_timeout 0: python-oracledb's asyncio.wait_for(..., 0) fails even with "
            "an idle connection free (docs/pool.md 1.19b bug); ours hands the idle connection out"),
        "counts after": Deliberate((0, 1), (1, 1), "follows: ours handed the connection out"),
    },
    "cancelled_waiter_keeps_slot": {
        "next acquire": Deliberate(
            HUNG, "ok",
            "a waiter cancelled after a release handed it the connection: python-oracledb loses the "
            "slot (busy 0, opened 1, but no connection to hand out: docs/pool.md 1.19 item 8, 1.19b bug), "
            "so its max=1 pool hangs; ours takes the connection back"),
    },
    "terminate": {
        "counts after terminate": Deliberate(
            (1, 1), (0, 1),
            "terminate() of a pooled connection: python-oracledb keeps it counted busy forever "
            "(docs/pool.md 1.19 item 10, 1.19b bug); ours forgets it and refills to min"),
        "next acquire": Deliberate(HUNG, "ok", "follows: python-oracledb's max=1 pool has no slot left"),
        "close": Deliberate(DPY_1005, None, "follows: python-oracledb still counts it busy"),
    },
    "acquire_during_warmup": {
        "counts after first acquire": Deliberate(
            (1, 1), (1, 2),
            "a caller arriving while the min logon is in flight gets a logon of its own (below max) "
            "instead of queueing behind it: no head-of-line blocking (docs/pool.md 1.19 item 2)"),
        "counts released": Deliberate((0, 1), (0, 2), "follows: both sessions stay (timeout 0)"),
    },
    "wait_timeout_zero_type": {
        "wait_timeout after switch to TIMEDWAIT": Deliberate(
            Typed("int", 0), Typed("float", 0.0),
            "python-oracledb returns int 0 only in this path (0 * 1000) and floats everywhere else; "
            "ours always returns a float in TIMEDWAIT"),
    },
    "foreign_release_and_drop": {
        "pool2.release(conn of pool1)": Deliberate(
            None, DPY_1001,
            "release() through a pool that does not own the connection is a bug in the caller's code: "
            "python-oracledb silently returns it to its owner; ours raises DPY-1001 \"connection belongs "
            "to a different pool\" and changes no count (psycopg_pool and asyncpg raise too)"),
        "pool1 after foreign release": Deliberate((0, 1), (1, 1), "follows: ours still lends it out"),
        "release a through pool1": Deliberate(
            DPY_1001, None, "follows: python-oracledb had released it already; ours releases it now"),
        "pool2.drop(conn of pool1)": Deliberate(
            Failure("ValueError"), DPY_1001,
            "drop() through a pool that does not own the connection: python-oracledb raises ValueError "
            "after lowering the wrong pool's opened (docs/pool.md 1.17, 1.19b bug); ours raises DPY-1001 "
            "\"connection belongs to a different pool\" and changes no count"),
        "pool2 after foreign drop": Deliberate((0, 0), (0, 1), "follows: python-oracledb miscounted pool2"),
    },
}
for _kind in ("session_callback_raises", "on_connect_callback_raises"):
    DELIBERATE[_kind] = {
        "counts after failed acquire": Deliberate(
            (1, 1), (0, 1),
            "a callback that raises: python-oracledb leaves the connection busy forever (docs/pool.md 1.19 "
            "item 9, 1.19b bug); ours drops the session so the slot is free"),
        "next acquire": Deliberate(
            HUNG, Failure("RuntimeError"),
            "follows: python-oracledb's max=1 pool has no slot left; ours opens a new session and the "
            "callback raises again"),
        "close": Deliberate(DPY_1005, None, "follows: python-oracledb still counts the connection busy"),
    }


# ---------------------------------------------------------------- getmodes


@scenario("wait", expect={"3rd acquire waits while full": True, "counts while c waits": (2, 2),
                          "c gets a's session": True})
async def wait_mode(s: Side) -> None:
    pool = s.create_pool(min=1, max=2)
    await s.counts("counts created", pool)
    a = await s.acquire("acquire a", pool)
    await s.query("a: select 1", a, "select 1 from dual")
    sid_a = s.session(a)
    b = await s.acquire("acquire b", pool)
    await s.counts("counts a+b", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.2)
    s.note("3rd acquire waits while full", not waiter.done())
    await s.counts("counts while c waits", pool)
    await s.call("release a", pool.release(a))
    c = await s.call("c after release", waiter, show=lambda _: "ok", limit=2)
    s.note("c gets a's session", s.session(c) == sid_a)
    await s.query("c: select 2", c, "select 2 from dual")
    await s.counts("counts b+c", pool)
    await s.call("release b", pool.release(b))
    await s.call("release c", pool.release(c))
    await s.counts("counts all released", pool)
    await s.call("close", pool.close())


@scenario("nowait", expect={"acquire c on full pool": DPY_4005, "counts after refusal": (2, 2)})
async def nowait_mode(s: Side) -> None:
    pool = s.create_pool(min=1, max=2, getmode=s.const("POOL_GETMODE_NOWAIT"))
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    b = await s.acquire("acquire b (pool grows)", pool)
    await s.counts("counts a+b", pool)
    await s.acquire("acquire c on full pool", pool)
    await s.counts("counts after refusal", pool)
    await s.call("release a", pool.release(a))
    c = await s.acquire("acquire c after release", pool)
    s.note("c gets a's session", s.session(c) == sid_a)
    await s.call("release b", pool.release(b))
    await s.call("release c", pool.release(c))
    await s.counts("counts all released", pool)
    await s.call("close", pool.close())


@scenario("forceget", expect={"counts 3 busy beyond max": (3, 3)})
async def forceget_mode(s: Side) -> None:
    pool = s.create_pool(min=1, max=2, getmode=s.const("POOL_GETMODE_FORCEGET"))
    conns = [await s.acquire(f"acquire {i}", pool) for i in range(3)]
    await s.counts("counts 3 busy beyond max", pool)
    d = await s.acquire("acquire 4th", pool)
    await s.counts("counts 4 busy", pool)
    for i, conn in enumerate(conns):
        await s.query(f"conn {i}: select", conn, f"select {i} from dual")
    await s.call("release 0 (not extra)", pool.release(conns[0]))
    await s.counts("counts after release 0", pool)
    await s.call("release 4th (extra)", pool.release(d))
    await s.counts("counts after release 4th", pool)
    await s.call("release 2 (extra)", pool.release(conns[2]))
    await s.counts("counts after release 2", pool)
    await s.call("release 1", pool.release(conns[1]))
    await s.counts("counts all released", pool)
    await s.call("close", pool.close())


@scenario("timedwait", expect={"wait_timeout": Typed("float", 300.0), "acquire on full pool": DPY_4005,
                               "failed after ~300 ms": True, "waiter gets a's session": True})
async def timedwait_mode(s: Side) -> None:
    pool = s.create_pool(min=1, max=1, getmode=s.const("POOL_GETMODE_TIMEDWAIT"), wait_timeout=300)
    s.attr("wait_timeout", lambda: pool.wait_timeout)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    started = time.monotonic()
    await s.acquire("acquire on full pool", pool)
    s.note("failed after ~300 ms", 0.2 <= time.monotonic() - started < 1.5)
    await s.counts("counts after expiry", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.1)
    await s.call("release a within the wait", pool.release(a))
    b = await s.call("waiter succeeds", waiter, show=lambda _: "ok", limit=2)
    s.note("waiter gets a's session", s.session(b) == sid_a)
    await s.counts("counts b busy", pool)
    await s.call("release b", pool.release(b))
    await s.call("close", pool.close())


@scenario("timedwait_grows", expect={"acquire 2nd (grows)": "ok", "counts 2 busy": (2, 2)})
async def timedwait_grows(s: Side) -> None:
    pool = s.create_pool(min=1, max=2, getmode=s.const("POOL_GETMODE_TIMEDWAIT"), wait_timeout=1000)
    a = await s.acquire("acquire 1st", pool)
    b = await s.acquire("acquire 2nd (grows)", pool)
    await s.counts("counts 2 busy", pool)
    await s.call("release 1st", pool.release(a))
    await s.call("release 2nd", pool.release(b))
    await s.call("close", pool.close())


# ----------------------------------------------------------- drop / close


@scenario("drop", expect={"counts right after drop": (0, 1), "counts refilled": (0, 2),
                          "use after drop": DPY_1001})
async def drop_and_refill(s: Side) -> None:
    pool = s.create_pool(min=2, max=3)
    await s.counts("counts created", pool)
    a = await s.acquire("acquire a", pool)
    await s.counts("counts a busy", pool)
    await s.call("drop a", pool.drop(a))
    await s.counts("counts right after drop", pool, settle=False)
    await s.counts("counts refilled", pool)
    await s.query("use after drop", a, "select 1 from dual")
    await s.call("drop a again", pool.drop(a))
    await s.call("release a after drop", pool.release(a))
    await s.counts("counts end", pool)
    await s.call("close", pool.close())


@scenario("close_busy", expect={"close with busy": DPY_1005, "close again": DPY_1002})
async def close_busy(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    await s.call("close with busy", pool.close())
    await s.counts("counts still open", pool)
    await s.query("a still works", a, "select 1 from dual")
    await s.call("release a", pool.release(a))
    b = await s.acquire("acquire b", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.1)
    await s.call("release b", pool.release(b))
    c = await s.call("waiter gets a connection", waiter, show=lambda _: "ok", limit=2)
    await s.call("release c", pool.release(c))
    await s.counts("counts idle", pool)
    await s.call("close idle pool", pool.close())
    await s.call("close again", pool.close())


@scenario("close_busy_waiter", expect={"close with a waiter": DPY_1005})
async def close_busy_waiter(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.1)
    await s.call("close with a waiter", pool.close())
    await s.call("release a", pool.release(a))
    b = await s.call("waiter gets a connection", waiter, show=lambda _: "ok", limit=2)
    await s.call("release b", pool.release(b))
    await s.call("close", pool.close())


@scenario("close_force", expect={"close(force=True)": None, "waiter after forced close": DPY_1002,
                                 "close again": DPY_1002})
async def close_force(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    await s.counts("counts a busy", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.1)
    await s.call("close(force=True)", pool.close(force=True))
    await s.call("waiter after forced close", waiter, show=lambda _: "ok", limit=2)
    await s.call("close again", pool.close())
    await s.call("close(force=True) again", pool.close(force=True))
    await s.counts("counts after close", pool, settle=False)
    s.note("a was handed out", a is not None)


@scenario("closed_pool_getters", expect={"busy after close": DPY_1002, "thin after close": DPY_1002})
async def closed_pool_getters(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    await s.counts("counts created", pool)
    await s.call("close", pool.close())
    for name in ("busy", "opened", "min", "max", "increment", "getmode", "wait_timeout", "timeout",
                 "ping_interval", "max_lifetime_session", "stmtcachesize", "dsn", "username",
                 "homogeneous", "thin", "name"):
        s.get(f"{name} after close", pool, name)


@scenario("forced_close_busy_conn", expect={"release a after forced close": DPY_1002,
                                            "a.close() after forced close": None,
                                            "use b after forced close": Failure("DatabaseError", "DPY-4011")})
async def forced_close_busy_conn(s: Side) -> None:
    pool = s.create_pool(min=1, max=2)
    a = await s.acquire("acquire a", pool)
    b = await s.acquire("acquire b", pool)
    await s.call("close(force=True)", pool.close(force=True))
    await s.call("release a after forced close", pool.release(a))
    await s.call("a.close() after forced close", a.close())
    await s.query("use b after forced close", b, "select 1 from dual")
    await s.call("b.close() after forced close", b.close())
    await s.call("b.close() twice", b.close())


@scenario("closed_pool_acquire", expect={"acquire after close": Failure("InterfaceError", "DPY-1002", "call")})
async def closed_pool_acquire(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    await s.call("close", pool.close())
    await s.acquire("acquire after close", pool)


@scenario("closed_pool_setters", expect={"set timeout after close": DPY_1002,
                                         "set ping_interval after close": Failure("AttributeError")})
async def closed_pool_setters(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    await s.call("close", pool.close())
    for name, value in (("timeout", 5), ("ping_interval", 5), ("max_lifetime_session", 5),
                        ("stmtcachesize", 5), ("getmode", s.const("POOL_GETMODE_NOWAIT")), ("wait_timeout", 5)):
        s.set(f"set {name} after close", pool, name, value)


@scenario("release_twice", expect={"release a twice": DPY_1001, "a.close() after release": DPY_1001,
                                   "use after release": DPY_1001})
async def release_twice(s: Side) -> None:
    pool = s.create_pool(min=1, max=2)
    await s.counts("counts created", pool)
    a = await s.acquire("acquire a", pool)
    await s.call("release a", pool.release(a))
    await s.call("release a twice", pool.release(a))
    await s.call("a.close() after release", a.close())
    await s.query("use after release", a, "select 1 from dual")
    await s.counts("counts", pool)
    async with pool.acquire() as b:
        await s.query("b in async with", b, "select 3 from dual")
        await s.counts("counts inside async with", pool)
    await s.counts("counts after async with", pool)
    await s.query("b after async with", b, "select 1 from dual")
    c = await s.acquire("acquire c", pool)
    await s.call("c.close() returns it", c.close())
    await s.counts("counts after c.close()", pool)
    await s.call("release c after close", pool.release(c))
    await s.call("close", pool.close())


@scenario("released_conn_attributes", expect={"session_id after release": DPY_1001,
                                              "is_healthy() after release": Typed("bool", False)})
async def released_conn_attributes(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    await s.call("release a", pool.release(a))
    for name in ("session_id", "serial_num", "transaction_in_progress", "autocommit", "call_timeout",
                 "username", "dsn", "thin", "version"):
        s.get(f"{name} after release", a, name)
    s.attr("is_healthy() after release", lambda: a.is_healthy())
    s.attr("cursor() after release", lambda: a.cursor() and "cursor")
    await s.call("ping after release", a.ping())
    await s.call("commit after release", a.commit())
    await s.call("rollback after release", a.rollback())
    await s.call("close", pool.close())


@scenario("release_rolls_back", expect={"count after re-acquire": (1,), "same session": True})
async def release_rolls_back(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("create table", a.execute("create table diff_t (x number)"))
    await s.call("insert 1", a.execute("insert into diff_t values (1)"))
    await s.call("commit", a.commit())
    await s.call("insert 2", a.execute("insert into diff_t values (2)"))
    s.attr("in transaction before release", lambda: a.transaction_in_progress)
    await s.call("release with open transaction", pool.release(a))
    b = await s.acquire("acquire b", pool)
    s.note("same session", s.session(b) == sid_a)
    s.attr("b in transaction", lambda: b.transaction_in_progress)
    await s.query("count after re-acquire", b, "select count(*) from diff_t")
    await s.call("release b", pool.release(b))
    async with pool.acquire() as c:
        await s.call("insert 3 in async with", c.execute("insert into diff_t values (3)"))
    async with pool.acquire() as d:
        await s.query("count after async with", d, "select count(*) from diff_t")
    await s.call("close", pool.close())


# ------------------------------------------------------------- callbacks


def _session_callback(calls: list[object]) -> Callable[[Any, Any], Any]:
    async def callback(conn: Any, requested_tag: Any) -> None:
        calls.append(requested_tag)
        await conn.execute("begin null; end;")

    return callback


@scenario("session_callback",
          expect={"calls after 4 sequential acquires": 1, "calls after 3 concurrent": 3, "tags": ["None"]})
async def session_callback(s: Side) -> None:
    calls: list[object] = []
    pool = s.create_pool(min=2, max=3, session_callback=_session_callback(calls))
    await s.counts("counts created", pool)
    s.note("calls at creation", len(calls))
    for i in range(4):
        async with pool.acquire() as conn:
            await s.query(f"sequential {i}", conn, "select 1 from dual")
    s.note("calls after 4 sequential acquires", len(calls))
    held = await asyncio.wait_for(asyncio.gather(*(_await(pool.acquire()) for _ in range(3))), 3)
    s.note("calls after 3 concurrent", len(calls))
    await s.counts("counts 3 busy", pool)
    for conn in held:
        await pool.release(conn)
    async with pool.acquire() as conn:
        s.note("calls after re-acquire", len(calls))
    s.note("tags", sorted({repr(tag) for tag in calls}))
    await s.call("close", pool.close())


async def _await(awaitable: Any) -> Any:
    return await awaitable


@scenario("on_connect_callback",
          expect={"calls after 4 sequential acquires": 4, "calls after 2 concurrent": 6})
async def on_connect_callback(s: Side) -> None:
    calls: list[object] = []

    async def callback(conn: Any) -> None:
        calls.append(s.session(conn))

    pool = s.create_pool(min=1, max=2, on_connect_callback=callback)
    await s.counts("counts created", pool)
    s.note("calls at creation", len(calls))
    for i in range(4):
        async with pool.acquire() as conn:
            await s.query(f"sequential {i}", conn, "select 1 from dual")
    s.note("calls after 4 sequential acquires", len(calls))
    held = await asyncio.wait_for(asyncio.gather(*(_await(pool.acquire()) for _ in range(2))), 3)
    s.note("calls after 2 concurrent", len(calls))
    s.note("distinct sessions seen", len(set(calls)))
    for conn in held:
        await pool.release(conn)
    await s.call("close", pool.close())


@scenario("callback_order",
          expect={"order": ["on_connect", "session", "on_connect"]})
async def callback_order(s: Side) -> None:
    order: list[str] = []

    async def on_connect(conn: Any) -> None:
        order.append("on_connect")

    async def session(conn: Any, requested_tag: Any) -> None:
        order.append("session")

    pool = s.create_pool(min=1, max=1, on_connect_callback=on_connect, session_callback=session)
    for i in range(2):
        async with pool.acquire() as conn:
            await s.query(f"query {i}", conn, "select 1 from dual")
    s.note("order", order)
    await s.call("close", pool.close())


# ------------------------------------------------------------ dead sessions


@scenario("ping_after_kill", expect={"acquire after kill": "ok", "new session": True, "query": (1,)})
async def ping_after_kill(s: Side) -> None:
    pool = s.create_pool(min=1, max=1, ping_interval=0)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("release a", pool.release(a))
    await s.counts("counts idle", pool)
    s.note("kill a's session", sid_a is not None and s.server.kill_session(sid_a[0]))
    await asyncio.sleep(0.05)
    b = await s.acquire("acquire after kill", pool)
    s.note("new session", b is not None and s.session(b) not in (None, sid_a))
    await s.query("query", b, "select 1 from dual")
    await s.counts("counts b busy", pool)
    await s.call("release b", pool.release(b))
    await s.call("close", pool.close())


@scenario("kill_idle_no_ping", expect={"acquire after kill": "ok", "new session": True, "query": (1,)})
async def kill_idle_no_ping(s: Side) -> None:
    """An idle session's socket cut (KILL SESSION ... IMMEDIATE): the pool's socket check skips it."""
    pool = s.create_pool(min=1, max=1, ping_interval=-1)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("release a", pool.release(a))
    s.note("kill a's session", sid_a is not None and s.server.kill_session(sid_a[0], immediate=True))
    await asyncio.sleep(0.1)
    b = await s.acquire("acquire after kill", pool)
    s.note("new session", b is not None and s.session(b) not in (None, sid_a))
    await s.query("query", b, "select 1 from dual")
    await s.call("release b", pool.release(b))
    await s.counts("counts idle", pool)
    await s.call("close", pool.close())


@scenario("kill_idle_ora_00028", expect={"same session": True, "query on killed session": DPY_4011,
                                          "new session": True, "query": (1,)})
async def kill_idle_ora_00028(s: Side) -> None:
    """ALTER SYSTEM KILL SESSION of an idle pooled session, without pings: nothing tells the pool,
    so it hands the session out; its first call fails with ORA-00028 (reported as DPY-4011), and
    the pool then drops it and opens a fresh one."""
    pool = s.create_pool(min=1, max=1, ping_interval=-1)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("release a", pool.release(a))
    s.note("kill a's session", sid_a is not None and s.server.kill_session(sid_a[0]))
    again = await s.acquire("acquire after kill", pool)
    s.note("same session", again is not None and s.session(again) == sid_a)
    await s.query("query on killed session", again, "select 1 from dual")
    await s.call("release killed", pool.release(again))
    b = await s.acquire("acquire fresh", pool)
    s.note("new session", b is not None and s.session(b) not in (None, sid_a))
    await s.query("query", b, "select 1 from dual")
    await s.call("release b", pool.release(b))
    await s.call("close", pool.close())


@scenario("kill_busy", expect={"query on killed session": Failure("DatabaseError", "DPY-4011")})
async def kill_busy(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    s.note("kill a's session", sid_a is not None and s.server.kill_session(sid_a[0]))
    await asyncio.sleep(0.05)
    await s.query("query on killed session", a, "select 1 from dual")
    await s.call("release dead a", pool.release(a))
    await s.counts("counts refilled", pool)
    b = await s.acquire("acquire b", pool)
    await s.query("b works", b, "select 1 from dual")
    await s.call("release b", pool.release(b))
    await s.call("close", pool.close())


# ---------------------------------------------------------------- timers


@scenario("timeout_shrink", expect={"counts 3 busy": (3, 3), "still 3 after 0.5 s": True,
                                    "shrunk to min within 3.5 s": True, "counts shrunk": (0, 1)})
async def timeout_shrink(s: Side) -> None:
    pool = s.create_pool(min=1, max=3, timeout=1)
    held = await asyncio.wait_for(asyncio.gather(*(_await(pool.acquire()) for _ in range(3))), 3)
    await s.counts("counts 3 busy", pool)
    for conn in held:
        await pool.release(conn)
    await s.counts("counts released", pool, settle=False)
    await asyncio.sleep(0.5)
    s.note("still 3 after 0.5 s", pool.opened == 3)
    await s.poll("shrunk to min within 3.5 s", lambda: bool(pool.opened == 1), limit=3.0)
    await s.counts("counts shrunk", pool)
    a = await s.acquire("acquire after shrink", pool)
    await s.query("query after shrink", a, "select 1 from dual")
    await s.call("release", pool.release(a))
    await s.call("close", pool.close())


@scenario("max_lifetime_session", expect={"reused while young": True, "reused after idle expiry": False,
                                          "reused after busy expiry": False})
async def max_lifetime(s: Side) -> None:
    pool = s.create_pool(min=1, max=1, max_lifetime_session=1)
    s.attr("max_lifetime_session", lambda: pool.max_lifetime_session)
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("release a", pool.release(a))
    b = await s.acquire("acquire b", pool)
    s.note("reused while young", s.session(b) == sid_a)
    await s.call("release b", pool.release(b))
    await asyncio.sleep(1.2)  # idle past the lifetime
    c = await s.acquire("acquire c", pool)
    sid_c = s.session(c)
    s.note("reused after idle expiry", sid_c == sid_a)
    await s.counts("counts c busy", pool)
    await asyncio.sleep(1.2)  # busy past the lifetime: dropped on release
    await s.call("release c", pool.release(c))
    await s.counts("counts after release of old c", pool)
    d = await s.acquire("acquire d", pool)
    s.note("reused after busy expiry", s.session(d) == sid_c)
    await s.query("d works", d, "select 1 from dual")
    await s.call("release d", pool.release(d))
    await s.call("close", pool.close())


# ---------------------------------------------------------------- logon


@scenario("wrong_password", expect={"first acquire": ORA_01017, "second acquire": ORA_01017})
async def wrong_password(s: Side) -> None:
    pool = s.create_pool(min=1, max=2, password="wrong")
    await s.acquire("first acquire", pool)
    await s.counts("counts after failure", pool)
    await s.acquire("second acquire", pool)
    await s.counts("counts after second failure", pool)
    await s.call("close", pool.close())


@scenario("acquire_during_warmup", expect={"counts after first acquire": (1, 1)})
async def acquire_during_warmup(s: Side) -> None:
    pool = s.create_pool(min=1, max=2)
    a = await s.acquire("first acquire right after create", pool)
    await s.counts("counts after first acquire", pool)
    await s.call("release a", pool.release(a))
    await s.counts("counts released", pool)
    await s.call("close", pool.close())


# ----------------------------------------------------------- attributes


@scenario("attributes", expect={
    "wait_timeout in WAIT": Typed("int", 0),
    "wait_timeout after set 1500": Typed("float", 1500.0), "max_sessions_per_shard": DPY_3001,
    "soda_metadata_cache": DPY_3001, "name": Typed("NoneType", None), "thin": Typed("bool", True),
})
async def attributes(s: Side) -> None:
    pool = s.create_pool(min=1, max=3, increment=2, wait_timeout=500)
    for name in ("min", "max", "increment", "getmode", "homogeneous", "thin", "name", "username",
                 "stmtcachesize", "ping_interval", "timeout", "max_lifetime_session"):
        s.get(name, pool, name)
    s.note("dsn is the server's", pool.dsn == s.server.dsn)
    s.attr("wait_timeout in WAIT", lambda: pool.wait_timeout)
    s.set("set wait_timeout 700 in WAIT", pool, "wait_timeout", 700)
    s.attr("wait_timeout after set in WAIT", lambda: pool.wait_timeout)
    s.set("set getmode TIMEDWAIT", pool, "getmode", s.const("POOL_GETMODE_TIMEDWAIT"))
    s.attr("getmode after set", lambda: pool.getmode)
    s.set("set wait_timeout 1500", pool, "wait_timeout", 1500)
    s.attr("wait_timeout after set 1500", lambda: pool.wait_timeout)
    s.set("set getmode TIMEDWAIT again", pool, "getmode", s.const("POOL_GETMODE_TIMEDWAIT"))
    s.attr("wait_timeout after same getmode", lambda: pool.wait_timeout)
    s.set("set getmode NOWAIT", pool, "getmode", s.const("POOL_GETMODE_NOWAIT"))
    s.attr("wait_timeout in NOWAIT", lambda: pool.wait_timeout)
    s.set("set getmode back to TIMEDWAIT", pool, "getmode", s.const("POOL_GETMODE_TIMEDWAIT"))
    s.set("set wait_timeout 250", pool, "wait_timeout", 250)
    s.attr("wait_timeout after set 250", lambda: pool.wait_timeout)
    for name, values in (("stmtcachesize", (30, -1)), ("ping_interval", (-1, 0, 15)),
                         ("timeout", (5, -1)), ("max_lifetime_session", (7, -1))):
        for value in values:
            s.set(f"set {name} {value}", pool, name, value)
            s.get(f"{name} after set {value}", pool, name)
    for name in ("max_sessions_per_shard", "soda_metadata_cache"):
        s.get(name, pool, name)
    s.set("set max_sessions_per_shard", pool, "max_sessions_per_shard", 2)
    s.set("set soda_metadata_cache", pool, "soda_metadata_cache", True)
    for name in ("min", "max", "increment", "busy", "opened", "name", "thin", "homogeneous", "dsn", "username"):
        s.set(f"set read-only {name}", pool, name, 1)
    s.set("set getmode WAIT", pool, "getmode", s.const("POOL_GETMODE_WAIT"))
    a = await s.acquire("pool still works", pool)
    await s.query("query", a, "select 1 from dual")
    await s.call("release", pool.release(a))
    s.set("set getmode 99", pool, "getmode", 99)
    s.get("getmode after set 99", pool, "getmode")
    await s.call("close", pool.close())


@scenario("wait_timeout_zero_type", expect={"wait_timeout after switch to TIMEDWAIT": Typed("int", 0),
                                            "created TIMEDWAIT wait_timeout 0": Typed("float", 0.0)})
async def wait_timeout_zero_type(s: Side) -> None:
    pool = s.create_pool(min=0, max=1)
    s.set("set getmode TIMEDWAIT", pool, "getmode", s.const("POOL_GETMODE_TIMEDWAIT"))
    s.get("wait_timeout after switch to TIMEDWAIT", pool, "wait_timeout")
    timed = s.create_pool(min=0, max=1, getmode=s.const("POOL_GETMODE_TIMEDWAIT"))
    s.get("created TIMEDWAIT wait_timeout 0", timed, "wait_timeout")
    await s.call("close", pool.close())
    await s.call("close timed", timed.close())


@scenario("create_arguments", expect={"max < min": Failure("ProgrammingError", "DPY-2064"),
                                      "increment 0 -> 1": Typed("int", 1)})
async def create_arguments(s: Side) -> None:
    def make(step: str, **kwargs: Any) -> Any:
        try:
            pool = s.create_pool(**kwargs)
        except Exception as exc:  # noqa: BLE001
            s.note(step, failure(exc))
            return None
        s.note(step, "ok")
        return pool

    make("max < min", min=3, max=2)
    pool = make("increment 0, min != max", min=1, max=3, increment=0)
    s.attr("increment 0 -> 1", lambda: pool.increment)
    static = make("increment 0, min == max", min=2, max=2, increment=0)
    s.attr("static increment", lambda: static.increment)
    timed = make("TIMEDWAIT 300 at creation", min=0, max=1, getmode=s.const("POOL_GETMODE_TIMEDWAIT"),
                 wait_timeout=300)
    s.attr("created wait_timeout", lambda: timed.wait_timeout)
    s.attr("created getmode", lambda: timed.getmode)
    make("unknown keyword", min=1, max=1, no_such_parameter=1)
    default = make("defaults", min=1)
    for name in ("max", "increment", "getmode", "timeout", "wait_timeout", "max_lifetime_session",
                 "ping_interval", "stmtcachesize"):
        s.get(f"default {name}", default, name)
    for p in (pool, static, timed, default):
        if p is not None:
            await p.close(force=True)


# ------------------------------------------- alias, params, acquire options


@scenario("pool_alias", expect={"duplicate alias": Failure("ProgrammingError", "DPY-2055"),
                                "connect_async unknown alias": Failure("ProgrammingError", "DPY-2054", "call"),
                                "get_pool after close": True})
async def pool_alias(s: Side) -> None:
    alias = f"diff_alias_{s.name}"
    pool = s.create_pool(min=1, max=2, pool_alias=alias)
    s.note("get_pool(alias) is the pool", s.lib.get_pool(alias) is pool)
    s.note("get_pool is case-sensitive", s.lib.get_pool(alias.upper()) is None)
    try:
        s.create_pool(min=1, max=1, pool_alias=alias)
        s.note("duplicate alias", "ok")
    except Exception as exc:  # noqa: BLE001
        s.note("duplicate alias", failure(exc))
    try:
        s.create_pool(min=1, max=1, pool_alias=5)
        s.note("non-str alias", "ok")
    except Exception as exc:  # noqa: BLE001
        s.note("non-str alias", failure(exc))
    await s.counts("counts created", pool)
    conn = await s.invoke("connect_async(pool_alias)", lambda: s.lib.connect_async(pool_alias=alias),
                          show=lambda _: "ok")
    await s.counts("counts via alias", pool)
    if conn is not None:
        await s.query("query via alias", conn, "select 1 from dual")
        await s.call("release via conn.close()", conn.close())
    await s.invoke("connect_async unknown alias", lambda: s.lib.connect_async(pool_alias="no_such_alias"))
    await s.invoke("connect_async pool and pool_alias",
                   lambda: s.lib.connect_async(pool=pool, pool_alias=alias))
    await s.call("close", pool.close())
    s.note("get_pool after close", s.lib.get_pool(alias) is None)


@scenario("create_params", expect={"params not PoolParams": Failure("ProgrammingError", "DPY-2027"),
                                   "bad pool_class": Failure("ProgrammingError", "DPY-2026")})
async def create_params(s: Side) -> None:
    params = s.lib.PoolParams(min=2, max=3, increment=1)
    pool = s.create_pool(params=params)
    for name in ("min", "max", "increment"):
        s.get(f"{name} from params", pool, name)
    keyword = s.create_pool(params=s.lib.PoolParams(min=1, max=3), max=2)
    s.get("keyword beats params", keyword, "max")
    await s.counts("counts from params", pool)
    for step, kwargs in (("params not PoolParams", {"params": {"min": 1}}),
                         ("bad pool_class", {"pool_class": dict}),
                         ("bad connectiontype", {"connectiontype": dict})):
        try:
            s.create_pool(min=1, max=1, **kwargs)
            s.note(step, "ok")
        except Exception as exc:  # noqa: BLE001
            s.note(step, failure(exc))
    await s.call("close", pool.close())
    await s.call("close keyword", keyword.close())


@scenario("acquire_options", expect={"acquire(tag=...)": DPY_3001, "acquire(shardingkey=...)": DPY_3001,
                                     "PURITY_NEW gets a new session": True, "counts after PURITY_NEW": (1, 1)})
async def acquire_options(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    await s.acquire("acquire(tag=...)", pool, tag="x")
    await s.acquire("acquire(shardingkey=...)", pool, shardingkey=[1])
    a = await s.acquire("acquire a", pool)
    sid_a = s.session(a)
    await s.call("release a", pool.release(a))
    b = await s.acquire("acquire PURITY_NEW on a full pool", pool, purity=s.const("PURITY_NEW"))
    s.note("PURITY_NEW gets a new session", b is not None and s.session(b) not in (None, sid_a))
    await s.counts("counts after PURITY_NEW", pool)
    sid_b = s.session(b)
    await s.call("release b", pool.release(b))
    await s.counts("counts after release b", pool)
    c = await s.acquire("acquire PURITY_SELF", pool, purity=s.const("PURITY_SELF"))
    s.note("PURITY_SELF reuses b's session", c is not None and s.session(c) == sid_b)
    await s.call("release c", pool.release(c))
    await s.call("close", pool.close())


# ------------------------------------- python-oracledb bugs ours fixes (1.19b)


@scenario("timedwait_zero", expect={"acquire with a free idle connection": DPY_4005})
async def timedwait_zero(s: Side) -> None:
    pool = s.create_pool(min=1, max=1, getmode=s.const("POOL_GETMODE_TIMEDWAIT"), wait_timeout=0)
    await s.counts("counts created", pool)
    a = await s.acquire("acquire with a free idle connection", pool)
    await s.counts("counts after", pool)
    if a is not None:
        await pool.release(a)
    await s.call("close", pool.close())


@scenario("cancelled_waiter_keeps_slot", expect={"cancelled waiter": Failure("CancelledError"),
                                                 "counts after cancel": (0, 1), "next acquire": HUNG})
async def cancelled_waiter_keeps_slot(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.1)
    await pool.release(a)  # hands a to the waiter (no yield to the loop in between) ...
    waiter.cancel()  # ... which is cancelled before it resumes
    await s.call("cancelled waiter", waiter, show=lambda _: "ok", limit=1)
    await s.counts("counts after cancel", pool)
    b = await s.acquire("next acquire", pool, limit=1)
    if b is not None:
        await pool.release(b)
    await s.call("close", pool.close(), limit=1)


def _raising_scenario(kind: str) -> Scenario:
    async def body(s: Side) -> None:
        async def on_connect(conn: Any) -> None:
            raise RuntimeError("callback failed")

        async def session(conn: Any, requested_tag: Any) -> None:
            raise RuntimeError("callback failed")

        callback: dict[str, Any] = ({"on_connect_callback": on_connect} if kind == "on_connect"
                                    else {"session_callback": session})
        pool = s.create_pool(min=1, max=1, **callback)
        await s.counts("counts created", pool)
        await s.acquire("acquire (callback raises)", pool)
        await s.counts("counts after failed acquire", pool)
        b = await s.acquire("next acquire", pool, limit=1)
        if b is not None:
            await pool.release(b)
        await s.call("close", pool.close(), limit=1)

    return body


scenario("session_callback_raises",
         expect={"acquire (callback raises)": Failure("RuntimeError"), "counts after failed acquire": (1, 1),
                 "next acquire": HUNG, "close": DPY_1005})(_raising_scenario("session"))
scenario("on_connect_callback_raises",
         expect={"acquire (callback raises)": Failure("RuntimeError"), "counts after failed acquire": (1, 1),
                 "next acquire": HUNG, "close": DPY_1005})(_raising_scenario("on_connect"))


@scenario("foreign_release_and_drop", expect={"pool2.release(conn of pool1)": None,
                                              "pool2.drop(conn of pool1)": Failure("ValueError")})
async def foreign_release_and_drop(s: Side) -> None:
    pool1 = s.create_pool(min=1, max=2)
    pool2 = s.create_pool(min=1, max=2)
    await s.counts("pool1 created", pool1)
    await s.counts("pool2 created", pool2)
    a = await s.acquire("acquire a from pool1", pool1)
    await s.call("pool2.release(conn of pool1)", pool2.release(a))
    await s.counts("pool1 after foreign release", pool1)
    await s.counts("pool2 after foreign release", pool2)
    await s.call("release a through pool1", pool1.release(a))
    b = await s.acquire("acquire b from pool1", pool1)
    await s.call("pool2.drop(conn of pool1)", pool2.drop(b))
    await s.counts("pool1 after foreign drop", pool1)
    await s.counts("pool2 after foreign drop", pool2)
    await s.call("close pool1", pool1.close(), limit=1)
    await s.call("close pool2", pool2.close(), limit=1)


@scenario("cclass_reuse", expect={"no cclass: the class A session": True,
                                  "PURITY_NEW, no cclass: the never-used session": True})
async def cclass_reuse(s: Side) -> None:
    """An acquire without cclass takes the most recently released session of any class
    (python-oracledb PooledConnRequest.fulfill: a request cclass of None matches all)."""
    pool = s.create_pool(min=1, max=2)
    await s.counts("counts created", pool)
    first = await s.acquire("acquire (pool class)", pool)
    sid_first = s.session(first)
    a = await s.acquire("acquire cclass A", pool, cclass="A")
    sid_a = s.session(a)
    await s.counts("counts with A", pool)
    await s.call("release first", pool.release(first))
    await s.call("release a", pool.release(a))
    b = await s.acquire("acquire without cclass", pool)
    s.note("no cclass: the class A session", b is not None and s.session(b) == sid_a)
    await s.counts("counts after b", pool)
    await s.call("release b", pool.release(b))
    c = await s.acquire("acquire PURITY_NEW without cclass", pool, purity=s.const("PURITY_NEW"))
    s.note("PURITY_NEW, no cclass: the never-used session",
           c is not None and s.session(c) not in (sid_a, sid_first))
    await s.counts("counts after c", pool)
    if c is not None:
        await s.call("release c", pool.release(c))
    await s.call("close", pool.close())


@scenario("terminate", expect={"counts after terminate": (1, 1), "release after terminate": DPY_1001})
async def terminate(s: Side) -> None:
    pool = s.create_pool(min=1, max=1)
    a = await s.acquire("acquire a", pool)
    s.attr("terminate()", lambda: a.terminate())
    await s.counts("counts after terminate", pool)
    await s.call("release after terminate", pool.release(a))
    b = await s.acquire("next acquire", pool, limit=1)
    if b is not None:
        await pool.release(b)
    await s.call("close", pool.close(), limit=1)


# ------------------------------------------------------------------ test


@pytest.mark.realtime
@pytest.mark.parametrize("name", [pytest.param(n, marks=c.marks, id=n) for n, c in SCENARIOS.items()])
def test_pool_differential(name: str) -> None:
    case = SCENARIOS[name]
    run_differential(name, case.fn, deliberate=DELIBERATE.get(name, {}), expect=case.expect)


def test_harness_reports_both_traces() -> None:
    """The harness itself: a disagreement fails with both traces side by side."""

    async def lopsided(s: Side) -> None:
        s.note("side", s.name)
        s.note("same", 1)

    with pytest.raises(AssertionError) as info:
        run_differential("lopsided", lopsided)
    text = str(info.value)
    assert "side: theirs 'theirs' != ours 'ours'" in text and " ! side" in text and "   same" in text
    run_differential("lopsided", lopsided, deliberate={"side": Deliberate("theirs", "ours", "harness check")})
    assert HUNG == Failure("Hung")
