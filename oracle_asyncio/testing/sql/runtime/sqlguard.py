"""What Oracle forbids PL/SQL that a SQL statement called (runtime/sqlcalls.py runs such calls):
DML inside a query (ORA-14551), COMMIT, ROLLBACK or DDL inside a query or DML (ORA-14552).  The
session asks its :class:`SqlCalls` before each; an autonomous transaction (PRAGMA
AUTONOMOUS_TRANSACTION) is free of both, as in Oracle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from .. import errors

__all__ = ["DML", "QUERY", "SqlCalls"]

QUERY, DML, _FREE = "query", "DML", "free"


class SqlCalls:
    """Where the PL/SQL running now was called from: a query, a DML statement, an autonomous
    unit (free), innermost last; empty when no SQL statement called it."""

    def __init__(self) -> None:
        self._stack: list[str] = []

    @contextmanager
    def called_from(self, kind: str) -> Iterator[None]:
        self._stack.append(kind)
        try:
            yield
        finally:
            self._stack.pop()

    def autonomous(self) -> AbstractContextManager[None]:
        """While an autonomous unit runs: it may change data and commit, whatever called it."""
        return self.called_from(_FREE)

    def check_dml(self) -> None:
        """Before DML: ORA-14551 when a query called the PL/SQL running it."""
        if self._stack and self._stack[-1] == QUERY:
            raise errors.ora(14551)

    def check_transaction(self) -> None:
        """Before COMMIT, ROLLBACK and DDL (which commits): ORA-14552 when a query or a DML
        statement called the PL/SQL running it."""
        if self._stack and self._stack[-1] != _FREE:
            raise errors.ora(14552)
