"""Fixtures shared by the embedded server's tests: a server per test module (on
its own thread, for python-oracledb's sync API) and a fresh SQL database per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.sql import Database, Session


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    """An embedded server (user scott/tiger) for the whole module."""
    with EmbeddedServer().threaded() as running:
        yield running


@pytest.fixture
def db() -> Iterator[Database]:
    """A fresh database of the SQL engine, closed afterwards."""
    database = Database()
    yield database
    database.close()


@pytest.fixture
def scott(db: Database) -> Iterator[Session]:
    """A session of user scott on the test's fresh database, closed afterwards."""
    session = db.session(user="scott", sid=7, serial=1)
    yield session
    session.close()


@pytest.fixture
def cur(server: EmbeddedServer) -> Iterator[Any]:
    """A python-oracledb (thin) cursor of user scott on the module's server, closed afterwards."""
    connection = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()
