"""Token logons (``access_token``) against the embedded server over TLS, with our
driver and with python-oracledb 26.1 thin: OAuth 2.0, OCI IAM (signed header),
a callable refreshed by a pool when its token expires, and refusals."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import _token as token_module
from oracle_asyncio.testing import EmbeddedServer, TlsConfig
from tests.asyncio.test_tls import Pki

trustme = pytest.importorskip("trustme")
oracledb = pytest.importorskip("oracledb")
rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
from cryptography.hazmat.primitives import serialization  # noqa: E402

BOUND = 20


def jwt(sub: str, exp: float) -> str:
    """An unsigned JWT-shaped token: the drivers read only its ``exp``."""
    def seg(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{seg({'alg': 'RS256'})}.{seg({'sub': sub, 'exp': int(exp)})}.c2lnbmF0dXJl"


def keypair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


LATER = time.time() + 3600
OAUTH = jwt("oauth-user", LATER)
IAM = jwt("iam-user", LATER)
PRIVATE, PUBLIC = keypair()
OTHER_PRIVATE, _ = keypair()


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


@contextmanager
def serving(pki: Pki, tokens: dict[str, Any]) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(tls=TlsConfig(cert=str(pki.server_pem)), tokens=tokens).threaded() as server:
        yield server


def run(coro: Awaitable[Any]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(coro, BOUND)
    return asyncio.run(bounded())


async def ours_user(dsn: str, **kw: Any) -> Any:
    async with oracle_asyncio.connect_async(dsn=dsn, **kw) as conn:
        cursor = conn.cursor()
        await cursor.execute("select user from dual")
        row = await cursor.fetchone()
        assert row is not None
        return row[0]


def theirs_user(dsn: str, **kw: Any) -> Any:
    with oracledb.connect(dsn=dsn, **kw) as conn:
        with conn.cursor() as cursor:
            cursor.execute("select user from dual")
            return cursor.fetchone()[0]


TOKENS = {OAUTH: "scott", IAM: ("scott", PUBLIC)}


@pytest.mark.parametrize("token", [OAUTH, (IAM, PRIVATE)], ids=["oauth", "iam"])
def test_fresh_token_logs_on_in_both_clients(pki: Pki, token: Any) -> None:
    with serving(pki, TOKENS) as server:
        context = pki.client_context()
        assert run(ours_user(server.dsn, access_token=token, ssl_context=context)) == "SCOTT"
        assert theirs_user(server.dsn, access_token=token, ssl_context=context) == "SCOTT"


def test_bad_signature_is_refused_in_both_clients(pki: Pki) -> None:
    with serving(pki, TOKENS) as server:
        context = pki.client_context()
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            run(ours_user(server.dsn, access_token=(IAM, OTHER_PRIVATE), ssl_context=context))
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            theirs_user(server.dsn, access_token=(IAM, OTHER_PRIVATE), ssl_context=context)
        # An OAuth logon of a token configured for IAM carries no signature: refused too.
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            run(ours_user(server.dsn, access_token=IAM, ssl_context=context))


def test_unknown_token_is_refused(pki: Pki) -> None:
    with serving(pki, TOKENS) as server:
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            run(ours_user(server.dsn, access_token=jwt("x", LATER), ssl_context=pki.client_context()))


def test_expired_token_without_callable_is_dpy_2033_in_both_clients(pki: Pki) -> None:
    old = jwt("old", time.time() - 60)
    with serving(pki, {old: "scott"}) as server:
        context = pki.client_context()
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-2033"):
            run(ours_user(server.dsn, access_token=old, ssl_context=context))
        with pytest.raises(oracledb.DatabaseError, match="DPY-2033"):
            theirs_user(server.dsn, access_token=old, ssl_context=context)


def test_pool_refreshes_an_expired_token_through_the_callable(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh, stale = jwt("fresh", LATER + 7200), jwt("stale", LATER)
    calls: list[bool] = []

    def callback(refresh: bool) -> str:
        calls.append(refresh)
        return fresh if refresh else stale

    async def body(dsn: str) -> None:
        pool = oracle_asyncio.create_pool_async(dsn=dsn, access_token=callback, min=1, max=2, increment=1,
                                                ssl_context=pki.client_context())
        try:
            for _ in range(200):  # bounded: the pool's first session opens in the background
                if pool.opened:
                    break
                await asyncio.sleep(0.01)
            assert pool.opened == 1 and calls == [False]
            # Two hours later (the client's injected clock): the token the pool holds has expired.
            monkeypatch.setattr(token_module, "clock", lambda: LATER + 3600)
            async with pool.acquire() as first, pool.acquire() as second:
                for conn in (first, second):
                    cursor = conn.cursor()
                    await cursor.execute("select user from dual")
                    assert await cursor.fetchone() == ("SCOTT",)
            assert calls == [False, True]
        finally:
            await pool.close(force=True)

    with serving(pki, {fresh: "scott", stale: "scott"}) as server:
        run(body(server.dsn))


def test_token_requires_tcps_in_both_clients() -> None:
    with EmbeddedServer(tokens={OAUTH: "scott"}).threaded() as server:
        with pytest.raises(oracle_asyncio.Error, match="DPY-2034"):
            run(ours_user(server.dsn, access_token=OAUTH))
        with pytest.raises(oracledb.Error, match="DPY-2034"):
            theirs_user(server.dsn, access_token=OAUTH)


@pytest.mark.parametrize("bad", [42, ("a",), ("tok", None), "not-a-jwt"])
def test_invalid_access_token_is_dpy_2031_in_both_clients(bad: Any) -> None:
    with pytest.raises(oracle_asyncio.Error, match="DPY-2031"):
        oracle_asyncio.ConnectParams(access_token=bad)
    with pytest.raises(oracledb.Error, match="DPY-2031"):
        oracledb.ConnectParams(access_token=bad)


def test_callable_returning_garbage_is_dpy_2032(pki: Pki) -> None:
    with serving(pki, TOKENS) as server:
        with pytest.raises(oracle_asyncio.Error, match="DPY-2032"):
            run(ours_user(server.dsn, access_token=lambda refresh: 42, ssl_context=pki.client_context()))


def test_token_never_shown() -> None:
    params = oracle_asyncio.ConnectParams(access_token=(OAUTH, PRIVATE))
    shown = repr(params) + str(params)
    assert OAUTH not in shown and "PRIVATE KEY" not in shown


@pytest.mark.parametrize("token", [OAUTH, (IAM, PRIVATE)], ids=["oauth", "iam"])
def test_both_clients_send_the_same_logon_keys_and_mode(pki: Pki, token: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from oracle_sansio.connection import _server_token
    seen: list[tuple[list[str], int, str]] = []
    original = _server_token.logon_requested

    def spy(req: Any) -> Any:
        event = original(req)
        seen.append(([k for k, _ in event.parameters], req.mode, req.user))
        return event

    monkeypatch.setattr(_server_token, "logon_requested", spy)
    with serving(pki, TOKENS) as server:
        context = pki.client_context()
        run(ours_user(server.dsn, access_token=token, ssl_context=context))
        theirs_user(server.dsn, access_token=token, ssl_context=context)
    assert len(seen) == 2 and seen[0] == seen[1]
    assert "AUTH_TERMINAL" not in seen[0][0]  # phase one skipped by both


def test_packet_dump_masks_the_token(pki: Pki, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from oracle_asyncio import _transport
    from tests.asyncio.test_debug_packets import _ROW

    caplog.set_level(logging.INFO, logger="oracle_asyncio.packets")
    previous = _transport.set_packet_debug(True)
    try:
        with serving(pki, TOKENS) as server:
            run(ours_user(server.dsn, access_token=OAUTH, ssl_context=pki.client_context()))
    finally:
        _transport.set_packet_debug(previous)
    dumped = bytearray()
    for record in caplog.records:
        if record.name == "oracle_asyncio.packets":
            for line in record.getMessage().splitlines():
                m = _ROW.match(line)
                if m:
                    dumped += bytes.fromhex(m.group(1).replace(" ", ""))
    assert b"AUTH_TOKEN" in dumped  # the logon was dumped ...
    assert OAUTH[10:40].encode() not in dumped  # ... without its token


def test_a_token_is_refused_when_any_description_names_plain_tcp() -> None:
    """A DESCRIPTION_LIST is tried description by description: a tcp address in a later
    one would carry the token in plaintext, so it is refused before any socket (DPY-2034)."""
    dsn = ("(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=127.0.0.1)(PORT=9)))"
           "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=8))(CONNECT_DATA=(SERVICE_NAME=s))))")
    with pytest.raises(oracle_asyncio.Error, match="DPY-2034"):
        run(ours_user(dsn, access_token=OAUTH))
