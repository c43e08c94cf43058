"""An embedded Oracle-speaking server for tests: ``EmbeddedServer``.

    async with EmbeddedServer(users={"scott": "tiger"}) as server:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)

From sync code: ``with EmbeddedServer().threaded() as server: ...``.
Pytest: the installed package's ``pytest11`` entry point gives the
``embedded_server``, ``embedded_dsn`` and ``embedded_fresh_server`` fixtures.
TCPS: ``EmbeddedServer(tls=TlsConfig(cert=...))`` or ``tls=ssl_context``.
CLI: ``python -m oracle_asyncio.testing``.
"""

from __future__ import annotations

from ._tls import TlsConfig
from .server import EmbeddedServer, SessionRecord

__all__ = ["EmbeddedServer", "SessionRecord", "TlsConfig"]
