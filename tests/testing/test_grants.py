"""Users, roles, privileges and synonyms in the embedded server's SQL (issue 18): CREATE/ALTER/DROP
USER, CREATE/DROP ROLE, GRANT/REVOKE of system and object privileges, the one gate enforcing them
(ORA-00942 when nothing is granted, ORA-01031 when something else is), and private and PUBLIC
synonyms.  Logons through a real client are in test_accounts.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from oracle_sansio.crypto import Secret
from oracle_sansio.statement import parse_statement


def run(session: Session, sql: str) -> list[tuple[object, ...]] | None:
    result = session.execute(sql, (), bind_names=parse_statement(sql).bind_names)
    return None if result.rows is None else list(result.rows)


def code(session: Session, sql: str) -> int:
    with pytest.raises(OraError) as info:
        run(session, sql)
    return info.value.code


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users={"alice", "bob", "boss"}, admins={"boss"})
    yield database
    database.close()


@pytest.fixture
def alice(db: Database) -> Session:
    session = db.session(user="alice", sid=1, serial=1)
    run(session, "create table secret (id number primary key, v varchar2(10))")
    run(session, "insert into secret values (1, 'gold')")
    run(session, "commit")
    return session


@pytest.fixture
def bob(db: Database) -> Session:
    return db.session(user="bob", sid=2, serial=2)


@pytest.fixture
def boss(db: Database) -> Session:
    return db.session(user="boss", sid=3, serial=3)


# ---- object privileges through the gate ------------------------------------------------------------

def test_grant_then_revoke_select(alice: Session, bob: Session) -> None:
    assert code(bob, "select v from alice.secret") == 942
    run(alice, "grant select on secret to bob")
    assert run(bob, "select v from alice.secret") == [("gold",)]  # at once, in bob's open session
    run(alice, "revoke select on secret from bob")
    assert code(bob, "select v from alice.secret") == 942


@pytest.mark.parametrize(("granted", "sql", "expected"), [
    ("select", "insert into alice.secret values (2, 'x')", 1031),
    ("select", "update alice.secret set v = 'x'", 1031),
    ("select", "delete from alice.secret", 1031),
    ("select", "drop table alice.secret", 1031),
    ("insert", "select * from alice.secret", 1031),
    ("insert", "insert into alice.secret values (2, 'x')", None),
    ("update", "update alice.secret set v = 'x'", None),
    ("delete", "delete from alice.secret", None),
    ("references", "create table child (id number, foreign key (id) references alice.secret (id))", None),
    ("index", "create index bob_ix on alice.secret (v)", None),
])
def test_each_privilege_allows_its_statement_only(alice: Session, bob: Session, granted: str, sql: str,
                                                   expected: int | None) -> None:
    run(alice, f"grant {granted} on secret to bob")
    if expected is None:
        run(bob, sql)
    else:
        assert code(bob, sql) == expected


def test_grant_all_and_revoke_all(alice: Session, bob: Session) -> None:
    run(alice, "grant all privileges on secret to bob")
    run(bob, "update alice.secret set v = 'lead'")
    run(alice, "revoke all on secret from bob")
    assert code(bob, "select * from alice.secret") == 942


def test_grant_to_public_and_through_a_role(alice: Session, bob: Session, boss: Session) -> None:
    run(alice, "grant select on secret to public")
    assert run(bob, "select count(*) from alice.secret") == [(1,)]
    run(alice, "revoke select on secret from public")
    run(boss, "create role readers")
    run(alice, "grant select on secret to readers")
    assert code(bob, "select count(*) from alice.secret") == 942
    run(boss, "grant readers to bob")
    assert run(bob, "select count(*) from alice.secret") == [(1,)]
    run(boss, "drop role readers")
    assert code(bob, "select count(*) from alice.secret") == 942


def test_with_grant_option(db: Database, alice: Session, bob: Session) -> None:
    carol = db.session(user="boss", sid=9, serial=9)
    assert code(bob, "grant select on alice.secret to boss") == 942  # bob sees nothing yet
    run(alice, "grant select on secret to bob")
    assert code(bob, "grant select on alice.secret to boss") == 1031
    run(alice, "grant select on secret to bob with grant option")
    run(bob, "grant select on alice.secret to boss")
    assert run(carol, "select count(*) from alice.secret") == [(1,)]
    assert code(alice, "revoke select on secret from boss") == 1927  # bob granted it, not alice
    run(alice, "revoke select on secret from bob")  # cascades to bob's grant
    rows = run(alice, "select grantee from user_tab_privs where table_name = 'SECRET'")
    assert rows == []


@pytest.mark.parametrize(("sql", "expected"), [
    ("grant select on secret to alice", 1749),
    ("grant select on secret to nobody", 1917),
    ("revoke select on secret from bob", 1927),
    ("grant execute on secret to bob", 2224),
    ("grant frobnicate on secret to bob", 990),
    ("grant select on nothing to bob", 942),
    ("grant select on secret to public with grant option", 1926),
])
def test_object_grant_errors(alice: Session, sql: str, expected: int) -> None:
    assert code(alice, sql) == expected


def test_sequence_privileges(alice: Session, bob: Session) -> None:
    run(alice, "create sequence s")
    assert code(bob, "select alice.s.nextval from dual") == 2289
    run(alice, "grant select on s to bob")
    assert run(bob, "select alice.s.nextval from dual") == [(1,)]
    assert code(bob, "alter sequence alice.s increment by 2") == 1031
    assert code(alice, "grant insert on s to bob") == 2205


def test_dictionary_shows_what_the_user_may_reach(alice: Session, bob: Session) -> None:
    assert run(bob, "select table_name from all_tables where owner = 'ALICE'") == []
    run(alice, "grant select on secret to bob")
    assert run(bob, "select table_name from all_tables where owner = 'ALICE'") == [("SECRET",)]
    assert run(bob, "select count(*) from all_tab_columns where owner = 'ALICE'") == [(2,)]
    assert run(bob, "select grantor, privilege from user_tab_privs where table_name = 'SECRET'") == [
        ("ALICE", "SELECT")]
    assert run(bob, "select privilege from all_tab_privs where table_schema = 'ALICE'") == [("SELECT",)]


# ---- system privileges and the ANY privileges ----------------------------------------------------

def test_any_privileges(alice: Session, bob: Session, boss: Session) -> None:
    assert code(bob, "create table alice.planted (x number)") == 1031
    run(boss, "grant create any table, select any table to bob")
    run(bob, "create table alice.planted (x number)")
    assert run(bob, "select v from alice.secret") == [("gold",)]
    assert code(bob, "delete from alice.secret") == 1031  # visible now, so 1031 rather than 942
    run(boss, "revoke select any table from bob")
    assert code(bob, "select v from alice.secret") == 942


def test_create_table_needs_create_table(db: Database, boss: Session) -> None:
    run(boss, "create user dave identified by pw")
    run(boss, "grant create session to dave")
    dave = db.session(user="dave", sid=7, serial=7)
    assert code(dave, "create table t (x number)") == 1031
    run(boss, "grant resource to dave")
    run(dave, "create table t (x number)")
    assert run(dave, "select privilege from session_privs where privilege = 'CREATE TABLE'") == [
        ("CREATE TABLE",)]
    assert run(dave, "select granted_role from user_role_privs") == [("RESOURCE",)]


@pytest.mark.parametrize(("sql", "expected"), [
    ("grant create frobnicator to bob", 990),
    ("grant frobnicator to bob", 1919),
    ("grant create session to nobody", 1917),
    ("revoke create view from bob", 1952),
    ("revoke dba from bob", 1951),
    ("create role connect", 1921),
    ("drop role nobody", 1919),
    ("grant use on edition nowhere to bob", 38802),
])
def test_system_grant_errors(boss: Session, sql: str, expected: int) -> None:
    if "create view" in sql:
        run(boss, "revoke create view from bob")
    assert code(boss, sql) == expected


def test_non_admins_may_not_grant_system_privileges(bob: Session) -> None:
    assert code(bob, "grant create session to alice") == 1031
    assert code(bob, "grant dba to alice") == 1031
    assert code(bob, "create user eve identified by pw") == 1031
    assert code(bob, "create role r") == 1031


def test_circular_role_grant(boss: Session) -> None:
    run(boss, "create role r1")
    run(boss, "create role r2")
    run(boss, "grant r1 to r2")
    assert code(boss, "grant r2 to r1") == 1934


def test_script_roles_exist(boss: Session) -> None:
    run(boss, "grant aq_administrator_role, ctxapp to bob")
    run(boss, "grant create session, create table, select any dictionary, change notification, "
              "unlimited tablespace to bob")


# ---- users ------------------------------------------------------------------------------------------

def test_create_alter_drop_user(db: Database, boss: Session) -> None:
    passwords: list[tuple[str, Secret[str] | None]] = []
    db.password_sink = lambda user, password: passwords.append((user, password))
    run(boss, "create user dave identified by \"Pw\" default tablespace users quota unlimited on users "
              "account lock password expire")
    assert code(boss, "create user dave identified by x") == 1920
    assert code(boss, "create user connect identified by x") == 1920
    run(boss, "alter user dave identified by Other account unlock")
    assert [u for u, _ in passwords] == ["DAVE", "DAVE"]
    assert passwords[1][1] == Secret("Other")  # case kept, unquoted or not
    assert "Other" not in repr(passwords) and "Other" not in repr(db.parse("alter user dave identified by Other"))
    assert code(boss, "alter user nobody account lock") == 1918
    assert code(boss, "drop user nobody") == 1918
    run(boss, "grant create session, create table to dave")
    dave = db.session(user="dave", sid=7, serial=7)
    run(dave, "create table t (x number)")
    assert code(boss, "drop user dave cascade") == 1940
    dave.close()
    assert code(boss, "drop user dave") == 1922
    run(boss, "drop user dave cascade")
    assert passwords[-1] == ("DAVE", None)
    assert code(boss, "select * from dave.t") == 942
    run(boss, "create user dave identified by pw")  # the name is free again
    run(boss, "drop user dave")


def test_users_in_the_dictionary(alice: Session, boss: Session) -> None:
    run(boss, "create user dave identified by pw account lock")
    assert ("DAVE",) in (run(alice, "select username from all_users") or [])
    assert run(boss, "select account_status from dba_users where username = 'DAVE'") == [("LOCKED",)]
    assert run(alice, "select username from user_users") == [("ALICE",)]
    assert code(alice, "select * from dba_users") == 942


def test_only_admins_alter_others(alice: Session) -> None:
    assert code(alice, "alter user bob account lock") == 1031
    assert code(alice, "drop user bob") == 1031
    run(alice, "alter user alice identified by newpw")  # one's own password needs no privilege


def test_alter_user_connect_through(db: Database, boss: Session) -> None:
    run(boss, "alter user alice grant connect through bob")
    assert db.catalog.privileges.proxy_clients("BOB") == {"ALICE"}
    run(boss, "alter user alice revoke connect through bob")
    assert db.catalog.privileges.proxy_clients("BOB") == frozenset()
    assert code(boss, "alter user alice grant connect through nobody") == 1918


# ---- synonyms -------------------------------------------------------------------------------------

def test_private_and_public_synonyms(alice: Session, bob: Session, boss: Session) -> None:
    run(alice, "create synonym s for secret")
    assert run(alice, "select v from s") == [("gold",)]
    run(boss, "create public synonym treasure for alice.secret")
    assert code(bob, "select v from treasure") == 942  # the synonym is a name, not a privilege
    run(alice, "grant select on secret to bob")
    assert run(bob, "select v from treasure") == [("gold",)]
    run(bob, "create table treasure (v varchar2(10))")  # an own object comes first
    assert run(bob, "select count(*) from treasure") == [(0,)]
    run(bob, "create synonym mine for alice.secret")  # a private synonym before a public one
    assert run(bob, "select v from mine") == [("gold",)]
    assert run(bob, "select synonym_name, table_owner, table_name from user_synonyms") == [
        ("MINE", "ALICE", "SECRET")]
    run(boss, "drop public synonym treasure")
    run(bob, "drop synonym mine")


@pytest.mark.parametrize(("setup", "sql", "expected"), [
    (["create synonym dangling for nothing"], "select * from dangling", 980),
    (["create synonym l1 for l2", "create synonym l2 for l1"], "select * from l1", 1775),
    ([], "drop synonym nothing", 1434),
    ([], "drop public synonym nothing", 1432),
    (["create synonym s for secret"], "create synonym s for secret", 955),
    ([], "create synonym secret for secret", 1471),
    ([], "create public synonym p for secret", 1031),
])
def test_synonym_errors(alice: Session, setup: list[str], sql: str, expected: int) -> None:
    for statement in setup:
        run(alice, statement)
    assert code(alice, sql) == expected


def test_synonym_chain_and_replace(alice: Session) -> None:
    run(alice, "create table other (n number)")
    run(alice, "create synonym a1 for a2")
    run(alice, "create synonym a2 for secret")
    assert run(alice, "select count(*) from a1") == [(1,)]
    run(alice, "create or replace synonym a2 for other")
    assert run(alice, "select count(*) from a1") == [(0,)]


def test_synonym_for_a_sequence(alice: Session, bob: Session) -> None:
    run(alice, "create sequence seq")
    run(alice, "grant select on seq to bob")
    run(bob, "create synonym bseq for alice.seq")
    assert run(bob, "select bseq.nextval from dual") == [(1,)]


# ---- editions (the names only: GRANT USE ON EDITION, python-oracledb's schema script) --------------

def test_editions(alice: Session, boss: Session) -> None:
    assert code(boss, "grant use on edition e1 to alice") == 38802
    assert code(alice, "create edition e1") == 1031
    run(boss, "create edition e1")
    run(boss, "grant use on edition e1 to alice")
    assert code(boss, "create edition e1") == 955
    assert code(boss, "create edition e2 as child of ora$base") == 38807  # one child each
    run(boss, "create edition e2 as child of e1")
    assert run(alice, "select edition_name, parent_edition_name from all_editions") == [
        ("E1", "ORA$BASE"), ("E2", "E1"), ("ORA$BASE", None)]
    assert code(boss, "drop edition e1") == 38810
    assert code(boss, "drop edition ora$base") == 38805
    run(boss, "drop edition e2")
    run(boss, "drop edition e1 cascade")
    assert code(boss, "drop edition e1") == 38802


def test_drop_table_names_the_table_not_a_synonym(alice: Session) -> None:
    run(alice, "create synonym s for secret")
    assert code(alice, "drop table s") == 942
    assert run(alice, "select count(*) from s") == [(1,)]


@pytest.mark.parametrize("sql", ["alter user bob identified Hunter2", "create user eve identified Hunter2",
                                 "create user eve identified by 'Hunter2'",
                                 # a password with a space, or a verifier: the word after the password
                                 # was named by ORA-00933 "unexpected identifier"
                                 "create user eve identified by correct Hunter2",
                                 "create user eve identified by values 'Hunter2'",
                                 "alter user bob identified by x replace correct Hunter2"])
def test_a_malformed_password_clause_does_not_show_the_password(boss: Session, sql: str) -> None:
    with pytest.raises(OraError) as info:
        run(boss, sql)
    assert info.value.code == 988
    assert "hunter2" not in info.value.message.lower()


def test_execute_grants_feed_may_execute(db: Database, alice: Session, bob: Session, boss: Session) -> None:
    run(alice, "create procedure p is begin null; end;")
    catalog = db.catalog
    assert not catalog.may_execute(bob.principal, "ALICE", "P")
    assert code(alice, "grant select on p to bob") == 2225
    run(alice, "grant execute on p to bob")
    assert catalog.may_execute(bob.principal, "ALICE", "P")
    assert run(bob, "select type, privilege from user_tab_privs") == [("PROCEDURE", "EXECUTE")]
    run(alice, "revoke execute on p from bob")
    assert not catalog.may_execute(bob.principal, "ALICE", "P")
    run(boss, "grant execute any procedure to bob")
    assert catalog.may_execute(bob.principal, "ALICE", "P")


def test_drop_user_cascade_takes_stored_code_and_synonyms(db: Database, boss: Session) -> None:
    run(boss, "create user dave identified by pw")
    run(boss, "grant connect, resource, create synonym to dave")
    dave = db.session(user="dave", sid=7, serial=7)
    run(dave, "create procedure p is begin null; end;")
    run(dave, "create sequence s")
    run(dave, "create synonym syn for s")
    dave.close()
    assert code(boss, "drop user dave") == 1922
    run(boss, "drop user dave cascade")
    assert run(boss, "select count(*) from dba_objects where owner = 'DAVE'") == [(0,)]
    assert run(boss, "select count(*) from dba_synonyms where owner = 'DAVE'") == [(0,)]


def test_grants_on_types_and_packages(db: Database, alice: Session, bob: Session) -> None:
    run(alice, "create type point as object (x number, y number)")
    run(alice, "create package pk as procedure q; end;")
    assert db.catalog.user_type("ALICE", "POINT", bob.principal) is None
    run(alice, "grant execute on point to bob")
    assert db.catalog.user_type("ALICE", "POINT", bob.principal) is not None
    run(alice, "grant execute on pk to bob")
    assert run(bob, "select table_name, type from user_tab_privs order by 1") == [
        ("PK", "PACKAGE"), ("POINT", "TYPE")]
    assert code(alice, "grant select on pk to bob") == 2225


def test_a_synonym_for_stored_code_is_no_table(alice: Session) -> None:
    run(alice, "create procedure p is begin null; end;")
    run(alice, "create synonym ps for p")
    assert code(alice, "select * from ps") == 942
    ids = run(alice, "select object_id from user_objects where object_name in ('P', 'PS')") or []
    assert len(set(ids)) == 2


# ---- stored code: EXECUTE grants and definer's rights ---------------------------------------------

def test_execute_grant_runs_stored_code_with_its_owners_rights(alice: Session, bob: Session) -> None:
    # Oracle's default (AUTHID DEFINER): the grantee may call the code, which reads the owner's
    # table although the grantee may not; without the grant the code does not exist for it.
    run(alice, "create function peek(p_id number) return varchar2 as v varchar2(10); "
               "begin select v into v from secret where id = p_id; return v; end;")
    run(alice, "create package vault as function get(p_id number) return varchar2; end;")
    run(alice, "create package body vault as function get(p_id number) return varchar2 as "
               "begin return peek(p_id); end; end;")
    # Not visible: the names read as unknown (the embedded server's words for a dotted name it
    # cannot find; Oracle says PLS-00201).
    assert code(bob, "begin :r := alice.peek(1); end;") == 900
    assert code(bob, "begin :r := alice.vault.get(1); end;") == 900
    assert code(bob, "select alice.peek(1) from dual") == 900
    run(alice, "grant execute on peek to bob")
    run(alice, "grant execute on vault to bob")
    assert run(bob, "select alice.peek(1) from dual") == [("gold",)]
    assert code(bob, "select * from alice.secret") == 942  # the table itself stays out of reach
    result = bob.execute("begin :r := alice.vault.get(1); end;", (None,), bind_names=("R",))
    assert result.out_values == {0: "gold"}
    assert bob.principal.user == "BOB"  # the owner's rights end with the call
    run(alice, "create function whoami return varchar2 as "
               "begin return sys_context('userenv', 'current_user') || '/' || user; end;")
    run(alice, "grant execute on whoami to bob")
    assert run(bob, "select alice.whoami() from dual") == [("ALICE/BOB",)]  # USER stays the session's
    run(alice, "revoke execute on peek from bob")
    assert code(bob, "select alice.peek(1) from dual") == 900
    # The package still calls peek as its owner: revoking bob's grant on peek does not matter.
    assert bob.execute("begin :r := alice.vault.get(1); end;", (None,), bind_names=("R",)).out_values == {0: "gold"}


def test_drop_index_of_another_schema_does_not_tell_a_constraints_index_exists(
        db: Database, alice: Session, bob: Session, boss: Session) -> None:
    run(alice, "create table keyed (id number constraint keyed_pk primary key)")
    run(alice, "grant select on keyed to bob")
    assert code(bob, "drop index alice.keyed_pk") == 1418  # as if missing: bob may not drop indexes there
    assert code(alice, "drop index keyed_pk") == 2429  # the owner is told why
    assert code(boss, "drop index alice.keyed_pk") == 2429  # so is a DBA (DROP ANY INDEX)
