"""DBMS_LOB and EMPTY_CLOB / EMPTY_BLOB on the embedded server's SQL engine: the functions from
SQL and PL/SQL, the procedures on PL/SQL variables and binds, NULL locators (ORA-22275), bad
amounts and offsets (ORA-21560), the size bound (ORA-22925), and work linear in the LOB's size."""

from __future__ import annotations


import pytest

from oracle_asyncio.testing.sql import OraError, Session
from oracle_asyncio.testing.sql.runtime import pkg_lob
from tests.testing.plsql_helpers import block, fails, out, rows


@pytest.fixture
def s(scott: Session) -> Session:
    scott.execute("create table t (id number, c clob not null, b blob not null, n nclob)")
    return scott


def test_empty_lobs_are_not_null(s: Session) -> None:
    s.execute("insert into t (id, c, b, n) values (1, empty_clob(), empty_blob(), empty_clob())")
    assert rows(s, "select c, b, n, dbms_lob.getlength(c), dbms_lob.getlength(b) from t") == [("", b"", "", 0, 0)]
    assert rows(s, "select count(*) from t where c is not null and b is not null") == [(1,)]
    s.execute("update t set c = 'x'")
    s.execute("update t set c = empty_clob()")
    assert rows(s, "select dbms_lob.getlength(c) from t") == [(0,)]


def test_sql_functions(s: Session) -> None:
    s.execute("insert into t (id, c, b) values (1, 'hello world', utl_raw.cast_to_raw('hello'))")
    assert rows(s, "select dbms_lob.getlength(c), dbms_lob.getlength(b) from t") == [(11, 5)]
    assert rows(s, "select dbms_lob.substr(c, 5, 7), dbms_lob.substr(c), dbms_lob.substr(b, 2, 2) from t") == [
        ("world", "hello world", b"el")]
    assert rows(s, "select dbms_lob.instr(c, 'o'), dbms_lob.instr(c, 'o', 1, 2), dbms_lob.instr(c, 'o', 6),"
                   " dbms_lob.instr(c, 'z'), dbms_lob.instr(b, '6C6C') from t") == [(5, 8, 8, 0, 3)]
    # invalid amounts and offsets make these functions NULL, as Oracle's do
    assert rows(s, "select dbms_lob.substr(c, 0), dbms_lob.substr(c, 1, 0), dbms_lob.substr(c, 32768),"
                   " dbms_lob.instr(c, 'o', 0), dbms_lob.getlength(null) from t") == [(None,) * 5]
    assert rows(s, "select dbms_lob.compare(c, c), dbms_lob.compare(c, 'hello'), dbms_lob.compare('a', 'b'),"
                   " dbms_lob.compare(c, 'hello', 5), dbms_lob.compare(c, c, 1, 0) from t") == [(0, 1, -1, 0, None)]
    assert out(s, "declare c clob := 'abc'; begin :r := dbms_lob.getlength(c) + dbms_lob.instr(c, 'c'); end;") == 6
    with pytest.raises(OraError) as info:
        rows(s, "select dbms_lob.getlength(1) from dual")
    assert info.value.code == 932


def test_procedures_on_a_clob_variable(s: Session) -> None:
    values = block(s, """declare c clob; n number := 2; b varchar2(10); r number := 3;
    begin
        dbms_lob.createtemporary(c, true, dbms_lob.session);
        dbms_lob.writeappend(c, 3, 'abcdef');
        dbms_lob.append(c, 'def');
        dbms_lob.write(c, 2, 9, 'XY');
        :a := c;
        dbms_lob.erase(c, n, 2);
        :b := c; :n := n;
        dbms_lob.read(c, r, 4, b);
        :r := b;
        dbms_lob.trim(c, 3);
        :t := c; :tmp := dbms_lob.istemporary(c);
        dbms_lob.freetemporary(c);
        :freed := c;
    end;""", None, None, None, None, None, None, None)
    assert values == {0: "abcdef  XY", 1: "a  def  XY", 2: 2, 3: "def", 4: "a  ", 5: 1, 6: None}


def test_procedures_on_a_blob(s: Session) -> None:
    values = block(s, """declare b blob; d blob := utl_raw.cast_to_raw('0123456789');
    begin
        dbms_lob.createtemporary(b, false);
        dbms_lob.writeappend(b, 2, '4142');
        dbms_lob.copy(b, d, 3, 4, 2);
        :b := b;
        dbms_lob.open(d, dbms_lob.lob_readonly);
        dbms_lob.close(d);
    end;""", None)
    assert values == {0: b"AB\x00123"}


def test_copy_and_writeappend_on_binds(s: Session) -> None:
    """python-oracledb's test_1921 / test_1923 shapes: a bind copied over and appended to."""
    values = block(s, "declare t clob; begin t := :data; dbms_lob.copy(:data, t, 50000);"
                      " dbms_lob.writeappend(:data, 5, 'BBBBB'); end;", "A" * 50000)
    assert values == {0: "A" * 50000 + "BBBBB"}
    values = block(s, "declare t blob; begin t := :data; dbms_lob.copy(:data, t, 100);"
                      " dbms_lob.writeappend(:data, 6, '515151515151'); end;", b"L" * 100)
    assert values == {0: b"L" * 100 + b"Q" * 6}


@pytest.mark.parametrize("call", [
    "dbms_lob.writeappend(c, 1, 'a')", "dbms_lob.append(c, 'a')", "dbms_lob.trim(c, 0)",
    "dbms_lob.write(c, 1, 1, 'a')", "dbms_lob.erase(c, n)", "dbms_lob.freetemporary(c)",
    "dbms_lob.copy(c, 'abc', 1)", "dbms_lob.open(c)"])
def test_an_uninitialized_locator_is_ora_22275(s: Session, call: str) -> None:
    assert fails(s, f"declare c clob; n number := 1; begin {call}; end;").code == 22275


@pytest.mark.parametrize(("call", "argument"), [
    ("dbms_lob.writeappend(c, 0, 'a')", 2), ("dbms_lob.writeappend(c, 5, 'a')", 2),
    ("dbms_lob.writeappend(c, null, 'a')", 2), ("dbms_lob.write(c, 1, 0, 'a')", 3),
    ("dbms_lob.copy(c, c, 0)", 3), ("dbms_lob.copy(c, c, 1, 0)", 4), ("dbms_lob.copy(c, c, 1, 1, 0)", 5),
    ("dbms_lob.erase(c, n, 0)", 3), ("dbms_lob.trim(c, -1)", 2), ("dbms_lob.open(c, 7)", 2)])
def test_bad_amounts_and_offsets_are_ora_21560(s: Session, call: str, argument: int) -> None:
    error = fails(s, f"declare c clob := 'abc'; n number := 1; begin {call}; end;")
    assert error.code == 21560
    assert f"argument {argument} is null" in error.message


def test_other_errors(s: Session) -> None:
    assert fails(s, "declare c clob := 'abc'; begin dbms_lob.trim(c, 4); end;").code == 22926
    assert fails(s, "declare c clob := 'abc'; b varchar2(9); n number := 1; begin dbms_lob.read(c, n, 4, b);"
                    " end;").code == 1403
    assert fails(s, "declare c clob := 'abc'; b blob := utl_raw.cast_to_raw('a'); begin dbms_lob.append(c, b);"
                    " end;").code == 932


def test_the_size_bound(s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pkg_lob, "MAX_LOB_SIZE", 10)
    assert fails(s, "declare c clob := 'abcdef'; begin dbms_lob.append(c, c); end;").code == 22925
    assert fails(s, "declare c clob := 'abc'; begin dbms_lob.write(c, 1, 11, 'x'); end;").code == 22925
    assert out(s, "declare c clob := 'abcde'; begin dbms_lob.append(c, c); :r := c; end;") == "abcdeabcde"


def test_a_large_lob_costs_linear_work(s: Session) -> None:
    """A 16 MB CLOB through the procedures and functions: a few passes over its characters (64 MB
    takes four times as long)."""
    size = 16 * 1024 * 1024
    values = block(s, "declare c clob := :big; begin dbms_lob.writeappend(c, 3, 'xyz'); dbms_lob.write(c, 2, 10, 'QQ');"
                      " :n := dbms_lob.getlength(c); :i := dbms_lob.instr(c, 'xyz'); end;", "a" * size, None, None)
    assert values == {1: size + 3, 2: size + 1}


def test_host_values_choose_the_lob_overload(s: Session) -> None:
    """python-oracledb's test_4125 / test_4126: a BLOB and a CLOB overload told apart by the bind."""
    s.execute("create package pk as procedure size_of(a blob, n out number); procedure size_of(a clob, n out number);"
              " end pk;")
    s.execute("create package body pk as"
              " procedure size_of(a blob, n out number) is begin n := -dbms_lob.getlength(a); end;"
              " procedure size_of(a clob, n out number) is begin n := dbms_lob.getlength(a); end; end pk;")
    assert block(s, "begin pk.size_of(:1, :2); end;", "ab" * 20000, None) == {1: 40000}
    assert block(s, "begin pk.size_of(:1, :2); end;", b"ab" * 20000, None) == {1: -40000}
    assert block(s, "begin pk.size_of(:1, :2); end;", b"ab", None) == {1: -2}
