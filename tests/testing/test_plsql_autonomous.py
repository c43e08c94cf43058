"""PRAGMA AUTONOMOUS_TRANSACTION on the engine (runtime/plsql_calls.py ``Runner.autonomously``,
runtime/transactions.py); through python-oracledb: test_plsql_autonomous_tx.py."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.plsql_helpers import block, fails, out


@pytest.fixture
def s(db: Database) -> Session:
    session = db.session(user="scott", sid=11, serial=22)
    session.execute("create table log (msg varchar2(20))", (), bind_names=())
    session.execute("""create or replace procedure log_it(m varchar2) is
      pragma autonomous_transaction;
    begin insert into log values (m); commit; end;""", (), bind_names=())
    return session


def count(s: Session) -> object:
    rows = s.execute("select count(*) from log", (), bind_names=()).rows
    assert rows is not None
    return list(rows)[0][0]


def test_autonomous_commit_survives_the_caller_s_rollback(s: Session) -> None:
    block(s, "begin log_it('start'); insert into log values ('mine'); rollback; end;")
    assert count(s) == 1


def test_autonomous_local_procedure_left_open_is_rolled_back(s: Session) -> None:
    e = fails(s, """declare procedure p is pragma autonomous_transaction; begin insert into log values ('x'); end;
      begin p; end;""")
    assert (e.code, e.message.splitlines()[0]) == (6519, "ORA-06519: active autonomous transaction detected and "
                                                         "rolled back")
    assert count(s) == 0
    assert out(s, "begin :r := 'alive'; end;") == "alive"


def test_autonomous_call_inside_an_open_transaction_keeps_the_caller_s_savepoints(s: Session) -> None:
    """The caller's transaction is suspended and replayed with its savepoints where they were."""
    s.execute("insert into log values ('a')", (), bind_names=())
    s.execute("savepoint sp1", (), bind_names=())
    s.execute("insert into log values ('b')", (), bind_names=())
    block(s, "begin log_it('auto'); end;")
    assert s.in_transaction and count(s) == 3
    s.execute("rollback to sp1", (), bind_names=())
    assert count(s) == 2 and s.in_transaction
    s.rollback()
    rows = s.execute("select msg from log", (), bind_names=()).rows
    assert rows is not None and list(rows) == [("auto",)]


def test_autonomous_function_called_by_a_sql_dml_statement_is_refused_cleanly(s: Session) -> None:
    """sqlite can neither roll back nor open a savepoint under a running write: ORA-00900, the
    statement undone, the caller's transaction and the session intact.  In PL/SQL the function
    runs before the statement (its value is bound), as an autonomous transaction."""
    s.execute("""create or replace function next_id return number is
      pragma autonomous_transaction;
    begin insert into log values ('id'); commit; return 7; end;""", (), bind_names=())
    s.execute("insert into log values ('mine')", (), bind_names=())
    with pytest.raises(OraError) as info:
        s.execute("insert into log values (next_id())", (), bind_names=())
    assert info.value.code == 900 and "an autonomous routine called by a DML statement" in info.value.message
    assert s.in_transaction and count(s) == 1
    block(s, "begin insert into log values (next_id()); end;")
    s.rollback()
    rows = s.execute("select msg from log", (), bind_names=()).rows
    assert rows is not None and list(rows) == [("id",)]


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    rows = s.execute(sql, (), bind_names=()).rows
    assert rows is not None
    return list(rows)


def test_caller_s_pending_row_moves_when_the_autonomous_insert_takes_its_rowid(s: Session) -> None:
    """sqlite gives the autonomous insert the rowid of the caller's rolled-back insert; the
    replay gives the caller's row a new one instead of failing, here and one level deeper."""
    s.execute("""create or replace procedure add_two is
      pragma autonomous_transaction;
    begin insert into log values ('auto'); log_it('nested'); commit; end;""", (), bind_names=())
    s.execute("insert into log values ('mine')", (), bind_names=())
    block(s, "begin log_it('first'); add_two; end;")
    assert sorted(_rows(s, "select msg from log")) == [("auto",), ("first",), ("mine",), ("nested",)]
    s.rollback()
    assert sorted(_rows(s, "select msg from log")) == [("auto",), ("first",), ("nested",)]


def test_cascade_into_a_row_the_caller_changed_is_a_deadlock(s: Session) -> None:
    """An autonomous DELETE whose ON DELETE CASCADE reaches the caller's changed child row is
    ORA-00060 (the caller's change would otherwise be lost)."""
    for sql in ("create table par (id number primary key)",
                "create table kid (id number primary key, p number, v varchar2(5), "
                "constraint kid_fk foreign key (p) references par(id) on delete cascade)",
                "insert into par values (1)", "insert into kid values (10, 1, 'c')", "commit",
                """create or replace procedure drop_par is pragma autonomous_transaction;
                begin delete from par where id = 1; commit; end;""",
                "update kid set v = 'u' where id = 10"):
        s.execute(sql, (), bind_names=())
    e = fails(s, "begin drop_par; end;")
    assert e.code == 60
    s.commit()
    assert _rows(s, "select id from par") == [(1,)]
    assert _rows(s, "select id, v from kid") == [(10, "u")]


def test_deleting_the_parent_of_the_caller_s_pending_child_is_a_deadlock(s: Session) -> None:
    """The caller's new child row holds its parent key: the autonomous DELETE of that parent is
    ORA-00060, while parents the caller made itself or rows unrelated to its children are free."""
    for sql in ("create table mum (id number primary key)",
                "create table kid2 (id number primary key, p number, "
                "constraint kid2_fk foreign key (p) references mum(id))",
                "insert into mum values (1)", "insert into mum values (4)", "commit",
                """create or replace procedure mum_job(gone number, born number) is
                pragma autonomous_transaction;
                begin delete from mum where id = gone; insert into mum values (born); commit; end;""",
                "insert into kid2 values (10, 1)", "insert into mum values (2)", "insert into kid2 values (20, 2)"):
        s.execute(sql, (), bind_names=())
    assert fails(s, "begin mum_job(1, 3); end;").code == 60
    block(s, "begin mum_job(4, 5); end;")
    s.commit()
    assert _rows(s, "select id from mum order by id") == [(1,), (2,), (5,)]
    assert _rows(s, "select id, p from kid2 order by id") == [(10, 1), (20, 2)]
