"""Listener: a TNS listener for tests that only answers CONNECTs.

A real listener hands a client on to the database with a REDIRECT, or refuses it
(ORA-12514 unknown service, ORA-12505 unknown SID, ORA-12516 no handler free).
``Listener`` does the same on loopback, so tests can build redirect chains,
refusals and failover address lists in front of an :class:`EmbeddedServer`:

    async with EmbeddedServer() as server, Listener(redirect_to=server) as listener:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=listener.dsn)

``redirect_to`` is an ``EmbeddedServer`` (a TCPS one is named as ``PROTOCOL=tcps``
with host ``localhost``, which its certificate names), another ``Listener`` or an
``(ADDRESS=...)`` string; ``refuse_with`` is the ORA code of a refusal.  With
neither, the listener hangs up as soon as a client arrives.  ``tls`` makes the
listener itself speak TCPS.  Each CONNECT it received is kept in ``connects``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from dataclasses import dataclass, field

from oracle_sansio.connection.events import NEED_DATA, ConnectRequested
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.errors import ProtocolError

from ._tls import TlsConfig, TlsLink, tls_acceptor
from .server import EmbeddedServer

__all__ = ["Listener", "address_of"]

#: The refusals a listener gives (python-oracledb: DPY-6001, DPY-6003, DPY-6000).
REFUSALS = frozenset({12514, 12505, 12516, 12519, 12520, 12521, 12526, 12527, 12528})


def address_of(target: EmbeddedServer | Listener) -> str:
    """The ``(ADDRESS=...)`` a client reaches ``target`` at (TCPS by the name ``localhost``)."""
    if target.tls is not None:
        host = "localhost" if target.host == "127.0.0.1" else target.host
        return f"(ADDRESS=(PROTOCOL=tcps)(HOST={host})(PORT={target.port}))"
    return f"(ADDRESS=(PROTOCOL=tcp)(HOST={target.host})(PORT={target.port}))"


@dataclass
class Listener:
    """A listener on ``host:port`` (port 0 picks a free one) that redirects or refuses
    every CONNECT (see the module docstring)."""

    redirect_to: EmbeddedServer | Listener | str | None = None
    refuse_with: int | None = None
    #: The service (or SID) clients are told to ask for; ``dsn`` names it.
    service_name: str = "FREEPDB1"
    host: str = "127.0.0.1"
    port: int = 0
    #: Serve TCPS itself (as ``EmbeddedServer.tls``).
    tls: ssl.SSLContext | TlsConfig | None = None
    #: The CONNECTs received, oldest first.
    connects: list[ConnectRequested] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.redirect_to is not None and self.refuse_with is not None:
            raise ValueError("a Listener either redirects or refuses, not both")
        if self.refuse_with is not None and self.refuse_with not in REFUSALS:
            raise ValueError(f"refuse_with={self.refuse_with} is not a listener error (e.g. 12514, 12505, 12516)")
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def address(self) -> str:
        """This listener's ``(ADDRESS=...)``."""
        return address_of(self)

    @property
    def dsn(self) -> str:
        """Easy Connect string for clients (``tcps://localhost:...`` with ``tls``)."""
        if self.tls is not None:
            host = "localhost" if self.host == "127.0.0.1" else self.host
            return f"tcps://{host}:{self.port}/{self.service_name}"
        return f"{self.host}:{self.port}/{self.service_name}"

    async def start(self) -> None:
        """Start listening."""
        accept = self._serve if self.tls is None else tls_acceptor(self.tls, self._serve)
        self._server = await asyncio.start_server(accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close every socket still open."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None

    async def __aenter__(self) -> Listener:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _answer(self, conn: ServerConnection, event: ConnectRequested) -> None:
        self.connects.append(event)
        target = self.redirect_to
        if self.refuse_with is not None:
            conn.refuse(self.refuse_with)
        elif target is not None:
            conn.redirect(target if isinstance(target, str) else address_of(target))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     tls: TlsLink | None = None) -> None:
        self._writers.add(writer)
        try:
            if tls is not None:
                if not await tls.handshake():
                    return
                writer = tls.writer
            conn = ServerConnection(entropy=os.urandom)
            answered = False
            while not answered and (self.redirect_to is not None or self.refuse_with is not None):
                data = await reader.read(65536)
                if not data:
                    break
                conn.receive_data(data)
                while (event := conn.next_event()) is not NEED_DATA:
                    if isinstance(event, ConnectRequested):
                        self._answer(conn, event)
                        answered = True
                        break
                writer.write(conn.data_to_send())
                await writer.drain()
        except (ConnectionError, ssl.SSLError, ProtocolError):
            pass  # a client gone or talking nonsense: the listener just hangs up
        finally:
            self._writers.discard(writer)
            writer.close()
