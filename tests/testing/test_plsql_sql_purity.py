"""What a stored function called from SQL may not do (issue 18), as Oracle: DML inside a query is
ORA-14551, COMMIT / ROLLBACK / DDL inside a query or a DML statement ORA-14552, each with the
ORA-06512 lines of the units it passed; an autonomous transaction may do both.  The same function
called from PL/SQL, or DML in a function a DML statement called, is fine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.test_grants import run


@pytest.fixture
def scott() -> Iterator[Session]:
    database = Database(users={"scott"})
    session = database.session(user="scott", sid=1, serial=1)
    run(session, "create table log (v varchar2(20))")
    run(session, "create table t (n number)")
    run(session, "insert into t values (1)")
    run(session, "commit")
    run(session, "create function logged(v varchar2) return number is "
                 "begin insert into log values (v); return 1; end;")
    run(session, "create function commits return number is begin commit; return 1; end;")
    run(session, "create function ddl return number is begin execute immediate 'create table x (a number)'; "
                 "return 1; end;")
    yield session
    database.close()


def _error(session: Session, sql: str) -> OraError:
    with pytest.raises(OraError) as info:
        run(session, sql)
    return info.value


def test_dml_in_a_function_a_query_called(scott: Session) -> None:
    error = _error(scott, "select logged('q') from t")
    assert error.code == 14551
    assert error.message.splitlines() == ["ORA-14551: cannot perform a DML operation inside a query",
                                          'ORA-06512: at "SCOTT.LOGGED", line 1']
    assert run(scott, "select count(*) from log") == [(0,)]


def test_the_same_function_from_plsql_and_from_dml(scott: Session) -> None:
    run(scott, "declare n number; begin n := logged('pl'); end;")
    run(scott, "insert into t values (logged('dml'))")
    assert run(scott, "select v from log order by v") == [("dml",), ("pl",)]


def test_commit_and_ddl_in_a_function_a_query_or_dml_called(scott: Session) -> None:
    for sql in ("select commits() from t", "insert into t values (commits())",
                "update t set n = commits()", "select ddl() from dual"):
        error = _error(scott, sql)
        assert error.code == 14552, sql
        assert error.message.startswith("ORA-14552: cannot perform a DDL, commit or rollback inside a query or DML")
    assert _error(scott, "select * from x").code == 942


def test_an_autonomous_function_may_change_data_from_a_query(scott: Session) -> None:
    run(scott, "create function audited(v varchar2) return number is pragma autonomous_transaction; "
               "begin insert into log values (v); commit; return 1; end;")
    assert run(scott, "select audited('a') from dual") == [(1,)]
    assert run(scott, "select v from log") == [("a",)]


def test_a_nested_procedure_doing_dml_under_a_query_is_refused_too(scott: Session) -> None:
    run(scott, "create procedure put is begin insert into log values ('deep'); end;")
    run(scott, "create function calls_put return number is begin put; return 1; end;")
    error = _error(scott, "select calls_put() from dual")
    assert error.code == 14551
    assert 'ORA-06512: at "SCOTT.PUT", line 1' in error.message
    assert 'ORA-06512: at "SCOTT.CALLS_PUT", line 1' in error.message
