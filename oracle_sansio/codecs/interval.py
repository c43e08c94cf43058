"""INTERVAL DAY TO SECOND (183) and INTERVAL YEAR TO MONTH (182).

Layout (docs/protocol-ttc.md 6.8; python-oracledb impl/base/decoders.pyx and
encoders.pyx): DAY TO SECOND is ``u32be days + 2**31``, hours + 60,
minutes + 60, seconds + 60, ``u32be nanoseconds + 2**31`` (11 bytes); YEAR TO
MONTH is ``u32be years + 2**31``, months + 60 (5 bytes).  Every field carries
its own sign.

Encoding writes Oracle's canonical form, where all fields share the sign of
the interval (-1 s is days 0, seconds -1).  python-oracledb instead binds
``timedelta``'s normalised fields (-1 s as days -1 plus 23:59:59); both decode
to the same value and the decoder accepts either.

Python's ``timedelta`` spans ±999,999,999 days, exactly INTERVAL DAY(9), so every
timedelta can be encoded; decoding checks the reverse direction.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final, NamedTuple

from ..errors import DecodeError, EncodeError

__all__ = [
    "INTERVAL_DS_LENGTH",
    "INTERVAL_YM_LENGTH",
    "IntervalYM",
    "decode_interval_ds",
    "decode_interval_ym",
    "encode_interval_ds",
    "encode_interval_ym",
]

INTERVAL_DS_LENGTH: Final = 11
INTERVAL_YM_LENGTH: Final = 5

_MID: Final = 0x8000_0000
_OFFSET: Final = 60
#: DAY(9) and YEAR(9): the largest leading-field precision Oracle allows.
_MAX_LEADING: Final = 999_999_999
_MAX_NANOS: Final = 999_999_999
_US_PER_DAY: Final = 86_400_000_000
_ONE_US: Final = _dt.timedelta(microseconds=1)


class IntervalYM(NamedTuple):
    """An INTERVAL YEAR TO MONTH value, shaped like ``oracledb.IntervalYM``."""

    years: int = 0
    months: int = 0


def decode_interval_ds(data: bytes) -> _dt.timedelta:
    """Decode an 11-byte INTERVAL DAY TO SECOND body to a ``timedelta``.

    Nanoseconds are floored to microseconds, as python-oracledb does.

    Raises:
        DecodeError: not 11 bytes, a field beyond its range (hours ±23,
            minutes and seconds ±59, days ±999,999,999), or a value outside
            ``timedelta``'s range.
    """
    if len(data) != INTERVAL_DS_LENGTH:
        raise DecodeError(f"INTERVAL DAY TO SECOND value must be {INTERVAL_DS_LENGTH} bytes, got {len(data)}")
    days = int.from_bytes(data[0:4], "big") - _MID
    hours = data[4] - _OFFSET
    minutes = data[5] - _OFFSET
    seconds = data[6] - _OFFSET
    nanos = int.from_bytes(data[7:11], "big") - _MID
    if abs(days) > _MAX_LEADING:
        what = f"days {days}"
    elif abs(hours) > 23:
        what = f"hours {hours}"
    elif abs(minutes) > 59:
        what = f"minutes {minutes}"
    elif abs(seconds) > 59:
        what = f"seconds {seconds}"
    elif abs(nanos) > _MAX_NANOS:
        what = f"fractional seconds {nanos} ns"
    else:
        try:
            return _dt.timedelta(days, hours * 3600 + minutes * 60 + seconds, nanos // 1000)
        except OverflowError:
            what = "total"
    raise DecodeError(f"INTERVAL DAY TO SECOND {what} out of range ({data.hex(' ')})")


def encode_interval_ds(value: _dt.timedelta) -> bytes:
    """Encode a ``timedelta`` as an 11-byte INTERVAL DAY TO SECOND body (canonical signs).

    Raises:
        TypeError: ``value`` is not a timedelta.
    """
    if not isinstance(value, _dt.timedelta):
        raise TypeError(f"cannot encode {type(value).__name__} as INTERVAL DAY TO SECOND")
    total = value // _ONE_US
    sign = -1 if total < 0 else 1
    days, rest = divmod(abs(total), _US_PER_DAY)
    seconds, micros = divmod(rest, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return (
        (sign * days + _MID).to_bytes(4, "big")
        + bytes((sign * hours + _OFFSET, sign * minutes + _OFFSET, sign * seconds + _OFFSET))
        + (sign * micros * 1000 + _MID).to_bytes(4, "big")
    )


def decode_interval_ym(data: bytes) -> IntervalYM:
    """Decode a 5-byte INTERVAL YEAR TO MONTH body.

    Raises:
        DecodeError: not 5 bytes, months beyond ±11 or years beyond ±999,999,999.
    """
    if len(data) != INTERVAL_YM_LENGTH:
        raise DecodeError(f"INTERVAL YEAR TO MONTH value must be {INTERVAL_YM_LENGTH} bytes, got {len(data)}")
    years = int.from_bytes(data[0:4], "big") - _MID
    months = data[4] - _OFFSET
    if abs(years) > _MAX_LEADING:
        raise DecodeError(f"INTERVAL YEAR TO MONTH years {years} out of range ({data.hex(' ')})")
    if abs(months) > 11:
        raise DecodeError(f"INTERVAL YEAR TO MONTH months {months} out of range ({data.hex(' ')})")
    return IntervalYM(years, months)


def encode_interval_ym(value: IntervalYM | tuple[int, int]) -> bytes:
    """Encode ``IntervalYM(years, months)`` (or any ``(years, months)`` pair) as 5 bytes.

    The fields are written as given, like python-oracledb; they are not
    normalised, so ``(1, -3)`` stays mixed-sign.

    Raises:
        EncodeError: years beyond ±999,999,999 or months beyond ±11.
        TypeError: not a pair of ints.
    """
    years, months = value
    if not isinstance(years, int) or not isinstance(months, int):
        raise TypeError("IntervalYM fields must be int")
    if abs(years) > _MAX_LEADING or abs(months) > 11:
        raise EncodeError(
            f"IntervalYM({years}, {months}) cannot be stored: years must be within ±{_MAX_LEADING}, months within ±11"
        )
    return (years + _MID).to_bytes(4, "big") + bytes((months + _OFFSET,))
