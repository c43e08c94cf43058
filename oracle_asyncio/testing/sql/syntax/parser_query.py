"""Parsing of FROM lists with joins, and of subqueries (called from parser.py)."""

from __future__ import annotations

from .. import errors
from .lexer import Kind
from .nodes import (
    Col, Compare, DerivedTable, Exists, Expr, FromSource, InSelect, Join, Logic, Not, OuterMark, QuantCompare, RowValue,
    Select, Subquery,
)
from .parser_base import RESERVED, ParserBase

__all__ = ["from_list", "subquery", "exists", "in_select", "quantified", "at_outer_mark", "outer_mark", "row_value",
           "row_compare", "RowValue"]

_JOIN_WORDS = ("JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL")


def from_list(p: ParserBase) -> tuple[FromSource, tuple[Join, ...]]:
    """``source {, source | [kind] JOIN source [ON cond | USING (cols)]}``."""
    first = _source(p)
    joins: list[Join] = []
    while True:
        pos = p.tok.pos
        if p.accept_op(","):
            joins.append(Join("COMMA", _source(p), None, None, pos))
            continue
        if not p.is_kw(*_JOIN_WORDS):
            break
        natural = p.accept_kw("NATURAL")
        if p.accept_kw("CROSS"):
            if natural:
                raise p.error_here("expected JOIN")
            p.expect_kw("JOIN")
            joins.append(Join("CROSS", _source(p), None, None, pos))
            continue
        kind = "INNER"
        if p.is_kw("LEFT", "RIGHT", "FULL"):
            kind = p.next().value
            p.accept_kw("OUTER")
        else:
            p.accept_kw("INNER")
        if not p.is_kw("JOIN"):
            raise errors.ora(905, p.tok.pos) if p.tok.kind is not Kind.EOF \
                else p.error_here("expected JOIN")
        p.next()
        source = _source(p)
        on: Expr | None = None
        using: tuple[tuple[str, int], ...] | None = None
        if natural:
            pass
        elif p.accept_kw("ON"):
            on = p.condition()
        elif p.accept_kw("USING"):
            using = p.column_list()
        else:
            raise errors.ora(905, p.tok.pos)
        joins.append(Join(kind, source, on, using, pos, natural))
    return first, tuple(joins)


def _source(p: ParserBase) -> FromSource:
    t = p.tok
    if p.is_op("("):
        if not (p.peek().kind is Kind.IDENT and p.peek().value in ("SELECT", "WITH")):
            raise errors.unsupported("parenthesised joins in FROM", t.pos)
        p.next()
        if p.is_kw("WITH"):
            raise errors.unsupported("WITH (subquery factoring)", p.tok.pos)
        query = p.select()
        p.expect_op(")")
        return DerivedTable(query, _alias(p), t.pos)
    if p.is_kw("LATERAL", "TABLE", "ONLY") and p.peek().kind is Kind.OP and p.peek().value == "(":
        raise errors.unsupported(f"{t.value} (...) in FROM", t.pos)
    return p.table_ref()


def _alias(p: ParserBase) -> str | None:
    if p.tok.kind is Kind.QIDENT or (p.tok.kind is Kind.IDENT and p.tok.value not in RESERVED):
        return p.ident()
    return None


def subquery(p: ParserBase, start: int) -> Subquery:
    """After ``(`` with SELECT next: ``SELECT ... )`` as a scalar value."""
    query = p.select()
    end = p.expect_op(")").end
    return Subquery(start, end, query)


def _parenthesised_query(p: ParserBase) -> tuple[Select, int]:
    p.expect_op("(")
    if not p.is_kw("SELECT"):
        raise errors.missing_expression(p.tok.pos) if not p.is_kw("WITH") else \
            errors.unsupported("WITH (subquery factoring)", p.tok.pos)
    query = p.select()
    return query, p.expect_op(")").end


def exists(p: ParserBase) -> Exists:
    start = p.expect_kw("EXISTS").pos
    query, end = _parenthesised_query(p)
    return Exists(start, end, query)


def in_select(p: ParserBase, left: Expr, negate: bool) -> InSelect:
    """After ``IN (`` with SELECT next."""
    query = p.select()
    end = p.expect_op(")").end
    return InSelect(left.start, end, left, query, negate)


def quantified(p: ParserBase, left: Expr, op: str) -> QuantCompare:
    """After ``left op``, at ANY / SOME / ALL."""
    quantifier = "ALL" if p.next().value == "ALL" else "ANY"
    if p.is_op("(") and p.peek().kind is Kind.IDENT and p.peek().value == "SELECT":
        query, end = _parenthesised_query(p)
        return QuantCompare(left.start, end, op, quantifier, left, query)
    p.expect_op("(")
    items = [p.expr()]
    while p.accept_op(","):
        items.append(p.expr())
    end = p.expect_op(")").end
    return QuantCompare(left.start, end, op, quantifier, left, None, tuple(items))


def at_outer_mark(p: ParserBase) -> bool:
    """At Oracle's old ``(+)`` outer-join operator after a column."""
    return p.is_op("(") and p.peek().kind is Kind.OP and p.peek().value == "+" and \
        p.peek(2).kind is Kind.OP and p.peek(2).value == ")"


def outer_mark(p: ParserBase, col: Col) -> Expr:
    """``col(+)`` as an :class:`OuterMark` (outer_plus.py rewrites it to a LEFT JOIN), else ``col``."""
    if not at_outer_mark(p):
        return col
    p.next()
    p.next()
    end = p.next().end
    return OuterMark(col.start, end, col)


def row_compare(left: RowValue, items: list[Expr], negate: bool, end: int) -> Expr:
    """``(a, b) [NOT] IN ((1, 2), (3, 4))`` and ``(a, b) = / <> ((1, 2))`` as ORs of ANDs of
    comparisons (the same three-valued result)."""
    terms: list[Expr] = []
    for item in items:
        values = item.items if isinstance(item, RowValue) else (item,)
        if len(values) != len(left.items):
            raise errors.ora(920, item.start)
        pairs: list[Expr] = [Compare(a.start, b.end, "=", a, b) for a, b in zip(left.items, values)]
        terms.append(pairs[0] if len(pairs) == 1 else Logic(left.start, end, "AND", tuple(pairs)))
    result = terms[0] if len(terms) == 1 else Logic(left.start, end, "OR", tuple(terms))
    return Not(left.start, end, result) if negate else result


def row_value(p: ParserBase, start: int, first: Expr) -> RowValue:
    """``(a, b, ...)`` after its first expression, at the comma (``(a, b) IN (SELECT x, y ...)``)."""
    items = [first]
    while p.accept_op(","):
        items.append(p.expr())
    end = p.expect_op(")").end
    return RowValue(start, end, tuple(items))
