"""The pages in ``docs/`` name files of this repository; a rename or a split must
not leave them pointing at nothing.  Every ``name.py`` or ``path/to/name.py``
written in backticks in ``docs/*.md`` must be a file of the repository (a bare
name or a partial path matches the end of a real path; ``*`` is a wildcard),
except python-oracledb's own files, which the references cite as sources."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))

#: A file name in a backtick span: ``cursor.py``, ``pool/_slots.py``, ``parser*.py``.
_FILE = re.compile(r"(?<![\w/.:-])([\w*/.-]*[\w*]\.py)(?!\w)")
#: python-oracledb's source and test files, cited as where a fact was read.
_ELSEWHERE = re.compile(r"src/oracledb/|tests/(\w+/)?test_(ext_)?\d{4}_")


def _repo_files() -> list[str]:
    skip = {".git", ".venv", "venv", "build", "dist", "node_modules"}
    return [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py")
            if not skip & set(p.relative_to(ROOT).parts)]


def _named_files() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for doc in DOCS:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for span in re.findall(r"`([^`]+)`", line):
                for name in _FILE.findall(span):
                    named.setdefault(name, []).append(f"docs/{doc.name}:{number}")
    return named


def _exists(name: str, files: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(f, name) or fnmatch.fnmatchcase(f, "*/" + name) for f in files)


def test_every_file_the_docs_name_exists() -> None:
    files = _repo_files()
    named = _named_files()
    assert len(named) > 100  # the scan sees the pages
    missing = {name: where for name, where in named.items()
               if not _ELSEWHERE.match(name) and not _exists(name, files)}
    assert not missing, "docs name files that are not in the repository: " + repr(missing)


def test_the_check_tells_a_stale_name_from_a_real_one() -> None:
    files = _repo_files()
    assert _exists("oracle_sansio/pool/_slots.py", files)
    assert _exists("pool/_slots.py", files) and _exists("_slots.py", files)
    assert _exists("sql/syntax/parser*.py", files)
    assert not _exists("oracle_asyncio/_cursor_calls.py", files)  # split into _binds.py and _plsql.py
    assert not _exists("lots.py", files)  # a name matches whole path parts only
    assert _FILE.findall("`cursor.py`, `ttc/messages/*.py`") == ["cursor.py", "ttc/messages/*.py"]
    assert _FILE.findall("py:impl/base/metadata.pyx") == []
