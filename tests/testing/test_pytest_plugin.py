"""The pytest plugin as a user meets it: installed (the ``pytest11`` entry point), a test
file needs no conftest; ``embedded_fresh_server`` gives each test an empty database."""

from __future__ import annotations

import os
import pathlib
import re
import time
import tomllib
from collections.abc import Iterator

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.interop

ROOT = pathlib.Path(oracle_asyncio.__file__).resolve().parent.parent


def _entry_points() -> dict[str, str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    return dict(project["entry-points"]["pytest11"])


def test_pyproject_declares_the_plugin() -> None:
    assert _entry_points() == {"oracle_asyncio": "oracle_asyncio.testing.pytest_plugin"}


def test_the_repo_does_not_also_register_the_plugin_by_name() -> None:
    """Once installed, the entry point loads the plugin; a ``pytest_plugins`` naming the
    module too would register it twice (pluggy refuses: "already registered")."""
    naming = re.compile(r"^\s*pytest_plugins\s*=.*oracle_asyncio\.testing\.pytest_plugin", re.MULTILINE)
    for path in (ROOT / "tests").rglob("*.py"):
        assert not naming.search(path.read_text(encoding="utf-8")), path


USER_TESTS = '''
import threading
import time

import oracledb
import pytest


def connect(server):
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    conn.call_timeout = 8000
    return conn


def test_a_creates_a_table(embedded_fresh_server):
    with connect(embedded_fresh_server) as conn:
        conn.cursor().execute("create table leak (x number)")
        conn.cursor().execute("insert into leak values (1)")
        conn.commit()


def test_b_does_not_see_it(embedded_fresh_server, embedded_dsn):
    assert embedded_dsn == embedded_fresh_server.dsn
    with connect(embedded_fresh_server) as conn:
        with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
            conn.cursor().execute("select * from leak")


def test_kill_from_a_thread(embedded_server):
    conn = connect(embedded_server)
    sid = conn.session_id
    thread = threading.Thread(target=lambda: (time.sleep(0.2), embedded_server.kill_session(sid)))
    thread.start()
    start = time.monotonic()
    with pytest.raises(oracledb.DatabaseError, match="ORA-00028"):
        conn.cursor().execute("begin dbms_session.sleep(5); end;")
    assert time.monotonic() - start < 3
    thread.join(5)
'''


@pytest.fixture
def installed(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Iterator[pathlib.Path]:
    """This checkout, installed as far as pytest can tell: a dist-info whose entry points
    are pyproject's, next to the sources on PYTHONPATH."""
    site = pytester.mkdir("site")
    dist = site / "oracle_sansio_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: oracle-sansio-probe\nVersion: 0\n")
    lines = [f"{name} = {target}" for name, target in _entry_points().items()]
    (dist / "entry_points.txt").write_text("[pytest11]\n" + "\n".join(lines) + "\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(site)]))
    yield site


def test_a_new_test_file_gets_the_fixtures_from_the_entry_point(
        pytester: pytest.Pytester, installed: pathlib.Path) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", timeout=120)
    result.assert_outcomes(passed=3)


# --------------------------------------------------------- reset_database in process


@pytest.fixture(scope="module")
def shared() -> Iterator[EmbeddedServer]:
    with EmbeddedServer().threaded() as running:
        yield running


def test_reset_database_cuts_old_sessions_and_empties_the_database(shared: EmbeddedServer) -> None:
    old = oracledb.connect(user="scott", password="tiger", dsn=shared.dsn)
    old.call_timeout = 8000
    old.cursor().execute("create table kept (x number)")
    start = time.perf_counter()
    shared.reset_database()  # from the test's thread: runs on the server's
    elapsed = time.perf_counter() - start
    print(f"reset_database: {elapsed * 1000:.1f} ms")  # for the report; no timed assertion
    assert shared.sessions == []
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
        old.cursor().execute("select 1 from dual")
    with oracledb.connect(user="scott", password="tiger", dsn=shared.dsn) as conn:
        with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
            conn.cursor().execute("select * from kept")
