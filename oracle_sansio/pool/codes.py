"""DPY error numbers the pool machine uses, with python-oracledb's texts, and
the exception raised synchronously for caller misuse.

Messages are copied from python-oracledb 26.1.0 ``src/oracledb/errors.py``
(identical in 4.1.0b1), so a driver can build ``DPY-nnnn: message`` strings that
match python-oracledb's exactly.
"""

from __future__ import annotations

from enum import IntEnum, unique
from typing import Final

from ..errors import LocalProtocolError

__all__ = ["DpyCode", "MESSAGES", "PoolUsageError", "message_for"]


@unique
class DpyCode(IntEnum):
    """The ``DPY-nnnn`` numbers involved in pool behaviour (POOL.md 1.17)."""

    #: release/drop of a connection the pool does not hold as busy.
    NOT_CONNECTED = 1001
    #: any call after ``close()``; waiters woken by ``close(force=True)``.
    POOL_NOT_OPEN = 1002
    #: ``close(force=False)`` while connections are busy or callers wait.
    POOL_HAS_BUSY_CONNECTIONS = 1005
    #: a thick-mode-only feature (``max_sessions_per_shard``, ``soda_metadata_cache``).
    FEATURE_NOT_SUPPORTED = 3001
    #: ``max < min`` in the configuration.
    POOL_MAX_LESS_THAN_MIN = 2064
    #: NOWAIT on a full pool, TIMEDWAIT expiry, ``max_waiters`` exceeded.
    POOL_NO_CONNECTION_AVAILABLE = 4005
    #: a connection was lost while the pool was working on it.
    CONNECTION_CLOSED = 4011
    #: a logon gave up (the machine's open give-up deadline passed).
    CONNECTION_FAILED = 6005


MESSAGES: Final[dict[DpyCode, str]] = {
    DpyCode.NOT_CONNECTED: "not connected to database",
    DpyCode.POOL_NOT_OPEN: "connection pool is not open",
    DpyCode.POOL_HAS_BUSY_CONNECTIONS: "connection pool cannot be closed because connections are busy",
    DpyCode.FEATURE_NOT_SUPPORTED: "{feature} is only supported in python-oracledb thick mode",
    DpyCode.POOL_MAX_LESS_THAN_MIN: "parameter 'max' should be greater than or equal to parameter 'min'",
    DpyCode.POOL_NO_CONNECTION_AVAILABLE: "timed out waiting for the connection pool to return a connection",
    DpyCode.CONNECTION_CLOSED: "the database or network closed the connection",
    DpyCode.CONNECTION_FAILED: "cannot connect to database (CONNECTION_ID={connection_id}).",
}


def message_for(code: DpyCode) -> str:
    """``"DPY-nnnn: text"`` as python-oracledb formats it (placeholders left as is)."""
    return f"DPY-{int(code):04d}: {MESSAGES[code]}"


class PoolUsageError(LocalProtocolError):
    """The caller asked the pool for something it refuses synchronously
    (h11 style: misuse is an exception, not an action).  ``code`` is the
    python-oracledb DPY number a driver should raise."""

    def __init__(self, code: DpyCode) -> None:
        super().__init__(message_for(code))
        self.code = code
