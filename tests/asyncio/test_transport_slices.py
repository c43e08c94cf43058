"""A large output (a LOB write) reaches asyncio in slices, one while the
transport is not paused: asyncio 3.11 deletes each send from the front of one
buffer holding the rest of a write, a cost quadratic in the write (issue 14,
large-lob).  Work counted: the largest write asyncio is handed."""

from __future__ import annotations

import asyncio
from typing import Any

from oracle_asyncio._transport import WRITE_SLICE, Transport


class _Machine:
    """Stands in for the client machine: hands out what the test queued."""

    def __init__(self) -> None:
        self.queued = b""

    def data_to_send(self) -> bytes:
        out, self.queued = self.queued, b""
        return out


class _Socket(asyncio.Transport):
    """Records writes; pauses its protocol above 64 KiB buffered, as asyncio does."""

    def __init__(self, protocol: Transport) -> None:
        super().__init__()
        self.protocol = protocol
        self.writes: list[bytes] = []
        self.buffered = 0

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))
        self.buffered += len(data)
        if self.buffered > 65536:
            self.protocol.pause_writing()

    def is_closing(self) -> bool:
        return False

    def drain(self) -> None:
        self.buffered = 0
        self.protocol.resume_writing()


def test_a_large_output_goes_in_slices_and_in_order() -> None:
    machine = _Machine()
    protocol = Transport(machine)  # type: ignore[arg-type]
    sock = _Socket(protocol)
    protocol.connection_made(sock)
    big = bytes(range(256)) * (3 * WRITE_SLICE // 256 + 7)
    machine.queued = big
    protocol.flush()
    assert len(sock.writes) == 1  # paused after the first slice
    machine.queued = b"small"
    protocol.flush()  # queued behind the large one, not written ahead of it
    for _ in range(10):
        sock.drain()
    assert b"".join(sock.writes) == big + b"small"
    assert max(len(w) for w in sock.writes) <= WRITE_SLICE


def test_small_outputs_are_written_at_once() -> None:
    machine = _Machine()
    protocol = Transport(machine)  # type: ignore[arg-type]
    sock = _Socket(protocol)
    protocol.connection_made(sock)
    machine.queued = b"x" * 1000
    protocol.flush()
    assert sock.writes == [b"x" * 1000]
