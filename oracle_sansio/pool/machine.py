"""The pool's decisions as a pure state machine (docs/architecture.md; docs/pool.md 1).

Deliberate deviations from python-oracledb: the package docstring (``__init__.py``).

Theory of operation.  Each input is a method taking ``now`` (seconds, from the
driver) and returning the actions to execute in order.  The machine never
reads a clock: it stores absolute deadlines (TIMEDWAIT expiries, give-ups of
outstanding actions, idle shrink, open-retry backoff, leak thresholds) and
reports the earliest as ``next_deadline`` and, whenever it changes, as
``SetTimer``.  ``timer_fired(now)`` handles what is due at ``now`` and nothing
else, so early, late and duplicate wake-ups are harmless.

Where each part lives: this module takes the inputs; every input ends in the rules
of ``_rules.py`` (serve waiters, open what is owed, report the close and the next
timer); the slot states, their moves and the index of slots by state are in
``_slots.py`` (every state change goes through its table); which idle connection
serves, how many to open and which to close in ``_policy.py``; the logon gate
(backoff, halt) in ``_logons.py``; run-time setters (docs/pool.md 1.4) in ``_attributes.py``.
"""

from __future__ import annotations

from typing import Final

from ..errors import LocalProtocolError
from .actions import ConnId, FailRequest, LeakDetected, PoolAction, ReqId, RollbackConnection
from .codes import DpyCode, PoolUsageError
from ._attributes import read_attribute, with_attribute
from .config import PoolConfig, PoolGetMode
from .failures import LogonFailure
from . import _policy as policy
from ._rules import HELD, Rules
from ._slots import Input, SlotState
from .statistics import PoolPhase, PoolStatistics
from ._waiters import Waiter

__all__ = ["PoolMachine", "PoolStatistics", "PoolPhase"]

#: Read on every acquire_idle / release_idle: module constants, not enum class
#: attributes (a descriptor call each in CPython 3.11, see _slots).
_OPEN: Final = PoolPhase.OPEN
_BUSY: Final = SlotState.BUSY
_RELEASE: Final = Input.RELEASE


class PoolMachine:
    """python-oracledb's AsyncConnectionPool policy with no I/O (module docstring)."""

    def __init__(self, config: PoolConfig | None = None) -> None:
        self._r = Rules(config if config is not None else PoolConfig())

    # ------------------------------------------------------------------ views
    @property
    def config(self) -> PoolConfig:
        return self._r.cfg

    @property
    def phase(self) -> PoolPhase:
        return self._r.phase

    @property
    def open_count(self) -> int:
        """python-oracledb's ``pool.opened`` (the name ``opened`` is the completion
        input here): connections created and not being closed, i.e. busy + idle + checked."""
        return self._r.open_count

    @property
    def busy(self) -> int:
        return self._r.busy

    @property
    def idle(self) -> int:
        return self._r.idle

    @property
    def waiting(self) -> int:
        return len(self._r.waiters)

    @property
    def logons_halted(self) -> bool:
        """A FATAL logon failure stopped logons (until one succeeds; see ``_logons``)."""
        return self._r.gate.halted

    @property
    def warm(self) -> bool:
        """The warm-up report: at least ``min`` connections are open."""
        return self._r.open_count >= self._r.cfg.min

    @property
    def statistics(self) -> PoolStatistics:
        """Counters and the total wait time in seconds (see PoolStatistics)."""
        return self._r.stats.snapshot()

    def slot_states(self) -> dict[ConnId, SlotState]:
        """Every known connection and its state (for tests and debugging)."""
        return {s.conn: s.state for s in self._r.slots}

    def state_of(self, conn: ConnId) -> SlotState | None:
        """The state of ``conn``, None once it is gone (or was never known)."""
        slot = self._r.slots.get(conn)
        return None if slot is None else slot.state

    def is_extra(self, conn: ConnId) -> bool:
        slot = self._r.slots.get(conn)
        return slot is not None and slot.extra

    @property
    def next_deadline(self) -> float | None:
        """The earliest time at which ``timer_fired`` has something to do."""
        return self._r.next_deadline()

    # ----------------------------------------------------------------- inputs
    def open(self, *, now: float) -> list[PoolAction]:
        """Start the pool: ask for ``min`` connections (in the background)."""
        if self._r.phase is not PoolPhase.NEW:
            raise self._r.not_open() if self._r.phase is PoolPhase.CLOSED else LocalProtocolError(
                "the pool is already open")
        self._r.phase = PoolPhase.OPEN
        self._r.to_create = self._r.cfg.min
        return self._r.finish([], now)

    def acquire(self, req: ReqId, *, now: float, cclass: str | None = None,
                wants_new: bool = False, again: bool = False) -> list[PoolAction]:
        """A caller wants a connection; ``wants_new`` is purity NEW (docs/pool.md 1.6/1.7).
        ``again``: the same caller asks once more, under a new ``req``, because the session
        this input handed it had died while idle (the driver's check on reuse, docs/pool.md
        1.9, reported it ``closed``): it is not counted as another request.

        Raises:
            LocalProtocolError: before ``open()``, or ``req`` is already waiting or holding.
        """
        if self._r.phase is PoolPhase.NEW:
            raise LocalProtocolError("acquire() before open()")
        if (self._r.waiters.queued and req in self._r.waiters) or req in self._r.held:
            raise LocalProtocolError(f"request {req} is already known to the pool")
        if not again:
            self._r.stats.requests += 1
        acts: list[PoolAction] = []
        if self._r.phase is PoolPhase.CLOSED:
            acts.append(FailRequest(req=req, code=DpyCode.POOL_NOT_OPEN))
            return self._r.finish(acts, now)
        cfg = self._r.cfg
        first = policy.first_idle(self._r.slots, cclass if cclass is not None else cfg.cclass,
                                  cclass is None, wants_new)
        if first is not None and policy.ready(first, now, cfg):
            # What the waiter below would get at once, with no wait, ping or close on the
            # way: hand it over without queueing a waiter first.
            self._r.give(first, req, now, acts)
            return self._r.finish(acts, now)
        deadline = now + cfg.wait_timeout / 1000 if cfg.getmode is PoolGetMode.TIMEDWAIT else None
        w = Waiter(req=req, cclass=self._r.eff(cclass), wants_new=wants_new, getmode=cfg.getmode,
                   since=now, deadline=deadline, any_class=cclass is None,
                   probe_round=self._r.gate.round)
        self._r.waiters.add(w)
        if first is not None and self._r.serve_from_idle(w, now, acts):
            return self._r.finish(acts, now)
        # Halted, the background budget waits for a successful logon: it is not a pending one.
        live = self._r.slots.live()
        full = live + (0 if self._r.gate.halted else self._r.to_create) >= cfg.max
        if full and not self.idle and cfg.getmode is PoolGetMode.NOWAIT:
            self._r.fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
            return self._r.finish(acts, now)
        if cfg.max_waiters is not None and len(self._r.waiters) > cfg.max_waiters:
            self._r.fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
            return self._r.finish(acts, now)
        if not full and w.cclass == self._r.eff(None) and self._r.to_create == 0:
            self._r.to_create = policy.acquire_growth(cfg, live)
        if deadline is not None and deadline <= now:
            # TIMEDWAIT with no time left: whatever the serving pass gives it (its own logon
            # goes on for the pool) comes first, then it fails.
            self._r.pump(now, acts)
            if req in self._r.waiters:
                self._r.fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
        # Else the serving pass in finish() is all there is to do: it can start a logon for
        # this caller but cannot serve it (nothing idle suits it, and no pass frees a session).
        if req in self._r.waiters:
            self._r.stats.waits += 1
        return self._r.finish(acts, now)

    def acquire_idle(self, req: ReqId, *, now: float) -> ConnId:
        """``acquire(req, now=now)`` when its whole answer would be ``[HandOver(req, conn)]``
        from an idle session: makes that hand-over and returns ``conn``, with no action
        objects built.  Otherwise returns 0 and changes nothing: call :meth:`acquire`.

        The case taken: an open pool nobody waits in, nothing owed or due (no timer
        armed, no growth budget), no idle shrink or leak check to re-time, and the
        newest idle session ready as it is (not expired, no ping due).  The decisions are
        :meth:`acquire`'s own (the same policy functions and slot move); only the work
        that would come to nothing is skipped (tests/sansio/test_pool_fast_paths.py).
        """
        r = self._r
        if (r.waiters.queued or r.timer is not None or r.to_create or r.recheck
                or r.phase is not _OPEN or req in r.held or not r.quiet):
            return 0
        cfg = r.cfg
        first = policy.first_idle(r.slots, cfg.cclass, True, False)
        if first is None or not policy.ready(first, now, cfg):
            return 0
        r.stats.requests += 1
        r.take(first, req, now)
        return first.conn

    def release_idle(self, conn: ConnId, *, now: float) -> bool:
        """``release(conn, now=now)`` (no transaction, reusable) when its answer would be
        no action: the session goes back to the idle list and True is returned.
        Otherwise returns False and changes nothing: call :meth:`release`.

        The case taken: an open pool nobody waits in, nothing owed or due, no idle
        shrink or leak check to re-time, ``conn`` held (not a FORCEGET extra) and not past
        its lifetime.  As :meth:`acquire_idle`, the same move as :meth:`release` makes.
        """
        r = self._r
        if (r.waiters.queued or r.timer is not None or r.to_create or r.recheck
                or r.phase is not _OPEN or not r.quiet):
            return False
        slot = r.slots.get(conn)
        if (slot is None or slot.state is not _BUSY or slot.req is None or slot.extra
                or (r.cfg.max_lifetime_session > 0 and policy.expired(slot, now, r.cfg))):
            return False
        r.unhold(slot)
        slot.returned_at = now
        r.slots.apply(slot, _RELEASE)
        return True

    def cancel(self, req: ReqId, *, now: float, timed_out: bool = False) -> list[PoolAction]:
        """The caller of ``req`` is gone.  If it was already handed a connection that
        the driver could not deliver, the connection goes back to the pool.
        ``timed_out``: the caller's own deadline passed and it gets DPY-4005, counted in
        ``statistics.timeouts`` as the machine's own TIMEDWAIT expiries are."""
        acts: list[PoolAction] = []
        w = self._r.waiters.get(req)
        if timed_out and (w is not None or req in self._r.held):
            self._r.stats.timeouts += 1
        if w is not None:
            self._r.leave(w, now)
        elif req in self._r.held:
            slot = self._r.slots.get(self._r.held.pop(req))
            assert slot is not None  # Rules.forget drops a gone slot's holder
            slot.req = None
            slot.held_since = None
            self._r.give_back(slot, Input.RELEASE, now, acts)
        return self._r.finish(acts, now)

    def release(self, conn: ConnId, *, now: float, in_transaction: bool = False,
                reusable: bool = True) -> list[PoolAction]:
        """The holder gives ``conn`` back (docs/pool.md 1.12).

        Raises:
            PoolUsageError: DPY-1001 when ``conn`` is not checked out of this open pool.
        """
        acts: list[PoolAction] = []
        slot = self._r.held_slot(conn, Input.RELEASE)
        if slot is not None:
            self._r.unhold(slot)
            if not reusable:
                self._r.close_slot(slot, Input.DROP, now, acts)
            elif in_transaction:
                deadline = now + self._r.cfg.rollback_give_up
                self._r.slots.apply(slot, Input.ROLL_BACK, deadline=deadline)
                acts.append(RollbackConnection(conn=conn, deadline=deadline))
            else:
                self._r.give_back(slot, Input.RELEASE, now, acts)
        return self._r.finish(acts, now)

    def drop(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """The holder discards ``conn``: close it, refill to ``min`` (docs/pool.md 1.13).

        Raises:
            PoolUsageError: DPY-1001 when ``conn`` is not checked out of this open pool.
        """
        acts: list[PoolAction] = []
        slot = self._r.held_slot(conn, Input.DROP)
        if slot is not None:
            self._r.unhold(slot)
            self._r.close_slot(slot, Input.DROP, now, acts)
        return self._r.finish(acts, now)

    def opened(self, conn: ConnId, *, now: float, jitter: float = 0.0) -> list[PoolAction]:
        """The logon for ``conn`` finished; ``jitter`` in [0, 1) spreads its lifetime.
        A logon that ended after the machine closed it or gave up on it gets a
        ``CloseConnection`` for its session (report its ``closed`` as for any other).

        Raises:
            LocalProtocolError: ``conn`` was never asked to open, or is open already.
        """
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.OPENED)
        if slot is None or slot.state is SlotState.CLOSING:
            self._r.close_late(conn, slot, now, acts)
        else:
            self._r.stats.connections_opened += 1
            slot.counted = True
            self._r.gate.succeeded(jitter)
            slot.created_at = slot.returned_at = now
            slot.jitter = jitter
            w = self._r.waiters.get(slot.req) if slot.req is not None else None
            slot.req = None
            self._r.slots.apply(slot, Input.OPENED)
            if w is not None and w.opening == conn:
                w.opening = None
                self._r.hand_over(slot, w, now, acts)
            else:
                self._r.place(slot, now, acts)
        return self._r.finish(acts, now)

    def open_failed(self, conn: ConnId, code: DpyCode | int, *, now: float,
                    failure: LogonFailure, jitter: float = 0.0,
                    error: BaseException | None = None) -> list[PoolAction]:
        """The logon for ``conn`` failed with ``code`` (``failure``: the driver's
        ``classify_logon_error``; ``error``: the exception, opaque to the machine).  A
        caller it was made for gets ``FailRequest(code, error)``; TRANSIENT is retried after
        a backoff; FATAL halts logons and fails every caller needing one with it, now and
        while the halt lasts."""
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.OPEN_FAILED)
        if slot is not None:
            self._r.gate.jitter = jitter
            self._r.slots.apply(slot, Input.OPEN_FAILED)
            self._r.open_lost(slot, code, now, acts, failure, error)
        return self._r.finish(acts, now)

    def ping_succeeded(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.PING_SUCCEEDED)
        if slot is not None:
            w = self._r.waiters.get(slot.req) if slot.req is not None else None
            slot.req = None
            self._r.slots.apply(slot, Input.PING_SUCCEEDED)
            if w is not None and w.checking == conn:
                w.checking = None
                self._r.hand_over(slot, w, now, acts)
            else:
                self._r.place(slot, now, acts)
        return self._r.finish(acts, now)

    def ping_failed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """A failed ping is silent: the connection is replaced, the waiter keeps waiting."""
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.PING_FAILED)
        if slot is not None:
            self._r.stats.pings_failed += 1
            self._r.close_slot(slot, Input.PING_FAILED, now, acts)
        return self._r.finish(acts, now)

    def rolled_back(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.ROLLED_BACK)
        if slot is not None:
            self._r.give_back(slot, Input.ROLLED_BACK, now, acts)
        return self._r.finish(acts, now)

    def rollback_failed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.ROLLBACK_FAILED)
        if slot is not None:
            self._r.close_slot(slot, Input.ROLLBACK_FAILED, now, acts)
        return self._r.finish(acts, now)

    def closed(self, conn: ConnId, *, now: float) -> list[PoolAction]:
        """``conn``'s close finished, or the driver saw it die (idle, held or mid-action)."""
        acts: list[PoolAction] = []
        slot = self._r.judge(conn, Input.CLOSED)
        if slot is not None and slot.closes_owed:
            slot.closes_owed -= 1  # a late logon's session: one more close to come
        elif slot is not None:
            was = slot.state
            self._r.forget(slot, Input.CLOSED)
            if was is SlotState.OPENING:
                self._r.open_lost(slot, DpyCode.CONNECTION_CLOSED, now, acts,
                                  LogonFailure.TRANSIENT)
            elif was is not SlotState.CLOSING:
                self._r.ensure_min()
        return self._r.finish(acts, now)

    def timer_fired(self, *, now: float) -> list[PoolAction]:
        """Handle everything due at ``now``: expired waiters, give-ups, idle shrink, leaks."""
        acts: list[PoolAction] = []
        for w in self._r.waiters.due(now):
            self._r.fail(w, DpyCode.POOL_NO_CONNECTION_AVAILABLE, now, acts, timeout=True)
        for slot in self._r.slots.due(now):
            self._r.give_up(slot, now, acts)
        if self._r.phase is PoolPhase.OPEN:
            self._r.shrink(now, acts)
            if self._r.cfg.leak_threshold is not None:
                for slot in self._r.slots.leaked(self._r.cfg.leak_threshold, now):
                    slot.leak_reported = True
                    assert slot.held_since is not None  # set by every hand-over
                    acts.append(LeakDetected(conn=slot.conn, held_since=slot.held_since))
        return self._r.finish(acts, now)

    def reconfigure(self, config: PoolConfig, *, now: float) -> list[PoolAction]:
        """Replace the configuration (python-oracledb's run-time setters, and sizes).

        Connections beyond a smaller ``max`` are closed when idle and become extras
        (closed on release) when not.  Raises PoolUsageError DPY-1002 after close.
        """
        if self._r.phase is PoolPhase.CLOSED:
            raise self._r.not_open()
        self._r.configure(config)
        acts: list[PoolAction] = []
        slots = self._r.slots
        while slots.live() > config.max and (idle := slots.oldest_idle()) is not None:
            self._r.close_slot(idle, Input.CLOSE, now, acts)
        excess = slots.live() - config.max
        if excess > 0:  # rare (a setter shrinking max): one pass over the slots
            for slot in slots:
                if excess <= 0:
                    break
                if slot.state is not SlotState.CLOSING and not slot.extra:
                    slots.set_extra(slot, True)
                    excess -= 1
        if self._r.phase is PoolPhase.OPEN:
            self._r.ensure_min()
        return self._r.finish(acts, now)

    def set_attribute(self, name: str, value: object, *, now: float) -> list[PoolAction]:
        """python-oracledb's ``pool.<name> = value`` (docs/pool.md 1.4, quirks in ``_attributes``).

        Raises:
            PoolUsageError: DPY-1002 after close; DPY-3001 for thick-only attributes.
            AttributeError, OverflowError, TypeError, ValueError: as ``with_attribute``.
        """
        if self._r.phase is PoolPhase.CLOSED:
            raise self._r.not_open()
        return self.reconfigure(with_attribute(self._r.cfg, name, value), now=now)

    def get_attribute(self, name: str) -> object:
        """python-oracledb's getter for a writable attribute (DPY-1002 after close)."""
        if self._r.phase is PoolPhase.CLOSED:
            raise self._r.not_open()
        return read_attribute(self._r.cfg, name)

    def close(self, *, force: bool = False, now: float) -> list[PoolAction]:
        """Close the pool (docs/pool.md 1.14).  Waiters fail DPY-1002; every connection,
        held ones included when forced, is asked to close; ``PoolClosed`` follows the
        last ``closed`` (or close give-up).

        Raises:
            PoolUsageError: DPY-1005 when not forced and connections are busy or callers
                wait; DPY-1002 when already closed.
        """
        if self._r.phase is PoolPhase.CLOSED:
            raise self._r.not_open()
        if not force and (self.busy or self._r.waiters):
            raise PoolUsageError(DpyCode.POOL_HAS_BUSY_CONNECTIONS)
        self._r.phase = PoolPhase.CLOSED
        self._r.to_create = 0
        self._r.gate.retry_at = None
        acts: list[PoolAction] = []
        for w in self._r.waiters:
            self._r.fail(w, DpyCode.POOL_NOT_OPEN, now, acts)
        for slot in self._r.slots:
            if slot.state is not SlotState.CLOSING:
                if slot.state in HELD and slot.req is not None:
                    self._r.unhold(slot)
                self._r.close_slot(slot, Input.CLOSE, now, acts)
        return self._r.finish(acts, now)

