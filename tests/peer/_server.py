"""``python -m tests.peer._server``: one embedded server for a peer run, in its own process.

The users come from the environment (``PYO_TEST_*`` names, as python-oracledb's conftest.py reads
them), so no password appears on a command line; the admin user holds the DBA role.  Prints
``dsn=HOST:PORT/SERVICE`` once listening and runs until its standard input closes or SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from oracle_asyncio.testing import EmbeddedServer

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def users_from_env() -> tuple[dict[str, str], str]:
    """The users (main, proxy, admin) and the admin's name, from PYO_TEST_* variables."""
    users: dict[str, str] = {}
    for role in ("MAIN", "PROXY", "ADMIN"):
        users[os.environ[f"PYO_TEST_{role}_USER"]] = os.environ[f"PYO_TEST_{role}_PASSWORD"]
    return users, os.environ["PYO_TEST_ADMIN_USER"]


async def serve() -> None:
    """Run one server until stdin closes or SIGTERM arrives."""
    users, admin = users_from_env()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    # The runner holds our stdin: when it dies, we see EOF and stop with it.
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 1) else None)
    # Suites keep sessions open across a file; lock waits and logons keep the server's defaults.
    # Only the admin is configured: the schema scripts create the main and proxy users and grant
    # them what they need (CREATE USER ... IDENTIFIED BY, GRANT, ALTER USER ... CONNECT THROUGH),
    # as they do on a real database.
    async with EmbeddedServer(users={admin: users[admin]}, admins=[admin], max_connections=None) as server:
        print(f"dsn={server.dsn}", flush=True)
        await stop.wait()


def start(python: str, credentials: Mapping[str, str], log: Path) -> tuple[subprocess.Popen[str], str]:
    """Start a server process; return it and its DSN (its stderr goes to ``log``)."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    with open(log, "w", encoding="utf-8") as errors:
        process = subprocess.Popen([python, "-m", "tests.peer._server"], cwd=REPO_ROOT, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                   env={**os.environ, **credentials, "PYTHONPATH": path})
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("dsn="):
        process.kill()
        raise RuntimeError(f"the embedded server did not start; see {log}")
    return process, line.strip().removeprefix("dsn=")


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a server started by :func:`start`."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    asyncio.run(serve())
