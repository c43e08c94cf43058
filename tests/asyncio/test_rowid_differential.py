"""cursor.lastrowid and the ROWID pseudo-column: python-oracledb 26.1 and
oracle_asyncio side by side, each against an EmbeddedServer of its own (see
test_cursor_api.differential).

python-oracledb (thin) reports the rowid carried by the ERROR message that ends
a call whenever the cursor's rowcount is positive, else None; PL/SQL never sets
rowcount, so PL/SQL gives None.  The embedded server sends the rowid of the last
row a DML call inserted, updated or deleted (the whole call for executemany)
and none for queries, DDL and PL/SQL.  Each server is fresh, so the rowids
themselves are equal on both sides.
"""

from __future__ import annotations

from typing import Any

from tests.asyncio.test_cursor_api import Trace, differential

ROWS = [(n, f"row {n}") for n in range(1, 226)]


async def _rowid_of(conn: Any, id_: int) -> Any:
    cur = conn.cursor()
    await cur.execute("select rowid from t where id = :1", [id_])
    found = await cur.fetchall()
    return found[0][0] if len(found) == 1 else ("rows", found)


async def _lookup(conn: Any, rowid: Any) -> Any:
    cur = conn.cursor()
    await cur.execute("select id, name from t where rowid = :r", r=rowid)
    return await cur.fetchall()


async def _lastrowid(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await t.step("fresh cursor", lambda: cur.lastrowid)
    await t.step("create", lambda: cur.execute("create table t (id number primary key, name varchar2(20))"))
    await t.step("after DDL", lambda: cur.lastrowid)

    await cur.execute("insert into t values (0, 'zero')")
    first = await t.step("after insert", lambda: cur.lastrowid)
    await t.step("insert rowcount", lambda: cur.rowcount)
    await t.step("inserted row's rowid", lambda: _rowid_of(conn, 0))
    await t.step("lookup inserted", lambda: _lookup(conn, first))

    await cur.executemany("insert into t values (:1, :2)", ROWS)
    many = await t.step("after executemany", lambda: cur.lastrowid)
    await t.step("executemany rowcount", lambda: cur.rowcount)
    await t.step("last row's rowid", lambda: _rowid_of(conn, ROWS[-1][0]))
    await t.step("lookup last", lambda: _lookup(conn, many))

    await cur.execute("update t set name = 'changed' where id = :1", [ROWS[-2][0]])
    updated = await t.step("after update", lambda: cur.lastrowid)
    await t.step("updated row's rowid", lambda: _rowid_of(conn, ROWS[-2][0]))
    await t.step("lookup updated", lambda: _lookup(conn, updated))

    await cur.execute("update t set name = 'nothing' where id < 0")
    await t.step("after 0-row update", lambda: cur.lastrowid)
    await t.step("0-row rowcount", lambda: cur.rowcount)
    await cur.execute("delete from t where 1 = 0")
    await t.step("after 0-row delete", lambda: cur.lastrowid)

    await cur.execute("update t set name = 'low' where id between 10 and 12")
    await t.step("after multi-row update", lambda: cur.lastrowid)
    await t.step("multi-row rowcount", lambda: cur.rowcount)
    await t.step("row 12's rowid", lambda: _rowid_of(conn, 12))

    await cur.execute("select id from t where id < 5 order by id")
    await t.step("after query", lambda: cur.lastrowid)
    await t.step("query rows", lambda: cur.fetchall())
    await t.step("after fetch", lambda: cur.lastrowid)

    await cur.execute("begin update t set name = 'plsql' where id = 3; end;")
    await t.step("after PL/SQL", lambda: cur.lastrowid)

    await cur.execute("update t set name = 'by rowid' where rowid = :r", r=first)
    await t.step("update by rowid", lambda: cur.lastrowid)
    await t.step("lookup by rowid", lambda: _lookup(conn, first))

    await cur.execute("delete from t where id = 5")
    deleted = await t.step("after delete", lambda: cur.lastrowid)
    await t.step("lookup deleted", lambda: _lookup(conn, deleted))

    # executemany: the last row changed by the call, even when later rows change none
    await cur.executemany("update t set name = 'm' where id = :1", [(20,), (21,), (-1,)])
    await t.step("executemany update", lambda: cur.lastrowid)
    await t.step("row 21's rowid", lambda: _rowid_of(conn, 21))
    await cur.executemany("update t set name = 'none' where id = :1", [(-1,), (-2,)])
    await t.step("executemany 0 rows", lambda: cur.lastrowid)
    await cur.executemany("insert into t values (:1, :2)", [(300, "a"), (1, "dup"), (301, "b"), (2, "dup")],
                          batcherrors=True)
    await t.step("batch errors", lambda: cur.lastrowid)
    await t.step("row 301's rowid", lambda: _rowid_of(conn, 301))
    await cur.executemany("insert into t values (:1, :2)", [(400, "a"), (401, "b"), (402, "c")], batch_size=2)
    await t.step("batch_size", lambda: cur.lastrowid)
    await t.step("row 402's rowid", lambda: _rowid_of(conn, 402))

    await t.step("malformed rowid", lambda: _lookup(conn, "523lkhlf"))
    await t.step("number for rowid", lambda: _lookup(conn, 12345))
    await conn.rollback()


async def _rowid_column(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await cur.execute("create table t (id number, name varchar2(20))")
    await cur.executemany("insert into t values (:1, :2)", [(i, f"n{i}") for i in range(1, 70)])
    await cur.execute("select rowid, id from t order by id")
    await t.step("description", lambda: [tuple(d)[:2] for d in cur.description])
    found = await t.step("rows", lambda: cur.fetchall())
    await t.step("distinct", lambda: len({r for r, _ in found}) == len(found))
    await t.step("each found", lambda: _each(conn, found))
    await cur.execute("create table r (id number, rid rowid)")
    await cur.execute("insert into r select id, rowid from t where id in (3, 65)")
    await cur.execute("select id, rid from r order by rid desc")
    await t.step("description of ROWID column", lambda: [tuple(d)[:2] for d in cur.description])
    await t.step("ROWID column", lambda: cur.fetchall())
    await cur.execute("select rowidtochar(rowid) from t where rowid = chartorowid(:r)", r=found[1][0])
    await t.step("rowidtochar", lambda: cur.fetchall())


async def _each(conn: Any, found: list[Any]) -> list[Any]:
    return [await _lookup(conn, rowid) == [(id_, f"n{id_}")] for rowid, id_ in found]


def test_lastrowid_matches_python_oracledb() -> None:
    rows = dict(differential(_lastrowid))
    assert rows["fresh cursor"] is None and rows["after DDL"] is None
    first = rows["after insert"]
    assert isinstance(first, str) and len(first) == 18 and rows["inserted row's rowid"] == first
    assert rows["lookup inserted"] == [(0, "zero")]
    assert rows["executemany rowcount"] == len(ROWS)
    assert rows["after executemany"] == rows["last row's rowid"] != first
    assert rows["lookup last"] == [ROWS[-1]]
    assert rows["after update"] == rows["updated row's rowid"]
    assert rows["lookup updated"] == [(ROWS[-2][0], "changed")]
    assert rows["after 0-row update"] is None and rows["0-row rowcount"] == 0
    assert rows["after 0-row delete"] is None
    assert rows["multi-row rowcount"] == 3 and rows["after multi-row update"] == rows["row 12's rowid"]
    assert rows["after query"] is None and rows["after fetch"] is None
    assert rows["query rows"] == [(0,), (1,), (2,), (3,), (4,)]
    assert rows["after PL/SQL"] is None
    assert rows["update by rowid"] == first and rows["lookup by rowid"] == [(0, "by rowid")]
    assert isinstance(rows["after delete"], str) and rows["lookup deleted"] == []
    assert rows["executemany update"] == rows["row 21's rowid"]
    assert rows["executemany 0 rows"] is None
    assert rows["batch errors"] == rows["row 301's rowid"]
    assert rows["batch_size"] == rows["row 402's rowid"]
    assert rows["malformed rowid"] == ("!DatabaseError", "ORA-01410")
    assert rows["number for rowid"] == ("!DatabaseError", "ORA-00932")


def test_rowid_pseudo_column_matches_python_oracledb() -> None:
    rows = dict(differential(_rowid_column))
    assert rows["description"] == [("ROWID", "DB_TYPE_ROWID"), ("ID", "DB_TYPE_NUMBER")]
    assert rows["distinct"] is True and all(rows["each found"])
    assert rows["description of ROWID column"] == [("ID", "DB_TYPE_NUMBER"), ("RID", "DB_TYPE_ROWID")]
    found = dict((i, r) for r, i in rows["rows"])
    assert rows["ROWID column"] == [(65, found[65]), (3, found[3])]
    assert rows["rowidtochar"] == [(found[2],)]
