"""SELECT -> sqlite: select list, WHERE, CONNECT BY LEVEL generator, GROUP BY, ORDER BY, paging."""

from __future__ import annotations


from .. import errors
from ..types.datatypes import T
from ..syntax.nodes import Col, Lit, Select
from ..types.numbers import num
from .joins import expand_star, item_nullable
from .base import OutColumn, QueryPlan, Shape, TE, TranslatorBase, no_long


__all__ = ["build_select"]


def build_select(tr: TranslatorBase, s: Select, from_sql: str, *, normalize: bool = False,
                 shape: Shape | None = None) -> QueryPlan:
    """``from_sql``: the translated FROM list (joins.py, which set up ``tr.scope``).

    ``normalize``: NUMBERs as NUMBER bytes and columns named ``c_1, ...`` (a subquery
    or inline view); ``shape`` rewrites the translated select list (subqueries.py)."""
    cols: list[OutColumn] = []
    tes: list[TE] = []
    for item in s.items:
        if item.expr is None:
            for name, typ, nullable, sql in expand_star(tr, item):
                cols.append(OutColumn(name, typ, nullable))
                tes.append(TE(sql, typ))
            continue
        te = tr.expr(item.expr)
        cols.append(OutColumn(item.name, te.type, item_nullable(tr, item.expr)))
        tes.append(te)
    if shape is not None:
        sqls = shape(tes)
    elif normalize:
        sqls = [tr.as_blob_number(te).sql if te.intstore else te.sql for te in tes]
    else:
        sqls = [te.sql for te in tes]
    parts = ["SELECT"]
    if s.distinct:
        no_long(*tes)
        parts.append("DISTINCT")
    if normalize or shape is not None:
        parts.append(", ".join(f"{sql} AS c_{i + 1}" for i, sql in enumerate(sqls)))
    else:
        parts.append(", ".join(sqls))
    if s.connect_limit is not None:
        limit = tr.as_number(tr.expr(s.connect_limit)).sql
        op = "<" if s.connect_strict else "<="
        prefix = (
            "WITH RECURSIVE _lvl(lvl) AS (SELECT 1 UNION ALL SELECT lvl + 1 FROM _lvl "
            f"WHERE lvl + 1 {op} (SELECT ora_num_to_float({limit}))) "
        )
        # LEVEL 1 always exists in Oracle (the root row), even when the limit excludes it.
        alias = from_sql.rpartition(" AS ")[2]
        parts = [prefix] + parts + [f"FROM _lvl, (SELECT 'X' AS c0) AS {alias}"]
    else:
        parts.append("FROM " + from_sql)
    if s.where is not None:
        parts.append("WHERE " + tr.cond(s.where))
    if s.group_by:
        parts.append("GROUP BY " + ", ".join(_group_key(tr, tr.expr(g)) for g in s.group_by))
    if s.having is not None:
        parts.append("HAVING " + tr.cond(s.having))
    if s.order_by:
        keys = []
        aliases = {it.alias: i for i, it in enumerate(s.items) if it.alias is not None}
        if s.joins:  # a select-list column name wins over the (maybe ambiguous) FROM columns
            names = [it.name if it.expr is not None else "*" for it in s.items]
            for i, name in enumerate(names):
                if name != "*" and names.count(name) == 1:
                    aliases.setdefault(name, i)
        for o in s.order_by:
            key: str
            if isinstance(o.expr, Lit) and o.expr.type.t is T.NUMBER:
                d = num(o.expr.value)
                if d is None or d != int(d) or not 1 <= int(d) <= len(sqls):
                    raise errors.ora(1785, o.expr.start)
                key = str(int(d))
            elif isinstance(o.expr, Col) and o.expr.table is None and o.expr.name in aliases:
                key = str(aliases[o.expr.name] + 1)
            else:
                key = _group_key(tr, tr.expr(o.expr))
            nulls_first = o.nulls_first if o.nulls_first is not None else o.desc
            keys.append(f"{key} {'DESC' if o.desc else 'ASC'} NULLS {'FIRST' if nulls_first else 'LAST'}")
        parts.append("ORDER BY " + ", ".join(keys))
    if s.fetch is not None or s.offset is not None:
        fetch = "-1" if s.fetch is None else f"CAST(ora_num_to_float({tr.as_number(tr.expr(s.fetch)).sql}) AS INTEGER)"
        offset = "0" if s.offset is None else \
            f"CAST(ora_num_to_float({tr.as_number(tr.expr(s.offset)).sql}) AS INTEGER)"
        parts.append(f"LIMIT max({fetch}, 0) OFFSET max({offset}, 0)" if s.fetch is not None else
                     f"LIMIT -1 OFFSET max({offset}, 0)")
    return QueryPlan(" ".join(parts), dict(tr.params), tuple(cols))


def _group_key(tr: TranslatorBase, te: TE) -> str:
    """Sort/group key: NUMBER keys are BLOB encodings (LEVEL/COUNT stay INTEGER, alone in their column)."""
    no_long(te)
    return te.sql
