"""Fuzz the TTC wire reader with read programs chosen by the input itself.

The first byte picks the chunk-length form and a rotation of the read
program; the rest is parsed.  Invariants: only ``NeedMoreData`` (input too
short) or ``ProtocolError`` subclasses escape, and parsing any prefix of the
input agrees with parsing the whole input on every item the prefix completes.
"""

from __future__ import annotations

from collections.abc import Callable

from fuzz._seeds import ttc_payloads
from oracle_sansio.errors import NeedMoreData, ProtocolError
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.wire import Reader

_LIMITS = Limits(max_chunk_size=4096, max_chunk_count=64, max_bytes_length=16_384, max_kv_pairs=16)

_OPS: list[Callable[[Reader], object]] = [
    Reader.ub1, Reader.ub2, Reader.ub4, Reader.ub8, Reader.sb2, Reader.sb4, Reader.sb8,
    Reader.clr, Reader.dlc, Reader.auth_kv, Reader.keyword_value, Reader.u16be, Reader.u32be,
    Reader.u16le, lambda r: r.until_nul(64), lambda r: r.auth_kvs(r.ub1()), Reader.clr_str,
]


def _parse(data: bytes, big_chunks: bool, start: int) -> tuple[list[object], str]:
    r = Reader(data, limits=_LIMITS, big_chunks=big_chunks)
    out: list[object] = []
    i = start
    try:
        while not r.at_end() and len(out) < 2000:
            out.append(_OPS[i % len(_OPS)](r))
            i += 1
    except NeedMoreData:
        return out, "short"
    except ProtocolError as exc:
        return out, type(exc).__name__
    return out, "end"


def one_input(data: bytes) -> None:
    """Parse ``data`` and a few of its prefixes; results must be consistent."""
    if not data:
        return
    big_chunks, start = bool(data[0] & 0x80), data[0] & 0x7F
    body = data[1:2049]
    whole, outcome = _parse(body, big_chunks, start)
    for cut in {len(body) // 2, len(body) - 1, len(body) // 3}:
        if cut < 0:
            continue
        part, part_outcome = _parse(body[:cut], big_chunks, start)
        if part != whole[: len(part)]:
            raise AssertionError(f"prefix of {cut} bytes parsed differently")
        if part_outcome == "end" and outcome not in ("end", "short") and len(part) > len(whole):
            raise AssertionError("a prefix parsed further than the whole input")


def seeds() -> list[bytes]:
    """Captured TTC payloads under a few read programs."""
    payloads = ttc_payloads()[:120]
    return [bytes([i % 256]) + p for i, p in enumerate(payloads)]


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
