"""Stored code runs with its owner's rights (definer's rights), never the caller's: a trigger fired
by another user's DML and an object type's method called by another user neither reach the
caller's data nor miss their owner's own tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.test_grants import run


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users={"alice", "bob", "carol"})
    yield database
    database.close()


@pytest.fixture
def alice(db: Database) -> Session:
    session = db.session(user="alice", sid=1, serial=1)
    run(session, "create table secret (v varchar2(10))")
    run(session, "insert into secret values ('gold')")
    run(session, "commit")
    return session


@pytest.fixture
def bob(db: Database) -> Session:
    session = db.session(user="bob", sid=2, serial=2)
    run(session, "create table loot (v varchar2(10))")
    run(session, "grant insert, select on loot to public")
    return session


STEAL = "execute immediate 'insert into bob.loot select v from alice.secret';"


def test_a_trigger_runs_as_its_owner_not_as_the_firing_user(alice: Session, bob: Session) -> None:
    run(bob, "create table bait (id number)")
    run(bob, "grant insert on bait to alice")
    run(bob, f"create trigger grab after insert on bait for each row begin {STEAL} end;")
    with pytest.raises(OraError) as info:
        run(alice, "insert into bob.bait values (1)")
    assert info.value.code == 942
    assert run(bob, "select * from loot") == []


def test_an_object_method_runs_as_its_owner(alice: Session, bob: Session) -> None:
    run(bob, "create type bait as object (a number, member function m return number)")
    run(bob, f"create type body bait as member function m return number is begin {STEAL} return 1; end; end;")
    run(bob, "grant execute on bait to alice")
    with pytest.raises(OraError) as info:
        run(alice, "declare o bob.bait := bob.bait(1); n number; begin n := o.m(); end;")
    assert info.value.code == 942
    assert run(bob, "select * from loot") == []


def test_a_trigger_names_its_owners_tables_when_another_user_fires_it(alice: Session, bob: Session) -> None:
    run(alice, "create table audit_log (v varchar2(10))")
    run(alice, "create trigger audit_it after insert on secret for each row "
               "begin insert into audit_log values (:new.v); end;")
    run(alice, "grant insert on secret to bob")
    run(bob, "insert into alice.secret values ('tin')")
    run(bob, "commit")
    assert run(alice, "select v from audit_log") == [("tin",)]


def test_a_view_reads_with_its_owners_privileges(db: Database, alice: Session, bob: Session) -> None:
    carol = db.session(user="carol", sid=3, serial=3)
    run(alice, "grant select on secret to bob")
    run(bob, "create view peek as select v from alice.secret")
    assert run(bob, "select * from peek") == [("gold",)]
    run(bob, "grant select on peek to carol")
    with pytest.raises(OraError) as info:  # bob may not pass alice's data on (no grant option)
        run(carol, "select * from bob.peek")
    assert info.value.code == 1031
    run(alice, "revoke select on secret from bob")
    with pytest.raises(OraError) as info:  # the view no longer reaches what its owner lost
        run(bob, "select * from peek")
    assert info.value.code == 4063 and 'view "BOB.PEEK" has errors' in info.value.message


def test_a_view_made_by_an_admin_in_another_schema_grants_its_owner_nothing() -> None:
    database = Database(users={"alice", "bob", "boss"}, admins={"boss"})
    try:
        alice = database.session(user="alice", sid=1, serial=1)
        run(alice, "create table secret (v varchar2(10))")
        run(alice, "insert into secret values ('gold')")
        run(alice, "commit")
        run(database.session(user="boss", sid=3, serial=3), "create view bob.peek as select v from alice.secret")
        with pytest.raises(OraError) as info:
            run(database.session(user="bob", sid=2, serial=2), "select * from peek")
        assert info.value.code == 4063
    finally:
        database.close()


def test_a_package_initialises_with_its_owners_rights_not_an_admin_callers() -> None:
    database = Database(users={"bob", "boss"}, admins={"boss"})
    try:
        bob = database.session(user="bob", sid=2, serial=2)
        run(bob, "create package pk is procedure m; end;")
        run(bob, "create package body pk is procedure m is begin null; end; "
                 "begin execute immediate 'grant dba to bob'; end;")
        with pytest.raises(OraError) as info:  # run as bob: granting oneself is refused
            run(database.session(user="boss", sid=3, serial=3), "begin bob.pk.m; end;")
        assert info.value.code == 1749
        assert ("DBA",) not in (run(bob, "select role from session_roles") or [])
    finally:
        database.close()


def test_a_select_grant_does_not_let_the_grantee_put_a_trigger_on_the_table(alice: Session, bob: Session) -> None:
    run(alice, "grant select on secret to bob")
    with pytest.raises(OraError) as info:  # it would rewrite or watch every row alice inserts
        run(bob, "create trigger tamper before insert on alice.secret for each row begin :new.v := 'pwned'; end;")
    assert info.value.code == 1031
    run(alice, "insert into secret values ('tin')")
    assert run(alice, "select v from secret order by v") == [("gold",), ("tin",)]


def test_execute_on_stored_code_lets_the_grantee_call_it_with_the_owners_rights(alice: Session, bob: Session) -> None:
    run(alice, "create function reveal return varchar2 is x varchar2(10); "
               "begin select v into x from secret; return x; end;")
    run(alice, "create package pk is v varchar2(10) := 'pv'; function g return varchar2; end;")
    run(alice, "create package body pk is function g return varchar2 is begin return reveal(); end; end;")
    call = "declare x varchar2(20); begin x := alice.reveal() || alice.pk.g(); :r := x; end;"
    with pytest.raises(OraError) as info:  # no EXECUTE: the function is not there for bob
        bob.execute(call, (None,), bind_names=["R"])
    assert "gold" not in info.value.message
    run(alice, "grant execute on reveal to bob")
    run(alice, "grant execute on pk to bob")
    result = bob.execute(call, (None,), bind_names=["R"])
    assert (result.out_values or {}).get(0) == "goldgold"
    assert run(bob, "select alice.reveal() from dual") == [("gold",)]
    with pytest.raises(OraError):
        run(bob, "select v from alice.secret")  # the function's rights are not the caller's
