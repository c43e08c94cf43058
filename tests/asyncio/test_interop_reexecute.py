"""python-oracledb 26.1 re-executing statements against the EmbeddedServer:
statement cache reuse, re-execute paths, and server-side cursor state that must
follow what Oracle does (found by a stress run, /tmp/interop)."""

from __future__ import annotations

import asyncio
from typing import Any

import oracledb

from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_cursor_api import Trace, differential


async def _rows(cur: Any) -> list[tuple[Any, ...]]:
    out = []
    for row in await cur.fetchall():
        out.append(tuple([await v.read() if isinstance(v, oracledb.AsyncLOB) else v for v in row]))
    return out


def test_same_select_after_ddl_changed_the_table_is_described_again() -> None:
    """The cached SELECT is re-executed (no SQL sent) after the table was dropped and
    created with other columns: Oracle describes again in the re-execute's reply.
    The server used to encode rows with the old describe and close the session
    ("row has 2 values for 1 columns"; python-oracledb: DPY-4011)."""

    async def main() -> list[Any]:
        async with EmbeddedServer() as srv:
            conn = await oracledb.connect_async(user="scott", password="tiger", dsn=srv.dsn)
            cur = conn.cursor()
            seen = []
            for k, cols in enumerate(["a number", "a varchar2(10), b number", "b date, a number, c clob", "a clob"]):
                if k:
                    await cur.execute("drop table d")
                await cur.execute(f"create table d ({cols})")
                await cur.execute("insert into d (a) values (1)")
                for c in (cur, conn.cursor()):  # the same cursor, then the statement cache on a new one
                    await c.execute("select * from d")
                    seen.append(([d[0] for d in c.description], [d[1].name for d in c.description], await _rows(c)))
            await conn.close()
            return seen

    seen = asyncio.run(asyncio.wait_for(main(), 60))
    expected = [
        (["A"], ["DB_TYPE_NUMBER"], [(1,)]),
        (["A", "B"], ["DB_TYPE_VARCHAR", "DB_TYPE_NUMBER"], [("1", None)]),
        (["B", "A", "C"], ["DB_TYPE_DATE", "DB_TYPE_NUMBER", "DB_TYPE_CLOB"], [(None, 1, None)]),
        (["A"], ["DB_TYPE_CLOB"], [("1",)]),
    ]
    assert seen == [e for e in expected for _ in range(2)]


def test_plsql_lob_out_binds_re_executed() -> None:
    """CLOB / BLOB OUT binds of a PL/SQL block, executed again on the same cursor and
    from the statement cache on new ones, with the IN bind's type changing. The
    server used to put the text on the wire as is and close the session ("a CLOB
    value must be a LobValue"; python-oracledb: DPY-4011)."""
    plsql = "begin :o := 'v' || :i; :cl := 'lob' || :i; :bl := :r; end;"

    with EmbeddedServer().threaded() as srv:
        conn = oracledb.connect(user="scott", password="tiger", dsn=srv.dsn)
        first = conn.cursor()
        seen = []
        for k, value in enumerate((1, "2", None, 4.5, 5)):
            cur = conn.cursor() if k % 2 else first
            o, cl, bl = cur.var(str), cur.var(oracledb.DB_TYPE_CLOB), cur.var(oracledb.DB_TYPE_BLOB)
            cur.execute(plsql, o=o, i=value, cl=cl, bl=bl, r=b"\x01\x02")
            seen.append((o.getvalue(), cl.getvalue().read(), bl.getvalue().read()))
        conn.close()
    assert seen == [("v1", "lob1", b"\x01\x02"), ("v2", "lob2", b"\x01\x02"), ("v", "lob", b"\x01\x02"),
                    ("v4.5", "lob4.5", b"\x01\x02"), ("v5", "lob5", b"\x01\x02")]


def test_in_out_bind_stays_in_out_when_its_value_was_null() -> None:
    """A bind the block reads and assigns is IN OUT whatever its value. The server
    used to tell python-oracledb OUT when the value was NULL; python-oracledb then
    re-executed without sending the bind (ORA-01008, or the value lost)."""

    async def main() -> list[Any]:
        async with EmbeddedServer() as srv:
            conn = await oracledb.connect_async(user="scott", password="tiger", dsn=srv.dsn)
            cur = conn.cursor()
            await cur.execute("create or replace procedure bump(p in out number) is begin p := nvl(p, 0) + 10; end;")
            seen = []
            cursors = {"begin :io := nvl(:io, 0) + 1; end;": conn.cursor(), "begin bump(:io); end;": conn.cursor()}
            for init in (None, 7, None, 5):
                for sql, c in cursors.items():  # each re-executed on its own cursor
                    io = c.var(int)
                    io.setvalue(0, init)
                    await c.execute(sql, io=io)
                    seen.append(io.getvalue())
            await conn.close()
            return seen

    assert asyncio.run(asyncio.wait_for(main(), 60)) == [1, 10, 8, 17, 1, 10, 6, 15]


def test_text_column_become_lob_is_read_as_long_on_the_same_cursor() -> None:
    """DDL turns a VARCHAR2 (RAW) column into a CLOB (BLOB) and the cached SELECT is
    executed again: python-oracledb takes the new describe as LONG (LONG RAW), as
    Oracle then sends the data (python-oracledb's _adjust_metadata). The server used
    to send LOB locators, which python-oracledb misread (DPY-5000 / DPY-5015)."""

    async def main() -> list[Any]:
        async with EmbeddedServer() as srv:
            conn = await oracledb.connect_async(user="scott", password="tiger", dsn=srv.dsn)
            cur = conn.cursor()
            seen = []
            for first, then, value in (("varchar2(10)", "clob", "17"), ("raw(10)", "blob", b"\x01\x02"),
                                       ("nvarchar2(10)", "nclob", "n")):
                for k, cols in enumerate((f"a {first}, b number", f"a {then}, b number")):
                    if k:
                        await cur.execute("drop table d")
                    await cur.execute(f"create table d ({cols})")
                    await cur.execute("insert into d (a, b) values (:1, 2)", [value])
                    await cur.execute("select a, b from d")
                    seen.append(([d[1].name for d in cur.description], await _rows(cur)))
                await cur.execute("drop table d")
            await conn.close()
            return seen

    assert asyncio.run(asyncio.wait_for(main(), 60)) == [
        (["DB_TYPE_VARCHAR", "DB_TYPE_NUMBER"], [("17", 2)]), (["DB_TYPE_LONG", "DB_TYPE_NUMBER"], [("17", 2)]),
        (["DB_TYPE_RAW", "DB_TYPE_NUMBER"], [(b"\x01\x02", 2)]), (["DB_TYPE_LONG_RAW", "DB_TYPE_NUMBER"], [(b"\x01\x02", 2)]),
        (["DB_TYPE_NVARCHAR", "DB_TYPE_NUMBER"], [("n", 2)]), (["DB_TYPE_LONG_NVARCHAR", "DB_TYPE_NUMBER"], [("n", 2)]),
    ]


async def _ddl_between(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    sequences = (("a varchar2(10)", "a clob"), ("a raw(10)", "a blob"), ("a clob", "a varchar2(10)"),
                 ("a number", "a clob"), ("a clob", "a number"), ("a varchar2(10)", "a number"))
    for i, (first, second) in enumerate(sequences):
        for k, cols in enumerate((first, second)):
            if k:
                await cur.execute("drop table d")
            await cur.execute(f"create table d ({cols})")
            value: object = b"\x01\x02" if ("raw" in cols or "blob" in cols) else "17"
            await cur.execute("insert into d (a) values (:v)", v=value)
            for n, other in enumerate((cur, conn.cursor())):  # the same cursor, then the statement cache
                await other.execute("select a from d")
                rows = [tuple([await v.read() if hasattr(v, "read") else v for v in row])
                        for row in await other.fetchall()]
                # The second cursor re-executes the cached statement: python-oracledb then
                # describes a LOB column turned from text as CLOB (its new cursor has no earlier
                # fetch types), ours as LONG; both return the same values.
                await t.step(f"{i}: {cols} {n}", lambda other=other, rows=rows, n=n: (  # type: ignore[misc]
                    [d[1].name for d in other.description] if n == 0 else None, rows))
        await cur.execute("drop table d")


def test_our_client_follows_ddl_between_executes_as_python_oracledb() -> None:
    """The same SELECT after the table was recreated: described again, a text column
    turned LOB read as LONG (python-oracledb's rule), and nothing stale from the cache."""
    rows = dict(differential(_ddl_between))
    assert rows["0: a clob 0"] == (["DB_TYPE_LONG"], [("17",)]) and rows["0: a clob 1"] == (None, [("17",)])
    assert rows["1: a blob 0"] == (["DB_TYPE_LONG_RAW"], [(b"\x01\x02",)])
