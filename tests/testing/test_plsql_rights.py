"""Whose privileges stored code uses (issue 18): definer's-rights units run, and compile, with
their owner's direct and PUBLIC grants only (roles disabled, as Oracle disables them there); the
server's configured admins keep their powers in their own units; AUTHID CURRENT_USER units run
with the caller's rights, roles enabled, names resolved in the caller's schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.test_grants import code, run


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users={"alice", "bob", "carol", "boss"}, admins={"boss"})
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
    return db.session(user="bob", sid=2, serial=2)


@pytest.fixture
def carol(db: Database) -> Session:
    return db.session(user="carol", sid=3, serial=3)


@pytest.fixture
def boss(db: Database) -> Session:
    return db.session(user="boss", sid=4, serial=4)


def _errors(session: Session, name: str) -> list[str]:
    rows = run(session, f"select text from user_errors where name = '{name}' order by sequence") or []
    return [str(r[0]) for r in rows]


# ---- definer's rights: roles disabled ----------------------------------------------------------

def test_a_privilege_through_a_role_does_not_compile_a_definers_rights_unit(alice: Session, bob: Session,
                                                                             boss: Session) -> None:
    run(boss, "create role writers")
    run(alice, "grant insert on secret to writers")
    run(boss, "grant writers to bob")
    run(bob, "insert into alice.secret values ('direct')")  # the role works in bob's own SQL
    run(bob, "rollback")
    run(bob, "create procedure put is begin insert into alice.secret values ('p'); end;")
    assert any("ORA-00942" in e for e in _errors(bob, "PUT"))
    error = pytest.raises(OraError, run, bob, "begin put; end;").value
    assert error.code == 6550 and "PLS-00905: object BOB.PUT is invalid" in error.message
    run(alice, "grant insert on secret to bob")  # a direct grant is what Oracle asks for
    run(bob, "begin put; end;")
    assert _errors(bob, "PUT") == []


def test_a_role_is_disabled_at_run_time_in_a_definers_rights_unit(alice: Session, bob: Session,
                                                                  boss: Session) -> None:
    run(boss, "create role readers")
    run(alice, "grant select on secret to readers")
    run(boss, "grant readers to bob")
    assert run(bob, "select v from alice.secret") == [("gold",)]
    run(bob, "create function peek return varchar2 is x varchar2(10); "
             "begin execute immediate 'select v from alice.secret' into x; return x; end;")
    assert code(bob, "select peek() from dual") == 942
    run(alice, "grant select on secret to public")  # PUBLIC's grants do count
    assert run(bob, "select peek() from dual") == [("gold",)]


def test_dba_granted_as_a_role_is_disabled_in_its_holders_units(alice: Session, bob: Session,
                                                                boss: Session) -> None:
    run(boss, "grant dba to bob")
    assert run(bob, "select v from alice.secret") == [("gold",)]
    run(bob, "create function peek return varchar2 is x varchar2(10); "
             "begin execute immediate 'select v from alice.secret' into x; return x; end;")
    assert code(bob, "select peek() from dual") == 942
    run(boss, "grant select any table to bob")  # a direct system privilege counts
    assert run(bob, "select peek() from dual") == [("gold",)]


def test_a_configured_admin_keeps_its_powers_in_its_own_units(alice: Session, boss: Session) -> None:
    run(boss, "create procedure put is begin insert into alice.secret values ('boss'); end;")
    assert _errors(boss, "PUT") == []
    run(boss, "begin put; end;")
    run(boss, "commit")
    assert run(alice, "select count(*) from secret") == [(2,)]
