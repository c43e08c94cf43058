"""Datetime and interval built-ins of the embedded SQL engine (issue 19): TO_DSINTERVAL,
TO_YMINTERVAL, NUMTODSINTERVAL, NUMTOYMINTERVAL, TO_TIMESTAMP_TZ, FROM_TZ, SYS_EXTRACT_UTC,
``AT TIME ZONE`` / ``AT LOCAL`` and EXTRACT, with NULLs and Oracle's errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql.engine import Database, Session
from oracle_sansio.codecs import IntervalYM
from tests.testing.sql_helpers import code, rows, run


@pytest.fixture
def s() -> Iterator[Session]:
    db = Database()
    try:
        yield db.session(user="scott", sid=1, serial=1)
    finally:
        db.close()






def one(s: Session, sql: str) -> object:
    return rows(s, sql)[0][0]




def utc(hours: float = 0) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def test_to_dsinterval_sql_and_iso_forms(s: Session) -> None:
    assert rows(s, "select to_dsinterval('1 00:00:2.50'), to_dsinterval('10 1:2:3'), to_dsinterval(' -2 12:00:00 '),"
                   " to_dsinterval('P1DT2H3M4.5S'), to_dsinterval(null) from dual") == [(
        dt.timedelta(days=1, seconds=2.5), dt.timedelta(days=10, seconds=3723), -dt.timedelta(days=2, hours=12),
        dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5), None)]
    assert code(s, "select to_dsinterval('abc') from dual") == 1867
    assert code(s, "select to_dsinterval('1 24:00:00') from dual") == 1850
    assert code(s, "select to_dsinterval('1 00:60:00') from dual") == 1851
    # the value goes into a column as TestIntervals' population does
    run(s, "create table t (a interval day to second)")
    run(s, "insert into t values (to_dsinterval('8 05:15:00'))")
    assert rows(s, "select a from t") == [(dt.timedelta(days=8, hours=5, minutes=15),)]


def test_to_yminterval(s: Session) -> None:
    assert rows(s, "select to_yminterval('-4-1'), to_yminterval('3-8'), to_yminterval('P2Y3M'), to_yminterval(null)"
                   " from dual") == [(IntervalYM(-4, -1), IntervalYM(3, 8), IntervalYM(2, 3), None)]
    assert code(s, "select to_yminterval('3-12') from dual") == 1843
    assert code(s, "select to_yminterval('x') from dual") == 1867


def test_numtodsinterval_and_numtoyminterval(s: Session) -> None:
    assert rows(s, "select numtodsinterval(1.5, 'hour'), numtodsinterval(90, 'Second'), numtoyminterval(14, 'month'),"
                   " numtoyminterval(1.5, 'YEAR'), numtodsinterval(null, 'DAY') from dual") == [(
        dt.timedelta(hours=1.5), dt.timedelta(seconds=90), IntervalYM(1, 2), IntervalYM(1, 6), None)]
    assert code(s, "select numtodsinterval(1, 'WEEK') from dual") == 1760
    assert code(s, "select numtoyminterval(1, 'DAY') from dual") == 1760


def test_to_timestamp_tz_reads_the_zone_from_the_text(s: Session) -> None:
    got = rows(s, "select to_timestamp_tz('20220602 -02:30', 'YYYYMMDD TZH:TZM'),"
                  " to_timestamp_tz('20091013 17:50:00 00:00', 'YYYYMMDD HH24:MI:SS TZH:TZM'),"
                  " to_timestamp_tz('2020-01-01 10:00 Europe/Paris', 'YYYY-MM-DD HH24:MI TZR'),"
                  " to_timestamp_tz('20220602 00:00', 'YYYYMMDD TZH:TZM') + to_dsinterval('1 00:00:01.5'),"
                  " to_timestamp_tz(null, 'YYYY') from dual")[0]
    assert got == (dt.datetime(2022, 6, 2, tzinfo=utc(-2.5)), dt.datetime(2009, 10, 13, 17, 50, tzinfo=utc()),
                   dt.datetime(2020, 1, 1, 10, tzinfo=utc(1)), dt.datetime(2022, 6, 3, 0, 0, 1, 500000, tzinfo=utc()),
                   None)
    assert got[0].utcoffset() == dt.timedelta(hours=-2.5)
    # no zone in the format: the session's
    run(s, "alter session set time_zone = '+03:00'")
    assert one(s, "select to_timestamp_tz('2020-01-01', 'YYYY-MM-DD') from dual") == dt.datetime(2020, 1, 1,
                                                                                                  tzinfo=utc(3))
    assert code(s, "select to_timestamp_tz('2020-01-01 Nowhere/Land', 'YYYY-MM-DD TZR') from dual") == 1882
    assert code(s, "select to_timestamp_tz('2020-01-01 +20:00', 'YYYY-MM-DD TZH:TZM') from dual") == 1874
    assert code(s, "select to_timestamp_tz('2020-01-01', 'YYYY-MM-DD TZH:TZM') from dual") == 1861


def test_from_tz_sys_extract_utc_and_at_time_zone(s: Session) -> None:
    got = rows(s, "select from_tz(timestamp '2020-07-01 10:00:00', 'Europe/Paris'),"
                  " sys_extract_utc(timestamp '2020-01-01 10:00:00 +02:00'),"
                  " timestamp '2020-01-01 10:00:00 +02:00' at time zone 'US/Pacific',"
                  " timestamp '2020-01-01 10:00:00 +02:00' at time zone '-05:00',"
                  " timestamp '2020-01-01 10:00:00 +02:00' at local,"
                  " from_tz(null, 'UTC') from dual")[0]
    assert got == (dt.datetime(2020, 7, 1, 10, tzinfo=utc(2)), dt.datetime(2020, 1, 1, 8),
                   dt.datetime(2020, 1, 1, 0, tzinfo=utc(-8)), dt.datetime(2020, 1, 1, 3, tzinfo=utc(-5)),
                   dt.datetime(2020, 1, 1, 8, tzinfo=utc()), None)
    assert got[2].utcoffset() == dt.timedelta(hours=-8)
    # a TIMESTAMP without zone is taken in the session's zone
    run(s, "alter session set time_zone = '+01:00'")
    assert one(s, "select sys_extract_utc(timestamp '2020-01-01 10:00:00') from dual") == dt.datetime(2020, 1, 1, 9)
    assert code(s, "select from_tz(1, 'UTC') from dual") == 932


def test_extract(s: Session) -> None:
    got = rows(s, "select extract(year from date '2020-03-04'), extract(month from date '2020-03-04'),"
                  " extract(second from timestamp '2020-03-04 05:06:07.5'),"
                  " extract(hour from interval '-1 02:03:04' day to second),"
                  " extract(year from interval '3-4' year to month),"
                  " extract(timezone_hour from timestamp '2020-01-01 10:00:00 -02:30'),"
                  " extract(timezone_minute from timestamp '2020-01-01 10:00:00 -02:30'),"
                  " extract(hour from timestamp '2020-01-01 10:00:00 +02:00'),"
                  " extract(day from null) from dual")[0]
    # a TIMESTAMP WITH TIME ZONE gives its UTC fields
    assert got == (2020, 3, Decimal("7.5"), -2, 3, -2, -30, 8, None)
    assert code(s, "select extract(hour from date '2020-03-04') from dual") == 30076
    assert code(s, "select extract(timezone_hour from timestamp '2020-03-04 00:00:00') from dual") == 30076
    assert code(s, "select extract(year from interval '1' day) from dual") == 30076


def test_timestamps_with_time_zone_compare_as_instants(s: Session) -> None:
    """The same instant written in two zones is equal (the stored offsets differ)."""
    run(s, "create table z (id number, t timestamp with time zone)")
    run(s, "insert into z values (1, to_timestamp_tz('20220608 00:00:10.25 +05:30', 'YYYYMMDD HH24:MI:SS.FF TZH:TZM'))")
    assert rows(s, "select id from z where t = :1", [dt.datetime(2022, 6, 7, 18, 30, 10, 250000, tzinfo=utc())]) == [
        (1,)]
    assert rows(s, "select id from z where t = timestamp '2022-06-07 14:30:10.25 -04:00'") == [(1,)]
    assert rows(s, "select id from z where t < timestamp '2022-06-07 18:30:10.26 +00:00'") == [(1,)]
    # a TIMESTAMP without zone is in the session's zone
    assert rows(s, "select id from z where t = timestamp '2022-06-07 18:30:10.25'") == [(1,)]
    run(s, "alter session set time_zone = '+01:00'")
    assert rows(s, "select id from z where t = timestamp '2022-06-07 19:30:10.25'") == [(1,)]


def test_rr_and_yy_read_a_four_digit_year(s: Session) -> None:
    assert rows(s, "select to_date('04-JAN-2022'), to_date('04-JAN-99', 'DD-MON-RR'), to_date('220104', 'YYMMDD')"
                   " from dual") == [(dt.datetime(2022, 1, 4), dt.datetime(1999, 1, 4), dt.datetime(2022, 1, 4))]


def test_to_char_of_a_timestamp_with_time_zone_shows_its_own_wall_clock(s: Session) -> None:
    """It is stored as the UTC instant and its offset; TO_CHAR shows the time in that zone."""
    assert rows(s, "select to_char(timestamp '2020-01-01 10:00:00 +02:00', 'YYYY-MM-DD HH24:MI'),"
                   " to_char(timestamp '2020-01-01 10:00:00 +02:00' at time zone 'UTC', 'HH24'),"
                   " to_char(from_tz(timestamp '2020-07-01 10:00:00', 'Europe/Paris') at time zone '-05:00', 'HH24')"
                   " from dual") == [("2020-01-01 10:00", "08", "03")]


def test_trunc_of_a_timestamp_with_time_zone_is_its_local_date(s: Session) -> None:
    run(s, "create table z (id number, t timestamp with time zone)")
    run(s, "insert into z values (5, to_timestamp_tz('20220608 00:00:10 +05:30', 'YYYYMMDD HH24:MI:SS TZH:TZM'))")
    assert rows(s, "select trunc(t) from z") == [(dt.datetime(2022, 6, 8),)]
    assert rows(s, "select id from z where trunc(t) = :1", [dt.datetime(2022, 6, 8, tzinfo=utc())]) == [(5,)]
