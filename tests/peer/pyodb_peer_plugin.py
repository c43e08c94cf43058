"""The pytest plugin ``python -m tests.peer`` loads into each test process (``-p pyodb_peer_plugin``).

Its folder, not the repository root, is put on the test process's path: python-oracledb's checkout has
its own ``tests`` folder, so the plugin is imported under a name of its own.  Driven by environment
variables the runner sets:

- ``PEER_REPORT``: a JSON-lines file; one record per collected list, test start, test result, test
  end, collection error, timeout and session end.  Records are flushed as they happen, so a crash loses
  only the test that was running: the runner sees its start without a result.
- ``PEER_TIMEOUT``: seconds each test (setup, call, teardown) may take.  Past it the process dumps
  its stacks to stderr and exits at once (``os._exit``): a hung socket or event loop cannot be
  unwound reliably, and the runner starts the file again without the tests already done.
- ``PEER_DONE``: a file of node ids (one a line) already reported by an earlier process: deselected.
- ``PEER_DRIVER``: ``oracledb`` or ``oracle_asyncio``.  With ``oracle_asyncio``, the name ``oracledb``
  in conftest.py and in the test modules means a stand-in module (:class:`StandIn`): each name
  resolves to ``oracle_asyncio``'s when it has it; other names (the sync driver's ``connect``, or
  what oracle_asyncio lacks) fall back to python-oracledb's, and the public ones are recorded.
  ``TestEnv``'s sync methods run with the real python-oracledb, so the suite's sync fixtures
  (``conn``, ``admin_conn``, ``_initialize``) stay python-oracledb's.
- ``PEER_CONFIG``: config.toml (skips by category).
"""

from __future__ import annotations

import faulthandler
import fnmatch
import functools
import json
import os
import signal
import sys
import tomllib
import types
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

#: TestEnv's methods that use the sync driver (python-oracledb) whatever the driver measured.
SYNC_METHODS = ("_initialize", "get_connection", "get_pool", "get_admin_connection",
                "get_and_clear_queue", "create_schema", "drop_schema", "run_sql_script",
                "get_db_object_as_plain_object", "_is_drcp", "_is_implicit_pooling")


def _write(record: dict[str, Any]) -> None:
    path = os.environ.get("PEER_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def _first_line(text: str) -> str:
    """The first line of a message, with the next one when it ends in a colon (ORA-06550's "line 1, column 7:")."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Help:")]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


class StandIn(types.ModuleType):
    """``oracledb`` as the asyncio test files see it under ``--driver oracle_asyncio``."""

    def __init__(self, real: types.ModuleType, ours: types.ModuleType) -> None:
        super().__init__("oracledb", real.__doc__)
        self._peer_real = real
        self._peer_ours = ours
        #: Public names asked for that oracle_asyncio lacks (python-oracledb's were given).
        self._peer_missing: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        # Module machinery (__path__, __file__...) stays python-oracledb's; __version__ is a driver's own.
        if (name.startswith("__") and name != "__version__") or not hasattr(self._peer_ours, name):
            if not name.startswith("_"):
                self._peer_missing.add(name)
            return getattr(self._peer_real, name)
        return getattr(self._peer_ours, name)


@contextmanager
def _bound(module: types.ModuleType, value: types.ModuleType) -> Iterator[None]:
    """``module.oracledb`` is ``value`` for the duration."""
    saved = module.__dict__["oracledb"]
    module.__dict__["oracledb"] = value
    try:
        yield
    finally:
        module.__dict__["oracledb"] = saved


def _sync_wrapper(module: types.ModuleType, real: types.ModuleType,
                  method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("use_async"):
            return method(*args, **kwargs)
        with _bound(module, real):
            return method(*args, **kwargs)
    return run


class PeerPlugin:
    """Timeouts, records, deselection, config skips and the driver stand-in for one test process."""

    def __init__(self, config_path: str, driver: str, timeout: float, done: frozenset[str]) -> None:
        with open(config_path, "rb") as source:
            self.config = tomllib.load(source)
        self.driver = driver
        self.timeout = timeout
        self.done = done
        self.standin: StandIn | None = None
        self.current = ""
        if driver == "oracle_asyncio":
            import oracle_asyncio
            import oracledb
            self.standin = StandIn(oracledb, oracle_asyncio)

    # -------------------------------------------------------- the stand-in

    def pytest_plugin_registered(self, plugin: object) -> None:
        """conftest.py: its ``oracledb`` is the stand-in; TestEnv's sync methods see the real one."""
        if self.standin is None or not isinstance(plugin, types.ModuleType):
            return
        env_class = getattr(plugin, "TestEnv", None)
        if getattr(plugin, "oracledb", None) is not self.standin._peer_real or env_class is None:
            return
        plugin.__dict__["oracledb"] = self.standin
        for name in SYNC_METHODS:
            if hasattr(env_class, name):
                setattr(env_class, name, _sync_wrapper(plugin, self.standin._peer_real, getattr(env_class, name)))

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, Any, Any]:
        """A test module imported now gets the stand-in for ``import oracledb``."""
        if self.standin is None or not isinstance(collector, pytest.Module):
            return (yield)
        real = sys.modules["oracledb"]
        sys.modules["oracledb"] = self.standin
        try:
            return (yield)
        finally:
            sys.modules["oracledb"] = real

    # ------------------------------------------------- collection and skips

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """Drop the tests done by an earlier process; mark the configured skips."""
        kept: list[pytest.Item] = []
        dropped: list[pytest.Item] = []
        for item in items:
            (dropped if item.nodeid in self.done else kept).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
        for rule in self.config.get("skip", ()):
            if self.driver not in rule.get("drivers", ("oracledb", "oracle_asyncio")):
                continue
            for item in items:
                name = item.nodeid.rsplit("/", 1)[-1]
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in rule["tests"]):
                    item.add_marker(pytest.mark.skip(reason=f"peer config [{rule['category']}] {rule['reason']}"))
        _write({"event": "collected", "nodeids": [item.nodeid for item in items]})

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A module that cannot be imported or collected."""
        if report.failed:
            _write({"event": "collect_error", "nodeid": report.nodeid,
                    "message": _first_line(str(report.longrepr).splitlines()[-1] if report.longrepr else "")})

    # ------------------------------------------------------ each test's run

    def _expired(self, signum: int, frame: types.FrameType | None) -> None:
        _write({"event": "timeout", "nodeid": self.current, "seconds": self.timeout})
        sys.stderr.write(f"\npeer: {self.current} ran past {self.timeout} s; stacks:\n")
        faulthandler.dump_traceback(all_threads=True)
        os._exit(75)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, Any, Any]:
        """Start record, then the timer over setup, call and teardown."""
        self.current = item.nodeid
        _write({"event": "start", "nodeid": item.nodeid})
        previous = signal.signal(signal.SIGALRM, self._expired)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            return (yield)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            _write({"event": "end", "nodeid": item.nodeid})

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        """Keep the exception's type and first line on the report: failures are grouped by it."""
        report = yield
        if call.excinfo is not None:
            report.peer_message = f"{call.excinfo.typename}: {_first_line(str(call.excinfo.value))}"
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """One result record per test, from its setup, call and teardown reports."""
        message = str(getattr(report, "peer_message", ""))
        if hasattr(report, "wasxfail"):
            outcome = "passed" if report.passed else "skipped"
            message = message or f"xfail: {report.wasxfail}"
        elif report.skipped:
            outcome = "skipped"
            if isinstance(report.longrepr, tuple):
                message = str(report.longrepr[2])
        elif report.failed:
            outcome = "failed" if report.when == "call" else "error"
        elif report.when == "call":
            outcome = "passed"
        else:
            return
        _write({"event": "result", "nodeid": report.nodeid, "when": report.when, "outcome": outcome,
                "message": message})

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """The end record (its absence tells the runner the process died)."""
        missing = sorted(self.standin._peer_missing) if self.standin is not None else []
        _write({"event": "finish", "exitstatus": int(exitstatus), "missing_names": missing})


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Register the plugin with the settings the runner put in the environment.

    This runs as ``-p`` loads the module, before the suite's conftest.py is registered: the stand-in
    must see that registration."""
    done_path = os.environ.get("PEER_DONE")
    done: frozenset[str] = frozenset()
    if done_path and os.path.exists(done_path):
        with open(done_path, encoding="utf-8") as source:
            done = frozenset(line.strip() for line in source if line.strip())
    pluginmanager.register(PeerPlugin(
        os.environ.get("PEER_CONFIG", os.path.join(os.path.dirname(__file__), "config.toml")),
        os.environ.get("PEER_DRIVER", "oracledb"), float(os.environ.get("PEER_TIMEOUT", "60")), done,
    ), "pyodb_peer")
