"""An embedded Oracle-speaking server for tests: ``EmbeddedServer``.

    async with EmbeddedServer(users={"scott": "tiger"}) as server:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)

From sync code: ``with EmbeddedServer().threaded() as server: ...``.
Pytest: the installed package's ``pytest11`` entry point gives the
``embedded_server``, ``embedded_dsn`` and ``embedded_fresh_server`` fixtures.
TCPS: ``EmbeddedServer(tls=TlsConfig(cert=...))`` or ``tls=ssl_context``.
A listener in front of it (REDIRECT, or a refusal with ORA-12514/12505/12516):
``Listener(redirect_to=server)``, ``Listener(refuse_with=12516)``.
CLI: ``python -m oracle_asyncio.testing``.
"""

from __future__ import annotations

from ._listener import Listener, address_of
from ._tls import TlsConfig
from .server import EmbeddedServer, SessionRecord

__all__ = ["EmbeddedServer", "Listener", "SessionRecord", "TlsConfig", "address_of"]
