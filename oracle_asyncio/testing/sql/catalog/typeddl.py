"""CREATE [OR REPLACE] TYPE / TYPE BODY, DROP TYPE and ALTER TYPE ... ADD ATTRIBUTE on the catalog
(the types themselves: objtypes.py).

Errors as Oracle reports them: ORA-00955 for a name in use, ORA-04043 for a type that does not
exist, ORA-02303 for dropping or replacing a type that other types use (FORCE overrides it).  A
type whose attribute or element type cannot be resolved is still created, INVALID, with its
compilation errors (PLS-00201, PLS-00905) kept for USER_ERRORS; the statement succeeds.
"""

from __future__ import annotations

from collections import deque

from .. import errors
from ..syntax.nodes_type import AlterType, CreateType, CreateTypeBody, DropType, TypeSpec
from .objtypes import CompileError, ObjectType, ResolvedType, TypeBody
from .schema import Principal
from .tables import Catalog

__all__ = ["alter_type", "create_type", "create_type_body", "drop_type"]

_ANALYSIS_TERMINATED = "PL/SQL: Compilation unit analysis terminated"


def create_type(catalog: Catalog, who: Principal, stmt: CreateType) -> None:
    """Run CREATE [OR REPLACE] TYPE (stored PL/SQL units share the namespace: ``catalog.exists``)."""
    owner = catalog.owner_for_create(stmt.schema, who, stmt.pos)
    store = catalog.types
    with catalog.lock:
        old = store.get(owner, stmt.name)
        if old is None and catalog.exists(owner, stmt.name):
            raise errors.name_in_use(stmt.pos)
        if old is not None and old.kind != "INCOMPLETE":
            if not stmt.replace:
                raise errors.name_in_use(stmt.pos)
            if not stmt.force and stmt.kind != "INCOMPLETE" and store.dependents(owner, stmt.name):
                raise errors.ora(2303, stmt.pos)
        if old is not None and stmt.kind == "INCOMPLETE":
            return  # a forward declaration of a type that exists changes nothing
        t = ObjectType(owner, stmt.name, stmt, store.next_serial() if old is None else old.serial)
        if old is not None and old.body is not None:
            t.body = old.body
        _resolve(catalog, t)
        store.put(t)
        _refresh_dependents(catalog, owner, stmt.name)


def create_type_body(catalog: Catalog, who: Principal, stmt: CreateTypeBody) -> None:
    """Run CREATE [OR REPLACE] TYPE BODY: kept as text; errors against the specification are
    compilation errors (the body is created INVALID)."""
    owner = catalog.owner_for_create(stmt.schema, who, stmt.pos)
    with catalog.lock:
        t = catalog.types.get(owner, stmt.name)
        if t is None:
            raise errors.ora(4043, stmt.pos, name=stmt.name)  # no specification: nothing to attach a body to
        if t.body is not None and not stmt.replace:
            raise errors.name_in_use(stmt.pos)
        problems: list[CompileError] = []
        if stmt.error:
            problems.append(CompileError(1, 1, stmt.error.partition("\n")[2] or stmt.error))
        declared = {m.name for m in t.methods}
        defined = {m.name for m in stmt.methods}
        for name in (m.name for m in stmt.methods):
            if name not in declared:
                problems.append(_error(stmt.source, stmt.source.find(name), f"PLS-00538: subprogram or cursor "
                                       f"'{name}' is declared in an object type body and must be defined in the "
                                       "object type specification"))
        for m in t.methods:
            if m.name not in defined and m.instantiable:
                problems.append(CompileError(1, 1, f"PLS-00539: subprogram '{m.name}' is declared in an object "
                                                   "type specification and must be defined in the object type "
                                                   "body"))
        serial = t.body.serial if t.body is not None else catalog.types.next_serial()
        t.body = TypeBody(stmt, serial, "INVALID" if problems else "VALID", tuple(problems))


def drop_type(catalog: Catalog, who: Principal, stmt: DropType) -> None:
    """Run DROP TYPE [FORCE | VALIDATE] or DROP TYPE BODY."""
    owner = stmt.schema or who.schema
    with catalog.lock:
        t = catalog.user_type(stmt.schema, stmt.name, who)
        if t is None or (stmt.body and t.body is None):
            raise errors.ora(4043, stmt.pos, name=stmt.name)
        if stmt.body:
            t.body = None
            return
        if not stmt.force and catalog.types.dependents(owner, stmt.name):
            raise errors.ora(2303, stmt.pos)
        catalog.types.remove(owner, stmt.name)
        _refresh_dependents(catalog, owner, stmt.name)


def alter_type(catalog: Catalog, who: Principal, stmt: AlterType) -> None:
    """Run ALTER TYPE ... ADD ATTRIBUTE (ORA-22312 when other types use it and neither CASCADE nor
    INVALIDATE was given; the dependents are recompiled either way) or ALTER TYPE ... COMPILE."""
    owner = stmt.schema or who.schema
    with catalog.lock:
        t = catalog.user_type(stmt.schema, stmt.name, who)
        if t is None:
            raise errors.ora(4043, stmt.pos, name=stmt.name)
        if stmt.option == "COMPILE":
            _resolve(catalog, t)
            return
        if t.kind != "OBJECT":
            raise errors.ora(22324, stmt.pos, note="only object types have attributes")
        if not stmt.option and catalog.types.dependents(owner, stmt.name):
            raise errors.ora(22312, stmt.pos)
        names = {n for n, _, _ in catalog.types.all_attributes(t)}
        for a in stmt.attributes:
            if a.name in names:
                raise errors.ora(22324, a.pos, note=f"PLS-00410: duplicate fields in RECORD,TABLE or argument "
                                                    f"list are not permitted ({a.name})")
            names.add(a.name)
        spec = t.spec
        t.spec = CreateType(spec.schema, spec.name, True, spec.force, spec.kind, spec.attributes + stmt.attributes,
                            spec.methods, spec.element, spec.upper_bound, spec.final, spec.instantiable,
                            spec.supertype, spec.pos, spec.source, spec.start)
        _resolve(catalog, t)
        _refresh_dependents(catalog, owner, stmt.name)


# ---- resolution -----------------------------------------------------------------------------------

def _error(source: str, offset: int, text: str) -> CompileError:
    """A compilation error at ``offset`` of the unit's source (lines and columns from 1)."""
    offset = max(offset, 0)
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return CompileError(line, column, text)


def _resolve(catalog: Catalog, t: ObjectType) -> None:
    """Fill ``t``'s resolved attributes, element, supertype, dependencies and status from its spec."""
    spec = t.spec
    problems: list[CompileError] = []
    uses: set[tuple[str, str]] = set()
    definer = Principal(t.schema, t.schema)

    def ref(ts: TypeSpec, signature: bool = False) -> ResolvedType:
        if ts.sql is not None:
            return ResolvedType(ts.name, None, ts.sql)
        owner = ts.owner or t.schema
        where = ts.pos - spec.start
        if (owner, ts.name) == (t.schema, t.name) and signature:
            return ResolvedType(ts.name, owner, None)  # a method may take and return its own type
        uses.add((owner, ts.name))
        found = catalog.user_type(owner, ts.name, definer)  # the owner's rights, as at creation
        if (owner, ts.name) == (t.schema, t.name):
            problems.append(_error(spec.source, where, f'PLS-00318: type "{t.schema}"."{t.name}" is malformed '
                                                       "because it is a non-REF mutually recursive type"))
        elif found is None:
            problems.append(_error(spec.source, where, f"PLS-00201: identifier '{ts.written or ts.name}' must "
                                                       "be declared"))
        elif found.status != "VALID" or found.kind == "INCOMPLETE":
            problems.append(_error(spec.source, where, f"PLS-00905: object {owner}.{ts.name} is invalid"))
        return ResolvedType(ts.name, owner, None)

    t.attributes = tuple((a.name, ref(a.type)) for a in spec.attributes)
    t.element = None if spec.element is None else ref(spec.element)
    t.supertype = None
    if spec.supertype is not None:
        sup = ref(spec.supertype)
        t.supertype = (sup.owner or t.schema, sup.name)
        parent = catalog.types.get(*t.supertype)
        if parent is not None and parent.spec.final:
            problems.append(_error(spec.source, spec.supertype.pos - spec.start,
                                   "PLS-00590: attempting to create a subtype UNDER a FINAL type"))
    for m in spec.methods:
        for _, _, pt in m.params:
            if pt is not None and pt.sql is None:
                ref(pt, signature=True)
        if m.returns is not None and m.returns.sql is None:
            ref(m.returns, signature=True)
    if problems:
        problems.insert(0, CompileError(0, 0, _ANALYSIS_TERMINATED))
    t.uses = frozenset(uses)
    t.runtime = None
    t.errors = tuple(problems)
    t.status = "INVALID" if problems else "VALID"


def _refresh_dependents(catalog: Catalog, owner: str, name: str) -> None:
    """Recompile the types that depend on ``owner.name``, transitively (each once)."""
    queue = deque([(owner, name)])
    done: set[tuple[str, str]] = set()
    while queue:
        key = queue.popleft()
        for dep in catalog.types.dependents(*key):
            dkey = (dep.schema, dep.name)
            if dkey in done:
                continue
            done.add(dkey)
            _resolve(catalog, dep)
            queue.append(dkey)  # its own dependents hold its PL/SQL type: recompile them too
