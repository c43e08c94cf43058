"""Scalar, regular-expression and aggregate built-ins of the embedded SQL engine (issue 19):
POWER, BITAND, GREATEST/LEAST, ASCII, CHR, UNISTR, HEXTORAW, TO_CLOB, TO_BINARY_DOUBLE/FLOAT, the
REGEXP_ family, STDDEV/VARIANCE, LISTAGG, and 23ai's SELECT without FROM."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql.engine import Database, OraError, Session
from oracle_asyncio.testing.sql.runtime import fn_regexp
from tests.testing.sql_helpers import code, rows


@pytest.fixture
def s() -> Iterator[Session]:
    db = Database()
    try:
        session = db.session(user="scott", sid=1, serial=1)
        session.execute("create table t (a number, b varchar2(10), g number)", (), bind_names=[])
        session.execute("insert into t select level, 'x' || level, mod(level, 2) from dual connect by level <= 5",
                        (), bind_names=[])
        yield session
    finally:
        db.close()






def test_power_is_exact(s: Session) -> None:
    assert rows(s, "select power(38, 10), power(143, 9), power(2, -2), power(4, 0.5), power(null, 2) from dual") == [
        (38**10, 143**9, Decimal("0.25"), 2, None)]
    assert code(s, "select power(-8, 0.5) from dual") == 1428
    assert code(s, "select power(10, 1000) from dual") == 1426


def test_bitand_greatest_least(s: Session) -> None:
    assert rows(s, "select bitand(12, 10), bitand(-1, 5), bitand(null, 1), greatest(1, 3, 2), least(3, 1.5, 2),"
                   " greatest('b', 'abc'), least(date '2020-01-02', date '2020-01-01'), greatest(1, null)"
                   " from dual") == [(8, 5, None, 3, Decimal("1.5"), "b", __import__("datetime").datetime(2020, 1, 1),
                                      None)]
    assert code(s, "select greatest(1, 'x') from dual") == 1722


def test_character_functions(s: Session) -> None:
    assert rows(s, "select ascii('A'), ascii('é'), chr(65), chr(50089), unistr('a\\3042\\\\'), unistr('\\D83D\\DE00'),"
                   " ascii(null), unistr(null) from dual") == [(65, 50089, "A", "é", "aあ\\", "😀", None, None)]
    assert code(s, "select unistr('\\12') from dual") == 30186
    assert rows(s, "select hextoraw('0aff'), hextoraw('abc'), rawtohex(hextoraw('0aff')), hextoraw(null) from dual") == [
        (b"\n\xff", b"\n\xbc", "0AFF", None)]
    assert code(s, "select hextoraw('xyz') from dual") == 1465


def test_to_clob_and_to_binary(s: Session) -> None:
    got = rows(s, "select to_clob('abc'), to_nclob(12), to_clob(null), to_binary_double('1.5'), to_binary_float(1.1),"
                  " to_binary_double('-INF'), to_binary_double(2), to_binary_float(null) from dual")[0]
    assert got[:4] == ("abc", "12", None, 1.5)
    assert got[4] == pytest.approx(1.1) and got[4] != 1.1  # rounded to 32 bits
    assert got[5] == -math.inf and got[6] == 2.0 and got[7] is None
    assert code(s, "select to_binary_double('1,5') from dual") == 1722
    assert rows(s, "select to_blob(hextoraw('0aff')), to_blob(null), to_blob('ab') from dual") == [
        (b"\n\xff", None, b"\xab")]
    assert code(s, "select to_blob(1) from dual") == 932
    assert code(s, "select to_clob(1/0) from dual") == 1476


def test_regexp_functions(s: Session) -> None:
    assert rows(s, "select regexp_substr('abc123def45', '[[:digit:]]+', 1, 2), regexp_substr('a1b2', '[a-z]([0-9])',"
                   " 1, 2, null, 1), regexp_instr('abc123', '\\d'), regexp_instr('abc123', '\\d+', 1, 1, 1),"
                   " regexp_replace('a.b.c', '\\.', '-'), regexp_replace('a.b.c', '\\.', '-', 1, 2),"
                   " regexp_replace('John Smith', '(\\w+) (\\w+)', '\\2, \\1'), regexp_count('banana', 'an'),"
                   " regexp_count('AbA', 'a', 1, 'i') from dual") == [
        ("45", "2", 4, 7, "a-b-c", "a.b-c", "Smith, John", 2, 2)]
    assert rows(s, "select b from t where regexp_like(b, '^X[1-2]$', 'i') order by a") == [("x1",), ("x2",)]
    # POSIX brackets: a backslash is itself there; NULL in, NULL out
    assert rows(s, "select regexp_substr('a\\d', '[\\d]+'), regexp_substr(null, 'a'), regexp_count('a', null)"
                   " from dual") == [("\\d", None, None)]
    assert code(s, "select regexp_substr('a', '(a') from dual") == 12725
    assert code(s, "select regexp_substr('a', '[a') from dual") == 12726
    assert code(s, "select regexp_substr('a', '[[:nope:]]') from dual") == 12729
    assert code(s, "select regexp_like('a', 'a', 'q') from dual") == 1760
    assert code(s, "select regexp_substr('a', '" + "a" * 513 + "') from dual") == 12733


def test_regexp_refuses_exponential_shapes() -> None:
    """Python's engine backtracks: a repeated group holding a repetition, or alike alternatives,
    could take exponential time ('aaaa...b' against (a+)+c), so such patterns are refused."""
    for pattern in ("(a+)+c", "(a*)*", "(a|aa)*c", "((a+))+", "(x|\\d)+"):
        with pytest.raises(OraError) as exc:
            fn_regexp.compile_pattern(pattern)
        assert exc.value.code == 900, pattern
    for pattern in ("(foo|bar)+", "(ab)+c", "a+b*", "((a|b))+"):
        fn_regexp.compile_pattern(pattern)


def test_statistical_aggregates(s: Session) -> None:
    got = rows(s, "select stddev(a), variance(a), var_pop(a), var_samp(a), stddev_pop(a), stddev_samp(a) from t")[0]
    assert got[1:4] == (Decimal("2.5"), 2, Decimal("2.5"))
    assert got[0] == got[5] == Decimal("1.5811388300841896659994467722163592669")
    assert got[4] == Decimal("1.4142135623730950488016887242096980786")
    # one row: VARIANCE/STDDEV are 0, the _SAMP forms NULL; no rows: NULL
    assert rows(s, "select variance(a), stddev(a), var_samp(a), stddev_samp(a) from t where b = 'x1'") == [
        (0, 0, None, None)]
    assert rows(s, "select variance(a) from t where a > 9") == [(None,)]
    assert rows(s, "select g, variance(a) from t group by g order by g") == [(0, 2), (1, 4)]


def test_listagg(s: Session) -> None:
    assert rows(s, "select listagg(b, ',') within group (order by a desc), listagg(b) within group (order by b),"
                   " listagg(b, '; ') from t") == [("x5,x4,x3,x2,x1", "x1x2x3x4x5", "x1; x2; x3; x4; x5")]
    assert rows(s, "select g, listagg(a, '-') within group (order by a) from t group by g order by g") == [
        (0, "2-4"), (1, "1-3-5")]
    assert rows(s, "select listagg(b, ',') within group (order by a) from t where a > 9") == [(None,)]
    s.execute("create table big (v varchar2(1000))", (), bind_names=[])
    s.execute("insert into big select rpad('v', 1000, 'v') from dual connect by level <= 5", (), bind_names=[])
    assert code(s, "select listagg(v, ',') within group (order by v) from big") == 1489
    truncated = rows(s, "select listagg(v, ',' on overflow truncate '~' with count) within group (order by v)"
                        " from big")[0][0]
    assert isinstance(truncated, str) and truncated.endswith(",~(2)") and len(truncated) <= 4000


def test_select_without_from_reads_dual(s: Session) -> None:
    assert rows(s, "select 1 union all select 2") == [(1,), (2,)]
    assert rows(s, "select 1 + 1 as x") == [(2,)]
    assert rows(s, "select * from (select 'a')") == [("a",)]
    assert code(s, "select 1 2") == 923
