"""A session's trigger state, below the interpreter (triggers.py fires triggers; FORALL and the
server's executemany mark array executions): the array INSERT running now, which its statement
triggers see as one statement, and the tables row triggers may not touch (ORA-04091)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from .. import errors
from ..errors import ErrorSlot, OraError
from ..syntax.nodes import Delete, Insert, Update

__all__ = ["BatchHost", "StatementBatch", "TriggerState", "array_statement", "mutating_guard"]


@dataclass(slots=True)
class StatementBatch:
    """One array execution of an INSERT: the table it writes (the first INSERT to fire triggers
    claims the batch), the savepoint its first row took, what its end owes (the AFTER statement
    triggers, set by triggers.py) and its compound triggers' state (one statement's)."""

    table: tuple[str, str] | None = None
    mark: tuple[str, bool] | None = None
    finish: Callable[[], None] | None = None
    shared: dict[int, object] = field(default_factory=dict)

    def claims(self, stmt: Insert | Update | Delete, table: tuple[str, str]) -> bool:
        """Whether ``stmt`` (on ``table``) is one row of this array INSERT."""
        if not isinstance(stmt, Insert):
            return False
        if self.table is None:
            self.table = table
        return self.table == table


@dataclass(slots=True)
class TriggerState:
    """A session's trigger state: the array execution running now, and the tables row triggers
    now running may not touch (sqlite name, lower case -> Oracle name)."""

    batch: StatementBatch | None = None
    mutating: dict[str, str] = field(default_factory=dict)


class BatchHost(Protocol):
    """What an array execution needs of the session (engine.Session is one)."""

    triggers: TriggerState

    def end_statement(self, mark: tuple[str, bool], *, undo: bool) -> None: ...


@contextmanager
def array_statement(host: BatchHost) -> Iterator[None]:
    """Run the body (the rows of one array execution) as one statement to the statement
    triggers of an INSERT: the AFTER statement triggers fire when the body ends without an
    error; an error there undoes the whole array's work, as a failing statement's does."""
    batch, outer = StatementBatch(), host.triggers.batch
    host.triggers.batch = batch
    try:
        yield
    except BaseException:
        host.triggers.batch = outer
        if batch.mark is not None:
            host.end_statement(batch.mark, undo=False)  # the rows before the failing one stay, as in Oracle
        raise
    host.triggers.batch = outer
    if batch.mark is None:
        return
    try:
        if batch.finish is not None:
            batch.finish()
    except OraError:
        host.end_statement(batch.mark, undo=True)
        raise
    host.end_statement(batch.mark, undo=False)


#: What sqlite's authorizer is asked that reads or changes a table.
_TABLE_ACCESS = frozenset({sqlite3.SQLITE_READ, sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})


def mutating_guard(slot: ErrorSlot, names: dict[str, str]) -> Callable[[int, str | None, str | None, str | None,
                                                                          str | None], int]:
    """A sqlite authorizer refusing SQL that touches a table of ``names`` with ORA-04091 (left in
    ``slot`` for the engine to report); sqlite asks it as it compiles each statement."""
    def check(action: int, table: str | None, column: str | None, db: str | None, source: str | None) -> int:
        if action in _TABLE_ACCESS and table is not None and table.lower() in names:
            slot.error = errors.ora(4091, name=names[table.lower()])
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
    return check
