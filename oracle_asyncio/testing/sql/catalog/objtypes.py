"""User-defined types (CREATE TYPE ... AS OBJECT / VARRAY / TABLE) as catalog objects: what they
are, their compilation status, and the store every session shares (``Catalog.types``).

A type keeps the statement that made it (:attr:`ObjectType.spec`): its attributes, element and
supertype are resolved from it whenever a type it uses changes, so a type created INVALID
(an unknown attribute type: PLS-00201) turns VALID once that type exists, and one whose
type was dropped with FORCE turns INVALID, as Oracle recompiles them.  DDL: typeddl.py;
dictionary rows: typedict.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ..syntax.nodes_type import CreateType, CreateTypeBody, MethodSpec
from ..types.datatypes import SqlType

__all__ = ["CompileError", "ObjectType", "ResolvedType", "TypeBody", "TypeStore"]


@dataclass(frozen=True, slots=True)
class ResolvedType:
    """The type of an attribute or element: a scalar (``sql``) or a user-defined type (``owner``)."""

    name: str
    owner: str | None
    sql: SqlType | None


@dataclass(frozen=True, slots=True)
class CompileError:
    """One row of USER_ERRORS: line and column in the unit's source, and the message."""

    line: int
    position: int
    text: str

    @property
    def number(self) -> int:
        """The PLS number of ``text`` (0 for a message without one)."""
        head = self.text.partition(":")[0]
        return int(head[4:]) if head.startswith("PLS-") and head[4:].isdigit() else 0


@dataclass(slots=True)
class TypeBody:
    """CREATE TYPE BODY: the methods' source (run by the PL/SQL interpreter)."""

    spec: CreateTypeBody
    serial: int
    status: str = "VALID"
    errors: tuple[CompileError, ...] = ()


@dataclass(slots=True)
class ObjectType:
    """One user-defined type; ``kind`` OBJECT, VARRAY, TABLE or INCOMPLETE."""

    schema: str
    name: str
    spec: CreateType
    serial: int
    #: Resolved from ``spec`` (typeddl.py): the local attributes, the element and the supertype.
    attributes: tuple[tuple[str, ResolvedType], ...] = ()
    element: ResolvedType | None = None
    supertype: tuple[str, str] | None = None
    status: str = "VALID"
    errors: tuple[CompileError, ...] = ()
    body: TypeBody | None = None
    #: The user types this one names (attributes, element, supertype, method signatures).
    uses: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    #: The PL/SQL interpreter's type for it (runtime/objvalues.py), built at first use and
    #: cleared whenever the type is recompiled.
    runtime: object = None

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def methods(self) -> tuple[MethodSpec, ...]:
        return self.spec.methods

    @property
    def typecode(self) -> str:
        """ALL_TYPES.TYPECODE."""
        return "COLLECTION" if self.kind in ("VARRAY", "TABLE") else "OBJECT"


class TypeStore:
    """Every user-defined type of a Database, keyed by (owner, name)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._types: dict[tuple[str, str], ObjectType] = {}
        self._serial = 0

    def get(self, owner: str, name: str) -> ObjectType | None:
        with self._lock:
            return self._types.get((owner, name))

    def has(self, owner: str, name: str) -> bool:
        with self._lock:
            return (owner, name) in self._types

    def next_serial(self) -> int:
        with self._lock:
            self._serial += 1
            return self._serial

    def put(self, t: ObjectType) -> None:
        with self._lock:
            self._types[(t.schema, t.name)] = t

    def remove(self, owner: str, name: str) -> None:
        with self._lock:
            self._types.pop((owner, name), None)

    def snapshot(self) -> list[ObjectType]:
        """Every type, by (owner, name)."""
        with self._lock:
            types = list(self._types.values())
        return sorted(types, key=lambda t: (t.schema, t.name))

    def dependents(self, owner: str, name: str) -> list[ObjectType]:
        """The types that name ``owner.name`` (ORA-02303 when dropping or replacing it)."""
        key = (owner, name)
        with self._lock:
            return [t for t in self._types.values() if key in t.uses and (t.schema, t.name) != key]

    def all_attributes(self, t: ObjectType) -> list[tuple[str, ResolvedType, bool]]:
        """(name, type, inherited) of every attribute: the supertypes' first, as Oracle numbers them."""
        chain: list[ObjectType] = []
        seen: set[tuple[str, str]] = set()
        current: ObjectType | None = t
        while current is not None and (current.schema, current.name) not in seen:
            seen.add((current.schema, current.name))
            chain.append(current)
            sup = current.supertype
            current = None if sup is None else self.get(*sup)
        out: list[tuple[str, ResolvedType, bool]] = []
        for level in reversed(chain):
            out.extend((n, r, level is not t) for n, r in level.attributes)
        return out
