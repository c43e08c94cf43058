"""Type numbers, the (type, csfrm) -> codec table, and the codec fuzz harness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest

import fuzz.fuzz_codecs as harness
from oracle_sansio import codecs
from oracle_sansio.codecs import Codec, Csfrm, IntervalYM, OracleType, codec_for
from oracle_sansio.errors import DecodeError

# PROTOCOL-TTC.md 6.1 (python-oracledb base_impl.pxd / impl/base/types.pyx).
TYPE_NUMBERS = {
    "VARCHAR": 1, "NUMBER": 2, "BINARY_INTEGER": 3, "LONG": 8, "ROWID": 11, "DATE": 12, "RAW": 23,
    "LONG_RAW": 24, "CHAR": 96, "BINARY_FLOAT": 100, "BINARY_DOUBLE": 101, "CURSOR": 102, "OBJECT": 109,
    "CLOB": 112, "BLOB": 113, "BFILE": 114, "JSON": 119, "VECTOR": 127, "TIMESTAMP": 180, "TIMESTAMP_TZ": 181,
    "INTERVAL_YM": 182, "INTERVAL_DS": 183, "UROWID": 208, "TIMESTAMP_LTZ": 231, "BOOLEAN": 252,
}  # fmt: skip


def test_type_numbers() -> None:
    assert {member.name: member.value for member in OracleType} == TYPE_NUMBERS


def test_csfrm() -> None:
    assert (Csfrm.NONE, Csfrm.IMPLICIT, Csfrm.NCHAR) == (0, 1, 2)


@pytest.mark.parametrize(
    ("ora_type", "csfrm", "value"),
    [
        (OracleType.NUMBER, Csfrm.NONE, Decimal("-123.45")),
        (OracleType.BINARY_INTEGER, Csfrm.NONE, 42),  # PROTOCOL-TTC.md 6.4: same bytes as NUMBER
        (OracleType.VARCHAR, Csfrm.IMPLICIT, "héllo"),
        (OracleType.VARCHAR, Csfrm.NCHAR, "héllo"),
        (OracleType.CHAR, Csfrm.IMPLICIT, "x  "),
        (OracleType.LONG, Csfrm.NCHAR, "long"),
        (OracleType.ROWID, Csfrm.NONE, "AAASNFAAEAAABI0AAF"),
        (OracleType.DATE, Csfrm.NONE, dt.datetime(2024, 3, 15, 13, 45, 30)),
        (OracleType.RAW, Csfrm.NONE, b"\x00\xff"),
        (OracleType.LONG_RAW, Csfrm.NONE, b"raw"),
        (OracleType.BINARY_FLOAT, Csfrm.NONE, 1.5),
        (OracleType.BINARY_DOUBLE, Csfrm.NONE, -0.1),
        (OracleType.TIMESTAMP, Csfrm.NONE, dt.datetime(2024, 3, 15, 13, 45, 30, 123456)),
        (OracleType.TIMESTAMP_TZ, Csfrm.NONE, dt.datetime(2024, 3, 15, 13, 45, 30, 500000)),
        (OracleType.TIMESTAMP_LTZ, Csfrm.NONE, dt.datetime(2024, 3, 15, 13, 45, 30)),
        (OracleType.INTERVAL_YM, Csfrm.NONE, IntervalYM(2, 3)),
        (OracleType.INTERVAL_DS, Csfrm.NONE, dt.timedelta(days=-1, microseconds=5)),
        (OracleType.UROWID, Csfrm.NONE, "AAASNFAAEAAABI0AAF"),
        (OracleType.BOOLEAN, Csfrm.NONE, True),
    ],
)
def test_round_trip_through_registry(ora_type: OracleType, csfrm: Csfrm, value: object) -> None:
    codec = codec_for(ora_type, csfrm)
    assert codec.decode(codec.encode(value)) == value


def test_csfrm_picks_the_charset() -> None:
    assert codec_for(OracleType.VARCHAR, Csfrm.NCHAR).encode("é") == b"\x00\xe9"
    assert codec_for(OracleType.VARCHAR, Csfrm.IMPLICIT).encode("é") == b"\xc3\xa9"
    assert codec_for(1, 0).decode(b"\xc3\xa9") == "é"  # plain ints work too
    assert codec_for(OracleType.NUMBER, Csfrm.NCHAR) is codec_for(OracleType.NUMBER)  # ignored elsewhere


def test_timestamp_tz_codec_is_python_oracledb_compatible() -> None:
    # PROTOCOL-TTC.md 6.7, [live] python-oracledb 26.1: naive, shifted by the offset.
    body = bytes.fromhex("78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C")
    assert codec_for(OracleType.TIMESTAMP_TZ).decode(body) == dt.datetime(2024, 3, 15, 13, 45, 30, 500000)


@pytest.mark.parametrize(
    "ora_type",
    [
        OracleType.CURSOR,
        OracleType.OBJECT,
        OracleType.CLOB,
        OracleType.BLOB,
        OracleType.BFILE,
        OracleType.JSON,
        OracleType.VECTOR,
    ],
)
def test_no_scalar_codec(ora_type: OracleType) -> None:
    with pytest.raises(DecodeError, match=f"{ora_type.name}.*no scalar codec"):
        codec_for(ora_type)


@pytest.mark.parametrize("ora_type", [0, 4, 999, -1])
def test_unknown_type(ora_type: int) -> None:
    with pytest.raises(DecodeError, match=f"unknown Oracle data type number {ora_type}"):
        codec_for(ora_type)


def test_codec_is_frozen() -> None:
    codec = codec_for(OracleType.NUMBER)
    assert isinstance(codec, Codec)
    with pytest.raises(dataclasses.FrozenInstanceError):
        codec.name = "other"  # type: ignore[misc]


def test_public_api_exported() -> None:
    for name in codecs.__all__:
        assert hasattr(codecs, name), name


# ----------------------------------------------------------------- fuzz harness


def test_harness_seeds_cover_every_decoder() -> None:
    assert len(harness.SEEDS) == len(harness.DECODERS)
    assert sorted(seed[0] for seed in harness.SEEDS) == list(range(len(harness.DECODERS)))
    for seed in harness.SEEDS:
        harness.DECODERS[seed[0]](seed[1:])  # every seed is a valid value
        harness.one_input(seed)
    assert harness.seeds() == harness.SEEDS


def test_harness_random_mutations() -> None:
    rng = random.Random(20240315)
    harness.one_input(b"")
    for _ in range(3000):
        seed = bytearray(rng.choice(harness.SEEDS))
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(1, len(seed) + 1)
            choice = rng.randrange(3)
            if choice == 0 and pos < len(seed):
                seed[pos] = rng.randrange(256)
            elif choice == 1:
                seed[pos:pos] = bytes([rng.randrange(256)])
            else:
                del seed[pos : pos + 1]
        harness.one_input(bytes(seed))  # only ProtocolError may escape, and one_input swallows it
