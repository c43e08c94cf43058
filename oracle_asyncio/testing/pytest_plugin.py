"""Pytest fixtures for the embedded server.

Installed with the package: the ``pytest11`` entry point ``oracle_asyncio``
loads this module, so the fixtures need no conftest (without an installed
package: ``pytest -p oracle_asyncio.testing.pytest_plugin``).

- ``embedded_server`` (session scope): a running :class:`EmbeddedServer`
  (user scott/tiger, service FREEPDB1, 127.0.0.1, a free port) on a
  background thread, shared by every test of the run.
- ``embedded_dsn`` (session scope): its DSN (``host:port/service``).
- ``embedded_fresh_server`` (function scope): the same server, after every
  session left from earlier tests was closed and the database replaced by an
  empty one, so nothing leaks between tests (about a millisecond per test).

The server's control methods (``kill_session``, ``drop_all``,
``reset_database``, ``sessions``) are safe from the test's thread, sync or
async: they run on the server's thread and wait for it.
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


@pytest.fixture
def embedded_fresh_server(embedded_server: EmbeddedServer) -> EmbeddedServer:
    """``embedded_server`` with an empty database and no session left from earlier tests."""
    embedded_server.reset_database()
    return embedded_server
