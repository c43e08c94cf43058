"""Exact-action scripts for oracle_sansio.pool.PoolMachine (postgres-nio style):
build the machine, feed one input with an explicit ``now``, compare the action list.
Rules cite docs/pool.md section 1."""

from __future__ import annotations

import pytest

from oracle_sansio.errors import LocalProtocolError
from oracle_sansio.pool import (
    MOVES, CloseConnection, DpyCode, FailRequest, HandOver, Input, LeakDetected, LogonFailure,
    OpenConnection,
    PingConnection, PoolClosed, PoolConfig, PoolGetMode, PoolMachine, PoolUsageError,
    RollbackConnection, SetTimer, SlotState, message_for,
)

OG = 120.0  # default open give-up
CG = 60.0   # default close give-up
PG = 60.0   # default ping give-up
RG = 120.0  # default rollback give-up
NO_PING = -1
TRANSIENT, FATAL = LogonFailure.TRANSIENT, LogonFailure.FATAL


def started(cfg: PoolConfig) -> PoolMachine:
    """Open the pool and complete its ``min`` background logons at t=0 (the first one
    alone: until a logon succeeds the pool's own logons go one at a time)."""
    m = PoolMachine(cfg)
    pending = [a.conn for a in m.open(now=0) if isinstance(a, OpenConnection)]
    while pending:
        pending += [a.conn for a in m.opened(pending.pop(0), now=0) if isinstance(a, OpenConnection)]
    return m


# --------------------------------------------------------------- config (1.1/1.2)
def test_defaults_match_python_oracledb() -> None:
    c = PoolConfig()
    assert (c.min, c.max, c.increment, c.getmode, c.timeout, c.wait_timeout) == (
        1, 2, 1, PoolGetMode.WAIT, 0, 0)
    assert (c.max_lifetime_session, c.ping_interval, c.ping_timeout, c.stmtcachesize) == (
        0, 60, 5000, 20)
    assert (c.max_concurrent_opens, c.max_waiters, c.lifetime_jitter, c.leak_threshold) == (
        None, None, 0.0, None)


def test_max_below_min_is_dpy_2064() -> None:
    with pytest.raises(PoolUsageError) as e:
        PoolConfig(min=3, max=2)
    assert e.value.code is DpyCode.POOL_MAX_LESS_THAN_MIN
    assert str(e.value) == ("DPY-2064: parameter 'max' should be greater than or equal to "
                            "parameter 'min'")


def test_increment_zero_becomes_one_unless_static() -> None:
    assert PoolConfig(min=1, max=4, increment=0).increment == 1
    assert PoolConfig(min=2, max=2, increment=0).increment == 0


@pytest.mark.parametrize("bad", [dict(min=-1), dict(timeout=-1), dict(open_give_up=0),
                                 dict(max_concurrent_opens=0), dict(lifetime_jitter=1.0)])
def test_invalid_values_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        PoolConfig(**bad)  # type: ignore[arg-type]


def test_messages_are_python_oracledb_texts() -> None:
    assert message_for(DpyCode.POOL_NOT_OPEN) == "DPY-1002: connection pool is not open"
    assert message_for(DpyCode.POOL_NO_CONNECTION_AVAILABLE) == (
        "DPY-4005: timed out waiting for the connection pool to return a connection")


# -------------------------------------------------------------- start and growth
def test_open_asks_for_min_connections() -> None:
    m = PoolMachine(PoolConfig(min=2, max=4))
    # One logon first: until one succeeds the credentials are unproven (a wrong password
    # must cost one attempt, not min); then the rest at once.
    assert m.open(now=0) == [OpenConnection(conn=1, deadline=OG), SetTimer(at=OG)]
    assert m.opened(1, now=1) == [OpenConnection(conn=2, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.opened(2, now=1) == [SetTimer(at=None)]
    assert (m.open_count, m.idle, m.busy, m.warm) == (2, 2, 0, True)


def test_min_zero_first_acquire_creates() -> None:
    m = PoolMachine(PoolConfig(min=0, max=2))
    assert m.open(now=0) == []
    assert m.acquire(1, now=1) == [OpenConnection(conn=1, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.opened(1, now=2) == [HandOver(req=1, conn=1), SetTimer(at=None)]


def test_growth_by_increment_caller_gets_first() -> None:
    # docs/pool.md 1.6 growth shape (test E1903, scaled): min=1, max=10, increment=4.
    m = started(PoolConfig(min=1, max=10, increment=4, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=1)]
    acts = m.acquire(2, now=2)
    assert acts == [OpenConnection(conn=2, deadline=2 + OG), OpenConnection(conn=3, deadline=2 + OG),
                    OpenConnection(conn=4, deadline=2 + OG), OpenConnection(conn=5, deadline=2 + OG),
                    SetTimer(at=2 + OG)]
    assert m.opened(2, now=3) == [HandOver(req=2, conn=2)]
    assert m.open_count == 2


def test_concurrent_opens_limited() -> None:
    m = PoolMachine(PoolConfig(min=4, max=4, max_concurrent_opens=2))
    assert m.open(now=0) == [OpenConnection(conn=1, deadline=OG), SetTimer(at=OG)]
    assert m.opened(1, now=1) == [OpenConnection(conn=2, deadline=1 + OG),
                                  OpenConnection(conn=3, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.opened(2, now=2) == [OpenConnection(conn=4, deadline=2 + OG)]


def test_stalled_logon_does_not_block_other_acquires() -> None:
    m = PoolMachine(PoolConfig(min=1, max=3))
    m.open(now=0)  # conn 1 hangs
    assert m.acquire(1, now=1) == [OpenConnection(conn=2, deadline=1 + OG)]
    assert m.acquire(2, now=1) == [OpenConnection(conn=3, deadline=1 + OG)]
    assert m.opened(3, now=2) == [HandOver(req=2, conn=3)]


# ------------------------------------------------------------------ reuse rules
def test_lifo_reuse() -> None:
    m = started(PoolConfig(min=2, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    m.release(1, now=2)
    m.release(2, now=3)
    assert m.acquire(3, now=4) == [HandOver(req=3, conn=2)]


def test_used_before_new_and_cclass_match() -> None:
    m = started(PoolConfig(min=2, max=3, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=2)]  # free_new, newest first
    m.release(2, now=2)
    assert m.acquire(2, now=3) == [HandOver(req=2, conn=2)]  # used before new
    assert m.acquire(3, now=3, cclass="X") == [OpenConnection(conn=3, deadline=3 + OG, cclass="X"),
                                               SetTimer(at=3 + OG)]


def test_purity_new_only_takes_never_used() -> None:
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.release(1, now=2)
    assert m.acquire(2, now=3, wants_new=True) == [OpenConnection(conn=2, deadline=3 + OG),
                                                   SetTimer(at=3 + OG)]


def test_full_pool_replaces_idle_of_other_cclass() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    assert m.acquire(1, now=1, cclass="X") == [
        CloseConnection(conn=1, deadline=1 + CG), OpenConnection(conn=2, deadline=1 + OG, cclass="X"),
        SetTimer(at=1 + CG)]
    assert m.opened(2, now=2) == [HandOver(req=1, conn=2)]


def test_replace_closes_the_idle_session_returned_longest_ago() -> None:
    """The first REPLACE files the idle sessions by return time (nothing did before: only
    idle shrink and replacements read it) and picks the oldest."""
    m = started(PoolConfig(min=3, max=3, ping_interval=NO_PING))
    for req in (1, 2, 3):
        m.acquire(req, now=1)
    for conn, now in ((2, 2), (3, 3), (1, 4)):
        m.release(conn, now=now)
    assert m.acquire(4, now=5, cclass="X")[0] == CloseConnection(conn=2, deadline=5 + CG)
    assert m.acquire(5, now=6, cclass="X")[0] == CloseConnection(conn=3, deadline=6 + CG)


def test_acquire_again_after_a_dead_hand_over() -> None:
    """The driver's check on reuse: the session an acquire was handed had died while idle;
    reported ``closed`` it is gone (the pool refills to ``min``), and the caller's second
    ask takes the next idle session and is not counted as another request."""
    m = started(PoolConfig(min=2, max=2, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=2)]
    assert m.closed(2, now=1) == [OpenConnection(conn=3, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.state_of(2) is None and m.busy == 0
    assert m.acquire(2, now=1, again=True) == [HandOver(req=2, conn=1)]
    assert m.state_of(1) is SlotState.BUSY
    assert m.statistics.requests == 1 and m.statistics.connections_closed == 1


def test_fifo_waiters_and_direct_hand_over_on_release() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=0))
    m.acquire(1, now=1)  # pinged? ping_interval 0 -> always
    m.ping_succeeded(1, now=1)
    assert m.acquire(2, now=2) == []
    assert m.acquire(3, now=2) == []
    # handed straight from a release: no ping even with ping_interval 0
    assert m.release(1, now=3) == [HandOver(req=2, conn=1)]
    assert m.release(1, now=4) == [HandOver(req=3, conn=1)]
    assert m.statistics.waits == 2


# ------------------------------------------------------------------------ getmodes
def test_nowait_full_fails_at_once() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.NOWAIT, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=1) == [FailRequest(req=2, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE)]
    assert m.statistics.timeouts == 1


def test_nowait_can_grow_waits_for_its_logon() -> None:
    m = started(PoolConfig(min=1, max=2, getmode=PoolGetMode.NOWAIT, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=1) == [OpenConnection(conn=2, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.open_failed(2, 6005, now=2, failure=TRANSIENT) == [FailRequest(req=2, code=6005),
                                                                SetTimer(at=None)]


def test_timedwait_expires_with_dpy_4005() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.TIMEDWAIT, wait_timeout=1500,
                           ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=2) == [SetTimer(at=3.5)]
    assert m.timer_fired(now=3.0) == []  # early wake-up: nothing due
    assert m.next_deadline == 3.5
    assert m.timer_fired(now=3.5) == [
        FailRequest(req=2, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE), SetTimer(at=None)]
    assert m.timer_fired(now=3.5) == []  # duplicate wake-up


def test_timedwait_zero_still_takes_free_idle() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.TIMEDWAIT, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=1)]
    assert m.acquire(2, now=1) == [FailRequest(req=2, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE)]


def test_forceget_extra_beyond_max_closed_on_release() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.FORCEGET, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=1) == [OpenConnection(conn=2, deadline=1 + OG), SetTimer(at=1 + OG)]
    assert m.opened(2, now=2) == [HandOver(req=2, conn=2), SetTimer(at=None)]
    assert (m.open_count, m.busy) == (2, 2)
    assert m.release(2, now=3) == [CloseConnection(conn=2, deadline=3 + CG), SetTimer(at=3 + CG)]


def test_forceget_extra_kept_when_room() -> None:
    m = PoolMachine(PoolConfig(min=0, max=1, getmode=PoolGetMode.FORCEGET, ping_interval=NO_PING))
    m.open(now=0)
    m.acquire(1, now=1)
    m.opened(1, now=1)
    m.acquire(2, now=1)
    m.opened(2, now=2)
    assert m.is_extra(2)
    m.drop(1, now=3)  # min 0: no refill, so there is room for the extra
    assert m.release(2, now=4) == []
    assert not m.is_extra(2)


def test_max_waiters_cap() -> None:
    m = started(PoolConfig(min=1, max=1, max_waiters=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=1) == []
    assert m.acquire(3, now=1) == [FailRequest(req=3, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE)]


# ------------------------------------------------------------------------- pings
def test_ping_when_idle_longer_than_interval() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=10))
    assert m.acquire(1, now=10) == [HandOver(req=1, conn=1)]  # not strictly greater
    m.release(1, now=10)
    assert m.acquire(2, now=20.5) == [PingConnection(conn=1, deadline=20.5 + PG),
                                      SetTimer(at=20.5 + PG)]
    assert m.ping_succeeded(1, now=21) == [HandOver(req=2, conn=1), SetTimer(at=None)]


def test_failed_ping_silently_replaced() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=0))
    assert m.acquire(1, now=1) == [PingConnection(conn=1, deadline=1 + PG), SetTimer(at=1 + PG)]
    assert m.ping_failed(1, now=2) == [CloseConnection(conn=1, deadline=2 + CG),
                                       OpenConnection(conn=2, deadline=2 + OG), SetTimer(at=2 + CG)]
    assert m.opened(2, now=3) == [HandOver(req=1, conn=2)]
    assert m.statistics.pings_failed == 1


def test_ping_for_gone_waiter_returns_to_idle() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=0))
    m.acquire(1, now=1)
    assert m.cancel(1, now=1) == []
    assert m.ping_succeeded(1, now=2) == [SetTimer(at=None)]
    assert m.idle == 1


# ------------------------------------------------------------ shrink and lifetime
def test_idle_above_min_closed_after_timeout() -> None:
    m = started(PoolConfig(min=1, max=3, timeout=5, ping_interval=NO_PING))
    m.acquire(1, now=0)
    m.acquire(2, now=0)
    m.opened(2, now=0)
    assert m.release(1, now=1) == [SetTimer(at=6)]
    assert m.release(2, now=2) == []
    assert m.timer_fired(now=m.next_deadline or 0) == [CloseConnection(conn=1, deadline=6 + CG),
                                                       SetTimer(at=6 + CG)]
    assert m.open_count == 1


def test_lifetime_enforced_on_release_and_acquire() -> None:
    m = started(PoolConfig(min=1, max=2, max_lifetime_session=10, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.release(1, now=11) == [CloseConnection(conn=1, deadline=11 + CG),
                                    OpenConnection(conn=2, deadline=11 + OG), SetTimer(at=11 + CG)]
    m.opened(2, now=12)
    assert m.acquire(2, now=30) == [CloseConnection(conn=2, deadline=30 + CG),
                                    OpenConnection(conn=3, deadline=30 + OG)]


def test_lifetime_jitter_shortens_lifetime() -> None:
    m = PoolMachine(PoolConfig(min=1, max=1, max_lifetime_session=10, lifetime_jitter=0.5,
                               ping_interval=NO_PING))
    m.open(now=0)
    m.opened(1, now=0, jitter=0.5)  # lifetime 10 * (1 - 0.25) = 7.5
    m.acquire(1, now=1)
    assert m.release(1, now=8)[0] == CloseConnection(conn=1, deadline=8 + CG)


# ------------------------------------------------------- release, rollback, drop
def test_release_with_transaction_rolls_back_first() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.acquire(2, now=1) == []
    assert m.release(1, now=2, in_transaction=True) == [
        RollbackConnection(conn=1, deadline=2 + RG), SetTimer(at=2 + RG)]
    assert m.busy == 1
    assert m.rolled_back(1, now=3) == [HandOver(req=2, conn=1), SetTimer(at=None)]


def test_rollback_failure_replaces_connection() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.release(1, now=2, in_transaction=True)
    assert m.rollback_failed(1, now=3) == [CloseConnection(conn=1, deadline=3 + CG),
                                           OpenConnection(conn=2, deadline=3 + OG),
                                           SetTimer(at=3 + CG)]


def test_unreusable_release_and_drop_refill_to_min() -> None:
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.release(1, now=2, reusable=False) == [
        CloseConnection(conn=1, deadline=2 + CG), OpenConnection(conn=2, deadline=2 + OG),
        SetTimer(at=2 + CG)]
    m.opened(2, now=3)
    m.acquire(2, now=3)
    assert m.drop(2, now=4) == [CloseConnection(conn=2, deadline=4 + CG),
                                OpenConnection(conn=3, deadline=4 + OG)]


def test_double_release_is_dpy_1001() -> None:
    m = started(PoolConfig(ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.release(1, now=2)
    with pytest.raises(PoolUsageError) as e:
        m.release(1, now=3)
    assert e.value.code is DpyCode.NOT_CONNECTED
    with pytest.raises(PoolUsageError):
        m.drop(99, now=3)


def test_handed_to_gone_waiter_returns_to_idle() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    assert m.release(1, now=2) == [HandOver(req=2, conn=1)]
    assert m.cancel(2, now=2) == []  # the driver could not deliver it
    assert (m.idle, m.busy) == (1, 0)
    assert m.acquire(3, now=3) == [HandOver(req=3, conn=1)]


def test_leak_detected_once() -> None:
    m = started(PoolConfig(min=1, max=1, leak_threshold=30, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=1), SetTimer(at=31)]
    assert m.timer_fired(now=31) == [LeakDetected(conn=1, held_since=1), SetTimer(at=None)]


def test_leak_check_turned_on_later_covers_sessions_already_held() -> None:
    """Held sessions are filed by hand-over time only while leak checks are on; turning
    them on files the sessions already held."""
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=1)]
    assert m.reconfigure(PoolConfig(min=1, max=1, ping_interval=NO_PING, leak_threshold=30),
                         now=2) == [SetTimer(at=31)]
    assert m.timer_fired(now=31) == [LeakDetected(conn=1, held_since=1), SetTimer(at=None)]


# -------------------------------------------------------- failures and give-ups
def test_background_open_failure_retried_with_backoff() -> None:
    m = PoolMachine(PoolConfig(min=1, max=1, open_retry_backoff_base=1, open_retry_backoff_max=4))
    m.open(now=0)
    assert m.open_failed(1, 6005, now=1, failure=TRANSIENT, jitter=0.0) == [SetTimer(at=1.5)]
    assert m.timer_fired(now=1.5) == [OpenConnection(conn=2, deadline=1.5 + OG),
                                      SetTimer(at=1.5 + OG)]
    assert m.open_failed(2, 6005, now=2, failure=TRANSIENT, jitter=0.5) == [SetTimer(at=2 + 2 * 0.75)]
    assert m.statistics.connections_failed == 2


def test_waiter_gets_its_own_logon_error() -> None:
    m = PoolMachine(PoolConfig(min=0, max=1))
    m.open(now=0)
    m.acquire(1, now=0)
    assert m.open_failed(1, 1017, now=1, failure=FATAL) == [FailRequest(req=1, code=1017),
                                                            SetTimer(at=None)]


def test_stalled_open_given_up() -> None:
    m = PoolMachine(PoolConfig(min=0, max=1, open_give_up=5))
    m.open(now=0)
    m.acquire(1, now=0)
    assert m.timer_fired(now=m.next_deadline or 0) == [
        FailRequest(req=1, code=DpyCode.CONNECTION_FAILED), CloseConnection(conn=1, deadline=5 + CG),
        SetTimer(at=5 + CG)]
    # The logon ends anyway: its session is closed too, and the slot waits for both closes.
    assert m.opened(1, now=6) == [CloseConnection(conn=1, deadline=6 + CG), SetTimer(at=6 + CG)]
    assert m.opened(1, now=6.5) == []  # a repeated report: that session is being closed
    assert m.closed(1, now=7) == [] and m.state_of(1) is SlotState.CLOSING
    assert m.closed(1, now=8) == [SetTimer(at=None)] and m.slot_states() == {}
    assert m.closed(1, now=9) == []  # a late report again: ignored
    stats = m.statistics
    assert (stats.connections_opened, stats.connections_closed, stats.connections_failed) == (0, 0, 1)


def test_logon_ending_after_its_slot_is_gone_gets_a_close() -> None:
    # The driver reported the abandoned logon closed (a blocking logon cannot be cut
    # short), then the logon ended: that session is closed, counted nowhere.
    m = PoolMachine(PoolConfig(min=1, max=1, open_give_up=5))
    m.open(now=0)
    m.timer_fired(now=5)  # given up: CloseConnection(1), a new logon (2)
    m.closed(1, now=6)
    m.opened(2, now=6)
    assert m.opened(1, now=7) == [CloseConnection(conn=1, deadline=7 + CG), SetTimer(at=7 + CG)]
    assert m.open_count == 1 and m.idle == 1 and m.state_of(1) is SlotState.CLOSING
    assert m.acquire(1, now=8) == [HandOver(req=1, conn=2)]
    assert m.closed(1, now=9) == [SetTimer(at=None)] and m.state_of(1) is None
    assert m.statistics.connections_opened == 1 and m.statistics.connections_closed == 0
    with pytest.raises(LocalProtocolError):
        m.opened(3, now=10)  # never asked to open


def test_a_timed_out_caller_counts_as_a_timeout() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    m.acquire(3, now=1)
    m.cancel(2, now=2, timed_out=True)  # its own deadline: DPY-4005 from the driver
    m.cancel(3, now=2)  # cancelled: no timeout
    assert m.statistics.timeouts == 1
    m.acquire(4, now=3)
    assert m.release(1, now=4) == [HandOver(req=4, conn=1)]
    m.cancel(4, now=4, timed_out=True)  # timed out in the turn it was handed the session
    m.cancel(4, now=4, timed_out=True)  # unknown by now: not counted again
    assert m.statistics.timeouts == 2 and m.idle == 1


def test_stalled_ping_given_up_and_replaced() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=0, ping_give_up=3))
    m.acquire(1, now=1)
    assert m.timer_fired(now=4) == [CloseConnection(conn=1, deadline=4 + CG),
                                    OpenConnection(conn=2, deadline=4 + OG), SetTimer(at=4 + CG)]


def test_idle_connection_lost() -> None:
    m = started(PoolConfig(min=1, max=1))
    assert m.closed(1, now=1) == [OpenConnection(conn=2, deadline=1 + OG), SetTimer(at=1 + OG)]


def test_illegal_completion_is_local_protocol_error() -> None:
    m = started(PoolConfig(min=1, max=1))
    with pytest.raises(LocalProtocolError):
        m.ping_succeeded(1, now=1)
    assert m.rolled_back(42, now=1) == []  # unknown ids: late completions, ignored


def test_table_covers_every_state() -> None:
    assert set(MOVES) == set(SlotState)
    assert all(Input.CLOSED in moves for moves in MOVES.values())


# --------------------------------------------------------------------------- close
def test_close_refused_while_busy_or_waiting() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    with pytest.raises(PoolUsageError) as e:
        m.close(now=2)
    assert e.value.code is DpyCode.POOL_HAS_BUSY_CONNECTIONS
    m.acquire(2, now=2)
    m.release(1, now=3)  # handed to 2
    m.release(1, now=4)
    assert m.close(now=5) == [CloseConnection(conn=1, deadline=5 + CG), SetTimer(at=5 + CG)]
    assert m.closed(1, now=6) == [PoolClosed(), SetTimer(at=None)]


def test_forced_close_fails_waiters_and_closes_busy() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    assert m.close(force=True, now=2) == [FailRequest(req=2, code=DpyCode.POOL_NOT_OPEN),
                                          CloseConnection(conn=1, deadline=2 + CG),
                                          SetTimer(at=2 + CG)]
    assert m.release(1, now=3) == []  # no-op after a forced close
    assert m.acquire(3, now=3) == [FailRequest(req=3, code=DpyCode.POOL_NOT_OPEN)]
    with pytest.raises(PoolUsageError) as e:
        m.close(now=3)
    assert e.value.code is DpyCode.POOL_NOT_OPEN
    # a close that never completes is given up on: close() is bounded
    assert m.timer_fired(now=2 + CG) == [PoolClosed(), SetTimer(at=None)]


def test_close_while_logon_stalled_is_bounded() -> None:
    m = PoolMachine(PoolConfig(min=1, max=1))
    m.open(now=0)
    assert m.close(now=1) == [CloseConnection(conn=1, deadline=1 + CG), SetTimer(at=1 + CG)]
    assert m.opened(1, now=2) == [CloseConnection(conn=1, deadline=2 + CG), SetTimer(at=2 + CG)]
    assert m.closed(1, now=3) == []  # the abandon; the session's own close is still owed
    assert m.closed(1, now=4) == [PoolClosed(), SetTimer(at=None)]


def test_reconfigure_shrinks_max() -> None:
    m = started(PoolConfig(min=2, max=3, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert m.reconfigure(PoolConfig(min=1, max=1, ping_interval=NO_PING), now=2) == [
        CloseConnection(conn=1, deadline=2 + CG), SetTimer(at=2 + CG)]
    assert m.release(2, now=3) == []
    assert m.open_count == 1


# ------------------------------------------------------- run-time setters (1.4)
def test_set_timeout_reschedules_shrink_timer() -> None:
    m = started(PoolConfig(min=0, max=2, ping_interval=NO_PING))
    m.acquire(1, now=0)
    m.opened(1, now=0)
    assert m.release(1, now=1) == []
    assert m.set_attribute("timeout", 5, now=2) == [SetTimer(at=6)]
    assert m.timer_fired(now=6) == [CloseConnection(conn=1, deadline=6 + CG), SetTimer(at=6 + CG)]
    with pytest.raises(OverflowError):
        m.set_attribute("timeout", -1, now=7)


def test_getmode_change_resets_wait_timeout() -> None:
    m = started(PoolConfig(getmode=PoolGetMode.TIMEDWAIT, wait_timeout=1500))
    assert m.get_attribute("wait_timeout") == 1500.0
    assert m.set_attribute("getmode", PoolGetMode.TIMEDWAIT, now=0) == []  # no change, no reset
    assert m.get_attribute("wait_timeout") == 1500.0
    assert m.set_attribute("getmode", PoolGetMode.WAIT, now=0) == []
    assert (m.config.getmode, m.get_attribute("wait_timeout")) == (PoolGetMode.WAIT, 0)
    assert m.set_attribute("wait_timeout", 3000, now=0) == []  # ignored outside TIMEDWAIT
    assert m.config.wait_timeout == 0
    m.set_attribute("getmode", PoolGetMode.TIMEDWAIT, now=0)
    assert m.get_attribute("wait_timeout") == 0.0
    m.set_attribute("wait_timeout", 3000, now=0)
    assert m.get_attribute("wait_timeout") == 3000.0
    with pytest.raises(ValueError):
        m.set_attribute("getmode", 99, now=0)


def test_set_getmode_nowait_applies_to_next_acquire() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    assert m.acquire(1, now=0) == [HandOver(req=1, conn=1)]
    assert m.set_attribute("getmode", PoolGetMode.NOWAIT, now=1) == []
    assert m.acquire(2, now=1) == [
        FailRequest(req=2, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE)]


def test_set_timedwait_then_wait_timeout_bounds_next_waiter() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=0)
    m.set_attribute("getmode", PoolGetMode.TIMEDWAIT, now=0)
    m.set_attribute("wait_timeout", 2000, now=0)
    assert m.acquire(2, now=1) == [SetTimer(at=3)]
    assert m.timer_fired(now=3) == [
        FailRequest(req=2, code=DpyCode.POOL_NO_CONNECTION_AVAILABLE), SetTimer(at=None)]


def test_set_max_lifetime_session_applies_on_release() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=0)
    assert m.set_attribute("max_lifetime_session", 10, now=1) == []
    assert m.release(1, now=11) == [CloseConnection(conn=1, deadline=11 + CG),
                                    OpenConnection(conn=2, deadline=11 + OG),
                                    SetTimer(at=11 + CG)]


def test_set_ping_interval_and_stmtcachesize() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    assert m.set_attribute("ping_interval", 0, now=0) == []
    assert m.acquire(1, now=0) == [PingConnection(conn=1, deadline=PG), SetTimer(at=PG)]
    assert m.set_attribute("stmtcachesize", 50, now=0) == []
    assert (m.get_attribute("stmtcachesize"), m.get_attribute("ping_interval")) == (50, 0)
    with pytest.raises(OverflowError):
        m.set_attribute("stmtcachesize", -1, now=0)


def test_read_only_thick_only_and_closed_setters() -> None:
    m = started(PoolConfig())
    with pytest.raises(AttributeError, match="has no setter"):
        m.set_attribute("min", 3, now=0)
    for name, value in (("max_sessions_per_shard", 1), ("soda_metadata_cache", True)):
        with pytest.raises(PoolUsageError) as e:
            m.set_attribute(name, value, now=0)
        assert e.value.code is DpyCode.FEATURE_NOT_SUPPORTED
    with pytest.raises(TypeError):
        m.set_attribute("timeout", "5", now=0)
    m.close(now=0)
    for name in ("timeout", "ping_interval"):
        with pytest.raises(PoolUsageError) as e:
            m.set_attribute(name, 1, now=0)
        assert e.value.code is DpyCode.POOL_NOT_OPEN


def test_setters_convert_values_as_python_oracledb() -> None:
    """python-oracledb 26.1 probed: C setters truncate floats, take bools as ints, refuse
    other types with "an integer is required"; thick-only attributes type-check first."""
    m = started(PoolConfig())
    m.set_attribute("timeout", 1.5, now=0)
    m.set_attribute("ping_interval", 2.9, now=0)
    m.set_attribute("max_lifetime_session", True, now=0)
    assert (m.get_attribute("timeout"), m.get_attribute("ping_interval"),
            m.get_attribute("max_lifetime_session")) == (1, 2, 1)
    m.set_attribute("getmode", PoolGetMode.TIMEDWAIT, now=0)
    m.set_attribute("wait_timeout", 2.5, now=0)
    assert m.get_attribute("wait_timeout") == 2.0
    for name, value, exc, text in [
        ("timeout", "3", TypeError, "an integer is required"),
        ("timeout", 2**32, OverflowError, "value too large to convert to uint32_t"),
        ("stmtcachesize", -1, OverflowError, "can't convert negative value to uint32_t"),
        ("ping_interval", -2**31 - 1, OverflowError, "value too large to convert to int"),
        ("max_sessions_per_shard", -1, OverflowError, "can't convert negative value to uint32_t"),
        ("max_sessions_per_shard", "x", TypeError, "an integer is required"),
        ("soda_metadata_cache", 1, TypeError, "soda_metadata_cache must be a boolean value."),
    ]:
        with pytest.raises(exc) as info:
            m.set_attribute(name, value, now=0)
        assert str(info.value) == text
