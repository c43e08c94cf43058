"""TLS (TCPS) end to end: our driver and python-oracledb thin (sync and async) against
the embedded server over TLS, mutual TLS with a PEM wallet, the renegotiation a
listener may ask for, and the failures (wrong CA, host name, DN; a plaintext
server) compared between the two clients.  Certificates come from ``trustme``
(a throw-away CA), issued for ``localhost``, and clients connect to ``localhost``.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer, TlsConfig
from oracle_sansio.pool.failures import LogonFailure, classify_logon_error
from oracle_sansio.tls import certificate_names
from tests.asyncio.test_driver_network import Listener

trustme = pytest.importorskip("trustme")
oracledb = pytest.importorskip("oracledb")

BOUND = 20  # seconds: every wait in this module is bounded


class Pki:
    """A CA, a server certificate for localhost and a client certificate, as PEM files."""

    def __init__(self, tmp: Path, *, server_names: tuple[str, ...] = ("localhost",)) -> None:
        self.ca = trustme.CA()
        self.dir = tmp
        self.server_pem = tmp / "server.pem"
        self.ca.issue_cert(*server_names).private_key_and_cert_chain_pem.write_to_path(str(self.server_pem))
        self.ca_pem = tmp / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem))
        self.client = self.ca.issue_cert("client@example.com")

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def wallet(self, name: str, password: bytes | None = None) -> Path:
        """A PEM wallet directory: ewallet.pem with the client key (encrypted with
        ``password`` when given), its certificate and the CA."""
        folder = self.dir / name
        folder.mkdir()
        key = self.client.private_key_pem.bytes()
        if password is not None:
            from cryptography.hazmat.primitives import serialization
            loaded = serialization.load_pem_private_key(key, None)
            key = loaded.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(password))
        chain = b"".join(blob.bytes() for blob in self.client.cert_chain_pems)
        (folder / "ewallet.pem").write_bytes(key + chain + self.ca.cert_pem.bytes())
        return folder


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


@contextmanager
def serving(tls: TlsConfig | ssl.SSLContext | None) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(tls=tls).threaded() as server:
        yield server


async def ours_query(dsn: str, **kw: Any) -> tuple[Any, str]:
    async with oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, **kw) as conn:
        cursor = conn.cursor()
        await cursor.execute("select 'over tls' from dual")
        return (await cursor.fetchone()), conn.protocol


async def theirs_async_query(dsn: str, **kw: Any) -> Any:
    conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn, **kw)
    try:
        cursor = conn.cursor()
        await cursor.execute("select 'over tls' from dual")
        return await cursor.fetchone()
    finally:
        await conn.close()


def theirs_sync_query(dsn: str, **kw: Any) -> Any:
    with oracledb.connect(user="scott", password="tiger", dsn=dsn, **kw) as conn:
        with conn.cursor() as cursor:
            cursor.execute("select 'over tls' from dual")
            return cursor.fetchone()


def run(coro: Awaitable[Any]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(coro, BOUND)
    return asyncio.run(bounded())


# ----------------------------------------------------------------- logons


def test_three_clients_log_on_and_query_over_tls(pki: Pki) -> None:
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        assert server.dsn.startswith("tcps://localhost:")
        context = pki.client_context()
        assert run(ours_query(server.dsn, ssl_context=context)) == (("over tls",), "tcps")
        assert run(theirs_async_query(server.dsn, ssl_context=context)) == ("over tls",)
        assert theirs_sync_query(server.dsn, ssl_context=context) == ("over tls",)


def test_the_fixture_serves_tcps(embedded_tls_server: EmbeddedServer,
                                 embedded_tls_client_context: ssl.SSLContext) -> None:
    dsn = embedded_tls_server.dsn
    assert run(ours_query(dsn, ssl_context=embedded_tls_client_context))[1] == "tcps"
    assert theirs_sync_query(dsn, ssl_context=embedded_tls_client_context) == ("over tls",)


def test_a_pool_over_tls(pki: Pki) -> None:
    async def body(dsn: str) -> None:
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=dsn, min=2, max=2,
                                                ssl_context=pki.client_context())
        try:
            async with pool.acquire() as conn:
                assert conn.protocol == "tcps"
                cursor = conn.cursor()
                await cursor.execute("select 1 from dual")
                assert await cursor.fetchone() == (1,)
        finally:
            await pool.close(force=True)

    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        run(body(server.dsn))


@pytest.mark.parametrize("password", [None, b"wallet-secret"])
def test_mutual_tls_with_a_pem_wallet(pki: Pki, password: bytes | None) -> None:
    """The server requires a client certificate; the wallet gives it (and the CA to trust)."""
    wallet = str(pki.wallet("wallet", password))
    kw: dict[str, Any] = {"wallet_location": wallet}
    if password is not None:
        kw["wallet_password"] = password.decode()
    with serving(TlsConfig(cert=str(pki.server_pem), client_ca=str(pki.ca_pem))) as server:
        assert run(ours_query(server.dsn, **kw))[1] == "tcps"
        assert run(theirs_async_query(server.dsn, **kw)) == ("over tls",)
        assert theirs_sync_query(server.dsn, **kw) == ("over tls",)
        # The same CA trusted, but no client certificate: the server ends the handshake.
        for client in (ours_query, theirs_async_query):
            with pytest.raises(oracledb.Error if client is theirs_async_query else oracle_asyncio.Error,
                               match="DPY-6005"):
                run(client(server.dsn, ssl_context=pki.client_context()))
        assert server.sessions == []


def test_the_wallet_password_is_never_shown(pki: Pki) -> None:
    """Logged on with an encrypted wallet key: nothing reachable from the connection or its
    parameters shows wallet_password; a wrong one fails the handshake as in python-oracledb."""
    from tests.asyncio.test_password_never_shown import WALLET, assert_hidden
    wallet = str(pki.wallet("wallet", WALLET.encode()))
    with serving(TlsConfig(cert=str(pki.server_pem), client_ca=str(pki.ca_pem))) as server:
        async def body() -> None:
            params = oracle_asyncio.ConnectParams(wallet_location=wallet, wallet_password=WALLET)
            conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn, params=params)
            assert conn.protocol == "tcps"
            assert_hidden(conn, params)
            await conn.close()

        run(body())
        ours, theirs = failures(server.dsn, wallet_location=wallet, wallet_password="wrong")
        assert ours[:2] == theirs[:2] == ("OperationalError", "DPY-6005")


def test_a_missing_wallet_is_python_oracledbs_error(pki: Pki) -> None:
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        ours, theirs = failures(server.dsn, wallet_location=str(pki.dir / "nowhere"))
        assert ours == theirs
        assert ours[1:] == ("DPY-6005", "DPY-2018")


# ----------------------------------------------------------- renegotiation


def test_a_listener_asking_for_a_new_handshake(pki: Pki) -> None:
    """RESEND with the TLS-renegotiation flag: each client runs a second handshake on
    the same TCP stream and sends CONNECT again over it.  The server sees two
    ClientHellos per connection, each with python-oracledb's coded SNI (use_sni)."""
    names: list[str | None] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(pki.server_pem))
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    with serving(TlsConfig(context=context, renegotiate=True)) as server:
        sni = "S8.FREEPDB1.V3.319"
        assert run(ours_query(server.dsn, ssl_context=pki.client_context(), use_sni=True))[1] == "tcps"
        assert names == [sni, sni]
        assert run(theirs_async_query(server.dsn, ssl_context=pki.client_context(), use_sni=True)) == ("over tls",)
        assert theirs_sync_query(server.dsn, ssl_context=pki.client_context(), use_sni=True) == ("over tls",)
        assert names == [sni] * 6


#: Run in a fresh interpreter: unclosed objects that earlier tests in the same process
#: left behind (python-oracledb's clients among them) may be collected at any moment,
#: and would be reported here as if this test had leaked them.
_RENEGOTIATE_TWICE = """
import asyncio, gc, ssl, sys, warnings
import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer, TlsConfig

server_pem, ca_pem = sys.argv[1], sys.argv[2]
warnings.simplefilter("always", ResourceWarning)
caught = []
warnings.showwarning = lambda message, category, *rest, **kw: caught.append(f"{category.__name__}: {message}")

async def query(dsn):
    context = ssl.create_default_context(cafile=ca_pem)
    async with oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, ssl_context=context) as conn:
        return conn.protocol

with EmbeddedServer(tls=TlsConfig(cert=server_pem, renegotiate=True)).threaded() as server:
    for _ in range(2):
        assert asyncio.run(asyncio.wait_for(query(server.dsn), 20)) == "tcps"
gc.collect()
print(caught)
"""


@pytest.mark.xfail(strict=False, reason=(
    "intermittent (it failed in 2 of 3 fresh-clone CI runs): a socket of a renegotiated TLS session "
    "is sometimes still open when the loop closes; open in issue 15's note"))
def test_renegotiation_leaves_no_session_unclosed(pki: Pki) -> None:
    """The TLS session a renegotiation replaces is retired on both sides (no close_notify
    into the new stream, no transport reported unclosed, nothing holding the socket)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _RENEGOTIATE_TWICE, str(pki.server_pem), str(pki.ca_pem)],
                          capture_output=True, text=True, timeout=BOUND * 3, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


# ------------------------------------------------------------------ failures


def failures(dsn: str, **kw: Any) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """(exception class name, full_code, the cause's DPY code or the TLS reason) of our client
    and of python-oracledb's async client; its sync client must fail as its async one does."""
    out = []
    attempts: list[tuple[Callable[[], Any], type[BaseException]]] = [
        (lambda: run(ours_query(dsn, **kw)), oracle_asyncio.Error),
        (lambda: run(theirs_async_query(dsn, **kw)), oracledb.Error),
        (lambda: theirs_sync_query(dsn, **kw), oracledb.Error),
    ]
    for attempt, errors in attempts:
        with pytest.raises(errors) as info:
            attempt()
        text = str(info.value)
        lines = text.splitlines()
        cause = lines[1] if len(lines) > 1 else ""
        reason = cause.split(":")[0] if cause.startswith("DPY-") else cause.split("]")[0] + "]"
        out.append((type(info.value).__name__, info.value.args[0].full_code, reason))
    assert out[2][:2] == out[1][:2], "python-oracledb sync and async differ"
    return out[0], out[1]


def test_an_untrusted_certificate_fails_alike(pki: Pki) -> None:
    (pki.dir / "other").mkdir()
    stranger = Pki(pki.dir / "other")
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        ours, theirs = failures(server.dsn, ssl_context=stranger.client_context())
        assert ours == theirs
        assert ours[:2] == ("OperationalError", "DPY-6005") and "CERTIFICATE_VERIFY_FAILED" in ours[2]
        # Verified by default: without ssl_context or wallet only the system's CAs are trusted.
        assert failures(server.dsn) == (ours, ours)
        assert server.sessions == []


def test_a_certificate_for_another_host_fails_alike(tmp_path: Path) -> None:
    other = Pki(tmp_path, server_names=("db.example.com",))
    with serving(TlsConfig(cert=str(other.server_pem))) as server:
        ours, theirs = failures(server.dsn, ssl_context=other.client_context())
        assert ours == theirs == ("OperationalError", "DPY-6005", "DPY-6006")
        # A pool does not retry what no retry fixes: one logon attempt, then the error.
        run(pool_fails_once(server.dsn, ssl_context=other.client_context()))
        # ssl_server_dn_match=False turns the check off, in both.
        assert run(ours_query(server.dsn, ssl_context=other.client_context(), ssl_server_dn_match=False))
        assert run(theirs_async_query(server.dsn, ssl_context=other.client_context(), ssl_server_dn_match=False))


async def pool_fails_once(dsn: str, **kw: Any) -> None:
    pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=dsn, min=2, max=2, **kw)
    try:
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6006") as info:
            await pool.wait(BOUND)
        assert classify_logon_error(info.value) is LogonFailure.FATAL
        assert pool.statistics.connections_failed == 1
    finally:
        await pool.close(force=True)


def test_a_wrong_dn_fails_alike(pki: Pki) -> None:
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        ours, theirs = failures(server.dsn, ssl_context=pki.client_context(), ssl_server_cert_dn="CN=elsewhere,O=nobody")
        assert ours == theirs == ("OperationalError", "DPY-6005", "DPY-6002")
        # The right DN (the subject, RFC 4514 order reversed: python-oracledb compares pairs).
        context = pki.client_context()
        with socket.create_connection(("localhost", server.port)) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                der = tls.getpeercert(binary_form=True) or b""
        subject = ",".join(reversed(certificate_names(der).subject.split(",")))
        assert run(ours_query(server.dsn, ssl_context=context, ssl_server_cert_dn=subject))
        assert run(theirs_async_query(server.dsn, ssl_context=context, ssl_server_cert_dn=subject))


def test_tcps_to_a_plaintext_server_fails_alike() -> None:
    with serving(None) as server:
        dsn = f"tcps://localhost:{server.port}/{server.service_name}"
        ours, theirs = failures(dsn)
        assert ours[:2] == theirs[:2] == ("OperationalError", "DPY-6005")
        assert server.sessions == []


def test_nothing_but_a_client_hello_goes_out_first() -> None:
    """A listener that records what arrives: the first bytes are a TLS handshake record
    (ClientHello), never a TNS CONNECT in plaintext."""
    seen: list[bytes] = []

    async def body() -> None:
        async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(await reader.read(5))
            writer.close()

        listener = await asyncio.start_server(record, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        try:
            for dsn in (f"tcps://127.0.0.1:{port}/svc",
                        f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=127.0.0.1)(PORT={port}))"
                        "(CONNECT_DATA=(SERVICE_NAME=svc)))"):
                with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
                    await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
            with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
                await oracle_asyncio.connect_async(user="scott", password="tiger", host="127.0.0.1", port=port,
                                                   service_name="svc", protocol="tcps")
        finally:
            listener.close()
            await listener.wait_closed()

    run(body())
    assert len(seen) == 3
    assert all(first[:2] == b"\x16\x03" for first in seen), seen  # TLS record type 22: handshake


# ------------------------------------------------------------ connect strings


def test_a_redirect_to_a_tls_address_is_followed_over_tls(pki: Pki) -> None:
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        async def body() -> Any:
            tls_address = f"(ADDRESS=(PROTOCOL=tcps)(HOST=localhost)(PORT={server.port}))"
            async with Listener(lambda conn, ev: conn.redirect(tls_address)) as listener:
                return await ours_query(f"127.0.0.1:{listener.port}/{server.service_name}",
                                        ssl_context=pki.client_context())

        assert run(body())[1] == "tcps"


def test_a_tcps_keyword_carries_over_to_a_connect_string_without_protocol(pki: Pki) -> None:
    with serving(TlsConfig(cert=str(pki.server_pem))) as server:
        plain = f"localhost:{server.port}/{server.service_name}"
        assert run(ours_query(plain, protocol="tcps", ssl_context=pki.client_context()))[1] == "tcps"
        params = oracle_asyncio.ConnectParams(protocol="tcps", ssl_context=pki.client_context())
        assert run(ours_query(plain, params=params))[1] == "tcps"
        assert run(theirs_async_query(plain, protocol="tcps", ssl_context=pki.client_context())) == ("over tls",)


def test_a_tcps_keyword_and_a_connect_string_naming_tcp_are_refused() -> None:
    """python-oracledb would follow the string in plaintext; we refuse, before any socket."""
    for dsn in ("tcp://127.0.0.1:9/svc",
                "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=9))(CONNECT_DATA=(SERVICE_NAME=s)))",
                # A later description of a list too: it is tried when the first fails.
                "(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(HOST=127.0.0.1)(PORT=9)))"
                "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=8))))"):
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: TLS"):
            oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, protocol="tcps")
        with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: TLS"):
            oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=dsn, protocol="tcps")


def test_what_is_not_built_is_refused() -> None:
    with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001.*use_eztls"):
        oracle_asyncio.connect_async(user="scott", password="tiger", dsn="tcps://localhost:9/s", use_eztls=True)
    with pytest.raises(oracle_asyncio.DatabaseError, match='DPY-4032: invalid value for ssl_version: "tls1"'):
        oracle_asyncio.ConnectParams(**as_any({"ssl_version": "tls1"}))
    assert oracle_asyncio.ConnectParams(**as_any({"ssl_version": "TLSv1.3"})).ssl_version is ssl.TLSVersion.TLSv1_3


def as_any(kw: dict[str, Any]) -> Any:
    """Keywords python-oracledb accepts beyond its annotations (strings for ssl_version)."""
    return kw


PARSED = [
    "tcps://db.example.com:2484/svc",
    "TCPS://db.example.com/svc",
    "tcp://db.example.com:1521/svc",
    "db.example.com:1521/svc?ssl_server_cert_dn=\"CN=db\"&wallet_location=/w&ssl_server_dn_match=no&use_sni=yes",
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=s)))",
    "(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcp)(HOST=a)(PORT=1))(ADDRESS=(PROTOCOL=tcps)(HOST=b)(PORT=2)))"
    "(CONNECT_DATA=(SERVICE_NAME=s))(SECURITY=(SSL_SERVER_CERT_DN=\"CN=x\")(MY_WALLET_DIRECTORY=/w)"
    "(SSL_SERVER_DN_MATCH=off)(SSL_VERSION=TLSv1.2)))",
    "(DESCRIPTION=(USE_SNI=ON)(ADDRESS=(PROTOCOL=tcps)(HOST=h)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=s))"
    "(SECURITY=(SSL_VERSION=TLSv1.3)))",
    "tcps://h:1/s?ssl_version=tlsv1.3&ssl_server_dn_match=false",  # python-oracledb ignores this ssl_version
]


@pytest.mark.parametrize("text", PARSED)
def test_parse_connect_string_reports_tls_as_python_oracledb(text: str) -> None:
    theirs = oracledb.ConnectParams()
    theirs.parse_connect_string(text)
    ours = oracle_asyncio.ConnectParams()
    ours.parse_connect_string(text)
    for name in ("protocol", "ssl_server_cert_dn", "wallet_location", "ssl_server_dn_match", "use_sni", "ssl_version"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert (ours.host, ours.port) == (theirs.host, theirs.port)  # lists for several addresses, as python-oracledb


GET_CONNECT_STRING: list[dict[str, Any]] = [
    {"host": "h", "service_name": "s", "protocol": "tcps"},
    {"host": "h", "port": 2484, "service_name": "s", "protocol": "tcps", "ssl_server_cert_dn": "CN=x,O=y",
     "wallet_location": "/w"},
    {"host": "h", "service_name": "s", "protocol": "tcps", "ssl_server_dn_match": False, "use_sni": True},
    {"host": "h", "service_name": "s", "wallet_location": "/w"},
]


@pytest.mark.parametrize("kw", GET_CONNECT_STRING)
def test_get_connect_string_keeps_tls_as_python_oracledb(kw: dict[str, Any]) -> None:
    assert oracle_asyncio.ConnectParams(**kw).get_connect_string() == oracledb.ConnectParams(**kw).get_connect_string()


@pytest.mark.parametrize("first, second", [("tcp", "tcps"), ("tcps", "tcp")])
def test_an_address_with_two_protocols_is_refused(first: str, second: str) -> None:
    dsn = (f"(DESCRIPTION=(ADDRESS=(PROTOCOL={first})(PROTOCOL={second})(HOST=127.0.0.1)(PORT=1))"
           "(CONNECT_DATA=(SERVICE_NAME=s)))")
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4017|DPY-4018"):
        oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
    with pytest.raises(oracledb.DatabaseError, match="DPY-4018"):
        oracledb.ConnectParams().parse_connect_string(dsn)


def test_the_command_line_serves_tcps(pki: Pki) -> None:
    from oracle_asyncio.testing.__main__ import build_parser, server_from_args
    server = server_from_args(build_parser().parse_args(
        ["--tls-cert", str(pki.server_pem), "--tls-client-ca", str(pki.ca_pem)]))
    assert server.tls == TlsConfig(cert=str(pki.server_pem), client_ca=str(pki.ca_pem))
    assert server.dsn.startswith("tcps://localhost:")
    wallet = str(pki.wallet("cli"))
    with server.threaded() as running:
        assert run(ours_query(running.dsn, wallet_location=wallet))[1] == "tcps"
    assert server_from_args(build_parser().parse_args([])).tls is None


def test_the_default_context_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ssl_context or wallet, the system's trust store is loaded once, not per connect
    (tens of milliseconds each); a wallet or ssl_context still gets its own."""
    from oracle_asyncio import _tls
    monkeypatch.setattr(_tls, "_defaults", {})
    built: list[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    plain = oracle_asyncio.ConnectParams(protocol="tcps")
    contexts = {id(_tls.client_context(plain)) for _ in range(5)}
    assert len(contexts) == 1 and len(built) == 1
    assert not built[0].check_hostname and built[0].verify_mode == ssl.CERT_REQUIRED
    pinned = _tls.client_context(oracle_asyncio.ConnectParams(ssl_version=ssl.TLSVersion.TLSv1_2))
    assert pinned.maximum_version == ssl.TLSVersion.TLSv1_2 and len(built) == 2
    _tls.client_context(oracle_asyncio.ConnectParams(ssl_version=ssl.TLSVersion.TLSv1_2))
    assert len(built) == 2


def test_an_unknown_protocol_is_refused_not_served_in_plaintext() -> None:
    """``(PROTOCOL=ssl)`` is python-oracledb's DPY-4021; taken as plain TCP it would send
    the CONNECT, meant for TLS, in plaintext (found in review)."""
    dsn = "(DESCRIPTION=(ADDRESS=(PROTOCOL=ssl)(HOST=127.0.0.1)(PORT=9))(CONNECT_DATA=(SERVICE_NAME=s)))"
    with pytest.raises(oracledb.DatabaseError, match='DPY-4021: invalid protocol "ssl"'):
        oracledb.ConnectParams().parse_connect_string(dsn)
    with pytest.raises(oracle_asyncio.DatabaseError, match='DPY-4021: invalid protocol "ssl"'):
        oracle_asyncio.ConnectParams().parse_connect_string(dsn)
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4021"):
        oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn)
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4021"):
        oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=dsn)
