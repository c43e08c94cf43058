"""The connection pool's policy as a pure state machine (docs/architecture.md).

Deviations from python-oracledb (deliberate; check everything else against docs/pool.md 1):

- Give-up deadlines: every open, ping, rollback and close carries one; when it passes the
  connection counts as gone, so nothing can hang the pool or ``close()`` (docs/pool.md 1.19 items 1-3).
- Concurrent opens: up to ``max_concurrent_opens`` logons at once, not one background task,
  once a logon has succeeded; before that the pool's own logons go one at a time, so a
  wrong password costs one attempt, not ``min``.
- Retry backoff: a background open that failed for a TRANSIENT reason (network,
  availability; ``failures.py`` classifies) is retried after an exponential, jittered
  backoff instead of growth silently stopping (1.19 item 6).  A FATAL failure (credentials,
  account, arguments, anything unknown) halts logons: the waiting callers who need one
  fail at once with it and nothing is retried; a later ``acquire`` may try one probe
  logon (``_logons.py``), and any successful logon lifts the halt.  A caller kept for a
  held session's release fails with the halting error once no held session can serve it.
- TIMEDWAIT with ``wait_timeout`` 0 still takes a free idle connection (1.19b: DPY-4005).
- FORCEGET accounting: an extra released on a full pool is closed without 1.12's drift.
- Cancellation safety: a connection handed to a cancelled caller goes back to the pool;
  no slot is ever lost (1.19 item 8, 1.19b).
- Static pool growth: with ``increment`` 0 (``min == max``) a caller finding the pool below
  ``max`` still gets its own logon (python-oracledb's step of 0 opens none for it).
- Idle shrink exactly at ``timeout`` (python-oracledb: up to ``2 * timeout + 1``).
- Setters: ``getmode`` must be a PoolGetMode (python-oracledb stores any uint), and
  every setter raises DPY-1002 after close (``ping_interval`` raises AttributeError there).
"""

from __future__ import annotations

from ._slots import MOVES, Fate, Input, SlotState
from .actions import (
    CloseConnection, ConnId, FailRequest, HandOver, LeakDetected, OpenConnection, PingConnection,
    PoolAction, PoolClosed, ReqId, RollbackConnection, SetTimer,
)
from .codes import MESSAGES, DpyCode, PoolUsageError, message_for
from .config import PoolConfig, PoolGetMode
from .failures import (
    FATAL_ORA, TRANSIENT_DPY, TRANSIENT_ORA, LogonFailure, LogonHealth, LogonReport, LogonsFailing,
    LogonsRecovered, LogonsStillFailing, classify_logon_error,
)
from .machine import PoolMachine
from .statistics import PoolPhase, PoolStatistics

__all__ = [
    "FATAL_ORA", "TRANSIENT_DPY", "TRANSIENT_ORA", "LogonFailure", "LogonHealth", "LogonReport",
    "LogonsFailing", "LogonsRecovered", "LogonsStillFailing", "classify_logon_error",
    "CloseConnection", "ConnId", "DpyCode", "FailRequest", "HandOver", "Input", "LeakDetected",
    "MESSAGES", "MOVES", "OpenConnection", "PingConnection", "PoolAction", "PoolClosed",
    "PoolConfig", "PoolGetMode", "PoolMachine", "PoolPhase", "PoolStatistics", "PoolUsageError",
    "ReqId", "RollbackConnection", "SetTimer", "SlotState", "Fate", "message_for",
]
