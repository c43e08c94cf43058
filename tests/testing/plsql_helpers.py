"""Running PL/SQL blocks on an engine session in the PL/SQL interpreter's tests."""

from __future__ import annotations

from typing import Any

import pytest

from oracle_asyncio.testing.sql import OraError, Session
from oracle_sansio.statement import parse_statement


def block(session: Session, sql: str, *binds: object) -> dict[int, object]:
    """Run ``sql`` with ``binds`` (None for an OUT bind); the values it assigned, by bind position."""
    result = session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)
    return dict(result.out_values or {})


def out(session: Session, sql: str) -> object:
    """Run a block with one OUT bind ``:r`` and return what it assigned."""
    return block(session, sql, None).get(0)


def rows(session: Session, sql: str, *binds: object) -> list[tuple[Any, ...]]:
    """The rows of the query ``sql`` (positional binds)."""
    found = session.execute(sql, binds).rows
    assert found is not None
    return list(found)


def fails(session: Session, sql: str, *binds: object) -> OraError:
    with pytest.raises(OraError) as info:
        block(session, sql, *binds)
    return info.value
