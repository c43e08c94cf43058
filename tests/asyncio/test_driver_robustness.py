"""Regressions from reviewing the driver: every failure is typed, bounded, and
leaves sessions and pool slots accounted for."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal
from typing import Any

import pytest

import oracle_asyncio
import oracle_asyncio._pool_sessions as pool_module
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run


def _pool(server: EmbeddedServer, **kwargs: Any) -> oracle_asyncio.AsyncConnectionPool:
    return oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, **kwargs)


@pytest.mark.parametrize(("value", "code"), [(float("nan"), "DPY-4004"), (Decimal("NaN"), "DPY-4004"),
                                             (float("inf"), "DPY-4004"), (2**200, "DPY-4003")])
def test_unsendable_bind_is_typed_and_the_session_stays_usable(value: object, code: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        with pytest.raises(oracle_asyncio.DatabaseError, match=code):
            await conn.fetchone("select :1 from dual", [value])
        assert await asyncio.wait_for(conn.fetchone("select 1 from dual"), 5) == (1,)
        await conn.close()

    run(body)


def test_callers_timing_out_at_random_points_never_break_the_session() -> None:
    async def one(conn: oracle_asyncio.AsyncConnection, seed: int) -> None:
        rnd = random.Random(seed)
        for _ in range(40):
            try:  # gives up at a random point: before the call is sent, while in flight, as it lands
                await asyncio.wait_for(conn.fetchone("select 1 from dual"), rnd.choice([0.0005, 0.001, 0.002]))
            except asyncio.TimeoutError:
                pass
            assert await asyncio.wait_for(conn.fetchone("select 2 from dual"), 15) == (2,)

    async def body(server: EmbeddedServer) -> None:
        conns = [await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
                 for _ in range(8)]
        await asyncio.gather(*(one(c, i) for i, c in enumerate(conns)))
        for conn in conns:
            await conn.close()

    run(body)


def test_async_with_connect_async_from_a_pool_releases_a_killed_session() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = _pool(server, min=1, max=1)
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
            async with oracle_asyncio.connect_async(pool=pool) as conn:
                server.kill_session(conn.session_id)
                await conn.ping()
        assert pool.busy == 0
        again = await asyncio.wait_for(pool.acquire(), 5)
        assert await again.fetchone("select 1 from dual") == (1,)
        await pool.release(again)
        await pool.close()

    run(body)


def test_unusable_expire_time_is_dpy_6005_and_keeps_no_slot() -> None:
    async def body(server: EmbeddedServer) -> None:
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
            await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn, expire_time=10**6)
        pool = _pool(server, min=0, max=1, expire_time=10**6)
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
            await asyncio.wait_for(pool.acquire(), 5)
        assert (pool.busy, pool.opened) == (0, 0)
        await pool.close()

    run(body)


def test_acquire_with_another_cclass_logs_on_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    real = pool_module.open_session  # type: ignore[attr-defined]

    async def spy(p: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(p.cclass)
        return await real(p, *args, **kwargs)

    monkeypatch.setattr(pool_module, "open_session", spy)

    async def body(server: EmbeddedServer) -> None:
        pool = _pool(server, min=0, max=2, cclass="A")
        conn = await pool.acquire(cclass="B")
        await pool.release(conn)
        again = await pool.acquire()  # no cclass: any class suits (python-oracledb), no logon
        assert again is conn
        await pool.release(again)
        conn = await pool.acquire(cclass="A")  # the pool's own class, asked for: a logon
        await pool.release(conn)
        await pool.close()
        assert seen == ["B", "A"]

    run(body)


def test_release_racing_a_forced_close_completes() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = _pool(server, min=1, max=1)
        conn = await pool.acquire()
        await conn.execute("create table race_t (x number)")
        await conn.execute("insert into race_t values (1)")
        results = await asyncio.wait_for(
            asyncio.gather(pool.release(conn), pool.close(force=True), return_exceptions=True), 10)
        assert not any(isinstance(r, BaseException) for r in results), results

    run(body)


@pytest.mark.interop
def test_argument_errors_match_python_oracledb() -> None:
    oracledb = pytest.importorskip("oracledb")

    async def body(server: EmbeddedServer) -> None:
        seen: dict[str, list[str]] = {}
        for lib in (oracledb, oracle_asyncio):
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn)
            cur = conn.cursor()
            out: list[str] = []
            for sql, params in (("select :1 from dual", ()), ("select :1, :2 from dual", [1]),
                                ("select :1 from dual", [1, 2]), ("select 1 from dual", ())):
                try:
                    await cur.execute(sql, params)
                    out.append("ok")
                except Exception as exc:
                    out.append(f"{type(exc).__name__} {str(exc)[:9]}")
            try:
                await cur.executemany("insert into nothing values (1)", -3)
            except Exception as exc:
                out.append(type(exc).__name__)
            seen[lib.__name__] = out
            await conn.close()
        assert seen["oracle_asyncio"] == seen["oracledb"]

    run(body)


@pytest.mark.interop
def test_out_values_are_converted_to_the_bind_type_by_the_server() -> None:
    oracledb = pytest.importorskip("oracledb")

    async def body(server: EmbeddedServer) -> None:
        for lib in (oracledb, oracle_asyncio):
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn)
            cur = conn.cursor()
            text = cur.var(str)
            await cur.execute("begin :1 := 1.5; end;", [text])
            assert text.getvalue() == "1.5"
            number = cur.var(int)
            await cur.execute("begin :1 := '42'; end;", [number])
            assert number.getvalue() == 42
            with pytest.raises(lib.DatabaseError, match="ORA-06502"):
                await cur.execute("begin :1 := 'abc'; end;", [cur.var(int)])
            assert await conn.fetchone("select 1 from dual") == (1,)  # the session survived
            await conn.close()

    run(body)
