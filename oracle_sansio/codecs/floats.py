"""BINARY_FLOAT (100, 4 bytes) and BINARY_DOUBLE (101, 8 bytes).

Oracle stores the IEEE-754 big-endian bits with the sign bit set for
non-negative values and every bit inverted for negative ones, so the bytes sort
like the numbers (docs/protocol-ttc.md 6.5; python-oracledb impl/base/encoders.pyx).
The transform is done on one integer, not byte by byte.
"""

from __future__ import annotations

import struct
from typing import Final

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

_DOUBLE: Final = struct.Struct(">d")
_FLOAT: Final = struct.Struct(">f")
_SIGN64: Final = 1 << 63
_MASK64: Final = (1 << 64) - 1
_SIGN32: Final = 1 << 31
_MASK32: Final = (1 << 32) - 1


def decode_binary_double(data: bytes) -> float:
    """Decode an 8-byte BINARY_DOUBLE body.

    Raises:
        DecodeError: not 8 bytes.
    """
    if len(data) != BINARY_DOUBLE_LENGTH:
        raise DecodeError(f"BINARY_DOUBLE value must be {BINARY_DOUBLE_LENGTH} bytes, got {len(data)}")
    bits = int.from_bytes(data, "big")
    bits = bits ^ _SIGN64 if bits & _SIGN64 else bits ^ _MASK64
    value: float = _DOUBLE.unpack(bits.to_bytes(8, "big"))[0]
    return value


def encode_binary_double(value: float) -> bytes:
    """Encode a float (an int is converted) as an 8-byte BINARY_DOUBLE body.

    Raises:
        TypeError: ``value`` is not a real number.
    """
    try:
        packed = _DOUBLE.pack(value)
    except struct.error as exc:
        raise TypeError(f"cannot encode {type(value).__name__} as BINARY_DOUBLE") from exc
    bits = int.from_bytes(packed, "big")
    bits = bits ^ _MASK64 if bits & _SIGN64 else bits | _SIGN64
    return bits.to_bytes(8, "big")


def decode_binary_float(data: bytes) -> float:
    """Decode a 4-byte BINARY_FLOAT body (the float32 value, widened exactly).

    Raises:
        DecodeError: not 4 bytes.
    """
    if len(data) != BINARY_FLOAT_LENGTH:
        raise DecodeError(f"BINARY_FLOAT value must be {BINARY_FLOAT_LENGTH} bytes, got {len(data)}")
    bits = int.from_bytes(data, "big")
    bits = bits ^ _SIGN32 if bits & _SIGN32 else bits ^ _MASK32
    value: float = _FLOAT.unpack(bits.to_bytes(4, "big"))[0]
    return value


def encode_binary_float(value: float) -> bytes:
    """Encode a float as a 4-byte BINARY_FLOAT body, rounding to float32.

    Raises:
        EncodeError: a finite value beyond float32's range (python-oracledb's C
            cast would send infinity instead).
        TypeError: ``value`` is not a real number.
    """
    try:
        packed = _FLOAT.pack(value)
    except OverflowError:
        raise EncodeError(f"{value!r} is outside the BINARY_FLOAT range") from None
    except struct.error as exc:
        raise TypeError(f"cannot encode {type(value).__name__} as BINARY_FLOAT") from exc
    bits = int.from_bytes(packed, "big")
    bits = bits ^ _MASK32 if bits & _SIGN32 else bits | _SIGN32
    return bits.to_bytes(4, "big")
