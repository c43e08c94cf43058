"""Triggers beyond plain BEFORE / AFTER ones, through python-oracledb 26.1 (thin): statement
triggers under array DML (executemany)."""

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
