"""The catalog's objects: principals, tables, columns, constraints, indexes, the built-in
virtual tables, and the per-execution :class:`Context` the SQL can see (tables.py holds them)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..types.datatypes import NUMBER, SqlType, T
from ..syntax.nodes import CreateView, Expr, IdentitySpec

__all__ = ["BUILTIN", "Column", "Constraint", "Context", "DUAL", "Index", "Principal", "SYSTEM", "Table", "V_SESSION", "ViewInfo",
           "privileged_view"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is resolving a name: the session user, its current schema (unqualified names
    resolve there, ``ALTER SESSION SET CURRENT_SCHEMA``), whether it is an admin, and whether
    its roles count (False in definer's-rights stored code, as in Oracle)."""

    user: str
    schema: str
    admin: bool = False
    roles: bool = True

    def may_use(self, owner: str) -> bool:
        """Owns ``owner``'s objects, or is an admin (DBA).  Privileges granted on another
        schema's objects are the catalog's to check (catalog/tables.py ``Catalog.table``)."""
        return self.admin or owner == self.user


#: The engine itself, following references it already checked (a foreign key's parent).
SYSTEM = Principal("SYS", "SYS", admin=True)


def privileged_view(name: str) -> bool:
    """DBA_ views and the V$ family need SELECT ANY DICTIONARY (here: an admin); V$VERSION
    is granted to PUBLIC."""
    return name.startswith(("DBA_", "CDB_", "V$", "V_$", "GV$", "GV_$")) and not name.endswith("$VERSION")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: SqlType
    nullable: bool
    default: Expr | None
    sql: str  # sqlite column name
    #: An identity column's clause; its ``default`` is then NEXTVAL of its ISEQ$$_ sequence.
    identity: IdentitySpec | None = None
    #: The DEFAULT clause as written (ALL_TAB_COLUMNS.DATA_DEFAULT).
    default_text: str | None = None


@dataclass(frozen=True, slots=True)
class Constraint:
    name: str
    kind: str  # PRIMARY KEY / UNIQUE / FOREIGN KEY
    columns: tuple[str, ...]  # Oracle column names
    sql_index: str  # "" for a foreign key
    #: FOREIGN KEY: the parent table, its key columns and constraint, and the delete rule.
    ref_schema: str = ""
    ref_table: str = ""
    ref_columns: tuple[str, ...] = ()
    ref_constraint: str = ""
    delete_rule: str = "NO ACTION"
    #: CHECK: the condition as written, and the sqlite clause that enforces it.
    search_condition: str = ""
    sql_check: str = ""


@dataclass(frozen=True, slots=True)
class Index:
    """A CREATE INDEX index (constraint-backed unique indexes are the constraints' ``sql_index``)."""

    name: str
    columns: tuple[str, ...]
    unique: bool
    sql_index: str


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """What makes a catalog table a user view (translate/viewsql.py creates it)."""

    #: The query as written (ALL_VIEWS.TEXT).
    text: str
    read_only: bool = False
    check_option: bool = False
    #: A simple single-table view's base table (DML goes there through INSTEAD OF triggers), else None.
    base: Table | None = None
    #: The view columns that are plain base columns (the ones DML may name).
    updatable: frozenset[str] = frozenset()
    #: Why DML is refused when ``base`` is None: ORA-01732 (aggregates, DISTINCT, set operators) or
    #: ORA-01779 (joins: no key-preserved table is tracked).
    refusal: int = 1732
    #: The statement that made it (CREATE OR REPLACE of a view it reads runs it again) and the
    #: sqlite names of the tables and views its sqlite view reads.
    source: CreateView | None = None
    uses: frozenset[str] = frozenset()


@dataclass(slots=True)
class Table:
    schema: str
    name: str
    sql_name: str  # "" for virtual tables
    columns: list[Column]
    constraints: list[Constraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    #: COMMENT ON: "" for the table's comment, else column name -> comment.
    comments: dict[str, str] = field(default_factory=dict)
    #: A user view (CREATE VIEW): a sqlite view named ``sql_name``; None for a table.
    view: ViewInfo | None = None

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


DUAL = Table("SYS", "DUAL", "", [Column("DUMMY", SqlType(T.VARCHAR, size=1), True, None, "c0")])
V_SESSION = Table(
    "SYS",
    "V$SESSION",
    "",
    [
        Column("SID", NUMBER, True, None, "c0"),
        Column("SERIAL#", NUMBER, True, None, "c1"),
        Column("USERNAME", SqlType(T.VARCHAR, size=128), True, None, "c2"),
        Column("PROGRAM", SqlType(T.VARCHAR, size=84), True, None, "c3"),
        Column("MACHINE", SqlType(T.VARCHAR, size=64), True, None, "c4"),
        Column("OSUSER", SqlType(T.VARCHAR, size=128), True, None, "c5"),
        Column("TERMINAL", SqlType(T.VARCHAR, size=30), True, None, "c6"),
        Column("STATUS", SqlType(T.VARCHAR, size=8), True, None, "c7"),
    ],
)
#: The built-in virtual tables by every name they answer to (dictionary views: views.py).
BUILTIN = {"DUAL": DUAL, "V$SESSION": V_SESSION, "V_$SESSION": V_SESSION, "GV$SESSION": V_SESSION}


@dataclass(slots=True)
class Context:
    """Per-execution facts the SQL can see."""

    user: str
    schema: str
    sid: int
    nls: dict[str, str]
    userenv: Callable[[str], str | None]
    sessions: Callable[[], list[tuple[object, ...]]]
    now: _dt.datetime
    #: The session user is an admin (EmbeddedServer ``admins``): DBA_ / V$ views, any schema.
    admin: bool = False
    #: The owner of the stored code running the statement (definer's rights): it resolves the
    #: names, while ``user`` stays the session user (``USER``).
    definer: Principal | None = None

    @property
    def principal(self) -> Principal:
        """Who resolves this statement's names (catalog/tables.py)."""
        return self.definer if self.definer is not None else Principal(self.user, self.schema, self.admin)
