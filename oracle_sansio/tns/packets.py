"""One frozen dataclass per TNS packet type, each with ``encode`` and ``decode``.

Layouts are those of docs/protocol-connect.md 1-6 (python-oracledb
impl/thin/messages/connect.pyx, node-oracledb lib/thin/sqlnet/packet.js).
``decode`` takes the whole packet (header included, as the framer delivers
it); offsets in comments are from the first header byte.  Every decoder
checks lengths against the packet before reading and raises
:class:`~oracle_sansio.errors.FramingError` naming the field that is wrong.

The header's length field is 16 bits (plus two zero checksum bytes) before the
ACCEPT of a version >= 315 connection and 32 bits after; ``encode`` takes
``large`` to choose.  CONNECT, RESEND, REFUSE, REDIRECT and ACCEPT are always
sent in the 16-bit form.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final, TypeAlias

from ..errors import EncodeError, FramingError
from ..limits import DEFAULT_LIMITS, Limits
from .constants import (
    CONNECT_FIXED_SIZE,
    DEFAULT_SDU,
    HEADER_SIZE,
    MAX_CONNECT_DATA,
    NT_PROTOCOL_CHARACTERISTICS,
    VERSION_DESIRED,
    VERSION_MIN_LARGE_SDU,
    VERSION_MIN_OOB_CHECK,
    VERSION_MIN_UUID,
    VERSION_MINIMUM,
    AcceptFlag,
    ConnectFlag2,
    ControlCommand,
    DataFlag,
    MarkerType,
    NsiFlag,
    PacketFlag,
    PacketType,
    ServiceOption,
)

__all__ = [
    "Connect",
    "Accept",
    "Refuse",
    "Redirect",
    "Data",
    "Resend",
    "Marker",
    "Control",
    "Packet",
    "encode_header",
    "decode_packet",
    "refuse_text",
]

_U16: Final = struct.Struct(">H")
_U32: Final = struct.Struct(">I")
_HDR16: Final = struct.Struct(">HHBBH")
_HDR32: Final = struct.Struct(">IBBH")
_MAX16: Final = 0xFFFF


def encode_header(length: int, ptype: PacketType, flags: int, *, large: bool) -> bytes:
    """Return the 8-byte TNS header for a packet of ``length`` bytes in total.

    Raises:
        EncodeError: the length does not fit the chosen header form.
    """
    if large:
        if length > 0xFFFFFFFF:
            raise EncodeError(f"TNS packet of {length} bytes is too long")
        return _HDR32.pack(length, ptype, flags, 0)
    if length > _MAX16:
        raise EncodeError(
            f"TNS packet of {length} bytes does not fit a 16-bit length; "
            "negotiate version 315 or later or lower the SDU"
        )
    return _HDR16.pack(length, 0, ptype, flags, 0)


def _need(packet: bytes, size: int, what: str) -> None:
    if len(packet) < size:
        raise FramingError(
            f"{what}: packet of {len(packet)} bytes is shorter than the {size} bytes its layout needs"
        )


def _u16(packet: bytes, offset: int) -> int:
    return int(_U16.unpack_from(packet, offset)[0])


def _u32(packet: bytes, offset: int) -> int:
    return int(_U32.unpack_from(packet, offset)[0])


# --------------------------------------------------------------------- CONNECT


@dataclass(frozen=True, slots=True, kw_only=True)
class Connect:
    """CONNECT (client to listener): versions, SDU/TDU and the connect descriptor.

    When the descriptor is longer than 230 bytes it travels in a DATA packet
    right after the CONNECT (python-oracledb does so); :meth:`encode` then
    returns both packets.  A decoded CONNECT whose data follows separately has
    ``data_follows`` true and empty ``connect_data``; complete it with
    :meth:`with_connect_data` once the next DATA packet has arrived.
    """

    version: int = VERSION_DESIRED
    min_version: int = VERSION_MINIMUM
    service_options: int = ServiceOption.DONT_CARE
    sdu: int = DEFAULT_SDU
    tdu: int = DEFAULT_SDU
    nt_characteristics: int = NT_PROTOCOL_CHARACTERISTICS
    line_turnaround: int = 0
    value_of_one: int = 1
    connect_data: bytes = b""
    #: The descriptor length announced in the header (offset 24); equals
    #: ``len(connect_data)`` unless the data follows in a DATA packet.
    connect_data_length: int | None = None
    max_receivable: int = 0
    nsi_flags0: int = NsiFlag.SUPPORT_SECURITY_RENEG | NsiFlag.DISABLE_NA
    nsi_flags1: int = NsiFlag.SUPPORT_SECURITY_RENEG | NsiFlag.DISABLE_NA
    connect_flags1: int = 0
    connect_flags2: int = ConnectFlag2.NONE
    flags: int = PacketFlag.NONE

    @property
    def announced_length(self) -> int:
        """The descriptor length written at offset 24."""
        if self.connect_data_length is not None:
            return self.connect_data_length
        return len(self.connect_data)

    @property
    def data_follows(self) -> bool:
        """True when the descriptor is still to come in a separate DATA packet."""
        return self.announced_length > 0 and not self.connect_data

    def with_connect_data(self, data: bytes) -> Connect:
        """Return this CONNECT completed with the descriptor from the next DATA packet.

        Raises:
            FramingError: the DATA packet's length differs from the announced one.
        """
        if len(data) != self.announced_length:
            raise FramingError(
                f"CONNECT announced {self.announced_length} bytes of connect data "
                f"but the following DATA packet holds {len(data)}"
            )
        return replace(self, connect_data=bytes(data))

    def encode(self, *, large: bool = False) -> bytes:
        """Return the CONNECT packet, followed by a DATA packet for long connect data."""
        data = self.connect_data
        if len(data) > _MAX16:
            raise EncodeError(f"connect descriptor of {len(data)} bytes is too long")
        inline = len(data) <= MAX_CONNECT_DATA
        body = bytearray()
        body += struct.pack(
            ">HHHHHHHHHHIBB",
            self.version,
            self.min_version,
            self.service_options,
            self.sdu & 0xFFFF,
            self.tdu & 0xFFFF,
            self.nt_characteristics,
            self.line_turnaround,
            self.value_of_one,
            len(data),
            CONNECT_FIXED_SIZE,
            self.max_receivable,
            self.nsi_flags0,
            self.nsi_flags1,
        )
        body += bytes(24)
        body += struct.pack(
            ">IIII", self.sdu, self.tdu, self.connect_flags1, self.connect_flags2
        )
        if inline:
            body += data
        out = encode_header(HEADER_SIZE + len(body), PacketType.CONNECT, self.flags, large=large)
        out += body
        if not inline:
            out += Data(payload=data).encode(large=large)
        return out

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Connect:
        """Decode a CONNECT packet (go-ora's 70-byte fixed part is accepted too)."""
        _need(packet, 34, "CONNECT")
        (version, min_version, options, sdu16, tdu16, ntc, lt, one, dlen, doff, maxrecv,
         nsi0, nsi1) = struct.unpack_from(">HHHHHHHHHHIBB", packet, 8)
        limits.check("CONNECT data length", dlen, limits.max_connect_data)
        if doff < 34 or doff > max(len(packet), CONNECT_FIXED_SIZE):
            raise FramingError(f"CONNECT data offset {doff} is outside the packet")
        sdu, tdu, cf1, cf2 = sdu16, tdu16, 0, 0
        # Fields after the obsolete block exist only when the fixed part is
        # long enough (python: 74 bytes; go-ora: 70, without connect flags 2).
        if doff >= 66 and len(packet) >= 66:
            sdu, tdu = _u32(packet, 58), _u32(packet, 62)
        if doff >= 70 and len(packet) >= 70:
            cf1 = _u32(packet, 66)
        if doff >= 74 and len(packet) >= 74:
            cf2 = _u32(packet, 70)
        data = b""
        if len(packet) > doff:
            data = bytes(packet[doff : doff + dlen])
            if len(data) != dlen:
                raise FramingError(
                    f"CONNECT announces {dlen} bytes of connect data but carries {len(packet) - doff}"
                )
        return cls(
            version=version,
            min_version=min_version,
            service_options=options,
            sdu=sdu,
            tdu=tdu,
            nt_characteristics=ntc,
            line_turnaround=lt,
            value_of_one=one,
            connect_data=data,
            connect_data_length=dlen,
            max_receivable=maxrecv,
            nsi_flags0=nsi0,
            nsi_flags1=nsi1,
            connect_flags1=cf1,
            connect_flags2=cf2,
            flags=packet[5],
        )


# ---------------------------------------------------------------------- ACCEPT


@dataclass(frozen=True, slots=True, kw_only=True)
class Accept:
    """ACCEPT (listener to client): the negotiated version, SDU/TDU and flags.

    The layout grows with the version: 32-bit SDU/TDU and a compression byte
    from 315, "flags 2" from 318, a 16-byte connection UUID from 319 (23ai).
    """

    version: int = VERSION_DESIRED
    service_options: int = ServiceOption.DONT_CARE
    sdu: int = DEFAULT_SDU
    tdu: int = DEFAULT_SDU
    value_of_one: int = 1
    #: 0x04 (NA disabled) keeps node-oracledb from starting native encryption.
    nsi_flags0: int = NsiFlag.DISABLE_NA
    nsi_flags1: int = NsiFlag.NONE
    compression: int = 0
    flags2: int = AcceptFlag.NONE
    uuid: bytes | None = None
    accept_data: bytes = b""
    flags: int = PacketFlag.NONE

    def _fixed_size(self) -> int:
        if self.version < VERSION_MIN_LARGE_SDU:
            return 32
        if self.version < VERSION_MIN_OOB_CHECK:
            return 41
        if self.version >= VERSION_MIN_UUID and self.uuid is not None:
            return 61
        return 45

    def encode(self, *, large: bool = False) -> bytes:
        """Return the ACCEPT packet (always sent with a 16-bit length)."""
        if self.uuid is not None and len(self.uuid) != 16:
            raise EncodeError(f"ACCEPT uuid must be 16 bytes, not {len(self.uuid)}")
        fixed = self._fixed_size()
        body = bytearray(
            struct.pack(
                ">HHHHHHHBB",
                self.version,
                self.service_options,
                min(self.sdu, _MAX16),
                min(self.tdu, _MAX16),
                self.value_of_one,
                len(self.accept_data),
                fixed,
                self.nsi_flags0,
                self.nsi_flags1,
            )
        )
        body += bytes(8)
        if self.version >= VERSION_MIN_LARGE_SDU:
            body += struct.pack(">IIB", self.sdu, self.tdu, self.compression)
        if self.version >= VERSION_MIN_OOB_CHECK:
            body += _U32.pack(self.flags2)
        if fixed == 61 and self.uuid is not None:
            body += self.uuid
        body += self.accept_data
        return encode_header(HEADER_SIZE + len(body), PacketType.ACCEPT, self.flags, large=large) + body

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Accept:
        """Decode an ACCEPT; lengths are checked for the version it announces."""
        _need(packet, 10, "ACCEPT")
        version = _u16(packet, 8)
        # python-oracledb reads 36 bytes for 315-317 and 45 from 318 on.
        if version >= VERSION_MIN_OOB_CHECK:
            _need(packet, 45, f"ACCEPT version {version}")
        elif version >= VERSION_MIN_LARGE_SDU:
            _need(packet, 36, f"ACCEPT version {version}")
        else:
            _need(packet, 24, f"ACCEPT version {version}")
        options, sdu, tdu, one, dlen, doff, nsi0, nsi1 = struct.unpack_from(">HHHHHHBB", packet, 10)
        compression, flags2, uuid = 0, 0, None
        if version >= VERSION_MIN_LARGE_SDU:
            sdu, tdu = _u32(packet, 32), (_u32(packet, 36) if len(packet) >= 40 else sdu)
            if len(packet) > 40:
                compression = packet[40]
        if version >= VERSION_MIN_OOB_CHECK:
            flags2 = _u32(packet, 41)
        if version >= VERSION_MIN_UUID and doff >= 61 and len(packet) >= 61:
            uuid = bytes(packet[45:61])
        data = b""
        if dlen:
            limits.check("ACCEPT data length", dlen, limits.max_connect_data)
            if doff < 24 or doff + dlen > len(packet):
                raise FramingError(
                    f"ACCEPT data ({dlen} bytes at offset {doff}) lies outside the "
                    f"{len(packet)}-byte packet"
                )
            data = bytes(packet[doff : doff + dlen])
        return cls(
            version=version,
            service_options=options,
            sdu=sdu,
            tdu=tdu,
            value_of_one=one,
            nsi_flags0=nsi0,
            nsi_flags1=nsi1,
            compression=compression,
            flags2=flags2,
            uuid=uuid,
            accept_data=data,
            flags=packet[5],
        )


# ------------------------------------------------------------ REFUSE, REDIRECT


def refuse_text(data: bytes) -> str:
    """Decode listener text (REFUSE reason, REDIRECT data) leniently as ASCII/UTF-8."""
    return bytes(data).decode("utf-8", "replace")


@dataclass(frozen=True, slots=True, kw_only=True)
class Refuse:
    """REFUSE: the listener's reasons and a descriptor-like text with ``(ERR=n)``.

    node-oracledb accepts the text in a following DATA packet; such a REFUSE
    decodes with ``data_follows`` true.
    """

    user_reason: int = 0
    system_reason: int = 0
    data: bytes = b""
    data_length: int | None = None
    flags: int = PacketFlag.NONE

    @property
    def data_follows(self) -> bool:
        """True when the text is still to come in a DATA packet."""
        return bool(self.data_length) and not self.data

    @property
    def error_code(self) -> int | None:
        """The number after ``(ERR=`` in the text, or None when absent or not a number."""
        text = refuse_text(self.data)
        pos = text.upper().find("(ERR=")
        if pos < 0:
            return None
        end = text.find(")", pos)
        digits = text[pos + 5 : end if end >= 0 else len(text)].strip()
        if not digits.isdigit() or len(digits) > 9:
            return None
        return int(digits)

    def with_data(self, data: bytes) -> Refuse:
        """Return this REFUSE completed with the text from the following DATA packet."""
        return replace(self, data=bytes(data), data_length=len(data))

    def encode(self, *, large: bool = False) -> bytes:
        """Return the REFUSE packet with the text inline."""
        if len(self.data) > _MAX16:
            raise EncodeError(f"REFUSE text of {len(self.data)} bytes is too long")
        body = struct.pack(">BBH", self.user_reason, self.system_reason, len(self.data)) + self.data
        return encode_header(HEADER_SIZE + len(body), PacketType.REFUSE, self.flags, large=large) + body

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Refuse:
        """Decode a REFUSE packet."""
        _need(packet, 12, "REFUSE")
        user, system, dlen = struct.unpack_from(">BBH", packet, 8)
        limits.check("REFUSE data length", dlen, limits.max_connect_data)
        data = bytes(packet[12 : 12 + dlen])
        if data and len(data) != dlen:
            raise FramingError(f"REFUSE announces {dlen} bytes of text but carries {len(data)}")
        return cls(user_reason=user, system_reason=system, data=data, data_length=dlen, flags=packet[5])


@dataclass(frozen=True, slots=True, kw_only=True)
class Redirect:
    """REDIRECT: ``address NUL connect-data`` naming where to connect instead.

    python-oracledb reads the data only from a following DATA packet, so that
    is how :meth:`encode_packets` sends it (``inline=False``, the default).
    """

    data: bytes = b""
    data_length: int | None = None
    flags: int = PacketFlag.REDIRECT_DATA

    @property
    def data_follows(self) -> bool:
        """True when the redirect data is still to come in a DATA packet."""
        return bool(self.data_length) and not self.data

    def with_data(self, data: bytes) -> Redirect:
        """Return this REDIRECT completed with the data of the following DATA packet.

        Raises:
            FramingError: the DATA packet holds fewer bytes than announced.
        """
        want = self.data_length if self.data_length is not None else len(data)
        if len(data) < want:
            raise FramingError(f"REDIRECT announced {want} bytes of data but the DATA packet holds {len(data)}")
        return replace(self, data=bytes(data[:want]), data_length=want)

    @property
    def address(self) -> str:
        """The address descriptor (the part before the NUL)."""
        return refuse_text(self.data.split(b"\x00", 1)[0])

    @property
    def connect_data(self) -> str | None:
        """The connect data after the NUL, or None when the data has no NUL."""
        parts = self.data.split(b"\x00", 1)
        return refuse_text(parts[1]) if len(parts) == 2 else None

    def encode(self, *, large: bool = False, inline: bool = False) -> bytes:
        """Return the REDIRECT packet, followed by a DATA packet unless ``inline``."""
        if len(self.data) > _MAX16:
            raise EncodeError(f"REDIRECT data of {len(self.data)} bytes is too long")
        body = _U16.pack(len(self.data)) + (self.data if inline else b"")
        out = encode_header(HEADER_SIZE + len(body), PacketType.REDIRECT, self.flags, large=large) + body
        if not inline:
            out += Data(payload=self.data).encode(large=large)
        return out

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Redirect:
        """Decode a REDIRECT packet (data inline or announced for the next DATA packet)."""
        _need(packet, 10, "REDIRECT")
        dlen = _u16(packet, 8)
        limits.check("REDIRECT data length", dlen, limits.max_connect_data)
        data = bytes(packet[10 : 10 + dlen])
        if data and len(data) != dlen:
            raise FramingError(f"REDIRECT announces {dlen} bytes of data but carries {len(data)}")
        return cls(data=data, data_length=dlen, flags=packet[5])


# ----------------------------------------------------- DATA, RESEND, MARKER, CONTROL


@dataclass(frozen=True, slots=True, kw_only=True)
class Data:
    """DATA: two bytes of data flags, then TTC bytes (or connect/redirect data)."""

    data_flags: int = DataFlag.NONE
    payload: bytes = b""
    flags: int = PacketFlag.NONE

    def encode(self, *, large: bool = False) -> bytes:
        """Return one DATA packet (split long payloads with ``PacketWriter``)."""
        size = HEADER_SIZE + 2 + len(self.payload)
        return (
            encode_header(size, PacketType.DATA, self.flags, large=large)
            + _U16.pack(self.data_flags)
            + self.payload
        )

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Data:
        """Decode a DATA packet; a bare header counts as empty flags and payload."""
        if len(packet) == HEADER_SIZE:
            return cls(flags=packet[5])
        _need(packet, 10, "DATA")
        return cls(data_flags=_u16(packet, 8), payload=bytes(packet[10:]), flags=packet[5])


@dataclass(frozen=True, slots=True, kw_only=True)
class Resend:
    """RESEND: the listener asks for the CONNECT again (header only)."""

    flags: int = PacketFlag.NONE

    def encode(self, *, large: bool = False) -> bytes:
        """Return the 8-byte RESEND packet."""
        return encode_header(HEADER_SIZE, PacketType.RESEND, self.flags, large=large)

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Resend:
        """Decode a RESEND packet (any trailing bytes are ignored)."""
        return cls(flags=packet[5])


@dataclass(frozen=True, slots=True, kw_only=True)
class Marker:
    """MARKER: BREAK, RESET or INTERRUPT, used by the break/reset protocol."""

    marker: MarkerType = MarkerType.BREAK
    #: 1 = data marker with one byte (what python-oracledb always sends).
    marker_kind: int = 1
    flags: int = PacketFlag.NONE

    def encode(self, *, large: bool = False) -> bytes:
        """Return the 11-byte MARKER packet."""
        return encode_header(11, PacketType.MARKER, self.flags, large=large) + bytes(
            (self.marker_kind, 0, self.marker)
        )

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Marker:
        """Decode a MARKER; like python-oracledb, the value is read at offset 10."""
        _need(packet, 11, "MARKER")
        kind, value = packet[8], packet[10]
        if kind > 2:
            raise FramingError(f"MARKER kind {kind} is not 0, 1 or 2")
        try:
            marker = MarkerType(value)
        except ValueError:
            raise FramingError(f"MARKER value {value} is not BREAK, RESET or INTERRUPT") from None
        return cls(marker=marker, marker_kind=kind, flags=packet[5])


@dataclass(frozen=True, slots=True, kw_only=True)
class Control:
    """CONTROL: out-of-band commands from the server (RESET_OOB, in-band errors)."""

    command: int = ControlCommand.INBAND_NOTIFICATION
    data: bytes = b""
    flags: int = PacketFlag.NONE

    @property
    def error_number(self) -> int | None:
        """For INBAND_NOTIFICATION, the error number (e.g. 12572); else None."""
        if self.command != ControlCommand.INBAND_NOTIFICATION or len(self.data) < 8:
            return None
        return _u32(self.data, 4)

    def encode(self, *, large: bool = False) -> bytes:
        """Return the CONTROL packet."""
        body = _U16.pack(self.command) + self.data
        return encode_header(HEADER_SIZE + len(body), PacketType.CONTROL, self.flags, large=large) + body

    @classmethod
    def decode(cls, packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Control:
        """Decode a CONTROL packet."""
        _need(packet, 10, "CONTROL")
        return cls(command=_u16(packet, 8), data=bytes(packet[10:]), flags=packet[5])


Packet: TypeAlias = Connect | Accept | Refuse | Redirect | Data | Resend | Marker | Control

_DECODERS: Final[dict[int, Callable[..., Packet]]] = {
    PacketType.CONNECT: Connect.decode,
    PacketType.ACCEPT: Accept.decode,
    PacketType.REFUSE: Refuse.decode,
    PacketType.REDIRECT: Redirect.decode,
    PacketType.DATA: Data.decode,
    PacketType.RESEND: Resend.decode,
    PacketType.MARKER: Marker.decode,
    PacketType.CONTROL: Control.decode,
}

#: Types a peer may legally send; others are defined by Oracle but unused.
SUPPORTED_TYPES: Final = frozenset(_DECODERS)


def decode_packet(packet: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Packet:
    """Decode one whole packet (header included) into its dataclass.

    Raises:
        FramingError: unknown or unsupported packet type, or a malformed body.
    """
    _need(packet, HEADER_SIZE, "TNS header")
    ptype = packet[4]
    decoder = _DECODERS.get(ptype)
    if decoder is None:
        raise FramingError(f"TNS packet type {ptype} is not supported")
    return decoder(packet, limits=limits)

