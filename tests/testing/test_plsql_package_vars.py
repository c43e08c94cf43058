"""Package variables named with their schema (issue 18): ``schema.pkg.var`` read and assigned from
another user's PL/SQL that holds EXECUTE on the package, ``syn.var`` through a private or PUBLIC
synonym for the package, and Oracle's PLS-00201 / PLS-00302 when the package cannot be used or
lacks the variable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, Session
from tests.testing.plsql_helpers import fails, out
from tests.testing.test_grants import run


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users={"alice", "bob", "boss"}, admins={"boss"})
    yield database
    database.close()


@pytest.fixture
def alice(db: Database) -> Session:
    session = db.session(user="alice", sid=1, serial=1)
    run(session, "create package pk as v number := 5; c constant number := 9; "
                 "function get return number; end;")
    run(session, "create package body pk as function get return number is begin return v; end; end;")
    return session


@pytest.fixture
def bob(db: Database) -> Session:
    return db.session(user="bob", sid=2, serial=2)


def test_schema_qualified_variable_read_and_assigned(alice: Session, bob: Session) -> None:
    run(alice, "grant execute on pk to bob")
    assert out(bob, "begin :r := alice.pk.v; end;") == 5
    assert out(bob, "begin alice.pk.v := alice.pk.v + 2; :r := alice.pk.get(); end;") == 7
    assert out(bob, "begin :r := alice.pk.v * 10; end;") == 70  # the session's instance keeps it
    assert out(alice, "begin :r := alice.pk.v; end;") == 5  # another session: its own instance


def test_the_owner_may_qualify_its_own_package(alice: Session) -> None:
    assert out(alice, "begin alice.pk.v := 1; :r := pk.v + alice.pk.c; end;") == 10


def test_a_synonym_names_another_schemas_package(db: Database, alice: Session, bob: Session) -> None:
    run(alice, "grant execute on pk to bob")
    run(bob, "create synonym apk for alice.pk")
    assert out(bob, "begin apk.v := 3; :r := apk.v + apk.get(); end;") == 6
    boss = db.session(user="boss", sid=3, serial=3)
    run(boss, "create public synonym pubpk for alice.pk")
    assert out(bob, "begin :r := pubpk.c; end;") == 9


def test_without_execute_the_package_is_not_there(alice: Session, bob: Session) -> None:
    error = fails(bob, "begin :r := alice.pk.v; end;", None)
    assert error.code == 6550 and "PLS-00201: identifier 'ALICE.PK' must be declared" in error.message
    error = fails(bob, "begin alice.pk.v := 1; end;")
    assert error.code == 6550 and "PLS-00201: identifier 'ALICE.PK' must be declared" in error.message


def test_a_missing_variable_and_a_constant(alice: Session, bob: Session) -> None:
    run(alice, "grant execute on pk to bob")
    error = fails(bob, "begin :r := alice.pk.nope; end;", None)
    assert error.code == 6550 and "PLS-00302: component 'NOPE' must be declared" in error.message
    error = fails(bob, "begin alice.pk.nope := 1; end;")
    assert "PLS-00302: component 'NOPE' must be declared" in error.message
    error = fails(bob, "begin alice.pk.c := 1; end;")
    assert "PLS-00363" in error.message
