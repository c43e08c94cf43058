"""Pool phase and the opt-in statistics snapshot (an extra python-oracledb lacks)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum, unique

__all__ = ["PoolPhase", "PoolStatistics", "PoolCounters"]


@unique
class PoolPhase(Enum):
    #: built, ``open()`` not called yet; -> OPEN, CLOSED.
    NEW = "new"
    #: serving; -> CLOSED.
    OPEN = "open"
    #: ``close()`` accepted; every later call fails DPY-1002.
    CLOSED = "closed"


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolStatistics:
    """Counters since the machine was built (an opt-in extra; docs/pool.md 1.16).
    Times are seconds of the clock the driver passes in (``now``)."""

    #: ``acquire`` calls, served or not.
    requests: int = 0
    #: acquires that could not be served at once and waited (whatever the outcome).
    waits: int = 0
    #: total seconds callers spent waiting, over every ``acquire`` however it ended:
    #: handed a connection, failed (timeout, NOWAIT, logon error, pool closed) or cancelled.
    wait_time: float = 0.0
    #: acquires that ended in DPY-4005 (TIMEDWAIT expiry, NOWAIT on a full pool, max_waiters,
    #: or the caller's own deadline, reported with ``cancel(req, timed_out=True)``).
    timeouts: int = 0
    #: logons that produced a session for the pool (a late one it closed at once is not counted).
    connections_opened: int = 0
    connections_failed: int = 0
    #: closes of sessions counted in ``connections_opened`` (never more than that count).
    connections_closed: int = 0
    pings: int = 0
    pings_failed: int = 0


@dataclass(slots=True)
class PoolCounters:
    """The machine's running counters (mutable); :meth:`snapshot` freezes them."""

    requests: int = 0
    waits: int = 0
    wait_time: float = 0.0
    timeouts: int = 0
    connections_opened: int = 0
    connections_failed: int = 0
    connections_closed: int = 0
    pings: int = 0
    pings_failed: int = 0

    def snapshot(self) -> PoolStatistics:
        return PoolStatistics(**asdict(self))
