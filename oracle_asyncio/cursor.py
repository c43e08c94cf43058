"""AsyncCursor: python-oracledb's asyncio cursor over the client machine.

execute/executemany (positional and named binds, ``executemany(sql, n)``),
fetching with ``rowfactory``, ``callproc``/``callfunc``, ``var`` /
``setinputsizes`` / ``bindvars`` (see ``_cursor_vars.py`` and
``_cursor_calls.py``), PL/SQL out variables and LOB columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import (
    CallCompleted,
    Described,
    OutBindsReceived,
    RowsReceived,
)
from oracle_sansio.exceptions import Error, ErrorInfo, dpy_error
from oracle_sansio.statement import Statement, parse_statement
from oracle_sansio.ttc.constants import BindDirection
from oracle_sansio.ttc.messages.binds import (
    BindMetadata,
    define_metadata_for_column,
    lob_bind_metadata,
)
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.messages.lob import LobValue
from oracle_sansio.ttc.messages.rows import DecoderChoice

from . import dbtypes
from ._cursor_calls import (
    BindPlan,
    Preset,
    batch_error_list,
    call_statement,
    input_sizes,
    plan_binds,
    verify_call_args,
)
from ._cursor_vars import Var, dpy
from ._fetch import FetchInfo, column_converter, fetch_var, row_decoders, wants_long
from ._not_built import NotBuiltCursor
from .dbtypes import db_type_for
from ._session import Session
from .lob import AsyncLOB, create_temporary

__all__ = ["AsyncCursor", "Var", "defaults"]


class ConnectionSettings(Protocol):
    """What a cursor reads from its connection (the connection imports the cursor, not
    the other way round; the wire is reached through the session)."""

    @property
    def autocommit(self) -> bool: ...
    @property
    def inputtypehandler(self) -> Callable[..., Any] | None: ...
    @property
    def outputtypehandler(self) -> Callable[..., Any] | None: ...


class _Defaults:
    """``oracledb.defaults`` equivalents."""

    fetch_decimals = False
    fetch_lobs = True
    arraysize = 100
    prefetchrows = 2


defaults = _Defaults()
_MAX_PLSQL_STRING = 32767
_LOBS = (OracleType.CLOB, OracleType.BLOB, OracleType.BFILE)
Row = Any  # a tuple, or whatever rowfactory returns


def _no_sessionless(suspend_on_success: bool) -> None:
    if suspend_on_success:
        raise dpy_error(3001, message="sessionless transactions are not supported by oracle_asyncio")


def _batch_size(value: object) -> int:
    # python-oracledb converts it to a uint32: the same exceptions for the same mistakes.
    if not isinstance(value, (int, float)):
        raise TypeError("an integer is required")
    number = int(value)
    if number < 0:
        raise OverflowError("can't convert negative value to uint32_t")
    if number > 2**32 - 1:
        raise OverflowError("value too large to convert to uint32_t")
    if number == 0:
        raise TypeError("batch_size must be a positive integer")
    return number


class AsyncCursor(NotBuiltCursor):
    """python-oracledb ``AsyncCursor``."""

    def __init__(self, connection: ConnectionSettings, scrollable: bool = False, *, session: Session) -> None:
        """Made by ``AsyncConnection.cursor()``, which passes its session."""
        if scrollable:
            raise dpy_error(3001, message="scrollable cursors are not supported by oracle_asyncio")
        self._connection = connection
        self._session = session
        self._arraysize = defaults.arraysize
        self._prefetchrows = defaults.prefetchrows
        self._rowcount = 0
        self._description: list[FetchInfo] | None = None
        self._lastrowid: str | None = None
        self._parsed: Statement | None = None  # the statement last prepared (bindnames)
        self._inputtypehandler: Callable[..., Any] | None = None
        self._outputtypehandler: Callable[..., Any] | None = None
        self._rowfactory: Callable[..., Any] | None = None
        self._statement: str | None = None
        self._bindvars: Preset | None = None
        self._preset: Preset | None = None  # setinputsizes() variables for the next execute
        self._is_query = False
        self._rows: list[tuple[object, ...]] = []
        self._cursor_id = 0
        self._more = False
        self._columns: tuple[ColumnMetadata, ...] = ()
        self._converters: list[Any] = []
        self._fetchvars: list[Var] | None = None
        self._chosen_vars: list[Var] = []
        self._columns_key: tuple[object, ...] | None = None  # what _set_columns last chose for
        self._decoders: DecoderChoice | None = None  # the machine's value decoders for this result set
        self._long_columns: list[bool] = []  # LOB columns a fetch variable wants as LONG / LONG RAW
        self._converting: list[tuple[int, Any]] = []  # (column, converter) for the columns that need one
        self._lob_columns: list[int] = []
        self._closed = False
        self._cached: Any = None  # this cursor's statement-cache entry while its rows are pending
        self._pending_out: list[object] = []  # OUT values until the call tells their directions
        self._returned: list[tuple[object, ...]] = []  # DML RETURNING values, one entry per execution
        self._batcherrors: list[ErrorInfo] | None = None
        self._dmlrowcounts: list[int] | None = None

    # -------------------------------------------------------- attributes

    @property
    def connection(self) -> ConnectionSettings:
        """The connection the cursor was created on."""
        return self._connection

    @property
    def description(self) -> list[FetchInfo] | None:
        """Seven items per column of the last query (name, type, display size, internal
        size, precision, scale, nullable); None for other statements."""
        self._check()
        return self._description

    @property
    def lastrowid(self) -> str | None:
        """ROWID of the last row the last DML statement changed (None if none)."""
        self._check()
        return self._lastrowid

    @property
    def inputtypehandler(self) -> Callable[..., Any] | None:
        """handler(cursor, value, arraysize) -> Var or None; overrides the connection's."""
        self._check()
        return self._inputtypehandler

    @inputtypehandler.setter
    def inputtypehandler(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._inputtypehandler = value

    @property
    def outputtypehandler(self) -> Callable[..., Any] | None:
        """handler(cursor, metadata) -> Var or None; overrides the connection's."""
        self._check()
        return self._outputtypehandler

    @outputtypehandler.setter
    def outputtypehandler(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._outputtypehandler = value

    def prepare(self, statement: str, tag: str | None = None, cache_statement: bool = True) -> None:
        """Make ``statement`` the one ``execute(None)`` runs (no round trip; ``tag`` and
        ``cache_statement`` are accepted for compatibility)."""
        self._check()
        # As python-oracledb: the previous result set and bind variables go (a pending
        # setinputsizes() stays), and so does the rowfactory.
        self._release_cached()
        self._rows, self._more, self._description, self._fetchvars, self._is_query = [], False, None, None, False
        self._statement, self._bindvars, self._rowfactory = statement, self._preset, None
        self._parsed = parse_statement(statement)

    def _input_handler(self) -> Callable[[object, int], Any] | None:
        handler = self._inputtypehandler or self._connection.inputtypehandler
        if handler is None:
            return None
        return lambda value, rows: handler(self, value, rows)

    def bindnames(self) -> list[str]:
        """Names of the last prepared statement's placeholders, each once (DPY-2002 before any)."""
        self._check()
        if self._parsed is None:
            raise dpy(2002)
        return list(dict.fromkeys(self._parsed.bind_names))

    @property
    def arraysize(self) -> int:
        """Rows per FETCH round trip and fetchmany()'s default (DPY-2045 unless an int > 0)."""
        self._check()
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._check()
        if not isinstance(value, int) or value <= 0:
            raise dpy(2045)
        self._arraysize = value

    @property
    def prefetchrows(self) -> int:
        """Rows the execute round trip itself brings back."""
        self._check()
        return self._prefetchrows

    @prefetchrows.setter
    def prefetchrows(self, value: int) -> None:
        self._check()
        # python-oracledb stores it in a uint32: the same exceptions for bad values.
        if not isinstance(value, int):
            raise TypeError("an integer is required")
        if value < 0:
            raise OverflowError("can't convert negative value to uint32_t")
        self._prefetchrows = value

    @property
    def rowfactory(self) -> Callable[..., Any] | None:
        """Called with each fetched row's values; its result is returned instead of the tuple."""
        self._check()
        return self._rowfactory

    @rowfactory.setter
    def rowfactory(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._rowfactory = value

    @property
    def rowcount(self) -> int:
        """Rows fetched so far (queries) or affected (DML); 0 otherwise; -1 once closed."""
        if self._closed or self._session.closed:
            return -1
        return self._rowcount

    @property
    def statement(self) -> str | None:
        """The statement last executed (stripped, as python-oracledb keeps it); None once closed."""
        return None if self._closed else self._statement

    @property
    def warning(self) -> None:
        """Always None: this driver reports no compilation warnings."""
        self._check()

    @property
    def fetchvars(self) -> list[Var] | None:
        """The variables the last query's columns are fetched into (None before a query)."""
        self._check()
        return self._fetchvars

    @property
    def bindvars(self) -> list[Any] | dict[str, Var]:
        """The variables of the last execute (or setinputsizes): a list by position or a dict by name."""
        self._check()
        return [] if self._bindvars is None else self._bindvars

    def var(self, typ: object, size: int = 0, arraysize: int = 1, inconverter: Callable[[Any], Any] | None = None,
            outconverter: Callable[[Any], Any] | None = None, typename: str | None = None,
            encoding_errors: str | None = None, bypass_decode: bool = False, convert_nulls: bool = False, *,
            encodingErrors: str | None = None) -> Var:
        """A variable of ``typ`` (a DB_TYPE_* object or a Python type) for OUT and IN OUT binds."""
        self._check()
        if encodingErrors is not None:
            if encoding_errors is not None:
                raise dpy(2014, deprecated_name="encodingErrors", new_name="encoding_errors")
            encoding_errors = encodingErrors
        return Var(typ, size, arraysize, inconverter, outconverter, typename, encoding_errors, bypass_decode,
                   convert_nulls)

    def setinputsizes(self, *args: Any, **kwargs: Any) -> list[Any] | dict[str, Var]:
        """Types (or string sizes) of the next execute's binds, by position or by name.

        Returns the variables (None where a position was given None)."""
        if args and kwargs:
            raise dpy(2005)
        if not (args or kwargs):
            return []
        self._check()
        self._preset = input_sizes(args, kwargs)
        self._bindvars = self._preset
        return self._preset

    def setoutputsize(self, size: int, column: int = 0) -> None:
        """Does nothing (PEP 249; python-oracledb ignores it too)."""

    # ------------------------------------------------------------ execute

    def _statement_text(self, statement: str | None) -> str:
        if statement is None:
            if self._statement is None:
                raise dpy(2001)
            return self._statement
        text = statement.strip()
        if not text:
            raise dpy(2066)
        return text

    def _take_preset(self, sql: str) -> Preset | None:
        preset, self._preset = self._preset, None
        if preset is None and sql == self._statement:
            # The same statement again: python-oracledb keeps the last variables,
            # storing new values in them when they fit (types stay, so a None
            # after a number still binds a NUMBER) and keeping them when no
            # parameters are given.
            preset = self._bindvars
        return preset

    async def execute(self, statement: str | None, parameters: Any = None, *, suspend_on_success: bool = False,
                      fetch_lobs: bool | None = None, fetch_decimals: bool | None = None,
                      **kwparameters: object) -> AsyncCursor | None:
        """Execute one statement (None: the last one again); returns the cursor for queries."""
        self._check()
        _no_sessionless(suspend_on_success)
        sql = self._statement_text(statement)
        if kwparameters:
            if parameters:
                raise dpy(2005)
            parameters = kwparameters
        elif parameters is not None and not isinstance(parameters, (list, tuple, dict)):
            raise dpy(2003)
        stmt = parse_statement(sql)
        preset = self._take_preset(sql)
        plan = plan_binds(stmt, None if parameters is None else [parameters], preset, executions=1, many=False,
                          field_version=self._session.machine.caps.field_version, handler=self._input_handler())
        return await self._run(sql, stmt, plan, fetch_lobs, fetch_decimals)

    async def executemany(self, statement: str | None, parameters: Any, *, batcherrors: bool = False,
                          arraydmlrowcounts: bool = False, suspend_on_success: bool = False,
                          batch_size: int = 2**32 - 1) -> None:
        """Execute a statement once per row of ``parameters``, or ``parameters`` times (an int).

        ``batcherrors``: failing rows do not stop the call (see :meth:`getbatcherrors`);
        ``arraydmlrowcounts``: keep each row's count (see :meth:`getarraydmlrowcounts`);
        ``batch_size``: rows per round trip; rowcount, batch errors and row counts cover
        all batches (python-oracledb keeps the last batch's rowcount and errors).
        """
        self._check()
        _no_sessionless(suspend_on_success)
        batch = _batch_size(batch_size)
        sql = self._statement_text(statement)
        stmt = parse_statement(sql)
        rows: list[Any] | None
        if isinstance(parameters, int) and not isinstance(parameters, bool):
            if parameters < 0:
                raise OverflowError("can't convert negative value to uint64_t")
            rows, executions = None, parameters
        elif isinstance(parameters, (list, tuple)):
            rows, executions = list(parameters), len(parameters)
        else:
            raise dpy(2004)
        preset = self._take_preset(sql)
        if executions <= 0:
            self._statement, self._rowcount = sql, 0
            return
        fv = self._session.machine.caps.field_version
        plan = plan_binds(stmt, rows if rows is None else rows[:batch], preset, executions=min(executions, batch),
                          many=True, field_version=fv, handler=self._input_handler())
        if (batcherrors or arraydmlrowcounts) and not stmt.is_dml:
            raise dpy(2040)
        await self._run(sql, stmt, plan, None, None, batcherrors=batcherrors, arraydmlrowcounts=arraydmlrowcounts)
        if executions <= batch:
            return
        # Later batches: rowcount, batch errors (offsets into the whole parameter list) and
        # row counts add up over the batches (python-oracledb keeps only one batch's).
        total, errors = self._rowcount, list(self._batcherrors or [])
        counts = list(self._dmlrowcounts or []) if arraydmlrowcounts else None
        for start in range(batch, executions, batch):
            count = min(batch, executions - start)
            plan = plan_binds(stmt, rows if rows is None else rows[start:start + batch], self._bindvars,
                              executions=count, many=True, field_version=fv, handler=self._input_handler())
            try:
                await self._run(sql, stmt, plan, None, None, batcherrors=batcherrors,
                                arraydmlrowcounts=arraydmlrowcounts)
            except Error:
                # The earlier batches stay applied: report them with the failed one.
                self._rowcount += total
                self._batcherrors = errors if (errors or batcherrors) else None
                if counts is not None:
                    self._dmlrowcounts = counts
                raise
            total += self._rowcount
            for error in self._batcherrors or []:
                error.offset += start
                errors.append(error)
            if counts is not None:
                counts.extend(self._dmlrowcounts or [])
        self._rowcount = total
        self._batcherrors = errors if (errors or batcherrors) else None
        if counts is not None:
            self._dmlrowcounts = counts

    def getbatcherrors(self) -> list[ErrorInfo] | None:
        """The rows that failed in the last ``executemany(batcherrors=True)`` (``.offset``:
        the row); None after a call without batch errors, as python-oracledb."""
        self._check()
        return self._batcherrors

    def getarraydmlrowcounts(self) -> list[int]:
        """Rows affected per row of the last ``executemany(arraydmlrowcounts=True)``.

        Raises:
            DatabaseError: DPY-4006 if no call asked for them yet.
        """
        self._check()
        if self._dmlrowcounts is None:
            raise dpy(4006)
        return self._dmlrowcounts

    async def callfunc(self, name: str, return_type: object, parameters: list[Any] | tuple[Any, ...] | None = None,
                       keyword_parameters: dict[str, Any] | None = None) -> Any:
        """Call PL/SQL function ``name`` and return its value (``return_type``: a type or DB_TYPE_*)."""
        result = self.var(return_type)
        verify_call_args(parameters, keyword_parameters)
        sql, values = call_statement(name, parameters, keyword_parameters, result)
        await self.execute(sql, values)
        return result.getvalue()

    async def callproc(self, name: str, parameters: list[Any] | tuple[Any, ...] | None = None,
                       keyword_parameters: dict[str, Any] | None = None) -> list[Any]:
        """Call PL/SQL procedure ``name``; returns ``parameters`` with OUT / IN OUT values filled in."""
        self._check()
        verify_call_args(parameters, keyword_parameters)
        sql, values = call_statement(name, parameters, keyword_parameters, None)
        await self.execute(sql, values)
        if parameters is None:
            return []
        bound = self._bindvars
        assert isinstance(bound, list)  # call_statement binds by position
        return [None if v is None else v.getvalue(0) for v in bound[: len(parameters)]]

    async def _bind_lobs(self, plan: BindPlan, stmt: Statement) -> list[bytes]:
        """Turn str/bytes of LOB variables into temporary LOBs (python-oracledb does so) and,
        in PL/SQL, plain strings over 32767 bytes too; returns the locators to free after the call."""
        session = self._session
        temporary: list[bytes] = []
        for var in dict.fromkeys(plan.slots):
            lob_var = var.type.ora_type in (OracleType.CLOB, OracleType.BLOB)
            for i, v in enumerate(var._values):
                if lob_var and isinstance(v, (str, bytes)):
                    var._values[i] = await create_temporary(session, var.type, v)
                elif stmt.is_plsql and var._derived is not None and isinstance(v, (str, bytes, bytearray)):
                    if isinstance(v, str) and len(v.encode()) > _MAX_PLSQL_STRING:
                        lob = await create_temporary(session, dbtypes.DB_TYPE_CLOB, v)
                    elif isinstance(v, (bytes, bytearray)) and len(v) > _MAX_PLSQL_STRING:
                        lob = await create_temporary(session, dbtypes.DB_TYPE_BLOB, bytes(v))
                    else:
                        continue
                    var._values[i] = lob
                    var._type, var._derived = lob.type, lob_bind_metadata(lob._value_type, lob._csfrm)
                    temporary.append(lob._value.locator)
        return temporary

    async def _run(self, sql: str, stmt: Statement, plan: BindPlan, fetch_lobs: bool | None,
                   fetch_decimals: bool | None, *, batcherrors: bool = False,
                   arraydmlrowcounts: bool = False) -> AsyncCursor | None:
        conn = self._connection
        session = self._session
        machine = session.machine
        self._release_cached()  # this cursor's previous result set is abandoned
        if sql != self._statement:
            self._rowfactory = None  # python-oracledb forgets it when another statement is prepared
        # The query flag is set once the call succeeds: a failed query is no result set.
        self._statement, self._bindvars, self._is_query = sql, plan.bindvars, False
        self._parsed = stmt
        self._fetchvars = None
        self._rowcount = 0
        self._batcherrors = None
        self._lastrowid = None
        self._rows, self._description, self._more = [], None, False
        temporary = await self._bind_lobs(plan, stmt)
        binds = plan.metadata()
        values = plan.rows() if binds else []
        # DML RETURNING INTO binds carry no values: they come back (per execution) instead.
        returning = stmt.returning if stmt.is_dml else ()
        if returning:
            sent = [i for i in range(len(binds)) if i not in set(returning)]
            values = [tuple(row[i] for i in sent) for row in values]
        self._returned = []
        cached = session.cache.get(sql) if not (stmt.is_plsql or stmt.is_ddl) else None
        # A cached query with LOB columns is executed in full: its define (LOB or LONG, per
        # fetch_lobs and the output type handler) is chosen again for each execute.
        reuse = (cached is not None and not cached.in_use and cached.binds == binds and cached.cursor_id != 0
                 and not any(c.ora_type in _LOBS for c in cached.columns))
        request: ExecuteRequest | ReexecuteRequest
        if batcherrors or arraydmlrowcounts:
            # A re-execute cannot carry these options: a full EXECUTE, on the cached cursor if any.
            request = ExecuteRequest.for_dml(sql, cursor_id=cached.cursor_id if reuse and cached else 0, binds=binds,
                                             rows=values or [()] * plan.executions, autocommit=conn.autocommit,
                                             batch_errors=batcherrors, dml_rowcounts=arraydmlrowcounts,
                                             returning=returning)
        elif reuse and cached is not None:
            # The statement cache: same SQL, same bind metadata -> re-execute the
            # server cursor without the SQL or bind metadata (functions 78 / 4).
            if stmt.is_query:
                request = ReexecuteRequest.for_query(cached.cursor_id, prefetch_rows=self._prefetchrows,
                                                     row=values[0] if values else ())
            else:
                request = ReexecuteRequest.for_dml(cached.cursor_id, rows=values or [()] * plan.executions,
                                                   autocommit=conn.autocommit)
        elif stmt.is_query:
            request = ExecuteRequest.for_query(sql, binds=binds, row=values[0] if values else (),
                                               prefetch_rows=self._prefetchrows, arraysize=self._arraysize,
                                               autocommit=conn.autocommit)
        elif stmt.is_plsql:
            request = ExecuteRequest.for_plsql(sql, binds=binds, rows=values, autocommit=conn.autocommit)
        else:
            # With no binds, one empty row per execution says how many (executemany(sql, n)).
            request = ExecuteRequest.for_dml(sql, binds=binds, rows=values or [()] * plan.executions,
                                             autocommit=conn.autocommit, is_ddl=stmt.is_ddl, returning=returning)
        try:
            choice = self._choose_decoders(fetch_decimals)
            events = await session.call(lambda: machine.execute(request, decoders=choice))
        except Error as exc:
            session.cache.forget(sql)
            if exc.full_code.startswith("ORA-") and not stmt.is_plsql:
                # python-oracledb keeps the failed call's row count (executemany: rows done before the error)
                self._rowcount = machine.last_row_count
            raise
        finally:
            if temporary:
                machine.free_temporary_lobs(temporary)
        done = events[-1]
        assert isinstance(done, CallCompleted)
        try:
            if reuse and cached is not None:
                self._set_columns(cached.columns, fetch_decimals)
            self._consume(events, fetch_decimals)
        except Error:
            # An output type handler refused the columns: the server cursor this call
            # opened would be left open (python-oracledb's would be too); close it.
            if done.cursor_id and not session.cache.holds(done.cursor_id):
                machine.close_cursors([done.cursor_id])
            raise
        self._cursor_id = done.cursor_id
        self._is_query = stmt.is_query
        self._lastrowid = done.last_rowid
        self._batcherrors = batch_error_list(done.batch_errors, requested=batcherrors)
        if done.dml_row_counts is not None:
            self._dmlrowcounts = list(done.dml_row_counts)
        if stmt.is_plsql and binds:
            self._deliver_out(plan.slots)
        if returning:
            for execution, per_bind in enumerate(self._returned):
                for position, returned in zip(returning, per_bind):
                    if position < len(plan.slots):
                        rows = returned if isinstance(returned, (list, tuple)) else [returned]
                        plan.slots[position]._set_returned(execution, rows, session)
        if stmt.is_query:
            self._rowcount = 0
            self._more = done.more_rows
            lobs = any(c.ora_type in (OracleType.CLOB, OracleType.BLOB) for c in self._columns)
            use_lobs = defaults.fetch_lobs if fetch_lobs is None else fetch_lobs
            entry = session.cache.get(sql)
            if lobs and entry is not None and entry.cursor_id == self._cursor_id:
                # The statement now has LOB columns (its table changed): it is not re-executed
                # from the cache any more, and this cursor owns (and closes) its server cursor.
                session.cache.disown(sql)
                self._cached = None
            if lobs and self._more and not self._rows:
                defines = tuple(define_metadata_for_column(c, fetch_lobs=use_lobs and not long)
                                for c, long in zip(self._columns, self._long_columns))
                define = ExecuteRequest.for_define(self._cursor_id, defines, prefetch_rows=self._prefetchrows)
                events = await session.call(lambda: machine.execute(define, decoders=choice))
                self._consume(events, fetch_decimals)
                last = events[-1]
                assert isinstance(last, CallCompleted)
                self._more = last.more_rows
            elif not (stmt.is_plsql or stmt.is_ddl):
                self._cache(sql, binds)
            return self
        self._rowcount = done.row_count if not stmt.is_plsql else 0
        if not (stmt.is_plsql or stmt.is_ddl):
            self._cache(sql, binds)
        return None

    def _cache(self, sql: str, binds: tuple[BindMetadata, ...]) -> None:
        entry = self._session.cache.remember(sql, self._cursor_id, binds, self._columns)
        entry.in_use = self._more
        self._cached = entry

    def _release_cached(self) -> None:
        if self._cached is not None:
            self._cached.in_use = False
            self._cached = None

    def _choose_decoders(self, fetch_decimals: bool | None) -> DecoderChoice | None:
        """The machine's value decoders for this execute and its fetches: python-oracledb's
        NUMBER types decoded directly, unless an output type handler decides."""
        handler = self._outputtypehandler or self._connection.outputtypehandler
        decimals = defaults.fetch_decimals if fetch_decimals is None else fetch_decimals
        self._decoders = None if handler is not None else row_decoders(decimals)
        return self._decoders

    def _set_columns(self, columns: tuple[ColumnMetadata, ...], fetch_decimals: bool | None) -> None:
        decimals = defaults.fetch_decimals if fetch_decimals is None else fetch_decimals
        handler = self._outputtypehandler or self._connection.outputtypehandler
        key = (columns, handler, decimals, self._decoders)
        if key != self._columns_key:
            # python-oracledb asks the output type handler again only when the columns
            # or the handler change; the fetch variables are kept otherwise.
            chosen = [fetch_var(self, handler, c, self._arraysize) if handler is not None else None
                      for c in columns]
            decoded = self._decoders is not None
            self._converters = [column_converter(c, v, decimals, decoded=decoded) for c, v in zip(columns, chosen)]
            self._long_columns = [wants_long(c, v) for c, v in zip(columns, chosen)]
            self._chosen_vars = [v if v is not None else Var(db_type_for(c.ora_type, c.csfrm),
                                                             arraysize=self._arraysize)
                                 for c, v in zip(columns, chosen)]
            self._converting = [(i, fn) for i, fn in enumerate(self._converters) if fn is not None]
            self._lob_columns = [i for i, c in enumerate(columns) if c.ora_type in _LOBS]
            self._columns_key = key
        self._columns = columns
        self._fetchvars = self._chosen_vars
        self._description = [FetchInfo(c) for c in columns] if columns else None

    def _consume(self, events: list[Any], fetch_decimals: bool | None) -> None:
        for event in events:
            if isinstance(event, Described):
                self._set_columns(event.columns, fetch_decimals)
            elif isinstance(event, RowsReceived):
                self._rows.extend(self._convert(r) for r in event.rows)
            elif isinstance(event, OutBindsReceived):
                # Directions are recorded by the machine when the call ends (see _run).
                self._pending_out = list(event.values)
                self._returned.append(tuple(event.values))

    def _deliver_out(self, slots: list[Var]) -> None:
        meta = self._session.machine.cursors.get(self._cursor_id)
        values = self._pending_out
        self._pending_out = []
        if not values or meta is None or meta.directions is None:
            return
        it = iter(values)
        for i, direction in enumerate(meta.directions):
            if direction in (BindDirection.OUTPUT, BindDirection.INPUT_OUTPUT):
                value = next(it, None)
                if i < len(slots):
                    slots[i]._set_from_database(0, value, self._session)

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
                column = self._columns[i]
                out[i] = AsyncLOB(self._session, value, column.ora_type, column.csfrm)
        return tuple(out)

    # -------------------------------------------------------------- fetch

    def _verify_fetch(self) -> None:
        self._check()
        if not self._is_query:
            raise dpy(1003)

    def _made(self, row: tuple[object, ...]) -> Row:
        factory = self._rowfactory
        return row if factory is None else factory(*row)

    async def _fill(self) -> None:
        if self._rows or not self._more:
            return
        machine = self._session.machine
        choice = self._decoders
        events = await self._session.call(lambda: machine.fetch(self._cursor_id, self._arraysize,
                                                                    decoders=choice))
        self._consume(events, None)
        last = events[-1]
        assert isinstance(last, CallCompleted)
        self._more = last.more_rows
        if not self._more:
            self._release_cached()

    async def fetchone(self) -> Row | None:
        """The next row, or None (DPY-1003 unless a query was executed)."""
        self._verify_fetch()
        await self._fill()
        if not self._rows:
            return None
        self._rowcount += 1
        return self._made(self._rows.pop(0))

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        """Up to ``size`` (default ``arraysize``) rows."""
        self._verify_fetch()
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
            raise TypeError("an integer is required")
        want = self._arraysize if size is None else size
        out: list[tuple[object, ...]] = []
        while len(out) < want:
            await self._fill()
            if not self._rows:
                break
            take = self._rows[: want - len(out)]
            del self._rows[: len(take)]
            out.extend(take)
        self._rowcount += len(out)
        return [self._made(r) for r in out]

    async def fetchall(self) -> list[Row]:
        """Every remaining row."""
        self._verify_fetch()
        out: list[tuple[object, ...]] = []
        while True:
            await self._fill()
            if not self._rows:
                break
            out.extend(self._rows)
            self._rows = []
        self._rowcount += len(out)
        return [self._made(r) for r in out]

    def __aiter__(self) -> AsyncCursor:
        return self

    async def __anext__(self) -> Row:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    # ------------------------------------------------------------ closing

    def _check(self) -> None:
        if self._closed:
            raise dpy(1006)
        self._session.check_open()

    def close(self) -> None:
        """Close the cursor (DPY-1006 if already closed); a server cursor outside
        the statement cache is closed with the next call.  Local only, as
        python-oracledb's: a closed, released or dead connection is no error here
        (the server cursor went with its session); only calls fail."""
        if self._closed:
            raise dpy(1006)
        if self._cached is not None:
            self._release_cached()
        elif self._cursor_id:
            self._session.close_cursor(self._cursor_id)
        self._closed = True

    def _check_entered(self) -> None:
        # python-oracledb: entering needs an open cursor on a connection not closed;
        # a dead session fails the calls inside, not the with statement.
        if self._closed:
            raise dpy(1006)
        self._session.verify()

    def __enter__(self) -> AsyncCursor:
        self._check_entered()
        return self

    def __exit__(self, *exc: object) -> None:
        self._quiet_close()

    async def __aenter__(self) -> AsyncCursor:
        self._check_entered()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._quiet_close()

    def _quiet_close(self) -> None:
        # Leaving a with block closes what is still open: an explicit close()
        # inside the block, or a connection closed meanwhile, is not an error here.
        if not self._closed:
            try:
                self.close()
            except Error:
                self._closed = True

