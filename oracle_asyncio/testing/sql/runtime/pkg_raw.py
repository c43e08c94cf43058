"""UTL_RAW: Oracle's package of RAW functions, as sqlite functions on storage values.

The translation (translate/pkgcalls.py) hands RAW arguments over as bytes (text converted as
HEXTORAW does), NUMBER arguments as storage (NUMBER bytes or an int) and text as str; results are
storage values too.  PL/SQL reaches them through SQL, as it reaches UPPER or SUBSTR.

Bad arguments are ORA-06502 (VALUE_ERROR), as UTL_RAW raises them.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Final

from oracle_sansio.codecs import decode_number
from oracle_sansio.errors import DecodeError

from .. import errors
from ..types.datatypes import number_bytes
from ..types.numbers import num, out

__all__ = ["FUNCTIONS", "as_int", "hex_to_raw"]

#: The byte orders of CAST_*_BINARY_*: 1 big endian, 2 little endian, 3 this machine's (little).
_ORDERS: Final = {1: ">", 2: "<", 3: "<"}


def as_int(value: object) -> int | None:
    """A NUMBER storage value as an int (truncated as PL/SQL's BINARY_INTEGER parameters are)."""
    d = num(value)
    return None if d is None else int(d)


def hex_to_raw(value: object) -> bytes | None:
    """Text as RAW, as Oracle's implicit HEXTORAW converts it (ORA-06502 for a non-hex digit)."""
    if value is None or isinstance(value, bytes):
        return value
    text = str(value)
    if len(text) % 2:
        text = "0" + text
    try:
        return bytes.fromhex(text) if text else None
    except ValueError:
        raise errors.value_error("conversion") from None


def _raw(value: object) -> bytes | None:
    return hex_to_raw(value)


def _cast_to_raw(c: object) -> bytes | None:
    return None if c is None else str(c).encode() or None


def _cast_to_varchar2(r: object) -> str | None:
    data = _raw(r)
    return None if data is None else data.decode(errors="replace")


def _cast_to_nvarchar2(r: object) -> str | None:
    data = _raw(r)  # the national character set is AL16UTF16
    return None if data is None else data.decode("utf-16-be", errors="replace")


def _length(r: object) -> bytes | None:
    data = _raw(r)
    return out(Decimal(0 if data is None else len(data)))


def _concat(*parts: object) -> bytes | None:
    return b"".join(p for p in (_raw(x) for x in parts) if p is not None) or None


def _substr(r: object, pos: object, length: object = None) -> bytes | None:
    """Bytes ``pos`` (1-based; negative: from the end) for ``length`` bytes (to the end: NULL);
    a position of 0 or past the end, or a length below 1 or beyond the end, is ORA-06502."""
    data, start = _raw(r), as_int(pos)
    if data is None:
        return None
    if start is None or start == 0 or abs(start) > len(data):
        raise errors.value_error()
    begin = start - 1 if start > 0 else len(data) + start
    count = len(data) - begin if length is None else as_int(length)
    if count is None or count < 1 or begin + count > len(data):
        raise errors.value_error()
    return data[begin:begin + count]


def _bits(op: Callable[[int, int], int]) -> Callable[[object, object], bytes | None]:
    def run(a: object, b: object) -> bytes | None:
        x, y = _raw(a), _raw(b)
        if x is None or y is None:
            return None
        short, long = (x, y) if len(x) <= len(y) else (y, x)
        # the longer value's unmatched tail is kept as it is
        done = (op(int.from_bytes(x[:len(short)], "big"), int.from_bytes(y[:len(short)], "big")))
        return done.to_bytes(len(short), "big") + long[len(short):]
    return run


def _bit_complement(r: object) -> bytes | None:
    data = _raw(r)
    return None if data is None else bytes(255 - b for b in data)


def _compare(a: object, b: object, pad: object = None) -> bytes | None:
    """0 when equal, else the 1-based position of the first byte that differs; the shorter
    value is padded with the first byte of ``pad`` (zero by default)."""
    x, y = _raw(a) or b"", _raw(b) or b""
    fill = (_raw(pad) or b"\x00")[:1]
    size = max(len(x), len(y))
    x, y = x.ljust(size, fill), y.ljust(size, fill)
    if x == y:
        return out(Decimal(0))
    return out(Decimal(next(i for i in range(size) if x[i] != y[i]) + 1))


def _reverse(r: object) -> bytes:
    data = _raw(r)
    if not data:
        raise errors.value_error()
    return data[::-1]


def _copies(r: object, n: object) -> bytes:
    data, times = _raw(r), as_int(n)
    if not data or times is None or times < 1:
        raise errors.value_error()
    if len(data) * times > 32767:  # RAW's PL/SQL limit
        raise errors.value_error()
    return data * times


def _cast_from_number(n: object) -> bytes | None:
    d = num(n)
    return None if d is None else number_bytes(d)


def _cast_to_number(r: object) -> bytes | None:
    data = _raw(r)
    if data is None:
        return None
    try:
        value = decode_number(data)
    except DecodeError:  # bytes that are no NUMBER
        raise errors.value_error() from None
    return out(Decimal(value))


def _order(endianess: object) -> str:
    order = _ORDERS.get(as_int(endianess) or 1)
    if order is None:
        raise errors.value_error()
    return order


def _from_binary_integer(n: object, endianess: object = 1) -> bytes | None:
    value = as_int(n)
    if value is None:
        return None
    if not -2**31 <= value < 2**31:
        raise errors.value_error()
    return struct.pack(_order(endianess) + "i", value)


def _to_binary_integer(r: object, endianess: object = 1) -> bytes | None:
    data, order = _raw(r), _order(endianess)
    if data is None:
        return None
    if len(data) > 4:
        raise errors.value_error()
    data = data.rjust(4, b"\x00") if order == ">" else data.ljust(4, b"\x00")
    return out(Decimal(struct.unpack(order + "i", data)[0]))


def _from_float(code: str) -> Callable[[object, object], bytes | None]:
    def run(n: object, endianess: object = 1) -> bytes | None:
        d = num(n) if not isinstance(n, float) else Decimal(repr(n))
        if d is None:
            return None
        value = float(d)
        try:
            return struct.pack(_order(endianess) + code, value)
        except OverflowError:  # beyond BINARY_FLOAT's range: infinity, as the conversion gives
            return struct.pack(_order(endianess) + code, math.copysign(math.inf, value))
    return run


def _to_float(code: str) -> Callable[[object, object], float | None]:
    def run(r: object, endianess: object = 1) -> float | None:
        data = _raw(r)
        if data is None:
            return None
        if len(data) != struct.calcsize(code):
            raise errors.value_error()
        return float(struct.unpack(_order(endianess) + code, data)[0])
    return run


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_pkg_hextoraw": (1, hex_to_raw),
    "ora_utl_raw_cast_to_raw": (1, _cast_to_raw),
    "ora_utl_raw_cast_to_varchar2": (1, _cast_to_varchar2),
    "ora_utl_raw_cast_to_nvarchar2": (1, _cast_to_nvarchar2),
    "ora_utl_raw_length": (1, _length),
    "ora_utl_raw_concat": (-1, _concat),
    "ora_utl_raw_substr": (-1, _substr),
    "ora_utl_raw_bit_and": (2, _bits(lambda a, b: a & b)),
    "ora_utl_raw_bit_or": (2, _bits(lambda a, b: a | b)),
    "ora_utl_raw_bit_xor": (2, _bits(lambda a, b: a ^ b)),
    "ora_utl_raw_bit_complement": (1, _bit_complement),
    "ora_utl_raw_compare": (-1, _compare),
    "ora_utl_raw_reverse": (1, _reverse),
    "ora_utl_raw_copies": (2, _copies),
    "ora_utl_raw_cast_from_number": (1, _cast_from_number),
    "ora_utl_raw_cast_to_number": (1, _cast_to_number),
    "ora_utl_raw_cast_from_binary_integer": (-1, _from_binary_integer),
    "ora_utl_raw_cast_to_binary_integer": (-1, _to_binary_integer),
    "ora_utl_raw_cast_from_binary_double": (-1, _from_float("d")),
    "ora_utl_raw_cast_to_binary_double": (-1, _to_float("d")),
    "ora_utl_raw_cast_from_binary_float": (-1, _from_float("f")),
    "ora_utl_raw_cast_to_binary_float": (-1, _to_float("f")),
}
