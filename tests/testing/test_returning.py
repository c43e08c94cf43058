"""DML ``RETURNING expr[, ...] INTO :b[, ...]`` in the embedded server: python-oracledb
26.1 (thin) against EmbeddedServer, then the SQL engine directly (Database/Session).

Each execution's values reach the client as one list per RETURNING bind, one value per
row the DML changed (``var.getvalue(i)`` per executemany row); values are converted to
the bind's type like OUT binds are.  Our own client is covered by
tests/asyncio/test_returning_client.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError, Result, Session
from oracle_sansio.codecs import Rowid
from oracle_sansio.statement import parse_statement

pytestmark = pytest.mark.interop


@pytest.fixture
def cur(server: EmbeddedServer) -> Iterator[Any]:
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    cursor = conn.cursor()
    cursor.execute("create table rt (id number(10) primary key, name varchar2(20), d date, amount number(8,2))")
    try:
        yield cursor
    finally:
        conn.rollback()
        cursor.execute("drop table rt")
        conn.close()


def ora(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    """The ORA line of an error (python-oracledb adds a "Help:" line)."""
    return str(exc.value).splitlines()[0]


# ----------------------------------------------------------------- python-oracledb


def test_insert_returning_id(cur: Any) -> None:
    out = cur.var(int)
    cur.execute("insert into rt (id, name) values (:1, :2) returning id into :3", [7, "seven", out])
    assert out.getvalue() == [7]
    assert cur.rowcount == 1
    rowid = cur.var(oracledb.DB_TYPE_ROWID)
    cur.execute("insert into rt (id) values (8) returning rowid into :r", r=rowid)
    assert rowid.getvalue() == [cur.lastrowid]  # lastrowid still works with RETURNING
    cur.execute("select id from rt where rowid = :r", r=cur.lastrowid)
    assert cur.fetchall() == [(8,)]
    # The same statement again on the cached cursor (a re-execute without metadata).
    cur.execute("insert into rt (id, name) values (:1, :2) returning id into :3", [9, "nine", out])
    assert out.getvalue() == [9]


def test_django_and_sqlalchemy_insert_forms(cur: Any) -> None:
    out = cur.var(int)
    cur.execute('INSERT INTO "RT" ("ID", "NAME") VALUES (:arg0, :arg1) RETURNING "RT"."ID" INTO :arg2',
                arg0=1, arg1="x", arg2=out)
    assert out.getvalue() == [1]
    ret = cur.var(int)
    cur.execute("INSERT INTO rt (id, name) VALUES (:id, :name) RETURNING rt.id INTO :ret_0", id=2, name="y",
                ret_0=ret)
    assert ret.getvalue() == [2]


def test_update_of_several_rows_returns_every_value(cur: Any) -> None:
    cur.executemany("insert into rt (id, name) values (:1, :2)", [(1, "a"), (2, ""), (3, "c")])
    ids, doubled, names, amounts = cur.var(int), cur.var(int), cur.var(str), cur.var(Decimal)
    cur.execute("update rt set amount = id / 3, name = upper(name) returning id, id * 2, nvl(name, '-') || '!', amount "
                "into :1, :2, :3, :4", [ids, doubled, names, amounts])
    assert cur.rowcount == 3
    assert ids.getvalue() == [1, 2, 3]
    assert doubled.getvalue() == [2, 4, 6]
    assert names.getvalue() == ["A!", "-!", "C!"]  # '' is NULL
    # The values after the update, rounded to the column's NUMBER(8,2).
    assert amounts.getvalue() == [Decimal("0.33"), Decimal("0.67"), Decimal("1")]


def test_zero_rows_give_empty_lists(cur: Any) -> None:
    ids, names = cur.var(int), cur.var(str)
    cur.execute("update rt set name = 'z' where id > 100 returning id, name into :a, :b", a=ids, b=names)
    assert cur.rowcount == 0
    assert ids.getvalue() == [] and names.getvalue() == []
    cur.execute("delete from rt returning id into :a", a=ids)
    assert ids.getvalue() == []


def test_delete_returns_values_before_deletion(cur: Any) -> None:
    cur.executemany("insert into rt (id, name) values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    ids, names = cur.var(int), cur.var(str)
    cur.execute("delete from rt where id >= :low returning id, name into :ids, :names", low=2, ids=ids, names=names)
    assert cur.rowcount == 2
    assert ids.getvalue() == [2, 3] and names.getvalue() == ["b", "c"]
    cur.execute("select id from rt")
    assert cur.fetchall() == [(1,)]


def test_input_binds_quoted_names_and_reexecutes(cur: Any) -> None:
    out = cur.var(int)
    cur.execute("insert into rt (id) values (:i) returning id + :a into :o", i=5, a=18, o=out)
    assert out.getvalue() == [23]
    quoted = cur.var(int)
    cur.execute('insert into rt (id) values (:1) returning id into :"_val1"', [6, quoted])
    assert quoted.getvalue() == [6]
    cur.executemany("insert into rt (id) values (:1)", [(i,) for i in range(10, 20)])
    ids = cur.var(int)
    cur.setinputsizes(None, ids)
    found = []
    for limit in (13, 16, 18, 18):  # the same statement re-executed: fewer and fewer rows
        cur.execute("delete from rt where id >= 10 and id < :1 returning id into :2", [limit])
        found.append(ids.getvalue())
    assert found == [[10, 11, 12], [13, 14, 15], [16, 17], []]


def test_lobs(cur: Any) -> None:
    cur.execute("create table rt_lob (id number, c clob, b blob)")
    try:
        text = cur.var(oracledb.DB_TYPE_CLOB, outconverter=lambda lob: lob.read())
        cur.execute("insert into rt_lob (id, c) values (1, :v) returning c into :o", v="a short CLOB", o=text)
        assert text.getvalue() == ["a short CLOB"]
        long_var, raw = cur.var(oracledb.DB_TYPE_LONG), cur.var(oracledb.DB_TYPE_BLOB)
        cur.execute("insert into rt_lob (id, c, b) values (2, :v, :w) returning c, b into :o, :p", v="as LONG",
                    w=b"\x01\x02", o=long_var, p=raw)
        assert long_var.getvalue() == ["as LONG"]
        assert [lob.read() for lob in raw.getvalue()] == [b"\x01\x02"]
    finally:
        cur.execute("drop table rt_lob")


def test_executemany_gives_a_list_per_iteration(cur: Any) -> None:
    out = cur.var(int, arraysize=3)
    cur.setinputsizes(None, None, out)
    cur.executemany("insert into rt (id, name) values (:1, :2) returning id * 10 into :3",
                    [(1, "a"), (2, "b"), (3, "c")])
    assert cur.rowcount == 3
    assert [out.getvalue(i) for i in range(3)] == [[10], [20], [30]]
    names = cur.var(str, arraysize=3)
    cur.setinputsizes(None, names)
    cur.executemany("update rt set name = name || 'x' where id <= :1 returning name into :2", [(2,), (0,), (3,)])
    assert cur.rowcount == 5
    assert [names.getvalue(i) for i in range(3)] == [["ax", "bx"], [], ["axx", "bxx", "cx"]]


def test_executemany_with_batch_errors_keeps_iterations_in_place(cur: Any) -> None:
    out = cur.var(int, arraysize=3)
    cur.setinputsizes(None, out)
    cur.executemany("insert into rt (id) values (:1) returning id into :2", [(1,), (1,), (2,)], batcherrors=True)
    assert [(e.offset, e.code) for e in cur.getbatcherrors()] == [(1, 1)]
    assert cur.rowcount == 2
    assert [out.getvalue(i) for i in range(3)] == [[1], [], [2]]


def test_statement_errors_fail_the_whole_batch(cur: Any) -> None:
    out, extra = cur.var(int, arraysize=2), cur.var(int, arraysize=2)
    cur.setinputsizes(None, out, extra)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.executemany("insert into rt (id) values (:1) returning id into :2, :3", [(1,), (2,)], batcherrors=True)
    assert ora(exc) == "ORA-00947: not enough values"
    cur.execute("select count(*) from rt")
    assert cur.fetchall() == [(0,)]


@pytest.mark.parametrize(("sql", "code"), [
    ("insert into rt (id) values (nosuch_seq.nextval + :1)", "ORA-02289"),
    ("insert into rt (id) select :1 from dual where 1 in (" + ", ".join(["1"] * 1001) + ")", "ORA-01795"),
    ("insert into rt (id) values (" + "(" * 200 + ":1" + ")" * 200 + ")", "ORA-03095"),
], ids=["missing sequence", "in list over 1000", "nesting too deep"])
def test_statement_errors_of_the_newer_checks_fail_the_whole_batch(cur: Any, sql: str, code: str) -> None:
    """Missing sequences, too-long IN lists and too-deep nesting are errors of the
    statement, not of a row: raised even with batcherrors, nothing applied."""
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.executemany(sql, [(1,), (2,)], batcherrors=True)
    assert ora(exc).startswith(code)
    cur.execute("select count(*) from rt")
    assert cur.fetchall() == [(0,)]


def test_executemany_stops_at_the_failing_row(cur: Any) -> None:
    cur.execute("insert into rt (id) values (1)")
    out = cur.var(int, arraysize=3)
    cur.setinputsizes(None, out)
    with pytest.raises(oracledb.IntegrityError) as exc:
        cur.executemany("insert into rt (id) values (:1) returning id into :2", [(5,), (1,), (6,)])
    assert ora(exc).startswith("ORA-00001")
    assert cur.rowcount == 1
    assert out.getvalue(0) == [5]
    cur.execute("select id from rt order by id")
    assert cur.fetchall() == [(1,), (5,)]


def test_strings_dates_and_rowids(cur: Any) -> None:
    day = dt.datetime(2024, 1, 2, 3, 4, 5)
    cur.execute("insert into rt (id, name, d, amount) values (1, 'abc', :d, 12.5)", d=day)
    d, as_text, number_text, rowid = (cur.var(oracledb.DB_TYPE_DATE), cur.var(str), cur.var(str),
                                      cur.var(oracledb.DB_TYPE_ROWID))
    cur.execute("update rt set name = name || 'd' returning d, trunc(d), amount, rowid into :1, :2, :3, :4",
                [d, as_text, number_text, rowid])
    assert d.getvalue() == [day]
    assert as_text.getvalue() == ["02-JAN-24"]  # a DATE into a string: NLS_DATE_FORMAT
    assert number_text.getvalue() == ["12.5"]
    cur.execute("select rowid from rt")
    (stored,), = cur.fetchall()
    assert rowid.getvalue() == [stored] and Rowid.from_string(stored).to_string() == stored
    cur.execute("alter session set nls_date_format = 'YYYY-MM-DD HH24:MI:SS'")
    names = cur.var(str)
    cur.execute("delete from rt returning d, name into :1, :2", [as_text, names])
    assert as_text.getvalue() == ["2024-01-02 03:04:05"] and names.getvalue() == ["abcd"]


@pytest.mark.parametrize(
    ("sql", "binds", "expected"),
    [
        ("update rt set name = 'x' returning nosuch into :1", 1, 'ORA-00904: "NOSUCH": invalid identifier'),
        ("update rt set name = 'x' returning rt.id, zz.id into :1, :2", 2, 'ORA-00904: "ZZ"."ID": invalid identifier'),
        ("update rt set name = 'x' returning id, name into :1", 1, "ORA-00913: too many values"),
        ("update rt set name = 'x' returning id into :1, :2", 2, "ORA-00947: not enough values"),
        ("update rt set name = 'x' returning count(*) into :1", 1,
         "ORA-00900: invalid SQL statement (not supported by the embedded server: aggregate function COUNT "
         "in RETURNING)"),
        # Converted to the bind's type inside the statement: a failure changes nothing.
        ("update rt set name = 'x' returning d into :1", 1, "ORA-00932: inconsistent datatypes: expected NUMBER got "
                                                            "DATE"),
        ("update rt set name = 'x' returning name into :1", 1, "ORA-01722: invalid number"),
        ("update rt set name = 'x' returning id / 0 into :1", 1, "ORA-01476: divisor is equal to zero"),
    ],
)
def test_errors(cur: Any, sql: str, binds: int, expected: str) -> None:
    cur.execute("insert into rt (id, name, d) values (1, 'a', sysdate)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(sql, [cur.var(int) for _ in range(binds)])
    assert ora(exc) == expected
    cur.execute("select name from rt")
    assert cur.fetchall() == [("a",)]  # the failed statement changed nothing


def test_missing_into_and_insert_select(cur: Any) -> None:
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("update rt set name = 'x' returning id")
    assert ora(exc) == "ORA-00925: missing INTO keyword"
    with pytest.raises(oracledb.DatabaseError) as exc:  # 19c: no RETURNING with INSERT ... SELECT
        cur.execute("insert into rt select * from rt returning id into :1", [cur.var(int)])
    assert ora(exc).startswith("ORA-00933")


def test_return_keyword_is_not_a_returning_statement_for_python_oracledb(cur: Any) -> None:
    """python-oracledb flags only RETURNING (it sends RETURN's INTO bind as an IN
    bind with a value), so nothing comes back; the DML itself runs."""
    cur.execute("insert into rt (id) values (1)")
    out = cur.var(int)
    cur.execute("update rt set name = 'r' return id into :1", [out])
    assert cur.rowcount == 1 and out.getvalue() is None
    cur.execute("select name from rt")
    assert cur.fetchall() == [("r",)]


def test_plsql_returning_into_binds_and_variables(cur: Any) -> None:
    out = cur.var(int)
    cur.execute("begin insert into rt (id, name) values (2, 'b') returning id * 3 into :x; end;", x=out)
    assert out.getvalue() == 6
    cur.execute("begin update rt set name = 'q' where id = 99 returning id into :x; end;", x=out)
    assert out.getvalue() is None  # no row: NULL, no error
    cur.execute("insert into rt (id) values (3)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("begin update rt set name = 'q' returning id into :x; end;", x=out)
    assert ora(exc) == "ORA-01422: exact fetch returns more than requested number of rows"
    cur.execute("""create or replace procedure rt_add(p_id number, p_out out varchar2) as
                     id number;
                     v varchar2(30);
                   begin
                     insert into rt (id, name) values (p_id, 'z') returning id || name into v;
                     p_out := v;
                   end;""")
    text = cur.var(str)
    cur.callproc("rt_add", [5, text])
    assert text.getvalue() == "5z"  # in RETURNING, the column ID wins over the variable ID


def test_async_python_oracledb(server: EmbeddedServer) -> None:
    import asyncio

    async def main() -> list[Any]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)
        try:
            cur = conn.cursor()
            await cur.execute("create table rt_async (id number, name varchar2(10))")
            out = cur.var(str)
            await cur.execute("insert into rt_async values (:1, :2) returning name into :3", [1, "one", out])
            first = out.getvalue()
            await cur.execute("drop table rt_async")
            return [first]
        finally:
            await conn.close()

    assert asyncio.run(main()) == [["one"]]


# ----------------------------------------------------------------- the SQL engine


@pytest.fixture
def s() -> Iterator[Session]:
    db = Database()
    session = db.session(user="scott", sid=11, serial=22)
    run(session, "create table t (id number, name varchar2(20), d date)")
    yield session
    db.close()


def run(session: Session, sql: str, *binds: object) -> Result:
    return session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)


def test_engine_returns_one_tuple_per_changed_row(s: Session) -> None:
    r = run(s, "insert into t (id, name) values (:1, :2) returning id, name, rowid into :3, :4, :5", 1, "a",
            None, None, None)
    assert r.row_count == 1 and r.rowid is not None
    assert r.returned == [(1, "a", Rowid(*r.rowid).to_string())]
    run(s, "insert into t (id, name) values (2, 'b')")
    r = run(s, "update t x set id = x.id + 10 returning x.id, name, length(x.name) into :1, :2, :3")
    assert r.returned == [(11, "a", 1), (12, "b", 1)]
    assert r.rowid is not None and Rowid(*r.rowid).to_string() == run_rowid(s, 12)  # the last row changed
    r = run(s, "delete from t where id = 11 return id into :1")  # RETURN is a synonym
    assert r.returned == [(11,)] and r.row_count == 1
    r = run(s, "update t set name = null where id < 0 returning id into :1")
    assert r.returned == [] and r.row_count == 0 and r.rowid is None
    assert run(s, "insert into t (id) values (3)").returned is None  # no RETURNING clause


def run_rowid(s: Session, ident: int) -> str:
    result = run(s, "select rowid from t where id = :1", ident)
    assert result.rows is not None
    (value,), = list(result.rows)
    assert isinstance(value, str)
    return value


def test_engine_converts_to_the_into_types(s: Session) -> None:
    from oracle_asyncio.testing.sql.types.datatypes import NUMBER, SqlType, T

    run(s, "alter session set nls_date_format = 'YYYY-MM-DD'")
    sql = "insert into t (id, name, d) values (7, '42', date '2024-05-06') returning id, name, d, d into :1, :2, :3, :4"
    r = s.execute(sql, (None,) * 4, bind_names=parse_statement(sql).bind_names,
                  returning_types=[SqlType(T.VARCHAR), NUMBER, SqlType(T.VARCHAR), None])
    assert r.returned == [("7", 42, "2024-05-06", dt.datetime(2024, 5, 6))]
    sql = "update t set id = 8 returning d into :1"
    with pytest.raises(OraError) as exc:
        s.execute(sql, (None,), bind_names=("1",), returning_types=[SqlType(T.INTERVAL_DS)])
    assert exc.value.code == 932
    assert run_rowid(s, 7)  # unchanged: the conversion failed before the update ran


def test_engine_errors(s: Session) -> None:
    cases = {
        "update t set name = 'x' returning id into y": 900,  # SQL returns into binds only
        "update t set name = 'x' returning id bulk collect into :1": 900,
        "update t set name = 'x' returning sum(id) + 1 into :1": 900,
        "update t set name = 'x' returning id, name, d into :1, :2": 913,
        "update t set name = 'x' returning id into :1, :2, :3": 947,
        "delete from t returning into :1": 936,
        "delete from t returning id into": 936,
        "insert into t (id) values (1) returning id": 925,
    }
    for sql, code in cases.items():
        with pytest.raises(OraError) as exc:
            run(s, sql, *([None] * len(parse_statement(sql).bind_names)))
        assert exc.value.code == code, sql
