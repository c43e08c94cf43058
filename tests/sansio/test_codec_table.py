"""Type numbers, the (type, csfrm) -> codec table production uses
(``ttc/messages/values.py``), and the codec fuzz harness."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from decimal import Decimal

import pytest

import fuzz.fuzz_codecs as harness
from oracle_sansio import codecs
from oracle_sansio.codecs import Csfrm, IntervalYM, OracleType
from oracle_sansio.errors import DecodeError
from oracle_sansio.ttc.messages.values import bind_decoder, bind_encoder, body_decoder, body_encoder, column_decoder
from oracle_sansio.ttc.wire import Reader, Writer

# docs/protocol-ttc.md 6.1 (python-oracledb base_impl.pxd / impl/base/types.pyx).
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
        (OracleType.BINARY_INTEGER, Csfrm.NONE, 42),  # docs/protocol-ttc.md 6.4: same bytes as NUMBER
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
def test_round_trip_through_the_table(ora_type: OracleType, csfrm: Csfrm, value: object) -> None:
    w = Writer()
    bind_encoder(ora_type, csfrm)(w, value)
    r = Reader(w.getvalue())
    assert bind_decoder(ora_type, csfrm)(r) == value
    assert r.pos == len(w.getvalue())
    encode, decode = body_encoder(ora_type, csfrm), body_decoder(ora_type, csfrm)
    if encode is not None and decode is not None:  # ROWID and UROWID bodies are read field by field
        assert decode(encode(value)) == value


def test_csfrm_picks_the_charset() -> None:
    nchar, implicit = body_encoder(OracleType.VARCHAR, Csfrm.NCHAR), body_encoder(OracleType.VARCHAR, Csfrm.IMPLICIT)
    assert nchar is not None and implicit is not None
    assert nchar("é") == b"\x00\xe9"
    assert implicit("é") == b"\xc3\xa9"
    text = body_decoder(1, 0)  # plain ints work too
    assert text is not None and text(b"\xc3\xa9") == "é"
    assert body_decoder(OracleType.NUMBER, Csfrm.NCHAR) is body_decoder(OracleType.NUMBER, Csfrm.NONE)  # ignored elsewhere


def test_timestamp_tz_codec_is_python_oracledb_compatible() -> None:
    # docs/protocol-ttc.md 6.7, [live] python-oracledb 26.1: naive, shifted by the offset.
    body = bytes.fromhex("78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C")
    decode = body_decoder(OracleType.TIMESTAMP_TZ, Csfrm.NONE)
    assert decode is not None and decode(body) == dt.datetime(2024, 3, 15, 13, 45, 30, 500000)


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
    # Locators, nested messages: the TTC layer's own readers, or a DecodeError naming the type.
    assert body_decoder(ora_type, Csfrm.NONE) is None
    assert body_encoder(ora_type, Csfrm.NONE) is None
    if ora_type not in (OracleType.CLOB, OracleType.BLOB, OracleType.BFILE):
        with pytest.raises(DecodeError, match=f"not supported yet .*type {int(ora_type)}"):
            column_decoder(ora_type, Csfrm.NONE)(Reader(b"\x01\x00"))


@pytest.mark.parametrize("ora_type", [0, 4, 999, -1])
def test_unknown_type(ora_type: int) -> None:
    with pytest.raises(DecodeError, match=f"unknown Oracle data type number {ora_type}"):
        column_decoder(ora_type, Csfrm.NONE)(Reader(b"\x01\x00"))


def test_one_codec_table() -> None:
    # The second table (codecs/registry.py, read only by tests) is gone; types.py keeps the numbers.
    assert importlib.util.find_spec("oracle_sansio.codecs.registry") is None
    plain = {t for t in OracleType if body_decoder(t, Csfrm.NONE) is not None}
    assert plain == {t for t in OracleType if body_encoder(t, Csfrm.NONE) is not None} - {
        OracleType.ROWID, OracleType.UROWID}  # written as text, read field by field


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
