"""The data dictionary's rows for user-defined types (objtypes.py): ALL_TYPES, ALL_TYPE_ATTRS,
ALL_COLL_TYPES, ALL_TYPE_METHODS, and the TYPE / TYPE BODY rows of ALL_OBJECTS and ALL_ERRORS.

Columns follow Oracle's reference for each view (views.py holds their shapes).  A scalar's
LENGTH / PRECISION / SCALE are its declared size (character and RAW types), precision and scale
(NUMBER, FLOAT), fractional-second digits (TIMESTAMP, in SCALE).
"""

from __future__ import annotations

from ..types.datatypes import T
from ..types.rowids import OBJECT_BASE
from .objtypes import ObjectType, ResolvedType
from .schema import Principal
from .tables import Catalog

__all__ = ["TYPE_ROWS", "type_errors", "type_objects"]

Row = tuple[object, ...]

#: Object ids of types and type bodies: above tables (OBJECT_BASE + n) and sequences (+ 500000).
_TYPE_IDS = OBJECT_BASE + 600_000
_NCHAR = frozenset({T.NCHAR, T.NVARCHAR, T.NCLOB})


def _types(catalog: Catalog, who: Principal) -> list[ObjectType]:
    return [t for t in catalog.types.snapshot() if who.may_use(t.schema)]


def _oid(t: ObjectType) -> bytes:
    """A stable 16-byte TYPE_OID / TYPEID for the type (Oracle's are generated GUIDs)."""
    return (_TYPE_IDS + t.serial).to_bytes(16, "big")


def _scalar(r: ResolvedType) -> tuple[int | None, int | None, int | None, str | None, str | None]:
    """(LENGTH, PRECISION, SCALE, CHARACTER_SET_NAME, CHAR_USED) of an attribute or element type."""
    s = r.sql
    if s is None:
        return None, None, None, None, None
    if s.is_char and s.t not in (T.CLOB, T.NCLOB):
        return s.size, None, None, "NCHAR_CS" if s.t in _NCHAR else "CHAR_CS", "C" if s.t in _NCHAR else "B"
    if s.t in (T.CLOB, T.NCLOB):
        return None, None, None, "NCHAR_CS" if s.t in _NCHAR else "CHAR_CS", None
    if s.t is T.RAW:
        return s.size, None, None, None, None
    if s.t is T.NUMBER:
        if s.scale == -127:
            return None, (s.precision or None), None, None, None
        if r.name in ("INTEGER", "SMALLINT"):
            return None, None, 0, None, None
        return None, (s.precision or None), (s.scale if s.precision else None), None, None
    if s.t in (T.TIMESTAMP, T.TIMESTAMP_TZ, T.TIMESTAMP_LTZ):
        return None, None, s.scale, None, None
    if s.t in (T.INTERVAL_DS, T.INTERVAL_YM):
        return None, s.precision, s.scale, None, None
    return None, None, None, None, None


def _all_types(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _types(catalog, who):
        attrs = len(catalog.types.all_attributes(t))
        sup_owner, sup_name = t.supertype if t.supertype is not None else (None, None)
        sub = t.supertype is not None
        rows.append((t.schema, t.name, _oid(t), t.typecode, attrs if t.kind != "INCOMPLETE" else 0, len(t.methods),
                     "NO", "YES" if t.kind == "INCOMPLETE" else "NO", "YES" if t.spec.final else "NO",
                     "YES" if t.spec.instantiable else "NO", "YES", sup_owner, sup_name, len(t.attributes) if sub else None,
                     len(t.methods) if sub else None, _oid(t)))
    return rows


def _all_type_attrs(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _types(catalog, who):
        for i, (name, r, inherited) in enumerate(catalog.types.all_attributes(t), 1):
            length, precision, scale, charset, char_used = _scalar(r)
            rows.append((t.schema, t.name, name, None, r.owner, r.name, length, precision, scale, charset, i,
                         "YES" if inherited else "NO", char_used))
    return rows


def _all_coll_types(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _types(catalog, who):
        e = t.element
        if e is None:
            continue
        length, precision, scale, charset, char_used = _scalar(e)
        varray = t.kind == "VARRAY"
        rows.append((t.schema, t.name, "VARYING ARRAY" if varray else "TABLE", t.spec.upper_bound if varray else None,
                     None, e.owner, e.name, length, precision, scale, charset, None, None, char_used))
    return rows


def _all_type_methods(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _types(catalog, who):
        for i, m in enumerate(t.methods, 1):
            declared = [p for p in m.params if p[0] != "SELF"]
            params = len(declared) + (0 if m.kind == "STATIC" else 1)  # SELF counts, written or not
            rows.append((t.schema, t.name, m.name, i, m.method_type, params, 1 if m.unit == "FUNCTION" else 0,
                         "YES" if m.final else "NO", "YES" if m.instantiable else "NO",
                         "YES" if m.overriding else "NO", "NO"))
    return rows


def type_objects(catalog: Catalog, who: Principal) -> list[Row]:
    """ALL_OBJECTS rows (OWNER, OBJECT_NAME, SUBOBJECT_NAME, OBJECT_ID, DATA_OBJECT_ID, OBJECT_TYPE,
    CREATED, LAST_DDL_TIME, TIMESTAMP, STATUS, TEMPORARY, GENERATED, SECONDARY) of every type and type
    body ``who`` may see (types keep no times: those three are NULL)."""
    rows: list[Row] = []
    for t in _types(catalog, who):
        rows.append((t.schema, t.name, None, _TYPE_IDS + t.serial, None, "TYPE", None, None, None, t.status,
                     "N", "N", "N"))
        if t.body is not None:
            rows.append((t.schema, t.name, None, _TYPE_IDS + t.body.serial, None, "TYPE BODY", None, None, None,
                         t.body.status, "N", "N", "N"))
    return rows


def type_errors(catalog: Catalog, who: Principal) -> list[Row]:
    """ALL_ERRORS rows (OWNER, NAME, TYPE, SEQUENCE, LINE, POSITION, TEXT, ATTRIBUTE, MESSAGE_NUMBER) of
    the types and type bodies that did not compile, for the ALL_ERRORS view of the PL/SQL units."""
    rows: list[Row] = []
    for t in _types(catalog, who):
        units = [("TYPE", t.errors)] + ([("TYPE BODY", t.body.errors)] if t.body is not None else [])
        for kind, problems in units:
            for i, e in enumerate(problems, 1):
                rows.append((t.schema, t.name, kind, i, e.line, e.position, e.text, "ERROR", e.number))
    return rows


#: View name -> its rows (dictionary.py's table of row builders takes these in).
TYPE_ROWS = {
    "ALL_TYPES": _all_types,
    "ALL_TYPE_ATTRS": _all_type_attrs,
    "ALL_COLL_TYPES": _all_coll_types,
    "ALL_TYPE_METHODS": _all_type_methods,
}
