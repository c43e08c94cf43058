"""Application context on the embedded server: the per-session store SYS_CONTEXT reads
(runtime/appcontext.py), SYS_CONTEXT evaluated per row with binds and columns, and
python-oracledb's appcontext= / set_app_context / clear_app_context over the wire, with
ORA-28267 for a namespace a client may not set and the session living on."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from oracle_sansio.connection.events import AppContextChanged

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing._appctx import apply_change, apply_logon
from oracle_asyncio.testing.sql import Database
from oracle_asyncio.testing.sql.engine import Session
from oracle_asyncio.testing.sql.errors import OraError
from oracle_asyncio.testing.sql.runtime import appcontext


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    s = db.session(user="scott", sid=7, serial=1)
    yield s
    s.close()


def _one(s: Session, sql: str, binds: tuple[object, ...] = ()) -> tuple[object, ...]:
    names = [str(i + 1) for i in range(len(binds))]
    rows = list(s.execute(sql, list(binds), bind_names=names).rows or [])
    return tuple(rows[0])


def test_store_is_per_session_and_case_insensitive(db: Database, session: Session) -> None:
    other = db.session(user="scott", sid=8, serial=1)
    appcontext.set_context(session, "ClientContext", "attr1", "v1")
    assert appcontext.context_value(session, "CLIENTCONTEXT", "ATTR1") == "v1"
    assert appcontext.contexts(session) == {("CLIENTCONTEXT", "ATTR1"): "v1"}
    assert appcontext.context_value(other, "CLIENTCONTEXT", "ATTR1") is None
    appcontext.set_context(session, "clientcontext", "attr2", "v2")
    appcontext.clear_context(session, "CLIENTCONTEXT", "Attr1")
    assert appcontext.contexts(session) == {("CLIENTCONTEXT", "ATTR2"): "v2"}
    appcontext.clear_context(session, "clientcontext")
    assert appcontext.contexts(session) == {}
    other.close()


def test_sys_context_takes_binds_and_columns(session: Session) -> None:
    appcontext.set_context(session, "CLIENTCONTEXT", "ATTR1", "VALUE1")
    appcontext.set_context(session, "CLIENTCONTEXT", "ATTR2", "VALUE2")
    assert _one(session, "select sys_context(:1, :2) from dual", ("clientcontext", "attr1")) == ("VALUE1",)
    session.execute("create table names (n varchar2(10))")
    session.execute("insert into names values ('ATTR1')")
    session.execute("insert into names values ('attr2')")
    rows = list(session.execute("select sys_context('CLIENTCONTEXT', n) from names order by n").rows or [])
    assert rows == [("VALUE1",), ("VALUE2",)]
    # USERENV through a bind reads the session as the literal form does
    assert _one(session, "select sys_context(:1, 'SESSION_USER'), sys_context('USERENV', 'SESSION_USER') from dual",
                ("userenv",)) == ("SCOTT", "SCOTT")
    assert _one(session, "select sys_context(:1, :2) from dual", (None, "x")) == (None,)
    with pytest.raises(OraError) as info:
        _one(session, "select sys_context(:1, 'NO_SUCH_KEY') from dual", ("USERENV",))
    assert info.value.code == 2003


def test_sys_context_reads_the_store_at_each_execution(session: Session) -> None:
    sql = "select sys_context('CLIENTCONTEXT', 'A') from dual"
    assert _one(session, sql) == (None,)
    appcontext.set_context(session, "CLIENTCONTEXT", "A", "1")
    assert _one(session, sql) == ("1",)


def test_sys_context_length(session: Session) -> None:
    appcontext.set_context(session, "CLIENTCONTEXT", "LONG", "é" * 300)
    assert _one(session, "select length(sys_context('CLIENTCONTEXT', 'LONG')), "
                         "length(sys_context('CLIENTCONTEXT', 'LONG', 4000)), "
                         "length(sys_context('CLIENTCONTEXT', 'LONG', 10)), "
                         "length(sys_context('CLIENTCONTEXT', 'LONG', 0)) from dual") == (128, 300, 5, 128)


def test_client_namespaces() -> None:
    assert appcontext.client_may_set("clientContext")
    assert not appcontext.client_may_set("USERENV") and not appcontext.client_may_set("MY_CTX")


# ---- over the wire, python-oracledb (test_1101, test_1163, test_1164) ----------------------

def test_logon_context_read_with_binds(server: EmbeddedServer) -> None:
    entries = [("CLIENTCONTEXT", "ATTR1", "VALUE1"), ("clientcontext", "attr2", "VALUE2")]
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn, appcontext=entries) as conn:
        cur = conn.cursor()
        for namespace, name, value in entries:
            cur.execute("select sys_context(:1, :2) from dual", (namespace, name))
            assert cur.fetchone() == (value,)


def test_set_and_clear_with_the_next_round_trip(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        cur = conn.cursor()
        conn.set_app_context("CLIENTCONTEXT", ATTR1="VALUE1")
        conn.set_app_context("CLIENTCONTEXT", ATTR2="VALUE2")
        cur.execute("select sys_context(:ns, 'ATTR1'), sys_context(:ns, 'ATTR2') from dual", ns="CLIENTCONTEXT")
        assert cur.fetchone() == ("VALUE1", "VALUE2")
        conn.clear_app_context("CLIENTCONTEXT")
        cur.execute(None, ns="CLIENTCONTEXT")
        assert cur.fetchone() == (None, None)


def test_namespace_a_client_may_not_set_is_ora_28267_and_the_session_lives(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        conn.set_app_context("NOT_A_VALID_NAMESPACE", attr="value")
        conn.set_app_context("CLIENTCONTEXT", attr="kept")
        with pytest.raises(oracledb.DatabaseError, match="ORA-28267"):
            conn.ping()
        conn.ping()
        cur = conn.cursor()
        cur.execute("select sys_context('CLIENTCONTEXT', 'ATTR'), sys_context('NOT_A_VALID_NAMESPACE', 'ATTR') "
                    "from dual")
        assert cur.fetchone() == ("kept", None)


def test_logon_namespace_a_client_may_not_set_fails_the_first_call(server: EmbeddedServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn,
                          appcontext=[("MY_CTX", "A", "1")]) as conn:
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-28267"):
            cur.execute("select 1 from dual")
        cur.execute("select sys_context('MY_CTX', 'A') from dual")
        assert cur.fetchone() == (None,)


def test_sys_context_in_plsql_with_a_variable(session: Session) -> None:
    appcontext.set_context(session, "CLIENTCONTEXT", "A", "V1")
    session.execute("create table t (v varchar2(100))")
    session.execute("declare x varchar2(100); ns varchar2(30) := 'clientcontext'; begin "
                    "x := sys_context(ns, 'a'); insert into t values (x); end;")
    assert list(session.execute("select v from t").rows or []) == [("V1",)]


def test_the_piggyback_path_is_bounded_by_the_shared_store(session: Session) -> None:
    """A client's piggybacked changes go into the same bounded store as DBMS_SESSION.SET_CONTEXT:
    past MAX_ENTRIES entries a change is ORA-28268, the values before it stay set."""

    values = tuple((f"a{i}", "v") for i in range(appcontext.MAX_ENTRIES + 5))
    error = apply_change(session, AppContextChanged(namespace="CLIENTCONTEXT", values=values))
    assert error is not None and error.code == 28268
    assert len(appcontext.contexts(session)) == appcontext.MAX_ENTRIES
    assert apply_change(session, AppContextChanged(namespace="CLIENTCONTEXT", values=(("a0", "again"),))) is None  # no growth
    logon = apply_logon(session, [("CLIENTCONTEXT", "new", "v")])
    assert logon is not None and logon.code == 28268
