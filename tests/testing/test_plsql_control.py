"""PL/SQL control flow: IF, CASE, LOOP / WHILE / FOR with labels, EXIT and CONTINUE
(runtime/plsql_run.py), run on an engine session."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.plsql_helpers import fails, out


@pytest.fixture
def s(db: Database) -> Session:
    return db.session(user="scott", sid=11, serial=22)


def test_if_elsif_else(s: Session) -> None:
    sql = """declare n number := {}; begin
      if n < 0 then :r := 'neg'; elsif n = 0 then :r := 'zero'; elsif n is null then :r := 'null';
      else :r := 'pos'; end if; end;"""
    assert [out(s, sql.format(v)) for v in ("-1", "0", "null", "5")] == ["neg", "zero", "null", "pos"]


def test_conditions_on_plsql_values(s: Session) -> None:
    assert out(s, """declare a number := 5; b varchar2(5) := 'abc'; n number;
      function f(x number) return number is begin return x * 2; end;
    begin
      if a between 1 and 10 and b in ('x', 'abc') and b like 'a_c' and (not (n > 1)) is null
         and (n = 1 or a = 5) and f(a) > 3 and n is null then :r := 'all'; end if;
    end;""") == "all"


def test_case_statement_simple_and_searched(s: Session) -> None:
    assert out(s, """declare g char(1) := 'B'; acc varchar2(20); begin
      case g when 'A' then acc := 'a'; when 'B' then acc := 'b'; else acc := '?'; end case;
      case when length(acc) > 3 then acc := acc || 'long'; when acc = 'b' then acc := acc || '!'; end case;
      :r := acc; end;""") == "b!"


def test_case_not_found(s: Session) -> None:
    e = fails(s, "declare n number := 3; begin case n when 1 then null; end case; end;")
    assert (e.code, e.message.splitlines()[0]) == (6592, "ORA-06592: CASE not found while executing CASE "
                                                         "statement")


def test_loop_exit_and_continue(s: Session) -> None:
    assert out(s, """declare i number := 0; acc varchar2(50); begin
      loop
        i := i + 1;
        continue when mod(i, 2) = 0;
        exit when i > 7;
        acc := acc || i;
      end loop;
      :r := acc; end;""") == "1357"


def test_labels_exit_outer_loop(s: Session) -> None:
    assert out(s, """declare acc varchar2(50); begin
      <<outer>> for i in 1..3 loop
        for j in 1..3 loop
          continue outer when j > i;
          acc := acc || i || j || ' ';
          exit outer when i = 3 and j = 2;
        end loop;
      end loop outer;
      :r := acc; end;""") == "11 21 22 31 32 "


def test_while_loop(s: Session) -> None:
    assert out(s, """declare n number := 1; begin while n < 100 loop n := n * 3; end loop; :r := n; end;""") == 243


def test_numeric_for_reverse_and_bounds_evaluated_once(s: Session) -> None:
    assert out(s, """declare hi number := 3; acc varchar2(20); begin
      for i in reverse 1..hi loop hi := 10; acc := acc || i; end loop;
      for i in 5..1 loop acc := acc || 'never'; end loop;
      :r := acc; end;""") == "321"


def test_for_index_is_local_and_read_only(s: Session) -> None:
    assert out(s, "declare i number := 42; begin for i in 1..2 loop null; end loop; :r := i; end;") == 42
    e = fails(s, "begin for i in 1..2 loop i := 5; end loop; end;")
    assert e.code == 6550 and "PLS-00363" in e.message


def test_for_with_null_bound(s: Session) -> None:
    assert fails(s, "declare n number; begin for i in 1..n loop null; end loop; end;").code == 6502


def test_exit_outside_a_loop(s: Session) -> None:
    assert fails(s, "begin exit; end;").code == 6550


def test_nested_block_with_label_and_goto_refused(s: Session) -> None:
    assert out(s, "begin <<inner>> declare x number := 4; begin :r := x; end inner; end;") == 4
    assert fails(s, "begin goto done; end;").code == 900


def test_exponentiation_is_plsql_only(s: Session) -> None:
    assert out(s, "declare x number := 2; begin :r := x ** 3 + -2 ** 2 + 4 ** 0.5; end;") == 6
    with pytest.raises(OraError) as info:
        s.execute("select 2 ** 3 from dual", (), bind_names=())
    assert info.value.code == 936
