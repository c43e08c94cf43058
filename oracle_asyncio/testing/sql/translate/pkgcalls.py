"""Oracle's standard packages called from SQL: ``utl_raw.cast_to_raw(x)``,
``dbms_lob.getlength(c)``, ``empty_clob()``, ``dbms_random.value`` (no parentheses) ...

UTL_RAW and the DBMS_LOB functions that only read become sqlite functions (runtime/pkg_raw.py,
runtime/pkg_lob.py).  Any other built-in function (DBMS_RANDOM, DBMS_UTILITY.GET_TIME,
DBMS_TRANSACTION.LOCAL_TRANSACTION_ID ...) keeps state of the session, so it runs as PL/SQL on the
session, through ``ora_plsql`` as a stored function does (plcalls.py), once per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from .. import errors
from ..runtime.pkg_builtins import BUILTINS
from ..syntax.nodes import Col, Func
from ..types.datatypes import BDOUBLE, BFLOAT, NUMBER, RAW, SqlType, T, varchar
from .base import CHARS, TE, TranslatorBase

__all__ = ["package_call", "package_column"]

_SQL_MAX_STRING: Final = 4000
_LOBS: Final = (T.CLOB, T.NCLOB, T.BLOB)

_Translate = Callable[[TranslatorBase, list[TE]], TE]


def _raw(tr: TranslatorBase, te: TE) -> str:
    """``te`` as RAW (text is read as hex, as Oracle's implicit HEXTORAW does)."""
    k = te.type.t
    if k in (T.RAW, T.BLOB, T.NULL):
        return te.sql
    if k in CHARS:
        return f"ora_pkg_hextoraw({te.sql})"
    raise errors.inconsistent_types("RAW", k.value)


def _lob(te: TE) -> str:
    if te.type.t in (*_LOBS, *CHARS, T.RAW, T.NULL):
        return te.sql
    raise errors.inconsistent_types("CLOB", te.type.t.value)


def _binary(tr: TranslatorBase, te: TE) -> str:
    return te.sql if te.type.t in (T.BDOUBLE, T.BFLOAT) else tr.as_number(te).sql


def _call(fn: str, result: SqlType, *kinds: str) -> _Translate:
    """A sqlite function ``fn`` whose arguments are converted by ``kinds`` (r: RAW, n: NUMBER,
    s: text, l: a LOB, b: BINARY_DOUBLE or NUMBER; the last kind repeats)."""
    def translate(tr: TranslatorBase, args: list[TE]) -> TE:
        sqls = []
        for i, a in enumerate(args):
            kind = kinds[min(i, len(kinds) - 1)]
            sqls.append(_raw(tr, a) if kind == "r" else tr.as_number(a).sql if kind == "n"
                        else tr.as_text(a).sql if kind == "s" else _binary(tr, a) if kind == "b" else _lob(a))
        return TE(f"{fn}({', '.join(sqls)})", result)
    return translate


def _lob_substr(tr: TranslatorBase, args: list[TE]) -> TE:
    k = args[0].type.t
    result = RAW if k in (T.BLOB, T.RAW) else SqlType(T.NVARCHAR, size=2000) if k is T.NCLOB else varchar(4000)
    return _call("ora_lob_substr", result, "l", "n")(tr, args)


def _lob_instr(tr: TranslatorBase, args: list[TE]) -> TE:
    binary = args[0].type.t in (T.BLOB, T.RAW)
    pattern = _raw(tr, args[1]) if binary else tr.as_text(args[1]).sql
    rest = [tr.as_number(a).sql for a in args[2:]]
    return TE(f"ora_lob_instr({', '.join([_lob(args[0]), pattern, *rest])})", NUMBER)


#: Name -> (fewest arguments, most arguments, translation).
_FUNCTIONS: Final[dict[str, tuple[int, int, _Translate]]] = {
    "EMPTY_CLOB": (0, 0, lambda tr, args: TE("''", SqlType(T.CLOB))),
    "EMPTY_BLOB": (0, 0, lambda tr, args: TE("X''", SqlType(T.BLOB))),
    "UTL_RAW.CAST_TO_RAW": (1, 1, _call("ora_utl_raw_cast_to_raw", RAW, "s")),
    "UTL_RAW.CAST_TO_VARCHAR2": (1, 1, _call("ora_utl_raw_cast_to_varchar2", varchar(2000), "r")),
    "UTL_RAW.CAST_TO_NVARCHAR2": (1, 1, _call("ora_utl_raw_cast_to_nvarchar2", SqlType(T.NVARCHAR, size=2000), "r")),
    "UTL_RAW.LENGTH": (1, 1, _call("ora_utl_raw_length", NUMBER, "r")),
    "UTL_RAW.CONCAT": (0, 12, _call("ora_utl_raw_concat", RAW, "r")),
    "UTL_RAW.SUBSTR": (2, 3, _call("ora_utl_raw_substr", RAW, "r", "n")),
    "UTL_RAW.BIT_AND": (2, 2, _call("ora_utl_raw_bit_and", RAW, "r")),
    "UTL_RAW.BIT_OR": (2, 2, _call("ora_utl_raw_bit_or", RAW, "r")),
    "UTL_RAW.BIT_XOR": (2, 2, _call("ora_utl_raw_bit_xor", RAW, "r")),
    "UTL_RAW.BIT_COMPLEMENT": (1, 1, _call("ora_utl_raw_bit_complement", RAW, "r")),
    "UTL_RAW.COMPARE": (2, 3, _call("ora_utl_raw_compare", NUMBER, "r")),
    "UTL_RAW.REVERSE": (1, 1, _call("ora_utl_raw_reverse", RAW, "r")),
    "UTL_RAW.COPIES": (2, 2, _call("ora_utl_raw_copies", RAW, "r", "n")),
    "UTL_RAW.CAST_FROM_NUMBER": (1, 1, _call("ora_utl_raw_cast_from_number", RAW, "n")),
    "UTL_RAW.CAST_TO_NUMBER": (1, 1, _call("ora_utl_raw_cast_to_number", NUMBER, "r")),
    "UTL_RAW.CAST_FROM_BINARY_INTEGER": (1, 2, _call("ora_utl_raw_cast_from_binary_integer", RAW, "n")),
    "UTL_RAW.CAST_TO_BINARY_INTEGER": (1, 2, _call("ora_utl_raw_cast_to_binary_integer", NUMBER, "r", "n")),
    "UTL_RAW.CAST_FROM_BINARY_DOUBLE": (1, 2, _call("ora_utl_raw_cast_from_binary_double", RAW, "b", "n")),
    "UTL_RAW.CAST_TO_BINARY_DOUBLE": (1, 2, _call("ora_utl_raw_cast_to_binary_double", BDOUBLE, "r", "n")),
    "UTL_RAW.CAST_FROM_BINARY_FLOAT": (1, 2, _call("ora_utl_raw_cast_from_binary_float", RAW, "b", "n")),
    "UTL_RAW.CAST_TO_BINARY_FLOAT": (1, 2, _call("ora_utl_raw_cast_to_binary_float", BFLOAT, "r", "n")),
    "DBMS_LOB.GETLENGTH": (1, 1, _call("ora_lob_getlength", NUMBER, "l")),
    "DBMS_LOB.SUBSTR": (1, 3, _lob_substr),
    "DBMS_LOB.INSTR": (2, 4, _lob_instr),
    "DBMS_LOB.COMPARE": (2, 5, _call("ora_lob_compare", NUMBER, "l", "l", "n")),
}


def _name(name: str) -> str:
    """``SYS.UTL_RAW.X`` is ``UTL_RAW.X`` (the packages belong to SYS)."""
    return name[4:] if name.startswith("SYS.") and name.count(".") == 2 else name


def package_call(tr: TranslatorBase, f: Func, args: list[TE]) -> TE | None:
    """``f`` as a call of a standard package's function (or EMPTY_CLOB / EMPTY_BLOB), None when
    it names none."""
    name = _name(f.name)
    entry = _FUNCTIONS.get(name)
    if entry is not None:
        low, high, translate = entry
        if not low <= len(args) <= high:
            raise errors.ora(909, f.start)
        return translate(tr, args)
    builtin = BUILTINS.get(name)
    if builtin is None or builtin.returns is None:
        return None
    if len(args) > len(builtin.params) or any(p.default is None for p in builtin.params[len(args):]):
        raise errors.ora(909, f.start)
    returns = builtin.returns
    if returns.is_char and returns.size > _SQL_MAX_STRING:  # SQL sees at most VARCHAR2(4000)
        returns = SqlType(returns.t, size=_SQL_MAX_STRING)
    pieces = [tr.param(name), tr.param(returns.t.value)]
    for a in args:
        pieces += [tr.param(a.type.t.value), a.sql]
    return TE(f"ora_plsql({', '.join(pieces)})", returns)


def package_column(tr: TranslatorBase, e: Col) -> TE | None:
    """``pkg.f`` written without parentheses (``dbms_random.value``): a call of ``f`` when ``pkg``
    is a standard package, else None (a column)."""
    if e.table is None:
        return None
    name = f"{e.table}.{e.name}" if e.schema is None else f"{e.schema}.{e.table}.{e.name}"
    if _name(name) not in _FUNCTIONS and _name(name) not in BUILTINS:
        return None
    return package_call(tr, Func(e.start, e.end, name, ()), [])
