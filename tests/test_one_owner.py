"""One owner per fact: every DPY message template and every catalogued ORA text
is written in ``oracle_sansio/error_codes.py`` and nowhere else in the two
packages (tests and docs may quote them).  The scan reads string literals
(f-string pieces included) from the syntax tree; docstrings are prose, not
definitions, and are skipped."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import oracle_asyncio
import oracle_sansio
from oracle_sansio import error_codes
from oracle_sansio.error_codes import DPY_MESSAGES, ORA_MESSAGES, DpyCode
from oracle_sansio.exceptions import NotSupportedError, not_built_error

ROOT = Path(oracle_sansio.__file__).parent.parent
CATALOGUE = Path(error_codes.__file__)
FILES = sorted([*Path(oracle_sansio.__file__).parent.rglob("*.py"), *Path(oracle_asyncio.__file__).parent.rglob("*.py")])
#: Folders allowed to repeat an ORA text.  Empty: the embedded server's SQL layer
#: builds every ORA text from ``testing/sql/errors.py`` (issue 13).
ORA_ONCE_EXEMPT: tuple[str, ...] = ()
SQL_ERRORS = Path(oracle_asyncio.__file__).parent / "testing" / "sql" / "errors.py"

#: Templates this short ("invalid number", "expected a type") are also other
#: messages' words (ORA-01722 is "invalid number"): only longer ones count as copies.
_GENERIC = 20
_DPY_FULL_CODE = re.compile(r"DPY-\d{4}")
_DPY_MESSAGE = re.compile(r"DPY-\d{4}: ")
_ORA_MESSAGE = re.compile(r"ORA-(\d{5}): .")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_scan_sees_the_catalogue() -> None:
    literals = {text for _, text in _literals(CATALOGUE)}
    assert set(DPY_MESSAGES.values()) <= literals and set(ORA_MESSAGES.values()) <= literals
    assert len(FILES) > 100


def test_no_dpy_text_outside_the_catalogue() -> None:
    templates = set(DPY_MESSAGES.values())
    problems = []
    for path in FILES:
        if path == CATALOGUE:
            continue
        for line, text in _literals(path):
            if _DPY_FULL_CODE.fullmatch(text) or _DPY_MESSAGE.search(text):
                problems.append(f"{_where(path, line)} writes a DPY code or message: {text!r}")
            elif text in templates and len(text) > _GENERIC:
                problems.append(f"{_where(path, line)} repeats a DPY template: {text!r}")
    assert not problems, "\n".join(problems)


def test_no_catalogued_ora_text_outside_the_catalogue() -> None:
    problems = []
    for path in FILES:
        if path == CATALOGUE:
            continue
        for line, text in _literals(path):
            found = _ORA_MESSAGE.match(text)
            if (found and int(found[1]) in ORA_MESSAGES) or text in ORA_MESSAGES.values():
                problems.append(f"{_where(path, line)} repeats a catalogued ORA text: {text!r}")
    assert not problems, "\n".join(problems)


def test_each_ora_text_is_written_once() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in FILES:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(ORA_ONCE_EXEMPT):
            continue
        for line, text in _literals(path):
            if _ORA_MESSAGE.match(text):
                seen[text].append(_where(path, line))
    twice = {text: where for text, where in seen.items() if len(where) > 1}
    assert not twice, twice


def test_the_sql_layer_writes_ora_texts_only_in_its_errors_module() -> None:
    # The SQL layer wrote "ORA-01031: insufficient privileges" 7 times and kept
    # per-module ``_ora(code, text)`` helpers; every text is in errors.TEXTS now.
    sql = SQL_ERRORS.parent
    problems = [
        _where(path, line)
        for path in FILES if path.is_relative_to(sql) and path != SQL_ERRORS
        for line, text in _literals(path) if re.match(r"ORA-(\d{5}|\{)", text)
    ]
    assert not problems, problems


def test_sql_texts_and_protocol_texts_do_not_overlap() -> None:
    from oracle_asyncio.testing.sql import errors

    assert not set(errors.TEXTS) & set(ORA_MESSAGES)
    assert str(errors.ora(1031)) == "ORA-01031: insufficient privileges"
    assert str(errors.ora(28)) == error_codes.ora_text(28)  # the protocol's texts are reached the same way
    assert str(errors.ora(920, note="why")) == "ORA-00920: invalid relational operator (why)"
    assert str(errors.value_error("buffer")) == (
        "ORA-06502: PL/SQL: numeric or value error: character string buffer too small")
    assert str(errors.pls_error(9, "begin\n  x; end;", "PLS-00201: boom")) == (
        "ORA-06550: line 2, column 4:\nPLS-00201: boom")


def test_the_not_built_text_is_written_once() -> None:
    # It was written out in _not_built.py and params.py; the catalogue owns it now.
    problems = [
        _where(path, line)
        for path in FILES if path != CATALOGUE
        for line, text in _literals(path) if text.endswith(" is not supported by oracle_asyncio")
    ]
    assert not problems, problems
    assert str(not_built_error("OSON")) == "DPY-3001: OSON is not supported by oracle_asyncio"
    assert isinstance(not_built_error("OSON"), NotSupportedError)


def test_catalogue_keys() -> None:
    assert set(DPY_MESSAGES) == set(DpyCode)  # every code has its text, no text lacks a name
    assert DpyCode.CONNECTION_FAILED.full_code == "DPY-6005"
    assert error_codes.message_for(DpyCode.POOL_NOT_OPEN) == "DPY-1002: connection pool is not open"
    assert error_codes.dpy_text(DpyCode.NAMED_POOL_MISSING, {"alias": "x"}) == (
        'DPY-2054: connection pool with alias "x" does not exist')
    assert error_codes.dpy_text(DpyCode.NAMED_POOL_MISSING, {}) == (
        'DPY-2054: connection pool with alias "{alias}" does not exist')
    assert error_codes.ora_text(1017) == "ORA-01017: invalid credential or not authorized; logon denied"
