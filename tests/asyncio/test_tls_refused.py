"""TLS is not built yet: every way of asking for it fails with DPY-3001 (NotSupportedError,
naming TLS) before a socket is opened, and nothing falls back to plain TCP.

Each case points at a loopback listener that counts the connections it accepts, and
``create_connection`` is wrapped to count attempts: both must stay at zero.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import ConnectParams, PoolParams
from oracle_asyncio._connect import open_session
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.dsn import parse_dsn
from tests.asyncio.test_driver_network import Listener

#: Every TLS keyword, set to a value other than its default.
TLS_KEYWORDS: dict[str, Callable[[], Any]] = {
    "protocol": lambda: "tcps",
    "ssl_server_dn_match": lambda: False,
    "ssl_server_cert_dn": lambda: "CN=db",
    "wallet_location": lambda: "/wallet",
    "wallet_password": lambda: "wallet-pw",
    "ssl_context": ssl.create_default_context,
    "ssl_version": lambda: ssl.TLSVersion.TLSv1_2,
    "use_sni": lambda: True,
    "use_eztls": lambda: True,
}


class Recorder:
    """A listener on 127.0.0.1 that counts accepted connections, and a count of
    every ``create_connection`` the event loop was asked for."""

    def __init__(self) -> None:
        self.accepted = 0
        self.opened = 0
        self.port = 0


@asynccontextmanager
async def recorder(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Recorder]:
    rec = Recorder()

    def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        rec.accepted += 1
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    rec.port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    real = loop.create_connection

    async def counting(*args: Any, **kwargs: Any) -> Any:
        rec.opened += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(loop, "create_connection", counting)
    try:
        yield rec
    finally:
        # Give a connection that was (wrongly) started time to arrive before counting.
        for _ in range(20):
            await asyncio.sleep(0)
        server.close()
        await server.wait_closed()
        assert (rec.accepted, rec.opened) == (0, 0), "a socket was opened for a TLS request"


def dsns(port: int) -> Iterator[str]:
    yield f"tcps://127.0.0.1:{port}/svc"
    yield f"TCPS://127.0.0.1:{port}/svc"
    yield f"scott/tiger@tcps://127.0.0.1:{port}/svc"
    yield f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=127.0.0.1)(PORT={port}))(CONNECT_DATA=(SERVICE_NAME=svc)))"
    # A plain-TCP address first: not even that one may be tried when another asks for TLS.
    yield (f"(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))"
           f"(ADDRESS=(PROTOCOL=tcps)(HOST=127.0.0.1)(PORT={port})))(CONNECT_DATA=(SERVICE_NAME=svc)))")
    yield (f"(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port})))"
           f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=127.0.0.1)(PORT={port})))"
           "(CONNECT_DATA=(SERVICE_NAME=svc)))")
    # TLS settings inside a plain-TCP connect string.
    yield f"127.0.0.1:{port}/svc?ssl_server_cert_dn=CN=db"
    yield f"127.0.0.1:{port}/svc?wallet_location=/wallet"
    yield f"127.0.0.1:{port}/svc?ssl_server_dn_match=off"
    yield f"127.0.0.1:{port}/svc?use_sni=on"
    yield (f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))(CONNECT_DATA=(SERVICE_NAME=svc))"
           "(SECURITY=(SSL_SERVER_CERT_DN=\"CN=db\")))")
    yield (f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))(CONNECT_DATA=(SERVICE_NAME=svc))"
           "(SECURITY=(MY_WALLET_DIRECTORY=/wallet)))")


def refused() -> Any:
    return pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: TLS")


def test_connect_async_refuses_tls_before_any_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body() -> None:
        async with recorder(monkeypatch) as rec:
            for dsn in dsns(rec.port):
                with refused():
                    await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
            for name, value in TLS_KEYWORDS.items():
                with refused():
                    await oracle_asyncio.connect_async(user="scott", password="tiger", host="127.0.0.1",
                                                       port=rec.port, service_name="svc", **{name: value()})
                params = ConnectParams(user="scott", password="tiger", host="127.0.0.1", port=rec.port,
                                       service_name="svc", **{name: value()})
                with refused():
                    await oracle_asyncio.connect_async(params=params)
                with refused():  # a plain DSN does not cancel the TLS request held by params
                    await oracle_asyncio.connect_async(params=params, dsn=f"127.0.0.1:{rec.port}/svc")

    asyncio.run(body())


def test_pools_refuse_tls_at_creation(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body() -> None:
        async with recorder(monkeypatch) as rec:
            for dsn in dsns(rec.port):
                with refused():
                    oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=dsn, min=1)
                with refused():
                    oracle_asyncio.AsyncConnectionPool(dsn, user="scott", password="tiger", min=1)
            for name, value in TLS_KEYWORDS.items():
                with refused():
                    oracle_asyncio.create_pool_async(user="scott", password="tiger", host="127.0.0.1",
                                                     port=rec.port, service_name="svc", min=1, **{name: value()})
                params = PoolParams(user="scott", password="tiger", host="127.0.0.1", port=rec.port,
                                    service_name="svc", min=1, **{name: value()})
                with refused():
                    oracle_asyncio.create_pool_async(params=params)

    asyncio.run(body())


def test_the_last_guard_before_the_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session opened from an already resolved target (as a pool does, or after a
    REDIRECT) is checked again just before its socket."""
    async def body() -> None:
        async with recorder(monkeypatch) as rec:
            target = parse_dsn(f"tcps://127.0.0.1:{rec.port}/svc")
            with refused():
                await open_session(ConnectParams(user="scott", password="tiger"), target, "x")

    asyncio.run(body())


PARSED = [
    "tcps://db.example.com:2484/svc",
    "TCPS://db.example.com/svc",
    "tcp://db.example.com:1521/svc",
    "db.example.com:1521/svc?ssl_server_cert_dn=\"CN=db\"&wallet_location=/w&ssl_server_dn_match=no&use_sni=yes",
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=s)))",
    "(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcp)(HOST=a)(PORT=1))(ADDRESS=(PROTOCOL=tcps)(HOST=b)(PORT=2)))"
    "(CONNECT_DATA=(SERVICE_NAME=s))(SECURITY=(SSL_SERVER_CERT_DN=\"CN=x\")(MY_WALLET_DIRECTORY=/w)"
    "(SSL_SERVER_DN_MATCH=off)))",
]


@pytest.mark.parametrize("text", PARSED)
def test_parse_connect_string_reports_tls_as_python_oracledb(text: str) -> None:
    """Checked against the installed python-oracledb 26.1: the same values come back."""
    oracledb = pytest.importorskip("oracledb")
    theirs = oracledb.ConnectParams()
    theirs.parse_connect_string(text)
    ours = ConnectParams()
    ours.parse_connect_string(text)
    for name in ("protocol", "ssl_server_cert_dn", "wallet_location", "ssl_server_dn_match", "use_sni"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert (ours.host, ours.port) == (theirs.host, theirs.port)  # lists for several addresses, as python-oracledb


def test_parse_connect_string_tcps_without_python_oracledb() -> None:
    p = ConnectParams()
    p.parse_connect_string("tcps://h:2484/svc")
    assert (p.protocol, p.host, p.port, p.service_name) == ("tcps", "h", 2484, "svc")


def test_a_redirect_to_a_tls_address_is_refused() -> None:
    """A listener's REDIRECT naming a TCPS address: the client must not follow it in
    plaintext (here it would reach a real server and log on)."""
    async def body() -> None:
        async with EmbeddedServer() as server:
            tls_address = f"(ADDRESS=(PROTOCOL=tcps)(HOST=127.0.0.1)(PORT={server.port}))"
            async with Listener(lambda conn, ev: conn.redirect(tls_address)) as listener:
                with refused():
                    await asyncio.wait_for(oracle_asyncio.connect_async(
                        user="scott", password="tiger", dsn=f"127.0.0.1:{listener.port}/{server.service_name}"), 10)
                assert len(listener.connects) == 1
            assert server.sessions == []

    asyncio.run(body())


GET_CONNECT_STRING: list[dict[str, Any]] = [
    {"host": "h", "service_name": "s", "protocol": "tcps"},
    {"host": "h", "port": 2484, "service_name": "s", "protocol": "tcps", "ssl_server_cert_dn": "CN=x,O=y",
     "wallet_location": "/w"},
    {"host": "h", "service_name": "s", "protocol": "tcps", "ssl_server_dn_match": False, "use_sni": True},
    {"host": "h", "service_name": "s", "wallet_location": "/w"},
]


@pytest.mark.parametrize("kw", GET_CONNECT_STRING)
def test_get_connect_string_keeps_tls_as_python_oracledb(kw: dict[str, Any]) -> None:
    """A descriptor built from TLS parameters still asks for TLS (no downgrade when it is
    used as a DSN), in python-oracledb 26.1's words."""
    oracledb = pytest.importorskip("oracledb")
    assert ConnectParams(**kw).get_connect_string() == oracledb.ConnectParams(**kw).get_connect_string()


def test_a_descriptor_built_from_tls_parameters_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body() -> None:
        async with recorder(monkeypatch) as rec:
            built = ConnectParams(host="127.0.0.1", port=rec.port, service_name="svc", protocol="tcps")
            with refused():
                await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=built.get_connect_string())

    asyncio.run(body())


@pytest.mark.parametrize("first, second", [("tcp", "tcps"), ("tcps", "tcp")])
def test_an_address_with_two_protocols_is_refused(first: str, second: str) -> None:
    """``(PROTOCOL=tcp)(PROTOCOL=tcps)`` used to resolve to the first one and connect in
    plaintext; python-oracledb refuses such an ADDRESS with DPY-4018, and so do we."""
    dsn = (f"(DESCRIPTION=(ADDRESS=(PROTOCOL={first})(PROTOCOL={second})(HOST=127.0.0.1)(PORT=1))"
           "(CONNECT_DATA=(SERVICE_NAME=s)))")
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4017|DPY-4018"):
        oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
    oracledb = pytest.importorskip("oracledb")
    with pytest.raises(oracledb.DatabaseError, match="DPY-4018"):
        oracledb.ConnectParams().parse_connect_string(dsn)
