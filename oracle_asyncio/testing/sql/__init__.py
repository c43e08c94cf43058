"""The embedded server's SQL engine: Oracle SQL executed on the standard library's sqlite3.

Entry points are in :mod:`.engine` (``Database``, ``Session``, ``Result``, ``OraError``).
"""

from __future__ import annotations

from .engine import Database, OraError, Result, Session

__all__ = ["Database", "OraError", "Result", "Session"]
