"""PL/SQL array binds (python-oracledb's ``cursor.arrayvar``) to collection
parameters, and ``dbms_output.get_lines`` into one, on the embedded server."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

_SPEC = """create or replace package arr as
  type strs is table of varchar2(5) index by binary_integer;
  type nums is table of number index by binary_integer;
  type nt is table of varchar2(5);
  function total(a strs) return number;
  function nulls(a strs) return number;
  function nt_count(a nt) return number;
  procedure fill(n number, a out strs);
  procedure sparse(a out strs);
  procedure doubled(a in out nums);
  procedure below_one(a out strs);
end;"""

_BODY = """create or replace package body arr as
  function total(a strs) return number is s number := 0;
  begin for i in 1..a.count loop s := s + nvl(length(a(i)), 100); end loop; return s; end;
  function nulls(a strs) return number is n number := 0;
  begin for i in 1..a.count loop if a(i) is null then n := n + 1; end if; end loop; return n; end;
  function nt_count(a nt) return number is begin return a.count; end;
  procedure fill(n number, a out strs) is begin for i in 1..n loop a(i) := 'x' || i; end loop; end;
  procedure sparse(a out strs) is begin a(1) := 'a'; a(3) := 'c'; end;
  procedure doubled(a in out nums) is
  begin for i in 1..a.count loop a(i) := a(i) * 2; end loop; a(a.count + 1) := -1; end;
  procedure below_one(a out strs) is begin a(0) := 'zero'; end;
end;"""


@pytest.fixture
def arr(cur: Any) -> Any:
    cur.execute(_SPEC)
    cur.execute(_BODY)
    return cur


def test_in_array_to_package_function(arr: Any) -> None:
    values = arr.arrayvar(str, ["ab", "cde"], 10)
    assert arr.callfunc("arr.total", int, [values]) == 5


def test_in_array_to_nested_table(arr: Any) -> None:
    values = arr.arrayvar(str, ["a", "b", "c"], 10)
    assert arr.callfunc("arr.nt_count", int, [values]) == 3


def test_out_array_from_procedure(arr: Any) -> None:
    out = arr.arrayvar(str, 10, 10)
    arr.callproc("arr.fill", [3, out])
    assert out.getvalue() == ["x1", "x2", "x3"]


def test_out_array_unassigned_subscripts_are_null(arr: Any) -> None:
    out = arr.arrayvar(str, 10, 10)
    arr.callproc("arr.sparse", [out])
    assert out.getvalue() == ["a", None, "c"]


def test_in_out_array(arr: Any) -> None:
    values = arr.arrayvar(int, 10)  # room for 10 elements, 3 given
    values.setvalue(0, [1, 2, 3])
    arr.callproc("arr.doubled", [values])
    assert values.getvalue() == [2, 4, 6, -1]


def test_null_elements_stay_null(arr: Any) -> None:
    values = arr.arrayvar(str, ["a", None, None, "b"], 10)
    assert arr.callfunc("arr.nulls", int, [values]) == 2


def test_element_too_long_is_ora_06502(arr: Any) -> None:
    values = arr.arrayvar(str, ["ok", "toolong"], 10)
    with pytest.raises(oracledb.DatabaseError, match="ORA-06502"):
        arr.callfunc("arr.total", int, [values])


def test_more_elements_than_the_host_array_holds_is_ora_06513(arr: Any) -> None:
    out = arr.arrayvar(str, 2, 10)
    with pytest.raises(oracledb.DatabaseError, match="ORA-06513"):
        arr.callproc("arr.fill", [3, out])


def test_subscript_below_one_is_ora_06513(arr: Any) -> None:
    out = arr.arrayvar(str, 5, 10)
    with pytest.raises(oracledb.DatabaseError, match="ORA-06513"):
        arr.callproc("arr.below_one", [out])


def test_array_where_a_scalar_is_expected_is_pls_00382(cur: Any) -> None:
    values = cur.arrayvar(str, ["a"], 10)
    with pytest.raises(oracledb.DatabaseError, match="PLS-00382"):
        cur.execute("declare v varchar2(10); begin v := :a; end;", a=values)


def _put_lines(cur: Any, count: int) -> None:
    cur.callproc("dbms_output.enable")
    cur.execute("begin for i in 1..:n loop dbms_output.put_line('line ' || i); end loop; end;", n=count)


def test_get_lines_in_chunks(cur: Any) -> None:
    _put_lines(cur, 25)
    chunk = 10
    lines_var = cur.arrayvar(str, chunk)
    num_lines_var = cur.var(int)
    read: list[str] = []
    counts = []
    while True:
        num_lines_var.setvalue(0, chunk)
        cur.callproc("dbms_output.get_lines", (lines_var, num_lines_var))
        num_lines = num_lines_var.getvalue()
        counts.append(num_lines)
        read.extend(lines_var.getvalue()[:num_lines])
        if num_lines < chunk:
            break
    assert counts == [10, 10, 5]
    assert read == [f"line {i}" for i in range(1, 26)]


def test_get_lines_disabled_or_empty_reads_nothing(cur: Any) -> None:
    lines_var = cur.arrayvar(str, 5)
    num_lines_var = cur.var(int)
    num_lines_var.setvalue(0, 5)
    cur.callproc("dbms_output.get_lines", (lines_var, num_lines_var))  # never enabled
    assert num_lines_var.getvalue() == 0
    assert lines_var.getvalue() == []
    cur.callproc("dbms_output.enable")
    num_lines_var.setvalue(0, 5)
    cur.callproc("dbms_output.get_lines", (lines_var, num_lines_var))  # enabled, empty
    assert num_lines_var.getvalue() == 0


def test_get_lines_into_a_chararr_variable(cur: Any) -> None:
    _put_lines(cur, 3)
    out = cur.var(str)
    cur.execute("""declare l dbms_output.chararr; n integer := 2;
      begin dbms_output.get_lines(l, n); :out := n || ':' || l(1) || ',' || l(2); end;""", out=out)
    assert out.getvalue() == "2:line 1,line 2"
