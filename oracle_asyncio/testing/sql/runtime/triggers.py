"""DML triggers at run time: BEFORE / AFTER, statement and row triggers on tables (their DDL:
units.py; their syntax: syntax/parser_units.py).

A DML statement on a table with no enabled trigger for its event runs as before (the check is
one dictionary lookup, rebuilt only when a unit changes).  Otherwise the statement runs row by
row here: the rows it touches are read first (UPDATE and DELETE: their ROWID, old values and, for
UPDATE, the new values of the SET expressions; INSERT: the VALUES or the subquery's rows, with
the columns' defaults), then for each row the BEFORE ROW triggers run (a trigger's assignments to
``:NEW.col`` change the row), the row is written by ROWID (or inserted) through the ordinary DML
path, and the AFTER ROW triggers run; statement triggers run once before and once after.  The
whole statement, triggers included, is one unit of work: an error anywhere rolls it all back
(a savepoint), and reaches the client with Oracle's ``ORA-06512`` / ``ORA-04088`` lines.

An array INSERT (the client's executemany: one execution with N bind rows) is one statement to
its triggers: the statement triggers fire once, BEFORE at the first row and AFTER at the end
(trigger_state.py's ``array_statement``), while an array UPDATE or DELETE is one statement per bind row, as
Oracle runs them (see tests/testing/test_trigger_kinds.py for the sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .. import errors
from ..catalog.schema import Table
from ..catalog.units import Unit
from ..errors import OraError
from ..syntax.nodes import (
    Bind, Case, Col, Compare, Delete, Insert, Lit, Select, SelectItem, TableRef, TriggerDef, Update,
)
from ..syntax.plnodes import PlBlockStmt
from ..types.datatypes import NUMBER, SqlType, number_bytes
from .results import Result
from .plsql_memory import call_budget
from .plsql_run import Runner, declares_autonomous
from .plsql_scope import STANDARD, Frame, Return, Scope
from .routines import Host
from .trigger_state import BatchHost
from .units import recompile

__all__ = ["TriggerHost", "fire_dml"]

_ONE = Lit(0, 0, number_bytes(1), NUMBER)
_ZERO = Lit(0, 0, number_bytes(0), NUMBER)
#: The event -> the predicate that is true while its triggers run (the binds of parser_units.py).
_PREDICATE = {"INSERT": "INSERTING", "UPDATE": "UPDATING", "DELETE": "DELETING"}


class TriggerHost(Host, BatchHost, Protocol):
    """What firing triggers needs of the session (engine.Session is one)."""

    def dml(self, stmt: Insert | Update | Delete, binds: dict[str, object],
            returning_types: Sequence[SqlType | None] = (), *, fire: bool = True) -> Result: ...

    def statement_savepoint(self) -> tuple[str, bool]: ...

    def forbid_tables(self, names: dict[str, str]) -> None: ...


def _event(stmt: Insert | Update | Delete) -> str:
    return "INSERT" if isinstance(stmt, Insert) else "UPDATE" if isinstance(stmt, Update) else "DELETE"


class _Shared:
    """A compound trigger's declarations for one statement: elaborated when its first section
    runs, seen by every later section of the statement."""

    __slots__ = ("scope",)

    def __init__(self) -> None:
        self.scope: Scope | None = None


@dataclass(frozen=True, slots=True)
class _Trigger:
    """What runs at one timing point: a simple trigger's body, or one section of a compound
    trigger (``shared``: its declarations' state)."""

    unit: Unit
    tree: TriggerDef
    timing: str  # BEFORE, AFTER or INSTEAD OF
    row: bool
    block: tuple[object, ...]
    shared: _Shared | None = None


def _ordered(units: list[Unit]) -> list[Unit]:
    """The triggers in firing order: oldest first, but a trigger after every one it FOLLOWS
    (a cycle, which CREATE cannot make, would fall back to creation order)."""
    names = {f"{u.owner}.{u.name}" for u in units}
    placed: set[str] = set()
    pending, out = list(units), []
    while pending:
        k = next((k for k, u in enumerate(pending) if isinstance(u.tree, TriggerDef)
                  and all(f in placed or f not in names for f in u.tree.follows)), 0)
        unit = pending.pop(k)
        out.append(unit)
        placed.add(f"{unit.owner}.{unit.name}")
    return out


def _entries(units: list[Unit], states: dict[int, object]) -> list[_Trigger]:
    """Each trigger's timing points, in firing order (a compound trigger: one per section)."""
    out: list[_Trigger] = []
    for unit in _ordered(units):
        tree = unit.tree
        assert isinstance(tree, TriggerDef)
        if tree.timing != "COMPOUND":
            out.append(_Trigger(unit, tree, tree.timing, tree.row, tree.body.body))
            continue
        shared = states.setdefault(unit.object_id, _Shared())
        assert isinstance(shared, _Shared)
        for point, section in tree.sections:
            row = point.endswith(" EACH ROW")
            timing = point.removesuffix(" EACH ROW").removesuffix(" STATEMENT")
            out.append(_Trigger(unit, tree, timing, row, (section,), shared))
    return out


def _flags(table: Table, event: str, assigned: set[str]) -> dict[str, object]:
    """The predicates' binds: INSERTING / UPDATING / DELETING, and UPDATING('col') per column."""
    flags: dict[str, object] = {p: 1 if p == _PREDICATE[event] else 0 for p in _PREDICATE.values()}
    flags.update({f"UPDATING:{c.name}": 1 if c.name in assigned else 0 for c in table.columns})
    return flags


def fire_dml(host: TriggerHost, table: Table, stmt: Insert | Update | Delete, binds: dict[str, object],
             returning_types: Sequence[SqlType | None]) -> Result | None:
    """Run ``stmt`` with the triggers of ``table`` (a view: its INSTEAD OF triggers); None when
    no trigger fires for it (the caller then runs the statement itself)."""
    batch = host.triggers.batch
    if batch is not None and not batch.claims(stmt, (table.schema, table.name)):
        batch = None
    units = host.db.catalog.units.triggers_on(table.schema, table.name)
    if not units:
        return None
    event = _event(stmt)
    assigned = {name for name, _, _ in stmt.assignments} if isinstance(stmt, Update) else set()
    units = [u for u in units if isinstance(u.tree, TriggerDef) and event in u.tree.events
             and (event != "UPDATE" or not u.tree.columns or assigned & set(u.tree.columns))]
    if not units:
        return None
    for u in units:
        if not u.valid and not recompile(host.db.catalog, u).valid:
            assert isinstance(u.tree, TriggerDef)
            raise errors.ora(4098, u.tree.table.pos, name=f"{u.owner}.{u.name}")
    flags = _flags(table, event, assigned)
    fired = _entries(units, {} if batch is None else batch.shared)
    statement_before = statement_after = True
    if batch is not None:  # one row of an array INSERT
        statement_before = batch.mark is None
        statement_after = False
        if statement_before:
            batch.mark = host.statement_savepoint()
            after = [t for t in fired if t.timing == "AFTER" and not t.row]

            def finish() -> None:  # the AFTER statement triggers, once the array's rows are in
                for t in after:
                    _body(host, t, dict(flags))
            batch.finish = finish
    mark = host.statement_savepoint()
    try:
        if table.view is not None:
            result = _instead(host, table, stmt, binds, fired, flags)
        else:
            result = _run(host, table, stmt, binds, returning_types, fired, flags, statement_before,
                          statement_after)
    except OraError:
        host.end_statement(mark, undo=True)
        raise
    host.end_statement(mark, undo=False)
    return result


def _instead(host: TriggerHost, view: Table, stmt: Insert | Update | Delete, binds: dict[str, object],
             fired: list[_Trigger], flags: dict[str, object]) -> Result:
    """DML on a view through its INSTEAD OF triggers: each row the statement names runs them
    (and nothing else), and counts as processed."""
    if stmt.returning is not None:
        raise errors.ora(22816, stmt.table.pos)
    instead = [t for t in fired if t.timing == "INSTEAD OF" and t.row]
    names = [c.name for c in view.columns]
    total = 0
    for old, new, _ in _rows(host, view, stmt, binds):
        values = _correlations(names, old, new, flags)
        for t in instead:
            _body(host, t, values)
        total += 1
    return Result(row_count=total)


def _run(host: TriggerHost, table: Table, stmt: Insert | Update | Delete, binds: dict[str, object],
         returning_types: Sequence[SqlType | None], fired: list[_Trigger], flags: dict[str, object],
         statement_before: bool, statement_after: bool) -> Result:
    event = _event(stmt)
    for t in fired:
        if t.timing == "BEFORE" and not t.row and statement_before:
            _body(host, t, dict(flags))
    before = [t for t in fired if t.timing == "BEFORE" and t.row]
    after = [t for t in fired if t.timing == "AFTER" and t.row]
    names = [c.name for c in table.columns]
    ref = TableRef(table.schema, table.name, None, stmt.table.pos)
    total, last_rowid = 0, None
    returned: list[tuple[object, ...]] | None = None if stmt.returning is None else []
    # Row triggers may not touch the table the statement changes (ORA-04091), unless it inserts
    # one row of VALUES (an array INSERT is many rows)
    single = isinstance(stmt, Insert) and stmt.query is None and host.triggers.batch is None
    mutating = {} if single else {table.sql_name.lower(): f"{table.schema}.{table.name}"}
    for old, new, rowid in _rows(host, table, stmt, binds):
        values = _correlations(names, old, new, flags)
        for t in before:
            if _when(host, t, values):
                values.update({k: v for k, v in _body(host, t, values, mutating).items() if k.startswith("NEW.")})
        done = host.dml(_row_statement(stmt, ref, names, new, values, event), {**binds, **values, "ROWID$": rowid},
                        returning_types, fire=False)
        total += done.row_count
        last_rowid = done.rowid or last_rowid
        if returned is not None and done.returned:
            returned.extend(done.returned)
        for t in after:
            if _when(host, t, values):
                _body(host, t, values, mutating)
    for t in fired:
        if t.timing == "AFTER" and not t.row and statement_after:
            _body(host, t, dict(flags))
    return Result(row_count=total, rowid=last_rowid, returned=returned)

def _correlations(names: list[str], old: dict[str, object] | None, new: dict[str, object] | None,
                  flags: dict[str, object]) -> dict[str, object]:
    values: dict[str, object] = dict(flags)
    for n in names:
        values[f"OLD.{n}"] = None if old is None else old.get(n)
        values[f"NEW.{n}"] = None if new is None else new.get(n)
    return values


def _rows(host: TriggerHost, table: Table, stmt: Insert | Update | Delete,
          binds: dict[str, object]) -> list[tuple[dict[str, object] | None, dict[str, object] | None, object]]:
    """(old row, new row, ROWID) of every row the statement touches, read before any changes."""
    names = [c.name for c in table.columns]
    if isinstance(stmt, Insert):
        columns = [c for c, _ in stmt.columns] if stmt.columns is not None else names
        if stmt.query is not None:
            found = _read(host, stmt.query, binds)
        else:
            items = tuple(SelectItem(v, None, f"V{i}") for i, v in enumerate(stmt.values or ()))
            found = _read(host, Select(items, TableRef(None, "DUAL", None, 0)), binds)
        defaults = {c.name: c.default for c in table.columns
                    if c.name not in columns and c.default is not None and c.identity is None}
        out: list[tuple[dict[str, object] | None, dict[str, object] | None, object]] = []
        for row in found:
            new: dict[str, object] = dict(zip(columns, row))
            for name, expr in defaults.items():
                new[name] = host.evaluate(expr, {})
            out.append((None, new, None))
        return out
    sets = stmt.assignments if isinstance(stmt, Update) else ()
    rowid = Col(0, 0, "ROWID") if table.view is None else Lit(0, 0, None, NUMBER)  # a view's rows have none
    items = (SelectItem(rowid, None, "ROWID$"),
             *(SelectItem(Col(0, 0, n, stmt.table.alias or stmt.table.name), None, f"C{i}")
               for i, n in enumerate(names)),
             *(SelectItem(expr, None, f"S{i}") for i, (_, _, expr) in enumerate(sets)))
    found = _read(host, Select(items, stmt.table, stmt.where), binds)
    result: list[tuple[dict[str, object] | None, dict[str, object] | None, object]] = []
    for row in found:
        old = dict(zip(names, row[1:1 + len(names)]))
        if isinstance(stmt, Update):
            new = dict(old)
            new.update({name: v for (name, _, _), v in zip(sets, row[1 + len(names):])})
            result.append((old, new, row[0]))
        else:
            result.append((old, None, row[0]))
    return result


def _read(host: TriggerHost, select: Select, binds: dict[str, object]) -> list[tuple[object, ...]]:
    """Every row of a query, read at once: the rows a statement touches, before it changes any."""
    return list(host.query(select, binds).rows or ())


def _row_statement(stmt: Insert | Update | Delete, ref: TableRef, names: list[str], new: dict[str, object] | None,
                   values: dict[str, object], event: str) -> Insert | Update | Delete:
    """The statement that writes one row, with its (trigger-changed) values as binds."""
    by_rowid = Compare(0, 0, "=", Col(0, 0, "ROWID"), Bind(0, 0, "ROWID$"))
    if event == "DELETE":
        return Delete(ref, by_rowid, stmt.returning)
    # the columns the statement set, and those a trigger changed
    given = set(new or ()) | {n for n in names if values[f"NEW.{n}"] != (new or {}).get(n)}
    if event == "INSERT":
        cols = [n for n in names if n in given]
        return Insert(ref, tuple((n, 0) for n in cols), tuple(Bind(0, 0, f"NEW.{n}") for n in cols),
                      returning=stmt.returning)
    assert isinstance(stmt, Update)
    old_names = {name for name, _, _ in stmt.assignments}
    cols = [n for n in names if n in old_names or values[f"NEW.{n}"] != values[f"OLD.{n}"]]
    if not cols:
        cols = [names[0]]
    return Update(ref, tuple((n, 0, Bind(0, 0, f"NEW.{n}")) for n in cols), by_rowid, stmt.returning)


def _when(host: TriggerHost, t: _Trigger, values: dict[str, object]) -> bool:
    when = t.tree.when
    if when is None:
        return True
    return host.evaluate(Case(0, 0, None, ((when, _ONE),), _ZERO), values) == 1


def _body(host: TriggerHost, t: _Trigger, values: dict[str, object],
          mutating: dict[str, str] | None = None) -> dict[str, object]:
    """Run one trigger's block (a compound trigger's section, in its declarations' scope) with
    ``mutating`` tables forbidden besides those already; returns the binds it assigned (``NEW.col``)."""
    unit = t.unit
    sql = " " * unit.offset + unit.source  # the tree's positions count from the CREATE text
    binds = dict(values)
    name = f"{unit.owner}.{unit.name}"
    runner = Runner(host)
    outer = host.triggers.mutating
    autonomous = declares_autonomous(t.tree.body)
    # an autonomous trigger is another transaction: it reads the committed tables, mutating or not
    forbidden = {} if autonomous else {**outer, **(mutating or {})}
    changed = forbidden != outer
    if changed:
        host.triggers.mutating = forbidden
        host.forbid_tables(forbidden)
    try:
        # a trigger runs with its owner's rights, not the firing user's; fired by SQL outside PL/SQL,
        # it is a top-level call of its own
        with host.as_definer(unit.owner), call_budget(host.db.plsql_memory):
            scope = Scope(STANDARD)
            if t.shared is not None:
                if t.shared.scope is None:
                    declared = t.tree.body.body[0]
                    assert isinstance(declared, PlBlockStmt)
                    t.shared.scope = Scope(STANDARD)
                    runner.declare(declared.decls, Frame(t.shared.scope, sql, t.tree.body_pos, name, binds))
                scope = t.shared.scope
            # the trigger's own frame, so that an error's ORA-06512 line names it and counts its
            # lines from the body's start, as Oracle's do
            frame = Frame(scope, sql, t.tree.body_pos, name, binds)
            runner.autonomously(autonomous, lambda: runner.run_unit(t.block, frame))
    except Return:
        return {}  # RETURN leaves the trigger
    except OraError as exc:
        raise _trigger_error(exc, unit) from None
    finally:
        runner.release()  # the trigger's cursor variables end with it
        if changed:
            host.triggers.mutating = outer
            host.forbid_tables(outer)
    return {n: binds.get(n) for n in frame.written}


def _trigger_error(exc: OraError, unit: Unit) -> OraError:
    """``exc`` with the lines Oracle adds when it leaves a trigger."""
    name = f"{unit.owner}.{unit.name}"
    text = exc.message
    if f'at "{name}"' not in text:
        text += "\n" + errors.ora(6512, where=f'"{name}", line 1').message
    text += "\n" + errors.ora(4088, name=name).message
    return OraError(exc.code, text, exc.position)
