"""Joins and subqueries on the embedded server, through python-oracledb (thin)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop

_SETUP = [
    "create table j_dept (id number(4) primary key, name varchar2(20) not null, loc char(4))",
    "create table j_emp (id number(6) not null, name varchar2(20) not null, dept_id number(4),"
    " sal number(8,2), boss number(6))",
]
_DEPTS = [(10, "SALES", "NY"), (20, "IT", "SF"), (30, "EMPTY", None)]
_EMPS = [(1, "ann", 10, 100, None), (2, "bob", 20, 200, 1), (3, "cy", None, 50, 1), (4, "dan", 20, 300.5, 2)]


@pytest.fixture(scope="module")
def conn() -> Iterator[oracledb.Connection]:
    with EmbeddedServer().threaded() as server:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as connection:
            cur = connection.cursor()
            for sql in _SETUP:
                cur.execute(sql)
            cur.executemany("insert into j_dept values (:1, :2, :3)", _DEPTS)
            cur.executemany("insert into j_emp values (:1, :2, :3, :4, :5)", _EMPS)
            connection.commit()
            yield connection


def rows(conn: oracledb.Connection, sql: str, *binds: object) -> list[tuple[object, ...]]:
    cur = conn.cursor()
    cur.execute(sql, list(binds))
    return [tuple(r) for r in cur.fetchall()]


def ora_error(conn: oracledb.Connection, sql: str) -> str:
    with pytest.raises(oracledb.DatabaseError) as info:
        rows(conn, sql)
    return str(info.value).splitlines()[0]


def describe(conn: oracledb.Connection, sql: str) -> list[tuple[object, ...]]:
    cur = conn.cursor()
    cur.execute(sql)
    assert cur.description is not None
    cur.fetchall()
    return [tuple(d[0:7]) for d in cur.description]


# ---- joins --------------------------------------------------------------------------------------

def test_comma_join_with_where_and_aliases(conn: oracledb.Connection) -> None:
    assert rows(conn, "select e.name, d.name from j_emp e, j_dept d where e.dept_id = d.id order by e.id") == [
        ("ann", "SALES"), ("bob", "IT"), ("dan", "IT")]
    # Without an alias the table name qualifies; three tables, a self join.
    assert rows(conn, "select e.name, m.name, j_dept.name from j_emp e, j_emp m, j_dept"
                      " where e.boss = m.id and j_dept.id = e.dept_id order by 1") == [
        ("bob", "ann", "IT"), ("dan", "bob", "IT")]


def test_inner_join_on_and_cross_join(conn: oracledb.Connection) -> None:
    expected = [("bob", "IT"), ("dan", "IT")]
    for kw in ("join", "inner join"):
        assert rows(conn, f"select e.name, d.name from j_emp e {kw} j_dept d on d.id = e.dept_id"
                          " where d.name = :n order by e.name", "IT") == expected
    assert rows(conn, "select count(*) from j_emp cross join j_dept") == [(12,)]
    assert rows(conn, "select count(*) from j_emp e join j_dept d on e.dept_id = d.id"
                      " join j_emp m on m.id = e.boss") == [(2,)]


def test_outer_joins_fill_nulls(conn: oracledb.Connection) -> None:
    assert rows(conn, "select e.name, d.name from j_emp e left outer join j_dept d on e.dept_id = d.id"
                      " order by e.id") == [("ann", "SALES"), ("bob", "IT"), ("cy", None), ("dan", "IT")]
    assert rows(conn, "select e.name, d.name from j_emp e right join j_dept d on e.dept_id = d.id"
                      " order by d.id, e.id") == [("ann", "SALES"), ("bob", "IT"), ("dan", "IT"), (None, "EMPTY")]
    assert rows(conn, "select e.name, d.name from j_emp e full outer join j_dept d on e.dept_id = d.id"
                      " order by e.name, d.name") == [
        ("ann", "SALES"), ("bob", "IT"), ("cy", None), ("dan", "IT"), (None, "EMPTY")]
    # A condition on the outer table in ON keeps the row; the same in WHERE filters it out.
    assert rows(conn, "select d.name, e.name from j_dept d left join j_emp e on e.dept_id = d.id and e.sal > 250"
                      " order by d.id") == [("SALES", None), ("IT", "dan"), ("EMPTY", None)]
    assert rows(conn, "select d.name from j_dept d left join j_emp e on e.dept_id = d.id where e.id is null") == [
        ("EMPTY",)]
    # NULL-extended NUMBER columns stay NULL through arithmetic and nvl.
    assert rows(conn, "select d.name, nvl(e.sal, 0) + 1 from j_dept d left join j_emp e on e.dept_id = d.id"
                      " where d.id = 30") == [("EMPTY", 1)]


def test_old_outer_join_operator(conn: oracledb.Connection) -> None:
    expected = [("ann", "SALES"), ("bob", "IT"), ("cy", None), ("dan", "IT")]
    for frm in ("j_emp e, j_dept d", "j_dept d, j_emp e"):
        sql = f"select e.name, d.name from {frm} where e.dept_id = d.id(+) order by e.id"
        assert rows(conn, sql) == expected
        assert [c[6] for c in describe(conn, sql)] == [False, True]
    assert rows(conn, "select d.name, e.name from j_emp e, j_dept d where e.dept_id(+) = d.id and e.sal(+) > 250"
                      " order by d.id") == [("SALES", None), ("IT", "dan"), ("EMPTY", None)]
    assert ora_error(conn, "select 1 from j_emp e, j_dept d where e.dept_id = d.id(+) or e.id = 1") == \
        "ORA-01719: outer join operator (+) not allowed in operand of OR or IN"
    assert ora_error(conn, "select 1 from j_emp e, j_dept d where e.dept_id(+) = d.id(+)") == \
        "ORA-01468: a predicate may reference only one outer-joined table"
    assert ora_error(conn, "select 1 from j_emp e join j_dept d on 1 = 1, j_emp m where m.id = e.boss(+)") == \
        "ORA-25156: old style outer join (+) cannot be used with ANSI joins"


def test_using_and_natural_join(conn: oracledb.Connection) -> None:
    cur = conn.cursor()
    cur.execute("create table j_loc (loc char(4), city varchar2(20))")
    try:
        cur.executemany("insert into j_loc values (:1, :2)", [("NY", "New York"), ("LA", "Los Angeles")])
        assert rows(conn, "select loc, name, city from j_dept join j_loc using (loc)") == [
            ("NY  ", "SALES", "New York")]
        assert rows(conn, "select * from j_dept natural join j_loc") == [("NY  ", 10, "SALES", "New York")]
        assert rows(conn, "select loc, city from j_dept d full join j_loc l using (loc) order by city") == [
            ("LA  ", "Los Angeles"), ("NY  ", "New York"), ("SF  ", None), (None, None)]
        names = [d[0] for d in describe(conn, "select * from j_dept join j_loc using (loc)")]
        assert names == ["LOC", "ID", "NAME", "CITY"]
        msg = ora_error(conn, "select d.loc from j_dept d join j_loc l using (loc)")
        assert msg.startswith("ORA-25154: column part of USING clause cannot have qualifier")
    finally:
        cur.execute("drop table j_loc")


def test_qualified_star_order_by_and_group_by(conn: oracledb.Connection) -> None:
    assert rows(conn, "select d.*, e.name from j_dept d join j_emp e on e.dept_id = d.id"
                      " order by d.name desc, e.name") == [
        (10, "SALES", "NY  ", "ann"), (20, "IT", "SF  ", "bob"), (20, "IT", "SF  ", "dan")]
    assert rows(conn, "select d.name, count(e.id), sum(e.sal), max(e.name) from j_dept d"
                      " left join j_emp e on e.dept_id = d.id group by d.name having count(e.id) < 3"
                      " order by count(e.id) desc, d.name") == [
        ("IT", 2, Decimal("500.5"), "dan"), ("SALES", 1, 100, "ann"), ("EMPTY", 0, None, None)]
    # ORDER BY a select-list column name that is ambiguous in FROM; NULLs last ascending.
    assert rows(conn, "select e.name from j_emp e left join j_dept d on d.id = e.dept_id order by d.name, name") == [
        ("bob",), ("dan",), ("ann",), ("cy",)]


def test_describe_of_joined_columns(conn: oracledb.Connection) -> None:
    d = describe(conn, "select e.id, e.name, d.name dname, d.id did from j_emp e"
                       " left join j_dept d on d.id = e.dept_id")
    assert d[0] == ("ID", oracledb.DB_TYPE_NUMBER, 7, None, 6, 0, False)
    assert d[1] == ("NAME", oracledb.DB_TYPE_VARCHAR, 20, 20, None, None, False)
    # Columns of the outer-joined table are nullable even where declared NOT NULL.
    assert d[2][:2] == ("DNAME", oracledb.DB_TYPE_VARCHAR) and d[2][6] is True
    assert d[3] == ("DID", oracledb.DB_TYPE_NUMBER, 5, None, 4, 0, True)
    d = describe(conn, "select e.name, d.name from j_emp e right join j_dept d on d.id = e.dept_id")
    assert [(c[0], c[6]) for c in d] == [("NAME", True), ("NAME", False)]
    d = describe(conn, "select * from j_emp e, j_dept d where e.dept_id = d.id")
    assert [c[0] for c in d] == ["ID", "NAME", "DEPT_ID", "SAL", "BOSS", "ID", "NAME", "LOC"]
    assert [c[6] for c in d] == [False, False, True, True, True, False, False, True]
    assert d[7][1] is oracledb.DB_TYPE_CHAR


def test_join_errors(conn: oracledb.Connection) -> None:
    assert ora_error(conn, "select name from j_emp, j_dept") == "ORA-00918: column ambiguously defined"
    assert ora_error(conn, "select id from j_emp e join j_dept d on d.id = e.dept_id") == \
        "ORA-00918: column ambiguously defined"
    assert ora_error(conn, "select x.name from j_emp e") == 'ORA-00904: "X"."NAME": invalid identifier'
    assert ora_error(conn, "select e.nope from j_emp e, j_dept d") == 'ORA-00904: "E"."NOPE": invalid identifier'
    assert ora_error(conn, "select nope from j_emp e, j_dept d") == 'ORA-00904: "NOPE": invalid identifier'
    # A table with an alias is known only by its alias.
    assert ora_error(conn, "select j_emp.name from j_emp e") == 'ORA-00904: "J_EMP"."NAME": invalid identifier'
    assert ora_error(conn, "select * from j_emp e join j_nope n on n.id = e.id").startswith("ORA-00942")
    assert ora_error(conn, "select * from j_emp e join j_dept d").startswith("ORA-00905: missing keyword")


# ---- subqueries ---------------------------------------------------------------------------------

def test_scalar_subqueries(conn: oracledb.Connection) -> None:
    assert rows(conn, "select name, (select d.name from j_dept d where d.id = e.dept_id) dn from j_emp e"
                      " order by id") == [("ann", "SALES"), ("bob", "IT"), ("cy", None), ("dan", "IT")]
    assert rows(conn, "select name from j_emp where sal > (select avg(sal) from j_emp) order by name") == [
        ("bob",), ("dan",)]
    assert rows(conn, "select (select count(*) from j_emp) + 1, (select max(id) from j_dept where 1 = 0)"
                      " from dual") == [(5, None)]
    d = describe(conn, "select (select name from j_dept where id = 10) n, (select count(*) from j_emp) c from dual")
    assert d[0][:3] == ("N", oracledb.DB_TYPE_VARCHAR, 20) and d[0][6] is True
    assert d[1][:2] == ("C", oracledb.DB_TYPE_NUMBER)
    assert ora_error(conn, "select name from j_emp where id = (select id from j_emp)") == \
        "ORA-01427: single-row subquery returns more than one row"
    assert ora_error(conn, "select (select id, name from j_dept where id = 10) from dual") == \
        "ORA-00913: too many values"


def test_in_and_not_in_subqueries(conn: oracledb.Connection) -> None:
    assert rows(conn, "select name from j_emp where dept_id in (select id from j_dept where name = :n)"
                      " order by name", "IT") == [("bob",), ("dan",)]
    assert rows(conn, "select name from j_emp where dept_id not in (select id from j_dept where name = 'IT')"
                      " order by name") == [("ann",)]
    # NOT IN over a subquery with a NULL matches nothing (Oracle's three-valued logic).
    assert rows(conn, "select name from j_dept where id not in (select dept_id from j_emp)") == []
    # A character column against NUMBER values converts as Oracle does.
    assert rows(conn, "select name from j_dept where to_char(id) in (select dept_id from j_emp)"
                      " order by id") == [("SALES",), ("IT",)]


def test_exists_and_correlation(conn: oracledb.Connection) -> None:
    assert rows(conn, "select d.name from j_dept d where exists (select 1 from j_emp e where e.dept_id = d.id)"
                      " order by d.id") == [("SALES",), ("IT",)]
    assert rows(conn, "select name from j_dept d where not exists (select * from j_emp where dept_id = d.id)") == [
        ("EMPTY",)]
    # Correlated two levels down; employees earning the most in their department.
    assert rows(conn, "select e.name from j_emp e where e.sal = (select max(x.sal) from j_emp x"
                      " where x.dept_id = e.dept_id and exists (select 1 from j_dept d where d.id = e.dept_id))"
                      " order by 1") == [("ann",), ("dan",)]
    assert rows(conn, "select case when exists (select 1 from j_emp where boss = 1) then 'y' else 'n' end"
                      " from dual") == [("y",)]


def test_any_all(conn: oracledb.Connection) -> None:
    assert rows(conn, "select name from j_emp where sal > all (select sal from j_emp where dept_id = 10)"
                      " order by 1") == [("bob",), ("dan",)]
    assert rows(conn, "select name from j_emp where sal < any (select sal from j_emp where dept_id = 20)"
                      " order by 1") == [("ann",), ("bob",), ("cy",)]
    assert rows(conn, "select name from j_emp where id = any (1, 3) order by 1") == [("ann",), ("cy",)]
    assert rows(conn, "select name from j_emp where id = some (select boss from j_emp) order by 1") == [
        ("ann",), ("bob",)]
    assert rows(conn, "select count(*) from j_emp where sal > all (select sal from j_emp where 1 = 0)") == [(4,)]


def test_inline_views(conn: oracledb.Connection) -> None:
    assert rows(conn, "select v.dept_id, v.c from (select dept_id, count(*) c from j_emp group by dept_id) v"
                      " where v.c > 1") == [(20, 2)]
    assert rows(conn, "select d.name, v.total from j_dept d join (select dept_id, sum(sal) total from j_emp"
                      " group by dept_id) v on v.dept_id = d.id order by v.total desc") == [
        ("IT", Decimal("500.5")), ("SALES", 100)]
    assert rows(conn, "select * from (select name from j_emp order by sal desc) fetch first 2 rows only") == [
        ("dan",), ("bob",)]
    d = describe(conn, "select * from (select id, name n from j_emp) where id < 3")
    assert d[0] == ("ID", oracledb.DB_TYPE_NUMBER, 7, None, 6, 0, False)
    assert d[1][:2] == ("N", oracledb.DB_TYPE_VARCHAR)
    assert ora_error(conn, "select v.name from (select id from j_emp) v") == \
        'ORA-00904: "V"."NAME": invalid identifier'


def test_subqueries_in_dml(conn: oracledb.Connection) -> None:
    cur = conn.cursor()
    cur.execute("create table j_bonus (emp_id number, amount number(8,2))")
    try:
        cur.execute("insert into j_bonus select e.id, e.sal / 10 from j_emp e join j_dept d on d.id = e.dept_id"
                    " where d.name = 'IT'")
        assert cur.rowcount == 2
        cur.execute("update j_bonus b set amount = (select e.sal from j_emp e where e.id = b.emp_id)"
                    " where emp_id in (select id from j_emp where name = 'dan')")
        assert cur.rowcount == 1
        cur.execute("delete from j_bonus where not exists (select 1 from j_emp e where e.id = emp_id"
                    " and e.sal > 250)")
        assert cur.rowcount == 1
        assert rows(conn, "select emp_id, amount from j_bonus") == [(4, Decimal("300.5"))]
    finally:
        conn.rollback()
        cur.execute("drop table j_bonus")


def test_empty_string_is_null_in_joins(conn: oracledb.Connection) -> None:
    assert rows(conn, "select count(*) from j_emp e join j_dept d on d.id = e.dept_id where d.name = ''") == [(0,)]
    assert rows(conn, "select count(*) from j_emp where name in (select '' from dual)") == [(0,)]


def test_orm_generated_sql(conn: oracledb.Connection) -> None:
    # Django: quoted upper-case names, parenthesised ON, correlated EXISTS, OFFSET/FETCH.
    assert rows(conn, 'SELECT "J_EMP"."NAME", "J_DEPT"."NAME" FROM "J_EMP" LEFT OUTER JOIN "J_DEPT"'
                      ' ON ("J_EMP"."DEPT_ID" = "J_DEPT"."ID") WHERE "J_EMP"."SAL" >= :arg0'
                      ' ORDER BY "J_EMP"."ID" ASC OFFSET 0 ROWS FETCH FIRST 2 ROWS ONLY', 100) == [
        ("ann", "SALES"), ("bob", "IT")]
    assert rows(conn, 'SELECT "J_DEPT"."ID" FROM "J_DEPT" WHERE EXISTS(SELECT 1 AS "A" FROM "J_EMP" U0'
                      ' WHERE (U0."DEPT_ID" = ("J_DEPT"."ID") AND U0."SAL" > :arg0) FETCH FIRST 1 ROWS ONLY)'
                      ' ORDER BY 1', 150) == [(20,)]
    assert rows(conn, 'SELECT "J_EMP"."NAME" FROM "J_EMP" WHERE "J_EMP"."DEPT_ID" IN (SELECT U0."ID" FROM'
                      ' "J_DEPT" U0 WHERE U0."NAME" = :arg0) ORDER BY "J_EMP"."NAME"', "SALES") == [("ann",)]
    # SQLAlchemy: lower-case names, labels, anonymous inline views.
    assert rows(conn, "SELECT j_emp.name, j_dept.name AS name_1 FROM j_emp JOIN j_dept ON j_dept.id ="
                      " j_emp.dept_id WHERE j_dept.name = :name_2 ORDER BY j_emp.name", "IT") == [
        ("bob", "IT"), ("dan", "IT")]
    assert rows(conn, "SELECT anon_1.dept_id, anon_1.cnt FROM (SELECT j_emp.dept_id AS dept_id, count(j_emp.id)"
                      " AS cnt FROM j_emp GROUP BY j_emp.dept_id) anon_1 ORDER BY anon_1.cnt DESC,"
                      " anon_1.dept_id") == [(20, 2), (10, 1), (None, 1)]


def test_join_rows_stream(conn: oracledb.Connection) -> None:
    cur = conn.cursor()
    cur.arraysize = 7
    cur.execute("select a.lvl, b.id from (select level lvl from dual connect by level <= 1000) a"
                " cross join j_dept b order by a.lvl, b.id")
    first = cur.fetchmany(4)
    assert [tuple(r) for r in first] == [(1, 10), (1, 20), (1, 30), (2, 10)]
    assert len(cur.fetchall()) == 2996


def test_rownum_top_n_over_inline_views(conn: oracledb.Connection) -> None:
    assert rows(conn, "select * from (select name, sal from j_emp order by sal desc) where rownum <= 2") == [
        ("dan", Decimal("300.5")), ("bob", 200)]
    assert rows(conn, "select name from (select name from j_emp order by name) where rownum < 3") == [
        ("ann",), ("bob",)]
    assert rows(conn, "select count(*) from (select 1 from j_emp where rownum = 1)") == [(1,)]
    # The classic pagination wrapper: ROWNUM numbered inside, filtered outside.
    assert rows(conn, "select * from (select a.*, rownum rnum from (select name from j_emp order by name) a"
                      " where rownum <= :hi) where rnum > :lo", 3, 1) == [("bob", 2), ("cy", 3)]
    assert describe(conn, "select rownum r from j_emp")[0][:2] == ("R", oracledb.DB_TYPE_NUMBER)
    assert ora_error(conn, "select name from j_emp where rownum > 1").startswith("ORA-00900")


def test_row_value_in_subquery(conn: oracledb.Connection) -> None:
    assert rows(conn, "select name from j_emp where (dept_id, sal) in (select dept_id, max(sal) from j_emp"
                      " group by dept_id) order by name") == [("ann",), ("dan",)]
    assert rows(conn, "select count(*) from j_emp where (id, name) not in (select id, name from j_emp"
                      " where id > 1)") == [(1,)]
    assert ora_error(conn, "select 1 from j_emp where (id, name) in (select id from j_emp)") == \
        "ORA-00947: not enough values"
