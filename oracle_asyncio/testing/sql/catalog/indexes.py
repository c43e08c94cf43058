"""CREATE [UNIQUE] INDEX / DROP INDEX, and COMMENT ON TABLE / COLUMN (the other catalog-only DDL).

An index is a sqlite index on the table's synthetic columns; a UNIQUE one reports
ORA-00001 with the index name (catalog.unique_error).  Index names share the
schema's namespace with tables and sequences (ORA-00955); an index on a column
list that is already indexed (also by a PRIMARY KEY / UNIQUE constraint) is
ORA-01408; dropping a missing index is ORA-01418 and dropping a constraint's index
ORA-02429.  Only plain column lists (ascending) are supported.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import errors
from .tables import Catalog
from .schema import Index, Principal
from ..syntax.nodes import CommentOn, CreateIndex, DropIndex

__all__ = ["run_index_ddl", "run_comment"]


def run_index_ddl(catalog: Catalog, who: Principal, stmt: CreateIndex | DropIndex,
                  run: Callable[[list[str]], None]) -> None:
    """Check ``stmt``, run its sqlite DDL through ``run`` and update the catalog."""
    if isinstance(stmt, DropIndex):
        found = catalog.index(stmt.schema, stmt.name, who)
        if found is None:
            owner = stmt.schema or who.schema
            # Only someone who may drop indexes there learns that the name is a constraint's
            # index (ORA-02429); anyone else gets ORA-01418, as for a missing one.
            may_drop = who.may_use(owner) or catalog.holds_any(who, ("DROP ANY INDEX",))
            tables = [t for t in catalog.visible_tables(who) if t.schema == owner] if may_drop else []
            if any(c.name == stmt.name and c.sql_index for t in tables for c in t.constraints):
                raise errors.ora(2429, stmt.pos)
            raise errors.ora(1418, stmt.pos)
        table, ix = found
        run([f'DROP INDEX "{ix.sql_index}"'])
        with catalog.lock:
            table.indexes.remove(ix)
        return
    table = catalog.table(stmt.table.schema, stmt.table.name, who, stmt.table.pos, "INDEX")
    if not table.sql_name:
        raise errors.ora(1031, stmt.table.pos)
    owner = catalog.owner_for_create(stmt.schema, who, stmt.pos, "INDEX")
    if catalog.exists(owner, stmt.name):
        raise errors.name_in_use(stmt.pos)
    sql_cols: list[str] = []
    for name, pos in stmt.columns:
        col = table.column(name)
        if col is None:
            raise errors.invalid_identifier(name, pos)
        if name in [n for n, _ in stmt.columns[:len(sql_cols)]]:
            raise errors.ora(957, pos)
        sql_cols.append(col.sql)
    names = tuple(n for n, _ in stmt.columns)
    keyed = [c.columns for c in table.constraints if c.sql_index] + [ix.columns for ix in table.indexes]
    if names in keyed:
        raise errors.ora(1408, stmt.pos)
    sql_index = f"{table.sql_name}_{catalog.new_index_name()}"
    unique = "UNIQUE " if stmt.unique else ""
    try:
        run([f'CREATE {unique}INDEX "{sql_index}" ON "{table.sql_name}" ({", ".join(sql_cols)})'])
    except errors.OraError as exc:
        if stmt.unique and exc.code in (1, 600):
            raise errors.ora(1452, stmt.pos) from None
        raise
    with catalog.lock:
        table.indexes.append(Index(stmt.name, names, stmt.unique, sql_index))


def run_comment(catalog: Catalog, who: Principal, stmt: CommentOn) -> None:
    table = catalog.table(stmt.table.schema, stmt.table.name, who, stmt.table.pos, "COMMENT")
    if not table.sql_name:
        raise errors.ora(1031, stmt.table.pos)
    key = stmt.column or ""
    if stmt.column is not None and table.column(stmt.column) is None:
        raise errors.invalid_identifier(stmt.column, stmt.table.pos)
    with catalog.lock:
        if stmt.text:
            table.comments[key] = stmt.text
        else:  # '' is NULL: removes the comment
            table.comments.pop(key, None)
