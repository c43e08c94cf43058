"""PL/SQL declarations, types, records, collections and local subprograms
(runtime/plsql_decl.py, plsql_values.py, plsql_eval.py), run on an engine session."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.plsql_helpers import block, fails, out


@pytest.fixture
def s(db: Database) -> Session:
    session = db.session(user="scott", sid=11, serial=22)
    session.execute("create table emp (id number(6) primary key, name varchar2(10), sal number(8,2))", (),
                    bind_names=())
    session.execute("insert into emp values (1, 'ann', 1000.5)", (), bind_names=())
    return session


def test_variables_constants_and_defaults(s: Session) -> None:
    assert out(s, """declare
      a number := 2;  b constant varchar2(5) default 'x';  c pls_integer;  d date;
    begin :r := a || b || nvl(to_char(c), '-') || nvl2(d, 'd', '-'); end;""") == "2x--"


def test_nested_blocks_shadow_and_restore(s: Session) -> None:
    assert out(s, """declare x number := 1; begin
      declare x number := 2; y number := x * 10; begin :r := x + y; end;
      :r := :r + x;
    end;""") == 23


def test_constant_cannot_be_assigned(s: Session) -> None:
    e = fails(s, "declare c constant number := 1; begin c := 2; end;")
    assert e.code == 6550 and "PLS-00363" in e.message


def test_not_null_needs_a_value_and_keeps_it(s: Session) -> None:
    e = fails(s, "declare n number not null; begin null; end;")
    assert e.code == 6550 and "PLS-00218" in e.message
    e = fails(s, "declare n number not null := 1; begin n := null; end;")
    assert e.code == 6502


def test_varchar2_length_and_number_precision(s: Session) -> None:
    e = fails(s, "declare v varchar2(3); begin v := 'abcd'; end;")
    assert (e.code, e.message.splitlines()[0]) == (6502, "ORA-06502: PL/SQL: numeric or value error: character "
                                                         "string buffer too small")
    assert out(s, "declare i pls_integer; begin i := 2.6; :r := i; end;") == 3
    e = fails(s, "declare n number(3,1); begin n := 123.4; end;")
    assert e.code == 6502 and "precision" in e.message


def test_boolean_values(s: Session) -> None:
    assert out(s, """declare t boolean := true; f boolean := false; n boolean;
      begin if t and not f and n is null and not (n and t) is not null then :r := 'ok'; end if; end;""") == "ok"
    assert out(s, """declare t boolean := 1 < 2; n boolean;
      begin if t and (n or t) then :r := 'yes'; end if; end;""") == "yes"
    e = fails(s, "declare b boolean; begin b := 1; end;")
    assert "PLS-00382" in e.message


def test_type_anchors(s: Session) -> None:
    assert out(s, """declare n emp.name%type := 'abcdefghij'; m n%type; begin m := n; :r := m; end;""") == \
        "abcdefghij"
    e = fails(s, "declare n emp.name%type; begin n := 'abcdefghijk'; end;")
    assert e.code == 6502
    assert out(s, """declare r emp%rowtype; begin r.id := 5; r.name := 'bo'; r.sal := 2.345;
      :r := r.id || r.name || r.sal; end;""") == "5bo2.35"
    e = fails(s, "declare n nosuch.col%type; begin null; end;")
    assert e.code == 6550 and "PLS-00201" in e.message


def test_records_declared_and_copied(s: Session) -> None:
    assert out(s, """declare
      type pt is record (x number := 1, y number, tag varchar2(3) := 'p');
      a pt; b pt;
    begin
      a.y := 2; b := a; b.x := 9;
      :r := a.x || a.y || a.tag || '/' || b.x || b.y;
    end;""") == "12p/92"


def test_associative_arrays(s: Session) -> None:
    assert out(s, """declare
      type by_int is table of varchar2(10) index by pls_integer;
      type by_name is table of number index by varchar2(20);
      a by_int; m by_name; k varchar2(20); acc varchar2(100);
    begin
      a(10) := 'ten'; a(-1) := 'neg'; a(3) := 'three';
      m('b') := 2; m('a') := 1; m('c') := 3;
      k := m.first;
      while k is not null loop acc := acc || k || m(k); k := m.next(k); end loop;
      :r := a.count || a.first || a.last || a.next(3) || nvl(to_char(a.prior(-1)), '_') || acc
            || case when a.exists(3) then 'y' else 'n' end || case when a.exists(4) then 'y' else 'n' end;
    end;""") == "3-11010_a1b2c3yn"


def test_associative_array_missing_element_is_no_data_found(s: Session) -> None:
    e = fails(s, "declare type t is table of number index by pls_integer; a t; begin :r := a(1); end;", None)
    assert (e.code, e.message.splitlines()[0]) == (1403, "ORA-01403: no data found")


def test_nested_tables_constructor_extend_trim_delete(s: Session) -> None:
    assert out(s, """declare
      type nt is table of number;
      n nt := nt(10, 20, 30);
    begin
      n.extend(2); n(4) := 40; n.trim; n.delete(2);
      :r := n.count || ':' || n.first || ':' || n.last || ':' || n.next(1) || ':' || n(4);
    end;""") == "3:1:4:3:40"


def test_collection_errors(s: Session) -> None:
    assert fails(s, "declare type nt is table of number; n nt; begin n.extend; end;").code == 6531
    assert fails(s, "declare type nt is table of number; n nt := nt(1); begin :r := n(2); end;", None).code == 6533
    assert fails(s, "declare type nt is table of number; n nt := nt(1); begin :r := n(0); end;", None).code == 6532
    assert fails(s, "declare type v is varray(2) of number; a v := v(1, 2); begin a.extend; end;").code == 6532
    assert fails(s, "declare type v is varray(2) of number; a v; begin a := v(1, 2, 3); end;").code == 6532


def test_varray_limit_and_exists_on_null(s: Session) -> None:
    assert out(s, """declare type v is varray(5) of varchar2(3); a v := v('x'); b v;
      begin a.extend; a(2) := 'y';
        :r := a.limit || a.count || a(1) || a(2) || case when b.exists(1) then 'y' else 'n' end; end;""") == \
        "52xyn"


def test_collection_of_records(s: Session) -> None:
    assert out(s, """declare
      type pt is record (x number, y number);
      type pts is table of pt index by pls_integer;
      p pts;
    begin
      p(1).x := 1; p(1).y := 2; p(2) := p(1); p(2).x := 5;
      :r := p(1).x || p(1).y || p(2).x || p(2).y;
    end;""") == "1252"


def test_local_functions_recursive_and_in_expressions(s: Session) -> None:
    assert out(s, """declare
      function fact(n pls_integer) return number is
      begin if n <= 1 then return 1; end if; return n * fact(n - 1); end;
      function twice(v varchar2) return varchar2 is begin return v || v; end twice;
    begin
      if fact(4) > 3 then :r := fact(5) || twice('ab') || upper(twice('c')); end if;
    end;""") == "120ababCC"


def test_forward_declarations_and_out_parameters(s: Session) -> None:
    assert out(s, """declare
      function is_even(n number) return boolean;
      function is_odd(n number) return boolean is begin
        if n = 0 then return false; end if; return is_even(n - 1); end;
      function is_even(n number) return boolean is begin
        if n = 0 then return true; end if; return is_odd(n - 1); end;
      procedure split(s varchar2, head out varchar2, tail in out varchar2) is
      begin head := substr(s, 1, 1); tail := tail || substr(s, 2); end;
      h varchar2(5); t varchar2(10) := '>';
    begin
      split('xyz', h, t);
      :r := h || t || case when is_even(10) and is_odd(7) then 'ok' end;
    end;""") == "x>yzok"


def test_local_procedure_sees_enclosing_variables_and_binds(s: Session) -> None:
    assert block(s, """declare
      total number := 0;
      procedure add(n number) is begin total := total + n; :log := :log || n; end;
    begin
      add(1); add(2); :r := total;
    end;""", "", None) == {0: "12", 1: 3}


def test_wrong_arguments_to_local_procedure(s: Session) -> None:
    e = fails(s, "declare procedure p(a number) is begin null; end; begin p(1, 2); end;")
    assert e.code == 6550 and "PLS-00306" in e.message


def test_undeclared_identifier(s: Session) -> None:
    e = fails(s, "begin\n  :r := nosuch + 1;\nend;", None)
    assert e.code == 6550 and "PLS-00201: identifier 'NOSUCH' must be declared" in e.message
    assert e.message.startswith("ORA-06550: line 2, column 9:")


def test_stored_procedure_with_declarations_and_anchors(s: Session) -> None:
    s.execute("""create or replace procedure raise_sal(p_id emp.id%type, pct number) is
      r emp%rowtype;
      type hist is table of number index by pls_integer;
      h hist;
    begin
      h(1) := pct;
      update emp set sal = sal * (1 + h(1) / 100) where id = p_id;
    end;""", (), bind_names=())
    block(s, "begin raise_sal(1, 10); end;")
    rows = s.execute("select sal from emp where id = 1", (), bind_names=()).rows
    assert rows is not None and list(rows) == [(Decimal("1100.55"),)]


def test_records_inside_records(s: Session) -> None:
    assert out(s, """declare
      type pt is record (x number, y number);
      type seg is record (a pt, b pt, name varchar2(5));
      g seg;
    begin
      g.a.x := 1; g.a.y := 2; g.b := g.a; g.b.y := 7; g.name := 'ab';
      :r := g.a.x || g.a.y || g.b.x || g.b.y || g.name;
    end;""") == "1217ab"


def test_char_variables_are_blank_padded(s: Session) -> None:
    assert out(s, "declare c char(4) := 'ab'; begin :r := '[' || c || ']' || length(c); end;") == "[ab  ]4"


def test_named_arguments_inside_expressions(s: Session) -> None:
    assert out(s, """declare
      function f(a number, b number default 10, c varchar2 default 'x') return varchar2 is
      begin return a || '-' || b || '-' || c; end;
    begin
      if f(1, c => 'z') = '1-10-z' then :r := f(b => 2, a => 3); end if;
    end;""") == "3-2-x"
    assert fails(s, "begin :r := 'a' || substr(x => 'abc'); end;", None).code == 6550
    with pytest.raises(OraError) as info:
        s.execute("select substr(x => 'abc') from dual", (), bind_names=())
    assert info.value.code == 907


def test_overloaded_local_subprograms(s: Session) -> None:
    assert out(s, """declare
      function show(n number) return varchar2 is begin return 'n' || n; end;
      function show(v varchar2) return varchar2 is begin return 'v' || v; end;
      function show(a number, b number) return varchar2 is begin return 'ab' || (a + b); end;
      txt varchar2(5) := 'x';
    begin
      :r := show(1) || show('a') || show(txt) || show(2, 3) || show(b => 1, a => 1);
    end;""") == "n1vavxab5ab2"
    e = fails(s, """declare procedure p(n number) is begin null; end; procedure p(n number) is begin null; end;
      begin p(1); end;""")
    assert e.code == 6550 and "PLS-00305" in e.message


def test_char_compares_blank_padded_with_char_varchar2_does_not(s: Session) -> None:
    assert out(s, """declare c char(4) := 'ab'; v varchar2(4) := 'ab'; begin
      :r := case when c = 'ab' then 'y' else 'n' end;
      if c = 'ab' then :r := :r || 'y'; end if;
      if c <> v then :r := :r || 'd'; end if;
      case c when 'ab' then :r := :r || 'c'; end case;
    end;""") == "yydc"
