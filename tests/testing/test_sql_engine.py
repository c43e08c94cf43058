"""The embedded server's SQL engine, driven directly through Database/Session (no network)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Result, Session
from oracle_sansio.codecs import OracleType
from oracle_sansio.statement import parse_statement


@pytest.fixture
def s(db: Database) -> Session:
    return db.session(user="scott", sid=11, serial=22)


def run(session: Session, sql: str, *binds: object) -> Result:
    return session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)


def rows(session: Session, sql: str, *binds: object) -> list[tuple[object, ...]]:
    result = run(session, sql, *binds)
    assert result.rows is not None
    return list(result.rows)


def one(session: Session, sql: str, *binds: object) -> object:
    return rows(session, sql, *binds)[0][0]


def error(session: Session, sql: str, *binds: object) -> OraError:
    with pytest.raises(OraError) as info:
        run(session, sql, *binds)
    return info.value


# ---- literals and expressions from dual ------------------------------------------------------

def test_number_literals_are_exact(s: Session) -> None:
    big = "12345678901234567890123456789012345678"
    assert one(s, f"select {big} from dual") == int(big)
    assert one(s, f"select -{big} from dual") == -int(big)
    assert one(s, "select 0.000000000000000000000000000001 from dual") == Decimal("1E-30")
    assert one(s, "select 0.1 + 0.2 from dual") == Decimal("0.3")
    assert one(s, "select 7 / 2 from dual") == Decimal("3.5")
    assert one(s, "select 1 / 3 from dual") == Decimal("0." + "3" * 38)
    assert one(s, "select 2 * -3.5 - 1 from dual") == -8
    assert one(s, "select -(1.25) from dual") == Decimal("-1.25")


def test_division_by_zero(s: Session) -> None:
    e = error(s, "select 1/0 from dual")
    assert (e.code, e.message) == (1476, "ORA-01476: divisor is equal to zero")


def test_strings_and_concat(s: Session) -> None:
    assert one(s, "select 'it''s' from dual") == "it's"
    assert one(s, "select q'[it's]' from dual") == "it's"
    assert one(s, "select 'a' || null || 'b' from dual") == "ab"
    assert one(s, "select null || null from dual") is None
    assert one(s, "select '' from dual") is None
    assert one(s, "select 'x' || 0.5 from dual") == "x.5"
    assert one(s, "select 'x' || -0.5 from dual") == "x-.5"
    assert rows(s, "select 1 from dual where '' is null") == [(1,)]


def test_datetime_literals(s: Session) -> None:
    assert one(s, "select date '2024-01-31' from dual") == dt.datetime(2024, 1, 31)
    assert one(s, "select timestamp '2024-01-31 10:00:00.5' from dual") == dt.datetime(2024, 1, 31, 10, 0, 0, 500000)
    assert one(s, "select date '2024-01-31' + 1 from dual") == dt.datetime(2024, 2, 1)
    assert one(s, "select date '2024-01-31' + 1/24 from dual") == dt.datetime(2024, 1, 31, 1)
    assert one(s, "select date '2024-03-01' - date '2024-02-01' from dual") == 29
    assert one(s, "select add_months(date '2024-01-31', 1) from dual") == dt.datetime(2024, 2, 29)
    assert one(s, "select to_char(date '2024-01-31', 'YYYY-MM-DD') from dual") == "2024-01-31"
    assert one(s, "select to_date('2024-02-03 04:05:06', 'YYYY-MM-DD HH24:MI:SS') from dual") == dt.datetime(
        2024, 2, 3, 4, 5, 6)


def test_to_date_follows_oracles_string_to_date_rules(s: Session) -> None:
    """YY/RR take a four-digit year as it is, MM takes a month name (Oracle's string-to-date
    conversion rules; python-oracledb's test_4614 reads to_date('04-JAN-2022') with DD-MON-RR)."""
    assert one(s, "select to_date('04-JAN-2022') from dual") == dt.datetime(2022, 1, 4)
    assert one(s, "select to_date('04-JAN-97', 'DD-MON-RR') from dual") == dt.datetime(1997, 1, 4)
    assert one(s, "select to_date('04-JAN-22', 'DD-MON-YY') from dual") == dt.datetime(2022, 1, 4)
    assert one(s, "select to_date('04-JAN-1999', 'DD-MM-YY') from dual") == dt.datetime(1999, 1, 4)
    assert error(s, "select to_date('04-XYZ-2022', 'DD-MM-YYYY') from dual").code == 1843


def test_session_values(s: Session) -> None:
    row = rows(s, "select user, sys_context('userenv', 'sid'), sys_context('USERENV', 'session_user'), "
                  "sys_context('userenv', 'current_schema'), sys_context('userenv', 'module') from dual")[0]
    assert row == ("SCOTT", "11", "SCOTT", "SCOTT", None)
    s.module, s.action, s.client_identifier = "mod", "act", "cid"
    assert rows(s, "select sys_context('userenv','module'), sys_context('userenv','action'), "
                   "sys_context('userenv','client_identifier') from dual") == [("mod", "act", "cid")]
    assert isinstance(one(s, "select sysdate from dual"), dt.datetime)
    stamp = one(s, "select systimestamp from dual")
    assert isinstance(stamp, dt.datetime) and stamp.tzinfo is not None
    assert error(s, "select sys_context('userenv', 'bogus') from dual").code == 2003


def test_describe_of_expressions(s: Session) -> None:
    result = run(s, "select 1 as col, 1 + 1, 'X', user, sysdate, 2 \"quoted\" from dual")
    assert result.columns is not None
    names = [c.name for c in result.columns]
    assert names == ["COL", "1+1", "'X'", "USER", "SYSDATE", "quoted"]
    col, plus, lit, usr, now, _ = result.columns
    assert (col.ora_type, col.precision, col.scale, col.nullable) == (OracleType.NUMBER, 0, -127, True)
    assert (plus.ora_type, plus.precision, plus.scale) == (OracleType.NUMBER, 0, -127)
    assert (lit.ora_type, lit.max_size) == (OracleType.CHAR, 1)
    assert (usr.ora_type, usr.max_size) == (OracleType.VARCHAR, 128)
    assert now.ora_type == OracleType.DATE


def test_functions(s: Session) -> None:
    assert rows(s, "select nvl(null, 5), upper('ab'), lower('AB'), length('abc'), substr('hello', 2, 3), "
                   "to_number('12.50'), trunc(12.345, 1), round(2.5), round(-2.5), mod(-7, 2), "
                   "coalesce(null, null, 'z'), decode(2, 1, 'one', 2, 'two', 'many'), to_char(1.50), "
                   "to_char(0.5) from dual") == [
        (5, "AB", "ab", 3, "ell", Decimal("12.5"), Decimal("12.3"), 3, -3, -1, "z", "two", "1.5", ".5")]
    assert one(s, "select length('') from dual") is None
    assert error(s, "select to_number('abc') from dual").code == 1722
    assert error(s, "select nosuchfn(1) from dual").message == 'ORA-00904: "NOSUCHFN": invalid identifier'


# ---- DDL and catalog -------------------------------------------------------------------------

_DDL = """create table t (
    id number(9) not null primary key,
    name varchar2(20 char) not null,
    amount number(10, 2),
    n number,
    i integer,
    c char(3),
    nv nvarchar2(10),
    d date default date '2000-01-01',
    ts timestamp(4),
    bf binary_float,
    bd binary_double,
    r raw(4),
    cl clob,
    bl blob,
    flag boolean,
    constraint t_name_uk unique (name)
)"""


def test_create_table_describe(s: Session) -> None:
    run(s, _DDL)
    result = run(s, "select * from t")
    assert result.columns is not None
    got = {c.name: (c.ora_type, c.precision, c.scale, c.max_size, c.nullable, c.csfrm) for c in result.columns}
    assert got["ID"] == (OracleType.NUMBER, 9, 0, 0, False, 0)
    assert got["NAME"] == (OracleType.VARCHAR, 0, 0, 20, False, 1)
    assert got["AMOUNT"] == (OracleType.NUMBER, 10, 2, 0, True, 0)
    assert got["N"] == (OracleType.NUMBER, 0, -127, 0, True, 0)
    assert got["I"] == (OracleType.NUMBER, 38, 0, 0, True, 0)
    assert got["C"][:4] == (OracleType.CHAR, 0, 0, 3)
    assert got["NV"][0] == OracleType.VARCHAR and got["NV"][5] == 2
    assert got["D"][0] == OracleType.DATE
    assert got["TS"][:3] == (OracleType.TIMESTAMP, 0, 4)
    assert got["BF"][0] == OracleType.BINARY_FLOAT and got["BD"][0] == OracleType.BINARY_DOUBLE
    assert got["R"][0] == OracleType.RAW and got["R"][3] == 4
    assert [got[k][0] for k in ("CL", "BL", "FLAG")] == [OracleType.CLOB, OracleType.BLOB, OracleType.BOOLEAN]
    assert list(result.rows or ()) == []


def test_ddl_errors(s: Session) -> None:
    run(s, "create table t (id number)")
    e = error(s, "create table T (x number)")
    assert (e.code, e.message) == (955, "ORA-00955: name is already used by an existing object")
    run(s, "drop table t")
    e = error(s, "select * from t")
    assert (e.code, e.message) == (942, "ORA-00942: table or view does not exist")
    assert error(s, "drop table t").code == 942
    assert error(s, "create table x (id number references y)").code == 900


def test_round_trip_every_type(s: Session) -> None:
    run(s, _DDL)
    values = (1, "név", Decimal("12.34"), Decimal("-0.000001"), 42, "ab", "ñ", dt.datetime(2024, 1, 31, 10, 11, 12),
              dt.datetime(2024, 1, 31, 10, 11, 12, 123400), 1.5, 2.25, b"\x00\xff", "clob text", b"blob", True)
    run(s, "insert into t values (:1, :2, :3, :4, :5, :6, :7, :8, :9, :10, :11, :12, :13, :14, :15)", *values)
    got = rows(s, "select * from t")[0]
    assert got == (1, "név", Decimal("12.34"), Decimal("-0.000001"), 42, "ab ", "ñ", dt.datetime(2024, 1, 31, 10, 11, 12),
                   dt.datetime(2024, 1, 31, 10, 11, 12, 123400), 1.5, 2.25, b"\x00\xff", "clob text", b"blob", True)
    run(s, "insert into t (id, name) values (2, 'b')")
    assert one(s, "select d from t where id = 2") == dt.datetime(2000, 1, 1)


# ---- DML ----------------------------------------------------------------------------------------

def test_number_ordering_and_exact_storage(s: Session) -> None:
    run(s, "create table n (v number)")
    values = [Decimal("-1E+30"), -1000, Decimal("-1.5"), -1, Decimal("-0.001"), 0, Decimal("1E-20"),
              Decimal("0.5"), 1, Decimal("1.000001"), 99, 100, 101, 10**37, int("9" * 38)]
    for v in reversed(values):
        run(s, "insert into n values (:v)", v)
    run(s, "insert into n values (null)")
    assert [r[0] for r in rows(s, "select v from n order by v")] == [*values, None]
    assert [r[0] for r in rows(s, "select v from n order by v desc")] == [None, *reversed(values)]
    assert one(s, "select count(*) from n where v > 1") == 6
    assert one(s, "select count(*) from n where v between -1 and 1") == 6
    assert one(s, "select min(v) from n") == Decimal("-1E+30")
    assert one(s, "select sum(v) from n where v < 100 and v > -100") == Decimal("98.99900100000000000001")


def test_dml_with_binds(s: Session) -> None:
    run(s, "create table emp (id number primary key, name varchar2(10), dept char(2), sal number(7,2))")
    for i, (name, dept, sal) in enumerate([("ann", "A", 100), ("bob", "B", 200.5), ("cy", "A", None)], 1):
        assert run(s, "insert into emp (id, name, dept, sal) values (:id, :name, :dept, :sal)",
                   i, name, dept, sal).row_count == 1
    assert rows(s, "select name from emp where dept = 'A' order by name") == [("ann",), ("cy",)]
    assert rows(s, "select name from emp where dept = :d", "A") == []  # VARCHAR2 bind: non-padded
    assert rows(s, "select name from emp where dept = :d", "A ") == [("ann",), ("cy",)]
    assert rows(s, "select name from emp where name like 'a%' or name in ('cy', 'zz') order by 1") == [
        ("ann",), ("cy",)]
    assert rows(s, "select name from emp where name like 'A%'") == []  # LIKE is case-sensitive
    assert rows(s, "select name from emp where sal is null") == [("cy",)]
    assert rows(s, "select name from emp where not (sal > 150) order by name") == [("ann",)]
    assert rows(s, "select dept, count(*), sum(sal), avg(sal) from emp group by dept order by dept") == [
        ("A ", 2, 100, 100), ("B ", 1, Decimal("200.5"), Decimal("200.5"))]
    assert run(s, "update emp set sal = sal * 2 where id in (:1, :2)", 1, 2).row_count == 2
    assert rows(s, "select sal from emp order by id") == [(200,), (401,), (None,)]
    assert run(s, "update emp set name = '' where id = 3").row_count == 1
    assert one(s, "select count(*) from emp where name is null") == 1
    assert run(s, "delete from emp where sal > :x", 300).row_count == 1
    assert one(s, "select count(*) from emp") == 2
    assert rows(s, "select id from emp order by id offset 1 rows fetch first 1 rows only") == [(3,)]


def test_constraint_errors(s: Session) -> None:
    run(s, "create table u (id number primary key, code varchar2(3) not null, v number(3,1))")
    run(s, "insert into u values (1, 'a', 1)")
    e = error(s, "insert into u values (1, 'b', 1)")
    assert e.code == 1 and e.message.startswith("ORA-00001: unique constraint (SCOTT.SYS_C") and \
        e.message.endswith(") violated")
    e = error(s, "insert into u values (2, '', 1)")
    assert e.message == 'ORA-01400: cannot insert NULL into ("SCOTT"."U"."CODE")'
    e = error(s, "insert into u values (2, :c, 1)", "")
    assert e.code == 1400
    e = error(s, "insert into u values (2, 'abcd', 1)")
    assert e.message == 'ORA-12899: value too large for column "SCOTT"."U"."CODE" (actual: 4, maximum: 3)'
    assert error(s, "insert into u values (2, 'x', 100)").code == 1438
    run(s, "insert into u values (2, 'x', 12.36)")
    assert one(s, "select v from u where id = 2") == Decimal("12.4")
    e = error(s, "select nope from u")
    assert (e.code, e.message, e.position) == (904, 'ORA-00904: "NOPE": invalid identifier', 7)
    assert error(s, "insert into u (id, nope) values (1, 2)").code == 904


def test_unsupported_sql_is_a_clear_error(s: Session) -> None:
    for sql in ["merge into t using dual on (1=1) when matched then update set x = 1",
                "select * from a, b", "create materialized view v as select 1 from dual",
                "grant select on t to x", "select 1 from", "select from dual", "insert into", "select 1 from dual;",
                "select 'unterminated from dual", "select 1 + from dual", "begin foo; end;"]:
        e = error(s, sql)
        assert e.message.startswith(f"ORA-{e.code:05d}: "), sql
        assert e.code in (900, 911, 923, 933, 936, 942, 1756, 6550), (sql, e)


# ---- transactions -------------------------------------------------------------------------------

def test_isolation_between_sessions(db: Database) -> None:
    a = db.session(user="scott", sid=1, serial=1)
    b = db.session(user="scott", sid=2, serial=1)
    run(a, "create table t (id number)")
    run(a, "insert into t values (1)")
    assert a.in_transaction
    assert one(b, "select count(*) from t") == 0
    assert one(a, "select count(*) from t") == 1
    e = error(b, "insert into t values (2)")
    assert (e.code, e.message) == (54, "ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired")
    assert not b.in_transaction
    a.commit()
    assert not a.in_transaction
    assert one(b, "select count(*) from t") == 1
    run(b, "insert into t values (2)")
    run(b, "rollback")
    assert one(a, "select count(*) from t") == 1
    run(a, "insert into t values (3)")
    run(a, "create table t2 (x number)")  # DDL commits the open transaction
    assert not a.in_transaction
    assert one(b, "select count(*) from t") == 2


def test_streaming_generator(s: Session) -> None:
    result = run(s, "select level, level * 1.5, to_char(level) from dual connect by level <= :n", 100000)
    assert result.rows is not None
    first = next(result.rows)
    assert first == (1, Decimal("1.5"), "1")
    count = 1
    last: tuple[object, ...] = first
    for last in result.rows:
        count += 1
    assert count == 100000 and last[0] == 100000
    assert rows(s, "select level from dual connect by level < 3") == [(1,), (2,)]


# ---- session-level statements and PL/SQL --------------------------------------------------------

def test_alter_and_kill_and_vsession(db: Database, s: Session) -> None:
    assert run(s, "alter session set nls_date_format = 'YYYY-MM-DD' time_zone = '+02:00'").columns is None
    assert one(s, "select to_char(date '2024-01-02') from dual") == "2024-01-02"
    assert error(s, "alter system kill session '12,34' immediate").code == 1031  # an admin's
    assert error(s, "select sid from v$session").code == 942  # v$session is an admin's
    admin_db = Database(admins={"scott"})
    try:
        admin_db.sessions_provider = lambda: [(11, 22, "SCOTT", "python", "host", "me", "unknown", "ACTIVE")]
        admin = admin_db.session(user="scott", sid=11, serial=22)
        assert run(admin, "alter system kill session '12,34' immediate").kill == (12, 34)
        assert rows(admin, "select sid, serial#, username, status from v$session where sid = :s", 11) == [
            (11, 22, "SCOTT", "ACTIVE")]
    finally:
        admin_db.close()


def test_plsql(s: Session) -> None:
    assert run(s, "begin null; end;").out_values is None
    result = s.execute("begin :x := 40 + 2; :y := 'n=' || :x; end;", (None, None), bind_names=("X", "Y"))
    assert result.out_values == {0: 42, 1: "n=42"}
    result = s.execute("begin dbms_session.sleep(:n); end;", (Decimal("0.25"),), bind_names=("N",))
    assert result.sleep_seconds == 0.25


def test_pad_to_a_huge_length_stops_at_the_longest_varchar2(s: Session) -> None:
    # RPAD(x, 2000000000) built a 2-billion-character string: MemoryError (ORA-00600) or the server killed
    assert rows(s, "select length(rpad('x', 2000000000, 'ab')), length(lpad('x', 2000000000)) from dual") == \
        [(32767, 32767)]
    assert rows(s, "select rpad('x', 6, 'ab'), lpad('x', 4, 'ab') from dual") == [("xababa", "abax")]
