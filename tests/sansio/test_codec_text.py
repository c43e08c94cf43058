"""Character codecs (AL32UTF8 / AL16UTF16) and the RAW identity codec."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.binary import decode_raw, encode_raw
from oracle_sansio.codecs.text import AL16UTF16, AL32UTF8, decode_nchar, decode_text, encode_nchar, encode_text
from oracle_sansio.errors import DecodeError, EncodeError

H = bytes.fromhex


def test_charset_ids() -> None:
    # docs/protocol-ttc.md 6.1: 873 = AL32UTF8, 2000 = AL16UTF16.
    assert (AL32UTF8, AL16UTF16) == (873, 2000)


def test_nchar_vector() -> None:
    # docs/protocol-ttc.md 6.2, [live] python-oracledb 26.1 (fetch and bind).
    body = H("00 68 00 E9 00 6C 00 6C 00 6F")
    assert decode_nchar(body) == "héllo"
    assert encode_nchar("héllo") == body


def test_utf8_vector() -> None:
    # docs/protocol-ttc.md 6.2: implicit-form values are always UTF-8.
    assert encode_text("héllo") == H("68 C3 A9 6C 6C 6F")
    assert decode_text(H("68 C3 A9 6C 6C 6F")) == "héllo"


def test_surrogate_pairs() -> None:
    clef = "\U0001d11e"
    assert encode_nchar(clef) == H("D8 34 DD 1E")
    assert decode_nchar(H("D8 34 DD 1E")) == clef
    assert decode_text(encode_text(clef)) == clef


def test_empty() -> None:
    assert decode_text(b"") == "" and decode_nchar(b"") == ""
    assert encode_text("") == b"" and encode_nchar("") == b""


@pytest.mark.parametrize(
    ("hexed", "words"),
    [
        ("61 62 FF", ["AL32UTF8", "byte 2"]),
        ("C3", ["AL32UTF8", "byte 0"]),
        ("61 ED A0 80", ["AL32UTF8", "byte 1"]),  # an encoded surrogate is not UTF-8
        ("C0 AF", ["AL32UTF8", "byte 0"]),  # overlong
    ],
)
def test_bad_utf8(hexed: str, words: list[str]) -> None:
    with pytest.raises(DecodeError) as info:
        decode_text(H(hexed))
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    ("hexed", "words"),
    [
        ("00 68 00", ["AL16UTF16", "byte 2"]),  # odd length
        ("D8 00 00 41", ["AL16UTF16", "byte 0"]),  # high surrogate without its low half
        ("00 41 DC 00", ["AL16UTF16", "byte 2"]),  # lone low surrogate
        ("D8 34", ["AL16UTF16", "byte 0"]),  # truncated pair
    ],
)
def test_bad_utf16(hexed: str, words: list[str]) -> None:
    with pytest.raises(DecodeError) as info:
        decode_nchar(H(hexed))
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("value", ["\ud800", "ok\udfff", "a\udc80b"])
def test_lone_surrogates_refused(value: str) -> None:
    with pytest.raises(EncodeError, match="AL32UTF8"):
        encode_text(value)
    with pytest.raises(EncodeError, match="AL16UTF16"):
        encode_nchar(value)


@given(st.text())
def test_round_trip(value: str) -> None:
    assert decode_text(encode_text(value)) == value
    assert decode_nchar(encode_nchar(value)) == value


@given(st.binary(max_size=32))
def test_arbitrary_bytes(data: bytes) -> None:
    for decoder in (decode_text, decode_nchar):
        try:
            decoder(data)
        except DecodeError:
            pass


# ----------------------------------------------------------------- RAW / LONG RAW


def test_raw_identity() -> None:
    # docs/protocol-ttc.md 6.9: the body is the value.
    assert decode_raw(H("DE AD BE EF")) == H("DE AD BE EF")
    assert encode_raw(H("DE AD BE EF")) == H("DE AD BE EF")
    assert decode_raw(b"") == b""


def test_raw_accepts_buffers() -> None:
    assert encode_raw(bytearray(b"\x01\x02")) == b"\x01\x02"
    assert encode_raw(memoryview(b"\x00\x01\x02")[1:]) == b"\x01\x02"
    assert type(encode_raw(bytearray(b"x"))) is bytes
    assert type(decode_raw(bytearray(b"x"))) is bytes  # type: ignore[arg-type]


def test_raw_refuses_str() -> None:
    with pytest.raises(TypeError):
        encode_raw("abc")  # type: ignore[arg-type]


@given(st.binary())
def test_raw_round_trip(value: bytes) -> None:
    assert decode_raw(encode_raw(value)) == value
    assert decode_raw(encode_raw(bytearray(value))) == value
