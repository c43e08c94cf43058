"""A minimal asyncio server around ServerConnection, on its own thread, for
interop tests (the product-grade embedded server is oracle_asyncio.testing)."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from oracle_sansio.connection.events import (
    NEED_DATA,
    BreakReceived,
    ClientClosed,
    CommitRequested,
    ConnectRequested,
    ExecuteRequested,
    FetchRequested,
    LogoffRequested,
    LogonRequested,
    PingRequested,
    RollbackRequested,
    ServerEvent,
)
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.crypto import Verifier
from tests.sansio.pair import verifier_for

Handler = Callable[[ServerConnection, ServerEvent], None]


@dataclass
class DoubleServer:
    """Runs on 127.0.0.1, port 0, in a background thread with its own loop."""

    users: dict[str, Verifier] = field(default_factory=lambda: {"SCOTT": verifier_for("tiger")})
    service_name: str = "FREEPDB1"
    config: ServerConfig = field(default_factory=ServerConfig)
    on_call: Handler | None = None
    #: Sees every server event (for assertions).
    on_event: Callable[[ServerEvent], object] | None = None
    port: int = 0
    sessions: int = 0
    #: Answer the first CONNECT of each socket with RESEND.
    resend_first: bool = False
    #: Send every client to this address instead (REDIRECT).
    redirect_to: str | None = None

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.AbstractServer | None = None

    @property
    def dsn(self) -> str:
        return f"127.0.0.1:{self.port}/{self.service_name}"

    def __enter__(self) -> DoubleServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("double server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = ServerConnection(self.config, entropy=os.urandom)
        self._resent = False
        try:
            while True:
                data = await asyncio.wait_for(reader.read(65536), 30)
                conn.receive_data(data)
                while (ev := conn.next_event()) is not NEED_DATA:
                    self._handle(conn, ev)
                out = conn.data_to_send()
                if out:
                    writer.write(out)
                    await writer.drain()
                if not data or isinstance(ev, ClientClosed):
                    break
        except (ConnectionError, asyncio.TimeoutError):
            pass
        finally:
            writer.close()

    def _handle(self, conn: ServerConnection, ev: ServerEvent) -> None:
        if self.on_event is not None:
            self.on_event(ev)
        if isinstance(ev, ConnectRequested):
            if self.resend_first and not self._resent:
                self._resent = True
                conn.resend()
            elif self.redirect_to is not None:
                conn.redirect(self.redirect_to)
            elif (ev.service_name or "").upper() == self.service_name.upper():
                conn.accept()
            else:
                conn.refuse(12514)
        elif isinstance(ev, LogonRequested):
            verifier = self.users.get(ev.user.upper())
            if verifier is None:
                conn.reject_user()
            else:
                self.sessions += 1
                conn.accept_user(verifier, session_id=100 + self.sessions, serial_number=self.sessions)
        elif isinstance(ev, (PingRequested, CommitRequested, RollbackRequested, LogoffRequested)):
            conn.complete_call()
        elif isinstance(ev, (ExecuteRequested, FetchRequested, BreakReceived)) and self.on_call is not None:
            self.on_call(conn, ev)
        elif isinstance(ev, (ExecuteRequested, FetchRequested)):
            conn.send_error(900, "ORA-00900: invalid SQL statement")
