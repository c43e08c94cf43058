"""The PEP 249 exception classes, importable as python-oracledb's
``oracledb.exceptions`` is: ``from oracle_asyncio.exceptions import DatabaseError``
gives the class ``oracle_asyncio.DatabaseError`` is (both are
:mod:`oracle_sansio.exceptions`' own)."""

from __future__ import annotations

from oracle_sansio.exceptions import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
)

__all__ = ["Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
           "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]
