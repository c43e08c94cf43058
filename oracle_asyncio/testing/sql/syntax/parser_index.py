"""CREATE [UNIQUE] INDEX, DROP INDEX and COMMENT ON parsed (catalog/indexes.py runs them)."""

from __future__ import annotations

from .. import errors
from .lexer import Kind
from .nodes import CommentOn, CreateIndex, DropIndex, TableRef
from .parser_base import ParserBase

__all__ = ["create_index", "drop_index", "comment_on"]


def create_index(p: ParserBase) -> CreateIndex:
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


def drop_index(p: ParserBase) -> DropIndex:
    """After DROP INDEX."""
    ref = p.table_ref(alias=False)
    p.accept_kw("ONLINE")
    return DropIndex(ref.schema, ref.name, ref.pos)


def comment_on(p: ParserBase) -> CommentOn:
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
