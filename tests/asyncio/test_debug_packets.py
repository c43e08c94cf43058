"""The packet dump (ORACLE_ASYNCIO_DEBUG_PACKETS) on a real logon: both
directions logged, no password or session key in any record."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import _transport
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.server import ServerConnection

_ROW = re.compile(r"^\d{4,} : ((?:[0-9A-F]{2} ?)+?)\s*\|")
_SECRET_PAIR = re.compile(rb"(AUTH_SESSKEY|AUTH_PASSWORD|AUTH_PBKDF2_SPEEDY_KEY|AUTH_SVR_RESPONSE)\x01([\x01-\xfc])")


def run(body: Callable[[EmbeddedServer], Awaitable[None]], **kw: object) -> None:
    async def main() -> None:
        async with EmbeddedServer(**kw) as server:  # type: ignore[arg-type]
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


@pytest.fixture
def dumping() -> Iterator[None]:
    previous = _transport.set_packet_debug(True)
    try:
        yield
    finally:
        _transport.set_packet_debug(previous)


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every raw chunk either machine hands to its socket (the unmasked truth)."""
    chunks: list[bytes] = []

    def recording(original: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
        def spy(self: Any) -> bytes:
            out = original(self)
            chunks.append(out)
            return out

        return spy

    monkeypatch.setattr(ClientConnection, "data_to_send", recording(ClientConnection.data_to_send))
    monkeypatch.setattr(ServerConnection, "data_to_send", recording(ServerConnection.data_to_send))
    return chunks


def _secrets(chunks: list[bytes]) -> dict[bytes, list[bytes]]:
    """Secret values on the wire, read in the TTC layout (ub4 total in one byte, then the CLR)."""
    found: dict[bytes, list[bytes]] = {}
    raw = b"".join(chunks)
    for m in _SECRET_PAIR.finditer(raw):
        size = raw[m.end()]
        assert size == m[2][0]
        value = raw[m.end() + 1 : m.end() + 1 + size]
        found.setdefault(m[1], []).append(value)
    return found


def _dumped_bytes(message: str) -> bytes:
    """The bytes a dump shows, rebuilt from its hex rows."""
    rows = [_ROW.match(line) for line in message.splitlines()[1:]]
    return bytes.fromhex("".join(m[1] for m in rows if m is not None))


def test_logon_dump_masks_every_secret(dumping: None, wire: list[bytes], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="oracle_asyncio.packets")

    async def body(server: EmbeddedServer) -> None:
        async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
            cur = conn.cursor()
            await cur.execute("select 1 from dual")
            assert await cur.fetchall() == [(1,)]

    run(body)
    records = [r for r in caplog.records if r.name == "oracle_asyncio.packets"]
    messages = [r.getMessage() for r in records]
    assert all(r.levelno == logging.INFO for r in records)
    titles = {m.split(":")[0] for m in messages}
    assert all(re.fullmatch(r"(sent|received) packet on (client|server) #\d+", t) for t in titles), titles
    for who in ("client", "server"):
        assert any(t.startswith("sent packet on " + who) for t in titles), titles
        assert any(t.startswith("received packet on " + who) for t in titles), titles

    secrets = _secrets(wire)
    # Both sides' session keys, the client's password proof and the server's reply were sent.
    assert len(secrets[b"AUTH_SESSKEY"]) == 2 and b"AUTH_PASSWORD" in secrets and b"AUTH_SVR_RESPONSE" in secrets
    values = [v for vs in secrets.values() for v in vs]
    assert all(len(v) >= 32 for v in values)

    dumped = [_dumped_bytes(m) for m in messages]
    everything = b"".join(dumped)
    sent = b"".join(d for d, m in zip(dumped, messages) if m.startswith("sent "))
    # Every byte a machine sent was dumped by its sender (the receiver may miss the last one at close).
    assert len(sent) == sum(len(c) for c in wire)
    for key in secrets:
        assert sent.count(key) == b"".join(wire).count(key)  # key names stay visible
    text = "\n".join(messages)
    for value in values:
        assert value not in everything
        assert value[:16] not in everything
        assert value.decode() not in text
        assert value.hex().upper()[:32] not in text.replace(" ", "")
    for password in ("tiger", "TIGER"):
        for form in (password, password.encode().hex(), password.encode().hex().upper(), " ".join(f"{b:02X}" for b in password.encode())):
            assert form not in text
        assert password.encode() not in everything


def test_dump_off_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    previous = _transport.set_packet_debug(False)
    caplog.set_level(logging.INFO, logger="oracle_asyncio.packets")
    try:

        async def body(server: EmbeddedServer) -> None:
            async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn):
                pass

        run(body)
    finally:
        _transport.set_packet_debug(previous)
    assert not [r for r in caplog.records if r.name == "oracle_asyncio.packets"]


def test_environment_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = _transport.packet_debug_enabled()
    try:
        for name in ("ORACLE_ASYNCIO_DEBUG_PACKETS", "PYO_DEBUG_PACKETS"):
            monkeypatch.delenv("ORACLE_ASYNCIO_DEBUG_PACKETS", raising=False)
            monkeypatch.delenv("PYO_DEBUG_PACKETS", raising=False)
            _transport.set_packet_debug(None)
            assert not _transport.packet_debug_enabled()
            for value, on in (("1", True), ("yes", True), ("0", False), ("", False)):
                monkeypatch.setenv(name, value)
                _transport.set_packet_debug(None)
                assert _transport.packet_debug_enabled() is on, (name, value)
    finally:
        _transport.set_packet_debug(previous)


def test_stderr_when_logging_is_not_configured(
    dumping: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_transport.packet_logger, "hasHandlers", lambda: False)
    log = _transport.PacketLog("client")
    marker = b"\x00\x00\x00\x0b\x0c\x00\x00\x00\x01\x00\x01"
    log.dump("sent", marker[:5])
    assert capsys.readouterr().err == ""
    log.dump("sent", marker[5:])
    err = capsys.readouterr().err
    assert err.startswith("sent packet on client #") and "11 bytes, MARKER" in err
    assert "0008 : 01 00 01" in err
