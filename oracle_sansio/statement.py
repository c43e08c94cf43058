"""What a SQL text is, as python-oracledb decides it (impl/thin/statement.pyx):
its kind from the first keyword, its bind placeholders, its RETURNING INTO
binds.  Both roles need it: the client to build EXECUTE, the server to know
which binds carry no value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, unique
from functools import lru_cache

__all__ = ["StatementKind", "Statement", "parse_statement"]


@unique
class StatementKind(Enum):
    """Statement kinds that change the wire protocol."""

    QUERY = "QUERY"
    DML = "DML"
    PLSQL = "PLSQL"
    DDL = "DDL"
    OTHER = "OTHER"


_KINDS = {
    "SELECT": StatementKind.QUERY,
    "WITH": StatementKind.QUERY,
    "INSERT": StatementKind.DML,
    "UPDATE": StatementKind.DML,
    "DELETE": StatementKind.DML,
    "MERGE": StatementKind.DML,
    "DECLARE": StatementKind.PLSQL,
    "BEGIN": StatementKind.PLSQL,
    "CALL": StatementKind.PLSQL,
    "CREATE": StatementKind.DDL,
    "ALTER": StatementKind.DDL,
    "DROP": StatementKind.DDL,
    "GRANT": StatementKind.DDL,
    "REVOKE": StatementKind.DDL,
    "ANALYZE": StatementKind.DDL,
    "AUDIT": StatementKind.DDL,
    "COMMENT": StatementKind.DDL,
    "TRUNCATE": StatementKind.DDL,
}

_Q_PAIRS = {"[": "]", "(": ")", "{": "}", "<": ">"}
# python-oracledb skips blanks between ``:`` and the name (``: 2`` is bind 2), as the server does.
_BIND = re.compile(r"(?<![:\w$#]):\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z][\w$#]*)|\"(?P<quoted>[^\"]+)\")")
_WORD = re.compile(r"[A-Za-z_]+")
#: Characters where a comment, literal, q-quote or quoted identifier may start.
_STOPS = "-/'\"qQnN"


def _blank(sql: str) -> str:
    """Replace comments, literals and quoted identifiers by spaces (same length).

    One pass, linear in ``len(sql)``: every search moves forward only (the
    next position of each stop character is kept until the scan passes it),
    and nothing is sliced but the output.  The tokens:

    * ``--`` to the end of the line; ``/* ... */`` (left as is when unclosed);
    * ``q'x ... x'`` and ``nq'...'`` (brackets pair up: ``q'[ ... ]'``; unclosed
      runs to the end), not when glued to a preceding word character;
    * ``'...'`` with ``''`` inside; unclosed, it ends at the last ``''`` seen;
    * ``"..."``, except ``:"name"`` and ``: "name"`` (a quoted bind name stays visible).
    """
    n = len(sql)
    out: list[str] = []
    done = 0  # sql[done:pos] is copied as it is
    pos = 0
    upcoming = {c: -1 for c in _STOPS}
    unclosed_comment_from = n + 1  # no "*/" at or after this offset
    while True:
        stop = n
        for c, at in upcoming.items():
            if at < pos:
                at = sql.find(c, pos)
                if at < 0:
                    at = n
                upcoming[c] = at
            if at < stop:
                stop = at
        if stop >= n:
            break
        ch = sql[stop]
        end = -1  # blank sql[stop:end] when set
        if ch == '"':
            close = sql.find('"', stop + 1)
            before = stop - 1
            while before >= 0 and sql[before].isspace():
                before -= 1  # each blank run precedes one character only: still linear
            if before >= 0 and sql[before] == ":":
                pos = n if close < 0 else close + 1  # a quoted bind name stays visible
                continue
            if close >= 0:
                end = close + 1
        elif ch == "'":
            end = _string_end(sql, stop)
        elif ch == "-":
            if sql.startswith("--", stop):
                end = sql.find("\n", stop)
                if end < 0:
                    end = n
        elif ch == "/":
            if sql.startswith("/*", stop) and stop + 2 < unclosed_comment_from:
                close = sql.find("*/", stop + 2)
                if close < 0:
                    unclosed_comment_from = stop + 2
                else:
                    end = close + 2
        else:
            end = _q_quote_end(sql, stop)
        if end < 0:
            pos = stop + 1
            continue
        out.append(sql[done:stop])
        out.append(" " * (end - stop))
        done = pos = end
    out.append(sql[done:])
    return "".join(out)


def _string_end(sql: str, start: int) -> int:
    """End of the literal opened at ``start``, or -1 when there is none.

    An unclosed literal with ``''`` pairs ends at the first quote of the last
    pair (what the regex ``'(?:[^']|'')*'`` matches by backtracking)."""
    n = len(sql)
    last_pair = -1
    pos = start + 1
    while True:
        quote = sql.find("'", pos)
        if quote < 0:
            return last_pair + 1 if last_pair >= 0 else -1
        if quote + 1 < n and sql[quote + 1] == "'":
            last_pair = quote
            pos = quote + 2
            continue
        return quote + 1


def _q_quote_end(sql: str, start: int) -> int:
    """End of a ``q'x...x'`` / ``nq'x...x'`` literal at ``start``, or -1 when
    there is none (no quote there, a newline as the delimiter, or a word
    character just before: ``xq'...'`` is not a q-quote)."""
    n = len(sql)
    q = start + 1 if sql[start] in "nN" else start
    if q + 2 >= n or sql[q] not in "qQ" or sql[q + 1] != "'" or sql[q + 2] == "\n":
        return -1
    if start:
        before = sql[start - 1]
        if before.isalnum() or before == "_":
            return -1
    opener = sql[q + 2]
    close = sql.find(_Q_PAIRS.get(opener, opener) + "'", q + 3)
    return n if close < 0 else close + 2


@dataclass(frozen=True, slots=True)
class Statement:
    """A parsed statement: kind, bind names in wire order, RETURNING binds."""

    sql: str
    kind: StatementKind
    #: Bind names (upper-cased; positional ones as digits) in placeholder order.
    #: SQL keeps repeats; PL/SQL lists each name once (python-oracledb).
    bind_names: tuple[str, ...]
    #: Indices into ``bind_names`` of RETURNING INTO binds.
    returning: tuple[int, ...] = ()

    @property
    def is_query(self) -> bool:
        return self.kind == StatementKind.QUERY

    @property
    def is_plsql(self) -> bool:
        return self.kind == StatementKind.PLSQL

    @property
    def is_ddl(self) -> bool:
        return self.kind == StatementKind.DDL

    @property
    def is_dml(self) -> bool:
        return self.kind == StatementKind.DML


@lru_cache(maxsize=512)
def parse_statement(sql: str) -> Statement:
    """Classify ``sql`` and list its binds (cached: statements repeat)."""
    blank = _blank(sql)
    stripped = blank.lstrip(" \t\r\n(")
    word = _WORD.match(stripped)
    kind = _KINDS.get(word.group(0).upper(), StatementKind.OTHER) if word else StatementKind.OTHER
    names: list[str] = []
    positions: list[int] = []
    seen: set[str] = set()
    for m in _BIND.finditer(blank):
        name = m.group("num") or (m.group("name") or "").upper() or (m.group("quoted") or "")
        if kind == StatementKind.PLSQL:
            if name in seen:
                continue
            seen.add(name)
        names.append(name)
        positions.append(m.start())
    returning: tuple[int, ...] = ()
    if kind == StatementKind.DML:
        upper = blank.upper()
        ret = re.search(r"\bRETURNING\b", upper)
        if ret:
            into = re.search(r"\bINTO\b", upper[ret.end() :])
            if into:
                start = ret.end() + into.end()
                returning = tuple(i for i, p in enumerate(positions) if p >= start)
    return Statement(sql=sql, kind=kind, bind_names=tuple(names), returning=returning)
