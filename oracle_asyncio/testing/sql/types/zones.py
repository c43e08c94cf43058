"""Time zones of the embedded server: the session's (``ALTER SESSION SET TIME_ZONE``), the
database's (``DBTIMEZONE``), and TIMESTAMP WITH LOCAL TIME ZONE between them.

A TIMESTAMP WITH LOCAL TIME ZONE value is stored normalized to the database time zone, which is
UTC (``+00:00``) here, in the same sortable text as TIMESTAMP (datatypes.py): so two values
compare as their instants do, whatever the zone of the session that stored them.  It is shown in
the session's time zone: the translated SQL converts it wherever Oracle does (a fetch, a
comparison with a DATE or TIMESTAMP, text, a store into one) through ``ora_ltz_local`` and
``ora_ltz_utc`` below, with the session's zone as a parameter of the statement.

A zone is written as Oracle accepts it in ALTER SESSION: ``'+hh:mi'`` / ``'-hh:mi'`` (hours -12
to +14), a region name of the IANA database (``'Europe/Paris'``, any case), ``LOCAL`` (the zone
the session started with) or ``DBTIMEZONE``.  :func:`normalize_zone` gives the one text a
session keeps (what SESSIONTIMEZONE shows); ORA-01857 / ORA-01882 / ORA-01874 / ORA-01875 name
what is wrong with the others.
"""

from __future__ import annotations

import datetime as _dt
import re
import zoneinfo
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Final

from .. import errors
from .datatypes import SqlType, T

__all__ = ["DB_TIME_ZONE", "FUNCTIONS", "normalize_zone", "shown_in", "to_local", "to_utc", "zone_info"]

#: DBTIMEZONE: where TIMESTAMP WITH LOCAL TIME ZONE values are normalized.
DB_TIME_ZONE: Final = "+00:00"

_OFFSET = re.compile(r"([+-])\s*(\d{1,2}):(\d{1,2})")
_STAMP_WIDTH = 26  # ``YYYY-MM-DD HH:MM:SS.ffffff``, datatypes.date_text


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Upper-cased region name -> its IANA spelling (Oracle's region names ignore case)."""
    names = {name.upper(): name for name in zoneinfo.available_timezones()}
    names.setdefault("UTC", "UTC")
    names.setdefault("GMT", "GMT")
    return names


def normalize_zone(text: str, *, session_start: str = DB_TIME_ZONE) -> str:
    """The zone a session keeps for ``text`` (ALTER SESSION SET TIME_ZONE's value, quotes removed
    by the parser): ``+hh:mi``, or a region's IANA name; ``session_start`` is what LOCAL means."""
    value = text.strip()
    word = value.upper()
    if word == "LOCAL":
        return session_start
    if word == "DBTIMEZONE":
        return DB_TIME_ZONE
    m = _OFFSET.fullmatch(value)
    if m is not None:
        hours, minutes = int(m.group(2)), int(m.group(3))
        if minutes > 59:
            raise errors.ora(1875)
        total = hours * 60 + minutes
        if (m.group(1) == "-" and total > 12 * 60) or (m.group(1) == "+" and total > 14 * 60):
            raise errors.ora(1874)
        return f"{m.group(1)}{hours:02d}:{minutes:02d}"
    if not value or value[0] in "+-0123456789":
        raise errors.ora(1857)
    region = _regions().get(word)
    if region is None:
        raise errors.ora(1882)
    return region


@lru_cache(maxsize=64)
def zone_info(zone: str) -> _dt.tzinfo:
    """The tzinfo of a normalized zone (:func:`normalize_zone`)."""
    m = _OFFSET.fullmatch(zone)
    if m is not None:
        minutes = int(m.group(2)) * 60 + int(m.group(3))
        return _dt.timezone(_dt.timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    try:
        return zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise errors.ora(1882) from None


def to_utc(local: _dt.datetime, zone: str) -> _dt.datetime:
    """A naive wall-clock time of ``zone`` as the naive UTC instant it names."""
    aware = local.replace(tzinfo=zone_info(zone))
    return aware.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def to_local(utc: _dt.datetime, zone: str) -> _dt.datetime:
    """A naive UTC instant as the naive wall-clock time of ``zone``."""
    try:
        return utc.replace(tzinfo=_dt.timezone.utc).astimezone(zone_info(zone)).replace(tzinfo=None)
    except OverflowError:  # year 1 or 9999 at the edge of the range: Oracle's ORA-01841
        raise errors.ora(1841) from None


def shown_in(zone: str, types: Sequence[SqlType]) -> Callable[[tuple[object, ...]], tuple[object, ...]]:
    """How a row of values of ``types`` leaves the engine, for a session in ``zone``: each
    TIMESTAMP WITH LOCAL TIME ZONE (a naive UTC datetime from datatypes.from_storage) as the
    wall-clock time of ``zone``; a row without one is returned as it is."""
    local = [i for i, t in enumerate(types) if t.t is T.TIMESTAMP_LTZ]
    if not local:
        return _same

    def show(row: tuple[object, ...]) -> tuple[object, ...]:
        values = list(row)
        for i in local:
            value = values[i]
            if isinstance(value, _dt.datetime):
                values[i] = to_local(value, zone)
        return tuple(values)

    return show


def _same(row: tuple[object, ...]) -> tuple[object, ...]:
    return row


def _stamp(value: _dt.datetime) -> str:
    return value.isoformat(" ", "microseconds")


def _shift(text: object, zone: object, convert: Callable[[_dt.datetime, str], _dt.datetime]) -> str | None:
    if text is None:
        return None
    stored = str(text)
    return _stamp(convert(_dt.datetime.fromisoformat(stored[:_STAMP_WIDTH]), str(zone)))


def _ltz_local(text: object, zone: object) -> str | None:
    """``ora_ltz_local(stored, zone)``: a stored TIMESTAMP WITH LOCAL TIME ZONE as the session sees it."""
    return _shift(text, zone, to_local)


def _ltz_utc(text: object, zone: object) -> str | None:
    """``ora_ltz_utc(local, zone)``: a DATE or TIMESTAMP of the session's zone, stored as LOCAL TIME ZONE."""
    return _shift(text, zone, to_utc)


#: The sqlite functions of this module (runtime/registry.py registers them).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_ltz_local": (2, _ltz_local),
    "ora_ltz_utc": (2, _ltz_utc),
}
