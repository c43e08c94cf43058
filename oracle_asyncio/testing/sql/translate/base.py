"""What every translation pass shares: translated values (:class:`TE`), query plans, scopes,
and :class:`TranslatorBase`, the translator's state and Oracle's conversion rules.

The rooms of translate/ import one way: base <- the passes (chains, calls, seqsql, joins,
query, setops, subqueries, outer_plus, rownum) <- select (a query level) <- translator
(dispatch by node type) <- dml.  A pass reaches the others only through the hooks of
:class:`TranslatorBase` (``expr``, ``cond``, ``subquery_plan`` ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import errors
from ..catalog.schema import Column, Context, Table
from ..catalog.tables import Catalog
from ..syntax.nodes import Expr, Select
from ..types.datatypes import BDOUBLE, BOOLEAN, NULLTYPE, NUMBER, ROWID, SqlType, T, varchar
from ..types.longs import LONGS
from ..types.zones import DB_TIME_ZONE

__all__ = ["AGGREGATES", "BLANK_PADDED", "CHARS", "INTERVALS", "IV_KIND", "MAX_PARAMS", "OutColumn", "QueryPlan", "QueryScope", "Shape", "Source", "SourceColumn", "TE",
           "TableScope", "TranslatorBase", "ambiguous", "no_long"]

#: Aggregate functions (calls.py translates them; DML and ROWNUM rewriting look for them).
AGGREGATES = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",
                        "VAR_POP", "VAR_SAMP", "LISTAGG"})
CHARS = (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.CLOB, T.NCLOB)
BLANK_PADDED = (T.CHAR, T.NCHAR)
INTERVALS = (T.INTERVAL_DS, T.INTERVAL_YM)
IV_KIND = {T.INTERVAL_DS: "DS", T.INTERVAL_YM: "YM"}
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
class TableScope:
    """The one table a DML statement or a CHECK constraint sees (queries: QueryScope)."""

    table: Table
    alias: str | None
    level: bool = False
    #: How the SQL names the table: ``t`` (its alias) or, in a RETURNING clause,
    #: where sqlite knows no alias, its quoted sqlite name.
    prefix: str = "t"


#: Rewrites a subquery's select list (translated) into the SQL it selects.
Shape = Callable[[list[TE]], list[str]]



@dataclass(slots=True)
class SourceColumn:
    name: str
    type: SqlType
    nullable: bool
    sql: str  # e.g. ``j1.c0``
    intstore: bool = False


@dataclass(slots=True)
class Source:
    qualifier: str | None  # the alias, else the table name (None: an inline view without alias)
    table: Table | None  # None for an inline view
    alias: str  # sqlite alias
    columns: list[SourceColumn]
    outer: bool = False  # on the optional side of an outer join

    def column(self, name: str) -> SourceColumn | None:
        found = [c for c in self.columns if c.name == name]
        if len(found) > 1:
            raise ambiguous()
        return found[0] if found else None


@dataclass(slots=True)
class QueryScope:
    sources: list[Source]
    parent: TableScope | QueryScope | None
    counter: list[int]
    level: bool = False
    prefix: str = "t"
    #: USING / NATURAL join columns: unqualified references see one merged column.
    merged: dict[str, SourceColumn] = field(default_factory=dict)

    def new_alias(self) -> str:
        self.counter[0] += 1
        return f"j{self.counter[0]}"


def no_long(*values: TE) -> None:
    """ORA-00997: a LONG or LONG RAW value used in an expression (types/longs.py)."""
    if any(v.type.t in LONGS for v in values):
        raise errors.ora(997)


def ambiguous(position: int = 0) -> errors.OraError:
    """ORA-00918: a column name more than one source of the query has."""
    return errors.ora(918, position)


class TranslatorBase:
    """The translator's state (parameters, scope, sequence token) and Oracle's conversion rules.

    The parts that need the rewrite passes (expressions, conditions, queries) are hooks that
    translator.Translator implements, so that a pass imports this class and never the translator.
    """

    def __init__(self, catalog: Catalog, ctx: Context, binds: Mapping[str, object]) -> None:
        self.catalog = catalog
        self.ctx = ctx
        self.binds = binds
        self.in_dml = False  # translating a DML statement (its stored function calls: plcalls.py)
        self.params: dict[str, object] = {}
        self._names: dict[tuple[type, object], str] = {}  # value -> its parameter name
        self.scope: TableScope | QueryScope | None = None
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
        no_long(te)
        k = te.type.t
        if k is T.NUMBER or k is T.NULL:
            return te
        if k in CHARS or k in (T.BFLOAT, T.BDOUBLE):
            return TE(f"ora_num({te.sql})", NUMBER)
        if k is T.BOOLEAN:
            return TE(f"ora_num({te.sql})", NUMBER)
        raise errors.inconsistent_types("NUMBER", te.type.t.value)

    def as_blob_number(self, te: TE) -> TE:
        te = self.as_number(te)
        return TE(f"ora_num({te.sql})", NUMBER) if te.intstore else te

    def zone(self) -> str:
        """The session's time zone as a parameter (TIMESTAMP WITH LOCAL TIME ZONE, types/zones.py)."""
        return self.param(self.ctx.nls.get("TIME_ZONE", DB_TIME_ZONE))

    def as_ltz(self, te: TE) -> TE:
        """``te`` as TIMESTAMP WITH LOCAL TIME ZONE's storage: the instant in the database's zone
        (a DATE or TIMESTAMP is a time of the session's zone; a TIMESTAMP WITH TIME ZONE's storage
        begins with its UTC instant)."""
        k = te.type.t
        if k in (T.TIMESTAMP_LTZ, T.NULL):
            return te
        scale = te.type.scale if k is not T.DATE else 0
        if k is T.TIMESTAMP_TZ:
            return TE(f"substr({te.sql}, 1, 26)", SqlType(T.TIMESTAMP_LTZ, scale=scale))
        return TE(f"ora_ltz_utc({self.as_date(te).sql}, {self.zone()})", SqlType(T.TIMESTAMP_LTZ, scale=scale))

    def as_text(self, te: TE) -> TE:
        no_long(te)
        if te.type.t is T.TIMESTAMP_LTZ:
            te = self.as_date(te)
        k = te.type.t
        if k in CHARS or k is T.NULL:
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
        no_long(te)
        k = te.type.t
        if k is T.TIMESTAMP_LTZ:  # the session's wall-clock time
            return TE(f"ora_ltz_local({te.sql}, {self.zone()})", SqlType(T.TIMESTAMP, scale=te.type.scale))
        if k in (T.DATE, T.TIMESTAMP, T.TIMESTAMP_TZ, T.NULL):
            return te
        if k in CHARS:
            fmt = self.param(self.ctx.nls.get("NLS_DATE_FORMAT", "DD-MON-RR"))
            return TE(f"ora_to_date({te.sql}, {fmt}, 0)", SqlType(T.DATE))
        raise errors.inconsistent_types("DATE", te.type.t.value)

    def as_rowid(self, te: TE) -> TE:
        """CHARTOROWID: character values become ROWID (ORA-01410 if malformed)."""
        k = te.type.t
        if k in (T.ROWID, T.NULL):
            return te
        if k in CHARS:
            return TE(f"ora_chartorowid({te.sql})", ROWID)
        raise errors.inconsistent_types("ROWID", te.type.t.value)

    def as_float(self, te: TE) -> TE:
        k = te.type.t
        if k in (T.BFLOAT, T.BDOUBLE, T.NULL):
            return te
        return TE(f"ora_num_to_float({self.as_number(te).sql})", BDOUBLE)

    def comparable(self, a: TE, b: TE) -> tuple[str, str]:
        """Bring two operands to one comparison type (Oracle's comparison rules)."""
        no_long(a, b)
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
        if T.TIMESTAMP_LTZ in (ka, kb) and {ka, kb} <= {T.TIMESTAMP_LTZ, T.TIMESTAMP_TZ}:
            return self.as_ltz(a).sql, self.as_ltz(b).sql  # two instants
        if a.type.is_datetime or b.type.is_datetime:
            x, y = self.as_date(a), self.as_date(b)
            if T.TIMESTAMP_TZ in (x.type.t, y.type.t):
                return self._instant(x), self._instant(y)  # the same instant in two zones is equal
            return x.sql, y.sql
        if ka in CHARS and kb in CHARS:
            if ka in BLANK_PADDED and kb in BLANK_PADDED:
                return f"ora_rtrim_blank({a.sql})", f"ora_rtrim_blank({b.sql})"
            return a.sql, b.sql
        if ka is kb:
            return a.sql, b.sql
        raise errors.inconsistent_types(ka.value, kb.value)

    def _instant(self, te: TE) -> str:
        """A datetime as the text of its UTC instant (DATE/TIMESTAMP: in the session's zone)."""
        if te.type.t is T.TIMESTAMP_TZ:
            return f"substr({te.sql}, 1, 26)"
        if te.type.t is T.NULL:
            return te.sql
        zone = self.param(self.ctx.nls.get("TIME_ZONE", "+00:00"))
        return f"ora_sys_extract_utc({te.sql}, 'T', {zone})"

    def condition_value(self, e: Expr) -> TE:
        """A condition used where a value is expected (23ai BOOLEAN)."""
        return TE(self.cond(e), BOOLEAN)

    def combine(self, op: str, a: TE, b: TE) -> TE:
        """``a op b`` for one operator of a chain (``+ - * / ||``) by Oracle's type rules."""
        if op == "||":
            x, y = self.as_text(a), self.as_text(b)
            both_char = x.type.t in BLANK_PADDED and y.type.t in BLANK_PADDED
            size = min(x.type.size + y.type.size, 32767)
            return TE(f"ora_concat({x.sql}, {y.sql})", SqlType(T.CHAR if both_char else T.VARCHAR, size=size))
        ka, kb = a.type.t, b.type.t
        if ka in INTERVALS or kb in INTERVALS:
            return self.interval_arith(op, a, b)
        if a.type.is_datetime or b.type.is_datetime:
            if T.TIMESTAMP_LTZ in (ka, kb):  # arithmetic on the session's wall-clock time
                return self.combine(op, self.as_date(a) if ka is T.TIMESTAMP_LTZ else a,
                                    self.as_date(b) if kb is T.TIMESTAMP_LTZ else b)
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
        if op == "+" and ka in INTERVALS and (b.type.is_datetime or kb is T.NULL):
            a, b, ka, kb = b, a, kb, ka
        sign = -1 if op == "-" else 1
        if op in "+-" and (a.type.is_datetime or ka is T.NULL) and kb in INTERVALS:
            if ka is T.NULL:
                return TE("NULL", SqlType(T.DATE))
            if kb is T.INTERVAL_YM:
                return TE(f"ora_date_add_ym({a.sql}, {b.sql}, {sign})", a.type)
            kind = {T.DATE: "D", T.TIMESTAMP: "T", T.TIMESTAMP_LTZ: "T"}.get(ka, "Z")
            return TE(f"ora_date_add_ds({a.sql}, {b.sql}, {sign}, '{kind}')", a.type)
        if op in "+-" and ka in INTERVALS and kb in (ka, T.NULL):
            t = SqlType(ka, precision=9, scale=max(a.type.scale, b.type.scale))
            return TE(f"ora_iv_add({a.sql}, {b.sql}, {sign}, '{IV_KIND[ka]}')", t)
        if op in "+-" and kb in INTERVALS and ka is T.NULL:
            return TE("NULL", b.type)
        raise errors.inconsistent_types(ka.value, kb.value)

    def unify(self, values: list[TE]) -> tuple[list[str], SqlType]:
        """Common type of CASE/NVL/COALESCE/DECODE results: the first non-NULL one decides."""
        no_long(*values)
        first = next((v for v in values if v.type.t is not T.NULL), None)
        if first is None:
            return [v.sql for v in values], NULLTYPE
        k = first.type.t
        for v in values:  # an INTERVAL converts to and from nothing else: Oracle's ORA-00932
            if v.type.t is not T.NULL and v.type.t is not k and (k in INTERVALS or v.type.t in INTERVALS):
                raise errors.inconsistent_types(k.value, v.type.t.value)
        if k is T.NUMBER:
            return [self.as_blob_number(v).sql for v in values], NUMBER
        if k in CHARS:
            conv = [self.as_text(v) for v in values]
            size = max(v.type.size for v in conv)
            return [v.sql for v in conv], SqlType(T.VARCHAR if k in (T.CHAR, T.VARCHAR) else k, size=size)
        if k is T.TIMESTAMP_LTZ:
            return [self.as_ltz(v).sql for v in values], first.type
        if first.type.is_datetime:
            return [self.as_date(v).sql for v in values], first.type
        if k in (T.BFLOAT, T.BDOUBLE):
            return [self.as_float(v).sql for v in values], first.type
        return [v.sql for v in values], first.type

    # ---- storing into a column ------------------------------------------------------------------
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
            if te.type.t in (T.CLOB, T.NCLOB):  # as it is: EMPTY_CLOB()'s '' is an empty LOB, not NULL
                return te.sql
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
            x = self.as_ltz(te) if te.type.t is T.TIMESTAMP_LTZ else self.as_date(te)
            if x.type.t is T.TIMESTAMP_TZ or x.type.t is T.NULL:
                return x.sql
            return f"(ora_fit_timestamp({x.sql}, {t.scale}) || '+00:00')"
        if k is T.TIMESTAMP_LTZ:
            return f"ora_fit_timestamp({self.as_ltz(te).sql}, {t.scale})"
        if k in (T.BFLOAT, T.BDOUBLE):
            return self.as_float(te).sql
        if k in INTERVALS:
            if te.type.t not in (k, T.NULL):
                raise errors.inconsistent_types(k.value, te.type.t.value)
            if k is T.INTERVAL_DS:
                return f"ora_fit_ds({te.sql}, {t.precision}, {t.scale})"
            return f"ora_fit_ym({te.sql}, {t.precision})"
        if k is T.ROWID:
            return self.as_rowid(te).sql
        if k is T.LONG:
            x = te if te.type.t in (T.LONG, T.NULL) else self.as_text(te)
            return f"ora_fit_long({x.sql}, {self.catalog.long_limit})"
        if k is T.LONG_RAW:
            if te.type.t not in (T.LONG_RAW, T.RAW, T.BLOB, T.NULL):
                raise errors.inconsistent_types(k.value, te.type.t.value)
            return f"ora_fit_long({te.sql}, {self.catalog.long_limit})"
        if k is T.XMLTYPE:
            return te.sql if te.type.t is T.XMLTYPE else f"ora_xml({self.as_text(te).sql})"
        if k is T.BOOLEAN:
            if te.type.t in (T.BOOLEAN, T.NULL):
                return te.sql
            if te.type.t is T.NUMBER:
                return f"(ora_num_to_float({te.sql}) <> 0)"
            if te.type.t in CHARS:
                return f"ora_text_to_bool({te.sql})"
            raise errors.inconsistent_types("BOOLEAN", te.type.t.value)
        raise errors.unsupported(f"storing into {k.value}")

    # ---- hooks (translator.Translator) ----------------------------------------------------------
    def expr(self, e: Expr) -> TE:
        """``e`` as sqlite SQL of an Oracle type."""
        raise NotImplementedError

    def cond(self, e: Expr) -> str:
        """``e`` as a sqlite condition."""
        raise NotImplementedError

    def select(self, s: Select) -> QueryPlan:
        """A top-level query (or INSERT ... SELECT's)."""
        raise NotImplementedError

    def subquery_plan(self, s: Select, parent: TableScope | QueryScope | None, *, normalize: bool,
                      top: bool = False, shape: Shape | None = None) -> QueryPlan:
        """``s`` as a query level of its own (select.py)."""
        raise NotImplementedError

    def from_clause(self, table: Table, alias: str = "t") -> str:
        """The FROM text of a stored table, a virtual table or a dictionary view."""
        raise NotImplementedError
