"""INTERVAL DAY TO SECOND / YEAR TO MONTH codecs: vectors, negative values, ranges, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.interval import (
    IntervalYM,
    decode_interval_ds,
    decode_interval_ym,
    encode_interval_ds,
    encode_interval_ym,
)
from oracle_sansio.errors import DecodeError, EncodeError

H = bytes.fromhex


def test_ds_vector() -> None:
    # docs/protocol-ttc.md 6.8, [live] python-oracledb 26.1: 1 day 02:03:04.5.
    value = dt.timedelta(days=1, hours=2, minutes=3, seconds=4, milliseconds=500)
    body = H("80 00 00 01 3E 3F 40 9D CD 65 00")
    assert encode_interval_ds(value) == body
    assert decode_interval_ds(body) == value


def test_ym_vector() -> None:
    # docs/protocol-ttc.md 6.8, [live] python-oracledb 26.1: 2 years 3 months.
    body = H("80 00 00 02 3F")
    assert encode_interval_ym(IntervalYM(2, 3)) == body
    assert decode_interval_ym(body) == IntervalYM(years=2, months=3)
    assert encode_interval_ym((2, 3)) == body


def test_ds_negative_is_canonical() -> None:
    # Oracle's own form: every field carries the sign (docs/protocol-ttc.md 6.8).
    value = -dt.timedelta(days=1, hours=2, minutes=3, seconds=4, milliseconds=500)
    body = encode_interval_ds(value)
    days = (0x8000_0000 - 1).to_bytes(4, "big")
    assert body == days + bytes((58, 57, 56)) + (0x8000_0000 - 500_000_000).to_bytes(4, "big")
    assert decode_interval_ds(body) == value
    assert encode_interval_ds(dt.timedelta(seconds=-1)) == H("80 00 00 00 3C 3C 3B 80 00 00 00")


def test_ds_python_oracledb_mixed_sign_form_decodes() -> None:
    # python-oracledb binds timedelta's normalised fields: -1 s = days -1, 23:59:59
    # (converters.pyx convert_interval_ds_to_struct); both forms mean the same value.
    body = H("7F FF FF FF") + bytes((60 + 23, 60 + 59, 60 + 59)) + H("80 00 00 00")
    assert decode_interval_ds(body) == dt.timedelta(seconds=-1)


def test_ds_floors_nanoseconds() -> None:
    # python-oracledb: fseconds // 1000.
    assert decode_interval_ds(H("80 00 00 00 3C 3C 3C 80 00 03 E7")) == dt.timedelta(microseconds=0)
    assert decode_interval_ds(H("80 00 00 00 3C 3C 3C 7F FF FF FF")) == dt.timedelta(microseconds=-1)


def test_ds_extremes() -> None:
    # timedelta's range is exactly INTERVAL DAY(9) TO SECOND: both ends encode.
    for value in (dt.timedelta.max, dt.timedelta.min, dt.timedelta.resolution, -dt.timedelta.resolution):
        assert decode_interval_ds(encode_interval_ds(value)) == value


def test_ym_negative() -> None:
    body = encode_interval_ym(IntervalYM(-2, -3))
    assert body == (0x8000_0000 - 2).to_bytes(4, "big") + bytes((57,))
    assert decode_interval_ym(body) == IntervalYM(-2, -3)


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (IntervalYM(0, 12), "months"),
        (IntervalYM(0, -12), "months"),
        (IntervalYM(10**9, 0), "years"),
        (IntervalYM(-(10**9), 0), "years"),
    ],
)
def test_ym_encode_errors(value: IntervalYM, word: str) -> None:
    with pytest.raises(EncodeError, match=word):
        encode_interval_ym(value)


def test_encode_wrong_types() -> None:
    with pytest.raises(TypeError):
        encode_interval_ds(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encode_interval_ym(IntervalYM(1.5, 0))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hexed", "word"),
    [
        ("", "11 bytes"),
        ("80 00 00 01 3E 3F 40 9D CD 65", "11 bytes"),
        ("80 00 00 01 3E 3F 40 9D CD 65 00 00", "11 bytes"),
        ("80 00 00 00 54 3C 3C 80 00 00 00", "hours 24"),
        ("80 00 00 00 24 3C 3C 80 00 00 00", "hours -24"),
        ("80 00 00 00 3C 78 3C 80 00 00 00", "minutes 60"),
        ("80 00 00 00 3C 3C 00 80 00 00 00", "seconds -60"),
        ("80 00 00 00 3C 3C 3C BB 9A CA 00", "fractional"),
        ("C0 00 00 00 3C 3C 3C 80 00 00 00", "days 1073741824"),
        ("BB 9A CA 00 3C 3C 3C 80 00 00 00", "days 1000000000"),
        ("44 65 36 01 3B 3C 3C 80 00 00 00", "total"),  # -999,999,999 days minus an hour
    ],
)
def test_ds_decode_errors(hexed: str, word: str) -> None:
    with pytest.raises(DecodeError, match=word):
        decode_interval_ds(H(hexed))


@pytest.mark.parametrize(
    ("hexed", "word"),
    [
        ("", "5 bytes"),
        ("80 00 00 02", "5 bytes"),
        ("80 00 00 02 3F 00", "5 bytes"),
        ("80 00 00 02 48", "months 12"),
        ("80 00 00 02 00", "months -60"),
        ("FF FF FF FF 3C", "years"),
    ],
)
def test_ym_decode_errors(hexed: str, word: str) -> None:
    with pytest.raises(DecodeError, match=word):
        decode_interval_ym(H(hexed))


@given(st.timedeltas())
def test_ds_round_trip(value: dt.timedelta) -> None:
    body = encode_interval_ds(value)
    assert len(body) == 11
    assert decode_interval_ds(body) == value


@given(st.integers(-999_999_999, 999_999_999), st.integers(-11, 11))
def test_ym_round_trip(years: int, months: int) -> None:
    assert decode_interval_ym(encode_interval_ym(IntervalYM(years, months))) == (years, months)


@given(st.binary(max_size=13))
def test_arbitrary_bytes(data: bytes) -> None:
    for decoder in (decode_interval_ds, decode_interval_ym):
        try:
            decoder(data)
        except DecodeError:
            pass


@given(st.integers(0, 2**32 - 1), st.binary(min_size=3, max_size=3), st.integers(0, 2**32 - 1))
def test_near_valid_ds(days: int, hms: bytes, nanos: int) -> None:
    try:
        decode_interval_ds(days.to_bytes(4, "big") + hms + nanos.to_bytes(4, "big"))
    except DecodeError:
        pass
