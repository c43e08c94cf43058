"""python-oracledb (sync and asyncio) and our blocking client against EmbeddedServer."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal

import oracledb
import pytest

from examples.blocking_query import BlockingSession
from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(users={"scott": "tiger", "app": "secret"}, admins={"scott"}).threaded() as running:
        yield running


def connect(server: EmbeddedServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def test_select_literals_from_dual(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        cur = conn.cursor()
        cur.execute("select 1, 'abc', 12345678901234567890123456789012345678, -1.5, null from dual")
        assert cur.fetchone() == (1, "abc", 12345678901234567890123456789012345678, -1.5, None)
        cur.execute("select user from dual")
        assert cur.fetchone() == ("SCOTT",)


def test_table_round_trip_transactions_and_errors(server: EmbeddedServer) -> None:
    with connect(server) as conn, connect(server) as other:
        cur = conn.cursor()
        cur.execute("create table emb_t (id number(10) primary key, name varchar2(20), amount number(12,2), created date)")
        try:
            rows = [(i, f"name {i}", Decimal(i) / 4, dt.datetime(2024, 1, 1) + dt.timedelta(days=i)) for i in range(1, 6)]
            cur.executemany("insert into emb_t values (:1, :2, :3, :4)", rows)
            assert cur.rowcount == 5
            ocur = other.cursor()
            ocur.execute("select count(*) from emb_t")
            assert ocur.fetchone() == (0,)  # uncommitted rows are invisible to another session
            conn.commit()
            ocur.execute("select count(*) from emb_t")
            assert ocur.fetchone() == (5,)
            cur.execute("select id, name, amount, created from emb_t order by id")
            assert cur.fetchall() == [(i, n, float(a), d) for i, n, a, d in rows]
            cur.execute("delete from emb_t where id = :id", id=1)
            conn.rollback()
            cur.execute("select count(*) from emb_t")
            assert cur.fetchone() == (5,)
            with pytest.raises(oracledb.IntegrityError, match="ORA-00001"):
                cur.execute("insert into emb_t values (1, 'dup', 0, sysdate)")
            with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
                cur.execute("select * from no_such_table")
            with pytest.raises(oracledb.DatabaseError, match="ORA-01476"):
                cur.execute("select 1/0 from dual")
            with pytest.raises(oracledb.DatabaseError, match="ORA-00904"):
                cur.execute("select no_such_column from emb_t")
            with pytest.raises(oracledb.DatabaseError, match="ORA-009"):
                cur.execute("frobnicate the database")
            conn.ping()
        finally:
            cur.execute("drop table emb_t")


@pytest.mark.parametrize("arraysize", [100, 1000])
def test_100k_rows(server: EmbeddedServer, arraysize: int) -> None:
    with connect(server) as conn:
        cur = conn.cursor()
        cur.arraysize = arraysize
        cur.execute("select level from dual connect by level <= 100000")
        total = 0
        count = 0
        for (value,) in cur:
            total += value
            count += 1
        assert count == 100_000 and total == 100_000 * 100_001 // 2


@pytest.mark.realtime
def test_call_timeout_with_sleep(server: EmbeddedServer) -> None:
    with connect(server) as conn:
        conn.call_timeout = 300
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="DPY-4024"):
            cur.execute("begin dbms_session.sleep(5); end;")
        cur.execute("select 7 from dual")
        assert cur.fetchone() == (7,)


def test_killed_session_gives_dpy_4011(server: EmbeddedServer) -> None:
    conn = connect(server)
    sid = conn.session_id
    with connect(server) as admin:
        cur = admin.cursor()
        serial = next(s.serial for s in server.sessions if s.sid == sid)
        cur.execute(f"alter system kill session '{sid},{serial}'")
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
        conn.cursor().execute("select 1 from dual")


def test_async_pool_and_11g_verifier() -> None:
    async def main() -> None:
        async with EmbeddedServer(verifier="11g") as srv:
            pool = oracledb.create_pool_async(user="scott", password="tiger", dsn=srv.dsn, min=1, max=3)
            async with pool.acquire() as conn:
                cur = conn.cursor()
                await cur.execute("select 2 + 3 from dual")
                assert await cur.fetchone() == (5,)
            await pool.close()

    asyncio.run(asyncio.wait_for(main(), 60))


def test_stalled_logon_times_out() -> None:
    async def main() -> None:
        async with EmbeddedServer(stall_logons=True) as srv:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(oracledb.connect_async(user="scott", password="tiger", dsn=srv.dsn), 1.0)

    asyncio.run(main())


def test_our_blocking_client(server: EmbeddedServer) -> None:
    session = BlockingSession(server.dsn, "scott", "tiger")
    names, rows = session.query("select level, level * 2 from dual connect by level <= 1000", arraysize=250)
    assert len(rows) == 1000 and rows[-1] == (1000, 2000)
    with pytest.raises(RuntimeError, match="ORA-00942"):
        session.query("select * from missing_table")
    session.close()


def test_cli_prints_the_dsn() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "oracle_asyncio.testing", "--user", "scott", "--password", "tiger"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("dsn=127.0.0.1:") and "FREEPDB1" in line
        dsn = line.split()[0][4:]
        with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn:
            conn.ping()
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


@pytest.mark.realtime
def test_writer_waits_for_the_other_session(server: EmbeddedServer) -> None:
    """The second writer waits (without blocking the server) until the first commits."""
    import threading

    with connect(server) as first, connect(server) as second:
        first.cursor().execute("create table emb_lock (x number)")
        try:
            first.cursor().execute("insert into emb_lock values (1)")
            done = threading.Event()

            def write() -> None:
                second.cursor().execute("insert into emb_lock values (2)")
                done.set()

            thread = threading.Thread(target=write)
            thread.start()
            assert not done.wait(0.3)  # blocked behind the open transaction
            first.cursor().execute("select count(*) from emb_lock").fetchone()  # the server still answers
            first.commit()
            assert done.wait(5)
            thread.join()
            second.commit()
            assert first.cursor().execute("select count(*) from emb_lock").fetchone() == (2,)
        finally:
            first.cursor().execute("drop table emb_lock")


def test_reserved_words_are_not_bind_names_in_sql(server: EmbeddedServer) -> None:
    """ORA-01745 for ``:rowid``, ``:date``... in SQL, at parse time (python-oracledb's test_4338 and
    test_1615 call ``cursor.parse``); a quoted name and names that only start with one are fine."""
    with connect(server) as conn:
        cur = conn.cursor()
        for sql in ("select :ROWID from dual", "select 1 from dual where :date is null",
                    "insert into nowhere (n) values (:n) returning n into :level"):
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.parse(sql)
            assert info.value.args[0].code == 1745, sql
        cur.execute('select :"DATE", :dates from dual', ["a", "b"])
        assert cur.fetchone() == ("a", "b")


def test_db_unique_name_matches_userenv(server: EmbeddedServer) -> None:
    """python-oracledb reads connection.db_unique_name from the logon's AUTH_SC_REAL_DBUNIQUE_NAME
    (its test_1162 compares it with USERENV's DB_UNIQUE_NAME)."""
    with connect(server) as conn:
        cur = conn.cursor()
        cur.execute("select sys_context('userenv', 'db_unique_name') from dual")
        assert cur.fetchone() == (conn.db_unique_name,) == ("FREE",)
