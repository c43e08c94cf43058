"""What a DECLARE section does at run time: types resolved (``%TYPE`` and
``%ROWTYPE`` against variables and the catalog), variables initialized,
exceptions and local subprograms entered into the block's scope; and the
conversion of a value to a declared type (:meth:`Declarer.coerce`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .. import errors
from ..errors import OraError, pls_error
from ..syntax.nodes import TypeRef
from ..syntax.plnodes import (
    AutonomousPragma, CollectionTypeDecl, Decl, ExceptionDecl, ExceptionInit, RecordTypeDecl, SubprogramDecl,
    SubtypeDecl, VarDecl,
)
from ..types.datatypes import NUMBER, SqlType, T, from_storage, number_bytes
from ..types.numbers import CONTEXT, num
from .plsql_eval import Evaluator
from .plsql_scope import ExceptionDef, Frame, Subprogram, TypeName, Var
from .objvalues import stored_type
from .cursorstate import CursorState
from .plsql_values import (CollectionType, PlCollection, PlRecord, PlType, RecordType, RefCursorType, copy_value,
                           from_host_array, initial)
from .routines import coerce_value

__all__ = ["Declarer"]


class Declarer(Evaluator):
    # ---- declarations -------------------------------------------------------------------------
    def declare(self, decls: tuple[Decl, ...], f: Frame) -> None:
        names = f.scope.names
        for d in decls:
            if isinstance(d, SubprogramDecl):
                self._declare_subprogram(d, f)
                continue
            if isinstance(d, ExceptionInit):
                found = names.get(d.name)
                if not isinstance(found, ExceptionDef):
                    raise pls_error(d.pos, f.source, "PLS-00109: unknown exception name in PRAGMA EXCEPTION_INIT")
                found.code = 1403 if d.code == 100 else -d.code
                continue
            if isinstance(d, AutonomousPragma):
                f.autonomous = True
                continue
            if d.name in names:
                raise pls_error(d.pos, f.source, f"PLS-00371: at most one declaration for '{d.name}' is permitted")
            if isinstance(d, VarDecl):
                t, not_null = self._type_and_not_null(d.type, f)
                not_null = not_null or d.not_null
                if d.default is None:
                    if not_null:
                        raise pls_error(d.pos, f.source, "PLS-00218: a variable declared NOT NULL must have an "
                                                         "initialization assignment")
                    value = initial(t)
                else:
                    value = self.coerce(copy_value(self.value(d.default, f)), t, not_null)
                names[d.name] = Var(t, value, constant=d.constant, not_null=not_null)
            elif isinstance(d, RecordTypeDecl):
                fields: list[tuple[str, PlType]] = []
                defaults: list[tuple[str, object]] = []
                for fd in d.fields:
                    ft = self._not_cursor(self.resolve_type(fd.type, f), fd.type.pos, f)
                    fields.append((fd.name, ft))
                    if fd.default is not None:
                        defaults.append((fd.name, self.coerce(self.value(fd.default, f), ft, fd.not_null)))
                not_nulls = frozenset(fd.name for fd in d.fields if fd.not_null)
                names[d.name] = TypeName(RecordType(d.name, tuple(fields), not_nulls, tuple(defaults)))
            elif isinstance(d, CollectionTypeDecl):
                element = self._not_cursor(self.resolve_type(d.element, f), d.pos, f)
                names[d.name] = TypeName(CollectionType(d.name, d.kind, element, d.index, d.limit, d.not_null))
            elif isinstance(d, SubtypeDecl):
                t, not_null = self._type_and_not_null(d.type, f)
                names[d.name] = TypeName(t, not_null or d.not_null)
            elif isinstance(d, ExceptionDecl):
                names[d.name] = ExceptionDef(d.name)
            else:
                self.declare_other(d, f)

    @staticmethod
    def _not_cursor(t: PlType, pos: int, f: Frame) -> PlType:
        """A field's or element's type: no REF CURSOR (cursors live in variables only)."""
        if isinstance(t, RefCursorType):
            raise pls_error(pos, f.source, "PLS-00989: Cursor Variable in record, object, or collection is not "
                                           "supported by this release")
        return t

    def declare_other(self, d: object, f: Frame) -> None:
        """Hook: a declaration this module does not know (a cursor's, say)."""
        raise errors.internal(f"no runtime for the declaration {type(d).__name__}")

    def _declare_subprogram(self, d: SubprogramDecl, f: Frame) -> None:
        found = f.scope.names.get(d.name)
        if found is None:
            first = Subprogram(d, f.scope, f)
            first.overloads.append(first)
            f.scope.names[d.name] = first
            return
        if not isinstance(found, Subprogram):
            raise pls_error(d.pos, f.source, f"PLS-00371: at most one declaration for '{d.name}' is permitted")
        signature = _signature(d)
        for known in found.overloads:
            if _signature(known.decl) == signature:
                if known.decl.block is not None or d.block is None:
                    raise pls_error(d.pos, f.source, f"PLS-00305: previous use of '{d.name}' conflicts with "
                                                     "this use")
                known.decl = d  # the body of a forward declaration
                return
        found.overloads.append(Subprogram(d, f.scope, f))  # an overload: another parameter list

    # ---- types --------------------------------------------------------------------------------
    def _type_and_not_null(self, ref: TypeRef, f: Frame) -> tuple[PlType, bool]:
        if ref.sql is None and ref.anchor is None and ref.name is not None:
            found = f.scope.find(ref.name)
            if isinstance(found, TypeName):
                return found.type, found.not_null
        return self.resolve_type(ref, f), False

    def resolve_type(self, ref: TypeRef, f: Frame) -> PlType:
        """The type ``ref`` names in ``f``'s scope (PLS-00201 when it names nothing)."""
        if ref.sql is not None:
            return ref.sql
        name = ref.name or ""
        missing = pls_error(ref.pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        parts = name.split(".")
        found = f.scope.find(parts[0])
        if ref.anchor is None:
            if isinstance(found, TypeName) and len(parts) == 1:
                return found.type
            named = self.named_type(name, f)
            if named is None:
                raise missing
            return named
        if isinstance(found, Var):
            t: PlType = found.type
            for part in parts[1:]:
                inner = t.field_type(part) if isinstance(t, RecordType) else None
                if inner is None:
                    raise missing
                t = inner
            if ref.anchor == "ROWTYPE" and not isinstance(t, RecordType):
                raise missing
            return t
        want = 1 if ref.anchor == "ROWTYPE" else 2
        if len(parts) not in (want, want + 1):
            raise missing
        schema = parts[0] if len(parts) > want else None
        table_name = parts[-want]
        try:
            table = self.session.db.catalog.table(schema, table_name, self.session.principal, ref.pos)
        except OraError:
            raise missing from None
        if ref.anchor == "ROWTYPE":
            return RecordType(table_name, tuple((c.name, c.type) for c in table.columns))
        column = table.column(parts[-1])
        if column is None:
            raise missing
        return column.type

    def named_type(self, name: str, f: Frame) -> PlType | None:
        """A type no scope declares (a package's, say); None: unknown."""
        return stored_type(self.session.db.catalog, self.session.principal, name)

    # ---- conversion ---------------------------------------------------------------------------
    def coerce(self, value: object, t: PlType, not_null: bool = False) -> object:
        """``value`` as a variable of type ``t`` holds it (ORA-06502 when it does not fit)."""
        if isinstance(t, RecordType):
            return self._record(value, t)
        if isinstance(t, CollectionType):
            if value is None and t.kind != "ASSOC":
                return None
            if isinstance(value, PlCollection) and value.type is t:
                return value
            if isinstance(value, list):  # an array bind's host array
                return from_host_array(value, t, lambda v: self.coerce(v, t.element, t.element_not_null))
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        if isinstance(t, RefCursorType):
            return self._cursor(value, t)
        if isinstance(value, (PlRecord, PlCollection, list, CursorState)):
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        if (t.t is T.BOOLEAN) != isinstance(value, bool) and value is not None:
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        result = coerce_value(value, t)
        if t.t in (T.CHAR, T.NCHAR) and isinstance(result, str) and t.size:
            result = result.ljust(t.size)  # CHAR(n) holds n characters, blank-padded
        if t.t is T.NUMBER and result is not None and t.scale != -127 and not isinstance(result, float):
            result = _fit_number(result, t)
        if result is None and not_null:
            raise errors.value_error()
        return result

    @staticmethod
    def _cursor(value: object, t: RefCursorType) -> CursorState | None:
        """A cursor variable's value: the cursor shared, not copied; a strong type's cursor must
        be open on rows of its RETURN type (ORA-06504)."""
        if value is None:
            return None
        if not isinstance(value, CursorState):
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        if t.row is not None and not value.fits(t.row):
            raise errors.ora(6504)
        return value

    def _record(self, value: object, t: RecordType) -> PlRecord | None:
        if value is None:
            return None if t.ATOMIC else PlRecord(t, {name: initial(ft) for name, ft in t.fields})
        if not isinstance(value, PlRecord) or len(value.values) != len(t.fields):
            raise errors.pls_unplaced("PLS-00382: expression is of wrong type")
        if value.type is t:
            return value
        # Records of different types with the same shape: field by field, in order.
        return PlRecord(t, {name: self.coerce(v, ft, name in t.not_null)
                            for (name, ft), v in zip(t.fields, value.values.values())})


def _fit_number(value: object, t: SqlType) -> object:
    """A number rounded to ``t``'s scale (ORA-06502 when its precision is too small)."""
    d = num(value)
    assert d is not None
    scale = t.scale
    try:
        d = d.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=CONTEXT)
    except InvalidOperation:
        raise errors.value_error("precision") from None
    if t.precision and d != 0 and d.adjusted() >= t.precision - scale:
        raise errors.value_error("precision")
    return from_storage(number_bytes(d), NUMBER)


def _signature(d: SubprogramDecl) -> tuple[object, ...]:
    """What tells overloads apart: the parameters' names, modes and types as written, and
    whether it is a function."""
    return (d.returns is not None, *((p.name, p.mode, p.ref or p.type) for p in d.params))
