"""The Oracle subset as dataclasses: expressions and statements (parser.py builds them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types.datatypes import SqlType
from .nodes_type import AlterType, CreateType, CreateTypeBody, DropType
from .nodes_merge import Merge, MultiInsert
from .nodes_dcl import AlterUser, CreateEdition, DropEdition, CreateRole, CreateSynonym, CreateUser, DropRole, DropSynonym, DropUser, GrantStmt

__all__ = [
    "Expr", "Lit", "Bind", "Col", "Pseudo", "Unary", "Chain", "Func", "Cast", "Case", "Compare", "Logic", "Not",
    "IsNull", "InList", "Like", "Between", "SelectItem", "OrderItem", "Select", "Returning", "Insert", "Update",
    "Delete",
    "ColumnSpec", "ConstraintSpec", "CreateTable", "DropTable", "Truncate", "Commit", "Rollback",
    "AlterSession", "KillSession", "PlAssign", "PlSleep", "PlNull", "PlCall", "PlReturn", "PlSql", "PlStatement",
    "PlBlock", "PlParam", "TypeRef", "CreateRoutine", "Statement", "TableRef", "CreateView", "DropView",
    "PackageSpec", "PackageBody", "TriggerDef", "UnitProblem", "CreateUnit", "DropUnit", "AlterUnit",
    "SeqRef", "SeqOptions", "IdentitySpec", "CreateIndex", "DropIndex", "Savepoint", "CommentOn", "CreateSequence", "DropSequence", "AlterSequence",
    # joins and subqueries
   "Subquery", "Exists", "InSelect", "QuantCompare", "DerivedTable", "Join", "FromSource", "OuterMark", "RowValue",
]


@dataclass(frozen=True, slots=True)
class Expr:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Lit(Expr):
    value: object  # storage form
    type: SqlType


@dataclass(frozen=True, slots=True)
class Bind(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class Col(Expr):
    name: str
    table: str | None = None
    #: ``a.b.c``: the first part (a schema in SQL; in PL/SQL possibly a record, ``r.f.g``).
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class Pseudo(Expr):
    name: str  # USER, SYSDATE, SYSTIMESTAMP, LEVEL, CURRENT_DATE, ...


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Chain(Expr):
    """A left-associative chain of one precedence level, ``first op x op y ...``: ``+ - ||``
    or ``* /``.  Flat (n-ary), so a 25,000-term chain is one node, not 25,000 levels."""

    first: Expr
    steps: tuple[tuple[str, Expr], ...]  # (operator, operand), left to right; never empty


@dataclass(frozen=True, slots=True)
class Func(Expr):
    name: str
    args: tuple[Expr, ...]
    star: bool = False
    distinct: bool = False
    #: ``name => value`` arguments after the positional ones (PL/SQL calls only).
    named: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True, slots=True)
class Cast(Expr):
    """``CAST(operand AS type)``."""

    operand: Expr
    type: SqlType


@dataclass(frozen=True, slots=True)
class Case(Expr):
    operand: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr | None


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Logic(Expr):
    """``t1 AND t2 AND ...`` or ``t1 OR t2 OR ...``, flat (n-ary: at least two terms)."""

    op: str  # AND / OR
    terms: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class IsNull(Expr):
    operand: Expr
    negate: bool


@dataclass(frozen=True, slots=True)
class InList(Expr):
    operand: Expr
    items: tuple[Expr, ...]
    negate: bool


@dataclass(frozen=True, slots=True)
class Like(Expr):
    operand: Expr
    pattern: Expr
    escape: Expr | None
    negate: bool


@dataclass(frozen=True, slots=True)
class Between(Expr):
    operand: Expr
    low: Expr
    high: Expr
    negate: bool


@dataclass(frozen=True, slots=True)
class SeqRef(Expr):
    """``[schema.]seq.NEXTVAL`` / ``.CURRVAL`` (sequences.py, seqsql.py)."""

    schema: str | None
    name: str
    op: str  # NEXTVAL or CURRVAL
    #: False: every evaluation draws a number (identity and column defaults), instead of
    #: one number per row shared by all the row's references (Oracle's rule for SQL text).
    per_row: bool = True


@dataclass(frozen=True, slots=True)
class SelectItem:
    expr: Expr | None  # None: "*" (or "t.*" with star_table)
    alias: str | None
    name: str  # derived column name (alias, column name, or squeezed source text)
    star_table: str | None = None


@dataclass(frozen=True, slots=True)
class OrderItem:
    expr: Expr
    desc: bool
    nulls_first: bool | None


@dataclass(frozen=True, slots=True)
class TableRef:
    schema: str | None
    name: str
    alias: str | None
    pos: int


@dataclass(frozen=True, slots=True)
class Select:
    items: tuple[SelectItem, ...]
    table: TableRef | DerivedTable  # the first FROM source (joins: the rest)
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    order_by: tuple[OrderItem, ...] = ()
    distinct: bool = False
    connect_limit: Expr | None = None  # CONNECT BY LEVEL <= limit
    connect_strict: bool = False  # CONNECT BY LEVEL < limit
    offset: Expr | None = None
    fetch: Expr | None = None
    for_update: bool = False
    joins: tuple[Join, ...] = ()  # see Join below
    #: A compound query's later branches, ``(operator, branch)``: UNION, UNION ALL, INTERSECT, MINUS (setops.py).
    setops: tuple[tuple[str, Select], ...] = ()


@dataclass(frozen=True, slots=True)
class Returning:
    """``RETURNING expr[, ...] INTO target[, ...]`` of a DML statement (as many
    targets as expressions).  Targets are binds, or in PL/SQL variables, record fields and
    collection elements (Col, Func, plnodes.PlField / PlIndexed)."""

    exprs: tuple[Expr, ...]
    into: tuple[Expr, ...]
    pos: int
    bulk: bool = False  # PL/SQL: RETURNING ... BULK COLLECT INTO collections


@dataclass(frozen=True, slots=True)
class Insert:
    table: TableRef
    columns: tuple[tuple[str, int], ...] | None
    values: tuple[Expr, ...] | None
    query: Select | None = None
    returning: Returning | None = None


@dataclass(frozen=True, slots=True)
class Update:
    table: TableRef
    assignments: tuple[tuple[str, int, Expr], ...]
    where: Expr | None
    returning: Returning | None = None


@dataclass(frozen=True, slots=True)
class Delete:
    table: TableRef
    where: Expr | None
    returning: Returning | None = None


@dataclass(frozen=True, slots=True)
class SeqOptions:
    """CREATE/ALTER SEQUENCE and identity options; None: not given."""

    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    nominvalue: bool = False
    nomaxvalue: bool = False
    cycle: bool | None = None
    cache: int | None = None  # 0: NOCACHE
    order: bool | None = None
    restart: bool = False  # ALTER SEQUENCE ... RESTART [START WITH n]


@dataclass(frozen=True, slots=True)
class IdentitySpec:
    always: bool
    on_null: bool
    options: SeqOptions


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    type: SqlType
    default: Expr | None
    not_null: bool
    pos: int
    identity: IdentitySpec | None = None
    default_text: str | None = None  # the DEFAULT expression as written


@dataclass(frozen=True, slots=True)
class ConstraintSpec:
    name: str | None
    kind: str  # PRIMARY KEY / UNIQUE / FOREIGN KEY
    columns: tuple[str, ...]
    #: FOREIGN KEY: the parent table, its columns (empty: its primary key) and the ON DELETE rule.
    references: TableRef | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str = "NO ACTION"  # or CASCADE / SET NULL
    #: CHECK: the condition and its source text.
    check: Expr | None = None
    check_text: str = ""


@dataclass(frozen=True, slots=True)
class CreateTable:
    table: TableRef
    columns: tuple[ColumnSpec, ...]
    constraints: tuple[ConstraintSpec, ...]
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropTable:
    table: TableRef
    if_exists: bool = False
    cascade: bool = False  # CASCADE CONSTRAINTS: drop the foreign keys of other tables that reference it


@dataclass(frozen=True, slots=True)
class Truncate:
    table: TableRef


@dataclass(frozen=True, slots=True)
class Commit:
    pass


@dataclass(frozen=True, slots=True)
class Rollback:
    to: str | None = None  # ROLLBACK TO [SAVEPOINT] name


@dataclass(frozen=True, slots=True)
class Savepoint:
    name: str


@dataclass(frozen=True, slots=True)
class CommentOn:
    """``COMMENT ON TABLE t IS '...'`` / ``COMMENT ON COLUMN t.c IS '...'`` (``column`` None for the table)."""

    table: TableRef
    column: str | None
    text: str


@dataclass(frozen=True, slots=True)
class AlterSession:
    settings: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class KillSession:
    sid: int
    serial: int
    immediate: bool = False  # IMMEDIATE, or DISCONNECT SESSION: no waiting for the session's next call


@dataclass(frozen=True, slots=True)
class PlAssign:
    target: str  # bind name, or a parameter / variable name when ``local``
    expr: Expr | PlCall  # PlCall: a function call with named arguments
    local: bool = False
    pos: int = 0
    #: What follows a local target: a record field (str) or a collection subscript (Expr),
    #: e.g. ``a(i).f := x`` is target "A" with path ``(i, "F")``.
    path: tuple[str | Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class PlSleep:
    seconds: Expr
    pos: int = 0


@dataclass(frozen=True, slots=True)
class PlNull:
    pos: int = 0


@dataclass(frozen=True, slots=True)
class PlCall:
    """``name(args);``: a procedure call (``name`` upper-cased, dotted for packages)."""

    name: str
    args: tuple[Expr, ...]
    named: tuple[tuple[str, Expr], ...]
    pos: int


@dataclass(frozen=True, slots=True)
class PlReturn:
    expr: Expr | None
    pos: int = 0


@dataclass(frozen=True, slots=True)
class PlSql:
    """A SQL statement inside a block (DML, COMMIT, ROLLBACK)."""

    stmt: Insert | Update | Delete | Commit | Rollback
    pos: int = 0


PlStatement = PlAssign | PlSleep | PlNull | PlCall | PlReturn | PlSql


@dataclass(frozen=True, slots=True)
class PlBlock:
    """An anonymous block: ``body`` is one ``plnodes.PlBlockStmt`` (its declarations,
    statements and handlers); the runtime dispatches on each statement's type."""

    body: tuple[object, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type as PL/SQL writes it: a built-in scalar (``sql``), a declared type or
    subtype (``name``, dotted for a package's), or an anchor ``name%TYPE`` /
    ``name%ROWTYPE`` (``anchor`` "TYPE" or "ROWTYPE"; ``name`` dotted, e.g. ``"EMP.SAL"``)."""

    sql: SqlType | None
    name: str | None = None
    anchor: str | None = None
    pos: int = 0


@dataclass(frozen=True, slots=True)
class PlParam:
    name: str
    mode: str  # IN, OUT or IN OUT
    type: SqlType  # the scalar type; a placeholder when ``ref`` names another type
    default: Expr | None = None
    ref: TypeRef | None = None  # the type as written when it is not a built-in scalar


@dataclass(frozen=True, slots=True)
class CreateRoutine:
    """CREATE [OR REPLACE] PROCEDURE / FUNCTION (``returns`` set for functions).

    ``body`` is one ``plnodes.PlBlockStmt``: the declarations after IS, the
    statements and the handlers.  Names are resolved when the routine runs."""

    schema: str | None
    name: str
    params: tuple[PlParam, ...]
    returns: SqlType | None
    variables: tuple[PlParam, ...]  # always empty: declarations are in the body's block
    body: tuple[object, ...]
    replace: bool
    pos: int
    source: str = ""  # the CREATE text (error positions)
    returns_ref: TypeRef | None = None  # the RETURN type as written when not a built-in scalar
    autonomous: bool = False  # PRAGMA AUTONOMOUS_TRANSACTION
    authid: str = "DEFINER"  # AUTHID DEFINER | CURRENT_USER (invoker's rights)


@dataclass(frozen=True, slots=True)
class PackageSpec:
    """CREATE PACKAGE: its public declarations (``plnodes.Decl``: variables, constants, types,
    exceptions, and its subprograms' headers as forward declarations)."""

    schema: str | None
    name: str
    decls: tuple[object, ...]
    authid: str = "DEFINER"  # AUTHID DEFINER | CURRENT_USER: every subprogram's rights


@dataclass(frozen=True, slots=True)
class PackageBody:
    """CREATE PACKAGE BODY: private declarations and every subprogram's body (``plnodes.Decl``),
    and the initialisation section (a ``plnodes.PlBlockStmt``, or nothing) run on a session's
    first use of the package."""

    schema: str | None
    name: str
    decls: tuple[object, ...]
    init: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class TriggerDef:
    """CREATE TRIGGER on a table or view: BEFORE / AFTER / INSTEAD OF / COMPOUND, the events (INSERT, UPDATE, DELETE; UPDATE OF
    ``columns``), FOR EACH ROW, WHEN, and the body as an anonymous block whose ``:NEW.col`` /
    ``:OLD.col`` references are binds named ``NEW.COL`` / ``OLD.COL`` (REFERENCING applied) and
    whose INSERTING / UPDATING / DELETING are the binds ``INSERTING`` ... compared with 1."""

    timing: str
    events: tuple[str, ...]
    columns: tuple[str, ...]
    table: TableRef
    row: bool
    when: Expr | None
    when_text: str | None
    referencing: str | None
    body: PlBlock
    #: ALL_TRIGGERS.DESCRIPTION (the header from the name to the body) and TRIGGER_BODY.
    description: str = ""
    body_text: str = ""
    #: Where the body starts in the CREATE text: its line 1 in ORA-06512 lines.
    body_pos: int = 0
    #: FOLLOWS: the triggers (``"SCHEMA.NAME"``; the schema filled in at CREATE) this one fires after.
    follows: tuple[str, ...] = ()
    #: A COMPOUND TRIGGER (``timing`` "COMPOUND"): its timing-point sections ("BEFORE STATEMENT",
    #: "BEFORE EACH ROW", "AFTER EACH ROW", "AFTER STATEMENT", "INSTEAD OF EACH ROW"), each a
    #: block run in the scope of ``body``'s declarations, which live for one statement.
    sections: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class UnitProblem:
    """A compile error of a unit's text: ``pos`` in the CREATE text, ``text`` as ALL_ERRORS
    shows it (``PLS-00103: ...``)."""

    pos: int
    text: str


@dataclass(frozen=True, slots=True)
class CreateUnit:
    """CREATE [OR REPLACE] PROCEDURE / FUNCTION / PACKAGE [BODY] / TRIGGER: the unit's source
    (from the kind keyword on, starting at ``offset`` of the CREATE text) and, when it parsed,
    its ``tree`` (CreateRoutine, PackageSpec, PackageBody or TriggerDef); ``problems`` are its
    compile errors (the unit is then stored INVALID)."""

    kind: str
    schema: str | None
    name: str
    replace: bool
    source: str
    offset: int
    tree: CreateRoutine | PackageSpec | PackageBody | TriggerDef | None
    problems: tuple[UnitProblem, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class DropUnit:
    """DROP PROCEDURE / FUNCTION / PACKAGE [BODY] / TRIGGER."""

    schema: str | None
    name: str
    kind: str
    pos: int


@dataclass(frozen=True, slots=True)
class AlterUnit:
    """ALTER TRIGGER name ENABLE / DISABLE, ALTER PROCEDURE / FUNCTION / PACKAGE / TRIGGER name
    COMPILE."""

    schema: str | None
    name: str
    kind: str
    action: str
    pos: int


@dataclass(frozen=True, slots=True)
class CreateIndex:
    """``CREATE [UNIQUE] INDEX [schema.]name ON [schema.]table (col, ...)`` (indexes.py)."""

    schema: str | None
    name: str
    table: TableRef
    columns: tuple[tuple[str, int], ...]
    unique: bool
    pos: int


@dataclass(frozen=True, slots=True)
class DropIndex:
    schema: str | None
    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class CreateSequence:
    schema: str | None
    name: str
    options: SeqOptions
    pos: int
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropSequence:
    schema: str | None
    name: str
    pos: int
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class AlterSequence:
    schema: str | None
    name: str
    options: SeqOptions
    pos: int


@dataclass(frozen=True, slots=True)
class CreateView:
    """``CREATE [OR REPLACE] [[NO]FORCE] VIEW name [(col, ...)] AS query [WITH CHECK OPTION | WITH READ ONLY]``
    (catalog/userviews.py runs it).  ``text``: the query as written (ALL_VIEWS.TEXT)."""

    view: TableRef
    columns: tuple[str, ...]
    query: Select
    text: str
    or_replace: bool = False
    check_option: bool = False
    read_only: bool = False


@dataclass(frozen=True, slots=True)
class DropView:
    """``DROP VIEW name [CASCADE CONSTRAINTS]``."""

    view: TableRef


Statement = (
    Select | Insert | Update | Delete | CreateTable | DropTable | Truncate | Commit | Rollback | AlterSession
    | KillSession | PlBlock | CreateSequence | DropSequence | AlterSequence
    | CreateIndex | DropIndex | Savepoint | CommentOn | CreateView | DropView | CreateUnit | DropUnit | AlterUnit
    | CreateType | CreateTypeBody | DropType | AlterType
    | CreateUser | AlterUser | DropUser | CreateRole | DropRole | GrantStmt | CreateSynonym | DropSynonym
    | CreateEdition | DropEdition | Merge | MultiInsert
)


# ---- joins and subqueries (parser_query.py builds them, joins.py and subqueries.py translate them) ----
@dataclass(frozen=True, slots=True)
class Subquery(Expr):
    """``(SELECT ...)`` used as a value (a scalar subquery)."""

    query: Select


@dataclass(frozen=True, slots=True)
class Exists(Expr):
    query: Select


@dataclass(frozen=True, slots=True)
class InSelect(Expr):
    """``operand [NOT] IN (SELECT ...)``."""

    operand: Expr
    query: Select
    negate: bool


@dataclass(frozen=True, slots=True)
class QuantCompare(Expr):
    """``left op ANY|SOME|ALL (SELECT ...)`` or ``(value, ...)`` (``query`` None, ``items`` set)."""

    op: str
    quantifier: str  # ANY or ALL (SOME is ANY)
    left: Expr
    query: Select | None
    items: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class DerivedTable:
    """An inline view: ``(SELECT ...) [alias]`` in FROM."""

    query: Select
    alias: str | None
    pos: int


FromSource = TableRef | DerivedTable


@dataclass(frozen=True, slots=True)
class Join:
    """One more FROM source joined to the ones before it.

    ``kind``: COMMA, CROSS, INNER, LEFT, RIGHT or FULL; ``natural`` for NATURAL
    joins; ``on`` / ``using`` (column name, position) as written."""

    kind: str
    source: FromSource
    on: Expr | None
    using: tuple[tuple[str, int], ...] | None
    pos: int
    natural: bool = False


@dataclass(frozen=True, slots=True)
class OuterMark(Expr):
    """``col(+)``: Oracle's old outer-join operator (only in WHERE join conditions)."""

    col: Col


@dataclass(frozen=True, slots=True)
class RowValue(Expr):
    """``(a, b, ...)``: only as the left side of ``IN (SELECT ...)``."""

    items: tuple[Expr, ...]
