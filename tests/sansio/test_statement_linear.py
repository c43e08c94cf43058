"""parse_statement is linear in the SQL length (issue 12, item 9) and blanks
exactly what the regex-based scanner it replaced blanked.

The old scanner sliced ``sql[pos:]`` at every n/N/q/Q and rescanned an
unclosed ``/*`` to the end at each one: 800 KB of SQL took 4 s.  The work test
hands the scanner a ``str`` subclass that counts the characters every slice,
index, ``find`` and ``startswith`` examines.
"""

from __future__ import annotations

import operator
import re
from typing import SupportsIndex

from hypothesis import example, given, settings
from hypothesis import strategies as st

from oracle_sansio.statement import Statement, StatementKind, parse_statement

# The replaced implementation, kept verbatim as the reference for equivalence.
_Q_PAIRS = {"[": "]", "(": ")", "{": "}", "<": ">"}
# Binds as python-oracledb reads them (blanks allowed after the colon: ``: 2``).
_BIND = re.compile(r"(?<![:\w$#]):\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z][\w$#]*)|\"(?P<quoted>[^\"]+)\")")
_WORD = re.compile(r"[A-Za-z_]+")
_KINDS = {"SELECT": StatementKind.QUERY, "WITH": StatementKind.QUERY, "INSERT": StatementKind.DML,
          "UPDATE": StatementKind.DML, "DELETE": StatementKind.DML, "MERGE": StatementKind.DML,
          "DECLARE": StatementKind.PLSQL, "BEGIN": StatementKind.PLSQL, "CALL": StatementKind.PLSQL,
          "CREATE": StatementKind.DDL, "ALTER": StatementKind.DDL, "DROP": StatementKind.DDL,
          "GRANT": StatementKind.DDL, "REVOKE": StatementKind.DDL, "ANALYZE": StatementKind.DDL,
          "AUDIT": StatementKind.DDL, "COMMENT": StatementKind.DDL, "TRUNCATE": StatementKind.DDL}
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
# Binds as python-oracledb reads them (blanks allowed after the colon: ``: 2``).
_BIND = re.compile(r"(?<![:\w$#]):\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z][\w$#]*)|\"(?P<quoted>[^\"]+)\")")
_WORD = re.compile(r"[A-Za-z_]+")


def old_blank(sql: str) -> str:
    """Replace comments, literals and quoted identifiers by spaces (same length)."""
    out: list[str] = []
    pos = 0
    n = len(sql)
    while pos < n:
        ch = sql[pos]
        if ch == '"' and sql[:pos].rstrip().endswith(":"):  # blanks may follow the colon
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


class CountingStr(str):
    """A str that counts the characters its slices, indexes and searches examine."""

    examined = 0

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        piece = str.__getitem__(self, key)
        CountingStr.examined += max(len(piece), 1)
        return piece

    def find(self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None) -> int:
        begin = 0 if start is None else operator.index(start)
        at = str.find(self, sub, begin)
        CountingStr.examined += (len(self) if at < 0 else at + len(sub)) - begin
        return at

    def startswith(self, prefix: str | tuple[str, ...], start: SupportsIndex | None = None,
                   end: SupportsIndex | None = None) -> bool:
        CountingStr.examined += 2
        return str.startswith(self, prefix, start)


def examined(sql: str) -> int:
    CountingStr.examined = 0
    parse_statement.__wrapped__(CountingStr(sql))
    return CountingStr.examined


HOSTILE = {
    "n and q": "select n, q, N, Q from nq where nn = qq and ",
    "unclosed comments": "/* x ",
    "glued q-quotes": "xq'a ",
    "string pairs": "'' ",
    "quoted names": '"a" :"b" ',
    "comments and binds": "-- c\n:b /* d */ :1 ",
}


def test_scanner_work_is_linear() -> None:
    for name, unit in HOSTILE.items():
        small = examined(unit * 2_000)
        big = examined(unit * 32_000)
        size = len(unit) * 32_000
        assert big <= 16 * size, (name, big, size)
        assert big / small < 16 * 1.25, (name, small, big)


def test_a_large_statement_parses() -> None:
    sql = "insert into t values (" + ", ".join(f":b{i}" for i in range(50_000)) + ")"
    st_ = parse_statement(sql)
    assert st_.kind == StatementKind.DML and len(st_.bind_names) == 50_000


SQLISH = st.text(alphabet="nNqQ'\"-/*:\n x[](){}<>a_1!.", max_size=60)


@settings(max_examples=3000, deadline=None)
@given(SQLISH)
@example("q'\nx'")
@example("nq'[a]' :b")
@example("'a''b")
@example("'a''b''c")
@example("/* /* x")
@example('x:"a b" "c"')
@example("xq'a'a :1")
def test_same_blanking_as_the_regex_scanner(sql: str) -> None:
    new = parse_statement.__wrapped__(sql)
    assert new == old_statement(sql)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["select", " ", "n", "q'", "'", '"', "--", "/*", "*/", ":x", ":1", "\n", "[", "]",
                                 "''", "returning", "into", "begin", "insert ", "declare", "grant", "nq'<", ">'", "é"]), max_size=30))
def test_same_statement_for_token_soup(parts: list[str]) -> None:
    sql = "".join(parts)
    assert parse_statement.__wrapped__(sql) == old_statement(sql)


def old_statement(sql: str) -> Statement:
    """The replaced parse_statement, verbatim but for its scanner."""
    blank = old_blank(sql)
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
