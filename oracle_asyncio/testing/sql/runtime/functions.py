"""Oracle NUMBER arithmetic and Oracle functions, registered on a sqlite3 connection.

Every function works on *storage* values (datatypes.py): NUMBER arrives as a
BLOB of Oracle NUMBER bytes (or a plain INTEGER from a level generator) and
leaves as NUMBER bytes; datetimes are sortable text.  Arithmetic runs on
``decimal.Decimal`` in a 38-digit context, never through a float.

sqlite3 replaces an exception raised in a user function by a generic
"user-defined function raised exception", so each registered function stores
its :class:`OraError` in the connection's :class:`ErrorSlot`; the engine raises
that instead of the sqlite3 error.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from typing import Final


from .. import errors
from ..errors import ErrorSlot
from ..types.datatypes import TIMESTAMP_TZ, date_text, from_storage, parse_date_text
from ..types.numbers import CONTEXT, num, num_text, out, whole
from .datefmt import format_datetime, parse_datetime

__all__ = ["ARITHMETIC", "FUNCTIONS", "aggregates", "guard"]

_ONE_DAY_SECONDS: Final = Decimal(86400)


def _wall_clock(text: str) -> _dt.datetime:
    """A stored datetime as its wall-clock time: a TIMESTAMP WITH TIME ZONE (its UTC instant and
    offset) in its own zone, as Oracle shows and truncates it."""
    when = parse_date_text(text)
    if len(text) > 26:
        local = from_storage(text, TIMESTAMP_TZ)
        return local.replace(tzinfo=None) if isinstance(local, _dt.datetime) else when
    return when


def _dt_of(value: object) -> _dt.datetime | None:
    if value is None:
        return None
    return parse_date_text(str(value))


# ---- arithmetic -------------------------------------------------------------------------------

def _add(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    return None if x is None or y is None else out(CONTEXT.add(x, y))


def _sub(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    return None if x is None or y is None else out(CONTEXT.subtract(x, y))


def _mul(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    return None if x is None or y is None else out(CONTEXT.multiply(x, y))


def _div(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    if x is None or y is None:
        return None
    if y.is_zero():
        raise errors.divisor_zero()
    return out(CONTEXT.divide(x, y))


#: NUMBER ``+ - * /``, one operator each (also what chains.py folds long chains with).
ARITHMETIC: Final[dict[str, Callable[[object, object], bytes | None]]] = {
    "+": _add, "-": _sub, "*": _mul, "/": _div}


def _neg(a: object) -> bytes | None:
    x = num(a)
    return None if x is None else out(CONTEXT.minus(x))


def _to_num(a: object) -> bytes | None:
    return out(num(a))


def _mod(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    if x is None or y is None:
        return None
    if y.is_zero():
        return out(x)
    # wide enough for any two NUMBERs' integer quotient (exponents -130..125): MOD(1e125, 0.5) is 0
    return out(Context(prec=400).remainder(x, y))


def _to_places(a: object, places: object, rounding: str) -> bytes | None:
    """ROUND/TRUNC(n, places): a scale past n's last digit leaves n as it is, one far above its
    first digit gives 0, so any integer scale (even 1e30) is held to the range that matters."""
    x, p = num(a), whole(places)
    if x is None or p is None:
        return None
    exponent = x.as_tuple().exponent
    if not isinstance(exponent, int) or x.is_zero() or p >= -exponent:
        return out(x)
    p = max(p, -(x.adjusted() + 2))
    return out(x.quantize(Decimal(1).scaleb(-p), rounding=rounding, context=Context(prec=200)))


def _round_num(a: object, places: object = 0) -> bytes | None:
    return _to_places(a, places, ROUND_HALF_UP)


def _trunc_num(a: object, places: object = 0) -> bytes | None:
    return _to_places(a, places, ROUND_DOWN)


def _abs(a: object) -> bytes | None:
    x = num(a)
    return None if x is None else out(CONTEXT.abs(x))


def _ceil(a: object) -> bytes | None:
    x = num(a)
    return None if x is None else out(CONTEXT.minus(CONTEXT.minus(x).to_integral_value(rounding=ROUND_FLOOR)))


def _floor(a: object) -> bytes | None:
    x = num(a)
    return None if x is None else out(x.to_integral_value(rounding=ROUND_FLOOR))


def _sign(a: object) -> bytes | None:
    x = num(a)
    return None if x is None else out(Decimal((x > 0) - (x < 0)))


def _positive_int(a: object) -> int:
    """NTILE's bucket count / NTH_VALUE's n: truncated to an integer, as Oracle takes it; below 1
    (or NULL, which NTH_VALUE's documentation calls an error) is ORA-01428, not sqlite's error."""
    k = whole(a)
    if k is None or k < 1:
        raise errors.ora(1428, value="" if k is None else str(k))
    return k


def _num_to_float(a: object) -> float | None:
    x = num(a)
    return None if x is None else float(x)


#: The strings Oracle 23ai converts to BOOLEAN (case and surrounding blanks ignored).
_BOOLEAN_WORDS: Final = {**dict.fromkeys(("TRUE", "T", "YES", "Y", "ON", "1"), 1),
                         **dict.fromkeys(("FALSE", "F", "NO", "N", "OFF", "0"), 0)}


def _text_to_bool(a: object) -> int | None:
    """A string stored into a BOOLEAN column (23ai's implicit conversion); others are ORA-01722."""
    if a is None:
        return None
    try:
        return _BOOLEAN_WORDS[str(a).strip().upper()]
    except KeyError:
        raise errors.ora(1722, note="not a BOOLEAN literal") from None


def _fit_num(a: object, precision: int, scale: int) -> bytes | None:
    """Round to NUMBER(p,s) and check the precision (ORA-01438)."""
    x = num(a)
    if x is None:
        return None
    if scale != -127:
        x = x.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=Context(prec=200))
        if precision and not x.is_zero() and x.adjusted() + 1 > precision - scale:
            raise errors.precision_too_large()
    return out(x)


# ---- text ---------------------------------------------------------------------------------------

def _text(value: object, kind: str, fmt: str | None) -> str | None:
    """Storage value of kind N(umber)/D(ate)/T(imestamp)/Z(tz)/S(tring) as text, Oracle's way."""
    if value is None:
        return None
    if kind == "N":
        d = num(value)
        return None if d is None else num_text(d)
    if kind in "DTZ":
        return format_datetime(_wall_clock(str(value)), fmt or "DD-MON-RR")
    if isinstance(value, bytes):
        return value.hex().upper()
    return str(value) or None


def _to_char(value: object, kind: str, fmt: object) -> str | None:
    if kind == "N" and fmt is not None:
        return _number_format(num(value), str(fmt))
    return _text(value, kind, None if fmt is None else str(fmt))


def _number_format(d: Decimal | None, fmt: str) -> str | None:
    """TO_CHAR(number, fmt) for 9/0/./,/D/G/FM/S-less models."""
    if d is None:
        return None
    f = fmt.upper()
    fm = f.startswith("FM")
    f = f[2:] if fm else f
    f = f.replace("D", ".").replace("G", ",")
    int_part, _, frac_part = f.partition(".")
    places = sum(1 for c in frac_part if c in "90")
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=200))
    digits_int = sum(1 for c in int_part if c in "90")
    whole, _, frac = format(abs(q), "f").partition(".")
    if whole == "0" and "0" not in int_part:
        whole = ""
    if len(whole) > digits_int:
        return "#" * (len(fmt) + 1)
    lead_zero = int_part.find("0")
    if lead_zero >= 0:
        zero_digits = sum(1 for c in int_part[lead_zero:] if c in "90")
        whole = whole.rjust(zero_digits, "0")
    # place group separators from the right
    out_chars: list[str] = []
    wi = len(whole) - 1
    for c in reversed(int_part):
        if c in "90":
            out_chars.append(whole[wi] if wi >= 0 else " ")
            wi -= 1
        elif c == ",":
            out_chars.append("," if wi >= 0 else " ")
    text = "".join(reversed(out_chars)).lstrip(" ")
    result = text + ("." + frac if places else "")
    sign = "-" if q < 0 else ""
    result = sign + result
    if not fm:
        result = result.rjust(len(fmt.replace("FM", "").replace("fm", "")) + 1)
    return result


def _concat(a: object, b: object) -> str | None:
    if a is None:
        return None if b is None else str(b) or None
    if b is None:
        return str(a) or None
    return (str(a) + str(b)) or None


def _upper(a: object) -> str | None:
    return None if a is None else str(a).upper() or None


def _lower(a: object) -> str | None:
    return None if a is None else str(a).lower() or None


def _initcap(a: object) -> str | None:
    return None if a is None else str(a).title() or None


def _length(a: object) -> bytes | None:
    if a is None:
        return None
    n = len(a) if isinstance(a, (str, bytes)) else len(str(a))
    return out(Decimal(n)) if n else None


def _substr(s: object, start: object, length: object = 0x7FFFFFFF) -> str | None:
    if s is None or start is None or length is None:
        return None
    text = str(s)
    p_dec, l_dec = num(start), num(length)
    if p_dec is None or l_dec is None:
        return None
    p, n = int(p_dec), int(l_dec)
    if n < 1:
        return None
    if p == 0:
        p = 1
    begin = p - 1 if p > 0 else len(text) + p
    if begin < 0 or begin >= len(text):
        return None
    return text[begin : begin + n] or None


def _instr(s: object, sub: object, start: object = 1, occurrence: object = 1) -> bytes | None:
    if s is None or sub is None or start is None or occurrence is None:
        return None
    text, pat = str(s), str(sub)
    p_dec, o_dec = num(start), num(occurrence)
    if p_dec is None or o_dec is None:
        return None
    pos, occ = int(p_dec), int(o_dec)
    found = -1
    if pos > 0:
        i = pos - 1
        for _ in range(occ):
            found = text.find(pat, i)
            if found < 0:
                break
            i = found + 1
    else:
        i = len(text) + pos
        for _ in range(occ):
            found = text.rfind(pat, 0, i + 1)
            if found < 0:
                break
            i = found - 1
    return out(Decimal(found + 1))


def _replace(s: object, a: object, b: object = None) -> str | None:
    if s is None:
        return None
    if a is None:
        return str(s)
    return str(s).replace(str(a), "" if b is None else str(b)) or None


def _trim(s: object, mode: str, chars: object = " ") -> str | None:
    if s is None or chars is None:
        return None
    text, c = str(s), str(chars)
    if mode == "L":
        return text.lstrip(c) or None
    if mode == "R":
        return text.rstrip(c) or None
    return text.strip(c) or None


def _pad(s: object, n: object, fill: object, left: bool) -> str | None:
    if s is None or n is None or fill is None:
        return None
    count_d = num(n)
    if count_d is None:
        return None
    # the result is a VARCHAR2 (32767 at most): RPAD(x, 2000000000) must not allocate gigabytes
    count, text, f = min(int(count_d), 32767), str(s), str(fill)
    if count <= 0 or not f:
        return None
    if len(text) >= count:
        return text[:count]
    padding = (f * (count // len(f) + 1))[: count - len(text)]
    return padding + text if left else text + padding


def _fit_str(a: object, size: int, label: str) -> str | None:
    """Check VARCHAR2(n)/RAW(n) length (ORA-12899)."""
    if a is None:
        return None
    if isinstance(a, bytes):
        value: str | bytes = a
        length = len(a)
    else:
        value = a if isinstance(a, str) else str(a)
        if not value:
            return None
        length = len(value)
    if size and length > size:
        schema, table, column = label.split("\x00")
        if not table:  # CAST(... AS VARCHAR2(n)) (translate/translator.py)
            raise errors.ora(25137)
        raise errors.value_too_large(schema, table, column, length, size)
    return value  # type: ignore[return-value]


def _fit_char(a: object, size: int, label: str) -> str | None:
    text = _fit_str(a, size, label)
    return None if text is None else str(text).ljust(size)


def _rtrim_blank(a: object) -> object:
    return a.rstrip(" ") if isinstance(a, str) else a


# ---- dates --------------------------------------------------------------------------------------

def _date_add(d: object, n: object) -> str | None:
    when, days = _dt_of(d), num(n)
    if when is None or days is None:
        return None
    seconds = int((days * _ONE_DAY_SECONDS).to_integral_value(rounding=ROUND_HALF_UP))
    try:
        result = when.replace(microsecond=0) + _dt.timedelta(seconds=seconds)
    except OverflowError:
        raise errors.ora(1841) from None
    return date_text(result)


def _date_diff(a: object, b: object) -> bytes | None:
    x, y = _dt_of(a), _dt_of(b)
    if x is None or y is None:
        return None
    delta = x.replace(microsecond=0) - y.replace(microsecond=0)
    seconds = Decimal(delta.days * 86400 + delta.seconds)
    return out(CONTEXT.divide(seconds, _ONE_DAY_SECONDS))


def _add_months(d: object, n: object) -> str | None:
    when, k = _dt_of(d), whole(n)
    if when is None or k is None:
        return None
    total = when.year * 12 + when.month - 1 + k
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise errors.ora(1841)
    last = calendar.monthrange(year, month + 1)[1]
    was_last = when.day == calendar.monthrange(when.year, when.month)[1]
    day = last if was_last or when.day > last else when.day
    return date_text(when.replace(year=year, month=month + 1, day=day, microsecond=0))


def _trunc_date(d: object, fmt: object = "DD") -> str | None:
    when = None if d is None else _wall_clock(str(d))
    if when is None or fmt is None:
        return None
    f = str(fmt).upper()
    if f in ("DD", "DDD", "J"):
        return date_text(when.replace(hour=0, minute=0, second=0, microsecond=0))
    if f in ("MM", "MON", "MONTH"):
        return date_text(when.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    if f in ("YYYY", "YY", "YEAR", "Y", "RR", "RRRR"):
        return date_text(when.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0))
    if f in ("HH", "HH24"):
        return date_text(when.replace(minute=0, second=0, microsecond=0))
    if f == "MI":
        return date_text(when.replace(second=0, microsecond=0))
    raise errors.ora(1898)


def _to_date(s: object, fmt: object, keep_fraction: int) -> str | None:
    if s is None or fmt is None:
        return None
    when = parse_datetime(str(s), str(fmt))
    if not keep_fraction:
        when = when.replace(microsecond=0)
    return date_text(when)


def _fit_date(d: object) -> str | None:
    when = _dt_of(d)
    return None if when is None else date_text(when.replace(microsecond=0))


def _fit_timestamp(d: object, fsp: int) -> str | None:
    when = _dt_of(d)
    if when is None:
        return None
    if fsp < 6:
        q = 10 ** (6 - fsp)
        micro = (when.microsecond + q // 2) // q * q
        when = when.replace(microsecond=0) + _dt.timedelta(microseconds=micro)
    return date_text(when)


# ---- aggregates -------------------------------------------------------------------------------

def aggregates(slot: ErrorSlot) -> dict[str, type]:
    class Sum:
        def __init__(self) -> None:
            self.total: Decimal | None = None

        def step(self, value: object) -> None:
            try:
                d = num(value)
                if d is not None:
                    self.total = d if self.total is None else CONTEXT.add(self.total, d)
            except errors.OraError as exc:
                slot.error = exc
                raise

        def finalize(self) -> bytes | None:
            return out(self.total)

    class Avg:
        def __init__(self) -> None:
            self.total = Decimal(0)
            self.count = 0

        def step(self, value: object) -> None:
            try:
                d = num(value)
                if d is not None:
                    self.total = CONTEXT.add(self.total, d)
                    self.count += 1
            except errors.OraError as exc:
                slot.error = exc
                raise

        def finalize(self) -> bytes | None:
            return out(CONTEXT.divide(self.total, Decimal(self.count))) if self.count else None

    return {"ora_sum": Sum, "ora_avg": Avg}


FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_add": (2, _add),
    "ora_sub": (2, _sub),
    "ora_mul": (2, _mul),
    "ora_div": (2, _div),
    "ora_neg": (1, _neg),
    "ora_num": (1, _to_num),
    "ora_mod": (2, _mod),
    "ora_round": (2, _round_num),
    "ora_trunc": (2, _trunc_num),
    "ora_abs": (1, _abs),
    "ora_ceil": (1, _ceil),
    "ora_floor": (1, _floor),
    "ora_sign": (1, _sign),
    "ora_num_to_float": (1, _num_to_float),
    "ora_positive_int": (1, _positive_int),
    "ora_text_to_bool": (1, _text_to_bool),
    "ora_fit_num": (3, _fit_num),
    "ora_text": (3, _text),
    "ora_to_char": (3, _to_char),
    "ora_concat": (2, _concat),
    "ora_upper": (1, _upper),
    "ora_lower": (1, _lower),
    "ora_initcap": (1, _initcap),
    "ora_length": (1, _length),
    "ora_substr": (3, _substr),
    "ora_instr": (4, _instr),
    "ora_replace": (3, _replace),
    "ora_trim": (3, _trim),
    "ora_lpad": (3, lambda s, n, f: _pad(s, n, f, True)),
    "ora_rpad": (3, lambda s, n, f: _pad(s, n, f, False)),
    "ora_fit_str": (3, _fit_str),
    "ora_fit_char": (3, _fit_char),
    "ora_rtrim_blank": (1, _rtrim_blank),
    "ora_date_add": (2, _date_add),
    "ora_date_diff": (2, _date_diff),
    "ora_add_months": (2, _add_months),
    "ora_trunc_date": (2, _trunc_date),
    "ora_to_date": (3, _to_date),
    "ora_fit_date": (1, _fit_date),
    "ora_fit_timestamp": (2, _fit_timestamp),
}


_SqliteValue = str | bytes | int | float | None


def guard(slot: ErrorSlot, fn: Callable[..., object]) -> Callable[..., _SqliteValue]:
    def call(*args: object) -> _SqliteValue:
        try:
            return fn(*args)  # type: ignore[return-value]
        except errors.OraError as exc:
            slot.error = exc
            raise
        except (ArithmeticError, ValueError, OverflowError) as exc:
            slot.error = errors.internal(f"{type(exc).__name__}: {exc}")
            raise

    return call
