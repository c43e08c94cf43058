"""Pool phase and the opt-in statistics snapshot (an extra python-oracledb lacks)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, unique

__all__ = ["PoolPhase", "PoolStatistics"]


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
    """Counters since the machine was built (an opt-in extra; POOL.md 1.16)."""

    requests: int = 0
    waits: int = 0
    wait_time: float = 0.0
    timeouts: int = 0
    connections_opened: int = 0
    connections_failed: int = 0
    connections_closed: int = 0
    pings: int = 0
    pings_failed: int = 0
