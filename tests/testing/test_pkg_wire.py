"""The standard packages through python-oracledb 26.1 (thin) against the embedded server: what
the client sees of UTL_RAW, EMPTY_CLOB / EMPTY_BLOB, DBMS_LOB on a bind, and DBMS_DEBUG_JDWP's
session id and serial number."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

pytestmark = pytest.mark.interop


def test_raw_and_empty_lobs(cur: Any) -> None:
    cur.execute("select utl_raw.cast_to_raw('abc'), utl_raw.cast_to_varchar2('41ab42cd43ef'), empty_clob(),"
                " empty_blob(), dbms_lob.getlength(empty_clob()) from dual")
    raw, text, clob, blob, size = cur.fetchone()
    assert raw == b"abc" and text == "A\ufffdB\ufffdC\ufffd" and size == 0
    assert clob.read() == "" and blob.read() == b""
    assert [d[1] for d in cur.description[:4]] == [oracledb.DB_TYPE_RAW, oracledb.DB_TYPE_VARCHAR,
                                                   oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB]


def test_lob_procedures_on_a_bind(cur: Any) -> None:
    """python-oracledb's test_1921: a string var copied over and appended to in PL/SQL."""
    var = cur.var(str, outconverter=lambda v: v[-15:])
    var.setvalue(0, "A" * 50000)
    cur.execute("declare t clob; begin t := :data; dbms_lob.copy(:data, t, 50000);"
                " dbms_lob.writeappend(:data, 5, 'BBBBB'); end;", data=var)
    assert var.getvalue() == "A" * 10 + "B" * 5


def test_session_id_and_serial(cur: Any) -> None:
    cur.execute("select dbms_debug_jdwp.current_session_id, dbms_debug_jdwp.current_session_serial from dual")
    assert cur.fetchone() == (cur.connection.session_id, cur.connection.serial_num)


def test_an_empty_lob_bound_is_not_null(cur: Any) -> None:
    """Empty temporary LOBs bound to NOT NULL LOB columns are empty LOBs, not NULL (ORA-01400)."""
    cur.execute("create table empty_lobs (b blob not null, c clob not null)")
    conn = cur.connection
    cur.execute("insert into empty_lobs values (:b, :c)", b=conn.createlob(oracledb.DB_TYPE_BLOB),
                c=conn.createlob(oracledb.DB_TYPE_CLOB))
    cur.execute("select dbms_lob.getlength(b), dbms_lob.getlength(c) from empty_lobs")
    assert cur.fetchall() == [(0, 0)]
