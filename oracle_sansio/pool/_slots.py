"""One record per connection the pool knows about, and the legal moves table.

A slot goes OPENING -> IDLE <-> CHECKING -> BUSY -> (RESETTING ->) IDLE, and from
any state to CLOSING, then disappears on ``closed`` or when its close give-up
passes.  Completions that arrive for a CLOSING slot (a logon or ping finishing
after the machine gave up on it, a release after ``close(force=True)``) are
ignored: the machine already asked for the close.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, unique
from typing import Final

from .actions import ConnId, ReqId

__all__ = ["SlotState", "Input", "Verdict", "MOVES", "Slot"]


@unique
class SlotState(Enum):
    #: logon asked for; -> IDLE/BUSY on ``opened``, gone on ``open_failed``, CLOSING on give-up.
    OPENING = "opening"
    #: in the free lists; -> CHECKING (ping before hand-over), BUSY, CLOSING (shrink, lifetime, loss).
    IDLE = "idle"
    #: being pinged for a waiter; -> BUSY or IDLE on success, CLOSING on failure or give-up.
    CHECKING = "checking"
    #: held by a caller; -> RESETTING (open transaction), IDLE/BUSY (next waiter), CLOSING.
    BUSY = "busy"
    #: released with an open transaction, rollback asked for (python-oracledb still counts it
    #: busy); -> IDLE/BUSY on ``rolled_back``, CLOSING on failure or give-up.
    RESETTING = "resetting"
    #: close asked for; removed on ``closed`` or when the close give-up passes.
    CLOSING = "closing"


@unique
class Input(Enum):
    """Inputs that name a connection (the ones the table below judges)."""

    OPENED = "opened"
    OPEN_FAILED = "open_failed"
    PING_SUCCEEDED = "ping_succeeded"
    PING_FAILED = "ping_failed"
    ROLLED_BACK = "rolled_back"
    ROLLBACK_FAILED = "rollback_failed"
    CLOSED = "closed"
    RELEASE = "release"
    DROP = "drop"


@unique
class Verdict(Enum):
    APPLY = "apply"
    #: a late completion or a call on a connection already being closed: no effect.
    IGNORE = "ignore"


_LATE: Final = {i: Verdict.IGNORE for i in Input}
#: Every legal (state, input) pair; a missing pair is a driver bug (LocalProtocolError).
MOVES: Final[dict[SlotState, dict[Input, Verdict]]] = {
    SlotState.OPENING: {Input.OPENED: Verdict.APPLY, Input.OPEN_FAILED: Verdict.APPLY,
                        Input.CLOSED: Verdict.APPLY},
    SlotState.IDLE: {Input.CLOSED: Verdict.APPLY},
    SlotState.CHECKING: {Input.PING_SUCCEEDED: Verdict.APPLY, Input.PING_FAILED: Verdict.APPLY,
                         Input.CLOSED: Verdict.APPLY},
    SlotState.BUSY: {Input.RELEASE: Verdict.APPLY, Input.DROP: Verdict.APPLY,
                     Input.CLOSED: Verdict.APPLY},
    SlotState.RESETTING: {Input.ROLLED_BACK: Verdict.APPLY, Input.ROLLBACK_FAILED: Verdict.APPLY,
                          Input.CLOSED: Verdict.APPLY},
    SlotState.CLOSING: {**_LATE, Input.CLOSED: Verdict.APPLY},
}


@dataclass(slots=True, kw_only=True)
class Slot:
    """Mutable bookkeeping for one connection (private to the machine)."""

    conn: ConnId
    state: SlotState
    #: give-up time of the outstanding open/ping/rollback/close; None when nothing is asked.
    deadline: float | None
    cclass: str | None
    #: FORCEGET overflow beyond ``max``; settled on release (POOL.md 1.7).
    extra: bool = False
    created_at: float = 0.0
    returned_at: float = 0.0
    #: python-oracledb's free-new (True) versus free-used list.
    never_used: bool = True
    #: the jitter given to ``opened``; the lifetime is ``mls * (1 - lifetime_jitter * jitter)``.
    jitter: float = 0.0
    #: the request this slot is being opened or pinged for, or its holder when BUSY.
    req: ReqId | None = None
    held_since: float | None = None
    leak_reported: bool = False
