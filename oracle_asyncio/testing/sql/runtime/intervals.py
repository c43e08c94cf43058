"""INTERVAL DAY TO SECOND and INTERVAL YEAR TO MONTH: the sqlite functions that fit, add and
format them (types and literals are parsed by syntax/parser_interval.py).

Storage (datatypes.py): DS is the sortable text of a count of microseconds
(:func:`~.datatypes.ds_text`), YM an INTEGER count of months.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Callable
from typing import Final

from .. import errors
from ..types.datatypes import date_text, ds_text, ds_value, parse_date_text
from ..types.intervals import US, round_us, too_small

__all__ = ["FUNCTIONS"]


# ---- sqlite functions -------------------------------------------------------------------------

def _fit_ds(value: object, lead: int, fsp: int) -> str | None:
    if value is None:
        return None
    us = round_us(ds_value(value), fsp)
    if abs(us) // US["DAY"] >= 10**lead:
        raise too_small()
    return ds_text(us)


def _fit_ym(value: object, lead: int) -> int | None:
    if value is None:
        return None
    months = int(str(value))
    if abs(months) // 12 >= 10**lead:
        raise too_small()
    return months


def _year_error() -> errors.OraError:
    return errors.ora(1841)


def _date_add_ds(d: object, iv: object, sign: int, kind: str) -> str | None:
    """DATE/TIMESTAMP(/TZ: the stored UTC instant plus its offset) +/- an INTERVAL DAY TO SECOND."""
    if d is None or iv is None:
        return None
    text = str(d)
    try:
        value = parse_date_text(text) + _dt.timedelta(microseconds=sign * ds_value(iv))
    except OverflowError:
        raise _year_error() from None
    if kind == "D":
        value = value.replace(microsecond=0)
    return date_text(value) + text[26:]


def _date_add_ym(d: object, iv: object, sign: int) -> str | None:
    if d is None or iv is None:
        return None
    text = str(d)
    value = parse_date_text(text)
    total = value.year * 12 + value.month - 1 + sign * int(str(iv))
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise _year_error()
    if value.day > calendar.monthrange(year, month + 1)[1]:
        raise errors.ora(1839)
    return date_text(value.replace(year=year, month=month + 1)) + text[26:]


def _iv_add(a: object, b: object, sign: int, kind: str) -> object:
    if a is None or b is None:
        return None
    if kind == "DS":
        return ds_text(ds_value(a) + sign * ds_value(b))
    return int(str(a)) + sign * int(str(b))


def _iv_neg(a: object, kind: str) -> object:
    if a is None:
        return None
    return ds_text(-ds_value(a)) if kind == "DS" else -int(str(a))


def _iv_text(a: object, kind: str, fsp: int) -> str | None:
    """Oracle's text of an interval: ``+01 02:03:04.500000`` / ``+02-03``."""
    if a is None:
        return None
    if kind == "YM":
        months = int(str(a))
        sign = "-" if months < 0 else "+"
        years, rest = divmod(abs(months), 12)
        return f"{sign}{years:02d}-{rest:02d}"
    us = ds_value(a)
    sign = "-" if us < 0 else "+"
    days, rest = divmod(abs(us), US["DAY"])
    secs, frac = divmod(rest, 1_000_000)
    body = f"{sign}{days:02d} {secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
    if fsp > 0:
        body += "." + (f"{frac:06d}" + "000")[:fsp]
    return body


FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_fit_ds": (3, _fit_ds),
    "ora_fit_ym": (2, _fit_ym),
    "ora_date_add_ds": (4, _date_add_ds),
    "ora_date_add_ym": (3, _date_add_ym),
    "ora_iv_add": (4, _iv_add),
    "ora_iv_neg": (2, _iv_neg),
    "ora_iv_text": (3, _iv_text),
}
