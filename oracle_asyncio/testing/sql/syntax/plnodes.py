"""PL/SQL's own syntax tree: declarations, type specifications, blocks, control
flow and exception handlers (parser_pldecl.py and parser_plstmt.py build them;
runtime/plsql_run.py runs them).  The simple statements (NULL, assignments,
calls, DML, RETURN) are in nodes.py.

Names in expressions are not resolved here: a PL/SQL variable is a ``Col`` (or
``Col(table=record)`` for ``r.f``), an element or a local function call a
``Func``, and ``x(i).f`` a :class:`PlField`; the runtime resolves them against
the scopes that are live when the expression runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types.datatypes import SqlType
from .nodes import Expr, PlParam, PlSql, Select, TypeRef

__all__ = [
    "TypeRef", "VarDecl", "FieldDecl", "RecordTypeDecl", "CollectionTypeDecl", "SubtypeDecl", "ExceptionDecl",
    "ExceptionInit", "AutonomousPragma", "SubprogramDecl", "Decl", "Handler", "PlBlockStmt", "PlIf", "PlCaseStmt",
    "PlLoop", "PlWhile", "PlFor", "PlExit", "PlRaise", "PlField", "PlIndexed", "PlPower", "PlControl",
    "PlQuery", "PlSelectInto", "PlCursorDecl", "RefCursorTypeDecl", "PlOpen", "PlOpenFor", "PlFetch", "PlClose", "PlCursorLoop", "PlExecute", "PlForall",
]


@dataclass(frozen=True, slots=True)
class VarDecl:
    name: str
    type: TypeRef
    constant: bool
    not_null: bool
    default: Expr | None
    pos: int


@dataclass(frozen=True, slots=True)
class FieldDecl:
    name: str
    type: TypeRef
    not_null: bool
    default: Expr | None


@dataclass(frozen=True, slots=True)
class RecordTypeDecl:
    """``TYPE name IS RECORD (field type [NOT NULL] [:= default], ...)``."""

    name: str
    fields: tuple[FieldDecl, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class CollectionTypeDecl:
    """``TYPE name IS TABLE OF t [INDEX BY key]`` (kind ASSOC with ``index``, or NESTED)
    or ``TYPE name IS VARRAY(limit) OF t`` (kind VARRAY)."""

    name: str
    kind: str  # ASSOC, NESTED or VARRAY
    element: TypeRef
    index: SqlType | None
    limit: int | None
    pos: int
    not_null: bool = False  # OF t NOT NULL


@dataclass(frozen=True, slots=True)
class RefCursorTypeDecl:
    """``TYPE name IS REF CURSOR [RETURN type]`` (``returns`` None: a weak type)."""

    name: str
    returns: TypeRef | None
    pos: int


@dataclass(frozen=True, slots=True)
class SubtypeDecl:
    name: str
    type: TypeRef
    not_null: bool
    pos: int


@dataclass(frozen=True, slots=True)
class ExceptionDecl:
    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class ExceptionInit:
    """``PRAGMA EXCEPTION_INIT(name, -n)``: ``code`` as written (negative; 100 for NO_DATA_FOUND)."""

    name: str
    code: int
    pos: int


@dataclass(frozen=True, slots=True)
class AutonomousPragma:
    pos: int


@dataclass(frozen=True, slots=True)
class SubprogramDecl:
    """A procedure or function declared in a DECLARE section (``block`` None: a
    forward declaration).  ``returns`` is set for functions."""

    name: str
    params: tuple[PlParam, ...]
    returns: TypeRef | None
    block: PlBlockStmt | None
    pos: int


# ---- SQL inside PL/SQL (parser_plsql_sql.py builds them, runtime/plcursors.py runs them) ----------
@dataclass(frozen=True, slots=True)
class PlQuery:
    """A query inside PL/SQL: its names are bound when it runs, where a column wins over a
    variable of the same name (parse-time binding stops here)."""

    select: Select


@dataclass(frozen=True, slots=True)
class PlSelectInto:
    """``SELECT ... [BULK COLLECT] INTO target[, ...] FROM ...``."""

    query: PlQuery
    into: tuple[Expr, ...]
    bulk: bool
    pos: int


@dataclass(frozen=True, slots=True)
class PlCursorDecl:
    """``CURSOR name [(param type, ...)] IS query;`` in a declaration section."""

    name: str
    params: tuple[PlParam, ...]
    query: PlQuery
    pos: int


@dataclass(frozen=True, slots=True)
class PlOpen:
    """``OPEN cursor [(args)]``."""

    cursor: str
    args: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class PlOpenFor:
    """``OPEN cursor_variable FOR query`` (``query`` set) or ``OPEN cursor_variable FOR text
    [USING arg, ...]`` (``text`` set); ``host``: the variable is a bind (``OPEN :c FOR``)."""

    cursor: str
    query: PlQuery | None
    text: Expr | None
    using: tuple[Expr, ...]
    pos: int
    host: bool = False


@dataclass(frozen=True, slots=True)
class PlFetch:
    """``FETCH cursor [BULK COLLECT] INTO target[, ...] [LIMIT n]``."""

    cursor: str
    into: tuple[Expr, ...]
    bulk: bool
    limit: Expr | None
    pos: int


@dataclass(frozen=True, slots=True)
class PlClose:
    cursor: str
    pos: int


@dataclass(frozen=True, slots=True)
class PlCursorLoop:
    """``FOR record IN cursor[(args)] | (query) LOOP body END LOOP``."""

    record: str
    cursor: str | None  # None: the inline ``query``
    args: tuple[Expr, ...]
    query: PlQuery | None
    body: tuple[object, ...]
    pos: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PlExecute:
    """``EXECUTE IMMEDIATE text [[BULK COLLECT] INTO ...] [USING [IN|OUT|IN OUT] arg, ...]
    [RETURNING INTO ...]`` (``using``: (mode, argument) pairs)."""

    text: Expr
    into: tuple[Expr, ...]
    bulk: bool
    using: tuple[tuple[str, Expr], ...]
    returning: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class PlForall:
    """``FORALL i IN low .. high | INDICES OF coll [BETWEEN low AND high] | VALUES OF coll
    [SAVE EXCEPTIONS] statement`` (``of``: None, INDICES or VALUES)."""

    index: str
    low: Expr | None
    high: Expr | None
    of: str | None
    collection: Expr | None
    save_exceptions: bool
    stmt: PlSql | PlExecute
    pos: int


Decl = (VarDecl | RecordTypeDecl | CollectionTypeDecl | RefCursorTypeDecl | SubtypeDecl | ExceptionDecl | ExceptionInit
        | AutonomousPragma | SubprogramDecl | PlCursorDecl)


@dataclass(frozen=True, slots=True)
class Handler:
    """``WHEN a OR b THEN ...``; ``names`` holds ``"OTHERS"`` for WHEN OTHERS."""

    names: tuple[str, ...]
    body: tuple[object, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class PlBlockStmt:
    """``[<<label>>] [DECLARE decls] BEGIN body [EXCEPTION handlers] END``: an anonymous
    block's outer block, a nested block, or a subprogram's body."""

    decls: tuple[Decl, ...]
    body: tuple[object, ...]
    handlers: tuple[Handler, ...]
    pos: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PlIf:
    branches: tuple[tuple[Expr, tuple[object, ...]], ...]  # IF / ELSIF conditions and their statements
    otherwise: tuple[object, ...] | None
    pos: int


@dataclass(frozen=True, slots=True)
class PlCaseStmt:
    """The CASE statement: simple (``operand`` set) or searched; no branch taken and no
    ELSE is CASE_NOT_FOUND (ORA-06592)."""

    operand: Expr | None
    whens: tuple[tuple[Expr, tuple[object, ...]], ...]
    otherwise: tuple[object, ...] | None
    pos: int


@dataclass(frozen=True, slots=True)
class PlLoop:
    body: tuple[object, ...]
    pos: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PlWhile:
    condition: Expr
    body: tuple[object, ...]
    pos: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PlFor:
    """Numeric ``FOR var IN [REVERSE] low .. high LOOP``."""

    var: str
    reverse: bool
    low: Expr
    high: Expr
    body: tuple[object, ...]
    pos: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class PlExit:
    """``EXIT [label] [WHEN cond]`` or ``CONTINUE [label] [WHEN cond]``."""

    label: str | None
    when: Expr | None
    is_continue: bool
    pos: int


@dataclass(frozen=True, slots=True)
class PlRaise:
    """``RAISE name`` (dotted for a package's exception) or a bare ``RAISE`` (``name`` None)."""

    name: str | None
    pos: int


@dataclass(frozen=True, slots=True)
class PlField(Expr):
    """``base.name`` where ``base`` is not a plain name: ``a(i).f``, ``r.f.g``."""

    base: Expr
    name: str


@dataclass(frozen=True, slots=True)
class PlPower(Expr):
    """PL/SQL's exponentiation ``base ** exponent`` (SQL has none)."""

    base: Expr
    exponent: Expr


@dataclass(frozen=True, slots=True)
class PlIndexed(Expr):
    """``base(i)`` where ``base`` is not a plain name: ``r.tab(i)``, ``a(i)(j)``."""

    base: Expr
    args: tuple[Expr, ...]


#: The statements this module adds to nodes.PlStatement (runtime/plsql_run.py runs each).
PlControl = (PlBlockStmt | PlIf | PlCaseStmt | PlLoop | PlWhile | PlFor | PlExit | PlRaise
             | PlSelectInto | PlOpen | PlOpenFor | PlFetch | PlClose | PlCursorLoop | PlExecute | PlForall)
