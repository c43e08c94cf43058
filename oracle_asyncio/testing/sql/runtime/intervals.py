"""INTERVAL DAY TO SECOND and INTERVAL YEAR TO MONTH: type and literal parsing,
and the sqlite functions that fit, add and format them.

Storage (datatypes.py): DS is the sortable text of a count of microseconds
(:func:`~.datatypes.ds_text`), YM an INTEGER count of months.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from .. import errors
from ..types.datatypes import SqlType, T, date_text, ds_text, ds_value, parse_date_text
from ..syntax.lexer import Kind, Token
from ..syntax.nodes import Lit

if TYPE_CHECKING:
    from ..syntax.parser_ddl import DdlParser as Parser

__all__ = ["FUNCTIONS", "interval_literal", "interval_type"]

_DS_FIELDS: Final = ("DAY", "HOUR", "MINUTE", "SECOND")
_US: Final = {"DAY": 86_400_000_000, "HOUR": 3_600_000_000, "MINUTE": 60_000_000, "SECOND": 1_000_000}
_LIMIT: Final = {"HOUR": 23, "MINUTE": 59, "SECOND": 59}
_LIMIT_ERR: Final = {
    "HOUR": (1850, "ORA-01850: hour must be between 0 and 23"),
    "MINUTE": (1851, "ORA-01851: minutes must be between 0 and 59"),
    "SECOND": (1852, "ORA-01852: seconds must be between 0 and 59"),
}


def _range_error(pos: int = 0) -> errors.OraError:
    return errors.OraError(30088, "ORA-30088: datetime/interval precision is out of range", pos)


def _invalid(pos: int = 0) -> errors.OraError:
    return errors.OraError(1867, "ORA-01867: the interval is invalid", pos)


def _too_small(pos: int = 0) -> errors.OraError:
    return errors.OraError(1873, "ORA-01873: the leading precision of the interval is too small", pos)


def _precisions(p: Parser) -> list[int]:
    """An optional ``(n)`` or ``(n, m)`` after an interval field."""
    values: list[int] = []
    if p.accept_op("("):
        values.append(p._int_arg())
        while p.accept_op(","):
            values.append(p._int_arg())
        p.expect_op(")")
    for v in values:
        if not 0 <= v <= 9:
            raise _range_error(p.tok.pos)
    return values


def interval_type(p: Parser) -> SqlType:
    """``DAY[(p)] TO SECOND[(s)]`` or ``YEAR[(p)] TO MONTH`` after the word INTERVAL."""
    if p.accept_kw("DAY"):
        lead = (_precisions(p) or [2])[0]
        p.expect_kw("TO")
        p.expect_kw("SECOND")
        fsp = (_precisions(p) or [6])[0]
        return SqlType(T.INTERVAL_DS, precision=lead, scale=fsp)
    p.expect_kw("YEAR")
    lead = (_precisions(p) or [2])[0]
    p.expect_kw("TO")
    p.expect_kw("MONTH")
    return SqlType(T.INTERVAL_YM, precision=lead)


def interval_literal(p: Parser, kw: Token, s: Token) -> Lit:
    """``INTERVAL 'text' field[(p)] [TO field[(s)]]`` (the parser has consumed the string)."""
    first = p.tok
    if first.kind is not Kind.IDENT or first.value not in (*_DS_FIELDS, "YEAR", "MONTH"):
        raise p.error_here("expected an interval field")
    p.next()
    start = first.value
    precs = _precisions(p)
    lead = precs[0] if precs else 2
    fsp = precs[1] if len(precs) > 1 else None
    end_field = start
    if p.accept_kw("TO"):
        t = p.tok
        end_field = t.value if t.kind is Kind.IDENT else ""
        p.next()
        if end_field == "SECOND":
            fsp = (_precisions(p) or [fsp if fsp is not None else 6])[0]
    end = p.tokens[p.i - 1].end
    text = s.value.strip()
    if start in ("YEAR", "MONTH"):
        if (start, end_field) not in (("YEAR", "YEAR"), ("YEAR", "MONTH"), ("MONTH", "MONTH")):
            raise _invalid(first.pos)
        m = re.fullmatch(r"([+-]?)(\d+)" + (r"-(\d+)" if (start, end_field) == ("YEAR", "MONTH") else ""), text)
        if m is None:
            raise _invalid(s.pos)
        leading = int(m.group(2))
        months = leading * 12 if start == "YEAR" else leading
        if m.lastindex == 3:
            extra = int(m.group(3))
            if extra > 11:
                raise errors.OraError(1843, "ORA-01843: not a valid month", s.pos)
            months += extra
        if leading >= 10**lead:
            raise _too_small(s.pos)
        return Lit(kw.pos, end, -months if m.group(1) == "-" else months, SqlType(T.INTERVAL_YM, precision=lead))
    if end_field not in _DS_FIELDS or _DS_FIELDS.index(end_field) < _DS_FIELDS.index(start):
        raise _invalid(first.pos)
    fields = _DS_FIELDS[_DS_FIELDS.index(start): _DS_FIELDS.index(end_field) + 1]
    seps = {"HOUR": " " if start == "DAY" else ":", "MINUTE": ":", "SECOND": ":"}
    pattern = "".join((seps[f] if i else "") + r"(\d+)" for i, f in enumerate(fields))
    if fields[-1] == "SECOND":
        pattern += r"(?:\.(\d*))?"
    m = re.fullmatch(r"([+-]?)" + pattern, text)
    if m is None:
        raise _invalid(s.pos)
    us = 0
    for i, f in enumerate(fields):
        v = int(m.group(i + 2))
        if i and v > _LIMIT[f]:
            raise errors.OraError(*_LIMIT_ERR[f], s.pos)
        us += v * _US[f]
    if fields[-1] == "SECOND":
        frac = m.group(len(fields) + 2) or ""
        us += int((frac + "000000")[:6])
        fsp = 6 if fsp is None else fsp
    if int(m.group(2)) >= 10**lead:
        raise _too_small(s.pos)
    us = _round_us(us, fsp if fsp is not None else 6)
    stored = ds_text(-us if m.group(1) == "-" else us)
    return Lit(kw.pos, end, stored, SqlType(T.INTERVAL_DS, precision=lead, scale=fsp or 0))


# ---- sqlite functions -------------------------------------------------------------------------

def _round_us(us: int, fsp: int) -> int:
    """Round a count of microseconds to ``fsp`` fractional digits, half away from zero."""
    if fsp >= 6:
        return us
    unit = 10 ** (6 - fsp)
    q, r = divmod(abs(us), unit)
    q += 1 if r * 2 >= unit else 0
    return int(q * unit * (-1 if us < 0 else 1))


def _fit_ds(value: object, lead: int, fsp: int) -> str | None:
    if value is None:
        return None
    us = _round_us(ds_value(value), fsp)
    if abs(us) // _US["DAY"] >= 10**lead:
        raise _too_small()
    return ds_text(us)


def _fit_ym(value: object, lead: int) -> int | None:
    if value is None:
        return None
    months = int(str(value))
    if abs(months) // 12 >= 10**lead:
        raise _too_small()
    return months


def _year_error() -> errors.OraError:
    return errors.OraError(1841, "ORA-01841: (full) year must be between -4713 and +9999, and not be 0")


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
        raise errors.OraError(1839, "ORA-01839: date not valid for month specified")
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
    days, rest = divmod(abs(us), _US["DAY"])
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
