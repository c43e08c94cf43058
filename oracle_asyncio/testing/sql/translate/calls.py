"""Oracle function calls -> sqlite (aggregates, NUMBER, text, date and context functions)."""

from __future__ import annotations


from .. import errors
from ..types.datatypes import NUMBER, SqlType, T, varchar
from ..syntax.nodes import Func, Lit
from .base import AGGREGATES, TE, TranslatorBase


__all__ = ["call"]

_USERENV_KEYS = frozenset({
    "SID", "SESSION_USER", "CURRENT_USER", "CURRENT_SCHEMA", "ACTION", "MODULE", "CLIENT_IDENTIFIER",
    "CLIENT_INFO", "DB_NAME", "DB_UNIQUE_NAME", "DB_DOMAIN", "CON_NAME", "SERVICE_NAME", "INSTANCE_NAME",
    "SERVER_HOST", "HOST", "OS_USER", "TERMINAL", "LANGUAGE", "ISDBA", "AUTHENTICATION_METHOD",
    "CLOUD_SERVICE", "NLS_DATE_FORMAT", "NLS_TERRITORY", "SESSIONID", "INSTANCE", "CON_ID",
    "CURRENT_SCHEMAID", "SESSION_USERID", "IP_ADDRESS", "CLIENT_PROGRAM_NAME", "AUTHENTICATED_IDENTITY",
})


def _arity(f: Func, low: int, high: int) -> None:
    if not low <= len(f.args) <= high:
        raise errors.OraError(909, "ORA-00909: invalid number of arguments", f.start)


def call(tr: TranslatorBase, f: Func) -> TE:
    name = f.name
    if name in AGGREGATES:
        return _aggregate(tr, f)
    if f.star or f.distinct:
        raise errors.OraError(936, "ORA-00936: missing expression", f.start)
    args = [tr.expr(a) for a in f.args]

    def n(i: int) -> str:
        return tr.as_number(args[i]).sql

    def s(i: int) -> str:
        return tr.as_text(args[i]).sql

    if name in ("NVL", "COALESCE"):
        _arity(f, 2, 2 if name == "NVL" else 255)
        sqls, t = tr.unify(args)
        return TE(f"coalesce({', '.join(sqls)})", t)
    if name == "NVL2":
        _arity(f, 3, 3)
        sqls, t = tr.unify(args[1:])
        return TE(f"(CASE WHEN {args[0].sql} IS NOT NULL THEN {sqls[0]} ELSE {sqls[1]} END)", t)
    if name == "NULLIF":
        _arity(f, 2, 2)
        a, b = tr.comparable(args[0], args[1])
        return TE(f"(CASE WHEN {a} = {b} THEN NULL ELSE {args[0].sql} END)", args[0].type)
    if name == "DECODE":
        _arity(f, 3, 255)
        results = [args[i] for i in range(2, len(args), 2)]
        has_default = len(args) % 2 == 0
        if has_default:
            results.append(args[-1])
        sqls, t = tr.unify(results)
        parts = ["CASE"]
        for k, i in enumerate(range(1, len(args) - (1 if has_default else 0), 2)):
            a, b = tr.comparable(args[0], args[i])
            parts.append(f"WHEN {a} IS {b} THEN {sqls[k]}")
        if has_default:
            parts.append(f"ELSE {sqls[-1]}")
        return TE(" ".join(parts) + " END", t)
    if name in ("UPPER", "LOWER", "INITCAP"):
        _arity(f, 1, 1)
        x = tr.as_text(args[0])
        return TE(f"ora_{name.lower()}({x.sql})", SqlType(x.type.t if x.type.t is not T.CHAR else T.VARCHAR,
                                                         size=x.type.size) if x.type.t is not T.NULL else varchar(0))
    if name in ("LENGTH", "LENGTHB", "LENGTHC"):
        _arity(f, 1, 1)
        return TE(f"ora_length({s(0)})", NUMBER)
    if name in ("SUBSTR", "SUBSTRB", "SUBSTRC"):
        _arity(f, 2, 3)
        length = n(2) if len(args) == 3 else "2147483647"
        return TE(f"ora_substr({s(0)}, {n(1)}, {length})", varchar(tr.as_text(args[0]).type.size or 4000))
    if name == "INSTR":
        _arity(f, 2, 4)
        start = n(2) if len(args) > 2 else "1"
        occ = n(3) if len(args) > 3 else "1"
        return TE(f"ora_instr({s(0)}, {s(1)}, {start}, {occ})", NUMBER)
    if name == "REPLACE":
        _arity(f, 2, 3)
        return TE(f"ora_replace({s(0)}, {s(1)}, {s(2) if len(args) == 3 else 'NULL'})", varchar(4000))
    if name in ("LTRIM", "RTRIM", "TRIM"):
        _arity(f, 1, 1 if name == "TRIM" else 2)
        chars = s(1) if len(args) == 2 else "' '"
        return TE(f"ora_trim({s(0)}, '{name[0] if name != 'TRIM' else 'B'}', {chars})", varchar(4000))
    if name in ("LPAD", "RPAD"):
        _arity(f, 2, 3)
        fill = s(2) if len(args) == 3 else "' '"
        return TE(f"ora_{name.lower()}({s(0)}, {n(1)}, {fill})", varchar(4000))
    if name == "CONCAT":
        _arity(f, 2, 2)
        return TE(f"ora_concat({s(0)}, {s(1)})", varchar(4000))
    if name in ("ABS", "CEIL", "FLOOR", "SIGN"):
        _arity(f, 1, 1)
        return TE(f"ora_{name.lower()}({n(0)})", NUMBER)
    if name == "MOD":
        _arity(f, 2, 2)
        return TE(f"ora_mod({n(0)}, {n(1)})", NUMBER)
    if name in ("ROUND", "TRUNC"):
        _arity(f, 1, 2)
        if args[0].type.is_datetime:
            if name == "ROUND":
                raise errors.unsupported("ROUND(date)", f.start)
            fmt = s(1) if len(args) == 2 else "'DD'"
            return TE(f"ora_trunc_date({args[0].sql}, {fmt})", SqlType(T.DATE))
        places = n(1) if len(args) == 2 else "0"
        return TE(f"ora_{name.lower()}({n(0)}, {places})", NUMBER)
    if name == "TO_NUMBER":
        _arity(f, 1, 1)
        return TE(f"ora_num({tr.as_text(args[0]).sql if args[0].type.t is not T.NUMBER else args[0].sql})",
                  NUMBER)
    if name == "TO_CHAR":
        _arity(f, 1, 2)
        arg0 = args[0]
        fmt = s(1) if len(args) == 2 else "NULL"
        if arg0.type.t is T.NUMBER:
            return TE(f"ora_to_char({arg0.sql}, 'N', {fmt})", varchar(40 if len(args) == 1 else 64))
        if arg0.type.is_datetime:
            if len(args) == 1:
                return tr.as_text(arg0)
            return TE(f"ora_to_char({arg0.sql}, 'D', {fmt})", varchar(75))
        return tr.as_text(arg0)
    if name in ("TO_DATE", "TO_TIMESTAMP"):
        _arity(f, 1, 2)
        if args[0].type.is_datetime:
            return args[0]
        default = "NLS_DATE_FORMAT" if name == "TO_DATE" else "NLS_TIMESTAMP_FORMAT"
        fmt = s(1) if len(args) == 2 else tr.param(tr.ctx.nls.get(default, "DD-MON-RR"))
        keep = 0 if name == "TO_DATE" else 1
        t = SqlType(T.DATE) if name == "TO_DATE" else SqlType(T.TIMESTAMP, scale=9)
        return TE(f"ora_to_date({s(0)}, {fmt}, {keep})", t)
    if name == "ADD_MONTHS":
        _arity(f, 2, 2)
        return TE(f"ora_add_months({tr.as_date(args[0]).sql}, {n(1)})", SqlType(T.DATE))
    if name == "ROWIDTOCHAR":
        _arity(f, 1, 1)
        if args[0].type.t not in (T.ROWID, T.NULL):
            raise errors.inconsistent_types("ROWID", args[0].type.t.value)
        return tr.as_text(args[0])
    if name == "CHARTOROWID":
        _arity(f, 1, 1)
        return tr.as_rowid(args[0] if args[0].type.t is T.ROWID else tr.as_text(args[0]))
    if name == "SYS_CONTEXT":
        _arity(f, 2, 3)
        ns, key = f.args[0], f.args[1]
        if not (isinstance(ns, Lit) and isinstance(key, Lit)) or not isinstance(ns.value, str) or not isinstance(
                key.value, str):
            raise errors.unsupported("SYS_CONTEXT with non-literal arguments", f.start)
        if ns.value.upper() != "USERENV":
            return TE("NULL", varchar(256))
        userkey = key.value.upper()
        if userkey not in _USERENV_KEYS:
            raise errors.OraError(2003, "ORA-02003: invalid USERENV parameter", key.start)
        return TE(tr.param(tr.ctx.userenv(userkey)), varchar(256))
    raise errors.invalid_identifier(name, f.start)


def _aggregate(tr: TranslatorBase, f: Func) -> TE:
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
