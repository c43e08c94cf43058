"""A bounded slice of bench/run.py: both libraries run every workload (no timing asserted)."""

from __future__ import annotations

import asyncio

import pytest

from bench.run import main_async

pytestmark = pytest.mark.interop


def test_bench_slice_runs() -> None:
    results = asyncio.run(asyncio.wait_for(main_async(0.02, "in-process"), 120))
    assert len(results) == 4 and all(theirs > 0 and ours > 0 for _, theirs, ours, _, _ in results)


def test_bench_with_a_server_process() -> None:
    """The default mode: the embedded server runs as ``python -m oracle_asyncio.testing``."""
    results = asyncio.run(asyncio.wait_for(main_async(0.01, "process"), 120))
    assert len(results) == 4 and all(cpu > 0 for *_, cpu in results)


def test_large_values_slice_runs() -> None:
    """bench.large_values at 1 MB and 500 rows: every column is measured (no timing asserted)."""
    from bench.large_values import main_async as large_values

    rows, many = asyncio.run(asyncio.wait_for(large_values((1,), (500,)), 120))
    assert len(rows) == 1 and all(figure > 0 for figure in rows[0][1:])
    assert len(many) == 1 and all(figure > 0 for figure in many[0][1:])
