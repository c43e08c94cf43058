"""INTERVAL DAY TO SECOND / YEAR TO MONTH in the embedded engine, and bind types in select lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

import pytest

from oracle_asyncio.testing.sql.engine import Database, OraError, Result, Session
from tests.testing.sql_helpers import rows, run
from oracle_sansio.codecs import IntervalYM, OracleType


@pytest.fixture
def session() -> Iterator[Session]:
    db = Database()
    try:
        yield db.session(user="scott", sid=1, serial=1)
    finally:
        db.close()


class OracledbLikeYM(NamedTuple):
    years: int
    months: int


def test_columns_describe_and_round_trip(session: Session) -> None:
    run(session, "create table t (id number, a interval day to second, b interval day(9) to second(6),"
                 " c interval year to month, d interval year(4) to month)")
    big = dt.timedelta(days=999_999_999, seconds=86_399, microseconds=999_999)
    data = [
        (1, dt.timedelta(days=3, microseconds=1_234_567), dt.timedelta(days=-999_999_999), IntervalYM(3, 4), IntervalYM(-1000, 0)),
        (2, dt.timedelta(days=-1), big, IntervalYM(0, 1), OracledbLikeYM(9999, 11)),
        (3, None, dt.timedelta(0), None, IntervalYM(-1, -2)),
    ]
    for row in data:
        run(session, "insert into t values (:1, :2, :3, :4, :5)", row)
    result = run(session, "select a, b, c, d from t order by id")
    assert result.columns is not None
    meta = [(c.ora_type, c.precision, c.scale) for c in result.columns]
    assert meta == [
        (OracleType.INTERVAL_DS, 2, 6), (OracleType.INTERVAL_DS, 9, 6),
        (OracleType.INTERVAL_YM, 2, 0), (OracleType.INTERVAL_YM, 4, 0),
    ]
    assert result.rows is not None
    got = list(result.rows)
    assert got == [tuple(IntervalYM(*v) if isinstance(v, OracledbLikeYM) else v for v in r[1:]) for r in data]
    assert all(type(v) is IntervalYM for r in got for v in r[2:] if v is not None)
    assert [r[0] for r in rows(session, "select id from t order by b")] == [1, 3, 2]
    assert [r[0] for r in rows(session, "select id from t order by a nulls first")] == [3, 2, 1]
    assert [r[0] for r in rows(session, "select id from t order by d desc")] == [2, 3, 1]
    assert rows(session, "select id from t where c = :1", [IntervalYM(3, 4)]) == [(1,)]
    assert rows(session, "select id from t where a > interval '2' day") == [(1,)]


def test_leading_precision_and_fraction_rounding(session: Session) -> None:
    run(session, "create table t (a interval day(2) to second(2), c interval year(1) to month)")
    with pytest.raises(OraError) as exc:
        run(session, "insert into t (a) values (:1)", [dt.timedelta(days=100)])
    assert exc.value.code == 1873
    with pytest.raises(OraError) as exc:
        run(session, "insert into t (c) values (:1)", [IntervalYM(10, 0)])
    assert exc.value.code == 1873
    run(session, "insert into t (a) values (:1)", [dt.timedelta(seconds=1, microseconds=125_000)])
    assert rows(session, "select a from t") == [(dt.timedelta(seconds=1, microseconds=130_000),)]


def test_binds_in_select_list(session: Session) -> None:
    td = dt.timedelta(days=-2, seconds=5, microseconds=7)
    result = run(session, "select :1, :2, :3 from dual", [td, IntervalYM(-1, -2), OracledbLikeYM(5, 6)])
    assert result.columns is not None
    assert [c.ora_type for c in result.columns] == [OracleType.INTERVAL_DS, OracleType.INTERVAL_YM,
                                                    OracleType.INTERVAL_YM]
    assert result.rows is not None
    assert list(result.rows) == [(td, IntervalYM(-1, -2), IntervalYM(5, 6))]


def test_literals(session: Session) -> None:
    result = run(session, "select interval '1 02:03:04.5' day to second, interval '2-3' year to month,"
                          " interval '5' day, interval '-1:30' hour to minute, interval '90' minute,"
                          " interval '-3' month from dual")
    assert result.columns is not None
    assert (result.columns[0].ora_type, result.columns[0].precision, result.columns[0].scale) == (183, 2, 6)
    assert result.rows is not None
    assert list(result.rows) == [(
        dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5), IntervalYM(2, 3), dt.timedelta(days=5),
        -dt.timedelta(hours=1, minutes=30), dt.timedelta(minutes=90), IntervalYM(0, -3),
    )]
    assert rows(session, "select interval '1 2:3:4.5' day to second || '', interval '2-3' year to month || ''"
                         " from dual") == [("+01 02:03:04.500000", "+02-03")]
    for bad, code in (("interval '1 25:00:00' day to second", 1850), ("interval '100' day", 1873),
                      ("interval '2-13' year to month", 1843), ("interval 'x' day", 1867)):
        with pytest.raises(OraError) as exc:
            run(session, f"select {bad} from dual")
        assert exc.value.code == code, bad


def test_datetime_arithmetic(session: Session) -> None:
    got = rows(session, "select date '2024-01-31' + interval '1 12:00:00' day to second,"
                        " timestamp '2024-01-01 00:00:00.5' - interval '0 00:00:00.25' day to second,"
                        " interval '1' day + date '2024-01-01', date '2024-01-15' + interval '1-1' year to month,"
                        " date '2024-03-15' - interval '3' month,"
                        " interval '1' day + interval '2' hour, - interval '1-6' year to month from dual")
    assert got == [(
        dt.datetime(2024, 2, 1, 12), dt.datetime(2024, 1, 1, 0, 0, 0, 250_000), dt.datetime(2024, 1, 2),
        dt.datetime(2025, 2, 15), dt.datetime(2023, 12, 15), dt.timedelta(days=1, hours=2), IntervalYM(-1, -6),
    )]
    assert rows(session, "select :1 + :2 from dual", [dt.datetime(2024, 1, 1), dt.timedelta(hours=1)]) == [
        (dt.datetime(2024, 1, 1, 1),)
    ]
    with pytest.raises(OraError) as exc:
        run(session, "select date '2024-01-31' + interval '1' month from dual")
    assert exc.value.code == 1839
    with pytest.raises(OraError) as exc:
        run(session, "select interval '1' day + interval '1' month from dual")
    assert exc.value.code == 932


def test_raw_bool_float_binds_keep_their_types(session: Session) -> None:
    result = run(session, "select :1, :2, :3, :4 from dual", [b"\x00\xffab", True, 1.5, float("inf")])
    assert result.columns is not None
    assert [c.ora_type for c in result.columns] == [23, OracleType.BOOLEAN, OracleType.NUMBER,
                                                    OracleType.BINARY_DOUBLE]
    assert result.columns[0].ora_type == 23
    assert result.rows is not None
    values = list(result.rows)[0]
    assert values[0] == b"\x00\xffab" and isinstance(values[0], bytes)
    assert values[1] is True
    assert values[2] == 1.5
    assert values[3] == float("inf")
