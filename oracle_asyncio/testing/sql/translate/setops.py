"""Compound queries: UNION [ALL], INTERSECT [ALL], MINUS [ALL] (EXCEPT is MINUS).

Oracle gives the set operators equal precedence and evaluates them left to right
(parentheses group), as sqlite does.  A compound's ORDER BY / OFFSET / FETCH
apply to the whole result, and may name the columns of the first branch (or use
positions).  The parser therefore builds

    SELECT * FROM (<first branch> with ``setops`` = the later branches) <ORDER BY ...>

and :func:`plan_compound` translates the inner node: every branch as an inline
view (NUMBERs as NUMBER bytes, columns ``c_1, ...``) joined by sqlite's compound
operators.  Branches must agree in column count (ORA-01789) and in datatype group
(ORA-01790); the result takes the first branch's column names.
"""

from __future__ import annotations

from dataclasses import replace


from .. import errors
from ..types.datatypes import CHARACTER, DATETIME, FLOATS, T, SqlType
from ..syntax.nodes import Select
from .base import OutColumn, QueryPlan, QueryScope, TableScope, TranslatorBase


__all__ = ["plan_compound"]

_MAX_TERMS = 400
_SQLITE_OP = {"UNION": "UNION", "UNION ALL": "UNION ALL", "INTERSECT": "INTERSECT", "MINUS": "EXCEPT"}


def _group(t: T) -> str:
    if t in CHARACTER:
        return "CHAR"
    if t in DATETIME:
        return "DATE"
    if t is T.NUMBER or t in FLOATS:
        return "NUMBER"
    return str(t.value)


def plan_compound(tr: TranslatorBase, s: Select, parent: TableScope | QueryScope | None) -> QueryPlan:
    """SQL of a compound query node (``s.setops`` set), columns ``c_1, ...``."""
    plans = [tr.subquery_plan(replace(s, setops=()), parent, normalize=True)]
    for _, branch in s.setops:
        plans.append(tr.subquery_plan(branch, parent, normalize=True))
    width = len(plans[0].columns)
    for plan in plans[1:]:
        if len(plan.columns) != width:
            raise errors.ora(1789)
    columns: list[OutColumn] = []
    for i in range(width):
        cols = [plan.columns[i] for plan in plans]
        typ: SqlType = cols[0].type
        for c in cols:
            if c.type.t is T.NULL:
                continue
            if typ.t is T.NULL:
                typ = c.type
            elif _group(c.type.t) != _group(typ.t):
                raise errors.ora(1790)
            elif typ.t in (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR) and c.type.size > typ.size:
                typ = replace(typ, size=c.type.size)
        if typ.t in (T.CLOB, T.NCLOB, T.BLOB) and any(op != "UNION ALL" for op, _ in s.setops):
            raise errors.inconsistent_types("-", typ.t.value)
        columns.append(OutColumn(cols[0].name, typ, any(c.nullable for c in cols)))
    names = ", ".join(f"c_{i + 1}" for i in range(width))
    ops = {op for op, _ in s.setops}
    if len(ops) == 1 and ops <= {"UNION ALL", "UNION"} and len(plans) > _MAX_TERMS:
        return QueryPlan(_balanced(names, ops.pop(), [p.sql for p in plans]), dict(tr.params), tuple(columns))
    sql = f"SELECT {names} FROM ({plans[0].sql})"
    terms = 1
    for (op, _), plan in zip(s.setops, plans[1:]):
        if op in _SQLITE_OP:
            if terms >= _MAX_TERMS:  # sqlite allows 500 terms per compound: nest the (left-associative) prefix
                sql, terms = f"SELECT {names} FROM ({sql})", 1
            sql += f" {_SQLITE_OP[op]} SELECT {names} FROM ({plan.sql})"
            terms += 1
            continue
        terms = 1
        # MINUS ALL / INTERSECT ALL (multisets): number the duplicates of each row, then compare as sets
        numbered = f"ROW_NUMBER() OVER (PARTITION BY {names}) AS _dup"
        keyword = "EXCEPT" if op == "MINUS ALL" else "INTERSECT"
        sql = (f"SELECT {names} FROM (SELECT {names}, {numbered} FROM ({sql}) {keyword} "
               f"SELECT {names}, {numbered} FROM ({plan.sql}))")
    return QueryPlan(sql, dict(tr.params), tuple(columns))


def _balanced(names: str, op: str, branches: list[str]) -> str:
    """A long chain of one associative operator (UNION ALL or UNION) as groups of at most
    _MAX_TERMS terms, groups of groups and so on: nesting grows with log(n), not n / 400."""
    parts = [f"SELECT {names} FROM ({b})" for b in branches]
    while len(parts) > _MAX_TERMS:
        parts = [f"SELECT {names} FROM (" + f" {op} ".join(parts[i:i + _MAX_TERMS]) + ")"
                 for i in range(0, len(parts), _MAX_TERMS)]
    return f" {op} ".join(parts)
