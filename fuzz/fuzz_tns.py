"""Fuzz the TNS packet reader: arbitrary bytes, whole and one byte at a time.

Only :class:`~oracle_sansio.errors.ProtocolError` subclasses may escape the
reader, and both feeding styles must agree on the packets and the error.
"""

from __future__ import annotations

from oracle_sansio.errors import ProtocolError
from oracle_sansio.limits import Limits
from oracle_sansio.tns.framer import PacketReader
from oracle_sansio.tns.packets import Packet

from fuzz._seeds import tns_packets

_LIMITS = Limits(max_packet_size=65_536, max_connect_data=4096)


def _run(data: bytes, large: bool, step: int) -> tuple[list[Packet], str | None]:
    reader = PacketReader(large=large, limits=_LIMITS)
    out: list[Packet] = []
    try:
        for pos in range(0, len(data), step):
            reader.receive_data(data[pos : pos + step])
            while (pkt := reader.next_packet()) is not None:
                out.append(pkt)
        reader.receive_data(b"")
        while (pkt := reader.next_packet()) is not None:
            out.append(pkt)
    except ProtocolError as exc:
        return out, type(exc).__name__
    return out, None


def one_input(data: bytes) -> None:
    """Feed ``data`` (first byte: 16/32-bit mode) whole and byte-wise; compare."""
    if not data:
        return
    large = bool(data[0] & 1)
    body = data[1:]
    whole = _run(body, large, max(1, len(body)))
    bytewise = _run(body, large, 1)
    if whole != bytewise:
        raise AssertionError(f"whole and byte-wise feeding disagree: {whole!r} != {bytewise!r}")


def seeds() -> list[bytes]:
    """Captured packets, each prefixed by the mode byte they were sent in."""
    return [b"\x00" + raw for raw in tns_packets()[:200]] + [
        b"\x01" + raw for raw in tns_packets()[:200] if raw[:2] == b"\x00\x00"
    ]


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
