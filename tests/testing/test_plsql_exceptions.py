"""PL/SQL exceptions: handlers, predefined and user-declared exceptions, EXCEPTION_INIT,
RAISE, RAISE_APPLICATION_ERROR, SQLCODE / SQLERRM and ORA-06512 lines (runtime/plsql_run.py)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, Session
from tests.testing.plsql_helpers import block, fails, out


@pytest.fixture
def s(db: Database) -> Session:
    return db.session(user="scott", sid=11, serial=22)


def test_predefined_exceptions_caught_by_name(s: Session) -> None:
    assert out(s, """declare n number; type t is table of number index by pls_integer; a t; v varchar2(2);
    begin
      begin n := 1 / 0; exception when zero_divide then :r := 'z'; end;
      begin n := a(1); exception when no_data_found then :r := :r || 'n'; end;
      begin v := 'abc'; exception when value_error then :r := :r || 'v'; end;
      begin n := to_number('x'); exception when invalid_number or value_error then :r := :r || 'i'; end;
      begin case n when 99 then null; end case; exception when case_not_found then :r := :r || 'c'; end;
    end;""") == "znvic"


def test_collection_exceptions_by_name(s: Session) -> None:
    assert out(s, """declare type nt is table of number; n nt; m nt := nt(1); type v is varray(1) of number; w v := v(1);
    begin
      begin n(1) := 1; exception when collection_is_null then :r := 'null'; end;
      begin m(2) := 1; exception when subscript_beyond_count then :r := :r || ' beyond'; end;
      begin w.extend; exception when subscript_outside_limit then :r := :r || ' outside'; end;
    end;""") == "null beyond outside"


def test_dup_val_on_index_from_dml(s: Session) -> None:
    s.execute("create table t (id number primary key)", (), bind_names=())
    assert out(s, """begin insert into t values (1); insert into t values (1);
      exception when dup_val_on_index then :r := sqlcode; end;""") == -1


def test_when_others_and_sqlcode_sqlerrm(s: Session) -> None:
    assert block(s, """begin :c := sqlcode; :m := sqlerrm; :x := 1 / 0;
      exception when others then :c := sqlcode; :m := sqlerrm; end;""", None, None, None) == \
        {0: -1476, 1: "ORA-01476: divisor is equal to zero"}
    assert out(s, "begin :r := sqlerrm(-1403) || '|' || sqlerrm(0) || '|' || sqlerrm(100); end;") == \
        "ORA-01403: no data found|ORA-0000: normal, successful completion|ORA-01403: no data found"


def test_no_data_found_sqlcode_is_plus_100(s: Session) -> None:
    assert out(s, """declare type t is table of number index by varchar2(5); a t; n number;
      begin n := a('k'); exception when no_data_found then :r := sqlcode; end;""") == 100


def test_user_exceptions_raised_and_handled(s: Session) -> None:
    assert out(s, """declare e1 exception; e2 exception; begin
      begin raise e2; exception when e1 then :r := 'e1'; when e2 then :r := 'e2:' || sqlcode || ':' || sqlerrm; end;
    end;""") == "e2:1:User-Defined Exception"


def test_unhandled_user_exception(s: Session) -> None:
    e = fails(s, "declare\n  e exception;\nbegin\n  raise e;\nend;")
    assert (e.code, e.message) == (6510, "ORA-06510: PL/SQL: unhandled user-defined exception\n"
                                         "ORA-06512: at line 4")


def test_exception_init_maps_an_ora_number(s: Session) -> None:
    s.execute("create table t (id number primary key)", (), bind_names=())
    assert out(s, """declare dup exception; pragma exception_init(dup, -1); mine exception;
      pragma exception_init(mine, -20042);
    begin
      insert into t values (1); insert into t values (1);
    exception when dup then
      begin raise mine; exception when mine then :r := sqlcode; end;
    end;""") == -20042
    e = fails(s, "declare e exception; pragma exception_init(e, -20042); begin raise e; end;")
    assert e.code == 20042


def test_bare_raise_reraises_the_current_error(s: Session) -> None:
    e = fails(s, "begin\n  begin\n    :x := 1 / 0;\n  exception when zero_divide then\n    raise;\n  end;\nend;",
              None)
    assert (e.code, e.message) == (1476, "ORA-01476: divisor is equal to zero\nORA-06512: at line 5")
    assert fails(s, "begin raise; end;").code == 6550


def test_handler_errors_propagate_to_the_enclosing_block(s: Session) -> None:
    assert out(s, """begin
      begin raise no_data_found; exception when no_data_found then raise zero_divide;
                                         when zero_divide then :r := 'wrong'; end;
    exception when zero_divide then :r := 'outer'; end;""") == "outer"


def test_declaration_errors_skip_the_block_s_own_handlers(s: Session) -> None:
    assert out(s, """begin
      declare v varchar2(1) := 'ab'; begin null; exception when others then :r := 'inner'; end;
    exception when value_error then :r := 'outer'; end;""") == "outer"


def test_raise_application_error(s: Session) -> None:
    e = fails(s, "begin\n  raise_application_error(-20123, 'custom ' || 'text');\nend;")
    assert (e.code, e.message) == (20123, "ORA-20123: custom text\nORA-06512: at line 2")
    assert out(s, """begin raise_application_error(-20000, 'x');
      exception when others then :r := sqlcode || ' ' || sqlerrm; end;""") == "-20000 ORA-20000: x"
    e = fails(s, "begin raise_application_error(-1, 'no'); end;")
    assert e.message.startswith("ORA-21000: error number argument to raise_application_error of -1 is out of range")


def test_raise_application_error_keeping_the_error_stack(s: Session) -> None:
    e = fails(s, """begin :x := 1 / 0;
      exception when others then raise_application_error(-20001, 'wrapped', true); end;""", None)
    assert e.message.splitlines()[:2] == ["ORA-20001: wrapped", "ORA-01476: divisor is equal to zero"]


def test_backtrace_through_stored_and_local_routines(s: Session) -> None:
    s.execute("create or replace procedure inner_p(n number) is\nbegin\n  if n > 1 then\n"
              "    raise_application_error(-20001, 'too big: ' || n);\n  end if;\nend;", (), bind_names=())
    e = fails(s, "declare\n  procedure l is\n  begin\n    inner_p(5);\n  end;\nbegin\n  l;\nend;")
    assert e.message == ('ORA-20001: too big: 5\nORA-06512: at "SCOTT.INNER_P", line 4\n'
                         "ORA-06512: at line 4\nORA-06512: at line 7")


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer().threaded() as running:
        yield running


def test_python_oracledb_sees_the_error_stack_and_the_session_lives_on(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cursor = conn.cursor()
        with pytest.raises(oracledb.DatabaseError) as info:
            cursor.execute("declare\n  e exception;\nbegin\n  null;\n  raise e;\nend;")
        error = info.value.args[0]
        assert (error.code, error.full_code, error.offset) == (6510, "ORA-06510", 0)
        assert error.message.splitlines()[:2] == ["ORA-06510: PL/SQL: unhandled user-defined exception",
                                                  "ORA-06512: at line 5"]
        cursor.execute("select 1 from dual")
        assert cursor.fetchall() == [(1,)]
