"""More Oracle built-ins -> sqlite: datetime and interval conversions, EXTRACT, ``AT TIME ZONE``,
POWER, BITAND, GREATEST / LEAST, character and RAW conversions, the REGEXP_ family, the
statistical aggregates and LISTAGG (calls.py looks names up here after its own table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from .. import errors
from ..syntax.nodes import Expr, Func, OrderItem
from ..syntax.nodes_fn import AtZone, Extract, WithinGroup
from ..types.datatypes import BDOUBLE, BFLOAT, BOOLEAN, NULLTYPE, NUMBER, SqlType, T, varchar
from .base import CHARS, TE, TranslatorBase

__all__ = ["AGGREGATES", "EXPR", "FUNCTIONS", "STATS", "aggregate", "order_keys", "session_zone"]

#: Statistical aggregates: name -> the sqlite aggregate (runtime/fn_stats.py).
STATS: Final = {"STDDEV": "ora_stddev", "STDDEV_SAMP": "ora_stddev_samp", "STDDEV_POP": "ora_stddev_pop",
                 "VARIANCE": "ora_variance", "VAR_SAMP": "ora_var_samp", "VAR_POP": "ora_var_pop"}
#: The aggregates translated here (base.AGGREGATES names them too, for the passes that look).
AGGREGATES: Final = frozenset(STATS) | {"LISTAGG"}

_Translate = Callable[[TranslatorBase, Func, list[TE]], TE]


def session_zone(tr: TranslatorBase) -> str:
    """The session's time zone as a parameter (ALTER SESSION SET TIME_ZONE)."""
    return tr.param(tr.ctx.nls.get("TIME_ZONE", "+00:00"))


def _kind(te: TE) -> str:
    return {T.DATE: "D", T.TIMESTAMP: "T", T.TIMESTAMP_TZ: "Z"}.get(te.type.t, "T")


def _timestamp(tr: TranslatorBase, te: TE) -> TE:
    """A datetime argument (character values converted by NLS_DATE_FORMAT, as Oracle does)."""
    if te.type.is_datetime or te.type.t is T.NULL:
        return te
    return tr.as_date(te)


# ---- datetime and interval ----------------------------------------------------------------------

def _to_dsinterval(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_to_dsinterval({tr.as_text(a[0]).sql})", SqlType(T.INTERVAL_DS, precision=9, scale=9))


def _to_yminterval(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_to_yminterval({tr.as_text(a[0]).sql})", SqlType(T.INTERVAL_YM, precision=9))


def _numtodsinterval(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    sql = f"ora_numtodsinterval({tr.as_number(a[0]).sql}, {tr.as_text(a[1]).sql})"
    return TE(sql, SqlType(T.INTERVAL_DS, precision=9, scale=9))


def _numtoyminterval(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    sql = f"ora_numtoyminterval({tr.as_number(a[0]).sql}, {tr.as_text(a[1]).sql})"
    return TE(sql, SqlType(T.INTERVAL_YM, precision=9))


def _to_timestamp_tz(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    if a[0].type.t is T.TIMESTAMP_TZ:
        return a[0]
    if len(a) == 2:
        fmt = tr.as_text(a[1]).sql
    else:
        fmt = tr.param(tr.ctx.nls.get("NLS_TIMESTAMP_TZ_FORMAT", "DD-MON-RR HH.MI.SSXFF AM TZR").replace("X", "."))
    return TE(f"ora_to_timestamp_tz({tr.as_text(a[0]).sql}, {fmt}, {session_zone(tr)})",
              SqlType(T.TIMESTAMP_TZ, scale=9))


def _from_tz(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    if a[0].type.t not in (T.TIMESTAMP, T.DATE, T.NULL):
        raise errors.inconsistent_types("TIMESTAMP", a[0].type.t.value)
    return TE(f"ora_from_tz({a[0].sql}, {tr.as_text(a[1]).sql})", SqlType(T.TIMESTAMP_TZ, scale=a[0].type.scale))


def _sys_extract_utc(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    x = _timestamp(tr, a[0])
    return TE(f"ora_sys_extract_utc({x.sql}, '{_kind(x)}', {session_zone(tr)})",
              SqlType(T.TIMESTAMP, scale=x.type.scale or 6))


def _at_zone(tr: TranslatorBase, e: AtZone) -> TE:
    x = _timestamp(tr, tr.expr(e.operand))
    zone = "NULL" if e.zone is None else tr.as_text(tr.expr(e.zone)).sql
    return TE(f"ora_at_zone({x.sql}, '{_kind(x)}', {zone}, {session_zone(tr)})",
              SqlType(T.TIMESTAMP_TZ, scale=x.type.scale or 6))


#: EXTRACT's fields per source type.
_EXTRACT_FIELDS: Final = {
    T.DATE: ("YEAR", "MONTH", "DAY"),
    T.TIMESTAMP: ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"),
    T.TIMESTAMP_TZ: ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TIMEZONE_HOUR", "TIMEZONE_MINUTE",
                     "TIMEZONE_REGION", "TIMEZONE_ABBR"),
    T.INTERVAL_DS: ("DAY", "HOUR", "MINUTE", "SECOND"),
    T.INTERVAL_YM: ("YEAR", "MONTH"),
}


def _extract(tr: TranslatorBase, e: Extract) -> TE:
    x = tr.expr(e.operand)
    text = e.field in ("TIMEZONE_REGION", "TIMEZONE_ABBR")
    if x.type.t is T.NULL:
        return TE("NULL", varchar(64) if text else NUMBER)
    if e.field not in _EXTRACT_FIELDS.get(x.type.t, ()):
        raise errors.ora(30076, e.start)
    kind = {T.INTERVAL_DS: "DS", T.INTERVAL_YM: "YM"}.get(x.type.t) or _kind(x)
    return TE(f"ora_extract('{e.field}', {x.sql}, '{kind}')", varchar(64) if text else NUMBER)


# ---- numbers, text, RAW -------------------------------------------------------------------------

def _power(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_power({tr.as_number(a[0]).sql}, {tr.as_number(a[1]).sql})", NUMBER)


def _bitand(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_bitand({tr.as_number(a[0]).sql}, {tr.as_number(a[1]).sql})", NUMBER)


def _greatest_least(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    if a[0].type.t is T.NULL:
        return TE("NULL", NULLTYPE)
    sqls, t = tr.unify(a)
    if len(sqls) == 1:
        return TE(sqls[0], t)
    # sqlite's many-argument max()/min() are NULL if any argument is; NUMBER bytes sort as numbers
    return TE(f"{'max' if f.name == 'GREATEST' else 'min'}({', '.join(sqls)})", t)


def _ascii(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_ascii({tr.as_text(a[0]).sql})", NUMBER)


def _chr(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    national = f.name == "NCHR"
    return TE(f"ora_{f.name.lower()}({tr.as_number(a[0]).sql})", SqlType(T.NVARCHAR if national else T.VARCHAR,
                                                                             size=1))


def _unistr(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    x = tr.as_text(a[0])
    return TE(f"ora_unistr({x.sql})", SqlType(T.NVARCHAR, size=x.type.size or 4000))


def _hextoraw(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    if a[0].type.t in (T.RAW, T.BLOB):
        return a[0]
    x = tr.as_text(a[0])
    return TE(f"ora_hextoraw({x.sql})", SqlType(T.RAW, size=max((x.type.size + 1) // 2, 1) if x.type.size else 2000))


def _rawtohex(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_rawtohex({a[0].sql})", varchar(a[0].type.size * 2 or 4000))


def _to_lob(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    if a[0].type.t in (T.BLOB, T.RAW):
        raise errors.inconsistent_types("CHAR", a[0].type.t.value)
    return TE(tr.as_text(a[0]).sql, SqlType(T.NCLOB if f.name == "TO_NCLOB" else T.CLOB))


def _to_blob(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    """TO_BLOB(raw); character values are read as hex digits, as for any implicit RAW conversion."""
    x = a[0]
    if x.type.t in (T.RAW, T.BLOB, T.NULL):
        return TE(x.sql, SqlType(T.BLOB))
    if x.type.t in CHARS:
        return TE(f"ora_hextoraw({x.sql})", SqlType(T.BLOB))
    raise errors.inconsistent_types("BLOB", x.type.t.value)


def _to_binary(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    single = f.name == "TO_BINARY_FLOAT"
    x = a[0]
    if x.type.t not in CHARS and x.type.t not in (T.NUMBER, T.BFLOAT, T.BDOUBLE, T.NULL):
        raise errors.inconsistent_types("NUMBER", x.type.t.value)
    if x.type.t is T.NUMBER:
        x = tr.as_blob_number(x)
    return TE(f"ora_to_binary({x.sql}, {int(single)})", BFLOAT if single else BDOUBLE)


# ---- regular expressions (runtime/fn_regexp.py) -------------------------------------------------

def _opt(tr: TranslatorBase, a: list[TE], i: int, default: str, number: bool = True) -> str:
    if len(a) <= i:
        return default
    return tr.as_number(a[i]).sql if number else tr.as_text(a[i]).sql


def _regexp_like(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    return TE(f"ora_regexp_like({tr.as_text(a[0]).sql}, {tr.as_text(a[1]).sql}, {_opt(tr, a, 2, 'NULL', False)})",
              BOOLEAN)


def _regexp_substr(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    x = tr.as_text(a[0])
    args = [x.sql, tr.as_text(a[1]).sql, _opt(tr, a, 2, "1"), _opt(tr, a, 3, "1"), _opt(tr, a, 4, "NULL", False),
            _opt(tr, a, 5, "0")]
    return TE(f"ora_regexp_substr({', '.join(args)})", varchar(x.type.size or 4000))


def _regexp_instr(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    args = [tr.as_text(a[0]).sql, tr.as_text(a[1]).sql, _opt(tr, a, 2, "1"), _opt(tr, a, 3, "1"), _opt(tr, a, 4, "0"),
            _opt(tr, a, 5, "NULL", False), _opt(tr, a, 6, "0")]
    return TE(f"ora_regexp_instr({', '.join(args)})", NUMBER)


def _regexp_replace(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    args = [tr.as_text(a[0]).sql, tr.as_text(a[1]).sql, _opt(tr, a, 2, "NULL", False), _opt(tr, a, 3, "1"),
            _opt(tr, a, 4, "0"), _opt(tr, a, 5, "NULL", False)]
    return TE(f"ora_regexp_replace({', '.join(args)})", varchar(4000))


def _regexp_count(tr: TranslatorBase, f: Func, a: list[TE]) -> TE:
    args = [tr.as_text(a[0]).sql, tr.as_text(a[1]).sql, _opt(tr, a, 2, "1"), _opt(tr, a, 3, "NULL", False)]
    return TE(f"ora_regexp_count({', '.join(args)})", NUMBER)


#: Function name -> (fewest arguments, most arguments, translation).
FUNCTIONS: Final[dict[str, tuple[int, int, _Translate]]] = {
    "TO_DSINTERVAL": (1, 1, _to_dsinterval),
    "TO_YMINTERVAL": (1, 1, _to_yminterval),
    "NUMTODSINTERVAL": (2, 2, _numtodsinterval),
    "NUMTOYMINTERVAL": (2, 2, _numtoyminterval),
    "TO_TIMESTAMP_TZ": (1, 2, _to_timestamp_tz),
    "FROM_TZ": (2, 2, _from_tz),
    "SYS_EXTRACT_UTC": (1, 1, _sys_extract_utc),
    "POWER": (2, 2, _power),
    "BITAND": (2, 2, _bitand),
    "GREATEST": (1, 255, _greatest_least),
    "LEAST": (1, 255, _greatest_least),
    "ASCII": (1, 1, _ascii),
    "CHR": (1, 1, _chr),
    "NCHR": (1, 1, _chr),
    "UNISTR": (1, 1, _unistr),
    "HEXTORAW": (1, 1, _hextoraw),
    "RAWTOHEX": (1, 1, _rawtohex),
    "TO_CLOB": (1, 1, _to_lob),
    "TO_NCLOB": (1, 1, _to_lob),
    "TO_BLOB": (1, 1, _to_blob),
    "TO_BINARY_DOUBLE": (1, 1, _to_binary),
    "TO_BINARY_FLOAT": (1, 1, _to_binary),
    "REGEXP_LIKE": (2, 3, _regexp_like),
    "REGEXP_SUBSTR": (2, 6, _regexp_substr),
    "REGEXP_INSTR": (2, 7, _regexp_instr),
    "REGEXP_REPLACE": (2, 6, _regexp_replace),
    "REGEXP_COUNT": (2, 4, _regexp_count),
}


# ---- aggregates ---------------------------------------------------------------------------------

def order_keys(tr: TranslatorBase, order: tuple[OrderItem, ...]) -> tuple[list[str], str]:
    """ORDER BY items as sort-key SQL and their directions for runtime sorting: per key ``A``/``D``
    then ``F``/``L`` for NULLS FIRST/LAST (Oracle: LAST ascending, FIRST descending by default)."""
    keys: list[str] = []
    spec = ""
    for o in order:
        te = tr.expr(o.expr)
        keys.append(tr.as_blob_number(te).sql if te.type.t is T.NUMBER else te.sql)
        first = o.nulls_first if o.nulls_first is not None else o.desc
        spec += ("D" if o.desc else "A") + ("F" if first else "L")
    return keys, spec


def _listagg(tr: TranslatorBase, call: Func, order: tuple[OrderItem, ...], truncate: bool, filler: Expr | None,
             with_count: bool) -> TE:
    if not 1 <= len(call.args) <= 2:
        raise errors.ora(909, call.start)
    value = tr.as_text(tr.expr(call.args[0]))
    sep = tr.as_text(tr.expr(call.args[1])).sql if len(call.args) == 2 else "NULL"
    fill = tr.as_text(tr.expr(filler)).sql if filler is not None else "'...'"
    keys, spec = order_keys(tr, order)
    mode = ("T" if truncate else "E") + ("C" if with_count else "N") + ("U" if call.distinct else "A")
    args = [value.sql, sep, fill, f"'{mode}{spec}'", *keys]
    return TE(f"ora_listagg({', '.join(args)})", varchar(4000))


def _within_group(tr: TranslatorBase, e: WithinGroup) -> TE:
    if e.call.name != "LISTAGG":
        raise errors.unsupported(f"{e.call.name} ... WITHIN GROUP", e.start)
    return _listagg(tr, e.call, e.order, e.truncate, e.filler, e.with_count)


def aggregate(tr: TranslatorBase, f: Func) -> TE:
    """STDDEV / VARIANCE and their _POP / _SAMP forms, and LISTAGG without WITHIN GROUP."""
    if f.star:
        raise errors.ora(936, f.start)
    if f.name == "LISTAGG":
        return _listagg(tr, f, (), False, None, True)
    if len(f.args) != 1:
        raise errors.ora(909, f.start)
    x = tr.as_blob_number(tr.expr(f.args[0]))
    return TE(f"{STATS[f.name]}({'DISTINCT ' if f.distinct else ''}{x.sql})", NUMBER)


# Handlers take the node of their key's type (typed loosely, as translator.py's table is).
#: Expression node type -> translation (translator.py's table takes these in).
EXPR: Final[dict[type[Expr], Callable[[TranslatorBase, Any], TE]]] = {
    Extract: _extract,
    AtZone: _at_zone,
    WithinGroup: _within_group,
}
