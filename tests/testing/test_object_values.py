"""Values of user-defined types in PL/SQL (runtime/objvalues.py on the interpreter's records and
collections): constructors, attributes, collection methods on stored VARRAY / nested table types,
member, static and constructor methods with SELF (from the TYPE BODY), ORA-06530, ORA-06531,
ORA-06532, ORA-04067 and PLS-00905, run on an engine session."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, Session
from tests.testing.plsql_helpers import fails, out


@pytest.fixture
def s(db: Database) -> Session:
    session = db.session(user="scott", sid=11, serial=22)
    for sql in ("create type udt_book as object (title varchar2(20), authors varchar2(30), price number(5,2))",
                "create type udt_shelf as varray(3) of udt_book",
                "create type udt_numbers as table of number",
                "create type udt_grid as varray(2) of udt_numbers"):
        session.execute(sql, (), bind_names=())
    return session


def test_object_constructor_attributes_and_assignment(s: Session) -> None:
    assert out(s, """declare b udt_book := udt_book('Tales', 'Ann', 9.499); c scott.udt_book;
    begin c := b; c.title := 'Other'; b.price := b.price * 2;
      :r := b.title || '/' || c.title || '/' || to_char(b.price) || '/' || c.authors; end;""") \
        == "Tales/Other/19/Ann"


def test_null_object_is_atomically_null(s: Session) -> None:
    assert out(s, "declare b udt_book; begin :r := case when b is null then 'null' end; end;") == "null"
    assert fails(s, "declare b udt_book; begin :r := b.title; end;").code == 6530
    assert fails(s, "declare b udt_book; begin b.title := 'x'; end;").code == 6530
    error = fails(s, "declare b udt_book; begin b := udt_book('a', 'b'); end;")
    assert error.code == 6550 and "PLS-00306" in error.message


def test_stored_collections_constructors_and_methods(s: Session) -> None:
    assert out(s, """declare n udt_numbers := udt_numbers(5, 6, 7); total number := 0;
      i pls_integer;
    begin n.extend; n(4) := 8; n.delete(2);
      i := n.first;
      while i is not null loop total := total + n(i); i := n.next(i); end loop;
      :r := n.count || ':' || total || ':' || n.last; end;""") == "3:20:4"
    assert out(s, """declare sh udt_shelf := udt_shelf(udt_book('a', 'x', 1), udt_book('b', 'y', 2));
    begin :r := sh.limit || sh(2).title || sh.count; end;""") == "3b2"
    assert out(s, "declare g udt_grid := udt_grid(udt_numbers(1, 2), udt_numbers()); begin "
                  ":r := g(1)(2) + g(2).count; end;") == 2
    assert fails(s, "declare sh udt_shelf := udt_shelf(null, null, null); begin sh.extend; end;").code == 6532
    assert fails(s, "declare n udt_numbers; begin n.extend; end;").code == 6531


def test_invalid_type_is_pls_00905_and_missing_is_pls_00201(s: Session) -> None:
    s.execute("create type udt_bad as object (x sys.xmltype)", (), bind_names=())
    error = fails(s, "declare b udt_bad; begin null; end;")
    assert error.code == 6550 and "PLS-00905" in error.message
    error = fails(s, "declare b udt_missing; begin null; end;")
    assert error.code == 6550 and "PLS-00201" in error.message


def test_member_static_and_constructor_methods_with_self(s: Session) -> None:
    s.execute("""create type udt_item as object (
        title varchar2(20), price number(5,2),
        member function label (prefix varchar2) return varchar2,
        member procedure discount (pct number),
        static function make (t varchar2) return udt_item,
        constructor function udt_item (self in out nocopy udt_item, t varchar2) return self as result)""",
              (), bind_names=())
    s.execute("""create type body udt_item as
        member function label (prefix varchar2) return varchar2 is
        begin return prefix || self.title || '@' || to_char(self.price); end;
        member procedure discount (pct number) is
        begin self.price := self.price * (100 - pct) / 100; end;
        static function make (t varchar2) return udt_item is
        begin return udt_item(t, 1); end;
        constructor function udt_item (self in out nocopy udt_item, t varchar2) return self as result is
        begin self.title := upper(t); self.price := 10; return; end;
    end;""", (), bind_names=())
    assert out(s, """declare a udt_item := udt_item('pen'); b udt_item := udt_item.make('ink');
    begin a.discount(20); :r := a.label('#') || ' ' || b.label('') || ' ' || a.title; end;""") \
        == "#PEN@8 ink@1 PEN"
    assert fails(s, "declare a udt_item; begin :r := a.label('x'); end;").code == 6530
    error = fails(s, "declare a udt_item := udt_item('x'); begin :r := a.nothing(1); end;")
    assert error.code == 6550 and "PLS-00302" in error.message


def test_method_without_a_body_is_ora_04067(s: Session) -> None:
    s.execute("create type udt_lonely as object (n number, member function twice return number)", (),
              bind_names=())
    assert fails(s, "declare x udt_lonely := udt_lonely(2); begin :r := x.twice(); end;").code == 4067


def test_attributes_named_without_self_inside_methods(s: Session) -> None:
    s.execute("""create type udt_counter as object (n number, step number,
        member procedure bump, member function peek (n number) return number)""", (), bind_names=())
    s.execute("""create type body udt_counter as
        member procedure bump is begin n := n + step; end;
        member function peek (n number) return number is begin return n * 100 + self.n; end;
    end;""", (), bind_names=())
    assert out(s, """declare c udt_counter := udt_counter(1, 2);
    begin c.bump; c.bump(); :r := c.n || '/' || c.peek(7); end;""") == "5/705"


def test_objects_through_stored_routines_collections_and_anchors(s: Session) -> None:
    for sql in ("create function price_of (b udt_book) return number is begin return b.price; end;",
                "create function make_book (t varchar2) return udt_book is begin return udt_book(t, null, 3); end;",
                "create procedure set_price (b in out udt_book, p number) is begin b.price := p; end;"):
        s.execute(sql, (), bind_names=())
    assert out(s, """declare b udt_book := make_book('zz'); begin set_price(b, 7);
      :r := b.title || price_of(b); end;""") == "zz7"
    assert out(s, """declare sh udt_shelf := udt_shelf(udt_book('a', 'x', 1), null);
      type by_name is table of udt_book index by varchar2(10); m by_name; one udt_book; t one.title%type;
    begin sh(1).title := 'q'; m('k') := sh(1); t := m('k').title || sh.count; :r := t; end;""") == "q2"
    assert fails(s, "declare sh udt_shelf := udt_shelf(null); begin :r := sh(1).title; end;").code == 6530
    assert fails(s, "declare sh udt_shelf := udt_shelf(null); begin sh(1).title := 'z'; end;").code == 6530
    assert fails(s, "declare b udt_book := udt_book('a', 'b', 1234.5); begin null; end;").code == 6502


def test_subtype_values_and_not_instantiable_supertype(s: Session) -> None:
    s.execute("create type udt_shape as object (name varchar2(10)) not instantiable not final", (), bind_names=())
    s.execute("create type udt_circle under udt_shape (radius number)", (), bind_names=())
    assert out(s, "declare c udt_circle := udt_circle('c1', 2); begin :r := c.name || c.radius; end;") == "c12"
    error = fails(s, "declare x udt_shape := udt_shape('s'); begin null; end;")
    assert error.code == 6550 and "PLS-00713" in error.message


def test_objects_compare_through_map_or_order_methods(s: Session) -> None:
    s.execute("create type udt_money as object (cents number, map member function amount return number)", (),
              bind_names=())
    s.execute("create type body udt_money as map member function amount return number is begin "
              "return cents / 100; end; end;", (), bind_names=())
    s.execute("""create type udt_version as object (major number, minor number,
        order member function cmp (other udt_version) return number)""", (), bind_names=())
    s.execute("""create type body udt_version as order member function cmp (other udt_version) return number is
        begin return (major - other.major) * 1000 + minor - other.minor; end; end;""", (), bind_names=())
    assert out(s, """declare a udt_money := udt_money(150); b udt_money := udt_money(99);
      v1 udt_version := udt_version(1, 10); v2 udt_version := udt_version(1, 9);
      r varchar2(10);
    begin
      if a > b then r := 'gt'; end if;
      if a = udt_money(150) then r := r || 'eq'; end if;
      if v1 > v2 and not v2 = v1 then r := r || 'ok'; end if;
      :r := r;
    end;""") == "gteqok"
    error = fails(s, "declare a udt_book := udt_book('a', 'b', 1); begin if a = a then null; end if; end;")
    assert error.code == 6550 and "PLS-00526" in error.message
