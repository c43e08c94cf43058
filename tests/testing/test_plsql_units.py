"""Stored PL/SQL units as catalog objects in the embedded server, through python-oracledb 26.1
(thin): their dictionary rows (USER_OBJECTS, USER_SOURCE, USER_ERRORS, USER_ARGUMENTS,
USER_PROCEDURES), compilation errors as Oracle reports them (the unit stored INVALID, the
DPY-7000 warning, ORA-06550 PLS-00905 when called) and DROP / ALTER ... COMPILE."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _name(prefix: str) -> str:
    return f"{prefix}{next(_names)}"


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]  # ORA-nnnnn


def test_units_appear_in_user_objects_and_user_source_line_by_line(cur: Any) -> None:
    proc, func = _name("UP"), _name("UF")
    cur.execute(f"create or replace procedure {proc} (a number, b out varchar2) as\nbegin\n    b := 'x' || a;\nend;")
    assert cur.warning is None
    cur.execute(f"create function {func} return number is begin return 7; end;")
    cur.execute("select object_name, object_type, status, created, last_ddl_time from user_objects "
                "where object_name in (:1, :2) order by object_name", [proc, func])
    rows = cur.fetchall()
    assert [r[:3] for r in rows] == [(func, "FUNCTION", "VALID"), (proc, "PROCEDURE", "VALID")]
    assert all(r[3] is not None and r[4] >= r[3] for r in rows)
    cur.execute("select line, text, type from user_source where name = :1 order by line", [proc])
    assert cur.fetchall() == [
        (1, f"procedure {proc} (a number, b out varchar2) as\n", "PROCEDURE"),
        (2, "begin\n", "PROCEDURE"), (3, "    b := 'x' || a;\n", "PROCEDURE"), (4, "end;", "PROCEDURE")]
    cur.execute("select owner, type from all_source where name = :1 and line = 1", [func])
    assert cur.fetchall() == [("SCOTT", "FUNCTION")]


def test_user_arguments_number_positions_as_oracle_does(cur: Any) -> None:
    proc, func, bare = _name("AP"), _name("AF"), _name("AN")
    cur.execute(f"create procedure {proc} (a in number, b in out varchar2, c out date, d varchar2 default 'x') "
                "is begin null; end;")
    cur.execute(f"create function {func} (p number) return varchar2 is begin return 'v'; end;")
    cur.execute(f"create procedure {bare} is begin null; end;")
    cur.execute("select object_name, argument_name, position, sequence, data_type, in_out, defaulted, package_name "
                "from user_arguments where object_name in (:1, :2, :3) order by object_name, sequence",
                [proc, func, bare])
    assert cur.fetchall() == [
        (func, None, 0, 1, "VARCHAR2", "OUT", "N", None),
        (func, "P", 1, 2, "NUMBER", "IN", "N", None),
        (bare, None, 1, 0, None, "IN", "N", None),
        (proc, "A", 1, 1, "NUMBER", "IN", "N", None),
        (proc, "B", 2, 2, "VARCHAR2", "IN/OUT", "N", None),
        (proc, "C", 3, 3, "DATE", "OUT", "N", None),
        (proc, "D", 4, 4, "VARCHAR2", "IN", "Y", None),
    ]
    cur.execute("select object_name, procedure_name, object_type, subprogram_id, authid from user_procedures "
                "where object_name = :1", [func])
    assert cur.fetchall() == [(func, None, "FUNCTION", 1, "DEFINER")]


def test_syntax_error_stores_the_unit_invalid_with_the_dpy_7000_warning(cur: Any) -> None:
    proc = _name("BAD")
    cur.execute(f"create or replace procedure {proc} as\nbegin\n    null\nend;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select status from user_objects where object_name = :1", [proc])
    assert cur.fetchall() == [("INVALID",)]
    cur.execute("select sequence, line, position, text, attribute, message_number from user_errors "
                "where name = :1 and type = 'PROCEDURE'", [proc])
    assert cur.fetchall() == [(1, 4, 1, 'PLS-00103: Encountered the symbol "END" when expecting one of the '
                               "following: ;", "ERROR", 103)]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {proc}; end;")
    assert str(exc.value).splitlines()[:4] == [
        "ORA-06550: line 1, column 7:", f"PLS-00905: object SCOTT.{proc} is invalid",
        "ORA-06550: line 1, column 7:", "PL/SQL: Statement ignored"]
    cur.execute(f"create or replace procedure {proc} as\nbegin\n    null;\nend;")
    assert cur.warning is None
    cur.execute("select count(*) from user_errors where name = :1", [proc])
    assert cur.fetchone() == (0,)
    cur.execute(f"begin {proc}; end;")
    cur.execute(f"drop procedure {proc}")
    assert cur.warning is None


def test_unknown_table_is_a_compile_error_mended_by_creating_the_table(cur: Any) -> None:
    func, table = _name("MF"), _name("MT")
    cur.execute(f"create function {func} return number as begin insert into {table} values (1); return 1; end;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select text from user_errors where name = :1 order by sequence", [func])
    assert cur.fetchall() == [("PL/SQL: ORA-00942: table or view does not exist",),
                              ("PL/SQL: SQL Statement ignored",)]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.callfunc(func, int)
    assert _code(exc) == "ORA-06550" and "PLS-00905" in str(exc.value)
    cur.execute(f"create table {table} (x number)")
    assert cur.callfunc(func, int) == 1  # the call compiles the unit again, as Oracle does
    cur.execute("select status from user_objects where object_name = :1", [func])
    assert cur.fetchall() == [("VALID",)]


def test_unknown_procedure_call_is_pls_00201_and_alter_compile_revalidates(cur: Any) -> None:
    caller, callee = _name("CR"), _name("CE")
    cur.execute(f"create procedure {caller} as begin {callee}(1); end;")
    assert cur.warning is not None
    cur.execute("select line, position, text from user_errors where name = :1 order by sequence", [caller])
    assert cur.fetchall() == [(1, 24, f"PLS-00201: identifier '{callee}' must be declared"),
                              (1, 24, "PL/SQL: Statement ignored")]
    cur.execute(f"create procedure {callee} (n number) as begin null; end;")
    cur.execute(f"alter procedure {caller} compile")
    assert cur.warning is None
    cur.execute("select status from user_objects where object_name = :1", [caller])
    assert cur.fetchall() == [("VALID",)]


def test_unit_ddl_errors(cur: Any) -> None:
    proc, table = _name("DP"), _name("DT")
    cur.execute(f"create table {table} (x number)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create procedure {table} as begin null; end;")
    assert _code(exc) == "ORA-00955"
    cur.execute(f"create procedure {proc} as begin null; end;")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create procedure {proc} as begin null; end;")
    assert _code(exc) == "ORA-00955"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create or replace function {proc} return number as begin return 1; end;")
    assert _code(exc) == "ORA-00955"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"drop function {proc}")
    assert _code(exc) == "ORA-04043"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter function {proc} compile")
    assert _code(exc) == "ORA-04043"
    cur.execute(f"drop procedure {proc}")
    cur.execute("select count(*) from user_objects where object_name = :1", [proc])
    assert cur.fetchone() == (0,)


def test_stored_functions_called_from_sql(cur: Any) -> None:
    func, table = _name("SF"), _name("ST")
    cur.execute(f"create table {table} (x number, y varchar2(10))")
    cur.executemany(f"insert into {table} values (:1, :2)", [(1, "a"), (2, "b")])
    cur.execute(f"create function {func} (n number, suffix varchar2 default '!') return varchar2 as "
                "begin return (n * 2) || suffix; end;")
    cur.execute(f"select x, {func}(x), scott.{func}(x, y) from {table} where {func}(x) <> '4!' order by x")
    assert cur.fetchall() == [(1, "2!", "2a")]
    assert cur.description[1][0] == f"{func}(X)" and cur.description[1][3] == 4000  # SQL sees VARCHAR2(4000)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {func}_missing(1) from dual")
    assert _code(exc) == "ORA-00904"
    cur.execute(f"update {table} set y = {func}(x, '?')")
    cur.execute(f"select y from {table} order by x")
    assert cur.fetchall() == [("2?",), ("4?",)]


def test_dropping_what_a_unit_names_makes_it_invalid_until_it_compiles_again(cur: Any) -> None:
    proc, helper, table = _name("DEP"), _name("DEPH"), _name("DEPT")
    cur.execute(f"create table {table} (x number)")
    cur.execute(f"create procedure {helper} as begin null; end;")
    cur.execute(f"create procedure {proc} as begin insert into {table} values (1); {helper}; end;")
    cur.execute(f"drop table {table}")
    cur.execute("select status from user_objects where object_name = :1", [proc])
    assert cur.fetchall() == [("INVALID",)]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {proc}; end;")
    assert f"PLS-00905: object SCOTT.{proc} is invalid" in str(exc.value)
    cur.execute(f"create table {table} (x number)")
    cur.execute(f"begin {proc}; end;")  # compiled again at the call, as Oracle does
    cur.execute(f"drop procedure {helper}")
    cur.execute("select status from user_objects where object_name = :1", [proc])
    assert cur.fetchall() == [("INVALID",)]
    cur.execute("select text from user_errors where name = :1 order by sequence", [proc])
    assert cur.fetchall() == [(f"PLS-00201: identifier '{helper}' must be declared",), ("PL/SQL: Statement ignored",)]
