"""AST -> sqlite SQL + named parameters, applying Oracle's rules.

Every expression is translated to a :class:`TE` (sqlite text, Oracle type,
storage flag).  Conversions between types are explicit calls to the functions
of functions.py, chosen statically from the operand types:

* NUMBER compares natively (BLOB memcmp of Oracle NUMBER bytes); arithmetic
  and aggregates go through ``ora_*`` Decimal functions;
* a character operand meets a NUMBER -> it becomes a NUMBER (ORA-01722 if not
  numeric); a character operand meets a date -> it becomes a date;
* CHAR against CHAR or a text literal compares blank-padded (both rtrimmed);
* ``||`` skips NULLs; ``''`` is NULL; ascending sorts put NULLs last.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import errors
from ..catalog.schema import DUAL, V_SESSION, Column, Context, Table
from ..catalog import dictionary
from ..catalog.tables import Catalog
from ..catalog.views import VIEWS
from ..types.datatypes import (
    BDOUBLE, BOOLEAN, NULLTYPE, NUMBER, ROWID, SqlType, T, bind_type, date_text, number_bytes, tz_text, varchar,
)
from ..syntax.nodes import (
    Between, Bind, Case, Chain, Cast, Col, Compare, Expr, Func, InList, IsNull, Like, Lit, Logic, Not, Pseudo, Select,
    SeqRef, Unary,
)

if TYPE_CHECKING:
    from .joins import QueryScope

__all__ = ["TE", "Context", "Translator", "OutColumn", "QueryPlan"]

_CHARS = (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.CLOB, T.NCLOB)
_BLANK_PADDED = (T.CHAR, T.NCHAR)
_INTERVALS = (T.INTERVAL_DS, T.INTERVAL_YM)
_IV_KIND = {T.INTERVAL_DS: "DS", T.INTERVAL_YM: "YM"}
#: Parameters per statement before values become literals (sqlite allows 32,766).
MAX_PARAMS = 30000


@dataclass(frozen=True, slots=True)
class TE:
    sql: str
    type: SqlType
    intstore: bool = False  # NUMBER held as a plain sqlite INTEGER (LEVEL, COUNT)
    literal_char: bool = False
    rowid_of: int = 0  # the ROWID pseudo-column of the table with this data object number


@dataclass(frozen=True, slots=True)
class OutColumn:
    name: str
    type: SqlType
    nullable: bool


@dataclass(frozen=True, slots=True)
class QueryPlan:
    sql: str
    params: dict[str, object]
    columns: tuple[OutColumn, ...]


@dataclass(slots=True)
class _Scope:
    table: Table
    alias: str | None
    level: bool = False
    #: How the SQL names the table: ``t`` (its alias) or, in a RETURNING clause,
    #: where sqlite knows no alias, its quoted sqlite name.
    prefix: str = "t"


class Translator:
    def __init__(self, catalog: Catalog, ctx: Context, binds: Mapping[str, object]) -> None:
        self.catalog = catalog
        self.ctx = ctx
        self.binds = binds
        self.params: dict[str, object] = {}
        self._names: dict[tuple[type, object], str] = {}  # value -> its parameter name
        self.scope: _Scope | QueryScope | None = None
        self.seq_token = 0  # this execution's token for sequence references (seqsql.py), 0: none yet

    # ---- parameters ---------------------------------------------------------------------------
    def param(self, value: object) -> str:
        """A named parameter for ``value``; a value seen before reuses its name, and past
        sqlite's variable limit (32,766) text and NUMBER bytes are written as literals."""
        key: tuple[type, object] | None = None
        if value is None or (isinstance(value, (str, bytes, int)) and not isinstance(value, bool)):
            key = (type(value), value)
            known = self._names.get(key)
            if known is not None:
                return f":{known}"
        if len(self.params) >= MAX_PARAMS:
            if isinstance(value, bytes):
                return f"X'{value.hex()}'"
            if isinstance(value, str) and "\x00" not in value:
                return "'" + value.replace("'", "''") + "'"
        name = f"p{len(self.params)}"
        self.params[name] = value
        if key is not None:
            self._names[key] = name
        return f":{name}"

    # ---- conversions --------------------------------------------------------------------------
    def as_number(self, te: TE) -> TE:
        k = te.type.t
        if k is T.NUMBER or k is T.NULL:
            return te
        if k in _CHARS or k in (T.BFLOAT, T.BDOUBLE):
            return TE(f"ora_num({te.sql})", NUMBER)
        if k is T.BOOLEAN:
            return TE(f"ora_num({te.sql})", NUMBER)
        raise errors.inconsistent_types("NUMBER", te.type.t.value)

    def as_blob_number(self, te: TE) -> TE:
        te = self.as_number(te)
        return TE(f"ora_num({te.sql})", NUMBER) if te.intstore else te

    def as_text(self, te: TE) -> TE:
        k = te.type.t
        if k in _CHARS or k is T.NULL:
            return te
        if k is T.NUMBER:
            return TE(f"ora_text({te.sql}, 'N', NULL)", varchar(40))
        if k is T.DATE:
            fmt = self.param(self.ctx.nls.get("NLS_DATE_FORMAT", "DD-MON-RR"))
            return TE(f"ora_text({te.sql}, 'D', {fmt})", varchar(75))
        if k in (T.TIMESTAMP, T.TIMESTAMP_TZ):
            fmt = self.param(self.ctx.nls.get("NLS_TIMESTAMP_FORMAT", "DD-MON-RR HH.MI.SSXFF AM").replace("X", "."))
            return TE(f"ora_text({te.sql}, 'T', {fmt})", varchar(75))
        if k in (T.RAW, T.BLOB):
            return TE(f"ora_text({te.sql}, 'S', NULL)", varchar(te.type.size * 2 or 4000))
        if k in (T.BFLOAT, T.BDOUBLE):
            return TE(f"ora_text({te.sql}, 'N', NULL)", varchar(40))
        if k is T.INTERVAL_DS:
            return TE(f"ora_iv_text({te.sql}, 'DS', {te.type.scale})", varchar(30))
        if k is T.INTERVAL_YM:
            return TE(f"ora_iv_text({te.sql}, 'YM', 0)", varchar(15))
        if k is T.ROWID:
            return TE(f"ora_rowid_text({te.sql})", varchar(18))
        raise errors.inconsistent_types("CHAR", te.type.t.value)

    def as_date(self, te: TE) -> TE:
        k = te.type.t
        if k in (T.DATE, T.TIMESTAMP, T.TIMESTAMP_TZ, T.NULL):
            return te
        if k in _CHARS:
            fmt = self.param(self.ctx.nls.get("NLS_DATE_FORMAT", "DD-MON-RR"))
            return TE(f"ora_to_date({te.sql}, {fmt}, 0)", SqlType(T.DATE))
        raise errors.inconsistent_types("DATE", te.type.t.value)

    def as_rowid(self, te: TE) -> TE:
        """CHARTOROWID: character values become ROWID (ORA-01410 if malformed)."""
        k = te.type.t
        if k in (T.ROWID, T.NULL):
            return te
        if k in _CHARS:
            return TE(f"ora_chartorowid({te.sql})", ROWID)
        raise errors.inconsistent_types("ROWID", te.type.t.value)

    def as_float(self, te: TE) -> TE:
        k = te.type.t
        if k in (T.BFLOAT, T.BDOUBLE, T.NULL):
            return te
        return TE(f"ora_num_to_float({self.as_number(te).sql})", BDOUBLE)

    def comparable(self, a: TE, b: TE) -> tuple[str, str]:
        """Bring two operands to one comparison type (Oracle's comparison rules)."""
        ka, kb = a.type.t, b.type.t
        if ka is T.NULL or kb is T.NULL:
            return a.sql, b.sql
        if ka is T.ROWID or kb is T.ROWID:
            return self.as_rowid(a).sql, self.as_rowid(b).sql
        if ka in (T.BFLOAT, T.BDOUBLE) or kb in (T.BFLOAT, T.BDOUBLE):
            return self.as_float(a).sql, self.as_float(b).sql
        if ka is T.NUMBER or kb is T.NUMBER:
            x, y = self.as_number(a), self.as_number(b)
            if x.intstore and y.intstore:
                return x.sql, y.sql
            return self.as_blob_number(x).sql, self.as_blob_number(y).sql
        if a.type.is_datetime or b.type.is_datetime:
            return self.as_date(a).sql, self.as_date(b).sql
        if ka in _CHARS and kb in _CHARS:
            if ka in _BLANK_PADDED and kb in _BLANK_PADDED:
                return f"ora_rtrim_blank({a.sql})", f"ora_rtrim_blank({b.sql})"
            return a.sql, b.sql
        if ka is kb:
            return a.sql, b.sql
        raise errors.inconsistent_types(ka.value, kb.value)

    # ---- expressions --------------------------------------------------------------------------
    def expr(self, e: Expr) -> TE:
        if isinstance(e, Lit):
            if e.value is None:
                return TE("NULL", e.type if e.type.t is not T.CHAR else NULLTYPE)
            if isinstance(e.value, bytes):
                return TE(f"X'{e.value.hex()}'", e.type)
            if isinstance(e.value, str):
                return TE(self.param(e.value), e.type, literal_char=True)
            return TE(self.param(e.value), e.type)
        if isinstance(e, Bind):
            if e.name not in self.binds:
                raise errors.not_all_bound()
            value, t = bind_type(self.binds[e.name])
            if t.t is T.VARCHAR:
                t = varchar(4000)
            return TE(self.param(value), t)
        if isinstance(e, Col):
            return self.column(e)
        if isinstance(e, Pseudo):
            return self.pseudo(e)
        if isinstance(e, Unary):
            x = self.expr(e.operand)
            if x.type.t in (T.BFLOAT, T.BDOUBLE):
                return TE(f"(-{x.sql})", x.type)
            if x.type.t in _INTERVALS:
                return TE(f"ora_iv_neg({x.sql}, '{_IV_KIND[x.type.t]}')", x.type)
            return TE(f"ora_neg({self.as_number(x).sql})", NUMBER)
        if isinstance(e, Chain):
            from .chains import chain
            return chain(self, e)
        if isinstance(e, Cast):
            # converted and checked as a store into a column of that type would be
            target = Column("CAST", e.type, True, None, "")
            return TE(self.fit(self.expr(e.operand), target, Table("", "", "", [target])), e.type)
        if isinstance(e, Func):
            from .calls import call
            return call(self, e)
        from ..syntax.nodes import OuterMark, RowValue, Subquery
        if isinstance(e, (Subquery, OuterMark, RowValue)):
            from .subqueries import scalar_subquery
            return scalar_subquery(self, e)
        if isinstance(e, Case):
            return self.case(e)
        if isinstance(e, SeqRef):
            from .seqsql import seq_expr
            return seq_expr(self, e)
        return self.condition_value(e)

    def condition_value(self, e: Expr) -> TE:
        """A condition used where a value is expected (23ai BOOLEAN)."""
        return TE(self.cond(e), BOOLEAN)

    def column(self, e: Col) -> TE:
        scope = self.scope
        from .joins import QueryScope, resolve_column
        if isinstance(scope, QueryScope):
            return resolve_column(self, scope, e)
        if scope is None:
            raise errors.invalid_identifier(e.name, e.start)
        if e.table is not None and e.table not in (scope.alias, scope.table.name):
            raise errors.OraError(904, f'ORA-00904: "{e.table}"."{e.name}": invalid identifier', e.start)
        col = scope.table.column(e.name)
        if col is None:
            if e.table is None and e.name == "LEVEL" and scope.level:
                return TE("_lvl.lvl", NUMBER, intstore=True)
            if e.name == "ROWID" and not scope.level:
                from ..types.rowids import object_id

                oid = object_id(scope.table)
                return TE(f"ora_rowid({oid}, {scope.prefix}.rowid)", ROWID, rowid_of=oid)
            raise errors.invalid_identifier(e.name, e.start)
        return TE(f"{scope.prefix}.{col.sql}", col.type)

    def pseudo(self, e: Pseudo) -> TE:
        n = e.name
        if n == "USER":
            return TE(self.param(self.ctx.user), varchar(128))
        if n in ("SYSDATE", "CURRENT_DATE"):
            return TE(self.param(date_text(self.ctx.now.replace(microsecond=0))), SqlType(T.DATE))
        if n in ("SYSTIMESTAMP", "CURRENT_TIMESTAMP"):
            return TE(self.param(tz_text(self.ctx.now.astimezone())), SqlType(T.TIMESTAMP_TZ, scale=6))
        if n == "LOCALTIMESTAMP":
            return TE(self.param(date_text(self.ctx.now)), SqlType(T.TIMESTAMP, scale=6))
        if n == "LEVEL":
            if self.scope is None or not self.scope.level:
                raise errors.unsupported("LEVEL outside CONNECT BY", e.start)
            return TE("_lvl.lvl", NUMBER, intstore=True)
        if n in ("SESSIONTIMEZONE", "DBTIMEZONE"):
            return TE(self.param(self.ctx.nls.get("TIME_ZONE", "+00:00")), varchar(75))
        from .joins import QueryScope
        if n == "ROWNUM" and isinstance(self.scope, QueryScope) and not self.scope.level:
            return TE("row_number() OVER ()", NUMBER, intstore=True)  # select list: rownum.py
        if n == "UID":
            return TE(self.param(number_bytes(100)), NUMBER)
        raise errors.unsupported(n, e.start)

    def combine(self, op: str, a: TE, b: TE) -> TE:
        """``a op b`` for one operator of a chain (``+ - * / ||``) by Oracle's type rules."""
        if op == "||":
            x, y = self.as_text(a), self.as_text(b)
            both_char = x.type.t in _BLANK_PADDED and y.type.t in _BLANK_PADDED
            size = min(x.type.size + y.type.size, 32767)
            return TE(f"ora_concat({x.sql}, {y.sql})", SqlType(T.CHAR if both_char else T.VARCHAR, size=size))
        ka, kb = a.type.t, b.type.t
        if ka in _INTERVALS or kb in _INTERVALS:
            return self.interval_arith(op, a, b)
        if a.type.is_datetime or b.type.is_datetime:
            if op == "+" and a.type.is_datetime and not b.type.is_datetime:
                return TE(f"ora_date_add({a.sql}, {self.as_number(b).sql})", SqlType(T.DATE))
            if op == "+" and b.type.is_datetime and not a.type.is_datetime:
                return TE(f"ora_date_add({b.sql}, {self.as_number(a).sql})", SqlType(T.DATE))
            if op == "-" and a.type.is_datetime and not b.type.is_datetime and kb is not T.NULL:
                return TE(f"ora_date_add({a.sql}, ora_neg({self.as_number(b).sql}))", SqlType(T.DATE))
            if op == "-" and a.type.is_datetime and b.type.is_datetime:
                return TE(f"ora_date_diff({a.sql}, {b.sql})", NUMBER)
            if kb is T.NULL or ka is T.NULL:
                return TE("NULL", SqlType(T.DATE))
            raise errors.inconsistent_types("NUMBER", "DATE")
        if ka in (T.BFLOAT, T.BDOUBLE) or kb in (T.BFLOAT, T.BDOUBLE):
            x, y = self.as_float(a), self.as_float(b)
            return TE(f"({x.sql} {op} {y.sql})", BDOUBLE)
        fn = {"+": "ora_add", "-": "ora_sub", "*": "ora_mul", "/": "ora_div"}[op]
        return TE(f"{fn}({self.as_number(a).sql}, {self.as_number(b).sql})", NUMBER)

    def interval_arith(self, op: str, a: TE, b: TE) -> TE:
        """datetime +/- interval, interval + datetime, interval +/- interval of one kind."""
        ka, kb = a.type.t, b.type.t
        if op == "+" and ka in _INTERVALS and (b.type.is_datetime or kb is T.NULL):
            a, b, ka, kb = b, a, kb, ka
        sign = -1 if op == "-" else 1
        if op in "+-" and (a.type.is_datetime or ka is T.NULL) and kb in _INTERVALS:
            if ka is T.NULL:
                return TE("NULL", SqlType(T.DATE))
            if kb is T.INTERVAL_YM:
                return TE(f"ora_date_add_ym({a.sql}, {b.sql}, {sign})", a.type)
            kind = {T.DATE: "D", T.TIMESTAMP: "T"}.get(ka, "Z")
            return TE(f"ora_date_add_ds({a.sql}, {b.sql}, {sign}, '{kind}')", a.type)
        if op in "+-" and ka in _INTERVALS and kb in (ka, T.NULL):
            t = SqlType(ka, precision=9, scale=max(a.type.scale, b.type.scale))
            return TE(f"ora_iv_add({a.sql}, {b.sql}, {sign}, '{_IV_KIND[ka]}')", t)
        if op in "+-" and kb in _INTERVALS and ka is T.NULL:
            return TE("NULL", b.type)
        raise errors.inconsistent_types(ka.value, kb.value)

    def unify(self, values: list[TE]) -> tuple[list[str], SqlType]:
        """Common type of CASE/NVL/COALESCE/DECODE results: the first non-NULL one decides."""
        first = next((v for v in values if v.type.t is not T.NULL), None)
        if first is None:
            return [v.sql for v in values], NULLTYPE
        k = first.type.t
        if k is T.NUMBER:
            return [self.as_blob_number(v).sql for v in values], NUMBER
        if k in _CHARS:
            conv = [self.as_text(v) for v in values]
            size = max(v.type.size for v in conv)
            return [v.sql for v in conv], SqlType(T.VARCHAR if k in (T.CHAR, T.VARCHAR) else k, size=size)
        if first.type.is_datetime:
            return [self.as_date(v).sql for v in values], first.type
        if k in (T.BFLOAT, T.BDOUBLE):
            return [self.as_float(v).sql for v in values], first.type
        return [v.sql for v in values], first.type

    def case(self, e: Case) -> TE:
        results = [self.expr(r) for _, r in e.whens]
        if e.default is not None:
            results.append(self.expr(e.default))
        sqls, t = self.unify(results)
        parts = ["CASE"]
        if e.operand is not None:
            operand = self.expr(e.operand)
            for (w, _), r in zip(e.whens, sqls):
                a, b = self.comparable(operand, self.expr(w))
                parts.append(f"WHEN {a} = {b} THEN {r}")
        else:
            for (w, _), r in zip(e.whens, sqls):
                parts.append(f"WHEN {self.cond(w)} THEN {r}")
        if e.default is not None:
            parts.append(f"ELSE {sqls[-1]}")
        parts.append("END")
        return TE(" ".join(parts), t)

    # ---- conditions ---------------------------------------------------------------------------
    def cond(self, e: Expr) -> str:
        if isinstance(e, Logic):
            from .chains import GROUP, flat_join, merge_equalities
            terms = merge_equalities(e.terms) if e.op == "OR" and len(e.terms) > GROUP else e.terms
            return flat_join([self.cond(t) for t in terms], e.op)
        if isinstance(e, Not):
            return f"(NOT {self.cond(e.operand)})"
        if isinstance(e, Compare):
            left, right = self.expr(e.left), self.expr(e.right)
            if e.op == "=" and (left.rowid_of or right.rowid_of):
                # rowid = value: a sqlite rowid lookup instead of a scan.
                column, value = (left, right) if left.rowid_of else (right, left)
                prefix = self.scope.prefix if self.scope is not None else "t"
                return f"({prefix}.rowid = ora_rowid_key({self.as_rowid(value).sql}, {column.rowid_of}))"
            a, b = self.comparable(left, right)
            return f"({a} {e.op} {b})"
        if isinstance(e, IsNull):
            return f"({self.expr(e.operand).sql} IS {'NOT ' if e.negate else ''}NULL)"
        if isinstance(e, InList):
            left = self.expr(e.operand)
            pairs = [self.comparable(left, self.expr(i)) for i in e.items]
            lhs = pairs[0][0]
            return f"({lhs} {'NOT ' if e.negate else ''}IN ({', '.join(p[1] for p in pairs)}))"
        if isinstance(e, Like):
            s, p = self.as_text(self.expr(e.operand)), self.as_text(self.expr(e.pattern))
            esc = f" ESCAPE {self.as_text(self.expr(e.escape)).sql}" if e.escape is not None else ""
            return f"({s.sql} {'NOT ' if e.negate else ''}LIKE {p.sql}{esc})"
        if isinstance(e, Between):
            x = self.expr(e.operand)
            a1, lo = self.comparable(x, self.expr(e.low))
            a2, hi = self.comparable(x, self.expr(e.high))
            body = f"({a1} >= {lo} AND {a2} <= {hi})"
            return f"(NOT {body})" if e.negate else body
        from ..syntax.nodes import Exists, InSelect, QuantCompare
        if isinstance(e, (Exists, InSelect, QuantCompare)):
            from .subqueries import subquery_condition
            return subquery_condition(self, e)
        te = self.expr(e)
        if te.type.t is T.BOOLEAN:
            return f"({te.sql} <> 0)"
        raise errors.OraError(920, "ORA-00920: invalid relational operator", e.end)

    # ---- storing into a column ----------------------------------------------------------------
    def fit(self, te: TE, col: Column, table: Table) -> str:
        """Convert ``te`` to the storage of ``col`` with Oracle's checks (length, precision)."""
        t = col.type
        k = t.t
        label = self.param(f"{table.schema}\x00{table.name}\x00{col.name}")
        if k is T.NUMBER:
            x = self.as_blob_number(te)
            if t.scale != -127:
                return f"ora_fit_num({x.sql}, {t.precision}, {t.scale})"
            return x.sql
        if k in (T.VARCHAR, T.NVARCHAR):
            return f"ora_fit_str({self.as_text(te).sql}, {t.size}, {label})"
        if k in (T.CHAR, T.NCHAR):
            return f"ora_fit_char({self.as_text(te).sql}, {t.size}, {label})"
        if k in (T.CLOB, T.NCLOB):
            return f"ora_fit_str({self.as_text(te).sql}, 0, {label})"
        if k in (T.RAW, T.BLOB):
            if te.type.t in (T.RAW, T.BLOB, T.NULL):
                return f"ora_fit_str({te.sql}, {t.size if k is T.RAW else 0}, {label})"
            raise errors.inconsistent_types(k.value, te.type.t.value)
        if k is T.DATE:
            return f"ora_fit_date({self.as_date(te).sql})"
        if k is T.TIMESTAMP:
            return f"ora_fit_timestamp({self.as_date(te).sql}, {t.scale})"
        if k is T.TIMESTAMP_TZ:
            x = self.as_date(te)
            if x.type.t is T.TIMESTAMP_TZ or x.type.t is T.NULL:
                return x.sql
            return f"(ora_fit_timestamp({x.sql}, {t.scale}) || '+00:00')"
        if k in (T.BFLOAT, T.BDOUBLE):
            return self.as_float(te).sql
        if k in _INTERVALS:
            if te.type.t not in (k, T.NULL):
                raise errors.inconsistent_types(k.value, te.type.t.value)
            if k is T.INTERVAL_DS:
                return f"ora_fit_ds({te.sql}, {t.precision}, {t.scale})"
            return f"ora_fit_ym({te.sql}, {t.precision})"
        if k is T.ROWID:
            return self.as_rowid(te).sql
        if k is T.BOOLEAN:
            if te.type.t in (T.BOOLEAN, T.NULL):
                return te.sql
            if te.type.t is T.NUMBER:
                return f"(ora_num_to_float({te.sql}) <> 0)"
            raise errors.inconsistent_types("BOOLEAN", te.type.t.value)
        raise errors.unsupported(f"storing into {k.value}")

    # ---- queries ------------------------------------------------------------------------------
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
        if not table.sql_name and table.name in ("USER_SEQUENCES", "ALL_SEQUENCES", "DBA_SEQUENCES",
                                                   "USER_TAB_IDENTITY_COLS"):
            from .seqsql import view_source
            return view_source(self, table, alias)
        if not table.sql_name and table.schema == "SYS":
            if VIEWS.get(table.name) is table:
                return dictionary.view_source(self.catalog, self.ctx, table, alias)
        return f'"{table.sql_name}" AS {alias}'

    def select(self, s: Select) -> QueryPlan:
        from .joins import plan_select
        return plan_select(self, s)
