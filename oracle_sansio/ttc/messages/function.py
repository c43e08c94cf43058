"""The header of every client call: ``03 code seq [ub8 token]`` (docs/protocol-ttc.md 1.3).

Piggybacks use the same header with first byte 0x11.  The token is present
when the negotiated field version is 18 or higher.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UnexpectedMessageError
from ..constants import FunctionCode, MessageType
from ..wire import Reader, Writer

__all__ = ["FunctionHeader", "next_sequence"]


def next_sequence(seq: int) -> int:
    """The sequence number after ``seq``: 1..255, wrapping to 1 (0 is never used)."""
    return 1 if seq >= 255 else seq + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionHeader:
    """Message type (FUNCTION, PIGGYBACK or ONEWAY_FN), function code, sequence, token."""

    code: int
    seq: int = 1
    token: int | None = None
    message_type: int = MessageType.FUNCTION

    def encode(self, w: Writer) -> None:
        """Write the header."""
        w.ub1(self.message_type)
        w.ub1(self.code)
        w.ub1(self.seq)
        if self.token is not None:
            w.ub8(self.token)

    @classmethod
    def decode_after_type(cls, r: Reader, message_type: int, *, has_token: bool) -> FunctionHeader:
        """Read the rest of a header whose message-type byte was already consumed."""
        code = r.ub1()
        seq = r.ub1()
        token = r.ub8() if has_token else None
        return cls(code=code, seq=seq, token=token, message_type=message_type)

    @classmethod
    def decode(cls, r: Reader, *, has_token: bool) -> FunctionHeader:
        """Read a FUNCTION, PIGGYBACK or ONEWAY_FN header.

        Raises:
            UnexpectedMessageError: the message is not a call.
        """
        mtype = r.ub1()
        if mtype not in (MessageType.FUNCTION, MessageType.PIGGYBACK, MessageType.ONEWAY_FN):
            raise UnexpectedMessageError(f"expected a function call, got TTC message type {mtype}")
        return cls.decode_after_type(r, mtype, has_token=has_token)

    @property
    def function(self) -> FunctionCode | int:
        """The function code as an enum member when known."""
        try:
            return FunctionCode(self.code)
        except ValueError:
            return self.code
