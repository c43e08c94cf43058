"""Oracle function calls -> sqlite (aggregates, NUMBER, text, date and context functions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .. import errors
from ..types.datatypes import NUMBER, SqlType, T, varchar
from ..syntax.nodes import Func, Lit
from . import fn_calls
from .base import AGGREGATES, TE, TranslatorBase
from .pkgcalls import package_call
from .plcalls import stored_function_call
from ..runtime.userenv import USERENV_KEYS
from .xmlcalls import xml_call


__all__ = ["call"]

def _arity(f: Func, low: int, high: int) -> None:
    if not low <= len(f.args) <= high:
        raise errors.ora(909, f.start)


@dataclass(frozen=True, slots=True)
class _Call:
    """One call being translated: its arguments come translated, in order."""

    tr: TranslatorBase
    f: Func
    args: list[TE]

    def n(self, i: int) -> str:
        """Argument ``i`` as a NUMBER."""
        return self.tr.as_number(self.args[i]).sql

    def s(self, i: int) -> str:
        """Argument ``i`` as text."""
        return self.tr.as_text(self.args[i]).sql


def call(tr: TranslatorBase, f: Func) -> TE:
    """``f`` by the table :data:`_FUNCTIONS` (name -> argument counts and translation)."""
    name = f.name
    if name in AGGREGATES:
        return _aggregate(tr, f)
    if f.star or f.distinct:
        raise errors.ora(936, f.start)
    if f.named:  # name => value: only PL/SQL's calls take it
        raise errors.ora(907, f.named[0][1].start)
    args = [tr.expr(a) for a in f.args]  # translated (and their errors raised) before the name is looked up
    entry = _FUNCTIONS.get(name)
    if entry is None and name in fn_calls.FUNCTIONS:
        low, high, more = fn_calls.FUNCTIONS[name]
        _arity(f, low, high)
        return more(tr, f, args)
    if entry is None:
        packaged = package_call(tr, f, args)  # utl_raw.*, dbms_lob.*, empty_clob() ...
        if packaged is not None:
            return packaged
        stored = xml_call(tr, f, args) or stored_function_call(tr, f, args)
        if stored is not None:
            return stored
        if "." in name:
            raise errors.unsupported(f"package function {name}", f.start)
        raise errors.invalid_identifier(name, f.start)
    low, high, translate = entry
    _arity(f, low, high)
    return translate(_Call(tr, f, args))


def _coalesce(c: _Call) -> TE:
    sqls, t = c.tr.unify(c.args)
    return TE(f"coalesce({', '.join(sqls)})", t)


def _nvl2(c: _Call) -> TE:
    sqls, t = c.tr.unify(c.args[1:])
    return TE(f"(CASE WHEN {c.args[0].sql} IS NOT NULL THEN {sqls[0]} ELSE {sqls[1]} END)", t)


def _nullif(c: _Call) -> TE:
    a, b = c.tr.comparable(c.args[0], c.args[1])
    return TE(f"(CASE WHEN {a} = {b} THEN NULL ELSE {c.args[0].sql} END)", c.args[0].type)


def _decode(c: _Call) -> TE:
    args = c.args
    results = [args[i] for i in range(2, len(args), 2)]
    has_default = len(args) % 2 == 0
    if has_default:
        results.append(args[-1])
    sqls, t = c.tr.unify(results)
    parts = ["CASE"]
    for k, i in enumerate(range(1, len(args) - (1 if has_default else 0), 2)):
        a, b = c.tr.comparable(args[0], args[i])
        parts.append(f"WHEN {a} IS {b} THEN {sqls[k]}")
    if has_default:
        parts.append(f"ELSE {sqls[-1]}")
    return TE(" ".join(parts) + " END", t)


def _case_fold(c: _Call) -> TE:
    x = c.tr.as_text(c.args[0])
    return TE(f"ora_{c.f.name.lower()}({x.sql})", SqlType(x.type.t if x.type.t is not T.CHAR else T.VARCHAR,
                                                         size=x.type.size) if x.type.t is not T.NULL else varchar(0))


def _length(c: _Call) -> TE:
    return TE(f"ora_length({c.s(0)})", NUMBER)


def _substr(c: _Call) -> TE:
    length = c.n(2) if len(c.args) == 3 else "2147483647"
    return TE(f"ora_substr({c.s(0)}, {c.n(1)}, {length})", varchar(c.tr.as_text(c.args[0]).type.size or 4000))


def _instr(c: _Call) -> TE:
    start = c.n(2) if len(c.args) > 2 else "1"
    occ = c.n(3) if len(c.args) > 3 else "1"
    return TE(f"ora_instr({c.s(0)}, {c.s(1)}, {start}, {occ})", NUMBER)


def _replace(c: _Call) -> TE:
    return TE(f"ora_replace({c.s(0)}, {c.s(1)}, {c.s(2) if len(c.args) == 3 else 'NULL'})", varchar(4000))


def _trim(c: _Call) -> TE:
    name = c.f.name
    chars = c.s(1) if len(c.args) == 2 else "' '"
    return TE(f"ora_trim({c.s(0)}, '{name[0] if name != 'TRIM' else 'B'}', {chars})", varchar(4000))


def _pad(c: _Call) -> TE:
    fill = c.s(2) if len(c.args) == 3 else "' '"
    return TE(f"ora_{c.f.name.lower()}({c.s(0)}, {c.n(1)}, {fill})", varchar(4000))


def _concat(c: _Call) -> TE:
    return TE(f"ora_concat({c.s(0)}, {c.s(1)})", varchar(4000))


def _numeric1(c: _Call) -> TE:
    return TE(f"ora_{c.f.name.lower()}({c.n(0)})", NUMBER)


def _mod(c: _Call) -> TE:
    return TE(f"ora_mod({c.n(0)}, {c.n(1)})", NUMBER)


def _round_trunc(c: _Call) -> TE:
    name, args = c.f.name, c.args
    if args[0].type.is_datetime:
        if name == "ROUND":
            raise errors.unsupported("ROUND(date)", c.f.start)
        fmt = c.s(1) if len(args) == 2 else "'DD'"
        return TE(f"ora_trunc_date({c.tr.as_date(args[0]).sql}, {fmt})", SqlType(T.DATE))
    places = c.n(1) if len(args) == 2 else "0"
    return TE(f"ora_{name.lower()}({c.n(0)}, {places})", NUMBER)


def _to_number(c: _Call) -> TE:
    arg = c.args[0]
    return TE(f"ora_num({c.tr.as_text(arg).sql if arg.type.t is not T.NUMBER else arg.sql})", NUMBER)


def _to_char(c: _Call) -> TE:
    arg0 = c.args[0]
    fmt = c.s(1) if len(c.args) == 2 else "NULL"
    if arg0.type.t is T.NUMBER:
        return TE(f"ora_to_char({arg0.sql}, 'N', {fmt})", varchar(40 if len(c.args) == 1 else 64))
    if arg0.type.is_datetime:
        if len(c.args) == 1:
            return c.tr.as_text(arg0)
        return TE(f"ora_to_char({c.tr.as_date(arg0).sql}, 'D', {fmt})", varchar(75))
    return c.tr.as_text(arg0)


def _to_date(c: _Call) -> TE:
    name, tr = c.f.name, c.tr
    if c.args[0].type.is_datetime:
        return c.args[0]
    default = "NLS_DATE_FORMAT" if name == "TO_DATE" else "NLS_TIMESTAMP_FORMAT"
    fmt = c.s(1) if len(c.args) == 2 else tr.param(tr.ctx.nls.get(default, "DD-MON-RR"))
    keep = 0 if name == "TO_DATE" else 1
    t = SqlType(T.DATE) if name == "TO_DATE" else SqlType(T.TIMESTAMP, scale=9)
    return TE(f"ora_to_date({c.s(0)}, {fmt}, {keep})", t)


def _add_months(c: _Call) -> TE:
    return TE(f"ora_add_months({c.tr.as_date(c.args[0]).sql}, {c.n(1)})", SqlType(T.DATE))


def _rowidtochar(c: _Call) -> TE:
    if c.args[0].type.t not in (T.ROWID, T.NULL):
        raise errors.inconsistent_types("ROWID", c.args[0].type.t.value)
    return c.tr.as_text(c.args[0])


def _chartorowid(c: _Call) -> TE:
    arg = c.args[0]
    return c.tr.as_rowid(arg if arg.type.t is T.ROWID else c.tr.as_text(arg))


def _sys_context(c: _Call) -> TE:
    """USERENV with literal arguments is read once, at translation (its unknown keys are
    ORA-02003 at parse, as Oracle's); any other call reads the session per row
    (runtime/appcontext.py), so binds and columns may name the namespace and attribute."""
    f, tr = c.f, c.tr
    ns, key = f.args[0], f.args[1]
    if (isinstance(ns, Lit) and isinstance(key, Lit) and isinstance(ns.value, str) and isinstance(key.value, str)
            and ns.value.upper() == "USERENV"):
        userkey = key.value.upper()
        if userkey not in USERENV_KEYS:
            raise errors.ora(2003, key.start)
        return TE(tr.param(tr.ctx.userenv(userkey)), varchar(256))
    length = c.n(2) if len(c.args) > 2 else "NULL"
    return TE(f"ora_sys_context({c.s(0)}, {c.s(1)}, {length})", varchar(4000))


#: Function name -> (fewest arguments, most arguments, translation); others are ORA-00904.
_FUNCTIONS: Final[dict[str, tuple[int, int, Callable[[_Call], TE]]]] = {
    "NVL": (2, 2, _coalesce),
    "COALESCE": (2, 255, _coalesce),
    "NVL2": (3, 3, _nvl2),
    "NULLIF": (2, 2, _nullif),
    "DECODE": (3, 255, _decode),
    **dict.fromkeys(("UPPER", "LOWER", "INITCAP"), (1, 1, _case_fold)),
    **dict.fromkeys(("LENGTH", "LENGTHB", "LENGTHC"), (1, 1, _length)),
    **dict.fromkeys(("SUBSTR", "SUBSTRB", "SUBSTRC"), (2, 3, _substr)),
    "INSTR": (2, 4, _instr),
    "REPLACE": (2, 3, _replace),
    "LTRIM": (1, 2, _trim),
    "RTRIM": (1, 2, _trim),
    "TRIM": (1, 1, _trim),
    **dict.fromkeys(("LPAD", "RPAD"), (2, 3, _pad)),
    "CONCAT": (2, 2, _concat),
    **dict.fromkeys(("ABS", "CEIL", "FLOOR", "SIGN"), (1, 1, _numeric1)),
    "MOD": (2, 2, _mod),
    **dict.fromkeys(("ROUND", "TRUNC"), (1, 2, _round_trunc)),
    "TO_NUMBER": (1, 1, _to_number),
    "TO_CHAR": (1, 2, _to_char),
    **dict.fromkeys(("TO_DATE", "TO_TIMESTAMP"), (1, 2, _to_date)),
    "ADD_MONTHS": (2, 2, _add_months),
    "ROWIDTOCHAR": (1, 1, _rowidtochar),
    "CHARTOROWID": (1, 1, _chartorowid),
    "SYS_CONTEXT": (2, 3, _sys_context),
}


def _aggregate(tr: TranslatorBase, f: Func) -> TE:
    if f.name in fn_calls.AGGREGATES:
        return fn_calls.aggregate(tr, f)
    d = "DISTINCT " if f.distinct else ""
    if f.name == "COUNT":
        if f.star:
            return TE("count(*)", NUMBER, intstore=True)
        _arity(f, 1, 1)
        return TE(f"count({d}{tr.expr(f.args[0]).sql})", NUMBER, intstore=True)
    _arity(f, 1, 1)
    x = tr.expr(f.args[0])
    if f.name in ("MIN", "MAX"):
        if x.type.t is T.NUMBER:
            x = tr.as_blob_number(x)
        return TE(f"{f.name.lower()}({d}{x.sql})", x.type)
    return TE(f"ora_{f.name.lower()}({d}{tr.as_number(x).sql})", NUMBER)
