"""PNG charts of a run (``--plot DIR``): ratio per metric, pool-scale curves, LOB cost per MB.

matplotlib comes with the ``bench`` extra (``pip install '.[bench]'``) and is imported
only here, only when ``--plot`` is given: nothing else in the project needs it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from .measure import OURS, THEIRS
from .stats import Summary


class PlotUnavailable(RuntimeError):
    """``--plot`` was asked for but matplotlib is not installed."""


def require_matplotlib() -> None:
    """Raise :class:`PlotUnavailable`, naming the fix, when matplotlib cannot be imported."""
    if importlib.util.find_spec("matplotlib") is None:
        raise PlotUnavailable("--plot needs matplotlib, which is not installed: "
                              "install the bench extra (pip install '.[bench]') or leave out --plot")


def write_plots(directory: Path, summaries: list[Summary]) -> list[Path]:
    """Write the charts that this run has data for; return their paths."""
    require_matplotlib()
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = []

    ratios = [s for s in summaries if s.ratio_cpu is not None]
    if ratios:
        fig, ax = plt.subplots(figsize=(10, 0.4 * len(ratios) + 1.5))
        names = [s.metric for s in ratios]
        medians = [s.ratio_cpu.median for s in ratios if s.ratio_cpu]
        low = [s.ratio_cpu.median - s.ratio_cpu.min for s in ratios if s.ratio_cpu]
        high = [s.ratio_cpu.max - s.ratio_cpu.median for s in ratios if s.ratio_cpu]
        ax.barh(names, medians, xerr=[low, high], color="tab:blue")
        for i, s in enumerate(ratios):
            if s.goal:
                ax.plot([float(s.goal.split()[1])] * 2, [i - 0.4, i + 0.4], color="tab:red")
        ax.axvline(1.0, color="grey", linewidth=0.8)
        ax.invert_yaxis()
        ax.set_xlabel("ratio per client CPU second (ours / python-oracledb; memory: our bytes / theirs); red: goal")
        written.append(_save(fig, directory / "ratios.png"))

    for series, label in (("max", "pool max (one task)"), ("waiters", "waiting tasks (pool of 10)")):
        points = sorted((int(s.metric.split("=")[1]), s.clients[OURS].cpu.median * 1e6) for s in summaries
                        if s.metric.startswith(f"pool-scale {series}=") and OURS in s.clients)
        if points:
            fig, ax = plt.subplots(figsize=(6, 4))
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o")
            ax.set_xscale("log")
            ax.set_ylim(bottom=0)
            ax.set_xlabel(label)
            ax.set_ylabel("client CPU per acquire + release (us)")
            written.append(_save(fig, directory / f"pool-scale-{series}.png"))

    lobs = [s for s in summaries if s.metric.startswith("large-lob ")]
    if lobs:
        fig, ax = plt.subplots(figsize=(8, 5))
        for op in ("bind", "fetch"):
            for kind in ("CLOB", "BLOB"):
                for client, style in ((OURS, "-"), (THEIRS, "--")):
                    mine = [s for s in lobs if s.metric.startswith(f"large-lob {op} {kind} ") and client in s.clients]
                    if mine:
                        ax.plot([s.metric.split()[-1] for s in mine],
                                [s.clients[client].cpu.median * 1e3 for s in mine],
                                style, marker="o", label=f"{op} {kind} {client}")
        ax.set_ylim(bottom=0)
        ax.set_xlabel("value size")
        ax.set_ylabel("client CPU per MB (ms)")
        ax.legend(fontsize="small")
        written.append(_save(fig, directory / "large-lob-per-mb.png"))
    return written


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path
