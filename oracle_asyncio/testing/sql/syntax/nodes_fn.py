"""Expression nodes of the built-ins with a grammar of their own: EXTRACT, ``AT TIME ZONE``,
analytic calls (``OVER (...)``) and ``WITHIN GROUP (ORDER BY ...)`` (parser_fn.py builds them)."""

from __future__ import annotations

from dataclasses import dataclass

from .nodes import Expr, Func, OrderItem

__all__ = ["AtZone", "Extract", "Frame", "Over", "WithinGroup"]


@dataclass(frozen=True, slots=True)
class Extract(Expr):
    """``EXTRACT(field FROM operand)``; ``field`` upper-case (YEAR ... TIMEZONE_ABBR)."""

    field: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class AtZone(Expr):
    """``operand AT TIME ZONE zone``, or ``AT LOCAL`` (``zone`` None)."""

    operand: Expr
    zone: Expr | None


@dataclass(frozen=True, slots=True)
class Frame:
    """A window's frame: ``unit`` ROWS or RANGE, each bound a kind (``UNBOUNDED PRECEDING``,
    ``PRECEDING``, ``CURRENT ROW``, ``FOLLOWING``, ``UNBOUNDED FOLLOWING``) and its offset."""

    unit: str
    low: str
    low_offset: Expr | None
    high: str
    high_offset: Expr | None


@dataclass(frozen=True, slots=True)
class Over(Expr):
    """``call OVER (PARTITION BY ... ORDER BY ... frame)``."""

    call: Func
    partition: tuple[Expr, ...]
    order: tuple[OrderItem, ...]
    frame: Frame | None


@dataclass(frozen=True, slots=True)
class WithinGroup(Expr):
    """``LISTAGG(x, sep [ON OVERFLOW ...]) WITHIN GROUP (ORDER BY ...)``: ``truncate`` for ON
    OVERFLOW TRUNCATE (else ERROR), its ``filler`` (None: ``'...'``) and WITH / WITHOUT COUNT."""

    call: Func
    order: tuple[OrderItem, ...]
    truncate: bool = False
    filler: Expr | None = None
    with_count: bool = True
