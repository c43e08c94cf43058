"""DML triggers in the embedded server, through python-oracledb 26.1 (thin): BEFORE / AFTER, row
and statement triggers, :NEW / :OLD, INSERTING / UPDATING / DELETING, WHEN and UPDATE OF, ALTER
TRIGGER ENABLE / DISABLE, DROP TRIGGER, USER_TRIGGERS, and errors as Oracle reports them."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _tables(cur: Any) -> tuple[str, str]:
    n = next(_names)
    table, log = f"TG{n}", f"TGLOG{n}"
    cur.execute(f"create table {table} (id number primary key, name varchar2(20), note varchar2(30), "
                "n number default 5)")
    cur.execute(f"create table {log} (seq number, msg varchar2(60))")
    return table, log


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]  # ORA-nnnnn


def test_before_row_trigger_changes_new_and_sees_old_and_the_event(cur: Any) -> None:
    table, _ = _tables(cur)
    cur.execute(f"""create or replace trigger {table}_BIU before insert or update on {table} for each row
begin
  :new.name := upper(:new.name);
  :new.note := case when inserting then 'ins' when updating then 'upd' end || ':' || :old.name;
end;""")
    assert cur.warning is None
    cur.execute(f"insert into {table} (id, name) values (1, 'abc')")
    cur.executemany(f"insert into {table} (id, name) values (:1, :2)", [(2, "x"), (3, "y")])
    cur.execute(f"update {table} set name = name || '!' where id >= 2")
    assert cur.rowcount == 2
    cur.execute(f"select id, name, note, n from {table} order by id")
    assert cur.fetchall() == [(1, "ABC", "ins:", 5), (2, "X!", "upd:X", 5), (3, "Y!", "upd:Y", 5)]
    ident = cur.var(int)
    name = cur.var(str)
    cur.execute(f"insert into {table} (id, name) values (4, 'ret') returning id, name into :1, :2", [ident, name])
    assert (ident.getvalue(), name.getvalue()) == ([4], ["RET"])  # RETURNING sees the trigger's value


def test_statement_triggers_fire_once_and_row_triggers_per_row_with_when(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"create sequence {log}_S")
    cur.execute(f"""create trigger {table}_AS after insert or update or delete on {table}
begin
  insert into {log} values ({log}_s.nextval, 'statement');
end;""")
    cur.execute(f"""create trigger {table}_AD after delete on {table} for each row when (old.id > 1)
begin
  insert into {log} values ({log}_s.nextval, 'deleted ' || :old.id || ' ' || :old.name);
end;""")
    cur.execute(f"insert into {table} (id, name) select level, 'n' || level from dual connect by level <= 3")
    cur.execute(f"delete from {table}")
    assert cur.rowcount == 3
    cur.execute(f"select msg from {log} order by seq")
    assert cur.fetchall() == [("statement",), ("deleted 2 n2",), ("deleted 3 n3",), ("statement",)]


def test_update_of_columns_and_enable_disable_drop(cur: Any) -> None:
    table, log = _tables(cur)
    trigger = f"{table}_BU"
    cur.execute(f"insert into {table} (id, name, note) values (1, 'a', 'x')")
    cur.execute(f"""create trigger {trigger} before update of note on {table} for each row
begin
  insert into {log} values (:new.id, :old.note || '>' || :new.note);
end;""")
    cur.execute(f"update {table} set name = 'b'")
    cur.execute(f"update {table} set note = 'y'")
    cur.execute(f"alter trigger {trigger} disable")
    cur.execute(f"update {table} set note = 'z'")
    cur.execute("select status from user_triggers where trigger_name = :1", [trigger])
    assert cur.fetchall() == [("DISABLED",)]
    cur.execute(f"alter trigger {trigger} enable")
    cur.execute(f"update {table} set note = 'w'")
    cur.execute(f"select msg from {log} order by msg")
    assert cur.fetchall() == [("x>y",), ("z>w",)]
    cur.execute(f"drop trigger {trigger}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"drop trigger {trigger}")
    assert _code(exc) == "ORA-04080"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter trigger {trigger} enable")
    assert _code(exc) == "ORA-04080"


def test_user_triggers_rows(cur: Any) -> None:
    table, _ = _tables(cur)
    trigger = f"{table}_T"
    cur.execute(f"""create trigger {trigger}
  before insert or update of name, note on {table}
  for each row when (new.id > 10)
begin
  :new.n := 1;
end;""")
    cur.execute("select trigger_type, triggering_event, table_owner, base_object_type, table_name, column_name, "
                "referencing_names, when_clause, status, action_type, before_row, after_statement "
                "from user_triggers where trigger_name = :1", [trigger])
    assert cur.fetchall() == [("BEFORE EACH ROW", "INSERT OR UPDATE", "SCOTT", "TABLE", table, "NAME, NOTE",
                               "REFERENCING NEW AS NEW OLD AS OLD", "new.id > 10", "ENABLED", "PL/SQL     ", "YES",
                               "NO")]
    cur.execute("select object_type, status from user_objects where object_name = :1", [trigger])
    assert cur.fetchall() == [("TRIGGER", "VALID")]
    cur.execute("select text from user_source where name = :1 and line = 1", [trigger])
    assert cur.fetchall() == [(f"trigger {trigger}\n",)]


def test_referencing_renames_new_and_old(cur: Any) -> None:
    table, _ = _tables(cur)
    cur.execute(f"""create trigger {table}_R before update on {table}
  referencing new as nw old as od for each row when (nw.n > od.n)
begin
  :nw.note := 'up from ' || :od.n;
end;""")
    cur.execute(f"insert into {table} (id, n) values (1, 5)")
    cur.execute(f"update {table} set n = 9")
    cur.execute(f"update {table} set n = 2")
    cur.execute(f"select note, n from {table}")
    assert cur.fetchall() == [("up from 5", 2)]


def test_error_in_a_trigger_rolls_back_the_statement_with_oracle_lines(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"insert into {table} (id, name) values (1, 'kept')")  # the open transaction's own work
    cur.execute(f"""create trigger {table}_E after insert on {table} for each row
begin
  insert into {log} values (:new.id, rpad('x', :new.id * 20, 'x'));
end;""")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {table} (id, name) select level + 1, 'n' from dual connect by level <= 3")
    trigger = f"SCOTT.{table}_E"
    lines = str(exc.value).splitlines()
    assert lines[0].startswith("ORA-12899: value too large for column")
    assert lines[1:3] == [f'ORA-06512: at "{trigger}", line 2',  # the trigger's lines count from its body
                          f"ORA-04088: error during execution of trigger '{trigger}'"]
    cur.execute(f"select id from {table}")  # the rows 2 and 3 and their log rows are undone, 1 stays
    assert cur.fetchall() == [(1,)]
    cur.execute(f"select count(*) from {log}")
    assert cur.fetchone() == (0,)


def test_trigger_compile_errors_and_ddl_errors(cur: Any) -> None:
    table, _ = _tables(cur)
    bad = f"{table}_BAD"
    cur.execute(f"create trigger {bad} before insert on {table} for each row\nbegin\n  :new.nosuch := 1;\nend;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select line, position, text from user_errors where name = :1", [bad])
    assert cur.fetchall() == [(3, 18, "PLS-00049: bad bind variable 'NEW.NOSUCH'")]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {table} (id) values (1)")
    assert _code(exc) == "ORA-04098"
    cur.execute(f"drop trigger {bad}")
    cur.execute(f"create trigger {table}_AN after insert on {table} for each row begin :new.n := 1; end;")
    cur.execute("select text from user_errors where name = :1", [f"{table}_AN"])
    assert cur.fetchall() == [("ORA-04084: cannot change NEW values for this trigger type",)]
    cur.execute(f"drop trigger {table}_AN")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_W before insert on {table} when (new.id > 1) begin null; end;")
    assert _code(exc) == "ORA-04077"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_M before insert on {table}_MISSING for each row begin null; end;")
    assert _code(exc) == "ORA-00942"
    cur.execute(f"create view {table}_V as select * from {table}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create trigger {table}_V before insert on {table}_V for each row begin null; end;")
    assert _code(exc) == "ORA-25001"
    cur.execute(f"insert into {table} (id) values (1)")  # the failed CREATEs left nothing behind


def test_drop_table_drops_its_triggers(cur: Any) -> None:
    table, log = _tables(cur)
    cur.execute(f"create trigger {table}_D before insert on {table} for each row begin :new.n := 42; end;")
    cur.execute(f"create trigger {table}_X before insert on {table} for each row begin :new.note := 'x'; end;")
    cur.execute(f"alter trigger {table}_X disable")
    cur.execute(f"drop table {table}")
    cur.execute("select count(*) from user_triggers where table_name = :1", [table])
    assert cur.fetchone() == (0,)
    cur.execute(f"create table {table} (id number, n number, note varchar2(5))")
    cur.execute(f"insert into {table} (id) values (1)")
    cur.execute(f"select n, note from {table}")
    assert cur.fetchall() == [(None, None)]


def test_raise_application_error_in_a_trigger_and_if_predicates(cur: Any) -> None:
    table, log = _tables(cur)
    trigger = f"{table}_CHK"
    cur.execute(f"""create trigger {trigger} before insert or delete on {table} for each row
declare
  v_limit constant number := 10;
begin
  if inserting and :new.id > v_limit then
    raise_application_error(-20001, 'id ' || :new.id || ' over the limit');
  elsif deleting then
    insert into {log} values (:old.id, 'gone');
  end if;
end;""")
    cur.execute(f"insert into {table} (id) values (1)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {table} (id) values (11)")
    assert str(exc.value).splitlines()[:3] == [
        "ORA-20001: id 11 over the limit", f'ORA-06512: at "SCOTT.{trigger}", line 5',
        f"ORA-04088: error during execution of trigger 'SCOTT.{trigger}'"]
    cur.execute(f"delete from {table}")
    cur.execute(f"select seq, msg from {log}")
    assert cur.fetchall() == [(1, "gone")]
