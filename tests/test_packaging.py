"""The package metadata and the scripts around it, as a user or packager meets them.

Building and installing the wheel needs the network for build requirements, so
``.ci/run`` does that part (sdist + wheel, clean venv, demo); these checks are the
static half that runs everywhere.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_with_its_file() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0"  # PEP 639 string form, not the deprecated table
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    # setuptools reads the SPDX form from 77 on; older ones reject it.
    assert any(re.fullmatch(r"setuptools>=(\d+)", req) and int(req.split(">=")[1]) >= 77
               for req in PYPROJECT["build-system"]["requires"])


def test_classifiers_name_every_python_the_package_runs_on() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    # PEP 639: a license classifier next to an SPDX expression is an error in new setuptools.
    assert not [c for c in classifiers if c.startswith("License ::")]


def test_the_sdist_carries_what_a_packager_needs_to_run_the_tests() -> None:
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split("\n")
    grafted = {line.split()[1] for line in manifest if line.startswith("graft ")}
    included = {word for line in manifest if line.startswith("include ") for word in line.split()[1:]}
    assert {"tests", "examples", "bench", "fuzz", "docs"} <= grafted
    assert {"test.sh", "LICENSE", "README.md"} <= included
    # ... and the wheel only the two packages.
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["oracle_sansio*", "oracle_asyncio*"]


def test_test_sh_lets_pytest_print_its_summary_line() -> None:
    # pytest prints "N passed" at -q but not at -qq: addopts and test.sh together give one -q at most.
    addopts = shlex.split(PYPROJECT["tool"]["pytest"]["ini_options"].get("addopts", ""))
    (pytest_line,) = [line for line in (ROOT / "test.sh").read_text().splitlines() if " -m pytest" in line]
    quiet = sum(arg.count("q") for arg in addopts + shlex.split(pytest_line) if re.fullmatch(r"-q+", arg))
    assert quiet <= 1


def test_ci_checks_the_built_wheel_in_a_clean_environment() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./test.sh" in ci
    assert "-m venv" in ci and "-m build" in ci and "oracle_asyncio demo" in ci


def test_test_sh_installs_so_that_mypy_sees_the_packages() -> None:
    # The default editable mode installs an import hook mypy cannot follow.
    assert "editable_mode=strict" in (ROOT / "test.sh").read_text(encoding="utf-8")


#: Names of working notes that are not part of the repository; citations go to docs/ instead.
_ABSENT_NOTES = re.compile(r"(?<![\w/.-])(DESIGN|PROTOCOL-TTC|PROTOCOL-CONNECT|PROTOCOL-SOURCES|POOL|ORACLE-SQL)\.md")


def test_docs_explain_the_repository_and_nothing_cites_absent_design_notes() -> None:
    assert (ROOT / "docs" / "architecture.md").is_file()
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for folder in ("oracle_sansio", "oracle_asyncio", "tests", "examples", "bench", "fuzz", "docs")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".md", ".txt") and path.name != "test_packaging.py"
        for match in _ABSENT_NOTES.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cited_doc_sections_exist() -> None:
    """Every ``docs/<file>.md N.N`` cited by the code names a heading of that file."""
    cited = re.compile(r"docs/(protocol-ttc|protocol-connect|pool|oracle-sql)\.md[ ,§]*((?:\d+(?:\.\d+)*[a-z]?)?)")
    headings: dict[str, set[str]] = {}
    for name in ("protocol-ttc", "protocol-connect", "pool", "oracle-sql"):
        text = (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")
        headings[name] = set(re.findall(r"^#+ (\d+(?:\.\d+)*[a-z]?)[ .]", text, re.M))
    missing = []
    for folder in ("oracle_sansio", "oracle_asyncio", "tests", "fuzz", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in cited.finditer(path.read_text(encoding="utf-8")):
                number = match.group(2).rstrip(".")
                if number and number not in headings[match.group(1)]:
                    missing.append(f"{path.relative_to(ROOT)}: docs/{match.group(1)}.md {number}")
    assert missing == []
