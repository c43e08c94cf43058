"""Analytic functions of the embedded SQL engine (issue 19): ``f(...) OVER (PARTITION BY ...
ORDER BY ... ROWS ...)`` with Oracle's NULL ordering and exact NUMBER sums."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql.engine import Database, Session
from tests.testing.sql_helpers import code, rows


@pytest.fixture
def s() -> Iterator[Session]:
    db = Database()
    try:
        session = db.session(user="scott", sid=1, serial=1)
        session.execute("create table e (id number, dept varchar2(5), sal number)", (), bind_names=[])
        for i, (d, v) in enumerate([("a", 10), ("a", 20), ("a", 20), ("b", 5), ("b", None), ("c", 7.5)]):
            session.execute("insert into e values (:1, :2, :3)", (i + 1, d, v), bind_names=["1", "2", "3"])
        yield session
    finally:
        db.close()






def test_ranking_puts_nulls_last_ascending(s: Session) -> None:
    assert rows(s, "select id, row_number() over (partition by dept order by sal desc, id),"
                   " rank() over (order by sal), dense_rank() over (order by sal),"
                   " rank() over (order by sal nulls first), ntile(2) over (order by id) from e order by id") == [
        (1, 3, 3, 3, 4, 1), (2, 1, 4, 4, 5, 1), (3, 2, 4, 4, 5, 1), (4, 2, 1, 1, 2, 2), (5, 1, 6, 5, 1, 2),
        (6, 1, 2, 2, 3, 2)]


def test_aggregates_over_partitions_and_frames(s: Session) -> None:
    assert rows(s, "select id, sum(sal) over (partition by dept),"
                   " avg(sal) over (partition by dept order by id rows between 1 preceding and current row),"
                   " count(*) over (), count(sal) over (partition by dept), max(sal) over (partition by dept),"
                   " sum(sal) over (order by id rows unbounded preceding) from e order by id") == [
        (1, 50, 10, 6, 3, 20, 10), (2, 50, 15, 6, 3, 20, 30), (3, 50, 20, 6, 3, 20, 50), (4, 5, 5, 6, 1, 5, 55),
        (5, 5, 5, 6, 1, 5, 55), (6, Decimal("7.5"), Decimal("7.5"), 6, 1, Decimal("7.5"), Decimal("62.5"))]
    # the default frame with ORDER BY is RANGE UNBOUNDED PRECEDING: peers share the running sum
    assert rows(s, "select id, sum(sal) over (order by sal) from e where dept = 'a' order by id") == [
        (1, 10), (2, 50), (3, 50)]
    assert rows(s, "select dept, sum(sal), rank() over (order by sum(sal) desc) from e group by dept"
                   " order by dept") == [("a", 50, 1), ("b", 5, 3), ("c", Decimal("7.5"), 2)]
    assert rows(s, "select variance(sal) over (partition by dept) from e where dept = 'a'") == [
        (Decimal("33.333333333333333333333333333333333333"),)] * 3


def test_lag_lead_first_last_value(s: Session) -> None:
    assert rows(s, "select id, lag(sal) over (order by id), lead(sal, 2, 0) over (order by id),"
                   " first_value(sal) over (partition by dept order by id),"
                   " last_value(id) over (order by id rows between unbounded preceding and unbounded following)"
                   " from e order by id") == [
        (1, None, 20, 10, 6), (2, 10, 5, 10, 6), (3, 20, None, 10, 6), (4, 20, Decimal("7.5"), 5, 6),
        (5, 5, 0, 5, 6), (6, None, 0, Decimal("7.5"), 6)]


def test_window_errors(s: Session) -> None:
    assert code(s, "select sum(sal) over (rows 1 preceding) from e") == 30485
    assert code(s, "select row_number(id) over (order by id) from e") == 909
    assert code(s, "select count(distinct sal) over (partition by dept) from e") == 900
