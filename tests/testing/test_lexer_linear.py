"""The embedded server's lexer reads a long statement in linear time (issue 12,
item 9): an unclosed ``/*`` used to send the comment regex to the end of the
statement once per ``/*``, so 1 MB of ``/* x`` took about 13 minutes (now 2 s).  Comments are now
found with forward-only ``find`` calls, which a counting ``str`` observes, and
the tokens are those of the replaced lexer (tests/testing/reference_lexer.py).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from oracle_asyncio.testing.sql.errors import OraError
from oracle_asyncio.testing.sql.syntax.lexer import Token, tokenize
from tests.sansio.test_statement_linear import CountingStr
from tests.testing import reference_lexer


def outcome(lex: object, sql: str) -> list[Token] | tuple[int, str, int]:
    assert callable(lex)
    try:
        tokens = lex(sql)
    except OraError as exc:
        return exc.code, exc.message, exc.position
    assert isinstance(tokens, list)
    return tokens


def examined(sql: str) -> int:
    CountingStr.examined = 0
    tokenize(CountingStr(sql))
    return CountingStr.examined


def test_unclosed_comments_cost_linear_work() -> None:
    for unit in ("/* x ", "a /* b -- c\n", "select /* c */ 1 from dual -- d\n"):
        small, big = examined(unit * 2_000), examined(unit * 32_000)
        assert big <= 64 * len(unit) * 32_000, (unit, big)  # each operator is tried with startswith
        assert big / small < 16 * 1.25, (unit, small, big)


def test_many_unclosed_comments_tokenize() -> None:
    """200 KB: 0.3 s here; the replaced lexer took 31 s (and about 13 min for 1 MB)."""
    tokens = tokenize("/* x " * 40_000)
    assert len(tokens) == 120_001  # "/", "*", "X" each time, then EOF


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["/*", "*/", "/", "*", "--", "-", "\n", " ", "x", "1", "'", "q'[", "]'", ":b", '"',
                                 "n'", "*/*", "/**/", "select", "\t"]), max_size=24))
@example(["/*", " ", "/*", "x", "*/"])
@example(["x", "/*", "--", "\n", "*/", "1"])
def test_same_tokens_as_the_replaced_lexer(parts: list[str]) -> None:
    sql = "".join(parts)
    assert outcome(tokenize, sql) == outcome(reference_lexer.tokenize, sql)
