"""The connection pool's policy as a pure state machine (docs/architecture.md)."""

from __future__ import annotations

from ._slots import MOVES, Input, SlotState, Verdict
from .actions import (
    CloseConnection, ConnId, FailRequest, HandOver, LeakDetected, OpenConnection, PingConnection,
    PoolAction, PoolClosed, ReqId, RollbackConnection, SetTimer,
)
from .codes import MESSAGES, DpyCode, PoolUsageError, message_for
from .config import PoolConfig, PoolGetMode
from .machine import PoolMachine
from .statistics import PoolPhase, PoolStatistics

__all__ = [
    "CloseConnection", "ConnId", "DpyCode", "FailRequest", "HandOver", "Input", "LeakDetected",
    "MESSAGES", "MOVES", "OpenConnection", "PingConnection", "PoolAction", "PoolClosed",
    "PoolConfig", "PoolGetMode", "PoolMachine", "PoolPhase", "PoolStatistics", "PoolUsageError",
    "ReqId", "RollbackConnection", "SetTimer", "SlotState", "Verdict", "message_for",
]
