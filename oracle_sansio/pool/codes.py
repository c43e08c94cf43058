"""The exception the pool machine raises synchronously for caller misuse.

The DPY numbers and their texts are in :mod:`oracle_sansio.error_codes` (the one
catalogue); ``DpyCode``, ``MESSAGES`` and ``message_for`` are re-exported here
because ``oracle_sansio.pool`` has always offered them.
"""

from __future__ import annotations

from ..error_codes import DPY_MESSAGES as MESSAGES
from ..error_codes import DpyCode, message_for
from ..errors import LocalProtocolError

__all__ = ["DpyCode", "MESSAGES", "PoolUsageError", "message_for"]


class PoolUsageError(LocalProtocolError):
    """The caller asked the pool for something it refuses synchronously
    (h11 style: misuse is an exception, not an action).  ``code`` is the
    python-oracledb DPY number a driver should raise."""

    def __init__(self, code: DpyCode) -> None:
        super().__init__(message_for(code))
        self.code = code
