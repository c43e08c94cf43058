"""The embedded listener (``oracle_asyncio.testing.Listener``) with both clients.

Our driver and python-oracledb thin (async API, same loop) follow a two-hop
REDIRECT chain to the server, also to a TCPS server; a refusal gives the same
error class and code in both; and an address list whose first address refuses
and second does not listen ends on the third for both.  Loopback only, bounded.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer, Listener, TlsConfig, address_of

oracledb = pytest.importorskip("oracledb")

BOUND = 20  # seconds: every wait here is bounded

Connect = Callable[..., Awaitable[Any]]


async def ours(dsn: str, **kw: Any) -> Any:
    async with oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, **kw) as conn:
        return (await conn.fetchone("select user from dual"))[0], conn.session_id


async def theirs(dsn: str, **kw: Any) -> Any:
    conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn, **kw)
    try:
        cursor = conn.cursor()
        await cursor.execute("select user, sys_context('userenv', 'sid') from dual")
        user, sid = await cursor.fetchone()
        return user, int(sid)
    finally:
        await conn.close()


CLIENTS = {"ours": ours, "python-oracledb": theirs}


def run(body: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(body(), BOUND)
    return asyncio.run(bounded())


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def description(*addresses: str, service: str = "FREEPDB1") -> str:
    return (f"(DESCRIPTION=(ADDRESS_LIST={''.join(addresses)})"
            f"(CONNECT_DATA=(SERVICE_NAME={service})))")


@pytest.mark.parametrize("client", CLIENTS)
def test_a_two_hop_redirect_chain_reaches_the_server(client: str) -> None:
    async def body() -> None:
        async with EmbeddedServer() as server, Listener(redirect_to=server) as second, \
                Listener(redirect_to=second) as first:
            user, sid = await CLIENTS[client](first.dsn)
            assert user == "SCOTT"
            assert (len(first.connects), len(second.connects)) == (1, 1)
            assert second.connects[0].service_name == "FREEPDB1"
        assert sid >= 10  # a session of the embedded server

    run(body)


class _Pki:
    """A throw-away CA and a server certificate for localhost."""

    def __init__(self, tmp: Path) -> None:
        trustme = pytest.importorskip("trustme")
        self.ca = trustme.CA()
        pem = tmp / "server.pem"
        self.ca.issue_cert("localhost").private_key_and_cert_chain_pem.write_to_path(str(pem))
        self.tls = TlsConfig(cert=str(pem))

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


def test_a_tcps_listener_redirects_to_a_tcps_server(tmp_path: Path) -> None:
    pki = _Pki(tmp_path)

    async def body() -> None:
        async with EmbeddedServer(tls=pki.tls) as server, Listener(redirect_to=server, tls=pki.tls) as second, \
                Listener(redirect_to=second, tls=pki.tls) as first:
            assert first.dsn.startswith("tcps://localhost:")
            assert second.address.startswith("(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)")
            for client in CLIENTS.values():
                user, _ = await client(first.dsn, ssl_context=pki.context())
                assert user == "SCOTT"
            assert (len(first.connects), len(second.connects)) == (2, 2)

    run(body)


def test_a_plain_listener_naming_a_tcps_server(tmp_path: Path) -> None:
    """Our driver follows a REDIRECT that names tcps with TLS; python-oracledb keeps
    the first address's protocol (protocol.pyx: only host and port are taken), so
    it speaks plaintext to the TLS port and fails (README: differences)."""
    pki = _Pki(tmp_path)

    async def body() -> None:
        async with EmbeddedServer(tls=pki.tls) as server, Listener(redirect_to=server) as listener:
            assert (await ours(listener.dsn, ssl_context=pki.context()))[0] == "SCOTT"
            assert await failure(theirs, listener.dsn, ssl_context=pki.context()) == (
                "OperationalError", "DPY-6005,DPY-4011")

    run(body)


async def failure(client: Connect, dsn: str, **kw: Any) -> tuple[str, str]:
    """The error class and the DPY codes of a failed connect (DPY-6005, then its cause's)."""
    with pytest.raises(Exception) as info:
        await client(dsn, **kw)
    exc = info.value
    codes = [line.split(":")[0] for line in str(exc).splitlines() if line.startswith("DPY-")]
    return type(exc).__name__, ",".join(codes)


@pytest.mark.parametrize(("code", "dpy"), [(12514, "DPY-6001"), (12505, "DPY-6003"), (12516, "DPY-6000")])
def test_a_refusal_fails_alike_in_both_clients(code: int, dpy: str) -> None:
    async def body() -> None:
        async with Listener(refuse_with=code) as listener:
            dsn = listener.dsn if code != 12505 else (
                f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={listener.port}))"
                f"(CONNECT_DATA=(SID=ORCL)))")
            mine = await failure(ours, dsn)
            other = await failure(theirs, dsn)
            assert mine == other
            assert dpy in mine[1]
            assert len(listener.connects) == 2

    run(body)


@pytest.mark.parametrize("code", [12516, 12514])
@pytest.mark.parametrize("client", CLIENTS)
def test_failover_past_a_refusal_and_a_dead_address(client: str, code: int) -> None:
    async def body() -> None:
        async with EmbeddedServer() as server, Listener(refuse_with=code) as refusing:
            dead = f"(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={free_port()}))"
            user, sid = await CLIENTS[client](description(refusing.address, dead, address_of(server)))
            assert user == "SCOTT"
            assert len(refusing.connects) == 1

    run(body)


def test_the_listener_checks_its_options() -> None:
    with pytest.raises(ValueError, match="not a listener error"):
        Listener(refuse_with=1017)
    with pytest.raises(ValueError, match="not both"):
        Listener(redirect_to="(ADDRESS=(PROTOCOL=tcp)(HOST=h)(PORT=1))", refuse_with=12514)
