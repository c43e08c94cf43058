"""A cursor's current result set: the columns and how each is converted, the rows
received and not yet handed out, the FETCH round trips for more, the OUT and
RETURNING values of the last call, and the statement-cache entry the rows hold."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import CallCompleted, Described, OutBindsReceived, RowsReceived
from oracle_sansio.ttc.constants import BindDirection
from oracle_sansio.ttc.messages.binds import BindMetadata
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.ttc.messages.lob import LobValue
from oracle_sansio.ttc.messages.rows import DecoderChoice

from ._cursor_vars import Var, var_state
from ._defaults import defaults
from ._fetch import FetchInfo, column_converter, fetch_var, row_decoders, wants_long
from ._session import CachedStatement, Session
from .dbtypes import db_type_for
from .lob import AsyncLOB

__all__ = ["LOBS", "ResultSet"]

LOBS = (OracleType.CLOB, OracleType.BLOB, OracleType.BFILE)


class ResultSet:
    """The result set of one cursor (python-oracledb keeps it on the cursor)."""

    def __init__(self, session: Session, owner: object,
                 handler_of: weakref.WeakMethod[Callable[[], Callable[..., Any] | None]],
                 arraysize_of: weakref.WeakMethod[Callable[[], int]]) -> None:
        """``owner``: the cursor (passed to output type handlers); ``handler_of`` and
        ``arraysize_of``, weak methods of it, read its output type handler and arraysize
        when needed."""
        self._session = session
        # Held weakly, and so are its readers: no cycle between the cursor
        # and its result set, so a cursor is freed when its last reference goes, not by
        # the garbage collector (a pooled query makes a cursor each time: about 1-3 us of
        # collection per cursor, more with a bigger heap).
        self._owner = weakref.ref(owner)
        self._handler_of = handler_of
        self._arraysize_of = arraysize_of
        self.rows: list[tuple[object, ...]] = []
        self._taken = 0  # rows[:_taken] are handed out already: fetchone reads by index, never pop(0)
        self.cursor_id = 0
        self.more = False
        self.columns: tuple[ColumnMetadata, ...] = ()
        self._described: tuple[ColumnMetadata, ...] | None = None  # what description shows
        self._has_fetchvars = False  # a query's columns were set (fetchvars is then a list)
        self.decoders: DecoderChoice | None = None  # the machine's value decoders for this result set
        self.long_columns: list[bool] = []  # LOB columns a fetch variable wants as LONG / LONG RAW
        self.returned: list[tuple[object, ...]] = []  # DML RETURNING values, one entry per execution
        #: OUT values, one list per execution, until the call tells their directions.
        self._pending_out: list[list[object]] = []
        self._chosen: list[Var | None] = []  # the output type handler's variable per column
        self._chosen_arraysize = 0  # the arraysize when they were chosen
        self._chosen_vars: list[Var] | None = None  # fetchvars, made when first read
        self._columns_key: tuple[object, ...] | None = None  # what set_columns last chose for
        self._converting: list[tuple[int, Any]] = []  # (column, converter) for the columns that need one
        self._lob_columns: list[int] = []
        self._cached: CachedStatement | None = None  # the statement-cache entry while rows are pending

    def _cursor(self) -> object:
        owner = self._owner()
        assert owner is not None  # only the cursor calls its result set
        return owner

    def _handler(self) -> Callable[..., Any] | None:
        read = self._handler_of()
        assert read is not None  # only the cursor calls its result set
        return read()

    def _arraysize(self) -> int:
        read = self._arraysize_of()
        assert read is not None
        return read()

    def clear(self) -> None:
        """No rows and no description (a new statement, or a prepare)."""
        self.rows, self._described, self.more = [], None, False
        self._taken = 0
        self._pending_out = []  # a DML RETURNING's values are never delivered as OUT values

    @property
    def buffered(self) -> bool:
        """Are rows fetched but not handed out yet?"""
        return len(self.rows) > self._taken

    def choose_decoders(self, fetch_decimals: bool | None) -> DecoderChoice | None:
        """The machine's value decoders for this execute and its fetches: python-oracledb's
        NUMBER types decoded directly, unless an output type handler decides."""
        decimals = defaults.fetch_decimals if fetch_decimals is None else fetch_decimals
        self.decoders = None if self._handler() is not None else row_decoders(decimals)
        return self.decoders

    def set_columns(self, columns: tuple[ColumnMetadata, ...], fetch_decimals: bool | None) -> None:
        """The columns of the result set: their fetch variables and converters."""
        decimals = defaults.fetch_decimals if fetch_decimals is None else fetch_decimals
        owner = self._cursor()
        handler = self._handler()
        key = (columns, handler, decimals, self.decoders)
        if key != self._columns_key:
            # python-oracledb asks the output type handler again only when the columns
            # or the handler change; the fetch variables are kept otherwise.  One loop,
            # and no Var until fetchvars is read: a new cursor on a cached statement
            # (a pooled query) paid about 3 us per column for lists and Vars nobody read.
            arraysize = self._arraysize()
            decoded = self.decoders is not None
            chosen: list[Var | None] = []
            longs: list[bool] = []
            converting: list[tuple[int, Any]] = []
            lobs: list[int] = []
            for i, c in enumerate(columns):
                var = fetch_var(owner, handler, c, arraysize) if handler is not None else None
                chosen.append(var)
                fn = column_converter(c, var, decimals, decoded=decoded)
                if fn is not None:
                    converting.append((i, fn))
                longs.append(var is not None and wants_long(c, var))
                if c.ora_type in LOBS:
                    lobs.append(i)
            self._chosen, self._chosen_arraysize, self._chosen_vars = chosen, arraysize, None
            self.long_columns, self._converting, self._lob_columns = longs, converting, lobs
            self._columns_key = key
        self.columns = columns
        self._has_fetchvars = True
        self._described = columns if columns else None

    @property
    def fetchvars(self) -> list[Var] | None:
        """The variables the last query's columns are fetched into (None before a query):
        the output type handler's, else one of the column's type, made on first read."""
        if not self._has_fetchvars:
            return None
        made = self._chosen_vars
        if made is None:
            arraysize = self._chosen_arraysize
            made = [v if v is not None else Var(db_type_for(c.ora_type, c.csfrm), arraysize=arraysize)
                    for c, v in zip(self.columns, self._chosen)]
            self._chosen_vars = made
        return made

    def forget_fetchvars(self) -> None:
        """No fetch variables until the next query's columns are set (prepare, execute)."""
        self._has_fetchvars = False

    @property
    def description(self) -> list[FetchInfo] | None:
        """One FetchInfo per column, made when asked (as python-oracledb: a new list per
        access), not on every execute; None without a result set."""
        columns = self._described
        return None if columns is None else [FetchInfo(c) for c in columns]

    def consume(self, events: list[Any], fetch_decimals: bool | None) -> None:
        """Take a call's columns, rows and OUT values."""
        for event in events:
            if isinstance(event, Described):
                self.set_columns(event.columns, fetch_decimals)
            elif isinstance(event, RowsReceived):
                if self._converting or self._lob_columns:
                    self.rows.extend(self._convert(r) for r in event.rows)
                elif self._taken >= len(self.rows):
                    # Rows arrive in their final values (see choose_decoders): keep the
                    # machine's list rather than copy it row by row.
                    self.rows, self._taken = event.rows, 0
                else:
                    self.rows.extend(event.rows)
            elif isinstance(event, OutBindsReceived):
                # Directions are recorded by the machine when the call ends (see deliver_out).
                self._pending_out.append(list(event.values))  # a PL/SQL executemany sends one per execution
                self.returned.append(tuple(event.values))

    def deliver_out(self, slots: list[Var]) -> None:
        """Store the last call's OUT values in the variables bound OUT or IN OUT."""
        meta = self._session.machine.cursors.get(self.cursor_id)
        values = self._pending_out
        self._pending_out = []
        if not values or meta is None or meta.directions is None:
            return
        for row, execution in enumerate(values):
            it = iter(execution)
            for i, direction in enumerate(meta.directions):
                if direction in (BindDirection.OUTPUT, BindDirection.INPUT_OUTPUT):
                    value = next(it, None)
                    if i < len(slots):
                        var_state(slots[i]).set_from_database(row, value, self._session)

    def _convert(self, row: tuple[object, ...]) -> tuple[object, ...]:
        converting = self._converting
        if not converting and not self._lob_columns:
            return row
        out = list(row)
        for i, fn in converting:
            out[i] = fn(out[i])
        for i in self._lob_columns:
            value = out[i]
            if isinstance(value, LobValue):
                column = self.columns[i]
                out[i] = AsyncLOB(self._session, value, column.ora_type, column.csfrm)
        return tuple(out)

    async def fill(self) -> None:
        """One FETCH round trip when no row is buffered and the server has more."""
        if self.buffered or not self.more:
            return
        machine = self._session.machine
        choice, cursor_id, arraysize = self.decoders, self.cursor_id, self._arraysize()
        events = await self._session.call(lambda: machine.fetch(cursor_id, arraysize, decoders=choice))
        self.consume(events, None)
        last = events[-1]
        assert isinstance(last, CallCompleted)
        self.more = last.more_rows
        if not self.more:
            self.release_cached()

    def next_buffered(self) -> tuple[object, ...] | None:
        """The next fetched row without a round trip or an await (None: none buffered)."""
        rows, taken = self.rows, self._taken
        if taken >= len(rows):
            return None
        self._taken = taken + 1
        return rows[taken]

    async def take(self, want: int | None) -> list[tuple[object, ...]]:
        """Up to ``want`` rows (None: every remaining row), fetching as needed."""
        out: list[tuple[object, ...]] = []
        while want is None or len(out) < want:
            await self.fill()
            rows, start = self.rows, self._taken
            if start >= len(rows):
                break
            end = len(rows) if want is None else min(len(rows), start + want - len(out))
            out.extend(rows[start:end] if start or end < len(rows) else rows)
            if end == len(rows):
                self.rows, self._taken = [], 0  # a new list: ``out`` may hold the old one's rows
            else:
                self._taken = end
        return out

    def keep_cached(self, sql: str, binds: tuple[BindMetadata, ...]) -> None:
        """Put the statement in the session's cache, held while rows are pending."""
        entry = self._session.cache.remember(sql, self.cursor_id, binds, self.columns)
        entry.in_use = self.more
        self._cached = entry

    def drop_cached(self) -> None:
        """The cache no longer has this statement: the result set owns its server cursor."""
        self._cached = None

    def release_cached(self) -> None:
        """The cached statement may serve other cursors again."""
        if self._cached is not None:
            self._cached.in_use = False
            self._cached = None

    def close(self) -> None:
        """The cursor closes: release the cached statement, or close the server cursor
        (with the next call) when the cache does not keep it."""
        if self._cached is not None:
            self.release_cached()
        elif self.cursor_id:
            self._session.close_cursor(self.cursor_id)
