"""Pytest fixtures for the embedded server.

Installed with the package: the ``pytest11`` entry point ``oracle_asyncio``
loads this module, so the fixtures need no conftest (without an installed
package: ``pytest -p oracle_asyncio.testing.pytest_plugin``).

- ``embedded_server`` (session scope): a running :class:`EmbeddedServer`
  (user scott/tiger, service FREEPDB1, 127.0.0.1, a free port) on a
  background thread, shared by every test of the run.
- ``embedded_dsn`` (session scope): its DSN (``host:port/service``).
- ``embedded_tls_server`` (function scope): an :class:`EmbeddedServer` serving
  TCPS with a certificate for ``localhost`` from a throw-away CA
  (``embedded_tls_ca``; needs the ``trustme`` package); its ``dsn`` is
  ``tcps://localhost:PORT/FREEPDB1``.  ``embedded_tls_client_context`` is an
  ``ssl.SSLContext`` trusting that CA, to pass as ``ssl_context``.
- ``embedded_fresh_server`` (function scope): the same server, after every
  session left from earlier tests was closed and the database replaced by an
  empty one, so nothing leaks between tests (about a millisecond per test).

The server's control methods (``kill_session``, ``drop_all``,
``reset_database``, ``sessions``) are safe from the test's thread, sync or
async: they run on the server's thread and wait for it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._tls import TlsConfig
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


@pytest.fixture
def embedded_tls_ca() -> object:
    """A throw-away certificate authority (``trustme.CA``) for ``embedded_tls_server``."""
    return pytest.importorskip("trustme").CA()


@pytest.fixture
def embedded_tls_client_context(embedded_tls_ca: Any) -> ssl.SSLContext:
    """A client ``ssl.SSLContext`` trusting ``embedded_tls_ca``: pass it as ``ssl_context``."""
    context = ssl.create_default_context()
    embedded_tls_ca.configure_trust(context)
    return context


@pytest.fixture
def embedded_tls_server(embedded_tls_ca: Any, tmp_path: Path) -> Iterator[EmbeddedServer]:
    """An EmbeddedServer serving TCPS with a certificate for ``localhost`` from
    ``embedded_tls_ca``, on a background thread; its ``dsn`` is ``tcps://localhost:...``."""
    pem = tmp_path / "server.pem"
    embedded_tls_ca.issue_cert("localhost").private_key_and_cert_chain_pem.write_to_path(str(pem))
    with EmbeddedServer(tls=TlsConfig(cert=str(pem))).threaded() as running:
        yield running
