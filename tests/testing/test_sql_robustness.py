"""Unsupported or garbled SQL gives an OraError, never a Python exception or a hang."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle_asyncio.testing.sql.engine import Database, OraError, Session

WORDS = [
    "select", "from", "dual", "where", "insert", "into", "values", "update", "set", "delete", "create",
    "table", "drop", "number", "varchar2", "(", ")", ",", "'x'", "1", "1.5", ":1", ":a", "*", "+", "-",
    "/", "||", "and", "or", "not", "null", "is", "in", "like", "between", "order", "by", "group", "having",
    "connect", "level", "<=", "=", "<>", "begin", "end", ";", ":=", "t", "x", "q'[a]'", '"Q"', "--c\n",
    "/*c*/", "sysdate", "user", "count", "sum", "nvl", "to_char", "case", "when", "then", "else",
]


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    db = Database()
    s = db.session(user="SCOTT", sid=1, serial=1)
    s.execute("create table t (x number, y varchar2(10))")
    yield s
    db.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=3))
def test_random_statements_only_raise_ora_errors(session: Session, words: list[str], binds: list[object]) -> None:
    sql = " ".join(words)
    try:
        result = session.execute(sql, binds, bind_names=tuple(str(i + 1) for i in range(len(binds))))
        if result.rows is not None:
            for _ in zip(range(50), result.rows):
                pass
    except OraError as exc:
        assert exc.message.startswith("ORA-") and exc.code > 0
    finally:
        try:
            session.rollback()
        except OraError:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_arbitrary_text(session: Session, text: str) -> None:
    try:
        session.execute(text, (), bind_names=())
    except OraError as exc:
        assert exc.message.startswith("ORA-")
    finally:
        session.rollback()
