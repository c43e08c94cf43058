"""PROTOCOL and DATA_TYPES negotiation (PROTOCOL-CONNECT.md 8, PROTOCOL-TTC.md 10).

Both exchanges happen right after ACCEPT; neither reply ends with
END_OF_RESPONSE.  Field order per python-oracledb
impl/thin/messages/{protocol,data_types}.pyx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import DecodeError, UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import CHARSET_UTF8, CHARSET_UTF16, ENCODING_CONV_LENGTH, ENCODING_MULTI_BYTE, MessageType
from ..wire import Reader, Writer

__all__ = [
    "ProtocolRequest",
    "ProtocolResponse",
    "DataTypesRequest",
    "DataTypesResponse",
    "make_fdo",
]

_MAX_DATA_TYPES = 4096


def _expect(r: Reader, mtype: MessageType) -> None:
    got = r.ub1()
    if got != mtype:
        raise UnexpectedMessageError(f"expected TTC message {mtype.name} ({int(mtype)}), got {got}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolRequest:
    """Client: ``01 06 00 <driver name> 00``."""

    version: int = 6
    driver_name: str = "oracle-sansio"

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.PROTOCOL)
        w.ub1(self.version)
        w.ub1(0)
        w.raw(self.driver_name.encode() + b"\x00")

    @classmethod
    def decode(cls, r: Reader) -> ProtocolRequest:
        """Read the message (server role)."""
        _expect(r, MessageType.PROTOCOL)
        version = r.ub1()
        r.ub1()
        name = r.until_nul(256).decode("utf-8", "replace")
        return cls(version=version, driver_name=name)


def make_fdo(ncharset_id: int = CHARSET_UTF16) -> bytes:
    """A minimal FDO carrying the national character set id (PROTOCOL-CONNECT.md 8.1)."""
    return bytes(9) + ncharset_id.to_bytes(2, "big")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolResponse:
    """Server: version, banner, character sets and the server's capabilities."""

    version: int = 6
    banner: str = "x86_64/Linux 2.4.xx"
    charset_id: int = CHARSET_UTF8
    server_flags: int = 0
    elements: bytes = b""
    fdo: bytes = field(default_factory=make_fdo)
    compile_caps: bytes = b""
    runtime_caps: bytes = b""

    @property
    def ncharset_id(self) -> int:
        """The national character set id, read from the FDO."""
        fdo = self.fdo
        ix = 6 + fdo[5] + fdo[6]
        return int.from_bytes(fdo[ix + 3 : ix + 5], "big")

    def encode(self, w: Writer) -> None:
        """Write the message."""
        if len(self.elements) % 5:
            raise ValueError("PROTOCOL elements must be a multiple of 5 bytes")
        w.ub1(MessageType.PROTOCOL)
        w.ub1(self.version)
        w.ub1(0)
        w.raw(self.banner.encode() + b"\x00")
        w.u16le(self.charset_id)
        w.ub1(self.server_flags)
        w.u16le(len(self.elements) // 5)
        w.raw(self.elements)
        w.u16be(len(self.fdo))
        w.raw(self.fdo)
        w.clr(self.compile_caps)
        w.clr(self.runtime_caps)

    @classmethod
    def decode(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> ProtocolResponse:
        """Read the message (client role).

        Raises:
            DecodeError: the FDO or the capability arrays are too short to hold
                what clients read from them.
        """
        _expect(r, MessageType.PROTOCOL)
        version = r.ub1()
        r.ub1()
        banner = r.until_nul(1024).decode("utf-8", "replace")
        charset_id = r.u16le()
        flags = r.ub1()
        count = r.u16le()
        limits.check("PROTOCOL element count", count, limits.max_kv_pairs)
        elements = r.raw(count * 5)
        fdo_len = r.u16be()
        if fdo_len < 7:
            raise DecodeError(f"PROTOCOL FDO of {fdo_len} bytes is shorter than 7")
        fdo = r.raw(fdo_len)
        ix = 6 + fdo[5] + fdo[6]
        if fdo_len < ix + 5:
            raise DecodeError(f"PROTOCOL FDO of {fdo_len} bytes does not reach the ncharset id at {ix + 3}")
        compile_caps = r.clr() or b""
        runtime_caps = r.clr() or b""
        if compile_caps and len(compile_caps) < 41:
            raise DecodeError(f"server compile caps of {len(compile_caps)} bytes are shorter than 41")
        if runtime_caps and len(runtime_caps) < 7:
            raise DecodeError(f"server runtime caps of {len(runtime_caps)} bytes are shorter than 7")
        return cls(
            version=version,
            banner=banner,
            charset_id=charset_id,
            server_flags=flags,
            elements=elements,
            fdo=fdo,
            compile_caps=compile_caps,
            runtime_caps=runtime_caps,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DataTypesRequest:
    """Client: character sets, capabilities and the data-type conversion table."""

    charset_id: int = CHARSET_UTF8
    ncharset_id: int = CHARSET_UTF8
    encoding_flags: int = ENCODING_MULTI_BYTE | ENCODING_CONV_LENGTH
    compile_caps: bytes = b""
    runtime_caps: bytes = b""
    data_types: tuple[tuple[int, int, int], ...] = ()

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.DATA_TYPES)
        w.u16le(self.charset_id)
        w.u16le(self.ncharset_id)
        w.ub1(self.encoding_flags)
        w.clr(self.compile_caps)
        w.clr(self.runtime_caps)
        for dtype, conv, rep in self.data_types:
            w.u16be(dtype)
            w.u16be(conv)
            w.u16be(rep)
            w.u16be(0)
        w.u16be(0)

    @classmethod
    def decode(cls, r: Reader) -> DataTypesRequest:
        """Read the message (server role)."""
        _expect(r, MessageType.DATA_TYPES)
        charset_id = r.u16le()
        ncharset_id = r.u16le()
        flags = r.ub1()
        compile_caps = r.clr() or b""
        runtime_caps = r.clr() or b""
        entries: list[tuple[int, int, int]] = []
        while True:
            dtype = r.u16be()
            if dtype == 0:
                break
            if len(entries) >= _MAX_DATA_TYPES:
                raise DecodeError(f"DATA_TYPES request has more than {_MAX_DATA_TYPES} entries")
            conv = r.u16be()
            rep = r.u16be()
            r.u16be()
            entries.append((dtype, conv, rep))
        return cls(
            charset_id=charset_id,
            ncharset_id=ncharset_id,
            encoding_flags=flags,
            compile_caps=compile_caps,
            runtime_caps=runtime_caps,
            data_types=tuple(entries),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DataTypesResponse:
    """Server: the conversions it agreed to; ``02 00 00`` alone is a complete reply."""

    data_types: tuple[tuple[int, int, int], ...] = ()

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.DATA_TYPES)
        for dtype, conv, rep in self.data_types:
            w.u16be(dtype)
            w.u16be(conv)
            if conv:
                w.u16be(rep)
                w.u16be(0)
        w.u16be(0)

    @classmethod
    def decode(cls, r: Reader) -> DataTypesResponse:
        """Read the message (client role)."""
        _expect(r, MessageType.DATA_TYPES)
        entries: list[tuple[int, int, int]] = []
        while True:
            dtype = r.u16be()
            if dtype == 0:
                break
            if len(entries) >= _MAX_DATA_TYPES:
                raise DecodeError(f"DATA_TYPES reply has more than {_MAX_DATA_TYPES} entries")
            conv = r.u16be()
            rep = 0
            if conv:
                rep = r.u16be()
                r.u16be()
            entries.append((dtype, conv, rep))
        return cls(data_types=tuple(entries))
