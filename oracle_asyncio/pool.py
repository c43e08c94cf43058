"""AsyncConnectionPool: python-oracledb's asyncio pool as a dispatch loop over ``oracle_sansio.pool.PoolMachine``.

The machine decides; this module only executes its actions (docs/architecture.md): open/ping/rollback/close
run as tasks that report back as machine inputs, hand-overs resolve the waiting caller's future, one clock
handle serves every timer: the event loop's unless one is injected (tests drive timers with a fake clock).
Where this pool deliberately differs from python-oracledb, README "Differences from python-oracledb" says why.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import time
from collections.abc import Callable
from typing import Any, NoReturn, assert_never

from oracle_sansio.connection.states import ClientState
from oracle_sansio.dsn import ConnectTarget
from oracle_sansio.exceptions import dpy_error
from oracle_sansio.pool import (
    CloseConnection,
    FailRequest,
    HandOver,
    LeakDetected,
    OpenConnection,
    PingConnection,
    PoolAction,
    PoolClosed,
    PoolGetMode,
    PoolMachine,
    PoolPhase,
    PoolUsageError,
    RollbackConnection,
    SetTimer,
)

from . import _registry
from ._drcp import drcp_pool_params
from ._pool_settings import PoolSettings, pool_config
from ._protocols import Clock, TimerHandle
from ._pool_acquire import PoolAcquire, refuse_terms
from ._pool_sessions import CLOSE_WAIT_SECONDS, PoolSessions
from ._session import Session, session_of
from .connection import AsyncConnection
from .params import PURITY_DEFAULT, PoolParams, Purity, resolve

__all__ = [
    "AsyncConnectionPool",
    "Clock",
    "get_pool",
    "POOL_GETMODE_WAIT",
    "POOL_GETMODE_NOWAIT",
    "POOL_GETMODE_FORCEGET",
    "POOL_GETMODE_TIMEDWAIT",
]

POOL_GETMODE_WAIT = PoolGetMode.WAIT
POOL_GETMODE_NOWAIT = PoolGetMode.NOWAIT
POOL_GETMODE_FORCEGET = PoolGetMode.FORCEGET
POOL_GETMODE_TIMEDWAIT = PoolGetMode.TIMEDWAIT

_log = logging.getLogger("oracle_asyncio.pool")
#: Read on every release: a module constant, not an enum class attribute (a descriptor
#: call in CPython 3.11).
_READY = ClientState.READY
_CLOSED = PoolPhase.CLOSED

#: Raised by release()/drop() given a connection another pool handed out.
_FOREIGN = "connection belongs to a different pool: release or drop it through the pool that acquired it"

class AsyncConnectionPool(PoolSettings):
    """A pool of sessions (python-oracledb ``AsyncConnectionPool``); create it with
    :func:`create_pool_async`."""

    def __init__(self, dsn: str | None = None, *, params: PoolParams | None = None, cache_name: str | None = None,
                 clock: Clock | None = None, **kwargs: Any) -> None:
        p, target, shown = resolve(dsn, params, kwargs, PoolParams)
        p = drcp_pool_params(p, target)
        conn_class = p.connectiontype or AsyncConnection
        if not (isinstance(conn_class, type) and issubclass(conn_class, AsyncConnection)):
            raise dpy_error(2023)
        config = pool_config(p)
        self._loop = asyncio.get_running_loop()  # RuntimeError outside a loop, as python-oracledb
        self._params = p
        self._target: ConnectTarget = target
        self._dsn = shown
        self._conn_class: type[AsyncConnection] = conn_class
        self._clock: Clock = clock if clock is not None else self._loop
        # read on every acquire and release: the asyncio loop's own clock is time.monotonic() itself
        self._time: Callable[[], float] = (
            time.monotonic if clock is None and type(self._loop).time is asyncio.BaseEventLoop.time
            else self._clock.time)
        self._machine = PoolMachine(config)
        self._reqs = itertools.count(1)
        self._waiters: dict[int, asyncio.Future[int]] = {}
        #: The request whose acquire() runs the machine now: a hand-over (or failure) for it
        #: within that call needs no future (_acquire).
        self._sync_req = self._sync_conn = 0
        self._sync_error: BaseException | None = None
        self._timer: TimerHandle | None = None
        self._closed = self._loop.create_future()
        self._tasks: set[asyncio.Task[None]] = set()  # closes: bounded, never abandoned
        self._abandonable: set[asyncio.Task[None]] = set()  # logons, pings, rollbacks
        self._rollbacks: dict[int, asyncio.Task[None]] = {}  # release() awaits its rollback
        self._cache_name = cache_name
        self._sessions = PoolSessions(self._machine, p, target, shown, conn_class, owner=self, run=self._run,
                                      now=self._now, spawn=self._spawn, release=self.release,
                                      terminated=self._terminated)
        #: Called with (connection, requested_tag) the first time each new session is handed out.
        self.session_callback: Callable[..., Any] | None = p.session_callback
        #: Called with (connection) on every acquire, before session_callback.
        self.on_connect_callback: Callable[..., Any] | None = p.on_connect_callback
        if cache_name is not None:
            _registry.add_pool(cache_name, self)
        self._run(self._machine.open(now=self._now()))

    # ---------------------------------------------------------- attributes

    async def wait(self, timeout: float = 30.0) -> None:
        """Wait until ``min`` sessions are open: an extra (psycopg_pool's ``wait()``)
        so a service can fail fast at start-up on a wrong password or address.

        Raises:
            at once, the logon error that halted logons (one no retry can fix: ORA-01017,
            ORA-28000, ...; see ``oracle_sansio.pool.failures``); else the last logon
            error (e.g. DPY-6005) when the pool is not warm after ``timeout`` seconds, or
            DPY-4005 if no logon failed.
        """
        self._verify_open()
        await self._sessions.wait_warm(self._loop, timeout)

    # ------------------------------------------------------------- driver

    def _now(self) -> float:
        return self._time()

    def _spawn(self, coro: Any, *, abandon_on_close: bool = True) -> asyncio.Task[None]:
        task = self._loop.create_task(coro)
        tasks = self._abandonable if abandon_on_close else self._tasks
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    def _run(self, actions: list[PoolAction]) -> None:
        for action in actions:
            match action:  # the frequent ones first: cases are tried in order
                case HandOver(req=req, conn=conn):
                    if req == self._sync_req:
                        self._sync_conn = conn
                    else:
                        self._deliver(req, conn)
                case OpenConnection(conn=conn, cclass=cclass):
                    self._sessions.opens[conn] = task = self._spawn(self._sessions.open(conn, cclass))
                    task.add_done_callback(functools.partial(self._sessions.open_done, conn))
                case PingConnection(conn=conn):
                    self._spawn(self._sessions.ping(conn))
                case RollbackConnection(conn=conn):
                    # Not abandoned on close: a release() awaits it, and it is bounded.
                    self._rollbacks[conn] = self._spawn(self._sessions.rollback(conn), abandon_on_close=False)
                case CloseConnection(conn=conn):
                    self._spawn(self._sessions.close_one(conn), abandon_on_close=False)
                case FailRequest(req=req):
                    waiter = self._waiters.pop(req, None)
                    if req == self._sync_req or (waiter is not None and not waiter.done()):
                        error = action.exception()
                        if waiter is None:
                            self._sync_error = error
                        else:
                            waiter.set_exception(error)
                case SetTimer():
                    # The machine's current deadline, not ``at``: a nested _run (a hand-over
                    # to a cancelled caller) may have re-armed it after this action was made.
                    self._rearm(self._machine.next_deadline)
                case PoolClosed():
                    if not self._closed.done():
                        self._closed.set_result(None)
                case LeakDetected(conn=conn, held_since=since):
                    _log.warning("pooled connection %s held for %.1f s", conn, self._now() - since)
                case _ as unreachable:
                    assert_never(unreachable)

    def _rearm(self, at: float | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if at is not None:
            self._timer = self._clock.call_at(at, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._run(self._machine.timer_fired(now=self._now()))
        if self._timer is None:  # an early wake-up: nothing was due and no SetTimer came
            self._rearm(self._machine.next_deadline)

    def _deliver(self, req: int, conn_id: int) -> None:
        waiter = self._waiters.pop(req, None)
        if waiter is None or waiter.done():
            # The caller left (cancelled or timed out): the connection goes back.
            self._run(self._machine.cancel(req, now=self._now()))
            return
        waiter.set_result(conn_id)

    # ------------------------------------------------------------ public

    def acquire(self, user: str | None = None, password: str | None = None, cclass: str | None = None,
                purity: int = PURITY_DEFAULT, tag: str | None = None, matchanytag: bool = False,
                shardingkey: list[Any] | None = None, supershardingkey: list[Any] | None = None) -> PoolAcquire:
        """A connection: ``await pool.acquire()`` or ``async with pool.acquire() as conn``.

        ``cclass`` picks (or opens) a session of that DRCP connection class; ``purity=PURITY_NEW``
        only takes a never-used session.  Tags and sharding keys raise DPY-3001 when awaited."""
        self._verify_open()
        return PoolAcquire(self._acquire, self._acquire_now, self.release, user, cclass, purity, tag, shardingkey,
                           supershardingkey)

    def _acquire_now(self, user: str | None, cclass: str | None, purity: int, tag: str | None,
                     shardingkey: list[Any] | None, supershardingkey: list[Any] | None) -> AsyncConnection | int:
        """The usual acquire without suspending (plain terms, no callback, an idle session at once:
        ``PoolMachine.acquire_idle``): the connection, 0 when the case is not this one (nothing was
        done), or 1 when the session handed over had died while idle (the caller asks again)."""
        if (user is not None or cclass is not None or purity != PURITY_DEFAULT or tag is not None
                or shardingkey is not None or supershardingkey is not None
                or self.on_connect_callback is not None or self.session_callback is not None):
            return 0
        conn_id = self._machine.acquire_idle(next(self._reqs), now=self._time())
        if not conn_id:
            return 0
        if not self._sessions.usable(conn_id):
            return 1
        return self._take(conn_id)[0]

    def _take(self, conn_id: int) -> tuple[AsyncConnection, bool]:
        """The connection of a slot just handed over, marked held; and whether it is fresh
        (never handed out before: ``session_callback`` is for those)."""
        sessions = self._sessions
        conn = sessions.conns[conn_id]
        sessions.sessions[conn_id].released = False
        fresh = conn_id in sessions.fresh
        if fresh:
            sessions.fresh.discard(conn_id)
        return conn, fresh

    async def _acquire(self, user: str | None, cclass: str | None, purity: int, tag: str | None,
                       shardingkey: list[Any] | None, supershardingkey: list[Any] | None,
                       again: bool = False) -> AsyncConnection:
        refuse_terms(tag, shardingkey, supershardingkey, user, self._params.user)
        wants_new = purity != PURITY_DEFAULT and Purity(purity) is Purity.NEW
        sessions = self._sessions
        while True:
            req = next(self._reqs)
            try:
                actions = self._machine.acquire(req, now=self._time(), cclass=cclass, wants_new=wants_new,
                                                again=again)
            except PoolUsageError as exc:
                raise dpy_error(int(exc.code)) from None
            handed = actions[0] if len(actions) == 1 else None
            if isinstance(handed, HandOver) and handed.req == req:
                conn_id = handed.conn  # the usual answer from an idle session: nothing else to run
            else:
                self._sync_req, self._sync_conn, self._sync_error = req, 0, None
                try:
                    self._run(actions)
                finally:
                    self._sync_req = 0
                conn_id = self._sync_conn
                if self._sync_error is not None:
                    error, self._sync_error = self._sync_error, None
                    raise error
            # Handed an idle session within the call: one that died while idle is replaced
            # and the caller asks again (each time one dead session fewer).
            if not conn_id or sessions.usable(conn_id):
                break
            again = True
        if not conn_id:
            # Not served within the call: wait for a hand-over (or failure) from a later input.
            waiter: asyncio.Future[int] = self._loop.create_future()
            self._waiters[req] = waiter
            try:
                conn_id = await waiter
            except asyncio.CancelledError:
                # Waiting, or handed a connection in the turn it was cancelled: either
                # way the machine takes the request back and no slot is lost.
                self._waiters.pop(req, None)
                self._run(self._machine.cancel(req, now=self._now()))
                raise
        conn, fresh = self._take(conn_id)
        session = sessions.sessions[conn_id]
        try:
            if self.on_connect_callback is not None:
                await self.on_connect_callback(conn)
            if fresh and self.session_callback is not None:
                await self.session_callback(conn, tag)
        except BaseException:
            # python-oracledb leaks the busy slot here (docs/pool.md 1.19b); we drop the session.
            session.released = True
            self._run(self._machine.drop(conn_id, now=self._now()))
            raise
        return conn

    async def release(self, connection: AsyncConnection, tag: str | None = None) -> None:
        """Give a connection back; an open transaction is rolled back first (no round trip otherwise).

        Raises:
            InterfaceError: DPY-1001 when this pool does not hold ``connection`` (released already,
                or handed out by another pool: the message says which)."""
        if self._machine.phase is _CLOSED:  # _verify_open, inline: this runs on every release
            raise dpy_error(1002)
        conn_id = self._sessions.conn_id(connection)
        if conn_id is None:
            self._not_held(connection)
        session = self._sessions.sessions[conn_id]
        if session.released:
            raise dpy_error(1001)
        reusable = session.healthy()  # connection.is_healthy(), one call fewer
        # A call still in flight (its caller cancelled: the transport is breaking it) may
        # have changed data: the pool's rollback waits for the reset, then cleans up.
        machine = session.machine
        in_transaction = machine.in_transaction or machine.state is not _READY
        session.released = True
        if reusable and not in_transaction:
            if machine.drcp:
                session.release_drcp()  # before the slot can go to a waiter
            if self._machine.release_idle(conn_id, now=self._time()):
                return  # back in the idle list, nothing else to do (release's usual answer)
        actions = self._machine.release(conn_id, now=self._time(), in_transaction=in_transaction,
                                        reusable=reusable)
        if actions:
            self._run(actions)
        rollback = self._rollbacks.pop(conn_id, None) if self._rollbacks else None
        if rollback is not None:
            # As python-oracledb: release() returns once the rollback is done (the slot
            # counts busy until then); a cancelled caller leaves it running.
            await asyncio.shield(rollback)

    def _not_held(self, connection: object) -> NoReturn:
        """Why ``connection``, none of this pool's sessions, cannot be given back (raises)."""
        self._not_foreign(connection)
        raise dpy_error(1001)

    def _not_foreign(self, connection: object) -> Session:
        """``connection``'s session; TypeError for another object, DPY-1001 when another pool
        handed it out (python-oracledb: ValueError, and its counts corrupted)."""
        if not isinstance(connection, AsyncConnection):
            raise TypeError("connection must be an instance of oracle_asyncio.AsyncConnection")
        session = session_of(connection)
        if session.pool is not None and session.pool is not self:
            raise dpy_error(1001, message=_FOREIGN)
        return session

    def _terminated(self, connection: AsyncConnection) -> None:
        """``connection.terminate()`` cut a session of this pool: its slot is freed."""
        conn_id = self._sessions.conn_id(connection)
        session = session_of(connection)
        if conn_id is None or session.released or self._machine.phase is PoolPhase.CLOSED:
            return
        session.released = True
        self._run(self._machine.drop(conn_id, now=self._now()))

    async def drop(self, connection: AsyncConnection) -> None:
        """Close a connection instead of returning it; the pool refills to ``min``.

        Raises:
            InterfaceError: DPY-1001 as :meth:`release`."""
        self._verify_open()
        session = self._not_foreign(connection)
        assert isinstance(connection, AsyncConnection)
        conn_id = self._sessions.conn_id(connection)
        if conn_id is None or session.released:
            raise dpy_error(1001)
        session.released = True
        self._run(self._machine.drop(conn_id, now=self._now()))

    async def close(self, force: bool = False) -> None:
        """Close the pool: DPY-1005 while connections are busy or callers wait, unless ``force``.
        Logons and pings in flight are abandoned, so a stalled server never holds ``close()`` up."""
        try:
            self._run(self._machine.close(force=force, now=self._now()))
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None
        if self._cache_name is not None:
            _registry.remove_pool(self._cache_name)
        for conn in self._sessions.conns.values():
            session_of(conn).pool_closed = True  # closing it (or leaving its `async with`) is now a no-op
        for task in list(self._abandonable):
            task.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(self._closed), CLOSE_WAIT_SECONDS)
        except asyncio.TimeoutError:
            # Every close has its own deadline, so this is a bug-class event: report, do not hang.
            _log.error("pool close: sessions did not report back within %s s", CLOSE_WAIT_SECONDS)
        finally:
            self._rearm(None)


def get_pool(pool_alias: str) -> AsyncConnectionPool | None:
    """The open pool created with ``pool_alias``, or None (python-oracledb ``get_pool``)."""
    found = _registry.get_pool(pool_alias)
    return found if isinstance(found, AsyncConnectionPool) else None
