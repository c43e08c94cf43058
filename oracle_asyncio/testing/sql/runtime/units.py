"""Stored units at run time: CREATE / DROP / ALTER of procedures, functions, packages and
triggers into the catalog's UnitStore (catalog/units.py), the compile checks, and finding a
stored routine to call.

Compilation follows Oracle: a unit whose text does not parse, or that names a table or a
subprogram that does not exist, is still stored, INVALID, with its errors in USER_ERRORS, and the
CREATE succeeds with the "success with compilation error" warning (python-oracledb's DPY-7000).
Calling an INVALID unit first compiles it again (a table created since may have made it valid);
if it still fails, the call is ORA-06550 with ``PLS-00905: object X is invalid``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import fields, is_dataclass, replace
from typing import Protocol

from .. import errors
from ..catalog.schema import SYSTEM, Principal
from ..catalog.tables import Catalog
from ..catalog.units import BODY_OF, CompileError, Unit, signatures
from ..errors import OraError, pls_error
from ..syntax.plnodes import RefCursorTypeDecl, SubprogramDecl, VarDecl
from ..syntax.nodes import (
    AlterUnit, Bind, CreateRoutine, CreateUnit, Delete, DropUnit, Expr, Insert, PackageBody, PackageSpec, PlAssign,
    PlCall, PlSql, TriggerDef, Update,
)

__all__ = ["UnitHost", "alter_unit", "create_unit", "drop_unit", "invalid_unit", "invalidate_dependents",
           "stored_routine"]

#: STANDARD's procedures a unit may call without a qualifier.
_STANDARD_CALLS = frozenset({"RAISE_APPLICATION_ERROR"})


class UnitDatabase(Protocol):
    """What unit DDL needs of the database."""

    @property
    def catalog(self) -> Catalog: ...


class UnitHost(Protocol):
    """What unit DDL needs of the session (engine.Session is one)."""

    @property
    def db(self) -> UnitDatabase: ...

    @property
    def principal(self) -> Principal: ...


# ---- compiling ----------------------------------------------------------------------------------

def _place(source: str, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset`` in ``source``."""
    offset = max(0, min(offset, len(source)))
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _walk(node: object) -> list[object]:
    """Every node of a tree (dataclasses and tuples), without recursion."""
    out: list[object] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
        elif is_dataclass(item) and not isinstance(item, type):
            out.append(item)
            stack.extend(reversed([getattr(item, f.name) for f in fields(item)]))
    return out


def _check(catalog: Catalog, owner: str, tree: object) -> list[tuple[int, str]]:
    """The semantic errors of a parsed unit, as (offset in the CREATE text, text): DML on a table
    that does not exist, a call of a subprogram nobody declares.  Names resolve with the owner's
    rights (definer's rights, Oracle's default)."""
    who = Principal(owner, owner)
    problems: list[tuple[int, str]] = []
    if isinstance(tree, TriggerDef):
        problems += _trigger_problems(catalog, tree)
    if isinstance(tree, (PackageSpec, PackageBody)):
        spec = catalog.units.get(owner, tree.name, "PACKAGE") if isinstance(tree, PackageBody) else None
        problems += _package_cursor_variables(tree, () if spec is None or not isinstance(spec.tree, PackageSpec)
                                              else spec.tree.decls)
    nodes = _walk(tree)
    # the unit's own subprograms (local ones, a package's), and for a body those of its spec
    declared = {n.name for n in nodes if isinstance(n, SubprogramDecl)}
    if isinstance(tree, PackageBody):
        spec = catalog.units.get(owner, tree.name, "PACKAGE")
        declared |= {s.name for s in signatures(None if spec is None else spec.tree)}
    for node in nodes:
        if isinstance(node, PlSql) and isinstance(node.stmt, (Insert, Update, Delete)):
            ref = node.stmt.table
            try:
                catalog.table(ref.schema, ref.name, who, ref.pos)
            except OraError as exc:
                problems += [(ref.pos, f"PL/SQL: {exc.message}"), (ref.pos, "PL/SQL: SQL Statement ignored")]
        elif isinstance(node, PlCall) and "." not in node.name and node.name not in _STANDARD_CALLS:
            if catalog.units.get(owner, node.name) is None and node.name not in declared:
                problems += [(node.pos, f"PLS-00201: identifier '{node.name}' must be declared"),
                             (node.pos, "PL/SQL: Statement ignored")]
        elif isinstance(node, PlCall) and node.name.count(".") == 1:
            package, _, sub = node.name.partition(".")
            spec = catalog.units.get(owner, package, "PACKAGE")
            if spec is not None and isinstance(spec.tree, PackageSpec) and \
                    sub not in {s.name for s in signatures(spec.tree)}:
                problems += [(node.pos, f"PLS-00302: component '{sub}' must be declared"),
                             (node.pos, "PL/SQL: Statement ignored")]
    return problems


def _semantic(catalog: Catalog, owner: str, name: str, tree: object, offset: int) -> list[tuple[int, str]]:
    """Every compile error of a parsed unit (:func:`_check`, and a body needs its spec)."""
    problems = _check(catalog, owner, tree)
    if isinstance(tree, PackageBody) and catalog.units.get(owner, name, "PACKAGE") is None:
        problems.append((offset, f"PLS-00201: identifier '{name}' must be declared"))
    return problems


def _package_cursor_variables(tree: PackageSpec | PackageBody, spec: tuple[object, ...]) -> list[tuple[int, str]]:
    """A package's own variables may not be cursor variables (a session's package state
    outlives every call, and a cursor does not)."""
    cursor_types = {"SYS_REFCURSOR"} | {d.name for d in (*spec, *tree.decls) if isinstance(d, RefCursorTypeDecl)}
    return [(d.pos, "PLS-00994: Cursor Variables cannot be declared as part of a package")
            for d in tree.decls if isinstance(d, VarDecl) and d.type.sql is None and d.type.anchor is None
            and d.type.name in cursor_types]


def _trigger_problems(catalog: Catalog, tree: TriggerDef) -> list[tuple[int, str]]:
    """:NEW / :OLD misuse: a column the table lacks, an assignment Oracle refuses."""
    table = catalog.existing(tree.table.schema or "", tree.table.name)
    columns = {c.name for c in table.columns} if table is not None else set()
    problems: list[tuple[int, str]] = []
    for node in _walk(tree.body):
        if isinstance(node, Bind) and node.name.startswith(("NEW.", "OLD.")) and \
                node.name.partition(".")[2] not in columns:
            problems.append((node.start, f"PLS-00049: bad bind variable '{node.name}'"))
        elif isinstance(node, PlAssign) and node.target.startswith(("NEW.", "OLD.")) and \
                node.target.partition(".")[2] not in columns:
            problems.append((_start(node), f"PLS-00049: bad bind variable '{node.target}'"))
        elif isinstance(node, PlAssign) and node.target.startswith("OLD."):
            problems.append((_start(node), errors.ora(4085).message))
        elif isinstance(node, PlAssign) and node.target.startswith("NEW.") and tree.timing == "AFTER":
            problems.append((_start(node), errors.ora(4084).message))
    return problems


def _start(node: PlAssign) -> int:
    return node.expr.start if isinstance(node.expr, Expr) else node.expr.pos


def _errors(source: str, offset: int, problems: list[tuple[int, str]]) -> tuple[CompileError, ...]:
    return tuple(CompileError(*_place(source, pos - offset), text) for pos, text in problems)


def create_unit(host: UnitHost, stmt: CreateUnit) -> bool:
    """CREATE [OR REPLACE] of a unit; True when it was stored with compilation errors."""
    catalog = host.db.catalog
    units = catalog.units
    owner = catalog.owner_for_create(stmt.schema, host.principal, stmt.pos)
    kind = stmt.kind
    old = units.get(owner, stmt.name, kind)
    if old is not None and not stmt.replace:
        raise errors.name_in_use(stmt.pos)
    if kind == "TRIGGER":
        if old is None and units.get(owner, stmt.name, "TRIGGER") is not None:
            raise errors.name_in_use(stmt.pos)
    elif kind not in BODY_OF and old is None and catalog.exists(owner, stmt.name):
        raise errors.name_in_use(stmt.pos)  # a table, view, sequence or unit of another kind
    tree = stmt.tree
    if isinstance(tree, CreateRoutine):
        tree = replace(tree, schema=owner)  # ORA-06512 lines name the owner
    if isinstance(tree, TriggerDef):
        # the table must exist when the trigger is created (ORA-00942 otherwise, nothing stored)
        table = catalog.table(tree.table.schema, tree.table.name, host.principal, tree.table.pos)
        if table.view is not None:
            raise errors.ora(25001, tree.table.pos)
        who = host.principal
        if table.schema != owner and not who.admin and not catalog.privileges.has_system(who.user,
                                                                                         "CREATE ANY TRIGGER"):
            raise errors.ora(1031, tree.table.pos)  # a trigger on another schema's table: CREATE ANY TRIGGER
        tree = replace(tree, table=replace(tree.table, schema=table.schema))
    problems = [(p.pos, p.text) for p in stmt.problems]
    if tree is not None:
        problems += _semantic(catalog, owner, stmt.name, tree, stmt.offset)
    now = _dt.datetime.now().replace(microsecond=0)
    found = _errors(stmt.source, stmt.offset, problems)
    units.put(Unit(owner, stmt.name, kind, stmt.source, tree, found, created=now, last_ddl=now,
                   enabled=True if old is None else old.enabled, offset=stmt.offset))
    return bool(found)


def drop_unit(host: UnitHost, stmt: DropUnit) -> None:
    """DROP PROCEDURE / FUNCTION / PACKAGE [BODY] / TRIGGER: ORA-04043 (ORA-04080 for a
    trigger) when there is no such unit ``host`` may use."""
    units = host.db.catalog.units
    owner = stmt.schema or host.principal.schema
    found = units.get(owner, stmt.name, stmt.kind) if host.principal.may_use(owner) else None
    if found is None:
        if stmt.kind == "TRIGGER":
            raise errors.ora(4080, stmt.pos, name=stmt.name)
        raise errors.ora(4043, stmt.pos, name=stmt.name)
    units.drop(owner, stmt.name, stmt.kind)
    invalidate_dependents(host.db.catalog)


def alter_unit(host: UnitHost, stmt: AlterUnit) -> bool:
    """ALTER TRIGGER ... ENABLE / DISABLE, ALTER ... COMPILE; True when the unit stays INVALID."""
    catalog = host.db.catalog
    owner = stmt.schema or host.principal.schema
    found = catalog.units.get(owner, stmt.name, stmt.kind) if host.principal.may_use(owner) else None
    if found is None:
        if stmt.kind == "TRIGGER":
            raise errors.ora(4080, stmt.pos, name=stmt.name)
        raise errors.ora(4043, stmt.pos, name=stmt.name)
    now = _dt.datetime.now().replace(microsecond=0)
    if stmt.action in ("ENABLE", "DISABLE"):
        catalog.units.update(replace(found, enabled=stmt.action == "ENABLE", last_ddl=now))
        return False
    return not recompile(catalog, found).valid


def recompile(catalog: Catalog, unit: Unit) -> Unit:
    """Check a unit that parsed again (the objects it names may exist now, or be gone); store the
    outcome.  A unit whose text did not parse (no tree) stays as it is: only a new CREATE mends it."""
    if unit.tree is None:
        return unit
    problems = _semantic(catalog, unit.owner, unit.name, unit.tree, unit.offset)
    found = _errors(unit.source, unit.offset, problems)
    changed = replace(unit, errors=found, last_ddl=_dt.datetime.now().replace(microsecond=0))
    catalog.units.update(changed)
    return changed


def invalidate_dependents(catalog: Catalog) -> None:
    """After a DROP: the valid units that no longer compile (a table or subprogram they name is
    gone) become INVALID, as Oracle marks a dropped object's dependents; a later call or ALTER ...
    COMPILE compiles them again."""
    for unit in catalog.units.visible(SYSTEM):
        if unit.valid and _semantic(catalog, unit.owner, unit.name, unit.tree, unit.offset):
            recompile(catalog, unit)


# ---- calling ------------------------------------------------------------------------------------

def invalid_unit(pos: int, sql: str, owner: str, name: str) -> OraError:
    """ORA-06550 for a call of an INVALID unit, as Oracle reports it (two PLS lines)."""
    first = pls_error(pos, sql, f"PLS-00905: object {owner}.{name} is invalid")
    second = pls_error(pos, sql, "PL/SQL: Statement ignored")
    return OraError(6550, f"{first.message}\n{second.message}", pos)


def stored_routine(catalog: Catalog, who: Principal, owner: str, name: str, pos: int = -1,
                   sql: str = "") -> CreateRoutine | None:
    """The stored procedure or function ``owner.name`` ``who`` may call; None when there is none
    (the caller says PLS-00201); ORA-06550 PLS-00905 at ``pos`` of ``sql`` when it is INVALID and
    stays so (``pos`` -1: the caller only asks whether the name is a routine; an INVALID one
    whose text parsed still answers)."""
    if not catalog.may_execute(who, owner, name):
        return None  # another user's routine without EXECUTE on it: as if it did not exist
    unit = catalog.units.get(owner, name)
    if unit is None or unit.kind not in ("PROCEDURE", "FUNCTION"):
        return None
    if not unit.valid:
        unit = recompile(catalog, unit)
        if not unit.valid and pos >= 0:
            raise invalid_unit(pos, sql, owner, name)
    tree = unit.tree
    return tree if isinstance(tree, CreateRoutine) else None
