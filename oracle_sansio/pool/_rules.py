"""The rules every pool-machine input ends in, and the state they work on (private to
``machine.py``; ``PoolMachine`` holds one :class:`Rules` and runs its inputs on it).

:meth:`Rules.finish` runs the same few rules after every input:

1. waiters, oldest first, take a usable idle connection: newest returned first
   with a matching cclass (LIFO, python-oracledb test 5518), then never-used
   ones; a caller who gave no cclass takes any class (python-oracledb
   ``PooledConnRequest.fulfill``: ``cclass is None`` matches every session);
   an idle one older than ``max_lifetime_session`` is closed on the way;
   one idle longer than ``ping_interval`` is pinged first;
2. a waiter that found nothing gets a logon of its own while ``live < max``
   (its failure is its failure, as in python-oracledb); on a full pool a
   non-matching idle connection is replaced, and FORCEGET opens an extra;
3. the growth budget (``min`` at start, ``increment`` on demand, refills after
   losses) is opened in the background, at most ``max_concurrent_opens`` at
   once, TRANSIENT failures retried with exponential backoff; after a FATAL
   one nothing is opened but one probe for a caller who arrived later;
4. while halted with no probe in flight, a caller who may not start the probe (it
   was waiting before the halt, or shared a probe that failed) and whom no held
   session could serve any more (it was dropped, died, expired or closed) fails with
   the halting error: no input would ever serve it (:meth:`Rules.fail_stranded`);
5. after ``close`` and the last close, exactly one ``PoolClosed``.

The decisions themselves (which slot, how many, which to close) are ``_policy.py``'s;
every slot move goes through the table in ``_slots.py``.
"""

from __future__ import annotations

from typing import Final, assert_never

from ..errors import LocalProtocolError
from .actions import (
    CloseConnection, ConnId, FailRequest, HandOver, OpenConnection, PingConnection, PoolAction,
    PoolClosed, ReqId, SetTimer,
)
from .codes import DpyCode, PoolUsageError
from .config import PoolConfig, PoolGetMode
from .failures import LogonFailure
from ._logons import LogonGate
from . import _policy as policy
from ._policy import ExtraFate, Logon
from ._slots import MOVES, Fate, Input, Slot, Slots, SlotState
from .statistics import PoolCounters, PoolPhase
from ._waiters import Waiter, Waiters

__all__ = ["Rules", "HELD", "OPEN"]

#: States python-oracledb counts as busy, and as open (``pool.opened``).
HELD = (SlotState.BUSY, SlotState.RESETTING)
OPEN = (SlotState.IDLE, SlotState.CHECKING, SlotState.BUSY, SlotState.RESETTING)
#: Read on every input: module constants, not enum class attributes (see _slots).
_OPEN: Final = PoolPhase.OPEN
_CLOSED: Final = PoolPhase.CLOSED
_HAND_OVER: Final = Input.HAND_OVER


class Rules:
    """The pool's state and the rules that move it (module docstring)."""

    def __init__(self, config: PoolConfig) -> None:
        self.phase = PoolPhase.NEW
        self.slots = Slots()
        self.configure(config)
        self.waiters = Waiters()
        #: request -> the connection it holds (BUSY).
        self.held: dict[ReqId, ConnId] = {}
        self.next_conn: ConnId = 1
        #: background logons still to start (growth, refills).
        self.to_create = 0
        self.gate = LogonGate()
        #: the timer last asked for with SetTimer.
        self.timer: float | None = None
        self.closed_reported = False
        self.stats = PoolCounters()
        #: a slot was closed or vanished since the last end of input: a caller kept
        #: waiting for a held session may have nothing left to serve it (rule 4).
        self.recheck = False

    def configure(self, config: PoolConfig) -> None:
        """Replace the configuration (the slot index follows what it asks to watch)."""
        self.cfg = config
        self.slots.watch_held(config.leak_threshold is not None)
        if config.timeout > 0:
            self.slots.watch_idle()
        #: No timeline that a hand-over or a release moves is read (idle shrink, leak
        #: checks): with no timer armed, such a move leaves the timer as it is
        #: (PoolMachine.acquire_idle / release_idle).
        self.quiet = config.timeout <= 0 and config.leak_threshold is None

    # ------------------------------------------------------------------ views
    @property
    def open_count(self) -> int:
        return self.slots.open_count

    @property
    def busy(self) -> int:
        return self.slots.count(*HELD)

    @property
    def idle(self) -> int:
        return self.slots.idle

    def next_deadline(self) -> float | None:
        """The earliest time at which a timer has something to do: the first entry of
        each timeline (no scan of slots or waiters)."""
        best = self.slots.first_deadline() if self.slots.pending else None
        t = self.waiters.earliest_deadline() if self.waiters.queued else None
        if t is not None and (best is None or t < best):
            best = t
        if self.phase is _OPEN:
            cfg = self.cfg
            t = self.gate.retry_at
            if t is not None and self.to_create > 0 and (best is None or t < best):
                best = t
            if cfg.timeout > 0 and self.slots.open_count > cfg.min:
                oldest = self.slots.oldest_idle()
                if oldest is not None:
                    t = oldest.returned_at + cfg.timeout
                    if best is None or t < best:
                        best = t
            if cfg.leak_threshold is not None:
                t = self.slots.first_held_since()
                if t is not None:
                    t += cfg.leak_threshold
                    if best is None or t < best:
                        best = t
        return best

    # ------------------------------------------------------------------ rules
    def finish(self, acts: list[PoolAction], now: float) -> list[PoolAction]:
        """End an input: serve and grow (:meth:`pump`), fail stranded callers, report
        the close, re-arm the timer."""
        if self.to_create > 0 or self.waiters.queued:  # else pump has nothing to do
            self.pump(now, acts)
        if self.recheck:
            self.recheck = False  # set by closes only: the scan is not paid by every input
            self.fail_stranded(now, acts)
        if self.phase is _CLOSED and not self.slots and not self.closed_reported:
            self.closed_reported = True
            acts.append(PoolClosed())
        nd = self.next_deadline()
        at = None if nd is None else (nd if nd > now else now)
        if at != self.timer:
            self.timer = at
            acts.append(SetTimer(at=at))
        return acts

    def pump(self, now: float, acts: list[PoolAction]) -> None:
        """Rules 1-3 of the module docstring: serve waiters, then open what is owed."""
        if self.phase is not _OPEN or (self.to_create <= 0 and not self.waiters.queued):
            # Nothing waits and nothing is owed: the budget below would stay 0 and open
            # nothing (most inputs: an acquire served from idle, a release nobody waits for).
            return
        cfg = self.cfg
        for w in self.waiters if self.waiters.queued and self.may_serve() else ():
            if not self.may_serve():
                break  # every waiter left would be passed over: no need to look at them
            if w.req not in self.waiters or w.checking is not None:
                continue
            if w.opening is not None and not self.idle:
                continue  # waiting for its own logon; nothing idle to offer instead
            if (w.getmode is not PoolGetMode.FORCEGET and not self.idle
                    and (self.slots.live() >= cfg.max or not self.can_open())):
                continue  # nothing idle and nothing may be opened
            if self.serve_from_idle(w, now, acts) or w.opening is not None:
                continue
            if not self.can_open() or not self.may_open_for(w):
                continue
            match policy.logon_for(w, cfg, self.slots.live(), self.idle):
                case Logon.OWN:
                    self.to_create = max(0, self.to_create - 1)
                    self.start_open(now, acts, w.cclass, w)
                case Logon.REPLACE:
                    victim = self.slots.oldest_idle()
                    assert victim is not None  # logon_for saw an idle slot
                    self.close_slot(victim, Input.CLOSE, now, acts, refill=False)
                    self.start_open(now, acts, w.cclass, w)
                case Logon.EXTRA:
                    self.start_open(now, acts, w.cclass, w, extra=True)
                case Logon.NONE:
                    pass
                case _ as unreachable:
                    assert_never(unreachable)
        if self.to_create <= 0:
            return  # nothing owed: the budget stays 0 and nothing is opened
        self.to_create = policy.budget(cfg, self.slots.live(), self.to_create)
        if self.gate.background_allowed(now, False):
            while self.to_create > 0 and self.can_open() and self.gate.background_allowed(
                    now, self.slots.opening > 0):
                self.to_create -= 1
                self.start_open(now, acts, self.eff(None), None)
            self.gate.retry_at = None

    def serve_from_idle(self, w: Waiter, now: float, acts: list[PoolAction]) -> bool:
        stale, slot = policy.idle_for(self.slots, w, now, self.cfg)
        for old in stale:
            self.close_slot(old, Input.CLOSE, now, acts)
        if slot is None:
            return False
        self.detach(w)
        if policy.needs_ping(slot, now, self.cfg):
            slot.req = w.req
            deadline = now + self.cfg.ping_give_up
            self.slots.apply(slot, Input.PING, deadline=deadline)
            w.checking = slot.conn
            self.stats.pings += 1
            acts.append(PingConnection(conn=slot.conn, deadline=deadline))
        else:
            self.hand_over(slot, w, now, acts)
        return True

    def place(self, slot: Slot, now: float, acts: list[PoolAction]) -> None:
        """A connection became free (IDLE): settle a FORCEGET extra, then hand it
        straight to the first suitable waiter (no ping, as python-oracledb) or leave it idle."""
        if slot.extra:
            live = self.slots.live()
            spare = next((s for s in self.slots.free(True, newest_first=False) if not s.extra),
                         None) if live == self.cfg.max else None
            match policy.extra_fate(self.cfg, live, spare):
                case ExtraFate.KEEP:
                    self.slots.set_extra(slot, False)
                case ExtraFate.CLOSE:
                    self.close_slot(slot, Input.CLOSE, now, acts, refill=False)
                    return
                case ExtraFate.CLOSE_SPARE:
                    assert spare is not None
                    self.close_slot(spare, Input.CLOSE, now, acts, refill=False)
                    self.slots.set_extra(slot, False)
                case _ as unreachable:
                    assert_never(unreachable)
        if not self.waiters.queued:
            return
        for w in self.waiters.oldest_first():
            if w.checking is None and policy.suits(w, slot):
                self.hand_over(slot, w, now, acts)
                return

    def give_back(self, slot: Slot, inp: Input, now: float, acts: list[PoolAction]) -> None:
        """A held or reset session comes back (``inp``: RELEASE or ROLLED_BACK)."""
        slot.returned_at = now
        self.slots.apply(slot, inp)
        if policy.expired(slot, now, self.cfg):
            self.close_slot(slot, Input.CLOSE, now, acts)
        else:
            self.place(slot, now, acts)

    def hand_over(self, slot: Slot, w: Waiter, now: float, acts: list[PoolAction]) -> None:
        self.leave(w, now)
        self.give(slot, w.req, now, acts)

    def give(self, slot: Slot, req: ReqId, now: float, acts: list[PoolAction]) -> None:
        """``slot`` (IDLE) goes to ``req``, which no longer waits (if it ever did)."""
        self.take(slot, req, now)
        acts.append(HandOver(req=req, conn=slot.conn))

    def take(self, slot: Slot, req: ReqId, now: float) -> None:
        """:meth:`give` but the action: the slot moves to ``req``'s hands."""
        slot.req = req
        slot.never_used = False
        slot.held_since = now
        slot.leak_reported = False
        self.slots.apply(slot, _HAND_OVER)
        self.held[req] = slot.conn

    def start_open(self, now: float, acts: list[PoolAction], cclass: str | None,
                    w: Waiter | None, *, extra: bool = False) -> None:
        conn = self.next_conn
        self.next_conn += 1
        deadline = now + self.cfg.open_give_up
        self.slots.create(conn, deadline=deadline, cclass=cclass, extra=extra, now=now,
                           req=w.req if w is not None else None)
        if w is not None:
            w.opening = conn
            if self.gate.halted:
                self.gate.probe = conn
        acts.append(OpenConnection(conn=conn, deadline=deadline, cclass=cclass))

    def open_lost(self, slot: Slot, code: DpyCode | int, now: float, acts: list[PoolAction],
                  failure: LogonFailure, error: BaseException | None = None) -> None:
        """A logon will not produce a connection (failed, lost or given up on); ``error``:
        the driver's exception, handed to every caller failed because of it."""
        self.stats.connections_failed += 1
        self.gate.failed(slot.conn, code, failure, now, self.cfg, error)
        w = self.waiters.get(slot.req) if slot.req is not None else None
        if w is not None and w.opening == slot.conn:
            w.opening = None
            self.fail(w, code, now, acts, error=error)
        elif not slot.extra and self.phase is PoolPhase.OPEN:
            self.to_create += 1
        if self.phase is PoolPhase.OPEN:
            if self.gate.halted:
                # Halted: fail every waiter only a logon could serve (its logon in flight,
                # if any, finishes for the pool); a release may serve the others.
                for w in self.waiters.needing_logon(self.held_classes()):
                    self.fail(w, code, now, acts, error=error)
            self.ensure_min()

    def close_late(self, conn: ConnId, slot: Slot | None, now: float,
                   acts: list[PoolAction]) -> None:
        """The logon of ``conn`` ended after the machine closed it or gave up on it (its
        slot CLOSING, or already gone): close that session too.  It counts nowhere (never
        opened, idle or busy); its slot stays CLOSING until this close is reported as well.
        A repeated report for a session already being closed is ignored.

        Raises:
            LocalProtocolError: ``conn`` was never asked to open.
        """
        if not 0 < conn < self.next_conn:
            raise LocalProtocolError(f"opened for connection {conn}, which was never opened")
        if slot is not None and (slot.counted or slot.late):
            return  # its session is known and being closed already
        deadline = now + self.cfg.close_give_up
        if slot is None:
            slot = self.slots.create(conn, deadline=deadline, cclass=None, extra=False, now=now,
                                     req=None)
            self.slots.apply(slot, Input.CLOSE, deadline=deadline)
        else:
            self.slots.apply(slot, Input.OPENED, deadline=deadline)
            slot.closes_owed += 1  # the close asked while the logon ran is reported too
        slot.late = True
        acts.append(CloseConnection(conn=conn, deadline=deadline))

    def fail_stranded(self, now: float, acts: list[PoolAction]) -> None:
        """Rule 4: halted and no probe in flight (its outcome is shared: it lifts the halt
        or fails everyone needing a logon), a caller who may not start the probe and whom
        no held session could serve would wait forever.  It fails with the error that
        halted logons; a caller who may probe gets the probe from :meth:`pump` instead."""
        if self.phase is not PoolPhase.OPEN or not self.gate.halted or self.gate.probe is not None:
            return
        for w in self.waiters.needing_logon(self.held_classes()):
            if not self.gate.may_probe(w.probe_round):
                self.fail(w, self.gate.halt_code, now, acts, error=self.gate.halt_error)

    def held_classes(self) -> set[str | None]:
        """The cclasses of the sessions callers hold (BUSY, or RESETTING on their way back)."""
        return {s.cclass for state in HELD for s in self.slots.in_state(state)}

    def give_up(self, slot: Slot, now: float, acts: list[PoolAction]) -> None:
        match slot.state:
            case SlotState.CLOSING:
                self.forget(slot, Input.GIVE_UP)
            case SlotState.OPENING:
                self.open_lost(slot, DpyCode.CONNECTION_FAILED, now, acts, LogonFailure.TRANSIENT)
                self.close_slot(slot, Input.GIVE_UP, now, acts)
            case SlotState.CHECKING:
                self.stats.pings_failed += 1
                self.close_slot(slot, Input.GIVE_UP, now, acts)
            case SlotState.RESETTING | SlotState.IDLE | SlotState.BUSY:
                self.close_slot(slot, Input.GIVE_UP, now, acts)  # the table refuses IDLE and BUSY
            case _ as unreachable:
                assert_never(unreachable)

    def shrink(self, now: float, acts: list[PoolAction]) -> None:
        while (slot := self.slots.oldest_idle()) is not None and policy.shrinks(
                slot, self.open_count, now, self.cfg):
            self.close_slot(slot, Input.CLOSE, now, acts, refill=False)

    def close_slot(self, slot: Slot, inp: Input, now: float, acts: list[PoolAction], *,
                   refill: bool = True) -> None:
        """Ask for ``slot``'s close (``inp``: why); ``refill`` tops the budget up to ``min``."""
        self.recheck = True
        w = self.waiters.get(slot.req) if slot.req is not None else None
        if w is not None:
            if w.checking == slot.conn:
                w.checking = None
            if w.opening == slot.conn:
                w.opening = None
        slot.req = None
        deadline = now + self.cfg.close_give_up
        self.slots.apply(slot, inp, deadline=deadline)
        acts.append(CloseConnection(conn=slot.conn, deadline=deadline))
        if refill:
            self.ensure_min()

    def forget(self, slot: Slot, inp: Input) -> None:
        """``slot`` is gone (``inp``: CLOSED, or GIVE_UP of its close)."""
        self.recheck = True
        if slot.counted:
            self.stats.connections_closed += 1
        self.slots.apply(slot, inp)
        if slot.req is not None:
            if self.held.get(slot.req) == slot.conn:
                del self.held[slot.req]
            w = self.waiters.get(slot.req)
            if w is not None and w.checking == slot.conn:
                w.checking = None

    def fail(self, w: Waiter, code: DpyCode | int, now: float, acts: list[PoolAction], *,
             timeout: bool = False, error: BaseException | None = None) -> None:
        self.leave(w, now)
        if timeout:
            self.stats.timeouts += 1
        acts.append(FailRequest(req=w.req, code=code, error=error))

    def leave(self, w: Waiter, now: float) -> None:
        """``w`` stops waiting (served, failed, timed out or cancelled): every wait counts."""
        self.waiters.remove(w.req)
        self.detach(w)
        self.stats.wait_time += now - w.since

    def detach(self, w: Waiter) -> None:
        """``w`` no longer waits on its logon or ping; they finish for the pool."""
        for conn in (w.opening, w.checking):
            slot = self.slots.get(conn) if conn is not None else None
            if slot is not None:
                slot.req = None
        w.opening = w.checking = None

    def ensure_min(self) -> None:
        if self.phase is PoolPhase.OPEN:
            self.to_create = policy.refill(self.cfg, self.slots.live(), self.to_create)

    # ---------------------------------------------------------------- helpers
    def judge(self, conn: ConnId, inp: Input) -> Slot | None:
        """The slot a driver's report names, or None for a late one (LocalProtocolError
        for a report its state cannot get)."""
        slot = self.slots.get(conn)
        if slot is None:
            return None  # ids are never reused: a late completion for a forgotten slot
        nxt = MOVES[slot.state].get(inp)
        if nxt is None:
            raise LocalProtocolError(
                f"{inp.value} is not legal for connection {conn} in state {slot.state.value}")
        return None if nxt is Fate.IGNORED else slot

    def held_slot(self, conn: ConnId, inp: Input) -> Slot | None:
        if self.phase is PoolPhase.CLOSED:
            return None  # python-oracledb: releasing after a forced close is a no-op
        slot = self.slots.get(conn)
        if (slot is None or not isinstance(MOVES[slot.state].get(inp), SlotState)
                or slot.req is None):
            raise PoolUsageError(DpyCode.NOT_CONNECTED)
        return slot

    def unhold(self, slot: Slot) -> None:
        if slot.req is not None:
            self.held.pop(slot.req, None)
        slot.req = None
        slot.held_since = None

    def eff(self, cclass: str | None) -> str | None:
        return cclass if cclass is not None else self.cfg.cclass

    def may_open_for(self, w: Waiter) -> bool:
        return not self.gate.halted or self.gate.may_probe(w.probe_round)

    def may_serve(self) -> bool:
        """Whether a waiter could get anything now: an idle session, a logon, or (FORCEGET)
        an extra; when not, :meth:`pump` would pass over every waiter."""
        return bool(self.slots.idle or self.waiters.forceget
                    or (self.slots.live() < self.cfg.max and self.can_open()))

    def can_open(self) -> bool:
        limit = self.cfg.max_concurrent_opens
        return limit is None or limit > self.slots.opening

    def not_open(self) -> PoolUsageError:
        return PoolUsageError(DpyCode.POOL_NOT_OPEN)

