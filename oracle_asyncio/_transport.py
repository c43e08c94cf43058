"""An asyncio Protocol around one ``ClientConnection``: bytes from the socket
feed the machine; a call is one future completed from ``data_received`` when
the machine reports the event that ends it (docs/architecture.md).

Packet dump: with ``ORACLE_ASYNCIO_DEBUG_PACKETS`` (or python-oracledb's
``PYO_DEBUG_PACKETS``) set to anything but "" or "0" when this module is
imported, every TNS packet sent or received is logged, secrets masked
(:mod:`oracle_sansio.debug`), to the ``oracle_asyncio.packets`` logger at INFO,
and also printed to stderr when no logging handler is configured at all.
:func:`set_packet_debug` switches it at run time.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import os
import sys
import weakref
from collections.abc import Callable

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.states import ClientState
from oracle_sansio.connection.events import (
    NEED_DATA,
    STEP_ENDING_EVENTS,
    ClientEvent,
    ConnectionClosed,
)
from oracle_sansio.debug import PacketTracer
from oracle_sansio.errors import EncodeError, ProtocolError
from oracle_sansio.exceptions import Error, dpy_error

__all__ = ["Transport", "PacketLog", "set_packet_debug", "packet_debug_enabled", "trace_packets"]


#: Writes larger than this go to asyncio in slices of this size, one while it is not paused.
WRITE_SLICE = 256 * 1024

# ----------------------------------------------------------- packet dump

#: Receives one record per packet (INFO), the masked dump as its message.
packet_logger = logging.getLogger("oracle_asyncio.packets")
_ENV_VARS = ("ORACLE_ASYNCIO_DEBUG_PACKETS", "PYO_DEBUG_PACKETS")
_labels = itertools.count(1)


def _env_enabled() -> bool:
    return any(os.environ.get(name, "") not in ("", "0") for name in _ENV_VARS)


_debug_packets = _env_enabled()


def set_packet_debug(enabled: bool | None = None) -> bool:
    """Turn the packet dump on or off (None: read the environment again).

    Returns the previous setting.  Connections already open start dumping
    at their next packet boundary.
    """
    global _debug_packets
    previous = _debug_packets
    _debug_packets = _env_enabled() if enabled is None else bool(enabled)
    return previous


def packet_debug_enabled() -> bool:
    """Whether packets are being dumped."""
    return _debug_packets


class PacketLog:
    """Dumps one connection's packets (``role`` names its side in the label)."""

    __slots__ = ("_tracer", "_broken")

    def __init__(self, role: str) -> None:
        self._tracer = PacketTracer(f"{role} #{next(_labels)}")
        self._broken = False

    def dump(self, direction: str, data: bytes) -> None:
        """Log every packet that ``data`` completes in ``direction``."""
        if self._broken or not data:
            return
        try:
            texts = self._tracer.feed(direction, data)
        except Exception as exc:  # noqa: BLE001 - the dump must never break the connection
            self._broken = True
            packet_logger.error("packet dump stopped on %s: %s", self._tracer.label, type(exc).__name__)
            return
        for text in texts:
            packet_logger.info("%s", text)
            if not packet_logger.hasHandlers():
                print(text, file=sys.stderr, flush=True)


_owners: weakref.WeakKeyDictionary[object, PacketLog] = weakref.WeakKeyDictionary()


def trace_packets(owner: object, direction: str, data: bytes, role: str = "server") -> None:
    """Dump ``data`` for ``owner`` (one object per connection) when dumping is on."""
    if _debug_packets:
        log = _owners.get(owner)
        if log is None:
            log = _owners[owner] = PacketLog(role)
        log.dump(direction, data)


#: A cancelled call's reply may be on its way: wait this long before breaking it.
_CANCEL_GRACE_SECONDS = 0.5
#: How long a broken call's reset may take before the connection is given up.
_CANCEL_DRAIN_SECONDS = 10.0
#: Longest wait for the server's answer to the break of a call that exceeded
#: its call_timeout: min(call_timeout, this).  The call then fails with
#: DPY-4024 and, when the answer did not come, the connection is closed.
BREAK_GRACE_SECONDS = 1.0


def break_grace(timeout: float) -> float:
    """Seconds a timed-out call waits for its break to be answered (README: call_timeout)."""
    return min(timeout, BREAK_GRACE_SECONDS)


def _retrieve(future: asyncio.Future[list[ClientEvent]]) -> None:
    if not future.cancelled():
        future.exception()


def _abandon(future: asyncio.Future[list[ClientEvent]]) -> None:
    """Nobody will await ``future`` again: a failure set on it later must not be
    reported as "Future exception was never retrieved"."""
    if future.done():
        _retrieve(future)
    else:
        future.add_done_callback(_retrieve)


def _bind_error(exc: EncodeError) -> Error:
    """python-oracledb's error for a value that cannot be sent."""
    text = str(exc)
    if "Oracle NUMBER" in text:
        return dpy_error(4003 if "digits" in text or "exponent" in text else 4004)
    return dpy_error(3002, message=text.replace("{", "{{").replace("}", "}}"))


class Transport(asyncio.Protocol):
    """Runs one call at a time; ``call`` returns that call's events."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[list[ClientEvent]] | None = None
        self._events: list[ClientEvent] = []
        self.dead: Error | None = None
        self._packets: PacketLog | None = None
        self._settling: asyncio.Task[None] | None = None  # ends a cancelled caller's call
        #: Calls whose ending event arrived: tells a cancelled caller whether its call still runs.
        self._ended = 0
        self._unsent: collections.deque[memoryview] = collections.deque()  # see _write_unsent
        self._paused = False

    # --------------------------------------------------------- asyncio side

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if _debug_packets:
            self._dump("received", data)
        try:
            self.conn.receive_data(data)
        except ProtocolError as exc:
            self._die(dpy_error(4011, str(exc)))
            return
        self._drain()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._write_unsent()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.dead is None:
            self._die(dpy_error(4011))

    # ------------------------------------------------------------ internals

    def _dump(self, direction: str, data: bytes) -> None:
        if self._packets is None:
            self._packets = PacketLog("client")
        self._packets.dump(direction, data)

    def _die(self, error: Error) -> None:
        self.dead = error
        self._unsent.clear()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)
        if self.transport is not None:
            self.transport.close()

    def fail(self, error: Error) -> None:
        """The session is gone (the server said so): ``error`` for every later call; the socket closes."""
        if self.dead is None:
            self._die(error)

    def flush(self) -> None:
        """Write whatever the machine has queued (a break sent outside a call, for one)."""
        out = self.conn.data_to_send()
        if out and self.transport is not None and not self.transport.is_closing():
            if _debug_packets:
                self._dump("sent", out)
            if len(out) <= WRITE_SLICE and not self._unsent:
                self.transport.write(out)
            else:
                self._unsent.append(memoryview(out))
                self._write_unsent()

    def _write_unsent(self) -> None:
        # asyncio (3.11) keeps what one write could not send in a bytearray and
        # deletes each send from its front: a 64 MB write moved the rest of it
        # after every send, a cost quadratic in the write.  Slices written while
        # the transport is not paused bound each move by the slice.
        transport = self.transport
        unsent = self._unsent
        while unsent and not self._paused and transport is not None and not transport.is_closing():
            view = unsent[0]
            if len(view) > WRITE_SLICE:
                unsent[0] = view[WRITE_SLICE:]
                view = view[:WRITE_SLICE]
            else:
                unsent.popleft()
            transport.write(view)  # may call pause_writing before it returns

    def _drain(self) -> None:
        next_event = self.conn.next_event
        while True:
            try:
                event = next_event()
            except ProtocolError as exc:
                self._die(dpy_error(4011, f"protocol error: {exc}"))
                return
            if event is NEED_DATA:
                break
            self._events.append(event)
            kind = type(event)
            if kind is ConnectionClosed and isinstance(event, ConnectionClosed) and event.error_number is not None:
                self.flush()
                self._die(dpy_error(4011))
                return
            if kind in STEP_ENDING_EVENTS:
                self._ended += 1
                events, self._events = self._events, []
                waiter = self._waiter
                if waiter is not None and not waiter.done():
                    waiter.set_result(events)
        self.flush()

    async def call(self, start: Callable[[], None], *, timeout: float | None = None) -> list[ClientEvent]:
        """Run ``start`` (a machine command) and wait for the events that end it.

        ``timeout`` (seconds): on expiry the call is interrupted with a break
        and DPY-4024 raised once the server has answered the reset.
        """
        if self.dead is not None:
            raise self.dead
        settling = self._settling
        if settling is not None:
            if not settling.done():
                # A cancelled caller's call is still ending (its reply, or a break and reset).
                await asyncio.shield(settling)
            self._settling = None
            if self.dead is not None:
                raise self.dead
        if self.conn.state is not ClientState.READY and self._waiter is not None:
            self._die(dpy_error(4011, f"the protocol was left in state {self.conn.state.name}"))
            raise dpy_error(4011)
        try:
            start()
        except EncodeError as exc:
            raise _bind_error(exc) from None
        except ProtocolError as exc:
            # The machine refused the command: its state can no longer be trusted.
            self._die(dpy_error(4011, f"protocol error: {exc}"))
            raise dpy_error(4011, f"protocol error: {exc}") from None
        waiter: asyncio.Future[list[ClientEvent]] = asyncio.get_running_loop().create_future()
        self._waiter = waiter
        ended = self._ended
        self.flush()
        try:
            if timeout is None:
                # One future, awaited directly: a cancellation cancels it too (see below).
                return await waiter
            try:
                return await asyncio.wait_for(asyncio.shield(waiter), timeout)
            except asyncio.TimeoutError:
                pass
            if waiter.done():
                # The answer was read in the loop turn the timer fired in: the call is over
                # (the machine is READY, where a break is illegal and would wreck it).
                return await waiter
            # The whole call stays within timeout + break_grace(timeout): the
            # break's answer (the reset) is awaited that long, no longer.
            self.conn.send_break()
            self.flush()
            try:
                await asyncio.wait_for(asyncio.shield(waiter), break_grace(timeout))
            except asyncio.TimeoutError:
                _abandon(waiter)
                self._die(dpy_error(4011, "the server did not answer the break of a call that exceeded call_timeout"))
            except Error:
                pass  # the connection died meanwhile; the call still timed out
            raise dpy_error(4024, timeout=int(timeout * 1000)) from None
        except asyncio.CancelledError:
            if waiter.cancelled() and self._ended == ended and self.dead is None:
                # The caller's cancellation reached the call's own future (no shield on
                # the common path): the call still runs, so it gets a new one to end on.
                waiter = self._waiter = asyncio.get_running_loop().create_future()
            if not waiter.done() and self.dead is None:
                # Nobody awaits it now: keep a late failure from being reported as never retrieved.
                _abandon(waiter)
                self._settling = asyncio.get_running_loop().create_task(self._finish_cancelled(waiter))
            raise

    async def _finish_cancelled(self, waiter: asyncio.Future[list[ClientEvent]]) -> None:
        """End a call whose caller was cancelled, so the session stays usable: a reply
        already on its way is simply read; otherwise the call is broken (as ``cancel()``
        does) and the reset awaited.  The grace period avoids breaking a call whose
        answer is in flight, which would leave the break's ORA-01013 to the next call."""
        try:
            await asyncio.wait_for(asyncio.shield(waiter), _CANCEL_GRACE_SECONDS)
            return
        except asyncio.TimeoutError:
            pass
        except Error:
            return
        if self.dead is None and self.conn.state is ClientState.IN_CALL:
            self.conn.send_break()
            self.flush()
        try:
            await asyncio.wait_for(asyncio.shield(waiter), _CANCEL_DRAIN_SECONDS)
        except asyncio.TimeoutError:
            self._die(dpy_error(4011, "the server did not answer the break of a cancelled call"))
        except Error:
            pass

    async def resume(self, command: Callable[[], None]) -> list[ClientEvent]:
        """Go on with the connect phase after the driver's own step (a TLS renegotiation
        ended the last ``call``): run ``command`` and wait for the events that end it."""
        if self.dead is not None:
            raise self.dead
        command()
        self._waiter = waiter = asyncio.get_running_loop().create_future()
        self.flush()
        return list(await waiter)
