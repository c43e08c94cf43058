"""Running SQL on an engine session in the tests of built-in functions and column types: binds by position."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from oracle_asyncio.testing.sql.engine import OraError, Result, Session


def run(s: Session, sql: str, binds: Sequence[object] = ()) -> Result:
    """Run ``sql`` with ``binds`` named ``:1``, ``:2``, ... in order."""
    return s.execute(sql, binds, bind_names=[str(i + 1) for i in range(len(binds))])


def rows(s: Session, sql: str, binds: Sequence[object] = ()) -> list[tuple[object, ...]]:
    """Every row of the query ``sql``."""
    result = run(s, sql, binds)
    assert result.rows is not None
    return list(result.rows)


def code_of(s: Session, sql: str, binds: Sequence[object] = ()) -> int:
    """The ORA number ``sql`` fails with."""
    with pytest.raises(OraError) as info:
        run(s, sql, binds)
    return info.value.code


def code(s: Session, sql: str) -> int:
    """The ORA code the query fails with."""
    return code_of(s, sql)
