"""Sequences and identity columns in the embedded server, through python-oracledb 26.1
(thin) against EmbeddedServer: CREATE/ALTER/DROP SEQUENCE, NEXTVAL/CURRVAL with
Oracle's once-per-row rule, the ORA errors, sharing between sessions, rollback
keeping numbers used, identity columns with RETURNING INTO, USER_SEQUENCES, and the
DDL SQLAlchemy and Django send (docs: docs/oracle-sql.md 2.8, 6.1, 6.2).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop

_names = itertools.count(1)


@pytest.fixture
def conn(server: EmbeddedServer) -> Iterator[Any]:
    connection = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def cur(conn: Any) -> Iterator[Any]:
    with conn.cursor() as cursor:
        yield cursor


def fresh(prefix: str = "S") -> str:
    """A name no other test uses (the server lives for the whole module)."""
    return f"{prefix}{next(_names)}"


def ora(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).splitlines()[0]


def values(cur: Any, sql: str, **binds: Any) -> list[Any]:
    cur.execute(sql, binds)
    return [row[0] if len(row) == 1 else row for row in cur.fetchall()]


# ----------------------------------------------------------------- sequences


def test_nextval_currval_defaults(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {s}.currval from dual")
    assert ora(exc) == f"ORA-08002: sequence {s}.CURRVAL is not yet defined in this session"
    assert values(cur, f"select {s}.nextval from dual") == [1]
    assert values(cur, f"select {s}.nextval from dual") == [2]
    assert values(cur, f"select {s}.currval from dual") == [2]
    cur.execute(f"select {s}.nextval as n, {s}.currval from dual")
    assert [d[0] for d in cur.description] == ["N", "CURRVAL"]
    assert cur.description[0][1] is oracledb.DB_TYPE_NUMBER


def test_nextval_once_per_row(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s}")
    # Every reference in one row sees the same number, CURRVAL too (even before NEXTVAL).
    assert values(cur, f"select {s}.nextval, {s}.nextval, {s}.currval from dual") == [(1, 1, 1)]
    assert values(cur, f"select {s}.currval, {s}.nextval * 10 from dual") == [(2, 20)]
    assert values(cur, f"select {s}.nextval, level from dual connect by level <= 3") == [(3, 1), (4, 2), (5, 3)]
    t = fresh("T")
    cur.execute(f"create table {t} (id number, copy number, name varchar2(10))")
    cur.executemany(f"insert into {t} (id, copy, name) values ({s}.nextval, {s}.nextval, :1)", [("a",), ("b",)])
    assert values(cur, f"select id, copy, name from {t} order by id") == [(6, 6, "a"), (7, 7, "b")]
    cur.execute(f"update {t} set copy = {s}.nextval, id = {s}.nextval")
    assert cur.rowcount == 2
    rows = values(cur, f"select id, copy from {t} order by id")
    assert rows == [(8, 8), (9, 9)]
    cur.execute(f"insert into {t} (id, name) select {s}.nextval, name from {t}")
    assert sorted(values(cur, f"select id from {t}")) == [8, 9, 10, 11]
    cur.connection.rollback()
    cur.execute(f"drop table {t}")


def test_options_descending_and_cycle(cur: Any) -> None:
    d = fresh()
    cur.execute(f"create sequence {d} start with 5 increment by -2 minvalue 0 maxvalue 5 nocache")
    assert values(cur, f"select {d}.nextval from dual connect by level <= 3") == [5, 3, 1]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {d}.nextval from dual")
    assert ora(exc) == f"ORA-08004: sequence {d}.NEXTVAL goes below MINVALUE and cannot be instantiated"
    c = fresh()
    cur.execute(f"create sequence {c} start with 2 minvalue 1 maxvalue 3 increment by 1 cycle cache 2 order")
    assert values(cur, f"select {c}.nextval from dual connect by level <= 5") == [2, 3, 1, 2, 3]
    s = fresh()
    cur.execute(f"CREATE SEQUENCE scott.{s} START WITH 10 INCREMENT BY 5 MAXVALUE 20 NOCYCLE NOORDER CACHE 5")
    assert values(cur, f"select scott.{s}.nextval from dual connect by level <= 3") == [10, 15, 20]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {s}.nextval from dual")
    assert ora(exc) == f"ORA-08004: sequence {s}.NEXTVAL exceeds MAXVALUE and cannot be instantiated"
    assert values(cur, f"select {s}.currval from dual") == [20]


def test_option_errors(cur: Any) -> None:
    cases = {
        "increment by 0": "ORA-04002: INCREMENT must be a non-zero integer",
        "minvalue 5 maxvalue 5": "ORA-04004: MINVALUE must be less than MAXVALUE",
        "start with 0": "ORA-04006: START WITH cannot be less than MINVALUE",
        "maxvalue 10 start with 11": "ORA-04008: START WITH cannot be more than MAXVALUE",
        "cache 1": "ORA-04010: the number of values to CACHE must be greater than 1",
    }
    for options, message in cases.items():
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(f"create sequence {fresh()} {options}")
        assert ora(exc) == message, options


def test_unknown_sequence_and_name_clash(cur: Any) -> None:
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("select no_such_seq.nextval from dual")
    assert ora(exc) == "ORA-02289: sequence does not exist"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("drop sequence no_such_seq")
    assert ora(exc) == "ORA-02289: sequence does not exist"
    s = fresh()
    cur.execute(f"create sequence {s}")
    for sql in (f"create sequence {s}", f"create table {s} (x number)"):
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(sql)
        assert ora(exc) == "ORA-00955: name is already used by an existing object"
    t = fresh("T")
    cur.execute(f"create table {t} (x number)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create sequence {t}")
    assert ora(exc) == "ORA-00955: name is already used by an existing object"
    cur.execute(f"drop table {t}")


def test_sequence_number_not_allowed_here(cur: Any) -> None:
    s, t = fresh(), fresh("T")
    cur.execute(f"create sequence {s}")
    cur.execute(f"create table {t} (id number, name varchar2(5))")
    for sql in (f"select 1 from dual where {s}.nextval > 0", f"select {s}.nextval from {t} order by id",
                f"select distinct {s}.nextval from {t}", f"select count(*) from {t} group by {s}.currval",
                f"update {t} set name = 'x' where id = {s}.currval",
                f"delete from {t} where id = {s}.nextval"):
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(sql)
        assert ora(exc) == "ORA-02287: sequence number not allowed here", sql
    assert values(cur, f"select {s}.nextval from dual") == [1]  # none of them drew a number
    cur.execute(f"drop table {t}")


def test_drop_and_recreate(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s} start with 7")
    assert values(cur, f"select {s}.nextval from dual") == [7]
    cur.execute(f"drop sequence {s}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {s}.nextval from dual")
    assert ora(exc) == "ORA-02289: sequence does not exist"
    cur.execute(f"create sequence {s}")
    with pytest.raises(oracledb.DatabaseError) as exc:  # a new sequence: no CURRVAL yet
        cur.execute(f"select {s}.currval from dual")
    assert ora(exc).startswith("ORA-08002")
    assert values(cur, f"select {s}.nextval from dual") == [1]


def test_alter_sequence(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s}")
    assert values(cur, f"select {s}.nextval from dual connect by level <= 2") == [1, 2]
    cur.execute(f"alter sequence {s} increment by 10")
    assert values(cur, f"select {s}.nextval from dual") == [12]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter sequence {s} start with 5")
    assert ora(exc) == "ORA-02283: cannot alter starting sequence number"
    cur.execute(f"alter sequence {s} restart start with 100 increment by 1")
    assert values(cur, f"select {s}.nextval from dual") == [100]
    cur.execute(f"alter sequence {s} maxvalue 101 nocycle")
    assert values(cur, f"select {s}.nextval from dual") == [101]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select {s}.nextval from dual")
    assert ora(exc).startswith("ORA-08004")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("alter sequence no_such_seq increment by 2")
    assert ora(exc) == "ORA-02289: sequence does not exist"


def test_two_sessions_share_one_sequence(server: EmbeddedServer, cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s}")
    other = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    try:
        with other.cursor() as cur2:
            a = values(cur, f"select {s}.nextval from dual")
            b = values(cur2, f"select {s}.nextval from dual")
            c = values(cur, f"select {s}.nextval from dual")
            assert a + b + c == [1, 2, 3]
            # CURRVAL is per session.
            assert values(cur2, f"select {s}.currval from dual") == [2]
            assert values(cur, f"select {s}.currval from dual") == [3]
    finally:
        other.close()


def test_sequence_not_blocked_by_open_transaction(server: EmbeddedServer, conn: Any, cur: Any) -> None:
    s, t = fresh(), fresh("T")
    cur.execute(f"create sequence {s}")
    cur.execute(f"create table {t} (id number)")
    cur.execute(f"insert into {t} values ({s}.nextval)")  # holds the transaction open
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as other, other.cursor() as cur2:
        assert values(cur2, f"select {s}.nextval from dual") == [2]
        assert values(cur2, f"select count(*) from {t}") == [0]
    conn.rollback()
    assert values(cur, f"select {s}.nextval from dual") == [3]
    cur.execute(f"drop table {t}")


def test_concurrent_sessions_draw_distinct_values(server: EmbeddedServer, cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s}")
    drawn: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as c, c.cursor() as k:
            got = values(k, f"select {s}.nextval from dual connect by level <= 50")
            for _ in range(10):
                got += values(k, f"select {s}.nextval from dual")
            with lock:
                drawn.extend(got)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(drawn) == list(range(1, 241))


def test_rollback_keeps_numbers_used(conn: Any, cur: Any) -> None:
    s, t = fresh(), fresh("T")
    cur.execute(f"create sequence {s}")
    cur.execute(f"create table {t} (id number primary key)")
    cur.execute(f"insert into {t} values ({s}.nextval)")
    cur.execute(f"insert into {t} values ({s}.nextval)")
    conn.rollback()
    assert values(cur, f"select count(*) from {t}") == [0]
    assert values(cur, f"select {s}.nextval from dual") == [3]
    assert values(cur, f"select {s}.currval from dual") == [3]
    # A failing statement uses its number too.
    cur.execute(f"insert into {t} values (4)")
    with pytest.raises(oracledb.IntegrityError):
        cur.execute(f"insert into {t} values ({s}.nextval)")
    assert values(cur, f"select {s}.nextval from dual") == [5]
    conn.rollback()
    cur.execute(f"drop table {t}")


def test_sequences_in_plsql_and_defaults(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s} start with 40")
    out = cur.var(int)
    cur.execute(f"begin :x := {s}.nextval; end;", x=out)
    assert out.getvalue() == 40
    t = fresh("T")
    cur.execute(f"create table {t} (id number default {s}.nextval, name varchar2(5))")
    cur.execute(f"insert into {t} (name) values ('a')")
    cur.execute(f"insert into {t} (name) select 'b' from dual connect by level <= 2")
    assert values(cur, f"select id from {t} order by id") == [41, 42, 43]
    cur.connection.rollback()
    cur.execute(f"drop table {t}")


def test_user_sequences(cur: Any) -> None:
    s = fresh()
    cur.execute(f"create sequence {s} start with 5 increment by 2 maxvalue 1000 cycle cache 10")
    row = values(cur, "select sequence_name, min_value, max_value, increment_by, cycle_flag, cache_size, "
                      f"last_number from user_sequences where sequence_name = '{s}'")
    assert row == [(s, 1, 1000, 2, "Y", 10, 5)]
    values(cur, f"select {s}.nextval from dual")
    # LAST_NUMBER is the cache's high-water mark (5 + 10 * 2), as on a real database.
    assert values(cur, f"select last_number from user_sequences where sequence_name = '{s}'") == [25]
    n = fresh()
    cur.execute(f"create sequence {n} nocache")
    values(cur, f"select {n}.nextval from dual")
    assert values(cur, f"select last_number, cache_size from user_sequences where sequence_name = '{n}'") == \
        [(2, 0)]
    assert values(cur, f"select sequence_owner from all_sequences where sequence_name = '{n}'") == ["SCOTT"]
    assert values(cur, "select count(*) from user_sequences where sequence_name = 'NOPE'") == [0]


# ----------------------------------------------------------------- identity columns


def test_identity_always(cur: Any) -> None:
    t = fresh("T")
    cur.execute(f"create table {t} (id number generated always as identity primary key, name varchar2(10))")
    out = cur.var(int)
    cur.execute(f"insert into {t} (name) values (:n) returning id into :id", n="a", id=out)
    assert out.getvalue() == [1]
    cur.execute(f"insert into {t} (name) values (:n) returning id into :id", n="b", id=out)
    assert out.getvalue() == [2]
    for sql in (f"insert into {t} (id, name) values (10, 'x')", f"insert into {t} (id, name) values (null, 'x')",
                f"insert into {t} values (10, 'x')"):
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(sql)
        assert ora(exc) == "ORA-32795: cannot insert into a generated always identity column"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"update {t} set id = 5")
    assert ora(exc) == "ORA-32796: cannot update a generated always identity column"
    cur.execute(f"insert into {t} (name) select 'c' from dual connect by level <= 3")
    assert values(cur, f"select id, name from {t} order by id") == [(1, "a"), (2, "b"), (3, "c"), (4, "c"),
                                                                   (5, "c")]
    cur.connection.rollback()
    cur.execute(f"insert into {t} (name) values ('d')")  # identity numbers are not given back either
    assert values(cur, f"select id from {t}") == [6]
    cur.connection.rollback()
    cur.execute(f"drop table {t}")


def test_identity_by_default(cur: Any) -> None:
    t = fresh("T")
    cur.execute(f"create table {t} (id number generated by default as identity (start with 100 increment by 10), "
                "name varchar2(10))")
    cur.execute(f"insert into {t} (name) values ('a')")
    cur.execute(f"insert into {t} (id, name) values (7, 'b')")
    with pytest.raises(oracledb.IntegrityError) as null_exc:
        cur.execute(f"insert into {t} (id, name) values (null, 'c')")
    assert str(null_exc.value).splitlines()[0] == f'ORA-01400: cannot insert NULL into ("SCOTT"."{t}"."ID")'
    cur.execute(f"insert into {t} (name) values ('d')")
    assert values(cur, f"select id, name from {t} order by name") == [(100, "a"), (7, "b"), (110, "d")]
    seq = values(cur, f"select sequence_name, generation_type from user_tab_identity_cols where table_name = '{t}'")
    assert len(seq) == 1 and seq[0][0].startswith("ISEQ$$_") and seq[0][1] == "BY DEFAULT"
    assert values(cur, f"select {seq[0][0]}.currval from dual") == [110]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f'drop sequence "{seq[0][0]}"')
    assert ora(exc) == "ORA-32794: cannot drop a system-generated sequence"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f'alter sequence "{seq[0][0]}" increment by 2')
    assert ora(exc) == "ORA-32793: cannot alter a system-generated sequence"
    cur.connection.rollback()
    cur.execute(f"drop table {t}")
    assert values(cur, f"select count(*) from user_sequences where sequence_name = '{seq[0][0]}'") == [0]


def test_identity_on_null_and_errors(cur: Any) -> None:
    t = fresh("T")
    cur.execute(f"create table {t} (id number(11) generated by default on null as identity, name varchar2(10))")
    cur.execute(f"insert into {t} (id, name) values (null, 'a')")
    cur.execute(f"insert into {t} (id, name) values (50, 'b')")
    cur.execute(f"insert into {t} (id, name) values (:id, 'c')", id=None)
    assert values(cur, f"select id, name from {t} order by name") == [(1, "a"), (50, "b"), (2, "c")]
    cur.connection.rollback()
    cur.execute(f"drop table {t}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create table {fresh('T')} (id varchar2(10) generated always as identity)")
    assert ora(exc) == "ORA-30675: identity column must be a numeric type"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create table {fresh('T')} (a number generated always as identity, "
                    "b number generated always as identity)")
    assert ora(exc) == "ORA-30669: table can have only one identity column"


def test_sqlalchemy_identity_ddl_and_insert(cur: Any) -> None:
    t = fresh("T")
    cur.execute(f"""CREATE TABLE {t} (
\tid INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1 NOMINVALUE NOCYCLE ORDER),
\tname VARCHAR2(50 CHAR),
\tcreated DATE,
\tflag SMALLINT,
\tbody CLOB,
\tPRIMARY KEY (id)
)""")
    ret = cur.var(int)
    cur.execute(f"INSERT INTO {t} (name, created, flag, body) VALUES (:name, sysdate, :flag, :body) "
                f"RETURNING {t}.id INTO :ret_0", name="x", flag=1, body="text", ret_0=ret)
    assert ret.getvalue() == [1]
    # executemany with RETURNING (SQLAlchemy's insert_executemany_returning)
    ret = cur.var(int, arraysize=3)
    cur.setinputsizes(name=None, ret_0=ret)
    cur.executemany(f"INSERT INTO {t} (name) VALUES (:name) RETURNING {t}.id INTO :ret_0",
                    [{"name": "a"}, {"name": "b"}, {"name": "c"}])
    assert [ret.getvalue(i) for i in range(3)] == [[2], [3], [4]]
    # SQLAlchemy's explicit Sequence: CREATE SEQUENCE, then nextval in the INSERT
    s = fresh()
    cur.execute(f"CREATE SEQUENCE {s} START WITH 100 INCREMENT BY 1 NOMINVALUE NOMAXVALUE NOCYCLE NOCACHE")
    cur.execute(f"INSERT INTO {t} (id, name) VALUES ({s}.nextval, :name) RETURNING {t}.id INTO :ret_0",
                name="seq", ret_0=(out := cur.var(int)))
    assert out.getvalue() == [100]
    assert values(cur, "SELECT sequence_name FROM all_sequences WHERE sequence_name = :name "
                       "AND sequence_owner = :owner", name=s, owner="SCOTT") == [s]
    cur.connection.rollback()
    cur.execute(f"DROP TABLE {t}")
    cur.execute(f"DROP SEQUENCE {s}")


def test_django_identity_ddl_and_insert(cur: Any) -> None:
    t = fresh("APP_MODEL")
    cur.execute(f'CREATE TABLE "{t}" ("ID" NUMBER(11) GENERATED BY DEFAULT ON NULL AS IDENTITY NOT NULL '
                f'PRIMARY KEY, "NAME" NVARCHAR2(100) NOT NULL, "CREATED" TIMESTAMP NOT NULL)')
    out = cur.var(int)
    cur.execute(f'INSERT INTO "{t}" ("NAME", "CREATED") VALUES (:arg0, SYSTIMESTAMP) RETURNING "{t}"."ID" '
                "INTO :arg1", arg0="x", arg1=out)
    assert out.getvalue() == [1]
    cur.execute(f'INSERT INTO "{t}" ("ID", "NAME", "CREATED") VALUES (NULL, :arg0, SYSTIMESTAMP) '
                f'RETURNING "{t}"."ID" INTO :arg1', arg0="y", arg1=out)
    assert out.getvalue() == [2]
    assert values(cur, f"select column_name, generation_type from user_tab_identity_cols "
                       f"where table_name = '{t}'") == [("ID", "BY DEFAULT")]
    cur.connection.commit()
    cur.execute(f'DROP TABLE "{t}"')
