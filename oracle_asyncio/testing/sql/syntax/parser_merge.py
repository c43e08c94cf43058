"""MERGE and multi-table INSERT (split from parser.py): the parts are parsed as the single
statements parse them (so a syntax error is reported where it is) and kept as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar

from .. import errors
from .lexer import Kind
from .nodes import Col
from .nodes_merge import InsertInto, Merge, MultiInsert
from .parser_base import RESERVED, ParserBase

__all__ = ["merge", "multi_insert"]

_R = TypeVar("_R")


def _text(p: ParserBase, part: Callable[[], _R]) -> tuple[_R, str]:
    """What ``part`` parses, and the text it spans."""
    start = p.tok.pos
    found = part()
    return found, p.sql[start:p.tokens[p.i - 1].end]


def _alias(p: ParserBase) -> str | None:
    t = p.tok
    if t.kind is Kind.QIDENT or (t.kind is Kind.IDENT and t.value not in RESERVED and t.value not in ("WHEN", "ELSE")):
        p.next()
        return t.value
    return None


def _values(p: ParserBase) -> tuple[str, ...]:
    p.expect_op("(")
    values = [_text(p, p.expr)[1]]
    while p.accept_op(","):
        values.append(_text(p, p.expr)[1])
    p.expect_op(")")
    return tuple(values)


def _columns(p: ParserBase) -> str:
    return _text(p, p.column_list)[1] if p.is_op("(") else ""


def _named(node: object, names: tuple[str, ...]) -> set[str]:
    """The columns ``node`` names unqualified or qualified by one of ``names``."""
    if isinstance(node, Col):
        return {node.name} if node.table is None or node.table in names else set()
    if isinstance(node, tuple):
        return {n for item in node for n in _named(item, names)}
    if is_dataclass(node) and not isinstance(node, type):
        return {n for f in fields(node) for n in _named(getattr(node, f.name), names)}
    return set()


def merge(p: ParserBase) -> Merge:
    """``MERGE INTO t [a] USING (subquery) | table [a] ON (cond) WHEN MATCHED THEN UPDATE ...
    WHEN NOT MATCHED THEN INSERT ...`` (either clause may be left out, not both)."""
    p.expect_kw("MERGE")
    p.expect_kw("INTO")
    target, target_text = _text(p, lambda: p.table_ref(alias=False))
    target_alias = _alias(p)
    p.expect_kw("USING")
    if p.is_op("("):
        _, source = _text(p, lambda: (p.expect_op("("), p.select(), p.expect_op(")")))
    else:
        _, source = _text(p, lambda: p.table_ref(alias=False))
    source_alias = _alias(p)
    p.expect_kw("ON")
    cond, on = _text(p, p.condition)
    sets: tuple[tuple[str, int, str], ...] | None = None
    update_where = delete_where = insert_where = None
    insert_columns, insert_values = "", None
    while p.accept_kw("WHEN"):
        matched = not p.accept_kw("NOT")
        p.expect_kw("MATCHED")
        p.expect_kw("THEN")
        if matched and sets is None:
            p.expect_kw("UPDATE")
            p.expect_kw("SET")
            found: list[tuple[str, int, str]] = []
            while True:
                pos = p.tok.pos
                name = p.ident("column name")
                if p.accept_op("."):
                    name = p.ident("column name")
                if not p.accept_op("="):
                    raise errors.ora(927, p.tok.pos)
                found.append((name, pos, _text(p, p.expr)[1]))
                if not p.accept_op(","):
                    break
            sets = tuple(found)
            update_where = _text(p, p.condition)[1] if p.accept_kw("WHERE") else None
            if p.accept_kw("DELETE"):
                p.expect_kw("WHERE")
                delete_where = _text(p, p.condition)[1]
        elif not matched and insert_values is None:
            p.expect_kw("INSERT")
            insert_columns = _columns(p)
            p.expect_kw("VALUES")
            insert_values = _values(p)
            insert_where = _text(p, p.condition)[1] if p.accept_kw("WHERE") else None
        else:
            raise p.error_here("a WHEN clause given twice")
    if sets is None and insert_values is None:
        raise errors.ora(905, p.tok.pos)  # missing keyword: WHEN
    qualifiers = tuple(n for n in (target_alias, target.name) if n is not None)
    return Merge(target.schema, target.name, target_text, target_alias, target.pos, source, source_alias, on,
                 frozenset(_named(cond, qualifiers)), sets, update_where, delete_where, insert_columns,
                 insert_values, insert_where)


def _into(p: ParserBase, when: int | None) -> InsertInto:
    p.expect_kw("INTO")
    _, target = _text(p, lambda: p.table_ref(alias=False))
    _alias(p)  # names nothing the statement can use
    columns = _columns(p)
    values = _values(p) if p.accept_kw("VALUES") else None
    return InsertInto(target, columns, values, when)


def multi_insert(p: ParserBase) -> MultiInsert:
    """``INSERT ALL INTO ... [INTO ...] subquery`` and ``INSERT ALL|FIRST WHEN cond THEN INTO ...
    [WHEN ...] [ELSE INTO ...] subquery``."""
    p.expect_kw("INSERT")
    first = p.next().value == "FIRST"
    intos: list[InsertInto] = []
    conditions: list[str] = []
    if p.is_kw("INTO") and not first:
        while p.is_kw("INTO"):
            intos.append(_into(p, None))
    else:
        while p.accept_kw("WHEN"):
            conditions.append(_text(p, p.condition)[1])
            p.expect_kw("THEN")
            intos.append(_into(p, len(conditions)))
            while p.is_kw("INTO"):
                intos.append(_into(p, len(conditions)))
        if not conditions:
            raise p.error_here("expected WHEN")
        if p.accept_kw("ELSE"):
            intos.append(_into(p, 0))
            while p.is_kw("INTO"):
                intos.append(_into(p, 0))
    if not p.is_kw("SELECT", "WITH"):
        raise errors.ora(928, p.tok.pos)  # missing SELECT keyword
    _, query = _text(p, lambda: p.select())
    return MultiInsert(first, tuple(intos), tuple(conditions), query)
