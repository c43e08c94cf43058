"""An array bind (python-oracledb's ``cursor.arrayvar``) meeting an associative array indexed by
VARCHAR2 (issue 18): clients bind only PLS_INTEGER-indexed tables, so the block is refused as
Oracle refuses it, ORA-06550 with PLS-00418 at the bind, for IN, OUT and IN OUT parameters and an
assignment to the bind; nothing runs with keys made up from positions, and the session lives on."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

_SPEC = """create or replace package smaps as
  type smap is table of varchar2(10) index by varchar2(10);
  type imap is table of varchar2(10) index by pls_integer;
  function cnt(a smap) return number;
  procedure fill(a out smap);
  procedure empty(a out smap);
  procedure twice(a in out smap);
  procedure ifill(a out imap);
end;"""

_BODY = """create or replace package body smaps as
  function cnt(a smap) return number is begin return a.count; end;
  procedure fill(a out smap) is begin a('k1') := 'v1'; a('k2') := 'v2'; end;
  procedure empty(a out smap) is begin null; end;
  procedure twice(a in out smap) is begin a('x') := 'y'; end;
  procedure ifill(a out imap) is begin a(1) := 'one'; a(2) := 'two'; end;
end;"""


@pytest.fixture
def smaps(cur: Any) -> Any:
    """``cur`` with package SMAPS (a VARCHAR2-indexed and a PLS_INTEGER-indexed table type)."""
    for ddl in (_SPEC, _BODY):
        cur.execute(ddl)
    return cur


def _refused(call: Any, column: int | None) -> None:
    """``call`` fails with PLS-00418 (at ``column`` of line 1; None: a value's error, unplaced as
    the server's other value errors are)."""
    with pytest.raises(oracledb.DatabaseError) as info:
        call()
    error = info.value.args[0]
    assert error.code == 6550
    assert "PLS-00418: array bind type must match PL/SQL table row type" in error.message
    if column is not None:
        assert error.message.startswith(f"ORA-06550: line 1, column {column}:\nPLS-00418")


def test_in_out_and_in_out_array_binds_to_a_varchar2_indexed_table(smaps: Any) -> None:
    _refused(lambda: smaps.callfunc("smaps.cnt", int, [smaps.arrayvar(str, ["a", "b"], 10)]), 28)
    _refused(lambda: smaps.callproc("smaps.fill", [smaps.arrayvar(str, 10, 10)]), 18)
    _refused(lambda: smaps.callproc("smaps.empty", [smaps.arrayvar(str, 10, 10)]), 19)
    _refused(lambda: smaps.callproc("smaps.twice", [smaps.arrayvar(str, ["a"], 10)]), 19)
    out = smaps.arrayvar(str, 10, 10)
    smaps.callproc("smaps.ifill", [out])  # a PLS_INTEGER-indexed table binds as before
    assert out.getvalue() == ["one", "two"]


def test_assigning_a_varchar2_indexed_table_to_an_array_bind(smaps: Any) -> None:
    out = smaps.arrayvar(str, 10, 10)
    _refused(lambda: smaps.execute("declare m smaps.smap; begin m('a') := 'b'; :1 := m; end;", [out]), 44)
    _refused(lambda: smaps.execute("declare m smaps.smap; begin m := :1; end;",
                                   [smaps.arrayvar(str, ["a"], 10)]), None)
    smaps.execute("select 1 from dual")
    assert smaps.fetchall() == [(1,)]
