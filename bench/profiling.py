"""``python -m bench --profile [SCENARIO ...]``: where our client's time goes, per scenario.

Runs each scenario once with oracle_asyncio untimed (warm-up), then once with
its timed sections (not the set-up) under cProfile timed by the process's CPU clock (so waiting for the server does not
count), and prints the client's CPU by area (our two packages, asyncio, the
rest) and the functions with the most own time, as shares of the total.  cProfile adds a cost per call, so small hot functions look
bigger than they are: read shares, not times.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from typing import Any

import oracle_asyncio

from .measure import Env
from .scenarios import SCENARIOS
from .server import serving


#: The benchmark's own gc.collect() before each timed section is not the client's work.
_SKIPPED = "<built-in method gc.collect>"
_AREAS = ("oracle_sansio/", "oracle_asyncio/", "/asyncio/", "bench/")


def _area(filename: str) -> str:
    for marker in _AREAS:
        if marker in filename:
            return marker.strip("/")
    return "other (builtins, stdlib)" if filename.startswith(("~", "<")) or "/lib/python" in filename else "other"


def _top(profiler: cProfile.Profile, top: int) -> list[str]:
    profiler.create_stats()
    if not profiler.stats:
        return ["  (no timed section: nothing to profile)"]
    stats = pstats.Stats(profiler, stream=io.StringIO())
    table: dict[Any, Any] = {key: row for key, row in stats.stats.items()  # type: ignore[attr-defined]
                             if key[2] != _SKIPPED}
    total = sum(row[2] for row in table.values())
    if not total:
        return ["  (no timed section: nothing to profile)"]
    areas: dict[str, float] = {}
    for (filename, _, _), row in table.items():
        areas[_area(filename)] = areas.get(_area(filename), 0.0) + row[2]
    lines = ["  by area: " + ", ".join(f"{name} {own / total:.0%}" for name, own in
                                       sorted(areas.items(), key=lambda item: -item[1]))]
    rows = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, func), (_, calls, own, cumulative, _) in rows:
        where = filename.split("site-packages/")[-1]
        for marker in _AREAS:
            if marker in where:
                where = marker.strip("/") + "/" + where.split(marker, 1)[1]
        lines.append(f"  {own / total:6.1%} own {cumulative / total:6.1%} cum {calls:>9} calls  {func} ({where}:{line})")
    return lines


async def profile(names: list[str], *, quick: bool, top: int = 15) -> str:
    """The top of a cProfile run of each scenario with our client, as text."""
    out = []
    with serving(cold_users=8) as server:
        env = Env(server=server, quick=quick)
        for name in names:
            scenario = SCENARIOS[name]
            await scenario.run(oracle_asyncio, env)
            env.profiler = cProfile.Profile(time.process_time)  # CPU: waits for the server are not ours
            try:
                await scenario.run(oracle_asyncio, env)
            finally:
                profiler, env.profiler = env.profiler, None
            out.append(f"{name}: own time share (cum: with callees), top {top}")
            out += _top(profiler, top)
            out.append("")
    return "\n".join(out)
