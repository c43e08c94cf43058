"""EmbeddedServer: describe metadata, session context, PL/SQL, faults, and our own client."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import oracledb
import pytest

from examples.blocking_query import BlockingSession
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.events import CallCompleted, ServerErrorReceived
from oracle_sansio.ttc.messages.binds import bind_metadata_for_values
from oracle_sansio.ttc.messages.execute import ExecuteRequest

pytestmark = pytest.mark.interop


def connect(server: EmbeddedServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def test_describe_matches_oracle(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        cur = conn.cursor()
        cur.execute(
            "create table feat_d (id number(10,0) not null, amount number(12,2), name varchar2(30), code char(3),"
            " created date, ts timestamp, note nvarchar2(10), bin raw(8), f binary_double)"
        )
        try:
            cur.execute("select id, amount, name, code, created, ts, note, bin, f from feat_d")
            assert cur.description is not None
            d = {c[0]: c for c in cur.description}
            assert d["ID"][1:] == (oracledb.DB_TYPE_NUMBER, 11, None, 10, 0, False)
            assert d["AMOUNT"][1] is oracledb.DB_TYPE_NUMBER and d["AMOUNT"][4:7] == (12, 2, True)
            assert d["NAME"][1:4] == (oracledb.DB_TYPE_VARCHAR, 30, 30)
            assert d["CODE"][1] is oracledb.DB_TYPE_CHAR and d["CODE"][2] == 3
            assert d["CREATED"][1] is oracledb.DB_TYPE_DATE
            assert d["TS"][1] is oracledb.DB_TYPE_TIMESTAMP
            assert d["NOTE"][1] is oracledb.DB_TYPE_NVARCHAR
            assert d["BIN"][1] is oracledb.DB_TYPE_RAW
            assert d["F"][1] is oracledb.DB_TYPE_BINARY_DOUBLE
        finally:
            cur.execute("drop table feat_d")


def test_session_context_vsession_and_alter_session(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        conn.module = "billing"
        conn.action = "month end"
        conn.client_identifier = "alice"
        cur = conn.cursor()
        cur.execute("alter session set nls_date_format = 'YYYY-MM-DD'")
        cur.execute(
            "select sys_context('userenv', 'sid'), sys_context('userenv', 'session_user'),"
            " sys_context('userenv', 'current_schema'), sys_context('userenv', 'module'),"
            " sys_context('userenv', 'action'), sys_context('userenv', 'client_identifier') from dual"
        )
        assert cur.fetchone() == (str(conn.session_id), "SCOTT", "SCOTT", "billing", "month end", "alice")
        cur.execute("select systimestamp, sysdate from dual")
        stamp, now = cur.fetchone()
        assert abs((now - dt.datetime.now()).total_seconds()) < 120
        cur.execute("select sid, serial#, username, program, status from v$session")
        sessions = cur.fetchall()
        assert any(row[0] == conn.session_id and row[2] == "SCOTT" for row in sessions)


def test_plsql_blocks(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        cur = conn.cursor()
        cur.execute("begin null; end;")
        out = cur.var(int)
        cur.execute("begin :x := 6 * 7; end;", x=out)
        assert out.getvalue() == 42
        text = cur.var(str)
        cur.execute("begin :t := 'a' || 'b'; end;", t=text)
        assert text.getvalue() == "ab"


def test_row_generator_expressions(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        cur = conn.cursor()
        cur.execute("select level, to_char(level), level * 1.5, sysdate + level from dual connect by level <= 3")
        rows = cur.fetchall()
        assert [r[:3] for r in rows] == [(1, "1", 1.5), (2, "2", 3), (3, "3", 4.5)]
        assert rows[1][3] - rows[0][3] == dt.timedelta(days=1)


@pytest.mark.realtime
def test_faults_refuse_delay_drop() -> None:
    with EmbeddedServer(refuse_logons=28000).threaded() as srv:
        with pytest.raises(oracledb.DatabaseError, match="ORA-28000"):
            oracledb.connect(user="scott", password="tiger", dsn=srv.dsn)
    with EmbeddedServer(delay_ms=50).threaded() as srv:
        conn = oracledb.connect(user="scott", password="tiger", dsn=srv.dsn)
        started = time.perf_counter()
        conn.ping()
        assert time.perf_counter() - started >= 0.04
        dropped = threading.Event()

        def drop() -> None:
            srv.drop_all()
            dropped.set()

        srv.call_threadsafe(drop)
        assert dropped.wait(10)
        with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
            conn.ping()


def test_our_client_transactions_and_isolation(server: EmbeddedServer) -> None:
    one = BlockingSession(server.dsn, "scott", "tiger")
    two = BlockingSession(server.dsn, "scott", "tiger")

    def run(session: BlockingSession, sql: str, rows: list[tuple[object, ...]] | None = None) -> object:
        binds = tuple(bind_metadata_for_values([r[i] for r in rows]) for i in range(len(rows[0]))) if rows else ()
        session.conn.execute(ExecuteRequest.for_dml(sql, binds=binds, rows=rows or ()))
        return session._run()[-1]

    assert isinstance(run(one, "create table feat_iso (x number)"), CallCompleted)
    try:
        done = run(one, "insert into feat_iso values (:1)", [(1,), (2,)])
        assert isinstance(done, CallCompleted) and done.row_count == 2 and done.in_transaction
        assert two.query("select count(*) from feat_iso")[1] == [(0,)]
        one.conn.commit()
        one._run()
        assert two.query("select count(*) from feat_iso")[1] == [(2,)]
        run(one, "delete from feat_iso")
        one.conn.rollback()
        one._run()
        assert two.query("select count(*) from feat_iso")[1] == [(2,)]
        err = run(one, "insert into no_table values (1)")
        assert isinstance(err, ServerErrorReceived) and err.code == 942
    finally:
        run(one, "drop table feat_iso")
        one.close()
        two.close()


def test_async_isolation_via_pool() -> None:
    async def main() -> None:
        async with EmbeddedServer() as srv:
            pool = oracledb.create_pool_async(user="scott", password="tiger", dsn=srv.dsn, min=2, max=2)
            async with pool.acquire() as a, pool.acquire() as b:
                await a.execute("create table feat_async (x number)")
                await a.execute("insert into feat_async values (1)")
                cur = b.cursor()
                await cur.execute("select count(*) from feat_async")
                assert await cur.fetchone() == (0,)
                await a.commit()
                await cur.execute("select count(*) from feat_async")
                assert await cur.fetchone() == (1,)
            await pool.close()

    asyncio.run(asyncio.wait_for(main(), 60))
