"""AsyncCursor: python-oracledb's asyncio cursor over the client machine
(first slice: execute/executemany with positional and named binds, fetch,
description, rowcount, PL/SQL out variables, LOB columns)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import CallCompleted, Described, OutBindsReceived, RowsReceived
from oracle_sansio.exceptions import dpy_error
from oracle_sansio.statement import parse_statement
from oracle_sansio.ttc.constants import BindDirection
from oracle_sansio.ttc.messages.binds import (
    BindMetadata,
    bind_metadata_for_values,
    define_metadata_for_column,
    lob_bind_metadata,
)
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.exceptions import Error
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.messages.lob import LobValue

from . import dbtypes
from .dbtypes import DbType, db_type_for
from .lob import AsyncLOB

if TYPE_CHECKING:
    from .connection import AsyncConnection

__all__ = ["AsyncCursor", "Var", "defaults"]


class _Defaults:
    """``oracledb.defaults`` equivalents."""

    fetch_decimals = False
    fetch_lobs = True
    arraysize = 100
    prefetchrows = 2


defaults = _Defaults()
_MAX_PLSQL_STRING = 32767
_SAMPLES: dict[type, object] = {int: 0, float: 0.5, Decimal: Decimal(0), str: "", bytes: b"", bool: True}


class Var:
    """A bind variable (``cursor.var(type)``) whose value PL/SQL may set."""

    def __init__(self, typ: type | DbType, size: int = 4000) -> None:
        self.type = typ
        self.size = size
        self.value: object = None

    def getvalue(self) -> object:
        """The current value."""
        return self.value

    def setvalue(self, pos: int, value: object) -> None:
        """Set the value (``pos`` must be 0)."""
        self.value = value

    @property
    def is_lob(self) -> bool:
        """True for DB_TYPE_CLOB / NCLOB / BLOB variables."""
        return isinstance(self.type, DbType) and self.type.ora_type in (OracleType.CLOB, OracleType.BLOB)

    def metadata(self, field_version: int, is_plsql: bool) -> BindMetadata:
        if isinstance(self.type, DbType) and self.is_lob:
            return lob_bind_metadata(self.type.ora_type, self.type.csfrm)
        if isinstance(self.type, type):
            sample = _SAMPLES.get(self.type, "")
            if sample == "":
                sample = "x" * max(self.size, 1)
        else:
            sample = "x" * self.size
        return bind_metadata_for_values([sample], field_version=field_version, is_plsql=is_plsql)


def _converter(column: ColumnMetadata, fetch_decimals: bool) -> Any:
    if column.ora_type == OracleType.NUMBER:
        if fetch_decimals:
            return lambda v: v if v is None else Decimal(v)
        integral = column.scale == 0 and column.precision != 0 or (column.precision == 0 and column.scale == -127)
        if integral:
            return lambda v: v if v is None or isinstance(v, int) else float(v)
        return lambda v: v if v is None else float(v)
    return None


class AsyncCursor:
    """python-oracledb ``AsyncCursor`` (first slice)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.arraysize = defaults.arraysize
        self.prefetchrows = defaults.prefetchrows
        self.rowcount = -1
        self.description: list[tuple[object, ...]] | None = None
        self.lastrowid: str | None = None
        self._rows: list[tuple[object, ...]] = []
        self._cursor_id = 0
        self._more = False
        self._columns: tuple[ColumnMetadata, ...] = ()
        self._converters: list[Any] = []
        self._closed = False
        self._cached: Any = None  # this cursor's statement-cache entry while its rows are pending
        self._pending_out: list[object] = []  # OUT values until the call tells their directions

    # ------------------------------------------------------------ execute

    def var(self, typ: type | DbType, size: int = 4000) -> Var:
        """A variable for OUT binds."""
        return Var(typ, size)

    def _values(self, sql: str, parameters: Any, kw: Mapping[str, object]) -> tuple[list[str], list[object]]:
        stmt = parse_statement(sql)
        names = list(stmt.bind_names)
        if kw and parameters is None:
            parameters = kw
        if parameters is None:
            return names, []
        if isinstance(parameters, Mapping):
            lookup = {str(k).upper(): v for k, v in parameters.items()}
            return names, [lookup.get(n) for n in names]
        values = list(parameters)
        if len(values) != len(names):
            unique = list(dict.fromkeys(names))
            if len(values) == len(unique):
                by_name = dict(zip(unique, values))
                values = [by_name[n] for n in names]
        return names, values

    async def execute(self, statement: str, parameters: Any = None, *, fetch_lobs: bool | None = None,
                      fetch_decimals: bool | None = None, **kwparameters: object) -> AsyncCursor | None:
        """Execute one statement (returns the cursor for queries, as python-oracledb 26.1)."""
        self._check()
        _, values = self._values(statement, parameters, kwparameters)
        return await self._run(statement, [values] if values else [], fetch_lobs, fetch_decimals)

    async def executemany(self, statement: str, parameters: Sequence[Any]) -> None:
        """Execute a DML statement once per row of ``parameters``."""
        self._check()
        rows = [self._values(statement, p, {})[1] for p in parameters]
        await self._run(statement, rows, None, None)

    async def _run(self, sql: str, rows: list[list[object]], fetch_lobs: bool | None,
                   fetch_decimals: bool | None) -> AsyncCursor | None:
        conn = self.connection
        machine = conn._conn
        fv = machine.caps.field_version
        stmt = parse_statement(sql)
        self._release_cached()  # this cursor's previous result set is abandoned
        # LOB variables holding str/bytes travel as temporary LOBs (python-oracledb does so).
        for row in rows:
            for v in row:
                if isinstance(v, Var) and v.is_lob and isinstance(v.value, (str, bytes)):
                    assert isinstance(v.type, DbType)
                    v.value = await conn.createlob(v.type, v.value)
        temporary: list[bytes] = []
        if stmt.is_plsql:
            # PL/SQL takes at most 32767 bytes in a string bind: longer str/bytes
            # values go as temporary CLOB/BLOBs, as python-oracledb sends them,
            # freed by a piggyback on the next call.
            for row in rows:
                for i, v in enumerate(row):
                    lob: AsyncLOB | None = None
                    if isinstance(v, str) and len(v.encode()) > _MAX_PLSQL_STRING:
                        lob = await conn.createlob(dbtypes.DB_TYPE_CLOB, v)
                    elif isinstance(v, (bytes, bytearray)) and len(v) > _MAX_PLSQL_STRING:
                        lob = await conn.createlob(dbtypes.DB_TYPE_BLOB, bytes(v))
                    if lob is not None:
                        row[i] = lob
                        temporary.append(lob._value.locator)
        plain_rows = [[v.value if isinstance(v, Var) else v for v in row] for row in rows]
        binds: tuple[BindMetadata, ...] = ()
        if rows:
            width = len(rows[0])
            metas: list[BindMetadata] = []
            for i in range(width):
                first = rows[0][i]
                if isinstance(first, Var):
                    metas.append(first.metadata(fv, stmt.is_plsql))
                elif isinstance(first, AsyncLOB) or (rows and isinstance(plain_rows[0][i], AsyncLOB)):
                    bound = first if isinstance(first, AsyncLOB) else plain_rows[0][i]
                    assert isinstance(bound, AsyncLOB)
                    metas.append(lob_bind_metadata(bound._value_type, bound._csfrm))
                else:
                    metas.append(bind_metadata_for_values([r[i] for r in plain_rows], field_version=fv,
                                                          is_plsql=stmt.is_plsql))
            binds = tuple(metas)
        values = [tuple(v._value if isinstance(v, AsyncLOB) else v for v in row) for row in plain_rows]
        cached = conn._stmt_cache.get(sql) if not (stmt.is_plsql or stmt.is_ddl) else None
        reuse = cached is not None and not cached.in_use and cached.binds == binds and cached.cursor_id != 0
        request: ExecuteRequest | ReexecuteRequest
        if reuse and cached is not None:
            # The statement cache: same SQL, same bind metadata -> re-execute the
            # server cursor without the SQL or bind metadata (functions 78 / 4).
            if stmt.is_query:
                request = ReexecuteRequest.for_query(cached.cursor_id, prefetch_rows=self.prefetchrows,
                                                     row=values[0] if values else ())
            else:
                request = ReexecuteRequest.for_dml(cached.cursor_id, rows=values, autocommit=conn.autocommit)
        elif stmt.is_query:
            request = ExecuteRequest.for_query(sql, binds=binds, row=values[0] if values else (),
                                               prefetch_rows=self.prefetchrows, arraysize=self.arraysize,
                                               autocommit=conn.autocommit)
        elif stmt.is_plsql:
            request = ExecuteRequest.for_plsql(sql, binds=binds, rows=values, autocommit=conn.autocommit)
        else:
            request = ExecuteRequest.for_dml(sql, binds=binds, rows=values, autocommit=conn.autocommit,
                                             is_ddl=stmt.is_ddl)
        try:
            events = await conn._call(lambda: machine.execute(request))
        except Error:
            conn._forget_statement(sql)
            raise
        finally:
            if temporary:
                machine.free_temporary_lobs(temporary)
        self._rows = []
        self.description = None
        if reuse and cached is not None:
            self._set_columns(cached.columns, fetch_decimals)
        self._consume(events, fetch_decimals)
        done = events[-1]
        assert isinstance(done, CallCompleted)
        self._cursor_id = done.cursor_id
        self.lastrowid = done.last_rowid
        if stmt.is_plsql and rows:
            self._deliver_out(rows[0])
        if stmt.is_query:
            self.rowcount = 0
            self._more = done.more_rows
            lobs = any(c.ora_type in (OracleType.CLOB, OracleType.BLOB) for c in self._columns)
            use_lobs = defaults.fetch_lobs if fetch_lobs is None else fetch_lobs
            if lobs and self._more and not self._rows:
                defines = tuple(define_metadata_for_column(c, fetch_lobs=use_lobs) for c in self._columns)
                define = ExecuteRequest.for_define(self._cursor_id, defines, prefetch_rows=self.prefetchrows)
                events = await conn._call(lambda: machine.execute(define))
                self._consume(events, fetch_decimals)
                last = events[-1]
                assert isinstance(last, CallCompleted)
                self._more = last.more_rows
            elif not (stmt.is_plsql or stmt.is_ddl):
                self._cache(sql, binds)
            return self
        self.rowcount = done.row_count if not stmt.is_plsql else 0
        if not (stmt.is_plsql or stmt.is_ddl):
            self._cache(sql, binds)
        return None

    def _cache(self, sql: str, binds: tuple[BindMetadata, ...]) -> None:
        entry = self.connection._remember_statement(sql, self._cursor_id, binds, self._columns)
        entry.in_use = self._more
        self._cached = entry

    def _release_cached(self) -> None:
        if self._cached is not None:
            self._cached.in_use = False
            self._cached = None

    def _set_columns(self, columns: tuple[ColumnMetadata, ...], fetch_decimals: bool | None) -> None:
        decimals = defaults.fetch_decimals if fetch_decimals is None else fetch_decimals
        self._columns = columns
        self._converters = [_converter(c, decimals) for c in columns]
        self.description = [self._describe(c) for c in columns] if columns else None

    def _consume(self, events: list[Any], fetch_decimals: bool | None) -> None:
        for event in events:
            if isinstance(event, Described):
                self._set_columns(event.columns, fetch_decimals)
            elif isinstance(event, RowsReceived):
                self._rows.extend(self._convert(r) for r in event.rows)
            elif isinstance(event, OutBindsReceived):
                self._assign_out(event.values)

    def _assign_out(self, values: tuple[object, ...]) -> None:
        # Directions are recorded by the machine when the call ends (see _run).
        self._pending_out = list(values)

    def _deliver_out(self, row: list[object]) -> None:
        meta = self.connection._conn.cursors.get(self._cursor_id)
        values = self._pending_out
        self._pending_out = []
        if not values or meta is None or meta.directions is None:
            return
        it = iter(values)
        for i, direction in enumerate(meta.directions):
            if direction in (BindDirection.OUTPUT, BindDirection.INPUT_OUTPUT):
                value = next(it, None)
                if i < len(row) and isinstance(row[i], Var):
                    target = row[i]
                    assert isinstance(target, Var)
                    target.value = value

    @staticmethod
    def _describe(c: ColumnMetadata) -> tuple[object, ...]:
        typ = db_type_for(c.ora_type, c.csfrm)
        display: int | None = c.max_size or None
        if display is None and c.ora_type == OracleType.NUMBER:
            display = 127 if c.precision == 0 else c.precision + 1 + (c.scale + 1 if c.scale > 0 else 0)
        internal = c.buffer_size if c.max_size else None
        precision, scale = (None, None) if (c.precision, c.scale) == (0, 0) else (c.precision, c.scale)
        return (c.name, typ, display, internal, precision, scale, c.nullable)

    def _convert(self, row: tuple[object, ...]) -> tuple[object, ...]:
        out = list(row)
        for i, fn in enumerate(self._converters):
            if fn is not None:
                out[i] = fn(out[i])
            value = out[i]
            if isinstance(value, LobValue):
                column = self._columns[i]
                out[i] = AsyncLOB(self.connection, value, column.ora_type, column.csfrm)
        return tuple(out)

    # -------------------------------------------------------------- fetch

    async def _fill(self) -> None:
        if self._rows or not self._more:
            return
        machine = self.connection._conn
        events = await self.connection._call(lambda: machine.fetch(self._cursor_id, self.arraysize))
        self._consume(events, None)
        last = events[-1]
        assert isinstance(last, CallCompleted)
        self._more = last.more_rows
        if not self._more:
            self._release_cached()

    async def fetchone(self) -> tuple[object, ...] | None:
        """The next row, or None."""
        self._check()
        await self._fill()
        if not self._rows:
            return None
        self.rowcount += 1
        return self._rows.pop(0)

    async def fetchmany(self, size: int | None = None) -> list[tuple[object, ...]]:
        """Up to ``size`` (default ``arraysize``) rows."""
        want = size or self.arraysize
        out: list[tuple[object, ...]] = []
        while len(out) < want:
            await self._fill()
            if not self._rows:
                break
            take = self._rows[: want - len(out)]
            del self._rows[: len(take)]
            out.extend(take)
        self.rowcount += len(out)
        return out

    async def fetchall(self) -> list[tuple[object, ...]]:
        """Every remaining row."""
        out: list[tuple[object, ...]] = []
        while True:
            await self._fill()
            if not self._rows:
                break
            out.extend(self._rows)
            self._rows = []
        self.rowcount += len(out)
        return out

    def __aiter__(self) -> AsyncCursor:
        return self

    async def __anext__(self) -> tuple[object, ...]:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    # ------------------------------------------------------------ closing

    def _check(self) -> None:
        if self._closed:
            raise dpy_error(1001)

    def close(self) -> None:
        """Close the cursor; a server cursor outside the statement cache is closed
        with the next call."""
        if self._cached is not None:
            self._release_cached()
        elif self._cursor_id and not self.connection._is_cached(self._cursor_id):
            self.connection._conn.close_cursors([self._cursor_id])
        self._closed = True

    def __enter__(self) -> AsyncCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> AsyncCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
