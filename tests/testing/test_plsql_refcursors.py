"""PL/SQL cursor variables in the embedded server (runtime/plrefcursors.py): SYS_REFCURSOR and
REF CURSOR types, OPEN FOR (static and dynamic), FETCH / CLOSE / attributes, sharing through
assignment and parameters, Oracle's errors, the per-session ceiling on open cursors and their
release at the end of a call; each run by python-oracledb 26.1 (thin) as blocks and units.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio import ServerConfig

pytestmark = pytest.mark.interop


@pytest.fixture
def cur(server: EmbeddedServer) -> Iterator[Any]:
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    cursor = conn.cursor()
    cursor.execute("create table rc (id number(10) primary key, name varchar2(20))")
    cursor.executemany("insert into rc values (:1, :2)", [(i, f"n{i}") for i in range(1, 6)])
    conn.commit()
    try:
        yield cursor
    finally:
        conn.rollback()
        for drop in ("drop table rc", "drop package pkg_rc", "drop package pkg_bad", "drop sequence rc_seq",
                     "drop table rc_big"):
            try:
                cursor.execute(drop)
            except oracledb.DatabaseError:
                pass
        conn.close()


def out(cur: Any, block: str) -> Any:
    """Run ``block`` with one OUT bind ``:o`` (a string) and return its value."""
    var = cur.var(str)
    cur.execute(block, o=var)
    return var.getvalue()


def ora(cur: Any, block: str, **binds: Any) -> str:
    """The first line of the error ``block`` fails with."""
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(block, binds)
    return str(exc.value).splitlines()[0]


def error_text(cur: Any, block: str) -> str:
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(block)
    return str(exc.value)


# ---- types, parameters, packages ----------------------------------------------------------------

def test_package_with_cursor_parameters_and_results(cur: Any) -> None:
    """The shape of python-oracledb's pkg_TestRefCursors: OUT, IN and IN OUT cursor parameters,
    a function returning one, a REF CURSOR type in the spec."""
    cur.execute("""create or replace package pkg_rc as
                     type strong_t is ref cursor return rc%rowtype;
                     type weak_t is ref cursor;
                     procedure open_upto(n number, c out sys_refcursor);
                     function first_name(c sys_refcursor) return varchar2;
                     function upto(n number) return weak_t;
                     procedure reopen(c in out strong_t);
                   end;""")
    cur.execute("""create or replace package body pkg_rc as
                     procedure open_upto(n number, c out sys_refcursor) is
                     begin
                       open c for select id, name from rc where id <= n order by id;
                     end;
                     function first_name(c sys_refcursor) return varchar2 is
                       s varchar2(20);
                     begin
                       fetch c into s;
                       return s || ' (fetched)';
                     end;
                     function upto(n number) return weak_t is
                       c weak_t;
                     begin
                       open c for select id, name from rc where id <= n order by id;
                       return c;
                     end;
                     procedure reopen(c in out strong_t) is
                     begin
                       open c for select * from rc where id > 3 order by id;
                     end;
                   end;""")
    assert cur.warning is None
    got = out(cur, """declare
                        c sys_refcursor;
                        s pkg_rc.strong_t;
                        r rc%rowtype;
                        n number;
                        v varchar2(20);
                        acc varchar2(400);
                      begin
                        pkg_rc.open_upto(3, c);
                        loop
                          fetch c into n, v;
                          exit when c%notfound;
                          acc := acc || n || v || ',';
                        end loop;
                        acc := acc || c%rowcount;
                        close c;
                        c := pkg_rc.upto(5);
                        fetch c into n, v;
                        open c for select name from rc where id = 4;
                        acc := acc || '|' || pkg_rc.first_name(c);
                        pkg_rc.reopen(s);
                        fetch s into r;
                        acc := acc || '|' || r.id || r.name;
                        :o := acc;
                      end;""")
    assert got == "1n1,2n2,3n3,3|n4 (fetched)|4n4"


def test_static_open_reads_variables_and_bulk_collects(cur: Any) -> None:
    got = out(cur, """declare
                        type ids_t is table of number;
                        c sys_refcursor;
                        low number := 2;
                        ids ids_t;
                        acc varchar2(200);
                      begin
                        open c for select id from rc where id >= low order by id;
                        low := 100;  -- read when the cursor opened, not later
                        fetch c bulk collect into ids limit 2;
                        acc := ids.count || ':' || ids(1) || ids(2);
                        fetch c bulk collect into ids;
                        acc := acc || '|' || ids.count || ':' || ids(1) || ids(2) || '|' || c%rowcount;
                        close c;
                        :o := acc;
                      end;""")
    assert got == "2:23|2:45|4"


def test_dynamic_open_with_using(cur: Any) -> None:
    got = out(cur, """declare
                        c sys_refcursor;
                        v varchar2(20);
                        acc varchar2(200);
                      begin
                        open c for 'select name from rc where id between :a and :b order by id desc' using 2, 3;
                        loop
                          fetch c into v;
                          exit when c%notfound;
                          acc := acc || v;
                        end loop;
                        close c;
                        :o := acc;
                      end;""")
    assert got == "n3n2"


def test_assignment_shares_the_cursor_and_reopen_closes_the_old_query(cur: Any) -> None:
    got = out(cur, """declare
                        c1 sys_refcursor;
                        c2 sys_refcursor;
                        n number;
                        acc varchar2(200);
                      begin
                        open c1 for select id from rc order by id;
                        c2 := c1;
                        fetch c1 into n;
                        acc := n;
                        fetch c2 into n;  -- the same cursor: the next row
                        acc := acc || n || c1%rowcount;
                        open c2 for select id * 10 from rc where id = 5;  -- reopens c1's cursor too
                        fetch c1 into n;
                        acc := acc || '|' || n || c2%rowcount;
                        close c2;
                        acc := acc || '|' || case when c1%isopen then 'open' else 'closed' end;
                        :o := acc;
                      end;""")
    assert got == "122|501|closed"


def test_attributes(cur: Any) -> None:
    got = out(cur, """declare
                        c sys_refcursor;
                        n number;
                        acc varchar2(200);
                      begin
                        acc := case when c%isopen then 'Y' else 'N' end;
                        open c for select id from rc where id = 1;
                        if c%isopen and c%found is null and c%notfound is null then
                          acc := acc || 'Y' || c%rowcount;
                        end if;
                        fetch c into n;
                        acc := acc || case when c%found then 'F' end || c%rowcount;
                        fetch c into n;
                        acc := acc || case when c%notfound then 'NF' end || c%rowcount;
                        close c;
                        :o := acc;
                      end;""")
    assert got == "NY0F1NF1"
    assert ora(cur, "declare c sys_refcursor; b boolean; begin b := c%notfound; end;") == \
        "ORA-01001: invalid cursor"


def test_strong_cursor_rowtype(cur: Any) -> None:
    got = out(cur, """declare
                        type t is ref cursor return rc%rowtype;
                        c t;
                        r c%rowtype;
                      begin
                        open c for select * from rc where id = 2;
                        fetch c into r;
                        close c;
                        :o := r.id || r.name;
                      end;""")
    assert got == "2n2"


# ---- errors --------------------------------------------------------------------------------------

def test_invalid_cursor(cur: Any) -> None:
    assert ora(cur, "declare c sys_refcursor; n number; begin fetch c into n; end;") == "ORA-01001: invalid cursor"
    assert ora(cur, "declare c sys_refcursor; begin close c; end;") == "ORA-01001: invalid cursor"
    assert ora(cur, """declare c sys_refcursor; n number;
                       begin open c for select 1 from dual; close c; fetch c into n; end;""") == \
        "ORA-01001: invalid cursor"
    assert out(cur, """declare c sys_refcursor; n number;
                       begin fetch c into n; exception when invalid_cursor then :o := 'caught'; end;""") == "caught"


def test_row_type_mismatch(cur: Any) -> None:
    mismatch = "ORA-06504: PL/SQL: Return types of Result Set variables or query do not match"
    assert ora(cur, """declare type t is ref cursor return rc%rowtype; c t;
                       begin open c for select name from rc; end;""") == mismatch
    assert ora(cur, """declare type t is ref cursor return rc%rowtype; c t; w sys_refcursor;
                       begin open w for select name, id from rc; c := w; end;""") == mismatch
    assert ora(cur, """declare c sys_refcursor; a number; b number;
                       begin open c for select id from rc; fetch c into a, b; end;""") == mismatch
    assert out(cur, """declare c sys_refcursor; r rc%rowtype;
                       begin open c for select id from rc; fetch c into r;
                       exception when rowtype_mismatch then :o := 'caught'; end;""") == "caught"


def test_wrong_types_and_compile_errors(cur: Any) -> None:
    assert ora(cur, "declare n number; begin open n for select 1 from dual; end;") == \
        "ORA-00932: inconsistent datatypes: expected CURSOR got NUMBER"
    assert "PLS-00382: expression is of wrong type" in error_text(
        cur, "declare c sys_refcursor; begin c := 5; end;")
    assert "PLS-00362: invalid cursor return type; 'NUMBER' must be a record type" in error_text(
        cur, "declare type t is ref cursor return number; begin null; end;")
    assert "PLS-00455: cursor 'C' cannot be used in dynamic SQL OPEN statement" in error_text(
        cur, "declare type t is ref cursor return rc%rowtype; c t; begin open c for 'select * from rc'; end;")
    assert "PLS-00989: Cursor Variable in record, object, or collection" in error_text(
        cur, "declare type r is record (c sys_refcursor); begin null; end;")
    cur.execute("""create or replace procedure rc_in(c sys_refcursor) is
                   begin open c for select 1 from dual; end;""")
    assert "PLS-00361: IN cursor 'C' cannot be OPEN'ed" in error_text(
        cur, "declare c sys_refcursor; begin rc_in(c); end;")
    cur.execute("drop procedure rc_in")
    assert "PLS-00456: item 'C' is not a cursor" in error_text(
        cur, "declare c sys_refcursor; begin open c for select 1 from dual; for r in c loop null; end loop; end;")
    assert ora(cur, "declare c sys_refcursor; begin open c for 'delete from rc'; end;").startswith(
        "ORA-00900: invalid SQL statement")
    assert ora(cur, "declare c sys_refcursor; begin open c for 'select * from rc where id = :1'; end;") == \
        "ORA-01008: not all variables bound"


def test_package_may_not_hold_a_cursor_variable(cur: Any) -> None:
    cur.execute("create or replace package pkg_bad as type t is ref cursor; c t; end;")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute("select text from user_errors where name = 'PKG_BAD'")
    assert cur.fetchall() == [("PLS-00994: Cursor Variables cannot be declared as part of a package",)]


def test_cursor_values_reach_no_bind(cur: Any) -> None:
    """A cursor value never leaves PL/SQL: a string bind refuses it, and a REF CURSOR bind is refused
    on the wire (ORA-03115, a later issue); the session goes on."""
    cur.execute("""create or replace function rc_f return sys_refcursor is c sys_refcursor;
                   begin open c for select id from rc; return c; end;""")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("begin :o := rc_f; end;", o=cur.var(str))
    assert "PLS-00382: expression is of wrong type" in str(exc.value)
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("begin :o := rc_f; end;", o=cur.var(oracledb.CURSOR))
    assert str(exc.value).startswith("ORA-03115: unsupported network datatype or representation (REF CURSOR binds")
    assert ora(cur, "begin open :c for select 1 from dual; end;", c=cur.var(str)) == \
        "ORA-00932: inconsistent datatypes: expected CURSOR got CHAR"
    assert ora(cur, """declare c sys_refcursor; n number;
                       begin open c for select 1 from dual; select count(*) into n from rc where c is null; end;""") \
        == "ORA-00932: inconsistent datatypes: expected - got CURSOR"
    cur.execute("drop function rc_f")
    cur.execute("select count(*) from rc")
    assert cur.fetchone() == (5,)


# ---- resources ---------------------------------------------------------------------------------

def test_open_cursors_are_bounded_and_released_with_the_call() -> None:
    opens = """declare c1 sys_refcursor; c2 sys_refcursor; c3 sys_refcursor;
               begin
                 open c1 for select 1 from dual;
                 open c1 for select 2 from dual;  -- a reopen: still one cursor
                 open c2 for select 1 from dual;
                 open c3 for select 1 from dual;
                 {more}
               end;"""
    with EmbeddedServer(config=ServerConfig(max_open_cursors=3)).threaded() as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        for _ in range(3):  # left open: each call's cursors close when it ends
            cur.execute(opens.format(more="null;"))
        assert ora(cur, opens.format(more="declare c4 sys_refcursor; begin open c4 for select 1 from dual; end;")) \
            == "ORA-01000: maximum open cursors exceeded"
        assert ora(cur, opens.format(more="raise no_data_found;")) == "ORA-01403: no data found"
        cur.execute(opens.format(more="close c1; declare c4 sys_refcursor; begin "
                                      "open c4 for select 1 from dual; end;"))
        # a trigger's cursors close when its body ends: five row firings in one statement
        cur.execute("create table rc_t (id number)")
        cur.execute("""create trigger rc_t_open before insert on rc_t for each row
                       declare c sys_refcursor; begin open c for select 1 from dual; end;""")
        cur.execute("insert into rc_t select level from dual connect by level <= 5")
        cur.execute("select count(*) from rc_t")
        assert cur.fetchone() == (5,)
        conn.close()


def test_rows_are_fetched_as_needed(cur: Any) -> None:
    """OPEN does not read the whole result: a sequence in the select list counts the rows the
    engine produced (its batches are 500 rows; the table has 3000)."""
    cur.execute("create table rc_big (id number)")
    cur.execute("insert into rc_big select level from dual connect by level <= 3000")
    cur.execute("create sequence rc_seq")
    got = out(cur, """declare c sys_refcursor; n number;
                      begin open c for select rc_seq.nextval from rc_big; fetch c into n; :o := n; end;""")
    assert got == "1"
    cur.execute("select rc_seq.nextval from dual")
    (produced,) = cur.fetchone()
    assert produced <= 1001


def test_an_open_cursor_keeps_what_its_query_saw(cur: Any) -> None:
    """Writes after OPEN do not change the rows an open cursor returns (Oracle's read
    consistency), and an open cursor does not stand in the way of DDL on its table.  The table
    is larger than one batch of the engine (500 rows), so rows are still unread at the write."""
    cur.execute("create table rc_big (id number)")
    cur.execute("insert into rc_big select level from dual connect by level <= 1200")
    cur.connection.commit()
    count_after = """declare c sys_refcursor; n number; total number := 0;
                     begin
                       open c for select id from rc_big;
                       fetch c into n;
                       {write}
                       loop
                         fetch c into n;
                         exit when c%notfound;
                         total := total + 1;
                       end loop;
                       :o := c%rowcount || ' ' || total;
                     end;"""
    assert out(cur, count_after.format(write="delete from rc_big;")) == "1200 1199"
    cur.connection.rollback()
    assert out(cur, count_after.format(write="execute immediate 'drop table rc_big';")) == "1200 1199"
