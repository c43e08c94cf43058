"""The embedded server's TLS side facing clients that never complete a handshake:
the socket is closed within a bound and no task is left with an unretrieved error."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import pytest

from oracle_asyncio.testing import EmbeddedServer, TlsConfig

trustme = pytest.importorskip("trustme")

BOUND = 5.0  # seconds: every wait here is bounded (the server's own bounds are 0.2 s)


def server_pem(tmp_path: Path) -> str:
    pem = tmp_path / "server.pem"
    trustme.CA().issue_cert("localhost").private_key_and_cert_chain_pem.write_to_path(str(pem))
    return str(pem)


async def closed_by_server(server: EmbeddedServer, send: bytes) -> bool:
    """Connect, send ``send`` (not a ClientHello), and tell whether the server closed the socket."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        if send:
            writer.write(send)
        try:
            data = await asyncio.wait_for(reader.read(100), BOUND)
        except ConnectionError:
            return True
        except asyncio.TimeoutError:
            return False
        return data == b""
    finally:
        writer.close()


def run_collecting_errors(main: Any) -> list[dict[str, Any]]:
    """Run ``main`` with the loop's exception handler recording what it is given
    (an unretrieved task exception is reported there when the task is collected)."""
    errors: list[dict[str, Any]] = []

    async def wrapped() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        await main()
        gc.collect()
        await asyncio.sleep(0)

    asyncio.run(wrapped())
    return errors


@pytest.mark.parametrize("garbage", [b"\x00\x01\x02", b"GET / HTTP/1.0\r\n\r\n"], ids=["partial", "http"])
def test_garbage_instead_of_a_client_hello_leaves_no_task_error(tmp_path: Path, garbage: bytes) -> None:
    # ``partial``: the logon timer closes the socket while the handshake still waits
    # (that used to end the task with an AttributeError nobody retrieved).
    pem = server_pem(tmp_path)
    closed: list[bool] = []

    async def main() -> None:
        async with EmbeddedServer(tls=TlsConfig(cert=pem), logon_timeout=0.2) as server:
            closed.append(await closed_by_server(server, garbage))
            await asyncio.sleep(0.05)

    errors = run_collecting_errors(main)
    assert closed == [True]
    assert errors == []


def test_a_silent_client_is_closed_after_the_handshake_timeout(tmp_path: Path) -> None:
    # No logon timeout: only the handshake's own bound can close this socket.
    pem = server_pem(tmp_path)
    closed: list[bool] = []

    async def main() -> None:
        async with EmbeddedServer(tls=TlsConfig(cert=pem, handshake_timeout=0.2), logon_timeout=None) as server:
            closed.append(await closed_by_server(server, b""))

    errors = run_collecting_errors(main)
    assert closed == [True]
    assert errors == []
