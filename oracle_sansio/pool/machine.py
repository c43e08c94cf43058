"""The pool's decisions as a pure state machine (docs/architecture.md; POOL.md 1).

Deliberate deviations from python-oracledb: the package docstring (``__init__.py``).

Theory of operation.  Each input is a method taking ``now`` (seconds, from the
driver) and returning the actions to execute in order.  The machine never
reads a clock: it stores absolute deadlines (TIMEDWAIT expiries, give-ups of
outstanding actions, idle shrink, open-retry backoff, leak thresholds) and
reports the earliest as ``next_deadline`` and, whenever it changes, as
``SetTimer``.  ``timer_fired(now)`` handles what is due at ``now`` and nothing
else, so early, late and duplicate wake-ups are harmless.

Every input ends in :meth:`_finish`, which runs the same few rules:

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
4. after ``close`` and the last close, exactly one ``PoolClosed``.

Where each part lives: the slot states, their moves and the index of slots by
state in ``_slots.py`` (every state change goes through its table); which idle
connection serves, how many to open and which to close in ``_policy.py``; the
logon gate (backoff, halt) in ``_logons.py``; run-time setters (POOL.md 1.4) in
``_attributes.py``.
"""

from __future__ import annotations

from typing import assert_never

from ..errors import LocalProtocolError
from .actions import (
    CloseConnection, ConnId, FailRequest, HandOver, LeakDetected, OpenConnection, PingConnection,
    PoolAction, PoolClosed, ReqId, RollbackConnection, SetTimer,
)
from .codes import DpyCode, PoolUsageError
from ._attributes import read_attribute, with_attribute
from .config import PoolConfig, PoolGetMode
from .failures import LogonFailure
from ._logons import LogonGate
from . import _policy as policy
from ._policy import ExtraFate, Logon
from ._slots import MOVES, Fate, Input, Slot, Slots, SlotState
from .statistics import PoolCounters, PoolPhase, PoolStatistics
from ._waiters import Waiter, Waiters

__all__ = ["PoolMachine", "PoolStatistics", "PoolPhase"]

_HELD = (SlotState.BUSY, SlotState.RESETTING)
_OPEN = (SlotState.IDLE, SlotState.CHECKING, SlotState.BUSY, SlotState.RESETTING)


class PoolMachine:
    """python-oracledb's AsyncConnectionPool policy with no I/O (module docstring)."""

    def __init__(self, config: PoolConfig | None = None) -> None:
        self._cfg = config if config is not None else PoolConfig()
        self._phase = PoolPhase.NEW
        self._slots = Slots()
        self._waiters = Waiters()
        self._held: dict[ReqId, ConnId] = {}
        self._next_conn: ConnId = 1
        self._to_create = 0
        self._gate = LogonGate()
        self._timer: float | None = None
        self._closed_reported = False
        self._stats = PoolCounters()

    # ------------------------------------------------------------------ views
    @property
    def config(self) -> PoolConfig:
        return self._cfg

    @property
    def phase(self) -> PoolPhase:
        return self._phase

    @property
    def open_count(self) -> int:
        """python-oracledb's ``pool.opened`` (the name ``opened`` is the completion
        input here): connections created and not being closed, i.e. busy + idle + checked."""
        return self._slots.count(*_OPEN)

    @property
    def busy(self) -> int:
        return self._slots.count(*_HELD)

    @property
    def idle(self) -> int:
        return self._slots.count(SlotState.IDLE)

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @property
    def logons_halted(self) -> bool:
        """A FATAL logon failure stopped logons (until one succeeds; see ``_logons``)."""
        return self._gate.halted

    @property
    def warm(self) -> bool:
        """The warm-up report: at least ``min`` connections are open."""
        return self.open_count >= self._cfg.min

    @property
    def statistics(self) -> PoolStatistics:
        """Counters and the total wait time in seconds (see PoolStatistics)."""
        return self._stats.snapshot()

    def slot_states(self) -> dict[ConnId, SlotState]:
        """Every known connection and its state (for tests and debugging)."""
        return {s.conn: s.state for s in self._slots}

    def is_extra(self, conn: ConnId) -> bool:
        slot = self._slots.get(conn)
        return slot is not None and slot.extra

    @property
    def next_deadline(self) -> float | None:
        """The earliest time at which ``timer_fired`` has something to do."""
        cfg = self._cfg
        cands = [t for t in (self._slots.first_deadline(), self._waiters.earliest_deadline())
                 if t is not None]
        if self._phase is PoolPhase.OPEN:
            if self._gate.retry_at is not None and self._to_create > 0:
                cands.append(self._gate.retry_at)
            oldest = self._slots.oldest_idle()
            if cfg.timeout > 0 and self.open_count > cfg.min and oldest is not None:
                cands.append(oldest.returned_at + cfg.timeout)
            held_since = self._slots.first_held_since()
            if cfg.leak_threshold is not None and held_since is not None:
                cands.append(held_since + cfg.leak_threshold)
        return min(cands) if cands else None

    # ----------------------------------------------------------------- inputs
    def open(self, *, now: float) -> list[PoolAction]:
        """Start the pool: ask for ``min`` connections (in the background)."""
        if self._phase is not PoolPhase.NEW:
            raise self._not_open() if self._phase is PoolPhase.CLOSED else LocalProtocolError(
                "the pool is already open")
        self._phase = PoolPhase.OPEN
        self._to_create = self._cfg.min
        return self._finish([], now)

    def acquire(self, req: ReqId, *, now: float, cclass: str | None = None,
                wants_new: bool = False) -> list[PoolAction]:
        """A caller wants a connection; ``wants_new`` is purity NEW (POOL.md 1.6/1.7).

        Raises:
            LocalProtocolError: before ``open()``, or ``req`` is already waiting or holding.
        """
        if self._phase is PoolPhase.NEW:
            raise LocalProtocolError("acquire() before open()")
        if req in self._waiters or req in self._held:
            raise LocalProtocolError(f"request {req} is already known to the pool")
        self._stats.requests += 1
        acts: list[PoolAction] = []
        if self._phase is PoolPhase.CLOSED:
            acts.append(FailRequest(req=req, code=DpyCode.POOL_NOT_OPEN))
            return self._finish(acts, now)
        cfg = self._cfg
        deadline = now + cfg.wait_timeout / 1000 if cfg.getmode is PoolGetMode.TIMEDWAIT else None
        w = Waiter(req=req, cclass=self._eff(cclass), wants_new=wants_new, getmode=cfg.getmode,
                   since=now, deadline=deadline, any_class=cclass is None,
                   probe_ok=self._gate.halted)
        self._waiters.add(w)
        if self._serve_from_idle(w, now, acts):
            return self._finish(acts, now)
        # Halted, the background budget waits for a successful logon: it is not a pending one.
        live = self._slots.live()
        full = live + (0 if self._gate.halted else self._to_create) >= cfg.max
        if full and not self.idle and cfg.getmode is PoolGetMode.NOWAIT:
            self._fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
            return self._finish(acts, now)
        if cfg.max_waiters is not None and len(self._waiters) > cfg.max_waiters:
            self._fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
            return self._finish(acts, now)
        if not full and w.cclass == self._eff(None) and self._to_create == 0:
            self._to_create = policy.acquire_growth(cfg, live)
        self._pump(now, acts)
        if req in self._waiters and deadline is not None and deadline <= now:
            self._fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
        if req in self._waiters:
            self._stats.waits += 1
        return self._finish(acts, now)

    def cancel(self, req: ReqId, *, now: float) -> list[PoolAction]:
        """The caller of ``req`` is gone.  If it was already handed a connection that
        the driver could not deliver, the connection goes back to the pool."""
        acts: list[PoolAction] = []
        w = self._waiters.get(req)
        if w is not None:
            self._leave(w, now)
        elif req in self._held:
            slot = self._slots.get(self._held.pop(req))
            assert slot is not None  # _forget drops a gone slot's holder
            slot.req = None
            slot.held_since = None
            self._return(slot, Input.RELEASE, now, acts)
        return self._finish(acts, now)

    def release(self, conn: ConnId, *, now: float, in_transaction: bool = False,
                reusable: bool = True) -> list[PoolAction]:
        """The holder gives ``conn`` back (POOL.md 1.12).

        Raises:
            PoolUsageError: DPY-1001 when ``conn`` is not checked out of this open pool.
        """
        acts: list[PoolAction] = []
        slot = self._held_slot(conn, Input.RELEASE)
        if slot is not None:
            self._unhold(slot)
            if not reusable:
                self._close(slot, Input.DROP, now, acts)
            elif in_transaction:
                deadline = now + self._cfg.rollback_give_up
                self._slots.apply(slot, Input.ROLL_BACK, deadline=deadline)
                acts.append(RollbackConnection(conn=conn, deadline=deadline))
            else:
                self._return(slot, Input.RELEASE, now, acts)
        return self._finish(acts, now)

    def drop(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """The holder discards ``conn``: close it, refill to ``min`` (POOL.md 1.13).

        Raises:
            PoolUsageError: DPY-1001 when ``conn`` is not checked out of this open pool.
        """
        acts: list[PoolAction] = []
        slot = self._held_slot(conn, Input.DROP)
        if slot is not None:
            self._unhold(slot)
            self._close(slot, Input.DROP, now, acts)
        return self._finish(acts, now)

    def opened(self, conn: ConnId, *, now: float, jitter: float = 0.0) -> list[PoolAction]:
        """The logon for ``conn`` finished; ``jitter`` in [0, 1) spreads its lifetime."""
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.OPENED)
        if slot is not None:
            self._stats.connections_opened += 1
            self._gate.succeeded(jitter)
            slot.created_at = slot.returned_at = now
            slot.jitter = jitter
            w = self._waiters.get(slot.req) if slot.req is not None else None
            slot.req = None
            self._slots.apply(slot, Input.OPENED)
            if w is not None and w.opening == conn:
                w.opening = None
                self._hand_over(slot, w, now, acts)
            else:
                self._place(slot, now, acts)
        return self._finish(acts, now)

    def open_failed(self, conn: ConnId, code: DpyCode | int, *, now: float,
                    failure: LogonFailure, jitter: float = 0.0) -> list[PoolAction]:
        """The logon for ``conn`` failed with ``code`` (``failure``: the driver's
        ``classify_logon_error``).  A caller it was made for gets the error; TRANSIENT is
        retried after a backoff; FATAL halts logons and fails every caller needing one."""
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.OPEN_FAILED)
        if slot is not None:
            self._gate.jitter = jitter
            self._slots.apply(slot, Input.OPEN_FAILED)
            self._open_lost(slot, code, now, acts, failure)
        return self._finish(acts, now)

    def ping_succeeded(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.PING_SUCCEEDED)
        if slot is not None:
            w = self._waiters.get(slot.req) if slot.req is not None else None
            slot.req = None
            self._slots.apply(slot, Input.PING_SUCCEEDED)
            if w is not None and w.checking == conn:
                w.checking = None
                self._hand_over(slot, w, now, acts)
            else:
                self._place(slot, now, acts)
        return self._finish(acts, now)

    def ping_failed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """A failed ping is silent: the connection is replaced, the waiter keeps waiting."""
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.PING_FAILED)
        if slot is not None:
            self._stats.pings_failed += 1
            self._close(slot, Input.PING_FAILED, now, acts)
        return self._finish(acts, now)

    def rolled_back(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.ROLLED_BACK)
        if slot is not None:
            self._return(slot, Input.ROLLED_BACK, now, acts)
        return self._finish(acts, now)

    def rollback_failed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.ROLLBACK_FAILED)
        if slot is not None:
            self._close(slot, Input.ROLLBACK_FAILED, now, acts)
        return self._finish(acts, now)

    def closed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """``conn``'s close finished, or the driver saw it die (idle, held or mid-action)."""
        acts: list[PoolAction] = []
        slot = self._judge(conn, Input.CLOSED)
        if slot is not None:
            was = slot.state
            self._forget(slot, Input.CLOSED)
            if was is SlotState.OPENING:
                self._open_lost(slot, DpyCode.CONNECTION_CLOSED, now, acts, LogonFailure.TRANSIENT)
            elif was is not SlotState.CLOSING:
                self._ensure_min()
        return self._finish(acts, now)

    def timer_fired(self, *, now: float) -> list[PoolAction]:
        """Handle everything due at ``now``: expired waiters, give-ups, idle shrink, leaks."""
        acts: list[PoolAction] = []
        for w in self._waiters.due(now):
            self._fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
        for slot in self._slots.due(now):
            self._give_up(slot, now, acts)
        if self._phase is PoolPhase.OPEN:
            self._shrink(now, acts)
            if self._cfg.leak_threshold is not None:
                for slot in self._slots.leaked(self._cfg.leak_threshold, now):
                    slot.leak_reported = True
                    assert slot.held_since is not None  # set by every hand-over
                    acts.append(LeakDetected(conn=slot.conn, held_since=slot.held_since))
        return self._finish(acts, now)

    def reconfigure(self, config: PoolConfig, *, now: float) -> list[PoolAction]:
        """Replace the configuration (python-oracledb's run-time setters, and sizes).

        Connections beyond a smaller ``max`` are closed when idle and become extras
        (closed on release) when not.  Raises PoolUsageError DPY-1002 after close.
        """
        if self._phase is PoolPhase.CLOSED:
            raise self._not_open()
        self._cfg = config
        acts: list[PoolAction] = []
        while self._slots.live() > config.max and (idle := self._slots.oldest_idle()) is not None:
            self._close(idle, Input.CLOSE, now, acts)
        excess = self._slots.live() - config.max
        if excess > 0:  # rare (a setter shrinking max): one pass over the slots
            for slot in self._slots:
                if excess <= 0:
                    break
                if slot.state is not SlotState.CLOSING and not slot.extra:
                    self._slots.set_extra(slot, True)
                    excess -= 1
        if self._phase is PoolPhase.OPEN:
            self._ensure_min()
        return self._finish(acts, now)

    def set_attribute(self, name: str, value: object, *, now: float) -> list[PoolAction]:
        """python-oracledb's ``pool.<name> = value`` (POOL.md 1.4, quirks in ``_attributes``).

        Raises:
            PoolUsageError: DPY-1002 after close; DPY-3001 for thick-only attributes.
            AttributeError, OverflowError, TypeError, ValueError: as ``with_attribute``.
        """
        if self._phase is PoolPhase.CLOSED:
            raise self._not_open()
        return self.reconfigure(with_attribute(self._cfg, name, value), now=now)

    def get_attribute(self, name: str) -> object:
        """python-oracledb's getter for a writable attribute (DPY-1002 after close)."""
        if self._phase is PoolPhase.CLOSED:
            raise self._not_open()
        return read_attribute(self._cfg, name)

    def close(self, *, force: bool = False, now: float) -> list[PoolAction]:
        """Close the pool (POOL.md 1.14).  Waiters fail DPY-1002; every connection,
        held ones included when forced, is asked to close; ``PoolClosed`` follows the
        last ``closed`` (or close give-up).

        Raises:
            PoolUsageError: DPY-1005 when not forced and connections are busy or callers
                wait; DPY-1002 when already closed.
        """
        if self._phase is PoolPhase.CLOSED:
            raise self._not_open()
        if not force and (self.busy or self._waiters):
            raise PoolUsageError(DpyCode.POOL_HAS_BUSY_CONNECTIONS)
        self._phase = PoolPhase.CLOSED
        self._to_create = 0
        self._gate.retry_at = None
        acts: list[PoolAction] = []
        for w in self._waiters:
            self._fail(w, DpyCode.POOL_NOT_OPEN, now, acts)
        for slot in self._slots:
            if slot.state is not SlotState.CLOSING:
                if slot.state in _HELD and slot.req is not None:
                    self._unhold(slot)
                self._close(slot, Input.CLOSE, now, acts)
        return self._finish(acts, now)

    # ------------------------------------------------------------------ rules
    def _finish(self, acts: list[PoolAction], now: float) -> list[PoolAction]:
        self._pump(now, acts)
        if self._phase is PoolPhase.CLOSED and not self._slots and not self._closed_reported:
            self._closed_reported = True
            acts.append(PoolClosed())
        nd = self.next_deadline
        at = None if nd is None else max(nd, now)
        if at != self._timer:
            self._timer = at
            acts.append(SetTimer(at=at))
        return acts

    def _pump(self, now: float, acts: list[PoolAction]) -> None:
        if self._phase is not PoolPhase.OPEN:
            return
        cfg = self._cfg
        for w in self._waiters:
            if w.req not in self._waiters or w.checking is not None:
                continue
            if w.opening is not None and not self.idle:
                continue  # waiting for its own logon; nothing idle to offer instead
            if (w.getmode is not PoolGetMode.FORCEGET and not self.idle
                    and (self._slots.live() >= cfg.max or not self._can_open())):
                continue  # nothing idle and nothing may be opened
            if self._serve_from_idle(w, now, acts) or w.opening is not None:
                continue
            if not self._can_open() or not self._may_open_for(w):
                continue
            match policy.logon_for(w, cfg, self._slots.live(), self.idle):
                case Logon.OWN:
                    self._to_create = max(0, self._to_create - 1)
                    self._start_open(now, acts, w.cclass, w)
                case Logon.REPLACE:
                    victim = self._slots.oldest_idle()
                    assert victim is not None  # logon_for saw an idle slot
                    self._close(victim, Input.CLOSE, now, acts, refill=False)
                    self._start_open(now, acts, w.cclass, w)
                case Logon.EXTRA:
                    self._start_open(now, acts, w.cclass, w, extra=True)
                case Logon.NONE:
                    pass
                case _ as unreachable:
                    assert_never(unreachable)
        self._to_create = policy.budget(cfg, self._slots.live(), self._to_create)
        if self._gate.background_allowed(now, False):
            while self._to_create > 0 and self._can_open() and self._gate.background_allowed(
                    now, self._slots.count(SlotState.OPENING) > 0):
                self._to_create -= 1
                self._start_open(now, acts, self._eff(None), None)
            self._gate.retry_at = None

    def _serve_from_idle(self, w: Waiter, now: float, acts: list[PoolAction]) -> bool:
        stale, slot = policy.idle_for(self._slots, w, now, self._cfg)
        for old in stale:
            self._close(old, Input.CLOSE, now, acts)
        if slot is None:
            return False
        self._detach(w)
        if policy.needs_ping(slot, now, self._cfg):
            slot.req = w.req
            deadline = now + self._cfg.ping_give_up
            self._slots.apply(slot, Input.PING, deadline=deadline)
            w.checking = slot.conn
            self._stats.pings += 1
            acts.append(PingConnection(conn=slot.conn, deadline=deadline))
        else:
            self._hand_over(slot, w, now, acts)
        return True

    def _place(self, slot: Slot, now: float, acts: list[PoolAction]) -> None:
        """A connection became free (IDLE): settle a FORCEGET extra, then hand it
        straight to the first suitable waiter (no ping, as python-oracledb) or leave it idle."""
        if slot.extra:
            live = self._slots.live()
            spare = next((s for s in self._slots.free(True, newest_first=False) if not s.extra),
                         None) if live == self._cfg.max else None
            match policy.extra_fate(self._cfg, live, spare):
                case ExtraFate.KEEP:
                    self._slots.set_extra(slot, False)
                case ExtraFate.CLOSE:
                    self._close(slot, Input.CLOSE, now, acts, refill=False)
                    return
                case ExtraFate.CLOSE_SPARE:
                    assert spare is not None
                    self._close(spare, Input.CLOSE, now, acts, refill=False)
                    self._slots.set_extra(slot, False)
                case _ as unreachable:
                    assert_never(unreachable)
        for w in self._waiters:
            if w.checking is None and policy.suits(w, slot):
                self._hand_over(slot, w, now, acts)
                return

    def _return(self, slot: Slot, inp: Input, now: float, acts: list[PoolAction]) -> None:
        """A held or reset session comes back (``inp``: RELEASE or ROLLED_BACK)."""
        slot.returned_at = now
        self._slots.apply(slot, inp)
        if policy.expired(slot, now, self._cfg):
            self._close(slot, Input.CLOSE, now, acts)
        else:
            self._place(slot, now, acts)

    def _hand_over(self, slot: Slot, w: Waiter, now: float, acts: list[PoolAction]) -> None:
        self._leave(w, now)
        slot.req = w.req
        slot.never_used = False
        slot.held_since = now
        slot.leak_reported = False
        self._slots.apply(slot, Input.HAND_OVER)
        self._held[w.req] = slot.conn
        acts.append(HandOver(req=w.req, conn=slot.conn))

    def _start_open(self, now: float, acts: list[PoolAction], cclass: str | None,
                    w: Waiter | None, *, extra: bool = False) -> None:
        conn = self._next_conn
        self._next_conn += 1
        deadline = now + self._cfg.open_give_up
        self._slots.create(conn, deadline=deadline, cclass=cclass, extra=extra, now=now,
                           req=w.req if w is not None else None)
        if w is not None:
            w.opening = conn
            if self._gate.halted:
                self._gate.probe = conn
        acts.append(OpenConnection(conn=conn, deadline=deadline, cclass=cclass))

    def _open_lost(self, slot: Slot, code: DpyCode | int, now: float,
                   acts: list[PoolAction], failure: LogonFailure) -> None:
        """A logon will not produce a connection (failed, lost or given up on)."""
        self._stats.connections_failed += 1
        self._gate.failed(slot.conn, failure, now, self._cfg)
        w = self._waiters.get(slot.req) if slot.req is not None else None
        if w is not None and w.opening == slot.conn:
            w.opening = None
            self._fail(w, code, now, acts)
        elif not slot.extra and self._phase is PoolPhase.OPEN:
            self._to_create += 1
        if self._phase is PoolPhase.OPEN:
            if self._gate.halted:
                self._fail_logon_waiters(code, now, acts)
            self._ensure_min()

    def _fail_logon_waiters(self, code: DpyCode | int, now: float,
                            acts: list[PoolAction]) -> None:
        """Halted: fail every waiter only a logon could serve (its logon in flight, if
        any, finishes for the pool); a release may serve the others."""
        held = {s.cclass for state in _HELD for s in self._slots.in_state(state)}
        for w in self._waiters.needing_logon(held):
            self._fail(w, code, now, acts)

    def _give_up(self, slot: Slot, now: float, acts: list[PoolAction]) -> None:
        match slot.state:
            case SlotState.CLOSING:
                self._forget(slot, Input.GIVE_UP)
            case SlotState.OPENING:
                self._open_lost(slot, DpyCode.CONNECTION_FAILED, now, acts, LogonFailure.TRANSIENT)
                self._close(slot, Input.GIVE_UP, now, acts)
            case SlotState.CHECKING:
                self._stats.pings_failed += 1
                self._close(slot, Input.GIVE_UP, now, acts)
            case SlotState.RESETTING | SlotState.IDLE | SlotState.BUSY:
                self._close(slot, Input.GIVE_UP, now, acts)  # the table refuses IDLE and BUSY
            case _ as unreachable:
                assert_never(unreachable)

    def _shrink(self, now: float, acts: list[PoolAction]) -> None:
        while (slot := self._slots.oldest_idle()) is not None and policy.shrinks(
                slot, self.open_count, now, self._cfg):
            self._close(slot, Input.CLOSE, now, acts, refill=False)

    def _close(self, slot: Slot, inp: Input, now: float, acts: list[PoolAction], *,
               refill: bool = True) -> None:
        w = self._waiters.get(slot.req) if slot.req is not None else None
        if w is not None:
            if w.checking == slot.conn:
                w.checking = None
            if w.opening == slot.conn:
                w.opening = None
        slot.req = None
        deadline = now + self._cfg.close_give_up
        self._slots.apply(slot, inp, deadline=deadline)
        acts.append(CloseConnection(conn=slot.conn, deadline=deadline))
        if refill:
            self._ensure_min()

    def _forget(self, slot: Slot, inp: Input) -> None:
        if slot.state is not SlotState.OPENING:
            self._stats.connections_closed += 1
        self._slots.apply(slot, inp)
        if slot.req is not None:
            if self._held.get(slot.req) == slot.conn:
                del self._held[slot.req]
            w = self._waiters.get(slot.req)
            if w is not None and w.checking == slot.conn:
                w.checking = None

    def _fail(self, w: Waiter, code: DpyCode | int, now: float, acts: list[PoolAction], *,
              timeout: bool = False) -> None:
        self._leave(w, now)
        if timeout:
            self._stats.timeouts += 1
        acts.append(FailRequest(req=w.req, code=code))

    def _leave(self, w: Waiter, now: float) -> None:
        """``w`` stops waiting (served, failed, timed out or cancelled): every wait counts."""
        self._waiters.remove(w.req)
        self._detach(w)
        self._stats.wait_time += now - w.since

    def _detach(self, w: Waiter) -> None:
        """``w`` no longer waits on its logon or ping; they finish for the pool."""
        for conn in (w.opening, w.checking):
            slot = self._slots.get(conn) if conn is not None else None
            if slot is not None:
                slot.req = None
        w.opening = w.checking = None

    def _ensure_min(self) -> None:
        if self._phase is PoolPhase.OPEN:
            self._to_create = policy.refill(self._cfg, self._slots.live(), self._to_create)

    # ---------------------------------------------------------------- helpers
    def _judge(self, conn: ConnId, inp: Input) -> Slot | None:
        """The slot a driver's report names, or None for a late one (LocalProtocolError
        for a report its state cannot get)."""
        slot = self._slots.get(conn)
        if slot is None:
            return None  # ids are never reused: a late completion for a forgotten slot
        nxt = MOVES[slot.state].get(inp)
        if nxt is None:
            raise LocalProtocolError(
                f"{inp.value} is not legal for connection {conn} in state {slot.state.value}")
        return None if nxt is Fate.IGNORED else slot

    def _held_slot(self, conn: ConnId, inp: Input) -> Slot | None:
        if self._phase is PoolPhase.CLOSED:
            return None  # python-oracledb: releasing after a forced close is a no-op
        slot = self._slots.get(conn)
        if (slot is None or not isinstance(MOVES[slot.state].get(inp), SlotState)
                or slot.req is None):
            raise PoolUsageError(DpyCode.NOT_CONNECTED)
        return slot

    def _unhold(self, slot: Slot) -> None:
        if slot.req is not None:
            self._held.pop(slot.req, None)
        slot.req = None
        slot.held_since = None

    def _eff(self, cclass: str | None) -> str | None:
        return cclass if cclass is not None else self._cfg.cclass

    def _may_open_for(self, w: Waiter) -> bool:
        return not self._gate.halted or (w.probe_ok and self._gate.probe is None)

    def _can_open(self) -> bool:
        limit = self._cfg.max_concurrent_opens
        return limit is None or limit > self._slots.count(SlotState.OPENING)

    def _not_open(self) -> PoolUsageError:
        return PoolUsageError(DpyCode.POOL_NOT_OPEN)

