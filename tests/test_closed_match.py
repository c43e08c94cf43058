"""Every ``match`` over a closed set ends in a default that cannot pass silently.

A ``match`` whose cases name classes (``case Data():``, a union of event types)
or enum members (``case State.OPEN:``) must end in ``case _:`` that calls
``typing.assert_never`` (so mypy --strict proves the cases complete, and a new
member or event type is a type error) or raises (a protocol error for a value
that is legal in general but not here).  Scanned in both packages, from the
syntax tree."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import oracle_asyncio
import oracle_sansio

ROOT = Path(oracle_sansio.__file__).parent.parent
FILES = sorted([*Path(oracle_sansio.__file__).parent.rglob("*.py"), *Path(oracle_asyncio.__file__).parent.rglob("*.py")])
#: Files exempt from the rule (none: every closed match ends in assert_never or a raise).
EXEMPT: tuple[str, ...] = ()


def _closed(pattern: ast.pattern) -> bool:
    """Does ``pattern`` name a class or an enum member (a dotted value)?"""
    if isinstance(pattern, ast.MatchClass):
        return True
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, ast.Attribute)
    if isinstance(pattern, ast.MatchOr):
        return any(_closed(p) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        return _closed(pattern.pattern)
    return False


def _refuses(case: ast.match_case) -> bool:
    """``case _:`` (or ``case _ as name:``) whose body raises or calls assert_never."""
    pattern = case.pattern
    if isinstance(pattern, ast.MatchAs) and isinstance(pattern.pattern, ast.MatchAs):
        pattern = pattern.pattern  # ``_ as name`` wraps the wildcard
    wildcard = isinstance(pattern, ast.MatchAs) and pattern.pattern is None and pattern.name is None
    if not wildcard or case.guard is not None:
        return False
    for node in ast.walk(ast.Module(body=case.body, type_ignores=[])):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "assert_never":
                return True
    return False


def _closed_matches(path: Path) -> Iterator[ast.Match]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Match) and any(_closed(case.pattern) for case in node.cases):
            yield node


def test_every_closed_match_ends_in_assert_never_or_raise() -> None:
    problems = []
    for path in FILES:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(EXEMPT):
            continue
        for match in _closed_matches(path):
            if not _refuses(match.cases[-1]):
                problems.append(f"{rel}:{match.lineno}: a match over a closed set without "
                                "`case _: assert_never(...)` (or a raise)")
    assert not problems, "\n".join(problems)


def test_the_scan_finds_matches() -> None:
    found = {path.relative_to(ROOT).as_posix() for path in FILES for _ in _closed_matches(path)}
    assert {"oracle_asyncio/__main__.py", "oracle_sansio/connection/server.py"} <= found


def test_the_rule_itself() -> None:
    good = "match x:\n    case A():\n        pass\n    case _:\n        assert_never(x)\n"
    raising = "match x:\n    case E.ONE:\n        pass\n    case _:\n        raise ValueError(x)\n"
    named = "match x:\n    case A():\n        pass\n    case _ as other:\n        assert_never(other)\n"
    silent = "match x:\n    case A() | B():\n        pass\n    case _:\n        print(x)\n"
    missing = "match x:\n    case E.ONE:\n        pass\n"
    open_set = "match x:\n    case 1:\n        pass\n"
    for source, verdict in ((good, True), (raising, True), (named, True), (silent, False), (missing, False)):
        (match,) = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Match)]
        assert any(_closed(c.pattern) for c in match.cases)
        assert _refuses(match.cases[-1]) is verdict, source
    (match,) = [n for n in ast.walk(ast.parse(open_set)) if isinstance(n, ast.Match)]
    assert not any(_closed(c.pattern) for c in match.cases)
