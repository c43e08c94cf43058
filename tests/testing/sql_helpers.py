"""Running SQL on an engine session in the built-in functions' tests (test_sql_fn_*.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from oracle_asyncio.testing.sql import OraError, Session


def run(s: Session, sql: str, binds: Sequence[object] = ()) -> None:
    """Run a statement that returns no rows."""
    s.execute(sql, binds, bind_names=[str(i + 1) for i in range(len(binds))])


def rows(s: Session, sql: str, binds: Sequence[object] = ()) -> list[tuple[object, ...]]:
    """The rows of a query (binds ``:1``, ``:2`` ... in order)."""
    result = s.execute(sql, binds, bind_names=[str(i + 1) for i in range(len(binds))])
    assert result.rows is not None
    return list(result.rows)


def code(s: Session, sql: str) -> int:
    """The ORA code the query fails with."""
    with pytest.raises(OraError) as exc:
        rows(s, sql)
    return exc.value.code
