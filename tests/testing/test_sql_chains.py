"""Long flat chains and deep nesting in the embedded server's SQL (issue 12, item 14).

A chain of one precedence level (``AND``, ``OR``, ``||``, ``+ -``, ``* /``, IN lists,
UNION ALL, select lists) is read by loops into one flat node and translated to
shallow sqlite SQL, so 25,000 terms run; real nesting (parentheses, calls,
subqueries) is limited and answered with Oracle's ORA-03095, never a RecursionError.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, OraError, Session
from oracle_asyncio.testing.sql.syntax.parser import parse
from oracle_asyncio.testing.sql.syntax.parser_base import MAX_DEPTH
from oracle_asyncio.testing.sql.translate.translator import Translator
from oracle_asyncio.testing.sql.translate import base as translate_base
from oracle_asyncio.testing.sql.translate import translator as translate_module
from oracle_sansio.statement import parse_statement


def rows(session: Session, sql: str, *binds: object) -> list[tuple[object, ...]]:
    result = session.execute(sql, binds, bind_names=parse_statement(sql).bind_names)
    assert result.rows is not None
    return list(result.rows)


def error(session: Session, sql: str) -> OraError:
    with pytest.raises(OraError) as info:
        rows(session, sql)
    return info.value


@pytest.fixture
def s(db: Database) -> Iterator[Session]:
    session = db.session(user="scott", sid=1, serial=1)
    session.execute("create table t (x number, v varchar2(10))")
    session.execute("insert into t values (1, 'a')")
    session.execute("insert into t values (2, 'b')")
    session.execute("commit")
    yield session


# ---- long chains run and give the right result ---------------------------------------------------

def test_25000_ands(s: Session) -> None:
    where = " AND ".join(["x = 1"] * 24999 + ["v = 'a'"])
    assert rows(s, f"select x from t where {where}") == [(1,)]


def test_25000_ors(s: Session) -> None:
    where = " OR ".join(["x = 7"] * 24999 + ["x = 2"])
    assert rows(s, f"select v from t where {where}") == [("b",)]


def test_25000_ors_of_distinct_values(s: Session) -> None:
    where = " OR ".join(f"x = {i}" for i in range(2, 25002))
    assert rows(s, f"select v from t where {where}") == [("b",)]
    # three-valued logic kept: NOT (x = 7 OR ... OR x = NULL) is unknown, never true
    unknown = " OR ".join(["x = 7"] * 100 + ["x = null"])
    assert rows(s, f"select count(*) from t where not ({unknown})") == [(0,)]
    mixed = " OR ".join(["x = 7", "v = 'b'", "x = '9'"] * 100)
    assert rows(s, f"select x from t where {mixed}") == [(2,)]


def test_mixed_and_or_chains_keep_precedence(s: Session) -> None:
    where = " OR ".join(["x = 9 AND v = 'a'"] * 3000 + ["x = 2 AND v = 'b'"])
    assert rows(s, f"select x from t where {where}") == [(2,)]


def test_10000_term_concatenation(s: Session) -> None:
    assert rows(s, "select " + " || ".join(["'ab'"] * 10000) + " from dual") == [("ab" * 10000,)]
    text = rows(s, "select " + " || ".join(["v", "null", "x"] * 4000) + " from t where x = 2")[0][0]
    assert text == "b2" * 4000


def test_25000_term_arithmetic_is_left_to_right(s: Session) -> None:
    assert rows(s, "select " + " + ".join(["1"] * 25000) + " from dual") == [(25000,)]
    assert rows(s, "select 100" + " - 1" * 25000 + " from dual") == [(-24900,)]
    # each step rounds to 38 digits as one operator does: 1e38 + 1 - 1e38 is 0, not 1
    big = "100000000000000000000000000000000000000"
    chain = " + ".join([big, "1"] + ["0"] * 20) + f" - {big}"
    assert rows(s, f"select {chain} from dual") == [(0,)]
    assert rows(s, "select 1" + " * 2" * 100 + " / 2" * 100 + " from dual") == [(1,)]
    assert rows(s, "select x" + " + x" * 30 + " from t order by x") == [(31,), (62,)]
    assert rows(s, "select 1" + " + null" * 20 + " from dual") == [(None,)]
    assert error(s, "select 1" + " + 1" * 20 + " / 0 from dual").code == 1476


def test_short_chains_of_dates_still_work(s: Session) -> None:
    assert rows(s, "select date '2024-01-01' + 1 + 1 - 1 - date '2024-01-01' from dual") == [(1,)]


def test_long_in_lists_and_union_all(s: Session) -> None:
    items = ", ".join(str(i) for i in range(2, 1002))
    assert rows(s, f"select count(*) from t where x in ({items})") == [(1,)]
    pairs = ", ".join(f"({i}, 'b')" for i in range(2, 5002))
    assert rows(s, f"select count(*) from t where (x, v) in ({pairs})") == [(1,)]
    union = " union all ".join(["select 1 from dual"] * 5000)
    assert rows(s, f"select count(*) from ({union})") == [(5000,)]
    items_sql = ", ".join(["x"] * 1000)
    assert len(rows(s, f"select {items_sql} from t")[0]) == 1000


def test_oracle_list_limits(s: Session) -> None:
    items = ", ".join(str(i) for i in range(1001))
    assert error(s, f"select count(*) from t where x in ({items})").code == 1795
    assert error(s, "select " + ", ".join(["1"] * 1001) + " from dual").code == 1792
    columns = ", ".join(f"c{i} number" for i in range(1001))
    assert error(s, f"create table wide ({columns})").code == 1792
    s.execute("create table wide (" + ", ".join(f"c{i} number" for i in range(1000)) + ")")


def test_runs_of_signs_and_nots_do_not_nest(s: Session) -> None:
    assert rows(s, "select " + "- " * 5001 + "x from t order by x") == [(-1,), (-2,)]
    assert rows(s, "select " + "- " * 5000 + "x from t order by x") == [(1,), (2,)]
    assert rows(s, "select count(*) from t where " + "not " * 5001 + "x = 1") == [(1,)]
    assert rows(s, "select count(*) from t where " + "not " * 5000 + "x = 1") == [(1,)]


# ---- deep nesting is ORA-03095 ---------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "select " + "(" * 2000 + "1" + ")" * 2000 + " from dual",
    "select count(*) from t where " + "(" * 2000 + "x = 1" + ")" * 2000,
    "select " + "abs(" * 2000 + "1" + ")" * 2000 + " from dual",
    "select " + "(select " * 2000 + "1" + " from dual)" * 2000 + " from dual",
    "select * from " + "(select * from " * 2000 + "dual" + ")" * 2000,
], ids=["parentheses", "conditions", "calls", "scalar-subqueries", "inline-views"])
def test_2000_nesting_levels_are_too_deep(s: Session, sql: str) -> None:
    err = error(s, sql)
    assert err.code == 3095 and err.message.startswith("ORA-03095: expression level is too deep")


def test_nesting_within_the_limit_runs(s: Session) -> None:
    depth = MAX_DEPTH - 3
    assert rows(s, "select " + "(" * depth + "x" + ")" * depth + " from t order by x") == [(1,), (2,)]


def test_nesting_sqlite_cannot_take_is_ora_03095_too(s: Session) -> None:
    # sqlite's parser holds about 30 nested calls: beyond, the same Oracle error
    err = error(s, "select " + "nvl(" * 50 + "x" + ", 0)" * 50 + " from t")
    assert err.code == 3095


# ---- no recursion per chain element: a small stack suffices ----------------------------------------

def _plan(db: Database, session: Session, sql: str) -> str:
    return Translator(db.catalog, session._context(), {}).select(parse(sql)).sql  # type: ignore[arg-type]


@pytest.mark.parametrize("sql", [
    "select count(*) from t where " + " AND ".join(["x = 1"] * 25000),
    "select count(*) from t where " + " OR ".join(["x = 1"] * 25000),
    "select " + " || ".join(["v"] * 25000) + " from t",
    "select " + " + ".join(["x"] * 25000) + " from t",
    "select " + " * ".join(["x"] * 25000) + " from t",
], ids=["and", "or", "concat", "plus", "times"])
def test_chains_parse_and_translate_in_a_small_stack(db: Database, s: Session, sql: str) -> None:
    here = len(_stack())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(here + 150)  # far less than one frame per term
    try:
        text = _plan(db, s, sql)
    finally:
        sys.setrecursionlimit(limit)
    assert _paren_depth(text) < 12  # and sqlite gets shallow SQL


def _stack() -> list[object]:
    frames: list[object] = []
    frame = sys._getframe()
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back  # type: ignore[assignment]
    return frames


def _paren_depth(sql: str) -> int:
    depth = deepest = 0
    for ch in sql:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    return deepest


def test_translation_work_grows_linearly(db: Database, s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = translate_module.Translator.expr

    def counting(self: Translator, e: object) -> object:
        calls[0] += 1
        return original(self, e)  # type: ignore[arg-type]

    monkeypatch.setattr(translate_module.Translator, "expr", counting)
    counts = []
    for n in (1000, 2000, 4000):
        calls[0] = 0
        sql = "select count(*) from t where " + " OR ".join(["x = 1 AND v || 'a' || v = 'x'"] * n)
        _plan(db, s, sql)
        counts.append(calls[0])
    assert counts[2] - counts[1] == 2 * (counts[1] - counts[0])  # a * n + b: linear


def test_sqlite_parameters_are_shared_and_bounded(db: Database, s: Session,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    same = _plan_params(db, s, "select count(*) from t where " + " OR ".join(["v = 'b'"] * 5000))
    assert len(same) == 1  # one value, one sqlite parameter
    monkeypatch.setattr(translate_base, "MAX_PARAMS", 50)  # sqlite allows 32,766; the rule is the same
    values = [f"k'{i}" for i in range(300)] + ["b"]
    where = " OR ".join("v = '" + v.replace("'", "''") + "'" for v in values)
    assert len(_plan_params(db, s, f"select x from t where {where}")) == 50
    assert rows(s, f"select x from t where {where}") == [(2,)]


def _plan_params(db: Database, session: Session, sql: str) -> dict[str, object]:
    return Translator(db.catalog, session._context(), {}).select(parse(sql)).params  # type: ignore[arg-type]


# ---- over the wire -------------------------------------------------------------------------------

def test_oracledb_long_chains_and_deep_nesting(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, conn.cursor() as cur:
        cur.execute("select count(*) from dual where " + " AND ".join(["1 = 1"] * 25000))
        assert cur.fetchone() == (1,)
        cur.execute("select " + " || ".join(["'x'"] * 10000) + " from dual")
        assert cur.fetchone() == ("x" * 10000,)
        cur.execute("select 0.5" + " + 0.5" * 999 + " from dual")
        assert cur.fetchone() == (500,)
        with pytest.raises(oracledb.DatabaseError) as info:
            cur.execute("select " + "(" * 2000 + "1" + ")" * 2000 + " from dual")
        assert info.value.args[0].full_code == "ORA-03095"
        cur.execute("select 1 from dual")
        assert cur.fetchone() == (1,)
