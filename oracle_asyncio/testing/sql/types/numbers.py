"""Oracle NUMBER values as ``decimal.Decimal``: reading storage values, writing NUMBER bytes.

Used by the parser (numeric literals), the runtime functions and PL/SQL; it sits in the bottom
room so that none of them has to import another for it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Final

from oracle_sansio.codecs import decode_number

from .. import errors
from .datatypes import number_bytes

__all__ = ["CONTEXT", "num", "to_number", "out", "num_text", "whole", "WHOLE_LIMIT"]

#: NUMBER arithmetic: 38 significant digits, Oracle rounds half away from zero.
CONTEXT: Final = Context(prec=38, rounding=ROUND_HALF_UP, Emax=999, Emin=-999)


def num(value: object) -> Decimal | None:
    """A storage value as a Decimal (NUMBER bytes, int, float, or text converted as TO_NUMBER does)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return Decimal(decode_number(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return to_number(value)
    raise errors.invalid_number()


def to_number(text: str) -> Decimal | None:
    s = text.strip()
    if not s:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise errors.invalid_number() from None
    if not d.is_finite() or "_" in s:
        raise errors.invalid_number()
    return d


def out(d: Decimal | None) -> bytes | None:
    """NUMBER bytes of a Decimal result (38 significant digits)."""
    if d is None:
        return None
    if d.is_zero():
        return b"\x80"
    d = CONTEXT.plus(d)
    if d == d.to_integral_value():
        return number_bytes(int(d))
    return number_bytes(d)


def num_text(d: Decimal) -> str:
    """TO_CHAR(number) without a format: shortest text, no leading zero (``.5``, ``-.5``)."""
    if d.is_zero():
        return "0"
    if d == d.to_integral_value():
        return str(int(d))
    text = format(d.normalize(), "f")
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


#: The magnitude an integer argument saturates at: beyond any string, row count or sqlite integer.
WHOLE_LIMIT: Final = 2**62


def whole(value: object) -> int | None:
    """A numeric argument truncated to an integer as Oracle's built-ins take their integer
    arguments, held within +/-``WHOLE_LIMIT`` (a position or count that large already means
    "past everything"), so no caller meets an int too large for a C size; NaN is ORA-01428."""
    d = num(value)
    if d is None:
        return None
    if d.is_nan():
        raise errors.ora(1428, value="NaN")
    if d.is_infinite() or abs(d) >= WHOLE_LIMIT:
        return WHOLE_LIMIT if d > 0 else -WHOLE_LIMIT
    return int(d)
