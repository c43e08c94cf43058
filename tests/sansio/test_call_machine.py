"""Every (state, input) pair of the call sub-machine's table, and what each
role reads from it (connection/_call.py)."""

from __future__ import annotations

import itertools

import pytest

from oracle_sansio.connection._call import CALL_TRANSITIONS, CallInput, CallMachine, CallState
from oracle_sansio.errors import LocalProtocolError


def _machine(state: CallState) -> CallMachine[str, str]:
    m: CallMachine[str, str] = CallMachine()
    m._state = state  # noqa: SLF001 - the table test puts the machine in each state
    return m


@pytest.mark.parametrize(("state", "inp"), list(itertools.product(CallState, CallInput)))
def test_call_table(state: CallState, inp: CallInput) -> None:
    m = _machine(state)
    expected = CALL_TRANSITIONS.get((state, inp))
    if expected is not None:
        assert m.move(inp) == expected
        assert m.state == expected
        return
    with pytest.raises(LocalProtocolError, match=f"{inp.name} is not allowed in call state {state.name}"):
        m.move(inp)
    assert m.state == state


def test_every_state_is_reachable_and_left() -> None:
    reachable = {CallState.IDLE} | set(CALL_TRANSITIONS.values())
    assert reachable == set(CallState)
    assert {state for state, _ in CALL_TRANSITIONS} == set(CallState)


@pytest.mark.parametrize("state", list(CallState))
def test_flags_read_the_state(state: CallState) -> None:
    m = _machine(state)
    assert m.break_sent == (state in (CallState.BREAK_SENT, CallState.BREAK_SENT_RESET))
    assert m.reset_seen == (state in (CallState.RESET, CallState.BREAK_SENT_RESET))
    assert m.is_open == (state == CallState.OPEN)
    assert m.is_held == (state == CallState.HELD)
    assert m.data_pending == (state == CallState.DATA_PENDING)


def test_client_break_goes_once_per_call_and_a_new_call_forgets_break_and_reset() -> None:
    m: CallMachine[str, str] = CallMachine()
    m.start("first")
    assert m.record == "first"
    assert m.send_break() is True
    assert m.send_break() is False  # one INTERRUPT per call
    m.reset()
    assert m.break_sent and m.reset_seen
    # The call ends without a move: its reset still silences stray markers.
    m.record = None
    assert m.reset_seen
    m.start("second")
    assert not m.break_sent and not m.reset_seen
    assert m.send_break() is True


def test_server_answer_is_held_until_released() -> None:
    m: CallMachine[str, str] = CallMachine()
    m.start("call")
    m.hold(b"answer")
    assert m.record is None and m.is_held
    assert m.release() == b"answer"
    assert m.state == CallState.IDLE
    m.start(None)
    m.end()
    assert m.state == CallState.IDLE
    with pytest.raises(LocalProtocolError):
        m.release()


def test_pending_packet_waits_for_its_data() -> None:
    m: CallMachine[str, str] = CallMachine()
    m.expect_data("REFUSE")
    assert m.pending == "REFUSE" and m.data_pending
    with pytest.raises(LocalProtocolError):
        m.expect_data("again")
    assert m.take_pending() == "REFUSE"
    assert m.pending is None and m.state == CallState.IDLE
