"""PROTOCOL and DATA_TYPES negotiation (docs/protocol-connect.md 8, docs/protocol-ttc.md 10).

Both exchanges happen right after ACCEPT; neither reply ends with
END_OF_RESPONSE.  Field order per python-oracledb
impl/thin/messages/{protocol,data_types}.pyx.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...errors import DecodeError, EncodeError, NeedMoreData, UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import (
    CHARSET_UTF8,
    CHARSET_UTF16,
    ENCODING_CONV_LENGTH,
    ENCODING_MULTI_BYTE,
    CompileCap,
    MessageType,
)
from ..wire import Reader, Writer

__all__ = [
    "ProtocolRequest",
    "ProtocolResponse",
    "DataTypesRequest",
    "DataTypesResponse",
    "make_fdo",
    "encode_timezone",
    "decode_timezone",
    "reply_layout",
    "ub2_data_types",
    "wants_timezone",
    "wants_tz_version",
]

_MAX_DATA_TYPES = 4096
#: Fields a list can hold before a limit below refuses it: each entry's type and
#: end, the conversion fields, and the field that trips a limit.
_MAX_LIST_FIELDS = 2 * _MAX_DATA_TYPES + 4 * _MAX_DATA_TYPES + 4


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
    """A minimal FDO carrying the national character set id (docs/protocol-connect.md 8.1)."""
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


#: What a national character set id can be (AL16UTF16, UTF8): the only two
#: Oracle allows, and neither reads as a data type when taken big-endian.
_NCHAR_IDS = frozenset({CHARSET_UTF16, 871})
#: Runtime cap 1 bit 0: the client sends its time zone and wants DBTIMEZONE back.
RCAP_TZ = 0x01
#: Compile cap 37 (TTC3) bit 1: a 4-byte time-zone file version follows the zone.
CCAP_TZ_VERSION = 0x02
TIMEZONE_SIZE = 11


def encode_timezone(offset_minutes: int) -> bytes:
    """The 11-byte zone a DATA_TYPES exchange carries: hours, minutes and
    seconds each biased by 60 at offsets 4-6 (go-ora data_type_nego.go reads it so)."""
    if not -15 * 60 <= offset_minutes <= 15 * 60:
        raise ValueError(f"time zone offset {offset_minutes} minutes is beyond +-15:00")
    sign = -1 if offset_minutes < 0 else 1
    hours, minutes = divmod(abs(offset_minutes), 60)
    return bytes((0x80, 0, 0, 0, 60 + sign * hours, 60 + sign * minutes, 60, 0x80, 0, 0, 0))


def decode_timezone(zone: bytes) -> int:
    """The offset in minutes of an 11-byte DATA_TYPES zone (seconds dropped).

    Raises:
        DecodeError: the bytes are not an 11-byte zone within +-15:00.
    """
    if len(zone) != TIMEZONE_SIZE:
        raise DecodeError(f"DATA_TYPES time zone of {len(zone)} bytes, expected {TIMEZONE_SIZE}")
    minutes = (zone[4] - 60) * 60 + (zone[5] - 60)
    if not -15 * 60 <= minutes <= 15 * 60:
        raise DecodeError(f"DATA_TYPES time zone offset of {minutes} minutes is beyond +-15:00")
    return minutes


def wants_timezone(runtime_caps: bytes) -> bool:
    """True when these (client) runtime caps carry the time-zone bit."""
    return len(runtime_caps) > 1 and bool(runtime_caps[1] & RCAP_TZ)


def wants_tz_version(compile_caps: bytes) -> bool:
    """True when these compile caps carry the time-zone-version bit."""
    return len(compile_caps) > CompileCap.TTC3 and bool(compile_caps[CompileCap.TTC3] & CCAP_TZ_VERSION)


def ub2_data_types(compile_caps: bytes) -> bool:
    """True when type entries are ``ub2`` fields: compile cap 27 set.

    Clients whose caps lack it (pre-8.1 layouts, go-ora against such a server)
    write each field as one byte.
    """
    return len(compile_caps) > CompileCap.UB2_DTY and compile_caps[CompileCap.UB2_DTY] != 0


#: One conversion-table entry: ``(data type, conv, rep)``, or, as OCI sends
#: for its native integer types, more ``conv, rep`` pairs after the first;
#: ``(data type, 0, 0)`` is an entry with no pair (a type the peer does not convert).
DataTypeEntry = tuple[int, ...]


def _write_timezone(w: Writer, timezone: bytes | None, tz_version: int | None) -> None:
    """The optional time zone (and its file version) of a DATA_TYPES request or reply."""
    if timezone is not None:
        if len(timezone) != TIMEZONE_SIZE:
            raise ValueError(f"a DATA_TYPES time zone is {TIMEZONE_SIZE} bytes")
        w.raw(timezone)
        if tz_version is not None:
            w.u32be(tz_version)
    elif tz_version is not None:
        raise ValueError("a time-zone version goes only after a time zone")


def _write_entries(w: Writer, entries: tuple[DataTypeEntry, ...] | None, ub2: bool) -> None:
    """Each entry is its type, its ``conv, rep`` pairs and a zero; a zero type
    ends the list (the grammar JDBC's T4C8TTIdty reads back)."""
    if entries is not None:
        w.raw(_entries_bytes(entries, ub2))


# A client sends the same table of a few hundred entries on every connect, so
# its bytes are kept per table object.  The key is the object's id and the entry
# holds the object itself: while cached, its id cannot name another table.
_ENCODED_ENTRIES: dict[tuple[int, bool], tuple[tuple[DataTypeEntry, ...], bytes]] = {}
_MAX_ENCODED_TABLES = 8


def _entries_bytes(entries: tuple[DataTypeEntry, ...], ub2: bool) -> bytes:
    key = (id(entries), ub2)
    hit = _ENCODED_ENTRIES.get(key)
    if hit is not None and hit[0] is entries:
        return hit[1]
    data = _encode_entries(entries, ub2)
    if len(_ENCODED_ENTRIES) >= _MAX_ENCODED_TABLES:
        _ENCODED_ENTRIES.clear()
    _ENCODED_ENTRIES[key] = (entries, data)
    return data


def _encode_entries(entries: tuple[DataTypeEntry, ...], ub2: bool) -> bytes:
    fields: list[int] = []
    add = fields.append
    for entry in entries:
        dtype, rest = entry[0], entry[1:]
        if dtype == 0 or len(rest) % 2:
            raise ValueError(f"DATA_TYPES entry {entry} is not a nonzero type with conv, rep pairs")
        add(dtype)
        if rest != (0, 0):
            if 0 in rest[::2]:
                raise ValueError(f"DATA_TYPES entry {entry} has a zero conversion type inside")
            fields += rest
        add(0)
    add(0)
    if ub2:
        return struct.pack(f">{len(fields)}H", *fields)
    for value in fields:
        if not 0 <= value <= 0xFF:
            raise EncodeError(f"ub1 value {value} is out of range")
    return bytes(fields)


def _read_entries(r: Reader, ub2: bool, what: str) -> tuple[DataTypeEntry, ...]:
    # The list is copied out once (at most as many fields as the limits below let
    # through) and walked by index: a Reader call per field cost most of a
    # request's decode (thousands of fields).
    width = 2 if ub2 else 1
    start = r.pos
    available = min(r.remaining, _MAX_LIST_FIELDS * width) // width
    data = r.raw(available * width)
    values: Sequence[int] = struct.unpack(f">{available}H", data) if ub2 else data
    entries: list[DataTypeEntry] = []
    fields = 0
    i = 0
    try:
        while True:
            dtype = values[i]
            i += 1
            if dtype == 0:
                r.pos = start + i * width
                return tuple(entries)
            if len(entries) >= _MAX_DATA_TYPES:
                raise DecodeError(f"DATA_TYPES {what} has more than {_MAX_DATA_TYPES} entries")
            entry = [dtype]
            while (conv := values[i]) != 0:
                fields += 2
                if fields > 4 * _MAX_DATA_TYPES:
                    raise DecodeError(f"DATA_TYPES {what} has more than {4 * _MAX_DATA_TYPES} conversion fields")
                entry += (conv, values[i + 1])
                i += 2
            i += 1
            entries.append(tuple(entry) if len(entry) > 1 else (dtype, 0, 0))
    except IndexError:
        raise NeedMoreData from None


@dataclass(frozen=True, slots=True, kw_only=True)
class DataTypesRequest:
    """Client: character sets, capabilities and the data-type conversion table.

    Every client writes the same head (two charset ids, the encoding flags and
    both capability arrays); what follows depends on who wrote it:

    - ``timezone``: the client's 11-byte zone, when its runtime cap 1 has the
      time-zone bit (OCI, sqlplus and go-ora; python-oracledb and node-oracledb
      never set it), then ``tz_version`` (``ub4``) when its compile cap 37 has
      bit 1 and the server's did too;
    - ``national_charset_id``: two bytes (little-endian) sent by OCI (encoding
      flags 0x02 / 0x42) and go-ora (any flags), never by python-oracledb
      (flags 0x03) or JDBC; told apart by value (AL16UTF16 or UTF8), or, with
      one-byte entries, by flags without 0x01;
    - ``data_types``: entries of ``ub2`` fields (single bytes when compile cap
      27 is 0); ``None`` when the request ends before the list, as 12c sqlplus
      and some 11g OCI clients send it.
    """

    charset_id: int = CHARSET_UTF8
    out_charset_id: int = CHARSET_UTF8
    encoding_flags: int = ENCODING_MULTI_BYTE | ENCODING_CONV_LENGTH
    compile_caps: bytes = b""
    runtime_caps: bytes = b""
    timezone: bytes | None = None
    tz_version: int | None = None
    national_charset_id: int | None = None
    data_types: tuple[DataTypeEntry, ...] | None = ()

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.DATA_TYPES)
        w.u16le(self.charset_id)
        w.u16le(self.out_charset_id)
        w.ub1(self.encoding_flags)
        w.clr(self.compile_caps)
        w.clr(self.runtime_caps)
        if (self.timezone is not None) != wants_timezone(self.runtime_caps):
            raise ValueError("a DATA_TYPES time zone goes with runtime cap 1 bit 0, and only then")
        _write_timezone(w, self.timezone, self.tz_version)
        ub2 = ub2_data_types(self.compile_caps)
        national = self.national_charset_id
        if national is not None:
            if ub2 and national not in _NCHAR_IDS:
                raise ValueError(f"national charset id {national} is neither AL16UTF16 nor UTF8")
            w.u16le(national)
        elif not ub2 and not self.encoding_flags & ENCODING_MULTI_BYTE:
            raise ValueError("one-byte entries after encoding flags without 0x01 need a national charset id")
        _write_entries(w, self.data_types, ub2)

    @classmethod
    def decode(
        cls, r: Reader, *, server_tz_version: bool = True, list_may_be_absent: bool = False
    ) -> DataTypesRequest:
        """Read the message (server role).

        ``server_tz_version`` says whether the server advertised compile cap
        37 bit 1: a client sends the time-zone version only when both sides
        have it (11g OCI against a server whose caps stop before byte 37 does
        not).  ``list_may_be_absent``: the bytes end where the client's packet
        ended, so a request that stops before its list is complete (no cap
        announces that form; a client could not split the packet that early,
        as it splits at the SDU).  Without it the decoder never guesses.
        """
        _expect(r, MessageType.DATA_TYPES)
        charset_id = r.u16le()
        out_charset_id = r.u16le()
        flags = r.ub1()
        compile_caps = r.clr() or b""
        runtime_caps = r.clr() or b""
        timezone: bytes | None = None
        tz_version: int | None = None
        if wants_timezone(runtime_caps):
            timezone = r.raw(TIMEZONE_SIZE)
            if server_tz_version and wants_tz_version(compile_caps):
                tz_version = r.u32be()
        ub2 = ub2_data_types(compile_caps)
        ends_here = list_may_be_absent and r.at_end()
        national: int | None = None
        if ub2 and not ends_here:
            # Present or not whatever the flags say: go-ora sends it with the
            # server's flags (0x01 from Oracle), old JDBC never does.  An id
            # read big-endian is never a data type, so the bytes tell.
            start = r.pos
            value = r.u16le()
            if value in _NCHAR_IDS:
                national = value
                ends_here = list_may_be_absent and r.at_end()
            else:
                r.pos = start
        elif not ub2 and not flags & ENCODING_MULTI_BYTE:
            national = r.u16le()
            ends_here = list_may_be_absent and r.at_end()
        entries = None if ends_here else _read_entries(r, ub2, "request")
        return cls(
            charset_id=charset_id,
            out_charset_id=out_charset_id,
            encoding_flags=flags,
            compile_caps=compile_caps,
            runtime_caps=runtime_caps,
            timezone=timezone,
            tz_version=tz_version,
            national_charset_id=national,
            data_types=entries,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DataTypesResponse:
    """Server: the conversions it agreed to; ``02 00 00`` alone is a complete reply.

    The server answers a request's time zone with its DBTIMEZONE (11 bytes)
    and its time-zone version with its own, in the same places; it writes the
    entries in the width the request used, and no list at all when the
    request had none (as Oracle 11g and 12c answer such sqlplus requests).
    """

    timezone: bytes | None = None
    tz_version: int | None = None
    data_types: tuple[DataTypeEntry, ...] | None = ()
    ub2: bool = True

    @property
    def timezone_minutes(self) -> int | None:
        """DBTIMEZONE as an offset in minutes, when the reply carries it."""
        return None if self.timezone is None else decode_timezone(self.timezone)

    def encode(self, w: Writer) -> None:
        """Write the message."""
        w.ub1(MessageType.DATA_TYPES)
        _write_timezone(w, self.timezone, self.tz_version)
        _write_entries(w, self.data_types, self.ub2)

    @classmethod
    def decode(
        cls, r: Reader, *, timezone: bool = False, tz_version: bool = False, ub2: bool = True, has_list: bool = True
    ) -> DataTypesResponse:
        """Read the message (client role); the flags say what the request asked
        for (see :func:`reply_layout`)."""
        _expect(r, MessageType.DATA_TYPES)
        zone: bytes | None = None
        version: int | None = None
        if timezone:
            zone = r.raw(TIMEZONE_SIZE)
            decode_timezone(zone)
            if tz_version:
                version = r.u32be()
        entries = _read_entries(r, ub2, "reply") if has_list else None
        return cls(timezone=zone, tz_version=version, data_types=entries, ub2=ub2)

    @classmethod
    def answering(
        cls,
        request: DataTypesRequest,
        *,
        timezone_minutes: int = 0,
        tz_version: int = 0,
        data_types: tuple[DataTypeEntry, ...] = (),
    ) -> DataTypesResponse:
        """The reply a server owes ``request``: DBTIMEZONE when it sent a zone,
        the version when it sent one, and entries in its layout."""
        zone = encode_timezone(timezone_minutes) if request.timezone is not None else None
        return cls(
            timezone=zone,
            tz_version=tz_version if request.tz_version is not None else None,
            data_types=None if request.data_types is None else data_types,
            ub2=ub2_data_types(request.compile_caps),
        )


def reply_layout(request: DataTypesRequest) -> dict[str, bool]:
    """The keyword arguments of :meth:`DataTypesResponse.decode` for the reply to ``request``."""
    return {
        "timezone": request.timezone is not None,
        "tz_version": request.tz_version is not None,
        "ub2": ub2_data_types(request.compile_caps),
        "has_list": request.data_types is not None,
    }
