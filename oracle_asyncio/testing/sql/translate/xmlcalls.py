"""XMLTYPE in SQL: its constructors (``XMLTYPE(text)``, ``SYS.XMLTYPE(text)``,
``XMLTYPE.createXML(text)``) and the methods that give its text back, ``x.col.getStringVal()``
(VARCHAR2) and ``x.col.getClobVal()`` (CLOB).  The value is the document's text (types/xmltext.py)."""

from __future__ import annotations

from typing import Final

from .. import errors
from ..syntax.nodes import Col, Func
from ..types.datatypes import SqlType, T, varchar
from .base import TE, TranslatorBase

__all__ = ["XMLTYPE", "xml_call"]

XMLTYPE: Final = SqlType(T.XMLTYPE)
_CONSTRUCTORS: Final = frozenset({"XMLTYPE", "SYS.XMLTYPE", "XMLTYPE.CREATEXML", "SYS.XMLTYPE.CREATEXML"})
#: method -> the type of the text it returns (getStringVal: VARCHAR2(4000) in SQL, as Oracle's).
_METHODS: Final = {"GETSTRINGVAL": varchar(4000), "GETCLOBVAL": SqlType(T.CLOB)}


def xml_call(tr: TranslatorBase, f: Func, args: list[TE]) -> TE | None:
    """``f`` as an XMLTYPE constructor or method, None when it is neither."""
    if f.name in _CONSTRUCTORS:
        if len(args) != 1:
            raise errors.ora(909, f.start)
        return TE(f"ora_xml({tr.as_text(args[0]).sql})", XMLTYPE)
    owner, _, method = f.name.rpartition(".")
    if method not in _METHODS or not owner:
        return None
    parts = owner.split(".")
    if len(parts) > 3:
        return None
    target = Col(f.start, f.end, parts[-1], parts[-2] if len(parts) > 1 else None,
                 parts[-3] if len(parts) > 2 else None)
    try:
        value = tr.expr(target)
    except errors.OraError:
        return None  # not a column: a package function of that name, perhaps
    if value.type.t not in (T.XMLTYPE, T.NULL):
        raise errors.invalid_identifier(method, f.start)
    if args:
        raise errors.ora(909, f.start)
    return TE(value.sql, _METHODS[method])
