"""ROWID in the embedded server's SQL engine: the rowid each DML reports (what
``cursor.lastrowid`` shows), the ``rowid`` pseudo-column, ROWID columns,
CHARTOROWID / ROWIDTOCHAR and ORA-01410, driven through Database/Session."""

from __future__ import annotations

import pytest

from oracle_asyncio.testing.sql import Database, OraError, Result, Session
from oracle_asyncio.testing.sql.types.rowids import (
    FILE_NUMBER, FIRST_BLOCK, OBJECT_BASE, ROWS_PER_BLOCK, fields_for, key_for,
)
from oracle_sansio.codecs import OracleType, Rowid
from tests.testing.test_sql_engine import rows, run


@pytest.fixture
def s(db: Database) -> Session:
    session = db.session(user="scott", sid=11, serial=22)
    run(session, "create table t (id number, name varchar2(20))")
    return session


def text(result: Result) -> str | None:
    return None if result.rowid is None else Rowid(*result.rowid).to_string()


def test_mapping_is_invertible_and_oracle_shaped() -> None:
    oid = OBJECT_BASE + 1
    for key in (1, 2, ROWS_PER_BLOCK, ROWS_PER_BLOCK + 1, 10**9):
        fields = fields_for(oid, key)
        assert fields[0] == oid and fields[1] == FILE_NUMBER and fields[2] >= FIRST_BLOCK
        assert key_for(fields, oid) == key
        assert key_for(fields, oid + 1) is None
    assert Rowid(*fields_for(oid, 1)).to_string() == "AAAR0pAAEAAAACAAAA"
    assert Rowid(*fields_for(oid, ROWS_PER_BLOCK + 2)).to_string() == "AAAR0pAAEAAAACBAAB"
    with pytest.raises(OraError):
        fields_for(oid, 0)


def test_dml_reports_the_rowid_of_the_last_row_changed(s: Session) -> None:
    first = run(s, "insert into t values (1, 'a')")
    assert first.row_count == 1 and text(first) == "AAAR0pAAEAAAACAAAA"
    assert text(run(s, "insert into t values (2, 'b')")) == "AAAR0pAAEAAAACAAAB"
    many = run(s, "insert into t select id + 10, name from t")
    assert many.row_count == 2 and text(many) == "AAAR0pAAEAAAACAAAD"
    assert text(run(s, "update t set name = 'x' where id = 1")) == "AAAR0pAAEAAAACAAAA"
    assert text(run(s, "update t set name = 'y'")) == "AAAR0pAAEAAAACAAAD"
    assert text(run(s, "delete from t where id = 2")) == "AAAR0pAAEAAAACAAAB"
    for sql in ("update t set name = 'z' where id = -1", "delete from t where 1 = 0",
                "insert into t select * from t where 1 = 0"):
        result = run(s, sql)
        assert result.row_count == 0 and result.rowid is None
    assert run(s, "select * from t").rowid is None
    assert run(s, "begin update t set name = 'p' where id = 1; end;").rowid is None


def test_a_row_keeps_its_rowid(s: Session) -> None:
    run(s, "insert into t values (1, 'a')")
    inserted = text(run(s, "insert into t values (2, 'b')"))
    assert text(run(s, "update t set id = 3, name = 'c' where id = 2")) == inserted
    assert rows(s, "select rowid, id from t order by id") == [("AAAR0pAAEAAAACAAAA", 1), (inserted, 3)]
    s.commit()
    assert rows(s, "select rowid from t where id = 3") == [(inserted,)]


def test_rowid_pseudo_column(s: Session) -> None:
    for i in range(1, ROWS_PER_BLOCK + 4):
        run(s, "insert into t values (:1, :2)", i, f"n{i}")
    described = run(s, "select rowid, id from t")
    assert described.columns is not None and described.columns[0].ora_type == OracleType.ROWID
    assert described.columns[0].name == "ROWID"
    found = rows(s, "select rowid, id from t order by id")
    assert len({r for r, _ in found}) == len(found)
    for rowid, id_ in found:
        assert rows(s, "select id from t where rowid = :r", rowid) == [(id_,)]
        assert rows(s, "select x.id from t x where x.rowid = :r", rowid) == [(id_,)]
    # rowid order is the rowid's binary order (object, file, block, slot), not the text's
    assert [i for _, i in rows(s, "select rowid, id from t order by rowid desc")][:3] == [67, 66, 65]
    texts = [str(r) for r, _ in found]
    last_of_block = texts[ROWS_PER_BLOCK - 1]
    assert last_of_block.endswith("AA/")
    assert rows(s, "select id from t where rowid > :r order by rowid", last_of_block) == [(65,), (66,), (67,)]
    assert rows(s, "select count(*) from t where rowid in (:a, :b)", found[0][0], found[5][0]) == [(2,)]
    assert rows(s, "select rowidtochar(rowid) || '!' from t where id = 2") == [(texts[1] + "!",)]
    assert rows(s, "select id from t where rowid = chartorowid(:r)", found[2][0]) == [(3,)]


def test_rowid_in_dml_where(s: Session) -> None:
    run(s, "insert into t values (1, 'a')")
    rowid = text(run(s, "insert into t values (2, 'b')"))
    updated = run(s, "update t set name = 'B' where rowid = :r", rowid)
    assert updated.row_count == 1 and text(updated) == rowid
    assert rows(s, "select name from t where rowid = :r", rowid) == [("B",)]
    deleted = run(s, "delete from t where rowid = :r", rowid)
    assert deleted.row_count == 1 and text(deleted) == rowid
    assert rows(s, "select id from t") == [(1,)]


def test_rowids_of_other_tables_and_malformed_text(s: Session) -> None:
    run(s, "insert into t values (1, 'a')")
    run(s, "create table u (id number)")
    other = text(run(s, "insert into u values (1)"))
    assert other is not None and other != rows(s, "select rowid from t")[0][0]
    assert rows(s, "select id from t where rowid = :r", other) == []
    assert rows(s, "select id from t where rowid = :r", None) == []
    for bad in ("523lkhlf", "AAAR0pAAEAAAACAAA", "AAAR0pAAEAAAACAAA*"):
        assert error(s, "select id from t where rowid = :r", bad).code == 1410
    assert error(s, "select id from t where rowid = 5").code == 932
    assert error(s, "select rowid from dual").code == 900


def test_rowid_columns(s: Session) -> None:
    run(s, "insert into t values (1, 'a')")
    run(s, "insert into t values (2, 'b')")
    run(s, "create table r (id number, rid rowid, s varchar2(30))")
    assert run(s, "insert into r select id, rowid, rowid from t").row_count == 2
    stored = rows(s, "select id, rid, s from r order by rid desc")
    assert [(i, rid == txt) for i, rid, txt in stored] == [(2, True), (1, True)]
    described = run(s, "select rid from r")
    assert described.columns is not None and described.columns[0].ora_type == OracleType.ROWID
    for i, rid, _ in stored:
        assert rows(s, "select id from t where rowid = :r", rid) == [(i,)]
    assert rows(s, "select r.id from r where rid = :r", stored[0][1]) == [(2,)]
    run(s, "insert into r (id, rid) values (3, :r)", stored[1][1])
    assert rows(s, "select rid from r where id = 3") == [(stored[1][1],)]
    assert error(s, "insert into r (id, rid) values (9, :r)", 12345).code == 932
    assert error(s, "insert into r (id, rid) values (9, :r)", "523lkhlf").code == 1410


def error(session: Session, sql: str, *binds: object) -> OraError:
    with pytest.raises(OraError) as info:
        run(session, sql, *binds)
    return info.value
