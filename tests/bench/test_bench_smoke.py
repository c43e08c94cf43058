"""`python -m bench --quick`: every scenario runs for both clients (no timing asserted)."""

from __future__ import annotations

import asyncio
import importlib.machinery
import importlib.util
import json
import os
import sys
import types
from pathlib import Path
from unittest import mock

import pytest

from bench.__main__ import main
from bench.measure import OURS, THEIRS, Sample
from bench.scenarios import SCENARIOS
from bench.server import process_cpu_seconds
from bench.stats import Record, Results, Summary, checks, summarize

pytestmark = pytest.mark.interop


def test_quick_run_measures_every_scenario_for_both_clients(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The CI smoke test: ``python -m bench --quick --json FILE`` (one round, small sizes)."""
    out = tmp_path / "bench.json"
    assert main(["--quick", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    seen: dict[str, set[str]] = {}
    for rec in data["samples"]:
        seen.setdefault(rec["scenario"], set()).add(rec["client"])
        sample = rec["sample"]
        assert sample["ops"] > 0
        if sample["bytes"] is None:
            assert sample["wall"] > 0 and sample["cpu"] >= 0 and sample["server_cpu"] >= 0
        else:
            assert sample["bytes"] > 0
    assert seen == {name: set(s.clients) for name, s in SCENARIOS.items()}
    assert all(set(s.clients) == {THEIRS, OURS} for name, s in SCENARIOS.items() if name != "pool-scale")
    assert SCENARIOS["pool-scale"].clients == (OURS,)
    # Every metric with both clients has a ratio; the machine facts are there.
    for summary in data["summaries"]:
        assert (summary["ratio_cpu"] is not None) == (len(summary["clients"]) == 2), summary["metric"]
    assert {"cpus", "cpu_model", "python", "oracledb", "commit", "load_average_start"} <= data["machine"].keys()
    names = {c["name"].split(" (")[0] for c in data["checks"]}
    assert {"pool-scale max 2 -> 8", "pool-scale waiters 10 -> 40"} <= names
    printed = capsys.readouterr()
    assert "| select-1 |" in printed.out and "round 1/1" in printed.err
    # --report FILE prints the same tables again from the saved numbers.
    assert main(["--report", str(out)]) == 0
    assert capsys.readouterr().out.strip() == printed.out.strip()
    # --compare BEFORE adds before -> now per metric: against itself, every speed-up is 1.00.
    assert main(["--report", str(out), "--compare", str(out)]) == 0
    compared = capsys.readouterr().out.split("Against ")[1].splitlines()
    rows = [line for line in compared if line.startswith("| ") and not line.startswith("| metric")]
    assert len(rows) == len(data["summaries"]) and all(line.endswith("| 1.00 |") for line in rows)


def test_unknown_scenario_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-scenario"])
    assert exc.value.code == 2 and "unknown scenario" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is not None, reason="matplotlib is installed")
def test_plot_without_matplotlib_fails_before_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--plot without the bench extra stops at once (no server started), naming the fix."""
    with pytest.raises(SystemExit) as exc:
        main(["select-1", "--quick", "--plot", str(tmp_path)])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "matplotlib" in err and ".[bench]" in err and "[bench " not in err


def test_large_values_slice_runs() -> None:
    """bench.large_values at 1 MB and 500 rows: every column is measured (no timing asserted)."""
    from bench.large_values import main_async as large_values

    rows, many = asyncio.run(asyncio.wait_for(large_values((1,), (500,)), 120))
    assert len(rows) == 1 and all(figure > 0 for figure in rows[0][1:])
    assert len(many) == 1 and all(figure > 0 for figure in many[0][1:])


def test_server_cpu_is_read_from_proc() -> None:
    busy = sum(i * i for i in range(200_000))
    assert busy and process_cpu_seconds(os.getpid()) > 0
    assert process_cpu_seconds(2**22 + 1) == 0.0  # no such process


def test_ratios_per_round_and_memory_direction() -> None:
    """Ratios pair each round's two runs: theirs / ours for costs, ours / theirs for memory."""
    def rec(scenario: str, rnd: int, client: str, metric: str, cpu: float, nbytes: float | None = None) -> Record:
        return Record(scenario, rnd, client, Sample(metric, 10, cpu * 2, cpu, 0.0, nbytes))

    results = Results({}, [
        rec("select-1", 0, THEIRS, "select-1", 1.0), rec("select-1", 0, OURS, "select-1", 2.0),
        rec("select-1", 1, OURS, "select-1", 1.0), rec("select-1", 1, THEIRS, "select-1", 1.0),
        rec("memory", 0, THEIRS, "memory", 0.0, 80_000), rec("memory", 0, OURS, "memory", 0.0, 20_000),
        rec("pool-scale", 0, OURS, "pool-scale max=10", 1.0), rec("pool-scale", 0, OURS, "pool-scale max=1000", 1.5),
    ])
    by_name = {s.metric: s for s in summarize(results, compiled=False)}
    select = by_name["select-1"]
    assert select.ratio_cpu is not None and (select.ratio_cpu.min, select.ratio_cpu.max) == (0.5, 1.0)
    assert select.goal == ">= 1.2" and select.met is False
    memory = by_name["memory"]
    assert memory.ratio_cpu is not None and memory.ratio_cpu.median == 0.25 and memory.met is True
    assert by_name["pool-scale max=10"].ratio_cpu is None
    (scale,) = [c for c in checks(list(by_name.values())) if c.name.startswith("pool-scale max")]
    assert scale.value == pytest.approx(1.5) and scale.met is False


def test_profile_prints_our_hot_functions(capsys: pytest.CaptureFixture[str]) -> None:
    """--profile runs the scenario with our client under cProfile and prints the top functions."""
    assert main(["select-1", "--quick", "--profile"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("select-1: own time share") and "oracle_asyncio/" in out


def _plot_summaries() -> list[Summary]:
    def rec(scenario: str, client: str, metric: str, cpu: float) -> Record:
        return Record(scenario, 0, client, Sample(metric, 1, cpu, cpu, 0.0))

    records = [rec("select-1", c, "select-1", 1.0) for c in (THEIRS, OURS)]
    records += [rec("pool-scale", OURS, f"pool-scale {s}", 1.0) for s in ("max=10", "max=100", "waiters=10")]
    records += [rec("large-lob", c, f"large-lob bind CLOB {size}", 1.0) for c in (THEIRS, OURS) for size in ("1MB", "16MB")]
    return summarize(Results({}, records), compiled=False)


CHARTS = {"ratios.png", "pool-scale-max.png", "pool-scale-waiters.png", "large-lob-per-mb.png"}


def test_plots_are_written(tmp_path: Path) -> None:
    """With the bench extra installed, --plot writes the three kinds of chart."""
    pytest.importorskip("matplotlib")
    from bench.plot import write_plots

    paths = write_plots(tmp_path, _plot_summaries())
    assert {p.name for p in paths} == CHARTS and all(p.stat().st_size > 0 for p in paths)


def test_plot_code_runs_against_a_stand_in_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where matplotlib is missing, a recording stand-in still runs every line of write_plots."""
    from bench.plot import write_plots

    saved: list[Path] = []
    fig, ax = mock.MagicMock(), mock.MagicMock()
    fig.savefig.side_effect = lambda path, **_: saved.append(Path(path))
    pyplot = types.ModuleType("matplotlib.pyplot")
    pyplot.subplots = mock.MagicMock(return_value=(fig, ax))  # type: ignore[attr-defined]
    pyplot.close = mock.MagicMock()  # type: ignore[attr-defined]
    package = types.ModuleType("matplotlib")
    package.__spec__ = importlib.machinery.ModuleSpec("matplotlib", None)
    package.use = mock.MagicMock()  # type: ignore[attr-defined]
    package.pyplot = pyplot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "matplotlib", package)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    paths = write_plots(tmp_path, _plot_summaries())
    assert {p.name for p in paths} == CHARTS and saved == paths
    package.use.assert_called_once_with("Agg")
    ((names, medians), bar_options) = ax.barh.call_args_list[0]
    assert names == ["select-1", "large-lob bind CLOB 1MB", "large-lob bind CLOB 16MB"]
    assert medians == [1.0] * 3 and bar_options["xerr"] == [[0.0] * 3, [0.0] * 3]
