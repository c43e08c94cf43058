"""Every type round-trips exactly through EmbeddedServer, by binds and by literals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop


ROW = (
    12345678901234567890123456789012345678,
    Decimal("-0.000123"),
    "héllo wörld",
    "𝄞 nvarchar",
    "ab   ",
    dt.datetime(2024, 3, 15, 13, 45, 30),
    dt.datetime(2024, 3, 15, 13, 45, 30, 123456),
    1.5,
    -2.25,
    b"\x00\xff\x10",
    True,
    "a clob " * 5000,
    bytes(range(256)) * 100,
)


def test_binds_round_trip(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        oracledb.defaults.fetch_decimals = True
        try:
            cur = conn.cursor()
            cur.execute(
                "create table every_type (n number, d number(20,6), vc varchar2(40), nvc nvarchar2(40), ch char(5),"
                " dt date, ts timestamp, bf binary_float, bd binary_double, rw raw(16), bo boolean, cl clob, bl blob)"
            )
            try:
                cur.setinputsizes(None, None, None, oracledb.DB_TYPE_NVARCHAR, None, None, oracledb.DB_TYPE_TIMESTAMP,
                                  oracledb.DB_TYPE_BINARY_FLOAT, oracledb.DB_TYPE_BINARY_DOUBLE, None, None,
                                  oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
                cur.execute("insert into every_type values (:1, :2, :3, :4, :5, :6, :7, :8, :9, :10, :11, :12, :13)", ROW)
                conn.commit()
                cur.execute("select n, d, vc, nvc, ch, dt, ts, bf, bd, rw, bo, cl, bl from every_type")
                got = cur.fetchone()
                values = list(got[:11]) + [got[11].read(), got[12].read()]
                for i, (g, w) in enumerate(zip(values, ROW)):
                    if isinstance(w, float):
                        assert float(g) == w, i
                    else:
                        assert g == w, (i, g, w)
            finally:
                cur.execute("drop table every_type")
        finally:
            oracledb.defaults.fetch_decimals = False


def test_literals_round_trip(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        cur.execute(
            "select 12345678901234567890123456789012345678, -0.5, 'text', date '2024-03-15',"
            " timestamp '2024-03-15 13:45:30.25', null from dual"
        )
        assert cur.fetchone() == (
            12345678901234567890123456789012345678, -0.5, "text", dt.datetime(2024, 3, 15),
            dt.datetime(2024, 3, 15, 13, 45, 30, 250000), None,
        )


def test_binary_double_nan_and_infinity_keep_oracle_order_and_equality(server: EmbeddedServer) -> None:
    """sqlite stores a NaN REAL as NULL; Oracle keeps NaN, equal to itself, above +infinity
    (python-oracledb's test_2231 binds Decimal('NaN') as BINARY_DOUBLE and reads it back)."""
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        cur.setinputsizes(oracledb.DB_TYPE_BINARY_DOUBLE)
        cur.execute("select :1 from dual", [Decimal("NaN")])
        (value,) = cur.fetchone()
        assert value != value
        cur.execute("create table doubles (id number, d binary_double)")
        try:
            cur.setinputsizes(None, oracledb.DB_TYPE_BINARY_DOUBLE)
            cur.executemany("insert into doubles values (:1, :2)",
                            [(1, float("nan")), (2, float("inf")), (3, 1.5), (4, None), (5, float("-inf"))])
            cur.execute("select id from doubles order by d")
            assert [r[0] for r in cur] == [5, 3, 2, 1, 4]  # NULLs last, NaN above +inf
            cur.setinputsizes(oracledb.DB_TYPE_BINARY_DOUBLE)
            cur.execute("select id from doubles where d = :1", [float("nan")])
            assert cur.fetchall() == [(1,)]
        finally:
            cur.execute("drop table doubles")


def test_number_literals_beyond_38_digits_round_and_beyond_the_range_overflow(server: EmbeddedServer) -> None:
    """A literal of more than 40 digits rounds to 38 as Oracle does; one past NUMBER's range is
    ORA-01426, not an internal error that would end the session (python-oracledb takes ORA-00600
    as a dead connection)."""
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        cur.execute("select " + "1" * 45 + " from dual")
        assert cur.fetchone() == (int("1" * 38 + "0" * 7),)
        with pytest.raises(oracledb.DatabaseError, match="ORA-01426"):
            cur.execute("select 1e300 from dual")
        cur.execute("select 1 from dual")  # the session lives on
        assert cur.fetchone() == (1,)


def test_strings_stored_into_boolean_columns_convert_as_in_23ai(server: EmbeddedServer) -> None:
    """'true'/'yes'/'on'/'1'/'t'/'y' and their opposites, any case (python-oracledb's test_3110/3111);
    another string is an error and stores nothing."""
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        cur.execute("create table flags (id number, b boolean)")
        try:
            words = ["true", "YES", "On", "1", "t", " y ", "false", "no", "OFF", "0", "F", "n", None]
            cur.executemany("insert into flags values (:1, :2)", list(enumerate(words)))
            cur.execute("select b from flags order by id")
            assert [r[0] for r in cur] == [True] * 6 + [False] * 6 + [None]
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.execute("insert into flags values (99, 'maybe')")
            assert info.value.args[0].code == 1722
            cur.execute("select count(*) from flags where id = 99")
            assert cur.fetchone() == (0,)
        finally:
            cur.execute("drop table flags")


def test_lob_open_twice_and_close_unopened_are_oracles_errors(server: EmbeddedServer) -> None:
    """ORA-22293 for OPEN of an open LOB, ORA-22289 for CLOSE of an unopened one; the LOB stays usable
    (python-oracledb's test_1904/1908/1917 and their async twins)."""
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        cur.execute("create table lob_states (c clob)")
        try:
            cur.execute("insert into lob_states values ('hello')")
            cur.execute("select c from lob_states")
            (lob,) = cur.fetchone()
            assert not lob.isopen()
            lob.open()
            with pytest.raises(oracledb.DatabaseError) as info:
                lob.open()
            assert info.value.args[0].code == 22293
            assert lob.isopen()
            lob.close()
            with pytest.raises(oracledb.DatabaseError) as info:
                lob.close()
            assert info.value.args[0].code == 22289
            assert (lob.isopen(), lob.size(), lob.read()) == (False, 5, "hello")
        finally:
            cur.execute("drop table lob_states")
