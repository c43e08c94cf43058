"""Runs scenarios interleaved over rounds against one bench server, and notes the machine."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import oracledb

import oracle_asyncio

from .measure import OURS, THEIRS, Env
from .scenarios import SCENARIOS
from .server import serving
from .stats import Record, Results

CLIENTS: dict[str, Any] = {THEIRS: oracledb, OURS: oracle_asyncio}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def compiled_build() -> bool:
    """True when any of our imported modules is an extension (the mypyc build)."""
    return any(name.split(".")[0] in ("oracle_sansio", "oracle_asyncio")
               and str(getattr(module, "__file__", "") or "").endswith((".so", ".pyd"))
               for name, module in list(sys.modules.items()))


def machine_facts() -> dict[str, object]:
    """What a reader needs to compare two runs."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "oracledb": oracledb.__version__,
        "commit": _commit(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def plan_rounds(name: str, quick: bool, rounds: int | None) -> int:
    """Rounds of one scenario: 1 under ``--quick``, else ``--rounds`` or the scenario's own."""
    if quick:
        return 1
    return rounds if rounds is not None else SCENARIOS[name].rounds


async def run(names: list[str], *, quick: bool, rounds: int | None = None, progress: TextIO | None = None) -> Results:
    """Run ``names`` in order; each round runs every client once, the order alternating."""
    results = Results(machine_facts())
    began = time.monotonic()
    # Cold connects take a fresh user each: two per client per round, with room to spare.
    most_rounds = max((plan_rounds(name, quick, rounds) for name in names), default=1)
    with serving(cold_users=4 * most_rounds + 4) as server:
        env = Env(server=server, quick=quick)
        for name in names:
            scenario = SCENARIOS[name]
            total = plan_rounds(name, quick, rounds)
            if scenario.warmup and not quick:
                for client in scenario.clients:
                    _say(progress, began, f"{name}: warm-up, {client}")
                    await scenario.run(CLIENTS[client], env)
            for round_ in range(total):
                order = scenario.clients if round_ % 2 == 0 else tuple(reversed(scenario.clients))
                for client in order:
                    _say(progress, began, f"{name}: round {round_ + 1}/{total}, {client}")
                    for sample in await scenario.run(CLIENTS[client], env):
                        results.records.append(Record(name, round_, client, sample))
    results.machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results.machine["seconds"] = round(time.monotonic() - began, 1)
    results.machine["compiled"] = compiled_build()
    _say(progress, began, "done", end=True)
    return results


def _say(stream: TextIO | None, began: float, text: str, end: bool = False) -> None:
    """One progress line: rewritten in place on a terminal, one per step otherwise."""
    if stream is None:
        return
    line = f"[bench {time.monotonic() - began:6.1f} s] {text}"
    if stream.isatty():
        stream.write(f"\r\x1b[K{line}" + ("\n" if end else ""))
    else:
        stream.write(line + "\n")
    stream.flush()
