"""oracle_asyncio's connection and cursor against EmbeddedServer."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer


def run(body: Callable[[EmbeddedServer], Awaitable[None]], **kw: object) -> None:
    async def main() -> None:
        async with EmbeddedServer(**kw) as server:  # type: ignore[arg-type]
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


async def _connect(server: EmbeddedServer) -> oracle_asyncio.AsyncConnection:
    return await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)


def test_session_queries_dml_and_errors() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            assert conn.version == "23.5.0.24.7" and conn.session_id > 0 and conn.thin
            cur = conn.cursor()
            await cur.execute("select 1, 'x', 1.5, date '2024-01-02' from dual")
            assert cur.description is not None and cur.description[0][0] == "1"
            assert await cur.fetchone() == (1, "x", 1.5, dt.datetime(2024, 1, 2))
            await cur.execute("create table a_t (id number(10), name varchar2(20), amount number(10,2))")
            await cur.executemany("insert into a_t values (:1, :2, :3)", [(i, f"n{i}", Decimal(i) / 4) for i in range(250)])
            assert cur.rowcount == 250 and conn.transaction_in_progress
            await conn.commit()
            cur.arraysize = 40
            await cur.execute("select id, name, amount from a_t where id >= :low order by id", low=10)
            rows = [row async for row in cur]
            assert len(rows) == 240 and rows[0] == (10, "n10", 2.5) and isinstance(rows[0][2], float)
            await cur.execute("select id from a_t where name = :name", {"name": "n7"})
            assert await cur.fetchall() == [(7,)]
            with pytest.raises(oracle_asyncio.IntegrityError):
                await cur.execute("create table a_u (x number primary key)")
                await cur.execute("insert into a_u values (1)")
                await cur.execute("insert into a_u values (1)")
            with pytest.raises(oracle_asyncio.DatabaseError) as info:
                await cur.execute("select * from missing")
            assert info.value.full_code == "ORA-00942" and info.value.code == 942
            out = cur.var(int)
            await cur.execute("begin :x := 6 * 7; end;", x=out)
            assert out.getvalue() == 42
            await conn.ping()
            assert conn.is_healthy()
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1001"):
            await conn.ping()

    run(body)


def test_call_timeout_and_killed_session() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        conn.call_timeout = 200
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4024"):
            await conn.execute("begin dbms_session.sleep(5); end;")
        assert await conn.fetchone("select 3 from dual") == (3,)
        server.kill_session(conn.session_id)
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
            await conn.ping()
        assert not conn.is_healthy()

    run(body)


def test_lobs() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            cur = conn.cursor()
            await cur.execute("create table a_l (c clob, b blob)")
            await cur.execute("insert into a_l values (:1, :2)", ["héllo wörld", b"\x00\x01"])
            await cur.execute("select c, b from a_l")
            c, b = await cur.fetchone()  # type: ignore[misc]
            assert isinstance(c, oracle_asyncio.AsyncLOB) and c.type is oracle_asyncio.DB_TYPE_CLOB
            assert await c.size() == 11 and await c.read() == "héllo wörld" and await c.read(2, 4) == "éllo"
            await c.write("HE", 1)
            assert await c.read(1, 5) == "HEllo"
            await c.trim(5)
            assert await c.size() == 5 and await c.getchunksize() > 0
            await c.open()
            assert await c.isopen()
            await c.close()
            assert isinstance(b, oracle_asyncio.AsyncLOB) and await b.read() == b"\x00\x01"
            await cur.execute("select c, b from a_l", fetch_lobs=False)
            assert await cur.fetchone() == ("héllo wörld", b"\x00\x01")

    run(body)


def test_refused_and_bad_password() -> None:
    async def body(server: EmbeddedServer) -> None:
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await oracle_asyncio.connect_async(user="scott", password="bad", dsn=server.dsn)
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
            await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=f"127.0.0.1:{server.port}/NOPE")

    run(body)


def test_temporary_lobs_and_lob_vars() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            cur = conn.cursor()
            await cur.execute("create table a_tmp (c clob)")
            temp = await conn.createlob(oracle_asyncio.DB_TYPE_CLOB, "temporary text")
            assert await temp.read() == "temporary text"
            await cur.execute("insert into a_tmp values (:1)", [temp])
            var = cur.var(oracle_asyncio.DB_TYPE_CLOB)
            var.value = "x" * 40_000
            await cur.execute("insert into a_tmp values (:1)", [var])
            await cur.execute("select c from a_tmp")
            rows = await cur.fetchall()
            lobs = [r[0] for r in rows]
            assert all(isinstance(lob, oracle_asyncio.AsyncLOB) for lob in lobs)
            assert [await lob.read() for lob in lobs if isinstance(lob, oracle_asyncio.AsyncLOB)] == [
                "temporary text", "x" * 40_000
            ]

    run(body)


def test_long_strings_in_plsql_bind_as_temporary_lobs() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            cur = conn.cursor()
            out = cur.var(int)
            # 40,000 characters cannot travel as a PL/SQL string: a temporary CLOB is bound.
            await cur.execute("begin :n := length(:s); end;", [out, "é" * 40_000])
            assert out.getvalue() == 40_000
            assert len(conn._conn._piggybacks.free_lobs) == 1  # freed with the next call
            await conn.ping()
            assert len(conn._conn._piggybacks.free_lobs) == 0

    run(body)


def test_statement_cache_reexecutes() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            cur = conn.cursor()
            await cur.execute("create table a_sc (x number, y varchar2(10))")
            await cur.execute("insert into a_sc values (:1, :2)", [1, "a"])
            first = cur._results.cursor_id
            await cur.execute("insert into a_sc values (:1, :2)", [2, "b"])
            assert cur._results.cursor_id == first and cur.rowcount == 1  # re-executed (function 4)
            await cur.execute("select x, y from a_sc where x >= :1 order by x", [1])
            query_cursor = cur._results.cursor_id
            assert await cur.fetchall() == [(1, "a"), (2, "b")]
            await cur.execute("select x, y from a_sc where x >= :1 order by x", [2])
            assert cur._results.cursor_id == query_cursor and cur.description is not None
            assert await cur.fetchall() == [(2, "b")]
            # Another cursor with the same SQL while the first still fetches gets its own server cursor.
            cur.arraysize = 1
            cur.prefetchrows = 1
            await cur.execute("select x, y from a_sc where x >= :1 order by x", [1])
            other = conn.cursor()
            await other.execute("select x, y from a_sc where x >= :1 order by x", [1])
            assert other._results.cursor_id != cur._results.cursor_id
            assert await other.fetchall() == [(1, "a"), (2, "b")]
            assert await cur.fetchall() == [(1, "a"), (2, "b")]
            # Different bind types parse again.
            await cur.execute("select x, y from a_sc where x >= :1 order by x", ["1"])
            conn.stmtcachesize = 1
            await cur.execute("select count(*) from a_sc")
            assert len(conn._session.cache) == 1
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-00942"):
                await cur.execute("select * from a_sc_missing")
            assert await conn.fetchone("select count(*) from a_sc") == (2,)

    run(body)


def test_cancel_and_host_port_service() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", host=server.host,
                                                  port=server.port, service_name=server.service_name)
        task = asyncio.ensure_future(conn.execute("begin dbms_session.sleep(5); end;"))
        for _ in range(1000):  # let the task send its call (bounded)
            if conn._conn.state.name == "IN_CALL":
                break
            await asyncio.sleep(0)
        conn.cancel()
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01013"):
            await asyncio.wait_for(task, 5)
        assert await conn.fetchone("select 5 from dual") == (5,)
        await conn.close()
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: bequeath"):
            oracle_asyncio.connect_async(user="scott", password="tiger")  # raised before any await

    run(body)


def test_cancelled_task_leaves_the_session_usable() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        for _ in range(2):
            task = asyncio.ensure_future(conn.execute("begin dbms_session.sleep(5); end;"))
            for _ in range(1000):  # let the task send its call (bounded)
                if conn._conn.state.name == "IN_CALL":
                    break
                await asyncio.sleep(0)
            task.cancel()  # the driver breaks the call instead of abandoning the protocol mid-call
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await asyncio.wait_for(conn.fetchone("select 7 from dual"), 5) == (7,)
        await conn.close()

    run(body)
