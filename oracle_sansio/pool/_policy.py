"""The pool's grow, serve and shrink policy (private to the machine): how many
connections to open, which idle one serves a caller, which ones to close.  Pure
functions of the configuration, the slot index and ``now``; the machine applies
their answers through the slot table (``_slots.py``).

Serving (python-oracledb ``PooledConnRequest.fulfill``): the most recently returned
session first (LIFO, python-oracledb test 5518), used sessions before never-used
ones; purity NEW (``wants_new``) takes never-used sessions only; a caller who gave
no cclass takes any class, one who gave a cclass only that class.
"""

from __future__ import annotations

from enum import Enum, unique

from .config import PoolConfig, PoolGetMode
from ._slots import Slot, Slots
from ._waiters import Waiter

__all__ = [
    "Logon", "ExtraFate", "expired", "needs_ping", "suits", "idle_for", "first_idle", "ready", "acquire_growth",
    "refill", "budget", "logon_for", "extra_fate", "shrinks",
]


@unique
class Logon(Enum):
    """What a caller who found nothing idle gets."""

    #: nothing now: it waits for a release (or a logon the pool makes anyway).
    NONE = "none"
    #: a logon of its own (the pool is below ``max``).
    OWN = "own"
    #: the pool is full of idle sessions that do not suit it: close the oldest, log on.
    REPLACE = "replace"
    #: FORCEGET on a full pool: a logon beyond ``max`` (an extra).
    EXTRA = "extra"


@unique
class ExtraFate(Enum):
    """What becomes of a FORCEGET extra that is free again."""

    #: the pool has room again: it becomes a regular connection.
    KEEP = "keep"
    #: the pool is full: close it.
    CLOSE = "close"
    #: the pool is exactly full and has a never-used idle session: close that one instead
    #: (python-oracledb keeps the used session; docs/pool.md 1.7).
    CLOSE_SPARE = "close_spare"


def expired(slot: Slot, now: float, cfg: PoolConfig) -> bool:
    """Older than ``max_lifetime_session`` (shortened by its jitter)."""
    mls = cfg.max_lifetime_session
    if mls <= 0:
        return False
    return now > slot.created_at + mls * (1 - cfg.lifetime_jitter * slot.jitter)


def needs_ping(slot: Slot, now: float, cfg: PoolConfig) -> bool:
    """Idle longer than ``ping_interval`` (0: always, < 0: never)."""
    interval = cfg.ping_interval
    return interval == 0 or (interval > 0 and now - slot.returned_at > interval)


def suits(w: Waiter, slot: Slot) -> bool:
    """Whether a free session may go to ``w`` (cclass and purity)."""
    return w.takes(slot.cclass) and (slot.never_used or not w.wants_new)


def idle_for(slots: Slots, w: Waiter, now: float,
             cfg: PoolConfig) -> tuple[list[Slot], Slot | None]:
    """The idle slot that serves ``w`` (None: none suits), and the expired ones met
    before it, newest first, which the machine closes on the way."""
    stale: list[Slot] = []
    for never_used in (True,) if w.wants_new else (False, True):
        for slot in slots.free(never_used, w.cclass, any_class=w.any_class):
            if not expired(slot, now, cfg):
                return stale, slot
            stale.append(slot)
    return stale, None


def first_idle(slots: Slots, cclass: str | None, any_class: bool, wants_new: bool) -> Slot | None:
    """The idle slot :func:`idle_for` looks at first for a caller asking with these terms
    (whether expired or not), or None.  Looks at one slot per free list at most."""
    slot = None if wants_new else slots.newest_free(False, cclass, any_class)
    return slot if slot is not None else slots.newest_free(True, cclass, any_class)


def ready(slot: Slot, now: float, cfg: PoolConfig) -> bool:
    """Whether an idle ``slot`` may be handed over as it is: not expired, no ping due
    (:func:`expired` and :func:`needs_ping`, spelled out: this runs on every acquire)."""
    interval = cfg.ping_interval
    if interval == 0 or (interval > 0 and now - slot.returned_at > interval):
        return False
    mls = cfg.max_lifetime_session
    return mls <= 0 or now <= slot.created_at + mls * (1 - cfg.lifetime_jitter * slot.jitter)


def acquire_growth(cfg: PoolConfig, live: int) -> int:
    """The background budget an acquire on a pool below ``max`` sets when none is
    pending: python-oracledb grows by ``increment``, the caller's own logon first."""
    return min(max(cfg.increment, 1), cfg.max - live)


def refill(cfg: PoolConfig, live: int, to_create: int) -> int:
    """The budget after a loss: at least back to ``min``."""
    return max(to_create, cfg.min - live)


def budget(cfg: PoolConfig, live: int, to_create: int) -> int:
    """The budget clipped to what ``max`` leaves room for."""
    return max(0, min(to_create, cfg.max - live))


def logon_for(w: Waiter, cfg: PoolConfig, live: int, idle: int) -> Logon:
    """For a caller no idle session suits (docs/pool.md 1.15: python-oracledb ``is_replacing``)."""
    if live < cfg.max:
        return Logon.OWN
    if idle:
        return Logon.REPLACE
    if w.getmode is PoolGetMode.FORCEGET:
        return Logon.EXTRA
    return Logon.NONE


def extra_fate(cfg: PoolConfig, live: int, spare: Slot | None) -> ExtraFate:
    """For a free extra; ``spare``: the oldest never-used idle session that is not one."""
    if live < cfg.max:
        return ExtraFate.KEEP
    if spare is None or live > cfg.max:
        return ExtraFate.CLOSE
    return ExtraFate.CLOSE_SPARE


def shrinks(slot: Slot, open_count: int, now: float, cfg: PoolConfig) -> bool:
    """Whether the oldest idle ``slot`` is closed by the idle timeout (exactly at
    ``timeout``; never below ``min``)."""
    return (cfg.timeout > 0 and open_count > cfg.min
            and slot.returned_at + cfg.timeout <= now)
