"""Fuzz the value decoders: the first byte picks a decoder, the rest is its input.

Only :class:`~oracle_sansio.errors.ProtocolError` subclasses may escape a
decoder; anything else (IndexError, ValueError, OverflowError...) propagates
and counts as a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from oracle_sansio import codecs
from oracle_sansio.errors import ProtocolError

#: Every decoder, in a fixed order: the selector byte is an index into this.
DECODERS: Final[tuple[Callable[[bytes], object], ...]] = (
    codecs.decode_number,
    codecs.decode_number_text,
    codecs.decode_number_float,
    codecs.decode_date,
    codecs.decode_timestamp,
    codecs.decode_timestamp_ltz,
    codecs.decode_timestamp_tz,
    codecs.decode_timestamp_tz_aware,
    codecs.decode_interval_ds,
    codecs.decode_interval_ym,
    codecs.decode_text,
    codecs.decode_nchar,
    codecs.decode_raw,
    codecs.decode_binary_float,
    codecs.decode_binary_double,
    codecs.decode_boolean,
    codecs.decode_urowid,
)

# One known-good body per decoder, same order (docs/protocol-ttc.md section 6 vectors).
_SEED_BODIES: Final[tuple[str, ...]] = (
    "3D 64 4E 38 66",  # -123.45
    "C2 02 18 2E",  # 123.45
    "C1 02 33",  # 1.5
    "78 7C 03 0F 0E 2E 1F",  # 2024-03-15 13:45:30
    "78 7C 03 0F 0E 2E 1F 07 5B CA 00",  # .123456
    "78 7D 04 03 07 2C 08",  # 2025-04-03 06:43:07
    "78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C",  # 11:45:30.5 UTC +02:00
    "78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C",
    "80 00 00 01 3E 3F 40 9D CD 65 00",  # 1 day 02:03:04.5
    "80 00 00 02 3F",  # 2 years 3 months
    "68 C3 A9 6C 6C 6F",  # héllo
    "00 68 00 E9 00 6C 00 6C 00 6F",  # héllo
    "DE AD BE EF",
    "BF C0 00 00",  # 1.5
    "BF F0 00 00 00 00 00 00",  # 1.0
    "01 01",  # true
    "01 00 01 23 45 00 04 00 00 12 34 00 05",  # AAASNFAAEAAABI0AAF
)

SEEDS: Final[list[bytes]] = [bytes((i,)) + bytes.fromhex(body) for i, body in enumerate(_SEED_BODIES)]


def one_input(data: bytes) -> None:
    """Run the decoder picked by ``data[0]`` on ``data[1:]``; only ProtocolError is allowed out."""
    if not data:
        return
    decoder = DECODERS[data[0] % len(DECODERS)]
    try:
        decoder(data[1:])
    except ProtocolError:
        return


def seeds() -> list[bytes]:
    """Seed inputs for ``fuzz.run`` (one per decoder)."""
    return list(SEEDS)


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
