"""Scalar built-ins on NUMBER, text and RAW storage values: POWER, BITAND, ASCII, CHR, UNISTR,
HEXTORAW, RAWTOHEX, TO_BINARY_DOUBLE / TO_BINARY_FLOAT of text.

NUMBER results stay exact: POWER computes in the 38-digit Decimal context (types/numbers.py).
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal, InvalidOperation, Overflow
from typing import Final

from .. import errors
from ..types.numbers import CONTEXT, num, num_text, out

__all__ = ["FUNCTIONS"]

_UNISTR_ESCAPE: Final = re.compile(r"\\(\\|[0-9A-Fa-f]{4})?")
_FLOAT_TEXT: Final = re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?[fFdD]?\s*")
#: Longest text TO_BINARY_DOUBLE reads (a double has 17 significant digits; 4000 is VARCHAR2's).
_MAX_FLOAT_TEXT: Final = 4000


def _power(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    if x is None or y is None:
        return None
    if x < 0 and y != y.to_integral_value():
        raise errors.ora(1428, value=num_text(x))
    if x.is_zero() and y < 0:
        raise errors.ora(1428, value="0")
    try:
        return out(CONTEXT.power(x, y))
    except Overflow:
        raise errors.numeric_overflow() from None
    except InvalidOperation:
        raise errors.ora(1428, value=num_text(x)) from None


def _integer(value: Decimal) -> int:
    """An argument of BITAND as the integer Oracle uses (truncated toward zero)."""
    if abs(value) >= Decimal(2) ** 127:
        raise errors.numeric_overflow()
    return int(value.to_integral_value(rounding=ROUND_DOWN))


def _bitand(a: object, b: object) -> bytes | None:
    x, y = num(a), num(b)
    if x is None or y is None:
        return None
    return out(Decimal(_integer(x) & _integer(y)))


def _ascii(s: object) -> bytes | None:
    """The code of the first character in the database character set (AL32UTF8): its UTF-8 bytes."""
    if s is None:
        return None
    text = str(s)
    if not text:
        return None
    return out(Decimal(int.from_bytes(text[0].encode("utf-8", "surrogatepass"), "big")))


def _chr(n: object) -> str | None:
    """CHR(n): the character whose AL32UTF8 bytes are ``n``'s (as Oracle does for a multibyte set)."""
    x = num(n)
    if x is None:
        return None
    code = int(x.to_integral_value(rounding=ROUND_DOWN))
    if code < 0 or code >= 2**32:
        raise errors.invalid_number()
    raw = code.to_bytes(max(1, (code.bit_length() + 7) // 8), "big")
    return raw.decode("utf-8", "replace")


def _nchr(n: object) -> str | None:
    """NCHR(n): the character of UTF-16 code ``n`` (the national character set, AL16UTF16)."""
    x = num(n)
    if x is None:
        return None
    code = int(x.to_integral_value(rounding=ROUND_DOWN))
    if not 0 <= code <= 0x10FFFF:
        raise errors.invalid_number()
    return chr(code)


def _unistr(s: object) -> str | None:
    """UNISTR: ``\\XXXX`` (UTF-16 code units, surrogate pairs joined) and ``\\\\``."""
    if s is None:
        return None
    text = str(s)

    def escape(m: re.Match[str]) -> str:
        body = m.group(1)
        if body is None:
            raise errors.ora(30186)
        return "\\" if body == "\\" else chr(int(body, 16))

    decoded = _UNISTR_ESCAPE.sub(escape, text)
    # \D83D\DE00 arrives as two surrogates: join them into the one character they encode
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace") or None


def _hextoraw(s: object) -> bytes | None:
    if s is None:
        return None
    if isinstance(s, bytes):
        return s or None
    text = str(s).strip()
    if len(text) % 2:
        text = "0" + text
    try:
        return bytes.fromhex(text) or None
    except ValueError:
        raise errors.ora(1465) from None


def _rawtohex(b: object) -> str | None:
    if b is None:
        return None
    if isinstance(b, bytes):
        return b.hex().upper() or None
    return str(b).encode().hex().upper() or None


def _to_binary(value: object, single: int) -> float | None:
    """TO_BINARY_DOUBLE / TO_BINARY_FLOAT of text or a NUMBER (``single``: round to 32 bits)."""
    if value is None:
        return None
    if isinstance(value, float):
        result = value
    elif isinstance(value, (bytes, int)):
        d = num(value)
        if d is None:
            return None
        result = float(d)
    else:
        text = str(value)
        if len(text) > _MAX_FLOAT_TEXT:
            raise errors.invalid_number()
        word = text.strip().upper()
        special = {"INF": math.inf, "+INF": math.inf, "-INF": -math.inf, "NAN": math.nan}
        if word in special:
            result = special[word]
        elif _FLOAT_TEXT.fullmatch(text) is None:
            raise errors.invalid_number()
        else:
            result = float(word.rstrip("FD"))
    if single:
        try:
            result = struct.unpack("f", struct.pack("f", result))[0]
        except OverflowError:
            result = math.copysign(math.inf, result)
    return result


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_power": (2, _power),
    "ora_bitand": (2, _bitand),
    "ora_ascii": (1, _ascii),
    "ora_chr": (1, _chr),
    "ora_nchr": (1, _nchr),
    "ora_unistr": (1, _unistr),
    "ora_hextoraw": (1, _hextoraw),
    "ora_rawtohex": (1, _rawtohex),
    "ora_to_binary": (2, _to_binary),
}
