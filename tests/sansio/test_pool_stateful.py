"""Random inputs, random completions and failures, random time jumps against
PoolMachine, checking the pool's invariants (docs/architecture.md, "Pool machine") after every step.

``POOL_FUZZ_EXAMPLES`` selects a bigger run (nightly style):
``POOL_FUZZ_EXAMPLES=2000 pytest tests/sansio/test_pool_stateful.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from oracle_sansio.pool import (
    CloseConnection, FailRequest, HandOver, OpenConnection, PingConnection, PoolAction, PoolClosed,
    LogonFailure, PoolConfig, PoolGetMode, PoolMachine, PoolPhase, PoolUsageError, RollbackConnection,
    SetTimer, SlotState,
)
from oracle_sansio.pool._slots import WAITING_ON_DRIVER

EXAMPLES = int(os.environ.get("POOL_FUZZ_EXAMPLES", "100"))

configs = st.builds(
    lambda mn, extra, inc, gm, pi, to, mls, conc, wt: PoolConfig(
        min=mn, max=mn + extra, increment=inc, getmode=gm, ping_interval=pi, timeout=to,
        max_lifetime_session=mls, max_concurrent_opens=conc, wait_timeout=wt,
        open_give_up=20, ping_give_up=5, rollback_give_up=5, close_give_up=5,
        open_retry_backoff_base=0.5, open_retry_backoff_max=4),
    st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.sampled_from(list(PoolGetMode)),
    st.sampled_from([-1, 0, 3]), st.sampled_from([0, 4]), st.sampled_from([0, 15]),
    st.sampled_from([None, 1, 2]), st.sampled_from([0, 500, 3000]))


@dataclass(frozen=True, slots=True)
class Request:
    cclass: str | None
    wants_new: bool
    #: TIMEDWAIT when it asked: it has a deadline.
    timed: bool
    #: logons were halted when it asked: needed (not enough: a probe it shared may have
    #: failed since) to start the probe (oracle_sansio/pool/_logons.py).
    may_probe: bool


class PoolFuzz(RuleBasedStateMachine):
    m: PoolMachine

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.next_req = 1
        self.outcomes: dict[int, int] = {}
        self.waiting: set[int] = set()
        self.held: dict[int, int] = {}  # conn -> req
        self.asked: dict[str, set[int]] = {k: set() for k in ("open", "ping", "rollback", "close")}
        #: logons whose slot was closed (given up on, pool closed) while they ran, not reported.
        self.abandoned: set[int] = set()
        #: ``closed`` reports owed beyond the one ``asked["close"]`` stands for.
        self.more_closes: dict[int, int] = {}
        self.closed_called = False
        self.pool_closed = 0
        self.cancelled_waiting: set[int] = set()
        #: what the machine knows of each request and connection (for ``no_waiter_is_stranded``).
        self.requests: dict[int, Request] = {}
        self.conn_class: dict[int, str | None] = {}

    @initialize(cfg=configs)
    def start(self, cfg: PoolConfig) -> None:
        self.m = PoolMachine(cfg)
        self.apply(self.m.open(now=self.now))

    # ------------------------------------------------------------ bookkeeping
    def apply(self, acts: list[PoolAction]) -> None:
        states = self.m.slot_states()
        for a in acts:
            if isinstance(a, OpenConnection):
                assert not self.closed_called, "open asked for after close"
                self.asked["open"].add(a.conn)
                self.conn_class[a.conn] = a.cclass
                assert a.deadline >= self.now
            elif isinstance(a, PingConnection):
                self.asked["ping"].add(a.conn)
            elif isinstance(a, RollbackConnection):
                self.asked["rollback"].add(a.conn)
            elif isinstance(a, CloseConnection):
                if a.conn in self.asked["open"]:
                    self.abandoned.add(a.conn)
                if a.conn in self.asked["close"]:
                    self.more_closes[a.conn] = self.more_closes.get(a.conn, 0) + 1
                for k in ("open", "ping", "rollback"):
                    self.asked[k].discard(a.conn)
                self.asked["close"].add(a.conn)
                self.held.pop(a.conn, None)
                assert a.deadline >= self.now
            elif isinstance(a, HandOver):
                assert a.conn not in self.held, "connection handed to two holders"
                assert states.get(a.conn) is SlotState.BUSY
                self.resolve(a.req)
                self.held[a.conn] = a.req
                self.asked["open"].discard(a.conn)
                self.asked["ping"].discard(a.conn)
            elif isinstance(a, FailRequest):
                self.resolve(a.req)
            elif isinstance(a, SetTimer):
                assert a.at is None or a.at >= self.now
            elif isinstance(a, PoolClosed):
                self.pool_closed += 1
                assert self.pool_closed == 1
            else:
                pass  # LeakDetected: nothing to track

    def resolve(self, req: int) -> None:
        assert req in self.outcomes, f"unknown request {req}"
        self.outcomes[req] += 1
        assert self.outcomes[req] == 1, f"request {req} resolved twice"
        self.waiting.discard(req)

    # ------------------------------------------------------------------ rules
    @rule(cclass=st.sampled_from([None, None, "X"]), wants_new=st.booleans())
    def acquire(self, cclass: str | None, wants_new: bool) -> None:
        req = self.next_req
        self.next_req += 1
        self.outcomes[req] = 0
        self.waiting.add(req)
        cfg = self.m.config
        self.requests[req] = Request(
            cclass=cclass, wants_new=wants_new,
            timed=cfg.getmode is PoolGetMode.TIMEDWAIT, may_probe=self.m.logons_halted)
        self.apply(self.m.acquire(req, now=self.now, cclass=cclass, wants_new=wants_new))

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        pool = sorted(self.waiting) + sorted(self.held.values())
        if pool:
            req = data.draw(st.sampled_from(pool))
            if req in self.waiting:
                self.cancelled_waiting.add(req)  # the caller is gone: no outcome owed
            self.waiting.discard(req)
            for c, r in list(self.held.items()):
                if r == req:
                    del self.held[c]
            self.apply(self.m.cancel(req, now=self.now))

    @rule(data=st.data(), txn=st.booleans(), reusable=st.booleans(), drop=st.booleans())
    def give_back(self, data: st.DataObject, txn: bool, reusable: bool, drop: bool) -> None:
        if self.held:
            conn = data.draw(st.sampled_from(sorted(self.held)))
            del self.held[conn]
            if drop:
                self.apply(self.m.drop(conn, now=self.now))
            else:
                self.apply(self.m.release(conn, now=self.now, in_transaction=txn,
                                          reusable=reusable))

    @rule(data=st.data(), ok=st.booleans(), jitter=st.floats(0, 0.99),
          failure=st.sampled_from(list(LogonFailure)))
    def complete(self, data: st.DataObject, ok: bool, jitter: float, failure: LogonFailure) -> None:
        kinds = [k for k, v in self.asked.items() if v]
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds))
        conn = data.draw(st.sampled_from(sorted(self.asked[kind])))
        self.asked[kind].discard(conn)
        m, now = self.m, self.now
        if kind == "open":
            acts = m.opened(conn, now=now, jitter=jitter) if ok else m.open_failed(
                conn, 6005 if failure is LogonFailure.TRANSIENT else 1017, now=now, failure=failure,
                jitter=jitter)
            if not ok and failure is LogonFailure.FATAL:
                # Halted: nothing is retried, and no waiter that needs a logon is left waiting.
                assert m.logons_halted and not any(isinstance(a, OpenConnection) for a in acts)
        elif kind == "ping":
            acts = m.ping_succeeded(conn, now=now) if ok else m.ping_failed(conn, now=now)
        elif kind == "rollback":
            acts = m.rolled_back(conn, now=now) if ok else m.rollback_failed(conn, now=now)
        else:
            acts = self.report_closed(conn)
        self.apply(acts)

    def report_closed(self, conn: int) -> list[PoolAction]:
        if self.more_closes.get(conn):
            self.more_closes[conn] -= 1
            self.asked["close"].add(conn)
        return self.m.closed(conn, now=self.now)

    @rule(data=st.data())
    def late_logon(self, data: st.DataObject) -> None:
        """A logon the machine closed or gave up on while it ran ends anyway (its close
        reported or not): the machine asks to close that session too, and counts it nowhere."""
        if self.abandoned:
            self.logon_ends_late(data.draw(st.sampled_from(sorted(self.abandoned))))

    def logon_ends_late(self, conn: int) -> None:
        self.abandoned.discard(conn)
        m = self.m
        before = (m.open_count, m.idle, m.busy, m.statistics)
        acts = m.opened(conn, now=self.now)
        assert [a for a in acts if not isinstance(a, SetTimer)] == [
            CloseConnection(conn=conn, deadline=self.now + m.config.close_give_up)]
        assert (m.open_count, m.idle, m.busy, m.statistics) == before
        assert m.state_of(conn) is SlotState.CLOSING
        self.apply(acts)
        assert m.opened(conn, now=self.now) == []  # a second late report: harmless

    @rule(data=st.data())
    def lose_idle(self, data: st.DataObject) -> None:
        idle = sorted(c for c, s in self.m.slot_states().items() if s is SlotState.IDLE)
        if idle:
            self.apply(self.m.closed(data.draw(st.sampled_from(idle)), now=self.now))

    @rule(dt=st.sampled_from([0.0, 0.3, 1.0, 4.0, 30.0]), to_deadline=st.booleans())
    def time_passes(self, dt: float, to_deadline: bool) -> None:
        nd = self.m.next_deadline
        if to_deadline and nd is not None:
            self.now = max(self.now, nd)
        else:
            self.now += dt
        halted = self.m.logons_halted
        acts = self.m.timer_fired(now=self.now)
        # Halted logons are never retried by the pool itself, whatever time passes.
        assert not (halted and any(isinstance(a, OpenConnection) for a in acts))
        self.apply(acts)

    @rule(force=st.booleans())
    def close(self, force: bool) -> None:
        try:
            acts = self.m.close(force=force, now=self.now)
        except PoolUsageError:
            assert self.closed_called or not force
            return
        self.closed_called = True
        self.apply(acts)
        assert self.m.waiting == 0 and not self.waiting
        self.held.clear()

    @rule(name=st.sampled_from(["getmode", "wait_timeout", "timeout", "ping_interval",
                                "max_lifetime_session"]),
          value=st.sampled_from([0, 1, 3, 500]), mode=st.sampled_from(list(PoolGetMode)))
    def set_attribute(self, name: str, value: int, mode: PoolGetMode) -> None:
        if self.closed_called:
            return
        self.apply(self.m.set_attribute(name, mode if name == "getmode" else value, now=self.now))

    def teardown(self) -> None:
        """Drain: force-close, complete every outstanding action, then check that every
        request ended in exactly one hand-over or failure and the pool closed exactly once."""
        if not hasattr(self, "m"):
            return
        if not self.closed_called:
            self.close(force=True)
        assert self.closed_called
        for _ in range(1000):
            pending = sorted((k, c) for k, v in self.asked.items() for c in v)
            if pending:
                kind, conn = pending[0]
                self.asked[kind].discard(conn)
                if kind == "close":
                    self.apply(self.report_closed(conn))
                continue
            if self.abandoned:  # some abandoned logons end late, whatever their close did
                self.logon_ends_late(min(self.abandoned))
                continue
            nd = self.m.next_deadline
            if nd is None:
                break
            self.now = max(self.now, nd)
            self.apply(self.m.timer_fired(now=self.now))
        else:
            raise AssertionError("the pool did not drain")
        assert self.m.slot_states() == {} and self.m.next_deadline is None
        assert self.pool_closed == 1
        assert not self.waiting and self.m.waiting == 0
        for req, n in self.outcomes.items():
            assert n == (0 if req in self.cancelled_waiting else 1), (req, n)
        self.apply(self.m.timer_fired(now=self.now + 1000))  # nothing more is asked for

    # ------------------------------------------------------------- invariants
    @invariant()
    def counts_agree(self) -> None:
        if not hasattr(self, "m"):
            return
        m = self.m
        states = m.slot_states()
        live = sum(1 for c, s in states.items() if s is not SlotState.CLOSING and not m.is_extra(c))
        assert live <= m.config.max
        checking = sum(1 for s in states.values() if s is SlotState.CHECKING)
        assert m.open_count == m.busy + m.idle + checking
        stats = m.statistics
        assert stats.connections_closed <= stats.connections_opened
        held = {c for c, s in states.items() if s is SlotState.BUSY}
        assert set(self.held) <= held
        assert m.waiting == len(self.waiting)
        if self.closed_called and not states:
            assert self.pool_closed == 1

    @invariant()
    def no_waiter_is_stranded(self) -> None:
        """Every caller still waiting on the open pool will be served or failed by some
        input the machine is owed: its TIMEDWAIT deadline; the completion of a logon, ping
        or rollback in flight (each has a give-up deadline; a logon's success lifts a halt,
        its failure while halted fails every caller needing one); or the release of a held
        session.  Halted, a caller who was waiting before the halt may not log on, so only
        a held session that suits it (cclass; purity NEW takes no used session) counts;
        any other caller gets room for its own logon, or the probe, from any release
        (with ``max`` 0 only from a reconfigure: python-oracledb waits likewise)."""
        if not hasattr(self, "m") or self.m.phase is not PoolPhase.OPEN:
            return
        states = self.m.slot_states()
        if any(s in (SlotState.OPENING, SlotState.CHECKING, SlotState.RESETTING)
               for s in states.values()):
            return
        held = [self.conn_class.get(c) for c, s in states.items() if s is SlotState.BUSY]
        for req in self.waiting:
            r = self.requests[req]
            if r.timed:
                continue
            if self.m.logons_halted and not r.may_probe:
                assert not r.wants_new and any(r.cclass is None or c == r.cclass for c in held), (
                    f"request {req} waits for a session nothing can give it")
            else:  # max 0: it waits for a reconfigure that makes room, as python-oracledb's
                assert held or self.m.config.max == 0, (
                    f"request {req} waits on a pool with nothing in flight or held")

    @invariant()
    def index_agrees_with_the_slots(self) -> None:
        """The counts the machine reads from its index of slots by state equal a scan."""
        if not hasattr(self, "m"):
            return
        m = self.m
        states = list(m.slot_states().values())
        assert m.idle == states.count(SlotState.IDLE)
        assert m.busy == states.count(SlotState.BUSY) + states.count(SlotState.RESETTING)
        assert m.open_count == len(states) - states.count(SlotState.OPENING) - states.count(
            SlotState.CLOSING)
        # private: the count that lets next_deadline skip the give-up timeline
        assert m._r.slots.pending == sum(s in WAITING_ON_DRIVER for s in states)


# CI: 100 runs x up to 40 steps (~4000 steps, ~2 s); each run ends in teardown()'s drain.
PoolFuzz.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestPoolFuzz = PoolFuzz.TestCase
