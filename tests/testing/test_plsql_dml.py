"""DML inside PL/SQL blocks: variables become binds, a column wins over a variable of the same
name, RETURNING INTO fills variables and fields (runtime/plsql_run.py, plsql_eval.py to_sql)."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, Session
from tests.testing.plsql_helpers import out


@pytest.fixture
def s(db: Database) -> Session:
    session = db.session(user="scott", sid=11, serial=22)
    session.execute("create table t (id number, name varchar2(10))", (), bind_names=())
    return session


def rows(s: Session) -> list[tuple[object, ...]]:
    result = s.execute("select id, name from t order by id", (), bind_names=())
    assert result.rows is not None
    return list(result.rows)


def test_loop_inserts_with_variables_and_functions(s: Session) -> None:
    out(s, """declare
      type names is table of varchar2(10) index by pls_integer;
      n names;
      function label(i number) return varchar2 is begin return 'row' || i; end;
    begin
      n(1) := 'one'; n(2) := 'two';
      for i in 1..2 loop insert into t values (i, n(i)); end loop;
      insert into t values (3, label(3));
    end;""")
    assert rows(s) == [(1, "one"), (2, "two"), (3, "row3")]


def test_a_column_wins_over_a_variable_of_the_same_name(s: Session) -> None:
    s.execute("insert into t values (1, 'a')", (), bind_names=())
    s.execute("insert into t values (2, 'b')", (), bind_names=())
    assert out(s, """declare id number := 1; suffix varchar2(3) := '!'; begin
      update t set name = name || suffix where id = id;
      :r := (select count(*) from t where name like '%!');
    end;""") == 2


def test_returning_into_variables_and_record_fields(s: Session) -> None:
    assert out(s, """declare
      type pair is record (id number, name varchar2(10));
      p pair; v number;
    begin
      insert into t values (7, 'seven') returning id, name into p.id, p.name;
      update t set id = id + 1 where id = p.id returning id into v;
      :r := p.id || p.name || v;
    end;""") == "7seven8"
