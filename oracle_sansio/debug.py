"""Packet dumps for debugging, with authentication secrets masked.

Pure helpers (no I/O); a driver decides where the text goes:

* :func:`mask_secrets` overwrites the *values* of the secret O5LOGON
  key/value pairs (:data:`SECRET_KEYS`) in one packet with ``*`` bytes of the
  same length.  It accepts any bytes, never raises, never allocates from a
  length read off the wire, and returns bytes of the input's length.
* :func:`format_packet` masks one packet and renders it as a hex + ASCII dump
  in python-oracledb's ``PYO_DEBUG_PACKETS`` layout (decimal offset, eight
  bytes per line, printable ASCII between bars).
* :class:`SecretMasker` masks the DATA packets of one direction as a stream,
  so a secret whose key or value is split across two packets is still masked.
* :class:`PacketTracer` splits the chunks a socket delivers into TNS packets
  (8-byte header, 16-bit length until an ACCEPT of version >= 315, 32-bit
  after it; docs/protocol-connect.md 1.1-1.2) and returns one masked dump each.

How a secret is found: an auth pair is ``DLC key, DLC value, ub4 flags``
(docs/protocol-connect.md 9.1; :meth:`~oracle_sansio.ttc.wire.Writer.auth_kv`).
The scan looks for a secret key name preceded by its CLR length byte, then
reads the value that follows in either of the two layouts seen on the wire:

* TTC (python-oracledb, go-ora, node, real servers): ``ub4`` total length in
  the universal form (length byte 1..4, big-endian bytes), then a CLR whose
  length must equal that total;
* OCI (real 11g clients in the captures): a fixed little-endian ``u32`` that
  is 1 to 4 times the value's byte length, then the CLR.

The CLR is either short (one length byte) or chunked (``FE``, chunks with a
``ub4`` or one-byte length, a zero length ending them); only the value bytes
are masked, never the length bytes around them.  When neither layout parses,
everything after the key name to the end of the packet is masked instead
(conservative); when the packet ends inside the value, the rest of the packet
is masked and :class:`SecretMasker` reads the pair again with the next DATA
packet to mask the rest of the value.

Limitations: the stateless :func:`mask_secrets` sees one packet only, so a key
name split across two packets is not recognised by it (use
:class:`SecretMasker` for a stream).  Secrets under other key names are not
masked, and a value in some third layout that happens to parse as one of the
two above may be masked over the wrong bytes.  An unfinished value longer
than 64 KiB is masked by its announced length (at most 1 MiB) rather than
read again.  Secret *keys* (the names) stay visible on purpose.

Passwords in SQL text (``IDENTIFIED BY pw [REPLACE old]``, quoted or bare)
are masked too; a value split across packets is masked when its
``IDENTIFIED BY`` lies in the last 64 bytes of the previous packet.
"""

from __future__ import annotations

import re
from typing import Final

from .tns.constants import HEADER_SIZE, MAX_SDU, VERSION_MIN_LARGE_SDU, PacketType
from .ttc.messages.auth import _SECRET_KEYS

__all__ = ["SECRET_KEYS", "mask_secrets", "format_packet", "hex_dump", "SecretMasker", "PacketTracer"]

#: Auth key names whose values are secrets (shared with the messages' repr).
SECRET_KEYS: Final[frozenset[str]] = _SECRET_KEYS

_KEYS: Final[tuple[bytes, ...]] = tuple(sorted(k.encode("ascii") for k in SECRET_KEYS))
_MASK: Final = 0x2A  # "*"
_DATA_PAYLOAD: Final = HEADER_SIZE + 2  # header, then the u16 data flags
#: Bytes of the previous payload kept to find a key split across packets:
#: length byte + longest key + NUL + ub4 + FE + chunk ub4, rounded up.
_TAIL: Final = 64
#: Longest unfinished pair kept to be read again with the next packet.
_MAX_KEEP: Final = 65_536
#: Cap on the value bytes masked by count in later packets (tokens are a few KB).
_MAX_PENDING: Final = 1 << 20
#: Largest packet the splitter waits for; beyond it the bytes are dumped raw.
_MAX_PACKET: Final = MAX_SDU

# Outcomes of reading one value.
_ABSENT: Final = 0  # the pair has no value
_VALID: Final = 1  # a whole value, spans known
_TRUNC: Final = 2  # the buffer ends inside the value
_INVALID: Final = 3  # not this layout

_Spans = list[tuple[int, int]]
_Result = tuple[int, _Spans, int]  # (outcome, spans to mask, bytes still to come or -1)

#: A password in SQL text (CREATE/ALTER USER ... IDENTIFIED BY pw [REPLACE old]):
#: group 1 is the value, quoted or bare; an unterminated quote runs to the end.
_SQL_SECRET: Final = re.compile(
    rb'(?i)\bIDENTIFIED\s+BY\s+(?:VALUES\s+)?("[^"]*"?|\'[^\']*\'?|[^\s;"\']+)'
    rb'(?:\s+REPLACE\s+("[^"]*"?|\'[^\']*\'?|[^\s;"\']+))?'
)

_ASCII: Final = bytes(c if 0x21 <= c <= 0x7E else 0x2E for c in range(256)).decode("ascii")


# --------------------------------------------------------------- parsing


def _carry(rest_content: int) -> int:
    """Raw bytes to mask for ``rest_content`` value bytes not yet seen (chunk headers included)."""
    return 0 if rest_content <= 0 else 3 * rest_content + 8


def _fits(content: int, total: int, exact: bool) -> bool:
    """Does a value of ``content`` bytes agree with the declared ``total``?"""
    if exact:
        return content == total
    return content <= total <= 4 * content


def _chunks(buf: bytes, pos: int, end: int, total: int, exact: bool, big: bool) -> _Result:
    """Chunks of a long CLR starting at ``pos`` (just after the ``FE``)."""
    spans: _Spans = []
    content = 0
    while True:
        if pos >= end:
            return _TRUNC, spans, _carry(total - content)
        k = buf[pos]
        if big:
            if k > 4:
                return _INVALID, [], 0
            if pos + 1 + k > end:
                return _TRUNC, spans, _carry(total - content)
            size = int.from_bytes(buf[pos + 1 : pos + 1 + k], "big")
            pos += 1 + k
        else:
            size = k
            pos += 1
        if size == 0:
            if content and _fits(content, total, exact):
                return _VALID, spans, 0
            return _INVALID, [], 0
        content += size
        if content > total:
            return _INVALID, [], 0
        stop = pos + size
        if stop > end:
            if pos < end:
                spans.append((pos, end))
            return _TRUNC, spans, stop - end + _carry(total - content)
        spans.append((pos, stop))
        pos = stop


def _clr(buf: bytes, pos: int, end: int, total: int, exact: bool) -> _Result:
    """The CLR holding a value whose DLC announced ``total`` bytes."""
    if pos >= end:
        return _TRUNC, [], _carry(total)
    n = buf[pos]
    if n in (0, 0xFF):
        return _INVALID, [], 0  # a NULL CLR after a non-zero total
    if n == 0xFE:
        first = _chunks(buf, pos + 1, end, total, exact, big=True)
        if first[0] != _INVALID:
            return first
        return _chunks(buf, pos + 1, end, total, exact, big=False)
    if not _fits(n, total, exact):
        return _INVALID, [], 0
    start, stop = pos + 1, pos + 1 + n
    if stop > end:
        return _TRUNC, ([(start, end)] if start < end else []), stop - end
    return _VALID, [(start, stop)], 0


def _ttc_value(buf: bytes, pos: int, end: int) -> _Result:
    """TTC layout: universal ``ub4`` total, then a CLR of exactly that length."""
    if pos >= end:
        return _TRUNC, [], -1
    k = buf[pos]
    if k == 0:
        return _ABSENT, [], 0
    if k > 4:
        return _INVALID, [], 0
    if pos + 1 + k > end:
        return _TRUNC, [], -1
    total = int.from_bytes(buf[pos + 1 : pos + 1 + k], "big")
    if total == 0:
        return _ABSENT, [], 0
    return _clr(buf, pos + 1 + k, end, total, exact=True)


def _oci_value(buf: bytes, pos: int, end: int) -> _Result:
    """OCI layout: fixed little-endian ``u32`` (1-4x the length), then a CLR."""
    if pos + 4 > end:
        return _TRUNC, [], -1
    total = int.from_bytes(buf[pos : pos + 4], "little")
    if total == 0:
        return _ABSENT, [], 0
    return _clr(buf, pos + 4, end, total, exact=False)


def _value(buf: bytes, pos: int, end: int) -> tuple[_Spans, int]:
    """Spans to mask for the value starting at ``pos``, and bytes still to come."""
    results = (_ttc_value(buf, pos, end), _oci_value(buf, pos, end))
    outcomes = [r[0] for r in results]
    if _VALID in outcomes:
        return [span for r in results if r[0] == _VALID for span in r[1]], 0
    if _TRUNC in outcomes:
        return [(pos, end)], max(r[2] for r in results if r[0] == _TRUNC)
    if _ABSENT in outcomes:
        return [], 0
    return [(pos, end)], 0  # unparseable: mask the rest of the packet


def _scan(buf: bytes) -> tuple[_Spans, int, int]:
    """Every secret value in ``buf``.

    Returns the spans to mask, the most bytes a value may still need beyond
    the end of ``buf``, and where the earliest such unfinished pair starts
    (its key's length byte), or -1.
    """
    end = len(buf)
    spans: _Spans = []
    pending = 0
    unfinished = -1
    for key in _KEYS:
        size = len(key)
        at = buf.find(key)
        while at >= 0:
            stop = at + size
            before = buf[at - 1] if at else size
            value_at = -1
            if before == size:
                value_at = stop
            elif before == size + 1 and stop < end and buf[stop] == 0:
                value_at = stop + 1  # key spelt with a trailing NUL
            if value_at >= 0:
                found, carry = _value(buf, value_at, end)
                spans.extend(found)
                if carry:
                    pending = max(pending, carry)
                    start = max(at - 1, 0)
                    unfinished = start if unfinished < 0 else min(unfinished, start)
            at = buf.find(key, stop)
    for match in _SQL_SECRET.finditer(buf):
        spans.extend(match.span(g) for g in (1, 2) if match.start(g) >= 0)
    return spans, pending, unfinished


def _apply(out: bytearray, spans: _Spans, shift: int, low: int) -> None:
    """Mask ``spans`` (buffer offsets) in ``out``; buffer offset ``o`` is ``out[o + shift]``, ``o >= low``."""
    limit = len(out)
    for start, stop in spans:
        a = max(start, low) + shift
        b = min(stop + shift, limit)
        if a < b:
            out[a:b] = bytes([_MASK]) * (b - a)


# ------------------------------------------------------------- masking


def mask_secrets(packet: bytes) -> bytes:
    """``packet`` with the values of secret auth pairs replaced by ``*`` bytes.

    Works on any bytes (a whole TNS packet or a bare TTC payload), never
    raises, and returns bytes of the same length.  It sees this packet only:
    see :class:`SecretMasker` for values split across packets.
    """
    data = bytes(packet)
    spans, _, _ = _scan(data)
    if not spans:
        return data
    out = bytearray(data)
    _apply(out, spans, 0, 0)
    return bytes(out)


class SecretMasker:
    """Masks secrets in the packets of one direction, across packet boundaries.

    DATA payloads (after the header and data flags) form one TTC stream.  The
    last bytes of the previous payload are scanned again with the next one,
    so a key split across packets is found; a pair whose value is not
    complete yet is kept from its key on (up to ``_MAX_KEEP`` bytes) and read
    again with the next payload, so the rest of the value is masked exactly.
    A longer unfinished value is masked by count instead (its announced
    length, chunk headers estimated generously).  Any other packet type ends
    the stream and is masked on its own.
    """

    __slots__ = ("_tail", "_pending")

    def __init__(self) -> None:
        self._tail = b""
        self._pending = 0

    def reset(self) -> None:
        """Forget the stream (the next DATA packet starts a new message)."""
        self._tail = b""
        self._pending = 0

    def mask(self, packet: bytes) -> bytes:
        """``packet`` masked; same length, never raises."""
        data = bytes(packet)
        if len(data) <= _DATA_PAYLOAD or data[4] != PacketType.DATA:
            self.reset()
            return mask_secrets(data)
        out = bytearray(data)
        if self._pending:
            n = min(self._pending, len(data) - _DATA_PAYLOAD)
            out[_DATA_PAYLOAD : _DATA_PAYLOAD + n] = bytes([_MASK]) * n
            self._pending -= n
        tail = self._tail
        stream = tail + data[_DATA_PAYLOAD:]
        spans, carry, unfinished = _scan(stream)
        _apply(out, spans, _DATA_PAYLOAD - len(tail), len(tail))
        keep_from = max(len(stream) - _TAIL, 0)
        if unfinished >= 0:
            if len(stream) - unfinished <= _MAX_KEEP:
                keep_from = min(keep_from, unfinished)
            else:
                self._pending = min(max(self._pending, carry), _MAX_PENDING)
        self._tail = stream[keep_from:]
        return bytes(out)


# ------------------------------------------------------------- dumping


def hex_dump(data: bytes) -> str:
    """``data`` as lines ``OOOO : HH HH HH HH HH HH HH HH |ASCII...|`` (no masking)."""
    lines = []
    for offset in range(0, len(data), 8):
        row = data[offset : offset + 8]
        hexes = " ".join(f"{b:02X}" for b in row)
        text = "".join(_ASCII[b] for b in row)
        lines.append(f"{offset:04d} : {hexes:<23} |{text:<8}|")
    return "\n".join(lines)


def _describe(data: bytes) -> str:
    if len(data) < HEADER_SIZE:
        return "fragment"
    ptype = data[4]
    try:
        name = PacketType(ptype).name
    except ValueError:
        name = f"type {ptype}"
    if ptype == PacketType.DATA and len(data) >= _DATA_PAYLOAD:
        return f"{name}, data flags 0x{int.from_bytes(data[8:10], 'big'):04X}"
    return name


def format_packet(direction: str, data: bytes, *, conn_label: str = "") -> str:
    """A masked hex + ASCII dump of one TNS packet, with a title line.

    ``direction`` is free text ("sent", "received"); ``conn_label`` names the
    connection.  Secrets are masked with :func:`mask_secrets` first.
    """
    masked = mask_secrets(data)
    where = f" on {conn_label}" if conn_label else ""
    title = f"{direction} packet{where}: {len(masked)} bytes, {_describe(masked)}"
    body = hex_dump(masked)
    return f"{title}\n{body}" if body else title


# ------------------------------------------------------------ splitting


class PacketTracer:
    """Turns the byte chunks of one connection into masked packet dumps.

    ``feed(direction, chunk)`` returns one :func:`format_packet` text per TNS
    packet completed by ``chunk``.  Each direction has its own buffer and
    :class:`SecretMasker`; both switch to 32-bit lengths after an ACCEPT of
    version >= 315 has gone by in either direction, so the same class serves
    a client and a server.  A tracer started in the middle of a connection
    recognises 32-bit headers by their two leading zero bytes.  Bytes that
    cannot be framed (a length below 8 or above ``MAX_SDU``) are dumped as
    they are and the buffer is emptied.
    """

    __slots__ = ("label", "large", "_buffers", "_maskers")

    def __init__(self, label: str = "", *, large: bool = False) -> None:
        self.label = label
        #: True once lengths are 32-bit.
        self.large = large
        self._buffers: dict[str, bytearray] = {}
        self._maskers: dict[str, SecretMasker] = {}

    def feed(self, direction: str, data: bytes) -> list[str]:
        """Buffer ``data`` sent or received in ``direction``; dump whole packets."""
        buf = self._buffers.setdefault(direction, bytearray())
        masker = self._maskers.setdefault(direction, SecretMasker())
        buf += data
        out: list[str] = []
        while (packet := self._next(buf)) is not None:
            out.append(format_packet(direction, masker.mask(packet), conn_label=self.label))
            if len(packet) >= 10 and packet[4] == PacketType.ACCEPT:
                if int.from_bytes(packet[8:10], "big") >= VERSION_MIN_LARGE_SDU:
                    self.large = True
        return out

    def _length(self, buf: bytearray) -> int:
        """The packet length the header announces, or -1 when it makes no sense."""
        short = int.from_bytes(buf[0:2], "big")
        long = int.from_bytes(buf[0:4], "big")
        if self.large:
            if HEADER_SIZE <= long <= _MAX_PACKET:
                return long
            if short >= HEADER_SIZE and buf[2] == buf[3] == 0:
                return short
            return -1
        if short >= HEADER_SIZE:
            return short
        if HEADER_SIZE <= long <= _MAX_PACKET:
            self.large = True  # started after the ACCEPT
            return long
        return -1

    def _next(self, buf: bytearray) -> bytes | None:
        if len(buf) < HEADER_SIZE:
            return None
        length = self._length(buf)
        if length < 0:
            length = len(buf)
        elif length > len(buf):
            return None
        packet = bytes(buf[:length])
        del buf[:length]
        return packet
