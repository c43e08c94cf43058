"""ROWNUM: ``WHERE ROWNUM <= n`` (Oracle's classic top-N, usually over an ordered
inline view) becomes a row limit; ROWNUM in the select list numbers the rows
as they pass WHERE, before ORDER BY, as Oracle does (sqlite ``row_number() OVER ()``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace

from .. import errors
from ..types.datatypes import NUMBER, T, number_bytes
from ..syntax.nodes import Chain, Compare, Expr, Func, Lit, Pseudo, Select
from .outer_plus import and_all, conjuncts
from .base import AGGREGATES

__all__ = ["apply_rownum_limit"]

_FLIP = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "=": "="}


def _mentions(node: object, hit: Callable[[object], bool]) -> bool:
    """Whether ``hit`` holds for a node of this query level (subqueries not searched)."""
    if isinstance(node, Select):
        return False
    if hit(node):
        return True
    if isinstance(node, tuple):
        return any(_mentions(x, hit) for x in node)
    if isinstance(node, Expr) and is_dataclass(node):
        return any(_mentions(getattr(node, f.name), hit) for f in fields(node))
    return False


def _rownum(node: object) -> bool:
    return isinstance(node, Pseudo) and node.name == "ROWNUM"


def _aggregate(node: object) -> bool:
    return isinstance(node, Func) and node.name in AGGREGATES


def _limit(c: Expr) -> Expr | None:
    """The row limit a ``ROWNUM <= n`` style conjunct sets, else None."""
    if not isinstance(c, Compare):
        return None
    if _rownum(c.left):
        op, bound = c.op, c.right
    elif _rownum(c.right):
        op, bound = _FLIP[c.op], c.left
    else:
        return None
    if _mentions(bound, _rownum):
        return None
    if op == "<=":
        return bound
    if op == "<":
        one = Lit(bound.start, bound.end, number_bytes(1), NUMBER)
        return Chain(bound.start, bound.end, bound, (("-", one),))
    if op == "=" and isinstance(bound, Lit) and bound.type.t is T.NUMBER and bound.value == number_bytes(1):
        return bound
    return None


def apply_rownum_limit(s: Select) -> Select:
    """``s`` with its ``ROWNUM <= n`` conjuncts turned into FETCH FIRST n ROWS."""
    if s.where is None or not _mentions(s.where, _rownum):
        return s
    kept: list[Expr] = []
    limits: list[Expr] = []
    for c in conjuncts(s.where):
        bound = _limit(c)
        if bound is None:
            if _mentions(c, _rownum):
                raise errors.unsupported("this use of ROWNUM (only ROWNUM <= n / < n / = 1 in WHERE)", c.start)
            kept.append(c)
        else:
            limits.append(bound)
    if s.group_by or s.having is not None or s.distinct or s.order_by or s.offset is not None or \
            s.fetch is not None or _mentions(tuple(it.expr for it in s.items), _aggregate):
        raise errors.unsupported("ROWNUM limits with ORDER BY, GROUP BY, DISTINCT, FETCH or aggregates at the "
                                 "same level (order in an inline view)", s.where.start)
    if len(limits) > 1:
        raise errors.unsupported("more than one ROWNUM limit", s.where.start)
    return replace(s, where=and_all(kept), fetch=limits[0])
