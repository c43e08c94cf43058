"""An embedded Oracle-speaking server for tests: ``EmbeddedServer``.

    async with EmbeddedServer(users={"scott": "tiger"}) as server:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)

From sync code: ``with EmbeddedServer().threaded() as server: ...``.
Pytest: ``pytest_plugins = ["oracle_asyncio.testing.pytest_plugin"]`` gives the
``embedded_server`` fixture.  CLI: ``python -m oracle_asyncio.testing``.
"""

from __future__ import annotations

from .server import EmbeddedServer, SessionRecord

__all__ = ["EmbeddedServer", "SessionRecord"]
