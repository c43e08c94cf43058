"""RAW (23) and LONG RAW (24): the body is the value (docs/protocol-ttc.md 6.9).

An empty RAW is NULL at the framing level, so these codecs never see one from
the wire; they still map ``b""`` to ``b""``.
"""

from __future__ import annotations

__all__ = ["decode_raw", "encode_raw"]


def decode_raw(data: bytes) -> bytes:
    """Return the RAW value as immutable ``bytes`` (copies bytearray/memoryview input)."""
    return data if type(data) is bytes else bytes(data)


def encode_raw(value: bytes | bytearray | memoryview) -> bytes:
    """Return the body of a RAW bind.

    Raises:
        TypeError: ``value`` is not bytes-like (a ``str`` is refused, not encoded).
    """
    if type(value) is bytes:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"cannot encode {type(value).__name__} as RAW")
