"""The README's first command: ``python -m oracle_asyncio demo``."""

from __future__ import annotations

import asyncio

import pytest

from oracle_asyncio.__main__ import main


def test_demo_runs_against_the_embedded_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--sessions", "3", "--tasks", "60"]) == 0
    out = capsys.readouterr().out
    assert "embedded server listening at 127.0.0.1:" in out
    assert "60/60 queries, 1330 rows" in out
    assert "pool statistics:" in out


def test_demo_against_a_dsn(capsys: pytest.CaptureFixture[str]) -> None:
    """``--dsn`` points the demo at a database (here an embedded server started by the test)."""
    from oracle_asyncio.testing import EmbeddedServer

    with EmbeddedServer(users={"app": "secret"}).threaded() as server:
        assert main(["demo", "--dsn", server.dsn, "--user", "app", "--password", "secret", "--sessions", "2",
                     "--tasks", "20"]) == 0
    out = capsys.readouterr().out
    assert "embedded server" not in out and "20/20 queries" in out and "pool statistics:" in out


def test_decode_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode"]) == 0
    out = capsys.readouterr().out
    assert "ACCEPT  version 319" in out
    assert "O5LOGON 12c" in out and "client verified the server: True" in out


def test_pool_app_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from examples.pool_app import main as pool_app

    asyncio.run(asyncio.wait_for(pool_app([]), 60))
    out = capsys.readouterr().out
    assert "200 requests, 200 orders" in out and "busy 0" in out
