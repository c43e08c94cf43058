"""BOOLEAN (252, 23ai).

Outside database objects the value is an encoded integer: ``01 01`` for true
and ``00`` for false; 12.1 also sent ``81 01`` for a NULL PL/SQL boolean with
the NULL carried by the indicator that follows.  python-oracledb therefore
decides on the **first byte only**: 1 is true, anything else false
(impl/base/buffer.pyx ``read_oracle_data``; docs/protocol-ttc.md 6.11).
"""

from __future__ import annotations

from typing import Final

from ..errors import DecodeError

__all__ = ["FALSE_BODY", "TRUE_BODY", "decode_boolean", "encode_boolean"]

#: Bodies python-oracledb writes (encoders.pyx ``encode_boolean``), live-checked.
TRUE_BODY: Final = b"\x01\x01"
FALSE_BODY: Final = b"\x00"


def decode_boolean(data: bytes) -> bool:
    """Decode a BOOLEAN body: true when the first byte is 1.

    Raises:
        DecodeError: the body is empty.
    """
    if not data:
        raise DecodeError("BOOLEAN value is empty")
    return data[0] == 1


def encode_boolean(value: bool) -> bytes:
    """Encode ``True`` as ``01 01`` and ``False`` as ``00``.

    Raises:
        TypeError: ``value`` is not a bool (truthiness is not guessed).
    """
    if value is True:
        return TRUE_BODY
    if value is False:
        return FALSE_BODY
    raise TypeError(f"cannot encode {type(value).__name__} as BOOLEAN")
