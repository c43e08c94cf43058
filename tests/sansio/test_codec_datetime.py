"""DATE / TIMESTAMP family codecs: known vectors, round trips, time zones, bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.codecs.datetime import (
    decode_date,
    decode_timestamp,
    decode_timestamp_ltz,
    decode_timestamp_tz,
    decode_timestamp_tz_aware,
    encode_date,
    encode_timestamp,
    encode_timestamp_ltz,
    encode_timestamp_tz,
)
from oracle_sansio.errors import DecodeError, EncodeError

H = bytes.fromhex
DECODERS: list[Callable[[bytes], dt.datetime]] = [
    decode_date,
    decode_timestamp,
    decode_timestamp_ltz,
    decode_timestamp_tz,
    decode_timestamp_tz_aware,
]


# ----------------------------------------------------------------- vectors


def test_date_vector() -> None:
    # docs/protocol-ttc.md 6.6, [live] python-oracledb 26.1 (both directions).
    value = dt.datetime(2024, 3, 15, 13, 45, 30)
    assert encode_date(value) == H("78 7C 03 0F 0E 2E 1F")
    assert decode_date(H("78 7C 03 0F 0E 2E 1F")) == value


def test_date_capture_vector() -> None:
    # docs/protocol-ttc.md 6.6, capture example (oracle-nio 23ai server bytes).
    assert decode_date(H("78 7D 04 03 07 2C 08")) == dt.datetime(2025, 4, 3, 6, 43, 7)


def test_bare_date_gets_midnight() -> None:
    # docs/protocol-ttc.md 6.6: a bare date gets hour/minute/second bytes 01 01 01.
    assert encode_date(dt.date(2024, 3, 15)) == H("78 7C 03 0F 01 01 01")
    assert encode_timestamp(dt.date(2024, 3, 15)) == H("78 7C 03 0F 01 01 01")


def test_date_drops_microseconds() -> None:
    assert encode_date(dt.datetime(2024, 3, 15, 13, 45, 30, 999999)) == H("78 7C 03 0F 0E 2E 1F")


def test_timestamp_vector() -> None:
    # docs/protocol-ttc.md 6.7, [live] python-oracledb 26.1 (both directions).
    value = dt.datetime(2024, 3, 15, 13, 45, 30, 123456)
    body = H("78 7C 03 0F 0E 2E 1F 07 5B CA 00")
    assert encode_timestamp(value) == body
    assert decode_timestamp(body) == value
    assert encode_timestamp_ltz(value) == body  # docs/protocol-ttc.md 6.7: LTZ has TIMESTAMP's layout
    assert decode_timestamp_ltz(body) == value


def test_timestamp_zero_fraction_is_seven_bytes() -> None:
    # docs/protocol-ttc.md 6.7 bind rule (python-oracledb buffer.pyx write_oracle_date).
    assert encode_timestamp(dt.datetime(2024, 3, 15, 13, 45, 30)) == H("78 7C 03 0F 0E 2E 1F")
    assert decode_timestamp(H("78 7C 03 0F 0E 2E 1F")) == dt.datetime(2024, 3, 15, 13, 45, 30)


def test_timestamp_truncates_nanoseconds() -> None:
    # docs/protocol-ttc.md 6.7: python drops the extra digits (ns // 1000).
    assert decode_timestamp(H("78 7C 03 0F 0E 2E 1F 3B 9A C9 FF")).microsecond == 999999


def test_timestamp_tz_vector() -> None:
    # docs/protocol-ttc.md 6.7, [live] python-oracledb 26.1: UTC fields + 02:00 -> naive local.
    body = H("78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C")
    assert decode_timestamp_tz(body) == dt.datetime(2024, 3, 15, 13, 45, 30, 500000)
    aware = decode_timestamp_tz_aware(body)
    assert aware == dt.datetime(2024, 3, 15, 13, 45, 30, 500000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert aware.utcoffset() == dt.timedelta(hours=2)
    assert encode_timestamp_tz(aware) == body


def test_timestamp_tz_naive_bind() -> None:
    # docs/protocol-ttc.md 6.7, [live] python-oracledb 26.1: fields as given, bytes 14 3C (+00:00).
    value = dt.datetime(2024, 3, 15, 13, 45, 30, 500000)
    assert encode_timestamp_tz(value) == H("78 7C 03 0F 0E 2E 1F 1D CD 65 00 14 3C")
    assert encode_timestamp_tz(dt.datetime(2024, 3, 15, 13, 45, 30)) == H("78 7C 03 0F 0E 2E 1F 00 00 00 00 14 3C")
    assert encode_timestamp_tz(dt.date(2024, 3, 15)) == H("78 7C 03 0F 01 01 01 00 00 00 00 14 3C")


def test_timestamp_tz_negative_offset_signs_both_fields() -> None:
    # go-ora converters: hour and minute both carry the sign (-03:30 -> 17, 30).
    zone = dt.timezone(-dt.timedelta(hours=3, minutes=30))
    body = encode_timestamp_tz(dt.datetime(2024, 1, 1, tzinfo=zone))
    assert body[11:] == bytes((20 - 3, 60 - 30))
    assert body[:7] == H("78 7C 01 01 04 1F 01")  # 03:30 UTC
    assert decode_timestamp_tz(body) == dt.datetime(2024, 1, 1)


@pytest.mark.parametrize("tail", ["", "00 00 00 00", "00 00 00 00 00 00", "00 00 00 00 14 00", "00 00 00 00 00 3C"])
def test_timestamp_tz_without_zone_is_utc(tail: str) -> None:
    # docs/protocol-ttc.md 6.7: bytes 11-12 equal to 0, or a shorter value, mean offset 0.
    body = H("78 7C 03 0F 0E 2E 1F " + tail)
    assert decode_timestamp_tz(body) == dt.datetime(2024, 3, 15, 13, 45, 30)
    assert decode_timestamp_tz_aware(body).utcoffset() == dt.timedelta(0)


def test_named_time_zone_rejected() -> None:
    # docs/protocol-ttc.md 6.7: bit 0x80 in byte 11 = region id (python: ERR_NAMED_TIMEZONE_NOT_SUPPORTED).
    body = H("78 7C 03 0F 0C 2E 1F 1D CD 65 00 86 3C")
    for decoder in (decode_timestamp_tz, decode_timestamp_tz_aware):
        with pytest.raises(DecodeError, match="named time zones are not supported"):
            decoder(body)


# ----------------------------------------------------------------- encode errors


@pytest.mark.parametrize(
    ("offset", "word"),
    [
        (dt.timedelta(hours=1, seconds=30), "offset"),
        (dt.timedelta(hours=16), "offset"),
        (-dt.timedelta(hours=16), "offset"),
    ],
)
def test_encode_tz_bad_offset(offset: dt.timedelta, word: str) -> None:
    with pytest.raises(EncodeError, match=word):
        encode_timestamp_tz(dt.datetime(2024, 1, 1, tzinfo=dt.timezone(offset)))


def test_encode_tz_utc_out_of_range() -> None:
    with pytest.raises(EncodeError, match="years"):
        encode_timestamp_tz(dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))))


@pytest.mark.parametrize("encoder", [encode_date, encode_timestamp, encode_timestamp_tz])
def test_encode_wrong_type(encoder: Callable[[dt.date], bytes]) -> None:
    with pytest.raises(TypeError):
        encoder("2024-01-01")  # type: ignore[arg-type]


# ----------------------------------------------------------------- decode errors


@pytest.mark.parametrize(
    ("hexed", "word"),
    [
        ("78 7C 0D 0F 0E 2E 1F", "month 13"),
        ("78 7C 00 0F 0E 2E 1F", "month 0"),
        ("78 7C 03 20 0E 2E 1F", "day 32"),
        ("78 7C 02 1E 0E 2E 1F", "day 30"),
        ("78 7C 03 00 0E 2E 1F", "day 0"),
        ("78 7C 03 0F 00 2E 1F", "hour -1"),
        ("78 7C 03 0F 19 2E 1F", "hour 24"),
        ("78 7C 03 0F 0E 3D 1F", "minute 60"),
        ("78 7C 03 0F 0E 2E 3D", "second 60"),
        ("63 63 01 01 01 01 01", "year -1"),  # a BC-style century byte
        ("64 64 01 01 01 01 01", "year 0"),
        ("78 C8 01 01 01 01 01", "year"),  # year-in-century byte 200
        ("C8 64 01 01 01 01 01", "year 10000"),
    ],
)
def test_date_field_errors(hexed: str, word: str) -> None:
    for decoder in DECODERS:
        with pytest.raises(DecodeError, match=word):
            decoder(H(hexed))


def test_fraction_out_of_range() -> None:
    with pytest.raises(DecodeError, match="fractional"):
        decode_timestamp(H("78 7C 03 0F 0E 2E 1F 3B 9A CA 00"))


@pytest.mark.parametrize(
    ("decoder", "length"),
    [
        (decode_date, 0),
        (decode_date, 6),
        (decode_date, 8),
        (decode_date, 11),
        (decode_timestamp, 0),
        (decode_timestamp, 8),
        (decode_timestamp, 13),
        (decode_timestamp_ltz, 10),
        (decode_timestamp_tz, 12),
        (decode_timestamp_tz, 14),
        (decode_timestamp_tz_aware, 0),
    ],
)
def test_wrong_lengths(decoder: Callable[[bytes], dt.datetime], length: int) -> None:
    with pytest.raises(DecodeError, match="bytes"):
        decoder(H("78 7C 03 0F 0E 2E 1F 00 00 00 00 14 3C 00")[:length])


@pytest.mark.parametrize(("tz", "word"), [("32 3C", "offset"), ("14 78", "offset"), ("04 3C", "offset")])
def test_tz_offset_out_of_range(tz: str, word: str) -> None:
    with pytest.raises(DecodeError, match=word):
        decode_timestamp_tz(H("78 7C 03 0F 0E 2E 1F 00 00 00 00 " + tz))


def test_tz_shift_leaves_python_range() -> None:
    # 9999-12-31 23:00 UTC at +02:00 is year 10000 locally.
    body = H("C7 C7 0C 1F 18 01 01 00 00 00 00 16 3C")
    with pytest.raises(DecodeError, match="9999"):
        decode_timestamp_tz(body)
    with pytest.raises(DecodeError, match="9999"):
        decode_timestamp_tz_aware(body)


# ----------------------------------------------------------------- properties

_offsets = st.integers(-(15 * 60 + 59), 15 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


@given(st.datetimes())
def test_timestamp_round_trip(value: dt.datetime) -> None:
    assert decode_timestamp(encode_timestamp(value)) == value
    assert decode_timestamp_ltz(encode_timestamp_ltz(value)) == value
    assert decode_date(encode_date(value)) == value.replace(microsecond=0)


@given(st.dates())
def test_date_round_trip(value: dt.date) -> None:
    assert decode_date(encode_date(value)) == dt.datetime(value.year, value.month, value.day)


@given(st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=_offsets))
def test_timestamp_tz_round_trip(value: dt.datetime) -> None:
    body = encode_timestamp_tz(value)
    aware = decode_timestamp_tz_aware(body)
    assert aware == value and aware.utcoffset() == value.utcoffset()
    assert decode_timestamp_tz(body) == value.replace(tzinfo=None)


@given(st.datetimes())
def test_timestamp_tz_naive_round_trip(value: dt.datetime) -> None:
    assert decode_timestamp_tz(encode_timestamp_tz(value)) == value


@given(st.binary(max_size=15))
def test_arbitrary_bytes(data: bytes) -> None:
    for decoder in DECODERS:
        try:
            decoder(data)
        except DecodeError:
            pass


@given(
    st.tuples(
        st.integers(90, 210), st.integers(90, 210), *[st.integers(0, 70)] * 5, st.binary(min_size=4, max_size=4)
    ).map(lambda t: bytes(t[:7]) + t[7])
)
def test_near_valid_bytes(data: bytes) -> None:
    # Bytes close to valid dates reach the datetime constructor, where ValueError must not escape.
    for body in (data[:7], data, data + b"\x16\x3c"):
        for decoder in DECODERS:
            try:
                decoder(body)
            except DecodeError:
                pass
