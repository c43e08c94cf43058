"""Every (slot state, input) pair of the pool's slot table (``pool/_slots.py``), as
tests/sansio/test_connection_states.py does for the connection machines: through
``Slots.apply`` for every input, and through ``PoolMachine`` for the driver's reports."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from oracle_sansio.errors import LocalProtocolError
from oracle_sansio.pool import (
    MOVES, Fate, HandOver, Input, LogonFailure, PoolConfig, PoolGetMode, PoolMachine,
    PoolUsageError, SlotState,
)
from oracle_sansio.pool._slots import WAITING_ON_DRIVER, Slot, Slots

#: A way into each state from OPENING, through the table.
PATHS: dict[SlotState, list[Input]] = {
    SlotState.OPENING: [],
    SlotState.IDLE: [Input.OPENED],
    SlotState.CHECKING: [Input.OPENED, Input.PING],
    SlotState.BUSY: [Input.OPENED, Input.HAND_OVER],
    SlotState.RESETTING: [Input.OPENED, Input.HAND_OVER, Input.ROLL_BACK],
    SlotState.CLOSING: [Input.CLOSE],
}


def _deadline(nxt: object) -> float | None:
    return 9.0 if nxt in WAITING_ON_DRIVER else None


def _slot_in(state: SlotState) -> tuple[Slots, Slot]:
    slots = Slots()
    slot = slots.create(1, deadline=5.0, cclass=None, extra=False, now=0.0, req=None)
    for inp in PATHS[state]:
        if inp is Input.HAND_OVER:
            slot.held_since = 0.0
        slots.apply(slot, inp, deadline=_deadline(MOVES[slot.state][inp]))
    assert slot.state is state
    return slots, slot


@pytest.mark.parametrize(("state", "inp"), list(itertools.product(SlotState, Input)))
def test_slot_table(state: SlotState, inp: Input) -> None:
    """A pair in the table moves the slot where the table says and keeps the index in
    step; a missing pair raises and leaves the slot and the index as they were."""
    slots, slot = _slot_in(state)
    nxt = MOVES[state].get(inp)
    if nxt is None:
        with pytest.raises(LocalProtocolError, match=inp.value):
            slots.apply(slot, inp, deadline=9.0)
        assert slot.state is state and slots.count(state) == 1 and slots.get(1) is slot
        return
    if inp is Input.HAND_OVER:
        slot.held_since = 0.0
    assert slots.apply(slot, inp, deadline=_deadline(nxt)) is nxt
    if nxt is Fate.GONE:
        assert slots.get(1) is None and len(slots) == 0
        assert sum(slots.count(s) for s in SlotState) == 0
    elif nxt is Fate.IGNORED:
        assert slot.state is state and slots.count(state) == 1
    else:
        assert slot.state is nxt and slots.count(nxt) == 1 and len(slots) == 1
        assert (slot.deadline is not None) == (nxt in WAITING_ON_DRIVER)
        assert (list(slots.free(True)) == [slot]) == (nxt is SlotState.IDLE)


def test_a_waiting_state_needs_its_deadline() -> None:
    slots, slot = _slot_in(SlotState.IDLE)
    with pytest.raises(LocalProtocolError):
        slots.apply(slot, Input.CLOSE)  # CLOSING waits on the driver: a give-up is owed
    with pytest.raises(LocalProtocolError):
        slots.apply(slot, Input.HAND_OVER, deadline=3.0)  # BUSY waits on nobody
    assert slot.state is SlotState.IDLE


def test_table_shape() -> None:
    # Every state is reachable from OPENING, every state can be closed or lost, and
    # only CLOSING ignores anything (late completions after the machine gave up).
    reachable = {SlotState.OPENING} | {n for moves in MOVES.values() for n in moves.values()
                                       if isinstance(n, SlotState)}
    assert reachable == set(SlotState)
    for state, moves in MOVES.items():
        assert moves[Input.CLOSED] is Fate.GONE
        assert state is SlotState.CLOSING or moves[Input.CLOSE] is SlotState.CLOSING
        assert (Fate.IGNORED in moves.values()) == (state is SlotState.CLOSING)
    # Only states waiting on the driver have a give-up.
    assert {s for s, m in MOVES.items() if Input.GIVE_UP in m} == WAITING_ON_DRIVER


# ------------------------------------------------------ through the machine's inputs
def _machine_in(state: SlotState) -> PoolMachine:
    """A one-connection pool whose connection 1 is in ``state``."""
    m = PoolMachine(PoolConfig(min=1, max=1, ping_interval=0 if state is SlotState.CHECKING
                               else -1))
    m.open(now=0)
    if state is not SlotState.OPENING:
        m.opened(1, now=0)
    if state in (SlotState.CHECKING, SlotState.BUSY, SlotState.RESETTING, SlotState.CLOSING):
        m.acquire(1, now=1)
    if state is SlotState.RESETTING:
        m.release(1, now=2, in_transaction=True)
    if state is SlotState.CLOSING:
        m.drop(1, now=2)
    assert m.slot_states()[1] is state
    return m


REPORTS: dict[Input, Callable[[PoolMachine], object]] = {
    Input.OPENED: lambda m: m.opened(1, now=3),
    Input.OPEN_FAILED: lambda m: m.open_failed(1, 6005, now=3, failure=LogonFailure.TRANSIENT),
    Input.PING_SUCCEEDED: lambda m: m.ping_succeeded(1, now=3),
    Input.PING_FAILED: lambda m: m.ping_failed(1, now=3),
    Input.ROLLED_BACK: lambda m: m.rolled_back(1, now=3),
    Input.ROLLBACK_FAILED: lambda m: m.rollback_failed(1, now=3),
    Input.CLOSED: lambda m: m.closed(1, now=3),
    Input.RELEASE: lambda m: m.release(1, now=3),
    Input.DROP: lambda m: m.drop(1, now=3),
}
#: Where the machine's own moves may take a slot the table made IDLE, in the same input.
ONWARD: dict[SlotState, set[SlotState]] = {
    SlotState.IDLE: {SlotState.IDLE, SlotState.BUSY, SlotState.CHECKING, SlotState.CLOSING},
}


@pytest.mark.parametrize(("state", "inp"), list(itertools.product(SlotState, REPORTS)))
def test_machine_reports(state: SlotState, inp: Input) -> None:
    """Every driver report in every state: a pair not in the table is a driver bug
    (LocalProtocolError; DPY-1001 for release/drop of what is not held), an ignored one
    changes nothing, a legal one lands where the table says (and onward, in the same
    input, by the machine's own moves)."""
    m = _machine_in(state)
    nxt = MOVES[state].get(inp)
    held_only = inp in (Input.RELEASE, Input.DROP)
    if nxt is None or (held_only and not isinstance(nxt, SlotState)):
        with pytest.raises(PoolUsageError if held_only else LocalProtocolError):
            REPORTS[inp](m)
        assert m.slot_states()[1] is state
        return
    REPORTS[inp](m)
    after = m.slot_states().get(1)
    if nxt is Fate.GONE:
        assert after is None
    elif nxt is Fate.IGNORED:
        assert after is state
    else:
        assert after in ONWARD.get(nxt, {nxt}), (nxt, after)


def test_the_index_stays_bounded() -> None:
    """Timeline entries of slots (and waiters) that moved on are dropped: 5,000 hand-overs
    and releases on 10 slots leave every heap within twice what it can hold plus 33."""
    m = PoolMachine(PoolConfig(min=10, max=10, ping_interval=-1, timeout=60,
                               leak_threshold=600, getmode=PoolGetMode.TIMEDWAIT,
                               wait_timeout=1000))
    m.open(now=0)
    for conn in range(1, 11):
        m.opened(conn, now=0)
    for req in range(5000):
        acts = m.acquire(req, now=req)
        m.release(next(a.conn for a in acts if isinstance(a, HandOver)), now=req)
    slots = m._r.slots  # private: the heaps are what is measured
    for timeline in (slots._deadlines, slots._idle_since, slots._held_since):
        assert len(timeline._heap) <= 2 * 10 + 33
    assert len(m._r.waiters._expiries) <= 33


def test_the_waiters_order_stays_bounded_and_fifo() -> None:
    """Waiters that leave from the middle (cancelled) stay in the arrival deque until they
    reach its front or outnumber the live ones: 2,000 callers, three in four cancelled,
    keep the deque within twice the live waiters plus 33, and the rest are served in order."""
    m = PoolMachine(PoolConfig(min=1, max=1, ping_interval=-1))
    m.open(now=0)
    m.opened(1, now=0)
    m.acquire(0, now=0)
    for req in range(1, 2001):
        m.acquire(req, now=0)
        if req % 4:
            m.cancel(req, now=0)
        assert len(m._r.waiters._order) <= 2 * m.waiting + 33  # private: the deque is what is measured
    served = []
    for _ in range(500):
        served += [a.req for a in m.release(1, now=1) if isinstance(a, HandOver)]
    assert served == list(range(4, 2001, 4)) and m.waiting == 0
    assert len(m._r.waiters._order) == 0
