"""AsyncConnection attributes read the same through python-oracledb and ours
against the same embedded server."""

from __future__ import annotations

from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run

oracledb = pytest.importorskip("oracledb")

_NAMES = ("service_name", "instance_name", "db_name", "db_domain", "max_open_cursors", "max_identifier_length",
          "host", "port", "protocol", "sdu", "warning", "thin", "username", "dsn", "stmtcachesize", "autocommit",
          "call_timeout", "version", "transaction_in_progress")


@pytest.mark.interop
def test_attributes_match_python_oracledb() -> None:
    async def body(server: EmbeddedServer) -> None:
        seen: dict[str, list[Any]] = {}
        for lib in (oracledb, oracle_asyncio):
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn)
            seen[lib.__name__] = [getattr(conn, n) for n in _NAMES]
            conn.autocommit = True
            conn.call_timeout = 1500
            conn.stmtcachesize = 5
            assert (conn.autocommit, conn.call_timeout, conn.stmtcachesize) == (True, 1500, 5)
            for name in ("version", "thin", "username", "dsn", "session_id"):
                with pytest.raises(AttributeError):
                    setattr(conn, name, 1)
            await conn.close()
            with pytest.raises(lib.InterfaceError, match="DPY-1001"):
                await conn.ping()
        assert seen["oracle_asyncio"] == seen["oracledb"]

    run(body)


@pytest.mark.interop
def test_current_schema_reaches_the_server_like_python_oracledb() -> None:
    async def body(server: EmbeddedServer) -> None:
        seen: dict[str, list[Any]] = {}
        for lib in (oracledb, oracle_asyncio):
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn)
            before = conn.current_schema
            conn.current_schema = "HR"  # sent as a SET_SCHEMA piggyback with the next call
            row = await conn.fetchone("select sys_context('userenv', 'current_schema') from dual")
            seen[lib.__name__] = [before, conn.current_schema, row]
            await conn.close()
        assert seen["oracle_asyncio"] == seen["oracledb"]
        assert seen["oracledb"][1:] == ["HR", ("HR",)]

    run(body)
