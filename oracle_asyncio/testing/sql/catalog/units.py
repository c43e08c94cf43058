"""Stored PL/SQL units as catalog objects: procedures, functions, packages, package bodies and
triggers (object types have their slot, ``TYPE`` / ``TYPE BODY``, for the object-type work).

One :class:`UnitStore` per Database holds every unit, valid or not, with what the data
dictionary shows of it (ALL_OBJECTS, ALL_SOURCE, ALL_ERRORS, ALL_ARGUMENTS, ALL_PROCEDURES,
ALL_TRIGGERS: dictionary.py) and the tree the runtime runs (``tree``; None for a unit that did
not compile).  DDL commits at once in Oracle, so like the rest of the catalog the store is
shared memory under a lock.

Names: procedures, functions, packages, triggers and types share their schema's namespace with
tables, views and sequences (ORA-00955); a PACKAGE BODY (or TYPE BODY) is stored beside the
unit it completes, under the same name.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import threading
from dataclasses import dataclass, field, replace

from ..syntax.nodes import CreateRoutine, PackageSpec, PlParam, TriggerDef, TypeRef
from ..syntax.plnodes import SubprogramDecl
from ..types.datatypes import SqlType
from ..types.rowids import OBJECT_BASE
from .schema import Principal

__all__ = ["BODY_OF", "CompileError", "KINDS", "Signature", "Unit", "UnitStore", "signatures", "source_lines"]

#: Every kind of stored unit, as ALL_OBJECTS.OBJECT_TYPE spells it.
KINDS = ("PROCEDURE", "FUNCTION", "PACKAGE", "PACKAGE BODY", "TRIGGER", "TYPE", "TYPE BODY")
#: A body kind -> the kind of the unit it completes.
BODY_OF = {"PACKAGE BODY": "PACKAGE", "TYPE BODY": "TYPE"}
_OBJECT_IDS = OBJECT_BASE + 700_000  # above tables (OBJECT_BASE + n) and sequences (+ 500000)


@dataclass(frozen=True, slots=True)
class CompileError:
    """One row of ALL_ERRORS: where in the unit's source (1-based line and column) and the text
    (``PLS-00103: ...``, ``PL/SQL: ORA-00942: ...``); ``attribute`` is ERROR or WARNING."""

    line: int
    position: int
    text: str
    attribute: str = "ERROR"

    @property
    def number(self) -> int:
        """ALL_ERRORS.MESSAGE_NUMBER: the PLS (or ORA) number the text starts with."""
        head = self.text.removeprefix("PL/SQL: ").split(":", 1)[0]
        digits = head.rpartition("-")[2]
        return int(digits) if digits.isdigit() else 0


@dataclass(frozen=True, slots=True)
class Unit:
    """One stored unit.  ``source`` is its text from the kind keyword on, as the client sent it
    (ALL_SOURCE); ``tree`` what the runtime runs (the parser's node), None when the text did not
    compile; ``errors`` the compile errors (status INVALID when there are any)."""

    owner: str
    name: str
    kind: str
    source: str
    tree: object | None
    errors: tuple[CompileError, ...] = ()
    created: _dt.datetime = field(default_factory=_dt.datetime.now)
    last_ddl: _dt.datetime = field(default_factory=_dt.datetime.now)
    object_id: int = 0
    #: Triggers: ALTER TRIGGER ... ENABLE / DISABLE.
    enabled: bool = True
    #: Where ``source`` began in the CREATE text (the tree's positions count from there).
    offset: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors and self.tree is not None

    @property
    def status(self) -> str:
        return "VALID" if self.valid else "INVALID"


@dataclass(frozen=True, slots=True)
class Signature:
    """A callable subprogram of a unit, as the dictionary and SQL calls see it: its parameters
    and its return type (``returns`` None for a procedure; ``returns_sql`` None when the type is
    no SQL scalar, a record or collection say)."""

    name: str
    params: tuple[PlParam, ...]
    returns: TypeRef | None
    overload: int | None = None

    @property
    def returns_sql(self) -> SqlType | None:
        return None if self.returns is None else self.returns.sql


def signatures(tree: object) -> list[Signature]:
    """The subprograms a stored procedure, function or package spec offers, each with its
    OVERLOAD number (None when its name is unique)."""
    if isinstance(tree, CreateRoutine):
        returns = None if tree.returns is None else (tree.returns_ref or TypeRef(tree.returns))
        return [Signature(tree.name, tree.params, returns)]
    if not isinstance(tree, PackageSpec):
        return []
    subs = [d for d in tree.decls if isinstance(d, SubprogramDecl)]
    counts: dict[str, int] = {}
    for d in subs:
        counts[d.name] = counts.get(d.name, 0) + 1
    seen: dict[str, int] = {}
    out: list[Signature] = []
    for d in subs:
        seen[d.name] = seen.get(d.name, 0) + 1
        out.append(Signature(d.name, d.params, d.returns, seen[d.name] if counts[d.name] > 1 else None))
    return out


def source_lines(source: str) -> list[str]:
    """ALL_SOURCE.TEXT rows: Oracle keeps each line's line feed, the last line has none."""
    return source.splitlines(keepends=True) or [""]


class UnitStore:
    """Every stored unit of one Database, by (owner, name, kind)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._units: dict[tuple[str, str, str], Unit] = {}
        self._ids = itertools.count(_OBJECT_IDS)
        #: Bumped by every change: runtime caches (package state) compare it.
        self.version = 0
        self._triggers: dict[tuple[str, str], list[Unit]] = {}
        self._triggers_version = -1

    def get(self, owner: str, name: str, kind: str | None = None) -> Unit | None:
        """The unit ``owner.name`` of ``kind`` (None: whichever non-body unit holds the name)."""
        with self._lock:
            if kind is not None:
                return self._units.get((owner, name, kind))
            for k in KINDS:
                if k not in BODY_OF:
                    found = self._units.get((owner, name, k))
                    if found is not None:
                        return found
        return None

    def has_name(self, owner: str, name: str) -> bool:
        """Whether a non-body unit holds ``owner.name`` (the namespace tables share)."""
        return self.get(owner, name) is not None

    def put(self, unit: Unit) -> Unit:
        """Store ``unit``, replacing one of the same kind (CREATE OR REPLACE keeps its object id
        and creation time); the caller checked the name is free.  Returns what was stored."""
        with self._lock:
            key = (unit.owner, unit.name, unit.kind)
            old = self._units.get(key)
            if old is not None:
                unit = replace(unit, object_id=old.object_id, created=old.created)
            else:
                unit = replace(unit, object_id=next(self._ids))
            self._units[key] = unit
            self.version += 1
            return unit

    def drop(self, owner: str, name: str, kind: str) -> Unit | None:
        """Remove a unit (a spec takes its body with it); None when there was none."""
        with self._lock:
            found = self._units.pop((owner, name, kind), None)
            for body, spec in BODY_OF.items():
                if spec == kind:
                    self._units.pop((owner, name, body), None)
            self.version += 1
            return found

    def drop_triggers_on(self, schema: str, table: str) -> None:
        """DROP TABLE takes the table's triggers with it, as in Oracle."""
        with self._lock:
            for key, unit in list(self._units.items()):
                tree = unit.tree
                if isinstance(tree, TriggerDef) and (tree.table.schema or unit.owner, tree.table.name) == (schema, table):
                    del self._units[key]
            self.version += 1

    def owns(self, owner: str) -> bool:
        """Whether ``owner`` holds any unit (DROP USER without CASCADE: ORA-01922)."""
        with self._lock:
            return any(key[0] == owner for key in self._units)

    def drop_owner(self, owner: str) -> None:
        """DROP USER ... CASCADE: every unit ``owner`` holds goes."""
        with self._lock:
            for key in [k for k in self._units if k[0] == owner]:
                del self._units[key]
            self.version += 1

    def update(self, unit: Unit) -> None:
        """Replace a stored unit's record (status after a recompile, a trigger's ENABLE)."""
        with self._lock:
            self._units[(unit.owner, unit.name, unit.kind)] = unit
            self.version += 1

    def visible(self, who: Principal) -> list[Unit]:
        """The units ``who`` may see, by owner, name and kind: the rows of the ALL_ views."""
        with self._lock:
            units = [u for u in self._units.values() if who.may_use(u.owner)]
        return sorted(units, key=lambda u: (u.owner, u.name, KINDS.index(u.kind)))

    def of_kind(self, kind: str) -> list[Unit]:
        """Every unit of ``kind`` (the runtime's trigger lookup)."""
        with self._lock:
            return [u for u in self._units.values() if u.kind == kind]

    def triggers_on(self, schema: str, table: str) -> list[Unit]:
        """The enabled triggers on table ``schema.table``, oldest first: one dictionary lookup
        (the index is rebuilt only after a unit changed), so DML on a table without triggers
        costs nothing more."""
        if self._triggers_version != self.version:
            with self._lock:
                index: dict[tuple[str, str], list[Unit]] = {}
                for unit in sorted(self._units.values(), key=lambda u: u.object_id):
                    if unit.enabled and isinstance(unit.tree, TriggerDef):
                        target = unit.tree.table
                        index.setdefault((target.schema or unit.owner, target.name), []).append(unit)
                self._triggers, self._triggers_version = index, self.version
        return self._triggers.get((schema, table), [])
