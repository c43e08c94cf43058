"""The benchmark's embedded server: one child process, started through one function.

``python -m bench.server [COLD_USERS]`` (run by :func:`serving`) prints ``dsn=...`` and serves
until SIGTERM.  The server runs in its own process so that the client's CPU
(``time.process_time()`` in the benchmark process) is the client library alone,
and the server's CPU is read from ``/proc/PID/stat`` to show it is not the limit.

:func:`server_options` is the single place that decides how the server is
configured: every scenario runs against what it returns.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oracle_asyncio.testing import EmbeddedServer

USER, PASSWORD = "scott", "tiger"
#: Users logged on once each, for the cold connect (a password this process has never used),
#: unless the runner asks for another number.
COLD_USERS = 64


def cold_user(index: int) -> tuple[str, str]:
    """The ``index``-th user kept for cold logons, and its password."""
    return f"cold{index}", f"pw{index}x"


def server_options(cold_users: int = COLD_USERS) -> dict[str, Any]:
    """Keyword arguments of the bench's :class:`EmbeddedServer`.

    No caps and no timeouts: pool-scale opens up to 1,000 sessions and a 64 MB LOB
    may take longer than the default logon timeout on a loaded machine."""
    users = {USER: PASSWORD} | dict(cold_user(i) for i in range(cold_users))
    return {"users": users, "admins": [USER], "max_connections": None, "logon_timeout": None,
            "statement_timeout": None, "lock_timeout": 60.0}


async def _serve(cold_users: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with EmbeddedServer(**server_options(cold_users)) as server:
        print(f"dsn={server.dsn}", flush=True)
        await stop.wait()


@dataclass(frozen=True)
class ServerProcess:
    """A running bench server: where to connect and which process to read CPU from."""

    dsn: str
    pid: int
    #: How many cold users (``cold_user(0)`` up to this, exclusive) the server knows.
    cold_users: int = COLD_USERS

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (clock-tick resolution)."""
        return process_cpu_seconds(self.pid)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` from ``/proc/PID/stat``; 0.0 where /proc is missing."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


@contextmanager
def serving(cold_users: int = COLD_USERS, timeout: float = 60.0) -> Iterator[ServerProcess]:
    """Start ``python -m bench.server COLD_USERS`` and stop it on exit."""
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    child = subprocess.Popen([sys.executable, "-m", "bench.server", str(cold_users)], stdout=subprocess.PIPE, text=True,
                             env=env, cwd=root)
    try:
        assert child.stdout is not None
        line = _read_line(child, timeout)
        if not line.startswith("dsn="):
            raise RuntimeError(f"the bench server did not start: {line!r}")
        yield ServerProcess(dsn=line.strip().removeprefix("dsn="), pid=child.pid, cold_users=cold_users)
    finally:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)


def _read_line(child: subprocess.Popen[str], timeout: float) -> str:
    """The child's first line, or "" if it has not written one within ``timeout`` seconds."""
    import selectors

    assert child.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(child.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            return ""
    return child.stdout.readline()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else COLD_USERS))
    sys.exit(0)
