"""https_proxy / https_proxy_port: a tcps connection tunnelled through an HTTP CONNECT
proxy.  A tiny proxy on 127.0.0.1 (port 0, its own thread and loop, every wait bounded)
tunnels, refuses, stays silent or misbehaves; our driver and python-oracledb thin (sync
and async) connect through it to the embedded server over TLS, and fail alike.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import _proxy
from oracle_asyncio.testing import EmbeddedServer, TlsConfig
from oracle_sansio.dsn import Address, build_descriptor, parse_dsn
from tests.asyncio.test_tls import Pki, failures, ours_query, run, theirs_async_query, theirs_sync_query

trustme = pytest.importorskip("trustme")
oracledb = pytest.importorskip("oracledb")

BOUND = 10.0  # seconds: the proxy's every wait


class ConnectProxy:
    """An HTTP CONNECT proxy on 127.0.0.1 in a thread of its own.  ``mode``: "tunnel",
    "refuse" (403), "silent" (reads the request, never answers), "slow" (a 200 in three
    pieces), "flood" (a 200 whose headers never end), "eager" (a 200, then bytes)."""

    def __init__(self, mode: str = "tunnel") -> None:
        self.mode = mode
        self.heads: list[bytes] = []
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=8192)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(BOUND):
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                await self._answer(head, reader, writer)
        except (asyncio.CancelledError, asyncio.TimeoutError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _answer(self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "silent":
            await self._stop.wait()
            return
        if self.mode == "refuse":
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        elif self.mode == "flood":
            writer.write(b"HTTP/1.1 200 OK\r\n" + b"X-Filler: 0123456789abcdef\r\n" * 1000)
        elif self.mode == "eager":
            writer.write(b"HTTP/1.1 200 OK\r\n\r\nsurprise")
        if self.mode in ("refuse", "flood", "eager"):
            await writer.drain()
            await reader.read(1)  # until the client hangs up
            return
        host, _, port = head.split()[1].decode().rpartition(":")
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        pieces = [b"HTTP/1.0 200 Connection", b" established\r\n", b"\r\n"] if self.mode == "slow" else [
            b"HTTP/1.0 200 Connection established\r\n\r\n"]
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.01)

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            finally:
                sink.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    def __enter__(self) -> ConnectProxy:
        self._thread.start()
        assert self._ready.wait(BOUND)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(BOUND)

    def via(self) -> dict[str, Any]:
        """The keywords that send a connect through this proxy."""
        return {"https_proxy": "127.0.0.1", "https_proxy_port": self.port}


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


@pytest.fixture
def server(pki: Pki) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(tls=TlsConfig(cert=str(pki.server_pem))).threaded() as running:
        yield running


def connect_line(server: EmbeddedServer) -> bytes:
    return f"CONNECT localhost:{server.port} HTTP/1.1\r\nHost: localhost:{server.port}\r\n\r\n".encode()


# ------------------------------------------------------------------ tunnels


def test_three_clients_query_through_the_proxy(pki: Pki, server: EmbeddedServer) -> None:
    context = pki.client_context()
    with ConnectProxy() as proxy:
        assert run(ours_query(server.dsn, ssl_context=context, **proxy.via())) == (("over tls",), "tcps")
        assert theirs_sync_query(server.dsn, ssl_context=context, **proxy.via()) == ("over tls",)
        assert run(theirs_async_query(server.dsn, ssl_context=context, **proxy.via())) == ("over tls",)
    ours, theirs_sync, theirs_async = proxy.heads
    # The request python-oracledb 26.1's sync client sends (its async one sends HTTP/1.0, no Host).
    assert ours == theirs_sync == connect_line(server)
    assert theirs_async == f"CONNECT localhost:{server.port} HTTP/1.0\r\n\r\n".encode()


def test_the_connect_string_names_the_proxy(pki: Pki, server: EmbeddedServer) -> None:
    context = pki.client_context()
    with ConnectProxy() as proxy:
        easy = f"{server.dsn}?https_proxy=127.0.0.1&https_proxy_port={proxy.port}"
        descriptor = (f"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)(PORT={server.port})"
                      f"(HTTPS_PROXY=127.0.0.1)(HTTPS_PROXY_PORT={proxy.port}))"
                      f"(CONNECT_DATA=(SERVICE_NAME={server.service_name})))")
        assert run(ours_query(easy, ssl_context=context))[0] == ("over tls",)
        assert run(ours_query(descriptor, ssl_context=context))[0] == ("over tls",)
        # The connect string's proxy wins over the keywords' (as in python-oracledb).
        assert run(ours_query(easy, ssl_context=context, https_proxy="127.0.0.1", https_proxy_port=1))
    assert proxy.heads == [connect_line(server)] * 3


def test_a_pool_goes_through_the_proxy(pki: Pki, server: EmbeddedServer) -> None:
    async def body(proxy: ConnectProxy) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=2, max=2,
                                                ssl_context=pki.client_context(), **proxy.via())
        try:
            async with pool.acquire() as conn:
                cursor = conn.cursor()
                await cursor.execute("select 1 from dual")
                assert await cursor.fetchone() == (1,)
        finally:
            await pool.close(force=True)

    with ConnectProxy() as proxy:
        run(body(proxy))
    assert len(proxy.heads) >= 1 and set(proxy.heads) == {connect_line(server)}


def test_a_reply_in_pieces_is_read_whole(pki: Pki, server: EmbeddedServer) -> None:
    # python-oracledb reads the reply with a single recv; the head may come in pieces.
    with ConnectProxy("slow") as proxy:
        assert run(ours_query(server.dsn, ssl_context=pki.client_context(), **proxy.via()))[0] == ("over tls",)
        # python-oracledb hands the rest of the head to its TLS handshake (README: differences).
        with pytest.raises(oracledb.OperationalError, match="DPY-6005"):
            theirs_sync_query(server.dsn, ssl_context=pki.client_context(), **proxy.via())


# ------------------------------------------------------------------ failures


def test_a_refusing_proxy_fails_alike(server: EmbeddedServer) -> None:
    with ConnectProxy("refuse") as proxy:
        ours, theirs = failures(server.dsn, **proxy.via())
    assert ours == theirs == ("OperationalError", "DPY-6005", "DPY-6004")
    with ConnectProxy("refuse") as proxy:
        with pytest.raises(oracle_asyncio.OperationalError) as info:
            run(ours_query(server.dsn, **proxy.via()))
    assert "DPY-6004: network proxy failed: response was HTTP/1.1 403 Forbidden" in str(info.value)
    assert server.sessions == []


def test_a_silent_proxy_fails_within_tcp_connect_timeout(server: EmbeddedServer) -> None:
    # python-oracledb's sync client fails after tcp_connect_timeout; its async client waits
    # forever for the reply (not compared).  Ours fails as the sync one does: DPY-6005, not
    # the TimeoutError of run()'s bound.
    with ConnectProxy("silent") as proxy:
        with pytest.raises(oracledb.OperationalError, match="DPY-6005") as theirs:
            theirs_sync_query(server.dsn, tcp_connect_timeout=0.3, **proxy.via())
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005") as ours:
            run(ours_query(server.dsn, tcp_connect_timeout=0.3, **proxy.via()))
        assert len(proxy.heads) == 2
    assert type(ours.value).__name__ == type(theirs.value).__name__


@pytest.mark.parametrize("mode", ["flood", "eager"])
def test_a_misbehaving_proxy_fails_with_its_reply(mode: str, server: EmbeddedServer) -> None:
    with ConnectProxy(mode) as proxy:
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005") as info:
            run(ours_query(server.dsn, **proxy.via()))
    text = str(info.value)
    assert "DPY-6004: network proxy failed: response was HTTP/1.1 200 OK" in text
    # The head read is limited, and so is what the error shows of it.
    assert len(text) < _proxy.SHOWN_REPLY + 200


def test_a_refusal_moves_on_to_the_next_address(pki: Pki, server: EmbeddedServer) -> None:
    # Each ADDRESS has its own proxy, or none: the refused one is skipped, as a dead listener is.
    with ConnectProxy("refuse") as refusing, ConnectProxy() as tunnel:
        dsn = (f"(DESCRIPTION=(ADDRESS_LIST="
               f"(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)(PORT={server.port})(HTTPS_PROXY=127.0.0.1)"
               f"(HTTPS_PROXY_PORT={refusing.port}))"
               f"(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)(PORT={server.port})(HTTPS_PROXY=127.0.0.1)"
               f"(HTTPS_PROXY_PORT={tunnel.port})))(CONNECT_DATA=(SERVICE_NAME={server.service_name})))")
        assert run(ours_query(dsn, ssl_context=pki.client_context()))[0] == ("over tls",)
        assert theirs_sync_query(dsn, ssl_context=pki.client_context()) == ("over tls",)
    assert refusing.heads == tunnel.heads == [connect_line(server)] * 2


def test_a_proxy_needs_tcps_alike(server: EmbeddedServer) -> None:
    dsn = server.dsn.replace("tcps://", "tcp://")
    ours, theirs = failures(dsn, https_proxy="127.0.0.1", https_proxy_port=1)
    assert ours == theirs == ("OperationalError", "DPY-6005", "DPY-2029")


def test_an_unreachable_proxy_fails_alike(server: EmbeddedServer) -> None:
    ours, theirs = failures(server.dsn, https_proxy="127.0.0.1", https_proxy_port=1)
    assert ours[:2] == theirs[:2] == ("OperationalError", "DPY-6005")


# ------------------------------------------------------------------ parameters


PARSED = [
    "tcps://h:1/s?https_proxy=px&https_proxy_port=8",
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=h)(PORT=1)(HTTPS_PROXY=px)(HTTPS_PROXY_PORT=8))"
    "(CONNECT_DATA=(SERVICE_NAME=s)))",
    "tcps://h:1/s",
    "tcps://a:1,b:2/s?https_proxy=e",
    "(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcps)(HOST=a)(PORT=1)(HTTPS_PROXY=pa)(HTTPS_PROXY_PORT=3))"
    "(ADDRESS=(PROTOCOL=tcps)(HOST=b)(PORT=2))(ADDRESS=(PROTOCOL=tcps)(HOST=c)(PORT=2)(HTTPS_PROXY=pc)))"
    "(CONNECT_DATA=(SERVICE_NAME=s)))",
]


@pytest.mark.parametrize("keywords", [{}, {"https_proxy": "k", "https_proxy_port": 9}])
@pytest.mark.parametrize("text", PARSED)
def test_parse_connect_string_reports_the_proxy_as_python_oracledb(text: str, keywords: dict[str, Any]) -> None:
    # The connect string's values win; the keywords' fill each address's gaps, field by field.
    theirs = oracledb.ConnectParams(**keywords)
    theirs.parse_connect_string(text)
    ours = oracle_asyncio.ConnectParams(**keywords)
    ours.parse_connect_string(text)
    assert (ours.https_proxy, ours.https_proxy_port) == (theirs.https_proxy, theirs.https_proxy_port)
    if "," not in text and "ADDRESS_LIST" not in text:  # get_connect_string() describes one address here
        assert ours.get_connect_string() == theirs.get_connect_string()


def test_keywords_read_back_as_python_oracledb() -> None:
    kw: dict[str, Any] = {"host": "h", "port": 1, "service_name": "s", "protocol": "tcps",
                          "https_proxy": "px", "https_proxy_port": 8}
    ours, theirs = oracle_asyncio.ConnectParams(**kw), oracledb.ConnectParams(**kw)
    assert (ours.https_proxy, ours.https_proxy_port) == (theirs.https_proxy, theirs.https_proxy_port) == ("px", 8)
    assert ours.get_connect_string() == theirs.get_connect_string()
    assert oracle_asyncio.PoolParams(https_proxy="px").https_proxy == "px"
    empty = oracle_asyncio.ConnectParams()
    assert (empty.https_proxy, empty.https_proxy_port) == (None, 0)


def test_the_connect_packet_names_the_proxy_as_python_oracledb() -> None:
    # python-oracledb's CONNECT descriptor carries the ADDRESS as given, proxy included
    # (seen with PYO_DEBUG_PACKETS=1).
    target = parse_dsn("tcps://h:1/s")
    address = Address(host="h", port=1, protocol="tcps", https_proxy="px", https_proxy_port=8)
    assert "(ADDRESS=(PROTOCOL=tcps)(HOST=h)(PORT=1)(HTTPS_PROXY=px)(HTTPS_PROXY_PORT=8))" in build_descriptor(
        target, address=address)


def test_the_request_and_the_status_line() -> None:
    assert _proxy.connect_request("db", 2484) == b"CONNECT db:2484 HTTP/1.1\r\nHost: db:2484\r\n\r\n"
    assert _proxy.connect_request("::1", 2484) == b"CONNECT [::1]:2484 HTTP/1.1\r\nHost: [::1]:2484\r\n\r\n"
    assert _proxy.reply_status(b"HTTP/1.0 200 Connection established\r\n\r\n") == 200
    assert _proxy.reply_status(b"HTTP/1.1 200\r\n\r\n") == 200
    assert _proxy.reply_status(b"HTTP/1.1 403 Forbidden\r\n\r\n") == 403
    assert _proxy.reply_status(b"HTTP/2 200\r\n\r\n") is None
    assert _proxy.reply_status(b"SSH-2.0-OpenSSH\r\n") is None
    assert _proxy.reply_status(b"HTTP/1.1 2000 OK\r\n") is None
