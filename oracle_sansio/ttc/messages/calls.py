"""Calls without a body or with a tiny one: COMMIT, ROLLBACK, PING, LOGOFF,
FETCH, and the CLOSE_CURSORS piggyback (PROTOCOL-TTC.md 5, 7.1-7.5)."""

from __future__ import annotations

from dataclasses import dataclass

from ...limits import DEFAULT_LIMITS, Limits
from ..constants import FunctionCode, MessageType
from ..wire import Reader, Writer
from .function import FunctionHeader

__all__ = ["SimpleCall", "FetchRequest", "CloseCursors", "SIMPLE_CALLS"]

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
        return cls(cursor_ids=tuple(r.ub4() for _ in range(count)))
