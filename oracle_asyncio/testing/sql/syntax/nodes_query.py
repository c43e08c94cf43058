"""AST nodes for joins and subqueries (parser_query.py builds them, joins.py and
subqueries.py translate them); the single-table nodes live in nodes.py."""

from __future__ import annotations

from dataclasses import dataclass

from .nodes import Col, Expr, Select, TableRef

__all__ = ["Subquery", "Exists", "InSelect", "QuantCompare", "DerivedTable", "Join", "FromSource", "OuterMark", "RowValue"]


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
