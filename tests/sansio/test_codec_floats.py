"""BINARY_FLOAT / BINARY_DOUBLE codecs: vectors, specials, byte order, bad input."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.floats import (
    decode_binary_double,
    decode_binary_float,
    encode_binary_double,
    encode_binary_float,
)
from oracle_sansio.errors import DecodeError, EncodeError

H = bytes.fromhex

# (value, BINARY_DOUBLE hex, BINARY_FLOAT hex).  Provenance: docs/protocol-ttc.md 6.5 table;
# [live] marks the cells python-oracledb 26.1 produced in the live check.
VECTORS = [
    (1.0, "BF F0 00 00 00 00 00 00", "BF 80 00 00"),  # docs/protocol-ttc.md 6.5, double [live] python-oracledb 26.1
    (-1.0, "40 0F FF FF FF FF FF FF", "40 7F FF FF"),  # docs/protocol-ttc.md 6.5, float [live] python-oracledb 26.1
    (0.0, "80 00 00 00 00 00 00 00", "80 00 00 00"),  # docs/protocol-ttc.md 6.5
    (-0.0, "7F FF FF FF FF FF FF FF", "7F FF FF FF"),  # docs/protocol-ttc.md 6.5
    (1.5, "BF F8 00 00 00 00 00 00", "BF C0 00 00"),  # docs/protocol-ttc.md 6.5, float [live] python-oracledb 26.1
    (2.5, "C0 04 00 00 00 00 00 00", "C0 20 00 00"),  # docs/protocol-ttc.md 6.5
]


@pytest.mark.parametrize(("value", "double", "single"), VECTORS)
def test_vectors(value: float, double: str, single: str) -> None:
    assert encode_binary_double(value) == H(double)
    assert encode_binary_float(value) == H(single)
    for decoded in (decode_binary_double(H(double)), decode_binary_float(H(single))):
        assert decoded == value
        assert math.copysign(1.0, decoded) == math.copysign(1.0, value)  # -0.0 keeps its sign


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_specials(value: float) -> None:
    for encode, decode in ((encode_binary_double, decode_binary_double), (encode_binary_float, decode_binary_float)):
        decoded = decode(encode(value))
        assert decoded == value or (math.isnan(value) and math.isnan(decoded))


def test_int_is_accepted() -> None:
    assert encode_binary_double(1) == encode_binary_double(1.0)


@pytest.mark.parametrize(
    ("decoder", "word", "length"),
    [(decode_binary_double, "BINARY_DOUBLE", n) for n in (0, 1, 4, 7, 9, 16)]
    + [(decode_binary_float, "BINARY_FLOAT", n) for n in (0, 1, 3, 5, 8)],
)
def test_wrong_length(decoder: Callable[[bytes], float], word: str, length: int) -> None:
    with pytest.raises(DecodeError, match=word):
        decoder(bytes(length))


def test_float32_overflow() -> None:
    with pytest.raises(EncodeError, match="BINARY_FLOAT"):
        encode_binary_float(1e39)


def test_wrong_type() -> None:
    with pytest.raises(TypeError):
        encode_binary_double("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encode_binary_float("1")  # type: ignore[arg-type]


@given(st.floats())
def test_double_round_trip(value: float) -> None:
    decoded = decode_binary_double(encode_binary_double(value))
    assert struct.pack(">d", decoded) == struct.pack(">d", value)  # bit-exact, NaN payloads too


@given(st.floats(width=32))
def test_float_round_trip(value: float) -> None:
    decoded = decode_binary_float(encode_binary_float(value))
    assert decoded == value or (math.isnan(value) and math.isnan(decoded))


@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_byte_order_is_numeric_order(a: float, b: float) -> None:
    # docs/protocol-ttc.md 6.5: "The result sorts bytewise" (-0.0 sorts just below 0.0).
    if a != b:
        assert (encode_binary_double(a) < encode_binary_double(b)) == (a < b)


@given(st.binary(max_size=10))
def test_arbitrary_bytes(data: bytes) -> None:
    for decoder in (decode_binary_double, decode_binary_float):
        try:
            decoder(data)
        except DecodeError:
            pass
