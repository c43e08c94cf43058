"""The dictionary rows of stored PL/SQL units (units.py): ALL_OBJECTS' unit rows, ALL_SOURCE,
ALL_ERRORS, ALL_ARGUMENTS, ALL_PROCEDURES and ALL_TRIGGERS (their shapes: views.py; the other
views' rows: dictionary.py).

Arguments follow Oracle's numbering: POSITION 0 is a function's return value (no name),
parameters count from 1; SEQUENCE counts every row of a subprogram from 1 in order; a
subprogram without parameters or return value has one row with POSITION 1, SEQUENCE 0 and no
name.  Subprograms of a package are numbered (SUBPROGRAM_ID) in the order the spec declares them,
and OVERLOAD numbers the subprograms that share a name.
"""

from __future__ import annotations

from collections.abc import Callable

from ..syntax.nodes import CreateRoutine, PackageSpec, PlParam, TriggerDef, TypeRef
from ..types.datatypes import SqlType, T, date_text
from .schema import Principal
from .tables import Catalog
from .units import Unit, signatures, source_lines

__all__ = ["UNIT_ROWS", "object_rows"]

Row = tuple[object, ...]


def _when(unit: Unit) -> tuple[str, str]:
    return date_text(unit.created), date_text(unit.last_ddl)


def object_rows(catalog: Catalog, who: Principal) -> list[Row]:
    """ALL_OBJECTS rows of the units ``who`` may see."""
    rows: list[Row] = []
    for u in catalog.units.visible(who):
        created, ddl = _when(u)
        rows.append((u.owner, u.name, None, u.object_id, None, u.kind, created, ddl,
                     u.last_ddl.strftime("%Y-%m-%d:%H:%M:%S"), u.status, "N", "N", "N"))
    return rows


def _source(catalog: Catalog, who: Principal) -> list[Row]:
    return [(u.owner, u.name, u.kind, n, text, 0) for u in catalog.units.visible(who)
            for n, text in enumerate(source_lines(u.source), 1)]


def _errors(catalog: Catalog, who: Principal) -> list[Row]:
    return [(u.owner, u.name, u.kind, n, e.line, e.position, e.text, e.attribute, e.number)
            for u in catalog.units.visible(who) for n, e in enumerate(u.errors, 1)]


def _type_columns(t: SqlType) -> tuple[str, int | None, int | None, int | None, str | None, int, str | None]:
    """(DATA_TYPE, DATA_LENGTH, DATA_PRECISION, DATA_SCALE, PLS_TYPE, CHAR_LENGTH, CHAR_USED) of
    an argument; a PL/SQL argument carries no length (Oracle shows none either)."""
    k = t.t
    if k is T.NUMBER:
        if t.precision == 38 and t.scale == 0:
            return "NUMBER", 22, 38, 0, "BINARY_INTEGER", 0, None
        return "NUMBER", 22, None, None, "NUMBER", 0, None
    if k in (T.VARCHAR, T.CHAR, T.NVARCHAR, T.NCHAR):
        return k.value, None, None, None, k.value, 0, "B" if k in (T.VARCHAR, T.CHAR) else "C"
    if k is T.BOOLEAN:
        return "PL/SQL BOOLEAN", None, None, None, "BOOLEAN", 0, None
    return k.value, None, None, None, k.value, 0, None


def _declared(ref: TypeRef) -> tuple[str, None, None, None, str | None, int, None]:
    """The columns of an argument of a declared (non-scalar) type."""
    name = (ref.name or "").upper()
    if name == "SYS_REFCURSOR":
        return "REF CURSOR", None, None, None, None, 0, None
    return "PL/SQL RECORD" if ref.anchor == "ROWTYPE" else "UNDEFINED", None, None, None, None, 0, None


def _argument(owner: str, package: str | None, name: str, oid: int, overload: int | None, sub_id: int,
              p: PlParam | None, position: int, sequence: int, returns: TypeRef | None = None) -> Row:
    ref = returns if p is None else (p.ref or TypeRef(p.type))
    if ref is None:  # the row of a subprogram without arguments
        return (owner, name, package, oid, None if overload is None else str(overload), sub_id, None, 1, 0, 0, None,
                "N", None, None, "IN", None,
                None, None, None, None, None, None, None, None, None, None, 0, None, 0)
    columns = _type_columns(ref.sql) if ref.sql is not None else _declared(ref)
    dtype, length, precision, scale, pls, char_length, char_used = columns
    mode = "OUT" if p is None else {"IN OUT": "IN/OUT"}.get(p.mode, p.mode)
    defaulted = "Y" if p is not None and p.default is not None else "N"
    radix = 10 if dtype == "NUMBER" else None
    charset = "CHAR_CS" if char_used == "B" else "NCHAR_CS" if char_used == "C" else None
    return (owner, name, package, oid, None if overload is None else str(overload), sub_id,
            None if p is None else p.name, position, sequence, 0,
            dtype, defaulted, None, None, mode, length, precision, scale, radix, charset, None, None, None, None,
            None, pls, char_length, char_used, 0)


def _arguments(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for u in catalog.units.visible(who):
        if not u.valid:
            continue
        package = u.name if u.kind == "PACKAGE" else None
        for sub_id, sub in enumerate(signatures(u.tree), 1):
            sequence = 0
            if sub.returns is not None:
                sequence += 1
                rows.append(_argument(u.owner, package, sub.name, u.object_id, sub.overload, sub_id, None, 0,
                                      sequence, sub.returns))
            for position, p in enumerate(sub.params, 1):
                sequence += 1
                rows.append(_argument(u.owner, package, sub.name, u.object_id, sub.overload, sub_id, p, position,
                                      sequence))
            if sequence == 0:
                rows.append(_argument(u.owner, package, sub.name, u.object_id, sub.overload, sub_id, None, 1, 0))
    return rows


def _authid(u: Unit) -> str:
    """ALL_PROCEDURES.AUTHID: the unit's AUTHID clause (DEFINER for a trigger, which has none)."""
    return u.tree.authid if isinstance(u.tree, (CreateRoutine, PackageSpec)) else "DEFINER"


def _procedures(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []

    def row(u: Unit, proc: str | None, sub_id: int, overload: int | None) -> Row:
        return (u.owner, u.name, proc, u.object_id, sub_id, None if overload is None else str(overload), u.kind,
                "NO", "NO", None, None, "NO", "NO", "NO", _authid(u), "NO", 0, None)

    for u in catalog.units.visible(who):
        if u.kind in ("PROCEDURE", "FUNCTION", "TRIGGER"):
            rows.append(row(u, None, 1, None))
        elif u.kind == "PACKAGE":
            rows.append(row(u, None, 0, None))
            if u.valid:
                rows += [row(u, sub.name, i, sub.overload) for i, sub in enumerate(signatures(u.tree), 1)]
    return rows


def _trigger_type(t: TriggerDef) -> str:
    if t.timing in ("COMPOUND", "INSTEAD OF"):
        return t.timing
    return f"{t.timing} {'EACH ROW' if t.row else 'STATEMENT'}"


def _triggers(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for u in catalog.units.visible(who):
        t = u.tree
        if u.kind != "TRIGGER" or not isinstance(t, TriggerDef):
            continue
        # the timing points it has: a compound trigger's sections, else its own one
        points = {p for p, _ in t.sections} or {f"{t.timing} {'EACH ROW' if t.row else 'STATEMENT'}"}
        on_view = "INSTEAD OF EACH ROW" in points
        rows.append((u.owner, u.name, _trigger_type(t), " OR ".join(t.events), t.table.schema or u.owner,
                     "VIEW" if on_view else "TABLE", t.table.name, ", ".join(t.columns) or None,
                     t.referencing or "REFERENCING NEW AS NEW OLD AS OLD", t.when_text,
                     "ENABLED" if u.enabled else "DISABLED", t.description, "CALL" if t.body_text[:4].upper() == "CALL"
                     else "PL/SQL     ", t.body_text, "NO",
                     *("YES" if p in points else "NO" for p in ("BEFORE STATEMENT", "BEFORE EACH ROW", "AFTER EACH ROW",
                                                                 "AFTER STATEMENT", "INSTEAD OF EACH ROW")),
                     "YES", "NO"))
    return rows


#: View name -> its unit rows (dictionary.py adds them to its own table).
UNIT_ROWS: dict[str, Callable[[Catalog, Principal], list[Row]]] = {
    "ALL_SOURCE": _source,
    "ALL_ERRORS": _errors,
    "ALL_ARGUMENTS": _arguments,
    "ALL_PROCEDURES": _procedures,
    "ALL_TRIGGERS": _triggers,
}
