"""One query level: the order of the rewrites a SELECT goes through before it is translated
(compound queries, Oracle's ``(+)`` joins, ROWNUM limits, then FROM and the select list)."""

from __future__ import annotations

from ..syntax.nodes import Select
from .joins import from_sql
from .outer_plus import has_outer_marks, rewrite_outer_marks
from .query import build_select
from .rownum import apply_rownum_limit
from .setops import plan_compound
from .base import QueryPlan, QueryScope, Shape, TableScope, TranslatorBase

__all__ = ["plan_select", "subquery_plan"]


def plan_select(tr: TranslatorBase, s: Select) -> QueryPlan:
    """The top-level query (or INSERT ... SELECT's): first source aliased ``t``."""
    return subquery_plan(tr, s, tr.scope, normalize=False, top=True)


def subquery_plan(tr: TranslatorBase, s: Select, parent: TableScope | QueryScope | None, *, normalize: bool,
                  top: bool = False, shape: Shape | None = None) -> QueryPlan:
    """Plan ``s`` as a query level of its own (its scope's parent: ``parent``).

    ``normalize``: name the select-list columns ``c_1, ...`` and store NUMBERs as
    NUMBER bytes, as an inline view or a subquery needs them."""
    if s.setops:
        return plan_compound(tr, s, parent)
    if s.where is not None and has_outer_marks(s):
        s = rewrite_outer_marks(tr.catalog, tr.ctx.principal, s)
    s = apply_rownum_limit(s)
    saved = tr.scope
    counter = saved.counter if isinstance(saved, QueryScope) else [0]
    scope = QueryScope([], parent, counter, level=s.connect_limit is not None)
    tr.scope = scope
    try:
        first_alias = "t" if top and parent is None else scope.new_alias()
        scope.prefix = first_alias
        sql = from_sql(tr, s, scope, first_alias)
        return build_select(tr, s, sql, normalize=normalize, shape=shape)
    finally:
        tr.scope = saved

