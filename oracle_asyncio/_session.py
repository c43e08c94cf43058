"""One logged-on session as the driver's other modules see it: the transport and
the sans-I/O machine behind it, the call timeout (kept in seconds), the statement
cache, and whether the session is still usable.

``AsyncConnection``, ``AsyncCursor``, ``AsyncLOB`` and the pool reach the wire
only through :meth:`Session.call`; none of them reads another's private state.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import ClientEvent, ServerErrorReceived
from oracle_sansio.connection.states import ClientState
from oracle_sansio.exceptions import Error, ErrorInfo, dpy_error, ora_error
from oracle_sansio.ttc.messages.binds import BindMetadata
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.ttc.messages.execute import ReexecuteRequest

from ._transport import Transport

__all__ = ["CachedStatement", "CallGate", "Session", "StatementCache", "attach", "session_of"]

#: Longest a close() waits for its rollback and logoff without a call_timeout.
CLOSE_SECONDS = 30.0
#: Longest an abort (a close whose errors nobody sees) waits before cutting the socket.
ABORT_SECONDS = 5.0


@dataclass
class CachedStatement:
    """A parsed server cursor the statement cache can re-execute."""

    cursor_id: int
    binds: tuple[BindMetadata, ...]
    columns: tuple[ColumnMetadata, ...]
    in_use: bool = False
    #: ``columns`` once checked free of LOB columns (the check is made once per describe).
    plain_columns: tuple[ColumnMetadata, ...] | None = None
    #: The re-execute request last sent for it (reused while nothing changes).
    request: ReexecuteRequest | None = None


class StatementCache:
    """Statements kept parsed on the server, by SQL text, least recently used first.

    A server cursor leaves the cache closed (piggybacked on the next call) unless a
    cursor is still fetching from it."""

    def __init__(self, machine: Callable[[], ClientConnection], size: int = 20) -> None:
        self._machine = machine
        self._entries: OrderedDict[str, CachedStatement] = OrderedDict()
        self.size = size

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, sql: str) -> CachedStatement | None:
        """The entry for ``sql``, if cached."""
        return self._entries.get(sql)

    def holds(self, cursor_id: int) -> bool:
        """True if ``cursor_id`` is one of the cached server cursors."""
        return any(e.cursor_id == cursor_id for e in self._entries.values())

    def remember(self, sql: str, cursor_id: int, binds: tuple[BindMetadata, ...],
                 columns: tuple[ColumnMetadata, ...]) -> CachedStatement:
        """Cache (or refresh) ``sql`` on ``cursor_id``, evicting past ``size``."""
        cache = self._entries
        entry = cache.get(sql)
        if entry is None or entry.cursor_id != cursor_id:
            if entry is not None and entry.cursor_id != cursor_id and not entry.in_use:
                self._machine().close_cursors([entry.cursor_id])
            entry = cache[sql] = CachedStatement(cursor_id=cursor_id, binds=binds, columns=columns)
        else:
            entry.binds, entry.columns = binds, columns
        cache.move_to_end(sql)
        while len(cache) > max(self.size, 0):
            _, old = cache.popitem(last=False)
            if old is not entry and not old.in_use:
                self._machine().close_cursors([old.cursor_id])
        return entry

    def forget(self, sql: str) -> None:
        """Drop ``sql`` and close its server cursor (unless a cursor still fetches from it)."""
        entry = self._entries.pop(sql, None)
        if entry is not None and not entry.in_use:
            self._machine().close_cursors([entry.cursor_id])

    def disown(self, sql: str) -> None:
        """Drop ``sql`` without closing its server cursor (a cursor now owns it)."""
        self._entries.pop(sql, None)


class CallGate:
    """One call at a time on a session, first come first served (asyncio.Lock's rules:
    a cancelled waiter passes its turn on), with no await and no future while
    nobody waits: the common case of one task per connection."""

    __slots__ = ("busy", "_waiters")

    def __init__(self) -> None:
        self.busy = False
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def free(self) -> bool:
        """No call runs and no one waits: :meth:`take` may be skipped for ``busy = True``."""
        return not self.busy and not self._waiters

    async def take(self) -> None:
        """Wait for the gate, then hold it (``release`` gives it back)."""
        if not self.busy and all(w.cancelled() for w in self._waiters):
            self.busy = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            try:
                await waiter
            finally:
                self._waiters.remove(waiter)
        except asyncio.CancelledError:
            if not self.busy:
                self._wake_first()
            raise
        self.busy = True

    def release(self) -> None:
        """Give the gate back; the first waiter, if any, takes it next."""
        self.busy = False
        self._wake_first()

    def _wake_first(self) -> None:
        if self._waiters:
            first = self._waiters[0]
            if not first.done():
                first.set_result(None)


class Session:
    """A session's transport, machine, call timeout, statement cache and life cycle."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._gate = CallGate()
        self._timeout: float | None = None
        self.call_timeout_ms = 0
        self.cache = StatementCache(lambda: self.transport.conn)
        #: The pool this session belongs to (identity only), and what closing it there does.
        self.pool: object | None = None
        self.give_back: Callable[[], Awaitable[None]] | None = None
        self.on_terminate: Callable[[], None] | None = None
        self.released = False  # given back to (or dropped from) its pool: a plain attribute, set per acquire
        self._closed = False
        self._pool_closed = False  # closed by its pool (e.g. close(force=True))
        self._user_closed = False  # close() called after that
        #: Would check_open raise for a reason other than ``released`` or a dead transport?
        #: Kept up to date by the three rarely set flags' setters, so a call, and a buffered
        #: row in ``async for``, test ``blocked or released`` instead of calling check_open.
        self.blocked = False

    def _flag(self) -> None:
        self.blocked = (self._pool_closed and not self._user_closed) or self._closed

    @property
    def closed(self) -> bool:
        """Closed (by its holder, its pool, or a cut socket)."""
        return self._closed

    @closed.setter
    def closed(self, value: bool) -> None:
        self._closed = value
        self._flag()

    @property
    def pool_closed(self) -> bool:
        """Closed by its pool (e.g. ``close(force=True)``)."""
        return self._pool_closed

    @pool_closed.setter
    def pool_closed(self, value: bool) -> None:
        self._pool_closed = value
        self._flag()

    @property
    def user_closed(self) -> bool:
        """``close()`` called after its pool closed it."""
        return self._user_closed

    @user_closed.setter
    def user_closed(self, value: bool) -> None:
        self._user_closed = value
        self._flag()

    @property
    def machine(self) -> ClientConnection:
        """The sans-I/O client machine of this session."""
        return self.transport.conn

    @property
    def call_timeout_ms(self) -> int:
        """``call_timeout`` as the API states it: milliseconds, 0 for no limit."""
        return self._call_timeout_ms

    @call_timeout_ms.setter
    def call_timeout_ms(self, value: int) -> None:
        self._call_timeout_ms = int(value)
        # The one place milliseconds become the seconds asyncio deadlines use.
        self._timeout = self._call_timeout_ms / 1000 if self._call_timeout_ms else None

    @property
    def timeout(self) -> float | None:
        """``call_timeout`` in seconds, or None for no limit."""
        return self._timeout

    @property
    def dead(self) -> Error | None:
        """The fatal error the transport saw (killed session, lost network), or None."""
        return self.transport.dead

    def verify(self) -> None:
        """DPY-1001 once closed or released (every attribute checks, as python-oracledb's)."""
        if self.closed or self.released:
            raise dpy_error(1001)

    def check_open(self) -> None:
        """Raise what a call on this session would fail with now, if anything."""
        if self.blocked or self.released:
            if self._pool_closed and not self.released and not self._user_closed:
                # Checked out when its pool was force-closed: the socket is gone (python-oracledb).
                raise dpy_error(4011)
            raise dpy_error(1001)  # here: closed or released
        if self.transport.dead is not None:
            raise self.transport.dead

    def healthy(self) -> bool:
        """No round trip: the socket is attached and no fatal error is pending."""
        return not self.closed and not self.released and self.transport.dead is None

    def alive(self) -> bool:
        """Not closed and no fatal error seen (a released session may be alive)."""
        return not self.closed and self.transport.dead is None

    async def call(self, start: Callable[[], Any], *, internal: bool = False) -> list[ClientEvent]:
        """One round trip: ``start`` queues the request on the machine; the events come back.

        ``internal`` calls (the pool's ping, rollback and logoff) run on a session its
        holder has given back, so only closure stops them, and no call timeout applies.

        Raises:
            DatabaseError: the server's error (a session-killing one also marks the session dead).
        """
        if not internal:
            self.check_open()
        elif self.closed:
            raise dpy_error(1001)
        elif self.transport.dead is not None:
            raise self.transport.dead
        gate = self._gate
        if gate.free:
            gate.busy = True
        else:
            await gate.take()
        try:
            events = await self.transport.call(start, timeout=None if internal else self._timeout)
        finally:
            gate.release()
        last = events[-1] if events else None
        if isinstance(last, ServerErrorReceived):
            error = ora_error(last.code, last.message, offset=last.info.position)
            info = error.args[0]
            if isinstance(info, ErrorInfo) and info.is_session_dead:
                # ORA-00028 and kin: the session is gone (python-oracledb closes the socket too);
                # later calls, a pool's release and is_healthy() all see the connection dead.
                self.transport.fail(error)
            raise error
        return events

    def close_cursor(self, cursor_id: int) -> None:
        """A cursor closed: its server cursor (unless the statement cache keeps it) is
        closed with the next call; nothing to do once the session is closed or dead."""
        if self.closed or self.transport.dead is not None or self.cache.holds(cursor_id):
            return
        self.transport.conn.close_cursors([cursor_id])

    def send_break(self) -> None:
        """Interrupt the call in flight, if any (it then fails with ORA-01013)."""
        self.check_open()
        machine = self.transport.conn
        if machine.state in (ClientState.IN_CALL, ClientState.RESETTING):
            machine.send_break()
            self.transport.flush()

    def release_drcp(self) -> None:
        """DRCP: SESSION_RELEASE as a pool takes the session back (one-way: nothing awaited)."""
        machine = self.transport.conn
        if machine.drcp and machine.state is ClientState.READY and not self.closed:
            machine.release_session()
            self.transport.flush()

    def cut(self) -> None:
        """Mark closed and abort the socket at once: no rollback, no logoff."""
        self.closed = True
        sock = self.transport.transport
        if sock is not None and not sock.is_closing():
            sock.abort()

    async def close(self) -> None:
        """Roll back, log off and close the socket, bounded by the call timeout
        (else ``CLOSE_SECONDS``); DPY-1001 if already closed."""
        if self.closed:
            raise dpy_error(1001)
        machine = self.transport.conn

        async def logoff() -> None:
            if machine.in_transaction:
                await self.call(machine.rollback, internal=True)
            if machine.drcp:
                # python-oracledb: a DRCP session is released with DEAUTHENTICATE, not logged off.
                if machine.state is ClientState.READY:
                    machine.release_session(deauthenticate=True)
                    self.transport.flush()
            else:
                await self.call(machine.logoff, internal=True)

        try:
            # A timeout scope, not wait_for: no task of its own for every close.
            async with asyncio.timeout(self._timeout or CLOSE_SECONDS):
                await logoff()
        except (Error, asyncio.TimeoutError):
            pass
        finally:
            self.closed = True
            if self.transport.transport is not None:
                self.transport.transport.close()

    async def abort(self) -> None:
        """Close without letting errors out (a connection nobody will get)."""
        try:
            await asyncio.wait_for(self.close(), ABORT_SECONDS)
        except (Error, asyncio.TimeoutError):
            pass
        finally:
            # A logoff that could not finish (a stalled call holds the lock): cut the socket.
            self.cut()


# The connection object users hold -> its session.  A public API object cannot carry
# the session under a public name, and no module reads another's private attributes:
# the connection registers itself here when made, and its pool and _connect look it up.
_SESSIONS: weakref.WeakKeyDictionary[object, Session] = weakref.WeakKeyDictionary()


def attach(owner: object, session: Session) -> None:
    """Record ``session`` as the session of ``owner`` (an AsyncConnection)."""
    _SESSIONS[owner] = session


def session_of(owner: object) -> Session:
    """The session ``attach`` recorded for ``owner``.

    Raises:
        KeyError: ``owner`` is not a connection this driver made.
    """
    return _SESSIONS[owner]
