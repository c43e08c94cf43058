"""Analytic calls, ``f(...) OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE ...)``, as sqlite window
functions, which have the same meaning: ROW_NUMBER, RANK, DENSE_RANK, NTILE, PERCENT_RANK,
CUME_DIST, LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE and the aggregates COUNT, SUM, AVG, MIN,
MAX, STDDEV / VARIANCE (and _POP / _SAMP).

Oracle's orderings are spelled out: NULLs sort last ascending and first descending unless NULLS
FIRST / LAST says otherwise.  SUM and AVG run in Decimal through the window forms of
runtime/fn_stats.py; MIN and MAX compare NUMBER bytes, which sort as the numbers do.  Frame offsets
must be integer literals for ROWS (sqlite's rule); a RANGE frame with an offset is not supported
(NUMBER keys are byte strings to sqlite).
"""

from __future__ import annotations

from typing import Any, Final

from .. import errors
from ..syntax.nodes import Expr, Func, Lit
from ..syntax.nodes_fn import Frame, Over
from ..types.datatypes import NUMBER, T
from ..types.numbers import num
from .base import TE, TranslatorBase
from .fn_calls import STATS, order_keys

__all__ = ["EXPR"]

_RANKING: Final = frozenset({"ROW_NUMBER", "RANK", "DENSE_RANK"})
_DISTRIBUTION: Final = frozenset({"PERCENT_RANK", "CUME_DIST"})
_VALUES: Final = frozenset({"FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "LAG", "LEAD"})
#: Frame bounds in the order they lie (a frame's start may not come after its end).
_ORDER: Final = {"UNBOUNDED PRECEDING": 0, "PRECEDING": 1, "CURRENT ROW": 2, "FOLLOWING": 3,
                 "UNBOUNDED FOLLOWING": 4}
#: A larger frame offset means the same as this one (more rows than any table here holds).
_MAX_OFFSET: Final = 2**31 - 1


def _positive_sql(tr: TranslatorBase, e: Expr) -> str:
    """An argument that must be a positive integer, checked as Oracle does (ORA-01428)."""
    te = tr.expr(e)
    return f"ora_positive_int({te.sql if te.intstore else tr.as_number(te).sql})"


def _int_sql(tr: TranslatorBase, e: Expr) -> str:
    te = tr.expr(e)
    if te.intstore:
        return te.sql
    return f"CAST(ora_num_to_float({tr.as_number(te).sql}) AS INTEGER)"


def _bound(kind: str, offset: Expr | None, unit: str, pos: int) -> str:
    if offset is None:
        return kind
    if unit == "RANGE":
        raise errors.unsupported("RANGE windows with an offset", pos)
    value = num(offset.value) if isinstance(offset, Lit) and offset.type.t is T.NUMBER else None
    if value is None or value < 0 or value != int(value):
        raise errors.unsupported("a window offset other than a non-negative integer literal", offset.start)
    return f"{min(int(value), _MAX_OFFSET)} {kind}"


def _frame(f: Frame, pos: int) -> str:
    # a frame must not start after it ends (ORA-30486): UNBOUNDED FOLLOWING cannot start it, nor
    # UNBOUNDED PRECEDING end it, and CURRENT ROW cannot start one ending n PRECEDING
    if f.low == "UNBOUNDED FOLLOWING" or f.high == "UNBOUNDED PRECEDING" or _ORDER[f.low] > _ORDER[f.high]:
        raise errors.ora(30486, pos)
    low = _bound(f.low, f.low_offset, f.unit, pos)
    high = _bound(f.high, f.high_offset, f.unit, pos)
    return f" {f.unit} BETWEEN {low} AND {high}"


def _window(tr: TranslatorBase, e: Over) -> str:
    parts: list[str] = []
    if e.partition:
        keys = []
        for p in e.partition:
            te = tr.expr(p)
            keys.append(tr.as_blob_number(te).sql if te.type.t is T.NUMBER else te.sql)
        parts.append("PARTITION BY " + ", ".join(keys))
    if e.order:
        keys, spec = order_keys(tr, e.order)
        items = [f"{k} {'DESC' if spec[2 * i] == 'D' else 'ASC'} NULLS {'FIRST' if spec[2 * i + 1] == 'F' else 'LAST'}"
                 for i, k in enumerate(keys)]
        parts.append("ORDER BY " + ", ".join(items))
    frame = _frame(e.frame, e.start) if e.frame is not None else ""
    return f"OVER ({' '.join(parts)}{frame})"


def _call(tr: TranslatorBase, f: Func) -> TE:
    """The function before OVER, as sqlite's window function of the same meaning."""
    name = f.name
    if f.distinct:
        raise errors.unsupported(f"{name}(DISTINCT ...) OVER", f.start)
    if name in _RANKING or name in _DISTRIBUTION:
        if f.args or f.star:
            raise errors.ora(909, f.start)
        if name in _RANKING:
            return TE(f"{name.lower()}()", NUMBER, intstore=True)
        return TE(f"{name.lower()}()", NUMBER)
    if name == "NTILE":
        if len(f.args) != 1:
            raise errors.ora(909, f.start)
        return TE(f"ntile({_positive_sql(tr, f.args[0])})", NUMBER, intstore=True)
    if name == "COUNT":
        if f.star:
            return TE("count(*)", NUMBER, intstore=True)
        if len(f.args) != 1:
            raise errors.ora(909, f.start)
        return TE(f"count({tr.expr(f.args[0]).sql})", NUMBER, intstore=True)
    if f.star:
        raise errors.ora(936, f.start)
    if name in _VALUES:
        return _value_call(tr, f)
    if len(f.args) != 1:
        raise errors.ora(909, f.start)
    x = tr.expr(f.args[0])
    if name in ("MIN", "MAX"):
        if x.type.t is T.NUMBER:
            x = tr.as_blob_number(x)
        return TE(f"{name.lower()}({x.sql})", x.type)
    sqlite_name = {"SUM": "ora_sum_w", "AVG": "ora_avg_w"}.get(name) or STATS.get(name)
    if sqlite_name is None:
        raise errors.unsupported(f"{name} as an analytic function", f.start)
    return TE(f"{sqlite_name}({tr.as_blob_number(x).sql})", NUMBER)


def _value_call(tr: TranslatorBase, f: Func) -> TE:
    name = f.name
    limits = {"FIRST_VALUE": (1, 1), "LAST_VALUE": (1, 1), "NTH_VALUE": (2, 2), "LAG": (1, 3), "LEAD": (1, 3)}
    low, high = limits[name]
    if not low <= len(f.args) <= high:
        raise errors.ora(909, f.start)
    x = tr.expr(f.args[0])
    if x.type.t is T.NUMBER:
        x = tr.as_blob_number(x)
    if name in ("FIRST_VALUE", "LAST_VALUE"):
        return TE(f"{name.lower()}({x.sql})", x.type)
    if name == "NTH_VALUE":
        return TE(f"nth_value({x.sql}, {_positive_sql(tr, f.args[1])})", x.type)
    offset = _int_sql(tr, f.args[1]) if len(f.args) > 1 else "1"
    if len(f.args) < 3:
        return TE(f"{name.lower()}({x.sql}, {offset})", x.type)
    sqls, t = tr.unify([x, tr.expr(f.args[2])])
    return TE(f"{name.lower()}({sqls[0]}, {offset}, {sqls[1]})", t)


def over(tr: TranslatorBase, e: Over) -> TE:
    """``call OVER (...)``."""
    fn = _call(tr, e.call)
    return TE(f"{fn.sql} {_window(tr, e)}", fn.type, intstore=fn.intstore)


# Handlers take the node of their key's type (typed loosely, as translator.py's table is).
#: Expression node type -> translation (translator.py's table takes these in).
EXPR: Final[dict[type[Expr], Any]] = {Over: over}
