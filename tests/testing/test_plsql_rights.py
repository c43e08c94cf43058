"""Whose privileges stored code uses (issue 18): definer's-rights units run, and compile, with
their owner's direct and PUBLIC grants only (roles disabled, as Oracle disables them there); the
server's configured admins keep their powers in their own units; AUTHID CURRENT_USER units run
with the caller's rights, roles enabled, names resolved in the caller's schema; ``schema.pkg.var``
and ``synonym.var`` reach another schema's package variables given EXECUTE (PLS-00201 / PLS-00302
as Oracle when not)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from tests.testing.plsql_helpers import fails, out
from tests.testing.test_grants import code, run


class Users:
    """The sessions of a database with users alice (owning table SECRET, one row 'gold'), bob,
    carol and the admin boss."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.alice, self.bob, self.carol, self.boss = (
            db.session(user=name, sid=sid, serial=sid) for sid, name in enumerate(("alice", "bob", "carol", "boss"), 1))
        for sql in ("create table secret (v varchar2(10))", "insert into secret values ('gold')", "commit"):
            run(self.alice, sql)


@pytest.fixture
def u() -> Iterator[Users]:
    database = Database(users={"alice", "bob", "carol", "boss"}, admins={"boss"})
    yield Users(database)
    database.close()


def _errors(session: Session, name: str) -> list[str]:
    rows = run(session, f"select text from user_errors where name = '{name}' order by sequence") or []
    return [str(r[0]) for r in rows]


# ---- definer's rights: roles disabled ----------------------------------------------------------

def test_a_privilege_through_a_role_does_not_compile_a_definers_rights_unit(u: Users) -> None:
    alice, bob, boss = u.alice, u.bob, u.boss
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


def test_a_role_is_disabled_at_run_time_in_a_definers_rights_unit(u: Users) -> None:
    alice, bob, boss = u.alice, u.bob, u.boss
    run(boss, "create role readers")
    run(alice, "grant select on secret to readers")
    run(boss, "grant readers to bob")
    assert run(bob, "select v from alice.secret") == [("gold",)]
    run(bob, "create function peek return varchar2 is x varchar2(10); "
             "begin execute immediate 'select v from alice.secret' into x; return x; end;")
    assert code(bob, "select peek() from dual") == 942
    run(alice, "grant select on secret to public")  # PUBLIC's grants do count
    assert run(bob, "select peek() from dual") == [("gold",)]


def test_dba_granted_as_a_role_is_disabled_in_its_holders_units(u: Users) -> None:
    alice, bob, boss = u.alice, u.bob, u.boss
    run(boss, "grant dba to bob")
    assert run(bob, "select v from alice.secret") == [("gold",)]
    run(bob, "create function peek return varchar2 is x varchar2(10); "
             "begin execute immediate 'select v from alice.secret' into x; return x; end;")
    assert code(bob, "select peek() from dual") == 942
    run(boss, "grant select any table to bob")  # a direct system privilege counts
    assert run(bob, "select peek() from dual") == [("gold",)]


def test_a_configured_admin_keeps_its_powers_in_its_own_units(u: Users) -> None:
    alice, boss = u.alice, u.boss
    run(boss, "create procedure put is begin insert into alice.secret values ('boss'); end;")
    assert _errors(boss, "PUT") == []
    run(boss, "begin put; end;")
    run(boss, "commit")
    assert run(alice, "select count(*) from secret") == [(2,)]


# ---- AUTHID CURRENT_USER: invoker's rights -------------------------------------------------------

_WHO = "user || ',' || sys_context('userenv', 'current_user') || ',' || sys_context('userenv', 'current_schema')"


def test_an_invokers_rights_procedure_writes_the_callers_table(u: Users) -> None:
    alice, bob = u.alice, u.bob
    for s in (alice, bob):
        run(s, "create table items (v varchar2(10))")
    run(alice, "create procedure add_item(v varchar2) authid current_user is "
               "begin insert into items values (v); end;")
    run(alice, "create procedure add_mine(v varchar2) authid definer is begin insert into items values (v); end;")
    run(alice, "grant execute on add_item to bob")
    run(alice, "grant execute on add_mine to bob")
    run(bob, "begin alice.add_item('ir'); alice.add_mine('dr'); end;")
    run(bob, "commit")
    assert run(bob, "select v from items") == [("ir",)]
    assert run(alice, "select v from items") == [("dr",)]


def test_user_and_current_user_inside_each_kind_of_unit(u: Users) -> None:
    alice, bob = u.alice, u.bob
    run(alice, f"create function ir return varchar2 authid current_user is begin return {_WHO}; end;")
    run(alice, f"create function dr return varchar2 is begin return {_WHO}; end;")
    run(alice, "grant execute on ir to bob")
    run(alice, "grant execute on dr to bob")
    assert run(bob, "select alice.ir(), alice.dr() from dual") == [("BOB,BOB,BOB", "BOB,ALICE,ALICE")]


def test_roles_stay_enabled_in_invokers_rights_code(u: Users) -> None:
    alice, carol, boss = u.alice, u.carol, u.boss
    run(boss, "create role readers")
    run(alice, "grant select on secret to readers")
    run(boss, "grant readers to carol")
    for kind in ("current_user", "definer"):
        run(alice, f"create function peek_{kind} return varchar2 authid {kind} is x varchar2(10); "
                   "begin execute immediate 'select v from alice.secret' into x; return x; end;")
        run(alice, f"grant execute on peek_{kind} to carol")
    assert run(carol, "select alice.peek_current_user() from dual") == [("gold",)]  # carol's role
    assert run(carol, "select alice.peek_definer() from dual") == [("gold",)]  # alice's own table
    run(boss, "revoke readers from carol")
    assert code(carol, "select alice.peek_current_user() from dual") == 942  # carol's rights, not alice's


def test_an_invokers_rights_package_and_type_run_as_the_caller(u: Users) -> None:
    alice, bob = u.alice, u.bob
    for s in (alice, bob):
        run(s, "create table items (v varchar2(10))")
    run(alice, "create or replace package pk authid current_user as procedure put(v varchar2); end;")
    run(alice, "create or replace package body pk as procedure put(v varchar2) is "
               "begin insert into items values (v); end; end;")
    run(alice, "create type counter authid current_user as object (n number, "
               "member function total return number)")
    run(alice, "create type body counter as member function total return number is c number; "
               "begin select count(*) into c from items; return c + n; end; end;")
    for name in ("pk", "counter"):
        run(alice, f"grant execute on {name} to bob")
    run(bob, "begin alice.pk.put('a'); alice.pk.put('b'); end;")
    assert run(bob, "select count(*) from items") == [(2,)]
    assert run(alice, "select count(*) from items") == [(0,)]
    result = bob.execute("declare c alice.counter := alice.counter(10); begin :r := c.total(); end;", (None,),
                         bind_names=["R"])
    assert (result.out_values or {}).get(0) == 12
    rows = run(alice, "select object_name, authid from user_procedures where procedure_name is null "
                      "order by object_name")
    assert rows == [("PK", "CURRENT_USER")]


def test_all_procedures_shows_the_authid(u: Users) -> None:
    alice = u.alice
    run(alice, "create procedure p1 authid current_user is begin null; end;")
    run(alice, "create function f1 return number authid definer is begin return 1; end;")
    run(alice, "create procedure p2 is begin null; end;")
    rows = run(alice, "select object_name, authid from user_procedures order by object_name")
    assert rows == [("F1", "DEFINER"), ("P1", "CURRENT_USER"), ("P2", "DEFINER")]


def test_an_invokers_rights_unit_calls_its_owners_routines(u: Users) -> None:
    alice, bob = u.alice, u.bob
    run(alice, "create function helper return varchar2 is begin return 'help'; end;")
    run(alice, "create function ir return varchar2 authid current_user is begin return helper(); end;")
    run(alice, "grant execute on ir to bob")
    assert run(bob, "select alice.ir() from dual") == [("help",)]


# ---- package variables named with their schema or through a synonym ------------------------------

def _package(alice: Session) -> None:
    run(alice, "create package pk as v number := 5; c constant number := 9; function get return number; end;")
    run(alice, "create package body pk as function get return number is begin return v; end; end;")


def test_schema_qualified_variable_read_and_assigned(u: Users) -> None:
    alice, bob = u.alice, u.bob
    _package(alice)
    run(alice, "grant execute on pk to bob")
    assert out(bob, "begin :r := alice.pk.v; end;") == 5
    assert out(bob, "begin alice.pk.v := alice.pk.v + 2; :r := alice.pk.get(); end;") == 7
    assert out(bob, "begin :r := alice.pk.v * 10; end;") == 70  # the session's instance keeps it
    assert out(alice, "begin :r := alice.pk.v; end;") == 5  # another session: its own instance


def test_the_owner_may_qualify_its_own_package(u: Users) -> None:
    alice = u.alice
    _package(alice)
    assert out(alice, "begin alice.pk.v := 1; :r := pk.v + alice.pk.c; end;") == 10


def test_a_synonym_names_another_schemas_package(u: Users) -> None:
    alice, bob = u.alice, u.bob
    _package(alice)
    run(alice, "grant execute on pk to bob")
    run(bob, "create synonym apk for alice.pk")
    assert out(bob, "begin apk.v := 3; :r := apk.v + apk.get(); end;") == 6
    boss = u.boss
    run(boss, "create public synonym pubpk for alice.pk")
    assert out(bob, "begin :r := pubpk.c; end;") == 9


def test_without_execute_the_package_is_not_there(u: Users) -> None:
    alice, bob = u.alice, u.bob
    _package(alice)
    error = fails(bob, "begin :r := alice.pk.v; end;", None)
    assert error.code == 6550 and "PLS-00201: identifier 'ALICE.PK' must be declared" in error.message
    error = fails(bob, "begin alice.pk.v := 1; end;")
    assert error.code == 6550 and "PLS-00201: identifier 'ALICE.PK' must be declared" in error.message


def test_a_missing_variable_and_a_constant(u: Users) -> None:
    alice, bob = u.alice, u.bob
    _package(alice)
    run(alice, "grant execute on pk to bob")
    error = fails(bob, "begin :r := alice.pk.nope; end;", None)
    assert error.code == 6550 and "PLS-00302: component 'NOPE' must be declared" in error.message
    error = fails(bob, "begin alice.pk.nope := 1; end;")
    assert "PLS-00302: component 'NOPE' must be declared" in error.message
    error = fails(bob, "begin alice.pk.c := 1; end;")
    assert "PLS-00363" in error.message
