"""The sessions of one pool and the round trips its machine asks for on them:
logons (with the logon-health log), pings, rollbacks on release, closes, and the
check on reuse that replaces an idle session found dead.  Each reports back to
the machine; ``AsyncConnectionPool`` (pool.py) runs the machine's actions."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable
from typing import assert_never

from oracle_sansio.dsn import ConnectTarget
from oracle_sansio.exceptions import Error, dpy_error, fresh_error
from oracle_sansio.pool import (
    DpyCode,
    LogonFailure,
    LogonHealth,
    LogonReport,
    LogonsFailing,
    LogonsRecovered,
    LogonsStillFailing,
    PoolAction,
    PoolMachine,
    PoolPhase,
    classify_logon_error,
)

from ._connect import open_session
from ._session import Session, session_of
from .connection import AsyncConnection
from .params import PoolParams

__all__ = ["PoolSessions"]

_log = logging.getLogger("oracle_asyncio.pool")

#: Deadline of the pool's own round trips (rollback on release) without a call_timeout.
_INTERNAL_CALL_SECONDS = 30.0
#: close() waits this long for every session to report back (each has its own deadline).
CLOSE_WAIT_SECONDS = 60.0
#: While logons keep failing, at most one "still failing" record per this many seconds.
_LOGON_REPORT_SECONDS = 60.0


class PoolSessions:
    """The sessions a pool holds, by the machine's connection id."""

    def __init__(self, machine: PoolMachine, params: PoolParams, target: ConnectTarget, dsn: str,
                 conn_class: type[AsyncConnection], *, owner: object,
                 run: Callable[[list[PoolAction]], None], now: Callable[[], float],
                 spawn: Callable[..., asyncio.Task[None]],
                 release: Callable[[AsyncConnection], Awaitable[None]],
                 terminated: Callable[[AsyncConnection], None]) -> None:
        self._machine = machine
        self._pool_params = params
        self._target = target
        self._dsn = dsn
        self._conn_class = conn_class
        self._owner = owner  # the pool, as its sessions name it
        self._run = run
        self._now = now
        self._spawn = spawn
        self._release = release
        self._terminated = terminated
        self.conns: dict[int, AsyncConnection] = {}
        #: the same sessions, and connection id by ``id()`` of the connection object (a
        #: connection in ``conns`` is alive, so its ``id()`` is its own): release finds its
        #: slot without a scan.
        self.sessions: dict[int, Session] = {}
        self._ids: dict[int, int] = {}
        self.fresh: set[int] = set()  # opened, never handed out yet: session_callback due
        self.last_open_error: Error | None = None
        self.warm_event = asyncio.Event()  # set after every opened/failed logon (wait())
        self.opens: dict[int, asyncio.Task[None]] = {}  # logons in flight, by connection id
        self._logon_report = LogonReport(_LOGON_REPORT_SECONDS)
        self._jitter = random.Random()

    async def open(self, conn_id: int, cclass: str | None = None) -> None:
        params = self._pool_params
        if cclass is not None and cclass != params.cclass:
            params = params.copy()  # a request for another DRCP connection class
            params.set(cclass=cclass)
        try:
            conn = await open_session(params, self._target, self._dsn, self._conn_class, pooled=True)
        except (Exception, asyncio.CancelledError) as exc:
            # Every outcome reaches the machine: an unexpected exception becomes DPY-6005.
            error = exc if isinstance(exc, Error) else None
            # Cancelled: abandoned by close() or a give-up; the machine ignores it then.
            cancelled = isinstance(exc, asyncio.CancelledError)
            failure = LogonFailure.TRANSIENT if cancelled else classify_logon_error(exc)
            halted = self._machine.logons_halted
            if not cancelled:
                if error is None:
                    error = dpy_error(6005, f"{type(exc).__name__}: {exc}", connection_id="")
                _log.debug("pool logon failed (%s): %s", failure.value, error)
                self.last_open_error = error
                health = self._logon_report.failed(self._now(), _one_line(error), failure)
                if failure is LogonFailure.FATAL and not halted:  # a state change of its own
                    _log.error("logons failing: %s; not retried (no retry can fix it), the next "
                               "acquire() tries once", _one_line(error))
                else:
                    self._report(health)
            self.warm_event.set()
            code = DpyCode.POOL_NOT_OPEN if error is None else DpyCode.CONNECTION_FAILED
            self._run(self._machine.open_failed(conn_id, code, now=self._now(), failure=failure,
                                                jitter=self._jitter.random(), error=error))
            return
        # Reported even when the machine gave up on this logon (or the pool closed) while it
        # ran: then it answers with a CloseConnection for the session.
        session = session_of(conn)
        session.pool = self._owner
        session.give_back = functools.partial(self._release, conn)
        session.on_terminate = functools.partial(self._terminated, conn)
        self.conns[conn_id] = conn
        self.sessions[conn_id] = session
        self._ids[id(conn)] = conn_id
        self.fresh.add(conn_id)
        self._report(self._logon_report.succeeded(self._now()))
        self._run(self._machine.opened(conn_id, now=self._now(), jitter=self._jitter.random()))
        self.warm_event.set()

    def _report(self, health: LogonHealth | None) -> None:
        """Log the pool's logon health as state changes, not one record per attempt."""
        match health:
            case None:
                pass
            case LogonsFailing(error=error, failure=failure):
                _log.warning("logons failing: %s; %s", error, "retrying with backoff"
                             if failure is LogonFailure.TRANSIENT else "not retried")
            case LogonsStillFailing(failures=n, since=since, error=error):
                _log.warning("logons still failing: %d failures in %.0f s; latest: %s", n,
                             self._now() - since, error)
            case LogonsRecovered(failures=n, seconds=seconds):
                _log.info("logons succeed again after %d failures in %.1f s", n, seconds)
            case _:
                assert_never(health)

    async def ping(self, conn_id: int) -> None:
        conn = self.conns.get(conn_id)
        timeout = self._machine.config.ping_timeout / 1000 or None
        try:
            if conn is None or not _alive(conn):
                raise dpy_error(4011)
            session = session_of(conn)
            await asyncio.wait_for(session.call(session.machine.ping, internal=True), timeout)
        except (Exception, asyncio.CancelledError):  # every outcome reaches the machine
            self._run(self._machine.ping_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.ping_succeeded(conn_id, now=self._now()))

    async def rollback(self, conn_id: int) -> None:
        conn = self.conns.get(conn_id)
        try:
            if conn is None:
                raise dpy_error(4011)
            session = session_of(conn)
            await asyncio.wait_for(session.call(session.machine.rollback, internal=True),
                                   session.timeout or _INTERNAL_CALL_SECONDS)
            session.release_drcp()
        except (Exception, asyncio.CancelledError):  # every outcome reaches the machine
            self._run(self._machine.rollback_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.rolled_back(conn_id, now=self._now()))

    def open_done(self, conn_id: int, task: asyncio.Task[None]) -> None:
        if self.opens.get(conn_id) is task:
            del self.opens[conn_id]

    async def close_one(self, conn_id: int) -> None:
        opening = self.opens.pop(conn_id, None)
        if opening is not None and not opening.done():
            # The machine gave up on this logon (its deadline passed): abandon it, so its
            # socket and task go now and it no longer counts against max_concurrent_opens.
            opening.cancel()
            await asyncio.wait({opening}, timeout=CLOSE_WAIT_SECONDS)
        conn = self._forget(conn_id)
        if conn is not None:
            session = session_of(conn)
            session.pool_closed = True
            try:
                await session.abort()
            except Exception as exc:  # the socket is cut either way; the machine must hear back
                _log.debug("pooled session close: %s", exc)
        self._run(self._machine.closed(conn_id, now=self._now()))

    def usable(self, conn_id: int) -> bool:
        """python-oracledb's check on reuse (docs/pool.md 1.9), for a session the machine has
        just handed out of its idle ones: False when its socket died (killed, dropped) while
        idle, and then it is closed and reported ``closed`` (the machine refills to ``min``);
        the caller asks again.  Only the sessions handed out are looked at, never every idle one."""
        session = self.sessions.get(conn_id)
        if session is not None and session.alive():
            return True
        conn = self._forget(conn_id)
        if conn is not None:
            session = session_of(conn)
            session.pool_closed = True
            self._spawn(session.abort(), abandon_on_close=False)
        self._run(self._machine.closed(conn_id, now=self._now()))
        return False

    async def wait_warm(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        """``pool.wait()``: until ``min`` sessions are open (its docstring says what it raises)."""
        machine = self._machine
        loop_deadline = loop.time() + timeout
        while not machine.warm:
            if machine.phase is PoolPhase.CLOSED:
                raise dpy_error(1002)
            if machine.logons_halted and self.last_open_error is not None:
                raise fresh_error(self.last_open_error)
            remaining = loop_deadline - loop.time()
            if remaining <= 0:
                if self.last_open_error is not None:
                    raise self.last_open_error
                raise dpy_error(4005)
            self.warm_event.clear()
            try:
                await asyncio.wait_for(self.warm_event.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def conn_id(self, connection: object) -> int | None:
        """The id of ``connection`` if it is one of this pool's sessions."""
        conn_id = self._ids.get(id(connection))
        return conn_id if conn_id is not None and self.conns.get(conn_id) is connection else None

    def _forget(self, conn_id: int) -> AsyncConnection | None:
        conn = self.conns.pop(conn_id, None)
        self.sessions.pop(conn_id, None)
        self.fresh.discard(conn_id)
        if conn is not None:
            del self._ids[id(conn)]
        return conn


def _one_line(error: BaseException) -> str:
    """An error for a log line: its lines joined, python-oracledb's Help link left out."""
    return " | ".join(line for line in str(error).splitlines() if line and not line.startswith("Help:"))


def _alive(conn: AsyncConnection) -> bool:
    """``is_healthy()`` for a connection the pool holds (that one is False once released)."""
    return session_of(conn).alive()
