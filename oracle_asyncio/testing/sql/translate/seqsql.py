"""Sequences and identity columns in SQL: NEXTVAL/CURRVAL translation, identity
rules of INSERT/UPDATE, sequence DDL and the dictionary views (state: sequences.py).

NEXTVAL is drawn once per row (every NEXTVAL and CURRVAL of that sequence in the
row sees the same number): each reference becomes ``ora_seq(token, serial, rowkey,
op)``, where ``token`` names this execution of the statement and ``rowkey`` the
row (the source table's rowid, the CONNECT BY level, a constant for one-row
statements); the session memoizes the number drawn for the current (token,
rowkey).  Column defaults (identity) pass a NULL rowkey: each evaluation draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace

from .. import errors
from ..catalog.tables import Catalog
from ..catalog.schema import Column, DUAL, Principal, Table
from ..types.datatypes import NUMBER, T, number_bytes
from ..syntax.nodes import (
    AlterSequence, ColumnSpec, CreateSequence, Delete, DropSequence, Insert, Select, SeqRef, Update,
)
from ..types.rowids import OBJECT_BASE
from .base import TE, QueryScope, TranslatorBase


__all__ = ["check_placement", "seq_expr", "identity_column", "check_insert", "check_update", "on_null", "run_ddl", "view_source",
           "SEQ_DDL"]

SEQ_DDL = (CreateSequence, DropSequence, AlterSequence)


def seq_expr(tr: TranslatorBase, e: SeqRef) -> TE:
    store = tr.catalog.sequences
    seq = tr.catalog.sequence(e.schema, e.name, tr.ctx.principal, e.start)
    if not tr.seq_token:
        tr.seq_token = store.token()
    if e.op == "NEXTVAL":
        store.token(seq.serial, tr.seq_token)
    op = 1 if e.op == "NEXTVAL" else 0
    return TE(f"ora_seq({tr.seq_token}, {seq.serial}, {_rowkey(tr, e)}, {op})", NUMBER)


def _rowkey(tr: TranslatorBase, e: SeqRef) -> str:
    """SQL naming the current row: rowids of the query's tables, the CONNECT BY level,
    0 for one-row statements (INSERT VALUES, FROM DUAL); NULL (draw at every
    evaluation) for column defaults and row sources without rowids (inline views)."""
    scope = tr.scope
    if not e.per_row:
        return "NULL"
    if scope is None:
        return "0"
    if scope.level:
        return "_lvl.lvl"
    pairs: list[tuple[Table | None, str]]
    if isinstance(scope, QueryScope):  # one entry per FROM item
        pairs = [(src.table, src.alias) for src in scope.sources]
    else:  # a DML statement's single table
        pairs = [(scope.table, scope.prefix)]
    keys: list[str] = []
    for table, alias in pairs:
        if table is DUAL:
            continue
        if table is None or not table.sql_name:
            return "NULL"
        keys.append(f"{alias}.rowid")
    if not keys:
        return "0"
    return keys[0] if len(keys) == 1 else " || ',' || ".join(keys)


# ---- where NEXTVAL / CURRVAL may appear ------------------------------------------------------------------
def _find(node: object, *, nested_only: bool = False) -> SeqRef | None:
    """The first sequence reference in ``node`` (``nested_only``: inside a subquery of it)."""
    if isinstance(node, SeqRef):
        return None if nested_only else node
    if isinstance(node, (tuple, list)):
        for item in node:
            found = _find(item, nested_only=nested_only)
            if found is not None:
                return found
        return None
    if nested_only and isinstance(node, Select):
        return _find(node)
    if is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            found = _find(getattr(node, f.name), nested_only=nested_only)
            if found is not None:
                return found
    return None


def _not_here(found: SeqRef | None) -> None:
    if found is not None:
        raise errors.ora(2287, found.start)


def _check_select(s: Select) -> None:
    plain = not (s.distinct or s.group_by or s.order_by or s.having is not None)
    for f in fields(s):
        part = getattr(s, f.name)
        _not_here(_find(part, nested_only=plain and f.name == "items"))


def check_placement(stmt: object) -> None:
    """ORA-02287 where Oracle allows no sequence number: WHERE, GROUP BY, HAVING, ORDER BY,
    subqueries, and the select list of a DISTINCT / grouped / ordered query."""
    if isinstance(stmt, Select):
        _check_select(stmt)
    elif isinstance(stmt, Insert):
        _not_here(_find(stmt.values, nested_only=True))
        if stmt.query is not None:
            _check_select(stmt.query)
    elif isinstance(stmt, Update):
        _not_here(_find(stmt.assignments, nested_only=True))
        _not_here(_find(stmt.where))
    elif isinstance(stmt, Delete):
        _not_here(_find(stmt.where))


# ---- identity columns ------------------------------------------------------------------------------
def identity_column(col: Column, spec: ColumnSpec, specs: Sequence[ColumnSpec], schema: str,
                    sql_name: str) -> Column:
    """The catalog column of an identity column: NOT NULL, default NEXTVAL of ``ISEQ$$_<objid>``.
    A ``DEFAULT seq.NEXTVAL`` column draws at each evaluation (one number per row inserted)."""
    if spec.identity is None:
        return replace(col, default=replace(spec.default, per_row=False)) if isinstance(spec.default, SeqRef) else col
    check_identity_count(specs)
    if col.type.t is not T.NUMBER or col.type.scale not in (0, -127):
        raise errors.ora(30675, spec.pos)
    if spec.default is not None:
        raise errors.ora(30665, spec.pos)
    number = sql_name[1:] if sql_name[1:].isdigit() else "0"
    name = f"ISEQ$$_{OBJECT_BASE + int(number)}"
    default = SeqRef(spec.pos, spec.pos, schema, name, "NEXTVAL", per_row=False)
    return replace(col, nullable=False, default=default, identity=spec.identity)


def check_identity_count(specs: Sequence[ColumnSpec]) -> None:
    if sum(1 for s in specs if s.identity is not None) > 1:
        raise errors.ora(30669)


def check_insert(targets: Sequence[Column], positions: Sequence[int]) -> None:
    """ORA-32795 for an explicit value of a GENERATED ALWAYS identity column."""
    for k, col in enumerate(targets):
        if col.identity is not None and col.identity.always:
            raise errors.ora(32795,
                       positions[k] if k < len(positions) else 0)


def check_update(col: Column, position: int) -> None:
    if col.identity is not None and col.identity.always:
        raise errors.ora(32796, position)


def on_null(tr: TranslatorBase, te: TE, col: Column) -> TE:
    """GENERATED BY DEFAULT ON NULL: an explicit NULL becomes the next number."""
    if col.identity is None or not col.identity.on_null or col.default is None:
        return te
    x = tr.as_blob_number(te)
    return TE(f"COALESCE({x.sql}, {tr.expr(col.default).sql})", NUMBER)


# ---- DDL ----------------------------------------------------------------------------------------------
def run_ddl(catalog: Catalog, who: Principal, taken: bool,
            stmt: CreateSequence | DropSequence | AlterSequence) -> None:
    """CREATE / DROP / ALTER SEQUENCE; ``taken``: a routine of that name exists (ORA-00955)."""
    if isinstance(stmt, CreateSequence):
        owner = catalog.owner_for_create(stmt.schema, who, stmt.pos, "SEQUENCE")
        if taken or catalog.exists(owner, stmt.name):
            if stmt.if_not_exists:
                return
            raise errors.name_in_use(stmt.pos)
        catalog.sequences.create(owner, stmt.name, stmt.options, position=stmt.pos)
    elif isinstance(stmt, DropSequence):
        try:
            seq = catalog.sequence(stmt.schema, stmt.name, who, stmt.pos, "DROP")
        except errors.OraError:
            if stmt.if_exists:
                return
            raise
        catalog.sequences.drop(seq.schema, seq.name, position=stmt.pos)
        catalog.privileges.forget_object(seq.schema, seq.name)
    else:
        seq = catalog.sequence(stmt.schema, stmt.name, who, stmt.pos, "ALTER")
        catalog.sequences.alter(seq.schema, seq.name, stmt.options, position=stmt.pos)


# ---- dictionary views -----------------------------------------------------------------------------------
def view_source(tr: TranslatorBase, table: Table, alias: str = "t") -> str:
    """FROM text for USER_SEQUENCES / ALL_SEQUENCES / USER_TAB_IDENTITY_COLS."""
    rows: list[list[object]] = []
    if table.name == "USER_TAB_IDENTITY_COLS":
        tables = [t for t in tr.catalog.visible_tables(tr.ctx.principal) if t.schema == tr.ctx.user]
        for t in tables:
            for c in t.columns:
                if c.identity is not None and isinstance(c.default, SeqRef):
                    seq = tr.catalog.sequences.get(t.schema, c.default.name)
                    options = "" if seq is None else (
                        f"START WITH: {seq.start}, INCREMENT BY: {seq.increment}, MAX_VALUE: {seq.maxvalue}, "
                        f"MIN_VALUE: {seq.minvalue}, CYCLE_FLAG: {'Y' if seq.cycle else 'N'}, CACHE_SIZE: "
                        f"{seq.cache}, ORDER_FLAG: {'Y' if seq.order else 'N'}")
                    rows.append([t.name, c.name, "ALWAYS" if c.identity.always else "BY DEFAULT", c.default.name,
                                 options])
    else:
        who = tr.ctx.principal
        for seq in tr.catalog.sequences.snapshot():
            if not tr.catalog.may_see_sequence(who, seq) or (table.name == "USER_SEQUENCES" and seq.schema != tr.ctx.user):
                continue
            row: list[object] = [seq.name, number_bytes(seq.minvalue), number_bytes(seq.maxvalue),
                                 number_bytes(seq.increment), "Y" if seq.cycle else "N", "Y" if seq.order else "N",
                                 number_bytes(seq.cache), number_bytes(seq.last_number)]
            rows.append(row if table.name == "USER_SEQUENCES" else [seq.schema, *row])
    width = len(table.columns)
    if not rows:
        return "(SELECT " + ", ".join(f"NULL AS c{i}" for i in range(width)) + f" WHERE 0) AS {alias}"
    selects = ["SELECT " + ", ".join(f"{tr.param(v)} AS c{i}" for i, v in enumerate(row)) for row in rows]
    return "(" + " UNION ALL ".join(selects) + f") AS {alias}"
