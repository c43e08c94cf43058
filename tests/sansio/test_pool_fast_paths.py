"""PoolMachine.acquire_idle / release_idle (issue 14, pool): the usual acquire and
release without action objects.  They must be exactly acquire() / release() for the
cases they take, and change nothing for the others.

The differential run drives two machines with the same random inputs (the stateful
fuzz of test_pool_stateful.py, its invariants included): one takes every input through
the general methods, the other tries the fast paths first.  Actions, slot states,
statistics, waiters and the next deadline must agree after every step.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from oracle_sansio.pool import (
    CloseConnection, HandOver, OpenConnection, PingConnection, PoolAction, PoolConfig, PoolMachine,
    RollbackConnection, SlotState,
)

from .test_pool_stateful import EXAMPLES, PoolFuzz, configs


def _outcome(call: Any) -> tuple[str, object]:
    try:
        return "ok", call()
    except Exception as exc:  # the same error type and text from both machines
        return type(exc).__name__, str(exc)


class Twin:
    """Two machines fed alike; ``b`` takes the fast paths wherever they apply.  Reads go
    to ``a`` (after checking that ``b`` agrees)."""

    def __init__(self, cfg: PoolConfig) -> None:
        self.a = PoolMachine(cfg)
        self.b = PoolMachine(cfg)
        self.fast_acquires = 0
        self.fast_releases = 0

    def _agree(self) -> None:
        a, b = self.a, self.b
        assert a.slot_states() == b.slot_states()
        assert a.statistics == b.statistics
        assert a.waiting == b.waiting and a.busy == b.busy and a.idle == b.idle
        assert a.next_deadline == b.next_deadline
        assert a.phase is b.phase
        assert a._r.slots.pending == b._r.slots.pending  # private: what next_deadline skips on

    def _both(self, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            value = getattr(self.a, name)(*args, **kwargs)
        except Exception as exc:
            assert _outcome(lambda: getattr(self.b, name)(*args, **kwargs)) == (type(exc).__name__, str(exc))
            self._agree()
            raise  # the fuzz expects some (DPY-1005 from close, for one)
        assert getattr(self.b, name)(*args, **kwargs) == value, name
        self._agree()
        return value

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.a, name)
        if not callable(value):
            assert name.startswith("_") or value == getattr(self.b, name), name
            return value
        return lambda *args, **kwargs: self._both(name, *args, **kwargs)

    def acquire(self, req: int, *, now: float, cclass: str | None = None, wants_new: bool = False,
                again: bool = False) -> list[PoolAction]:
        acts_a = self.a.acquire(req, now=now, cclass=cclass, wants_new=wants_new, again=again)
        conn = 0
        if cclass is None and not wants_new and not again:
            conn = self.b.acquire_idle(req, now=now)
        if conn:
            self.fast_acquires += 1
            acts_b: list[PoolAction] = [HandOver(req=req, conn=conn)]
        else:
            acts_b = self.b.acquire(req, now=now, cclass=cclass, wants_new=wants_new, again=again)
        assert acts_a == acts_b
        self._agree()
        return acts_a

    def release(self, conn: int, *, now: float, in_transaction: bool = False,
                reusable: bool = True) -> list[PoolAction]:
        acts_a = self.a.release(conn, now=now, in_transaction=in_transaction, reusable=reusable)
        if not in_transaction and reusable and self.b.release_idle(conn, now=now):
            self.fast_releases += 1
            acts_b: list[PoolAction] = []
        else:
            acts_b = self.b.release(conn, now=now, in_transaction=in_transaction, reusable=reusable)
        assert acts_a == acts_b
        self._agree()
        return acts_a


class FastPathFuzz(PoolFuzz):
    @initialize(cfg=configs)
    def start(self, cfg: PoolConfig) -> None:
        self.m = Twin(cfg)  # type: ignore[assignment]  # a PoolMachine for every read the fuzz makes
        self.apply(self.m.open(now=self.now))


FastPathFuzz.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestFastPathFuzz = FastPathFuzz.TestCase


def _one_session_pool(**config: Any) -> PoolMachine:
    m = PoolMachine(PoolConfig(min=1, max=1, **config))
    m.open(now=0.0)
    m.opened(1, now=0.0)
    return m


def test_the_usual_cycle_takes_the_fast_paths() -> None:
    m = _one_session_pool()
    for req in range(1, 4):
        assert m.acquire_idle(req, now=1.0) == 1
        assert m.state_of(1) is SlotState.BUSY
        assert m.release_idle(1, now=1.0)
        assert m.state_of(1) is SlotState.IDLE
    assert m.statistics.requests == 3 and m.busy == 0 and m.next_deadline is None


@pytest.mark.parametrize("config", [{"timeout": 5}, {"leak_threshold": 5.0}])
def test_a_timeline_to_re_time_refuses_them(config: dict[str, Any]) -> None:
    m = _one_session_pool(**config)
    assert m.acquire_idle(1, now=1.0) == 0
    assert m.acquire(1, now=1.0)[0] == HandOver(req=1, conn=1)
    assert not m.release_idle(1, now=1.0)
    assert m.state_of(1) is SlotState.BUSY and m.statistics.requests == 1


def test_a_waiter_a_ping_due_or_an_expired_session_refuses_them() -> None:
    m = _one_session_pool(ping_interval=10)
    assert m.acquire_idle(1, now=20.0) == 0  # idle 20 s: a ping is due first
    assert m.statistics.requests == 0
    m = _one_session_pool()
    assert m.acquire_idle(1, now=1.0) == 1
    m.acquire(2, now=1.0)  # waits
    assert m.acquire_idle(3, now=1.0) == 0
    assert not m.release_idle(1, now=1.0)  # release hands it to request 2
    assert m.release(1, now=1.0) == [HandOver(req=2, conn=1)]
    m = _one_session_pool(max_lifetime_session=10)
    assert m.acquire_idle(1, now=1.0) == 1
    assert not m.release_idle(1, now=11.0)  # past its lifetime: release closes it
    assert m.state_of(1) is SlotState.BUSY


class QuietPoolTwin(RuleBasedStateMachine):
    """The fast paths' own ground: pools mostly without idle shrink, leak checks or pings
    due, where sessions are opened, handed out and given back many times (the broad fuzz
    above rarely gets there)."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.next_req = 1
        self.held: list[int] = []
        self.opening: list[int] = []

    @initialize(mn=st.integers(1, 3), extra=st.integers(0, 2), ping=st.sampled_from([-1, 60, 2]),
                timeout=st.sampled_from([0, 0, 0, 5]), mls=st.sampled_from([0, 0, 10]),
                leak=st.sampled_from([None, None, None, 3.0]))
    def start(self, mn: int, extra: int, ping: int, timeout: int, mls: int, leak: float | None) -> None:
        self.m = Twin(PoolConfig(min=mn, max=mn + extra, ping_interval=ping, timeout=timeout,
                                 max_lifetime_session=mls, leak_threshold=leak))
        self.track(self.m.open(now=self.now))

    def track(self, acts: list[PoolAction]) -> None:
        for a in acts:
            if isinstance(a, OpenConnection):
                self.opening.append(a.conn)
            elif isinstance(a, HandOver):
                self.held.append(a.conn)
            elif isinstance(a, PingConnection):
                self.track(self.m.ping_succeeded(a.conn, now=self.now))
            elif isinstance(a, RollbackConnection):
                self.track(self.m.rolled_back(a.conn, now=self.now))
            elif isinstance(a, CloseConnection):
                if a.conn in self.held:
                    self.held.remove(a.conn)
                if a.conn in self.opening:
                    self.opening.remove(a.conn)
                self.track(self.m.closed(a.conn, now=self.now))

    @rule()
    def open_one(self) -> None:
        if self.opening:
            self.track(self.m.opened(self.opening.pop(0), now=self.now))

    @rule(cclass=st.sampled_from([None, None, None, "X"]))
    def acquire(self, cclass: str | None) -> None:
        req, self.next_req = self.next_req, self.next_req + 1
        self.track(self.m.acquire(req, now=self.now, cclass=cclass))

    @rule(data=st.data(), txn=st.sampled_from([False, False, False, True]),
          reusable=st.sampled_from([True, True, True, False]))
    def release(self, data: st.DataObject, txn: bool, reusable: bool) -> None:
        if self.held:
            conn = data.draw(st.sampled_from(self.held))
            self.held.remove(conn)
            self.track(self.m.release(conn, now=self.now, in_transaction=txn, reusable=reusable))

    @rule(dt=st.sampled_from([0.0, 0.5, 3.0, 12.0]))
    def time_passes(self, dt: float) -> None:
        self.now += dt
        self.track(self.m.timer_fired(now=self.now))



QuietPoolTwin.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestQuietPoolTwin = QuietPoolTwin.TestCase


def test_the_twin_takes_the_fast_paths_on_a_quiet_pool() -> None:
    """The harness above really compares the fast paths (a random run may not reach them: this
    one always does): a warm pool of one, acquired and released with nothing else due."""
    m = Twin(PoolConfig(min=1, max=1, ping_interval=-1))
    opening = [a.conn for a in m.open(now=0.0) if isinstance(a, OpenConnection)]
    m.opened(opening[0], now=0.0)
    for req in range(1, 4):
        handed = [a for a in m.acquire(req, now=float(req)) if isinstance(a, HandOver)]
        assert [a.conn for a in handed] == opening
        assert m.release(opening[0], now=float(req), in_transaction=False, reusable=True) == []
    assert (m.fast_acquires, m.fast_releases) == (3, 3)
