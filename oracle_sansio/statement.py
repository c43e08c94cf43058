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

# Tokens the scanner must step over so that ':x' inside them is not a bind.
_SKIP = re.compile(
    r"""--[^\n]*            # line comment
      | /\*.*?\*/           # block comment
      | [nN]?[qQ]'(?P<qd>.).*?(?P=qd)'  # q'[...]' (simplified: same closing char)
      | '(?:[^']|'')*'      # string literal
      | "[^"]*"             # quoted identifier
    """,
    re.VERBOSE | re.DOTALL,
)
_Q_PAIRS = {"[": "]", "(": ")", "{": "}", "<": ">"}
_BIND = re.compile(r"(?<![:\w$#]):(?:(?P<num>\d+)|(?P<name>[A-Za-z][\w$#]*)|\"(?P<quoted>[^\"]+)\")")
_WORD = re.compile(r"[A-Za-z_]+")


def _blank(sql: str) -> str:
    """Replace comments, literals and quoted identifiers by spaces (same length)."""
    out: list[str] = []
    pos = 0
    n = len(sql)
    while pos < n:
        ch = sql[pos]
        if ch == '"' and pos and sql[pos - 1] == ":":
            end = sql.find('"', pos + 1)
            end = n if end < 0 else end + 1
            out.append(sql[pos:end])  # a quoted bind name stays visible
            pos = end
            continue
        if ch in "-/'\"qQnN":
            if ch in "qQnN" or (ch in "'\"") or sql.startswith(("--", "/*"), pos):
                # q-quote with bracket pairs
                m2 = re.match(r"[nN]?[qQ]'(.)", sql[pos:])
                if m2 and (pos == 0 or not (sql[pos - 1].isalnum() or sql[pos - 1] == "_")):
                    opener = m2.group(1)
                    closer = _Q_PAIRS.get(opener, opener)
                    end = sql.find(closer + "'", pos + m2.end())
                    end = n if end < 0 else end + 2
                    out.append(" " * (end - pos))
                    pos = end
                    continue
                m = _SKIP.match(sql, pos)
                if m and not m.group(0).lower().startswith(("q", "n")):
                    out.append(" " * (m.end() - pos))
                    pos = m.end()
                    continue
        out.append(ch)
        pos += 1
    return "".join(out)


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
