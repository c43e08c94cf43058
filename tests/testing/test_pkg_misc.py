"""DBMS_RANDOM, DBMS_SESSION (contexts, package state), DBMS_UTILITY, DBMS_TRANSACTION,
DBMS_SQL.RETURN_RESULT and DBMS_APPLICATION_INFO on the embedded server's SQL engine, from SQL
and from PL/SQL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Session
from oracle_asyncio.testing.sql.runtime.appcontext import MAX_ENTRIES
from oracle_asyncio.testing.sql.runtime.pkg_misc import seed_random
from tests.testing.plsql_helpers import block, fails, out, rows


@pytest.fixture
def s(scott: Session) -> Session:
    return scott


def test_random_values_from_sql_and_plsql(s: Session) -> None:
    (v, ranged, text, whole, normal), = rows(
        s, "select dbms_random.value, dbms_random.value(5, 10), dbms_random.string('x', 12), dbms_random.random,"
           " dbms_random.normal from dual")
    assert isinstance(v, Decimal) and 0 <= v < 1 and len(v.as_tuple().digits) > 30  # NUMBER's 38 digits
    assert 5 <= ranged < 10
    assert re.fullmatch("[A-Z0-9]{12}", text)
    assert -2**31 <= whole < 2**31 and isinstance(normal, Decimal)
    assert re.fullmatch("[a-z]{5}", str(out(s, "begin :r := dbms_random.string('l', 5); end;")))
    assert rows(s, "select dbms_random.string('u', 0), length(dbms_random.string('p', 5000)) from dual") == [
        (None, 4000)]
    # evaluated once per row, not once per statement
    s.execute("create table r (n number)")
    for i in range(20):
        s.execute(f"insert into r values ({i})")
    assert rows(s, "select count(distinct dbms_random.value) from r") == [(20,)]


def test_seed_repeats_the_sequence(s: Session) -> None:
    first = block(s, "begin dbms_random.seed(42); :a := dbms_random.value; :b := dbms_random.string('a', 8); end;",
                  None, None)
    again = block(s, "begin dbms_random.seed('42'); :a := dbms_random.value; :b := dbms_random.string('a', 8);"
                     " end;", None, None)
    assert first == again


def test_a_configured_seed_makes_runs_repeat() -> None:
    draws = []
    for _ in range(2):
        db = Database()
        seed_random(db, 1234)
        session = db.session(user="scott", sid=1, serial=1)
        draws.append(rows(session, "select dbms_random.value, dbms_random.random from dual"))
        db.close()
    assert draws[0] == draws[1]


def test_contexts_read_by_sys_context(s: Session) -> None:
    block(s, "begin dbms_session.set_context('clientcontext', 'role', 'admin'); "
             "dbms_session.set_context('CLIENTCONTEXT', 'level', '3'); end;")
    assert rows(s, "select sys_context('CLIENTCONTEXT', 'ROLE'), sys_context('clientcontext', 'level'),"
                   " sys_context('clientcontext', 'nothing') from dual") == [("admin", "3", None)]
    assert out(s, "begin :r := sys_context('clientcontext', 'role'); end;") == "admin"
    block(s, "begin dbms_session.clear_context('clientcontext', attribute => 'role'); end;")
    assert rows(s, "select sys_context('clientcontext', 'role'), sys_context('clientcontext', 'level') from dual") == [
        (None, "3")]
    block(s, "begin dbms_session.clear_all_context('clientcontext'); end;")
    assert rows(s, "select sys_context('clientcontext', 'level') from dual") == [(None,)]
    assert fails(s, "begin dbms_session.set_context(null, 'a', 'b'); end;").code == 21560


def test_set_context_of_another_namespace_is_ora_01031(s: Session) -> None:
    """Oracle lets only the package of CREATE CONTEXT ... USING set a namespace; this server
    has no CREATE CONTEXT, so only the client namespace may be set."""
    assert fails(s, "begin dbms_session.set_context('app_ctx', 'role', 'admin'); end;").code == 1031
    assert rows(s, "select sys_context('app_ctx', 'role') from dual") == [(None,)]


def test_set_context_sizes_and_entries_are_bounded(s: Session) -> None:
    """Names and values past the protocol's bounds, and entries past MAX_ENTRIES a session,
    are ORA-28268 (the error a client's own over-limit context gets)."""
    assert fails(s, "begin dbms_session.set_context('clientcontext', rpad('a', 129, 'a'), 'v'); end;").code == 28268
    assert fails(s, "begin dbms_session.set_context('clientcontext', 'a', rpad('v', 4001, 'v')); end;").code == 28268
    block(s, "begin dbms_session.set_context('clientcontext', rpad('a', 128, 'a'), rpad('v', 4000, 'v')); end;")
    assert fails(s, f"""begin
  for i in 1 .. {MAX_ENTRIES + 1} loop
    dbms_session.set_context('clientcontext', 'k' || i, 'v');
  end loop;
end;""").code == 28268
    block(s, "begin dbms_session.set_context('clientcontext', 'k1', 'changed'); end;")  # an existing one: no growth
    assert rows(s, "select sys_context('clientcontext', 'k1') from dual") == [("changed",)]


def test_reset_package_gives_fresh_state(s: Session) -> None:
    s.execute("create package pk as n number := 1; end pk;")
    block(s, "begin pk.n := 5; end;")
    assert out(s, "begin :r := pk.n; end;") == 5
    block(s, "begin dbms_session.reset_package; end;")
    assert out(s, "begin :r := pk.n; end;") == 1
    block(s, "begin pk.n := 6; dbms_session.modify_package_state(dbms_session.reinitialize); end;")
    assert out(s, "begin :r := pk.n; end;") == 1
    assert fails(s, "begin dbms_session.modify_package_state(3); end;").code == 21560


def test_utility_times_and_error_stack(s: Session) -> None:
    (t, cpu), = rows(s, "select dbms_utility.get_time, dbms_utility.get_cpu_time from dual")
    assert isinstance(t, int) and -2**31 <= t < 2**31 and isinstance(cpu, int)
    values = block(s, """declare x number;
    begin
        :outside := dbms_utility.format_error_stack;
        x := 1 / 0;
    exception when others then
        :stack := dbms_utility.format_error_stack;
    end;""", None, None)
    assert values == {0: None, 1: "ORA-01476: divisor is equal to zero\n"}
    assert str(out(s, "begin :r := dbms_utility.format_call_stack; end;")).startswith("----- PL/SQL Call Stack")
    s.execute("create procedure p is x number; begin\n x := 1 / 0; end;")
    values = block(s, "begin p; exception when others then :t := dbms_utility.format_error_backtrace; end;", None)
    assert values == {0: 'ORA-06512: at "SCOTT.P", line 2\n'}


def test_local_transaction_id(s: Session) -> None:
    s.execute("create table t (n number)")
    assert out(s, "begin :r := dbms_transaction.local_transaction_id; end;") is None
    assert rows(s, "select dbms_transaction.local_transaction_id from dual") == [(None,)]
    s.execute("insert into t values (1)")
    first = out(s, "begin :r := dbms_transaction.local_transaction_id; end;")
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(first))
    s.execute("insert into t values (2)")
    assert rows(s, "select dbms_transaction.local_transaction_id(false) from dual") == [(first,)]
    s.commit()
    assert out(s, "begin :r := dbms_transaction.local_transaction_id; end;") is None
    s.execute("insert into t values (3)")
    second = out(s, "begin :r := dbms_transaction.local_transaction_id; end;")
    assert second is not None and second != first


def test_return_result_says_what_is_missing(s: Session) -> None:
    error = fails(s, "declare c sys_refcursor; begin open c for select 1 from dual; dbms_sql.return_result(c);"
                     " end;")
    assert error.code == 900 and "DBMS_SQL.RETURN_RESULT" in error.message


def test_application_info_longops_is_accepted(s: Session) -> None:
    values = block(s, "declare r number := 0; n number := 0; begin dbms_application_info.set_session_longops("
                      "r, n, 'load', sofar => 1, totalwork => 10); :r := r; end;", None)
    assert values == {0: 0}


def test_wrong_calls(s: Session) -> None:
    with pytest.raises(OraError) as info:
        rows(s, "select dbms_random.value(1, 2, 3) from dual")
    assert info.value.code == 909
    with pytest.raises(OraError) as info:
        rows(s, "select dbms_random.nothing from dual")
    assert info.value.code == 904


def test_compile_schema_mends_invalid_units(s: Session) -> None:
    s.execute("create procedure p is begin q; end;")
    s.execute("create procedure q is begin null; end;")
    status = "select object_name, status from user_objects where object_type = 'PROCEDURE' order by 1"
    assert rows(s, status) == [("P", "INVALID"), ("Q", "VALID")]
    block(s, "begin dbms_utility.compile_schema('SCOTT', compile_all => false); end;")
    assert rows(s, status) == [("P", "VALID"), ("Q", "VALID")]
    error = fails(s, "begin dbms_utility.compile_schema('NOBODY'); end;")
    assert error.code == 20000 and '"NOBODY"' in error.message
