"""INTERVAL types (``INTERVAL DAY(p) TO SECOND(s)``) and literals (``INTERVAL '1 2:03' DAY TO MINUTE``)."""

from __future__ import annotations

import re
from typing import Final

from .. import errors
from ..types.datatypes import SqlType, T, ds_text
from ..types.intervals import US, round_us, too_small
from .lexer import Kind, Token
from .nodes import Lit
from .parser_base import ParserBase

__all__ = ["interval_literal", "interval_type"]

_DS_FIELDS: Final = ("DAY", "HOUR", "MINUTE", "SECOND")
_LIMIT: Final = {"HOUR": 23, "MINUTE": 59, "SECOND": 59}
_LIMIT_ERR: Final = {"HOUR": 1850, "MINUTE": 1851, "SECOND": 1852}


def _range_error(pos: int = 0) -> errors.OraError:
    return errors.ora(30088, pos)


def _invalid(pos: int = 0) -> errors.OraError:
    return errors.ora(1867, pos)


def _precisions(p: ParserBase) -> list[int]:
    """An optional ``(n)`` or ``(n, m)`` after an interval field."""
    values: list[int] = []
    if p.accept_op("("):
        values.append(p.int_arg())
        while p.accept_op(","):
            values.append(p.int_arg())
        p.expect_op(")")
    for v in values:
        if not 0 <= v <= 9:
            raise _range_error(p.tok.pos)
    return values


def interval_type(p: ParserBase) -> SqlType:
    """``DAY[(p)] TO SECOND[(s)]`` or ``YEAR[(p)] TO MONTH`` after the word INTERVAL."""
    if p.accept_kw("DAY"):
        lead = (_precisions(p) or [2])[0]
        p.expect_kw("TO")
        p.expect_kw("SECOND")
        fsp = (_precisions(p) or [6])[0]
        return SqlType(T.INTERVAL_DS, precision=lead, scale=fsp)
    p.expect_kw("YEAR")
    lead = (_precisions(p) or [2])[0]
    p.expect_kw("TO")
    p.expect_kw("MONTH")
    return SqlType(T.INTERVAL_YM, precision=lead)


def interval_literal(p: ParserBase, kw: Token, s: Token) -> Lit:
    """``INTERVAL 'text' field[(p)] [TO field[(s)]]`` (the parser has consumed the string)."""
    first = p.tok
    if first.kind is not Kind.IDENT or first.value not in (*_DS_FIELDS, "YEAR", "MONTH"):
        raise p.error_here("expected an interval field")
    p.next()
    start = first.value
    precs = _precisions(p)
    lead = precs[0] if precs else 2
    fsp = precs[1] if len(precs) > 1 else None
    end_field = start
    if p.accept_kw("TO"):
        t = p.tok
        end_field = t.value if t.kind is Kind.IDENT else ""
        p.next()
        if end_field == "SECOND":
            fsp = (_precisions(p) or [fsp if fsp is not None else 6])[0]
    end = p.tokens[p.i - 1].end
    text = s.value.strip()
    if start in ("YEAR", "MONTH"):
        if (start, end_field) not in (("YEAR", "YEAR"), ("YEAR", "MONTH"), ("MONTH", "MONTH")):
            raise _invalid(first.pos)
        m = re.fullmatch(r"([+-]?)(\d+)" + (r"-(\d+)" if (start, end_field) == ("YEAR", "MONTH") else ""), text)
        if m is None:
            raise _invalid(s.pos)
        leading = int(m.group(2))
        months = leading * 12 if start == "YEAR" else leading
        if m.lastindex == 3:
            extra = int(m.group(3))
            if extra > 11:
                raise errors.ora(1843, s.pos)
            months += extra
        if leading >= 10**lead:
            raise too_small(s.pos)
        return Lit(kw.pos, end, -months if m.group(1) == "-" else months, SqlType(T.INTERVAL_YM, precision=lead))
    if end_field not in _DS_FIELDS or _DS_FIELDS.index(end_field) < _DS_FIELDS.index(start):
        raise _invalid(first.pos)
    fields = _DS_FIELDS[_DS_FIELDS.index(start): _DS_FIELDS.index(end_field) + 1]
    seps = {"HOUR": " " if start == "DAY" else ":", "MINUTE": ":", "SECOND": ":"}
    pattern = "".join((seps[f] if i else "") + r"(\d+)" for i, f in enumerate(fields))
    if fields[-1] == "SECOND":
        pattern += r"(?:\.(\d*))?"
    m = re.fullmatch(r"([+-]?)" + pattern, text)
    if m is None:
        raise _invalid(s.pos)
    us = 0
    for i, f in enumerate(fields):
        v = int(m.group(i + 2))
        if i and v > _LIMIT[f]:
            raise errors.ora(_LIMIT_ERR[f], s.pos)
        us += v * US[f]
    if fields[-1] == "SECOND":
        frac = m.group(len(fields) + 2) or ""
        us += int((frac + "000000")[:6])
        fsp = 6 if fsp is None else fsp
    if int(m.group(2)) >= 10**lead:
        raise too_small(s.pos)
    us = round_us(us, fsp if fsp is not None else 6)
    stored = ds_text(-us if m.group(1) == "-" else us)
    return Lit(kw.pos, end, stored, SqlType(T.INTERVAL_DS, precision=lead, scale=fsp or 0))
