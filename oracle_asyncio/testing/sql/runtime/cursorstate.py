"""A PL/SQL cursor's state, and the session's count of open cursor variables.

:class:`CursorState` is what an explicit cursor, a cursor FOR loop and a cursor variable
read rows through: the query's rows as the engine streams them, the column names and
types, and the attributes (``%ISOPEN``, ``%FOUND``, ``%NOTFOUND``, ``%ROWCOUNT``).  A
cursor variable's value is one (plsql_values.py): variables assigned from one another
share it, as Oracle's share one work area.

:class:`OpenCursors` is the session's ceiling on open cursor variables (ORA-01000, at
the OPEN_CURSORS the server advertises) and the one place that can read every open one's
remaining rows into memory (:meth:`OpenCursors.settle`) before the session changes data:
a streaming sqlite statement would otherwise see the change (Oracle's cursor does not)
or stop a DROP TABLE.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Final

from .. import errors
from ..types.datatypes import SqlType, T
from .plsql_values import RecordType
from .results import Result

__all__ = ["CursorState", "OPEN_CURSORS", "OpenCursors"]

#: A session's default ceiling on open cursor variables: the OPEN_CURSORS value the server
#: advertises at logon unless configured otherwise (oracle_sansio.ServerConfig.max_open_cursors).
OPEN_CURSORS: Final = 300


@dataclass(eq=False)
class CursorState:
    """A cursor's state: its rows (None: closed) and what it has fetched."""

    rows: Iterator[tuple[object, ...]] | None = None
    names: tuple[str, ...] = ()
    types: tuple[SqlType, ...] = ()
    count: int | None = None
    found: bool | None = None

    def open(self, result: Result, *, read_all: bool = False) -> None:
        """``read_all``: read the rows now, so that no engine cursor stays open behind an
        OPEN that its block may leave without CLOSE (sqlite would then refuse a DROP TABLE)."""
        self.close()
        self.rows = iter(list(result.rows or ()) if read_all else result.rows or ())
        self.names = tuple(c.name for c in result.columns or ())
        self.types = result.types
        self.count, self.found = 0, None

    def close(self) -> None:
        if isinstance(self.rows, Generator):
            self.rows.close()  # the engine's cursor is freed now
        self.rows = None
        self.count = self.found = None

    def settle(self) -> None:
        """Read the rows not fetched yet into memory, freeing the engine's cursor."""
        if isinstance(self.rows, Generator):
            self.rows = iter(list(self.rows))

    def fetch(self, limit: int | None) -> list[tuple[object, ...]]:
        """Up to ``limit`` more rows (None: one)."""
        assert self.rows is not None
        got: list[tuple[object, ...]] = []
        for row in self.rows:
            got.append(row)
            if len(got) >= (limit or 1):
                break
        self.count = (self.count or 0) + len(got)
        self.found = bool(got) if limit is None else len(got) >= limit
        return got

    def fits(self, row: RecordType) -> bool:
        """Whether the open query's rows are of record type ``row`` (a strong cursor's RETURN
        type): as many columns as fields, and no number where text is wanted or the reverse."""
        if self.rows is None:
            return True  # nothing to tell yet: the OPEN checks
        if len(self.types) != len(row.fields):
            return False
        return all(_family(have) == _family(want) for have, (_, want) in zip(self.types, row.fields)
                   if isinstance(want, SqlType) and _family(want) and _family(have))

    def attribute(self, name: str) -> object:
        is_open = self.rows is not None
        if name == "ISOPEN":
            return is_open
        if not is_open:
            raise errors.ora(1001)
        if name == "ROWCOUNT":
            return self.count
        found = self.found
        return None if found is None else found if name == "FOUND" else not found


def _family(t: SqlType) -> str:
    return "text" if t.is_char else "number" if t.t is T.NUMBER else ""


class OpenCursors:
    """The cursor variables open in one session, at most ``limit`` of them."""

    __slots__ = ("limit", "_open")

    def __init__(self, limit: int = OPEN_CURSORS) -> None:
        self.limit = limit
        self._open: dict[CursorState, None] = {}  # insertion-ordered set

    def __len__(self) -> int:
        return len(self._open)

    def opening(self, cursor: CursorState) -> None:
        """``cursor`` is about to open: ORA-01000 when it would be one too many."""
        if cursor not in self._open and len(self._open) >= self.limit:
            raise errors.ora(1000)
        self._open[cursor] = None

    def close(self, cursor: CursorState) -> None:
        cursor.close()
        self._open.pop(cursor, None)

    def settle(self) -> None:
        """Every open cursor variable's remaining rows read into memory (before the session
        writes: see the module's docstring)."""
        for cursor in self._open:
            cursor.settle()
