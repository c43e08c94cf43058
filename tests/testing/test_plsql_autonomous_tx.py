"""Autonomous transactions in the embedded server, through python-oracledb 26.1 (thin), while the
caller's own transaction is open (runtime/transactions.py): the autonomous routine sees only what is
committed, commits on its own, deadlocks (ORA-00060) on the caller's rows, nests, fires as a
trigger, and leaves the caller's transaction (savepoints included) as it was."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _setup(cur: Any) -> tuple[str, str]:
    """A data table (one committed row, id 1) and a log table, and the autonomous ``LOG_<n>``
    procedure that commits one log row."""
    n = next(_names)
    table, log = f"AT{n}", f"ATLOG{n}"
    cur.execute(f"create table {table} (id number primary key, v varchar2(20))")
    cur.execute(f"create table {log} (msg varchar2(60))")
    cur.execute(f"insert into {table} values (1, 'one')")
    cur.connection.commit()
    _autonomous(cur, f"procedure log_{n}(m varchar2)", f"""begin
  insert into {log} values (m);
  commit;
end;""")
    return table, log


def _autonomous(cur: Any, header: str, body: str, *, recursive: bool = False) -> None:
    """CREATE OR REPLACE ``header`` (a procedure or function) as an autonomous routine.
    ``recursive``: one that calls itself, which the server creates INVALID (PLS-00201 on its own
    name) and compiles again, successfully, at its first call."""
    cur.execute(f"create or replace {header} is\n  pragma autonomous_transaction;\n{body}")
    assert (cur.warning is None) != recursive


def _rows(cur: Any, sql: str) -> list[tuple[Any, ...]]:
    cur.execute(sql)
    return list(cur.fetchall())


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]


def test_error_log_row_survives_the_caller_s_rollback(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    cur.execute(f"""begin
  insert into {table} values (2, 'two');
  log_{n}('inserted 2');
end;""")
    assert cur.connection.transaction_in_progress
    # the committed log row is visible to the caller at once; its own row is still pending
    assert _rows(cur, f"select msg from {log}") == [("inserted 2",)]
    assert _rows(cur, f"select count(*) from {table}") == [(2,)]
    cur.connection.rollback()
    assert _rows(cur, f"select id from {table}") == [(1,)]
    assert _rows(cur, f"select msg from {log}") == [("inserted 2",)]


def test_autonomous_routine_does_not_see_the_caller_s_uncommitted_rows(cur: Any) -> None:
    table, _ = _setup(cur)
    n = table[2:]
    _autonomous(cur, f"function seen_{n} return varchar2", f"""  total number;
  v varchar2(20);
begin
  select count(*) into total from {table};
  select v into v from {table} where id = 1;
  return total || ':' || v;
end;""")
    cur.execute(f"insert into {table} values (2, 'two')")
    cur.execute(f"update {table} set v = 'uno' where id = 1")
    out = cur.var(str)
    cur.execute(f"begin :r := seen_{n}; end;", r=out)
    assert out.getvalue() == "1:one"  # the committed state only
    # the same function called from SQL
    assert _rows(cur, f"select seen_{n}() from dual") == [("1:one",)]
    assert _rows(cur, f"select id, v from {table} order by id") == [(1, "uno"), (2, "two")]
    cur.connection.commit()
    assert _rows(cur, f"select seen_{n}() from dual") == [("2:uno",)]


def test_autonomous_work_left_open_is_ora_06519_and_the_caller_s_transaction_stays(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    _autonomous(cur, f"procedure open_{n}", f"""begin
  insert into {log} values ('left open');
end;""")
    cur.execute(f"insert into {table} values (2, 'two')")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin open_{n}; end;")
    assert _code(exc) == "ORA-06519"
    assert cur.connection.transaction_in_progress
    assert _rows(cur, f"select count(*) from {log}") == [(0,)]
    cur.connection.commit()
    assert _rows(cur, f"select id from {table} order by id") == [(1,), (2,)]


def test_changing_a_row_the_caller_changed_is_ora_00060_in_the_autonomous_routine(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    _autonomous(cur, f"procedure touch_{n}(k number)", f"""begin
  update {table} set v = 'auto' where id = k;
  commit;
end;""")
    _autonomous(cur, f"procedure add_{n}(k number)", f"""begin
  insert into {table} values (k, 'auto');
  commit;
exception
  when others then
    log_{n}('add ' || k || ': ' || sqlcode);
    rollback;
end;""")
    cur.execute(f"update {table} set v = 'mine' where id = 1")
    cur.execute(f"insert into {table} values (5, 'mine')")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin touch_{n}(1); end;")
    assert _code(exc) == "ORA-00060"
    assert 'at "SCOTT.TOUCH_' in str(exc.value)  # raised inside the autonomous routine
    # the caller's pending insert of key 5 is a lock too; key 6 is free
    cur.execute(f"begin add_{n}(5); add_{n}(6); end;")
    assert _rows(cur, f"select msg from {log}") == [("add 5: -60",)]
    assert _rows(cur, f"select id, v from {table} order by id") == [(1, "mine"), (5, "mine"), (6, "auto")]
    cur.connection.rollback()
    assert _rows(cur, f"select id, v from {table} order by id") == [(1, "one"), (6, "auto")]


def test_autonomous_routines_nest_and_the_depth_is_bounded(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    _autonomous(cur, f"procedure outer_{n}", f"""begin
  insert into {log} values ('outer');
  log_{n}('inner');
  rollback;
end;""")
    cur.execute(f"insert into {table} values (2, 'two')")
    cur.execute(f"begin outer_{n}; end;")
    assert _rows(cur, f"select msg from {log}") == [("inner",)]
    assert _rows(cur, f"select count(*) from {table}") == [(2,)]
    _autonomous(cur, f"procedure deep_{n}(k number)", f"""begin
  insert into {log} values ('deep ' || k);
  deep_{n}(k + 1);
  commit;
end;""", recursive=True)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin deep_{n}(1); end;")
    assert _code(exc) == "ORA-01574"
    assert _rows(cur, f"select count(*) from {log} where msg like 'deep%'") == [(0,)]
    cur.connection.commit()
    assert _rows(cur, f"select count(*) from {table}") == [(2,)]


def test_autonomous_trigger_commits_its_log_while_the_statement_is_rolled_back(cur: Any) -> None:
    table, log = _setup(cur)
    cur.execute(f"""create or replace trigger {table}_audit after insert or update on {table} for each row
declare
  pragma autonomous_transaction;
  total number;
begin
  select count(*) into total from {table};
  insert into {log} values (:new.id || ' seen ' || total);
  commit;
end;""")
    assert cur.warning is None
    cur.execute(f"insert into {table} values (2, 'two')")
    cur.execute(f"update {table} set v = 'x' where id in (1, 2)")
    cur.connection.rollback()
    assert _rows(cur, f"select id, v from {table}") == [(1, "one")]
    # the trigger saw only the committed row, each time
    assert sorted(_rows(cur, f"select msg from {log}")) == [("1 seen 1",), ("2 seen 1",), ("2 seen 1",)]


def test_caller_s_savepoints_and_rollback_are_intact_after_the_call(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    cur.execute(f"insert into {table} values (2, 'two')")
    cur.execute("savepoint before_three")
    cur.execute(f"insert into {table} values (3, 'three')")
    cur.execute(f"update {table} set v = 'uno' where id = 1")
    cur.execute(f"begin log_{n}('between'); end;")
    cur.execute("rollback to savepoint before_three")
    assert _rows(cur, f"select id, v from {table} order by id") == [(1, "one"), (2, "two")]
    assert cur.connection.transaction_in_progress
    cur.connection.rollback()
    assert _rows(cur, f"select id, v from {table} order by id") == [(1, "one")]
    assert _rows(cur, f"select msg from {log}") == [("between",)]


def test_package_subprogram_and_anonymous_block_with_the_pragma(cur: Any) -> None:
    table, log = _setup(cur)
    n = table[2:]
    cur.execute(f"create or replace package pkg_{n} is procedure note(m varchar2); end;")
    cur.execute(f"""create or replace package body pkg_{n} is
  procedure note(m varchar2) is
    pragma autonomous_transaction;
  begin
    insert into {log} values (m);
    commit;
  end;
end;""")
    assert cur.warning is None
    cur.execute(f"insert into {table} values (2, 'two')")
    cur.execute(f"begin pkg_{n}.note('from the package'); end;")
    cur.execute(f"""declare
  pragma autonomous_transaction;
  total number;
begin
  select count(*) into total from {table};
  insert into {log} values ('anonymous saw ' || total);
  commit;
end;""")
    assert cur.connection.transaction_in_progress
    cur.connection.rollback()
    assert _rows(cur, f"select count(*) from {table}") == [(1,)]
    assert sorted(_rows(cur, f"select msg from {log}")) == [("anonymous saw 1",), ("from the package",)]
