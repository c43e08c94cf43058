"""PRAGMA AUTONOMOUS_TRANSACTION (runtime/plsql_run.py ``Runner.autonomously``)."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, Session
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


def test_autonomous_call_inside_an_open_transaction_is_refused(s: Session) -> None:
    e = fails(s, "begin insert into log values ('mine'); log_it('x'); end;")
    assert e.code == 900 and "autonomous transaction while the caller's transaction is open" in e.message
