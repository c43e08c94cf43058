"""The call sub-machine: what the current call of a connection is doing
beside the connection's own state, in one table of legal moves.

Theory of operation.  The connection tables (``states.py``) say what a
session may do next; they do not say whether this call already sent its
INTERRUPT, whether the reset exchange of a break is over, whether the answer
a server owner wrote waits for the client's RESET, or whether the data of a
CONNECT / REFUSE / REDIRECT is still to come in the next DATA packet.  Those
facts belong to one call (or one connect exchange) and live here, with the
call's record (the client's kind of call and what its response collects, the
server's cursor and function), so the connection machines ask this object
instead of keeping loose flags.  Both roles use it; each uses its own inputs:

- client: ``START`` (a call is sent), ``BREAK`` (INTERRUPT; only the first of
  a call goes out), ``RESET`` (the server's RESET ended the marker exchange;
  markers after it are skipped until the next call), ``HEAD_WITH_DATA`` and
  ``DATA`` (a REFUSE or REDIRECT whose text follows);
- server: ``START`` (a call the owner must answer), ``END`` (the answer went
  out), ``HOLD`` (the answer waits for the client's RESET after a break) and
  ``RELEASE`` (it goes out now), ``HEAD_WITH_DATA`` and ``DATA`` (a CONNECT
  whose descriptor follows).

The client never ends a call here: what it remembers of the last call's
break and reset still matters for stray markers until the next call starts.
"""

from __future__ import annotations

from enum import Enum, unique
from typing import Final, Generic, TypeVar

from ..errors import LocalProtocolError

__all__ = ["CallState", "CallInput", "CALL_TRANSITIONS", "CallMachine"]

R = TypeVar("R")
P = TypeVar("P")


@unique
class CallState(Enum):
    """States of one call (or connect exchange)."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    #: No call open, nothing remembered.  -> OPEN, DATA_PENDING, BREAK_SENT, RESET
    IDLE = "IDLE"
    #: A CONNECT / REFUSE / REDIRECT arrived whose data follows in the next DATA packet.  -> IDLE
    DATA_PENDING = "DATA_PENDING"
    #: A call is open: the client awaits its response, the server's owner owes its answer.
    OPEN = "OPEN"
    #: Client: this call's INTERRUPT marker was sent (it is sent once).
    BREAK_SENT = "BREAK_SENT"
    #: Client: the reset exchange ended; further markers are skipped until the next call.
    RESET = "RESET"
    #: Client: both of the above, the break first.
    BREAK_SENT_RESET = "BREAK_SENT_RESET"
    #: Server: the answer is written and held until the client's RESET.  -> IDLE
    HELD = "HELD"


@unique
class CallInput(Enum):
    """Inputs of the call sub-machine."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    HEAD_WITH_DATA = "HEAD_WITH_DATA"
    DATA = "DATA"
    START = "START"
    BREAK = "BREAK"
    RESET = "RESET"
    END = "END"
    HOLD = "HOLD"
    RELEASE = "RELEASE"


_S = CallState
_I = CallInput

CALL_TRANSITIONS: Final[dict[tuple[CallState, CallInput], CallState]] = {
    (_S.IDLE, _I.HEAD_WITH_DATA): _S.DATA_PENDING,
    (_S.DATA_PENDING, _I.DATA): _S.IDLE,
    # A new call forgets the previous call's break and reset.
    (_S.IDLE, _I.START): _S.OPEN,
    (_S.OPEN, _I.START): _S.OPEN,
    (_S.BREAK_SENT, _I.START): _S.OPEN,
    (_S.RESET, _I.START): _S.OPEN,
    (_S.BREAK_SENT_RESET, _I.START): _S.OPEN,
    # IDLE: a break during the reset of a stray marker, before any call.
    (_S.IDLE, _I.BREAK): _S.BREAK_SENT,
    (_S.OPEN, _I.BREAK): _S.BREAK_SENT,
    (_S.BREAK_SENT, _I.BREAK): _S.BREAK_SENT,
    # A break after the reset of a server's own marker exchange starts an exchange of its
    # own, which the server answers even if the call's answer is already on its way.
    (_S.RESET, _I.BREAK): _S.BREAK_SENT,
    (_S.BREAK_SENT_RESET, _I.BREAK): _S.BREAK_SENT_RESET,
    (_S.IDLE, _I.RESET): _S.RESET,
    (_S.OPEN, _I.RESET): _S.RESET,
    (_S.BREAK_SENT, _I.RESET): _S.BREAK_SENT_RESET,
    (_S.RESET, _I.RESET): _S.RESET,
    (_S.BREAK_SENT_RESET, _I.RESET): _S.BREAK_SENT_RESET,
    (_S.OPEN, _I.END): _S.IDLE,
    (_S.OPEN, _I.HOLD): _S.HELD,
    (_S.HELD, _I.RELEASE): _S.IDLE,
}


class CallMachine(Generic[R, P]):
    """The current call of one connection: its state (see :data:`CALL_TRANSITIONS`),
    its record ``R`` and the packet ``P`` whose data is awaited."""

    __slots__ = ("_state", "record", "_pending", "_held")

    def __init__(self) -> None:
        self._state = CallState.IDLE
        #: What the connection tracks for the call in flight (None between calls).
        self.record: R | None = None
        self._pending: P | None = None
        self._held = b""

    @property
    def state(self) -> CallState:
        """The current state."""
        return self._state

    @property
    def is_open(self) -> bool:
        """A call is open (server: its owner still owes the answer)."""
        return self._state == CallState.OPEN

    @property
    def break_sent(self) -> bool:
        """This call's INTERRUPT went out."""
        return self._state in (CallState.BREAK_SENT, CallState.BREAK_SENT_RESET)

    @property
    def reset_seen(self) -> bool:
        """The reset exchange ended since this call started."""
        return self._state in (CallState.RESET, CallState.BREAK_SENT_RESET)

    @property
    def is_held(self) -> bool:
        """An answer waits for the client's RESET."""
        return self._state == CallState.HELD

    @property
    def data_pending(self) -> bool:
        """A packet waits for its data in the next DATA packet."""
        return self._state == CallState.DATA_PENDING

    @property
    def pending(self) -> P | None:
        """The packet whose data is awaited, if any."""
        return self._pending

    def move(self, inp: CallInput) -> CallState:
        """Apply ``inp`` through the table.

        Raises:
            LocalProtocolError: the move is not in the table (a bug of the
                connection machine: its own table rules these moves out).
        """
        nxt = CALL_TRANSITIONS.get((self._state, inp))
        if nxt is None:
            raise LocalProtocolError(f"call input {inp.name} is not allowed in call state {self._state.name}")
        self._state = nxt
        return nxt

    def expect_data(self, packet: P) -> None:
        """``packet`` arrived and its data follows in the next DATA packet."""
        self.move(CallInput.HEAD_WITH_DATA)
        self._pending = packet

    def take_pending(self) -> P:
        """The packet whose data has now arrived."""
        self.move(CallInput.DATA)
        packet, self._pending = self._pending, None
        assert packet is not None  # set with DATA_PENDING
        return packet

    def start(self, record: R | None) -> None:
        """A call begins (the previous call's break and reset are forgotten)."""
        self.move(CallInput.START)
        self.record = record

    def send_break(self) -> bool:
        """A break of this call: True when the INTERRUPT marker must go (the first one)."""
        first = not self.break_sent
        self.move(CallInput.BREAK)
        return first

    def reset(self) -> None:
        """The peer's RESET ended the marker exchange."""
        self.move(CallInput.RESET)

    def end(self) -> None:
        """The answer went out (server)."""
        self.move(CallInput.END)
        self.record = None

    def hold(self, answer: bytes) -> None:
        """Keep ``answer`` until the client's RESET (server)."""
        self.move(CallInput.HOLD)
        self.record = None
        self._held = answer

    def release(self) -> bytes:
        """The client's RESET came: the held answer, to send now (server)."""
        self.move(CallInput.RELEASE)
        answer, self._held = self._held, b""
        return answer
