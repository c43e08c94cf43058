"""``python -m tests.peer`` against a tiny fake python-oracledb suite made in tmp_path.

The fake suite has a schema script (one statement the embedded server accepts, one it refuses), a
sync file whose tests pass, hang past the per-test timeout, crash their process and pass again, and
an asyncio file whose test says which ``oracledb`` it was given.  The real suite is measured by hand
(README, "python-oracledb's own suite"): CI cannot reach GitHub.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.peer import later_features
from tests.peer.__main__ import main
from tests.peer.results import FileResult, read_attempt
from tests.peer.run import account
from tests.peer.schema import reason_of, split_script, substitute

CONFTEST = '''
import oracledb
import pytest


class TestEnv:
    def get_connection(self, use_async=False):
        return oracledb  # what the fixture code sees: the stand-in only on the async path


@pytest.fixture(scope="session")
def test_env():
    return TestEnv()
'''

SYNC_FILE = '''
import os
import time


def test_0100():
    pass


def test_0101():
    time.sleep(30)


def test_0102():
    os._exit(3)


def test_0103():
    assert 1 + 1 == 3, "arithmetic"


def test_0104():
    pass
'''

ASYNC_FILE = '''
import sys

import oracle_asyncio
import oracledb


def test_0200(test_env):
    assert oracledb.connect_async is oracle_asyncio.connect_async, "python-oracledb's connect_async"
    assert oracledb.AsyncConnection is oracle_asyncio.AsyncConnection
    assert test_env.get_connection() is sys.modules["oracledb"], "sync fixtures keep python-oracledb"
    assert test_env.get_connection(use_async=True) is oracledb


def test_0201():
    pass
'''

CONFIG = """
[[skip]]
category = "fake feature"
drivers = ["oracle_asyncio"]
reason = "skipped by the command's configuration"
tests = ["test_0200_standin_async.py::test_0201"]
"""

SCHEMA = """create table TestPeer (IntCol number(9) not null)
/
create table &main_user..TestPeerObjects (ObjCol &main_user..udt_Missing);
/
"""


def fake_suite(root: Path) -> Path:
    """A checkout with tests/conftest.py, two test files and tests/sql/create_schema.sql."""
    tests = root / "tests"
    (tests / "sql").mkdir(parents=True)
    (tests / "conftest.py").write_text(CONFTEST)
    (tests / "test_0100_mixed.py").write_text(SYNC_FILE)
    (tests / "test_0200_standin_async.py").write_text(ASYNC_FILE)
    (tests / "sql" / "create_schema.sql").write_text(SCHEMA)
    (root / "peer.toml").write_text(CONFIG)
    return root


def measure(root: Path, *options: str) -> dict[str, Any]:
    """Run the command; return its --json output."""
    out = root / "out.json"
    assert main([str(root), "-j", "1", "--timeout", "2", "--json", str(out), "--logs", str(root / "logs"),
                 "--config", str(root / "peer.toml"), *options]) == 0
    result: dict[str, Any] = json.loads(out.read_text())
    return result


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    return fake_suite(tmp_path)


def test_both_drivers(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = measure(suite)
    files = {entry["name"]: entry for entry in result["files"]}
    mixed = files["test_0100_mixed.py"]
    assert mixed["counts"] == {"passed": 2, "failed": 1, "errors": 2, "skipped": 0}
    outcomes = {nodeid.rsplit("::", 1)[1]: outcome for nodeid, (outcome, _) in mixed["tests"].items()}
    assert outcomes == {"test_0100": "passed", "test_0101": "error", "test_0102": "error",
                        "test_0103": "failed", "test_0104": "passed"}
    # The hang and the crash each cost one test; the tests after them ran in new processes.
    assert mixed["processes"] == 3
    messages = {message for _, message in mixed["tests"].values()}
    assert "peer timeout: the test ran past 2 s" in messages
    assert "peer: the test process died (exit status 3)" in messages
    assert "AssertionError: arithmetic" in messages
    # Under --driver oracledb the async file gets python-oracledb itself (and the skip rule is not its).
    assert files["test_0200_standin_async.py"]["counts"] == {"passed": 1, "failed": 1, "errors": 0, "skipped": 0}
    assert result["totals"] == {"passed": 3, "failed": 2, "errors": 2, "skipped": 0}
    assert result["schema"]["accepted"] == 1 and result["schema"]["refused"] == 1
    printed = capsys.readouterr().out
    assert "schema: 1 statements accepted, 1 refused" in printed
    assert "top failure causes:" in printed
    (suite / "oracledb.json").write_bytes((suite / "out.json").read_bytes())

    # --driver oracle_asyncio: the async file only, oracle_asyncio standing in; compared with the run above.
    result = measure(suite, "--driver", "oracle_asyncio", "--compare", str(suite / "oracledb.json"))
    assert [entry["name"] for entry in result["files"]] == ["test_0200_standin_async.py"]
    assert result["totals"] == {"passed": 1, "failed": 0, "errors": 0, "skipped": 1}
    assert result["regressions"] == {}
    printed = capsys.readouterr().out
    assert "0 tests passed in" in printed
    assert "skipped here by config: fake feature 1" in printed


def test_missing_suite_needs_are_named(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "tests" / "conftest.py").write_text("import no_such_module_for_peer\n" + CONFTEST)
    assert main([str(suite)]) == 2
    assert "cannot import no_such_module_for_peer" in capsys.readouterr().err


def test_schema_scripts_split_and_substitute_as_the_suite_does() -> None:
    script = "create table &main_user..T (x number)\n/\n\nbegin\n  null;\nend;\n/\n  /\n"
    statements = list(split_script(script))
    assert statements == ["create table &main_user..T (x number)", "begin\n  null;\nend;"]
    assert substitute(statements[0], {"main_user": "pythontest"}) == "create table pythontest.T (x number)"
    assert substitute("grant x to &main_user", {"main_user": "u"}) == "grant x to u"
    refusal = Exception("ORA-06550: line 3, column 5:\nPLS-00201: identifier 'X' must be declared\nHelp: https://x")
    assert reason_of(refusal) == "ORA-06550: PLS-00201: identifier 'X' must be declared"


def test_a_killed_process_is_accounted_to_the_test_it_was_running(tmp_path: Path) -> None:
    records = [{"event": "collected", "nodeids": ["f::a", "f::b", "f::c"]},
               {"event": "start", "nodeid": "f::a"},
               {"event": "result", "nodeid": "f::a", "when": "call", "outcome": "passed", "message": ""},
               {"event": "end", "nodeid": "f::a"},
               {"event": "start", "nodeid": "f::b"}]
    report = tmp_path / "r.jsonl"
    report.write_text("".join(json.dumps(record) + "\n" for record in records) + '{"event": "res')
    attempt = read_attempt(report)
    assert attempt.running == "f::b" and not attempt.finished
    result = FileResult("f")
    assert account(result, attempt, None, 30.0)  # None: killed at the file's wall-clock cap
    assert result.tests == {"f::a": ("passed", ""),
                            "f::b": ("error", "peer: the file's wall-clock cap was reached while this test ran")}
    # A process gone after its last test ended: the file's error, no test's.
    records.append({"event": "end", "nodeid": "f::b"})
    report.write_text("".join(json.dumps(record) + "\n" for record in records))
    result = FileResult("f")
    account(result, read_attempt(report), -11, 30.0)
    assert result.file_errors == ["peer: the test process died between tests (exit status -11)"]


def test_run_settings_repr_shows_no_password(tmp_path: Path) -> None:
    # A failing run (a traceback with locals, a log line) prints the settings: the suite's
    # passwords are in them.
    from tests.peer.__main__ import make_credentials
    from tests.peer.run import RunSettings

    credentials = make_credentials()
    settings = RunSettings(tmp_path, "python", "oracledb", 30.0, 600.0, tmp_path, tmp_path / "c.toml", credentials)
    text = repr(settings)
    assert "oracledb" in text
    assert not [key for key, value in credentials.items() if "PASSWORD" in key and value in text]


LATER_FILE = '''
import oracledb


def helper(cursor):
    return cursor.var(oracledb.DB_TYPE_CURSOR)


def test_0300(cursor):
    helper(cursor)


def test_0301(cursor):
    assert oracledb.DB_TYPE_CURSOR is not None


def test_0302(cursor):
    cursor.execute("select 1 from dual")


def test_0303(cursor):
    cursor.execute("select * from TestVectors")
'''


def test_later_feature_rules_skip_only_failing_tests_that_need_the_feature(tmp_path: Path) -> None:
    suite = tmp_path / "tests"
    suite.mkdir()
    (suite / "test_0300_later.py").write_text(LATER_FILE)
    (suite / "test_6400_vector_var.py").write_text("def test_6400():\n    pass\n")
    run = tmp_path / "run.json"
    tests = {f"tests/test_0300_later.py::test_030{i}": ["failed", "x"] for i in (0, 2, 3)}
    tests["tests/test_0300_later.py::test_0301"] = ["passed", ""]  # names the feature, passes: kept
    files = [{"name": "test_0300_later.py", "tests": tests},
             {"name": "test_6400_vector_var.py", "tests": {"tests/test_6400_vector_var.py::test_6400[a]":
                                                           ["error", "x"]}}]
    run.write_text(json.dumps({"driver": "oracledb", "files": files}))
    ours = tmp_path / "ours.json"  # test_0301 fails only with oracle_asyncio: skipped for it alone
    ours.write_text(json.dumps({"driver": "oracle_asyncio", "files": [
        {"name": "test_0300_later.py", "tests": {"tests/test_0300_later.py::test_0301": ["failed", "x"]}}]}))
    found = later_features.rules(suite, [run, ours])
    # a helper's use counts; a failing test naming nothing stays; a feature file's failure is skipped
    assert found == {("REF CURSOR", None): {"test_0300_later.py": ["test_0300"]},
                     ("REF CURSOR", "oracle_asyncio"): {"test_0300_later.py": ["test_0301"]},
                     ("VECTOR", None): {"test_0300_later.py": ["test_0303"], "test_6400_vector_var.py": ["test_6400"]}}
    config = tmp_path / "config.toml"
    config.write_text("# top\n")
    later_features.write(config, later_features.toml(found))
    later_features.write(config, later_features.toml(found))  # rewritten in place, not appended twice
    text = config.read_text()
    assert text.count(later_features.BEGIN) == 1
    rules = tomllib.loads(text)["skip"]
    both = [p for rule in rules if "drivers" not in rule for p in rule["tests"]]
    assert any(fnmatch.fnmatchcase("test_6400_vector_var.py::test_6400[a]", p) for p in both)
    assert not any(fnmatch.fnmatchcase("test_0300_later.py::test_0301", p) for p in both)
    assert [rule["drivers"] for rule in rules if "drivers" in rule] == [["oracle_asyncio"]]
