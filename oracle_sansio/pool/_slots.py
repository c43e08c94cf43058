"""One record per connection the pool knows about, the table of its moves, and the
index that finds slots without scanning them (private to the machine).

A slot goes OPENING -> IDLE <-> CHECKING, IDLE -> BUSY -> (RESETTING ->) IDLE, and
from any state to CLOSING, then disappears on ``closed`` or when its close give-up
passes.  A completion that hands the slot a working session (``opened``,
``ping_succeeded``, ``rolled_back``, ``release``) makes it IDLE; the machine's policy
then hands it on at once (HAND_OVER) or closes it (CLOSE) within the same input, so
callers only ever see where it ends.  Completions that arrive for a CLOSING slot (a
ping finishing after the machine gave up on it, a release after ``close(force=True)``)
are ignored: the machine already asked for the close.  A logon that ends after its
slot was closed (``opened`` of a CLOSING slot) keeps it CLOSING with a new deadline:
the machine asks to close that session too (``Rules.close_late``).

:meth:`Slots.apply` is the only code that changes a slot's state; it keeps the index
(slots by state, idle slots by age of use and cclass, and three timelines: give-up
deadlines, idle since, held since) so that no input scans every slot.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, unique
from typing import Final, TypeAlias

from ..errors import LocalProtocolError
from .actions import ConnId, ReqId

__all__ = ["SlotState", "Input", "Fate", "Next", "MOVES", "Slot", "Slots"]


@unique
class SlotState(Enum):
    #: logon asked for; -> IDLE on ``opened``, gone on ``open_failed``, CLOSING on give-up.
    OPENING = "opening"
    #: in the free lists; -> CHECKING (ping before hand-over), BUSY, CLOSING (shrink,
    #: lifetime, loss).
    IDLE = "idle"
    #: being pinged for a waiter; -> IDLE on success (then handed over), CLOSING on failure.
    CHECKING = "checking"
    #: held by a caller; -> RESETTING (open transaction), IDLE (released), CLOSING.
    BUSY = "busy"
    #: released with an open transaction, rollback asked for (python-oracledb still counts it
    #: busy); -> IDLE on ``rolled_back``, CLOSING on failure or give-up.
    RESETTING = "resetting"
    #: close asked for; removed on ``closed`` (one per close asked for) or when the close
    #: give-up passes.
    CLOSING = "closing"

    # Members are singletons compared by identity: hash them in C, not through
    # Enum.__hash__ (a Python call per dict lookup on every acquire and release).
    __hash__ = object.__hash__


@unique
class Input(Enum):
    """What happens to one slot: the driver's reports, then the machine's own decisions."""

    # --- reported by the driver (``PoolMachine`` methods of the same names)
    OPENED = "opened"
    OPEN_FAILED = "open_failed"
    PING_SUCCEEDED = "ping_succeeded"
    PING_FAILED = "ping_failed"
    ROLLED_BACK = "rolled_back"
    ROLLBACK_FAILED = "rollback_failed"
    CLOSED = "closed"
    #: ``release`` (or ``cancel`` of a caller handed a session it could not take).
    RELEASE = "release"
    #: ``drop``, or ``release(reusable=False)``.
    DROP = "drop"
    # --- decided by the machine
    HAND_OVER = "hand_over"
    PING = "ping"
    ROLL_BACK = "roll_back"
    CLOSE = "close"
    #: the give-up deadline of the outstanding open, ping, rollback or close passed.
    GIVE_UP = "give_up"

    __hash__ = object.__hash__  # as SlotState's


@unique
class Fate(Enum):
    """Table entries that are not a next state."""

    #: the slot is forgotten (its id is never reused).
    GONE = "gone"
    #: a late completion, or a call on a connection already being closed: no effect.
    IGNORED = "ignored"

    __hash__ = object.__hash__  # as SlotState's


Next: TypeAlias = SlotState | Fate

_S = SlotState
_REPORTS: Final = (Input.OPENED, Input.OPEN_FAILED, Input.PING_SUCCEEDED, Input.PING_FAILED,
                   Input.ROLLED_BACK, Input.ROLLBACK_FAILED, Input.RELEASE, Input.DROP)
#: Every legal (state, input) pair and where it leads; a missing pair is a driver bug
#: (LocalProtocolError), or a machine bug for the machine's own inputs.
MOVES: Final[dict[SlotState, dict[Input, Next]]] = {
    _S.OPENING: {Input.OPENED: _S.IDLE, Input.OPEN_FAILED: Fate.GONE, Input.CLOSED: Fate.GONE,
                 Input.CLOSE: _S.CLOSING, Input.GIVE_UP: _S.CLOSING},
    _S.IDLE: {Input.HAND_OVER: _S.BUSY, Input.PING: _S.CHECKING, Input.CLOSE: _S.CLOSING,
              Input.CLOSED: Fate.GONE},
    _S.CHECKING: {Input.PING_SUCCEEDED: _S.IDLE, Input.PING_FAILED: _S.CLOSING,
                  Input.CLOSE: _S.CLOSING, Input.GIVE_UP: _S.CLOSING, Input.CLOSED: Fate.GONE},
    _S.BUSY: {Input.RELEASE: _S.IDLE, Input.ROLL_BACK: _S.RESETTING, Input.DROP: _S.CLOSING,
              Input.CLOSE: _S.CLOSING, Input.CLOSED: Fate.GONE},
    _S.RESETTING: {Input.ROLLED_BACK: _S.IDLE, Input.ROLLBACK_FAILED: _S.CLOSING,
                   Input.CLOSE: _S.CLOSING, Input.GIVE_UP: _S.CLOSING, Input.CLOSED: Fate.GONE},
    _S.CLOSING: {**{i: Fate.IGNORED for i in _REPORTS}, Input.OPENED: _S.CLOSING,
                 Input.CLOSED: Fate.GONE, Input.GIVE_UP: Fate.GONE},
}
#: Classes whose empty free lists are kept (Slots._free_class).
_CLASSES_KEPT: Final = 64
#: States with an outstanding action, hence a give-up deadline; the others have none.
WAITING_ON_DRIVER: Final = frozenset({_S.OPENING, _S.CHECKING, _S.RESETTING, _S.CLOSING})


#: The states and fates the index tests on every move, as module constants: one global
#: load instead of an attribute of the enum class (in CPython 3.11 a member read through
#: its class is a descriptor call: about 70 ns of CPU here, ten times a global load).
_OPENING: Final = SlotState.OPENING
_IDLE: Final = SlotState.IDLE
_BUSY: Final = SlotState.BUSY
_CLOSING: Final = SlotState.CLOSING
_IGNORED: Final = Fate.IGNORED
_GONE: Final = Fate.GONE


@dataclass(slots=True, kw_only=True)
class Slot:
    """Mutable bookkeeping for one connection (private to the machine).  ``state`` and
    ``deadline`` are written by :meth:`Slots.apply` only."""

    conn: ConnId
    state: SlotState
    #: give-up time of the outstanding open/ping/rollback/close; None when nothing is asked.
    deadline: float | None
    cclass: str | None
    #: FORCEGET overflow beyond ``max``; settled on release (docs/pool.md 1.7).  Written
    #: through :meth:`Slots.set_extra` (the live count depends on it).
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
    #: counted in ``connections_opened`` (its close is counted in ``connections_closed``).
    counted: bool = False
    #: a session whose logon ended after the slot was closed (``Rules.close_late``).
    late: bool = False
    #: ``closed`` reports still owed beyond the next one (a late logon's close).
    closes_owed: int = 0
    #: the number of the latest move (counted over every slot, so that a slot made again
    #: for a late logon's id never matches its first life's entries): older entries are stale.
    moves: int = 0
    #: while IDLE, the two free lists it is filed in (by never_used, and by never_used
    #: and cclass): leaving finds them directly, whatever ``never_used`` says by then.
    idle_free: dict[ConnId, Slot] | None = None
    idle_class: dict[ConnId, Slot] | None = None
    #: while IDLE, the order it became idle in (ties of ``returned_at``).
    idle_order: int = 0


#: (time, rank, order, conn, moves): rank and order break ties as the free lists did.
_Entry: TypeAlias = tuple[float, int, int, ConnId, int]


class _Timeline:
    """Slots by a time, earliest first (a heap whose entries go stale when their slot
    moves; stale entries are dropped when met, and all at once when they outnumber the
    live ones, so the heap stays within twice the slots it can hold plus a constant)."""

    def __init__(self, *, skip_reported: bool = False) -> None:
        self._heap: list[_Entry] = []
        self._skip_reported = skip_reported

    def push(self, at: float, rank: int, order: int, slot: Slot, slots: dict[ConnId, Slot],
             bound: int) -> None:
        heap = self._heap
        if len(heap) > 2 * bound + 32:
            heap = self._heap = [e for e in heap if self._valid(e, slots) is not None]
            heapq.heapify(heap)
        heapq.heappush(heap, (at, rank, order, slot.conn, slot.moves))

    def clear(self) -> None:
        self._heap = []

    def _valid(self, entry: _Entry, slots: dict[ConnId, Slot]) -> Slot | None:
        slot = slots.get(entry[3])
        if slot is None or slot.moves != entry[4] or (self._skip_reported and slot.leak_reported):
            return None
        return slot

    def first(self, slots: dict[ConnId, Slot]) -> Slot | None:
        """The earliest slot still in the state its entry was made for."""
        heap = self._heap
        while heap:
            slot = self._valid(heap[0], slots)
            if slot is not None:
                return slot
            heapq.heappop(heap)
        return None

    def first_time(self) -> float:
        """The time of the entry :meth:`first` returned."""
        return self._heap[0][0]

    def earliest(self, slots: dict[ConnId, Slot]) -> float | None:
        """The time of :meth:`first`'s entry, None when there is none."""
        if not self._heap or self.first(slots) is None:
            return None
        return self._heap[0][0]

    def pop(self) -> None:
        heapq.heappop(self._heap)


class Slots:
    """Every slot, indexed by state; :meth:`apply` is the only writer of states.

    Every read the machine makes on each input (counts by state, the newest idle slot
    of a free list, the earliest deadline) costs the same whatever the number of slots:
    nothing here walks the slots but the snapshots (``__iter__``, :meth:`in_state`)."""

    def __init__(self) -> None:
        self._all: dict[ConnId, Slot] = {}
        self._in: dict[SlotState, dict[ConnId, Slot]] = {s: {} for s in SlotState}
        self._opening = self._in[_OPENING]
        self._idle = self._in[_IDLE]
        self._closing = self._in[_CLOSING]
        #: idle slots by never_used (index 1: never used), in the order they became idle
        #: (served newest first).
        self._free: tuple[dict[ConnId, Slot], dict[ConnId, Slot]] = ({}, {})
        #: the same, per cclass.  A class's pair of lists stays when it empties (a
        #: one-session pool would make and drop one on every hand-over and release) as
        #: long as few classes were seen; beyond that the empty ones are dropped.
        self._free_class: dict[str | None, tuple[dict[ConnId, Slot], dict[ConnId, Slot]]] = {}
        self._deadlines = _Timeline()
        self._idle_since = _Timeline()
        #: whether IDLE slots are filed by ``returned_at``: from the first read on (idle
        #: shrink reads it on every input; a pool that never asks pays nothing).
        self._watch_idle = False
        self._held_since = _Timeline(skip_reported=True)
        #: whether BUSY slots are filed by ``held_since`` (only leak checks read it).
        self._watch_held = False
        self._idle_order = 0
        #: moves made so far, over every slot (``Slot.moves``).
        self._moves = 0
        #: extras not CLOSING (the live count leaves them out).
        self._live_extras = 0
        #: slots with a give-up deadline (an action outstanding): none, no deadline to read.
        self.pending = 0

    # ------------------------------------------------------------------ reads
    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Slot]:
        """Every slot, oldest connection id first (a snapshot: moves may follow)."""
        return iter(list(self._all.values()))

    def get(self, conn: ConnId) -> Slot | None:
        return self._all.get(conn)

    def count(self, *states: SlotState) -> int:
        return sum(len(self._in[s]) for s in states)

    @property
    def idle(self) -> int:
        """How many slots are IDLE."""
        return len(self._idle)

    @property
    def opening(self) -> int:
        """How many logons are in flight (OPENING)."""
        return len(self._opening)

    @property
    def open_count(self) -> int:
        """Slots neither OPENING nor CLOSING (python-oracledb's ``opened``)."""
        return len(self._all) - len(self._opening) - len(self._closing)

    def in_state(self, state: SlotState) -> Iterator[Slot]:
        """The slots in ``state``, in the order they entered it (a snapshot)."""
        return iter(list(self._in[state].values()))

    def live(self) -> int:
        """Slots that count against ``max``: not CLOSING and not a FORCEGET extra."""
        return len(self._all) - len(self._closing) - self._live_extras

    def free(self, never_used: bool, cclass: str | None = None, *, any_class: bool = True,
             newest_first: bool = True) -> Iterator[Slot]:
        """Idle slots of one free list, most recently idle first unless not
        ``newest_first``; only ``cclass`` unless ``any_class``.  Lazy: a caller that
        moves a slot must stop iterating."""
        if any_class:
            bucket = self._free[never_used]
        else:
            pair = self._free_class.get(cclass)
            bucket = {} if pair is None else pair[never_used]
        return reversed(bucket.values()) if newest_first else iter(bucket.values())

    def newest_free(self, never_used: bool, cclass: str | None, any_class: bool) -> Slot | None:
        """The first slot :meth:`free` yields (newest first), or None."""
        if any_class:
            bucket = self._free[never_used]
        else:
            pair = self._free_class.get(cclass)
            if pair is None:
                return None
            bucket = pair[never_used]
        return bucket[next(reversed(bucket))] if bucket else None

    def oldest_idle(self) -> Slot | None:
        """The idle slot returned longest ago (ties: never-used first, then the order
        they became idle)."""
        self.watch_idle()
        return self._idle_since.first(self._all)

    def first_deadline(self) -> float | None:
        return self._deadlines.earliest(self._all) if self.pending else None

    def first_held_since(self) -> float | None:
        """The earliest ``held_since`` of a BUSY slot whose leak is not reported yet
        (None unless :meth:`watch_held` is on)."""
        timeline = self._held_since
        return None if not timeline._heap else timeline.earliest(self._all)

    def due(self, now: float) -> list[Slot]:
        """Slots whose give-up deadline is at or before ``now``, by connection id."""
        out: list[Slot] = []
        while (slot := self._deadlines.first(self._all)) is not None \
                and self._deadlines.first_time() <= now:
            self._deadlines.pop()
            out.append(slot)
        return sorted(out, key=lambda s: s.conn)

    def leaked(self, threshold: float, now: float) -> list[Slot]:
        """BUSY slots held since ``now - threshold`` or earlier and not reported yet,
        by connection id (each is returned once per hand-over; :meth:`watch_held` on)."""
        out: list[Slot] = []
        while (slot := self._held_since.first(self._all)) is not None \
                and self._held_since.first_time() + threshold <= now:
            self._held_since.pop()
            out.append(slot)
        return sorted(out, key=lambda s: s.conn)

    # ----------------------------------------------------------------- writes
    def watch_idle(self) -> None:
        """File IDLE slots by ``returned_at`` from now on (the slots already IDLE in one
        pass); :meth:`oldest_idle` turns it on at its first call, the machine at the start
        when idle shrink will read it on every input."""
        if not self._watch_idle:
            self._watch_idle = True
            bound = len(self._all)
            for slot in self._idle.values():
                self._file_idle(slot, bound)

    def watch_held(self, on: bool) -> None:
        """File BUSY slots by ``held_since`` (leak checks) or stop: a hand-over pays for
        the timeline only while something reads it.  Turned on, it files the slots
        already BUSY (one pass, when the configuration changes)."""
        if on == self._watch_held:
            return
        self._watch_held = on
        self._held_since.clear()
        if on:
            bound = len(self._all)
            for slot in list(self._in[_BUSY].values()):
                if slot.held_since is not None:
                    self._held_since.push(slot.held_since, 0, slot.conn, slot, self._all, bound)

    def create(self, conn: ConnId, *, deadline: float, cclass: str | None, extra: bool,
               now: float, req: ReqId | None) -> Slot:
        """A new slot, OPENING (the only state a slot starts in)."""
        self._moves += 1
        slot = Slot(conn=conn, state=SlotState.OPENING, deadline=deadline, cclass=cclass,
                    extra=extra, created_at=now, returned_at=now, req=req, moves=self._moves)
        self._all[conn] = slot
        self._live_extras += extra
        self._enter(slot)
        return slot

    def set_extra(self, slot: Slot, extra: bool) -> None:
        if slot.extra is not extra and slot.state is not SlotState.CLOSING:
            self._live_extras += 1 if extra else -1
        slot.extra = extra

    def apply(self, slot: Slot, inp: Input, *, deadline: float | None = None) -> Next:
        """Move ``slot`` as the table says for ``inp``; ``deadline`` is the give-up time of
        the action the new state waits on (required exactly for WAITING_ON_DRIVER states).
        Fields the new state is indexed by (``returned_at``, ``never_used``,
        ``held_since``) must be set before.  Returns the table's entry.

        Raises:
            LocalProtocolError: the pair is not in the table.
        """
        was = slot.state
        nxt = MOVES[was].get(inp)
        if nxt is None:
            raise LocalProtocolError(
                f"{inp.value} is not legal for connection {slot.conn} in state {was.value}")
        if nxt is _IGNORED:
            return nxt
        if (deadline is not None) != (nxt in WAITING_ON_DRIVER):
            raise LocalProtocolError(f"{inp.value}: a deadline goes with {nxt} only if it waits")
        # Out of the index of the state it leaves (the slot's entries in the timelines go
        # stale with its move count).
        conn = slot.conn
        del self._in[was][conn]
        if slot.deadline is not None:
            self.pending -= 1
        free = slot.idle_free
        if free is not None:
            del free[conn]
            bucket = slot.idle_class
            assert bucket is not None  # filed with idle_free
            del bucket[conn]
            slot.idle_free = slot.idle_class = None
        self._moves += 1
        slot.moves = self._moves
        if slot.extra and was is not _CLOSING:
            self._live_extras -= nxt is _CLOSING or nxt is _GONE
        if nxt is _GONE:
            del self._all[slot.conn]  # the slot keeps its last state for the caller to read
            return nxt
        slot.state = nxt
        slot.deadline = deadline
        self._enter(slot)
        return nxt

    def _enter(self, slot: Slot) -> None:
        state = slot.state
        conn = slot.conn
        self._in[state][conn] = slot
        if slot.deadline is not None:
            self.pending += 1
            self._deadlines.push(slot.deadline, 0, conn, slot, self._all, len(self._all))
        if state is _IDLE:
            never_used = slot.never_used
            pair = self._free_class.get(slot.cclass)
            if pair is None:
                if len(self._free_class) >= _CLASSES_KEPT:
                    self._free_class = {c: p for c, p in self._free_class.items() if p[0] or p[1]}
                pair = self._free_class[slot.cclass] = ({}, {})
            free = slot.idle_free = self._free[never_used]
            free[conn] = slot
            bucket = slot.idle_class = pair[never_used]
            bucket[conn] = slot
            self._idle_order += 1
            slot.idle_order = self._idle_order
            if self._watch_idle:
                self._file_idle(slot, len(self._all))
        elif state is _BUSY and self._watch_held and slot.held_since is not None:
            self._held_since.push(slot.held_since, 0, conn, slot, self._all, len(self._all))

    def _file_idle(self, slot: Slot, bound: int) -> None:
        self._idle_since.push(slot.returned_at, 0 if slot.never_used else 1, slot.idle_order,
                              slot, self._all, bound)
