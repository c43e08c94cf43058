"""Issue 15's closing test: one pool whose connect string uses all of it at once.

A tnsnames.ora alias (read through ``config_dir``) names a descriptor with failover over
three tcps addresses: a listener that refuses (ORA-12516), a port nobody listens on, and a
listener reached through an HTTPS proxy that REDIRECTs to the embedded server; the
connect data asks for a DRCP pooled server with a connection class and purity SELF, and
the security section keeps DN matching on.  Every wait is bounded; loopback only.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer, Listener
from tests.asyncio.test_https_proxy import ConnectProxy
from tests.asyncio.test_listener import _Pki, free_port

pytest.importorskip("trustme")

BOUND = 30.0


def test_a_pool_whose_alias_uses_failover_tls_a_proxy_a_redirect_and_drcp(tmp_path: Path) -> None:
    pki = _Pki(tmp_path)

    async def body(proxy: ConnectProxy) -> None:
        async with EmbeddedServer(tls=pki.tls) as server, \
                Listener(redirect_to=server, tls=pki.tls) as redirector, \
                Listener(refuse_with=12516, tls=pki.tls) as refuser:
            dead = free_port()

            def address(port: int, extra: str = "") -> str:
                return f"(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)(PORT={port}){extra})"

            via_proxy = f"(HTTPS_PROXY=127.0.0.1)(HTTPS_PROXY_PORT={proxy.port})"
            (tmp_path / "tnsnames.ora").write_text(
                "# the application's alias\n"
                "everything =\n"
                "  (DESCRIPTION=(FAILOVER=on)(LOAD_BALANCE=off)(RETRY_COUNT=1)(RETRY_DELAY=0)\n"
                "    (TRANSPORT_CONNECT_TIMEOUT=5)\n"
                f"    (ADDRESS_LIST={address(refuser.port)}{address(dead)}{address(redirector.port, via_proxy)})\n"
                "    (CONNECT_DATA=(SERVICE_NAME=FREEPDB1)(SERVER=POOLED)\n"
                "      (POOL_CONNECTION_CLASS=ALLIN)(POOL_PURITY=SELF))\n"
                "    (SECURITY=(SSL_SERVER_DN_MATCH=on)))\n")
            pool = oracle_asyncio.create_pool_async(
                user="scott", password="tiger", dsn="everything", config_dir=str(tmp_path),
                ssl_context=pki.context(), min=1, max=2)
            try:
                async with pool.acquire() as conn:
                    cursor = conn.cursor()
                    await cursor.execute("select user from dual")
                    assert await cursor.fetchone() == ("SCOTT",)
                    assert conn.protocol == "tcps"
                    # DRCP: the class reached the server through the REDIRECT (sessions end at close).
                    assert {record.cclass for record in server.sessions} == {"ALLIN"}
            finally:
                await pool.close(force=True)
            assert refuser.connects, "the first address was not tried"
            assert redirector.connects, "the third address was not reached"

    with ConnectProxy() as proxy:
        asyncio.run(asyncio.wait_for(body(proxy), BOUND))
    assert proxy.heads and proxy.heads[0].startswith(b"CONNECT localhost:")
