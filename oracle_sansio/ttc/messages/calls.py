"""Calls without a body or with a tiny one: COMMIT, ROLLBACK, PING, LOGOFF,
FETCH, DRCP's one-way SESSION_RELEASE, and the CLOSE_CURSORS, SET_SCHEMA, end-to-end and SESSION_STATE
piggybacks (docs/protocol-ttc.md 5, 7.1-7.6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ...limits import DEFAULT_LIMITS, Limits
from ..constants import FunctionCode, MessageType
from ..wire import Reader, Writer
from .function import FunctionHeader

__all__ = ["SimpleCall", "FetchRequest", "CloseCursors", "EndToEndAttributes", "END_TO_END_FIELDS", "SIMPLE_CALLS",
           "SetSchema", "SessionRelease", "SessionState", "VersionRequest", "VersionReply"]

#: Calls whose body is empty and whose reply is STATUS.
SIMPLE_CALLS = frozenset(
    {FunctionCode.COMMIT, FunctionCode.ROLLBACK, FunctionCode.PING, FunctionCode.LOGOFF}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimpleCall:
    """COMMIT (14), ROLLBACK (15), PING (147) or LOGOFF (9): the header alone."""

    function: FunctionCode

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the call."""
        FunctionHeader(code=self.function, seq=seq, token=token).encode(w)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchRequest:
    """FETCH (5): ``ub4 cursor id``, ``ub4 rows``."""

    cursor_id: int
    rows: int

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the call."""
        FunctionHeader(code=FunctionCode.FETCH, seq=seq, token=token).encode(w)
        w.ub4(self.cursor_id)
        w.ub4(self.rows)

    @classmethod
    def decode_body(cls, r: Reader) -> FetchRequest:
        """Read the body after the header."""
        return cls(cursor_id=r.ub4(), rows=r.ub4())


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRelease:
    """SESSION_RELEASE (163), a one-way call (message type 26, never answered): a
    DRCP client gives its session back to the broker.  ``ub1 0`` (no tag pointer),
    ``ub1 0`` (tag length), ``ub4 mode`` (python-oracledb session_release.pyx:
    0 for a pooled connection's release, DEAUTHENTICATE when a standalone one closes)."""

    DEAUTHENTICATE: ClassVar[int] = 0x02

    mode: int = 0

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the call."""
        FunctionHeader(code=FunctionCode.SESSION_RELEASE, seq=seq, token=token,
                       message_type=MessageType.ONEWAY_FN).encode(w)
        w.ub1(0)
        w.ub1(0)
        w.ub4(self.mode)

    @classmethod
    def decode_body(cls, r: Reader) -> SessionRelease:
        """Read the body after the header (a tag, which thin clients never send, is skipped)."""
        r.ub1()  # tag pointer
        r.skip(r.ub1())  # the tag, bounded by the reader
        return cls(mode=r.ub4())


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseCursors:
    """CLOSE_CURSORS piggyback (105): ``01 ub4 n`` + n × ``ub4 cursor id``."""

    cursor_ids: tuple[int, ...]

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the piggyback (header type 0x11)."""
        FunctionHeader(
            code=FunctionCode.CLOSE_CURSORS, seq=seq, token=token, message_type=MessageType.PIGGYBACK
        ).encode(w)
        w.ub1(1)
        w.ub4(len(self.cursor_ids))
        for cursor_id in self.cursor_ids:
            w.ub4(cursor_id)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> CloseCursors:
        """Read the body after the header."""
        r.ub1()
        count = r.ub4()
        limits.check("CLOSE_CURSORS count", count, limits.max_rows)
        return cls(cursor_ids=r.repeat(count, Reader.ub4, "ub4"))


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSchema:
    """SET_SCHEMA piggyback (152): ``01`` + the schema as DLC (docs/protocol-ttc.md 7.6;
    python-oracledb sends it after ``connection.current_schema`` is set)."""

    schema: str

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the piggyback (header type 0x11)."""
        FunctionHeader(code=FunctionCode.SET_SCHEMA, seq=seq, token=token, message_type=MessageType.PIGGYBACK).encode(w)
        w.ub1(1)
        w.dlc_str(self.schema)

    @classmethod
    def decode_body(cls, r: Reader) -> SetSchema:
        """Read the body after the header (the DLC is bounded by the reader's limits)."""
        r.ub1()
        return cls(schema=r.dlc_str("schema") or "")


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionState:
    """SESSION_STATE piggyback (176): ``ub8`` state bits (docs/protocol-ttc.md 7.6).

    python-oracledb sends it only to a server that offers explicit request
    boundaries: REQUEST_BEGIN before the first call after a pool acquire,
    REQUEST_END with the ROLLBACK it sends on release, each with
    EXPLICIT_BOUNDARY set."""

    REQUEST_BEGIN: ClassVar[int] = 0x04
    REQUEST_END: ClassVar[int] = 0x08
    EXPLICIT_BOUNDARY: ClassVar[int] = 0x40

    state: int

    @property
    def request_begin(self) -> bool:
        """The client starts a request (a pooled session was acquired)."""
        return bool(self.state & self.REQUEST_BEGIN)

    @property
    def request_end(self) -> bool:
        """The client ends its request (the session goes back to the pool)."""
        return bool(self.state & self.REQUEST_END)

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the piggyback (header type 0x11)."""
        FunctionHeader(
            code=FunctionCode.SESSION_STATE, seq=seq, token=token, message_type=MessageType.PIGGYBACK
        ).encode(w)
        w.ub8(self.state)

    @classmethod
    def decode_body(cls, r: Reader) -> SessionState:
        """Read the body after the header."""
        return cls(state=r.ub8())


#: Attribute order on the wire, with the flag bit each one has.
END_TO_END_FIELDS: tuple[tuple[str, int], ...] = (
    ("client_identifier", 0x0001),
    ("module", 0x0008),
    ("action", 0x0010),
    ("client_info", 0x0100),
    ("dbop", 0x0200),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class EndToEndAttributes:
    """SET_END_TO_END_ATTR piggyback (135): module, action, client identifier,
    client info and DB operation (docs/protocol-ttc.md 7.6; python-oracledb
    messages/base.pyx ``_write_end_to_end_piggyback``).

    ``values`` maps the attributes that changed to their new value (None clears).
    """

    values: tuple[tuple[str, str | None], ...]

    def encode(self, w: Writer, *, seq: int, token: int | None) -> None:
        """Write the piggyback."""
        changed = dict(self.values)
        FunctionHeader(
            code=FunctionCode.SET_END_TO_END_ATTR, seq=seq, token=token, message_type=MessageType.PIGGYBACK
        ).encode(w)
        w.ub1(0)
        w.ub1(0)
        flags = 0
        for name, bit in END_TO_END_FIELDS:
            if name in changed:
                flags |= bit
        w.ub4(flags)
        encoded = {name: (value.encode() if value is not None else None) for name, value in changed.items()}

        def header(name: str) -> None:
            if name in changed:
                w.ub1(1)
                data = encoded[name]
                w.ub4(len(data) if data is not None else 0)
            else:
                w.ub1(0)
                w.ub4(0)

        header("client_identifier")
        header("module")
        header("action")
        w.ub1(0)
        w.ub4(0)
        w.ub1(0)
        w.ub4(0)
        header("client_info")
        w.ub1(0)
        w.ub4(0)
        w.ub1(0)
        w.ub4(0)
        header("dbop")
        for name, _ in END_TO_END_FIELDS:
            data = encoded.get(name)
            if name in changed and data is not None:
                w.clr(data)

    @classmethod
    def decode_body(cls, r: Reader) -> EndToEndAttributes:
        """Read the body after the piggyback header (server role)."""
        r.ub1()
        r.ub1()
        r.ub4()
        heads: dict[str, tuple[int, int]] = {}
        for name in ("client_identifier", "module", "action"):
            heads[name] = (r.ub1(), r.ub4())
        r.ub1()
        r.ub4()
        r.ub1()
        r.ub4()
        heads["client_info"] = (r.ub1(), r.ub4())
        r.ub1()
        r.ub4()
        r.ub1()
        r.ub4()
        heads["dbop"] = (r.ub1(), r.ub4())
        values: list[tuple[str, str | None]] = []
        for name, _ in END_TO_END_FIELDS:
            pointer, length = heads[name]
            if not pointer:
                continue
            if length:
                values.append((name, (r.clr() or b"").decode("utf-8", "replace")))
            elif not r.at_end() and r.peek_ub1() == 0:
                # An empty string is written as a NULL CLR; a cleared value has none.
                r.ub1()
                values.append((name, ""))
            else:
                values.append((name, None))
        return cls(values=tuple(values))


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionRequest:
    """GET_VERSION (59), as go-ora sends it right after logon: a pointer to the
    banner buffer, its size (``ub2``), pointers to the returned length and
    number, and from field version 11 on a ``ub4`` 1 (go-ora db_version.go)."""

    buffer_size: int = 256

    def encode(self, w: Writer, *, seq: int, token: int | None, field_version: int) -> None:
        """Write the call."""
        FunctionHeader(code=FunctionCode.GET_VERSION, seq=seq, token=token).encode(w)
        w.ub1(1)
        w.ub2(self.buffer_size)
        w.ub1(1)
        w.ub1(1)
        if field_version >= 11:
            w.ub4(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionReply:
    """The answer to GET_VERSION before its end-of-call: PARAMETER, the banner's
    length (``ub2``) and bytes, the release number (``ub4``: major in the top
    byte, then 4-bit minor, 4-bit update, 4-bit patch, 8-bit port; go-ora
    and JDBC read it so)."""

    banner: str
    number: int

    @property
    def version(self) -> tuple[int, int, int, int, int]:
        """The release number's five fields."""
        n = self.number
        return (n >> 24 & 0xFF, n >> 20 & 0xF, n >> 12 & 0xF, n >> 8 & 0xF, n & 0xFF)

    def encode(self, w: Writer) -> None:
        """Write the message."""
        text = self.banner.encode()
        w.ub1(MessageType.PARAMETER)
        w.ub2(len(text))
        w.raw(text)
        w.ub4(self.number)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> VersionReply:
        """Read the body after the PARAMETER type byte (client role)."""
        size = r.ub2()
        limits.check("version banner length", size, limits.max_bytes_length)
        banner = r.raw(size).decode("utf-8", "replace")
        return cls(banner=banner, number=r.ub4())
