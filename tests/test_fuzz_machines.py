"""The fuzz harnesses' machine copies (fuzz/_machines.py): a copy shares with
its parked template only what no machine changes, which made most of the
client and server harnesses' time when copied (issue 14: executions per minute)."""

from __future__ import annotations

from enum import Enum

from fuzz._machines import clone, drive, parked
from oracle_sansio.connection.states import CLIENT_TRANSITIONS, SERVER_TRANSITIONS

_SCALARS = (int, float, str, bytes, Enum, type(None))


def _shared(a: object, b: object) -> list[object]:
    # Each machine's own fields (vars(): the harness-side view, nothing of the machine's API).
    theirs = [v for v in vars(b).values() if not isinstance(v, _SCALARS)]
    return [v for v in vars(a).values() if not isinstance(v, _SCALARS) and any(v is w for w in theirs)]


def test_copies_share_the_tables_and_frozen_settings_only() -> None:
    clients, servers = parked()
    pairs = [(clone(c), c) for c in clients] + [(clone(s), s) for s in servers]
    for twin, template in pairs:
        shared = _shared(twin, template)
        assert any(v is CLIENT_TRANSITIONS or v is SERVER_TRANSITIONS for v in shared)
        assert len(shared) >= 2  # the table and at least the (frozen) connection settings
        tables = (CLIENT_TRANSITIONS, SERVER_TRANSITIONS)
        assert not [v for v in shared if isinstance(v, (list, dict, bytearray, set)) and not any(v is t for t in tables)]


def test_a_copy_runs_apart_from_its_template() -> None:
    clients, _ = parked()
    template = clients[-1]
    before = template.state
    drive(clone(template), b"\x00\x08\x00\x00\x0c\x00\x00\x00", 1)
    assert template.state == before
    assert clone(template).state == before
