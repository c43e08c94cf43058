"""BINARY_FLOAT (100, 4 bytes) and BINARY_DOUBLE (101, 8 bytes).

Oracle stores the IEEE-754 big-endian bits with the sign bit set for
non-negative values and every bit inverted for negative ones, so the bytes sort
like the numbers (docs/protocol-ttc.md 6.5; python-oracledb impl/base/encoders.pyx).
The transform is done on one integer, not byte by byte.
"""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from ..errors import DecodeError, EncodeError

__all__ = [
    "BINARY_DOUBLE_LENGTH",
    "BINARY_FLOAT_LENGTH",
    "decode_binary_double",
    "decode_binary_float",
    "encode_binary_double",
    "encode_binary_float",
]

BINARY_FLOAT_LENGTH: Final = 4
BINARY_DOUBLE_LENGTH: Final = 8

class _Width(NamedTuple):
    """One IEEE-754 width: its Oracle name, byte length, packer, sign bit and all-ones mask."""

    name: str
    length: int
    packer: struct.Struct
    sign: int
    mask: int


#: Byte -> its complement: undoes the inversion of a negative value's bits.
_INVERT: Final = bytes(255 - b for b in range(256))
_DOUBLE: Final = _Width("BINARY_DOUBLE", BINARY_DOUBLE_LENGTH, struct.Struct(">d"), 1 << 63, (1 << 64) - 1)
_FLOAT: Final = _Width("BINARY_FLOAT", BINARY_FLOAT_LENGTH, struct.Struct(">f"), 1 << 31, (1 << 32) - 1)


def _decode(data: bytes, width: _Width) -> float:
    if len(data) != width.length:
        raise DecodeError(f"{width.name} value must be {width.length} bytes, got {len(data)}")
    value: float
    if data[0] & 0x80:
        # Only the sign bit was set: read as is, the value comes out negated
        # (IEEE negation flips exactly that bit, NaN payloads included).
        value = width.packer.unpack(data)[0]
        return -value
    value = width.packer.unpack(data.translate(_INVERT))[0]
    return value


def _encode(value: float, width: _Width) -> bytes:
    """IEEE bits -> Oracle's: set the sign bit of a non-negative value, invert a negative one.

    Raises:
        TypeError: ``value`` is not a real number.
        OverflowError: beyond the width's range (the caller decides what that means).
    """
    try:
        packed = width.packer.pack(value)
    except struct.error as exc:
        raise TypeError(f"cannot encode {type(value).__name__} as {width.name}") from exc
    bits = int.from_bytes(packed, "big")
    bits = bits ^ width.mask if bits & width.sign else bits | width.sign
    return bits.to_bytes(width.length, "big")


def decode_binary_double(data: bytes) -> float:
    """Decode an 8-byte BINARY_DOUBLE body.

    Raises:
        DecodeError: not 8 bytes.
    """
    return _decode(data, _DOUBLE)


def encode_binary_double(value: float) -> bytes:
    """Encode a float (an int is converted) as an 8-byte BINARY_DOUBLE body.

    Raises:
        TypeError: ``value`` is not a real number.
    """
    return _encode(value, _DOUBLE)


def decode_binary_float(data: bytes) -> float:
    """Decode a 4-byte BINARY_FLOAT body (the float32 value, widened exactly).

    Raises:
        DecodeError: not 4 bytes.
    """
    return _decode(data, _FLOAT)


def encode_binary_float(value: float) -> bytes:
    """Encode a float as a 4-byte BINARY_FLOAT body, rounding to float32.

    Raises:
        EncodeError: a finite value beyond float32's range (python-oracledb's C
            cast would send infinity instead).
        TypeError: ``value`` is not a real number.
    """
    try:
        return _encode(value, _FLOAT)
    except OverflowError:
        raise EncodeError(f"{value!r} is outside the BINARY_FLOAT range") from None
