"""DATE (12), TIMESTAMP (180), TIMESTAMP WITH TIME ZONE (181) and WITH LOCAL TIME ZONE (231).

Layout (docs/protocol-ttc.md 6.6-6.7; python-oracledb impl/base/decoders.pyx
``decode_date`` and encoders.pyx): century + 100, year-in-century + 100,
month, day, hour + 1, minute + 1, second + 1; TIMESTAMPs add a u32be count of
nanoseconds, and TIMESTAMP WITH TIME ZONE two more bytes, tz-hour + 20 and
tz-minute + 60, with the date/time fields in UTC.

Python's ``datetime`` covers years 1..9999 only; Oracle bytes can also carry BC
years, so out-of-range fields raise :class:`DecodeError` naming the field
instead of letting ``ValueError`` escape.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

from ..errors import DecodeError, EncodeError

__all__ = [
    "DATE_LENGTH",
    "TIMESTAMP_LENGTH",
    "TIMESTAMP_TZ_LENGTH",
    "decode_date",
    "decode_timestamp",
    "decode_timestamp_ltz",
    "decode_timestamp_tz",
    "decode_timestamp_tz_aware",
    "encode_date",
    "encode_timestamp",
    "encode_timestamp_ltz",
    "encode_timestamp_tz",
]

DATE_LENGTH: Final = 7
TIMESTAMP_LENGTH: Final = 11
TIMESTAMP_TZ_LENGTH: Final = 13

_TZ_HOUR_OFFSET: Final = 20
_TZ_MINUTE_OFFSET: Final = 60
#: Bit in the tz-hour byte that marks a named time-zone region instead of an offset.
_HAS_REGION_ID: Final = 0x80
# ORA-01874/01875: an offset's hours lie within -15..15 and its minutes within -59..59.
_MAX_TZ_HOURS: Final = 15
_MAX_NANOS: Final = 999_999_999
_UTC: Final = _dt.timezone.utc
# Fixed-offset zones are immutable; cache the few dozen that real data uses.
_ZONES: dict[int, _dt.timezone] = {}


def _field_error(kind: str, data: bytes) -> DecodeError:
    """Name the first field of a DATE/TIMESTAMP body that is out of range."""
    b = data
    year = (b[0] - 100) * 100 + b[1] - 100
    if not 100 <= b[1] <= 199 or not 1 <= year <= 9999:
        what = f"year {year} is outside 1..9999 (BC dates and year 0 have no Python datetime)"
    elif not 1 <= b[2] <= 12:
        what = f"month {b[2]} is out of range"
    elif not 1 <= b[4] <= 24:
        what = f"hour {b[4] - 1} is out of range"
    elif not 1 <= b[5] <= 60:
        what = f"minute {b[5] - 1} is out of range"
    elif not 1 <= b[6] <= 60:
        what = f"second {b[6] - 1} is out of range"
    elif len(b) >= TIMESTAMP_LENGTH and int.from_bytes(b[7:11], "big") > _MAX_NANOS:
        what = f"fractional second of {int.from_bytes(b[7:11], 'big')} ns is out of range"
    else:
        what = f"day {b[3]} is out of range for {year:04d}-{b[2]:02d}"
    return DecodeError(f"{kind} {what} ({data.hex(' ')})")


def _fields(kind: str, data: bytes) -> _dt.datetime:
    """Build the naive datetime the first 7 (or 11) bytes describe.

    Raises:
        DecodeError: a field is out of range.
    """
    nanos = int.from_bytes(data[7:11], "big") if len(data) >= TIMESTAMP_LENGTH else 0
    if nanos > _MAX_NANOS or not 100 <= data[1] <= 199:
        raise _field_error(kind, data)
    try:
        return _dt.datetime(
            (data[0] - 100) * 100 + data[1] - 100,
            data[2],
            data[3],
            data[4] - 1,
            data[5] - 1,
            data[6] - 1,
            nanos // 1000,
        )
    except ValueError:
        raise _field_error(kind, data) from None


def decode_date(data: bytes) -> _dt.datetime:
    """Decode a 7-byte DATE body to a naive ``datetime``.

    Raises:
        DecodeError: not 7 bytes, or a field out of range (month 13, BC year...).
    """
    if len(data) != DATE_LENGTH:
        raise DecodeError(f"DATE value must be {DATE_LENGTH} bytes, got {len(data)}")
    return _fields("DATE", data)


def decode_timestamp(data: bytes) -> _dt.datetime:
    """Decode a TIMESTAMP body (11 bytes, or 7 when the fraction is 0) to a naive ``datetime``.

    Nanoseconds are truncated to microseconds, as python-oracledb does.

    Raises:
        DecodeError: a length other than 7 or 11, or a field out of range.
    """
    if len(data) != TIMESTAMP_LENGTH and len(data) != DATE_LENGTH:
        raise DecodeError(f"TIMESTAMP value must be {DATE_LENGTH} or {TIMESTAMP_LENGTH} bytes, got {len(data)}")
    return _fields("TIMESTAMP", data)


#: TIMESTAMP WITH LOCAL TIME ZONE has TIMESTAMP's layout; python-oracledb reads it unchanged.
decode_timestamp_ltz = decode_timestamp


def _zone(data: bytes) -> _dt.timezone:
    """Return the fixed offset in bytes 11-12 (UTC when absent or zero, as python-oracledb reads it).

    Raises:
        DecodeError: a named region, or an offset outside -15:59..15:59.
    """
    if len(data) < TIMESTAMP_TZ_LENGTH or data[11] == 0 or data[12] == 0:
        return _UTC
    if data[11] & _HAS_REGION_ID:
        raise DecodeError(f"named time zones are not supported (region bytes {data[11:13].hex(' ')})")
    hours = data[11] - _TZ_HOUR_OFFSET
    minutes = data[12] - _TZ_MINUTE_OFFSET
    if not -_MAX_TZ_HOURS <= hours <= _MAX_TZ_HOURS or not -59 <= minutes <= 59:
        raise DecodeError(f"TIMESTAMP WITH TIME ZONE offset {hours}h {minutes}m is out of range")
    seconds = hours * 3600 + minutes * 60
    if not seconds:
        return _UTC
    zone = _ZONES.get(seconds)
    if zone is None:
        zone = _ZONES.setdefault(seconds, _dt.timezone(_dt.timedelta(seconds=seconds)))
    return zone


def _decode_tz(data: bytes) -> tuple[_dt.datetime, _dt.timezone]:
    n = len(data)
    if n != TIMESTAMP_TZ_LENGTH and n != TIMESTAMP_LENGTH and n != DATE_LENGTH:
        raise DecodeError(
            f"TIMESTAMP WITH TIME ZONE value must be {TIMESTAMP_TZ_LENGTH} bytes (or 7/11 without a zone), got {n}"
        )
    zone = _zone(data)
    return _fields("TIMESTAMP WITH TIME ZONE", data), zone


def decode_timestamp_tz(data: bytes) -> _dt.datetime:
    """Decode TIMESTAMP WITH TIME ZONE the python-oracledb way: a naive local datetime.

    The UTC fields are shifted by the stored offset and the offset is dropped.

    Raises:
        DecodeError: bad length, a field out of range, a named time-zone
            region, or a shifted value outside Python's year range.
    """
    utc_fields, zone = _decode_tz(data)
    offset = zone.utcoffset(None)
    if not offset:
        return utc_fields
    try:
        return utc_fields + offset
    except OverflowError:
        raise DecodeError(
            f"TIMESTAMP WITH TIME ZONE {utc_fields} UTC shifted by {offset} leaves years 1..9999"
        ) from None


def decode_timestamp_tz_aware(data: bytes) -> _dt.datetime:
    """Decode TIMESTAMP WITH TIME ZONE to an aware datetime carrying the stored offset.

    Raises:
        DecodeError: as :func:`decode_timestamp_tz`.
    """
    utc_fields, zone = _decode_tz(data)
    try:
        return utc_fields.replace(tzinfo=_UTC).astimezone(zone)
    except OverflowError:
        raise DecodeError(f"TIMESTAMP WITH TIME ZONE {utc_fields} UTC in zone {zone} leaves years 1..9999") from None


def _check(value: object) -> _dt.date:
    if not isinstance(value, _dt.date):
        raise TypeError(f"cannot encode {type(value).__name__} as an Oracle date/time")
    return value


def encode_date(value: _dt.date) -> bytes:
    """Encode a ``date`` or ``datetime`` as a 7-byte DATE body.

    Microseconds are dropped and a ``date`` gets midnight.  An aware datetime is
    written with its own fields, ignoring the zone, as python-oracledb does.

    Raises:
        TypeError: ``value`` is not a date.
    """
    year = _check(value).year
    if isinstance(value, _dt.datetime):
        hms = (value.hour + 1, value.minute + 1, value.second + 1)
        return bytes((year // 100 + 100, year % 100 + 100, value.month, value.day, *hms))
    return bytes((year // 100 + 100, year % 100 + 100, value.month, value.day, 1, 1, 1))


def encode_timestamp(value: _dt.date) -> bytes:
    """Encode a ``date`` or ``datetime`` as a TIMESTAMP body.

    Like python-oracledb (buffer.pyx ``write_oracle_date``), a value whose
    fraction is zero is sent as 7 bytes; otherwise 11.

    Raises:
        TypeError: ``value`` is not a date.
    """
    head = encode_date(value)
    if isinstance(value, _dt.datetime) and value.microsecond:
        return head + (value.microsecond * 1000).to_bytes(4, "big")
    return head


#: TIMESTAMP WITH LOCAL TIME ZONE is written like TIMESTAMP (fields unchanged).
encode_timestamp_ltz = encode_timestamp


def encode_timestamp_tz(value: _dt.date) -> bytes:
    """Encode a 13-byte TIMESTAMP WITH TIME ZONE body.

    An aware datetime is converted to UTC fields and its own offset is stored.
    A naive datetime or a date is stored as given with offset +00:00, as
    python-oracledb binds it.

    Raises:
        EncodeError: the offset is not whole minutes or beyond ±15:59, or the
            UTC fields fall outside years 1..9999.
        TypeError: ``value`` is not a date.
    """
    _check(value)
    offset = value.utcoffset() if isinstance(value, _dt.datetime) else None
    if not isinstance(value, _dt.datetime) or not offset:
        micros = value.microsecond if isinstance(value, _dt.datetime) else 0
        return encode_date(value) + (micros * 1000).to_bytes(4, "big") + b"\x14\x3c"
    total = offset // _dt.timedelta(seconds=1)
    if offset % _dt.timedelta(minutes=1) or abs(total) >= (_MAX_TZ_HOURS + 1) * 3600:
        raise EncodeError(f"time zone offset {offset} cannot be stored in TIMESTAMP WITH TIME ZONE")
    try:
        utc = (value - offset).replace(tzinfo=None)
    except OverflowError:
        raise EncodeError(f"{value.isoformat()} in UTC falls outside years 1..9999") from None
    minutes = abs(total) // 60
    sign = -1 if total < 0 else 1
    # Hours and minutes both carry the sign (go-ora converters; -03:30 = 17, 30).
    tz = bytes((sign * (minutes // 60) + _TZ_HOUR_OFFSET, sign * (minutes % 60) + _TZ_MINUTE_OFFSET))
    return encode_date(utc) + (utc.microsecond * 1000).to_bytes(4, "big") + tz
