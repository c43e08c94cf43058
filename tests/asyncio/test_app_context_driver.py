"""oracle_asyncio's application context API is python-oracledb's: appcontext= at connect,
set_app_context / clear_app_context sent with the next round trip, the same ValueError /
TypeError cases (python-oracledb's test_1102, test_1163), against the embedded server."""

from __future__ import annotations

from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run

oracledb = pytest.importorskip("oracledb")

_ENTRIES = [("CLIENTCONTEXT", "ATTR1", "VALUE1"), ("clientcontext", "attr2", "VALUE2")]


def test_both_drivers_read_and_change_the_context_alike() -> None:
    async def body(server: EmbeddedServer) -> None:
        seen: dict[str, list[Any]] = {}
        for lib in (oracledb, oracle_asyncio):
            got = seen[lib.__name__] = []
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn, appcontext=_ENTRIES)
            cur = conn.cursor()
            for namespace, name, _ in _ENTRIES:
                await cur.execute("select sys_context(:1, :2) from dual", (namespace, name))
                got.append(await cur.fetchone())
            conn.set_app_context("CLIENTCONTEXT", ATTR1="X1")
            conn.set_app_context("CLIENTCONTEXT", ATTR3="X3")
            sql = "select sys_context(:ns, 'ATTR1'), sys_context(:ns, 'ATTR3') from dual"
            await cur.execute(sql, ns="CLIENTCONTEXT")
            got.append(await cur.fetchone())
            conn.clear_app_context("CLIENTCONTEXT")
            await cur.execute(sql, ns="CLIENTCONTEXT")
            got.append(await cur.fetchone())
            with conn.cursor() as other:  # a cursor's close rides in the same request (it once ate the context)
                await other.execute("alter session set time_zone = '+00:00'")
            conn.set_app_context("NOT_A_VALID_NAMESPACE", attr="value")
            with pytest.raises(lib.DatabaseError, match="ORA-28267"):
                await conn.ping()
            await conn.ping()  # the session lives on
            await conn.close()
            with pytest.raises(lib.InterfaceError, match="DPY-1001"):
                conn.set_app_context("CLIENTCONTEXT", a="b")
        assert seen["oracle_asyncio"] == seen["oracledb"] == [
            ("VALUE1",), ("VALUE2",), ("X1", "X3"), (None, None)]

    run(body)


def test_invalid_arguments_raise_as_python_oracledb() -> None:
    async def body(server: EmbeddedServer) -> None:
        for lib in (oracledb, oracle_asyncio):
            conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn)
            for namespace, values in (("", {"attr": "value"}), ("CLIENTCONTEXT", {}),
                                      ("CLIENTCONTEXT", {"X" * 129: "value"}),
                                      ("CLIENTCONTEXT", {"attr": "X" * 4001})):
                with pytest.raises(ValueError):
                    conn.set_app_context(namespace, **values)
            with pytest.raises(ValueError):
                conn.clear_app_context("")
            await conn.ping()
            await conn.close()
            for bad, error in (([("userenv", "action")], TypeError), ([("", "action", "value")], ValueError),
                               ([("userenv", "x" * 129, "value")], ValueError),
                               ([("userenv", "action", "x" * 4001)], ValueError), ("text", TypeError)):
                with pytest.raises(error):
                    await lib.connect_async(user="scott", password="tiger", dsn=server.dsn, appcontext=bad)

    run(body)


def test_connect_params_keep_appcontext() -> None:
    params = oracle_asyncio.ConnectParams(appcontext=_ENTRIES)
    assert params.appcontext == _ENTRIES
    assert oracle_asyncio.ConnectParams().appcontext is None
