"""The embedded server's SQL engine: Database (one WAL sqlite file) and Session
(one sqlite connection per Oracle session).

Transactions follow Oracle: a transaction starts at the first DML (``BEGIN
IMMEDIATE``, so sqlite's single writer lock is taken up front), ends at
COMMIT/ROLLBACK, and DDL commits before and after itself.  A write lock held by
another session raises ORA-00054 at once; the network server retries.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from contextlib import AbstractContextManager, contextmanager
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from oracle_sansio.crypto import Secret

from . import errors
from .catalog.tables import Catalog
from .types.datatypes import SqlType, from_storage
from .types.zones import DB_TIME_ZONE, normalize_zone, shown_in
from .errors import ErrorSlot, OraError
from .runtime.functions import guard
from .runtime.registry import register
from .syntax.nodes import (
    AlterSequence, CreateSequence, DropSequence,
    AlterSession, AlterUnit, Bind, CommentOn, Commit, CreateIndex, CreateTable, CreateUnit, CreateView, Delete,
    DropIndex, DropTable, DropUnit, DropView, Expr, Insert, KillSession, PlBlock, Rollback, Savepoint, Select, SelectItem, Statement, TableRef,
    Truncate, Update,
)
from .syntax.parser import parse
from .syntax.parser_base import MAX_DEPTH
from .runtime.results import Result
from .runtime.userenv import userenv
from .runtime.cursorstate import OPEN_CURSORS, OpenCursors
from .runtime.plsql_run import run_block
from .runtime.plsql_memory import DEFAULT_LIMIT
from .runtime.routines import OutputBuffer, coerce_value
from .runtime.sqlcalls import call_from_sql
from .runtime.sqlguard import SqlCalls
from .runtime.packages import PackageState
from .runtime.transactions import Transaction
from .runtime.triggers import fire_dml
from .runtime.trigger_state import TriggerState, mutating_guard
from .runtime.units import alter_unit, create_unit, drop_unit, invalidate_dependents
from .syntax.nodes_merge import Merge, MultiInsert
from .translate.merge import run_merge, run_multi_insert
from .catalog.dcl import DCL_STATEMENTS, DclStatement, drop_schema, run_dcl
from .catalog.schema import Context, Principal, Table
from .translate.base import OutColumn
from .translate.translator import Translator
from .translate.seqsql import check_placement, run_ddl
from .catalog.sequences import SessionSequences
from .catalog.foreignkeys import check_drop, check_error, check_truncate, drop_referencing, fk_error
from .catalog.indexes import run_comment, run_index_ddl
from .catalog.typeddl import alter_type, create_type, create_type_body, drop_type
from .syntax.nodes_type import AlterType, CreateType, CreateTypeBody, DropType
from .translate.dml import create_table_sql, need_of, translate_dml
from .translate.viewsql import CHECK_FAILED, check_dml, create_view, drop_view, unalias
from .types.rowids import fields_for, object_id

__all__ = ["Database", "OraError", "Result", "STATEMENTS", "Session", "SessionRow"]

#: One v$session row: (sid, serial#, username, program, machine, osuser, terminal, status).
SessionRow = tuple[object, ...]

_FETCH_BATCH = 500


class Database:
    """One WAL-mode sqlite file in a private directory, shared by all sessions."""

    def __init__(self, directory: str | None = None, *, busy_timeout: float = 0.0,
                 users: Collection[str] | None = None, admins: Collection[str] = ()) -> None:
        """``users``: the user names (schemas) that exist, for ALTER SESSION SET CURRENT_SCHEMA
        (None: any name is accepted); ``admins``: the users holding the DBA role (the DBA_ and
        V$ views, every schema's objects); everyone else uses only its own schema."""
        self._own_dir = directory is None
        self.users = None if users is None else frozenset(u.upper() for u in users)
        self.admins = frozenset(a.upper() for a in admins)
        self.directory = tempfile.mkdtemp(prefix="oracle-embedded-") if directory is None else directory
        self.path = os.path.join(self.directory, "oracle.db")
        self.busy_timeout = busy_timeout
        self.plsql_memory = DEFAULT_LIMIT  # bytes per top-level PL/SQL call (runtime/plsql_memory.py)
        self.catalog = Catalog()  # tables, views, sequences, indexes, types, stored PL/SQL units
        for name in self.users or ():
            self.add_user(name)
        for name in self.admins:
            if self.catalog.privileges.account(name) is None:
                self.add_user(name)
            self.catalog.privileges.grant_role(name, "DBA", True)
            self.catalog.privileges.super_users.add(name)  # DBA in its own stored code too
        #: The server's password store: (user, password) by CREATE/ALTER USER, (user, None) by DROP USER.
        self.password_sink: Callable[[str, Secret[str] | None], None] = lambda user, password: None
        #: The server's check of a user's password (ALTER USER ... REPLACE old): True when it matches.
        self.password_check: Callable[[str, Secret[str]], bool] = lambda user, password: True
        #: The server sets this to list live sessions for v$session.
        self.sessions_provider: Callable[[], list[SessionRow]] = lambda: []
        self._parse_cache: OrderedDict[str, Statement] = OrderedDict()
        self._lock = threading.Lock()
        self._sessions: list[Session] = []
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()

    def parse(self, sql: str) -> Statement:
        with self._lock:
            stmt = self._parse_cache.get(sql)
            if stmt is not None:
                self._parse_cache.move_to_end(sql)
                return stmt
        stmt = parse(sql)
        check_placement(stmt)  # ORA-02287 (static, so checked once per text)
        with self._lock:
            self._parse_cache[sql] = stmt
            if len(self._parse_cache) > 1000:
                self._parse_cache.popitem(last=False)
        return stmt

    def add_user(self, name: str) -> None:
        """A user configured outside SQL (EmbeddedServer ``users``), with the default grants."""
        self.catalog.privileges.add_configured_account(name)

    def drop_schema(self, user: str) -> None:
        """DROP USER ... CASCADE: ``user``'s objects go (catalog/dcl.py ``drop_schema``)."""
        drop_schema(self.catalog, self.path, self.busy_timeout, user)

    def connected_users(self) -> frozenset[str]:
        """The users with a session open now (DROP USER refuses them: ORA-01940)."""
        with self._lock:
            return frozenset(s.user for s in self._sessions)

    def session(self, *, user: str, sid: int, serial: int, open_cursors: int = OPEN_CURSORS) -> Session:
        """A session of ``user`` holding at most ``open_cursors`` open cursor variables (ORA-01000)."""
        if self.users is None and self.catalog.privileges.account(user.upper()) is None:
            self.add_user(user.upper())  # no user list: every name is a user
        s = Session(self, user=user, sid=sid, serial=serial, open_cursors=open_cursors)
        with self._lock:
            self._sessions.append(s)
        return s

    def _forget(self, s: Session) -> None:
        with self._lock:
            if s in self._sessions:
                self._sessions.remove(s)

    def close(self) -> None:
        with self._lock:
            sessions = list(self._sessions)
        for s in sessions:
            s.close()
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)


class Session:
    """One Oracle session: its own sqlite connection, transaction state and context."""

    def __init__(self, db: Database, *, user: str, sid: int, serial: int, open_cursors: int = OPEN_CURSORS) -> None:
        self.db = db
        self.user = user.upper()
        self.schema = self.user
        self.sid = sid
        self.serial = serial
        self.module: str | None = None
        self.action: str | None = None
        self.client_identifier: str | None = None
        self.client_info: str | None = None
        self.proxy_user: str | None = None  # who authenticated a proxy logon (``scott[hr]``)
        #: AUTH_ORA_EDITION (upper-cased), else the default: no editions here, so any name is taken.
        self.edition = "ORA$BASE"
        self.nls: dict[str, str] = {}
        self.start_zone = DB_TIME_ZONE  # TIME_ZONE = LOCAL: the zone the logon set (types/zones.py)
        self.output = OutputBuffer()  # DBMS_OUTPUT
        self.recursive_sql = 0  # EXECUTE IMMEDIATE's nesting (runtime/plcursors.py)
        self.cursors = OpenCursors(open_cursors)  # open PL/SQL cursor variables (runtime/plrefcursors.py)
        #: This session's package instances (their variables), made on first use: runtime/packages.py.
        self.packages: dict[tuple[str, str], PackageState] = {}
        self._definers: list[Principal] = []  # the owners of the stored code running now (as_definer)
        self.triggers = TriggerState()  # an executemany's rows, mutating tables (runtime/triggers.py)
        self._slot = ErrorSlot()
        self._conn = sqlite3.connect(db.path, isolation_level=None, timeout=db.busy_timeout,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA case_sensitive_like=ON")
        self._conn.execute("PRAGMA foreign_keys=ON")
        # a view over a dropped table must not stop the table rebuilds of foreignkeys.py (RENAME)
        self._conn.execute("PRAGMA legacy_alter_table=ON")
        register(self._conn, self._slot, self)
        self.sql_calls = SqlCalls()  # stored functions called from queries and DML (runtime/sqlcalls.py)
        for name, in_query in (("ora_plsql", True), ("ora_plsql_dml", False)):
            self._conn.create_function(name, -1, guard(self._slot, partial(call_from_sql, self, in_query)))
        #: The connection's transaction: savepoints, statement marks, autonomous transactions.
        self.tx = Transaction(self._conn, self._run)
        self.sequences = SessionSequences(db.catalog.sequences)  # CURRVAL; NEXTVAL is shared (sequences.py)
        self.sequences.install(self._conn, self._slot)
        self._closed = False

    # ---- public -------------------------------------------------------------------------------
    def execute(
        self, sql: str, binds: Sequence[object] = (), *, bind_names: Sequence[str] = (),
        returning_types: Sequence[SqlType | None] = (),
    ) -> Result:
        """Run one statement; every failure is an OraError.

        ``returning_types``: for DML RETURNING INTO, the type of each INTO bind (None:
        keep the expression's own); values are converted to it as Oracle assigns them
        (ORA-00932 when it cannot), inside the statement, so a failure changes nothing."""
        if self._closed:
            raise errors.ora(3114)
        values: dict[str, object] = {}
        for name, value in zip(bind_names, binds):
            values.setdefault(name, value)
        try:
            stmt = self.db.parse(sql)
            return self._dispatch(stmt, values, list(bind_names), sql, returning_types)
        except OraError:
            raise
        except RecursionError:  # a backstop: the parser's MAX_DEPTH keeps every walker well inside the limit
            raise errors.too_deep(MAX_DEPTH, detail="nesting too deep for the embedded server") from None
        except sqlite3.Error as exc:
            raise self._map(exc, updating=False) from None
        except Exception as exc:  # the engine must never leak a Python exception
            raise errors.internal(f"{type(exc).__name__}: {exc}") from None

    def set_interrupt(self, check: Callable[[], OraError | None] | None, *, every: int = 1000) -> None:
        """Let the server stop a running statement: sqlite calls ``check`` every
        ``every`` virtual-machine steps, and an OraError it returns ends the
        statement with that error (None removes the hook)."""
        self._interrupt = check
        if check is None:
            self.tx.set_progress(None, 0)
            return
        slot = self._slot

        def progress() -> int:
            error = check()
            if error is None:
                return 0
            slot.error = error  # _map reports it instead of sqlite's "interrupted"
            return 1

        self.tx.set_progress(progress, every)

    _interrupt: Callable[[], OraError | None] | None = None

    def interrupted(self) -> OraError | None:
        """What the server's interrupt hook says now (PL/SQL asks between statements)."""
        return None if self._interrupt is None else self._interrupt()

    @property
    def in_transaction(self) -> bool:
        """True while the session has uncommitted changes."""
        return self.tx.open

    def commit(self) -> None:
        self.sql_calls.check_transaction()  # ORA-14552 in a function a query or DML called
        self.tx.commit()

    def rollback(self) -> None:
        self.sql_calls.check_transaction()
        self.tx.rollback()

    def autonomous(self) -> AbstractContextManager[None]:
        """PRAGMA AUTONOMOUS_TRANSACTION: the body runs in a transaction of its own
        (runtime/transactions.py)."""
        return self.tx.autonomous()

    def close(self) -> None:
        if self._closed:
            return
        try:
            self.rollback()
        except OraError:
            pass
        self._closed = True
        self._conn.close()
        self.db._forget(self)

    # ---- internals ----------------------------------------------------------------------------
    def _run(self, sql: str, params: dict[str, object] | None = None) -> sqlite3.Cursor:
        self._slot.error = None
        try:
            return self._conn.execute(sql, params or {})
        except sqlite3.Error as exc:
            raise self._map(exc, updating=False) from None

    def _map(self, exc: sqlite3.Error, *, updating: bool, table: Table | None = None,
             deleting: bool = False) -> OraError:
        pending = self._slot.error
        if pending is not None:
            self._slot.error = None
            return pending
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return errors.busy()
        if isinstance(exc, sqlite3.OperationalError) and ("parser stack overflow" in text
                                                          or "Expression tree is too large" in text):
            # sqlite nests less than Oracle: ~30 calls deep (e.g. nvl(nvl(...))) is its limit
            return errors.too_deep(MAX_DEPTH, detail=f"the embedded server's sqlite: {text}")
        if isinstance(exc, sqlite3.OperationalError) and text.startswith("no such table"):
            return errors.ora(4063, name="view")  # a view whose base table was dropped
        if isinstance(exc, sqlite3.IntegrityError):
            if text == CHECK_FAILED:
                return errors.ora(1402)
            if text.startswith("CHECK constraint failed"):
                return check_error(self.db.catalog, text, table)
            if text.startswith("FOREIGN KEY") and table is not None:
                return fk_error(self.db.catalog, table, deleting=deleting)
            if text.startswith("UNIQUE"):
                mapped = self.db.catalog.unique_error(text)
                if mapped is not None:
                    return mapped
            if text.startswith("NOT NULL"):
                mapped = self.db.catalog.not_null_error(text, updating)
                if mapped is not None:
                    return mapped
        return errors.internal(text)

    def _context(self) -> Context:
        return Context(self.user, self.schema, self.sid, self.nls, self._userenv, self.db.sessions_provider,
                       _dt.datetime.now(), self.admin, self._definers[-1] if self._definers else None)

    @property
    def admin(self) -> bool:
        """Holds the DBA role now (EmbeddedServer ``admins``, or GRANT DBA): checked at every name
        resolution (catalog/tables.py)."""
        return "DBA" in self.db.catalog.privileges.enabled_roles(self.user)

    @property
    def principal(self) -> Principal:
        """Who this session resolves names as (catalog/tables.py): its user, or the owner of
        the stored code running now (definer's rights)."""
        if self._definers:
            return self._definers[-1]
        return Principal(self.user, self.schema, self.admin)

    @contextmanager
    def as_definer(self, owner: str) -> Iterator[None]:
        """Run stored code of ``owner`` with its owner's rights, as Oracle's default AUTHID DEFINER
        does: names resolve in the owner's schema, privileges are the owner's direct and PUBLIC
        ones (roles are disabled there, catalog/tables.py ``Catalog.definer``)."""
        self._definers.append(self.db.catalog.definer(owner))
        try:
            yield
        finally:
            self._definers.pop()

    def set_current_schema(self, name: str) -> None:
        """ALTER SESSION SET CURRENT_SCHEMA: unqualified names resolve in ``name`` from now on
        (privileges stay the user's own); ORA-01435 for a user that does not exist."""
        if self.db.users is not None and self.db.catalog.privileges.account(name) is None and name != self.user:
            raise errors.ora(1435)
        self.schema = name

    def _userenv(self, key: str) -> str | None:
        return userenv(self, key)

    def _dispatch(
        self, stmt: Statement, binds: dict[str, object], bind_names: list[str], sql: str,
        returning_types: Sequence[SqlType | None] = (),
    ) -> Result:
        handler = STATEMENTS.get(type(stmt))
        if handler is None:
            raise errors.invalid_sql()
        return handler(self, stmt, _Call(binds, bind_names, sql, returning_types))

    # ---- one method per statement type (the table STATEMENTS below) ----------------------------
    def _select(self, stmt: Select, call: _Call) -> Result:
        return self._query(stmt, call.binds)

    def _change(self, stmt: Insert | Update | Delete, call: _Call) -> Result:
        if stmt.returning is not None:
            for target in stmt.returning.into:
                if not isinstance(target, Bind):
                    raise errors.invalid_sql(f"RETURNING INTO {call.sql[target.start:target.end]}: SQL returns "
                                             "into bind variables", target.start)
        return self.dml(stmt, call.binds, call.returning_types)

    def _table_ddl(self, stmt: CreateTable | DropTable | Truncate, call: _Call) -> Result:
        return self._ddl(stmt, call.binds)

    def _commit(self, stmt: Commit, call: _Call) -> Result:
        self.commit()
        return Result()

    def _rollback(self, stmt: Rollback, call: _Call) -> Result:
        if stmt.to is None:
            self.rollback()
            return Result()
        self.tx.rollback_to(stmt.to)
        return Result()

    def _savepoint(self, stmt: Savepoint, call: _Call) -> Result:
        self.tx.savepoint(stmt.name)
        return Result()

    def _alter_session(self, stmt: AlterSession, call: _Call) -> Result:
        for key, value in stmt.settings:
            if key == "CURRENT_SCHEMA":
                self.set_current_schema(value)
            elif key.startswith("NLS_") or key == "TIME_ZONE":
                self.nls[key] = value if key != "TIME_ZONE" else normalize_zone(value, session_start=self.start_zone)
        return Result()

    def _kill(self, stmt: KillSession, call: _Call) -> Result:
        if not self.admin:  # ALTER SYSTEM is a DBA's privilege
            raise errors.ora(1031)
        return Result(kill=(stmt.sid, stmt.serial), kill_immediate=stmt.immediate)

    def _block(self, stmt: PlBlock, call: _Call) -> Result:
        names = call.bind_names
        written, sleep, read = run_block(self, stmt, call.binds, call.sql)
        outs = {names.index(name): value for name, value in written.items() if name in names}
        return Result(out_values=outs or None, sleep_seconds=sleep,
                      read_binds=frozenset(names.index(name) for name in read if name in names))

    def _unit_ddl(self, stmt: CreateUnit | DropUnit | AlterUnit, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        if isinstance(stmt, CreateUnit):
            return Result(compile_warning=create_unit(self, stmt))
        if isinstance(stmt, AlterUnit):
            return Result(compile_warning=alter_unit(self, stmt))
        drop_unit(self, stmt)
        return Result()

    def _comment(self, stmt: CommentOn, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        run_comment(self.db.catalog, self.principal, stmt)
        return Result()

    def _index_ddl(self, stmt: CreateIndex | DropIndex, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        run_index_ddl(self.db.catalog, self.principal, stmt, self._transaction)
        return Result()

    def _view_ddl(self, stmt: CreateView | DropView, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        if isinstance(stmt, CreateView):
            create_view(self.db.catalog, self._context(), stmt, self._transaction)
        else:
            drop_view(self.db.catalog, self.principal, stmt, self._transaction)
            invalidate_dependents(self.db.catalog)
        return Result()

    def _sequence_ddl(self, stmt: CreateSequence | DropSequence | AlterSequence, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        owner = stmt.schema or self.schema
        run_ddl(self.db.catalog, self.principal, self.db.catalog.units.has_name(owner, stmt.name), stmt)
        return Result()

    def query(self, stmt: Select, binds: dict[str, object]) -> Result:
        """A query's columns and rows (PL/SQL's SELECT INTO and cursors)."""
        return self._query(stmt, binds)

    def _type_ddl(self, stmt: CreateType | CreateTypeBody | DropType | AlterType, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        catalog, who = self.db.catalog, self.principal
        if isinstance(stmt, CreateType):
            create_type(catalog, who, stmt)
        elif isinstance(stmt, CreateTypeBody):
            create_type_body(catalog, who, stmt)
        if isinstance(stmt, (CreateType, CreateTypeBody)):
            # Created INVALID: "success with compilation error", as for stored units.
            made = catalog.types.get(stmt.schema or who.schema, stmt.name)
            unit = made if made is None or isinstance(stmt, CreateType) else made.body
            return Result(compile_warning=unit is not None and unit.status == "INVALID")
        if isinstance(stmt, DropType):
            drop_type(catalog, who, stmt)
        else:
            alter_type(catalog, who, stmt)
        return Result()

    def _dcl(self, stmt: DclStatement, call: _Call) -> Result:
        self.commit()  # Oracle commits before DDL
        run_dcl(self.db, self.principal, stmt)
        return Result()

    def _query(self, stmt: Select, binds: dict[str, object]) -> Result:
        plan = Translator(self.db.catalog, self._context(), binds).select(stmt)
        cursor = self._run(plan.sql, plan.params)
        columns = tuple(c.type.describe(c.name, nullable=c.nullable) for c in plan.columns)
        return Result(columns=columns, rows=self._rows(cursor, plan.columns),
                      types=tuple(c.type for c in plan.columns))

    def _rows(self, cursor: sqlite3.Cursor, columns: tuple[OutColumn, ...]) -> Iterator[tuple[object, ...]]:
        types = [c.type for c in columns]
        shown = shown_in(self.nls.get("TIME_ZONE", DB_TIME_ZONE), types)  # LOCAL TIME ZONE values
        try:
            while True:
                self._slot.error = None
                try:
                    batch = cursor.fetchmany(_FETCH_BATCH)
                except sqlite3.Error as exc:
                    raise self._map(exc, updating=False) from None
                if not batch:
                    return
                for row in batch:
                    try:  # rows are made lazily, outside execute()'s backstop: this is theirs
                        out = shown(tuple(from_storage(v, t) for v, t in zip(row, types)))
                    except OraError:
                        raise
                    except Exception as exc:
                        raise errors.unconvertible(exc) from None
                    yield out
        finally:
            try:
                cursor.close()
            except sqlite3.ProgrammingError:
                pass  # the session's database closed first (a dropped connection): nothing to free

    @property
    def transactions(self) -> int:
        """The number of the open transaction (DBMS_TRANSACTION.LOCAL_TRANSACTION_ID)."""
        return self.tx.number

    def dml(
        self, stmt: Insert | Update | Delete, binds: dict[str, object], returning_types: Sequence[SqlType | None] = (),
        *, fire: bool = True,
    ) -> Result:
        """Run one DML statement; ``fire``: with the table's triggers (runtime/triggers.py runs
        the statement row by row when any fires; False: the row writes it makes itself)."""
        self.sql_calls.check_dml()  # ORA-14551 in a function a query called
        catalog = self.db.catalog
        table = catalog.table(stmt.table.schema, stmt.table.name, self.principal, stmt.table.pos, need_of(stmt))
        if fire:  # a view: its INSTEAD OF triggers
            fired = fire_dml(self, table, stmt, binds, returning_types)
            if fired is not None:
                return fired
        check_dml(table, stmt)  # views: ORA-42399 / ORA-01732 / ORA-01733 (viewsql.py)
        sql, params, returning = translate_dml(catalog, self._context(), binds, stmt, returning_types)
        # UPDATE/DELETE (and DML with RETURNING) stream the rowid of each row changed,
        # in the order sqlite changed them (Oracle reports the last), then the RETURNING values.
        # A view's rows are counted the same way (sqlite reports no rowcount for INSTEAD OF triggers).
        streamed = returning is not None or not isinstance(stmt, Insert) or table.view is not None
        if table.view is not None:
            sql = unalias(sql, table)
        if streamed:
            sql += (" RETURNING rowid" if table.view is None else " RETURNING NULL") + "".join(f", {te.sql}" for te in returning or ())
        types = [te.type for te in returning or ()]
        returned: list[tuple[object, ...]] | None = None if returning is None else []
        started = self.tx.begin()
        try:
            with self.tx.guarded(table.sql_name) as changed:  # ORA-00060 on a suspended caller's rows
                self._slot.error = None
                cursor = self._conn.execute(sql, params)
                if not streamed:
                    count, last = max(cursor.rowcount, 0), cursor.lastrowid
                    if count:
                        changed(last if count == 1 else None)
                else:
                    count, last = 0, None
                    for row in cursor:  # only the last changed row's rowid is kept
                        count, last = count + 1, row[0]
                        changed(last)
                        if returned is not None:
                            returned.append(tuple(from_storage(v, t) for v, t in zip(row[1:], types)))
        except (sqlite3.Error, OraError) as exc:
            mapped = exc if isinstance(exc, OraError) else self._map(
                exc, updating=isinstance(stmt, Update), table=table, deleting=isinstance(stmt, Delete))
            if started:
                self.rollback()
            raise mapped from None
        rowid = fields_for(object_id(table), last) if count and last is not None else None
        return Result(row_count=count, rowid=rowid, returned=returned)

    def statement_savepoint(self) -> tuple[str, bool]:
        """Mark the start of one statement's work (a statement that fires triggers): the
        savepoint's name, and whether the statement started the transaction."""
        return self.tx.mark()

    def end_statement(self, mark: tuple[str, bool], *, undo: bool) -> None:
        """The end of one statement's work: kept, or undone (a failure; with the transaction it started)."""
        if undo:
            self.tx.undo(mark)
        else:
            self.tx.keep(mark)

    def forbid_tables(self, names: dict[str, str]) -> None:
        """While row triggers run (runtime/triggers.py): SQL that reads or changes one of ``names``
        (sqlite name, lower case -> Oracle name) is ORA-04091, as a mutating table's is."""
        self._conn.set_authorizer(mutating_guard(self._slot, names) if names else None)

    def _ddl(self, stmt: CreateTable | DropTable | Truncate, binds: dict[str, object]) -> Result:
        self.commit()  # Oracle commits before DDL
        catalog = self.db.catalog
        if isinstance(stmt, CreateTable):
            schema = catalog.owner_for_create(stmt.table.schema, self.principal, stmt.table.pos, "TABLE")
            if catalog.exists(schema, stmt.table.name) or stmt.table.name in ("DUAL",):
                if stmt.if_not_exists:
                    return Result()
                raise errors.name_in_use(stmt.table.pos)
            table, statements = create_table_sql(catalog, schema, stmt, self._context())
            self._transaction(statements)
            catalog.add(table)
            return Result()
        if isinstance(stmt, DropTable):
            try:
                table = catalog.table(stmt.table.schema, stmt.table.name, self.principal, stmt.table.pos, "DROP")
            except OraError:
                if stmt.if_exists:
                    return Result()
                raise
            if table.view is not None:
                raise errors.table_missing(stmt.table.pos)
            if not table.sql_name:
                raise errors.ora(1031)
            if stmt.cascade:
                rebuild = drop_referencing(catalog, table)
                self._run("PRAGMA foreign_keys=OFF")
                try:
                    self._transaction(rebuild + [f'DROP TABLE "{table.sql_name}"'])
                finally:
                    self._run("PRAGMA foreign_keys=ON")
                catalog.drop(table)
                invalidate_dependents(catalog)
                return Result()
            check_drop(catalog, table)
            self._transaction([f'DROP TABLE "{table.sql_name}"'])
            catalog.drop(table)
            invalidate_dependents(catalog)
            return Result()
        table = catalog.table(stmt.table.schema, stmt.table.name, self.principal, stmt.table.pos, "DROP")
        if not table.sql_name:
            raise errors.ora(1031)
        check_truncate(catalog, table)
        self._transaction([f'DELETE FROM "{table.sql_name}"'])
        return Result()

    def _transaction(self, statements: list[str]) -> None:
        self._run("BEGIN IMMEDIATE")
        try:
            for s in statements:
                self._run(s)
        except OraError:
            self._conn.execute("ROLLBACK")
            raise
        self._run("COMMIT")

    def evaluate(self, expr: object, binds: dict[str, object]) -> object:
        assert isinstance(expr, Expr)
        select = Select((SelectItem(expr, None, "V"),), TableRef(None, "DUAL", None, 0))
        result = self._query(select, binds)
        assert result.rows is not None
        rows = list(result.rows)
        return rows[0][0] if rows else None


@dataclass(frozen=True, slots=True)
class _Call:
    """What a statement's handler may need besides the statement: its binds (by name and in
    order), its text, and the types RETURNING INTO targets want."""

    binds: dict[str, object]
    bind_names: list[str]
    sql: str
    returning_types: Sequence[SqlType | None]


# Handlers take the statement of their key's type; a dict cannot say so, hence Any.
#: Statement type -> the Session method that runs it; any other statement is ORA-00900.
STATEMENTS: Final[dict[type, Callable[[Session, Any, _Call], Result]]] = {
    Select: Session._select,
    **dict.fromkeys((Insert, Update, Delete), Session._change),
    CreateTable: Session._table_ddl,
    DropTable: Session._table_ddl,
    Truncate: Session._table_ddl,
    Commit: Session._commit,
    Rollback: Session._rollback,
    Savepoint: Session._savepoint,
    AlterSession: Session._alter_session,
    KillSession: Session._kill,
    PlBlock: Session._block,
    CreateUnit: Session._unit_ddl,
    DropUnit: Session._unit_ddl,
    AlterUnit: Session._unit_ddl,
    CommentOn: Session._comment,
    CreateView: Session._view_ddl,
    DropView: Session._view_ddl,
    CreateIndex: Session._index_ddl,
    DropIndex: Session._index_ddl,
    CreateSequence: Session._sequence_ddl,
    DropSequence: Session._sequence_ddl,
    AlterSequence: Session._sequence_ddl,
    CreateType: Session._type_ddl,
    CreateTypeBody: Session._type_ddl,
    DropType: Session._type_ddl,
    AlterType: Session._type_ddl,
    **dict.fromkeys(DCL_STATEMENTS, Session._dcl),
    Merge: lambda s, stmt, call: run_merge(s, stmt, call.binds),
    MultiInsert: lambda s, stmt, call: run_multi_insert(s, stmt, call.binds),
}
