"""Pytest fixtures: ``embedded_server`` (session scope, background thread, usable
from sync and async tests) and ``embedded_dsn``.

Enable with ``pytest_plugins = ["oracle_asyncio.testing.pytest_plugin"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import EmbeddedServer


@pytest.fixture(scope="session")
def embedded_server() -> Iterator[EmbeddedServer]:
    """A running EmbeddedServer (user scott/tiger, service FREEPDB1) on 127.0.0.1."""
    server = EmbeddedServer()
    with server.threaded() as running:
        yield running


@pytest.fixture(scope="session")
def embedded_dsn(embedded_server: EmbeddedServer) -> str:
    """The DSN of ``embedded_server``."""
    return embedded_server.dsn
