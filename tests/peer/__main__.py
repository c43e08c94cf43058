"""``python -m tests.peer PATH [--driver oracledb|oracle_asyncio] [options]``: see tests/peer/__init__.py.

Each file gets a fresh embedded server (its own process, the schema loaded into it), so files running at
once never share tables and a file that leaves the database changed cannot fail the next.  Sync test files are measured with ``--driver oracledb`` only: under
``--driver oracle_asyncio`` the asyncio files (``*_async*``) run, with oracle_asyncio standing in.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import _server, results, schema
from .run import PLUGIN_DIR, RunSettings, run_file

#: Needed beyond what the suite's conftest.py imports: pytest itself, and anyio's plugin runs the async tests.
ALWAYS = ("pytest", "anyio")
#: Imported by some test files only: a warning, not a stop.
OPTIONAL = {"pyarrow": "the data frame tests fail without it"}


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.peer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="a checkout of python-oracledb (with tests/ and tests/sql/)")
    parser.add_argument("--driver", choices=("oracledb", "oracle_asyncio"), default="oracledb")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="files run at once, one server each (default 2)")
    parser.add_argument("--files", default="", metavar="PATTERN",
                        help="comma-separated fnmatch patterns on test file names (default: every file)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per test (default 30)")
    parser.add_argument("--file-timeout", type=float, default=900.0, metavar="SECONDS",
                        help="wall-clock cap per file, every process of it included (default 900)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that runs the tests (one with numpy, pandas, pyarrow, anyio)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write counts, causes and every result here")
    parser.add_argument("--compare", type=Path, metavar="REF",
                        help="a --json file of another run: list the tests that passed there and fail here")
    parser.add_argument("--logs", type=Path, help="where each process's output goes (default: a new temp folder)")
    parser.add_argument("--config", type=Path, default=PLUGIN_DIR / "config.toml", help="skips and stand-in names")
    return parser


def required_modules(conftest: Path) -> list[str]:
    """The top-level modules conftest.py imports (it cannot load without them), and :data:`ALWAYS`."""
    names = list(ALWAYS)
    for node in ast.parse(conftest.read_text(encoding="utf-8")).body:
        found = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        names.extend(name.split(".")[0] for name in found if name.split(".")[0] not in sys.stdlib_module_names)
    return list(dict.fromkeys(names))


def missing_modules(python: str, required: list[str]) -> tuple[list[str], list[str]]:
    """The required and optional modules ``python`` cannot import (one probe process for all)."""
    probe = ("import importlib, sys\n"
             "for name in sys.argv[1:]:\n"
             "    try:\n"
             "        importlib.import_module(name)\n"
             "    except Exception:\n"
             "        print(name)\n")
    names = [*required, *OPTIONAL]
    done = subprocess.run([python, "-c", probe, *names], capture_output=True, text=True)
    lacking = set(done.stdout.split()) if done.returncode == 0 else set(names)
    return [name for name in required if name in lacking], [name for name in OPTIONAL if name in lacking]


def select_files(tests: Path, driver: str, patterns: str) -> list[str]:
    """The test files to run, in order."""
    names = sorted(path.name for path in tests.glob("test_*.py"))
    if driver == "oracle_asyncio":
        names = [name for name in names if "_async" in name]
    wanted = [pattern.strip() for pattern in patterns.split(",") if pattern.strip()]
    if wanted:
        names = [name for name in names if any(fnmatch.fnmatchcase(name, pattern) for pattern in wanted)]
    return names


def make_credentials() -> dict[str, str]:
    """The users conftest.py reads (fresh passwords each run; they are never printed)."""
    return {
        "PYO_TEST_MAIN_USER": "pythontest", "PYO_TEST_MAIN_PASSWORD": secrets.token_hex(8),
        "PYO_TEST_PROXY_USER": "pythontestproxy", "PYO_TEST_PROXY_PASSWORD": secrets.token_hex(8),
        "PYO_TEST_ADMIN_USER": "admin", "PYO_TEST_ADMIN_PASSWORD": secrets.token_hex(8),
    }


def load_schema(sql_dir: Path, dsn: str, credentials: Mapping[str, str]) -> schema.LoadReport:
    """Load the suite's schema scripts as the admin user, with the suite's substitutions."""
    import oracledb  # python-oracledb is the loading instrument whatever the driver measured

    values = {"main_user": credentials["PYO_TEST_MAIN_USER"], "main_password": credentials["PYO_TEST_MAIN_PASSWORD"],
              "proxy_user": credentials["PYO_TEST_PROXY_USER"],
              "proxy_password": credentials["PYO_TEST_PROXY_PASSWORD"], "edition_name": "pythonedition"}
    with oracledb.connect(user=credentials["PYO_TEST_ADMIN_USER"], password=credentials["PYO_TEST_ADMIN_PASSWORD"],
                          dsn=dsn) as conn:
        version = tuple(int(part) for part in conn.version.split(".")[:2])
        return schema.load(conn.cursor(), schema.scripts_for(sql_dir, (version[0], version[1])), values)


def print_schema(report: schema.LoadReport) -> None:
    """The schema load's counts and grouped refusals."""
    per_script = ", ".join(f"{name} {ok}/{ok + bad}" for name, (ok, bad) in report.per_script.items())
    print(f"schema: {report.accepted} statements accepted, {report.refused} refused ({per_script})")
    for reason, count in report.reasons.most_common():
        print(f"  {count:4d}  {reason}")


def server_log_lines(logs: Path) -> Counter[str]:
    """The servers' log lines (why they closed sessions, ...), grouped."""
    lines: Counter[str] = Counter()
    for log in logs.glob("*.server.log"):
        # Top-level lines only: a traceback's frames would drown the reasons.
        lines.update(line.strip()[:160] for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                     if line.strip() and not line[0].isspace() and not line.startswith("Traceback"))
    return lines


def checkout_commit(path: Path) -> str | None:
    """The checkout's git commit, when it is a git work tree."""
    probe = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True)
    return probe.stdout.strip() if probe.returncode == 0 else None


def run(args: argparse.Namespace) -> int:
    """The whole command; the exit status is 0 when it ran (test failures are the measure, not errors)."""
    checkout: Path = args.path.resolve()
    tests = checkout / "tests"
    if not (tests / "conftest.py").exists() or not (tests / "sql").is_dir():
        print(f"{checkout} is not a python-oracledb checkout: tests/conftest.py and tests/sql/ are needed",
              file=sys.stderr)
        return 2
    lacking, optional = missing_modules(args.python, required_modules(tests / "conftest.py"))
    if lacking:
        print(f"{args.python} cannot import {', '.join(lacking)}, which python-oracledb's suite needs. "
              f"Install them in a measuring environment, not in this project's test extra, e.g.\n"
              f"  python -m venv --system-site-packages /tmp/peervenv && "
              f"/tmp/peervenv/bin/python -m pip install {' '.join(lacking + optional)}\n"
              f"then pass --python /tmp/peervenv/bin/python", file=sys.stderr)
        return 2
    for name in optional:
        print(f"warning: {args.python} cannot import {name}: {OPTIONAL[name]}", file=sys.stderr)
    files = select_files(tests, args.driver, args.files)
    if not files:
        print("no test file matches", file=sys.stderr)
        return 2
    logs: Path = args.logs or Path(tempfile.mkdtemp(prefix="peer-"))
    logs.mkdir(parents=True, exist_ok=True)
    credentials = make_credentials()
    settings = RunSettings(checkout, args.python, args.driver, args.timeout, args.file_timeout, logs,
                           args.config.resolve(), credentials)
    done: list[results.FileResult] = []
    loads: list[schema.LoadReport] = []
    began = time.monotonic()

    def one(file: str) -> results.FileResult:
        # A fresh server per file: a file that leaves the database changed (a password, rows, a
        # lock) cannot fail the files after it.
        server, dsn = _server.start(sys.executable, credentials, logs / f"{file.removesuffix('.py')}.server.log")
        try:
            loads.append(load_schema(tests / "sql", dsn, credentials))
            return run_file(settings, file, dsn)
        finally:
            _server.stop(server)

    jobs = max(1, min(args.jobs, len(files)))
    print(f"running {len(files)} files with --driver {args.driver}, {jobs} at once, a fresh embedded server "
          f"each; logs in {logs}", flush=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in as_completed([pool.submit(one, file) for file in files]):
            result = future.result()
            done.append(result)
            print(f"  {result.name}: {results.format_counts(result.counts())}  {result.seconds:.1f} s", flush=True)
    load = loads[0]
    print()
    print_schema(load)
    print()
    results.print_summary(done, sys.stdout)
    server_notes = server_log_lines(logs)
    if server_notes:
        print("\nthe embedded servers logged:")
        for line, count in server_notes.most_common(15):
            print(f"  {count:5d}  {line}")
    print(f"\n{time.monotonic() - began:.0f} s in all")
    extra: dict[str, Any] = {
        "driver": args.driver, "checkout": str(checkout), "commit": checkout_commit(checkout),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "timeout": args.timeout,
        "schema": {"accepted": load.accepted, "refused": load.refused, "reasons": dict(load.reasons)},
        "server_log": dict(server_notes.most_common(40)),
    }
    if args.compare is not None:
        reference = json.loads(args.compare.read_text(encoding="utf-8"))
        worse = results.regressions(done, reference)
        extra["regressions"] = {nodeid: list(value) for nodeid, value in sorted(worse.items())}
        results.print_comparison(done, reference, f"{args.compare} ({reference.get('driver')})", sys.stdout)
    if args.json is not None:
        args.json.write_text(json.dumps(results.as_json(done, extra), indent=1) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
