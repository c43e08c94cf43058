"""What a statement gives back to the server (engine.Session.execute returns it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from oracle_sansio.ttc.messages.describe import ColumnMetadata

from ..types.datatypes import SqlType

__all__ = ["Result"]


@dataclass(slots=True)
class Result:
    """The outcome of one statement: a query's columns and rows, DML counts, PL/SQL out values."""

    columns: tuple[ColumnMetadata, ...] | None = None
    #: A query: its columns' types as the engine knows them (PL/SQL records take them).
    types: tuple[SqlType, ...] = ()
    rows: Iterator[tuple[object, ...]] | None = None
    row_count: int = 0
    out_values: dict[int, object] | None = None
    #: PL/SQL: the positions of the binds the block read (an assigned one is then IN OUT).
    read_binds: frozenset[int] = frozenset()
    #: ALTER SYSTEM KILL SESSION 'sid,serial': the server kills that session.
    kill: tuple[int, int] | None = None
    #: ... IMMEDIATE (or DISCONNECT SESSION): its socket is cut at once.
    kill_immediate: bool = False
    #: dbms_session.sleep(n): the server awaits this many seconds (break cancels).
    sleep_seconds: float | None = None
    #: DML: the rowid fields (rowids.py) of the last row it inserted, updated or deleted.
    rowid: tuple[int, int, int, int] | None = None
    #: DML with RETURNING: the values of its expressions, one tuple per row changed.
    returned: list[tuple[object, ...]] | None = None
    #: CREATE / ALTER ... COMPILE of a PL/SQL unit that compiled with errors: the call succeeds
    #: with Oracle's "success with compilation error" warning (python-oracledb's DPY-7000).
    compile_warning: bool = False
