"""executemany(batcherrors=, arraydmlrowcounts=), getbatcherrors() and
getarraydmlrowcounts(): python-oracledb 26.1 and oracle_asyncio side by side,
each against an EmbeddedServer of its own (see test_cursor_api.differential)."""

from __future__ import annotations

from typing import Any

from tests.asyncio.test_cursor_api import Trace, differential

ROWS = [(1, "a"), (2, "b"), (1, "dup"), (3, None), (4, "d")]


def errors(cur: Any) -> Any:
    """Batch errors as comparable tuples.  python-oracledb appends a "Help:" line
    to ORA messages (ours never does, here or in exceptions): compare the first line."""
    found = cur.getbatcherrors()
    if found is None:
        return None
    return [(e.offset, e.code, e.full_code, e.message.splitlines()[0]) for e in found]


async def _setup(conn: Any) -> Any:
    cur = conn.cursor()
    await cur.execute("create table t (id number primary key, name varchar2(20) not null)")
    return cur


async def _batch_errors(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)
    await t.step("fresh cursor errors", lambda: cur.getbatcherrors())
    await t.step("executemany", lambda: cur.executemany("insert into t values (:1, :2)", ROWS, batcherrors=True))
    await t.step("rowcount", lambda: cur.rowcount)
    await t.step("errors", lambda: errors(cur))
    await t.step("classes", lambda: [type(e).__name__ in ("_Error", "ErrorInfo") for e in cur.getbatcherrors()])
    await t.step("rows", lambda: conn.fetchall("select id, name from t order by id"))
    await t.step("no failures", lambda: cur.executemany("insert into t values (:1, :2)", [(7, "x")],
                                                        batcherrors=True))
    await t.step("empty errors", lambda: errors(cur))
    await t.step("plain execute resets", lambda: cur.execute("delete from t where id = 7"))
    await t.step("errors after plain", lambda: errors(cur))
    await t.step("not DML", lambda: cur.executemany("select * from t where id = :1", [(1,)], batcherrors=True))
    # Without batcherrors Oracle stops at the first failing row; the rows before it stay.
    await t.step("stops", lambda: cur.executemany("insert into t values (:1, :2)", [(10, "p"), (11, "q"), (1, "r"),
                                                                                    (12, "s")]))
    await t.step("rowcount after failure", lambda: cur.rowcount)
    await t.step("rows after failure", lambda: conn.fetchall("select id from t order by id"))


def test_batch_errors_match_python_oracledb() -> None:
    rows = dict(differential(_batch_errors))
    assert rows["fresh cursor errors"] is None
    assert rows["rowcount"] == 3
    assert rows["errors"] == [
        (2, 1, "ORA-00001", "ORA-00001: unique constraint (SCOTT.SYS_C0008001) violated"),
        (3, 1400, "ORA-01400", 'ORA-01400: cannot insert NULL into ("SCOTT"."T"."NAME")'),
    ]
    assert rows["rows"] == [(1, "a"), (2, "b"), (4, "d")]
    assert rows["empty errors"] == [] and rows["errors after plain"] is None
    assert rows["not DML"] == ("!ProgrammingError", "DPY-2040")
    assert rows["stops"] == ("!IntegrityError", "ORA-00001")
    assert rows["rowcount after failure"] == 2
    assert rows["rows after failure"] == [(1,), (2,), (4,), (10,), (11,)]


async def _row_counts(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)
    await t.step("fresh cursor counts", lambda: cur.getarraydmlrowcounts())
    await cur.executemany("insert into t values (:1, :2)", [(1, "a"), (2, "a"), (3, "b")])
    await t.step("counts not requested", lambda: cur.getarraydmlrowcounts())
    await t.step("update", lambda: cur.executemany("update t set name = 'z' where name = :1", [("none",), ("b",),
                                                                                            ("a",)],
                                                   arraydmlrowcounts=True))
    await t.step("rowcount", lambda: cur.rowcount)
    await t.step("counts", lambda: cur.getarraydmlrowcounts())
    await t.step("errors", lambda: errors(cur))
    other = conn.cursor()
    await t.step("other cursor", lambda: other.getarraydmlrowcounts())
    await t.step("not DML", lambda: cur.executemany("begin null; end;", 2, arraydmlrowcounts=True))


def test_array_dml_row_counts_match_python_oracledb() -> None:
    rows = dict(differential(_row_counts))
    assert rows["fresh cursor counts"] == ("!DatabaseError", "DPY-4006")
    assert rows["counts not requested"] == ("!DatabaseError", "DPY-4006")
    assert rows["rowcount"] == 3 and rows["counts"] == [0, 1, 2]
    assert rows["errors"] is None and rows["other cursor"] == ("!DatabaseError", "DPY-4006")
    assert rows["not DML"] == ("!ProgrammingError", "DPY-2040")


async def _both(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)
    await t.step("executemany", lambda: cur.executemany("insert into t values (:id, :name)",
                                                        [{"id": i, "name": n} for i, n in ROWS],
                                                        batcherrors=True, arraydmlrowcounts=True))
    await t.step("rowcount", lambda: cur.rowcount)
    await t.step("errors", lambda: errors(cur))
    await t.step("counts", lambda: cur.getarraydmlrowcounts())
    await t.step("all fail", lambda: cur.executemany("insert into t (id, name) values (:1, :2)",
                                                     [(1, "x"), (2, None)], batcherrors=True,
                                                     arraydmlrowcounts=True))
    await t.step("all fail rowcount", lambda: cur.rowcount)
    await t.step("all fail errors", lambda: errors(cur))
    await t.step("all fail counts", lambda: cur.getarraydmlrowcounts())
    await t.step("commit", lambda: conn.commit())
    await t.step("rows", lambda: conn.fetchall("select id from t order by id"))
    cur.close()
    await t.step("closed", lambda: cur.getbatcherrors())
    await t.step("closed counts", lambda: cur.getarraydmlrowcounts())


def test_both_options_match_python_oracledb() -> None:
    rows = dict(differential(_both))
    assert rows["rowcount"] == 3 and rows["counts"] == [1, 1, 0, 0, 1]
    assert [e[:2] for e in rows["errors"]] == [(2, 1), (3, 1400)]
    assert rows["all fail rowcount"] == 0 and rows["all fail counts"] == [0, 0]
    assert [e[:2] for e in rows["all fail errors"]] == [(0, 1), (1, 1400)]
    assert rows["rows"] == [(1,), (2,), (4,)]
    assert rows["closed"] == ("!InterfaceError", "DPY-1006")


async def _statement_errors(db: Any, conn: Any, t: Trace) -> None:
    cur = await _setup(conn)
    await t.step("no such table", lambda: cur.executemany("insert into nosuch values (:1, :2)", ROWS,
                                                          batcherrors=True))
    await t.step("no such column", lambda: cur.executemany("update t set nope = :2 where id = :1", ROWS,
                                                           batcherrors=True))
    await t.step("rows", lambda: conn.fetchall("select id from t"))


def test_statement_errors_fail_the_whole_call_even_with_batch_errors() -> None:
    """An error of the statement itself (not of one row) is raised, as Oracle does."""
    rows = dict(differential(_statement_errors))
    assert rows["no such table"] == ("!DatabaseError", "ORA-00942")
    assert rows["no such column"] == ("!DatabaseError", "ORA-00904") and rows["rows"] == []
