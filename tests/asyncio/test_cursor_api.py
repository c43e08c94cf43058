"""AsyncCursor / AsyncConnection SQL surface against python-oracledb 26.1.

Each differential scenario runs once with ``oracledb`` and once with
``oracle_asyncio`` (the same code: only the module differs), each against an
EmbeddedServer of its own, and the recorded results must be equal.  Types the
embedded server cannot produce (TIMESTAMP WITH LOCAL TIME ZONE, UROWID; ROWID too, canned) are
served by the interop DoubleServer with canned columns.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio._cursor_vars import VarPositionError
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import (
    ExecuteRequested,
    FetchRequested,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.ttc.messages.describe import column_for
from tests.interop.double import DoubleServer

Scenario = Callable[[Any, Any, "Trace"], Awaitable[None]]
PROC = """create or replace procedure add_log(p_id in number, p_msg in varchar2 default 'none',
    p_count out number, p_io in out varchar2) is
  v_factor number := 10;
begin
  insert into log_t values (p_id, p_msg);
  p_count := p_id * v_factor;
  p_io := upper(p_io) || '!';
end add_log;"""
FUNC = "create function twice(x number, y number default 1) return number as begin return x * 2 + y; end;"


def run(body: Callable[[EmbeddedServer], Awaitable[None]], **kw: object) -> None:
    async def main() -> None:
        async with EmbeddedServer(**kw) as server:  # type: ignore[arg-type]
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


def T(db: Any, name: str) -> Any:
    """``db.DB_TYPE_<name>`` (oracle_asyncio exports only some at the top; all are in dbtypes)."""
    return getattr(db, name, None) or getattr(db.dbtypes, name)


def norm(value: Any) -> Any:
    """What both drivers' results are compared as (their classes differ by module)."""
    cls = type(value).__name__
    if cls == "AsyncCursor":
        return "<cursor>"
    if cls == "DbType":
        return value.name
    if cls == "IntervalYM":
        return ("IntervalYM", value.years, value.months)
    if cls == "Var":
        return ("Var", value.type.name, norm(value.values))
    if cls == "FetchInfo":
        return norm(tuple(value))
    if isinstance(value, (list, tuple)):
        return type(value)(norm(v) for v in value)
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    return value


def typed(value: Any) -> Any:
    """``value`` with each number's type beside it: 1 == 1.0 == Decimal(1), and the
    drivers must agree on which one they return."""
    if isinstance(value, (float, Decimal)) or (isinstance(value, int) and not isinstance(value, bool)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return type(value)(typed(v) for v in value)
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    return value


def failure(exc: BaseException) -> tuple[str, str | None]:
    if isinstance(exc, IndexError):  # python-oracledb: IndexError; ours: VarPositionError (also an IndexError)
        return ("!IndexError", None)
    info = exc.args[0] if exc.args else None
    return ("!" + type(exc).__name__, getattr(info, "full_code", None))


class Trace:
    """Recorded (label, normalised result or failure) rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, Any]] = []

    async def step(self, label: str, fn: Callable[[], Any]) -> Any:
        try:
            value = fn()
            if inspect.isawaitable(value):
                value = await value
        except Exception as exc:
            self.rows.append((label, failure(exc)))
            return None
        self.rows.append((label, norm(value)))
        return value


def differential(scenario: Scenario) -> list[tuple[str, Any]]:
    """Run ``scenario`` with both drivers; assert equal traces; return ours."""
    traces: dict[str, Trace] = {}

    async def body(server: EmbeddedServer) -> None:
        async with EmbeddedServer() as second:
            for mod, srv in ((oracledb, server), (oracle_asyncio, second)):
                conn = await mod.connect_async(user="scott", password="tiger", dsn=srv.dsn)
                trace = traces[mod.__name__] = Trace()
                try:
                    await scenario(mod, conn, trace)
                finally:
                    await conn.close()

    run(body)
    theirs, ours = traces["oracledb"].rows, traces["oracle_asyncio"].rows
    problems = [f"{a[0]}: theirs {a[1]!r} != ours {b[1]!r}" for a, b in zip(theirs, ours)
                if typed(a) != typed(b)]
    assert not problems and len(theirs) == len(ours), "\n".join(problems)
    return ours


# ----------------------------------------------------------------- callproc / callfunc


async def _calls(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table log_t (id number, msg varchar2(100))")
    await cur.execute(PROC)
    await cur.execute(FUNC)
    count, io = cur.var(int), cur.var(str)
    io.setvalue(0, "abc")
    await t.step("callproc vars", lambda: cur.callproc("add_log", [7, "hello", count, io]))
    await t.step("vars after", lambda: (count.getvalue(), io.getvalue()))
    # Same statement on the same cursor: None reuses the NUMBER variable.
    await t.step("callproc plain", lambda: cur.callproc("add_log", (8, "x", None, "zz")))
    await t.step("callproc keywords", lambda: cur.callproc("add_log", [9], {"p_count": count, "p_io": io}))
    await t.step("statement", lambda: cur.statement)
    await t.step("callfunc int", lambda: cur.callfunc("twice", int, [20]))
    await t.step("callfunc float", lambda: cur.callfunc("twice", float, [20]))
    await t.step("callfunc Decimal", lambda: cur.callfunc("twice", Decimal, [1.25]))
    await t.step("callfunc DbType", lambda: cur.callfunc("twice", db.DB_TYPE_NUMBER, [20], {"y": 5}))
    await t.step("callfunc statement", lambda: cur.statement)
    await t.step("callfunc builtin", lambda: cur.callfunc("upper", str, ("abc",)))
    await t.step("bindvars", lambda: cur.bindvars)
    await t.step("wrong arguments", lambda: cur.callproc("add_log", [1]))
    await t.step("function as procedure", lambda: cur.callproc("twice", [1]))
    await t.step("parameters not a list", lambda: cur.callproc("add_log", "abc"))
    await t.step("keywords not a dict", lambda: cur.callproc("add_log", [], [1]))
    await t.step("return type None", lambda: cur.callfunc("twice", None, [1]))
    await t.step("return type list", lambda: cur.callfunc("twice", list, [1]))
    await t.step("enable output", lambda: cur.callproc("dbms_output.enable"))
    await t.step("put_line", lambda: cur.callproc("dbms_output.put_line", ["hi there"]))
    await t.step("get_line", lambda: cur.callproc("dbms_output.get_line", [cur.var(str), cur.var(int)]))
    await t.step("get_line empty", lambda: cur.callproc("dbms_output.get_line", [cur.var(str), cur.var(int)]))
    await t.step("set_identifier", lambda: conn.callproc("dbms_session.set_identifier", ["me"]))
    await t.step("identifier", lambda: conn.fetchone("select sys_context('userenv', 'client_identifier') from dual"))
    await t.step("conn.callfunc", lambda: conn.callfunc("twice", int, [3], {"y": 0}))
    await t.step("rows", lambda: conn.fetchall("select id, msg from log_t order by id"))


def test_callproc_and_callfunc_match_python_oracledb() -> None:
    rows = dict(differential(_calls))
    assert rows["callproc vars"] == [7, "hello", 70, "ABC!"]
    assert rows["callproc plain"] == [8, "x", 80, "ZZ!"]
    assert rows["callproc keywords"] == [9]
    assert rows["statement"] == "begin add_log(:1,p_count => :2,p_io => :3); end;"
    assert rows["callfunc float"] == 41.0 and rows["callfunc Decimal"] == Decimal("3.5")
    assert rows["callfunc statement"] == "begin :retval := twice(:1,y => :2); end;"
    assert rows["get_line"] == [("hi there"), 0] and rows["get_line empty"] == [None, 1]
    assert rows["rows"] == [(7, "hello"), (8, "x"), (9, "none")]
    assert rows["parameters not a list"] == ("!ProgrammingError", "DPY-2012")
    assert rows["return type None"] == ("!ProgrammingError", "DPY-2007")


# ------------------------------------------------------- var / setinputsizes / bindvars


async def _variables(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    types: list[Any] = [int, float, Decimal, str, bytes, bool, dt.datetime, dt.date, dt.timedelta] + [
        T(db, f"DB_TYPE_{n}") for n in ("NVARCHAR", "NCHAR", "CHAR", "RAW", "LONG", "BINARY_FLOAT", "BINARY_DOUBLE",
                                        "TIMESTAMP_TZ", "CLOB", "BLOB", "ROWID", "BOOLEAN")]
    def attributes(v: Any) -> tuple[Any, ...]:
        return (v.type, v.size, v.buffer_size, v.num_elements, v.actual_elements, v.values)

    for typ in types:
        await t.step(f"var({typ})", lambda typ=typ: attributes(cur.var(typ)))  # type: ignore[misc]
    await t.step("var(str, 10)", lambda: attributes(cur.var(str, 10))[1:3])
    await t.step("var(int, 50)", lambda: cur.var(int, 50).size)
    await t.step("var arraysize", lambda: cur.var(str, arraysize=3).values)
    await t.step("var arraysize 0", lambda: cur.var(str, arraysize=0).num_elements)
    await t.step("var None", lambda: cur.var(None))
    await t.step("var 5", lambda: cur.var(5))
    await t.step("var list", lambda: cur.var(list))
    await t.step("var negative size", lambda: cur.var(str, -1))
    var = cur.var(int)
    await t.step("getvalue 1", lambda: var.getvalue(1))
    await t.step("setvalue 1", lambda: var.setvalue(1, 3))
    await t.step("setvalue str into NUMBER", lambda: var.setvalue(0, "x"))
    await t.step("setvalue", lambda: (var.setvalue(0, 3), var.getvalue())[1])
    short = cur.var(str, 3)
    await t.step("setvalue grows", lambda: (short.setvalue(0, "abcdef"), short.size, short.getvalue())[1:])
    for typ in (int, float, Decimal, db.DB_TYPE_NUMBER, T(db, "DB_TYPE_BINARY_DOUBLE")):
        for value in ("1.5", "4"):
            out = cur.var(typ)
            await cur.execute(f"begin :1 := {value}; end;", [out])
            await t.step(f"{typ} <- {value}", lambda out=out: (out.getvalue(), type(out.getvalue()).__name__))  # type: ignore[misc]
    conv = cur.var(int, outconverter=lambda v: v * 10)
    await cur.execute("begin :1 := 4; end;", [conv])
    await t.step("outconverter", lambda: (conv.getvalue(), conv.outconverter is not None))
    nulls = cur.var(str, outconverter=lambda v: f"conv:{v!r}", convert_nulls=True)
    await cur.execute("begin :1 := null; end;", [nulls])
    await t.step("convert_nulls", lambda: (nulls.getvalue(), nulls.convert_nulls))
    upper = cur.var(str, inconverter=lambda v: v.upper())
    upper.setvalue(0, "abc")
    await t.step("inconverter stored", lambda: upper.getvalue())
    await cur.execute("begin :1 := lower(:1); end;", [upper])
    await t.step("inconverter round trip", lambda: upper.getvalue())
    sizes = cur.setinputsizes(int, 20)
    await t.step("setinputsizes", lambda: sizes)
    await cur.execute("begin :1 := length(:2); end;", [None, "abcd"])
    await t.step("setinputsizes vars filled", lambda: ([v.getvalue() for v in sizes], cur.bindvars[0] is sizes[0]))
    named = cur.setinputsizes(a=int)
    await cur.execute("begin :a := 7; end;")
    await t.step("named setinputsizes", lambda: (named["a"].getvalue(), cur.bindvars))
    await t.step("setinputsizes with None", lambda: cur.setinputsizes(None, str))
    await t.step("setinputsizes()", lambda: cur.setinputsizes())
    await t.step("setinputsizes both", lambda: cur.setinputsizes(1, a=2))
    await t.step("setinputsizes bad", lambda: cur.setinputsizes("x"))
    cur.setinputsizes(b=int)
    await t.step("setinputsizes unknown name", lambda: cur.execute("select :a from dual", {"a": 1}))
    cur.setinputsizes(int)
    await t.step("setinputsizes replaced", lambda: cur.execute("select :1 from dual", ["abc"]))
    await t.step("replaced fetch", lambda: cur.fetchall())
    await cur.execute("begin :a := upper(:b); end;", a=cur.var(str), b="x")
    await t.step("bindvars named", lambda: cur.bindvars)
    await cur.execute("select :1, :2 from dual", [5, "five"])
    await t.step("bindvars positional", lambda: cur.bindvars)
    given = cur.var(str)
    given.setvalue(0, "hello")
    await cur.execute("select :1 from dual", [given])
    await t.step("Var as parameter", lambda: cur.bindvars[0] is given)
    await t.step("Var as parameter fetch", lambda: cur.fetchall())


def test_var_setinputsizes_and_bindvars_match_python_oracledb() -> None:
    rows = dict(differential(_variables))
    assert rows["var(<class 'str'>)"][:3] == ("DB_TYPE_VARCHAR", 4000, 16000)
    assert rows["<class 'int'> <- 1.5"] == (1.5, "float") and rows["<class 'int'> <- 4"] == (4, "int")
    assert rows["getvalue 1"] == ("!IndexError", None)
    assert rows["setvalue str into NUMBER"] == ("!NotSupportedError", "DPY-3013")
    assert rows["named setinputsizes"][0] == 7


# ---------------------------------------------------------------- binding rules / errors


async def _binding(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table em (x number)")
    await t.step("repeated positional, one value", lambda: cur.execute("select :1, :1 from dual", [5]))
    await t.step("repeated positional, two", lambda: (cur.execute("select :1, :1 from dual", [5, 6])))
    await t.step("fetch", lambda: cur.fetchall())
    await t.step("repeated named", lambda: cur.execute("select :a, :a from dual", {"a": 5}))
    await t.step("fetch named", lambda: cur.fetchall())
    await t.step("named by position", lambda: cur.execute("select :a, :b from dual", [1, 2]))
    await t.step("fetch by position", lambda: cur.fetchall())
    await t.step("dict and keywords", lambda: cur.execute("select :a from dual", {"a": 1}, a=2))
    await t.step("parameters a str", lambda: cur.execute("select :a from dual", "x"))
    await t.step("key case and colon", lambda: cur.execute("select :a, :b from dual", {"A": 1, ":b": 2}))
    await t.step("fetch keys", lambda: cur.fetchall())
    fresh = conn.cursor()
    await t.step("values for no binds", lambda: fresh.execute("select 1 from dual", [1]))
    fresh = conn.cursor()
    await t.step("missing value", lambda: fresh.execute("select :1 from dual"))
    await t.step("missing name", lambda: conn.cursor().execute("begin :a := length(:b); end;", {"a": None}))
    await t.step("unknown name", lambda: conn.cursor().execute("begin :a := 1; end;", {"a": None, "zz": 1}))
    await t.step("too many", lambda: conn.cursor().execute("begin :1 := 3; end;", [None, 1]))
    await t.step("execute None first", lambda: conn.cursor().execute(None))
    await t.step("empty statement", lambda: conn.cursor().execute("   "))
    await t.step("executemany bad", lambda: conn.cursor().executemany("insert into em values (:1)", "x"))
    empty = conn.cursor()
    await t.step("executemany []", lambda: empty.executemany("insert into em values (:1)", []))
    await t.step("executemany [] rowcount", lambda: (empty.rowcount, empty.statement))
    await t.step("executemany n, no binds", lambda: cur.executemany("insert into em values (1)", 3))
    await t.step("rowcount", lambda: cur.rowcount)
    many = conn.cursor()
    await t.step("executemany n with binds", lambda: many.executemany("insert into em values (:1)", 2))
    await t.step("executemany rows", lambda: many.executemany("insert into em values (:1)", [(i,) for i in range(5)]))
    await t.step("executemany rowcount", lambda: many.rowcount)
    await t.step("executemany None", lambda: many.executemany(None, [(9,)]))
    await t.step("executemany None rowcount", lambda: many.rowcount)
    again = conn.cursor()
    await again.executemany("insert into em values (:1)", [(10,), (11,)])
    await t.step("executemany n reuses variables", lambda: again.executemany(None, 2))
    await t.step("mixed row types", lambda: conn.cursor().executemany("insert into em values (:1)", [(1,), ("x",)]))
    await t.step("mixed row types 2", lambda: conn.cursor().executemany("insert into em values (:1)",
                                                                        [(None,), ("x",), (1,)]))
    await t.step("em", lambda: conn.fetchall("select x from em order by x"))


def test_binding_rules_match_python_oracledb() -> None:
    rows = dict(differential(_binding))
    assert rows["repeated positional, one value"] == ("!DatabaseError", "DPY-4009")
    assert rows["missing name"] == ("!DatabaseError", "DPY-4010")
    assert rows["unknown name"] == ("!DatabaseError", "DPY-4008")
    assert rows["executemany n with binds"] == ("!DatabaseError", "DPY-4010")
    assert rows["executemany n reuses variables"] is None


# --------------------------------------------------------- cursor attributes / fetching


async def _attributes(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await t.step("defaults", lambda: (cur.arraysize, cur.prefetchrows, cur.rowfactory, cur.statement, cur.warning,
                                      cur.bindvars, cur.rowcount, cur.connection is conn))
    await t.step("arraysize 0", lambda: setattr(cur, "arraysize", 0))
    await t.step("arraysize str", lambda: setattr(cur, "arraysize", "x"))
    await t.step("prefetchrows str", lambda: setattr(cur, "prefetchrows", "x"))
    await t.step("prefetchrows negative", lambda: setattr(cur, "prefetchrows", -1))
    await t.step("fetch before execute", lambda: cur.fetchone())
    await cur.execute("begin null; end;")
    await t.step("fetch after PL/SQL", lambda: cur.fetchall())
    cur.arraysize = 2
    await cur.execute("select level, 'r' || level from dual connect by level <= 5")
    cur.rowfactory = lambda *row: list(row)
    await t.step("fetchmany(0)", lambda: cur.fetchmany(0))
    await t.step("fetchone rowfactory", lambda: cur.fetchone())
    await t.step("fetchmany default", lambda: cur.fetchmany())
    await t.step("fetchall rowfactory", lambda: cur.fetchall())
    await cur.execute("select level, 'r' || level from dual connect by level <= 5")
    await t.step("same statement keeps rowfactory", lambda: (cur.rowfactory is not None, cur.statement))
    await cur.execute("select 1 from dual")
    await t.step("new statement drops rowfactory", lambda: (cur.rowfactory is not None, cur.statement))
    await t.step("description", lambda: cur.description)
    await t.step("conn.fetchone", lambda: conn.fetchone("select 1, 2 from dual", rowfactory=lambda a, b: {"a": a}))
    await t.step("conn.fetchmany", lambda: conn.fetchmany("select level from dual connect by level <= 9", None, 4))
    await t.step("conn.fetchmany 0", lambda: conn.fetchmany("select 1 from dual", num_rows=0))
    await t.step("conn.fetchall", lambda: conn.fetchall("select level from dual connect by level <= 3", arraysize=1,
                                                        rowfactory=lambda x: x * 2))
    await t.step("conn.fetchall decimals", lambda: conn.fetchall("select 1.5 from dual", fetch_decimals=True))
    await t.step("conn.execute", lambda: conn.execute("begin null; end;"))
    await t.step("conn.executemany", lambda: conn.executemany("begin null; end;", 2))
    cur.close()
    await t.step("closed execute", lambda: cur.execute("select 1 from dual"))
    await t.step("closed var", lambda: cur.var(int))
    await t.step("closed close", lambda: cur.close())
    await t.step("closed rowcount", lambda: cur.rowcount)


def test_cursor_attributes_match_python_oracledb() -> None:
    rows = dict(differential(_attributes))
    assert rows["arraysize 0"] == ("!ProgrammingError", "DPY-2045")
    assert rows["fetch after PL/SQL"] == ("!InterfaceError", "DPY-1003")
    assert rows["fetchone rowfactory"] == [1, "r1"] and rows["fetchall rowfactory"] == [[4, "r4"], [5, "r5"]]
    assert rows["closed execute"] == ("!InterfaceError", "DPY-1006")


# ------------------------------------------------------------------------- output types


async def _types(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table ty (tz timestamp with time zone, ids interval day to second, bf binary_float,"
                      " bd binary_double, iym interval year to month, ts timestamp, d date, n number(6,2))")
    cur.setinputsizes(T(db, "DB_TYPE_TIMESTAMP_TZ"), None, T(db, "DB_TYPE_BINARY_FLOAT"),
                      T(db, "DB_TYPE_BINARY_DOUBLE"), None, T(db, "DB_TYPE_TIMESTAMP"))
    await cur.execute("insert into ty values (:1, :2, :3, :4, :5, :6, :7, :8)",
                      [dt.datetime(2024, 1, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=3))),
                       dt.timedelta(days=2, seconds=5, microseconds=7), 1.1, 2.2, None,
                       dt.datetime(2024, 5, 6, 7, 8, 9, 123456), dt.datetime(2024, 5, 6), Decimal("1.25")])
    await cur.execute("select tz, ids, bf, bd, iym, ts, d, n from ty")
    await t.step("columns", lambda: cur.fetchall())
    await t.step("column types", lambda: [[type(v).__name__ for v in r] for r in t.rows[-1][1]])
    await t.step("description", lambda: cur.description)
    await cur.execute("select timestamp '2024-03-15 13:45:30.25 +02:00', interval '1 02:03:04.5' day to second,"
                      " interval '2-3' year to month, systimestamp - systimestamp from dual")
    await t.step("literals", lambda: cur.fetchone())
    await t.step("literal description", lambda: cur.description)
    out = cur.var(T(db, "DB_TYPE_TIMESTAMP_TZ"))
    await cur.execute("begin :1 := timestamp '2024-03-15 13:45:30 -05:00'; end;", [out])
    await t.step("out TIMESTAMP_TZ", lambda: out.getvalue())
    out = cur.var(dt.timedelta)
    await cur.execute("begin :1 := interval '3 00:00:01' day to second; end;", [out])
    await t.step("out INTERVAL_DS", lambda: out.getvalue())


def test_output_types_match_python_oracledb() -> None:
    rows = dict(differential(_types))
    assert rows["columns"][0][:4] == (dt.datetime(2024, 1, 1, 5), dt.timedelta(days=2, seconds=5, microseconds=7),
                                      1.100000023841858, 2.2)
    assert rows["out TIMESTAMP_TZ"] == dt.datetime(2024, 3, 15, 13, 45, 30)


LTZ_ROWID_COLUMNS = (
    column_for("TSLTZ", OracleType.TIMESTAMP_LTZ, scale=6),
    column_for("RID", OracleType.ROWID),
    column_for("URID", OracleType.UROWID),
    column_for("BF", OracleType.BINARY_FLOAT),
    column_for("TSTZ", OracleType.TIMESTAMP_TZ, scale=3),
)
LTZ_ROWID_ROW = (dt.datetime(2024, 3, 15, 13, 45, 30, 250000), "AAASNFAAEAAABI0AAF", "AAASNFAAEAAABI0AAG", 0.5,
                 dt.datetime(2024, 3, 15, 11, 45, 30, 500000, tzinfo=dt.UTC))


def _canned(conn: ServerConnection, ev: ServerEvent) -> None:
    if isinstance(ev, ExecuteRequested):
        if not ev.reexecute:
            conn.send_describe(LTZ_ROWID_COLUMNS)
        conn.send_rows([LTZ_ROWID_ROW])
        conn.complete_call(more_rows=False)
    elif isinstance(ev, FetchRequested):
        conn.send_rows([])
        conn.complete_call(more_rows=False)


def test_local_time_zone_and_rowid_match_python_oracledb() -> None:
    async def fetch(mod: Any, dsn: str) -> tuple[Any, Any]:
        conn = await mod.connect_async(user="scott", password="tiger", dsn=dsn)
        try:
            cur = conn.cursor()
            await cur.execute("select * from canned")
            return norm(await cur.fetchall()), norm(cur.description)
        finally:
            await conn.close()

    with DoubleServer(on_call=_canned) as server:
        theirs = asyncio.run(fetch(oracledb, server.dsn))
        ours = asyncio.run(fetch(oracle_asyncio, server.dsn))
    assert ours == theirs
    assert ours[0] == [(dt.datetime(2024, 3, 15, 13, 45, 30, 250000), "AAASNFAAEAAABI0AAF", "AAASNFAAEAAABI0AAG",
                        0.5, dt.datetime(2024, 3, 15, 11, 45, 30, 500000))]


# ----------------------------------------------------------- ours only: details and PL/SQL


def test_var_details_and_positions() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
            cur = conn.cursor()
            var = cur.var(str, arraysize=2)
            var.setvalue(1, "b")
            assert var.values == [None, "b"] and repr(var) == (
                "<oracle_asyncio.Var of type DB_TYPE_VARCHAR with value [None, 'b']>")
            with pytest.raises(VarPositionError) as info:
                var.getvalue(-1)
            assert isinstance(info.value, oracle_asyncio.ProgrammingError) and isinstance(info.value, IndexError)
            with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3007"):
                cur.var(int, typename="MY_TYPE")
            with pytest.raises(oracle_asyncio.NotSupportedError):
                cur.setinputsizes([int, 3])
            with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2014"):
                cur.var(str, encoding_errors="strict", encodingErrors="strict")
            raw = cur.var(str, bypass_decode=True)
            await cur.execute("begin :1 := 'abc'; end;", [raw])
            assert raw.getvalue() == b"abc"
            # A CLOB variable holding a str is bound as a temporary LOB.
            clob = cur.var(oracle_asyncio.DB_TYPE_CLOB)
            clob.setvalue(0, "lob text")
            await cur.execute("begin :1 := length(:2); end;", [out := cur.var(int), clob])
            assert out.getvalue() == 8 and isinstance(clob.getvalue(), oracle_asyncio.AsyncLOB)
            with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3002"):
                await cur.execute("select :1 from dual", [object()])
            with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2006"):
                cur.setinputsizes(int)
                await cur.execute("select :a from dual", {"a": 1})
            with cur:
                cur.close()  # closing inside the block is fine; leaving it closes nothing more

    run(body)


def test_stored_routines_in_the_embedded_server() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
            cur = conn.cursor()
            await cur.execute("""create or replace procedure swap(a in out varchar2, b in out varchar2) is
                                   t varchar2(100);
                                 begin t := a; a := b; b := t; end;""")
            assert await cur.callproc("swap", ["x", "y"]) == ["y", "x"]
            await cur.execute("""create function fact(n number) return number is
                                 begin return n * 2; end fact;""")
            await cur.execute("""create procedure nested(n in number, r out number) as
                                 begin r := fact(n); swap_nothing; end;""")
            # swap_nothing does not exist: the procedure is stored INVALID, and calling it is
            # PLS-00905, as in Oracle (its USER_ERRORS row says PLS-00201)
            with pytest.raises(oracle_asyncio.DatabaseError, match="PLS-00905"):
                await cur.callproc("nested", [3, cur.var(int)])
            await cur.execute("""create or replace procedure nested(n in number, r out number) as
                                 begin r := fact(n => n); r := r + 1; return; r := 0; end;""")
            assert await cur.callproc("nested", [3, cur.var(int)]) == [3, 7]
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-00955"):
                await cur.execute("create function fact(n number) return number is begin return 1; end;")
            with pytest.raises(oracle_asyncio.DatabaseError, match="PLS-00363"):
                await cur.execute("begin swap('a', :1); end;", ["b"])
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-06503"):
                await cur.execute("create or replace function nothing return number is begin null; end;")
                await cur.callfunc("nothing", int)
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-06502"):
                await cur.execute("create or replace procedure small is v varchar2(3); begin v := 'toolong'; end;")
                await cur.callproc("small")
            await cur.execute("create or replace procedure tiny(v out varchar2) is begin v := 42; end;")
            assert await cur.callproc("tiny", [cur.var(str)]) == ["42"]  # the declared type converts
            await cur.execute("drop function fact")
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-04043"):
                await cur.execute("drop procedure fact")
            await conn.callproc("dbms_application_info.set_module", ["mod", "act"])
            module, action = cur.var(str), cur.var(str)
            assert await cur.callproc("dbms_application_info.read_module", [module, action]) == ["mod", "act"]

    run(body)


@pytest.mark.parametrize(("arraysize", "prefetch"), [(7, 2), (1, 1), (100, 0), (1000, 1000)])
def test_fetch_methods_interleaved_keep_order_and_rowcount(arraysize: int, prefetch: int) -> None:
    """fetchone reads buffered rows by index (no await, no pop(0)); mixed with fetchmany,
    async for and fetchall across batch boundaries it loses, repeats and reorders nothing."""
    async def body(server: EmbeddedServer) -> None:
        async with oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
            cur = conn.cursor()
            cur.arraysize, cur.prefetchrows = arraysize, prefetch
            await cur.execute("select level from dual connect by level <= 250")
            got: list[int] = []
            for step in range(40):
                if step % 3 == 0:
                    row = await cur.fetchone()
                    got.extend([] if row is None else [row[0]])
                else:
                    got.extend(r[0] for r in await cur.fetchmany(step % 5))
                assert cur.rowcount == len(got)
            async for row in cur:
                got.append(row[0])
                if len(got) % 11 == 0:
                    break
            got.extend(r[0] for r in await cur.fetchall())
            assert got == list(range(1, 251)) and cur.rowcount == 250
            assert await cur.fetchone() is None and await cur.fetchmany() == []

    run(body)
