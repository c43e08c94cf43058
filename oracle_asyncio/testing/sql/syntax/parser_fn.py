"""Parsing of the built-ins with a grammar of their own (called from parser.py): EXTRACT,
``AT TIME ZONE`` / ``AT LOCAL``, ``OVER (...)`` and ``WITHIN GROUP (ORDER BY ...)``."""

from __future__ import annotations

from typing import Final

from .. import errors
from .lexer import Kind, Token
from .nodes import Expr, Func, OrderItem
from .nodes_fn import AtZone, Extract, Frame, Over, WithinGroup
from .parser_base import ParserBase

__all__ = ["at_extract", "at_zone", "extract", "over", "overflow", "within_group"]

_FIELDS: Final = frozenset({"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TIMEZONE_HOUR", "TIMEZONE_MINUTE",
                            "TIMEZONE_REGION", "TIMEZONE_ABBR"})


def at_extract(p: ParserBase) -> bool:
    """Whether the tokens after ``EXTRACT`` are ``( field FROM`` (not XML's EXTRACT(xml, path))."""
    return p.is_op("(") and p.peek().kind is Kind.IDENT and p.peek().value in _FIELDS and \
        p.peek(2).kind is Kind.IDENT and p.peek(2).value == "FROM"


def extract(p: ParserBase, t: Token) -> Extract:
    p.expect_op("(")
    field = str(p.next().value)
    p.expect_kw("FROM")
    operand = p.expr()
    return Extract(t.pos, p.expect_op(")").end, field, operand)


def at_zone(p: ParserBase, operand: Expr) -> Expr:
    """``operand AT TIME ZONE zone`` / ``AT LOCAL`` after a primary, if they follow."""
    while p.is_kw("AT") and (p.peek().value == "LOCAL" or (p.peek().value == "TIME" and p.peek(2).value == "ZONE")):
        p.next()
        if p.accept_kw("LOCAL"):
            operand = AtZone(operand.start, p.tok.pos, operand, None)
            continue
        p.next()
        p.next()
        zone = p.expr()
        operand = AtZone(operand.start, zone.end, operand, zone)
    return operand


def _order_items(p: ParserBase) -> tuple[OrderItem, ...]:
    p.expect_kw("ORDER")
    p.expect_kw("BY")
    items = [p.order_item()]
    while p.accept_op(","):
        items.append(p.order_item())
    return tuple(items)


def _bound(p: ParserBase) -> tuple[str, Expr | None]:
    if p.accept_kw("UNBOUNDED"):
        if p.accept_kw("PRECEDING"):
            return "UNBOUNDED PRECEDING", None
        p.expect_kw("FOLLOWING")
        return "UNBOUNDED FOLLOWING", None
    if p.accept_kw("CURRENT"):
        p.expect_kw("ROW")
        return "CURRENT ROW", None
    offset = p.expr()
    if p.accept_kw("PRECEDING"):
        return "PRECEDING", offset
    p.expect_kw("FOLLOWING")
    return "FOLLOWING", offset


def over(p: ParserBase, call: Func) -> Over:
    """``OVER (...)`` after ``call``."""
    p.expect_kw("OVER")
    p.expect_op("(")
    partition: list[Expr] = []
    if p.accept_kw("PARTITION"):
        p.expect_kw("BY")
        partition.append(p.expr())
        while p.accept_op(","):
            partition.append(p.expr())
    order = _order_items(p) if p.is_kw("ORDER") else ()
    frame: Frame | None = None
    if p.is_kw("ROWS", "RANGE"):
        unit = str(p.next().value)
        if p.accept_kw("BETWEEN"):
            low, low_off = _bound(p)
            p.expect_kw("AND")
            high, high_off = _bound(p)
        else:
            low, low_off = _bound(p)
            high, high_off = "CURRENT ROW", None
        frame = Frame(unit, low, low_off, high, high_off)
    end = p.expect_op(")").end
    if frame is not None and not order:
        raise errors.ora(30485, call.start)
    return Over(call.start, end, call, tuple(partition), order, frame)


def overflow(p: ParserBase) -> tuple[bool, Expr | None, bool]:
    """LISTAGG's ``ON OVERFLOW ERROR | TRUNCATE ['filler'] [WITH | WITHOUT COUNT]``, if present."""
    if not p.accept_kw("ON"):
        return False, None, True
    p.expect_kw("OVERFLOW")
    if p.accept_kw("ERROR"):
        return False, None, True
    p.expect_kw("TRUNCATE")
    filler = None if p.is_kw("WITH", "WITHOUT") or p.is_op(")") else p.expr()
    with_count = True
    if p.accept_kw("WITHOUT"):
        with_count = False
        p.expect_kw("COUNT")
    elif p.accept_kw("WITH"):
        p.expect_kw("COUNT")
    return True, filler, with_count


def within_group(p: ParserBase, call: Func, spill: tuple[bool, Expr | None, bool]) -> WithinGroup:
    """``WITHIN GROUP (ORDER BY ...)`` after LISTAGG's arguments (``spill``: its ON OVERFLOW)."""
    p.expect_kw("WITHIN")
    p.expect_kw("GROUP")
    p.expect_op("(")
    order = _order_items(p)
    return WithinGroup(call.start, p.expect_op(")").end, call, order, *spill)
