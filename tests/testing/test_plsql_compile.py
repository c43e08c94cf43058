"""An anonymous block is compiled whole before any of it runs, through python-oracledb 26.1
(thin): an undeclared name or a call that fits no declaration, even in a branch never taken, is
ORA-06550 (PLS-00201 / PLS-00306, then ``PL/SQL: Statement ignored``) and the block has no
effect, as Oracle's compiler reports before execution."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _table(cur: Any) -> str:
    name = f"PC{next(_names)}"
    cur.execute(f"create table {name} (n number)")
    return name


def _error(cur: Any, block: str) -> list[str]:
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(block)
    return [line for line in str(exc.value).splitlines() if not line.startswith("Help:")]


def _count(cur: Any, table: str) -> int:
    cur.execute(f"select count(*) from {table}")
    (n,) = cur.fetchone()
    return int(n)


def test_an_undeclared_name_in_a_branch_never_taken_fails_before_any_effect(cur: Any) -> None:
    table = _table(cur)
    assert _error(cur, f"""begin
  insert into {table} values (1);
  if 1 = 0 then
    no_such_var := 2;
  elsif 2 = 3 then
    insert into {table} values (missing_too);
  end if;
end;""") == [
        "ORA-06550: line 4, column 5:", "PLS-00201: identifier 'NO_SUCH_VAR' must be declared",
        "ORA-06550: line 4, column 5:", "PL/SQL: Statement ignored",
    ]
    assert _count(cur, table) == 0  # the INSERT before it never ran
    lines = _error(cur, f"""declare
  v number;
begin
  insert into {table} values (1);
  if v > 0 then
    v := v + undeclared;
  end if;
end;""")
    assert lines[:2] == ["ORA-06550: line 6, column 14:", "PLS-00201: identifier 'UNDECLARED' must be declared"]
    assert _count(cur, table) == 0


def test_calls_that_fit_no_declaration_fail_before_any_effect(cur: Any) -> None:
    table = _table(cur)
    cur.execute(f"create or replace procedure {table}_P (a number, b number default 0) is begin null; end;")
    assert _error(cur, f"""declare
  procedure local_p (x number) is begin null; end;
begin
  insert into {table} values (1);
  if sysdate < date '2000-01-01' then
    {table}_P(1, 2, 3);
    local_p();
    no_such_proc(1);
  end if;
end;""") == [
        "ORA-06550: line 6, column 5:", f"PLS-00306: wrong number or types of arguments in call to '{table}_P'",
        "ORA-06550: line 6, column 5:", "PL/SQL: Statement ignored",
        "ORA-06550: line 7, column 5:", "PLS-00306: wrong number or types of arguments in call to 'LOCAL_P'",
        "ORA-06550: line 7, column 5:", "PL/SQL: Statement ignored",
        "ORA-06550: line 8, column 5:", "PLS-00201: identifier 'NO_SUCH_PROC' must be declared",
        "ORA-06550: line 8, column 5:", "PL/SQL: Statement ignored",
    ]
    assert _count(cur, table) == 0


def test_blocks_whose_names_all_resolve_still_run(cur: Any) -> None:
    table = _table(cur)
    cur.execute(f"create or replace procedure {table}_P (a number, b number default 0) is "
                f"begin insert into {table} values (a + b); end;")
    cur.execute(f"create or replace function {table}_F return number is begin return 40; end;")
    out = cur.var(int)
    cur.execute(f"""declare
  type nums is table of number index by pls_integer;
  c nums;
  total number := 0;
  procedure later (x number);
  procedure add (x number) is begin later(x); end;
  procedure add (x number, y number) is begin later(x + y); end;
  procedure later (x number) is begin total := total + x; end;
  cursor cur_rows (lim number) is select n from {table} where n < lim;
begin
  {table}_P(1);
  {table}_P(b => 2, a => 0);
  for i in 1 .. 3 loop
    c(i) := i;
    add(c(i));
  end loop;
  add(1, 1);
  for r in cur_rows(10) loop
    total := total + r.n;
  end loop;
  begin
    raise_application_error(-20001, 'x');
  exception
    when others then total := total + sqlcode / sqlcode;
  end;
  :out := total + {table}_F + 0 * nvl(sql%rowcount, 0);
end;""", out=out)
    assert out.getvalue() == 6 + 2 + 3 + 1 + 40


def test_package_and_builtin_calls_are_checked_against_their_specifications(cur: Any) -> None:
    table = _table(cur)
    cur.execute(f"create or replace package {table}_K is procedure p (a number); procedure p (a number, b varchar2); "
                "end;")
    cur.execute(f"""create or replace package body {table}_K is
  procedure p (a number) is begin null; end;
  procedure p (a number, b varchar2) is begin null; end;
begin
  insert into {table} values (99);  -- the package's initialization: it must not run for the compile step
end;""")
    lines = _error(cur, f"""begin
  if 1 = 0 then
    {table}_K.p(1, 'x', 3);
    {table}_K.nope;
    dbms_output.put_line('a', 'b');
  end if;
end;""")
    assert lines[1::4] == [f"PLS-00306: wrong number or types of arguments in call to 'P'",
                           "PLS-00302: component 'NOPE' must be declared",
                           "PLS-00306: wrong number or types of arguments in call to 'PUT_LINE'"]
    assert _count(cur, table) == 0
    cur.execute(f"begin {table}_K.p(1); {table}_K.p(1, 'x'); dbms_output.put_line('a'); end;")
    assert _count(cur, table) == 1  # the first real call ran the initialization
