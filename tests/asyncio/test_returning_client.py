"""DML RETURNING INTO through oracle_asyncio and python-oracledb 26.1 against a
canned server (tests/interop/double.py): the RETURNING binds carry no values,
each execution's returned values arrive as lists in the variables."""

from __future__ import annotations

import asyncio
from typing import Any

import oracledb

import oracle_asyncio
from oracle_sansio.connection.events import ExecuteRequested, ServerEvent
from oracle_sansio.connection.server import ServerConnection
from tests.asyncio.test_cursor_api import Trace, differential, norm
from tests.interop.double import DoubleServer

SEEN: list[tuple[object, ...]] = []


def _canned(conn: ServerConnection, ev: ServerEvent) -> None:
    if isinstance(ev, ExecuteRequested):
        SEEN.extend(ev.rows)
        for row in ev.rows:  # one execution per row: return (value * 10, "r" + value) for 2 rows
            value = row[0]
            assert isinstance(value, int)
            conn.send_returning([[value * 10, value * 10 + 1], [f"r{value}", None]])
        conn.complete_call(row_count=2 * len(ev.rows))


async def _scenario(mod: Any, dsn: str) -> list[Any]:
    conn = await mod.connect_async(user="scott", password="tiger", dsn=dsn)
    try:
        cur = conn.cursor()
        n, s = cur.var(int), cur.var(str)
        out: list[Any] = []
        await cur.execute("update t set x = x + 1 where k = :k returning n, s into :n, :s", k=4, n=n, s=s)
        out += [cur.rowcount, n.getvalue(), s.getvalue()]
        n2, s2 = cur.var(int, arraysize=3), cur.var(str, arraysize=3)
        await cur.executemany("update t set x = 0 where k = :1 returning n, s into :2, :3",
                              [(1, n2, s2), (2, n2, s2), (3, n2, s2)])
        out += [cur.rowcount, [n2.getvalue(i) for i in range(3)], [s2.getvalue(i) for i in range(3)]]
        await conn.ping()  # the session is still in step
        return [norm(v) for v in out]
    finally:
        await conn.close()


def test_returning_into_matches_python_oracledb() -> None:
    with DoubleServer(on_call=_canned) as server:
        SEEN.clear()
        theirs = asyncio.run(_scenario(oracledb, server.dsn))
        sent_by_theirs = list(SEEN)
        SEEN.clear()
        ours = asyncio.run(_scenario(oracle_asyncio, server.dsn))
    assert ours == theirs
    assert ours[:3] == [2, [40, 41], ["r4", None]]
    assert ours[4] == [[10, 11], [20, 21], [30, 31]]
    assert SEEN == sent_by_theirs  # the same bind values (RETURNING positions empty) reached the server


async def _embedded(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (id number primary key, name varchar2(20), d date)")
    new_id, name = cur.var(int), cur.var(str)
    await t.step("insert", lambda: cur.execute("insert into t values (:1, :2, sysdate) returning id * 2, name"
                                               " into :3, :4", [1, "one", new_id, name]))
    await t.step("inserted", lambda: (new_id.getvalue(), name.getvalue()))
    ids = cur.var(int, arraysize=3)
    await t.step("many", lambda: cur.executemany("insert into t (id, name) values (:1, :2) returning id into :3",
                                                 [(2, "b", ids), (3, "c", ids), (4, None, ids)]))
    await t.step("many values", lambda: [ids.getvalue(i) for i in range(3)])
    names = cur.var(str)
    await t.step("update", lambda: cur.execute("update t set name = upper(name) where id < :1 returning name"
                                               " into :2", [4, names]))
    await t.step("updated", lambda: (cur.rowcount, sorted(names.getvalue())))
    await t.step("none", lambda: cur.execute("delete from t where id > 100 returning id into :1", [ids]))
    await t.step("none values", lambda: ids.getvalue())
    await t.step("again", lambda: cur.execute("update t set name = upper(name) where id < :1 returning name"
                                              " into :2", [3, names]))
    await t.step("again values", lambda: sorted(names.getvalue()))
    await t.step("after", lambda: conn.fetchall("select id, name from t order by id"))


def test_returning_into_through_the_embedded_server() -> None:
    rows = dict(differential(_embedded))
    assert rows["inserted"] == ([2], ["one"]) and rows["many values"] == [[2], [3], [4]]
    assert rows["updated"] == (3, ["B", "C", "ONE"]) and rows["none values"] == []
