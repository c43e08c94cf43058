"""bench.builds runs every workload for python-oracledb and a build (no timing asserted)."""

from __future__ import annotations

import sys

import pytest

from bench.builds import WORKLOADS, main


def test_builds_bench_runs_every_workload_for_both_clients(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--python", f"this={sys.executable}", "--rounds", "1", "--scale", "0.01"]) == 0
    out = capsys.readouterr().out
    for workload in WORKLOADS:
        assert f"{workload}: client CPU" in out
    assert out.count("python-oracledb/this") == 2 * len(WORKLOADS)
