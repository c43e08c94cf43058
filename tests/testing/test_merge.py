"""MERGE and multi-table INSERT in the embedded server (issue 19): the SQL engine directly,
then python-oracledb 26.1 (thin) against EmbeddedServer."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError, Session
from oracle_sansio.statement import parse_statement


def run(session: Session, sql: str, *binds: object) -> Any:
    """A query's rows, or a statement's row count."""
    result = session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)
    return result.row_count if result.rows is None else list(result.rows)


def code(session: Session, sql: str, *binds: object) -> int:
    with pytest.raises(OraError) as info:
        run(session, sql, *binds)
    return info.value.code


@pytest.fixture
def s(scott: Session) -> Session:
    run(scott, "create table t (id number(3) primary key, name varchar2(5), n number(2) not null)")
    run(scott, "create table src (id number, name varchar2(10))")
    for i, name in [(1, "a"), (2, "b"), (3, "c")]:
        run(scott, "insert into t values (:1, :2, 0)", i, name)
    for i, name in [(2, "bb"), (3, "cc"), (4, "dd"), (5, "ee")]:
        run(scott, "insert into src values (:1, :2)", i, name)
    return scott


MERGE = """merge into t d using (select id, name from src where id > :lo) s on (d.id = s.id)
           when matched then update set d.name = s.name, n = d.n + 1 where s.id > 1 delete where d.id = 3
           when not matched then insert (id, name, n) values (s.id, s.name, :v) where s.id < 5"""


def test_merge_updates_deletes_and_inserts(s: Session) -> None:
    assert run(s, MERGE, 1, 7) == 3  # ids 2 and 3 updated, 4 inserted (3 then deleted, 5 left out)
    assert run(s, "select * from t order by id") == [(1, "a", 0), (2, "bb", 1), (4, "dd", 7)]


def test_merge_with_one_clause_and_a_table_source(s: Session) -> None:
    assert run(s, "merge into t using src on (t.id = src.id) when matched then update set n = 9") == 2
    assert run(s, "merge into t using src on (t.id = src.id) "
                  "when not matched then insert (id, name, n) values (src.id, 'new', 1)") == 2
    assert run(s, "select id, name, n from t order by id") == [
        (1, "a", 0), (2, "b", 9), (3, "c", 9), (4, "new", 1), (5, "new", 1)]


def test_an_inserted_row_is_not_deleted_by_delete_where(s: Session) -> None:
    """DELETE WHERE acts on the rows the MERGE updated, never on the rows it inserted."""
    assert run(s, "merge into t using src on (t.id = src.id) when matched then update set n = 1 "
                  "delete where src.id > 0 when not matched then insert values (src.id, 'x', 2)") == 4
    assert run(s, "select id from t order by id") == [(1,), (4,), (5,)]


@pytest.mark.parametrize(("sql", "expected"), [
    ("merge into t using src on (t.id = src.id) when matched then update set id = 3", 38104),
    ("merge into t using (select 2 id from dual union all select 2 from dual) s on (t.id = s.id) "
     "when matched then update set name = 'x'", 30926),
    ("merge into t using src on (t.id = src.id) when not matched then insert values (src.id, src.name || 'xxxx', 1)", 12899),
    ("merge into t using src on (t.id = src.id) when not matched then insert values (src.id * 1000, 'x', 1)", 1438),
    ("merge into t using src on (t.id = src.id) when not matched then insert (id) values (src.id)", 1400),
    ("merge into t using src on (t.id = src.id)", 905),
    ("merge into t using nosuch on (t.id = nosuch.id) when matched then update set n = 1", 942),
])
def test_merge_errors_change_nothing(s: Session, sql: str, expected: int) -> None:
    before = run(s, "select * from t order by id")
    assert code(s, sql) == expected
    assert run(s, "select * from t order by id") == before


def test_an_error_in_a_later_clause_undoes_the_earlier_ones(s: Session) -> None:
    assert code(s, "merge into t using src on (t.id = src.id) when matched then update set n = 5 "
                   "when not matched then insert (id) values (src.id)") == 1400
    assert run(s, "select n from t order by id") == [(0,), (0,), (0,)]


def test_merge_fires_the_row_triggers_of_update_and_insert(s: Session) -> None:
    run(s, "create table log (what varchar2(20))")
    run(s, "create trigger t_ar after insert or update on t for each row begin "
           "insert into log values (case when inserting then 'I' else 'U' end || :new.id); end;")
    run(s, "create sequence q start with 50")
    run(s, "merge into t using src on (t.id = src.id) when matched then update set n = 1 "
           "when not matched then insert values (q.nextval, 'x', 1)")
    assert sorted(r[0] for r in run(s, "select what from log")) == ["I50", "I51", "U2", "U3"]


@pytest.fixture
def shared() -> Any:
    db = Database(users={"alice", "bob"})
    alice = db.session(user="alice", sid=1, serial=1)
    run(alice, "create table a1 (x number)")
    run(alice, "create table a2 (x number)")
    run(alice, "grant select, insert on a1 to bob")
    run(alice, "grant select on a2 to bob")
    yield db, alice, db.session(user="bob", sid=2, serial=2)
    db.close()


def test_privileges_of_each_target_apply(shared: Any) -> None:
    """A user without INSERT on one target: ORA-01031 and nothing inserted anywhere."""
    _, alice, bob = shared
    assert code(bob, "insert all into alice.a1 values (1) into alice.a2 values (2) select 1 from dual") == 1031
    assert code(bob, "merge into alice.a2 using dual on (1 = 0) when not matched then insert values (1)") == 1031
    assert code(bob, "merge into alice.a1 using alice.nosuch s on (1 = 0) "
                     "when not matched then insert values (1)") == 942
    assert run(bob, "merge into alice.a1 t using (select 7 v from dual) s on (t.x = s.v) "
                    "when not matched then insert values (s.v)") == 1
    assert code(bob, "merge into alice.a1 t using (select 7 v from dual) s on (t.x = s.v) "
                     "when matched then update set x = 1") == 38104
    bob.commit()
    assert run(alice, "select x from a1") == [(7,)] and run(alice, "select x from a2") == []


def test_insert_all_reads_its_rows_before_inserting_and_in_chunks(s: Session) -> None:
    run(s, "create table many (x number)")
    run(s, "insert into many select level from dual connect by level <= 450")
    assert run(s, "insert all into many values (x + 1000) into many values (x + 2000) select x from many") == 900
    assert run(s, "select count(*), sum(x) from many") == [(1350, 450 * 451 // 2 * 3 + 450 * 3000)]


def test_insert_all_and_first(s: Session) -> None:
    run(s, "create table a1 (x number)")
    run(s, "create table a2 (x number, y varchar2(10))")
    assert run(s, "insert all into a1 values (id) into a2 (x, y) values (id, name) select id, name from src") == 8
    run(s, "delete from a1")
    run(s, "delete from a2")
    assert run(s, "insert first when id > 3 then into a1 values (id) when id > :1 then into a2 values (id, 'two') "
                  "else into a2 (x) values (-id) select id, name from src", 2) == 4
    assert run(s, "select * from a1 order by x") == [(4,), (5,)]
    assert run(s, "select * from a2 order by x") == [(-2, None), (3, "two")]
    assert run(s, "insert all when id > 3 then into a1 values (id) when id > 2 then into a1 values (id * 100) "
                  "else into a2 (x) values (-id) select id, name from src") == 6
    assert run(s, "select x from a1 order by x") == [(4,), (4,), (5,), (5,), (300,), (400,), (500,)]


def test_multi_table_insert_errors_change_nothing(s: Session) -> None:
    run(s, "create table a1 (x number(1))")
    assert code(s, "insert all into a1 values (1) into t (id) values (9) select 1 from dual") == 1400
    assert code(s, "insert all into a1 values (id) into a1 values (id * 3) select id from src") == 1438
    assert run(s, "select count(*) from a1") == [(0,)]
    assert code(s, "insert first into a1 values (1) select 1 from dual") == 933  # FIRST takes WHEN
    assert code(s, "insert all into a1 values (1) into a1 values (2)") == 928


# ----------------------------------------------------------------- python-oracledb

def test_merge_and_insert_all_through_python_oracledb(cur: Any) -> None:
    cur.execute("create table mt (id number primary key, v varchar2(3))")
    try:
        cur.execute("insert into mt values (1, 'a')")
        cur.execute("merge into mt t using (select :id id, :v v from dual) s on (t.id = s.id) "
                    "when matched then update set t.v = s.v when not matched then insert values (s.id, s.v)",
                    id=1, v="b")
        assert cur.rowcount == 1
        cur.executemany("merge into mt t using (select :1 id, :2 v from dual) s on (t.id = s.id) "
                        "when matched then update set t.v = s.v when not matched then insert values (s.id, s.v)",
                        [(2, "c"), (3, "d")])
        cur.execute("insert all into mt values (id + 10, v) into mt values (id + 20, v) select id, v from mt")
        assert cur.rowcount == 6
        cur.execute("select id, v from mt order by id")
        assert cur.fetchall() == [(1, "b"), (2, "c"), (3, "d"), (11, "b"), (12, "c"), (13, "d"),
                                  (21, "b"), (22, "c"), (23, "d")]
        with pytest.raises(oracledb.DatabaseError) as info:
            cur.execute("merge into mt t using (select 1 id from dual union all select 1 from dual) s "
                        "on (t.id = s.id) when matched then update set v = 'x'")
        assert str(info.value).startswith("ORA-30926")
        with pytest.raises(oracledb.DatabaseError) as info:
            cur.execute("merge into mt t using dual on (t.id = 1) when matched then update set id = 2")
        assert str(info.value).startswith("ORA-38104")
    finally:
        cur.connection.rollback()
        cur.execute("drop table mt")


def test_privileges_through_python_oracledb() -> None:
    with EmbeddedServer(users={"alice": "a", "bob": "b"}).threaded() as server:
        alice = oracledb.connect(user="alice", password="a", dsn=server.dsn)
        bob = oracledb.connect(user="bob", password="b", dsn=server.dsn)
        try:
            ac = alice.cursor()
            ac.execute("create table p1 (x number)")
            ac.execute("create table p2 (x number)")
            ac.execute("grant insert on p1 to bob")
            with pytest.raises(oracledb.DatabaseError) as info:
                bob.cursor().execute("insert all into alice.p1 values (1) into alice.p2 values (1) "
                                     "select 1 from dual")
            assert str(info.value).startswith("ORA-00942")
            bob.commit()
            ac.execute("select count(*) from p1")
            assert ac.fetchone() == (0,)
        finally:
            bob.close()
            alice.close()
