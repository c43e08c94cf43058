"""Running one test file of the suite: its own pytest processes, until every test is accounted for.

A process that dies (a crash, or the plugin's per-test timeout) costs only the test that was running:
that test is counted as an error with the reason, and a new process runs the file's remaining tests
(the ones already reported are deselected).  A per-file wall-clock cap bounds the whole: past it the
process is killed and the tests never reported are counted as errors.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .results import Attempt, FileResult, read_attempt

PLUGIN_DIR = Path(__file__).resolve().parent
REPO_ROOT = PLUGIN_DIR.parent.parent


@dataclass(frozen=True)
class RunSettings:
    """What every file's run shares."""

    checkout: Path
    python: str
    driver: str
    timeout: float
    file_timeout: float
    logs: Path
    config: Path
    #: PYO_TEST_* values, apart from the connect string (one per server); passwords: not in the repr.
    credentials: Mapping[str, str] = field(repr=False)


def test_env(settings: RunSettings, dsn: str, report: Path, done: Path) -> dict[str, str]:
    """The environment of a test process."""
    path = os.pathsep.join(filter(None, [str(PLUGIN_DIR), str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, **settings.credentials, "PYO_TEST_CONNECT_STRING": dsn, "PYTHONPATH": path,
            "PEER_REPORT": str(report), "PEER_DONE": str(done), "PEER_DRIVER": settings.driver,
            "PEER_TIMEOUT": str(settings.timeout), "PEER_CONFIG": str(settings.config),
            "PYTHONFAULTHANDLER": "1"}


def pytest_command(settings: RunSettings, file: str) -> list[str]:
    """The pytest command line for one file (run in the checkout)."""
    return [settings.python, "-m", "pytest", "-p", "pyodb_peer_plugin", "-p", "no:cacheprovider",
            "-o", "addopts=", "-q", "--rootdir", str(settings.checkout), f"tests/{file}"]


def account(result: FileResult, attempt: Attempt, returncode: int | None, timeout: float) -> bool:
    """Add one process's outcome to ``result``; False when it made no progress."""
    before = len(result.tests)
    result.tests.update(attempt.results)
    result.missing_names.update(attempt.missing_names)
    running = attempt.running
    if running is not None:
        if attempt.timeout == running:
            reason = f"peer timeout: the test ran past {timeout:g} s"
        elif returncode is None:
            reason = "peer: the file's wall-clock cap was reached while this test ran"
        else:
            reason = f"peer: the test process died (exit status {returncode})"
        if running not in result.tests or result.tests[running][0] == "passed":
            result.tests[running] = ("error", reason)
    elif not attempt.finished and attempt.started:
        # Between tests or after the last one (a session fixture's teardown, say): the file's fault.
        result.file_errors.append("peer: the file's wall-clock cap was reached between tests" if returncode is None
                                  else f"peer: the test process died between tests (exit status {returncode})")
    return len(result.tests) > before


def run_file(settings: RunSettings, file: str, dsn: str) -> FileResult:
    """Run one file until each of its tests has a result, a process makes no progress, or the cap."""
    result = FileResult(file)
    stem = file.removesuffix(".py")
    logs = settings.logs / settings.driver
    logs.mkdir(parents=True, exist_ok=True)
    done = logs / f"{stem}.done"
    done.write_text("")
    started = time.monotonic()
    collected: list[str] = []
    while True:
        result.processes += 1
        report = logs / f"{stem}.{result.processes}.jsonl"
        report.unlink(missing_ok=True)
        remaining = settings.file_timeout - (time.monotonic() - started)
        returncode: int | None
        with open(logs / f"{stem}.{result.processes}.log", "wb") as log:
            process = subprocess.Popen(pytest_command(settings, file), cwd=settings.checkout, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT,
                                       env=test_env(settings, dsn, report, done))
            try:
                returncode = process.wait(timeout=max(remaining, 1.0))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                returncode = None
        attempt = read_attempt(report)
        collected.extend(nodeid for nodeid in attempt.collected if nodeid not in collected)
        result.file_errors.extend(attempt.collect_errors)
        progressed = account(result, attempt, returncode, settings.timeout)
        if attempt.finished or returncode is None or not progressed:
            break
        done.write_text("".join(f"{nodeid}\n" for nodeid in result.tests))
    for nodeid in collected:
        if nodeid not in result.tests:
            reason = ("peer: not run, the file's wall-clock cap was reached" if returncode is None
                      else "peer: not run, the test process kept dying")
            result.tests[nodeid] = ("error", reason)
    if not collected and not attempt.finished and not result.file_errors:
        result.file_errors.append(f"peer: the test process died before collecting (exit status {returncode}); "
                                  f"see {logs / stem}.1.log")
    result.seconds = time.monotonic() - started
    return result
