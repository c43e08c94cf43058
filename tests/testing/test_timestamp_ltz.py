"""TIMESTAMP WITH LOCAL TIME ZONE and the session time zone in the embedded server: stored in the
database's zone, shown in the session's (ALTER SESSION SET TIME_ZONE), through the engine and
through python-oracledb (DB_TYPE_TIMESTAMP_LTZ, ora type 231, naive datetimes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing.sql.engine import Database, Session
from oracle_sansio.codecs import OracleType

from .sql_helpers import code_of, rows, run


@pytest.fixture
def session(db: Database) -> Session:
    return db.session(user="scott", sid=1, serial=1)


def test_stored_in_db_zone_shown_in_session_zone(session: Session) -> None:
    run(session, "create table t (id number, v timestamp with local time zone, p timestamp(3) with local time zone)")
    run(session, "alter session set time_zone = '+02:00'")
    run(session, "insert into t values (1, :1, timestamp '2024-01-01 12:00:00.123456 +05:00')",
        [dt.datetime(2024, 1, 1, 12, 0, 0, 250000)])
    result = run(session, "select v, p from t")
    assert result.columns is not None
    assert [c.ora_type for c in result.columns] == [OracleType.TIMESTAMP_LTZ, OracleType.TIMESTAMP_LTZ]
    assert [c.scale for c in result.columns] == [6, 3]
    assert list(result.rows or ()) == [(dt.datetime(2024, 1, 1, 12, 0, 0, 250000), dt.datetime(2024, 1, 1, 9, 0, 0, 123000))]
    run(session, "alter session set time_zone = 'europe/paris'")  # UTC+1 in January; region names ignore case
    assert rows(session, "select v, p, sessiontimezone, dbtimezone from t") == [
        (dt.datetime(2024, 1, 1, 11, 0, 0, 250000), dt.datetime(2024, 1, 1, 8, 0, 0, 123000), "Europe/Paris", "+00:00")]
    run(session, "alter session set time_zone = '-03:30'")
    assert rows(session, "select v from t") == [(dt.datetime(2024, 1, 1, 6, 30, 0, 250000),)]


def test_comparisons_functions_and_arithmetic_use_the_session_zone(session: Session) -> None:
    run(session, "create table t (id number, v timestamp with local time zone)")
    run(session, "alter session set time_zone = '+05:00'")
    run(session, "insert into t values (1, timestamp '2024-03-10 01:00:00')")  # 2024-03-09 20:00 UTC
    assert rows(session, "select id from t where v = :1", [dt.datetime(2024, 3, 10, 1)]) == [(1,)]
    assert rows(session, "select id from t where v = timestamp '2024-03-09 20:00:00 +00:00'") == [(1,)]
    assert rows(session, "select trunc(v), to_char(v, 'YYYY-MM-DD HH24:MI'), v + 1 from t") == [
        (dt.datetime(2024, 3, 10), "2024-03-10 01:00", dt.datetime(2024, 3, 11, 1))]
    run(session, "alter session set time_zone = 'UTC'")
    assert rows(session, "select trunc(v) from t") == [(dt.datetime(2024, 3, 9),)]
    assert rows(session, "select cast(timestamp '2024-03-09 20:00:00 +04:00' as timestamp with local time zone) from dual") \
        == [(dt.datetime(2024, 3, 9, 16),)]


def test_current_timestamp_and_localtimestamp_follow_the_session_zone(session: Session) -> None:
    run(session, "alter session set time_zone = '+00:00'")
    [(utc_local, utc_current)] = rows(session, "select localtimestamp, current_timestamp from dual")
    run(session, "alter session set time_zone = '+09:30'")
    [(local, current)] = rows(session, "select localtimestamp, current_timestamp from dual")
    assert isinstance(local, dt.datetime) and isinstance(utc_local, dt.datetime) and isinstance(current, dt.datetime)
    assert abs((local - utc_local) - dt.timedelta(hours=9, minutes=30)) < dt.timedelta(minutes=1)
    assert current.utcoffset() == dt.timedelta(hours=9, minutes=30)


@pytest.mark.parametrize(("zone", "code"), [("'+15:00'", 1874), ("'+05:75'", 1875), ("'Mars/Olympus'", 1882),
                                            ("'5'", 1857)])
def test_bad_time_zones_are_refused(session: Session, zone: str, code: int) -> None:
    assert code_of(session, f"alter session set time_zone = {zone}") == code
    assert rows(session, "select sessiontimezone from dual") == [("+00:00",)]


def test_local_and_dbtimezone(session: Session) -> None:
    run(session, "alter session set time_zone = '+04:00'")
    run(session, "alter session set time_zone = DBTIMEZONE")
    assert rows(session, "select sessiontimezone from dual") == [("+00:00",)]
    session.start_zone = "-07:00"  # what the logon's ALTER SESSION set (server.py)
    run(session, "alter session set time_zone = local")
    assert rows(session, "select sessiontimezone from dual") == [("-07:00",)]


def test_dictionary_shows_the_type(session: Session) -> None:
    run(session, "create table t (v timestamp(4) with local time zone)")
    assert rows(session, "select data_type, data_length, data_scale from user_tab_columns where table_name = 'T'") \
        == [("TIMESTAMP(4) WITH LOCAL TIME ZONE", 11, 4)]


@pytest.mark.interop
def test_python_oracledb_binds_and_fetches(cur: Any) -> None:
    cur.execute("create table ltz (id number, v timestamp with local time zone)")
    try:
        cur.execute("alter session set time_zone = '-04:00'")
        cur.setinputsizes(None, oracledb.DB_TYPE_TIMESTAMP_LTZ)
        cur.execute("insert into ltz values (:1, :2)", [1, dt.datetime(2022, 6, 6, 18, 30, 10, 250000)])
        cur.execute("select v from ltz")
        assert cur.description[0][1] is oracledb.DB_TYPE_TIMESTAMP_LTZ
        assert cur.fetchall() == [(dt.datetime(2022, 6, 6, 18, 30, 10, 250000),)]
        cur.execute("alter session set time_zone = '+00:00'")
        cur.setinputsizes(value=oracledb.DB_TYPE_TIMESTAMP_LTZ)
        cur.execute("select id from ltz where v = :value", value=dt.datetime(2022, 6, 6, 22, 30, 10, 250000))
        assert cur.fetchall() == [(1,)]
        var = cur.var(oracledb.DB_TYPE_TIMESTAMP_LTZ)
        cur.execute("begin select v into :v from ltz; end;", v=var)
        assert var.getvalue() == dt.datetime(2022, 6, 6, 22, 30, 10, 250000)
        cur.execute("select cast(:1 as timestamp with local time zone) from dual", [dt.datetime(2025, 3, 4)])
        assert cur.fetchone() == (dt.datetime(2025, 3, 4),)
    finally:
        cur.execute("drop table ltz")
