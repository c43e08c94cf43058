"""Packages at run time: each session's instance of a package (its variables, constants, types,
cursors and subprograms), made on the session's first use of the package by declaring the spec's
and then the body's declarations and running the body's initialisation section, as Oracle does.

A package's public names live in the spec's scope; the body's scope lies inside it, so the body's
private declarations and every subprogram see both.  Subprograms sharing a name (overloads) are
told apart at the call by their arguments, as the interpreter tells a block's own overloads apart.
A package replaced by DDL gets a fresh instance at the next use; when the session's old instance
held state (variables, cursors: constants, types and subprograms are none), that use first fails
once with ORA-04068, the old state discarded, as in Oracle.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from .. import errors
from ..catalog.schema import Principal
from ..catalog.synonyms import PUBLIC_OWNER
from ..catalog.tables import Catalog
from ..catalog.units import Unit
from ..errors import OraError, pls_error
from ..syntax.nodes import PackageBody, PackageSpec
from ..syntax.plnodes import SubprogramDecl
from .plsql_scope import STANDARD, ExceptionDef, Frame, Scope, Subprogram, TypeName, Var
from .plsql_values import PlType
from .routines import HostDatabase
from .units import invalid_unit

__all__ = ["PackageHost", "PackageState", "member", "package_type", "variable"]


class PackageHost(Protocol):
    """What packages need of the session (engine.Session is one): its instances."""

    packages: dict[tuple[str, str], PackageState]

    @property
    def db(self) -> HostDatabase: ...

    @property
    def principal(self) -> Principal: ...

    @property
    def schema(self) -> str: ...



class Elaborator(Protocol):
    """What making an instance needs of the interpreter (plsql_run.Runner is one)."""

    @property
    def session(self) -> Any: ...

    def declare(self, decls: tuple[Any, ...], f: Frame) -> None: ...

    def run_unit(self, body: tuple[object, ...], f: Frame) -> None: ...

    @property
    def home_schema(self) -> str: ...

    @property
    def code_principal(self) -> Principal: ...

    def in_unit(self, owner: str, invoker: bool) -> AbstractContextManager[None]: ...


@dataclass(eq=False)
class PackageState:
    """One session's instance of a package, made from these two units (``body`` None: no body)."""

    spec_unit: Unit
    body_unit: Unit | None
    spec: Scope
    body: Scope


def _split(name: str, schema: str) -> list[tuple[str | None, str, str]]:
    """The (owner as written, package, member) readings of a dotted name: ``pkg.m`` (owner None:
    the current schema's, or a synonym), ``schema.pkg.m``."""
    parts = name.split(".")
    if len(parts) == 2:
        return [(None, parts[0], parts[1])]
    if len(parts) == 3:
        return [(parts[0], parts[1], parts[2])]
    return []


def _package(catalog: Catalog, schema: str | None, name: str, home: str) -> tuple[str, str] | None:
    """The package ``[schema.]name`` names: ``home``'s own (``schema`` None), else the end of a
    private or PUBLIC synonym (None: neither)."""
    owner = schema or home
    if catalog.units.get(owner, name, "PACKAGE") is not None:
        return owner, name
    if catalog.synonyms.get(owner, name) is None and (
            schema is not None or catalog.synonyms.get(PUBLIC_OWNER, name) is None):
        return None  # no synonym either: a miss (a record's field, say) stays cheap
    try:
        found = catalog.synonyms.resolve(schema, name, home, catalog.exists)
    except OraError:
        return None  # a synonym leading nowhere: no package
    return found if found is not None and catalog.units.get(*found, "PACKAGE") is not None else None


def _instance(runner: Elaborator, schema: str | None, name: str, pos: int, sql: str) -> PackageState | None:
    """The session's instance of package ``[schema.]name`` (made now if needed; ``schema`` None:
    resolved from the running code's schema, synonyms included); None when there is no such
    package the session may use."""
    host: PackageHost = runner.session
    catalog = host.db.catalog
    target = _package(catalog, schema, name, runner.home_schema)
    if target is None:
        return None
    owner, name = target
    if not catalog.may_execute(runner.code_principal, owner, name):
        return None  # another user's package without EXECUTE on it: as if it did not exist
    units = catalog.units
    spec_unit = units.get(owner, name, "PACKAGE")
    if spec_unit is None:
        return None
    body_unit = units.get(owner, name, "PACKAGE BODY")
    state = host.packages.get((owner, name))
    if state is not None and state.spec_unit is spec_unit and state.body_unit is body_unit:
        return state
    if state is not None:
        del host.packages[(owner, name)]
        if _stateful(state):
            raise _discarded(owner, name, "package" if state.spec_unit is not spec_unit else "package body")
    spec = spec_unit.tree
    if not spec_unit.valid or not isinstance(spec, PackageSpec):
        raise invalid_unit(max(pos, 0), sql, owner, name)
    body = None if body_unit is None else body_unit.tree
    if body_unit is not None and (not body_unit.valid or not isinstance(body, PackageBody)):
        raise errors.ora(4063, max(pos, 0), name=f'package body "{owner}.{name}"')
    qualified = f"{owner}.{name}"
    invoker = spec.authid == "CURRENT_USER"
    spec_scope = Scope(STANDARD)
    body_scope = Scope(spec_scope)
    state = PackageState(spec_unit, body_unit, spec_scope, body_scope)
    host.packages[(owner, name)] = state  # before the initialisation, which may call the package
    try:
        with runner.in_unit(owner, invoker):  # initialisers and the init section: the package's rights
            frame = Frame(spec_scope, " " * spec_unit.offset + spec_unit.source, spec_unit.offset, qualified, None,
                          invoker=invoker)
            runner.declare(tuple(d for d in spec.decls if not isinstance(d, SubprogramDecl)), frame)
            if body_unit is not None and isinstance(body, PackageBody):
                frame = Frame(body_scope, " " * body_unit.offset + body_unit.source, body_unit.offset, qualified,
                              None, invoker=invoker)
                runner.declare(body.decls, frame)  # overloads and forward declarations as in any block
                if body.init:
                    runner.run_unit(body.init, frame)
    except OraError:
        del host.packages[(owner, name)]
        raise
    return state


def _stateful(state: PackageState) -> bool:
    """The instance holds state Oracle discards: a variable or a cursor (constants, types,
    exceptions and subprograms are not state)."""
    return any(not (isinstance(v, Var) and v.constant) and not isinstance(v, (TypeName, Subprogram, ExceptionDef))
               for scope in (state.spec, state.body) for v in scope.names.values())


def _discarded(owner: str, name: str, kind: str) -> OraError:
    """ORA-04068 and the lines Oracle stacks under it for a replaced package ``kind``."""
    where = f'{kind} "{owner}.{name}"'
    lines = [errors.ora(4068).message, errors.ora(4061, name=where).message,
             errors.ora(4065, name=where).message, errors.ora(6508, name=f'"{owner}.{name}"').message]
    return OraError(4068, "\n".join(lines))


def _public(spec: PackageSpec, name: str) -> bool:
    return any(isinstance(d, SubprogramDecl) and d.name == name for d in spec.decls)


def member(runner: Elaborator, name: str, pos: int, sql: str) -> Subprogram | None:
    """The package subprogram a dotted ``name`` calls (``pkg.m`` or ``schema.pkg.m``); None when
    ``name`` names none (a package variable, a standalone routine ``schema.f``, or nothing).

    Raises ORA-04067 when the package has no body, ORA-06550 PLS-00302 for a name the spec does not
    declare, PLS-00905 for an invalid package."""
    for owner, package, sub in _split(name, runner.home_schema):
        state = _instance(runner, owner, package, pos, sql)
        if state is None:
            continue
        spec = state.spec_unit.tree
        assert isinstance(spec, PackageSpec)
        if not _public(spec, sub):
            if isinstance(state.spec.names.get(sub), Var):
                return None  # a variable: the caller reads it
            raise pls_error(max(pos, 0), sql, f"PLS-00302: component '{sub}' must be declared")
        if state.body_unit is None:
            where = f'"{state.spec_unit.owner}.{state.spec_unit.name}"'
            raise OraError(4067, "\n".join([errors.ora(4067, name=f"package body {where}").message,
                                             errors.ora(6508, name=where).message]))
        found = state.body.names.get(sub)
        if not isinstance(found, Subprogram) or any(o.decl.block is None for o in found.overloads):
            raise pls_error(max(pos, 0), sql, f"PLS-00323: subprogram or cursor '{sub}' is declared in a package "
                                              "specification and must be defined in the package body")
        return found  # with its overloads: the interpreter picks one by the call's arguments
    return None


def package_type(runner: Elaborator, name: str, pos: int, sql: str) -> PlType | None:
    """The public type ``pkg.t`` or ``schema.pkg.t``; None when ``name`` reads as no package's."""
    for owner, package, type_name in _split(name, runner.home_schema):
        state = _instance(runner, owner, package, pos, sql)
        if state is None:
            continue
        found = state.spec.names.get(type_name)
        if not isinstance(found, TypeName):
            raise pls_error(max(pos, 0), sql, f"PLS-00302: component '{type_name}' must be declared")
        return found.type
    return None


def variable(runner: Elaborator, package: str, name: str, pos: int, sql: str,
             schema: str | None = None) -> tuple[Scope, Var] | None:
    """The public variable or constant ``[schema.]package.name`` and the scope holding it; None
    when that names no package the session may use."""
    state = _instance(runner, schema, package, pos, sql)
    if state is None:
        return None
    found = state.spec.names.get(name)
    if not isinstance(found, Var):
        raise pls_error(max(pos, 0), sql, f"PLS-00302: component '{name}' must be declared")
    return state.spec, found
