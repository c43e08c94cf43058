"""Hostile arguments to the embedded engine's built-ins: patterns that would backtrack for minutes and
numbers far outside any sane range end in Oracle's error or a sane value, never in ORA-00600 (which
python-oracledb takes for a dead connection) nor in unbounded CPU time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql.engine import OraError, Session
from tests.testing.sql_helpers import code, rows, run


@pytest.fixture
def s(scott: Session) -> Session:
    """conftest's session of scott on a fresh database."""
    return scott


@pytest.mark.parametrize("pattern, expected", [
    ("(a+){1,9999}b", 12732),  # an interval past the bound
    ("(a|aa){0,30000}b", 12732),
    ("a{2000}", 12732),
    ("(a+){1,999}b", 900),  # a bounded repeat of a repetition: as bad as (a+)+
    ("(a+){2,30}b", 900),
    ("(a{1,3}){1,300}b", 900),  # bounded inside bounded: 3**300 ways
    ("(a|aa){0,999}b", 900),
])
def test_backtracking_patterns_are_refused(s: Session, pattern: str, expected: int) -> None:
    assert code(s, f"select regexp_count(rpad('a', 40, 'a'), '{pattern}') from dual") == expected


def test_common_bounded_patterns_still_work(s: Session) -> None:
    assert rows(s, r"select regexp_substr('ip 10.0.12.255 x', '(\d{1,3}\.){3}\d{1,3}'),"
                   r" regexp_count('ab cdefghijklm xyz', '[a-z]{2,10}'), regexp_substr('aaaa', 'a{2}'),"
                   r" regexp_like('abab', '^(ab){1,3}$'), regexp_substr('x1y22', '([a-z]\d{1,2}){2}')"
                   " from dual") == [("10.0.12.255", 3, "aa", 1, "x1y22")]


def test_regexp_positions_past_the_end(s: Session) -> None:
    assert rows(s, "select regexp_substr('abc', '(a)', 1e30), regexp_instr('abc', 'a', 1e30),"
                   " regexp_count('abc', 'a', 1e30), regexp_replace('abc', 'a', 'x', 1e30),"
                   " regexp_substr('abc', 'a', 1, 1e30), regexp_count('abc', 'c', 3) from dual") == [
        (None, 0, 0, "abc", None, 1)]
    assert code(s, "select regexp_substr('abc', 'a', 0) from dual") == 1428
    assert code(s, "select regexp_count('abc', 'a', -1e30) from dual") == 1428


@pytest.mark.parametrize("call", ["ntile(0)", "ntile(null)", "ntile(0.5)", "ntile(-3)", "nth_value(1, 0)",
                                  "nth_value(1, null)", "nth_value(1, -1e30)"])
def test_analytic_counts_below_one(s: Session, call: str) -> None:
    assert code(s, f"select {call} over (order by 1) from dual") == 1428


def test_analytic_counts_truncate_and_saturate(s: Session) -> None:
    assert rows(s, "select ntile(2.9) over (order by level), ntile(1e30) over (order by level),"
                   " nth_value(level, 2.5) over (order by level rows between unbounded preceding and"
                   " unbounded following), nth_value(level, 1e30) over (order by level)"
                   " from dual connect by level <= 3") == [(1, 1, 2, None), (1, 2, 2, None), (2, 3, 2, None)]


@pytest.mark.parametrize("frame", ["current row and 1 preceding", "unbounded following and current row",
                                   "current row and unbounded preceding", "1 following and 1 preceding"])
def test_window_frames_ending_before_they_start(s: Session, frame: str) -> None:
    assert code(s, f"select count(*) over (order by 1 rows between {frame}) from dual") == 30486


def test_window_frame_offset_beyond_any_table(s: Session) -> None:
    assert rows(s, "select count(*) over (order by level rows between 1e30 preceding and current row),"
                   " count(*) over (order by level rows between 2 following and 1 following)"
                   " from dual connect by level <= 2") == [(1, 0), (2, 0)]


def test_binary_float_cast_overflows_to_infinity(s: Session) -> None:
    assert rows(s, "select utl_raw.cast_from_binary_float(1e125), utl_raw.cast_from_binary_float(-1e125, 2)"
                   " from dual") == [(b"\x7f\x80\x00\x00", b"\x00\x00\x80\xff")]


def test_add_months_and_scales_far_out(s: Session) -> None:
    assert code(s, "select add_months(sysdate, 2147483648) from dual") == 1841
    assert code(s, "select add_months(sysdate, -1e30) from dual") == 1841
    assert rows(s, "select round(5, 1e30), trunc(5, -1e30), round(5, -1e30), trunc(5.25, 1e30), round(5, -1),"
                   " round(45, -2), round(55, -2), trunc(-5.55, 1) from dual") == [
        (5, 0, 0, Decimal("5.25"), 10, 0, 100, Decimal("-5.5"))]


_EXTREMES = ("0", "-1", "1e30", "-1e30", "null", "0.5", "2147483648", "1e125")
_CALLS = ("regexp_substr('abcabc', 'b', {0}, {1})", "regexp_instr('abcabc', 'b', {0}, {1}, {0})",
          "regexp_replace('abcabc', 'b', 'x', {0}, {1})", "regexp_count('abcabc', 'b', {0})",
          "utl_raw.cast_from_binary_float({0})", "utl_raw.cast_from_binary_double({0})",
          "add_months(date '2020-01-31', {0})", "round({0}, {1})", "trunc({0}, {1})", "ntile({0}) over (order by 1)",
          "nth_value({0}, {1}) over (order by 1)", "lag({0}, {1}) over (order by 1)",
          "substr('abc', {0}, {1})", "instr('abcabc', 'b', {0}, {1})", "lpad('a', {0})", "power({0}, {1})",
          "mod({0}, {1})", "to_char({0})")


def test_extreme_numbers_never_reach_ora_600(s: Session) -> None:
    """Every numeric argument of these built-ins at each extreme: Oracle's error or a value, never
    ORA-00600 (the backstop that turns a stray Python exception into an internal error)."""
    seen = 0
    for call in _CALLS:
        for a in _EXTREMES:
            for b in _EXTREMES if "{1}" in call else ("1",):
                sql = f"select {call.format(a, b)} from dual"
                try:
                    list(run(s, sql).rows or ())
                except OraError as exc:
                    assert exc.code != 600, (sql, str(exc))
                seen += 1
    assert seen > 400
