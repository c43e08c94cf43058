"""TTC wire writer: the inverse of :class:`~oracle_sansio.ttc.wire.Reader` (docs/protocol-ttc.md 2).

The encodings are described in :mod:`oracle_sansio.ttc.wire`, which re-exports
:class:`Writer` and the length-byte constants defined here.
"""

from __future__ import annotations

import struct
from typing import Final

from ..errors import EncodeError

__all__ = [
    "Writer",
    "LONG_LENGTH_INDICATOR",
    "NULL_LENGTH_INDICATOR",
    "MAX_SHORT_LENGTH",
    "CHUNK_SIZE",
]

#: Length byte announcing a chunked string.
LONG_LENGTH_INDICATOR: Final = 0xFE
#: Alternative NULL length byte (0x00 is the other).
NULL_LENGTH_INDICATOR: Final = 0xFF
#: Longest string written in the one-byte-length form.
MAX_SHORT_LENGTH: Final = 252
#: Chunk size python-oracledb writes (TNS_CHUNK_SIZE).
CHUNK_SIZE: Final = 32_767

_U16BE: Final = struct.Struct(">H")
_U32BE: Final = struct.Struct(">I")
_U64BE: Final = struct.Struct(">Q")
_U16LE: Final = struct.Struct("<H")
_U32LE: Final = struct.Struct("<I")


class Writer:
    """Accumulates TTC bytes; the inverse of :class:`Reader`."""

    __slots__ = ("_buf", "big_chunks")

    def __init__(self, *, big_chunks: bool = True) -> None:
        self._buf = bytearray()
        self.big_chunks = big_chunks

    def __len__(self) -> int:
        return len(self._buf)

    def getvalue(self) -> bytes:
        """Everything written so far."""
        return bytes(self._buf)

    def view(self) -> memoryview:
        """Everything written so far, without a copy (for a large message sent at
        once); nothing may be written while the view is held."""
        return memoryview(self._buf)

    def ub1(self, value: int) -> None:
        """One raw byte."""
        if not 0 <= value <= 0xFF:
            raise EncodeError(f"ub1 value {value} is out of range")
        self._buf.append(value)

    def u16be(self, value: int) -> None:
        """Fixed-width big-endian u16."""
        self._buf += _U16BE.pack(value)

    def u32be(self, value: int) -> None:
        """Fixed-width big-endian u32."""
        self._buf += _U32BE.pack(value)

    def u64be(self, value: int) -> None:
        """Fixed-width big-endian u64."""
        self._buf += _U64BE.pack(value)

    def u16le(self, value: int) -> None:
        """Fixed-width little-endian u16."""
        self._buf += _U16LE.pack(value)

    def u32le(self, value: int) -> None:
        """Fixed-width little-endian u32."""
        self._buf += _U32LE.pack(value)

    def raw(self, data: bytes | bytearray | memoryview) -> None:
        """Bytes as they are."""
        self._buf += data

    def _uint(self, value: int, max_bytes: int, what: str, shown: int | None = None) -> None:
        # ``shown``: the signed value _sint writes the magnitude of (for the message).
        buf = self._buf
        if value == 0:
            buf.append(0)
        elif value < 0:
            raise EncodeError(f"{what} value {value} is negative")
        elif value <= 0xFF:
            buf.append(1)
            buf.append(value)
        elif value <= 0xFFFF:
            buf.append(2)
            buf += _U16BE.pack(value)
        elif value <= 0xFFFFFFFF and max_bytes >= 4:
            buf.append(4)
            buf += _U32BE.pack(value)
        elif value <= 0xFFFFFFFFFFFFFFFF and max_bytes == 8:
            buf.append(8)
            buf += _U64BE.pack(value)
        else:
            raise EncodeError(f"{what} value {value if shown is None else shown} does not fit in {max_bytes} bytes")

    def ub2(self, value: int) -> None:
        """Universal unsigned integer (python-oracledb writes 1, 2 or 4 value bytes)."""
        self._uint(value, 2, "ub2")

    def ub4(self, value: int) -> None:
        """Universal unsigned integer."""
        self._uint(value, 4, "ub4")

    def ub8(self, value: int) -> None:
        """Universal unsigned integer of up to 8 value bytes."""
        self._uint(value, 8, "ub8")

    def _sint(self, value: int, max_bytes: int, what: str) -> None:
        if value >= 0:
            self._uint(value, max_bytes, what)
            return
        # The magnitude as unsigned, then the sign bit in its length byte
        # (never 0 here), so the unsigned path stays as short as it was.
        at = len(self._buf)
        self._uint(-value, max_bytes, what, value)
        self._buf[at] |= 0x80

    def sb2(self, value: int) -> None:
        """Universal signed integer."""
        self._sint(value, 2, "sb2")

    def sb4(self, value: int) -> None:
        """Universal signed integer."""
        self._sint(value, 4, "sb4")

    def sb8(self, value: int) -> None:
        """Universal signed integer of up to 8 magnitude bytes."""
        self._sint(value, 8, "sb8")

    def clr(self, value: bytes | bytearray | memoryview | None) -> None:
        """A length-prefixed byte string; None and empty both become the NULL byte."""
        buf = self._buf
        if not value:
            buf.append(0)
            return
        n = len(value)
        if n <= MAX_SHORT_LENGTH:
            buf.append(n)
            buf += value
            return
        buf.append(LONG_LENGTH_INDICATOR)
        view = memoryview(value)
        chunk = CHUNK_SIZE if self.big_chunks else 0xFF
        for start in range(0, n, chunk):
            piece = view[start : start + chunk]
            if self.big_chunks:
                self._uint(len(piece), 4, "chunk length")
            else:
                buf.append(len(piece))
            buf += piece
        buf.append(0)

    def dlc(self, value: bytes | bytearray | memoryview | None) -> None:
        """``ub4`` length then a CLR; None and empty both become ``ub4 0``."""
        if not value:
            self._buf.append(0)
            return
        self._uint(len(value), 4, "DLC length")
        self.clr(value)

    def clr_str(self, value: str | None) -> None:
        """A string as a UTF-8 CLR."""
        self.clr(None if value is None else value.encode())

    def dlc_str(self, value: str | None) -> None:
        """A string as a UTF-8 DLC."""
        self.dlc(None if value is None else value.encode())

    def auth_kv(self, key: str, value: str | bytes, flags: int = 0) -> None:
        """An auth key/value pair (DLC key, DLC value, ``ub4`` flags)."""
        self.dlc_str(key)
        self.dlc(value.encode() if isinstance(value, str) else value)
        self.ub4(flags)

    def keyword_value(self, text: bytes | None, binary: bytes | None, keyword: int) -> None:
        """A PARAMETER keyword/value pair."""
        if text:
            self.ub2(len(text))
            self.clr(text)
        else:
            self.ub2(0)
        if binary:
            self.ub2(len(binary))
            self.clr(binary)
        else:
            self.ub2(0)
        self.ub2(keyword)
