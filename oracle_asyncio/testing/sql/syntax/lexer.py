"""Oracle SQL tokens: identifiers (upper-cased), quoted identifiers, numbers,
strings (with ``''`` escapes, ``q'[...]'`` and ``n'...'``), binds, operators, comments.

Bind names follow :func:`oracle_sansio.statement.parse_statement`: ``:1`` is
``"1"``, ``:name`` is ``"NAME"``, ``:"Name"`` is ``"Name"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Final

from .. import errors

__all__ = ["Kind", "Token", "tokenize"]


class Kind(Enum):
    IDENT = "identifier"
    QIDENT = "quoted identifier"
    NUMBER = "number"
    STRING = "string"
    BIND = "bind"
    OP = "operator"
    EOF = "end of statement"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    #: Upper-cased for IDENT, exact for QIDENT/STRING/BIND, source text for NUMBER/OP.
    value: str
    pos: int
    end: int
    #: NUMBER literals with a binary suffix: "f" (BINARY_FLOAT) or "d" (BINARY_DOUBLE).
    suffix: str = ""

    def describe(self) -> str:
        if self.kind is Kind.EOF:
            return "end of statement"
        return f"{self.kind.value} {self.value!r} at position {self.pos}"


_Q_CLOSE: Final = {"[": "]", "(": ")", "{": "}", "<": ">"}
_SPACE: Final = re.compile(r"(?:\s+|--[^\n]*)+")
_IDENT: Final = re.compile(r"[A-Za-z][A-Za-z0-9_$#]*")
# "1..9" is a range (PL/SQL's FOR): the number stops before "..".
_NUMBER: Final = re.compile(r"(?:[0-9]+(?:\.(?!\.)[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?([fFdD](?![A-Za-z0-9_$#]))?")
# Blanks may follow the colon (``: 2`` is bind 2), as python-oracledb's parser reads it.
_BIND: Final = re.compile(r":\s*(?:([0-9]+)|([A-Za-z][A-Za-z0-9_$#]*)|\"([^\"]+)\")")
_OPS: Final = ("<=", ">=", "<>", "!=", "^=", "||", ":=", "=>", "**", "..", "<<", ">>", "(", ")", ",", "+", "-", "*", "/", "=", "<", ">", ".", ";", "@", "%")


def _string(sql: str, pos: int) -> tuple[str, int]:
    """Read a quoted string starting at the opening quote; return (value, end)."""
    out: list[str] = []
    i = pos + 1
    n = len(sql)
    while True:
        j = sql.find("'", i)
        if j < 0:
            raise errors.ora(1756, pos)
        out.append(sql[i:j])
        if j + 1 < n and sql[j + 1] == "'":
            out.append("'")
            i = j + 2
            continue
        return "".join(out), j + 1


def tokenize(sql: str) -> list[Token]:
    """Split ``sql`` into tokens, ending with an EOF token.

    Raises:
        OraError: ORA-01756 for an unterminated string, ORA-00911 for a character
            that starts no token.
    """
    tokens: list[Token] = []
    pos = 0
    n = len(sql)
    # No "*/" at or after this offset: an unclosed "/*" is then read as two
    # operators without searching to the end again (linear time).
    unclosed_from = n + 1
    while True:
        while True:
            m = _SPACE.match(sql, pos)
            if m:
                pos = m.end()
            if not sql.startswith("/*", pos) or pos + 2 >= unclosed_from:
                break
            close = sql.find("*/", pos + 2)
            if close < 0:
                unclosed_from = pos + 2
                break
            pos = close + 2
        if pos >= n:
            tokens.append(Token(Kind.EOF, "", n, n))
            return tokens
        ch = sql[pos]
        if ch in "nNqQ" and pos + 1 < n:
            # n'...', q'[...]', nq'[...]'
            k = pos
            if sql[k] in "nN" and k + 1 < n and sql[k + 1] in "qQ'":
                k += 1
            if sql[k] in "qQ" and k + 2 < n and sql[k + 1] == "'":
                opener = sql[k + 2]
                closer = _Q_CLOSE.get(opener, opener)
                end = sql.find(closer + "'", k + 3)
                if end < 0:
                    raise errors.ora(1756, pos)
                tokens.append(Token(Kind.STRING, sql[k + 3 : end], pos, end + 2))
                pos = end + 2
                continue
            if sql[k] == "'":
                value, end = _string(sql, k)
                tokens.append(Token(Kind.STRING, value, pos, end))
                pos = end
                continue
        if ch.isalpha():
            m = _IDENT.match(sql, pos)
            if m is None:
                raise errors.ora(911, pos)
            tokens.append(Token(Kind.IDENT, m.group(0).upper(), pos, m.end()))
            pos = m.end()
            continue
        if ch.isdigit() or (ch == "." and pos + 1 < n and sql[pos + 1].isdigit()):
            m = _NUMBER.match(sql, pos)
            if m:
                suffix = (m.group(1) or "").lower()
                text = m.group(0)[: len(m.group(0)) - len(suffix)]
                tokens.append(Token(Kind.NUMBER, text, pos, m.end(), suffix))
                pos = m.end()
                continue
        if ch == "'":
            value, end = _string(sql, pos)
            tokens.append(Token(Kind.STRING, value, pos, end))
            pos = end
            continue
        if ch == '"':
            end = sql.find('"', pos + 1)
            if end < 0 or end == pos + 1:
                raise errors.ora(1740, pos)
            tokens.append(Token(Kind.QIDENT, sql[pos + 1 : end], pos, end + 1))
            pos = end + 1
            continue
        if ch == ":":
            m = _BIND.match(sql, pos)
            if m:
                name = m.group(1) or (m.group(2) or "").upper() or m.group(3) or ""
                tokens.append(Token(Kind.BIND, name, pos, m.end()))
                pos = m.end()
                continue
        for op in _OPS:
            if sql.startswith(op, pos):
                tokens.append(Token(Kind.OP, op, pos, pos + len(op)))
                pos += len(op)
                break
        else:
            raise errors.ora(911, pos)
