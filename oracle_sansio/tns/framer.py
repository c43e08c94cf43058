"""Stream to packets and payloads to packets.

:class:`PacketReader` turns a byte stream, fed in chunks of any size, into
decoded packets.  It reads the header first and validates the type and the
length before waiting for the body, so a hostile length is rejected at once
instead of being waited for.  The length field is 16 bits until the owner
sets ``large`` (right after processing an ACCEPT of version >= 315; bytes
already buffered behind the ACCEPT are then read in the 32-bit form, which is
why the switch is the owner's decision, made between two packets).

:class:`PacketWriter` splits a payload into DATA packets no longer than the
negotiated SDU.
"""

from __future__ import annotations

import struct
from typing import Final

from ..errors import FramingError
from ..limits import DEFAULT_LIMITS, Limits
from .constants import DEFAULT_SDU, HEADER_SIZE, DataFlag, MarkerType, PacketType
from .packets import SUPPORTED_TYPES, Marker, Packet, decode_packet, encode_header

__all__ = ["PacketReader", "PacketWriter"]

_U16: Final = struct.Struct(">H")
_U32: Final = struct.Struct(">I")
_COMPACT_AT: Final = 65_536
_DATA: Final = int(PacketType.DATA)
_EOF_FLAGS: Final = int(DataFlag.EOF)


class PacketReader:
    """Incremental TNS packet parser (bytes in, packets out).

    ``receive_data(b"")`` signals end of stream; afterwards a partial packet
    left in the buffer is reported as a :class:`FramingError`.
    """

    __slots__ = ("_buf", "_pos", "_eof", "large", "_limits")

    def __init__(self, *, large: bool = False, limits: Limits = DEFAULT_LIMITS) -> None:
        self._buf = bytearray()
        self._pos = 0
        self._eof = False
        #: True once lengths are 32-bit (after ACCEPT of version >= 315).
        self.large = large
        self._limits = limits

    @property
    def at_eof(self) -> bool:
        """True when the stream ended and every whole packet has been read."""
        return self._eof and self._pos >= len(self._buf)

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned as packets."""
        return len(self._buf) - self._pos

    def receive_data(self, data: bytes | bytearray | memoryview) -> None:
        """Append received bytes; an empty chunk means the peer closed the stream.

        Raises:
            FramingError: data arrived after end of stream was signalled.
        """
        if not data:
            self._eof = True
            return
        if self._eof:
            raise FramingError("data received after the end of the stream")
        if self._pos >= _COMPACT_AT and self._pos * 2 >= len(self._buf):
            del self._buf[: self._pos]
            self._pos = 0
        self._buf += data

    def next_packet(self) -> Packet | None:
        """Return the next whole packet, or None when more bytes are needed.

        Raises:
            FramingError: malformed header, unsupported type, bad body, or a
                stream that ended inside a packet.
            LimitExceededError: a length beyond ``Limits.max_packet_size``.
        """
        raw = self.next_raw_packet()
        if raw is None:
            return None
        return decode_packet(raw, limits=self._limits)

    def whole_data_next(self) -> bool:
        """Is a whole DATA packet, not the end-of-stream one, next in the buffer?

        Lets a connection append the TTC bytes of packets that arrived together and
        parse them once, instead of reading a message cut at each packet boundary
        again. Only looks: a packet :meth:`next_packet` would refuse answers False,
        so that it is refused there, in order.
        """
        buf, pos = self._buf, self._pos
        available = len(buf) - pos
        if available < HEADER_SIZE or buf[pos + 4] != _DATA:
            return False
        length: int = _U32.unpack_from(buf, pos)[0] if self.large else _U16.unpack_from(buf, pos)[0]
        if length < HEADER_SIZE or length > available or length > self._limits.max_packet_size:
            return False
        flags: int = _U16.unpack_from(buf, pos + HEADER_SIZE)[0] if length >= HEADER_SIZE + 2 else 0
        return flags != _EOF_FLAGS

    def next_raw_packet(self) -> bytes | None:
        """Like :meth:`next_packet` but return the packet's bytes undecoded."""
        buf, pos = self._buf, self._pos
        available = len(buf) - pos
        if available < HEADER_SIZE:
            if self._eof and available:
                raise FramingError(
                    f"stream ended {available} bytes into a packet header"
                )
            return None
        if self.large:
            length = _U32.unpack_from(buf, pos)[0]
        else:
            length = _U16.unpack_from(buf, pos)[0]
        ptype = buf[pos + 4]
        if length < HEADER_SIZE:
            raise FramingError(f"TNS packet length {length} is shorter than its header")
        if ptype not in SUPPORTED_TYPES:
            raise FramingError(
                f"TNS packet type {ptype} is not supported"
                + ("" if ptype in PacketType._value2member_map_ else " (unknown type)")
            )
        self._limits.check("TNS packet length", length, self._limits.max_packet_size)
        if available < length:
            if self._eof:
                raise FramingError(
                    f"stream ended {available} bytes into a packet of {length} bytes"
                )
            return None
        raw = bytes(buf[pos : pos + length])
        self._pos = pos + length
        return raw


class PacketWriter:
    """Builds outgoing packets for one connection, splitting at the SDU."""

    __slots__ = ("sdu", "large")

    def __init__(self, *, sdu: int = DEFAULT_SDU, large: bool = False) -> None:
        if sdu < HEADER_SIZE + 3:
            raise ValueError(f"SDU {sdu} is too small")
        #: Largest packet to send, header included.
        self.sdu = sdu
        #: True once lengths are 32-bit.
        self.large = large

    def data(
        self,
        payload: bytes | bytearray | memoryview,
        *,
        flags: int = DataFlag.NONE,
        last_flags: int = DataFlag.NONE,
    ) -> bytes:
        """Return ``payload`` as one or more DATA packets, concatenated.

        ``flags`` goes on every packet (a continued message keeps its flags,
        as python-oracledb does); ``last_flags`` is added to the last one only
        (END_OF_RESPONSE).  An empty payload gives one packet with only flags.
        """
        out = bytearray()
        self.data_into(out, payload, flags=flags, last_flags=last_flags)
        return bytes(out)

    def data_into(
        self,
        out: bytearray,
        payload: bytes | bytearray | memoryview,
        *,
        flags: int = DataFlag.NONE,
        last_flags: int = DataFlag.NONE,
    ) -> None:
        """Append to ``out`` what :meth:`data` returns (a large payload is copied once, not three times)."""
        chunk = self.sdu - HEADER_SIZE - 2
        view = memoryview(payload)
        total = len(view)
        start = 0
        large = self.large
        while True:
            end = min(start + chunk, total)
            last = end >= total
            pflags = flags | last_flags if last else flags
            out += encode_header(HEADER_SIZE + 2 + end - start, PacketType.DATA, 0, large=large)
            out += _U16.pack(pflags)
            out += view[start:end]
            if last:
                return
            start = end

    def marker(self, marker: MarkerType) -> bytes:
        """Return a MARKER packet (BREAK, RESET or INTERRUPT)."""
        return Marker(marker=marker).encode(large=self.large)
