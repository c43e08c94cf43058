"""Packages in the embedded server, through python-oracledb 26.1 (thin): CREATE PACKAGE and
PACKAGE BODY, calls from blocks, callproc/callfunc and SQL, overloading, package state per
session and the initialisation section, private subprograms, dictionary rows, DROP, and the
errors Oracle gives for missing units (ORA-04067, PLS-00201, PLS-00302)."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _connect(server: EmbeddedServer) -> Any:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def _package(cur: Any) -> str:
    pkg = f"PK{next(_names)}"
    cur.execute(f"""create or replace package {pkg} as
    g_count number := 0;
    c_max constant number := 10;
    procedure bump(n number default 1);
    function total return number;
    function twice(n number) return number;
    function twice(s varchar2, t varchar2) return varchar2;
end {pkg};""")
    assert cur.warning is None
    cur.execute(f"""create or replace package body {pkg} as
    g_private number := 100;
    function helper(n number) return number is begin return n + g_private; end;
    procedure bump(n number default 1) is
    begin
        g_count := g_count + n;
    end;
    function total return number is begin return g_count; end;
    function twice(n number) return number is begin return helper(n * 2) - 100; end;
    function twice(s varchar2, t varchar2) return varchar2 is begin return s || t || s || t; end;
begin
    g_count := 5;
end {pkg};""")
    assert cur.warning is None
    return pkg


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]  # ORA-nnnnn


def test_calls_from_blocks_callproc_callfunc_and_sql(cur: Any) -> None:
    pkg = _package(cur)
    cur.execute(f"begin {pkg}.bump; {pkg}.bump(n => 3); end;")
    assert cur.callfunc(f"{pkg}.total", int) == 9  # 5 from the initialisation section
    cur.callproc(f"scott.{pkg}.bump", [1])
    assert cur.callfunc(f"scott.{pkg}.total", int) == 10
    cur.execute(f"select {pkg}.twice(21), {pkg}.total(), scott.{pkg}.twice('x', 'y') from dual")
    assert cur.fetchall() == [(42, 10, "xyxy")]


def test_overloads_are_chosen_by_arguments(cur: Any) -> None:
    pkg = _package(cur)
    assert cur.callfunc(f"{pkg}.twice", int, [4]) == 8  # through the private helper
    assert cur.callfunc(f"{pkg}.twice", str, ["a", "b"]) == "abab"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"declare x number; begin x := {pkg}.twice(1, 2, 3); end;")
    assert _code(exc) == "ORA-06550" and "PLS-00306" in str(exc.value)


def test_clob_and_blob_overloads_are_chosen_by_the_bound_value(cur: Any) -> None:
    """python-oracledb binds a string over 32767 bytes as LONG and bytes as LONG RAW; Oracle passes
    them to the CLOB and the BLOB overload (python-oracledb's test_4125/4126 call such a pair)."""
    pkg = f"PK{next(_names)}"
    cur.execute(f"""create or replace package {pkg} as
    procedure kind(b blob, k out number);
    procedure kind(c clob, k out number);
end;""")
    cur.execute(f"""create or replace package body {pkg} as
    procedure kind(b blob, k out number) is begin k := 1; end;
    procedure kind(c clob, k out number) is begin k := 2; end;
end;""")
    for value, expected in (("x" * 40000, 2), (b"x" * 40000, 1), ("short", 2), (b"short", 1)):
        fresh = cur.connection.cursor()  # a reused cursor would keep the first call's bind types
        k = fresh.var(int)
        fresh.callproc(f"{pkg}.kind", [value, k])
        assert k.getvalue() == expected, value[:5]


def test_package_state_is_per_session_and_variables_are_reachable(cur: Any, server: EmbeddedServer) -> None:
    pkg = _package(cur)
    v = cur.var(int)
    cur.execute(f"begin {pkg}.bump(2); :v := {pkg}.g_count + {pkg}.c_max; {pkg}.g_count := 1; end;", v=v)
    assert v.getvalue() == 17
    assert cur.callfunc(f"{pkg}.total", int) == 1
    other = _connect(server)
    try:
        assert other.cursor().callfunc(f"{pkg}.total", int) == 5  # its own instance, initialised anew
    finally:
        other.close()
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {pkg}.c_max := 1; end;")
    assert "PLS-00363" in str(exc.value)


def test_private_and_missing_names(cur: Any) -> None:
    pkg = _package(cur)
    for call, pls in [(f"{pkg}.helper(1)", "PLS-00302: component 'HELPER' must be declared"),
                      (f"{pkg}.nosuch", "PLS-00302: component 'NOSUCH' must be declared"),
                      (f"{pkg}_MISSING.x", f"PLS-00201: identifier '{pkg}_MISSING.X' must be declared")]:
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(f"begin {call}; end;")
        assert str(exc.value).splitlines()[:2] == ["ORA-06550: line 1, column 7:", pls]


def test_spec_without_body_is_ora_04067_and_drop(cur: Any) -> None:
    pkg = _package(cur)
    cur.execute(f"drop package body {pkg}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {pkg}.bump; end;")
    assert str(exc.value).splitlines()[:2] == [
        f'ORA-04067: not executed, package body "SCOTT.{pkg}" does not exist',
        f'ORA-06508: PL/SQL: could not find program unit being called: "SCOTT.{pkg}"']
    cur.execute(f"drop package {pkg}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {pkg}.bump; end;")
    assert "PLS-00201" in str(exc.value)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"drop package {pkg}")
    assert _code(exc) == "ORA-04043"


def test_body_without_spec_and_body_errors_are_compile_errors(cur: Any) -> None:
    name = f"PKB{next(_names)}"
    cur.execute(f"create package body {name} as procedure p is begin null; end; end;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select text from user_errors where name = :1 and type = 'PACKAGE BODY'", [name])
    assert cur.fetchall() == [(f"PLS-00201: identifier '{name}' must be declared",)]
    pkg = _package(cur)
    cur.execute(f"create or replace package body {pkg} as procedure bump(n number default 1) is begin null end; end;")
    assert cur.warning is not None
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"begin {pkg}.bump; end;")
    assert _code(exc) == "ORA-04063"


def test_dictionary_rows_of_a_package(cur: Any) -> None:
    pkg = _package(cur)
    cur.execute("select object_type, status from user_objects where object_name = :1 order by object_type", [pkg])
    assert cur.fetchall() == [("PACKAGE", "VALID"), ("PACKAGE BODY", "VALID")]
    cur.execute("select procedure_name, subprogram_id, overload, object_type from user_procedures "
                "where object_name = :1 order by subprogram_id", [pkg])
    assert cur.fetchall() == [(None, 0, None, "PACKAGE"), ("BUMP", 1, None, "PACKAGE"), ("TOTAL", 2, None, "PACKAGE"),
                              ("TWICE", 3, "1", "PACKAGE"), ("TWICE", 4, "2", "PACKAGE")]
    cur.execute("select object_name, argument_name, position, overload, data_type, defaulted from user_arguments "
                "where package_name = :1 order by subprogram_id, sequence", [pkg])
    assert cur.fetchall() == [
        ("BUMP", "N", 1, None, "NUMBER", "Y"), ("TOTAL", None, 0, None, "NUMBER", "N"),
        ("TWICE", None, 0, "1", "NUMBER", "N"), ("TWICE", "N", 1, "1", "NUMBER", "N"),
        ("TWICE", None, 0, "2", "VARCHAR2", "N"), ("TWICE", "S", 1, "2", "VARCHAR2", "N"),
        ("TWICE", "T", 2, "2", "VARCHAR2", "N")]
    cur.execute("select type, line, text from user_source where name = :1 and line = 1 order by type", [pkg])
    assert cur.fetchall() == [("PACKAGE", 1, f"package {pkg} as\n"), ("PACKAGE BODY", 1, f"package body {pkg} as\n")]


def test_package_types_serve_blocks_and_the_package_itself(cur: Any) -> None:
    pkg = f"PKT{next(_names)}"
    cur.execute(f"""create package {pkg} as
    type udt_list is table of varchar2(20) index by binary_integer;
    function joined(a udt_list) return varchar2;
end;""")
    cur.execute(f"""create package body {pkg} as
    function joined(a udt_list) return varchar2 is
        r varchar2(200);
    begin
        for i in 1..a.count loop
            r := r || a(i);
        end loop;
        return r;
    end;
end;""")
    assert cur.warning is None
    v = cur.var(str)
    cur.execute(f"declare t {pkg}.udt_list; begin t(1) := 'a'; t(2) := 'b'; :v := {pkg}.joined(t); end;", v=v)
    assert v.getvalue() == "ab"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"declare t {pkg}.no_type; begin null; end;")
    assert "PLS-00302: component 'NO_TYPE' must be declared" in str(exc.value)


def test_calling_a_member_the_spec_lacks_is_a_compile_error(cur: Any) -> None:
    pkg = _package(cur)
    caller = f"{pkg}_CALLER"
    cur.execute(f"create procedure {caller} as begin {pkg}.bump(1); {pkg}.nosuch(2); end;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select text from user_errors where name = :1 order by sequence", [caller])
    assert cur.fetchall() == [("PLS-00302: component 'NOSUCH' must be declared",), ("PL/SQL: Statement ignored",)]
