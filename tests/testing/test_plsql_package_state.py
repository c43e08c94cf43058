"""Package state discarded by DDL (issue 18): a session whose instance of a package held state
(variables, cursors) gets ORA-04068, with the lines Oracle stacks under it, once at its next use
after the package was replaced, by another session or itself; the use after that works on a fresh
instance.  A package without state is replaced silently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.plsql_helpers import out

_SPEC = "create or replace package counter as n number := 0; function bump return number; end;"
_BODY = ("create or replace package body counter as function bump return number is "
         "begin n := n + 1; return n; end; end;")
_BUMP = "begin :r := counter.bump(); end;"


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users={"scott"})
    yield database
    database.close()


@pytest.fixture
def one(db: Database) -> Session:
    session = db.session(user="scott", sid=1, serial=1)
    session.execute(_SPEC)
    session.execute(_BODY)
    return session


def _fails(session: Session, sql: str) -> OraError:
    with pytest.raises(OraError) as info:
        out(session, sql)
    return info.value


def test_a_body_replaced_by_another_session_discards_the_state_once(db: Database, one: Session) -> None:
    assert out(one, _BUMP) == 1
    assert out(one, _BUMP) == 2
    db.session(user="scott", sid=2, serial=2).execute(_BODY)
    error = _fails(one, _BUMP)
    assert error.code == 4068
    assert error.message.splitlines() == [
        "ORA-04068: existing state of packages has been discarded",
        'ORA-04061: existing state of package body "SCOTT.COUNTER" has been invalidated',
        'ORA-04065: not executed, altered or dropped package body "SCOTT.COUNTER"',
        'ORA-06508: PL/SQL: could not find program unit being called: "SCOTT.COUNTER"',
        "ORA-06512: at line 1",
    ]
    assert out(one, _BUMP) == 1  # a fresh instance
    assert out(one, _BUMP) == 2


def test_a_spec_replaced_in_the_same_session_names_the_package(one: Session) -> None:
    assert out(one, _BUMP) == 1
    one.execute(_SPEC)
    one.execute(_BODY)
    error = _fails(one, _BUMP)
    assert error.code == 4068
    assert 'ORA-04061: existing state of package "SCOTT.COUNTER" has been invalidated' in error.message
    assert out(one, _BUMP) == 1


def test_a_session_that_never_used_the_package_sees_no_error(db: Database, one: Session) -> None:
    other = db.session(user="scott", sid=2, serial=2)
    one.execute(_BODY)
    assert out(other, _BUMP) == 1


def test_a_package_without_state_is_replaced_silently(one: Session) -> None:
    one.execute("create or replace package consts as k constant number := 7; function twice return number; end;")
    one.execute("create or replace package body consts as function twice return number is "
                "begin return k * 2; end; end;")
    assert out(one, "begin :r := consts.twice(); end;") == 14
    one.execute("create or replace package body consts as function twice return number is "
                "begin return k * 3; end; end;")
    assert out(one, "begin :r := consts.twice(); end;") == 21


def test_through_python_oracledb(server: EmbeddedServer, cur: Any) -> None:
    cur.execute(_SPEC)
    cur.execute(_BODY)
    assert cur.callfunc("counter.bump", int) == 1
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as other:
        other.cursor().execute(_BODY)
    with pytest.raises(oracledb.DatabaseError) as info:
        cur.callfunc("counter.bump", int)
    assert info.value.args[0].full_code == "ORA-04068"
    assert cur.callfunc("counter.bump", int) == 1

