"""ROWID text form and UROWID bodies."""

from __future__ import annotations

import base64
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.rowid import Rowid, decode_urowid, encode_urowid
from oracle_sansio.errors import DecodeError, EncodeError

H = bytes.fromhex
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _reference(rowid: Rowid) -> str:
    """Field-by-field base-64 digits, as python-oracledb's _convert_base64 lays them out."""
    out = []
    for value, width in ((rowid.rba, 6), (rowid.partition_id, 3), (rowid.block_num, 6), (rowid.slot_num, 3)):
        out.append("".join(ALPHABET[(value >> (6 * (width - 1 - i))) & 0x3F] for i in range(width)))
    return "".join(out)


def test_live_vector() -> None:
    # docs/protocol-ttc.md 6.10, [live] python-oracledb 26.1: rba 0x12345, partition 4, block 0x1234, slot 5.
    rowid = Rowid(0x12345, 4, 0x1234, 5)
    assert str(rowid) == rowid.to_string() == "AAASNFAAEAAABI0AAF"
    assert Rowid.from_string("AAASNFAAEAAABI0AAF") == rowid


def test_physical_urowid_body() -> None:
    # docs/protocol-ttc.md 6.10, [live] python-oracledb 26.1: kind 1, u32be, u16be, u32be, u16be.
    body = H("01 00 01 23 45 00 04 00 00 12 34 00 05")
    assert decode_urowid(body) == "AAASNFAAEAAABI0AAF"
    assert encode_urowid("AAASNFAAEAAABI0AAF") == body
    assert encode_urowid(Rowid(0x12345, 4, 0x1234, 5)) == body
    # python-oracledb reads 13 bytes and ignores anything after them.
    assert decode_urowid(body + b"\xff") == "AAASNFAAEAAABI0AAF"


def test_all_zero_physical_is_none() -> None:
    # python-oracledb utils.pyx _encode_rowid returns None when every field is 0.
    assert decode_urowid(H("01" + "00" * 12)) is None


def test_logical_urowid_body() -> None:
    # docs/protocol-ttc.md 6.10 (python-oracledb packet.pyx read_urowid): '*' + base64 of bytes 1..
    rest = bytes(range(1, 16))
    body = b"\x02" + rest
    text = decode_urowid(body)
    assert text == "*" + base64.b64encode(rest).decode().rstrip("=")
    assert text == "*AQIDBAUGBwgJCgsMDQ4P"
    assert encode_urowid("*AQIDBAUGBwgJCgsMDQ4P") == body
    # Lengths that leave 1 or 2 bytes in the last group: no padding characters.
    assert decode_urowid(b"\x02" + bytes(13)) == "*" + "A" * 18
    assert decode_urowid(b"\x03" + bytes(14)) == "*" + "A" * 19


@pytest.mark.parametrize("length", [0, 1, 12])
def test_short_urowid(length: int) -> None:
    with pytest.raises(DecodeError, match="13"):
        decode_urowid(H("01 00 01 23 45 00 04 00 00 12 34 00 05")[:length])


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("AAASNFAAEAAABI0AA", "18"),
        ("AAASNFAAEAAABI0AAFF", "18"),
        ("AAASNFAAEAAABI0AA=", "alphabet|outside"),
        ("AAASNFAAEAAABI0A-F", "outside"),
        ("AAASNFAAEAAABI0AAé", "outside"),
        ("/AASNFAAEAAABI0AAF", "out of range"),  # rba beyond u32
        ("AAASNF/AEAAABI0AAF", "out of range"),  # partition beyond u16
        ("AAASNFAAEAAABI0/AF", "out of range"),  # slot beyond u16
    ],
)
def test_bad_rowid_text(text: str, word: str) -> None:
    with pytest.raises(EncodeError, match=word):
        Rowid.from_string(text)
    with pytest.raises(EncodeError):
        encode_urowid(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("*AQIDBAUGBwgJCgsMD", "base64 length"),  # 17 digits: 4n + 1
        ("*AQIDBAUGBwgJCgsMDQ4-", "outside"),
        ("*" + "A" * 17 + "B", "canonical"),  # stray low bits in the last digit
        ("*AQIDBAUGBwgJCgs", "too short"),
    ],
)
def test_bad_logical_text(text: str, word: str) -> None:
    with pytest.raises(EncodeError, match=word):
        encode_urowid(text)


@pytest.mark.parametrize(
    "fields", [(-1, 0, 0, 0), (2**32, 0, 0, 0), (0, 2**16, 0, 0), (0, 0, 2**32, 0), (0, 0, 0, 2**16)]
)
def test_field_ranges(fields: tuple[int, int, int, int]) -> None:
    with pytest.raises(EncodeError, match="out of range"):
        Rowid(*fields)


def test_encode_wrong_type() -> None:
    with pytest.raises(TypeError):
        encode_urowid(b"AAASNFAAEAAABI0AAF")  # type: ignore[arg-type]


rowids = st.builds(
    Rowid, st.integers(0, 2**32 - 1), st.integers(0, 2**16 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**16 - 1)
)


@given(rowids)
def test_rowid_round_trip(rowid: Rowid) -> None:
    text = rowid.to_string()
    assert text == _reference(rowid)
    assert Rowid.from_string(text) == rowid
    body = encode_urowid(rowid)
    assert body == b"\x01" + struct.pack(">IHIH", rowid.rba, rowid.partition_id, rowid.block_num, rowid.slot_num)
    assert decode_urowid(body) == (text if any(struct.unpack(">IHIH", body[1:])) else None)


@given(st.binary(min_size=12, max_size=60))
def test_logical_round_trip(rest: bytes) -> None:
    body = b"\x02" + rest
    text = decode_urowid(body)
    assert text is not None
    assert encode_urowid(text) == body


@given(st.binary(max_size=40))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        text = decode_urowid(data)
    except DecodeError:
        assert len(data) < 13
    else:
        assert text is None or text.isascii()
