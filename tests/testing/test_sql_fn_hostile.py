"""Hostile arguments to the embedded engine's built-ins: patterns that would backtrack for minutes and
numbers far outside any sane range end in Oracle's error or a sane value, never in ORA-00600 (which
python-oracledb takes for a dead connection) nor in unbounded CPU time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql.engine import Database, Session
from tests.testing.sql_helpers import code, rows


@pytest.fixture
def s() -> Iterator[Session]:
    db = Database()
    try:
        yield db.session(user="scott", sid=1, serial=1)
    finally:
        db.close()


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
