"""Views in the embedded server, through python-oracledb 26.1 (thin) against EmbeddedServer:
CREATE [OR REPLACE] VIEW, selecting (joins, aliases, views over views), DML through simple views,
WITH CHECK OPTION / WITH READ ONLY, DROP VIEW, the dictionary rows and the ORA errors
(docs/oracle-sql.md)."""

from __future__ import annotations

import itertools
from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _table(cur: Any) -> str:
    name = f"VT{next(_names)}"
    cur.execute(f"create table {name} (id number(9) primary key, name varchar2(20), "
                "note varchar2(20) default 'dflt')")
    cur.executemany(f"insert into {name} (id, name) values (:1, :2)", [(1, "one"), (2, "two"), (12, "twelve")])
    cur.connection.commit()
    return name


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]


def test_select_from_view_join_alias_and_view_over_view(cur: Any) -> None:
    t = _table(cur)
    cur.execute(f"create view {t}_V (ident, label) as select id, upper(name) from {t} where id < 10")
    cur.execute(f"create view {t}_VV as select v.label from {t}_V v where v.ident > 1")
    cur.execute(f"select ident, label from {t}_V order by ident")
    assert cur.fetchall() == [(1, "ONE"), (2, "TWO")]
    assert [d[0] for d in cur.description] == ["IDENT", "LABEL"]
    cur.execute(f"select x.label, y.name from {t}_V x join {t} y on y.id = x.ident order by y.id")
    assert cur.fetchall() == [("ONE", "one"), ("TWO", "two")]
    cur.execute(f"select * from {t}_VV")
    assert cur.fetchall() == [("TWO",)]


def test_or_replace_changes_columns_and_types(cur: Any) -> None:
    name = f"VR{next(_names)}"
    cur.execute(f"create or replace view {name} as select 1 as a, 'x' as b from dual")
    cur.execute(f"select * from {name}")
    assert cur.fetchall() == [(1, "x")]
    cur.execute(f"create or replace view {name} as select cast('abc' as varchar2(15)) as value from dual")
    cur.execute(f"select * from {name}")
    assert cur.fetchall() == [("abc",)]
    assert cur.description[0][1] is oracledb.DB_TYPE_VARCHAR


def test_dml_through_simple_view_goes_to_base_table(cur: Any) -> None:
    t = _table(cur)
    cur.execute(f"create view {t}_V as select id, name as label from {t} where id < 10")
    cur.execute(f"insert into {t}_V (id, label) values (3, 'three')")
    assert cur.rowcount == 1
    cur.execute(f"update {t}_V set label = 'ONE' where id = 1")
    assert cur.rowcount == 1
    cur.execute(f"delete from {t}_V where label = 'two'")
    assert cur.rowcount == 1
    cur.execute(f"update {t}_V set label = 'x'")  # the view's rows only: 12 is not one
    assert cur.rowcount == 2
    cur.execute(f"select id, name, note from {t} order by id")
    assert cur.fetchall() == [(1, "x", "dflt"), (3, "x", "dflt"), (12, "twelve", "dflt")]


def test_check_option_refuses_rows_the_view_would_not_show(cur: Any) -> None:
    t = _table(cur)
    cur.execute(f"create view {t}_V as select id, name from {t} where id < 10 with check option")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"insert into {t}_V values (50, 'fifty')")
    assert _code(exc) == "ORA-01402"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"update {t}_V set id = 99 where id = 1")
    assert _code(exc) == "ORA-01402"
    cur.execute(f"insert into {t}_V values (5, 'five')")
    cur.execute(f"select id from {t} order by id")
    assert cur.fetchall() == [(1,), (2,), (5,), (12,)]


def test_refusals(cur: Any) -> None:
    t = _table(cur)
    cur.execute(f"create view {t}_RO as select * from {t} with read only")
    cur.execute(f"create view {t}_AGG as select count(*) as n from {t}")
    cur.execute(f"create view {t}_J as select a.id, b.name from {t} a join {t} b on a.id = b.id")
    cur.execute(f"create view {t}_E as select id, name || '!' as bang from {t}")
    cases = [(f"delete from {t}_RO", "ORA-42399"), (f"insert into {t}_AGG values (1)", "ORA-01732"),
             (f"delete from {t}_J", "ORA-01779"), (f"update {t}_E set bang = 'x'", "ORA-01733"),
             (f"create view {t}_RO as select 1 as x from dual", "ORA-00955"),
             (f"create view {t}_X (a, b) as select id from {t}", "ORA-01730"),
             (f"drop table {t}_RO", "ORA-00942"), (f"drop view {t}", "ORA-00942")]
    for sql, code in cases:
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(sql)
        assert _code(exc) == code, sql
    cur.execute(f"drop view {t}_RO")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"select * from {t}_RO")
    assert _code(exc) == "ORA-00942"


def test_dictionary_rows(cur: Any) -> None:
    t = _table(cur)
    cur.execute(f"create view {t}_V as select id, name from {t} with read only")
    cur.execute("select view_name, text, text_length, read_only from user_views where view_name = :1", [f"{t}_V"])
    assert cur.fetchall() == [(f"{t}_V", f"select id, name from {t}", len(f"select id, name from {t}"), "Y")]
    cur.execute("select object_type from user_objects where object_name = :1", [f"{t}_V"])
    assert cur.fetchall() == [("VIEW",)]
    cur.execute("select column_name, data_type from user_tab_columns where table_name = :1 order by column_id",
                [f"{t}_V"])
    assert cur.fetchall() == [("ID", "NUMBER"), ("NAME", "VARCHAR2")]
    cur.execute("select count(*) from user_tables where table_name = :1", [f"{t}_V"])
    assert cur.fetchone() == (0,)


def test_or_replace_changes_type_for_the_same_query_text(cur: Any) -> None:
    """The same SELECT text after CREATE OR REPLACE reads the new definition (NUMBER, then VARCHAR2)."""
    name = f"VQ{next(_names)}"
    cur.execute(f"create or replace view {name} as select to_number('4613') as value from dual")
    cur.execute(f"select * from {name}")
    assert cur.fetchall() == [(4613,)]
    cur.execute(f"create or replace view {name} as select cast('s4613' as varchar2(15)) as value from dual")
    cur.execute(f"select * from {name}")
    assert cur.fetchall() == [("s4613",)]


def test_replacing_a_view_recompiles_the_views_over_it(cur: Any) -> None:
    name = f"VD{next(_names)}"
    cur.execute(f"create view {name} as select 1 as a from dual")
    cur.execute(f"create view {name}_OVER as select a + 1 as b from {name}")
    cur.execute(f"create or replace view {name} as select 10 as a from dual")
    cur.execute(f"select b from {name}_OVER")
    assert cur.fetchall() == [(11,)]
