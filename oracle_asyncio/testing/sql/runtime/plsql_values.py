"""PL/SQL values at run time: the one representation of scalars, records and
collections that the interpreter, BULK COLLECT and package state share.

Types (:data:`PlType`):

* a scalar is a :class:`SqlType` (``T.BOOLEAN`` for BOOLEAN; PLS_INTEGER and
  the other integer types are ``NUMBER(38,0)``);
* :class:`RecordType`: a record's field names and types, in order (``TYPE r IS
  RECORD``, ``t%ROWTYPE``);
* :class:`CollectionType`: kind ``ASSOC`` (``TABLE OF t INDEX BY k``; ``index``
  is k), ``NESTED`` (``TABLE OF t``) or ``VARRAY`` (``limit`` set);
* :class:`RefCursorType`: a cursor variable's type, ``SYS_REFCURSOR`` or ``TYPE t IS
  REF CURSOR [RETURN rowtype]`` (``row`` set: a strong one).

Values:

* a scalar is the Python value a client would fetch (None, ``str``, ``int`` or
  ``Decimal``, ``float``, ``bytes``, ``datetime``, ..., ``bool`` for BOOLEAN);
* a record is a :class:`PlRecord`: its type and a dict field name -> value
  (fields hold any value, records and collections included);
* a collection is a :class:`PlCollection`: its type and ``items``, a dict
  subscript -> value.  Subscripts are ``int`` (integer-indexed) or ``str``
  (``INDEX BY VARCHAR2``).  Nested tables and varrays are dense from 1 to
  ``size`` except for deleted elements (absent from ``items``, still counted
  in ``size``, as Oracle keeps their place); an associative array has no size.
  A nested table or varray that was never initialized is ``None`` (atomically
  null: ORA-06531 on use); an associative array is never null;
* a cursor variable holds None (never opened) or the cursor it points at, a
  ``cursorstate.CursorState`` that assignment shares rather than copies, as
  Oracle's cursor variables share one work area.

Assignment copies: :func:`copy_value` gives a record or collection its own
copy, as PL/SQL's value semantics require.  Errors are Oracle's (ORA-06531,
ORA-06532, ORA-06533, ORA-01403, ORA-06502).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from .. import errors
from ..errors import OraError
from ..types.datatypes import SqlType, T
from ..types.numbers import num, num_text
from .plsql_memory import charge

#: Most elements one EXTEND may add: a loop adding one at a time stops at the statement cap
#: (plsql_run.MAX_STATEMENTS) anyway, and EXTEND(2e9) must not allocate the server's memory away.
MAX_EXTEND = 1_000_000

__all__ = ["RecordType", "CollectionType", "RefCursorType", "SYS_REFCURSOR", "PlType", "PlRecord", "PlCollection",
           "initial", "copy_value", "size_of", "type_name", "METHODS", "from_host_array", "to_host_array",
           "HOST_ARRAY_MOST", "HOST_ARRAY_MISMATCH", "host_bindable"]

#: The most elements a host array (a PL/SQL array bind) can carry back: the wire's own
#: ceiling on array binds (oracle_sansio.limits.Limits.max_rows); the bind's declared
#: maximum is checked when the value is sent (testing/returning.py).
HOST_ARRAY_MOST = 1_000_000


@dataclass(frozen=True, eq=False)
class RecordType:
    """A record type: its fields in order, and those declared NOT NULL."""

    #: Object types' records (runtime/objvalues.py) start atomically null: ORA-06530 on their fields.
    ATOMIC: ClassVar[bool] = False
    name: str
    fields: tuple[tuple[str, PlType], ...]
    not_null: frozenset[str] = frozenset()
    #: Initial values of fields declared with a default (evaluated when the type was declared).
    defaults: tuple[tuple[str, object], ...] = ()

    def field_type(self, name: str) -> PlType | None:
        for f, t in self.fields:
            if f == name:
                return t
        return None


@dataclass(frozen=True, eq=False)
class CollectionType:
    name: str
    kind: str  # ASSOC, NESTED or VARRAY
    element: PlType
    index: SqlType | None = None  # ASSOC: the key type
    limit: int | None = None  # VARRAY
    element_not_null: bool = False


@dataclass(frozen=True, eq=False)
class RefCursorType:
    """A REF CURSOR type: weak (``row`` None: any query) or strong (``RETURN`` a record type)."""

    name: str
    row: RecordType | None = None


#: STANDARD's weak REF CURSOR type.
SYS_REFCURSOR = RefCursorType("SYS_REFCURSOR")

PlType = SqlType | RecordType | CollectionType | RefCursorType


class PlRecord:
    __slots__ = ("type", "values")

    def __init__(self, type_: RecordType, values: dict[str, object]) -> None:
        self.type = type_
        self.values = values

    def __repr__(self) -> str:
        return f"PlRecord({self.type.name}, {self.values!r})"


class PlCollection:
    __slots__ = ("type", "items", "size", "bytes", "_keys")

    def __init__(self, type_: CollectionType, items: dict[Any, object] | None = None, size: int = 0) -> None:
        self.type = type_
        self.items: dict[Any, object] = items if items is not None else {}
        self.size = size  # NESTED / VARRAY: slots allocated (deleted ones included)
        #: The elements' estimated bytes, charged to the call's budget (plsql_memory.py).
        self.bytes = sum(size_of(v) + _key_size(k) for k, v in self.items.items())
        charge(self.bytes)
        self._keys: list[Any] | None = None  # the sorted subscripts, rebuilt after a change

    def __repr__(self) -> str:
        return f"PlCollection({self.type.name}, {self.items!r})"

    @classmethod
    def of(cls, type_: CollectionType, values: list[object]) -> PlCollection:
        """A nested table or varray holding ``values`` at 1..n (a constructor's result)."""
        if type_.limit is not None and len(values) > type_.limit:
            raise errors.ora(6532)
        return cls(type_, {k + 1: v for k, v in enumerate(values)}, len(values))

    # ---- subscripts ---------------------------------------------------------------------------
    def key(self, raw: object) -> Any:
        """``raw`` as a subscript of this collection (ORA-06502 for NULL or a bad value)."""
        if raw is None:
            raise errors.value_error("null_key")
        index = self.type.index
        if index is not None and index.is_char:
            text = num_text(Decimal(raw)) if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool) else str(raw)
            if index.size and len(text) > index.size:
                raise errors.value_error("buffer")
            return text
        try:
            d = num(raw)
        except OraError:
            raise errors.value_error("conversion") from None
        assert d is not None
        return int(d.to_integral_value(ROUND_HALF_UP))

    def _check_slot(self, k: object) -> None:
        if self.type.kind == "ASSOC":
            return
        assert isinstance(k, int)
        if k < 1 or (self.type.limit is not None and k > self.type.limit):
            raise errors.ora(6532)
        if k > self.size:
            raise errors.ora(6533)

    def get(self, raw: object) -> object:
        k = self.key(raw)
        self._check_slot(k)
        if k not in self.items:
            raise errors.ora(1403)
        return self.items[k]

    def put(self, raw: object, value: object) -> None:
        k = self.key(raw)
        self._check_slot(k)
        grow = size_of(value) - (size_of(self.items[k]) if k in self.items else -_key_size(k))
        charge(grow)
        self.bytes += grow
        if k not in self.items:
            self._keys = None
        self.items[k] = value

    def _drop(self, k: object) -> None:
        """Remove element ``k`` (if there), giving its bytes back."""
        if k in self.items:
            freed = size_of(self.items.pop(k)) + _key_size(k)
            charge(-freed)
            self.bytes -= freed

    def has(self, raw: object) -> bool:
        try:
            k = self.key(raw)
        except OraError:
            return False
        return k in self.items

    def keys(self) -> list[Any]:
        if self._keys is None:
            self._keys = sorted(self.items)
        return self._keys

    # ---- methods ------------------------------------------------------------------------------
    def first(self) -> object:
        keys = self.keys()
        return keys[0] if keys else None

    def last(self) -> object:
        keys = self.keys()
        return keys[-1] if keys else None

    def next(self, raw: object) -> object:
        if raw is None:
            return None
        keys = self.keys()
        at = bisect_right(keys, self.key(raw))
        return keys[at] if at < len(keys) else None

    def prior(self, raw: object) -> object:
        if raw is None:
            return None
        keys = self.keys()
        at = bisect_left(keys, self.key(raw)) - 1
        return keys[at] if at >= 0 else None

    def delete(self, args: list[object]) -> None:
        self._keys = None
        if not args:
            charge(-self.bytes)
            self.items.clear()
            self.size = self.bytes = 0
            return
        if self.type.kind == "VARRAY":
            raise errors.pls_unplaced("PLS-00306: wrong number or types of arguments in call to 'DELETE'")
        if any(a is None for a in args):
            return  # DELETE(NULL) deletes nothing
        low = self.key(args[0])
        high = self.key(args[-1])
        for k in [k for k in self.items if low <= k <= high]:
            self._drop(k)

    def extend(self, args: list[object], element: object) -> None:
        if self.type.kind == "ASSOC":
            raise errors.pls_unplaced("PLS-00306: wrong number or types of arguments in call to 'EXTEND'")
        count = 1 if not args else args[0]
        if count is None:
            return
        n = int(num(count) or 0)
        if n < 0:
            raise errors.ora(6532)
        if self.type.limit is not None and self.size + n > self.type.limit:
            raise errors.ora(6532)
        if n > MAX_EXTEND:
            raise errors.ora(6500, note=f"EXTEND of more than {MAX_EXTEND} elements")
        source = self.get(args[1]) if len(args) > 1 else element
        grow = n * size_of(source)
        charge(grow)
        self.bytes += grow
        for _ in range(n):
            self.size += 1
            self.items[self.size] = copy_value(source)
        self._keys = None

    def trim(self, args: list[object]) -> None:
        if self.type.kind == "ASSOC":
            raise errors.pls_unplaced("PLS-00306: wrong number or types of arguments in call to 'TRIM'")
        n = 1 if not args else int(num(args[0]) or 0)
        if n < 0 or n > self.size:
            raise errors.ora(6533)
        for _ in range(n):
            self._drop(self.size)
            self.size -= 1
        self._keys = None


#: Collection methods: name -> (least, most arguments, whether it is a procedure).
METHODS: dict[str, tuple[int, int, bool]] = {
    "COUNT": (0, 0, False), "FIRST": (0, 0, False), "LAST": (0, 0, False), "LIMIT": (0, 0, False),
    "NEXT": (1, 1, False), "PRIOR": (1, 1, False), "EXISTS": (1, 1, False),
    "DELETE": (0, 2, True), "EXTEND": (0, 2, True), "TRIM": (0, 1, True),
}


def initial(t: PlType) -> object:
    """The value a variable of type ``t`` starts with (no default given)."""
    if isinstance(t, RecordType) and not t.ATOMIC:
        given = dict(t.defaults)
        return PlRecord(t, {name: copy_value(given[name]) if name in given else initial(ft) for name, ft in t.fields})
    if isinstance(t, CollectionType):
        return PlCollection(t) if t.kind == "ASSOC" else None
    return None


#: What one value costs besides its own bytes (a slot, a reference, a header).
_OVERHEAD = 16


def size_of(value: object) -> int:
    """A value's estimated bytes, in O(1) for a scalar or collection (a record: its fields)."""
    if isinstance(value, (str, bytes)):
        return _OVERHEAD + len(value)
    if isinstance(value, PlCollection):
        return _OVERHEAD + value.bytes
    if isinstance(value, PlRecord):
        return _OVERHEAD + sum(size_of(v) for v in value.values.values())
    return _OVERHEAD * (1 if value is None else 2)


def _key_size(key: object) -> int:
    """What a subscript costs: an INDEX BY VARCHAR2 key is a string of up to 32767 characters
    kept with its element; an integer subscript is covered by the element's overhead."""
    return _OVERHEAD + len(key) if isinstance(key, str) else 0


def copy_value(value: object) -> object:
    """``value`` as an assignment copies it (records and collections get copies of their own)."""
    if isinstance(value, PlRecord):
        return PlRecord(value.type, {k: copy_value(v) for k, v in value.values.items()})
    if isinstance(value, PlCollection):
        return PlCollection(value.type, {k: copy_value(v) for k, v in value.items.items()}, value.size)
    return value


#: A host array bound to a collection it cannot carry: one indexed by VARCHAR2 (clients bind only
#: PLS_INTEGER-indexed tables; Oracle refuses the block when it compiles it).
HOST_ARRAY_MISMATCH = "PLS-00418: array bind type must match PL/SQL table row type"


def host_bindable(t: CollectionType) -> bool:
    """An array bind (a host array) may stand for a collection of type ``t``: a nested table, a
    varray, or an associative array indexed by integers, not by VARCHAR2."""
    return t.kind != "ASSOC" or t.index is None or not t.index.is_char


def to_host_array(value: PlCollection, most: int = HOST_ARRAY_MOST) -> list[object]:
    """A collection copied into a host array (an array bind's list): the entry at
    subscript k goes to element k, an unassigned subscript below the last is NULL,
    as Oracle copies PL/SQL tables to host arrays.  A subscript below 1 or above
    ``most`` is ORA-06513."""
    keys = value.keys()
    if not keys:
        return []
    if not all(isinstance(k, int) for k in keys) or keys[0] < 1 or keys[-1] > most:
        raise errors.ora(6513)
    return [value.items.get(k) for k in range(1, keys[-1] + 1)]


def from_host_array(values: list[object], t: CollectionType, element: Callable[[object], object]) -> PlCollection:
    """A host array (an array bind's list) as a collection of type ``t``: elements
    1..n, each made an element by ``element`` (the caller's coercion, ORA-06502 when
    it does not fit); a varray longer than its limit is ORA-06532."""
    items = [element(v) for v in values]
    if t.kind != "ASSOC":
        return PlCollection.of(t, items)
    result = PlCollection(t)
    for k, v in enumerate(items, 1):
        result.put(k, v)
    return result


def type_name(t: PlType) -> str:
    if isinstance(t, (RecordType, CollectionType, RefCursorType)):
        return t.name
    return "BOOLEAN" if t.t is T.BOOLEAN else t.t.value
