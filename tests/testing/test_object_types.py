"""User-defined types in the embedded server, through python-oracledb 26.1 (thin) against
EmbeddedServer: CREATE [OR REPLACE] TYPE ... AS OBJECT / VARRAY / TABLE / UNDER, TYPE BODY,
DROP TYPE, ALTER TYPE ... ADD ATTRIBUTE, compilation status, their dictionary rows and the
ORA errors (docs/oracle-sql.md)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle_asyncio.testing.sql import Database, OraError, Session

pytestmark = pytest.mark.interop

_names = itertools.count(1)


def _name(prefix: str = "UDT") -> str:
    return f"{prefix}{next(_names)}"


def _code(exc: pytest.ExceptionInfo[oracledb.DatabaseError]) -> str:
    return str(exc.value).split(":")[0]


def _status(cur: Any, name: str, kind: str = "TYPE") -> str:
    cur.execute("select status from user_objects where object_name = :1 and object_type = :2", [name, kind])
    row = cur.fetchone()
    return "" if row is None else str(row[0])


def test_object_varray_and_nested_table_types_with_their_dictionary_rows(cur: Any) -> None:
    sub, arr, obj, tab = _name(), _name(), _name(), _name()
    cur.execute(f"create type scott.{sub} as object (n number, s varchar2(60));")
    cur.execute(f"create type {arr} as varray(10) of scott.{sub};")
    cur.execute(f"""create type {obj} as object (
        id number(9), price number(5,2), code char(10), label nvarchar2(30), raw_value raw(16),
        int_value integer, real_value real, stamp timestamp with local time zone, doc clob,
        sub_value {sub}, subs {arr})""")
    cur.execute(f"create or replace type {tab} as table of varchar2(20)")
    cur.execute("select type_name, typecode, attributes, methods, final, instantiable, incomplete from user_types "
                "where type_name in (:1, :2, :3, :4) order by type_name", [sub, arr, obj, tab])
    assert cur.fetchall() == sorted([
        (sub, "OBJECT", 2, 0, "YES", "YES", "NO"), (arr, "COLLECTION", 0, 0, "YES", "YES", "NO"),
        (obj, "OBJECT", 11, 0, "YES", "YES", "NO"), (tab, "COLLECTION", 0, 0, "YES", "YES", "NO")])
    cur.execute("select attr_no, attr_name, attr_type_owner, attr_type_name, length, precision, scale "
                "from user_type_attrs where type_name = :1 order by attr_no", [obj])
    assert cur.fetchall() == [
        (1, "ID", None, "NUMBER", None, 9, 0), (2, "PRICE", None, "NUMBER", None, 5, 2),
        (3, "CODE", None, "CHAR", 10, None, None), (4, "LABEL", None, "NVARCHAR2", 30, None, None),
        (5, "RAW_VALUE", None, "RAW", 16, None, None), (6, "INT_VALUE", None, "INTEGER", None, None, 0),
        (7, "REAL_VALUE", None, "REAL", None, 63, None),
        (8, "STAMP", None, "TIMESTAMP WITH LOCAL TZ", None, None, 6), (9, "DOC", None, "CLOB", None, None, None),
        (10, "SUB_VALUE", "SCOTT", sub, None, None, None), (11, "SUBS", "SCOTT", arr, None, None, None)]
    cur.execute("select type_name, coll_type, upper_bound, elem_type_owner, elem_type_name, length "
                "from all_coll_types where owner = 'SCOTT' and type_name in (:1, :2) order by type_name", [arr, tab])
    assert cur.fetchall() == sorted([(arr, "VARYING ARRAY", 10, "SCOTT", sub, None),
                                     (tab, "TABLE", None, None, "VARCHAR2", 20)])
    cur.execute("select object_type, status from user_objects where object_name = :1", [obj])
    assert cur.fetchall() == [("TYPE", "VALID")]
    cur.execute("select type_oid from all_types where type_name = :1", [obj])
    oid = cur.fetchone()[0]
    assert isinstance(oid, bytes) and len(oid) == 16


def test_name_in_use_and_or_replace(cur: Any) -> None:
    name = _name()
    cur.execute(f"create type {name} as object (a number)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create type {name} as object (b number)")
    assert _code(exc) == "ORA-00955"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create table {name} (a number)")
    assert _code(exc) == "ORA-00955"
    cur.execute(f"create or replace type {name} as object (b number, c date)")
    cur.execute("select attr_name from user_type_attrs where type_name = :1 order by attr_no", [name])
    assert cur.fetchall() == [("B",), ("C",)]
    table = _name("T")
    cur.execute(f"create table {table} (a number)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create or replace type {table} as object (a number)")
    assert _code(exc) == "ORA-00955"


def test_drop_type_dependents_force_and_missing(cur: Any) -> None:
    base, user = _name(), _name()
    cur.execute(f"create type {base} as object (a number)")
    cur.execute(f"create type {user} as table of {base}")
    for statement in (f"drop type {base}", f"create or replace type {base} as object (b number)"):
        with pytest.raises(oracledb.DatabaseError) as exc:
            cur.execute(statement)
        assert _code(exc) == "ORA-02303"
    cur.execute(f"drop type {base} force")
    assert _status(cur, base) == ""
    assert _status(cur, user) == "INVALID"  # its element type is gone
    cur.execute(f"create type {base} as object (a number)")
    assert _status(cur, user) == "VALID"  # recompiled once the type exists again
    cur.execute(f"drop type {user} validate")
    cur.execute(f"drop type {base}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"drop type {base}")
    assert _code(exc) == "ORA-04043"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"drop type body {_name()}")
    assert _code(exc) == "ORA-04043"


def test_unknown_attribute_type_is_created_invalid(cur: Any) -> None:
    obj, coll, missing = _name(), _name(), _name("MISSING")
    cur.execute(f"create or replace type {obj} as object (n number(9), x sys.xmltype, s varchar2(60))")
    cur.execute(f"create or replace type {coll} as table of {missing}")
    assert _status(cur, obj) == "INVALID"
    assert _status(cur, coll) == "INVALID"
    cur.execute("select attr_name, attr_type_owner, attr_type_name from user_type_attrs where type_name = :1 "
                "order by attr_no", [obj])
    assert cur.fetchall() == [("N", None, "NUMBER"), ("X", "SYS", "XMLTYPE"), ("S", None, "VARCHAR2")]
    cur.execute(f"create type {missing} as object (a number)")
    assert _status(cur, coll) == "VALID"


def test_methods_type_body_and_method_rows(cur: Any) -> None:
    name = _name()
    cur.execute(f"""create or replace type {name} as object (
        title varchar2(100), price number(5,2),
        member function get_title return varchar2,
        member procedure set_price (p number),
        static function make (t varchar2) return {name},
        constructor function {name} (self in out nocopy {name}, t varchar2) return self as result,
        map member function sort_key return number
    ) not final;""")
    cur.execute("select method_name, method_no, method_type, parameters, results from user_type_methods "
                "where type_name = :1 order by method_no", [name])
    assert cur.fetchall() == [("GET_TITLE", 1, "PUBLIC", 1, 1), ("SET_PRICE", 2, "PUBLIC", 2, 0),
                              ("MAKE", 3, "PUBLIC", 1, 1), (name, 4, "PUBLIC", 2, 1), ("SORT_KEY", 5, "MAP", 1, 1)]
    cur.execute("select methods, final from user_types where type_name = :1", [name])
    assert cur.fetchone() == (5, "NO")
    cur.execute(f"""create or replace type body {name} as
        member function get_title return varchar2 is begin return self.title; end;
        member procedure set_price (p number) is begin self.price := p; end;
        static function make (t varchar2) return {name} is begin return {name}(t, 0); end;
        constructor function {name} (self in out nocopy {name}, t varchar2) return self as result is
        begin self.title := t; return; end;
        map member function sort_key return number is begin return self.price; end;
    end;""")
    assert _status(cur, name, "TYPE BODY") == "VALID"
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create type body {name} as member function get_title return varchar2 is begin "
                    "return null; end; end;")
    assert _code(exc) == "ORA-00955"
    cur.execute(f"create or replace type body {name} as member function get_title return varchar2 is begin "
                "return null; end; end;")
    assert _status(cur, name, "TYPE BODY") == "INVALID"  # SET_PRICE ... are not defined
    cur.execute(f"drop type body {name}")
    assert _status(cur, name, "TYPE BODY") == ""
    assert _status(cur, name) == "VALID"


def test_subtype_under_not_final_supertype(cur: Any) -> None:
    base, sub, final, bad = _name(), _name(), _name(), _name()
    cur.execute(f"create type {base} as object (id number) not final")
    cur.execute(f"create type {sub} under {base} (label varchar2(10))")
    cur.execute("select supertype_name, attributes, local_attributes from user_types where type_name = :1", [sub])
    assert cur.fetchone() == (base, 2, 1)
    cur.execute("select attr_name, inherited from user_type_attrs where type_name = :1 order by attr_no", [sub])
    assert cur.fetchall() == [("ID", "YES"), ("LABEL", "NO")]
    cur.execute(f"create type {final} as object (id number)")
    cur.execute(f"create type {bad} under {final} (x number)")
    assert _status(cur, bad) == "INVALID"  # PLS-00590: a FINAL supertype


def test_alter_type_add_attribute(cur: Any) -> None:
    base, user = _name(), _name()
    cur.execute(f"create type {base} as object (a number)")
    cur.execute(f"create type {user} as varray(3) of {base}")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter type {base} add attribute (b varchar2(5))")
    assert _code(exc) == "ORA-22312"
    cur.execute(f"alter type {base} add attribute (b varchar2(5), c date) cascade")
    cur.execute("select attr_name from user_type_attrs where type_name = :1 order by attr_no", [base])
    assert cur.fetchall() == [("A",), ("B",), ("C",)]
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter type {base} add attribute a number cascade")
    assert _code(exc) == "ORA-22324"
    cur.execute(f"alter type {base} compile")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"alter type {_name()} compile")
    assert _code(exc) == "ORA-04043"


def test_incomplete_type_then_completed(cur: Any) -> None:
    name = _name()
    cur.execute(f"create type {name}")
    cur.execute("select incomplete from user_types where type_name = :1", [name])
    assert cur.fetchone() == ("YES",)
    cur.execute(f"create type {name} as object (a number)")
    cur.execute("select incomplete, attributes from user_types where type_name = :1", [name])
    assert cur.fetchone() == ("NO", 1)


def test_table_column_of_a_user_type_is_ora_00902_naming_it(cur: Any) -> None:
    name = _name()
    cur.execute(f"create type {name} as object (a number)")
    with pytest.raises(oracledb.DatabaseError) as exc:
        cur.execute(f"create table {_name('T')} (id number, obj scott.{name})")
    assert _code(exc) == "ORA-00902"
    assert f"SCOTT.{name}" in str(exc.value)


def test_another_schemas_types_are_invisible_without_privileges() -> None:
    db = Database(users={"alice", "bob", "boss"}, admins={"boss"})
    try:
        alice = db.session(user="alice", sid=1, serial=1)
        bob = db.session(user="bob", sid=2, serial=2)
        boss = db.session(user="boss", sid=3, serial=3)
        alice.execute("create type point_t as object (x number, y number)")
        with pytest.raises(OraError) as info:
            bob.execute("create type alice.other_t as object (x number)")
        assert info.value.code == 1031
        with pytest.raises(OraError) as info:
            bob.execute("drop type alice.point_t")
        assert info.value.code == 4043
        bob.execute("create type bob_pts as table of alice.point_t")  # PLS-00201: as if it did not exist
        rows = bob.execute("select status from user_objects where object_name = 'BOB_PTS'").rows
        assert rows is not None and list(rows) == [("INVALID",)]
        rows = bob.execute("select count(*) from all_types where owner = 'ALICE'").rows
        assert rows is not None and list(rows) == [(0,)]
        boss.execute("create type alice.line_t as varray(2) of alice.point_t")  # an admin's ANY privilege
        rows = alice.execute("select type_name, status from user_types join user_objects "
                             "on object_name = type_name order by type_name").rows
        assert rows is not None and list(rows) == [("LINE_T", "VALID"), ("POINT_T", "VALID")]
    finally:
        db.close()


_TYPE_WORDS = ["create", "or", "replace", "type", "body", "as", "is", "object", "varray", "varying", "array", "table",
               "of", "under", "(", ")", ",", ";", "10", "0", "number", "varchar2", "timestamp", "with", "local",
               "time", "zone", "member", "static", "constructor", "function", "procedure", "return", "self",
               "result", "not", "final", "instantiable", "drop", "force", "validate", "alter", "add", "attribute",
               "cascade", "compile", "end", "begin", "null", "t", "u", "sys.xmltype", "in", "out", "nocopy",
               "map", "order", "pragma", "default", "1", "index", "by"]


@pytest.fixture(scope="module")
def robust() -> Iterator[Session]:
    db = Database()
    session = db.session(user="scott", sid=1, serial=1)
    yield session
    db.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_TYPE_WORDS), max_size=16))
def test_random_type_statements_only_raise_ora_errors(robust: Session, words: list[str]) -> None:
    try:
        robust.execute(" ".join(words))
    except OraError as exc:
        assert exc.message.startswith("ORA-") and exc.code > 0


def test_a_type_created_invalid_gives_the_compilation_warning(cur: Any) -> None:
    # python-oracledb's test_1706: CREATE TYPE with an unknown attribute type succeeds with
    # DPY-7000 in cursor.warning; a clean CREATE after it has no warning.
    name = _name()
    cur.execute(f"create or replace type {name} as object (x no_such_type_{name})")
    assert cur.warning is not None and cur.warning.full_code == "DPY-7000"
    cur.execute(f"create or replace type {name} as object (x number)")
    assert cur.warning is None
    cur.execute(f"drop type {name}")
