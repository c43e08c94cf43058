"""LONG, LONG RAW and XMLTYPE columns in the embedded server: Oracle's rules for them, their
bounds, and how python-oracledb fetches and binds them (DB_TYPE_LONG / DB_TYPE_LONG_RAW)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql.engine import Database, Session
from oracle_sansio.codecs import OracleType

from .sql_helpers import code_of, rows, run


@pytest.fixture
def session(db: Database) -> Session:
    return db.session(user="scott", sid=1, serial=1)


def test_long_and_long_raw_columns(session: Session) -> None:
    run(session, "create table tl (id number, v long)")
    run(session, "create table tr (id number, v long raw) nocompress")
    run(session, "insert into tl values (1, :1)", ["x" * 100_000])
    run(session, "insert into tl values (2, null)")
    run(session, "insert into tr values (1, :1)", [b"\x00\xff" * 50_000])
    result = run(session, "select v from tl order by id")
    assert result.columns is not None and result.columns[0].ora_type == OracleType.LONG
    assert list(result.rows or ()) == [("x" * 100_000,), (None,)]
    assert rows(session, "select v from tr") == [(b"\x00\xff" * 50_000,)]
    run(session, "update tl set v = 'short' where id = 1")
    assert rows(session, "select id from tl where v is not null") == [(1,)]
    assert rows(session, "select data_type from user_tab_columns where table_name in ('TL', 'TR') and column_name = 'V'"
                ) in ([("LONG",), ("LONG RAW",)], [("LONG RAW",), ("LONG",)])


def test_one_long_per_table(session: Session) -> None:
    assert code_of(session, "create table t (a long, b long raw)") == 1754
    assert code_of(session, "create table t (a long, b varchar2(10), c long)") == 1754


@pytest.mark.parametrize("sql", [
    "select id from tl where v = 'x'",
    "select upper(v) from tl",
    "select v || 'a' from tl",
    "select nvl(v, 'a') from tl",
    "insert into t2 select v from tl",
    "insert into tl select id, v from tl",
    "select id from tl order by v",
    "select distinct v from tl",
    "select count(*) from tl group by v",
])
def test_long_takes_no_part_in_expressions(session: Session, sql: str) -> None:
    run(session, "create table tl (id number, v long)")
    run(session, "create table t2 (v varchar2(100))")
    assert code_of(session, sql) == 997


def test_long_values_are_bounded(session: Session) -> None:
    session.db.catalog.long_limit = 1000
    run(session, "create table tl (v long)")
    run(session, "insert into tl values (:1)", ["a" * 1000])
    assert code_of(session, "insert into tl values (:1)", ["a" * 1001]) == 910
    run(session, "create table tr (v long raw)")
    assert code_of(session, "insert into tr values (:1)", [b"a" * 1001]) == 910
    assert code_of(session, "insert into tr values (:1)", [5]) == 932


def test_xmltype_columns(session: Session) -> None:
    run(session, "create table tx (id number, x xmltype not null, y sys.xmltype)")
    run(session, "insert into tx values (1, :1, xmltype('<a/>'))", ["<data>1</data>"])
    run(session, "insert into tx values (2, sys.xmltype('<b x=\"1\"/>'), xmltype.createXML('<c>t</c>'))")
    assert rows(session, "select t.x.getStringVal(), t.y.getStringVal() from tx t order by id") == [
        ("<data>1</data>", "<a/>"), ('<b x="1"/>', "<c>t</c>")]
    result = run(session, "select t.x.getClobVal() from tx t where id = 1")
    assert result.columns is not None and result.columns[0].ora_type == OracleType.CLOB
    assert code_of(session, "insert into tx values (3, '<open>', null)") == 31011
    assert code_of(session, "insert into tx values (3, '<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>', null)") == 31011
    assert code_of(session, "select t.id.getStringVal() from tx t") == 904
    # python-oracledb fetches XMLTYPE as an object (SYS.XMLTYPE): not before object types are on the wire
    assert code_of(session, "select x from tx") == 900


@pytest.mark.interop
def test_python_oracledb_long_round_trips(cur: Any) -> None:
    cur.execute("create table pylong (id number(9) not null, v long)")
    cur.execute("create table pylongraw (id number(9) not null, v long raw)")
    try:
        cur.setinputsizes(None, oracledb.DB_TYPE_LONG)
        cur.execute("insert into pylong values (:1, :2)", [1, "A" * 250_000])
        cur.executemany("insert into pylong values (:1, :2)", [(2, "B" * 32_768), (3, "C" * 65_536)])
        cur.setinputsizes(None, oracledb.DB_TYPE_LONG_RAW)
        cur.execute("insert into pylongraw values (:1, :2)", [1, b"\x01" * 100_000])
        cur.execute("select * from pylong order by id")
        assert cur.description[1] == ("V", oracledb.DB_TYPE_LONG, None, None, None, None, True)
        assert cur.fetchall() == [(1, "A" * 250_000), (2, "B" * 32_768), (3, "C" * 65_536)]
        cur.execute("select * from pylongraw")
        assert cur.description[1][1] is oracledb.DB_TYPE_LONG_RAW
        assert cur.fetchall() == [(1, b"\x01" * 100_000)]
    finally:
        cur.execute("drop table pylong")
        cur.execute("drop table pylongraw")


@pytest.mark.interop
def test_python_oracledb_xmltype_text(cur: Any) -> None:
    cur.execute("create table pyxml (id number(9) not null, x xmltype not null)")
    try:
        document = "<data>" + "x" * 5000 + "</data>"
        cur.execute("insert into pyxml values (:1, :2)", [1, document])
        cur.execute("select t.x.getClobVal() from pyxml t")
        assert cur.fetchone()[0].read() == document
        with pytest.raises(oracledb.DatabaseError, match="ORA-00900"):
            cur.execute("select x from pyxml")
    finally:
        cur.execute("drop table pyxml")


@pytest.mark.interop
def test_oracle_asyncio_long_and_local_time_zone_round_trips() -> None:
    """The same types through this package's driver (LONG chunks, type 231 in the session zone)."""
    async def main() -> None:
        async with EmbeddedServer() as srv:
            async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=srv.dsn) as conn:
                cur = conn.cursor()
                await cur.execute("create table t (l long, z timestamp with local time zone)")
                await cur.execute("create table r (v long raw)")
                await cur.execute("alter session set time_zone = '+03:00'")
                cur.setinputsizes(oracle_asyncio.DB_TYPE_LONG, oracle_asyncio.DB_TYPE_TIMESTAMP_LTZ)
                await cur.execute("insert into t values (:1, :2)", ["L" * 100_000, dt.datetime(2024, 5, 1, 10, 0, 0, 5)])
                cur.setinputsizes(oracle_asyncio.DB_TYPE_LONG_RAW)
                await cur.execute("insert into r values (:1)", [b"\x02" * 70_000])
                await cur.execute("alter session set time_zone = '+00:00'")
                await cur.execute("select l, z from t")
                assert cur.description is not None
                assert [d[1] for d in cur.description] == [oracle_asyncio.DB_TYPE_LONG, oracle_asyncio.DB_TYPE_TIMESTAMP_LTZ]
                assert await cur.fetchall() == [("L" * 100_000, dt.datetime(2024, 5, 1, 7, 0, 0, 5))]
                await cur.execute("select v from r")
                assert await cur.fetchall() == [(b"\x02" * 70_000,)]

    asyncio.run(asyncio.wait_for(main(), 60))
