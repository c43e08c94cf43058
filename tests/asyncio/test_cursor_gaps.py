"""cursor.parse(), binding a cursor to itself, BFILE methods on other LOBs and PL/SQL
executemany OUT values: python-oracledb 26.1 and oracle_asyncio side by side, each
against an EmbeddedServer of its own (see test_cursor_api.differential).  These are
the gaps python-oracledb's own async tests found (test_6318/6319, 5802, 5727, 6117-6119,
6122, 6342)."""

from __future__ import annotations

from functools import partial
from typing import Any

from tests.asyncio.test_cursor_api import Trace, differential


async def _parse(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (n number(9), s varchar2(10))")
    await cur.execute("insert into t values (1, 'a')")
    await conn.commit()
    await t.step("bad table", lambda: cur.parse("select * from nosuch"))
    for label, sql in (("ddl", "truncate table t"), ("dml", "insert into t (n) values (2)"),
                       ("plsql", "begin :v := 5; end;"), ("query", "select n, s from t where n = :v")):
        await t.step(label, partial(cur.parse, sql))
        await t.step(f"{label} statement", lambda: cur.statement)
        await t.step(f"{label} description", lambda: cur.description)
    # Parsing runs nothing: the truncate and the insert above left the row alone.
    await t.step("rows", lambda: conn.fetchall("select n, s from t"))
    await t.step("execute the parsed", lambda: cur.execute(None, v=1))
    await t.step("its rows", lambda: cur.fetchall())


def test_parse_runs_nothing_and_describes_queries() -> None:
    rows = dict(differential(_parse))
    assert rows["ddl description"] is None and rows["dml statement"] == "insert into t (n) values (2)"
    assert [c[0] for c in rows["query description"]] == ["N", "S"]
    assert rows["bad table"] == ("!DatabaseError", "ORA-00942")
    assert rows["rows"] == [(1, "a")] and rows["its rows"] == [(1, "a")]


async def _self_bind_and_bfile(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    sql = "begin open :pcursor for select 1 from dual; end;"
    await t.step("self by name", lambda: cur.execute(sql, pcursor=cur))
    other = conn.cursor()  # a fresh statement: a bind style of its own
    await t.step("self by position", lambda: other.execute(sql, [other]))
    for typ in (db.DB_TYPE_BLOB, db.DB_TYPE_CLOB, db.DB_TYPE_NCLOB):
        lob = await conn.createlob(typ)
        await t.step(f"{typ.name} getfilename", lambda: lob.getfilename())
        await t.step(f"{typ.name} setfilename", lambda: lob.setfilename("d", "f"))
        await t.step(f"{typ.name} fileexists", lambda: lob.fileexists())


def test_self_bind_and_bfile_methods_raise_python_oracledbs_errors() -> None:
    rows = dict(differential(_self_bind_and_bfile))
    assert rows["self by name"] == rows["self by position"] == ("!NotSupportedError", "DPY-3009")
    assert rows["DB_TYPE_CLOB getfilename"] == ("!NotSupportedError", "DPY-3026")


async def _plsql_many(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    sql = "begin :1 := length(:2); end;"
    var = cur.var(int, arraysize=3)
    for words in (["one", "two", "end"], ["three", "four", "end"]):
        await t.step(f"many {words[0]}", partial(cur.executemany, sql, [(var, w) for w in words]))
        await t.step(f"values {words[0]}", lambda: var.values)
    await cur.execute("create table t (n number(9), s varchar2(10))")
    out = cur.var(db.NUMBER, arraysize=4)
    cur.setinputsizes(None, None, out)
    await t.step("returning into", lambda: cur.executemany(
        "begin insert into t values (:n, :s) returning n into :o; end;", [(i, f"x{i}") for i in (5, 8, 17, 6)]))
    await t.step("returned", lambda: out.values)


def test_plsql_executemany_fills_every_executions_out_value() -> None:
    """Each execution's OUT values land at its own row of the variable (they came back as one
    ROW_DATA per execution; ours used to keep only row 0 of the last)."""
    rows = dict(differential(_plsql_many))
    assert rows["values one"] == [3, 3, 3] and rows["values three"] == [5, 4, 3]
    assert rows["returned"] == [5, 8, 17, 6]


async def _returning_vars(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table c (n number(9), c clob)")
    lob_var = cur.var(db.DB_TYPE_CLOB, outconverter=lambda lob: lob.read())
    await t.step("lob returning", lambda: cur.execute("insert into c values (1, :i) returning c into :o",
                                                      i="A short CLOB", o=lob_var))
    await t.step("converted", lambda: lob_var.getvalue())
    out = cur.var(int, arraysize=5)
    await t.step("returning", lambda: cur.execute("insert into c (n) values (:i) returning n + 15 into :o",
                                                  i=25, o=out))
    await t.step("returned", lambda: out.getvalue())
    await t.step("bound again", lambda: cur.execute("begin :o := :i + 35; end;", i=35, o=out))
    await t.step("its value", lambda: out.getvalue())


def test_returning_vars_await_converters_and_bind_again_as_their_type() -> None:
    """python-oracledb's async driver awaits an outconverter's awaitable (5917), and a variable
    holding RETURNING lists binds again as its type, emptied (5922)."""
    rows = dict(differential(_returning_vars))
    assert rows["converted"] == ["A short CLOB"]
    assert rows["returned"] == [40] and rows["its value"] == 70


async def _warning(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()

    def code() -> object:
        return None if cur.warning is None else (cur.warning.full_code, cur.warning.message, cur.warning.iswarning)

    await t.step("before", code)
    for label, sql in (("bad procedure", "create or replace procedure p as begin null end;"),
                       ("good procedure", "create or replace procedure p as begin null; end;"),
                       ("bad function", "create or replace function f return number as begin return null end;"),
                       ("drop", "drop function f")):
        await t.step(label, partial(cur.execute, sql))
        await t.step(f"{label} warning", code)


def test_compilation_warning_is_dpy_7000_until_the_next_execute() -> None:
    rows = dict(differential(_warning))
    assert rows["before"] is None and rows["good procedure warning"] is None and rows["drop warning"] is None
    assert rows["bad procedure warning"] == ("DPY-7000", "DPY-7000: creation succeeded with compilation errors", True)
    assert rows["bad function warning"] == rows["bad procedure warning"]


async def _plsql_many_without_binds(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (n number(9))")
    block = "declare k number; begin select count(*) + 1 into k from t; insert into t values (k); end;"
    await t.step("executemany 5", partial(cur.executemany, block, 5))
    await t.step("rowcount", lambda: cur.rowcount)
    await t.step("rows", lambda: conn.fetchall("select n from t order by n"))


def test_plsql_executemany_without_binds_runs_the_block_n_times() -> None:
    rows = dict(differential(_plsql_many_without_binds))
    assert rows["rows"] == [(1,), (2,), (3,), (4,), (5,)] and rows["rowcount"] == 0
