"""README.md's Python snippets run as written, so the README cannot rot.

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


def _snippets() -> list[tuple[str, str]]:
    """(heading above the block, code) for every runnable block of README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
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


def test_the_readme_has_its_snippets() -> None:
    headings = {heading for heading, _ in _snippets()}
    assert set(_EXPECTED) <= headings


@pytest.mark.parametrize(("heading", "code"), _snippets(), ids=[h for h, _ in _snippets()])
def test_readme_snippet_runs(heading: str, code: str, tmp_path: Path) -> None:
    if re.search(r"^import oracledb\b", code, re.M) and importlib.util.find_spec("oracledb") is None:
        pytest.skip("python-oracledb is not installed")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("ORACLE_ASYNCIO_DEBUG_PACKETS", None)
    env.pop("PYO_DEBUG_PACKETS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for expected in _EXPECTED.get(heading, []):
        assert expected in done.stdout


def test_the_sansio_names_a_driver_needs_are_at_the_top_level() -> None:
    # The README's sans-I/O snippet imports these from the package itself (h11 style).
    for name in ("ClientConnection", "ClientParams", "ExecuteRequest", "NEED_DATA", "LoggedOn",
                 "CallCompleted", "ServerConnection", "Secret", "parse_dsn", "ProtocolError"):
        assert name in oracle_sansio.__all__
    missing = [name for name in oracle_sansio.__all__ if not hasattr(oracle_sansio, name)]
    assert missing == []
