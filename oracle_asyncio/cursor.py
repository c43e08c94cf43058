"""AsyncCursor: python-oracledb's asyncio cursor over the client machine.

execute/executemany (positional and named binds, ``executemany(sql, n)``), fetching with
``rowfactory``, ``callproc``/``callfunc``, ``var`` / ``setinputsizes`` / ``bindvars`` (``_cursor_vars.py``,
``_binds.py``, ``_plsql.py``), PL/SQL out variables and LOB columns.  Running a statement is
``_execute.py``'s job, the result set ``_results.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakMethod

from oracle_sansio.exceptions import Error, ErrorInfo
from oracle_sansio.statement import Statement, parse_statement

from ._binds import BindPlan, Preset, input_sizes, plan_binds
from ._cursor_settings import ConnectionSettings, CursorSettings
from ._cursor_vars import Var, dpy
from ._defaults import defaults
from ._execute import BatchTotals, Options, bound_to, execute, many_rows, no_sessionless, parse_only
from ._execute import batch_size as checked_batch_size
from ._fetch import FetchInfo
from ._plsql import call_statement, verify_call_args
from ._results import ResultSet
from ._session import Session

__all__ = ["AsyncCursor", "Var", "defaults"]

Row = Any  # a tuple, or whatever rowfactory returns


class AsyncCursor(CursorSettings):
    """python-oracledb ``AsyncCursor``."""

    def __init__(self, connection: ConnectionSettings, scrollable: bool = False, *, session: Session) -> None:
        """Made by ``AsyncConnection.cursor()``, which passes its session."""
        super().__init__(connection, scrollable, session=session)
        self._parsed: Statement | None = None  # the statement last prepared (bindnames)
        self._statement: str | None = None
        self._bindvars: Preset | None = None
        self._preset: Preset | None = None  # setinputsizes() variables for the next execute
        self._closed = False
        self._results = ResultSet(session, self, WeakMethod(self._output_handler), WeakMethod(self._fetch_arraysize))

    # -------------------------------------------------------- attributes

    @property
    def description(self) -> list[FetchInfo] | None:
        """Seven items per column of the last query (name, type, display size, internal
        size, precision, scale, nullable); None for other statements."""
        self._check()
        return self._results.description

    @property
    def lastrowid(self) -> str | None:
        """ROWID of the last row the last DML statement changed (None if none)."""
        self._check()
        return self._outcome.lastrowid

    def prepare(self, statement: str, tag: str | None = None, cache_statement: bool = True) -> None:
        """Make ``statement`` the one ``execute(None)`` runs (no round trip; ``tag`` and
        ``cache_statement`` are accepted for compatibility)."""
        self._check()
        # As python-oracledb: the result set, bind variables and rowfactory go; setinputsizes() stays.
        self._results.release_cached()
        self._results.clear()
        self._results.forget_fetchvars()
        self._outcome.is_query = False
        self._statement, self._bindvars, self._rowfactory = statement, self._preset, None
        self._parsed = parse_statement(statement)

    async def parse(self, statement: str) -> None:
        """Parse ``statement`` on the server without executing it (a query is also
        described: ``description`` then lists its columns); it becomes the statement
        ``execute(None)`` runs.  Errors in the SQL are raised as execute would raise them."""
        self._check()
        self.prepare(statement)
        self._statement = text = self._statement_text(statement)
        assert self._parsed is not None
        await parse_only(self._session, self._results, text, self._parsed)

    def bindnames(self) -> list[str]:
        """Names of the last prepared statement's placeholders, each once (DPY-2002 before any)."""
        self._check()
        if self._parsed is None:
            raise dpy(2002)
        return list(dict.fromkeys(self._parsed.bind_names))

    @property
    def rowcount(self) -> int:
        """Rows fetched so far (queries) or affected (DML); 0 otherwise; -1 once closed."""
        if self._closed or self._session.closed:
            return -1
        return self._outcome.rowcount

    @property
    def statement(self) -> str | None:
        """The statement last executed (stripped, as python-oracledb keeps it); None once closed."""
        return None if self._closed else self._statement

    @property
    def fetchvars(self) -> list[Var] | None:
        """The variables the last query's columns are fetched into (None before a query)."""
        self._check()
        return self._results.fetchvars

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
        no_sessionless(suspend_on_success)
        sql = self._statement_text(statement)
        if kwparameters:
            if parameters:
                raise dpy(2005)
            parameters = kwparameters
        elif parameters is not None and not isinstance(parameters, (list, tuple, dict)):
            raise dpy(2003)
        stmt = parse_statement(sql)
        preset = self._take_preset(sql)
        if parameters is None and not stmt.bind_names and not preset and not isinstance(preset, dict):
            plan = BindPlan([], [], 1)  # what plan_binds gives for nothing to bind, without the walk
        else:
            try:
                plan = plan_binds(stmt, None if parameters is None else [parameters], preset, executions=1,
                                  many=False, field_version=self._session.machine.caps.field_version,
                                  handler=self._input_handler())
            except Error:
                # A cursor value is refused as a value (REF CURSOR binds are not built); this
                # very cursor is refused first, with python-oracledb's own code.
                if bound_to(parameters, self):
                    raise dpy(3009) from None
                raise
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
        no_sessionless(suspend_on_success)
        batch = checked_batch_size(batch_size)
        sql = self._statement_text(statement)
        stmt = parse_statement(sql)
        rows, executions = many_rows(parameters)
        preset = self._take_preset(sql)
        if executions <= 0:
            self._statement, self._outcome.rowcount = sql, 0
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
        totals = BatchTotals(self._outcome, batcherrors=batcherrors, arraydmlrowcounts=arraydmlrowcounts)
        for start in range(batch, executions, batch):
            count = min(batch, executions - start)
            plan = plan_binds(stmt, rows if rows is None else rows[start:start + batch], self._bindvars,
                              executions=count, many=True, field_version=fv, handler=self._input_handler())
            try:
                await self._run(sql, stmt, plan, None, None, batcherrors=batcherrors,
                                arraydmlrowcounts=arraydmlrowcounts)
            except Error:
                totals.failed(self._outcome)  # the earlier batches stay applied: reported with it
                raise
            totals.add(self._outcome, start)
        totals.report(self._outcome)

    def getbatcherrors(self) -> list[ErrorInfo] | None:
        """The rows that failed in the last ``executemany(batcherrors=True)`` (``.offset``:
        the row); None after a call without batch errors, as python-oracledb."""
        self._check()
        return self._outcome.batcherrors

    def getarraydmlrowcounts(self) -> list[int]:
        """Rows affected per row of the last ``executemany(arraydmlrowcounts=True)``.

        Raises:
            DatabaseError: DPY-4006 if no call asked for them yet.
        """
        self._check()
        if self._outcome.dmlrowcounts is None:
            raise dpy(4006)
        return self._outcome.dmlrowcounts

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

    async def _run(self, sql: str, stmt: Statement, plan: BindPlan, fetch_lobs: bool | None,
                   fetch_decimals: bool | None, *, batcherrors: bool = False,
                   arraydmlrowcounts: bool = False) -> AsyncCursor | None:
        results, outcome = self._results, self._outcome
        results.release_cached()  # this cursor's previous result set is abandoned
        if sql != self._statement:
            self._rowfactory = None  # python-oracledb forgets it when another statement is prepared
        # The query flag is set once the call succeeds: a failed query is no result set.
        self._statement, self._bindvars, outcome.is_query = sql, plan.bindvars, False
        self._parsed = stmt
        results.forget_fetchvars()
        outcome.rowcount, outcome.batcherrors, outcome.lastrowid, outcome.warning = 0, None, None, None
        results.clear()
        opts = Options(autocommit=self._connection.autocommit, prefetch_rows=self._prefetchrows,
                       arraysize=self._arraysize, fetch_lobs=fetch_lobs, fetch_decimals=fetch_decimals,
                       batcherrors=batcherrors, arraydmlrowcounts=arraydmlrowcounts)
        await execute(self._session, results, outcome, sql, stmt, plan, opts)
        return self if outcome.is_query else None

    # -------------------------------------------------------------- fetch

    def _verify_fetch(self) -> None:
        self._check()
        if not self._outcome.is_query:
            raise dpy(1003)

    def _made(self, row: tuple[object, ...]) -> Row:
        factory = self._rowfactory
        return row if factory is None else factory(*row)

    async def fetchone(self) -> Row | None:
        """The next row, or None (DPY-1003 unless a query was executed)."""
        self._verify_fetch()
        row = self._results.next_buffered()  # the common case: no await, no list
        if row is None:
            rows = await self._results.take(1)
            if not rows:
                return None
            row = rows[0]
        self._outcome.rowcount += 1
        return self._made(row)

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        """Up to ``size`` (default ``arraysize``) rows."""
        self._verify_fetch()
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
            raise TypeError("an integer is required")
        out = await self._results.take(self._arraysize if size is None else size)
        self._outcome.rowcount += len(out)
        return out if self._rowfactory is None else [self._made(r) for r in out]

    async def fetchall(self) -> list[Row]:
        """Every remaining row."""
        self._verify_fetch()
        out = await self._results.take(None)
        self._outcome.rowcount += len(out)
        return out if self._rowfactory is None else [self._made(r) for r in out]

    def __aiter__(self) -> AsyncCursor:
        return self

    async def __anext__(self) -> Row:
        # fetchone's common case written out: one coroutine per row, not two, and
        # _verify_fetch's checks called only when one fails (same errors, same order).
        if self._closed or not self._outcome.is_query:
            self._verify_fetch()
        session = self._session
        if session.blocked or session.released or session.transport.dead is not None:
            session.check_open()  # raises
        row = self._results.next_buffered()
        if row is None:
            fetched = await self.fetchone()
            if fetched is None:
                raise StopAsyncIteration
            return fetched
        self._outcome.rowcount += 1
        factory = self._rowfactory
        return row if factory is None else factory(*row)

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        """Close the cursor (DPY-1006 if already closed); a server cursor outside
        the statement cache is closed with the next call.  Local only, as
        python-oracledb's: a closed, released or dead connection is no error here
        (the server cursor went with its session); only calls fail."""
        if self._closed:
            raise dpy(1006)
        self._results.close()
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

