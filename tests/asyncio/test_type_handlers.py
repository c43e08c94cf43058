"""Output type handlers, fetchvars and the closed-cursor surface: python-oracledb
26.1 and oracle_asyncio side by side, each against an EmbeddedServer of its own
(see test_cursor_api.differential)."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.asyncio.test_cursor_api import Trace, differential, run

SELECT = "select i, f, n, s, d, c, b, r, x from t order by i"


async def _setup(conn: Any) -> Any:
    cur = conn.cursor()
    await cur.execute("create table t (i number(10), f number(10,2), n number, s varchar2(20), d date, c clob,"
                      " b blob, r raw(10), x binary_double)")
    await cur.executemany("insert into t values (:1, :2, :3, :4, :5, :6, :7, :8, :9)", [
        (1, 1.5, 7, "one", dt.datetime(2024, 2, 29, 13, 5, 9), "clob one", b"blob1", b"\x01\x02", 0.25),
        (2, 3, Decimal("0.000123"), None, None, None, None, None, None),
        (-3, -0.01, 10**30, "three", dt.datetime(1999, 12, 31), "", b"", b"\xff", -1e10),
    ])
    await conn.commit()
    return cur


async def _handlers(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)

    def as_text(cursor: Any, meta: Any) -> Any:
        if meta.type_code in (db.DB_TYPE_NUMBER, db.DB_TYPE_DATE, db.DB_TYPE_BINARY_DOUBLE):
            return cursor.var(str, arraysize=cursor.arraysize)
        if meta.type_code is db.DB_TYPE_CLOB:
            return cursor.var(db.DB_TYPE_LONG, arraysize=cursor.arraysize)
        if meta.type_code is db.DB_TYPE_BLOB:
            return cursor.var(db.DB_TYPE_LONG_RAW, arraysize=cursor.arraysize)
        return None

    conn.outputtypehandler = as_text
    await t.step("text", lambda: conn.fetchall(SELECT))
    await t.step("read back", lambda: conn.outputtypehandler is as_text)

    def decimals(cursor: Any, meta: Any) -> Any:
        if meta.type_code is db.DB_TYPE_NUMBER:
            return cursor.var(Decimal, arraysize=cursor.arraysize)
        return None

    cur.outputtypehandler = decimals  # the cursor's own wins over the connection's
    await cur.execute("select i, f, n from t order by i")
    await t.step("decimal", lambda: cur.fetchall())
    await t.step("fetchvars", lambda: [(v.type.name, v.num_elements) for v in cur.fetchvars])

    def ints_floats(cursor: Any, meta: Any) -> Any:
        if meta.name == "F":
            return cursor.var(int, arraysize=cursor.arraysize)
        if meta.name == "I":
            return cursor.var(float, arraysize=cursor.arraysize)
        if meta.name == "N":
            return cursor.var(db.DB_TYPE_NUMBER, arraysize=cursor.arraysize)
        if meta.name == "X":
            return cursor.var(int, arraysize=cursor.arraysize)
        return None

    cur.outputtypehandler = ints_floats
    await cur.execute("select i, f, n, x from t order by i")
    await t.step("int float", lambda: cur.fetchall())

    def converters(cursor: Any, meta: Any) -> Any:
        if meta.name == "S":
            return cursor.var(meta.type_code, arraysize=cursor.arraysize, outconverter=lambda v: f"<{v}>")
        if meta.name == "R":
            return cursor.var(meta.type_code, arraysize=cursor.arraysize, outconverter=lambda v: f"<{v!r}>",
                              convert_nulls=True)
        return None

    cur.outputtypehandler = converters
    await cur.execute("select s, r from t order by i")
    await t.step("outconverter", lambda: cur.fetchall())

    def legacy(cursor: Any, name: Any, default_type: Any, size: Any, precision: Any, scale: Any) -> Any:
        if default_type is db.DB_TYPE_NUMBER and scale == 2:
            return cursor.var(str, arraysize=cursor.arraysize)
        return None

    cur.outputtypehandler = legacy
    await cur.execute("select f, i from t order by i")
    await t.step("legacy", lambda: cur.fetchall())

    cur.outputtypehandler = None
    conn.outputtypehandler = None
    await t.step("plain again", lambda: conn.fetchall("select i, f, d from t order by i"))
    # Another text than SELECT: python-oracledb's statement cache would keep the LONG define
    # the handler made for SELECT (its description then says LONG and LOBs come as str).
    await cur.execute(SELECT.replace("from t", "from t t2"))
    await t.step("description", lambda: [tuple(d) for d in cur.description])
    await t.step("description items", lambda: [(d.name, d.type.name, d.null_ok, d[0], len(d)) for d in
                                               cur.description])


def test_output_type_handlers_match_python_oracledb() -> None:
    rows = dict(differential(_handlers))
    assert rows["text"][1][:5] == ("1", "1.5", "7", "one", "2024-02-29 13:05:09")
    assert rows["decimal"][2] == (2, 3, Decimal("0.000123"))


def test_handler_mistakes_fail_typed_and_leave_the_session_usable() -> None:
    """The codes python-oracledb 26.1 raises (checked by hand: it raises them while
    reading the reply, and its session is then unusable, so they are not run side by
    side); here the session stays usable."""
    import oracle_asyncio as db

    async def body(server: Any) -> None:
        conn = await db.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = await _setup(conn)
        cases = [(lambda cursor, meta: "not a var", "DPY-2015", db.ProgrammingError),
                 (lambda cursor, meta: cursor.var(str, arraysize=1), "DPY-2016", db.ProgrammingError),
                 (lambda cursor, meta: cursor.var(db.DB_TYPE_DATE, arraysize=cursor.arraysize), "DPY-4007",
                  db.DatabaseError)]
        for handler, code, cls in cases:
            cur.outputtypehandler = handler
            with pytest.raises(cls) as caught:
                await cur.execute("select s from t order by i")
            assert caught.value.full_code == code
            cur.outputtypehandler = None
            assert await conn.fetchall("select i from t order by i") == [(-3,), (1,), (2,)]
            await cur.execute("select s from t order by i")
            assert await cur.fetchall() == [("three",), ("one",), (None,)]
        await conn.close()

    run(body)


async def _closed(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)
    await t.step("bindnames before", lambda: conn.cursor().bindnames())
    await cur.execute("select :a, :b, :a from dual", a=1, b=2)
    await t.step("bindnames", lambda: cur.bindnames())
    await cur.execute("begin :x := :y || :x; end;", x="a", y="b")
    await t.step("bindnames plsql", lambda: cur.bindnames())
    await t.step("repeated positional", lambda: cur.execute("select :1, :2, :1 from dual", [1, 2]))
    await cur.execute("select :1, :2, :1 from dual", [1, 2, 3])
    await t.step("bindnames positional", lambda: cur.bindnames())
    await t.step("scrollable default", lambda: conn.cursor(scrollable=False) is not None)
    await t.step("suspend default", lambda: cur.execute("select 1 from dual", suspend_on_success=False))
    await t.step("batch size", lambda: cur.executemany("insert into t (i) values (:1)", [(i,) for i in range(10, 15)],
                                                       batch_size=2))
    await t.step("batch rows", lambda: conn.fetchall("select i from t where i >= 10 order by i"))
    await t.step("batch size 0", lambda: cur.executemany("insert into t (i) values (:1)", [(20,)], batch_size=0))
    await t.step("batch size -1", lambda: cur.executemany("insert into t (i) values (:1)", [(20,)], batch_size=-1))
    await t.step("batch size None", lambda: cur.executemany("insert into t (i) values (:1)", [(20,)],
                                                            batch_size=None))
    await t.step("batch size 2**32", lambda: cur.executemany("insert into t (i) values (:1)", [(20,)],
                                                             batch_size=2**32))
    await t.step("batch errors by batch", lambda: cur.executemany(
        "insert into t (i, s) values (:1, :2)", [(30, "a"), (31, "b"), (32, "c"), (33, "d"), (34, "e")],
        batch_size=3, batcherrors=True))
    await t.step("dbop", lambda: setattr(conn, "dbop", "op"))
    await t.step("dbop read", lambda: conn.dbop)
    await t.step("econtext", lambda: setattr(conn, "econtext_id", "x"))
    await t.step("ltxid", lambda: conn.ltxid)
    await t.step("edition", lambda: conn.edition)
    await t.step("names", lambda: (conn.external_name, conn.internal_name, conn.proxy_user, conn.db_unique_name))
    await t.step("handlers", lambda: (conn.inputtypehandler, conn.outputtypehandler, cur.inputtypehandler))
    await cur.execute("select i from t where i = 1")
    cur.close()
    for name in ("description", "lastrowid", "arraysize", "prefetchrows", "rowfactory", "statement", "rowcount",
                 "bindvars", "fetchvars", "inputtypehandler", "outputtypehandler"):
        await t.step("closed " + name, lambda name=name: getattr(cur, name))  # type: ignore[misc]
    for name in ("description", "lastrowid", "rowcount", "statement", "fetchvars"):
        await t.step("set " + name, lambda name=name: setattr(cur, name, None))  # type: ignore[misc]
    await t.step("closed bindnames", lambda: cur.bindnames())


def test_cursor_surface_matches_python_oracledb() -> None:
    rows = dict(differential(_closed))
    assert rows["bindnames"] == ["A", "B"] and rows["closed description"] == ("!InterfaceError", "DPY-1006")
    assert rows["batch rows"] == [(10,), (11,), (12,), (13,), (14,)]


async def _lob_rows(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (i number, c clob, b blob)")
    await cur.executemany("insert into t values (:1, :2, :3)", [(i, f"c{i}" if i % 2 else None, b"b" * i)
                                                              for i in range(1, 8)])
    for prefetch, arraysize in ((2, 100), (2, 2), (0, 3), (5, 1)):
        cur = conn.cursor()
        cur.prefetchrows, cur.arraysize = prefetch, arraysize
        await cur.execute("select i, c, b from t order by i")
        rows = await cur.fetchall()
        await t.step(f"prefetch {prefetch} arraysize {arraysize}",
                     lambda rows=rows: [(i, c if c is None else type(c).__name__, b if b is None else
                                         type(b).__name__) for i, c, b in rows])  # type: ignore[misc]
        await t.step(f"values {prefetch} {arraysize}",
                     lambda rows=rows: asyncio.gather(*(lob.read() for _, c, b in rows for lob in (c, b)
                                                        if lob is not None)))  # type: ignore[misc]


async def _lob_again(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (i number, c clob)")
    await cur.executemany("insert into t values (:1, :2)", [(i, f"c{i}") for i in range(1, 5)])
    query = "select i, c from t order by i"
    for n in range(3):  # python-oracledb re-executes its cached cursor and relies on the server keeping the define
        await t.step(f"as str {n}", lambda: conn.fetchall(query, fetch_lobs=False))
    await t.step("decimals", lambda: conn.fetchall(query, fetch_lobs=False, fetch_decimals=True))


def test_lob_query_defined_as_long_runs_again() -> None:
    """A server keeps a cursor's define across executes of the same statement
    (python-oracledb failed with DPY-5000 on the second run when it did not)."""
    rows = dict(differential(_lob_again))
    assert rows["as str 2"] == [(1, "c1"), (2, "c2"), (3, "c3"), (4, "c4")]


def test_lob_queries_longer_than_the_prefetch() -> None:
    """The rows a LOB query holds until the define count toward the define's prefetch
    (python-oracledb failed with IndexError when the server sent more)."""
    rows = dict(differential(_lob_rows))
    assert rows["prefetch 2 arraysize 2"][:2] == [(1, "AsyncLOB", "AsyncLOB"), (2, None, "AsyncLOB")]


async def _input(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (i number, s varchar2(20), c clob)")

    def upper(cursor: Any, value: Any, arraysize: Any) -> Any:
        if isinstance(value, str):
            return cursor.var(str, arraysize=arraysize, inconverter=lambda v: v.upper())
        return None

    conn.inputtypehandler = upper
    await t.step("insert", lambda: cur.execute("insert into t (i, s) values (:1, :2)", [1, "abc"]))
    await t.step("many", lambda: cur.executemany("insert into t (i, s) values (:i, :s)",
                                                 [{"i": 2, "s": "x"}, {"i": 3, "s": "q"}, {"i": 4, "s": "yz"}]))
    await t.step("bindvars", lambda: cur.bindvars)
    await t.step("none to inconverter", lambda: cur.execute("insert into t (i, s) values (:1, :2)", [9, None]))

    def as_text(cursor: Any, value: Any, arraysize: Any) -> Any:
        if isinstance(value, int):
            return cursor.var(str, arraysize=arraysize, inconverter=lambda v: f"#{v}")
        return None

    cur.inputtypehandler = as_text  # the cursor's own wins over the connection's
    await t.step("as text", lambda: cur.execute("insert into t (i, s) values (5, :1)", [55]))
    await t.step("short", lambda: cur.execute("insert into t (i, s) values (6, :1)", ["short"]))
    cur.inputtypehandler = lambda cursor, value, arraysize: 42
    await t.step("not a var", lambda: cur.execute("insert into t (i) values (:1)", [7]))
    cur.inputtypehandler = None
    conn.inputtypehandler = None
    rows = await conn.fetchall("select i, s, c from t order by i", fetch_lobs=False)
    await t.step("rows", lambda: rows)


def test_input_type_handlers_match_python_oracledb() -> None:
    rows = dict(differential(_input))
    assert rows["rows"] == [(1, "ABC", None), (2, "X", None), (3, "Q", None), (4, "YZ", None), (5, "#55", None),
                            (6, "short", None), (9, None, None)]


async def _end_to_end(db: Any, conn: Any, t: Trace) -> None:
    query = ("select sys_context('userenv', 'module'), sys_context('userenv', 'action'),"
             " sys_context('userenv', 'client_identifier'), sys_context('userenv', 'client_info') from dual")
    conn.module, conn.action, conn.client_identifier, conn.clientinfo = "billing", "close month", "alice", "v1"
    conn.dbop = "month-end"
    await t.step("set", lambda: conn.fetchone(query))
    conn.action = ""
    conn.client_identifier = None
    await t.step("cleared", lambda: conn.fetchone(query))
    for name in ("module", "action", "client_identifier", "clientinfo", "dbop"):
        await t.step("read " + name, lambda name=name: getattr(conn, name))  # type: ignore[misc]


def test_end_to_end_attributes_match_python_oracledb() -> None:
    """module / action / client_identifier / clientinfo / dbop reach the session with
    the next round trip; all are write-only."""
    rows = dict(differential(_end_to_end))
    assert rows["set"] == ("billing", "close month", "alice", "v1")
    assert rows["read module"] == ("!AttributeError", None)


async def _stale(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (i number, s varchar2(20), c clob)")
    await cur.execute("insert into t (i, s, c) values (1, 'a', 'c1')")
    await t.step("lastrowid", lambda: cur.lastrowid is not None)
    await t.step("failing query", lambda: cur.execute("select nosuch from t"))
    await t.step("lastrowid after error", lambda: cur.lastrowid)
    await t.step("fetch after failed query", lambda: cur.fetchall())

    def upper(cursor: Any, value: Any, arraysize: Any) -> Any:
        if isinstance(value, str):
            return cursor.var(str, arraysize=arraysize, inconverter=lambda v: v.upper())
        return None

    cur.inputtypehandler = upper
    for i in (2, 3, 4):  # the same statement again keeps the variable: its inconverter still applies
        await t.step(f"execute {i}", lambda i=i: cur.execute("insert into t (i, s) values (:1, :2)",  # type: ignore[misc]
                                                            [i, "ab"]))
    await t.step("executemany again", lambda: cur.executemany("insert into t (i, s) values (:1, :2)",
                                                              [(5, "cd"), (6, "ef")]))
    fresh = conn.cursor()
    fresh.inputtypehandler = upper
    await t.step("fresh cursor", lambda: fresh.execute("insert into t (i, s) values (:1, :2)", [7, "kl"]))
    cur.inputtypehandler = None
    await t.step("rows", lambda: conn.fetchall("select i, s from t order by i"))
    query = "select i, c from t where i = 1"
    rows_of_lob: list[Any] = []
    rows_of_lob.extend(await conn.fetchall(query))  # cached with LOB columns ...
    await t.step("lob type", lambda: [type(c).__name__ for _, c in rows_of_lob])
    await t.step("lob as str", lambda: conn.fetchall(query, fetch_lobs=False))  # ... then defined as LONG
    calls: list[str] = []

    def counting(cursor: Any, meta: Any) -> None:
        calls.append(meta.name)

    cur.outputtypehandler = counting
    for _ in range(3):
        await cur.execute("select i, s from t order by i")
        await cur.fetchall()
    await t.step("handler calls", lambda: len(calls))


def test_stale_state_and_cached_statements_match_python_oracledb() -> None:
    rows = dict(differential(_stale))
    assert rows["lastrowid after error"] is None
    assert rows["fetch after failed query"] == ("!InterfaceError", "DPY-1003")
    assert [r[1] for r in rows["rows"]][1:] == ["AB", "AB", "AB", "CD", "EF", "KL"]
    assert rows["lob as str"] == [(1, "c1")] and rows["handler calls"] == 2


def test_batches_add_up_and_handler_errors_leave_no_cursor() -> None:
    """Deliberate difference: with batch_size, rowcount, batch errors (offsets into the
    whole parameter list) and row counts cover every batch (python-oracledb keeps one
    batch's). A handler's refusal closes the server cursor its call opened."""
    import oracle_asyncio as db

    async def body(server: Any) -> None:
        conn = await db.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        await cur.execute("create table t (i number primary key)")
        await cur.executemany("insert into t values (:1)", [(i,) for i in range(7)], batch_size=3,
                              arraydmlrowcounts=True)
        assert cur.rowcount == 7 and cur.getarraydmlrowcounts() == [1] * 7
        await cur.executemany("insert into t values (:1)", [(10,), (1,), (11,), (12,), (2,)], batch_size=2,
                              batcherrors=True)
        assert cur.rowcount == 3 and [(e.offset, e.code) for e in cur.getbatcherrors() or []] == [(1, 1), (4, 1)]
        with pytest.raises(db.IntegrityError):
            await cur.executemany("insert into t values (:1)", [(20,), (21,), (22,), (3,), (23,)], batch_size=2)
        assert cur.rowcount == 3  # two of the first batch ... one of the second before the failing row
        assert await conn.fetchone("select count(*) from t where i >= 20") == (3,)
        with pytest.raises(db.IntegrityError):
            await cur.executemany("insert into t values (:1)", [(30,), (31,), (32,), (30,), (33,)], batch_size=2,
                                  arraydmlrowcounts=True)
        assert cur.rowcount == 3 and cur.getarraydmlrowcounts() == [1, 1]
        machine = conn._conn
        before = len(machine.cursors)
        cur.outputtypehandler = lambda cursor, meta: "not a var"
        for _ in range(4):
            with pytest.raises(db.ProgrammingError):
                await cur.execute("select i from t where i > :1", [0])
        await conn.ping()  # carries the cursor closes
        assert len(machine.cursors) <= before + 1
        await conn.close()

    run(body)
