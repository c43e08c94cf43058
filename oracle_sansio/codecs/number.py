"""NUMBER (ora type 2) and BINARY_INTEGER (3): Oracle's base-100 decimal format.

Layout (docs/protocol-ttc.md 6.3; python-oracledb impl/base/decoders.pyx and
encoders.pyx): one exponent byte, then up to 20 mantissa bytes, each one
base-100 digit.  Positive values carry ``0xC1 + e`` and digits ``d + 1``;
negative values invert the exponent byte, store ``101 - d`` and end with a
``102`` terminator when fewer than 20 mantissa bytes are used.  Zero is ``80``
and a lone negative exponent byte is -1e126.

The format is built so that comparing encodings byte by byte orders them by
value; the embedded server relies on that to keep NUMBER columns as sqlite
BLOBs (docs/architecture.md, "The embedded server").

Speed: decoding folds short mantissas (up to 7 bytes, the common case) into an
int with a multiply-add loop over a 256-entry digit table, and maps longer ones
to two-digit text with one ``str.translate`` call for ``int()`` to parse; the
Decimal is then made by exact scaling.  Encoding builds the tens and the units
of every pair with ``bytes.translate`` and adds them as two big integers, which
cannot carry because no pair sum exceeds 101.

Where this differs from python-oracledb:

- More than 40 significant digits: rejected (EncodeError), as python-oracledb
  does; neither rounds.  Exactly 40 digits with an odd number of them before
  the decimal point need 21 mantissa bytes: python-oracledb then writes a
  22-byte value the server cannot accept, we raise EncodeError.
- python-oracledb refuses number text longer than 172 characters; we strip
  zeros first and only judge the digits, so ``Decimal("1.000...0")`` passes.
- Decoding rejects mantissa bytes that are not base-100 digits (0, 101+ when
  positive; 0, 1, 102+ when negative, bar the terminator); python-oracledb
  decodes them into odd digits without complaint.
- ``decode_number`` returns ``int`` when the value is integral.  For canonical
  bytes that is exactly python-oracledb's "text has no decimal point" rule;
  they differ only for non-canonical trailing zero pairs (``C1 02 01``).
"""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal
from typing import Final

from ..errors import DecodeError, EncodeError

__all__ = [
    "MAX_DIGITS",
    "MAX_LENGTH",
    "decode_number",
    "decode_number_float",
    "decode_number_int_or_float",
    "decode_number_decimal",
    "decode_number_text",
    "encode_number",
    "encode_number_text",
]

#: Most significant decimal digits a NUMBER can carry (20 mantissa bytes).
MAX_DIGITS: Final = 40
#: Longest encoding: exponent byte plus 20 mantissa bytes.
MAX_LENGTH: Final = 21

_ZERO: Final = b"\x80"
# python-oracledb's accepted text grammar (encoders.pyx encode_number).
_NUMBER_TEXT: Final = re.compile(r"-?(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?\Z")
_NEG_TERMINATOR: Final = 102
# python-oracledb's limits on the decimal-point position (encoders.pyx): the
# value must stay below 1e126 and at or above 1e-130.
_MAX_DP: Final = 126
_MIN_DP: Final = -129
_MAX_INT_EXCLUSIVE: Final = 10**126
#: Positive ints below this (at most 38 digits) take encode_number's short path.
_FAST_INT_LIMIT: Final = 10**38

# Mantissa byte -> two decimal digits; invalid bytes map to "" so that a
# short result reveals them without a second pass.
_POS_PAIRS: Final[tuple[str, ...]] = tuple(f"{b - 1:02d}" if 1 <= b <= 100 else "" for b in range(256))
_NEG_PAIRS: Final[tuple[str, ...]] = tuple(f"{101 - b:02d}" if 2 <= b <= 101 else "" for b in range(256))
# Mantissa byte -> base-100 digit for the arithmetic path; an invalid byte maps
# to a value so negative that the running total stays below zero whatever the
# other (at most 20) digits add.
_BAD_DIGIT: Final = -(10**44)
_POS_DIGITS: Final[tuple[int, ...]] = tuple(b - 1 if 1 <= b <= 100 else _BAD_DIGIT for b in range(256))
_NEG_DIGITS: Final[tuple[int, ...]] = tuple(101 - b if 2 <= b <= 101 else _BAD_DIGIT for b in range(256))
# Up to this many mantissa bytes a multiply-add loop beats text + int().
_LOOP_MAX: Final = 7
_POW100: Final[tuple[int, ...]] = tuple(100**i for i in range(64))
# Exact scaling: Decimal(v) * 1E-k keeps coefficient v and exponent -k, the
# same Decimal that parsing python-oracledb's text gives.  A private context
# with room for 40 digits keeps the caller's context (precision, traps) out.
_EXACT: Final = Context(prec=60)
_SCALE: Final[tuple[Decimal, ...]] = tuple(Decimal(f"1E-{k}") for k in range(300))
_FLOAT_POW10: Final[tuple[float, ...]] = tuple(10.0**k for k in range(23))
_EXACT_FLOAT_INT: Final = 2**53

# ASCII digit -> its contribution to a mantissa byte (see module docstring).
_TENS: Final = bytes(10 * (c - 48) if 48 <= c <= 57 else 0 for c in range(256))
_UNITS_POS: Final = bytes(c - 47 if 48 <= c <= 57 else 0 for c in range(256))
_UNITS_NEG: Final = bytes(c - 48 if 48 <= c <= 57 else 0 for c in range(256))
# int.from_bytes(b"\x65" * n): 101 in every byte, the base negatives subtract from.
_ALL_101: Final[tuple[int, ...]] = tuple(int.from_bytes(b"\x65" * n, "big") for n in range(21))


def _mantissa_error(data: bytes, negative: bool) -> DecodeError:
    """Name the first mantissa byte that is not a base-100 digit."""
    table = _NEG_PAIRS if negative else _POS_PAIRS
    end = len(data) - 1 if negative and data[-1] == _NEG_TERMINATOR else len(data)
    for pos in range(1, end):
        if not table[data[pos]]:
            break
    else:  # pragma: no cover - only called after the table reported a bad byte
        pos = 1
    sign = "negative" if negative else "positive"
    return DecodeError(
        f"NUMBER mantissa byte 0x{data[pos]:02X} at offset {pos} is out of range for a {sign} value ({data.hex(' ')})"
    )


def _split(data: bytes) -> tuple[bool, str, int]:
    """Return ``(negative, digits, exp10)`` with value ``±int(digits) * 10**exp10``.

    ``digits`` is empty for zero and has no trailing zeros otherwise.

    Raises:
        DecodeError: the bytes are not a NUMBER.
    """
    n = len(data)
    if n == 0:
        raise DecodeError("NUMBER value is empty")
    if n > MAX_LENGTH:
        raise DecodeError(f"NUMBER value is too long ({n} bytes, at most {MAX_LENGTH})")
    b0 = data[0]
    negative = not b0 & 0x80
    if n == 1:
        # python-oracledb: no mantissa means 0 when positive, -1e126 when negative.
        return (True, "1", 126) if negative else (False, "", 0)
    if negative:
        mant = data[1:-1] if data[-1] == _NEG_TERMINATOR else data[1:]
        if not mant:
            raise DecodeError(f"negative NUMBER has no mantissa digits ({data.hex(' ')})")
        digits = mant.decode("latin-1").translate(_NEG_PAIRS)
        exponent = 62 - b0
    else:
        mant = data[1:]
        digits = mant.decode("latin-1").translate(_POS_PAIRS)
        exponent = b0 - 193
    k = len(mant)
    if len(digits) != 2 * k:
        raise _mantissa_error(data, negative)
    stripped = digits.rstrip("0")
    if not stripped:
        return (False, "", 0)
    return (negative, stripped, 2 * (exponent - k + 1) + len(digits) - len(stripped))


def _coefficient(data: bytes) -> tuple[int, int] | None:
    """Fast path: ``(v, shift)`` with value ``v * 100**shift`` and ``v`` signed.

    Returns None when the slow path must decide: zero, -1e126, a 20-byte
    negative without terminator, non-canonical or invalid bytes.
    """
    n = len(data)
    if n < 2 or n > MAX_LENGTH:
        return None
    b0 = data[0]
    if b0 & 0x80:
        mant = data[1:]
        digit_table, pair_table = _POS_DIGITS, _POS_PAIRS
        shift = b0 - 191 - n  # (b0 - 193) - (n - 2): weight of the last mantissa byte
    elif data[-1] == _NEG_TERMINATOR and n > 2:
        mant = data[1:-1]
        digit_table, pair_table = _NEG_DIGITS, _NEG_PAIRS
        shift = 65 - b0 - n  # (62 - b0) - (n - 3)
    else:
        return None
    if len(mant) <= _LOOP_MAX:
        v = 0
        for byte in mant:
            v = v * 100 + digit_table[byte]
    else:
        text = mant.decode("latin-1").translate(pair_table)
        if len(text) != 2 * len(mant):
            return None
        v = int(text)
    if v <= 0:
        return None
    return (v if b0 & 0x80 else -v), shift


def decode_number(data: bytes) -> int | Decimal:
    """Decode a NUMBER body exactly: ``int`` when the value is integral, else ``Decimal``.

    Raises:
        DecodeError: empty, longer than 21 bytes, or a mantissa byte that is not
            a base-100 digit.
    """
    fast = _coefficient(data)
    if fast is not None:
        v, shift = fast
        if shift >= 0:
            return v * _POW100[shift]
        # Canonical encodings end in a non-zero pair; drop its trailing 0 digit
        # like python-oracledb's text does, so 1.5 is Decimal('1.5'), not '1.50'.
        if v % 10:
            return _EXACT.multiply(Decimal(v), _SCALE[-2 * shift])
        if v % 100:
            return _EXACT.multiply(Decimal(v // 10), _SCALE[-2 * shift - 1])
    negative, digits, exp10 = _split(data)
    if not digits:
        return 0
    if exp10 >= 0:
        value = int(digits + "0" * exp10)
        return -value if negative else value
    return Decimal(f"{'-' if negative else ''}{digits}E{exp10}")


def decode_number_int_or_float(data: bytes) -> int | float:
    """Decode a NUMBER body to ``int`` when the value is integral, else the nearest
    ``float`` (python-oracledb's default for integer-typed and unconstrained columns).

    Raises:
        DecodeError: as :func:`decode_number`.
    """
    fast = _coefficient(data)
    if fast is not None:
        v, shift = fast
        if shift >= 0:
            return v * _POW100[shift]
        if v % 100:
            # Canonical encodings end in a non-zero pair: a negative shift is then a fraction.
            return decode_number_float(data)
    value = decode_number(data)
    return value if isinstance(value, int) else float(value)


def decode_number_decimal(data: bytes) -> Decimal:
    """Decode a NUMBER body to ``Decimal`` (``fetch_decimals``), exactly.

    Raises:
        DecodeError: as :func:`decode_number`.
    """
    value = decode_number(data)
    return value if isinstance(value, Decimal) else Decimal(value)


def decode_number_text(data: bytes) -> str:
    """Decode a NUMBER body to python-oracledb's text form (plain notation, no exponent).

    The one exception is -1e126, which python-oracledb renders as ``"-1e126"``.

    Raises:
        DecodeError: as :func:`decode_number`.
    """
    if len(data) == 1 and not data[0] & 0x80:
        return "-1e126"
    value = decode_number(data)
    if isinstance(value, int):
        return str(value)
    return format(value, "f")


def decode_number_float(data: bytes) -> float:
    """Decode a NUMBER body to the nearest ``float`` (correctly rounded).

    Raises:
        DecodeError: as :func:`decode_number`.
    """
    fast = _coefficient(data)
    if fast is not None:
        v, shift = fast
        exp10 = 2 * shift
        # Both operands exact doubles and one IEEE operation: correctly rounded.
        if -22 <= exp10 <= 22 and -_EXACT_FLOAT_INT < v < _EXACT_FLOAT_INT:
            return v / _FLOAT_POW10[-exp10] if exp10 < 0 else v * _FLOAT_POW10[exp10]
        return float(f"{v}e{exp10}")
    negative, digits, exp10 = _split(data)
    if not digits:
        return 0.0
    return float(f"{'-' if negative else ''}{digits}e{exp10}")


def _encode_digits(negative: bool, digits: str, dp: int, shown: object) -> bytes:
    """Encode ``0.digits × 10**dp`` (digits without leading or trailing zeros).

    Raises:
        EncodeError: more than 40 significant digits or dp outside -129..126.
    """
    if not digits:
        return _ZERO
    if len(digits) > MAX_DIGITS:
        raise EncodeError(
            f"{shown} cannot be represented as an Oracle NUMBER: "
            f"{len(digits)} significant digits (at most {MAX_DIGITS})"
        )
    if dp > _MAX_DP or dp < _MIN_DP:
        raise EncodeError(f"{shown} cannot be represented as an Oracle NUMBER: magnitude outside 1e-130 .. 1e126")
    if dp & 1:
        digits = "0" + digits
        dp += 1
    if len(digits) & 1:
        digits += "0"
    pairs = len(digits) >> 1
    if pairs > MAX_LENGTH - 1:
        # Forty digits only fit when the decimal point falls between pairs;
        # python-oracledb would emit an invalid 22-byte value here instead.
        raise EncodeError(
            f"{shown} cannot be represented as an Oracle NUMBER: 40 significant digits need an even "
            "number of digits before the decimal point"
        )
    exponent = (dp >> 1) + 192
    if pairs == 1:
        if negative:
            return bytes((255 - exponent, 101 - int(digits), _NEG_TERMINATOR))
        return bytes((exponent, int(digits) + 1))
    ascii_digits = digits.encode("ascii")
    tens = int.from_bytes(ascii_digits[0::2].translate(_TENS), "big")
    if negative:
        units = int.from_bytes(ascii_digits[1::2].translate(_UNITS_NEG), "big")
        body = (_ALL_101[pairs] - tens - units).to_bytes(pairs, "big")
        tail = b"\x66" if pairs < MAX_LENGTH - 1 else b""
        return bytes((255 - exponent,)) + body + tail
    units = int.from_bytes(ascii_digits[1::2].translate(_UNITS_POS), "big")
    return bytes((exponent,)) + (tens + units).to_bytes(pairs, "big")


def _encode_positive(digits: str, dp: int) -> bytes:
    """``0.digits x 10**dp`` for digits (no leading or trailing zeros) that fit a
    NUMBER and a dp within its range: _encode_digits' positive case without its checks."""
    if dp & 1:
        digits = "0" + digits
        dp += 1
    if len(digits) & 1:
        digits += "0"
    ascii_digits = digits.encode("ascii")
    tens = int.from_bytes(ascii_digits[0::2].translate(_TENS), "big")
    units = int.from_bytes(ascii_digits[1::2].translate(_UNITS_POS), "big")
    return bytes(((dp >> 1) + 192,)) + (tens + units).to_bytes(len(ascii_digits) >> 1, "big")


# Small integers are most of what gets bound (flags, counters, keys of lookup
# tables); their encodings are built once.
_SMALL_INTS: Final[dict[int, bytes]] = {
    v: _encode_digits(v < 0, str(abs(v)).rstrip("0"), len(str(abs(v))), v) for v in range(-100, 101) if v
}
_SMALL_INTS[0] = _ZERO


def encode_number_text(text: str) -> bytes:
    """Encode decimal text the way python-oracledb does (``[-]digits[.digits][e[+-]digits]``).

    No rounding takes place: values needing more than 40 significant digits
    are rejected, as python-oracledb does (ERR_ORACLE_NUMBER_NO_REPR).

    Raises:
        EncodeError: malformed text, or a value NUMBER cannot represent.
    """
    match = _NUMBER_TEXT.match(text)
    if match is None or not (match["int"] or match["frac"]):
        raise EncodeError(f"{text!r} is not a valid number")
    int_part, frac_part, exp_text = match["int"], match["frac"] or "", match["exp"]
    exponent = 0
    if exp_text is not None:
        exp_digits = exp_text.lstrip("+-").lstrip("0")
        if len(exp_digits) > 9:
            raise EncodeError(f"{text!r} cannot be represented as an Oracle NUMBER: exponent out of range")
        exponent = int(exp_text)
    whole = (int_part + frac_part).lstrip("0")
    # value = int(whole) * 10**(exponent - len(frac_part)) = 0.whole * 10**dp
    dp = len(whole) - len(frac_part) + exponent
    return _encode_digits(text.startswith("-"), whole.rstrip("0"), dp, repr(text))


def encode_number(value: int | Decimal | float) -> bytes:
    """Encode an int, Decimal or float as a NUMBER body, from its ``str()`` form as python-oracledb does.

    A float therefore goes through its shortest repr (2.5 -> ``C1 03 33``).
    ``bool`` is encoded as 1 or 0.  Nothing is rounded: more than 40
    significant digits is an error, as in python-oracledb.

    Raises:
        EncodeError: NaN, infinity, more than 40 significant digits, or a
            magnitude at or above 1e126 or below 1e-130.
        TypeError: ``value`` is not an int, Decimal or float.
    """
    if type(value) is int and 0 < value < _FAST_INT_LIMIT:
        # The usual bind (keys, counts): at most 38 digits always pass _encode_digits' checks.
        small = _SMALL_INTS.get(value)
        if small is not None:
            return small
        text = str(value)
        return _encode_positive(text.rstrip("0"), len(text))
    if type(value) is float and 0.0 < value < 1e16:
        text = repr(value)
        if "e" not in text:
            # 1e-4 <= value < 1e16 and at most 17 significant digits: always representable.
            int_part, _, frac_part = text.partition(".")
            if int_part == "0":
                whole = frac_part.lstrip("0")
                return _encode_positive(whole.rstrip("0"), len(whole) - len(frac_part))
            return _encode_positive((int_part + frac_part).rstrip("0"), len(int_part))
    if isinstance(value, int):
        small = _SMALL_INTS.get(value)
        if small is not None:
            return small
        if not -_MAX_INT_EXCLUSIVE < value < _MAX_INT_EXCLUSIVE:
            # Checked before str(): huge ints would also trip int-to-str limits.
            raise EncodeError("integer cannot be represented as an Oracle NUMBER: magnitude at or above 1e126")
        negative = value < 0
        # int() first: bool and IntEnum members must not reach str() as names.
        text = str(abs(int(value)))
        if text == "0":
            return _ZERO
        return _encode_digits(negative, text.rstrip("0"), len(text), value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EncodeError(f"{value!r} cannot be represented as an Oracle NUMBER")
        # repr is always [-]digits[.digits][e±digits], so no validation is needed.
        mantissa, _, exp_text = repr(value).partition("e")
        int_part, _, frac_part = mantissa.lstrip("-").partition(".")
        whole = (int_part + frac_part).lstrip("0")
        dp = len(whole) - len(frac_part) + (int(exp_text) if exp_text else 0)
        return _encode_digits(value < 0, whole.rstrip("0"), dp, value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EncodeError(f"{value!r} cannot be represented as an Oracle NUMBER")
        # str() gives the coefficient's digits (with a '.', maybe a sign and an
        # exponent); adjusted() is the power of ten of the first of them.
        digits = str(value).partition("E")[0].replace(".", "").lstrip("-0").rstrip("0")
        return _encode_digits(value.is_signed(), digits, value.adjusted() + 1, value)
    raise TypeError(f"cannot encode {type(value).__name__} as an Oracle NUMBER")
