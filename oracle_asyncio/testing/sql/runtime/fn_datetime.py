"""Datetime and interval built-ins: TO_DSINTERVAL, TO_YMINTERVAL, NUMTODSINTERVAL,
NUMTOYMINTERVAL, TO_TIMESTAMP_TZ, FROM_TZ, SYS_EXTRACT_UTC, ``AT TIME ZONE`` / ``AT LOCAL`` and
EXTRACT, as sqlite functions on storage values (types/datatypes.py).

A TIMESTAMP WITH TIME ZONE is stored as its UTC instant and its offset; a region name (``US/Pacific``)
is turned into the offset it has at that instant (the region itself is not kept).  DATE and TIMESTAMP
values that meet a time zone are taken to be in the session's time zone (``ALTER SESSION SET
TIME_ZONE``), which the translator passes in.
"""

from __future__ import annotations

import datetime as _dt
import re
import zoneinfo
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from .. import errors
from ..types.datatypes import date_text, ds_text, ds_value, parse_date_text, tz_text
from ..types.intervals import US
from ..types.numbers import num, out
from .datefmt import parse_datetime

__all__ = ["FUNCTIONS", "zone_at"]

#: Longest datetime text or zone name read: anything longer cannot be a valid one.
_MAX_TEXT: Final = 255

_DS_SQL: Final = re.compile(r"\s*([+-])?\s*([0-9]{1,12}) +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]{0,12}))?\s*")
_DS_ISO: Final = re.compile(
    r"\s*(-)?P(?:([0-9]{1,12})D)?(?:T(?:([0-9]{1,2})H)?(?:([0-9]{1,2})M)?(?:([0-9]{1,2})(?:\.([0-9]{0,12}))?S)?)?\s*")
_YM_SQL: Final = re.compile(r"\s*([+-])?\s*([0-9]{1,12})-([0-9]{1,2})\s*")
_YM_ISO: Final = re.compile(r"\s*(-)?P(?:([0-9]{1,12})Y)?(?:([0-9]{1,2})M)?(?:[0-9]{1,12}D)?(?:T[0-9HMS.]{0,40})?\s*")
_OFFSET: Final = re.compile(r"\s*([+-])?\s*([0-9]{1,2}):([0-9]{1,2})\s*")
_TZ_ELEMENT: Final = re.compile(r'"[^"]*"|TZH|TZM|TZR|TZD', re.IGNORECASE)
_ZONE_PART: Final = {"TZH": r"([+-]?\s*[0-9]{1,2})", "TZM": r"([0-9]{1,2})",
                     "TZR": r"([A-Za-z][A-Za-z0-9_/+-]{0,63}|[+-][0-9]{1,2}:[0-9]{2})", "TZD": r"([A-Za-z]{1,6})"}
_MAX_DAYS: Final = 10**9


def _text_arg(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if len(text) > _MAX_TEXT:
        raise errors.ora(1867)
    return text


def _fraction_us(digits: str | None) -> int:
    """Microseconds of a fraction's digits, rounded half up (Oracle keeps 9 digits, we keep 6)."""
    if not digits:
        return 0
    if len(digits) > 9:
        raise errors.ora(1867)
    return int((Decimal("0." + digits) * 1_000_000).to_integral_value(rounding=ROUND_HALF_UP))


def _ds_fields(days: int, hours: int, minutes: int, seconds: int, frac: str | None, negative: bool) -> str:
    if days >= _MAX_DAYS:
        raise errors.ora(1873)
    if hours > 23:
        raise errors.ora(1850)
    if minutes > 59:
        raise errors.ora(1851)
    if seconds > 59:
        raise errors.ora(1852)
    us = days * US["DAY"] + hours * US["HOUR"] + minutes * US["MINUTE"] + seconds * US["SECOND"] + _fraction_us(frac)
    return ds_text(-us if negative else us)


def _to_dsinterval(value: object) -> str | None:
    """TO_DSINTERVAL('[+|-]days hh:mi:ss[.frac]') or the ISO form ``[-]PnDTnHnMn[.frac]S``."""
    text = _text_arg(value)
    if text is None:
        return None
    m = _DS_SQL.fullmatch(text)
    if m is not None:
        sign, d, h, mi, s, frac = m.groups()
        return _ds_fields(int(d), int(h), int(mi), int(s), frac, sign == "-")
    m = _DS_ISO.fullmatch(text)
    if m is not None and "P" in text and not text.rstrip().endswith(("P", "T")):
        sign, d, h, mi, s, frac = m.groups()
        return _ds_fields(int(d or 0), int(h or 0), int(mi or 0), int(s or 0), frac, sign == "-")
    raise errors.ora(1867)


def _ym_fields(years: int, months: int, negative: bool) -> int:
    if years >= _MAX_DAYS:
        raise errors.ora(1873)
    if months > 11:
        raise errors.ora(1843)
    total = years * 12 + months
    return -total if negative else total


def _to_yminterval(value: object) -> int | None:
    """TO_YMINTERVAL('[+|-]years-months') or the ISO form ``[-]PnYnM`` (days and time ignored)."""
    text = _text_arg(value)
    if text is None:
        return None
    m = _YM_SQL.fullmatch(text)
    if m is not None:
        sign, y, mo = m.groups()
        return _ym_fields(int(y), int(mo), sign == "-")
    m = _YM_ISO.fullmatch(text)
    if m is not None and "P" in text and not text.rstrip().endswith("P"):
        sign, y, mo = m.groups()
        return _ym_fields(int(y or 0), int(mo or 0), sign == "-")
    raise errors.ora(1867)


def _unit(value: object, allowed: tuple[str, ...]) -> str:
    unit = str(value).strip().upper()
    if unit not in allowed:
        raise errors.ora(1760)
    return unit


def _numtodsinterval(n: object, unit: object) -> str | None:
    x = num(n)
    if x is None or unit is None:
        return None
    us = (x * US[_unit(unit, ("DAY", "HOUR", "MINUTE", "SECOND"))]).to_integral_value(rounding=ROUND_HALF_UP)
    if abs(us) >= _MAX_DAYS * US["DAY"]:
        raise errors.ora(1873)
    return ds_text(int(us))


def _numtoyminterval(n: object, unit: object) -> int | None:
    x = num(n)
    if x is None or unit is None:
        return None
    months = x * 12 if _unit(unit, ("YEAR", "MONTH")) == "YEAR" else x
    whole = months.to_integral_value(rounding=ROUND_HALF_UP)
    if abs(whole) >= _MAX_DAYS * 12:
        raise errors.ora(1873)
    return int(whole)


# ---- time zones -------------------------------------------------------------------------------

_REGIONS: dict[str, str] = {}


def _region(name: str) -> zoneinfo.ZoneInfo:
    """The tz database zone ``name`` (case-insensitive, as Oracle's region names are)."""
    if not _REGIONS:
        _REGIONS.update({z.upper(): z for z in zoneinfo.available_timezones()})
    real = _REGIONS.get(name.upper())
    if real is None:
        raise errors.ora(1882)
    try:
        return zoneinfo.ZoneInfo(real)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise errors.ora(1882) from None


def _fixed(hours: int, minutes: int, negative: bool) -> _dt.timedelta:
    if hours > 15:
        raise errors.ora(1874)
    if minutes > 59:
        raise errors.ora(1875)
    delta = _dt.timedelta(hours=hours, minutes=minutes)
    return -delta if negative else delta


def zone_at(zone: str, when: _dt.datetime, *, local: bool) -> _dt.timedelta:
    """The UTC offset of ``zone`` (``+05:30``, ``UTC``, ``Europe/Paris``) at ``when``: a local
    wall-clock time if ``local``, else a UTC instant."""
    if len(zone) > _MAX_TEXT:
        raise errors.ora(1882)
    m = _OFFSET.fullmatch(zone)
    if m is not None:
        return _fixed(int(m.group(2)), int(m.group(3)), m.group(1) == "-")
    name = zone.strip()
    if name.upper() in ("UTC", "GMT", "Z"):
        return _dt.timedelta(0)
    region = _region(name)
    if local:
        offset = when.replace(tzinfo=region).utcoffset()
    else:
        offset = when.replace(tzinfo=_dt.timezone.utc).astimezone(region).utcoffset()
    return offset or _dt.timedelta(0)


def _zoned(local: _dt.datetime, zone: str) -> str:
    """Storage text of the wall-clock time ``local`` in ``zone``."""
    offset = zone_at(zone, local, local=True)
    return tz_text(local.replace(tzinfo=_dt.timezone(offset)))


def _split_zone_format(fmt: str) -> tuple[str, str]:
    """``fmt`` cut where its time zone elements begin (they must come last)."""
    first = next((m for m in _TZ_ELEMENT.finditer(fmt) if not m.group(0).startswith('"')), None)
    if first is None:
        return fmt, ""
    head, zone = fmt[: first.start()], fmt[first.start():]
    rest = _TZ_ELEMENT.sub("", zone)
    if rest.strip(" :.,-/;"):
        raise errors.ora(1821)
    return head, zone


def _zone_regex(zone_fmt: str) -> re.Pattern[str]:
    parts: list[str] = []
    pos = 0
    for m in _TZ_ELEMENT.finditer(zone_fmt):
        parts += [r"\s*" + re.escape(c) if c != " " else r"\s*" for c in zone_fmt[pos: m.start()]]
        parts.append(_ZONE_PART[m.group(0).upper()])
        pos = m.end()
    return re.compile(r"\s*" + "".join(parts) + r"\s*", re.IGNORECASE)


def _zone_of(match: re.Match[str], zone_fmt: str) -> str:
    """The zone the matched text names: TZR if given, else TZH[:TZM]."""
    names = [m.group(0).upper() for m in _TZ_ELEMENT.finditer(zone_fmt)]
    values = dict(zip(names, match.groups()))
    if "TZR" in values:
        return values["TZR"]
    if "TZH" not in values:
        raise errors.ora(1861)
    hours = values["TZH"].replace(" ", "")
    sign = "-" if hours.startswith("-") else "+"
    return f"{sign}{hours.lstrip('+-')}:{values.get('TZM') or '0'}"


def _to_timestamp_tz(value: object, fmt: object, session_zone: object) -> str | None:
    text = _text_arg(value)
    if text is None or fmt is None:
        return None
    head_fmt, zone_fmt = _split_zone_format(str(fmt))
    zone = str(session_zone or "+00:00")
    head = text
    if zone_fmt:
        # the zone is the text's longest tail the zone format matches (the text is short: <= 255)
        tail = _zone_regex(zone_fmt)
        found = next((m for m in (tail.fullmatch(text, start) for start in range(len(text) + 1)) if m), None)
        if found is None:
            raise errors.ora(1861)
        head, zone = text[: found.start()], _zone_of(found, zone_fmt)
    return _zoned(parse_datetime(head, head_fmt), zone)


def _from_tz(value: object, zone: object) -> str | None:
    if value is None or zone is None:
        return None
    return _zoned(parse_date_text(str(value)), str(zone))


def _instant(value: object, kind: str, session_zone: object) -> _dt.datetime:
    """The UTC instant of a stored DATE/TIMESTAMP (in the session's zone) or TIMESTAMP WITH TIME ZONE."""
    when = parse_date_text(str(value))
    if kind == "Z":
        return when
    return when - zone_at(str(session_zone or "+00:00"), when, local=True)


def _sys_extract_utc(value: object, kind: str, session_zone: object) -> str | None:
    return None if value is None else date_text(_instant(value, kind, session_zone))


def _at_zone(value: object, kind: str, zone: object, session_zone: object) -> str | None:
    """``value AT TIME ZONE zone`` (``zone`` NULL: ``AT LOCAL``, the session's zone)."""
    if value is None:
        return None
    utc = _instant(value, kind, session_zone)
    target = str(zone if zone is not None else session_zone or "+00:00")
    offset = zone_at(target, utc, local=False)
    return tz_text((utc + offset).replace(tzinfo=_dt.timezone(offset)))


def _extract(field: str, value: object, kind: str) -> bytes | str | None:
    """EXTRACT(field FROM value); the translator has checked that ``field`` suits ``kind``.
    A TIMESTAMP WITH TIME ZONE gives its UTC fields, as Oracle's does."""
    if value is None:
        return None
    if kind == "YM":
        months = int(str(value))
        part = abs(months) // 12 if field == "YEAR" else abs(months) % 12
        return out(Decimal(-part if months < 0 else part))
    if kind == "DS":
        us = ds_value(value)
        rest = abs(us)
        sign = -1 if us < 0 else 1
        if field == "SECOND":
            secs = Decimal(rest % US["MINUTE"]) / US["SECOND"]
            return out(secs * sign)
        whole = {"DAY": rest // US["DAY"], "HOUR": rest // US["HOUR"] % 24, "MINUTE": rest // US["MINUTE"] % 60}
        return out(Decimal(whole[field] * sign))
    text = str(value)
    if field.startswith("TIMEZONE_"):
        offset = text[26:] or "+00:00"
        if field == "TIMEZONE_REGION":
            return "UNKNOWN"
        if field == "TIMEZONE_ABBR":
            return "UNK"
        minutes = int(offset[1:3]) * 60 + int(offset[4:6])
        part = minutes // 60 if field == "TIMEZONE_HOUR" else minutes % 60
        return out(Decimal(-part if offset[0] == "-" else part))
    when = parse_date_text(text)
    if field == "SECOND":
        return out(Decimal(when.second) + Decimal(when.microsecond) / 1_000_000)
    return out(Decimal(getattr(when, field.lower())))


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_to_dsinterval": (1, _to_dsinterval),
    "ora_to_yminterval": (1, _to_yminterval),
    "ora_numtodsinterval": (2, _numtodsinterval),
    "ora_numtoyminterval": (2, _numtoyminterval),
    "ora_to_timestamp_tz": (3, _to_timestamp_tz),
    "ora_from_tz": (2, _from_tz),
    "ora_sys_extract_utc": (3, _sys_extract_utc),
    "ora_at_zone": (4, _at_zone),
    "ora_extract": (3, _extract),
}
