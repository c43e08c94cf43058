"""Change password against the embedded server, by python-oracledb 26.1 (sync,
thin) and by our driver: in session (``changepassword``) and at logon
(``newpassword=``).  Afterwards the new password logs on and the old one
fails ORA-01017 (issue 12, item 6)."""

from __future__ import annotations

import asyncio

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop


def _sync_logon_fails(dsn: str, password: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
        oracledb.connect(user="scott", password=password, dsn=dsn)


@pytest.mark.parametrize("verifier", ["12c", "11g"])
def test_python_oracledb_changepassword(verifier: str) -> None:
    with EmbeddedServer(verifier=verifier).threaded() as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        with pytest.raises(oracledb.DatabaseError, match="ORA-28008"):
            conn.changepassword("wrong", "lion")
        conn.changepassword("tiger", "lion")
        with conn.cursor() as cur:  # the session goes on
            cur.execute("select 1 from dual")
            assert cur.fetchall() == [(1,)]
        conn.close()
        oracledb.connect(user="scott", password="lion", dsn=server.dsn).close()
        _sync_logon_fails(server.dsn, "tiger")


def test_python_oracledb_newpassword_at_logon() -> None:
    with EmbeddedServer().threaded() as server:
        conn = oracledb.connect(user="scott", password="tiger", newpassword="lion", dsn=server.dsn)
        conn.ping()
        conn.close()
        oracledb.connect(user="scott", password="lion", dsn=server.dsn).close()
        _sync_logon_fails(server.dsn, "tiger")
        _sync_logon_fails(server.dsn, "nope")


def test_our_driver_changepassword_and_newpassword() -> None:
    async def main() -> None:
        async with EmbeddedServer() as server:
            dsn = server.dsn
            conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-28008"):
                await conn.changepassword("wrong", "lion")
            await conn.changepassword("tiger", "lion")
            await conn.ping()
            await conn.close()
            conn = await oracle_asyncio.connect_async(user="scott", password="lion", newpassword="puma", dsn=dsn)
            await conn.close()
            for old in ("tiger", "lion"):
                with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
                    await oracle_asyncio.connect_async(user="scott", password=old, dsn=dsn)
            conn = await oracle_asyncio.connect_async(user="scott", password="puma", dsn=dsn)
            await conn.close()

    asyncio.run(asyncio.wait_for(main(), 60))


def test_newpassword_is_never_shown() -> None:
    params = oracle_asyncio.ConnectParams(user="scott", password="tiger", newpassword="lion")
    assert "lion" not in repr(params) and "tiger" not in repr(params)


def test_expired_password_then_newpassword() -> None:
    with EmbeddedServer(expired_users=frozenset({"scott"})).threaded() as server:
        with pytest.raises(oracledb.DatabaseError, match="ORA-28001"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        _sync_logon_fails(server.dsn, "nope")  # a wrong password is still ORA-01017
        oracledb.connect(user="scott", password="tiger", newpassword="lion", dsn=server.dsn).close()
        oracledb.connect(user="scott", password="lion", dsn=server.dsn).close()
        _sync_logon_fails(server.dsn, "tiger")
