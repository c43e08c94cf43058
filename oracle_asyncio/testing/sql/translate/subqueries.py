"""Subqueries -> sqlite: scalar subqueries, [NOT] IN (SELECT ...), [NOT] EXISTS,
and comparisons with ANY / SOME / ALL (a subquery or a list).

A subquery is planned as a query level of its own (joins.subquery_plan) whose
scope links to the enclosing one, so correlated references work.  Its select
list is converted inside the subquery to the type the comparison needs
(TranslatorBase.comparable), so NUMBER bytes, blank-padded CHAR and dates compare
as in Oracle.  A scalar subquery goes through the ``ora_scalar`` aggregate,
which fails with ORA-01427 at a second row.
"""

from __future__ import annotations


from .. import errors
from ..syntax.nodes import Exists, Expr, InSelect, OuterMark, QuantCompare, RowValue, Select, Subquery
from .base import TE, TranslatorBase


__all__ = ["exists_condition", "in_select_condition", "misplaced_outer_mark", "misplaced_row", "quantified_condition",
           "scalar_subquery"]

_NEGATED = {"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _too_many_values(position: int = 0) -> errors.OraError:
    return errors.ora(913, position)


def _single(tes: list[TE], position: int) -> TE:
    if len(tes) > 1:
        raise _too_many_values(position)
    return tes[0]


def scalar_subquery(tr: TranslatorBase, e: Subquery) -> TE:
    intstore: list[bool] = []

    def shape(tes: list[TE]) -> list[str]:
        te = _single(tes, e.start)
        intstore.append(te.intstore)
        return [te.sql]

    plan = tr.subquery_plan(e.query, tr.scope, normalize=True, shape=shape)
    return TE(f"(SELECT ora_scalar(q.c_1) FROM ({plan.sql}) AS q)", plan.columns[0].type,
              intstore=intstore[0])


def misplaced_row(tr: TranslatorBase, e: RowValue) -> TE:
    """A row of values where one value is expected."""
    raise errors.ora(907, e.items[0].end)


def misplaced_outer_mark(tr: TranslatorBase, e: OuterMark) -> TE:
    """``col (+)`` outside a WHERE join condition."""
    raise errors.ora(920, e.start, note="the (+) operator belongs in WHERE join conditions")


def exists_condition(tr: TranslatorBase, e: Exists) -> str:
    plan = tr.subquery_plan(e.query, tr.scope, normalize=False)
    return f"(EXISTS ({plan.sql}))"


def in_select_condition(tr: TranslatorBase, e: InSelect) -> str:
    if isinstance(e.operand, RowValue):
        return _row_in(tr, e, e.operand, e.query)
    a, plan = _compared(tr, e.operand, e.query, e.start)
    return f"({a} {'NOT ' if e.negate else ''}IN ({plan}))"


def quantified_condition(tr: TranslatorBase, e: QuantCompare) -> str:
    """``x op ANY/ALL (list)`` and ``x op ANY/ALL (subquery)``."""
    if e.query is None:
        left = tr.expr(e.left)
        pairs = [tr.comparable(left, tr.expr(item)) for item in e.items]
        joiner = " OR " if e.quantifier == "ANY" else " AND "
        return "(" + joiner.join(f"{a} {e.op} {b}" for a, b in pairs) + ")"
    if isinstance(e.left, RowValue):
        raise errors.unsupported("ANY / ALL with a row of values", e.start)
    a, plan = _compared(tr, e.left, e.query, e.start)
    if e.op == "=" and e.quantifier == "ANY":
        return f"({a} IN ({plan}))"
    if e.op == "<>" and e.quantifier == "ALL":
        return f"({a} NOT IN ({plan}))"
    # Three-valued: ANY is true if one comparison is, unknown if one is unknown and
    # none true, else false; ALL is false if one is false, unknown if one is unknown.
    rows = f"SELECT 1 FROM ({plan}) AS q WHERE"
    test = f"({a} {e.op} q.c_1)"
    unknown = f"WHEN EXISTS ({rows} {test} IS NULL) THEN NULL"
    if e.quantifier == "ANY":
        return f"(CASE WHEN EXISTS ({rows} {test}) THEN 1 {unknown} ELSE 0 END)"
    return f"(CASE WHEN EXISTS ({rows} {a} {_NEGATED[e.op]} q.c_1) THEN 0 {unknown} ELSE 1 END)"


def _compared(tr: TranslatorBase, operand: Expr, query: Select, position: int) -> tuple[str, str]:
    """``operand`` and the one-column ``query`` brought to one comparison type: (the
    operand's SQL, the query's SQL)."""
    left = tr.expr(operand)
    lhs: list[str] = []

    def shape(tes: list[TE]) -> list[str]:
        a, b = tr.comparable(left, _single(tes, position))
        lhs.append(a)
        return [b]

    plan = tr.subquery_plan(query, tr.scope, normalize=True, shape=shape)
    return lhs[0], plan.sql


def _row_in(tr: TranslatorBase, e: InSelect, row: RowValue, query: Select) -> str:
    """``(a, b) [NOT] IN (SELECT x, y ...)``: sqlite row values, pairwise Oracle comparisons."""
    lefts = [tr.expr(item) for item in row.items]
    lhs: list[str] = []

    def shape(tes: list[TE]) -> list[str]:
        if len(tes) != len(lefts):
            raise _too_many_values(e.start) if len(tes) > len(lefts) else \
                errors.ora(947, e.start)
        pairs = [tr.comparable(a, b) for a, b in zip(lefts, tes)]
        lhs.extend(a for a, _ in pairs)
        return [b for _, b in pairs]

    plan = tr.subquery_plan(query, tr.scope, normalize=True, shape=shape)
    return f"(({', '.join(lhs)}) {'NOT ' if e.negate else ''}IN ({plan.sql}))"
