"""Values of user-defined types in PL/SQL (the types: catalog/objtypes.py), on the interpreter's
own representation (plsql_values.py):

* an object type is an :class:`ObjectRecordType`, a record type whose variables start atomically
  null: a constructor (``udt_Book('t', 'a', 9.5)``, one argument per attribute, supertypes'
  first) gives them a :class:`PlRecord`; reading or assigning an attribute of a null one is
  ORA-06530;
* a VARRAY or nested table type is a :class:`CollectionType` (``VARRAY`` with its limit,
  ``NESTED``), so its constructor, subscripts and methods are the collections' own.

The PL/SQL type of a stored type is built once and cached on the catalog's type
(``ObjectType.runtime``, cleared when the type is recompiled), so every use of a type name in a
session sees the same type object, which assignment compares.  An INVALID type is PLS-00905.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

from .. import errors
from ..catalog.objtypes import ObjectType, ResolvedType
from ..catalog.schema import Principal
from ..catalog.tables import Catalog
from ..errors import pls_error
from ..syntax.nodes import Col, Expr, Func
from ..syntax.plnodes import PlField, PlIndexed, SubprogramDecl
from .plsql_scope import STANDARD, Frame, Scope, Subprogram, Var
from .plsql_values import CollectionType, PlRecord, PlType, RecordType

__all__ = ["Calls", "ObjectRecordType", "call_member", "call_static", "comparable", "construct", "construct_object",
           "declared_type", "method", "stored_type"]


@dataclass(frozen=True, eq=False)
class ObjectRecordType(RecordType):
    """An object type as PL/SQL sees it: a record type whose variables are atomically null."""

    ATOMIC: ClassVar[bool] = True
    owner: str = ""


def stored_type(catalog: Catalog, who: Principal, name: str) -> PlType | None:
    """The PL/SQL type of the stored type ``name`` (``type`` or ``schema.type``) for ``who``; None
    when there is none (the caller says PLS-00201)."""
    parts = name.split(".")
    if len(parts) > 2:
        return None
    schema, type_name = (None, parts[0]) if len(parts) == 1 else (parts[0], parts[1])
    found = catalog.user_type(schema, type_name, who)
    return None if found is None else _pl_type(catalog, found)


def _pl_type(catalog: Catalog, t: ObjectType) -> PlType:
    if t.status != "VALID" or t.kind == "INCOMPLETE":
        raise errors.pls_unplaced(f"PLS-00905: object {t.schema}.{t.name} is invalid")
    with catalog.lock:  # one PL/SQL type per stored type, whichever session builds it first
        cached = t.runtime
        if isinstance(cached, (RecordType, CollectionType)):
            return cached
        return _build(catalog, t)


def _build(catalog: Catalog, t: ObjectType) -> PlType:
    result: PlType
    if t.element is not None:
        result = CollectionType(t.name, "VARRAY" if t.kind == "VARRAY" else "NESTED", _resolved(catalog, t.element),
                                None, t.spec.upper_bound)
    else:
        fields = tuple((name, _resolved(catalog, r)) for name, r, _ in catalog.types.all_attributes(t))
        result = ObjectRecordType(t.name, fields, owner=t.schema)
    t.runtime = result
    return result


def _resolved(catalog: Catalog, r: ResolvedType) -> PlType:
    if r.sql is not None:
        return r.sql
    found = catalog.types.get(r.owner or "", r.name)
    if found is None:
        raise errors.pls_unplaced(f"PLS-00905: object {r.owner}.{r.name} is invalid")
    return _pl_type(catalog, found)


def declared_type(e: Expr, f: Frame) -> PlType | None:
    """The declared type of ``e`` as its names tell it (``v``, ``v(i)``, ``v(i).f``, ``r.f``), None when
    they do not: what ``x.attr`` needs when ``x`` is null (ORA-06530 for an object, whatever its path)."""
    if isinstance(e, Col) and e.table is None:
        found = f.scope.find(e.name)
        return found.type if isinstance(found, Var) else None
    if isinstance(e, Col) and e.table is not None:
        owner = f.scope.find(e.table)
        record = owner.type if isinstance(owner, Var) else None
        return record.field_type(e.name) if isinstance(record, RecordType) else None
    if isinstance(e, Func) and "." not in e.name:
        found = f.scope.find(e.name)
        return found.type.element if isinstance(found, Var) and isinstance(found.type, CollectionType) else None
    if isinstance(e, PlIndexed):
        base = declared_type(e.base, f)
        return base.element if isinstance(base, CollectionType) else None
    if isinstance(e, PlField):
        base = declared_type(e.base, f)
        return base.field_type(e.name) if isinstance(base, RecordType) else None
    return None


def construct_object(t: ObjectRecordType, values: list[object], convert: Callable[[object, PlType], object]) -> PlRecord:
    """The default constructor: one value per attribute, each converted to its attribute's type."""
    if len(values) != len(t.fields):
        raise errors.pls_unplaced(f"PLS-00306: wrong number or types of arguments in call to '{t.name}'")
    return PlRecord(t, {name: convert(v, ft) for (name, ft), v in zip(t.fields, values)})



class _SelfAttribute(Var):
    """An attribute named without ``SELF.`` inside a method: a variable whose value is SELF's field,
    so reading and assigning it read and change SELF (ORA-06530 when SELF is null)."""

    __slots__ = ("self_var", "field", "ready")

    def __init__(self, self_var: Var, field: str, type_: PlType, constant: bool) -> None:
        self.self_var = self_var
        self.field = field
        self.ready = False  # Var.__init__ assigns an initial value, which must not reach SELF
        super().__init__(type_, None, constant=constant)
        self.ready = True

    @property
    def value(self) -> object:
        record = self.self_var.value
        if not isinstance(record, PlRecord):
            raise errors.ora(6530)
        return record.values.get(self.field)

    @value.setter
    def value(self, new: object) -> None:
        if not self.ready:
            return
        record = self.self_var.value
        if not isinstance(record, PlRecord):
            raise errors.ora(6530)
        record.values[self.field] = new


def method(catalog: Catalog, t: ObjectRecordType, name: str, argc: int, self_value: PlRecord | None,
           kind: str) -> tuple[Subprogram, Var | None] | None:
    """The ``kind`` (MEMBER, STATIC or CONSTRUCTOR) method ``name`` of ``t`` taking ``argc`` arguments
    besides SELF, as a subprogram whose scope holds SELF (``self_value``; a constructor's starts with
    every attribute null); None when the type declares none.  ORA-04067 when the type has no body,
    ORA-04063 when its body has errors."""
    stored = catalog.types.get(t.owner, t.name)
    if stored is None:
        return None
    declared = [m for m in stored.methods if m.name == name and m.kind == kind]
    if not declared:
        return None
    body = stored.body
    label = f'type body "{stored.schema}.{stored.name}"'
    if body is None:
        raise errors.ora(4067, name=label)
    if body.status != "VALID":
        raise errors.ora(4063, name=label)
    for m in body.spec.methods:
        decl = m.decl
        if m.kind != kind or m.name != name or not isinstance(decl, SubprogramDecl):
            continue
        params = tuple(p for p in decl.params if p.name != "SELF")
        if len(params) < argc or any(p.default is None for p in params[argc:]):
            continue
        scope = Scope(STANDARD)
        unit = Frame(scope, " " * body.spec.start + body.spec.source, 0, f"{stored.schema}.{stored.name}", None,
                     invoker=stored.spec.authid == "CURRENT_USER")
        self_var: Var | None = None
        if kind == "CONSTRUCTOR":  # run as a procedure on SELF: its RETURN takes no value
            self_var = Var(t, PlRecord(t, {f: None for f, _ in t.fields}))
        elif kind == "MEMBER":
            self_var = Var(t, self_value, constant=decl.returns is not None)  # SELF is IN OUT in procedures
        if self_var is not None:
            scope.names["SELF"] = self_var
            for field_name, field_type in t.fields:  # attributes named without SELF. (parameters shadow them)
                scope.names[field_name] = _SelfAttribute(self_var, field_name, field_type, self_var.constant)
        return Subprogram(replace(decl, params=params), scope, unit), self_var
    if kind == "CONSTRUCTOR":
        return None  # the default constructor may fit
    raise errors.pls_unplaced(f"PLS-00306: wrong number or types of arguments in call to '{name}'")


class Calls(Protocol):
    """What calling a method needs of the interpreter (plsql_run.py's Runner is one)."""

    def invoke(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
               f: Frame, pos: int) -> object: ...

    def call_function(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
                      f: Frame, pos: int) -> object: ...

    def is_function(self, target: object) -> bool: ...


def call_member(ev: Calls, catalog: Catalog, base: object, t: ObjectRecordType, name: str,
                args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...], f: Frame, pos: int, *,
                procedure: bool) -> object:
    """``obj.name(args)``: a MEMBER function (``procedure`` False) or procedure of ``obj``'s type;
    ORA-06530 on a null object, PLS-00302 for a name the type does not declare."""
    if base is None:
        raise errors.ora(6530)
    assert isinstance(base, PlRecord)
    found = method(catalog, t, name, len(args) + len(named), base, "MEMBER")
    if found is None:
        raise pls_error(pos, f.source, f"PLS-00302: component '{name}' must be declared")
    sub, self_var = found
    if not procedure:
        return ev.call_function(sub, name, args, named, f, pos)
    if ev.is_function(sub):
        raise pls_error(pos, f.source, f"PLS-00221: '{name}' is not a procedure or is undefined")
    ev.invoke(sub, name, args, named, f, pos)
    if self_var is not None and isinstance(self_var.value, PlRecord) and self_var.value is not base:
        base.values.update(self_var.value.values)  # SELF := ... in the procedure
    return None


def construct(ev: Calls, catalog: Catalog, t: ObjectRecordType, args: tuple[Expr, ...], f: Frame, pos: int,
              values: Callable[[], list[object]], convert: Callable[[object, PlType], object]) -> object:
    """``type(args)``: a user-defined constructor taking that many arguments, else the default one;
    PLS-00713 for a NOT INSTANTIABLE type."""
    stored = catalog.types.get(t.owner, t.name)
    if stored is not None and not stored.spec.instantiable:
        raise pls_error(pos, f.source, "PLS-00713: attempting to instantiate a type that is NOT INSTANTIABLE")
    found = method(catalog, t, t.name, len(args), None, "CONSTRUCTOR")
    if found is None:
        return construct_object(t, values(), convert)
    sub, self_var = found
    ev.invoke(sub, t.name, args, (), f, pos)
    assert self_var is not None
    return self_var.value


def comparable(ev: Calls, catalog: Catalog, left: PlRecord, right: object, f: Frame, pos: int) -> tuple[object, object]:
    """What comparing two objects compares: their MAP method's values, or their ORDER method's result
    and 0; PLS-00526 when the type has neither (PL/SQL compares objects only through them)."""
    t = left.type
    assert isinstance(t, ObjectRecordType)
    stored = catalog.types.get(t.owner, t.name)
    chosen = None if stored is None else next((m for m in stored.methods if m.method_type != "PUBLIC"), None)
    if chosen is None or not isinstance(right, PlRecord) or right.type is not t:
        raise pls_error(pos, f.source, "PLS-00526: A MAP or ORDER function is required for comparing objects in "
                                       "PL/SQL")
    if chosen.method_type == "MAP":
        return (call_member(ev, catalog, left, t, chosen.name, (), (), f, pos, procedure=False),
                call_member(ev, catalog, right, t, chosen.name, (), (), f, pos, procedure=False))
    scope = Scope(f.scope)
    scope.names["\0OTHER"] = Var(t, right, constant=True)  # ORDER's argument, by a name no source can write
    inner = Frame(scope, f.source, f.base, f.name, f.binds)
    result = call_member(ev, catalog, left, t, chosen.name, (Col(pos, pos, "\0OTHER"),), (), inner, pos,
                         procedure=False)
    return result, 0


def call_static(ev: Calls, catalog: Catalog, t: ObjectRecordType, name: str, args: tuple[Expr, ...],
                f: Frame, pos: int) -> object:
    """``type.name(args)``: a STATIC function of ``t``."""
    found = method(catalog, t, name, len(args), None, "STATIC")
    if found is None:
        raise pls_error(pos, f.source, f"PLS-00302: component '{name}' must be declared")
    return ev.call_function(found[0], name, args, (), f, pos)
