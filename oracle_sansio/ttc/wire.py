"""TTC wire primitives: a bounded reader and a writer (docs/protocol-ttc.md 2).

Encodings:

* ``ub1``: one raw byte.  ``ub2``/``ub4``/``ub8``: a length byte N, then N
  bytes big-endian; bit 0x80 of the length byte is a sign, rejected for
  unsigned fields.  ``sb2``/``sb4``/``sb8`` use that sign bit.
* CLR (length-prefixed bytes): 0x00 or 0xFF is NULL; 1..253 a short length;
  0xFE a chunked string of (``ub4`` length, bytes) chunks ended by a 0 length.
  Writers use the short form up to 252 bytes (python-oracledb).
* DLC: ``ub4`` total length, then (if not 0) a CLR.

:class:`Reader` never raises ``IndexError``: a read past the end of the
buffer raises :class:`~oracle_sansio.errors.NeedMoreData` (the caller rewinds
to the start of the message and waits for more bytes), and malformed or
oversized fields raise :class:`~oracle_sansio.errors.DecodeError` or
:class:`~oracle_sansio.errors.LimitExceededError`.  Lengths are checked
against :class:`~oracle_sansio.limits.Limits` before the bytes are waited for
or copied.  Re-reading a message from its start stays linear in its size: a
:class:`ParseMemo` shared by the readers of one growing buffer remembers where
the chunks of long strings lie and the items of long runs (:meth:`Reader.repeat`)
already read.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Final, TypeVar

from ..errors import DecodeError, LimitExceededError, NeedMoreData
from ..limits import DEFAULT_LIMITS, Limits
# The writer and the length-byte constants live in .writer; re-exported here so
# ``from oracle_sansio.ttc.wire import Reader, Writer`` keeps working.
from .writer import CHUNK_SIZE, LONG_LENGTH_INDICATOR, MAX_SHORT_LENGTH, NULL_LENGTH_INDICATOR, Writer

__all__ = [
    "ParseMemo",
    "Reader",
    "Writer",
    "LONG_LENGTH_INDICATOR",
    "NULL_LENGTH_INDICATOR",
    "MAX_SHORT_LENGTH",
    "CHUNK_SIZE",
]

_U16BE: Final = struct.Struct(">H")
_U32BE: Final = struct.Struct(">I")
_U64BE: Final = struct.Struct(">Q")
_U16LE: Final = struct.Struct("<H")
_U32LE: Final = struct.Struct("<I")
_FROM = int.from_bytes
T = TypeVar("T")
#: A whole chunked string at least this long is remembered in a ParseMemo.
_MEMO_WHOLE_AT: Final = 1 << 16
#: A whole run of at least this many items is remembered in a ParseMemo.
_MEMO_RUN_AT: Final = 16


class _Chunked:
    """How far one chunked string has been read: whole chunks up to ``pos``."""

    __slots__ = ("pos", "big_chunks", "spans", "total", "value")

    def __init__(self, pos: int, big_chunks: bool) -> None:
        self.pos = pos
        self.big_chunks = big_chunks
        #: Where the whole chunks lie in the buffer (start, end, start, end, ...):
        #: offsets stay true while it only grows, so each chunk is copied once, into the value.
        self.spans: list[int] = []
        self.total = 0
        self.value: bytes | None = None


class _Items:
    """How far a run of items (bind rows, bind metadata) has been read."""

    __slots__ = ("pos", "key", "items", "done")

    def __init__(self, pos: int, key: object) -> None:
        self.pos = pos
        self.key = key
        self.items: list[object] = []
        self.done: tuple[object, ...] | None = None


class ParseMemo:
    """What a re-read of a partial message can skip, by offset in a buffer that only grows.

    A connection re-reads a partial message from its start whenever a packet
    arrives (the simple, restartable design).  Without this memo a value of
    *n* bytes arriving over *n/SDU* packets would be copied *n/SDU* times,
    and *k* bind rows would be decoded about *k*²·row/SDU times; with it each
    chunk and each item is read once and a re-read jumps over what was seen.
    The bytes at a given offset never change while the buffer only grows, so
    a remembered result is exactly what a fresh read would give (items also
    carry a key naming everything else their decoding depends on); the owner
    calls :meth:`forget_before` or :meth:`clear` when it removes bytes.
    """

    __slots__ = ("_chunked", "partials")

    def __init__(self) -> None:
        self._chunked: dict[int, _Chunked] = {}
        #: Runs and wide rows with progress, by start offset (callers only
        #: test it for emptiness, the cheap way to skip a lookup).
        self.partials: dict[int, _Items] = {}

    def __len__(self) -> int:
        return len(self._chunked) + len(self.partials)

    def get(self, start: int, big_chunks: bool) -> _Chunked | None:
        """The progress of the chunked string whose length byte is at ``start``."""
        progress = self._chunked.get(start)
        if progress is None or progress.big_chunks != big_chunks:
            return None
        return progress

    def put(self, start: int, progress: _Chunked) -> None:
        """Remember ``progress`` for the string at ``start``."""
        self._chunked[start] = progress

    def partial(self, start: int, key: object) -> _Items | None:
        """The progress of what was read in steps (a run, a wide row) at
        ``start`` under ``key``, if a re-read may resume it."""
        progress = self.partials.get(start)
        if progress is None or not (progress.key is key or progress.key == key):
            return None
        return progress

    def keep(self, start: int, key: object, items: list[object], pos: int) -> _Items:
        """Remember that what starts at ``start`` has ``items`` read, up to ``pos``."""
        progress = self.partials[start] = _Items(start, key)
        progress.items = items
        progress.pos = pos
        return progress

    def stopped(self, progress: _Items | None, start: int, key: object, items: list[object], pos: int) -> None:
        """A read in steps ran out of bytes at ``pos`` with ``items`` whole: move
        on ``progress`` (what it resumed, if any) or remember a new start."""
        if progress is not None:
            progress.pos = pos
        elif items:
            self.keep(start, key, items, pos)

    def forget_before(self, offset: int) -> None:
        """Drop what starts before ``offset`` (already consumed)."""
        if self._chunked:
            self._chunked = {k: v for k, v in self._chunked.items() if k >= offset}
        if self.partials:
            self.partials = {k: v for k, v in self.partials.items() if k >= offset}

    def clear(self) -> None:
        """Forget everything (the buffer was cut or discarded)."""
        self._chunked.clear()
        self.partials.clear()


class Reader:
    """A cursor over one buffer of TTC bytes.

    ``big_chunks`` says whether chunk lengths inside a chunked CLR are ``ub4``
    (python-oracledb advertises TNS_CCAP_BIG_CHUNK_CLR, so servers do that)
    or single bytes.
    """

    __slots__ = ("_buf", "pos", "limits", "big_chunks", "memo", "walked")

    def __init__(
        self,
        data: bytes | bytearray | memoryview,
        pos: int = 0,
        *,
        limits: Limits = DEFAULT_LIMITS,
        big_chunks: bool = True,
        memo: ParseMemo | None = None,
    ) -> None:
        self._buf = data
        #: Offset of the next unread byte.
        self.pos = pos
        self.limits = limits
        self.big_chunks = big_chunks
        #: Progress of chunked strings, kept across readers over the same
        #: growing buffer (see :class:`ParseMemo`); None keeps nothing.
        self.memo = memo
        #: Bytes this reader copied out of chunked strings or walked over
        #: decoding runs of items (a work count; nested items count twice).
        self.walked = 0

    def follows(self, data: bytes) -> bool:
        """True if the bytes at ``pos`` are ``data`` (nothing is consumed)."""
        pos = self.pos
        return self._buf[pos : pos + len(data)] == data

    def read_since(self, start: int) -> bytes:
        """A copy of the bytes from ``start`` up to ``pos`` (what was just read)."""
        return bytes(self._buf[start : self.pos])

    @property
    def remaining(self) -> int:
        """Bytes left after ``pos``."""
        return len(self._buf) - self.pos

    def at_end(self) -> bool:
        """True when every byte has been read."""
        return self.pos >= len(self._buf)

    # -------------------------------------------------------------- fixed

    def _take(self, n: int) -> int:
        pos = self.pos
        if pos + n > len(self._buf):
            raise NeedMoreData
        self.pos = pos + n
        return pos

    def ub1(self) -> int:
        """One raw byte."""
        pos = self.pos
        try:
            value = self._buf[pos]
        except IndexError:
            raise NeedMoreData from None
        self.pos = pos + 1
        return value

    def peek_ub1(self) -> int:
        """The next byte, without consuming it."""
        try:
            return self._buf[self.pos]
        except IndexError:
            raise NeedMoreData from None

    def sb1(self) -> int:
        """One raw byte read as a signed int8 (describe precision/scale)."""
        value = self.ub1()
        return value - 256 if value > 127 else value

    def u16be(self) -> int:
        """Fixed-width big-endian u16."""
        return int(_U16BE.unpack_from(self._buf, self._take(2))[0])

    def u32be(self) -> int:
        """Fixed-width big-endian u32."""
        return int(_U32BE.unpack_from(self._buf, self._take(4))[0])

    def u64be(self) -> int:
        """Fixed-width big-endian u64."""
        return int(_U64BE.unpack_from(self._buf, self._take(8))[0])

    def u16le(self) -> int:
        """Fixed-width little-endian u16 (charset ids in negotiation)."""
        return int(_U16LE.unpack_from(self._buf, self._take(2))[0])

    def u32le(self) -> int:
        """Fixed-width little-endian u32."""
        return int(_U32LE.unpack_from(self._buf, self._take(4))[0])

    def raw(self, n: int) -> bytes:
        """Exactly ``n`` bytes."""
        if n < 0:
            raise DecodeError(f"negative byte count {n}")
        pos = self._take(n)
        return bytes(self._buf[pos : pos + n])

    def skip(self, n: int) -> None:
        """Skip ``n`` bytes."""
        self._take(n)

    def until_nul(self, max_length: int = 4096) -> bytes:
        """Bytes up to (not including) a NUL, which is consumed.

        Raises:
            LimitExceededError: no NUL within ``max_length`` bytes.
        """
        pos = self.pos
        window = bytes(self._buf[pos : pos + max_length + 1])
        end = window.find(0)
        if end >= 0:
            self.pos = pos + end + 1
            return window[:end]
        if len(window) > max_length:
            raise LimitExceededError("NUL-terminated string length", len(window), max_length)
        raise NeedMoreData

    def repeat(self, count: int, decode: Callable[[Reader], T], key: object) -> tuple[T, ...]:
        """``count`` items read one after another by ``decode``.

        With a :class:`ParseMemo`, a re-read of the same partial message
        resumes after the last whole item instead of decoding them all again.
        ``key`` must name everything ``decode`` depends on besides the bytes
        (a field version, the bind list): a different key starts afresh.
        """
        memo = self.memo
        start = self.pos
        progress = None if memo is None or not memo.partials else memo.partial(start, key)
        items: list[object] = []
        if progress is not None:
            done = progress.done
            if done is not None and len(done) == count:
                self.pos = progress.pos
                return done  # type: ignore[return-value]  # stored below under the same key
            if len(progress.items) <= count:  # else not the run remembered: read it afresh
                items = progress.items
                if items:
                    self.pos = progress.pos
        before = self.pos
        try:
            while len(items) < count:
                before = self.pos
                items.append(decode(self))
                self.walked += self.pos - before
        except NeedMoreData:
            if memo is not None:
                memo.stopped(progress if progress is not None and progress.items is items else None,
                             start, key, items, before)
            raise
        result = tuple(items)
        if progress is not None and progress.items is items:
            progress.done, progress.pos = result, self.pos
        elif memo is not None and count >= _MEMO_RUN_AT:
            # A later part of the message may still be partial: keep the run
            # so that the next read does not decode it again.
            memo.keep(start, key, items, self.pos).done = result
        return result  # type: ignore[return-value]  # items are what decode returned

    def once(self, decode: Callable[[Reader], T], key: object) -> T:
        """What ``decode`` reads from here, read once per message.

        For the leading part of a message that may be followed by bytes still
        to come (an EXECUTE's SQL and binds before its rows): with a
        :class:`ParseMemo`, a re-read of the message jumps over that part and
        gives the value it gave before (``decode`` is not called again, so
        callbacks it makes are made once).  ``key`` names, as for
        :meth:`repeat`, everything ``decode`` depends on besides the bytes.
        """
        memo = self.memo
        start = self.pos
        if memo is not None and memo.partials:
            progress = memo.partial(start, key)
            if progress is not None and progress.done is not None:
                self.pos = progress.pos
                return progress.done[0]  # type: ignore[return-value]  # stored below under the same key
        value = decode(self)
        if memo is not None:
            memo.keep(start, key, [], self.pos).done = (value,)
        return value

    # ----------------------------------------------------------- universal

    def _uint(self, max_length: int, what: str) -> int:
        buf, pos = self._buf, self.pos
        try:
            n = buf[pos]
        except IndexError:
            raise NeedMoreData from None
        if n == 0:
            self.pos = pos + 1
            return 0
        if n & 0x80:
            raise DecodeError(f"{what}: unexpected negative integer (length byte 0x{n:02X})")
        if n > max_length:
            raise DecodeError(f"{what}: integer of {n} bytes is too large (at most {max_length})")
        end = pos + 1 + n
        if end > len(buf):
            raise NeedMoreData
        self.pos = end
        if n == 1:
            return buf[pos + 1]
        return _FROM(buf[pos + 1 : end], "big")

    def _sint(self, max_length: int, what: str) -> int:
        buf, pos = self._buf, self.pos
        try:
            n = buf[pos]
        except IndexError:
            raise NeedMoreData from None
        negative = n & 0x80
        n &= 0x7F
        if n > max_length:
            raise DecodeError(f"{what}: integer of {n} bytes is too large (at most {max_length})")
        end = pos + 1 + n
        if end > len(buf):
            raise NeedMoreData
        self.pos = end
        value = _FROM(buf[pos + 1 : end], "big") if n else 0
        return -value if negative else value

    def ub2(self) -> int:
        """Universal unsigned integer of at most 2 value bytes."""
        return self._uint(2, "ub2")

    def ub4(self) -> int:
        """Universal unsigned integer of at most 4 value bytes."""
        return self._uint(4, "ub4")

    def ub8(self) -> int:
        """Universal unsigned integer of at most 8 value bytes."""
        return self._uint(8, "ub8")

    def sb2(self) -> int:
        """Universal signed integer of at most 2 magnitude bytes."""
        return self._sint(2, "sb2")

    def sb4(self) -> int:
        """Universal signed integer of at most 4 magnitude bytes."""
        return self._sint(4, "sb4")

    def sb8(self) -> int:
        """Universal signed integer of at most 8 magnitude bytes."""
        return self._sint(8, "sb8")

    # ----------------------------------------------------------- strings

    def clr(self) -> bytes | None:
        """A length-prefixed byte string; None for NULL (an empty string is NULL too).

        Raises:
            NeedMoreData: the string is not complete yet.
            LimitExceededError: a chunk, the chunk count or the total is too large.
        """
        buf, pos = self._buf, self.pos
        try:
            n = buf[pos]
        except IndexError:
            raise NeedMoreData from None
        if n == 0 or n == NULL_LENGTH_INDICATOR:
            self.pos = pos + 1
            return None
        if n != LONG_LENGTH_INDICATOR:
            end = pos + 1 + n
            if end > len(buf):
                raise NeedMoreData
            self.pos = end
            return bytes(buf[pos + 1 : end])
        memo = self.memo
        progress = None if memo is None else memo.get(pos, self.big_chunks)
        if progress is None:
            progress = _Chunked(pos + 1, self.big_chunks)
        elif progress.value is not None:
            self.pos = progress.pos
            return progress.value
        try:
            value = self._chunks(progress)
        except NeedMoreData:
            if memo is not None:
                memo.put(pos, progress)
            self.pos = pos
            raise
        if memo is not None and len(value) >= _MEMO_WHOLE_AT:
            # A later value of the same message may still be partial: the
            # message is then read again, and this one is not copied again.
            memo.put(pos, progress)
        return value

    def _chunks(self, progress: _Chunked) -> bytes:
        """Read chunks from where ``progress`` stopped, recording each whole one,
        so that a string arriving over many packets is read once in all."""
        limits = self.limits
        spans = progress.spans
        buf = self._buf
        self.pos = progress.pos
        while True:
            if self.big_chunks:
                size = self._uint(4, "chunk length")
            else:
                size = self.ub1()
            if size == 0:
                break
            limits.check("CLR chunk length", size, limits.max_chunk_size)
            limits.check("CLR chunk count", (len(spans) >> 1) + 1, limits.max_chunk_count)
            total = progress.total + size
            limits.check("chunked CLR length", total, limits.max_bytes_length)
            pos = self.pos
            end = pos + size
            if end > len(buf):
                raise NeedMoreData
            spans.append(pos)
            spans.append(end)
            self.walked += size
            self.pos = progress.pos = end
            progress.total = total
        if len(spans) == 2:
            value = bytes(buf[spans[0] : spans[1]])
        else:
            # The views are gone when join returns: the buffer may grow again.
            with memoryview(buf) as view:
                value = b"".join([view[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2)])
        progress.value = value
        progress.pos = self.pos
        spans.clear()
        return value

    def dlc(self) -> bytes | None:
        """``ub4`` length then, if not zero, a CLR; None when absent."""
        start = self.pos
        total = self.ub4()
        if total == 0:
            return None
        self.limits.check("DLC length", total, self.limits.max_bytes_length)
        try:
            return self.clr()
        except NeedMoreData:
            self.pos = start
            raise

    def clr_str(self, what: str = "string") -> str | None:
        """A CLR decoded as UTF-8."""
        value = self.clr()
        return None if value is None else _utf8(value, what)

    def dlc_str(self, what: str = "string") -> str | None:
        """A DLC decoded as UTF-8."""
        value = self.dlc()
        return None if value is None else _utf8(value, what)

    # ---------------------------------------------------------- key/value

    def auth_kv(self) -> tuple[str, str, int]:
        """An auth key/value pair: DLC key, DLC value, ``ub4`` flags (absent = "")."""
        key = self.dlc_str("key") or ""
        value = self.dlc_str("value of " + key[:40]) or ""
        flags = self.ub4()
        return key, value, flags

    def auth_kvs(self, count: int) -> list[tuple[str, str, int]]:
        """``count`` auth key/value pairs (count checked against ``max_kv_pairs``)."""
        self.limits.check("key/value pair count", count, self.limits.max_kv_pairs)
        return [self.auth_kv() for _ in range(count)]

    def keyword_value(self) -> tuple[bytes | None, bytes | None, int]:
        """A PARAMETER keyword/value pair: text, binary value, keyword number."""
        text = self.clr() if self.ub2() else None
        binary = self.clr() if self.ub2() else None
        return text, binary, self.ub2()


def _utf8(value: bytes, what: str) -> str:
    try:
        return value.decode()
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{what} is not valid UTF-8 at byte {exc.start}") from None
