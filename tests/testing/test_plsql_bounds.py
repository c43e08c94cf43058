"""The PL/SQL interpreter's bounds: statements per call, call depth, and the server's
statement_timeout reaching a loop that never touches SQL (runtime/plsql_run.py)."""

from __future__ import annotations

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, Session
from oracle_asyncio.testing.sql.runtime import plsql_run, plsql_values
from tests.testing.plsql_helpers import fails, out
from tests.testing.test_server_limits import StepClock


@pytest.fixture
def s(db: Database) -> Session:
    return db.session(user="scott", sid=11, serial=22)


def test_statement_cap_ends_an_endless_loop(s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plsql_run, "MAX_STATEMENTS", 5_000)
    e = fails(s, "begin\n  loop\n    null;\n  end loop;\nend;")
    assert e.code == 6500 and e.message.startswith("ORA-06500: PL/SQL: storage error (more than 5000 PL/SQL")
    # WHEN OTHERS cannot swallow it either, and the session goes on
    assert fails(s, "begin loop null; end loop; exception when others then null; end;").code == 6500
    assert out(s, "begin :r := 1; end;") == 1


def test_one_extend_cannot_allocate_without_bound(s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    # EXTEND(2000000000) was one statement filling the server's memory (MemoryError, or the process killed)
    monkeypatch.setattr(plsql_values, "MAX_EXTEND", 1_000, raising=False)
    e = fails(s, "declare type nt is table of number; t nt := nt(); begin t.extend(5000); end;")
    assert e.code == 6500 and "EXTEND of more than 1000 elements" in e.message
    assert out(s, "declare type nt is table of number; t nt := nt(); begin t.extend(1000); :r := t.count; end;") == 1000


def test_recursion_depth_is_bounded(s: Session) -> None:
    e = fails(s, """declare function f(n number) return number is begin return f(n + 1); end;
      begin :r := f(1); end;""", None)
    assert e.code == 36 and "maximum number of recursive SQL levels (50) exceeded" in e.message


def test_statement_timeout_stops_a_plsql_loop_and_the_session_lives_on() -> None:
    with EmbeddedServer(statement_timeout=10.0, clock=StepClock(0.5)).threaded() as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        conn.call_timeout = 10_000  # a regression fails the test (DPY-4024) instead of hanging it
        cursor = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-56735"):
            cursor.execute("declare n number := 0; begin loop n := n + 1; end loop; end;")
        cursor.execute("select 7 from dual")
        assert cursor.fetchall() == [(7,)]
