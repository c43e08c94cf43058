"""What a scenario records: samples of client wall/CPU time and the server's CPU.

A scenario is one async function taking the client module (``oracledb`` or
``oracle_asyncio``) and an :class:`Env`; it times the sections that matter with
``env.mark()`` / ``env.sample(...)`` and returns the samples.  Set-up (creating
tables, opening pools, building bind rows) stays outside the timed sections.
"""

from __future__ import annotations

import cProfile
import gc
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .server import ServerProcess, cold_user

#: The two clients, by the name the report uses.
THEIRS, OURS = "python-oracledb", "oracle_asyncio"


@dataclass(frozen=True)
class Sample:
    """One timed section: ``ops`` operations (rows, MB, connects...) of one metric."""

    metric: str
    ops: float
    wall: float
    cpu: float
    server_cpu: float
    #: Memory metrics: bytes per operation (the times are then 0).
    bytes: float | None = None


@dataclass(frozen=True)
class Mark:
    """Clock readings at the start of a timed section."""

    wall: float
    cpu: float
    server_cpu: float


@dataclass
class Env:
    """What a scenario may use: the server, the size mode, and the timing helpers."""

    server: ServerProcess
    quick: bool
    #: ``--profile``: enabled inside timed sections only, so set-up is left out.
    profiler: cProfile.Profile | None = None
    _cold: itertools.count[int] = field(default_factory=itertools.count)
    _done: set[str] = field(default_factory=set)

    @property
    def dsn(self) -> str:
        """The bench server's connect string."""
        return self.server.dsn

    def size(self, full: int, quick: int) -> int:
        """``full`` normally, ``quick`` under ``--quick``."""
        return quick if self.quick else full

    def mark(self) -> Mark:
        """Collect garbage (untimed), then read the clocks."""
        gc.collect()
        mark = Mark(time.perf_counter(), time.process_time(), self.server.cpu_seconds())
        if self.profiler is not None:
            self.profiler.enable()
        return mark

    def sample(self, metric: str, ops: float, start: Mark) -> Sample:
        """The section since ``start``, as ``ops`` operations of ``metric``."""
        wall, cpu = time.perf_counter() - start.wall, time.process_time() - start.cpu
        if self.profiler is not None:
            self.profiler.disable()
        return Sample(metric, ops, wall, cpu, self.server.cpu_seconds() - start.server_cpu)

    def cold_user(self) -> tuple[str, str]:
        """A user whose password no client in this process has logged on with yet."""
        index = next(self._cold)
        if index >= self.server.cold_users:
            raise RuntimeError(f"more than {self.server.cold_users} cold logons: serve more cold users")
        return cold_user(index)

    async def once(self, key: str, setup: Callable[[], Awaitable[None]]) -> None:
        """Run ``setup`` the first time ``key`` is asked for (shared tables)."""
        if key not in self._done:
            await setup()
            self._done.add(key)


Run = Callable[[Any, Env], Awaitable[list[Sample]]]
