"""Schemas and privileges in the embedded server (issue 12, item 3): deny by default.

Each user owns a schema and uses only its own objects; another schema's table, view,
sequence, index or routine behaves as if it did not exist (ORA-00942, ORA-02289,
ORA-01418, PLS-00201), through every path that names it.  Admins read the DBA_ and V$
views and use every schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError, Session
from oracle_sansio.statement import parse_statement


def run(session: Session, sql: str, *binds: object) -> list[tuple[object, ...]] | None:
    result = session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)
    return None if result.rows is None else list(result.rows)


def code(session: Session, sql: str, *binds: object) -> int:
    with pytest.raises(OraError) as info:
        run(session, sql, *binds)
    return info.value.code


@pytest.fixture
def shared() -> Iterator[Database]:
    db = Database(users={"alice", "bob", "boss"}, admins={"boss"})
    alice = db.session(user="alice", sid=1, serial=1)
    run(alice, "create table secret (id number primary key, v varchar2(10))")
    run(alice, "insert into secret values (1, 'gold')")
    run(alice, "commit")
    run(alice, "create sequence s")
    run(alice, "create index secret_v on secret (v)")
    run(alice, "comment on table secret is 'mine'")
    run(alice, "create procedure p is begin null; end;")
    yield db
    db.close()


@pytest.fixture
def alice(shared: Database) -> Session:
    return shared.session(user="alice", sid=2, serial=2)


@pytest.fixture
def bob(shared: Database) -> Session:
    session = shared.session(user="bob", sid=3, serial=3)
    run(session, "create table mine (id number, v varchar2(10))")
    return session


# ---- another user's table: every path says ORA-00942 --------------------------------------------

@pytest.mark.parametrize("sql", [
    "select * from alice.secret",
    'select * from "ALICE"."SECRET"',
    "select v from alice.secret where id = 1",
    "select count(*) from alice.secret",
    "select (select count(*) from alice.secret) from dual",
    "select 1 from dual where exists (select 1 from alice.secret)",
    "select 1 from dual where 1 in (select id from alice.secret)",
    "select * from (select * from alice.secret)",
    "select * from mine m join alice.secret s on m.id = s.id",
    "select * from mine, alice.secret",
    "select * from mine m, alice.secret s where m.id = s.id(+)",
    "select id from mine union all select id from alice.secret",
    "select * from alice.secret for update",
    "insert into alice.secret values (2, 'x')",
    "insert into alice.secret (id) values (2) returning id into :r",
    "insert into mine select * from alice.secret",
    "update alice.secret set v = 'lead'",
    "update alice.secret set v = 'lead' returning v into :r",
    "update mine set v = (select v from alice.secret where id = 1)",
    "delete from alice.secret",
    "delete from alice.secret returning v into :r",
    "drop table alice.secret",
    "drop table alice.secret cascade constraints",
    "truncate table alice.secret",
    "create index bob_ix on alice.secret (v)",
    "comment on table alice.secret is 'x'",
    "comment on column alice.secret.v is 'x'",
    "create table stolen (x number, foreign key (x) references alice.secret (id))",
    "begin insert into alice.secret values (3, 'z'); end;",
    "begin delete from alice.secret; end;",
    "select * from dba_tables",
    "select * from dba_tab_columns",
    "select * from dba_sequences",
    "select sid from v$session",
    "select sid from sys.v_$session",
    "select sid from gv$session",
])
def test_other_users_table_is_missing(bob: Session, sql: str) -> None:
    binds: tuple[object, ...] = (None,) if ":r" in sql else ()
    assert code(bob, sql, *binds) == 942
    assert run(bob, "select count(*) from mine") == [(0,)]


def test_a_missing_and_a_forbidden_table_look_the_same(bob: Session) -> None:
    with pytest.raises(OraError) as forbidden:
        run(bob, "select * from alice.secret")
    with pytest.raises(OraError) as missing:
        run(bob, "select * from alice.nothing")
    assert forbidden.value.message == missing.value.message


def test_drop_if_exists_of_other_users_table_changes_nothing(bob: Session, alice: Session) -> None:
    run(bob, "drop table if exists alice.secret")
    assert run(alice, "select v from secret") == [("gold",)]


def test_bob_changed_nothing_of_alice(bob: Session, alice: Session) -> None:
    for sql in ("delete from alice.secret", "drop table alice.secret", "truncate table alice.secret",
                "update alice.secret set v = 'lead'"):
        assert code(bob, sql) == 942
    assert run(alice, "select id, v from secret") == [(1, "gold")]
    assert run(alice, "select comments from user_tab_comments where table_name = 'SECRET'") == [("mine",)]


# ---- sequences, indexes, routines, creating in another schema --------------------------------------

@pytest.mark.parametrize(("sql", "expected"), [
    ("select alice.s.nextval from dual", 2289),
    ("select alice.s.currval from dual", 2289),
    ("insert into mine (id) values (alice.s.nextval)", 2289),
    ("drop sequence alice.s", 2289),
    ("alter sequence alice.s increment by 5", 2289),
    ("drop index alice.secret_v", 1418),
    ("drop procedure alice.p", 4043),
    ("create table alice.planted (x number)", 1031),
    ("create sequence alice.s2", 1031),
    ("create index alice.ix2 on mine (v)", 1031),
    ("create procedure alice.q is begin null; end;", 1031),
    ("begin alice.p; end;", 6550),
    ("alter system kill session '1,1'", 1031),
])
def test_other_users_objects(bob: Session, sql: str, expected: int) -> None:
    assert code(bob, sql) == expected


def test_drop_sequence_if_exists_of_other_user(bob: Session, alice: Session) -> None:
    run(bob, "drop sequence if exists alice.s")
    assert run(alice, "select s.nextval from dual") == [(1,)]


def test_owner_keeps_every_right(alice: Session) -> None:
    assert run(alice, "select v from alice.secret") == [("gold",)]
    assert run(alice, "select s.nextval, alice.s.nextval from dual") == [(1, 1)]
    run(alice, "update secret set v = 'silver' where id = 1")
    run(alice, "insert into alice.secret values (2, 'x')")
    run(alice, "delete from secret where id = 2")
    run(alice, "commit")
    run(alice, "begin p; alice.p; end;")
    run(alice, "comment on column secret.v is 'metal'")
    run(alice, "drop index secret_v")
    run(alice, "truncate table secret")
    run(alice, "drop table secret")
    run(alice, "drop sequence alice.s")


# ---- current schema --------------------------------------------------------------------------------

def test_current_schema_resolves_names_without_privileges(bob: Session) -> None:
    run(bob, "alter session set current_schema = alice")
    assert run(bob, "select sys_context('userenv', 'current_schema') from dual") == [("ALICE",)]
    for sql in ("select * from secret", "insert into secret values (5, 'x')", "drop table secret",
                "select * from mine"):
        assert code(bob, sql) == 942
    assert code(bob, "select s.nextval from dual") == 2289
    assert code(bob, "create table planted (x number)") == 1031
    assert run(bob, "select count(*) from bob.mine") == [(0,)]
    assert code(bob, "alter session set current_schema = nobody") == 1435
    run(bob, "alter session set current_schema = bob")
    assert run(bob, "select count(*) from mine") == [(0,)]


def test_current_schema_of_an_admin_resolves_there(shared: Database) -> None:
    boss = shared.session(user="boss", sid=9, serial=9)
    run(boss, "alter session set current_schema = alice")
    assert run(boss, "select v from secret") == [("gold",)]
    run(boss, "create table made_by_boss (x number)")
    assert run(boss, "select owner from all_tables where table_name = 'MADE_BY_BOSS'") == [("ALICE",)]
    assert run(boss, "select count(*) from user_tables") == [(0,)]  # USER_ views: the session user's


# ---- dictionary views ------------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "select owner, table_name from all_tables",
    "select owner, table_name from all_tab_columns",
    "select owner, table_name from all_tab_cols",
    "select owner, table_name from all_constraints",
    "select owner, table_name from all_indexes",
    "select table_owner, table_name from all_ind_columns",
    "select owner, table_name from all_tab_comments",
    "select owner, table_name from all_col_comments",
    "select owner, object_name from all_objects",
    "select sequence_owner, sequence_name from all_sequences",
])
def test_all_views_show_only_own_objects(bob: Session, sql: str) -> None:
    found = run(bob, sql)
    assert found is not None
    assert {r[0] for r in found} <= {"BOB"}
    assert not any(r[1] in ("SECRET", "S", "SECRET_V") for r in found)


def test_user_views_show_own_objects(bob: Session, alice: Session) -> None:
    assert run(bob, "select table_name from user_tables") == [("MINE",)]
    assert run(bob, "select sequence_name from user_sequences") == []
    assert run(alice, "select table_name from user_tables") == [("SECRET",)]
    assert run(alice, "select sequence_name from user_sequences") == [("S",)]


def test_admin_sees_everything(shared: Database, bob: Session) -> None:
    boss = shared.session(user="boss", sid=9, serial=9)
    assert ("ALICE", "SECRET") in (run(boss, "select owner, table_name from dba_tables") or [])
    assert ("BOB", "MINE") in (run(boss, "select owner, table_name from all_tables") or [])
    assert run(boss, "select sequence_owner, sequence_name from dba_sequences") == [("ALICE", "S")]
    assert run(boss, "select count(*) from v$session") == [(0,)]  # no server: no sessions listed
    assert run(boss, "select v from alice.secret") == [("gold",)]
    assert run(boss, "select sys_context('userenv', 'isdba') from dual") == [("TRUE",)]
    assert run(bob, "select sys_context('userenv', 'isdba') from dual") == [("FALSE",)]


def test_version_and_nls_views_stay_public(bob: Session) -> None:
    assert run(bob, "select count(*) from v$version") == [(1,)]
    found = run(bob, "select count(*) from nls_session_parameters")
    assert found is not None and found[0][0] != 0


# ---- over the wire, with python-oracledb ------------------------------------------------------------

@pytest.fixture(scope="module")
def multi() -> Iterator[EmbeddedServer]:
    users = {"alice": "a-pw", "bob": "b-pw", "boss": "c-pw"}
    with EmbeddedServer(users=users, admins={"boss"}).threaded() as running:
        yield running


def _connect(server: EmbeddedServer, user: str, password: str) -> oracledb.Connection:
    return oracledb.connect(user=user, password=password, dsn=server.dsn)


def _ora_code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value.args[0].full_code)


def test_oracledb_bob_cannot_touch_alices_table(multi: EmbeddedServer) -> None:
    with _connect(multi, "alice", "a-pw") as alice, _connect(multi, "bob", "b-pw") as bob:
        with alice.cursor() as cur:
            cur.execute("create table wire_secret (id number, v varchar2(10))")
            cur.execute("insert into wire_secret values (1, 'gold')")
            alice.commit()
        with bob.cursor() as cur:
            for sql in ("select * from alice.wire_secret", "update alice.wire_secret set v = 'x'",
                        "delete from alice.wire_secret", "drop table alice.wire_secret",
                        "insert into alice.wire_secret values (2, 'y')", "truncate table alice.wire_secret",
                        "create index wire_ix on alice.wire_secret (v)", "select * from dba_tables",
                        "select sid from v$session"):
                with pytest.raises(oracledb.DatabaseError) as info:
                    cur.execute(sql)
                assert _ora_code(info) == "ORA-00942", sql
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.execute("alter session set current_schema = nobody")
            assert _ora_code(info) == "ORA-01435"
            bob.current_schema = "ALICE"
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.execute("select * from wire_secret")
            assert _ora_code(info) == "ORA-00942"
            cur.execute("select sys_context('userenv', 'current_schema') from dual")
            assert cur.fetchone() == ("ALICE",)
        with alice.cursor() as cur:
            cur.execute("select id, v from wire_secret")
            assert cur.fetchall() == [(1, "gold")]
            cur.execute("drop table wire_secret")


def test_oracledb_current_schema_resolves_own_names(multi: EmbeddedServer) -> None:
    with _connect(multi, "boss", "c-pw") as boss, _connect(multi, "alice", "a-pw") as alice:
        with alice.cursor() as cur:
            cur.execute("create table wire_t (x number)")
            cur.execute("insert into wire_t values (7)")
            alice.commit()
        boss.current_schema = "ALICE"
        with boss.cursor() as cur:
            cur.execute("select x from wire_t")
            assert cur.fetchall() == [(7,)]
            cur.execute("select owner from dba_tables where table_name = 'WIRE_T'")
            assert cur.fetchall() == [("ALICE",)]
            cur.execute("select username from v$session where username = 'ALICE'")
            assert cur.fetchall() == [("ALICE",)]
            cur.execute("drop table wire_t")


def test_a_server_with_several_users_and_no_admins_has_no_admin() -> None:
    with EmbeddedServer(users={"scott": "tiger", "app": "pw"}).threaded() as server:
        with _connect(server, "scott", "tiger") as conn, conn.cursor() as cur:
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.execute("select sid from v$session")
            assert _ora_code(info) == "ORA-00942"


def test_the_single_default_user_is_the_admin(server: EmbeddedServer) -> None:
    with _connect(server, "scott", "tiger") as conn, conn.cursor() as cur:
        cur.execute("select count(*) from dba_tables")
        cur.execute("select username from v$session where sid = sys_context('userenv', 'sid')")
        assert cur.fetchall() == [("SCOTT",)]


# ---- one gate: no module but the catalog reads its tables by name -------------------------------------

def test_table_references_have_one_gate() -> None:
    """Every table of the catalog is reached through Catalog.table / visible_tables (which
    check the principal); only the catalog itself and the foreign-key bookkeeping of an
    already resolved table (foreignkeys.referencing) read ``catalog.tables``."""
    import ast
    import pathlib

    from oracle_asyncio.testing.sql.catalog import tables as catalog_module

    root = pathlib.Path(catalog_module.__file__).parent.parent  # testing/sql, every room
    readers = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("tables", "find_index") and \
                    path.name != "tables.py":
                readers.add((path.name, node.attr))
    assert readers == {("foreignkeys.py", "tables")}
    assert not hasattr(catalog_module.Catalog, "lookup")
