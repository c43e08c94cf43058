"""Cursor variables at run time: ``SYS_REFCURSOR`` and ``TYPE t IS REF CURSOR [RETURN
rowtype]``, ``OPEN cv FOR query | text [USING ...]``, FETCH, CLOSE and the attributes.

:class:`RefCursors` is a base of the interpreter (plsql_run.Runner), between the SQL
statements (plcursors.py) and the runner; FETCH, CLOSE and ``cv%FOUND`` come to it first
and go on to the explicit cursors' code when the name is no cursor variable.

* A cursor variable holds None (never opened) or a ``cursorstate.CursorState``, which
  assignment and parameter passing share: variables assigned from one another fetch from
  one cursor, and OPEN of an open one closes its query first, as in Oracle.
* The rows stream from the engine as they are fetched.  Before the session writes (DML,
  COMMIT, ROLLBACK, EXECUTE IMMEDIATE) every open cursor variable's remaining rows are read
  into memory (``OpenCursors.settle``), so what a cursor returns is what its query saw
  when it ran, and no open engine cursor stands in the way of DDL.
* The session holds at most ``OpenCursors.limit`` open (ORA-01000 beyond, the OPEN_CURSORS
  the server advertises); the cursors a call opened are closed when it ends
  (:meth:`RefCursors.release`): none escapes, since no cursor value reaches a host bind
  (REF CURSOR binds are refused on the wire, ORA-03115) or SQL.
* A strong type's cursor must be open on rows of its RETURN type (ORA-06504, checked at
  OPEN and when a cursor is assigned or passed), and a FETCH into targets that do not fit
  the row is ORA-06504 too (ROWTYPE_MISMATCH, which handlers can catch).
"""

from __future__ import annotations

from .. import errors
from ..errors import pls_error
from ..syntax.nodes import Select, TypeRef
from ..syntax.parser import parse
from ..syntax.plnodes import PlClose, PlExecute, PlFetch, PlOpenFor, RefCursorTypeDecl
from .cursorstate import CursorState
from .plcursors import SqlStatements, dynamic_text
from .plsql_scope import Frame, TypeName, Var
from .plsql_values import CollectionType, PlCollection, PlRecord, PlType, RecordType, RefCursorType, type_name
from .results import Result
from .routines import Host

__all__ = ["RefCursors"]


class RefCursors(SqlStatements):
    """The interpreter's cursor variables (a base of plsql_run.Runner)."""

    def __init__(self, session: Host) -> None:
        super().__init__(session)
        #: The cursors this call opened and has not closed (an insertion-ordered set, at most the
        #: session's ceiling): closed by release().
        self.opened: dict[CursorState, None] = {}

    def release(self) -> None:
        """Close every cursor this call opened (the end of the top-level call)."""
        cursors = self.session.cursors
        for cursor in self.opened:
            cursors.close(cursor)
        self.opened.clear()

    # ---- declarations -------------------------------------------------------------------------
    def declare_other(self, d: object, f: Frame) -> None:
        if not isinstance(d, RefCursorTypeDecl):
            super().declare_other(d, f)
            return
        row: RecordType | None = None
        if d.returns is not None:
            t = self.resolve_type(d.returns, f)
            if not isinstance(t, RecordType):
                raise pls_error(d.returns.pos, f.source, f"PLS-00362: invalid cursor return type; "
                                                         f"'{type_name(t)}' must be a record type")
            row = t
        f.scope.names[d.name] = TypeName(RefCursorType(d.name, row))

    def resolve_type(self, ref: TypeRef, f: Frame) -> PlType:
        """``cv%ROWTYPE`` of a strong cursor variable: its RETURN type."""
        if ref.anchor == "ROWTYPE" and ref.name is not None and "." not in ref.name:
            var = self.cursor_variable(ref.name, f)
            if var is not None:
                assert isinstance(var.type, RefCursorType)
                if var.type.row is None:
                    raise pls_error(ref.pos, f.source, f"PLS-00320: the declaration of the type of this "
                                                       f"expression is incomplete or malformed")
                return var.type.row
        return super().resolve_type(ref, f)

    @staticmethod
    def cursor_variable(name: str, f: Frame) -> Var | None:
        """The cursor variable ``name`` names, or None when it names something else."""
        found = f.scope.find(name)
        if isinstance(found, Var) and isinstance(found.type, RefCursorType):
            return found
        return None

    # ---- OPEN FOR -----------------------------------------------------------------------------
    def open_for(self, item: PlOpenFor, f: Frame) -> None:
        """OPEN cv FOR ...: the variable's cursor (a new one if it has none) runs the query;
        an open one is closed first."""
        var = None if item.host else f.scope.find(item.cursor)
        if item.host or (isinstance(var, Var) and not isinstance(var.type, RefCursorType)):
            got = "CHAR" if not isinstance(var, Var) else type_name(var.type)
            raise errors.inconsistent_types("CURSOR", got)
        if not isinstance(var, Var):
            raise pls_error(item.pos, f.source, f"PLS-00201: identifier '{item.cursor}' must be declared")
        t = var.type
        assert isinstance(t, RefCursorType)
        if var.constant:
            raise pls_error(item.pos, f.source, f"PLS-00361: IN cursor '{item.cursor}' cannot be OPEN'ed")
        if t.row is not None and item.query is None:
            raise pls_error(item.pos, f.source, f"PLS-00455: cursor '{item.cursor}' cannot be used in dynamic SQL "
                                                "OPEN statement")
        cursor = var.value if isinstance(var.value, CursorState) else CursorState()
        registry = self.session.cursors
        registry.opening(cursor)  # ORA-01000 before any query runs
        self.opened[cursor] = None
        try:
            result = self.query(item.query, f) if item.query is not None else self._dynamic(item, f)
            cursor.open(result)
            if t.row is not None and not cursor.fits(t.row):
                raise errors.ora(6504)
        except BaseException:
            registry.close(cursor)
            raise
        var.value = cursor

    def _dynamic(self, item: PlOpenFor, f: Frame) -> Result:
        """OPEN FOR text USING ...: the text must be a query; arguments bind by position."""
        assert item.text is not None
        text, names, block = dynamic_text(self.value(item.text, f))
        if block or not isinstance(parse(text), Select):
            raise errors.invalid_sql("OPEN FOR takes a query")
        if len(item.using) < len(names):
            raise errors.ora(1008)
        if len(item.using) > len(names):
            raise errors.ora(1006)
        values = [self.value(arg, f) for arg in item.using]
        if any(isinstance(v, (PlRecord, PlCollection, CursorState)) for v in values):
            raise pls_error(item.pos, f.source, "PLS-00457: expressions have to be of SQL types")
        return self.recursive(text, values, names)

    # ---- FETCH, CLOSE, attributes -------------------------------------------------------------
    def _open_cursor(self, name: str, f: Frame) -> CursorState | None:
        """The open cursor of cursor variable ``name`` (ORA-01001 when it has none open); None
        when ``name`` is no cursor variable (an explicit cursor's, then)."""
        var = self.cursor_variable(name, f)
        if var is None:
            return None
        cursor = var.value
        if not isinstance(cursor, CursorState) or cursor.rows is None:
            raise errors.ora(1001)
        return cursor

    def fetch_cursor(self, item: PlFetch, f: Frame) -> None:
        cursor = self._open_cursor(item.cursor, f)
        if cursor is None:
            super().fetch_cursor(item, f)
            return
        if not self._fits_targets(item, cursor, f):
            raise errors.ora(6504)
        self.fetch_from(cursor, item, f)

    def _fits_targets(self, item: PlFetch, cursor: CursorState, f: Frame) -> bool:
        """Whether a row of ``cursor`` goes into the FETCH's targets: one per column, or a record
        (a collection of records for BULK COLLECT) with a field per column."""
        width = len(cursor.names)
        if len(item.into) != 1:
            return len(item.into) == width
        target = item.into[0]
        t = self.target_type(target, f)
        if item.bulk and isinstance(t, CollectionType):
            t = t.element
        if isinstance(t, RecordType):
            return len(t.fields) == width
        return width == 1

    def close_cursor(self, item: PlClose, f: Frame) -> None:
        cursor = self._open_cursor(item.cursor, f)
        if cursor is None:
            super().close_cursor(item, f)
            return
        self.session.cursors.close(cursor)
        self.opened.pop(cursor, None)  # so that the set stays within the session's ceiling

    def cursor_attribute(self, name: str, f: Frame, pos: int) -> object:
        variable, _, attr = name.partition("%")
        var = self.cursor_variable(variable, f) if not attr.startswith("BULK_") else None
        if var is None:
            return super().cursor_attribute(name, f, pos)
        cursor = var.value
        if isinstance(cursor, CursorState):
            return cursor.attribute(attr)
        if attr == "ISOPEN":
            return False
        raise errors.ora(1001)

    # ---- writes -------------------------------------------------------------------------------
    def settle_cursors(self) -> None:
        """Before the session writes: open cursor variables stop streaming (module docstring)."""
        self.session.cursors.settle()

    def execute_immediate(self, item: PlExecute, f: Frame) -> None:
        self.settle_cursors()
        super().execute_immediate(item, f)
