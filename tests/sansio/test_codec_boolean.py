"""BOOLEAN codec: python-oracledb decides on the first byte only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.boolean import FALSE_BODY, TRUE_BODY, decode_boolean, encode_boolean
from oracle_sansio.errors import DecodeError

H = bytes.fromhex


def test_bind_bodies() -> None:
    # docs/protocol-ttc.md 6.11, [live] python-oracledb 26.1: true = CLR 02 01 01, false = CLR 01 00.
    assert encode_boolean(True) == H("01 01") == TRUE_BODY
    assert encode_boolean(False) == H("00") == FALSE_BODY


@pytest.mark.parametrize(
    ("hexed", "value"),
    [
        ("01 01", True),  # docs/protocol-ttc.md 6.11: real servers send 02 01 01 for true
        ("00", False),  # docs/protocol-ttc.md 6.11: real servers send 01 00 for false
        ("81 01", False),  # docs/protocol-ttc.md 6.11: 12.1's NULL PL/SQL boolean (NULL is in the indicator)
        ("01", True),  # python-oracledb buffer.pyx: only ptr[0] == 1 matters
        ("02 01", False),
    ],
)
def test_decode(hexed: str, value: bool) -> None:
    assert decode_boolean(H(hexed)) is value


def test_empty() -> None:
    with pytest.raises(DecodeError, match="empty"):
        decode_boolean(b"")


@pytest.mark.parametrize("value", [1, 0, None, "true"])
def test_non_bool_refused(value: object) -> None:
    with pytest.raises(TypeError):
        encode_boolean(value)  # type: ignore[arg-type]


@given(st.booleans())
def test_round_trip(value: bool) -> None:
    assert decode_boolean(encode_boolean(value)) is value


@given(st.binary(max_size=8))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        assert decode_boolean(data) is (data[0] == 1)
    except DecodeError:
        assert not data
