"""Proxy logon in oracle_asyncio as in python-oracledb: ``user="main[client]"`` (or ``proxy_user=``)
logs main on for client; PROXY_CLIENT_NAME rides in AUTH phase two (python-oracledb's test_5517
creates a pool that way).  The embedded server checks ALTER USER client GRANT CONNECT THROUGH main."""

from __future__ import annotations

from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.params import split_proxy
from tests.asyncio.test_connection_cursor import run

oracledb = pytest.importorskip("oracledb")

_WHO = "select user, sys_context('userenv', 'proxy_user') from dual"


@pytest.mark.parametrize(("user", "proxy", "expected"), [
    ("main[client]", None, ("main", "client")),
    ("main", "client", ("main", "client")),
    ("main[client]", "other", ("main[client]", "other")),  # an explicit proxy_user wins, as python-oracledb
    ("main", None, ("main", None)),
    (None, None, ("", None)),
])
def test_split_proxy(user: str | None, proxy: str | None, expected: tuple[str, str | None]) -> None:
    assert split_proxy(user, proxy) == expected


def test_standalone_and_pooled_proxy_logons_match_python_oracledb() -> None:
    async def body(server: EmbeddedServer) -> None:
        admin = await oracle_asyncio.connect_async(user="main", password="mainpw", dsn=server.dsn)
        seen: dict[str, list[Any]] = {}
        for lib in (oracledb, oracle_asyncio):
            with pytest.raises(lib.DatabaseError) as info:  # no CONNECT THROUGH yet
                await lib.connect_async(user="main[client]", password="mainpw", dsn=server.dsn)
            got = seen[lib.__name__] = [info.value.args[0].code]
        await admin.cursor().execute("alter user client grant connect through main")
        for lib in (oracledb, oracle_asyncio):
            got = seen[lib.__name__]
            for kwargs in ({"user": "main[client]"}, {"user": "main", "proxy_user": "client"}):
                conn = await lib.connect_async(password="mainpw", dsn=server.dsn, **kwargs)
                cur = conn.cursor()
                await cur.execute(_WHO)
                got.append((await cur.fetchone(), conn.proxy_user))
                await conn.close()
            pool = lib.create_pool_async(user="main[client]", password="mainpw", dsn=server.dsn, min=1, max=2)
            try:
                async with pool.acquire() as conn:
                    cur = conn.cursor()
                    await cur.execute(_WHO)
                    got.append(await cur.fetchone())
            finally:
                await pool.close(force=True)
        await admin.close()
        assert seen["oracle_asyncio"] == seen["oracledb"]
        assert seen["oracle_asyncio"][0] == 28150
        assert seen["oracle_asyncio"][-1] == ("CLIENT", "MAIN")

    run(body, users={"main": "mainpw", "client": "clientpw"}, admins={"main"})
