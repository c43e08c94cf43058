"""Test outcomes of a peer run: read from the plugin's records, counted, grouped and printed.

The plugin (pyodb_peer_plugin) writes structured JSON lines as each test ends, rather than the runner
reading pytest's text or a junit file that a crashing process never writes: a process that dies
still leaves every result before the crash, and the start of the test that was running.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

OUTCOMES = ("passed", "failed", "errors", "skipped")
#: The plugin's outcome word -> the count it goes to.
_BUCKET = {"passed": "passed", "failed": "failed", "error": "errors", "skipped": "skipped"}


@dataclass
class Attempt:
    """What one test process reported."""

    collected: list[str] = field(default_factory=list)
    #: node id -> (outcome, message); the first non-passing phase wins.
    results: dict[str, tuple[str, str]] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)
    ended: set[str] = field(default_factory=set)
    timeout: str | None = None
    finished: bool = False
    collect_errors: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)

    @property
    def running(self) -> str | None:
        """The test that was running when the process ended without finishing, if any."""
        if self.finished or not self.started or self.started[-1] in self.ended:
            return None
        return self.started[-1]


def read_attempt(path: Path) -> Attempt:
    """Parse one process's JSON-lines report (a torn last line is ignored)."""
    attempt = Attempt()
    if not path.exists():
        return attempt
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record: dict[str, Any] = json.loads(line)
        except ValueError:
            continue
        event = record.get("event")
        if event == "collected":
            attempt.collected.extend(record["nodeids"])
        elif event == "start":
            attempt.started.append(record["nodeid"])
        elif event == "end":
            attempt.ended.add(record["nodeid"])
        elif event == "result":
            known = attempt.results.get(record["nodeid"])
            if known is None or (known[0] == "passed" and record["outcome"] != "passed"):
                attempt.results[record["nodeid"]] = (record["outcome"], record["message"])
        elif event == "timeout":
            attempt.timeout = record["nodeid"]
        elif event == "collect_error":
            attempt.collect_errors.append(record["message"] or "collection error")
        elif event == "finish":
            attempt.finished = True
            attempt.missing_names = list(record.get("missing_names", []))
    return attempt


@dataclass
class FileResult:
    """One test file's outcome over all its processes."""

    name: str
    #: node id -> (outcome, message), outcome one of passed/failed/error/skipped.
    tests: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Failures not tied to one test (collection errors, a process dying before any test).
    file_errors: list[str] = field(default_factory=list)
    processes: int = 0
    seconds: float = 0.0
    missing_names: set[str] = field(default_factory=set)

    def counts(self) -> Counter[str]:
        """passed / failed / errors / skipped."""
        counts: Counter[str] = Counter({name: 0 for name in OUTCOMES})
        for outcome, _ in self.tests.values():
            counts[_BUCKET[outcome]] += 1
        counts["errors"] += len(self.file_errors)
        return counts

    def causes(self) -> Iterable[str]:
        """The message of every failure and error."""
        yield from (message for outcome, message in self.tests.values() if outcome in ("failed", "error"))
        yield from self.file_errors


def totals(files: Iterable[FileResult]) -> Counter[str]:
    """The counts summed over files."""
    total: Counter[str] = Counter({name: 0 for name in OUTCOMES})
    for result in files:
        total.update(result.counts())
    return total


def top_causes(messages: Iterable[str], limit: int = 20, width: int = 150) -> list[tuple[str, int]]:
    """Failure messages grouped (first line, cut to ``width``), the most frequent first."""
    return Counter(message[:width] for message in messages).most_common(limit)


def format_counts(counts: Mapping[str, int]) -> str:
    """``passed N  failed N  errors N  skipped N``."""
    return "  ".join(f"{name} {counts[name]:4d}" for name in OUTCOMES)


def print_summary(files: list[FileResult], out: TextIO, limit: int = 20) -> None:
    """Per-file counts, totals and the top failure causes."""
    width = max((len(result.name) for result in files), default=10)
    for result in sorted(files, key=lambda r: r.name):
        note = f"  ({result.processes} processes)" if result.processes > 1 else ""
        print(f"{result.name:<{width}}  {format_counts(result.counts())}  {result.seconds:6.1f} s{note}", file=out)
    print(f"{'TOTAL':<{width}}  {format_counts(totals(files))}", file=out)
    causes = top_causes((message for result in files for message in result.causes()), limit)
    if causes:
        print("\ntop failure causes:", file=out)
        for message, count in causes:
            print(f"  {count:5d}  {message}", file=out)
    missing = sorted(set().union(*(result.missing_names for result in files)))
    if missing:
        print(f"\nnames the tests took from python-oracledb (oracle_asyncio lacks them): {', '.join(missing)}",
              file=out)


def regressions(ours: list[FileResult], reference: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Tests that passed in ``reference`` (another run's JSON) and fail or error here."""
    passed = {nodeid for entry in reference.get("files", []) for nodeid, (outcome, _) in entry["tests"].items()
              if outcome == "passed"}
    return {nodeid: (outcome, message) for result in ours for nodeid, (outcome, message) in result.tests.items()
            if nodeid in passed and outcome in ("failed", "error")}


def reference_counts(ours: list[FileResult], reference: Mapping[str, Any]) -> Counter[str]:
    """The reference run's counts over the files of this run."""
    names = {result.name for result in ours}
    counts: Counter[str] = Counter({name: 0 for name in OUTCOMES})
    for entry in reference.get("files", []):
        if entry["name"] in names:
            counts.update({name: entry["counts"][name] for name in OUTCOMES})
    return counts


def print_comparison(ours: list[FileResult], reference: Mapping[str, Any], label: str, out: TextIO) -> None:
    """This run against a reference run: its counts on the same files, then the tests that passed there
    and fail here, grouped by cause with their names, and those passing there that a config rule skips here."""
    print(f"\n{label} on the same files: {format_counts(reference_counts(ours, reference))}", file=out)
    worse = regressions(ours, reference)
    print(f"{len(worse)} tests passed in {label} and fail here:", file=out)
    groups: dict[str, list[str]] = {}
    for nodeid, (_, message) in sorted(worse.items()):
        groups.setdefault(message[:150], []).append(nodeid.rsplit("::", 1)[-1])
    for message, names in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        print(f"  {len(names):5d}  {message}\n         {' '.join(names)}", file=out)
    passed = {nodeid for entry in reference.get("files", []) for nodeid, (outcome, _) in entry["tests"].items()
              if outcome == "passed"}
    skipped = Counter(message.split("[", 1)[1].split("]", 1)[0] for result in ours
                      for nodeid, (outcome, message) in result.tests.items()
                      if nodeid in passed and outcome == "skipped" and "peer config [" in message)
    if skipped:
        print(f"passed in {label}, skipped here by config: "
              + ", ".join(f"{category} {count}" for category, count in skipped.most_common()), file=out)


def as_json(files: list[FileResult], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Everything of a run, for ``--json`` (and for ``--compare`` of a later run)."""
    return {
        **extra,
        "totals": dict(totals(files)),
        "top_causes": top_causes(message for result in files for message in result.causes()),
        "files": [{"name": result.name, "counts": dict(result.counts()), "seconds": round(result.seconds, 1),
                   "processes": result.processes, "file_errors": result.file_errors,
                   "missing_names": sorted(result.missing_names),
                   "tests": {nodeid: list(value) for nodeid, value in result.tests.items()}}
                  for result in sorted(files, key=lambda r: r.name)],
    }
