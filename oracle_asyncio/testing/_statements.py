"""One statement of the embedded server: an EXECUTE run on the session's SQL, its rows
fetched, and the answer (describe, rows, out binds, RETURNING, batch errors) sent.

The socket side (``_Link`` in server.py) calls :func:`execute` and :func:`fetch`; what they
need of it is :class:`StatementLink`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Protocol

from oracle_sansio.connection.events import ExecuteRequested
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.statement import Statement, StatementKind, parse_statement
from oracle_sansio.ttc.constants import ExecOption
from oracle_sansio.ttc.messages.status import BatchError

from ._records import SessionRecord
from .guards import CallGuard
from .returning import as_bound, in_lobs, out_lob, returned_values, returning_types, send_returned
from .sql import errors
from .sql.engine import OraError, Result, Session
from .sql.runtime.trigger_state import array_statement

__all__ = ["STATEMENT_ERRORS", "Cursor", "StatementLink", "execute", "fetch"]

#: Errors of the statement itself, not of one row's values: Oracle raises them for the
#: whole call even with batch errors enabled.
STATEMENT_ERRORS = frozenset({900, 901, 902, 903, 904, 905, 906, 907, 908, 909, 911, 913, 917, 918, 920, 921,
                              923, 924, 925, 926, 927, 928, 933, 936, 937, 942, 947, 955, 957, 960, 979, 984, 1031,
                              1418, 1747, 1792, 1795, 2289, 3095})


@dataclass
class Cursor:
    """An open query's rows, as far as the client has fetched them."""

    rows: Iterator[tuple[object, ...]] | None = None
    done: bool = True


class StatementLink(Protocol):
    """What a statement needs of the socket it runs on."""

    conn: ServerConnection
    session: Session | None
    record: SessionRecord | None
    guard: CallGuard
    cursors: dict[int, Cursor]
    killed: bool

    @property
    def sleeper(self) -> object | None:
        """The task of a call waiting (a sleep or a lock), if any."""

    def answer_error(self, exc: OraError, *, cursor_id: int, position: int = 0, row_count: int = 0,
                     in_transaction: bool | None = None) -> None:
        """End the current call with ``exc`` (ORA-00028 instead if the session was killed)."""

    def retry_busy(self, ev: ExecuteRequested) -> bool:
        """Wait for a locked row and run ``ev`` again; False once ``lock_timeout`` passed."""

    def sleep(self, seconds: float) -> None:
        """Answer the call after ``seconds`` (``dbms_session.sleep``)."""

    def kill_from_sql(self, sid: int, serial: int, *, immediate: bool) -> None:
        """ALTER SYSTEM KILL SESSION 'sid,serial' issued on this link."""


def execute(link: StatementLink, ev: ExecuteRequested) -> None:
    """Run one EXECUTE on the link's session and answer it (rows, out binds, RETURNING, errors)."""
    conn = link.conn
    session = link.session
    if session is None:
        conn.send_error(1012, "ORA-01012: not logged on")
        return
    if link.record is not None:
        link.record.state = "ACTIVE"
    count = 0  # rows applied so far: an error reports them as Oracle does
    #: An array execution's failing row, reported as the error's offset (not the text position):
    #: DML gives its index (OCI's DML row offset); PL/SQL one more, which is what python-oracledb's
    #: test_4026 reads from 23ai for a block failing on its third row.
    at = 0
    #: DML RETURNING INTO: per execution, a list of values per RETURNING bind.
    returned: list[list[list[object]]] = []
    try:
        if ev.define_only:
            fetch(link, ev.cursor_id, ev.prefetch_rows or 0)
            return
        sql = ev.sql or ""
        stmt = parse_statement(sql)
        if not (ev.reexecute or ev.options & ExecOption.EXECUTE):  # a re-execute's options say nothing of it
            parse_only(link, session, sql, stmt, ev)
            return
        result: Result | None = None
        rows = ev.rows or ((),) * max(1, ev.num_execs)
        into = returning_types(stmt.returning, ev.binds) if stmt.returning else ()
        failed: list[BatchError] = []
        counts: list[int] = []
        outs: list[Result] = []  # PL/SQL: each execution's OUT values, one ROW_DATA each
        rowid: tuple[int, int, int, int] | None = None  # of the last row any execution changed
        # an array DML is one execution: its statement triggers fire once (runtime/trigger_state.py)
        with array_statement(session) if len(rows) > 1 and stmt.kind is StatementKind.DML else nullcontext():
            for offset, row in enumerate(rows):
                at = offset + (1 if stmt.is_plsql and offset else 0)
                try:
                    result = session.execute(sql, in_lobs(row, ev.binds), bind_names=stmt.bind_names,
                                             returning_types=into)
                except OraError as exc:
                    if not ev.batch_errors or exc.code in STATEMENT_ERRORS or link.guard.kill_requested:
                        raise  # Oracle stops at the failing row; the rows before it stay applied
                    failed.append(BatchError(code=exc.code, offset=offset, message=exc.message))
                    counts.append(0)
                    if stmt.returning:
                        returned.append([[] for _ in stmt.returning])  # keeps later iterations in place
                    continue
                count += result.row_count
                counts.append(result.row_count)
                if result.out_values:
                    outs.append(result)
                rowid = result.rowid or rowid
                if stmt.returning:
                    returned.append(returned_values(link.conn, result, stmt.returning, ev.binds))
        send_returned(link.conn, returned)
        if result is None:  # every row failed (batch errors)
            if ev.autocommit:
                session.commit()
            conn.complete_call(row_count=0, in_transaction=session.in_transaction, batch_errors=failed,
                               dml_row_counts=counts if ev.dml_row_counts else None)
            return
        if result.kill is not None:
            link.kill_from_sql(*result.kill, immediate=result.kill_immediate)
        if result.sleep_seconds:
            link.sleep(result.sleep_seconds)
            return
        if ev.autocommit:
            session.commit()
        if result.columns is not None:
            known = conn.cursors.get(ev.cursor_id)
            if not ev.reexecute or known is None or known.columns != tuple(result.columns):
                # DDL since the last execute changed the select list: Oracle
                # re-describes in the re-execute's reply.
                conn.send_describe(result.columns)
            link.cursors[ev.cursor_id] = Cursor(rows=result.rows, done=False)
            fetch(link, ev.cursor_id, ev.prefetch_rows)
            return
        if outs:
            first = outs[0].out_values
            assert first is not None
            directions = [
                48 if i in first and (i in outs[0].read_binds or i < len(rows[0]) and rows[0][i] is not None)
                else 16 if i in first else 32
                for i in range(len(ev.binds))
            ]
            values = [out_values(link, done, ev) for done in outs]
            conn.send_out_binds(directions, values[0], more=values[1:])
        conn.complete_call(row_count=count, in_transaction=session.in_transaction, batch_errors=failed,
                           dml_row_counts=counts if ev.dml_row_counts else None, rowid=rowid,
                           compile_warning=result.compile_warning)
    except OraError as exc:
        if exc.code == 54 and not link.guard.kill_requested and link.retry_busy(ev):
            return
        send_returned(link.conn, returned)  # of the executions before the failing one
        link.answer_error(exc, cursor_id=ev.cursor_id, position=at or exc.position, row_count=count,
                          in_transaction=session.in_transaction)
    finally:
        if link.record is not None and link.sleeper is None and not link.killed:
            link.record.state = "INACTIVE"

def out_values(link: StatementLink, result: Result, ev: ExecuteRequested) -> list[object]:
    """One execution's OUT / IN OUT values, in bind order, as their binds hold them."""
    found = result.out_values or {}
    return [out_lob(link.conn, as_bound(found[i], ev.binds[i]), ev.binds[i]) if i < len(ev.binds) else found[i]
            for i in sorted(found)]


def parse_only(link: StatementLink, session: Session, sql: str, stmt: Statement, ev: ExecuteRequested) -> None:
    """``cursor.parse()``: an EXECUTE without the EXECUTE option.  Nothing runs; the SQL
    is checked (its errors raised as an execute would) and a query is described.  The
    engine describes by running the query with every bind NULL: a select has no effect
    to undo (FOR UPDATE aside, whose locks the session's rollback releases)."""
    if stmt.is_query:
        result = session.execute(sql, (None,) * len(stmt.bind_names), bind_names=stmt.bind_names)
        if result.columns is not None and ev.options & ExecOption.DESCRIBE:
            link.conn.send_describe(result.columns)
        link.conn.complete_call(row_count=0, more_rows=False)
        return
    session.db.parse(sql)  # ORA- errors of the text itself (ORA-00900 and the like)
    link.conn.complete_call(row_count=0, in_transaction=session.in_transaction)


def fetch(link: StatementLink, cursor_id: int, count: int) -> None:
    """Answer a FETCH (or an execute's prefetch) with up to ``count`` rows of ``cursor_id``."""
    cursor = link.cursors.get(cursor_id)
    batch: list[tuple[object, ...]] = []
    if cursor is not None and cursor.rows is not None and not cursor.done:
        try:
            for row in itertools.islice(cursor.rows, count):
                batch.append(row)
        except OraError as exc:
            link.conn.send_rows(batch)
            link.answer_error(exc, cursor_id=cursor_id)
            return
        except Exception as exc:  # any row source's bug fails this call, never the connection
            link.conn.send_rows(batch)
            link.answer_error(errors.unconvertible(exc), cursor_id=cursor_id)
            return
        cursor.done = len(batch) < count
    link.conn.send_rows(batch)
    link.conn.complete_call(more_rows=cursor is not None and not cursor.done)
