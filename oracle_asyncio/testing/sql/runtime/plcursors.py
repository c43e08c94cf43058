"""SQL inside PL/SQL at run time: SELECT INTO, explicit cursors, cursor FOR loops,
EXECUTE IMMEDIATE, and the cursor attributes (``SQL%ROWCOUNT``, ``c%FOUND`` ...).

routines.py dispatches these statements here (its ``PL_STATEMENTS`` table); this
module knows the runner and its frames only through the two protocols below, so it
does not import routines.py.

* Names in SQL are bound when the statement runs: a column of a table the statement
  reads wins over a variable of the same name (Oracle's rule), so a variable becomes a
  bind only where no such column exists.
* Cursor attributes live in the frame's values as binds named ``CURSOR%ATTRIBUTE``
  (parser_plsql_sql.py turns ``c%FOUND`` into one), and an open cursor's state under
  ``CURSOR%STATE``; FOUND, NOTFOUND and ISOPEN are 1 / 0 / NULL.
* A record of a cursor FOR loop keeps its fields as ``RECORD.FIELD`` values, and
  ``record.field`` in the loop's body is read as that bind.
* EXECUTE IMMEDIATE runs its text as a statement of the session (SQL, DDL, or a PL/SQL
  block), binding the USING arguments by position; nesting is bounded (ORA-00036).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Final, Protocol

from .. import errors
from ..catalog.schema import Principal
from ..catalog.tables import Catalog
from ..errors import OraError, pls_error
from ..syntax.lexer import Kind, tokenize
from ..syntax.nodes import (
    Bind, Col, DerivedTable, Expr, PlCall, PlClose, PlCursorDecl, PlCursorLoop, PlExecute, PlFetch, PlForall, PlOpen,
    PlQuery, PlSelectInto, PlStatement, PlTarget, Select, TableRef,
)
from ..syntax.parser_plsql import bind_names_in
from ..syntax.parser_plsql_sql import CURSOR_ATTRIBUTES, attribute_name
from ..types.datatypes import SqlType
from .results import Result

__all__ = [
    "MAX_RECURSIVE_SQL", "PlFrame", "PlRunner", "SqlHost", "close_cursor", "cursor_loop", "execute_immediate",
    "fetch_cursor", "forall", "open_cursor", "set_implicit", "start_frame", "select_into", "declare_cursor",
]

#: Oracle's limit on nested recursive SQL (EXECUTE IMMEDIATE inside EXECUTE IMMEDIATE ...).
MAX_RECURSIVE_SQL: Final = 50
_STATE = "STATE"  # the frame key suffix of an open cursor's state
_DECL = "DECL"  # ... and of a declared cursor


class SqlHostDatabase(Protocol):
    @property
    def catalog(self) -> Catalog: ...


class SqlHost(Protocol):
    """What these statements need of the session (engine.Session is one)."""

    recursive_sql: int

    @property
    def db(self) -> SqlHostDatabase: ...

    @property
    def principal(self) -> Principal: ...

    def query(self, stmt: Select, binds: dict[str, object]) -> Result: ...

    def execute(self, sql: str, binds: Any = (), *, bind_names: Any = (), returning_types: Any = ()) -> Result: ...


class PlFrame(Protocol):
    """A running block's or routine's frame (routines._Frame is one)."""

    values: dict[str, object]
    types: dict[str, SqlType]
    sql: str


class PlRunner(Protocol):
    """The interpreter (routines._Runner is one)."""

    @property
    def session(self) -> Any: ...

    def value(self, expr: Expr | PlCall, frame: Any) -> object: ...

    def assign(self, frame: Any, name: str, value: object, local: bool) -> None: ...

    def run(self, body: tuple[PlStatement, ...], frame: Any) -> None: ...


@dataclass
class _Open:
    """An open cursor: its remaining rows, its column names, how many rows it gave."""

    rows: Iterator[tuple[object, ...]]
    names: tuple[str, ...]
    count: int = 0


# ---- attributes -----------------------------------------------------------------------------------

def start_frame(values: dict[str, object]) -> None:
    """A new frame's implicit cursor attributes: NULL until a SQL statement runs."""
    for attr in CURSOR_ATTRIBUTES:
        values[attribute_name("SQL", attr)] = 0 if attr == "ISOPEN" else None


def set_implicit(frame: PlFrame, count: int) -> None:
    """SQL%... after a DML statement or SELECT INTO that touched ``count`` rows."""
    _set_attributes(frame.values, "SQL", found=count > 0, count=count, is_open=False)


def _set_attributes(values: dict[str, object], cursor: str, *, found: bool | None, count: int | None,
                    is_open: bool) -> None:
    values[attribute_name(cursor, "FOUND")] = None if found is None else int(found)
    values[attribute_name(cursor, "NOTFOUND")] = None if found is None else int(not found)
    values[attribute_name(cursor, "ROWCOUNT")] = count
    values[attribute_name(cursor, "ISOPEN")] = int(is_open)


# ---- binding --------------------------------------------------------------------------------------

def bound_query(runner: PlRunner, query: PlQuery, frame: PlFrame) -> Select:
    """The query with the frame's variables (those no column of its tables hides) as binds."""
    names = frozenset(frame.types)
    if not names:
        return query.select
    return bind_names_in(query.select, names, _columns_of(runner.session, query.select))


def _columns_of(session: SqlHost, select: Select) -> frozenset[str]:
    """The column names of every table and inline view ``select`` reads (at any depth)."""
    names: set[str] = set()
    stack: list[object] = [select]
    while stack:
        node = stack.pop()
        if isinstance(node, TableRef):
            try:
                table = session.db.catalog.table(node.schema, node.name, session.principal, node.pos)
            except OraError:
                continue  # the query reports it when it runs
            names.update(c.name for c in table.columns)
        elif isinstance(node, DerivedTable):
            names.update(item.alias or item.name for item in node.query.items)
            stack.append(node.query)
        elif isinstance(node, tuple):
            stack.extend(node)
        elif is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, f.name) for f in fields(node))
    return frozenset(names)


def _take(rows: Iterator[tuple[object, ...]] | None, n: int) -> list[tuple[object, ...]]:
    """Up to ``n`` rows, then the query's cursor is closed."""
    if rows is None:
        return []
    taken: list[tuple[object, ...]] = []
    for row in rows:
        taken.append(row)
        if len(taken) >= n:
            break
    if isinstance(rows, Generator):
        rows.close()
    return taken


def _store(runner: PlRunner, frame: PlFrame, into: tuple[PlTarget, ...], row: tuple[object, ...], pos: int) -> None:
    """One row into its INTO targets (as many targets as columns)."""
    if len(into) < len(row):
        raise pls_error(pos, frame.sql, "PL/SQL: ORA-00913: too many values")
    if len(into) > len(row):
        raise pls_error(pos, frame.sql, "PL/SQL: ORA-00947: not enough values")
    for target, value in zip(into, row):
        assign_target(runner, frame, target, value)


def assign_target(runner: PlRunner, frame: PlFrame, target: PlTarget, value: object) -> None:
    """``value`` into a bind, a variable or a record's field."""
    if isinstance(target, Col) and target.table is not None:
        key = f"{target.table}.{target.name}"
        if key not in frame.values:
            raise pls_error(target.start, frame.sql, f"PLS-00302: component '{target.name}' must be declared")
        frame.values[key] = value
        return
    runner.assign(frame, target.name, value, isinstance(target, Col))


# ---- SELECT INTO ----------------------------------------------------------------------------------

def select_into(runner: PlRunner, item: PlSelectInto, frame: PlFrame) -> None:
    """SELECT INTO: exactly one row (ORA-01403 for none, ORA-01422 for more)."""
    if item.bulk:
        raise errors.unsupported("SELECT ... BULK COLLECT INTO", item.pos)
    result = runner.session.query(bound_query(runner, item.query, frame), frame.values)
    rows = _take(result.rows, 2)
    set_implicit(frame, len(rows))
    if not rows:
        raise errors.ora(1403)
    if len(rows) > 1:
        raise errors.ora(1422)
    _store(runner, frame, item.into, rows[0], item.pos)


# ---- explicit cursors -----------------------------------------------------------------------------

def declare_cursor(frame: PlFrame, decl: PlCursorDecl) -> None:
    """``CURSOR c [(params)] IS query``: known to the frame, closed."""
    frame.values[attribute_name(decl.name, _DECL)] = decl
    frame.values.pop(attribute_name(decl.name, _STATE), None)
    _set_attributes(frame.values, decl.name, found=None, count=None, is_open=False)


def _declared(frame: PlFrame, name: str, pos: int) -> PlCursorDecl:
    decl = frame.values.get(attribute_name(name, _DECL))
    if not isinstance(decl, PlCursorDecl):
        raise pls_error(pos, frame.sql, f"PLS-00201: identifier '{name}' must be declared")
    return decl


def _run_cursor(runner: PlRunner, frame: PlFrame, decl: PlCursorDecl, args: tuple[Expr, ...], pos: int) -> _Open:
    """The cursor's query run with its parameters (given or defaulted) as binds."""
    if len(args) > len(decl.params):
        raise pls_error(pos, frame.sql, f"PLS-00306: wrong number or types of arguments in call to '{decl.name}'")
    binds = dict(frame.values)
    for k, param in enumerate(decl.params):
        if k < len(args):
            binds[param.name] = runner.value(args[k], frame)
        elif param.default is not None:
            binds[param.name] = runner.value(param.default, frame)
        else:
            raise pls_error(pos, frame.sql, f"PLS-00306: wrong number or types of arguments in call to "
                                            f"'{decl.name}'")
    names = frozenset(frame.types) | {p.name for p in decl.params}
    select = bind_names_in(decl.query.select, names, _columns_of(runner.session, decl.query.select))
    return _opened(runner.session.query(select, binds))


def _opened(result: Result) -> _Open:
    """A cursor opened on ``result`` (its rows are read as it fetches)."""
    return _Open(iter(result.rows or ()), tuple(c.name for c in result.columns or ()))


def open_cursor(runner: PlRunner, item: PlOpen, frame: PlFrame) -> None:
    decl = _declared(frame, item.cursor, item.pos)
    if attribute_name(item.cursor, _STATE) in frame.values:
        raise errors.ora(6511)
    frame.values[attribute_name(item.cursor, _STATE)] = _run_cursor(runner, frame, decl, item.args, item.pos)
    _set_attributes(frame.values, item.cursor, found=None, count=0, is_open=True)


def _state(frame: PlFrame, name: str, pos: int) -> _Open:
    _declared(frame, name, pos)
    state = frame.values.get(attribute_name(name, _STATE))
    if not isinstance(state, _Open):
        raise errors.ora(1001)
    return state


def fetch_cursor(runner: PlRunner, item: PlFetch, frame: PlFrame) -> None:
    """FETCH c INTO ...: the next row, or nothing (then %NOTFOUND) once the rows are spent."""
    if item.bulk:
        raise errors.unsupported("FETCH ... BULK COLLECT INTO", item.pos)
    state = _state(frame, item.cursor, item.pos)
    row = next(state.rows, None)
    if row is not None:
        state.count += 1
        _store(runner, frame, item.into, row, item.pos)
    _set_attributes(frame.values, item.cursor, found=row is not None, count=state.count, is_open=True)


def close_cursor(runner: PlRunner, item: PlClose, frame: PlFrame) -> None:
    state = _state(frame, item.cursor, item.pos)
    _take(state.rows, 0)
    del frame.values[attribute_name(item.cursor, _STATE)]
    _set_attributes(frame.values, item.cursor, found=None, count=None, is_open=False)


# ---- cursor FOR loops -----------------------------------------------------------------------------

def cursor_loop(runner: PlRunner, item: PlCursorLoop, frame: PlFrame) -> None:
    """FOR r IN cursor | (query) LOOP ...: a row per iteration in record ``r``; the cursor is
    opened before and closed after (also when the body fails)."""
    if item.cursor is not None:
        decl = _declared(frame, item.cursor, item.pos)
        if attribute_name(item.cursor, _STATE) in frame.values:
            raise errors.ora(6511)
        state = _run_cursor(runner, frame, decl, item.args, item.pos)
        frame.values[attribute_name(item.cursor, _STATE)] = state
    else:
        assert item.query is not None
        state = _opened(runner.session.query(bound_query(runner, item.query, frame), frame.values))
    body = _fields_as_binds(item.body, item.record)
    keys = [f"{item.record}.{name}" for name in state.names]
    saved = {key: frame.values[key] for key in keys if key in frame.values}
    try:
        for row in state.rows:
            state.count += 1
            if item.cursor is not None:
                _set_attributes(frame.values, item.cursor, found=True, count=state.count, is_open=True)
            frame.values.update(zip(keys, row))
            runner.run(body, frame)
    finally:
        _take(state.rows, 0)
        for key in keys:
            frame.values.pop(key, None)
        frame.values.update(saved)
        if item.cursor is not None:
            frame.values.pop(attribute_name(item.cursor, _STATE), None)
            _set_attributes(frame.values, item.cursor, found=None, count=None, is_open=False)


def _fields_as_binds(node: Any, record: str) -> Any:
    """``record.field`` references as binds named ``RECORD.FIELD`` (inside SQL too)."""
    if isinstance(node, Col):
        if node.table == record:
            return Bind(node.start, node.end, f"{record}.{node.name}")
        return node
    if isinstance(node, tuple):
        items = tuple(_fields_as_binds(x, record) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items
    if is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in fields(node):
            value = getattr(node, f.name)
            new = _fields_as_binds(value, record)
            if new is not value:
                changes[f.name] = new
        return replace(node, **changes) if changes else node
    return node


# ---- EXECUTE IMMEDIATE ----------------------------------------------------------------------------

def execute_immediate(runner: PlRunner, item: PlExecute, frame: PlFrame) -> None:
    """The text as a statement of the session, the USING arguments bound by position."""
    session: SqlHost = runner.session
    text = runner.value(item.text, frame)
    if not isinstance(text, str) or not text.strip():
        raise errors.ora(6535)
    tokens = tokenize(text)
    names = [t.value for t in tokens if t.kind is Kind.BIND]
    block = tokens[0].kind is Kind.IDENT and tokens[0].value in ("BEGIN", "DECLARE")
    if block:
        names = list(dict.fromkeys(names))  # a block binds each name once
    wanted = len(item.using) + len(item.returning)
    if wanted < len(names):
        raise errors.ora(1008)
    if wanted > len(names):
        raise errors.ora(1006)
    values: list[object] = [None if mode == "OUT" else runner.value(arg, frame) for mode, arg in item.using]
    values += [None] * len(item.returning)
    if session.recursive_sql >= MAX_RECURSIVE_SQL:
        raise errors.ora(36, maximum=MAX_RECURSIVE_SQL)
    session.recursive_sql += 1
    try:
        result = session.execute(text, values, bind_names=names)
    finally:
        session.recursive_sql -= 1
    if result.columns is not None:  # a query: rows only for INTO
        rows = _take(result.rows, 2 if item.into else 0)
        if item.into:
            set_implicit(frame, len(rows))
            if not rows:
                raise errors.ora(1403)
            if len(rows) > 1:
                raise errors.ora(1422)
            _store(runner, frame, item.into, rows[0], item.pos)
        return
    if item.into:
        raise errors.ora(1007)
    set_implicit(frame, result.row_count)
    if result.returned is not None:
        # RETURNING INTO: the values of the statement's single row (more is ORA-01422)
        outs = [arg for mode, arg in item.using if mode != "IN"] + list(item.returning)
        if len(result.returned) > 1:
            raise errors.ora(1422)
        row = result.returned[0] if result.returned else (None,) * len(outs)
        for target, value in zip(outs, row):
            assert isinstance(target, (Bind, Col))
            assign_target(runner, frame, target, value)
        return
    for k, (mode, arg) in enumerate(item.using):
        if mode != "IN" and result.out_values is not None and k in result.out_values:
            assert isinstance(arg, (Bind, Col))
            assign_target(runner, frame, arg, result.out_values[k])


# ---- FORALL ---------------------------------------------------------------------------------------

def forall(runner: PlRunner, item: PlForall, frame: PlFrame) -> None:
    raise errors.unsupported("FORALL", item.pos)
