"""The README's first command: ``python -m oracle_asyncio demo``."""

from __future__ import annotations

import asyncio

import pytest

from oracle_asyncio.__main__ import main


def test_demo_runs_against_the_embedded_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--sessions", "3", "--tasks", "60"]) == 0
    out = capsys.readouterr().out
    assert "O5LOGON 12c" in out and "client verified the server: True" in out
    assert "60/60 queries, 1330 rows" in out


def test_decode_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode"]) == 0
    assert "ACCEPT  version 319" in capsys.readouterr().out


def test_pool_app_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from examples.pool_app import main as pool_app

    asyncio.run(asyncio.wait_for(pool_app([]), 60))
    out = capsys.readouterr().out
    assert "200 requests, 200 orders" in out and "busy 0" in out
