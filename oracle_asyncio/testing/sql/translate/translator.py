"""AST -> sqlite SQL + named parameters, applying Oracle's rules.

Every expression is translated to a :class:`TE` (sqlite text, Oracle type,
storage flag).  Conversions between types are explicit calls to the functions
of runtime/functions.py, chosen statically from the operand types:

* NUMBER compares natively (BLOB memcmp of Oracle NUMBER bytes); arithmetic
  and aggregates go through ``ora_*`` Decimal functions;
* a character operand meets a NUMBER -> it becomes a NUMBER (ORA-01722 if not
  numeric); a character operand meets a date -> it becomes a date;
* CHAR against CHAR or a text literal compares blank-padded (both rtrimmed);
* ``||`` skips NULLs; ``''`` is NULL; ascending sorts put NULLs last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from .. import errors
from ..catalog import dictionary
from ..catalog.schema import DUAL, V_SESSION, Column, Table
from ..catalog.views import SEQUENCE_VIEWS, VIEWS
from ..syntax.nodes import (
    Between, Bind, Case, Cast, Chain, Col, Compare, Exists, Expr, Func, InList, InSelect, IsNull, Like, Lit, Logic, Not,
    OuterMark, Pseudo, QuantCompare, RowValue, Select, SeqRef, Subquery, Unary,
)
from ..syntax.plnodes import PlField, PlIndexed, PlPower
from ..types.datatypes import NULLTYPE, NUMBER, ROWID, SqlType, T, bind_type, date_text, number_bytes, tz_text, varchar
from ..types.rowids import object_id
from . import analytic, fn_calls
from ..types.zones import DB_TIME_ZONE, zone_info
from . import select as _select
from .base import INTERVALS, IV_KIND, TE, QueryPlan, QueryScope, Shape, TableScope, TranslatorBase
from .calls import call
from .chains import GROUP, chain, flat_join, merge_equalities
from .joins import resolve_column
from .pkgcalls import package_column
from .seqsql import seq_expr, view_source
from .subqueries import (
    exists_condition, in_select_condition, misplaced_outer_mark, misplaced_row, quantified_condition, scalar_subquery,
)

__all__ = ["Translator"]


class Translator(TranslatorBase):
    """Expressions, conditions and queries: each node type goes to its translation through a table
    (:data:`_EXPR`, :data:`_COND`); a pass module owns each larger construct."""

    def expr(self, e: Expr) -> TE:
        handler = _EXPR.get(type(e))
        if handler is None:
            return self.condition_value(e)
        return handler(self, e)

    def cond(self, e: Expr) -> str:
        handler = _COND.get(type(e))
        if handler is None:
            te = self.expr(e)
            if te.type.t is T.BOOLEAN:
                return f"({te.sql} <> 0)"
            raise errors.ora(920, e.end)
        return handler(self, e)

    def select(self, s: Select) -> QueryPlan:
        return _select.plan_select(self, s)

    def subquery_plan(self, s: Select, parent: TableScope | QueryScope | None, *, normalize: bool,
                      top: bool = False, shape: Shape | None = None) -> QueryPlan:
        return _select.subquery_plan(self, s, parent, normalize=normalize, top=top, shape=shape)

    def from_clause(self, table: Table, alias: str = "t") -> str:
        if table is DUAL:
            return f"(SELECT 'X' AS c0) AS {alias}"
        if table is V_SESSION:
            rows = self.ctx.sessions()
            if not rows:
                return "(SELECT " + ", ".join(f"NULL AS c{i}" for i in range(8)) + f" WHERE 0) AS {alias}"
            selects = []
            for row in rows:
                values = [number_bytes(int(str(row[0]))), number_bytes(int(str(row[1])))] + [
                    (None if v is None else str(v) or None) for v in row[2:8]
                ]
                selects.append("SELECT " + ", ".join(f"{self.param(v)} AS c{i}" for i, v in enumerate(values)))
            return "(" + " UNION ALL ".join(selects) + f") AS {alias}"
        if not table.sql_name and table.name in SEQUENCE_VIEWS:
            return view_source(self, table, alias)
        if not table.sql_name and table.schema == "SYS":
            if VIEWS.get(table.name) is table:
                return dictionary.view_source(self.catalog, self.ctx, table, alias)
        return f'"{table.sql_name}" AS {alias}'


# ---- expressions ---------------------------------------------------------------------------------
def _lit(tr: Translator, e: Lit) -> TE:
    if e.value is None:
        return TE("NULL", e.type if e.type.t is not T.CHAR else NULLTYPE)
    if isinstance(e.value, bytes):
        return TE(f"X'{e.value.hex()}'", e.type)
    if isinstance(e.value, str):
        return TE(tr.param(e.value), e.type, literal_char=True)
    return TE(tr.param(e.value), e.type)


def _bind(tr: Translator, e: Bind) -> TE:
    if e.name not in tr.binds:
        raise errors.not_all_bound()
    value, t = bind_type(tr.binds[e.name])
    if t.t is T.VARCHAR:
        t = varchar(4000)
    return TE(tr.param(value), t)


def _column(tr: Translator, e: Col) -> TE:
    packaged = package_column(tr, e)  # dbms_random.value: a call without parentheses
    if packaged is not None:
        return packaged
    scope = tr.scope
    if isinstance(scope, QueryScope):
        return resolve_column(tr, scope, e)
    if scope is None:
        raise errors.invalid_identifier(e.name, e.start)
    if e.table is not None and e.table not in (scope.alias, scope.table.name):
        raise errors.ora(904, e.start, name=f'"{e.table}"."{e.name}"')
    col = scope.table.column(e.name)
    if col is None:
        if e.table is None and e.name == "LEVEL" and scope.level:
            return TE("_lvl.lvl", NUMBER, intstore=True)
        if e.name == "ROWID" and not scope.level:
            oid = object_id(scope.table)
            return TE(f"ora_rowid({oid}, {scope.prefix}.rowid)", ROWID, rowid_of=oid)
        raise errors.invalid_identifier(e.name, e.start)
    return TE(f"{scope.prefix}.{col.sql}", col.type)


def _pseudo(tr: Translator, e: Pseudo) -> TE:
    n = e.name
    if n == "USER":
        return TE(tr.param(tr.ctx.user), varchar(128))
    # SYSDATE and SYSTIMESTAMP are the server's clock; the CURRENT_ and LOCAL ones, the session's zone
    zone = tr.ctx.nls.get("TIME_ZONE", DB_TIME_ZONE)
    session_now = tr.ctx.now.astimezone().astimezone(zone_info(zone))
    if n == "SYSDATE":
        return TE(tr.param(date_text(tr.ctx.now.replace(microsecond=0))), SqlType(T.DATE))
    if n == "CURRENT_DATE":
        return TE(tr.param(date_text(session_now.replace(microsecond=0, tzinfo=None))), SqlType(T.DATE))
    if n == "SYSTIMESTAMP":
        return TE(tr.param(tz_text(tr.ctx.now.astimezone())), SqlType(T.TIMESTAMP_TZ, scale=6))
    if n == "CURRENT_TIMESTAMP":
        return TE(tr.param(tz_text(session_now)), SqlType(T.TIMESTAMP_TZ, scale=6))
    if n == "LOCALTIMESTAMP":
        return TE(tr.param(date_text(session_now.replace(tzinfo=None))), SqlType(T.TIMESTAMP, scale=6))
    if n == "LEVEL":
        if tr.scope is None or not tr.scope.level:
            raise errors.unsupported("LEVEL outside CONNECT BY", e.start)
        return TE("_lvl.lvl", NUMBER, intstore=True)
    if n in ("SESSIONTIMEZONE", "DBTIMEZONE"):
        return TE(tr.param(zone if n == "SESSIONTIMEZONE" else DB_TIME_ZONE), varchar(75))
    if n == "ROWNUM" and isinstance(tr.scope, QueryScope):
        return TE("row_number() OVER ()", NUMBER, intstore=True)  # select list: rownum.py
    if n == "UID":
        return TE(tr.param(number_bytes(100)), NUMBER)
    raise errors.unsupported(n, e.start)


def _unary(tr: Translator, e: Unary) -> TE:
    x = tr.expr(e.operand)
    if x.type.t in (T.BFLOAT, T.BDOUBLE):
        return TE(f"(-{x.sql})", x.type)
    if x.type.t in INTERVALS:
        return TE(f"ora_iv_neg({x.sql}, '{IV_KIND[x.type.t]}')", x.type)
    return TE(f"ora_neg({tr.as_number(x).sql})", NUMBER)


def _cast(tr: Translator, e: Cast) -> TE:
    # converted and checked as a store into a column of that type would be
    target = Column("CAST", e.type, True, None, "")
    return TE(tr.fit(tr.expr(e.operand), target, Table("", "", "", [target])), e.type)


def _case(tr: Translator, e: Case) -> TE:
    results = [tr.expr(r) for _, r in e.whens]
    if e.default is not None:
        results.append(tr.expr(e.default))
    sqls, t = tr.unify(results)
    parts = ["CASE"]
    if e.operand is not None:
        operand = tr.expr(e.operand)
        for (w, _), r in zip(e.whens, sqls):
            a, b = tr.comparable(operand, tr.expr(w))
            parts.append(f"WHEN {a} = {b} THEN {r}")
    else:
        for (w, _), r in zip(e.whens, sqls):
            parts.append(f"WHEN {tr.cond(w)} THEN {r}")
    if e.default is not None:
        parts.append(f"ELSE {sqls[-1]}")
    parts.append("END")
    return TE(" ".join(parts), t)


# ---- conditions ----------------------------------------------------------------------------------
def _logic(tr: Translator, e: Logic) -> str:
    terms = merge_equalities(e.terms) if e.op == "OR" and len(e.terms) > GROUP else e.terms
    return flat_join([tr.cond(t) for t in terms], e.op)


def _not(tr: Translator, e: Not) -> str:
    return f"(NOT {tr.cond(e.operand)})"


def _compare(tr: Translator, e: Compare) -> str:
    left, right = tr.expr(e.left), tr.expr(e.right)
    if e.op == "=" and (left.rowid_of or right.rowid_of):
        # rowid = value: a sqlite rowid lookup instead of a scan.
        column, value = (left, right) if left.rowid_of else (right, left)
        prefix = tr.scope.prefix if tr.scope is not None else "t"
        return f"({prefix}.rowid = ora_rowid_key({tr.as_rowid(value).sql}, {column.rowid_of}))"
    a, b = tr.comparable(left, right)
    return f"({a} {e.op} {b})"


def _is_null(tr: Translator, e: IsNull) -> str:
    return f"({tr.expr(e.operand).sql} IS {'NOT ' if e.negate else ''}NULL)"


def _in_list(tr: Translator, e: InList) -> str:
    left = tr.expr(e.operand)
    pairs = [tr.comparable(left, tr.expr(i)) for i in e.items]
    lhs = pairs[0][0]
    return f"({lhs} {'NOT ' if e.negate else ''}IN ({', '.join(p[1] for p in pairs)}))"


def _like(tr: Translator, e: Like) -> str:
    s, p = tr.as_text(tr.expr(e.operand)), tr.as_text(tr.expr(e.pattern))
    esc = f" ESCAPE {tr.as_text(tr.expr(e.escape)).sql}" if e.escape is not None else ""
    return f"({s.sql} {'NOT ' if e.negate else ''}LIKE {p.sql}{esc})"


def _between(tr: Translator, e: Between) -> str:
    x = tr.expr(e.operand)
    a1, lo = tr.comparable(x, tr.expr(e.low))
    a2, hi = tr.comparable(x, tr.expr(e.high))
    body = f"({a1} >= {lo} AND {a2} <= {hi})"
    return f"(NOT {body})" if e.negate else body


def _plsql_only(tr: Translator, e: Expr) -> TE:
    """``a ** b``, ``f(x).field``, ``f(x)(i)``: PL/SQL expressions, not SQL."""
    if isinstance(e, PlPower):
        raise errors.missing_expression(e.start)
    raise errors.ora(904, e.start, name='"' + (e.name if isinstance(e, PlField) else "") + '"')


# Handlers take the node of their key's type; the tables are typed loosely (Any) because a dict
# cannot say "key type -> handler of that type", and each entry below pairs them by hand.
#: Expression node type -> its translation; any other node is a condition used as a value (BOOLEAN).
_EXPR: Final[dict[type[Expr], Callable[[Translator, Any], TE]]] = {
    Lit: _lit,
    Bind: _bind,
    Col: _column,
    Pseudo: _pseudo,
    Unary: _unary,
    Chain: chain,
    Cast: _cast,
    Func: call,
    Subquery: scalar_subquery,
    OuterMark: misplaced_outer_mark,
    RowValue: misplaced_row,
    Case: _case,
    SeqRef: seq_expr,
    PlPower: _plsql_only,
    PlField: _plsql_only,
    PlIndexed: _plsql_only,
    **fn_calls.EXPR,
    **analytic.EXPR,
}
#: Condition node type -> its translation; any other node must be a BOOLEAN value (else ORA-00920).
_COND: Final[dict[type[Expr], Callable[[Translator, Any], str]]] = {
    Logic: _logic,
    Not: _not,
    Compare: _compare,
    IsNull: _is_null,
    InList: _in_list,
    Like: _like,
    Between: _between,
    Exists: exists_condition,
    InSelect: in_select_condition,
    QuantCompare: quantified_condition,
}
