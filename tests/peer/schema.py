"""Loading python-oracledb's schema scripts into a server, statement by statement.

The scripts are split as the suite's own ``TestEnv.run_sql_script`` splits them: every statement,
SQL or PL/SQL, ends at a line holding only ``/``; ``&name.`` then ``&name`` are replaced by the
values the suite passes.  Unlike the suite, a refused statement does not stop the load: it is counted
and its reason kept, so the totals say how far the server follows the schema.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

#: (script, the server version it needs) in the order python-oracledb's create_schema runs them;
#: create_schema_cloud is left out: it is for Oracle Cloud databases only.
SCRIPTS: tuple[tuple[str, tuple[int, int]], ...] = (
    ("create_schema", (0, 0)),
    ("create_schema_21", (21, 0)),
    ("create_schema_23_4", (23, 4)),
    ("create_schema_23_5", (23, 5)),
    ("create_schema_23_7", (23, 7)),
)

_ORA = re.compile(r"\b((?:ORA|DPY|PLS)-\d{4,5})\b")
_POSITION = re.compile(r" at position \d+|,? line \d+,?|,? column \d+:?")


class Executes(Protocol):
    """What loading needs of a DB API cursor."""

    def execute(self, statement: str) -> object:
        """Run one statement."""


@dataclass
class LoadReport:
    """What the server made of the schema scripts."""

    accepted: int = 0
    refused: int = 0
    #: "ORA-NNNNN: first words" -> how many statements were refused that way.
    reasons: Counter[str] = field(default_factory=Counter)
    #: script -> (accepted, refused)
    per_script: dict[str, tuple[int, int]] = field(default_factory=dict)


def split_script(text: str) -> Iterator[str]:
    """The statements of a script: the text before each line holding only ``/``."""
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.strip() == "/":
            statement = "".join(parts).strip()
            if statement:
                yield statement
            parts = []
        else:
            parts.append(line)


def substitute(statement: str, values: Mapping[str, str]) -> str:
    """Replace ``&name.`` then ``&name`` by their values, as the suite does."""
    for name, value in values.items():
        statement = statement.replace(f"&{name}.", value)
    for name, value in values.items():
        statement = statement.replace(f"&{name}", value)
    return statement


def reason_of(error: BaseException, words: int = 16) -> str:
    """An error's first code and first words (positions left out): the key refusals are grouped by."""
    lines = [line for line in str(error).splitlines() if line.strip() and not line.startswith("Help:")]
    text = _POSITION.sub("", " ".join(" ".join(lines).split()))
    match = _ORA.search(text)
    if match is None:
        return " ".join(text.split()[:words]) or type(error).__name__
    rest = text[match.end():].lstrip(": ")
    return f"{match.group(1)}: {' '.join(rest.split()[:words])}"


def scripts_for(sql_dir: Path, server_version: tuple[int, int]) -> list[Path]:
    """The scripts to load for a server of this version, in order."""
    return [sql_dir / f"{name}.sql" for name, needs in SCRIPTS
            if server_version >= needs and (sql_dir / f"{name}.sql").exists()]


def load(cursor: Executes, scripts: list[Path], values: Mapping[str, str]) -> LoadReport:
    """Run every statement of ``scripts``; count what is accepted and refused, and why."""
    report = LoadReport()
    for script in scripts:
        accepted = refused = 0
        for statement in split_script(script.read_text()):
            try:
                cursor.execute(substitute(statement, values))
            except Exception as exc:  # any refusal is a measured outcome, not an abort
                refused += 1
                report.reasons[reason_of(exc)] += 1
            else:
                accepted += 1
        report.per_script[script.stem] = (accepted, refused)
        report.accepted += accepted
        report.refused += refused
    return report
