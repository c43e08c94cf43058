"""The driver against a listener that answers every CONNECT with RESEND (issue
12, item 11): DPY-6005 naming the resend loop after ``Limits.max_resends``
resends, at once, instead of a busy loop until connect_timeout."""

from __future__ import annotations

import asyncio

import pytest

import oracle_asyncio
from oracle_sansio.limits import DEFAULT_LIMITS
from oracle_sansio.tns.packets import Resend


def test_driver_fails_fast_against_a_resend_loop() -> None:
    connects: list[int] = []

    async def listener(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Every CONNECT (or anything else) gets a RESEND; bounded by the client hanging up.
        try:
            while await reader.read(65536):
                connects.append(1)
                writer.write(Resend().encode())
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def main() -> str:
        server = await asyncio.start_server(listener, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            with pytest.raises(oracle_asyncio.OperationalError) as info:
                await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=f"127.0.0.1:{port}/FREEPDB1",
                                                   connect_timeout=5)
            return str(info.value)
        finally:
            server.close()
            await server.wait_closed()

    text = asyncio.run(asyncio.wait_for(main(), 30))
    assert text.startswith("DPY-6005") and "resend loop" in text, text
    assert len(connects) <= DEFAULT_LIMITS.max_resends + 1
