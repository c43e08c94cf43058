"""Work counting: an acquire/release pair, or a timer with nothing due, executes as
many lines of the pool machine on a pool of 1,000 idle connections as on one of 100
(slots are indexed by state, ``pool/_slots.py``; before the index every input counted
every slot several times: 10x the lines at 1,000 slots, 35,363 -> 323,363 for the
acquire/release test, 29,080 -> 281,080 for the timer test).  Likewise a release
handed to the first of 10,000 waiting callers as to the first of 1,000 (before the
waiters' index: 29,094 -> 285,594 lines from 100 to 1,000, the waiters' expiries and
the serving pass scanned every waiter)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import oracle_sansio.pool as pool_pkg
from oracle_sansio.pool import HandOver, PoolConfig, PoolGetMode, PoolMachine

_POOL_DIR = os.path.dirname(pool_pkg.__file__) + os.sep


def _warm(size: int) -> PoolMachine:
    """``size`` idle connections, with idle shrink and leak checks armed (not due)."""
    m = PoolMachine(PoolConfig(min=size, max=size, ping_interval=-1, timeout=60,
                               leak_threshold=600))
    m.open(now=0)
    for conn in range(1, size + 1):
        m.opened(conn, now=0)
    assert m.idle == size
    return m


def _lines(work: Callable[[], None]) -> int:
    """Lines of ``oracle_sansio/pool`` that ``work`` executes."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(_POOL_DIR):
            return None
        count += event == "line"
        return tracer

    previous = sys.gettrace()  # a coverage tracer, if any, gets its place back
    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def _acquire_release(m: PoolMachine) -> None:
    for req in range(1, 21):
        acts = m.acquire(req, now=1)
        m.release(next(a.conn for a in acts if isinstance(a, HandOver)), now=1)


def _timers(m: PoolMachine) -> None:
    for step in range(20):
        m.timer_fired(now=1 + step)


def test_acquire_release_work_does_not_grow_with_the_pool() -> None:
    small, large = (_lines(lambda: _acquire_release(_m)) for _m in (_warm(100), _warm(1000)))
    assert large <= small * 1.1, (small, large)  # measured: equal, up to 10,000 slots


def test_timer_work_does_not_grow_with_the_pool() -> None:
    small, large = (_lines(lambda: _timers(_m)) for _m in (_warm(100), _warm(1000)))
    assert large <= small * 1.1, (small, large)


def _queue(waiting: int) -> PoolMachine:
    """One connection, held by request 0; ``waiting`` TIMEDWAIT callers queued behind."""
    m = PoolMachine(PoolConfig(min=1, max=1, ping_interval=-1, getmode=PoolGetMode.TIMEDWAIT,
                               wait_timeout=60_000))
    m.open(now=0)
    m.opened(1, now=0)
    for req in range(waiting + 1):
        m.acquire(req, now=0)
    assert m.waiting == waiting
    return m


def _hand_down(m: PoolMachine) -> None:
    for _ in range(20):
        assert any(isinstance(a, HandOver) for a in m.release(1, now=1))
    m.acquire(10**6, now=1)


def test_release_to_a_queue_does_not_grow_with_the_queue() -> None:
    small, large = (_lines(lambda: _hand_down(_m)) for _m in (_queue(1000), _queue(10_000)))
    assert large <= small * 1.1, (small, large)
