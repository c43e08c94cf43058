"""Logons of users made by SQL (issue 18): a created user logs on with its password once it holds
CREATE SESSION (ORA-01045 before), a locked one gets ORA-28000, a dropped one ORA-01017, and a
proxy logon (``main[client]``) needs ALTER USER client GRANT CONNECT THROUGH main (ORA-28150)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(users={"boss": "pw", "main": "mainpw", "client": "clientpw"}, admins=["boss"]).threaded() as s:
        yield s


@pytest.fixture
def boss(server: EmbeddedServer) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="boss", password="pw", dsn=server.dsn) as conn:
        yield conn.cursor()


def logon_error(server: EmbeddedServer, user: str, password: str) -> int:
    with pytest.raises(oracledb.DatabaseError) as info:
        oracledb.connect(user=user, password=password, dsn=server.dsn)
    return int(info.value.args[0].code)


def test_created_user_logs_on(server: EmbeddedServer, boss: oracledb.Cursor) -> None:
    boss.execute('create user newbie identified by "Case1"')
    try:
        assert logon_error(server, "newbie", "Case1") == 1045
        boss.execute("grant create session to newbie")
        assert logon_error(server, "newbie", "case1") == 1017  # passwords keep their case
        with oracledb.connect(user="newbie", password="Case1", dsn=server.dsn) as conn:
            assert conn.cursor().execute("select user from dual").fetchall() == [("NEWBIE",)]
            with pytest.raises(oracledb.DatabaseError) as info:
                boss.execute("drop user newbie")
            assert info.value.args[0].code == 1940
        boss.execute("alter user newbie account lock")
        assert logon_error(server, "newbie", "Case1") == 28000
        boss.execute("alter user newbie identified by Next2 account unlock")
        oracledb.connect(user="newbie", password="Next2", dsn=server.dsn).close()
    finally:
        boss.execute("drop user newbie cascade")
    assert logon_error(server, "newbie", "Next2") == 1017


def test_revoked_create_session_refuses_logon(server: EmbeddedServer, boss: oracledb.Cursor) -> None:
    boss.execute("create user temp identified by pw")
    boss.execute("grant connect to temp")
    oracledb.connect(user="temp", password="pw", dsn=server.dsn).close()
    boss.execute("revoke connect from temp")
    assert logon_error(server, "temp", "pw") == 1045
    boss.execute("drop user temp")


def test_proxy_logon_needs_connect_through(server: EmbeddedServer, boss: oracledb.Cursor) -> None:
    assert logon_error(server, "main[client]", "mainpw") == 28150
    boss.execute("alter user client grant connect through main")
    try:
        with oracledb.connect(user="main[client]", password="mainpw", dsn=server.dsn) as conn:
            assert conn.cursor().execute("select user from dual").fetchall() == [("CLIENT",)]
            assert conn.cursor().execute(
                "select sys_context('userenv', 'session_user'), sys_context('userenv', 'proxy_user'),"
                " sys_context('userenv', 'authenticated_identity') from dual").fetchall() == [
                ("CLIENT", "MAIN", "MAIN")]
        with oracledb.connect(user="client", password="clientpw", dsn=server.dsn) as conn:
            assert conn.cursor().execute("select sys_context('userenv', 'proxy_user') from dual").fetchall() == [
                (None,)]
    finally:
        boss.execute("alter user client revoke connect through main")
    assert logon_error(server, "main[client]", "mainpw") == 28150


def test_grant_reaches_another_session(server: EmbeddedServer, boss: oracledb.Cursor) -> None:
    with oracledb.connect(user="main", password="mainpw", dsn=server.dsn) as main, \
            oracledb.connect(user="client", password="clientpw", dsn=server.dsn) as client:
        owner, reader = main.cursor(), client.cursor()
        owner.execute("create table ledger (n number)")
        owner.execute("insert into ledger values (7)")
        main.commit()
        with pytest.raises(oracledb.DatabaseError) as info:
            reader.execute("select n from main.ledger")
        assert info.value.args[0].code == 942
        owner.execute("grant select on ledger to client")
        assert reader.execute("select n from main.ledger").fetchall() == [(7,)]
        owner.execute("revoke select on ledger from client")
        with pytest.raises(oracledb.DatabaseError) as info:
            reader.execute("select n from main.ledger")
        assert info.value.args[0].code == 942
        owner.execute("drop table ledger")


def test_token_users_are_accounts() -> None:
    # a token logon has no password, but its user owns a schema like any user in users=
    with EmbeddedServer(users={"scott": "tiger"}, tokens={"opaque-token": "tokuser"}).threaded() as s:
        privileges = s.database.catalog.privileges
        assert privileges.account("TOKUSER") is not None
        assert privileges.has_system("TOKUSER", "CREATE TABLE")
        assert privileges.has_system("TOKUSER", "CREATE SESSION")


def test_reset_database_forgets_sql_users_and_restores_configured_ones() -> None:
    with EmbeddedServer(users={"boss": "pw", "app": "apppw"}, admins=["boss"]).threaded() as s:
        with oracledb.connect(user="boss", password="pw", dsn=s.dsn) as conn:
            cursor = conn.cursor()
            cursor.execute("create user extra identified by pw")
            cursor.execute("grant create session to extra")
            cursor.execute("drop user app")
        assert logon_error(s, "app", "apppw") == 1017
        s.reset_database()
        assert logon_error(s, "extra", "pw") == 1017
        oracledb.connect(user="app", password="apppw", dsn=s.dsn).close()


def test_replace_checks_the_old_password(server: EmbeddedServer, boss: oracledb.Cursor) -> None:
    boss.execute('create user mover identified by "Old1"')
    try:
        boss.execute("grant create session, alter user to mover")
        with oracledb.connect(user="mover", password="Old1", dsn=server.dsn) as conn:
            cur = conn.cursor()
            with pytest.raises(oracledb.DatabaseError) as info:
                cur.execute('alter user mover identified by "New1" replace "Wrong1"')
            assert info.value.args[0].code == 28008
            assert "Wrong1" not in info.value.args[0].message and "New1" not in info.value.args[0].message
            cur.execute('alter user mover identified by "New1" replace "Old1"')
        assert logon_error(server, "mover", "Old1") == 1017  # the wrong REPLACE changed nothing; the right one did
        oracledb.connect(user="mover", password="New1", dsn=server.dsn).close()
    finally:
        boss.execute("drop user mover cascade")
