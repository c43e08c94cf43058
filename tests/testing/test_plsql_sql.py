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
    """More rows than the engine reads from sqlite at once: its statement stays open while
    the body changes, commits and runs DDL."""
    cur.execute("insert into pt select level + 3, 'x' from dual connect by level <= 597")
    got = run(cur, """begin
                        :n := 0;
                        for r in (select id from pt) loop
                          update pt set name = 'y' where id = r.id;
                          commit;
                          :n := :n + 1;
                        end loop;
                        execute immediate 'create table pt_dyn (x number)';
                      end;""", n=int)
    assert got == {"n": 600}


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
    assert ora(exc) == "ORA-00036: maximum number of recursive SQL levels (50) exceeded"
