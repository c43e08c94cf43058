"""A value the server cannot convert fails one call with a typed ORA- error; the session lives on.

python-oracledb treats a closed socket and ORA-00600 (mapped to DPY-4011) as a dead session, so
neither may answer bad SQL: mixing INTERVAL with other types is Oracle's ORA-00932 at parse,
and any conversion failure while rows are produced is an ORA-00932 answer for that call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import engine
from oracle_asyncio.testing.sql.engine import Database, OraError, Session

MIXED = [
    "select greatest(interval '1-1' year to month, -1) from dual",
    "select nvl(cast(null as interval year to month),'a') from dual",
    "select coalesce(cast(null as interval day to second), 5) from dual",
    "select case when 1=0 then interval '1-1' year to month else 'a' end from dual",
    "select least(interval '1' day, 5) from dual",
    "select decode(1, 1, interval '1' day, interval '1-1' year to month) from dual",
]


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    db = Database()
    yield db.session(user="SCOTT", sid=1, serial=1)
    db.close()


@pytest.mark.parametrize("sql", MIXED)
def test_interval_mixed_with_another_type_is_ora_00932(session: Session, sql: str) -> None:
    with pytest.raises(OraError) as info:
        result = session.execute(sql, ())
        list(result.rows or ())
    assert info.value.code == 932 and "INTERVAL" in info.value.message


def test_interval_with_null_and_interval_still_unify(session: Session) -> None:
    result = session.execute("select nvl(cast(null as interval day to second), interval '2' day),"
                             " greatest(interval '1' day, interval '3' day, null) from dual", ())
    rows = list(result.rows or ())
    assert rows == [(datetime.timedelta(days=2), None)]


@pytest.mark.interop
@pytest.mark.parametrize("sql", MIXED[:4])
def test_the_session_lives_on_after_mixed_interval_sql(sql: str) -> None:
    with EmbeddedServer().threaded() as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        conn.call_timeout = 10_000
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-00932"):
            cur.execute(sql).fetchall()
        assert cur.execute("select 1 from dual").fetchall() == [(1,)]


def _broken(value: object, t: object) -> object:
    raise ValueError("a conversion the translator let through")


@pytest.mark.interop
def test_a_conversion_failure_while_fetching_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with EmbeddedServer(users={"scott": "tiger"}).threaded() as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        conn.call_timeout = 10_000
        cur = conn.cursor()
        with monkeypatch.context() as patch:
            patch.setattr(engine, "from_storage", _broken)
            with pytest.raises(oracledb.DatabaseError, match="ORA-00932.*could not convert") as info:
                cur.execute("select 1 from dual").fetchall()
        assert not info.value.args[0].is_session_dead
        assert cur.execute("select 1 from dual").fetchall() == [(1,)]
