"""SQL inside PL/SQL in the embedded server (runtime/plcursors.py): SELECT INTO, the
cursor attributes, cursor FOR loops, explicit cursors and EXECUTE IMMEDIATE, each run
as a block by python-oracledb 26.1 (thin) and checked through OUT binds or table rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError
from oracle_asyncio.testing.sql.runtime import plsql_run

pytestmark = pytest.mark.interop


@pytest.fixture
def cur(server: EmbeddedServer) -> Iterator[Any]:
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    cursor = conn.cursor()
    cursor.execute("create table pt (id number(10) primary key, name varchar2(20))")
    cursor.executemany("insert into pt values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    conn.commit()
    try:
        yield cursor
    finally:
        conn.rollback()
        for table in ("pt", "pt_dyn"):
            try:
                cursor.execute(f"drop table {table}")
            except oracledb.DatabaseError:
                pass
        conn.close()


def ora(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    """The ORA line of an error (python-oracledb adds a "Help:" line)."""
    return str(exc.value).splitlines()[0]


def run(cur: Any, block: str, **outs: type) -> dict[str, Any]:
    """Run ``block`` with one OUT bind per keyword (its Python type); their values."""
    variables = {name: cur.var(kind) for name, kind in outs.items()}
    cur.execute(block, variables)
    return {name: var.getvalue() for name, var in variables.items()}


# ---- SELECT INTO and the implicit cursor's attributes -------------------------------------------

def test_select_into_binds(cur: Any) -> None:
    got = run(cur, """begin
                        select name, id * 10 into :n, :i from pt where id = 2;
                        :c := sql%rowcount;
                        :f := case when sql%found then 1 else 0 end;
                      end;""", n=str, i=int, c=int, f=int)
    assert got == {"n": "b", "i": 20, "c": 1, "f": 1}


def test_select_into_errors(cur: Any) -> None:
    with pytest.raises(oracledb.DatabaseError) as exc:
        run(cur, "begin select name into :n from pt where id = 99; end;", n=str)
    assert ora(exc) == "ORA-01403: no data found"
    with pytest.raises(oracledb.DatabaseError) as exc:
        run(cur, "begin select name into :n from pt; end;", n=str)
    assert ora(exc) == "ORA-01422: exact fetch returns more than requested number of rows"
    with pytest.raises(oracledb.DatabaseError) as exc:
        run(cur, "begin select name from pt where id = 1; end;")
    assert "PLS-00428: an INTO clause is expected in this SELECT statement" in str(exc.value)
    with pytest.raises(oracledb.DatabaseError) as exc:
        run(cur, "begin select name, id into :n from pt where id = 1; end;", n=str)
    assert "ORA-00913: too many values" in str(exc.value)


def test_sql_attributes_after_dml(cur: Any) -> None:
    got = run(cur, """begin
                        :before := nvl(sql%rowcount, -1);
                        update pt set name = upper(name) where id < 3;
                        :c := sql%rowcount;
                        delete from pt where id = 99;
                        :nf := case when sql%notfound then 1 else 0 end;
                        :open := case when sql%isopen then 1 else 0 end;
                      end;""", before=int, c=int, nf=int, open=int)
    assert got == {"before": -1, "c": 2, "nf": 1, "open": 0}


def test_in_a_procedure_a_column_wins_over_a_variable(cur: Any) -> None:
    cur.execute("""create or replace procedure pt_name(p_id number, p_name out varchar2, n out number) as
                     name varchar2(20);
                   begin
                     select count(*) into n from pt where name = name;
                     select name into p_name from pt where id = p_id;
                   end;""")
    name, n = cur.var(str), cur.var(int)
    cur.callproc("pt_name", [2, name, n])
    assert (name.getvalue(), n.getvalue()) == ("b", 3)


# ---- cursor FOR loops ------------------------------------------------------------------------------

def test_cursor_for_loop_over_a_query(cur: Any) -> None:
    got = run(cur, """begin
                        :s := '';
                        for r in (select id, name from pt order by id desc) loop
                          :s := :s || r.name || r.id;
                          insert into pt values (r.id + 10, r.name || 'x');
                        end loop;
                      end;""", s=str)
    assert got == {"s": "c3b2a1"}
    cur.execute("select name from pt where id > 10 order by id")
    assert cur.fetchall() == [("ax",), ("bx",), ("cx",)]


def test_a_cursor_loop_body_may_commit_and_run_ddl(cur: Any) -> None:
    """The loop's engine cursor stays open while the body changes rows, commits and runs DDL."""
    got = run(cur, """begin
                        :n := 0;
                        for r in (select id from pt) loop
                          update pt set name = 'y' where id = r.id;
                          commit;
                          :n := :n + 1;
                        end loop;
                        execute immediate 'create table pt_dyn (x number)';
                      end;""", n=int)
    assert got == {"n": 3}


def test_cursor_for_loop_over_a_declared_cursor_with_parameters(cur: Any) -> None:
    got = run(cur, """declare
                        cursor c(p_min number, p_suffix varchar2 := '!') is
                          select id, name || p_suffix as label from pt where id >= p_min order by id;
                      begin
                        :s := '';
                        for r in c(2) loop
                          :s := :s || r.label || r.id;
                        end loop;
                        for r in c(1, '?') loop
                          exit when r.id = 2;
                          :s := :s || r.label;
                        end loop;
                        :open := case when c%isopen then 1 else 0 end;
                      end;""", s=str, open=int)
    assert got == {"s": "b!2c!3a?", "open": 0}  # EXIT closed the cursor too


def test_explicit_cursor_open_fetch_close(cur: Any) -> None:
    got = run(cur, """declare
                        v_floor number := 0;
                        cursor c(p_min number) is select id, name from pt where id >= p_min and id > v_floor
                                                  order by id;
                        v_id number;
                        v_name varchar2(20);
                        r c%rowtype;
                      begin
                        :s := '';
                        open c(2);
                        loop
                          fetch c into v_id, v_name;
                          exit when c%notfound;
                          :s := :s || v_name || c%rowcount;
                        end loop;
                        :n := c%rowcount;
                        :f := case when c%found then 1 when not c%found then 0 end;
                        close c;
                        open c(1);
                        fetch c into r;
                        :rec := r.name || r.id;
                        close c;
                      end;""", s=str, n=int, f=int, rec=str)
    assert got == {"s": "b1c2", "n": 2, "f": 0, "rec": "a1"}


def test_cursor_errors(cur: Any) -> None:
    declare = "declare cursor c is select id from pt; v number; begin "
    cases = {
        "open c; open c;": "ORA-06511: PL/SQL: cursor already open",
        "fetch c into v;": "ORA-01001: invalid cursor",
        "close c;": "ORA-01001: invalid cursor",
        "v := c%rowcount;": "ORA-01001: invalid cursor",
        "open c; close c; close c;": "ORA-01001: invalid cursor",
        "open c; for r in c loop null; end loop;": "ORA-06511: PL/SQL: cursor already open",
    }
    for body, expected in cases.items():
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(declare + body + " end;")
        assert ora(exc) == expected, body
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("begin open nothing; end;")
    assert "PLS-00201: identifier 'NOTHING' must be declared" in str(exc.value)
    # a block left with a cursor open holds no engine cursor: the table can go
    cur.execute("drop table pt")
    cur.execute("create table pt (id number(10) primary key, name varchar2(20))")


def test_select_into_a_record(cur: Any) -> None:
    got = run(cur, """declare
                        r pt%rowtype;
                      begin
                        select * into r from pt where id = 3;
                        :s := r.name || r.id;
                      end;""", s=str)
    assert got == {"s": "c3"}


# ---- BULK COLLECT and FORALL -------------------------------------------------------------------------

def test_bulk_collect_from_select_fetch_and_execute_immediate(cur: Any) -> None:
    got = run(cur, """declare
                        type t_ids is table of number;
                        type t_names is table of varchar2(20) index by pls_integer;
                        type t_rows is table of pt%rowtype;
                        ids t_ids;
                        names t_names;
                        rows_ t_rows;
                        cursor c is select id, name from pt order by id;
                      begin
                        select id, name bulk collect into ids, names from pt order by id desc;
                        :a := ids.count || ':' || ids(1) || names(3) || sql%rowcount;
                        open c;
                        fetch c bulk collect into rows_ limit 2;
                        :b := rows_.count || rows_(2).name;
                        fetch c bulk collect into rows_ limit 2;
                        :c := rows_.count || rows_(1).name || case when c%notfound then 'end' end;
                        close c;
                        execute immediate 'select id from pt where id > :1' bulk collect into ids using 1;
                        :d := ids.count;
                        select id bulk collect into ids from pt where id > 99;
                        :e := ids.count;
                      end;""", a=str, b=str, c=str, d=int, e=int)
    assert got == {"a": "3:3a3", "b": "2b", "c": "1cend", "d": 2, "e": 0}


def test_forall_with_bulk_rowcount(cur: Any) -> None:
    got = run(cur, """declare
                        type t_ids is table of number index by pls_integer;
                        ids t_ids;
                      begin
                        ids(1) := 1; ids(5) := 2; ids(9) := 99;
                        forall i in indices of ids
                          update pt set name = name || 'u' where id <= ids(i);
                        :total := sql%rowcount;
                        :each := sql%bulk_rowcount(1) || sql%bulk_rowcount(5) || sql%bulk_rowcount(9);
                        forall i in 1 .. 3
                          insert into pt values (i + 10, 'n' || i);
                        :ins := sql%rowcount;
                        ids.delete;
                        ids(1) := 11; ids(2) := 13;
                        forall i in values of ids
                          delete from pt where id = i;
                      end;""", total=int, each=str, ins=int)
    assert got == {"total": 6, "each": "123", "ins": 3}
    cur.execute("select id, name from pt order by id")
    assert cur.fetchall() == [(1, "auuu"), (2, "buu"), (3, "cu"), (12, "n2")]


def test_forall_save_exceptions(cur: Any) -> None:
    got = run(cur, """declare
                        type t_ids is table of number;
                        ids t_ids := t_ids(7, 1, 8, 2);
                        bulk_errors exception;
                        pragma exception_init(bulk_errors, -24381);
                      begin
                        forall i in 1 .. ids.count save exceptions
                          insert into pt values (ids(i), 'x');
                      exception
                        when bulk_errors then
                          :n := sql%bulk_exceptions.count;
                          :first := sql%bulk_exceptions(1).error_index || ':' || sql%bulk_exceptions(1).error_code;
                          :rows := sql%rowcount;
                      end;""", n=int, first=str, rows=int)
    assert got == {"n": 2, "first": "2:1", "rows": 2}
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("""declare type t is table of number; ids t := t(20, 1);
                       begin forall i in 1 .. 2 insert into pt values (ids(i), 'x'); end;""")
    assert ora(exc).startswith("ORA-00001: unique constraint")


# ---- EXECUTE IMMEDIATE -----------------------------------------------------------------------------

def test_execute_immediate_dml_query_ddl_and_blocks(cur: Any) -> None:
    got = run(cur, """begin
                        execute immediate 'insert into pt values (:1, :2)' using 7, 'g';
                        :c := sql%rowcount;
                        execute immediate 'select name from pt where id = :id' into :n using 7;
                        execute immediate 'begin :o := :i * 2; end;' using out :d, 21;
                        execute immediate 'create table pt_dyn (x number)';
                      end;""", c=int, n=str, d=int)
    assert got == {"c": 1, "n": "g", "d": 42}
    cur.execute("select count(*) from pt_dyn")  # created, and the DDL committed the insert
    assert cur.fetchone() == (0,)
    cur.connection.rollback()
    cur.execute("select name from pt where id = 7")
    assert cur.fetchall() == [("g",)]


def test_execute_immediate_binds_sql_placeholders_by_position(cur: Any) -> None:
    got = run(cur, """begin
                        execute immediate 'insert into pt values (:x, :x || '':x'')' using 9, 'nine';
                        select name into :n from pt where id = 9;
                      end;""", n=str)
    assert got == {"n": "nine:x"}  # the second :x is the second argument; ':x' in a string is text


def test_execute_immediate_returning_into(cur: Any) -> None:
    got = run(cur, """begin
                        execute immediate 'update pt set name = :n where id = :i returning name || id into :r'
                          using 'q', 3 returning into :out;
                      end;""", out=str)
    assert got == {"out": "q3"}


def test_execute_immediate_errors(cur: Any) -> None:
    cases = {
        "begin execute immediate 'insert into pt values (:1, :2)' using 8; end;":
            "ORA-01008: not all variables bound",
        "begin execute immediate 'insert into pt values (8, null)' using 8; end;":
            "ORA-01006: bind variable does not exist",
        "begin execute immediate 'select name from pt' into :n; end;":
            "ORA-01422: exact fetch returns more than requested number of rows",
        "begin execute immediate null; end;":
            "ORA-06535: statement string in EXECUTE IMMEDIATE is NULL or 0 length",
        "begin execute immediate 'select nothing from pt'; end;":
            "ORA-00904: \"NOTHING\": invalid identifier",
    }
    for block, expected in cases.items():
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(block, n=cur.var(str)) if ":n" in block else cur.execute(block)
        assert ora(exc) == expected, block


def test_execute_immediate_nesting_is_bounded(cur: Any) -> None:
    cur.execute("""create or replace procedure pt_again as
                   begin execute immediate 'begin pt_again; end;'; end;""")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.callproc("pt_again")
    assert ora(exc) == "ORA-00036: maximum number of recursive SQL levels (20) exceeded"


def test_forall_save_exceptions_unhandled_is_ora_24381(db: Database) -> None:
    """Checked on the engine: python-oracledb reads ORA-24381 as "batch errors follow" and so
    does not raise it, against Oracle as here."""
    s = db.session(user="SCOTT", sid=1, serial=1)
    s.execute("create table pt (id number primary key)")
    s.execute("insert into pt values (1)")
    with pytest.raises(OraError) as exc:
        s.execute("""declare type t is table of number; ids t := t(2, 1, 3);
                     begin forall i in 1 .. 3 save exceptions insert into pt values (ids(i)); end;""")
    assert exc.value.message.splitlines()[0] == "ORA-24381: error(s) in array DML"
    rows = s.execute("select id from pt order by id").rows
    assert list(rows or ()) == [(1,), (2,), (3,)]  # the other rows stay in


@pytest.mark.parametrize("block", [
    "begin for r in (select level n from dual connect by level <= 100000) loop null; end loop; end;",
    """declare cursor c is select level n from dual connect by level <= 100000;
       begin for r in c loop null; end loop; end;""",
    """declare type t is table of number index by pls_integer; a t;
       begin forall i in 1 .. 100000 insert into pt values (i); end;""",
])
def test_loops_count_towards_the_statement_cap(db: Database, monkeypatch: pytest.MonkeyPatch, block: str) -> None:
    monkeypatch.setattr(plsql_run, "MAX_STATEMENTS", 1000)
    s = db.session(user="SCOTT", sid=1, serial=1)
    s.execute("create table pt (id number)")
    with pytest.raises(OraError) as exc:
        s.execute(block)
    assert exc.value.code == 6500


def test_dml_returning_bulk_collect_into(cur: Any) -> None:
    got = run(cur, """declare
                        type t_ids is table of number;
                        type t_names is table of varchar2(20);
                        ids t_ids;
                        names_ t_names;
                        gone t_ids;
                      begin
                        update pt set name = name || 'r' where id <= 2 returning id, name bulk collect into ids, names_;
                        :a := ids.count || names_(2);
                        forall i in 1 .. ids.count
                          delete from pt where id = ids(i) returning id * 10 bulk collect into gone;
                        :b := gone.count || ':' || gone(1) || ',' || gone(2);
                      end;""", a=str, b=str)
    assert got == {"a": "2br", "b": "2:10,20"}  # FORALL gathers every iteration's rows
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute("update pt set name = 'x' returning id bulk collect into :x", x=cur.var(int))
    assert ora(exc).startswith("ORA-00900")
