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
from ..types.datatypes import NUMBER, SqlType, number_bytes
from .results import Result
from .plsql_run import Runner
from .plsql_scope import STANDARD, Frame, Return, Scope
from .routines import Host
from .units import recompile

__all__ = ["TriggerHost", "fire_dml"]

_ONE = Lit(0, 0, number_bytes(1), NUMBER)
_ZERO = Lit(0, 0, number_bytes(0), NUMBER)
#: The event -> the predicate that is true while its triggers run (the binds of parser_units.py).
_PREDICATE = {"INSERT": "INSERTING", "UPDATE": "UPDATING", "DELETE": "DELETING"}


class TriggerHost(Host, Protocol):
    """What firing triggers needs of the session (engine.Session is one)."""

    def dml(self, stmt: Insert | Update | Delete, binds: dict[str, object],
            returning_types: Sequence[SqlType | None] = (), *, fire: bool = True) -> Result: ...

    def rows(self, select: Select, binds: dict[str, object]) -> list[tuple[object, ...]]: ...

    def statement_savepoint(self) -> tuple[str, bool]: ...

    def undo_statement(self, mark: tuple[str, bool]) -> None: ...

    def keep_statement(self, mark: tuple[str, bool]) -> None: ...


@dataclass(frozen=True, slots=True)
class _Trigger:
    unit: Unit
    tree: TriggerDef


def _event(stmt: Insert | Update | Delete) -> str:
    return "INSERT" if isinstance(stmt, Insert) else "UPDATE" if isinstance(stmt, Update) else "DELETE"


def fire_dml(host: TriggerHost, table: Table, stmt: Insert | Update | Delete, binds: dict[str, object],
             returning_types: Sequence[SqlType | None]) -> Result | None:
    """Run ``stmt`` with the triggers of ``table``; None when no trigger fires for it (the caller
    then runs the statement itself)."""
    units = host.db.catalog.units.triggers_on(table.schema, table.name)
    if not units:
        return None
    triggers = [_Trigger(u, u.tree) for u in units if isinstance(u.tree, TriggerDef)]
    event = _event(stmt)
    assigned = {name for name, _, _ in stmt.assignments} if isinstance(stmt, Update) else set()
    fired = [t for t in triggers if event in t.tree.events
             and (event != "UPDATE" or not t.tree.columns or assigned & set(t.tree.columns))]
    if not fired:
        return None
    for t in fired:
        if not t.unit.valid and not recompile(host.db.catalog, t.unit).valid:
            raise errors.ora(4098, t.tree.table.pos, name=f"{t.unit.owner}.{t.unit.name}")
    mark = host.statement_savepoint()
    try:
        result = _run(host, table, stmt, binds, returning_types, fired, event)
    except OraError:
        host.undo_statement(mark)
        raise
    host.keep_statement(mark)
    return result


def _run(host: TriggerHost, table: Table, stmt: Insert | Update | Delete, binds: dict[str, object],
         returning_types: Sequence[SqlType | None], fired: list[_Trigger], event: str) -> Result:
    flags = {p: 1 if p == _PREDICATE[event] else 0 for p in _PREDICATE.values()}
    for t in fired:
        if t.tree.timing == "BEFORE" and not t.tree.row:
            _body(host, t, dict(flags))
    before = [t for t in fired if t.tree.timing == "BEFORE" and t.tree.row]
    after = [t for t in fired if t.tree.timing == "AFTER" and t.tree.row]
    names = [c.name for c in table.columns]
    ref = TableRef(table.schema, table.name, None, stmt.table.pos)
    total, last_rowid = 0, None
    returned: list[tuple[object, ...]] | None = None if stmt.returning is None else []
    for old, new, rowid in _rows(host, table, stmt, binds):
        values = _correlations(names, old, new, flags)
        for t in before:
            if _when(host, t, values):
                values.update({k: v for k, v in _body(host, t, values).items() if k.startswith("NEW.")})
        done = host.dml(_row_statement(stmt, ref, names, new, values, event), {**binds, **values, "ROWID$": rowid},
                        returning_types, fire=False)
        total += done.row_count
        last_rowid = done.rowid or last_rowid
        if returned is not None and done.returned:
            returned.extend(done.returned)
        for t in after:
            if _when(host, t, values):
                _body(host, t, values)
    for t in fired:
        if t.tree.timing == "AFTER" and not t.tree.row:
            _body(host, t, dict(flags))
    return Result(row_count=total, rowid=last_rowid, returned=returned)


def _correlations(names: list[str], old: dict[str, object] | None, new: dict[str, object] | None,
                  flags: dict[str, int]) -> dict[str, object]:
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
            found = host.rows(stmt.query, binds)
        else:
            items = tuple(SelectItem(v, None, f"V{i}") for i, v in enumerate(stmt.values or ()))
            found = host.rows(Select(items, TableRef(None, "DUAL", None, 0)), binds)
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
    items = (SelectItem(Col(0, 0, "ROWID"), None, "ROWID$"),
             *(SelectItem(Col(0, 0, n, stmt.table.alias or stmt.table.name), None, f"C{i}")
               for i, n in enumerate(names)),
             *(SelectItem(expr, None, f"S{i}") for i, (_, _, expr) in enumerate(sets)))
    found = host.rows(Select(items, stmt.table, stmt.where), binds)
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


def _body(host: TriggerHost, t: _Trigger, values: dict[str, object]) -> dict[str, object]:
    """Run one trigger's block; returns the binds it assigned (``NEW.col``)."""
    unit = t.unit
    sql = " " * unit.offset + unit.source  # the tree's positions count from the CREATE text
    binds = dict(values)
    # the trigger's own frame, so that an error's ORA-06512 line names it and counts its lines
    # from the body's start, as Oracle's do
    frame = Frame(Scope(STANDARD), sql, t.tree.body_pos, f"{unit.owner}.{unit.name}", binds)
    runner = Runner(host)
    try:
        with host.as_definer(unit.owner):  # a trigger runs with its owner's rights, not the firing user's
            runner.run_unit(t.tree.body.body, frame)
    except Return:
        pass  # RETURN leaves the trigger
    except OraError as exc:
        raise _trigger_error(exc, unit) from None
    finally:
        runner.release()  # the trigger's cursor variables end with it
    return {name: binds.get(name) for name in frame.written}


def _trigger_error(exc: OraError, unit: Unit) -> OraError:
    """``exc`` with the lines Oracle adds when it leaves a trigger."""
    name = f"{unit.owner}.{unit.name}"
    text = exc.message
    if f'at "{name}"' not in text:
        text += "\n" + errors.ora(6512, where=f'"{name}", line 1').message
    text += "\n" + errors.ora(4088, name=name).message
    return OraError(exc.code, text, exc.position)
