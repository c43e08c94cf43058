"""Triggers beyond plain BEFORE / AFTER ones, through python-oracledb 26.1 (thin): statement
triggers under array DML (executemany, FORALL), INSTEAD OF, FOLLOWS, CALL, compound triggers,
UPDATING('col') and ORA-04091."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _tables(cur: Any) -> tuple[str, str]:
    n = next(_names)
    table, log = f"TK{n}", f"TKLOG{n}"
    cur.execute(f"create table {table} (id number primary key, name varchar2(20))")
    cur.execute(f"create table {log} (seq number, msg varchar2(60))")
    cur.execute(f"create sequence {log}_S")
    return table, log


def _log(cur: Any, log: str) -> list[str]:
    cur.execute(f"select msg from {log} order by seq")
    return [m for (m,) in cur.fetchall()]


def _logging_triggers(cur: Any, table: str, log: str) -> None:
    """A statement trigger of each timing and an AFTER row trigger, each writing to ``log``."""
    for timing in ("BEFORE", "AFTER"):
        cur.execute(f"""create trigger {table}_{timing[0]}S {timing} insert or update or delete on {table}
begin
  insert into {log} values ({log}_s.nextval, '{timing.lower()} statement');
end;""")
    cur.execute(f"""create trigger {table}_AR after insert or update or delete on {table} for each row
begin
  insert into {log} values ({log}_s.nextval, 'row ' || nvl(:new.id, :old.id));
end;""")


def test_array_insert_fires_statement_triggers_once(cur: Any) -> None:
    """An executemany INSERT is one execution with array binds: its statement triggers fire once,
    before the first row and after the last.  Source: Oracle's array INSERT (FORALL or a client's
    array bind) runs as a single statement, so "the statement level triggers only fire once at
    the start and end of the bulk insert operation, but fire on a row-by-row basis for the bulk
    update and delete operations" (oracle-base.com, "Trigger timing points", bulk section; the
    same finding: orastory.wordpress.com 2011/01/17 "FORALL and STATEMENT level trigger")."""
    table, log = _tables(cur)
    _logging_triggers(cur, table, log)
    cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    assert cur.rowcount == 3
    assert _log(cur, log) == ["before statement", "row 1", "row 2", "row 3", "after statement"]


def test_array_update_and_delete_fire_statement_triggers_per_row(cur: Any) -> None:
    """An array UPDATE or DELETE runs once per bind row, each one a statement of its own (same
    sources as above)."""
    table, log = _tables(cur)
    cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (2, "b")])
    _logging_triggers(cur, table, log)
    cur.executemany(f"update {table} set name = 'x' where id = :1", [(1,), (2,)])
    assert _log(cur, log) == ["before statement", "row 1", "after statement",
                              "before statement", "row 2", "after statement"]


def test_forall_insert_is_one_statement_and_forall_update_one_per_index(cur: Any) -> None:
    """FORALL runs an INSERT as one array statement and an UPDATE or DELETE once per index
    (orastory.wordpress.com 2011/01/17 "FORALL and STATEMENT level trigger"; oracle-base.com,
    "Trigger timing points", bulk section)."""
    table, log = _tables(cur)
    _logging_triggers(cur, table, log)
    cur.execute(f"""declare
  type ids is table of number;
  v ids := ids(1, 2, 3);
begin
  forall i in 1 .. v.count insert into {table} values (v(i), 'n');
  forall i in 1 .. 2 update {table} set name = 'u' where id = v(i);
end;""")
    assert _log(cur, log) == ["before statement", "row 1", "row 2", "row 3", "after statement",
                              "before statement", "row 1", "after statement",
                              "before statement", "row 2", "after statement"]


def test_array_insert_with_batch_errors_fires_after_statement_once_at_the_end(cur: Any) -> None:
    table, log = _tables(cur)
    _logging_triggers(cur, table, log)
    cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (1, "dup"), (2, "b")], batcherrors=True)
    assert [e.offset for e in cur.getbatcherrors()] == [1]
    assert _log(cur, log) == ["before statement", "row 1", "row 2", "after statement"]


def test_array_insert_error_in_after_statement_trigger_undoes_every_row(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"""create trigger {table}_AS after insert on {table}
declare
  n number;
begin
  select count(*) into n from {table};
  if n > 2 then
    raise_application_error(-20005, 'too many: ' || n);
  end if;
end;""")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    assert str(exc.value).startswith("ORA-20005: too many: 3")
    cur.execute(f"select count(*) from {table}")
    assert cur.fetchone() == (0,)
    cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (2, "b")])
    cur.execute(f"select count(*) from {table}")
    assert cur.fetchone() == (2,)


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]  # ORA-nnnnn


def test_instead_of_triggers_make_a_view_writable(cur: Any) -> None:
    table, log = _tables(cur)
    view = f"{table}_V"
    cur.execute(f"create view {view} as select distinct id, upper(name) uname from {table}")
    with pytest.raises(oracledb.DatabaseError) as exc:  # not updatable, and no trigger yet
        cur.execute(f"insert into {view} (id, uname) values (1, 'x')")
    assert _code(exc) in ("ORA-01732", "ORA-01733")
    cur.execute(f"""create trigger {view}_IO instead of insert or update or delete on {view}
begin
  if inserting then
    insert into {table} values (:new.id, lower(:new.uname));
  elsif updating then
    update {table} set name = lower(:new.uname), id = :new.id where id = :old.id;
  else
    delete from {table} where id = :old.id;
  end if;
  insert into {log} values ({log}_s.nextval, 'io ' || nvl(:old.id, -1) || '>' || nvl(:new.id, -1));
end;""")
    cur.execute(f"insert into {view} (id, uname) values (1, 'ABC')")
    assert cur.rowcount == 1
    cur.executemany(f"insert into {view} (id, uname) values (:1, :2)", [(2, "B"), (3, "C")])
    cur.execute(f"update {view} set uname = 'Q', id = id + 10 where id >= 2")
    assert cur.rowcount == 2
    cur.execute(f"delete from {view} where id = 1")
    assert cur.rowcount == 1
    cur.execute(f"select id, name from {table} order by id")
    assert cur.fetchall() == [(12, "q"), (13, "q")]
    assert _log(cur, log) == ["io -1>1", "io -1>2", "io -1>3", "io 2>12", "io 3>13", "io 1>-1"]
    cur.execute("select trigger_type, base_object_type, instead_of_row, before_row from user_triggers "
                "where trigger_name = :1", [f"{view}_IO"])
    assert cur.fetchone() == ("INSTEAD OF", "VIEW", "YES", "NO")
    ident = cur.var(int)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {view} (id, uname) values (5, 'r') returning id into :1", [ident])
    assert _code(exc) == "ORA-22816"


def test_instead_of_trigger_errors(cur: Any) -> None:
    table, _ = _tables(cur)
    cur.execute(f"create view {table}_V as select * from {table}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_T instead of insert on {table} begin null; end;")
    assert _code(exc) == "ORA-25002"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_T before insert on {table}_V for each row begin null; end;")
    assert _code(exc) == "ORA-25001"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_T instead of insert on {table}_V when (new.id > 1) begin null; end;")
    assert _code(exc) == "ORA-25004"


def test_follows_orders_triggers_of_one_timing_point(cur: Any) -> None:
    table, log = _tables(cur)
    body = "begin insert into {log} values ({log}_s.nextval, '{name}'); end;"
    for name in ("A", "B"):
        cur.execute(f"create or replace trigger {table}_{name} before insert on {table} for each row "
                    + body.format(log=log, name=name))
    cur.execute(f"insert into {table} values (1, 'x')")
    cur.execute(f"create or replace trigger {table}_A before insert on {table} for each row follows {table}_B "
                + body.format(log=log, name="A"))
    cur.execute(f"insert into {table} values (2, 'x')")
    assert _log(cur, log) == ["A", "B", "B", "A"]
    cur.execute("select trigger_name from user_triggers where lower(description) like '%follows%'")
    assert cur.fetchall() == [(f"{table}_A",)]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_C before insert on {table} for each row precedes {table}_B begin null; "
                    "end;")
    assert _code(exc) == "ORA-25025"
    cur.execute(f"create trigger {table}_D before insert on {table} for each row follows {table}_NONE begin null; end;")
    assert cur.warning is not None  # created with compilation errors
    cur.execute("select status from user_objects where object_name = :1", [f"{table}_D"])
    assert cur.fetchone() == ("INVALID",)
    other, _ = _tables(cur)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {other}_E before insert on {other} for each row follows {table}_B begin null; end;")
    assert _code(exc) == "ORA-25021"


def test_call_trigger_and_updating_of_a_column(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"""create procedure {table}_P (p_id number, p_what varchar2) is
begin
  insert into {log} values ({log}_s.nextval, p_what || ' ' || p_id);
end;""")
    cur.execute(f"create trigger {table}_C after insert on {table} for each row call {table}_P(:new.id, 'called')")
    cur.execute(f"""create trigger {table}_U before update on {table} for each row
begin
  if updating('NAME') then
    {table}_P(:new.id, 'name');
  end if;
  if updating('id') then
    {table}_P(:new.id, 'id');
  end if;
end;""")
    cur.execute(f"insert into {table} values (1, 'x')")
    cur.execute(f"update {table} set name = 'y'")
    cur.execute(f"update {table} set id = 2, name = 'z'")
    assert _log(cur, log) == ["called 1", "name 1", "name 2", "id 2"]
    cur.execute("select action_type from user_triggers where trigger_name = :1", [f"{table}_C"])
    assert cur.fetchone() == ("CALL",)


def test_compound_trigger_sections_share_state_for_one_statement(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"""create trigger {table}_CT for insert or update on {table} compound trigger
  n number := 100;
  ids varchar2(100);
  before statement is
  begin
    n := n + 1;
  end before statement;
  before each row is
  begin
    :new.name := upper(:new.name);
  end before each row;
  after each row is
  begin
    n := n + 1;
    ids := ids || :new.id || ',';
  end after each row;
  after statement is
  begin
    insert into {log} values ({log}_s.nextval, case when inserting then 'ins ' else 'upd ' end || n || ' ' || ids);
  end after statement;
end {table}_CT;""")
    assert cur.warning is None
    cur.execute(f"insert into {table} select level, 'n' || level from dual connect by level <= 3")
    cur.execute(f"update {table} set name = 'm' where id < 3")
    cur.executemany(f"insert into {table} values (:1, :2)", [(7, "a"), (8, "b")])
    assert _log(cur, log) == ["ins 104 1,2,3,", "upd 103 1,2,", "ins 103 7,8,"]
    cur.execute(f"select name from {table} order by id")
    assert cur.fetchall() == [("M",), ("M",), ("N3",), ("A",), ("B",)]
    cur.execute("select trigger_type, before_statement, before_row, after_row, after_statement from user_triggers "
                "where trigger_name = :1", [f"{table}_CT"])
    assert cur.fetchone() == ("COMPOUND", "YES", "YES", "YES", "YES")


def test_row_trigger_touching_its_own_table_is_ora_04091(cur: Any) -> None:
    """A row trigger may not query or change the table its statement changes (the table is
    mutating), except for a single-row INSERT ... VALUES; statement triggers may."""
    table, log = _tables(cur)
    cur.execute(f"""create trigger {table}_AR after insert or update on {table} for each row
declare
  n number;
begin
  select count(*) into n from {table};
  insert into {log} values ({log}_s.nextval, 'count ' || n);
end;""")
    cur.execute(f"insert into {table} values (1, 'a')")  # one row of VALUES: allowed
    assert _log(cur, log) == ["count 1"]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"update {table} set name = 'b'")
    assert str(exc.value).splitlines()[:3] == [
        f"ORA-04091: table SCOTT.{table} is mutating, trigger/function may not see it",
        f'ORA-06512: at "SCOTT.{table}_AR", line 4',
        f"ORA-04088: error during execution of trigger 'SCOTT.{table}_AR'"]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {table} select 2, 'c' from dual")
    assert _code(exc) == "ORA-04091"
    cur.execute(f"select id, name from {table}")
    assert cur.fetchall() == [(1, "a")]  # the failed statements changed nothing
    cur.execute(f"drop trigger {table}_AR")
    cur.execute(f"""create trigger {table}_AS after update on {table}
declare
  n number;
begin
  select count(*) into n from {table};
  insert into {log} values ({log}_s.nextval, 'statement ' || n);
end;""")
    cur.execute(f"update {table} set name = 'b'")
    assert _log(cur, log) == ["count 1", "statement 1"]
