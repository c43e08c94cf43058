"""Oracle datetime format models (TO_CHAR / TO_DATE / TO_TIMESTAMP), the common subset.

Elements: YYYY RRRR YYY YY RR Y MM MONTH MON DDD DD DAY DY D HH24 HH12 HH MI SS
SSSSS FF[1-9] AM PM A.M. P.M. FM, punctuation and "quoted text".  Anything else
raises ORA-01821 ("date format not recognized").
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Final

from .. import errors

__all__ = ["format_datetime", "parse_datetime"]

_ELEMENTS: Final = re.compile(
    r'"[^"]*"|FF[1-9]?|YYYY|RRRR|YYY|YY|RR|Y|MONTH|MON|MM|DDD|DD|DAY|DY|D|HH24|HH12|HH|MI|SSSSS|SS|'
    r"A\.M\.|P\.M\.|AM|PM|FM|[-/,.;: ]|T",
    re.IGNORECASE,
)
_MONTHS: Final = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
                  "NOVEMBER", "DECEMBER")
_DAYS: Final = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _bad_format() -> errors.OraError:
    return errors.ora(1821)


def _elements(fmt: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(fmt):
        m = _ELEMENTS.match(fmt, pos)
        if m is None:
            raise _bad_format()
        out.append(m.group(0))
        pos = m.end()
    return out


def _case(word: str, element: str) -> str:
    """Oracle capitalisation follows the element: MON -> JAN, Mon -> Jan, mon -> jan."""
    if element.isupper():
        return word
    if element[:2].islower():
        return word.lower()
    return word.capitalize()


def format_datetime(value: _dt.datetime, fmt: str) -> str:
    """TO_CHAR(datetime, fmt)."""
    out: list[str] = []
    fill = True
    for el in _elements(fmt):
        u = el.upper()
        if u == "FM":
            fill = not fill
        elif el.startswith('"'):
            out.append(el[1:-1])
        elif u in ("YYYY", "RRRR"):
            out.append(f"{value.year:04d}")
        elif u == "YYY":
            out.append(f"{value.year % 1000:03d}")
        elif u in ("YY", "RR"):
            out.append(f"{value.year % 100:02d}")
        elif u == "Y":
            out.append(str(value.year % 10))
        elif u == "MM":
            out.append(f"{value.month:02d}" if fill else str(value.month))
        elif u == "MONTH":
            name = _MONTHS[value.month - 1]
            out.append(_case(name.ljust(9) if fill else name, el))
        elif u == "MON":
            out.append(_case(_MONTHS[value.month - 1][:3], el))
        elif u == "DDD":
            out.append(f"{value.timetuple().tm_yday:03d}")
        elif u == "DD":
            out.append(f"{value.day:02d}" if fill else str(value.day))
        elif u == "DAY":
            name = _DAYS[value.weekday()]
            out.append(_case(name.ljust(9) if fill else name, el))
        elif u == "DY":
            out.append(_case(_DAYS[value.weekday()][:3], el))
        elif u == "D":
            out.append(str((value.weekday() + 1) % 7 + 1))
        elif u == "HH24":
            out.append(f"{value.hour:02d}" if fill else str(value.hour))
        elif u in ("HH", "HH12"):
            h = value.hour % 12 or 12
            out.append(f"{h:02d}" if fill else str(h))
        elif u == "MI":
            out.append(f"{value.minute:02d}" if fill else str(value.minute))
        elif u == "SS":
            out.append(f"{value.second:02d}" if fill else str(value.second))
        elif u == "SSSSS":
            out.append(f"{value.hour * 3600 + value.minute * 60 + value.second:05d}")
        elif u.startswith("FF"):
            digits = int(u[2:]) if len(u) > 2 else 6
            out.append(f"{value.microsecond:06d}{'000'}"[:digits])
        elif u in ("AM", "PM", "A.M.", "P.M."):
            pm = value.hour >= 12
            word = ("PM" if pm else "AM") if "." not in u else ("P.M." if pm else "A.M.")
            out.append(word if el.isupper() else word.lower())
        else:
            out.append(el)
    return "".join(out)


def parse_datetime(text: str, fmt: str) -> _dt.datetime:
    """TO_DATE/TO_TIMESTAMP(text, fmt); raises ORA-01861 and friends on mismatch."""
    year, month, day, hour, minute, second, micro = _dt.date.today().year, _dt.date.today().month, 1, 0, 0, 0, 0
    pm: bool | None = None
    pos = 0
    s = text.strip()

    def number(width: int) -> int:
        nonlocal pos
        m = re.compile(r"\s*([0-9]{1,%d})" % width).match(s, pos)
        if m is None:
            raise errors.ora(1858)
        pos = m.end()
        return int(m.group(1))

    for el in _elements(fmt):
        u = el.upper()
        if u == "FM":
            continue
        if el.startswith('"'):
            lit = el[1:-1]
            if not s.startswith(lit, pos):
                raise errors.ora(1861)
            pos += len(lit)
        elif u in ("YYYY", "RRRR"):
            year = number(4)
        elif u in ("YY", "RR"):
            # Oracle's conversion rules try YYYY / RRRR when the string holds four digits there
            # (TO_DATE('04-JAN-2022', 'DD-MON-RR')); a longer run is YYMMDD-like, two digits each
            run = re.compile(r"\s*([0-9]*)").match(s, pos)
            if run is not None and len(run.group(1)) == 4:
                year = number(4)
            else:
                yy = number(2)
                year = 2000 + yy if (u == "YY" or yy < 50) else 1900 + yy
        elif u == "MM" and re.compile(r"\s*[0-9]").match(s, pos):
            month = number(2)
        elif u in ("MM", "MON", "MONTH"):  # MM -> MON / MONTH: the same conversion rules
            word = re.compile(r"\s*([A-Za-z]+)").match(s, pos)
            name = word.group(1).upper() if word else ""
            matches = [i for i, full in enumerate(_MONTHS) if name in (full, full[:3])]
            if word is None or not matches:
                raise errors.ora(1843)
            month = matches[0] + 1
            pos = word.end()
        elif u == "DD":
            day = number(2)
        elif u == "HH24":
            hour = number(2)
        elif u in ("HH", "HH12"):
            hour = number(2) % 12
        elif u == "MI":
            minute = number(2)
        elif u == "SS":
            second = number(2)
        elif u.startswith("FF"):
            m = re.compile(r"([0-9]{1,9})").match(s, pos)
            if m is None:
                raise errors.ora(1858)
            micro = int((m.group(1) + "000000")[:6])
            pos = m.end()
        elif u in ("AM", "PM", "A.M.", "P.M."):
            word = re.compile(r"\s*([AaPp])\.?[Mm]\.?").match(s, pos)
            if word is None:
                raise errors.ora(1855)
            pm = word.group(1).upper() == "P"
            pos = word.end()
        elif u in ("DY", "DAY", "D", "DDD", "Y", "YYY", "SSSSS"):
            raise errors.ora(1820, note=el)
        else:
            # punctuation: Oracle is lenient about which separator appears
            if pos < len(s) and not s[pos].isalnum():
                pos += 1
    if pos < len(s):
        raise errors.ora(1830)
    if pm is not None and pm:
        hour += 12
    if not 1 <= month <= 12:
        raise errors.ora(1843)
    try:
        return _dt.datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        if hour > 23:
            raise errors.ora(1850) from None
        if minute > 59:
            raise errors.ora(1851) from None
        if second > 59:
            raise errors.ora(1852) from None
        raise errors.ora(1839) from None
