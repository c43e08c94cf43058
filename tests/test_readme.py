"""The Python snippets of README.md and docs/embedding.md run as written, so
neither page can rot.

Every block fenced as ```` ```python ```` is run in a fresh interpreter from an
empty directory (so only the packages, not the checkout's other folders, are
importable), with no edit at all: the snippets start the embedded server
themselves.  A fragment that cannot run alone must be fenced as
```` ```python fragment ```` (GitHub still highlights it).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import oracle_sansio

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)
_HEADING = re.compile(r"^#+ (.*)$", re.M)


def _snippets(page: str = "README.md") -> list[tuple[str, str]]:
    """(heading above the block, code) for every runnable block of ``page``."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        headings = _HEADING.findall(text, 0, match.start())
        found.append((headings[-1] if headings else "", match.group(1)))
    return found


#: What each section's snippet must print (besides running without an error).
_EXPECTED = {
    "Quick start": ["[(7782, 'CLARK'), (7839, 'KING')]"],
    "Using the sans-I/O client from any loop": ["['LEVEL', \"'ROW'||LEVEL\"]", "250 (250, 'row 250')"],
    "The embedded server (`oracle_asyncio.testing`)": ["('SCOTT',)\n('SCOTT',)"],
    "SQLAlchemy": ["42"],
}


#: What each section of the embedding guide's snippets must print.
_GUIDE_EXPECTED = {
    "A blocking connection with a call timeout": [
        "LoggedOn\n['ResetCompleted', 'ServerErrorReceived'] 1013\nClientState.READY\n[(42,)]\n"
        "ConnectionClosed(error_number=None) ClientState.CLOSED\n"],
    "A single-threaded pool with a fake clock": [
        "HandOver(req=1, conn=1)\nNone 2.5\n"
        "DPY-4005: timed out waiting for the connection pool to return a connection\n"
        "HandOver(req=3, conn=1)\n1 0\nPoolPhase.CLOSED 3 1\n"],
}
_PAGES = {"README.md": _EXPECTED, "docs/embedding.md": _GUIDE_EXPECTED}
_ALL = [(page, heading, code) for page in _PAGES for heading, code in _snippets(page)]


@pytest.mark.parametrize("page", list(_PAGES))
def test_the_pages_have_their_snippets(page: str) -> None:
    snippets = _snippets(page)
    assert set(_PAGES[page]) <= {heading for heading, _ in snippets}
    # One runnable block per checked section: a second block would go unchecked by a shared key.
    headings = [heading for heading, _ in snippets if heading in _PAGES[page]]
    assert len(headings) == len(set(headings))


@pytest.mark.parametrize(("page", "heading", "code"), _ALL, ids=[f"{p}: {h}" for p, h, _ in _ALL])
def test_readme_snippet_runs(page: str, heading: str, code: str, tmp_path: Path) -> None:
    if re.search(r"^import oracledb\b", code, re.M) and importlib.util.find_spec("oracledb") is None:
        pytest.skip("python-oracledb is not installed")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("ORACLE_ASYNCIO_DEBUG_PACKETS", None)
    env.pop("PYO_DEBUG_PACKETS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for expected in _PAGES[page].get(heading, []):
        assert expected in done.stdout


def test_the_sansio_names_a_driver_needs_are_at_the_top_level() -> None:
    # The README's sans-I/O snippet imports these from the package itself (h11 style).
    for name in ("ClientConnection", "ClientParams", "ExecuteRequest", "NEED_DATA", "LoggedOn",
                 "CallCompleted", "ServerConnection", "Secret", "parse_dsn", "ProtocolError"):
        assert name in oracle_sansio.__all__
    missing = [name for name in oracle_sansio.__all__ if not hasattr(oracle_sansio, name)]
    assert missing == []


def test_the_examples_need_only_oracle_sansios_top_level_names() -> None:
    """README: "Every name a driver needs is exported from ``oracle_sansio`` itself"; the
    examples are the drivers that keep that true."""
    deep = [f"{path.name}: {line.strip()}" for path in sorted((ROOT / "examples").glob("*.py"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"\s*(from|import) oracle_sansio\.", line)]
    assert deep == []
