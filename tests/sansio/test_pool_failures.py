"""PoolMachine: fatal logon failures halt logons (issue 12 item 2), sessions of any
class serve an acquire without cclass (item 17), every wait counts in
``wait_time`` (item 20); and the one classification table (failures.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oracle_sansio.exceptions import dpy_error, ora_error
from oracle_sansio.pool import (
    FATAL_ORA, TRANSIENT_DPY, TRANSIENT_ORA, CloseConnection, FailRequest, HandOver, LogonFailure, LogonReport, LogonsFailing, LogonsRecovered,
    LogonsStillFailing, OpenConnection, PoolConfig, PoolGetMode, PoolMachine, PoolUsageError, SetTimer,
    classify_logon_error,
)

from tests.sansio.test_pool_machine import CG, NO_PING, OG, started

TRANSIENT, FATAL = LogonFailure.TRANSIENT, LogonFailure.FATAL


def opens(acts: object) -> list[OpenConnection]:
    assert isinstance(acts, list)
    return [a for a in acts if isinstance(a, OpenConnection)]


# ------------------------------------------------------------ classification
@pytest.mark.parametrize("number", [1017, 28000, 28001, 1045, 28040, 1005, 1031, 28009, 1004, 99999])
def test_credential_account_and_unknown_ora_errors_are_fatal(number: int) -> None:
    assert classify_logon_error(ora_error(number, "refused")) is FATAL


@pytest.mark.parametrize("number", [12514, 12505, 12516, 12520, 12521, 12528, 12537, 12541, 12547,
                                    12170, 3113, 3114, 3135, 1033, 1034, 1089, 1090, 12757, 28])
def test_network_and_availability_ora_errors_are_transient(number: int) -> None:
    assert classify_logon_error(ora_error(number, "not now")) is TRANSIENT


def test_dpy_and_python_errors() -> None:
    for code in (6000, 6005, 4011, 4024):
        assert classify_logon_error(dpy_error(code, connection_id="", timeout=1)) is TRANSIENT
    for code in (4001, 2027, 3001, 4017, 6002, 6008):
        assert classify_logon_error(dpy_error(code, feature="x", driver_type="thick", data="x")) is FATAL
    assert classify_logon_error(ConnectionRefusedError()) is TRANSIENT
    assert classify_logon_error(TimeoutError()) is TRANSIENT
    assert classify_logon_error(TypeError("bad argument")) is FATAL


# ------------------------------------------------------------------ halting
def test_fatal_background_failure_is_never_retried() -> None:
    m = PoolMachine(PoolConfig(min=10, max=12, open_retry_backoff_base=1, open_retry_backoff_max=4))
    # min=10 wrong-password logons at once would lock a default-profile account
    # (FAILED_LOGIN_ATTEMPTS 10): until one logon succeeds, the pool's own go one at a time.
    assert len(opens(m.open(now=0))) == 1
    assert m.open_failed(1, 1017, now=1, failure=FATAL) == [SetTimer(at=None)]
    assert m.logons_halted
    assert m.next_deadline is None  # no retry timer at all
    assert opens(m.timer_fired(now=10_000)) == []
    assert m.statistics.connections_failed == 1


def test_transient_failures_before_the_first_success_retry_one_at_a_time() -> None:
    m = PoolMachine(PoolConfig(min=3, max=3, open_retry_backoff_base=1, open_retry_backoff_max=1))
    assert len(opens(m.open(now=0))) == 1
    assert m.open_failed(1, 6005, now=1, failure=TRANSIENT, jitter=0.5) == [SetTimer(at=1.75)]
    assert opens(m.timer_fired(now=1.75)) == [OpenConnection(conn=2, deadline=1.75 + OG)]
    assert len(opens(m.opened(2, now=3))) == 2  # proven: the rest at once


def test_transient_after_fatal_does_not_restart_retries() -> None:
    m = PoolMachine(PoolConfig(min=2, max=3, open_retry_backoff_base=1))
    m.open(now=0)
    assert len(opens(m.acquire(1, now=0))) == 1  # a caller's own logon runs alongside
    m.open_failed(1, 1017, now=1, failure=FATAL)
    assert m.open_failed(2, 6005, now=1, failure=TRANSIENT) == [SetTimer(at=None)]
    assert m.logons_halted and opens(m.timer_fired(now=100)) == []


def test_fatal_failure_fails_every_waiting_acquire_at_once() -> None:
    m = PoolMachine(PoolConfig(min=1, max=3))
    m.open(now=0)  # background logon 1
    assert opens(m.acquire(1, now=0)) == [OpenConnection(conn=2, deadline=OG)]  # its own logon
    assert opens(m.acquire(2, now=0)) == [OpenConnection(conn=3, deadline=OG)]
    assert m.open_failed(1, 1017, now=1, failure=FATAL) == [
        FailRequest(req=1, code=1017), FailRequest(req=2, code=1017)]
    assert m.waiting == 0
    # Their own logons, still in flight, finish for the pool and fail no one else.
    assert m.open_failed(2, 1017, now=2, failure=FATAL) == []
    assert m.open_failed(3, 1017, now=2, failure=FATAL) == [SetTimer(at=None)]


def test_full_pool_waiter_fails_with_the_background_error() -> None:
    m = PoolMachine(PoolConfig(min=1, max=1))
    m.open(now=0)
    assert m.acquire(1, now=0) == []  # full: waits for the background logon
    assert m.open_failed(1, 28000, now=0.5, failure=FATAL) == [FailRequest(req=1, code=28000),
                                                               SetTimer(at=None)]


def test_later_acquire_tries_one_probe_and_callers_share_its_outcome() -> None:
    m = PoolMachine(PoolConfig(min=3, max=4))
    m.open(now=0)
    m.open_failed(1, 1017, now=1, failure=FATAL)
    assert opens(m.acquire(1, now=2)) == [OpenConnection(conn=2, deadline=2 + OG)]
    assert m.acquire(2, now=2) == []  # waits for the probe: no second logon
    assert m.open_failed(2, 1017, now=3, failure=FATAL) == [
        FailRequest(req=1, code=1017), FailRequest(req=2, code=1017), SetTimer(at=None)]
    # A transient failure of a probe also ends the callers waiting on it, and nothing retries.
    assert opens(m.acquire(3, now=4)) == [OpenConnection(conn=3, deadline=4 + OG)]
    assert m.open_failed(3, 6005, now=5, failure=TRANSIENT) == [FailRequest(req=3, code=6005),
                                                                SetTimer(at=None)]
    assert opens(m.timer_fired(now=1000)) == []
    # The password was fixed: the next probe succeeds, the halt lifts, min is refilled.
    assert opens(m.acquire(4, now=1001)) == [OpenConnection(conn=4, deadline=1001 + OG)]
    acts = m.opened(4, now=1002)
    assert acts[0] == HandOver(req=4, conn=4) and not m.logons_halted
    assert opens(acts) == [OpenConnection(conn=5, deadline=1002 + OG),
                           OpenConnection(conn=6, deadline=1002 + OG)]
    assert m.statistics.connections_failed == 3


def test_waiter_a_release_can_serve_keeps_waiting() -> None:
    m = started(PoolConfig(min=2, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    assert opens(m.drop(1, now=2)) == [OpenConnection(conn=3, deadline=2 + OG)]  # refill
    assert m.acquire(3, now=2) == []  # full (1 busy + 1 opening)
    assert m.acquire(4, now=2, wants_new=True) == []
    # The refill fails fatally: req 4 (purity NEW) needs a logon, req 3 a release will serve.
    assert m.open_failed(3, 1017, now=3, failure=FATAL) == [FailRequest(req=4, code=1017)]
    assert m.waiting == 1
    assert m.release(2, now=4) == [HandOver(req=3, conn=2)]


def _halted_with_a_waiter_kept_for_c1(**kw: object) -> PoolMachine:
    """min=1, max=2: request 1 holds c1; request 2's own logon c2 fails ORA-01017 while
    request 3 waits on the full pool.  The halt spares request 3: c1's release could serve it."""
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING, **kw))  # type: ignore[arg-type]
    assert m.acquire(1, now=1) == [HandOver(req=1, conn=1)]
    assert opens(m.acquire(2, now=2)) == [OpenConnection(conn=2, deadline=2 + OG)]
    assert m.acquire(3, now=3) == []
    assert m.open_failed(2, 1017, now=4, failure=FATAL) == [FailRequest(req=2, code=1017),
                                                            SetTimer(at=None)]
    assert m.logons_halted and m.waiting == 1
    return m


def _stranded_waiter_failed(m: PoolMachine, acts: list[object]) -> None:
    # Nothing could serve request 3 any more: it fails with the halting error at once,
    # and no logon is tried for it (it was waiting before the halt: no probe).
    assert FailRequest(req=3, code=1017) in acts and opens(acts) == []
    assert m.waiting == 0
    assert opens(m.timer_fired(now=10_000)) == [] and m.logons_halted


def test_waiter_kept_for_a_held_session_fails_when_the_session_is_dropped() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    acts = m.drop(1, now=5)
    assert m.closed(1, now=6) == [SetTimer(at=None)]
    _stranded_waiter_failed(m, list(acts))


def test_waiter_kept_for_a_held_session_fails_when_the_session_dies() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    _stranded_waiter_failed(m, list(m.closed(1, now=5)))  # the driver saw the held session die


def test_waiter_kept_for_a_held_session_fails_when_it_expires_on_release() -> None:
    m = _halted_with_a_waiter_kept_for_c1(max_lifetime_session=3)
    acts = m.release(1, now=5)  # older than max_lifetime_session: closed, not handed over
    assert CloseConnection(conn=1, deadline=5 + CG) in acts
    _stranded_waiter_failed(m, list(acts))


def test_waiter_kept_for_a_held_session_fails_when_a_setter_makes_it_expire() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    m.set_attribute("max_lifetime_session", 3, now=4.5)  # the pool reconfigured
    _stranded_waiter_failed(m, list(m.release(1, now=5)))


def test_waiter_kept_for_a_held_session_fails_when_its_rollback_fails() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    assert m.release(1, now=5, in_transaction=True)[0].__class__.__name__ == "RollbackConnection"
    assert m.waiting == 1  # RESETTING is still held: its rollback may hand it over
    _stranded_waiter_failed(m, list(m.rollback_failed(1, now=6)))


def test_waiter_still_served_by_another_held_session_keeps_waiting() -> None:
    m = started(PoolConfig(min=2, max=3, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    assert opens(m.acquire(3, now=2)) == [OpenConnection(conn=3, deadline=2 + OG)]
    assert m.acquire(4, now=3) == []
    m.open_failed(3, 1017, now=4, failure=FATAL)
    assert m.drop(1, now=5) == [CloseConnection(conn=1, deadline=5 + CG), SetTimer(at=5 + CG)]
    assert m.waiting == 1  # c2 is still held and suits it
    assert m.release(2, now=6) == [HandOver(req=4, conn=2)]


def test_stranded_waiter_shares_the_outcome_of_a_probe_in_flight() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    # A caller who arrived after the halt makes the one probe (the pool has room).
    assert opens(m.acquire(4, now=4.5)) == [OpenConnection(conn=3, deadline=4.5 + OG)]
    assert FailRequest(req=3, code=1017) not in m.drop(1, now=5)
    assert m.waiting == 2  # request 3 shares the probe's outcome: no second logon
    assert m.open_failed(3, 1017, now=6, failure=FATAL) == [
        FailRequest(req=4, code=1017), FailRequest(req=3, code=1017)]


def test_stranded_waiter_is_served_when_the_shared_probe_succeeds() -> None:
    m = _halted_with_a_waiter_kept_for_c1()
    m.acquire(4, now=4.5)
    m.drop(1, now=5)
    acts = m.opened(3, now=6)  # the password was fixed: the halt lifts
    assert acts[0] == HandOver(req=4, conn=3) and not m.logons_halted
    assert opens(acts) == [OpenConnection(conn=4, deadline=6 + OG)]  # request 3's own logon
    assert m.opened(4, now=7)[0] == HandOver(req=3, conn=4)


def _probe_shared_by_a_caller_a_held_session_suits() -> PoolMachine:
    """Halted; request 3 made the probe c3, request 4 shares it (c1, held, suits it too)."""
    m = _halted_with_a_waiter_kept_for_c1()
    m.cancel(3, now=4.1)  # the caller who waited through the halt is gone
    assert opens(m.acquire(4, now=4.5)) == [OpenConnection(conn=3, deadline=4.5 + OG)]
    assert m.acquire(5, now=4.6) == [] and m.waiting == 2
    return m


def test_caller_who_shared_a_failed_probe_never_starts_another() -> None:
    m = _probe_shared_by_a_caller_a_held_session_suits()
    # Request 5 shared the probe's outcome; c1's release may still serve it, but it may
    # not log on again: one probe per burst of explicit acquires.
    assert m.open_failed(3, 1017, now=5, failure=FATAL) == [FailRequest(req=4, code=1017),
                                                            SetTimer(at=None)]
    assert m.waiting == 1
    assert opens(m.acquire(6, now=6)) == [OpenConnection(conn=4, deadline=6 + OG)]  # a new burst
    assert m.open_failed(4, 1017, now=7, failure=FATAL)[0] == FailRequest(req=6, code=1017)
    assert m.drop(1, now=8)[1] == FailRequest(req=5, code=1017)  # nothing can serve it now


def test_probe_given_up_on_is_not_retried_by_the_callers_who_shared_it() -> None:
    m = _probe_shared_by_a_caller_a_held_session_suits()
    acts = m.timer_fired(now=4.5 + OG)  # the probe hangs: given up, a transient failure
    assert FailRequest(req=4, code=6005) in acts and opens(acts) == []
    assert m.waiting == 1 and m.logons_halted


def test_caller_who_waited_through_one_halt_may_not_probe_in_the_next() -> None:
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    m.open_failed(2, 1017, now=2, failure=FATAL)  # halt 1
    assert opens(m.acquire(3, now=3)) == [OpenConnection(conn=3, deadline=3 + OG)]  # its probe
    assert m.acquire(4, now=3) == []  # shares the probe
    assert m.opened(3, now=4)[0] == HandOver(req=3, conn=3) and not m.logons_halted
    assert m.waiting == 1  # full: request 4 waits for a release
    m.set_attribute("getmode", PoolGetMode.FORCEGET, now=5)
    assert opens(m.acquire(5, now=5)) == [OpenConnection(conn=4, deadline=5 + OG)]  # an extra
    assert m.open_failed(4, 1017, now=6, failure=FATAL) == [FailRequest(req=5, code=1017),
                                                            SetTimer(at=None)]  # halt 2
    # Request 4 was waiting before halt 2: a release may serve it, a logon may not.
    assert opens(m.drop(1, now=7)) == [] and m.waiting == 1
    assert FailRequest(req=4, code=1017) in m.drop(3, now=8)


def test_the_logon_error_travels_with_every_request_its_logon_fails() -> None:
    # Its own caller, every caller the FATAL halt fails, and (kept with the halt) a caller
    # failed later because nothing can serve it any more: all get the driver's exception.
    refused = ora_error(1017, "invalid username/password; logon denied")
    m = PoolMachine(PoolConfig(min=1, max=3))
    m.open(now=0)
    m.acquire(1, now=0)
    m.acquire(2, now=0)
    assert m.open_failed(1, 1017, now=1, failure=FATAL, error=refused) == [
        FailRequest(req=1, code=1017, error=refused), FailRequest(req=2, code=1017, error=refused)]
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=2)  # its own logon, c2
    m.acquire(3, now=3)  # waits on the full pool: c1's release could serve it
    assert m.open_failed(2, 1017, now=4, failure=FATAL, error=refused) == [
        FailRequest(req=2, code=1017, error=refused), SetTimer(at=None)]
    assert FailRequest(req=3, code=1017, error=refused) in m.drop(1, now=5)
    # The machine's own reasons carry no error; nor does a failure given without one.
    m = PoolMachine(PoolConfig(min=0, max=1, open_give_up=5))
    m.open(now=0)
    m.acquire(1, now=0)
    assert m.timer_fired(now=5)[0] == FailRequest(req=1, code=6005, error=None)


def test_a_failed_request_raises_a_fresh_copy_of_its_error_or_the_dpy_error_of_its_code() -> None:
    refused = ora_error(1017, "invalid username/password; logon denied")
    try:
        raise refused
    except Exception:
        pass  # it now has a traceback, which no copy may carry into another caller's
    first, second = (FailRequest(req=n, code=1017, error=refused).exception() for n in (1, 2))
    assert first is not refused and first is not second and str(first) == str(refused)
    assert type(first) is type(refused) and first.__traceback__ is None
    assert str(FailRequest(req=3, code=4005).exception()).startswith("DPY-4005:")
    assert "gave up waiting for the logon" in str(FailRequest(req=4, code=6005).exception())


def test_nowait_and_closed_pool_unchanged_when_halted() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.NOWAIT, ping_interval=NO_PING))
    m.acquire(1, now=1)
    assert opens(m.drop(1, now=1)) == [OpenConnection(conn=2, deadline=1 + OG)]
    m.open_failed(2, 1017, now=2, failure=FATAL)
    # An acquire on a NOWAIT pool with room makes its probe; close fails the waiters DPY-1002.
    assert opens(m.acquire(2, now=3)) == [OpenConnection(conn=3, deadline=3 + OG)]
    acts = m.close(force=True, now=4)
    assert acts[0] == FailRequest(req=2, code=1002)
    with pytest.raises(PoolUsageError):
        m.close(now=5)  # DPY-1002: already closed


# ---------------------------------------------------------- cclass (item 17)
def test_acquire_without_cclass_takes_the_newest_released_session_of_any_class() -> None:
    m = started(PoolConfig(min=1, max=2, ping_interval=NO_PING))
    assert opens(m.acquire(1, now=1, cclass="A")) == [OpenConnection(conn=2, deadline=1 + OG, cclass="A")]
    assert m.opened(2, now=1)[0] == HandOver(req=1, conn=2)
    m.release(2, now=2)
    # python-oracledb: a request with no cclass matches every used session, newest first,
    # before the never-used ones.
    assert m.acquire(2, now=3) == [HandOver(req=2, conn=2)]
    assert m.acquire(3, now=3) == [HandOver(req=3, conn=1)]


def test_full_pool_reuses_other_class_instead_of_replacing_it() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    assert m.acquire(1, now=1, cclass="A") == [
        CloseConnection(conn=1, deadline=1 + CG), OpenConnection(conn=2, deadline=1 + OG, cclass="A"),
        SetTimer(at=1 + CG)]
    m.opened(2, now=1)
    m.closed(1, now=1)
    m.release(2, now=2)
    assert m.acquire(2, now=3) == [HandOver(req=2, conn=2)]  # no close, no logon
    m.release(2, now=4)
    # An explicit other class still replaces it; purity NEW never takes a used session.
    assert opens(m.acquire(3, now=5, cclass="B")) == [OpenConnection(conn=3, deadline=5 + OG, cclass="B")]


def test_purity_new_without_cclass_takes_only_never_used_sessions() -> None:
    m = started(PoolConfig(min=2, max=3, ping_interval=NO_PING))
    m.acquire(1, now=1, cclass="A")
    m.opened(3, now=1)
    m.release(3, now=2)
    assert m.acquire(2, now=3, wants_new=True) == [HandOver(req=2, conn=2)]
    assert m.acquire(3, now=3) == [HandOver(req=3, conn=3)]


def test_release_hands_a_session_of_any_class_to_a_waiter_without_cclass() -> None:
    m = started(PoolConfig(min=1, max=1, ping_interval=NO_PING))
    m.acquire(1, now=1, cclass="A")
    m.opened(2, now=1)
    m.closed(1, now=1)
    assert m.acquire(2, now=2) == []
    assert m.release(2, now=3) == [HandOver(req=2, conn=2)]


# ------------------------------------------------------- wait_time (item 20)
def test_wait_time_counts_every_wait_in_seconds() -> None:
    m = started(PoolConfig(min=1, max=1, getmode=PoolGetMode.TIMEDWAIT, wait_timeout=300,
                           ping_interval=NO_PING))
    m.acquire(1, now=1)
    m.acquire(2, now=1)
    m.timer_fired(now=1.3)  # timed out after 0.3 s
    assert m.statistics.timeouts == 1
    assert m.statistics.wait_time == pytest.approx(0.3)
    m.acquire(3, now=2)
    m.cancel(3, now=2.25)  # cancelled after 0.25 s
    assert m.statistics.wait_time == pytest.approx(0.55)
    m.acquire(4, now=3)
    m.release(1, now=3.125)  # served after 0.125 s
    assert m.statistics.wait_time == pytest.approx(0.675)
    m.acquire(5, now=4)
    m.close(force=True, now=4.5)  # failed by close after 0.5 s
    assert m.statistics.wait_time == pytest.approx(1.175)
    assert m.statistics.waits == 4


def test_wait_time_counts_waits_failed_by_a_logon_error() -> None:
    m = PoolMachine(PoolConfig(min=1, max=1))
    m.open(now=0)
    m.acquire(1, now=0)
    m.open_failed(1, 1017, now=0.75, failure=FATAL)
    assert m.statistics.wait_time == pytest.approx(0.75)


# ------------------------------------------------------ reporting (item 13)
def test_logon_report_turns_1000_failures_into_a_few_state_changes() -> None:
    report = LogonReport(interval=60)
    reports = [r for i in range(1000)
               if (r := report.failed(i * 0.5, "ORA-12516: no handler", TRANSIENT)) is not None]
    # 500 s of failures: the first, then at most one count per 60 s.
    assert reports[0] == LogonsFailing(error="ORA-12516: no handler", failure=TRANSIENT)
    assert len(reports) == 1 + 8
    assert reports[-1] == LogonsStillFailing(failures=961, since=0, error="ORA-12516: no handler",
                                             failure=TRANSIENT)
    assert report.succeeded(600) == LogonsRecovered(failures=1000, seconds=600)
    assert report.succeeded(601) is None
    assert report.failed(700, "x", FATAL) == LogonsFailing(error="x", failure=FATAL)


def test_readme_lists_exactly_the_table() -> None:
    """README's two groups are the classification table, number for number."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    retried = text[text.index("- **retried**"):text.index("- **never retried**")]
    never = text[text.index("- **never retried**"):text.index("The pool logs logon trouble")]
    ora, dpy = retried.split("DPY-", 1)
    assert {int(n) for n in re.findall(r"\b\d{5}\b", ora)} == set(TRANSIENT_ORA)
    assert {int(n) for n in re.findall(r"\b\d{4}\b", dpy.split(";")[0])} == set(TRANSIENT_DPY)
    assert {int(n) for n in re.findall(r"\b\d{5}\b", never)} == set(FATAL_ORA)
