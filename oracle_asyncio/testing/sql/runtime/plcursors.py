"""SQL inside PL/SQL at run time: SELECT INTO, explicit cursors, cursor FOR loops,
EXECUTE IMMEDIATE, BULK COLLECT, FORALL and the cursor attributes.

:class:`SqlStatements` is a base of the interpreter (plsql_run.Runner), whose
``PL_STATEMENTS`` table sends these statements here.

* SQL text gets its PL/SQL names through ``Evaluator.to_sql``: a column of a table
  the statement reads wins over a variable of the same name.
* A declared cursor is a :class:`CursorDef` in its block's scope; ``c%FOUND`` and the
  other attributes (parser_plsql_sql.py makes them names ``C%FOUND``) are read from it,
  and ``SQL%...`` from the implicit cursor of the running call.
* A cursor FOR loop reads its rows as it fetches and closes its cursor however the loop
  ends; OPEN of a declared cursor reads them all at once, since a block may end without CLOSE
  (cursor variables, plrefcursors.py, stream, and are closed when the call ends).
* EXECUTE IMMEDIATE runs its text as a statement of the session (SQL, DDL, a PL/SQL
  block), binding the USING arguments by position, nested at most
  :data:`MAX_RECURSIVE_SQL` deep (ORA-00036).
* Every loop here runs its body through the runner, which counts statements and asks
  the session's interrupt check (statement_timeout, kills); queries are bounded by the
  same check inside sqlite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from .. import errors
from ..errors import OraError, pls_error
from ..syntax.lexer import Kind, tokenize
from ..syntax.nodes import Col, Expr, Returning, Select, TypeRef
from ..syntax.plnodes import (
    PlClose, PlCursorDecl, PlCursorLoop, PlExecute, PlFetch, PlForall, PlOpen, PlQuery, PlSelectInto,
)
from ..types.datatypes import SqlType, T
from ..types.numbers import num
from .cursorstate import CursorState
from .plsql_calls import Caller
from .plsql_scope import ExitLoop, Frame, Scope, Var
from .plsql_values import CollectionType, PlCollection, PlRecord, PlType, RecordType
from .results import Result

__all__ = ["MAX_RECURSIVE_SQL", "CursorDef", "SqlStatements", "dynamic_text"]

#: How deep EXECUTE IMMEDIATE may nest (ORA-00036 beyond).  Oracle allows 50 recursive SQL
#: levels; each level here costs dozens of Python frames (a block, maybe a call, the engine), so
#: the server stops at 20, well inside Python's recursion limit.
MAX_RECURSIVE_SQL: Final = 20
_INTEGER = SqlType(T.NUMBER, precision=38, scale=0)
_COUNTS = CollectionType("SQL%BULK_ROWCOUNT", "ASSOC", _INTEGER, _INTEGER)
_BULK_ERROR = RecordType("SQL%BULK_EXCEPTIONS", (("ERROR_INDEX", _INTEGER), ("ERROR_CODE", _INTEGER)))
_BULK_ERRORS = CollectionType("SQL%BULK_EXCEPTIONS", "ASSOC", _BULK_ERROR, _INTEGER)


@dataclass(eq=False)
class CursorDef:
    """A declared cursor: its declaration, the scope it was declared in, its state."""

    decl: PlCursorDecl
    scope: Scope
    state: CursorState = field(default_factory=CursorState)


@dataclass(eq=False)
class _Implicit:
    """The implicit cursor ``SQL``: the last SELECT INTO / DML of the call."""

    count: int | None = None
    bulk_counts: PlCollection = field(default_factory=lambda: PlCollection(_COUNTS))
    bulk_errors: PlCollection = field(default_factory=lambda: PlCollection(_BULK_ERRORS))

    def attribute(self, name: str) -> object:
        if name == "ISOPEN":
            return False
        if name == "ROWCOUNT":
            return self.count
        if name == "BULK_ROWCOUNT":
            return self.bulk_counts
        if name == "BULK_EXCEPTIONS":
            return self.bulk_errors
        return None if self.count is None else (self.count > 0) == (name == "FOUND")


def _first_rows(result: Result, n: int) -> list[tuple[object, ...]]:
    """Up to ``n`` rows of a query, whose cursor is then closed."""
    cursor = CursorState()
    cursor.open(result)
    rows = cursor.fetch(n) if n else []
    cursor.close()
    return rows


def dynamic_text(text: object) -> tuple[str, list[str], bool]:
    """A dynamic statement's text (EXECUTE IMMEDIATE, OPEN FOR) ready to run with its
    arguments bound by position: the text, the bind names to give them, and whether it is a
    PL/SQL block (ORA-06535 for no text)."""
    if not isinstance(text, str) or not text.strip():
        raise errors.ora(6535)
    tokens = tokenize(text)
    binds = [t for t in tokens if t.kind is Kind.BIND]
    if tokens[0].kind is Kind.IDENT and tokens[0].value in ("BEGIN", "DECLARE"):
        return text, list(dict.fromkeys(t.value for t in binds)), True  # a block binds each name once
    # SQL binds every placeholder by position, a repeated name too: each gets a name of its own
    names = [str(k) for k in range(1, len(binds) + 1)]
    for k, t in reversed(list(enumerate(binds, 1))):
        text = f"{text[:t.pos]}:{k}{text[t.end:]}"
    return text, names, False


class SqlStatements(Caller):
    """The interpreter's SQL statements (a base of plsql_run.Runner)."""

    implicit: _Implicit | None = None
    #: Inside FORALL: which iteration runs (0 the first), for RETURNING BULK COLLECT.
    forall_iteration: int | None = None

    # ---- hooks (plsql_run.Runner) ---------------------------------------------------------------
    def run(self, body: tuple[object, ...], f: Frame) -> None:
        raise NotImplementedError

    # ---- attributes -----------------------------------------------------------------------------
    def sql_cursor(self) -> _Implicit:
        if self.implicit is None:
            self.implicit = _Implicit()
        return self.implicit

    def set_implicit(self, count: int) -> None:
        """SQL%... after a DML statement or SELECT INTO that touched ``count`` rows."""
        self.sql_cursor().count = count

    def cursor_attribute(self, name: str, f: Frame, pos: int) -> object:
        cursor, _, attr = name.partition("%")
        if cursor == "SQL":
            return self.sql_cursor().attribute(attr)
        if attr.startswith("BULK_"):
            raise pls_error(pos, f.source, f"PLS-00302: component '{attr}' must be declared")
        return self.declared(cursor, f, pos).state.attribute(attr)

    def name_value(self, e: Col, f: Frame) -> object:
        if e.table is None and "%" in e.name:
            return self.cursor_attribute(e.name, f, e.start)
        return super().name_value(e, f)

    def to_sql(self, node: Any, f: Frame, keep: frozenset[str], binds: dict[str, object], *,
               pl: bool = False) -> Any:
        if isinstance(node, Col) and node.table is None and "%" in node.name:
            return self._const(self.cursor_attribute(node.name, f, node.start), node, binds)
        return super().to_sql(node, f, keep, binds, pl=pl)

    # ---- declarations ---------------------------------------------------------------------------
    def declare_other(self, d: object, f: Frame) -> None:
        if not isinstance(d, PlCursorDecl):
            super().declare_other(d, f)
            return
        f.scope.names[d.name] = CursorDef(d, f.scope)

    def resolve_type(self, ref: TypeRef, f: Frame) -> PlType:
        """``c%ROWTYPE`` of a cursor: a record of its select list."""
        if ref.anchor == "ROWTYPE" and ref.name is not None and "." not in ref.name:
            found = f.scope.find(ref.name)
            if isinstance(found, CursorDef):
                result = self.session.query(*self.cursor_query(found, (), f, ref.pos, describe=True))
                _first_rows(result, 0)
                return RecordType(ref.name, tuple(zip((c.name for c in result.columns or ()), result.types)))
        return super().resolve_type(ref, f)

    def declared(self, name: str, f: Frame, pos: int) -> CursorDef:
        found = f.scope.find(name)
        if isinstance(found, Var):  # a cursor variable too: it has no query of its own to open or loop over
            raise pls_error(pos, f.source, f"PLS-00456: item '{name}' is not a cursor")
        if not isinstance(found, CursorDef):
            raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        return found

    # ---- queries --------------------------------------------------------------------------------
    def query(self, query: PlQuery, f: Frame) -> Result:
        binds: dict[str, object] = {}
        select = self.to_sql(query.select, f, frozenset(), binds)
        assert isinstance(select, Select)
        return self.session.query(select, binds)

    def cursor_query(self, cursor: CursorDef, args: tuple[Expr, ...], f: Frame, pos: int, *,
                     describe: bool = False) -> tuple[Select, dict[str, object]]:
        """The cursor's query with its parameters (given, defaulted, or NULL to ``describe``)
        and the variables it reads as binds."""
        decl = cursor.decl
        wrong = pls_error(pos, f.source, f"PLS-00306: wrong number or types of arguments in call to '{decl.name}'")
        if len(args) > len(decl.params):
            raise wrong
        scope = Scope(cursor.scope)
        for k, param in enumerate(decl.params):
            t = self.param_type(param, cursor.scope)
            if describe:
                value: object = None
            elif k < len(args):
                value = self.coerce(self.value(args[k], f), t)
            elif param.default is not None:
                value = self.coerce(self.value(param.default, f), t)
            else:
                raise wrong
            scope.names[param.name] = Var(t, value, constant=True)
        outer = f.scope
        f.scope = scope
        binds: dict[str, object] = {}
        try:
            select = self.to_sql(decl.query.select, f, frozenset(), binds)
        finally:
            f.scope = outer
        assert isinstance(select, Select)
        return select, binds

    def store_row(self, into: tuple[Expr, ...], row: tuple[object, ...], names: tuple[str, ...],
                  types: tuple[SqlType, ...], f: Frame, pos: int) -> None:
        """One row into its INTO targets: as many targets as columns, or one record."""
        if len(into) == 1 and self._is_record(into[0], f):
            self.assign_target(into[0], self._row_record(row, names, types), f, pos)
            return
        if len(into) < len(row):
            raise pls_error(pos, f.source, "PL/SQL: ORA-00913: too many values")
        if len(into) > len(row):
            raise pls_error(pos, f.source, "PL/SQL: ORA-00947: not enough values")
        for target, value in zip(into, row):
            self.assign_target(target, value, f, pos)

    def _is_record(self, target: Expr, f: Frame) -> bool:
        return isinstance(self.target_type(target, f), RecordType)

    @staticmethod
    def _row_record(row: tuple[object, ...], names: tuple[str, ...], types: tuple[SqlType, ...]) -> PlRecord:
        return PlRecord(RecordType("ROW", tuple(zip(names, types))), dict(zip(names, row)))

    def store_returned(self, returning: Returning, rows: list[tuple[object, ...]], f: Frame, pos: int) -> None:
        """DML's ``RETURNING ... BULK COLLECT INTO``: inside FORALL each iteration's rows follow
        the ones before."""
        names = tuple(str(k) for k in range(1, len(returning.exprs) + 1))
        self.store_bulk(returning.into, rows, names, (), f, pos, append=bool(self.forall_iteration))

    def store_bulk(self, into: tuple[Expr, ...], rows: list[tuple[object, ...]], names: tuple[str, ...],
                   types: tuple[SqlType, ...], f: Frame, pos: int, *, append: bool = False) -> None:
        """BULK COLLECT: the rows into collections, one per column (or one of records), from 1
        (``append``: after the elements there)."""
        whole = len(into) == 1 and (len(names) > 1 or self._element_is_record(into[0], f))
        if not whole and len(into) != len(names):
            raise pls_error(pos, f.source, "PL/SQL: ORA-00913: too many values" if len(into) < len(names)
                            else "PL/SQL: ORA-00947: not enough values")
        for k, target in enumerate(into):
            current = self.value(target, f)
            t = current.type if isinstance(current, PlCollection) else self.target_type(target, f)
            if not isinstance(t, CollectionType):
                raise pls_error(target.start, f.source, "PLS-00497: cannot mix between single row and multi-row "
                                                        "(BULK) in INTO list")
            values: list[object] = [self._row_record(row, names, types) if whole else row[k] for row in rows]
            collection = PlCollection(t)
            start = 0
            if append and isinstance(current, PlCollection):
                collection, start = current, len(current.items)
            for i, v in enumerate(values, start + 1):
                if t.kind != "ASSOC":
                    collection.size = i
                collection.put(i, self.coerce(v, t.element, t.element_not_null))
            self.assign_target(target, collection, f, pos)

    def target_type(self, target: Expr, f: Frame) -> PlType | None:
        """The declared type of an INTO target that is a plain variable (None: any other)."""
        if isinstance(target, Col) and target.table is None:
            found = f.scope.find(target.name)
            if isinstance(found, Var):
                return found.type
        return None

    def _element_is_record(self, target: Expr, f: Frame) -> bool:
        t = self.target_type(target, f)
        return isinstance(t, CollectionType) and isinstance(t.element, RecordType)

    # ---- SELECT INTO ----------------------------------------------------------------------------
    def select_into(self, item: PlSelectInto, f: Frame) -> None:
        """SELECT INTO: exactly one row (ORA-01403 for none, ORA-01422 for more); BULK COLLECT: all."""
        self.into(self.query(item.query, f), item.into, item.bulk, f, item.pos)

    def into(self, result: Result, into: tuple[Expr, ...], bulk: bool, f: Frame, pos: int) -> None:
        """A query's rows into their targets: every row (BULK COLLECT), or exactly one."""
        names = tuple(c.name for c in result.columns or ())
        rows = list(result.rows or ()) if bulk else _first_rows(result, 2)
        self.set_implicit(len(rows))
        if bulk:
            self.store_bulk(into, rows, names, result.types, f, pos)
            return
        if not rows:
            raise errors.ora(1403)
        if len(rows) > 1:
            raise errors.ora(1422)
        self.store_row(into, rows[0], names, result.types, f, pos)

    # ---- explicit cursors -----------------------------------------------------------------------
    def open_cursor(self, item: PlOpen, f: Frame) -> None:
        cursor = self.declared(item.cursor, f, item.pos)
        if cursor.state.rows is not None:
            raise errors.ora(6511)
        select, binds = self.cursor_query(cursor, item.args, f, item.pos)
        cursor.state.open(self.session.query(select, binds), read_all=True)

    def fetch_cursor(self, item: PlFetch, f: Frame) -> None:
        """FETCH c INTO ...: the next row, or nothing (then %NOTFOUND) once the rows are spent;
        BULK COLLECT: the rest, or ``LIMIT n`` of them."""
        self.fetch_from(self.declared(item.cursor, f, item.pos).state, item, f)

    def fetch_from(self, state: CursorState, item: PlFetch, f: Frame) -> None:
        """FETCH from an explicit cursor's or a cursor variable's ``state`` (ORA-01001: not open)."""
        if state.rows is None:
            raise errors.ora(1001)
        if not item.bulk:
            rows = state.fetch(None)
            if rows:
                self.store_row(item.into, rows[0], state.names, state.types, f, item.pos)
            return
        most = 2**62  # no LIMIT: the rest
        if item.limit is not None:
            limit = self._integer(self.value(item.limit, f))
            if limit is None or limit < 1:
                raise errors.value_error()
            most = limit
        rows = state.fetch(most)
        self.store_bulk(item.into, rows, state.names, state.types, f, item.pos)

    def close_cursor(self, item: PlClose, f: Frame) -> None:
        state = self.declared(item.cursor, f, item.pos).state
        if state.rows is None:
            raise errors.ora(1001)
        state.close()

    # ---- cursor FOR loops -----------------------------------------------------------------------
    def cursor_loop(self, item: PlCursorLoop, f: Frame) -> None:
        """FOR r IN cursor | (query) LOOP ...: a row per iteration in record ``r``; the cursor
        opens before and closes after (also when the body fails or EXITs)."""
        if item.cursor is not None:
            declared = self.declared(item.cursor, f, item.pos)
            if declared.state.rows is not None:
                raise errors.ora(6511)
            state = declared.state
            select, binds = self.cursor_query(declared, item.args, f, item.pos)
            state.open(self.session.query(select, binds))
        else:
            assert item.query is not None
            state = CursorState()
            state.open(self.query(item.query, f))
        record_type = RecordType(item.record, tuple(zip(state.names, state.types)))
        record = Var(record_type, None)
        outer = f.scope
        f.scope = Scope(outer)
        f.scope.names[item.record] = record
        try:
            while True:
                rows = state.fetch(None)
                if not rows:
                    break
                record.value = PlRecord(record_type, dict(zip(state.names, rows[0])))
                try:
                    self.run(item.body, f)
                except ExitLoop as leave:
                    if leave.label is not None and leave.label != item.label:
                        raise
                    if not leave.is_continue:
                        break
        finally:
            f.scope = outer
            state.close()

    # ---- EXECUTE IMMEDIATE ----------------------------------------------------------------------
    def execute_immediate(self, item: PlExecute, f: Frame) -> None:
        """The text as a statement of the session, the USING arguments bound by position."""
        text, names, _ = dynamic_text(self.value(item.text, f))
        wanted = len(item.using) + len(item.returning)
        if wanted < len(names):
            raise errors.ora(1008)
        if wanted > len(names):
            raise errors.ora(1006)
        values: list[object] = [None if mode == "OUT" else self.value(arg, f) for mode, arg in item.using]
        if any(isinstance(v, (PlRecord, PlCollection, CursorState)) for v in values):
            raise pls_error(item.pos, f.source, "PLS-00457: expressions have to be of SQL types")
        values += [None] * len(item.returning)
        result = self.recursive(text, values, names)
        if result.columns is not None:  # a query: its rows only for INTO
            if not item.into:
                _first_rows(result, 0)
                return
            self.into(result, item.into, item.bulk, f, item.pos)
            return
        if item.into:
            raise errors.ora(1007)
        self.set_implicit(result.row_count)
        if result.returned is not None:
            # RETURNING INTO: the one row's values (more is ORA-01422, none leaves NULLs)
            outs = [arg for mode, arg in item.using if mode != "IN"] + list(item.returning)
            if len(result.returned) > 1:
                raise errors.ora(1422)
            row = result.returned[0] if result.returned else (None,) * len(outs)
            for target, value in zip(outs, row):
                self.assign_target(target, value, f, item.pos)
            return
        for k, (mode, arg) in enumerate(item.using):
            if mode != "IN" and result.out_values is not None and k in result.out_values:
                self.assign_target(arg, result.out_values[k], f, item.pos)

    def recursive(self, text: str, values: list[object], names: list[str]) -> Result:
        """``text`` run by the session, at most MAX_RECURSIVE_SQL deep."""
        session = self.session
        if session.recursive_sql >= MAX_RECURSIVE_SQL:
            raise errors.ora(36, maximum=MAX_RECURSIVE_SQL)
        session.recursive_sql += 1
        try:
            return session.execute(text, values, bind_names=names)
        finally:
            session.recursive_sql -= 1

    # ---- FORALL ---------------------------------------------------------------------------------
    def forall(self, item: PlForall, f: Frame) -> None:
        """The statement once per index (``SQL%BULK_ROWCOUNT(i)``: each one's rows); with SAVE
        EXCEPTIONS, failing indexes are noted in ``SQL%BULK_EXCEPTIONS`` and ORA-24381 ends it."""
        indexes = self._forall_indexes(item, f)
        implicit = self.sql_cursor()
        counts, failures = PlCollection(_COUNTS), PlCollection(_BULK_ERRORS)
        implicit.bulk_counts, implicit.bulk_errors = counts, failures
        index = Var(_INTEGER, None, readonly=True)
        outer = f.scope
        f.scope = Scope(outer)
        f.scope.names[item.index] = index
        total = 0
        try:
            for n, i in enumerate(indexes):
                index.value = i
                self.forall_iteration = n
                try:
                    self.run((item.stmt,), f)
                except OraError as exc:
                    if not item.save_exceptions or exc.code in (28, 56735, 1013):
                        raise
                    failures.put(len(failures.items) + 1, PlRecord(_BULK_ERROR, {
                        "ERROR_INDEX": len(counts.items) + 1, "ERROR_CODE": exc.code}))
                    counts.put(i, 0)
                    continue
                done = implicit.count or 0
                counts.put(i, done)
                total += done
        finally:
            f.scope = outer
            self.forall_iteration = None
            implicit.count = total
            implicit.bulk_counts, implicit.bulk_errors = counts, failures
        if failures.items:
            raise errors.ora(24381)

    def _forall_indexes(self, item: PlForall, f: Frame) -> list[object]:
        if item.of is None:
            assert item.low is not None and item.high is not None
            low, high = self.value(item.low, f), self.value(item.high, f)
            if low is None or high is None:
                raise errors.value_error()
            first, last = self._integer(low), self._integer(high)
            assert first is not None and last is not None
            return list(range(first, last + 1))
        assert item.collection is not None
        collection = self.value(item.collection, f)
        if collection is None:
            raise errors.ora(6531)
        if not isinstance(collection, PlCollection):
            raise pls_error(item.collection.start, f.source, "PLS-00382: expression is of wrong type")
        keys = collection.keys()
        if item.of == "VALUES":
            return [collection.items[k] for k in keys]
        if item.low is not None and item.high is not None:
            low, high = self.value(item.low, f), self.value(item.high, f)
            first, last = self._integer(low), self._integer(high)
            if first is None or last is None:
                raise errors.value_error()
            keys = [k for k in keys if first <= k <= last]
        return list(keys)

    @staticmethod
    def _integer(value: object) -> int | None:
        """A PL/SQL number as an int (rounded, as PLS_INTEGER takes it); ORA-06502 for text."""
        if value is None:
            return None
        try:
            d = num(value)
        except OraError:
            raise errors.value_error("conversion") from None
        return None if d is None else int(d.to_integral_value())

