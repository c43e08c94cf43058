"""``python -m tests.peer.later_features PATH RUN.json [RUN.json ...]``: the skip rules for features of
later issues, written into ``tests/peer/config.toml`` between its ``later-features`` marker lines.

Issue 19 lets a test of python-oracledb's suite be skipped when what it needs belongs to a later issue
(REF CURSOR, JSON, VECTOR and object binds on the wire, scrollable cursors, TPC, sessionless
transactions, AQ, pipelining, direct path load), by category, never by editing the suite.  A rule
lists tests by name, so that a reader sees exactly what is skipped and why; this command makes the
lists from two facts:

- a test **needs** a feature when the feature is its file's subject (``FILES``), or when its source,
  with the module-level helpers it calls, names one of the feature's API entry points (``MARKERS``:
  ``oracledb.DB_TYPE_CURSOR``, ``gettype(``, ``scrollable=True`` ...);
- and it **failed or errored** in one of the given ``--json`` runs.  A test that names a feature yet
  passes (a constant compared, an error checked) is never skipped; one that fails only under
  ``--driver oracle_asyncio`` (a driver feature missing, not the server's) is skipped for that driver only.

Run it again after the server gains features (with fresh ``--json`` runs of both drivers): tests that
pass drop out of the lists.  Matching test text is a classification of the suite for the runner, not
something the server ever sees.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

#: A file whose subject is one of the features: every test of it that fails needs the feature.
FILES: dict[str, str] = {
    "test_1300_cursor_var.py": "REF CURSOR", "test_5800_cursor_var_async.py": "REF CURSOR",
    "test_2300_object_var.py": "objects", "test_5600_dbobject_async.py": "objects",
    "test_2700_aq_dbobject.py": "AQ", "test_2800_aq_bulk.py": "AQ", "test_7800_aq_raw.py": "AQ",
    "test_7900_aq_raw_async.py": "AQ", "test_8200_aq_bulk_async.py": "AQ", "test_8300_aq_json.py": "AQ",
    "test_8400_aq_dbobject_async.py": "AQ", "test_8500_aq_json_async.py": "AQ",
    "test_3500_json.py": "JSON", "test_6700_json_23.py": "JSON", "test_6900_oson.py": "JSON",
    "test_4200_cursor_scrollable.py": "scrollable cursors",
    "test_8600_cursor_scrollable_async.py": "scrollable cursors",
    "test_4400_tpc.py": "TPC", "test_7400_tpc_async.py": "TPC",
    "test_6400_vector_var.py": "VECTOR", "test_6500_vector_interop.py": "VECTOR",
    "test_7500_binary_vector.py": "VECTOR", "test_7700_sparse_vector.py": "VECTOR",
    "test_9100_dataframe_vector.py": "VECTOR", "test_9200_dataframe_vector_async.py": "VECTOR",
    "test_7600_pipelining_async.py": "pipelining",
    "test_8700_sessionless_transaction.py": "sessionless transactions",
    "test_8800_sessionless_transaction_async.py": "sessionless transactions",
    "test_9600_direct_path_load.py": "direct path load", "test_9700_direct_path_load_async.py": "direct path load",
}

#: Per feature, the names in a test's source that say it uses the feature (case-insensitive regexes).
MARKERS: dict[str, tuple[str, ...]] = {
    "REF CURSOR": (r"oracledb\.CURSOR\b", r"DB_TYPE_CURSOR", r"sys_refcursor", r"ref\s+cursor",
                   r"getimplicitresults", r"return_result", r"\bcursor\s*\(\s*select", r"RefCursor",
                   r"TestOutCursor"),
    "objects": (r"gettype\s*\(", r"DB_TYPE_OBJECT", r"newobject\s*\(", r"\bDbObject"),
    "JSON": (r"DB_TYPE_JSON", r"oracledb\.JSON\b", r"\bTestJson", r"DB_TYPE_OSON", r"\boson\b"),
    "VECTOR": (r"DB_TYPE_VECTOR", r"array\.array", r"SparseVector", r"TestVector", r"\bvector\s*\("),
    "scrollable cursors": (r"scrollable\s*=\s*True",),
    "TPC": (r"\btpc_", r"\.xid\s*\("),
    "AQ": (r"\.queue\s*\(", r"msgproperties"),
    "pipelining": (r"create_pipeline", r"run_pipeline"),
    "direct path load": (r"direct_path_load",),
    "sessionless transactions": (r"sessionless",),
}

#: Why each category is skipped: the issue that brings it.
REASONS: dict[str, str] = {
    "REF CURSOR": "REF CURSOR binds and CURSOR expressions on the wire (a later issue)",
    "objects": "object (named type) binds and fetches on the wire (a later issue)",
    "JSON": "JSON columns and binds (a later issue)",
    "VECTOR": "VECTOR columns and binds (a later issue)",
    "scrollable cursors": "scrollable cursors (a later issue)",
    "TPC": "two-phase commit (a later issue)",
    "AQ": "Advanced Queuing (a later issue)",
    "pipelining": "pipelining (a later issue)",
    "direct path load": "direct path load (a later issue)",
    "sessionless transactions": "sessionless transactions (a later issue)",
}

BEGIN = "# >>> later-features (made by python -m tests.peer.later_features; do not edit by hand)"
END = "# <<< later-features"
_FAILED = ("failed", "error", "errors")


def needs(source: str) -> dict[str, str]:
    """Test name -> the first feature whose markers its source (and its helpers') names."""
    tree = ast.parse(source)
    tops = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    found: dict[str, str] = {}
    for name, node in tops.items():
        if not name.startswith("test_"):
            continue
        text = _with_helpers(source, node, tops)
        for feature, patterns in MARKERS.items():
            if any(re.search(p, text, re.IGNORECASE) for p in patterns):
                found[name] = feature
                break
    return found


def _with_helpers(source: str, node: ast.AST, tops: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> str:
    """The node's source and that of every module-level function it reaches by name (each once)."""
    seen: set[str] = set()
    todo: list[ast.AST] = [node]
    parts: list[str] = []
    while todo:
        current = todo.pop()
        parts.append(ast.get_source_segment(source, current) or "")
        for sub in ast.walk(current):
            called = sub.id if isinstance(sub, ast.Name) else sub.arg if isinstance(sub, ast.arg) else None
            if called is not None and called in tops and called not in seen:
                seen.add(called)
                todo.append(tops[called])
    return "\n".join(parts)


def failing(runs: list[Path]) -> dict[str, dict[str, set[str]]]:
    """File name -> test name (parameters dropped) -> the drivers of the runs it failed or errored in."""
    out: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for path in runs:
        data = json.loads(path.read_text(encoding="utf-8"))
        driver = data.get("driver", "oracledb")
        for result in data["files"]:
            for nodeid, (outcome, _message) in result["tests"].items():
                if outcome in _FAILED:
                    name = nodeid.split("::", 1)[1].split("[", 1)[0]
                    out[result["name"]].setdefault(name, set()).add(driver)
    return out


#: A rule's key: the feature, and the drivers it applies to (None: both).
Key = tuple[str, str | None]


def rules(suite: Path, runs: list[Path]) -> dict[Key, dict[str, list[str]]]:
    """(feature, drivers) -> file -> the failing tests of that file that need it.  A test that
    fails with python-oracledb lacks the server's feature: skipped under both drivers; one that
    fails only under oracle_asyncio lacks the driver's: skipped for oracle_asyncio only."""
    bad = failing(runs)
    out: dict[Key, dict[str, list[str]]] = defaultdict(dict)
    for path in sorted(suite.glob("test_*.py")):
        tests = bad.get(path.name)
        if not tests:
            continue
        marked = needs(path.read_text(encoding="utf-8"))
        for name, drivers in sorted(tests.items()):
            feature = FILES.get(path.name) or marked.get(name)
            if feature is not None:
                key = (feature, None if "oracledb" in drivers else "oracle_asyncio")
                out[key].setdefault(path.name, []).append(name)
    return out


def toml(found: dict[Key, dict[str, list[str]]]) -> str:
    """The rules as TOML ``[[skip]]`` tables, one per feature and drivers, between the marker lines."""
    lines = [BEGIN]
    for feature in MARKERS:
        for only in (None, "oracle_asyncio"):
            files = found.get((feature, only))
            if not files:
                continue
            count = sum(len(v) for v in files.values())
            lines += ["", "[[skip]]", f'category = "later issue: {feature}"']
            if only is not None:
                lines.append(f'drivers = ["{only}"]')
            lines += [f'reason = "{REASONS[feature]}: {count} tests that need it and fail today"', "tests = ["]
            for name, tests in sorted(files.items()):
                for test in tests:
                    lines.append(f'    "{name}::{test}", "{name}::{test}[[]*",')
            lines.append("]")
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(config: Path, section: str) -> None:
    """Replace the section between the marker lines of ``config`` (appended the first time)."""
    text = config.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start >= 0 and end > start:
        text = text[:start] + section + text[end + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    config.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print the counts per feature and file; write them into the config with ``--write``."""
    parser = argparse.ArgumentParser(prog="python -m tests.peer.later_features", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="a checkout of python-oracledb")
    parser.add_argument("runs", type=Path, nargs="+", help="--json results of python -m tests.peer")
    parser.add_argument("--write", action="store_true", help="rewrite tests/peer/config.toml's section")
    args = parser.parse_args(argv)
    found = rules(args.path / "tests", args.runs)
    for (feature, only), files in found.items():
        print(f"{feature}{'' if only is None else f' ({only} only)'}: {sum(len(v) for v in files.values())}")
        for name, tests in sorted(files.items()):
            print(f"    {name}: {len(tests)}")
    if args.write:
        write(Path(__file__).with_name("config.toml"), toml(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
