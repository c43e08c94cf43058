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
from typing import TYPE_CHECKING

from .. import errors
from .tables import Catalog, Index, Principal
from ..syntax.lexer import Kind
from ..syntax.nodes import CommentOn, CreateIndex, DropIndex, TableRef

if TYPE_CHECKING:
    from ..syntax.parser import _Parser
    from ..syntax.parser_ddl import DdlParser

__all__ = ["create_index", "drop_index", "run_index_ddl", "comment_on", "run_comment"]


def _ora(code: int, text: str, position: int = 0) -> errors.OraError:
    return errors.OraError(code, f"ORA-{code:05d}: {text}", position)


def create_index(p: DdlParser) -> CreateIndex:
    """At ``[UNIQUE] INDEX`` after CREATE."""
    pos = p.tok.pos
    unique = p.accept_kw("UNIQUE")
    p.expect_kw("INDEX")
    name = p.table_ref(alias=False)
    p.expect_kw("ON")
    table = p.table_ref(alias=False)
    p.expect_op("(")
    cols: list[tuple[str, int]] = []
    while True:
        cpos = p.tok.pos
        cols.append((p.ident("column name"), cpos))
        if p.is_kw("DESC"):
            raise errors.unsupported("descending index columns", p.tok.pos)
        p.accept_kw("ASC")
        if not p.accept_op(","):
            break
    p.expect_op(")")
    while p.is_kw("TABLESPACE", "LOGGING", "NOLOGGING", "COMPRESS", "NOCOMPRESS", "ONLINE", "PARALLEL",
                  "NOPARALLEL", "PCTFREE", "VISIBLE"):
        p.next()
        if p.tok.kind.name in ("IDENT", "NUMBER", "QIDENT") and not p.is_kw(
                "TABLESPACE", "LOGGING", "NOLOGGING", "COMPRESS", "NOCOMPRESS", "ONLINE", "PARALLEL", "NOPARALLEL",
                "PCTFREE", "VISIBLE"):
            p.next()
    return CreateIndex(name.schema, name.name, table, tuple(cols), unique, pos)


def drop_index(p: DdlParser) -> DropIndex:
    """After DROP INDEX."""
    ref = p.table_ref(alias=False)
    p.accept_kw("ONLINE")
    return DropIndex(ref.schema, ref.name, ref.pos)


def run_index_ddl(catalog: Catalog, who: Principal, stmt: CreateIndex | DropIndex,
                  run: Callable[[list[str]], None]) -> None:
    """Check ``stmt``, run its sqlite DDL through ``run`` and update the catalog."""
    if isinstance(stmt, DropIndex):
        found = catalog.index(stmt.schema, stmt.name, who)
        if found is None:
            owner = stmt.schema or who.schema
            tables = [t for t in catalog.visible_tables(who) if t.schema == owner]
            if any(c.name == stmt.name and c.sql_index for t in tables for c in t.constraints):
                raise _ora(2429, "cannot drop index used for enforcement of unique/primary key", stmt.pos)
            raise _ora(1418, "specified index does not exist", stmt.pos)
        table, ix = found
        run([f'DROP INDEX "{ix.sql_index}"'])
        with catalog.lock:
            table.indexes.remove(ix)
        return
    table = catalog.table(stmt.table.schema, stmt.table.name, who, stmt.table.pos)
    if not table.sql_name:
        raise errors.OraError(1031, "ORA-01031: insufficient privileges", stmt.table.pos)
    owner = catalog.owner_for_create(stmt.schema, who, stmt.pos)
    if catalog.exists(owner, stmt.name):
        raise errors.name_in_use(stmt.pos)
    sql_cols: list[str] = []
    for name, pos in stmt.columns:
        col = table.column(name)
        if col is None:
            raise errors.invalid_identifier(name, pos)
        if name in [n for n, _ in stmt.columns[:len(sql_cols)]]:
            raise _ora(957, "duplicate column name", pos)
        sql_cols.append(col.sql)
    names = tuple(n for n, _ in stmt.columns)
    keyed = [c.columns for c in table.constraints if c.sql_index] + [ix.columns for ix in table.indexes]
    if names in keyed:
        raise _ora(1408, "such column list already indexed", stmt.pos)
    sql_index = f"{table.sql_name}_{catalog.new_index_name()}"
    unique = "UNIQUE " if stmt.unique else ""
    try:
        run([f'CREATE {unique}INDEX "{sql_index}" ON "{table.sql_name}" ({", ".join(sql_cols)})'])
    except errors.OraError as exc:
        if stmt.unique and exc.code in (1, 600):
            raise _ora(1452, "cannot CREATE UNIQUE INDEX; duplicate keys found", stmt.pos) from None
        raise
    with catalog.lock:
        table.indexes.append(Index(stmt.name, names, stmt.unique, sql_index))


def comment_on(p: _Parser) -> CommentOn:
    """``COMMENT ON TABLE [schema.]t IS 'text'`` / ``COMMENT ON COLUMN [schema.]t.c IS 'text'``."""
    p.expect_kw("COMMENT")
    p.expect_kw("ON")
    if p.accept_kw("TABLE"):
        table, column = p.table_ref(alias=False), None
    elif p.accept_kw("COLUMN"):
        pos = p.tok.pos
        parts = [p.ident()]
        while p.accept_op("."):
            parts.append(p.ident())
        if len(parts) not in (2, 3):
            raise errors.invalid_sql("expected table.column", pos)
        table = TableRef(parts[0] if len(parts) == 3 else None, parts[-2], None, pos)
        column = parts[-1]
    else:
        raise errors.unsupported(f"COMMENT ON {p.tok.value}", p.tok.pos)
    p.expect_kw("IS")
    if p.tok.kind is not Kind.STRING:
        raise errors.invalid_sql(f"expected a string literal, found {p.tok.describe()}", p.tok.pos)
    text = str(p.next().value)
    return CommentOn(table, column, text)


def run_comment(catalog: Catalog, who: Principal, stmt: CommentOn) -> None:
    table = catalog.table(stmt.table.schema, stmt.table.name, who, stmt.table.pos)
    if not table.sql_name:
        raise errors.OraError(1031, "ORA-01031: insufficient privileges", stmt.table.pos)
    key = stmt.column or ""
    if stmt.column is not None and table.column(stmt.column) is None:
        raise errors.invalid_identifier(stmt.column, stmt.table.pos)
    with catalog.lock:
        if stmt.text:
            table.comments[key] = stmt.text
        else:  # '' is NULL: removes the comment
            table.comments.pop(key, None)
