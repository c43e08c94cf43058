"""Running one statement on a session: LOB values made temporary LOBs, the wire
message chosen (a full EXECUTE, or a re-execute from the statement cache), the
call made, and its outcome recorded (rowcount, ROWID, batch errors, OUT and
RETURNING values) for the cursor to report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import CallCompleted
from oracle_sansio.exceptions import Error, ErrorInfo, dpy_error, error_info
from oracle_sansio.statement import Statement, StatementKind
from oracle_sansio.ttc.messages.binds import BindMetadata, define_metadata_for_column
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.constants import COMPILE_WARNING
from oracle_sansio.ttc.messages.status import BatchError

from ._binds import BindPlan
from ._cursor_vars import dpy, var_state
from ._defaults import defaults, uint32
from ._results import LOBS, ResultSet
from ._session import CachedStatement, Session

#: Column types whose define a query's execute may have to send again (see _query_defines).
_DEFINED = (OracleType.CLOB, OracleType.BLOB)

__all__ = ["BatchTotals", "Options", "Outcome", "batch_size", "execute", "many_rows", "no_sessionless"]


@dataclass
class Outcome:
    """What a cursor reports about its last statement."""

    rowcount: int = 0
    lastrowid: str | None = None
    is_query: bool = False
    batcherrors: list[ErrorInfo] | None = None
    dmlrowcounts: list[int] | None = None
    #: ``cursor.warning``: DPY-7000 after a CREATE that succeeded with compilation errors.
    warning: ErrorInfo | None = None


class Options(NamedTuple):
    """The settings one execute runs with (a tuple: made on every execute)."""

    autocommit: bool
    prefetch_rows: int
    arraysize: int
    fetch_lobs: bool | None = None
    fetch_decimals: bool | None = None
    batcherrors: bool = False
    arraydmlrowcounts: bool = False


def batch_error_list(errors: Sequence[BatchError], *, requested: bool) -> list[ErrorInfo] | None:
    """``getbatcherrors()`` after a call: python-oracledb's error objects, [] when
    requested and none failed, None when not requested."""
    found = [error_info(e.message or "", code=e.code, offset=e.offset)[1] for e in errors]
    return found if (found or requested) else None


def no_sessionless(suspend_on_success: bool) -> None:
    """DPY-3001 for ``suspend_on_success`` (sessionless transactions are not built)."""
    if suspend_on_success:
        raise dpy_error(3001, message="sessionless transactions are not supported by oracle_asyncio")


def batch_size(value: object) -> int:
    """``executemany``'s ``batch_size``, checked as python-oracledb's uint32 conversion."""
    number = uint32(value)
    if number == 0:
        raise TypeError("batch_size must be a positive integer")
    return number


def many_rows(parameters: object) -> tuple[list[Any] | None, int]:
    """``executemany``'s ``parameters``: (the rows, or None for a count; the number of executions).

    Raises:
        OverflowError: a negative count.
        DatabaseError: DPY-2004 for anything but a list, tuple or int.
    """
    if isinstance(parameters, int) and not isinstance(parameters, bool):
        if parameters < 0:
            raise OverflowError("can't convert negative value to uint64_t")
        return None, parameters
    if isinstance(parameters, (list, tuple)):
        return list(parameters), len(parameters)
    raise dpy(2004)


class BatchTotals:
    """``executemany`` in several batches: rowcount, batch errors (offsets into the whole
    parameter list) and row counts add up over the batches (python-oracledb keeps only
    the last batch's)."""

    def __init__(self, first: Outcome, *, batcherrors: bool, arraydmlrowcounts: bool) -> None:
        self._requested = batcherrors
        self._total = first.rowcount
        self._errors = list(first.batcherrors or [])
        self._counts = list(first.dmlrowcounts or []) if arraydmlrowcounts else None

    def add(self, batch: Outcome, start: int) -> None:
        """Count a batch that began at row ``start``."""
        self._total += batch.rowcount
        for error in batch.batcherrors or []:
            error.offset += start
            self._errors.append(error)
        if self._counts is not None:
            self._counts.extend(batch.dmlrowcounts or [])

    def failed(self, batch: Outcome) -> None:
        """A batch failed: ``batch`` reports the earlier batches with the failed one."""
        batch.rowcount += self._total
        self._set_lists(batch)

    def report(self, outcome: Outcome) -> None:
        """Every batch ran: ``outcome`` reports them all."""
        outcome.rowcount = self._total
        self._set_lists(outcome)

    def _set_lists(self, outcome: Outcome) -> None:
        outcome.batcherrors = self._errors if (self._errors or self._requested) else None
        if self._counts is not None:
            outcome.dmlrowcounts = self._counts


async def bind_lobs(session: Session, plan: BindPlan, stmt: Statement) -> list[bytes]:
    """Make the temporary LOBs the plan's values need; returns the locators to free after the call."""
    temporary: list[bytes] = []
    for var in dict.fromkeys(plan.slots):
        temporary += await var_state(var).bind_lobs(session, stmt.is_plsql)
    return temporary


def reusable(cached: CachedStatement | None, binds: tuple[BindMetadata, ...]) -> bool:
    """The statement cache's rule: the same SQL with the same bind metadata re-executes
    the cached server cursor, unless a cursor still fetches from it or it has LOB
    columns (their define, LOB or LONG per fetch_lobs and the output type handler,
    is chosen again for each execute)."""
    if cached is None or cached.in_use or cached.cursor_id == 0 or cached.binds != binds:
        return False
    columns = cached.columns
    if cached.plain_columns is not columns:  # checked once per describe, not per execute
        if any(c.ora_type in LOBS for c in columns):
            return False
        cached.plain_columns = columns
    return True


def choose_request(sql: str, stmt: Statement, binds: tuple[BindMetadata, ...], values: list[tuple[object, ...]],
                   executions: int, reuse: CachedStatement | None, opts: Options,
                   returning: tuple[int, ...]) -> ExecuteRequest | ReexecuteRequest:
    """The wire message for one execute (``reuse``: the cached statement to re-execute)."""
    # With no binds, one empty row per execution says how many (executemany(sql, n)).
    rows = values or [()] * executions
    if opts.batcherrors or opts.arraydmlrowcounts:
        # A re-execute cannot carry these options: a full EXECUTE, on the cached cursor if any.
        return ExecuteRequest.for_dml(sql, cursor_id=reuse.cursor_id if reuse else 0, binds=binds, rows=rows,
                                      autocommit=opts.autocommit, batch_errors=opts.batcherrors,
                                      dml_rowcounts=opts.arraydmlrowcounts, returning=returning)
    if reuse is not None:
        # The statement cache: re-execute the server cursor without the SQL or bind
        # metadata (functions 78 / 4).
        if stmt.is_query:
            if values:
                return ReexecuteRequest.for_query(reuse.cursor_id, prefetch_rows=opts.prefetch_rows, row=values[0])
            request = reuse.request
            if request is None or request.cursor_id != reuse.cursor_id or request.num_iters != opts.prefetch_rows:
                # Kept with the statement: the same request object each time (the machine
                # sends it from a byte template).
                request = reuse.request = ReexecuteRequest.for_query(reuse.cursor_id,
                                                                     prefetch_rows=opts.prefetch_rows)
            return request
        return ReexecuteRequest.for_dml(reuse.cursor_id, rows=rows, autocommit=opts.autocommit)
    if stmt.is_query:
        return ExecuteRequest.for_query(sql, binds=binds, row=values[0] if values else (),
                                        prefetch_rows=opts.prefetch_rows, arraysize=opts.arraysize,
                                        autocommit=opts.autocommit)
    if stmt.is_plsql:
        return ExecuteRequest.for_plsql(sql, binds=binds, rows=rows, autocommit=opts.autocommit)
    return ExecuteRequest.for_dml(sql, binds=binds, rows=rows, autocommit=opts.autocommit, is_ddl=stmt.is_ddl,
                                  returning=returning)


async def parse_only(session: Session, results: ResultSet, text: str, stmt: Statement) -> None:
    """``cursor.parse()``: python-oracledb's parse-only EXECUTE (PARSE, plus DESCRIBE for a
    query); no binds, nothing executed, nothing committed.  A query's columns go to ``results``."""
    machine = session.machine
    request = ExecuteRequest.for_parse(text, is_query=stmt.is_query)
    choice = results.choose_decoders(None)
    events = await session.call(lambda: machine.execute(request, decoders=choice))
    done = events[-1]
    assert isinstance(done, CallCompleted)
    if stmt.is_query:
        results.consume(events, None)
    if done.cursor_id:
        machine.close_cursors([done.cursor_id])  # the next execute parses again


def bound_to(parameters: Any, cursor: object) -> bool:
    """Whether ``cursor`` itself is one of the bind values (python-oracledb: DPY-3009)."""
    values = parameters.values() if isinstance(parameters, dict) else parameters or ()
    return any(value is cursor for value in values)


async def execute(session: Session, results: ResultSet, outcome: Outcome, sql: str, stmt: Statement,
                  plan: BindPlan, opts: Options) -> None:
    """Run ``stmt`` with ``plan``'s values: ``results`` takes its rows and OUT values,
    ``outcome`` what the cursor reports; a plain statement is kept in the statement cache."""
    machine = session.machine
    kind = stmt.kind  # read once: the kind decides much below
    is_query, is_plsql = kind is StatementKind.QUERY, kind is StatementKind.PLSQL
    cachable = not (is_plsql or kind is StatementKind.DDL)
    temporary = await bind_lobs(session, plan, stmt) if plan.slots else []
    binds = plan.metadata() if plan.slots else ()
    values = plan.rows() if binds else []
    # DML RETURNING INTO binds carry no values: they come back (per execution) instead.
    returning = stmt.returning if kind is StatementKind.DML else ()
    if returning:
        sent = [i for i in range(len(binds)) if i not in set(returning)]
        values = [tuple(row[i] for i in sent) for row in values]
    results.returned = []
    cached = session.cache.get(sql) if cachable else None
    reuse = cached if reusable(cached, binds) else None
    request = choose_request(sql, stmt, binds, values, plan.executions, reuse, opts, returning)
    if reuse is not None:
        # Held from the choice on, not from the reply: another task's execute of the
        # same SQL, waiting for this session meanwhile, would re-execute (and so
        # reset) this very server cursor, cutting this one's rows short.
        reuse.in_use = True
    try:
        choice = results.choose_decoders(opts.fetch_decimals)
        events = await session.call(lambda: machine.execute(request, decoders=choice))
    except Error as exc:
        if reuse is not None:
            reuse.in_use = False
        session.cache.forget(sql)
        if exc.full_code.startswith("ORA-") and not is_plsql:
            # python-oracledb keeps the failed call's row count (executemany: rows done before the error)
            outcome.rowcount = machine.last_row_count
        raise
    except BaseException:
        if reuse is not None:
            reuse.in_use = False  # cancelled: no result set of this call will read it
        raise
    finally:
        if temporary:
            machine.free_temporary_lobs(temporary)
    done = events[-1]
    assert isinstance(done, CallCompleted)
    try:
        if reuse is not None:
            results.set_columns(reuse.columns, opts.fetch_decimals)
        results.consume(events, opts.fetch_decimals)
    except Error:
        if reuse is not None:
            reuse.in_use = False
        # An output type handler refused the columns: the server cursor this call
        # opened would be left open (python-oracledb's would be too); close it.
        if done.cursor_id and not session.cache.holds(done.cursor_id):
            machine.close_cursors([done.cursor_id])
        raise
    results.cursor_id = done.cursor_id
    outcome.is_query = is_query
    outcome.lastrowid = done.last_rowid
    if done.info is not None and done.info.warning_flags & COMPILE_WARNING:
        outcome.warning = warning = dpy_error(7000).args[0]
        warning.iswarning = True
    outcome.batcherrors = (batch_error_list(done.batch_errors, requested=opts.batcherrors)
                           if done.batch_errors or opts.batcherrors else None)
    if done.dml_row_counts is not None:
        outcome.dmlrowcounts = list(done.dml_row_counts)
    if is_plsql and binds:
        results.deliver_out(plan.slots)
    if returning:
        for execution, per_bind in enumerate(results.returned):
            for position, returned in zip(returning, per_bind):
                if position < len(plan.slots):
                    rows = returned if isinstance(returned, (list, tuple)) else [returned]
                    var_state(plan.slots[position]).set_returned(execution, rows, session)
    if (is_plsql or returning) and binds:
        for var in dict.fromkeys(plan.slots):
            if var.outconverter is not None:
                await var_state(var).settle()
    if is_query:
        outcome.rowcount = 0
        results.more = done.more_rows
        entry = session.cache.get(sql)
        # The statement cache checked these very columns for LOBs (see reusable).
        columns = results.columns
        if (entry is None or entry.plain_columns is not columns) and any(c.ora_type in _DEFINED for c in columns):
            await _query_defines(session, results, sql, entry, binds, stmt, opts)
        elif cachable:
            results.keep_cached(sql, binds)
        return
    outcome.rowcount = done.row_count if not is_plsql else 0
    if cachable:
        results.keep_cached(sql, binds)


async def _query_defines(session: Session, results: ResultSet, sql: str, entry: CachedStatement | None,
                         binds: tuple[BindMetadata, ...], stmt: Statement, opts: Options) -> None:
    """After a query's execute, with LOB columns: a result set with no rows yet gets its
    define (LOB or LONG per column) in a second round trip; one with rows is cached."""
    use_lobs = defaults.fetch_lobs if opts.fetch_lobs is None else opts.fetch_lobs
    if entry is not None and entry.cursor_id == results.cursor_id:
        # The statement now has LOB columns (its table changed): it is not re-executed
        # from the cache any more, and this cursor owns (and closes) its server cursor.
        session.cache.disown(sql)
        results.drop_cached()
    if results.more and not results.buffered:
        defines = tuple(define_metadata_for_column(c, fetch_lobs=use_lobs and not long)
                        for c, long in zip(results.columns, results.long_columns))
        define = ExecuteRequest.for_define(results.cursor_id, defines, prefetch_rows=opts.prefetch_rows)
        machine, choice = session.machine, results.decoders
        events = await session.call(lambda: machine.execute(define, decoders=choice))
        results.consume(events, opts.fetch_decimals)
        last = events[-1]
        assert isinstance(last, CallCompleted)
        results.more = last.more_rows
    elif not (stmt.is_plsql or stmt.is_ddl):
        results.keep_cached(sql, binds)
