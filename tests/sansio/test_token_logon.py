"""Token logons between the client and server machines (python-oracledb thin's
``access_token``): phase two only, AUTH_TOKEN instead of the O5LOGON keys, an
IAM token's AUTH_HEADER signed with its private key, and the token never shown."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import LoggedOn, LoggedOnUser, LogonRequested, ServerErrorReceived, ServerEvent, ConnectRequested
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.connection.states import ClientState, ServerState
from oracle_sansio.crypto import Secret
from oracle_sansio.crypto.rsa import load_private_key, verify
from oracle_sansio.ttc.constants import AuthMode
from tests.sansio.pair import Pair, client_params, counter_entropy

rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
from cryptography.hazmat.primitives import serialization  # noqa: E402

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                        serialization.NoEncryption()).decode()
NOW = 1796667000.0  # Mon, 07 Dec 2026 18:10:00 GMT


def token_pair(*, private_key: str | None = None, fast_auth: bool = False, accept: bool = True) -> Pair:
    params = replace(client_params(user=""), access_token=Secret(TOKEN), now=NOW,
                     private_key=None if private_key is None else Secret(private_key))
    pair = Pair(ClientConnection(params, entropy=counter_entropy(b"client")),
                ServerConnection(ServerConfig(fast_auth=fast_auth), entropy=counter_entropy(b"server")))

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            assert ev.token is not None and ev.token.expose() == TOKEN
            if accept:
                pair.server.accept_token(user="SCOTT", session_id=42, serial_number=7)
            else:
                pair.server.reject_user()

    pair.client.start()
    pair.pump(handle)
    return pair


@pytest.mark.parametrize("fast_auth", [False, True])
def test_oauth_token_logon_skips_phase_one(fast_auth: bool) -> None:
    pair = token_pair(fast_auth=fast_auth)
    assert pair.client.state == ClientState.READY and pair.server.state == ServerState.READY
    assert isinstance(pair.client_events[-1], LoggedOn)
    assert pair.client_events[-1].session.session_id == 42
    requested = next(e for e in pair.server_events if isinstance(e, LogonRequested))
    keys = [k for k, _ in requested.parameters]
    assert "AUTH_TERMINAL" not in keys  # no phase one was sent
    assert "AUTH_TOKEN" not in keys and "AUTH_SESSKEY" not in keys and "AUTH_PASSWORD" not in keys
    assert requested.mode == AuthMode.LOGON
    logged = next(e for e in pair.server_events if isinstance(e, LoggedOnUser))
    assert logged.user == "SCOTT"
    # The token is in no event's or request's repr.
    for ev in pair.server_events + pair.client_events:
        assert TOKEN not in repr(ev)


@pytest.mark.parametrize("fast_auth", [False, True])
def test_iam_token_logon_sends_a_verifiable_signature(fast_auth: bool) -> None:
    pair = token_pair(private_key=PEM, fast_auth=fast_auth)
    assert pair.client.state == ClientState.READY
    requested = next(e for e in pair.server_events if isinstance(e, LogonRequested))
    assert requested.mode == AuthMode.LOGON | AuthMode.IAM_TOKEN
    p = dict(requested.parameters)
    # Provenance: python-oracledb thin messages/auth.pyx (date, request target, host:port).
    assert p["AUTH_HEADER"] == "date: Mon, 07 Dec 2026 18:10:00 GMT\n(request-target): FREEPDB1\nhost: 127.0.0.1:1521"
    public = load_private_key(PEM).public
    assert verify(public, p["AUTH_HEADER"].encode(), base64.b64decode(p["AUTH_SIGNATURE"]))


def test_refused_token_logon_reports_ora_01017() -> None:
    pair = token_pair(accept=False)
    errors = [e for e in pair.client_events if isinstance(e, ServerErrorReceived)]
    assert errors and errors[0].info.number == 1017
    assert pair.server.state == ServerState.CLOSED


def test_bad_private_key_is_an_authentication_error() -> None:
    from oracle_sansio.errors import AuthenticationError
    params = replace(client_params(user=""), access_token=Secret(TOKEN), private_key=Secret("not a key"))
    client = ClientConnection(params, entropy=counter_entropy(b"client"))
    server = ServerConnection(ServerConfig(), entropy=counter_entropy(b"server"))
    pair = Pair(client, server)
    client.start()
    with pytest.raises(AuthenticationError, match="private key"):
        pair.pump(lambda ev: server.accept() if isinstance(ev, ConnectRequested) else None)


def test_accept_token_refuses_a_password_logon() -> None:
    from oracle_sansio.errors import LocalProtocolError
    pair = Pair()
    pair.client.start()

    def handle(ev: ServerEvent) -> None:
        if isinstance(ev, ConnectRequested):
            pair.server.accept()
        elif isinstance(ev, LogonRequested):
            assert ev.token is None
            with pytest.raises(LocalProtocolError, match="token logon only"):
                pair.server.accept_token(user="SCOTT", session_id=1, serial_number=1)

    pair.pump(handle)
    assert pair.server.state == ServerState.LOGON_RECEIVED
