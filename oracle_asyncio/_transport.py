"""An asyncio Protocol around one ``ClientConnection``: bytes from the socket
feed the machine; a call is one future completed from ``data_received`` when
the machine reports the event that ends it (DESIGN.md 3.5)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import (
    NEED_DATA,
    CallCompleted,
    ClientEvent,
    ConnectionClosed,
    LobOpCompleted,
    LoggedOn,
    Redirected,
    Refused,
    ServerErrorReceived,
)
from oracle_sansio.errors import ProtocolError
from oracle_sansio.exceptions import Error, dpy_error

__all__ = ["Transport"]

_ENDS = (CallCompleted, ServerErrorReceived, LobOpCompleted, ConnectionClosed, LoggedOn, Refused, Redirected)


class Transport(asyncio.Protocol):
    """Runs one call at a time; ``call`` returns that call's events."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[list[ClientEvent]] | None = None
        self._events: list[ClientEvent] = []
        self.dead: Error | None = None

    # --------------------------------------------------------- asyncio side

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.conn.receive_data(data)
        except ProtocolError as exc:
            self._die(dpy_error(4011, str(exc)))
            return
        self._drain()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.dead is None:
            self._die(dpy_error(4011))

    # ------------------------------------------------------------ internals

    def _die(self, error: Error) -> None:
        self.dead = error
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)
        if self.transport is not None:
            self.transport.close()

    def _flush(self) -> None:
        out = self.conn.data_to_send()
        if out and self.transport is not None and not self.transport.is_closing():
            self.transport.write(out)

    def _drain(self) -> None:
        while True:
            try:
                event = self.conn.next_event()
            except ProtocolError as exc:
                self._die(dpy_error(4011, f"protocol error: {exc}"))
                return
            if event is NEED_DATA:
                break
            self._events.append(event)
            if isinstance(event, ConnectionClosed) and event.error_number is not None:
                self._flush()
                self._die(dpy_error(4011))
                return
            if isinstance(event, _ENDS):
                events, self._events = self._events, []
                waiter = self._waiter
                if waiter is not None and not waiter.done():
                    waiter.set_result(events)
        self._flush()

    async def call(self, start: Callable[[], None], *, timeout: float | None = None) -> list[ClientEvent]:
        """Run ``start`` (a machine command) and wait for the events that end it.

        ``timeout`` (seconds): on expiry the call is interrupted with a break
        and DPY-4024 raised once the server has answered the reset.
        """
        if self.dead is not None:
            raise self.dead
        loop = asyncio.get_running_loop()
        self._waiter = waiter = loop.create_future()
        start()
        self._flush()
        if timeout is None:
            return list(await waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except asyncio.TimeoutError:
            self.conn.send_break()
            self._flush()
            try:
                await asyncio.wait_for(waiter, max(timeout, 2.0))
            except asyncio.TimeoutError:
                self._die(dpy_error(4011))
            raise dpy_error(4024, timeout=int(timeout * 1000)) from None
