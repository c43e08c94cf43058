"""EmbeddedServer through python-oracledb: set operators, foreign keys, indexes and the
dictionary views that SQLAlchemy's Oracle dialect reads (test_sqlalchemy.py drives the ORM)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop


@pytest.fixture()
def cur(server: EmbeddedServer) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cursor = conn.cursor()
        yield cursor
        cursor.execute("select table_name from user_tables")
        for (name,) in cursor.fetchall():
            cursor.execute(f'drop table "{name}" cascade constraints')


def fetch(cur: oracledb.Cursor, sql: str, *binds: object) -> list[tuple[object, ...]]:
    cur.execute(sql, binds)
    return list(cur.fetchall())


def code(cur: oracledb.Cursor, sql: str) -> int:
    with pytest.raises(oracledb.DatabaseError) as info:
        cur.execute(sql)
    error = info.value.args[0]
    assert isinstance(error.code, int)
    return error.code


def _people(cur: oracledb.Cursor) -> None:
    cur.execute("create table so_a (id number, name varchar2(10))")
    cur.executemany("insert into so_a values (:1, :2)", [(1, "a"), (2, "b"), (3, "c"), (3, "c"), (None, "n")])


def test_union_removes_duplicates_and_union_all_keeps_them(cur: oracledb.Cursor) -> None:
    _people(cur)
    assert fetch(cur, "select id from so_a union select 2 from dual order by 1") == [(1,), (2,), (3,), (None,)]
    assert fetch(cur, "select id from so_a where id > 1 union all select 2 from dual order by 1") == \
        [(2,), (2,), (3,), (3,)]
    assert fetch(cur, "select count(*) from (select id, name from so_a union all select id, name from so_a)") == \
        [(10,)]


def test_intersect_and_minus(cur: oracledb.Cursor) -> None:
    _people(cur)
    assert fetch(cur, "select id from so_a intersect select level from dual connect by level <= 2 order by 1") == \
        [(1,), (2,)]
    assert fetch(cur, "select id from so_a minus select 1 from dual order by id nulls first") == \
        [(None,), (2,), (3,)]
    assert fetch(cur, "select id from so_a except select 3 from dual order by 1") == [(1,), (2,), (None,)]
    # NULLs compare equal in set operators
    assert fetch(cur, "select null from dual intersect select id from so_a") == [(None,)]
    # 21c multiset forms keep duplicate counts
    assert fetch(cur, "select id from so_a minus all select 3 from dual order by 1") == \
        [(1,), (2,), (3,), (None,)]
    assert fetch(cur, "select id from so_a intersect all select id from so_a where id = 3 order by 1") == \
        [(3,), (3,)]


def test_compound_order_by_names_first_branch_and_paging(cur: oracledb.Cursor) -> None:
    _people(cur)
    rows = fetch(cur, "select name label, id from so_a where id is not null union select 'z', 9 from dual "
                      "order by label desc offset 1 rows fetch first 2 rows only")
    assert rows == [("c", 3), ("b", 2)]
    assert [d[0] for d in cur.description or ()] == ["LABEL", "ID"]
    # equal precedence, left to right; parentheses group
    assert fetch(cur, "select 1 from dual union all select 1 from dual minus select 2 from dual") == [(1,)]
    assert fetch(cur, "select 1 from dual union all (select 1 from dual minus select 1 from dual)") == [(1,)]
    # a compound as an inline view and in IN (...)
    assert fetch(cur, "select count(*) from (select id from so_a union select id from so_a) v") == [(4,)]
    assert fetch(cur, "select name from so_a where id in (select 1 from dual union select 2 from dual) "
                      "order by name") == [("a",), ("b",)]


def test_compound_errors(cur: oracledb.Cursor) -> None:
    _people(cur)
    assert code(cur, "select id, name from so_a union select 1 from dual") == 1789
    assert code(cur, "select id from so_a union select 'x' from dual") == 1790
    assert code(cur, "select id from so_a union select sysdate from dual") == 1790
    # strings of different lengths and NULLs mix freely
    assert fetch(cur, "select name from so_a where id = 1 union select 'longer text' from dual "
                      "union select null from dual order by 1") == [("a",), ("longer text",), (None,)]


def test_foreign_keys(cur: oracledb.Cursor) -> None:
    cur.execute("create table fk_p (id number primary key, code varchar2(5) constraint fk_p_code unique)")
    cur.execute("create table fk_c (id number, pid number, constraint fk_c_p foreign key (pid) references fk_p)")
    cur.execute("create table fk_d (id number, code varchar2(5), "
                "foreign key (code) references fk_p (code) on delete cascade)")
    cur.execute("insert into fk_p values (1, 'a')")
    cur.execute("insert into fk_c values (1, 1)")
    cur.execute("insert into fk_c values (2, null)")  # NULL keys are not checked
    cur.execute("insert into fk_d values (1, 'a')")
    assert code(cur, "insert into fk_c values (3, 2)") == 2291
    assert code(cur, "update fk_c set pid = 5") == 2291
    assert code(cur, "delete from fk_p") == 2292
    assert code(cur, "drop table fk_p") == 2449
    assert code(cur, "truncate table fk_p") == 2266
    assert code(cur, "create table fk_e (x number, foreign key (x) references fk_p (code))") == 2267
    assert code(cur, "create table fk_e (x number, foreign key (x) references fk_c (pid))") == 2270
    assert code(cur, "create table fk_e (x number, foreign key (x) references nope)") == 942
    cur.execute("delete from fk_c")
    cur.execute("delete from fk_p")  # cascades to fk_d
    assert fetch(cur, "select count(*) from fk_d") == [(0,)]
    rows = fetch(cur, "select c.constraint_name, c.constraint_type, c.r_constraint_name, c.delete_rule, "
                      "cc.column_name, cc.position from user_constraints c join user_cons_columns cc "
                      "on cc.constraint_name = c.constraint_name where c.table_name = 'FK_C'")
    assert rows == [("FK_C_P", "R", fetch(cur, "select constraint_name from user_constraints where "
                                               "table_name = 'FK_P' and constraint_type = 'P'")[0][0],
                     "NO ACTION", "PID", 1)]
    cur.execute("drop table fk_c")
    cur.execute("drop table fk_d")
    cur.execute("drop table fk_p")


def test_indexes(cur: oracledb.Cursor) -> None:
    cur.execute("create table ix_t (id number primary key, a varchar2(10), b number)")
    cur.execute("create index ix_t_a on ix_t (a)")
    cur.execute("create unique index ix_t_b on ix_t (b, a)")
    assert code(cur, "create index ix_t_a2 on ix_t (a)") == 1408
    assert code(cur, "create index ix_t_a on ix_t (b)") == 955
    cur.execute("insert into ix_t values (1, 'x', 1)")
    with pytest.raises(oracledb.IntegrityError) as info:
        cur.execute("insert into ix_t values (2, 'x', 1)")
    assert "SCOTT.IX_T_B" in str(info.value)
    rows = fetch(cur, "select i.index_name, i.uniqueness, c.column_name, c.column_position from user_indexes i "
                      "join user_ind_columns c on c.index_name = i.index_name where i.table_name = 'IX_T' "
                      "and i.generated = 'N' order by 1, 4")
    assert rows == [("IX_T_A", "NONUNIQUE", "A", 1), ("IX_T_B", "UNIQUE", "B", 1), ("IX_T_B", "UNIQUE", "A", 2)]
    cur.execute("drop index ix_t_a")
    assert code(cur, "drop index ix_t_a") == 1418
    pk = fetch(cur, "select constraint_name from user_constraints where table_name = 'IX_T'")[0][0]
    assert code(cur, f"drop index {pk}") == 2429


def test_dictionary_views_reflect_the_catalog(cur: oracledb.Cursor) -> None:
    cur.execute("create table dv_t (id number(10) generated always as identity primary key, "
                "name varchar2(30) default 'n/a' not null, amount number(12, 2), born date, "
                "ts timestamp(3), note nvarchar2(20))")
    assert fetch(cur, "select table_name, temporary, duration, iot_name from user_tables") == \
        [("DV_T", "N", None, None)]
    assert fetch(cur, "select owner, table_name from all_tables where table_name = 'DV_T'") == [("SCOTT", "DV_T")]
    rows = fetch(cur, "select column_name, data_type, data_length, data_precision, data_scale, nullable, "
                      "char_length, identity_column from all_tab_cols where table_name = 'DV_T' "
                      "order by column_id")
    assert rows == [
        ("ID", "NUMBER", 22, 10, 0, "N", 0, "YES"),
        ("NAME", "VARCHAR2", 30, None, None, "N", 30, "NO"),
        ("AMOUNT", "NUMBER", 22, 12, 2, "Y", 0, "NO"),
        ("BORN", "DATE", 7, None, None, "Y", 0, "NO"),
        ("TS", "TIMESTAMP(3)", 11, None, 3, "Y", 0, "NO"),
        ("NOTE", "NVARCHAR2", 40, None, None, "Y", 20, "NO"),
    ]
    assert fetch(cur, "select data_default from user_tab_columns where column_name = 'NAME'") == [("'n/a'",)]
    seq = fetch(cur, "select sequence_name, generation_type from all_tab_identity_cols where table_name = 'DV_T'")
    assert seq[0][1] == "ALWAYS" and str(seq[0][0]).startswith("ISEQ$$_")
    assert fetch(cur, "select object_type from user_objects where object_name = 'DV_T'") == [("TABLE",)]
    assert fetch(cur, "select count(*) from all_views") == [(0,)]
    assert fetch(cur, "select count(*) from all_synonyms") == [(0,)]
    assert ("SCOTT",) in fetch(cur, "select username from all_users")
    # SQLAlchemy's existence check
    assert fetch(cur, "select tv.table_name from (select a.table_name, a.owner from all_tables a union all "
                      "select v.view_name, v.owner from all_views v) tv where tv.table_name in ('DV_T', 'X') "
                      "and tv.owner = 'SCOTT'") == [("DV_T",)]


def test_savepoints(cur: oracledb.Cursor) -> None:
    cur.execute("create table sp_t (id number)")
    cur.execute("insert into sp_t values (1)")
    cur.execute("savepoint a")
    cur.execute("insert into sp_t values (2)")
    cur.execute("savepoint b")
    cur.execute("insert into sp_t values (3)")
    cur.execute("rollback to savepoint b")
    assert fetch(cur, "select id from sp_t order by id") == [(1,), (2,)]
    cur.execute("rollback to a")
    assert fetch(cur, "select id from sp_t order by id") == [(1,)]
    assert code(cur, "rollback to b") == 1086  # erased by the rollback to the earlier savepoint
    cur.execute("rollback to a")  # a savepoint survives a rollback to it
    cur.connection.commit()
    assert code(cur, "rollback to a") == 1086  # commit ends the transaction's savepoints
    assert fetch(cur, "select id from sp_t") == [(1,)]


def test_version_and_nls_views(cur: oracledb.Cursor) -> None:
    [(banner,)] = fetch(cur, "select banner from v$version")
    assert str(banner).startswith("Oracle Database 23ai")
    assert fetch(cur, "select value from nls_database_parameters where parameter = 'NLS_CHARACTERSET'") == \
        [("AL32UTF8",)]
    cur.execute("alter session set nls_date_format = 'YYYY-MM-DD'")
    assert fetch(cur, "select value from nls_session_parameters where parameter = 'NLS_DATE_FORMAT'") == \
        [("YYYY-MM-DD",)]
    assert fetch(cur, "select version from product_component_version") == [("23.0.0.0.0",)]


def test_drop_table_cascade_constraints(cur: oracledb.Cursor) -> None:
    cur.execute("create table cc_p (id number primary key)")
    cur.execute("create table cc_q (id number primary key)")
    cur.execute("create table cc_c (id number generated by default as identity primary key, pid number, "
                "qid number, constraint cc_c_p foreign key (pid) references cc_p, "
                "constraint cc_c_q foreign key (qid) references cc_q)")
    cur.execute("create index cc_c_pid on cc_c (pid)")
    cur.execute("create table cc_g (cid number, constraint cc_g_c foreign key (cid) references cc_c)")
    cur.execute("insert into cc_p values (1)")
    cur.execute("insert into cc_q values (1)")
    cur.execute("insert into cc_c (pid, qid) values (1, 1)")
    cur.execute("insert into cc_g values (1)")
    [(rowid_before,)] = fetch(cur, "select rowid from cc_c")
    cur.execute("drop table cc_p cascade constraints")
    assert fetch(cur, "select constraint_name from user_constraints where table_name = 'CC_C' "
                      "and constraint_type = 'R'") == [("CC_C_Q",)]
    assert fetch(cur, "select rowid, id, pid from cc_c") == [(rowid_before, 1, 1)]
    cur.execute("insert into cc_c (pid, qid) values (99, 1)")  # no parent check any more
    assert code(cur, "insert into cc_c (pid, qid) values (1, 2)") == 2291  # the other key still holds
    assert code(cur, "delete from cc_c") == 2292  # and so does the grandchild's
    assert code(cur, "insert into cc_c (id, pid, qid) values (1, 1, 1)") == 1  # primary key index rebuilt
    assert fetch(cur, "select index_name from user_indexes where table_name = 'CC_C' and generated = 'N'") == \
        [("CC_C_PID",)]


def test_cast(cur: oracledb.Cursor) -> None:
    assert fetch(cur, "select cast('12' as number), cast(1.256 as number(5,2)), cast(42 as varchar2(5)), "
                      "cast(null as date) from dual") == [(12, 1.26, "42", None)]
    assert code(cur, "select cast('abc' as number) from dual") == 1722
    assert code(cur, "select cast('abcdef' as varchar2(3)) from dual") == 25137
    assert code(cur, "select cast(12345 as number(3)) from dual") == 1438


def test_comments(cur: oracledb.Cursor) -> None:
    cur.execute("create table cm_t (id number, name varchar2(5))")
    cur.execute("comment on table cm_t is 'the table'")
    cur.execute("comment on column cm_t.name is 'it''s a name'")
    assert fetch(cur, "select comments from user_tab_comments where table_name = 'CM_T'") == [("the table",)]
    assert fetch(cur, "select column_name, comments from user_col_comments where table_name = 'CM_T' "
                      "order by column_name") == [("ID", None), ("NAME", "it's a name")]
    cur.execute("comment on table cm_t is ''")
    assert fetch(cur, "select comments from user_tab_comments where table_name = 'CM_T'") == [(None,)]
    assert code(cur, "comment on column cm_t.nope is 'x'") == 904


def test_check_constraints(cur: oracledb.Cursor) -> None:
    cur.execute("create table ck_t (id number check (id > 0), s varchar2(5) constraint ck_t_s "
                "check (s in ('a', 'it''s')), n number, constraint ck_t_n check (n between 1 and 10))")
    cur.execute("insert into ck_t values (1, 'a', 5)")
    cur.execute("insert into ck_t values (2, 'it''s', null)")  # UNKNOWN passes
    assert code(cur, "insert into ck_t values (0, 'a', 5)") == 2290
    with pytest.raises(oracledb.IntegrityError, match=r"ORA-02290: check constraint \(SCOTT.CK_T_S\) violated"):
        cur.execute("insert into ck_t values (2, 'b', 5)")
    assert code(cur, "update ck_t set n = 20") == 2290
    assert fetch(cur, "select constraint_name, search_condition from user_constraints "
                      "where table_name = 'CK_T' and constraint_name like 'CK%' order by 1") == \
        [("CK_T_N", "n between 1 and 10"), ("CK_T_S", "s in ('a', 'it''s')")]


def test_row_value_comparisons(cur: oracledb.Cursor) -> None:
    assert fetch(cur, "select 1 from dual where (1, 2) in ((1, 2), (3, 4))") == [(1,)]
    assert fetch(cur, "select 1 from dual where (1, 2) not in ((1, 3))") == [(1,)]
    assert fetch(cur, "select 1 from dual where (1, null) not in ((1, 2))") == []  # UNKNOWN
    assert fetch(cur, "select 1 from dual where (1, 2) = ((1, 2))") == [(1,)]
    assert code(cur, "select 1 from dual where (1, 2) in ((1, 2, 3))") == 920
