"""AsyncConnectionPool: python-oracledb's asyncio pool as a dispatch loop over
``oracle_sansio.pool.PoolMachine`` (first slice: create_pool_async, acquire
as awaitable and ``async with``, release, drop, close, the main attributes).

The machine decides; this module only executes its actions (DESIGN.md 3.5):
open/ping/rollback/close run as tasks that report back as machine inputs,
hand-overs resolve the waiting caller's future, one ``call_at`` handle serves
every timer.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from typing import Any

from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.pool import (
    CloseConnection,
    FailRequest,
    HandOver,
    LeakDetected,
    OpenConnection,
    PingConnection,
    PoolAction,
    PoolClosed,
    PoolConfig,
    PoolGetMode,
    PoolMachine,
    PoolUsageError,
    RollbackConnection,
    SetTimer,
)

from .connection import AsyncConnection, connect_async

__all__ = [
    "AsyncConnectionPool",
    "create_pool_async",
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


class _Acquire:
    """``pool.acquire()``: awaitable, or an async context manager that releases."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Any:
        return self._pool._acquire().__await__()

    async def __aenter__(self) -> AsyncConnection:
        self._conn = await self._pool._acquire()
        return self._conn

    async def __aexit__(self, *exc: object) -> None:
        if self._conn is not None:
            await self._pool.release(self._conn)


class AsyncConnectionPool:
    """A pool of sessions (python-oracledb ``AsyncConnectionPool``)."""

    def __init__(self, *, user: str, password: str, dsn: str, config: PoolConfig) -> None:
        self._user = user
        self._password = password
        self._dsn = dsn
        self._machine = PoolMachine(config)
        self._loop = asyncio.get_running_loop()
        self._reqs = itertools.count(1)
        self._waiters: dict[int, asyncio.Future[AsyncConnection]] = {}
        self._conns: dict[int, AsyncConnection] = {}
        self._ids: dict[int, int] = {}  # id(AsyncConnection) -> machine conn id
        self._timer: asyncio.TimerHandle | None = None
        self._closed = self._loop.create_future()
        self._tasks: set[asyncio.Task[None]] = set()
        self._jitter = random.Random()
        self._run(self._machine.open(now=self._loop.time()))

    # ---------------------------------------------------------- attributes

    @property
    def min(self) -> int:
        """Sessions kept open."""
        return self._machine.config.min

    @property
    def max(self) -> int:
        """Most sessions."""
        return self._machine.config.max

    @property
    def increment(self) -> int:
        """Sessions opened per growth step."""
        return self._machine.config.increment

    @property
    def opened(self) -> int:
        """Sessions open (busy or idle)."""
        return self._machine.open_count

    @property
    def busy(self) -> int:
        """Sessions handed out."""
        return self._machine.busy

    def _attribute(self, name: str) -> Any:
        return self._machine.get_attribute(name)

    def _set(self, name: str, value: object) -> None:
        try:
            self._run(self._machine.set_attribute(name, value, now=self._now()))
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None

    getmode = property(lambda self: self._attribute("getmode"), lambda self, v: self._set("getmode", v),
                       doc="POOL_GETMODE_* (changing it resets wait_timeout, as python-oracledb does).")
    wait_timeout = property(lambda self: self._attribute("wait_timeout"),
                            lambda self, v: self._set("wait_timeout", v), doc="Milliseconds (TIMEDWAIT only).")
    timeout = property(lambda self: self._attribute("timeout"), lambda self, v: self._set("timeout", v),
                       doc="Idle seconds before connections above min are closed.")
    max_lifetime_session = property(lambda self: self._attribute("max_lifetime_session"),
                                    lambda self, v: self._set("max_lifetime_session", v), doc="Seconds.")
    ping_interval = property(lambda self: self._attribute("ping_interval"),
                             lambda self, v: self._set("ping_interval", v), doc="Seconds (0 always, < 0 never).")
    stmtcachesize = property(lambda self: self._attribute("stmtcachesize"),
                             lambda self, v: self._set("stmtcachesize", v), doc="Statement cache size.")

    @property
    def homogeneous(self) -> bool:
        """Always True (one user)."""
        return True

    @property
    def dsn(self) -> str:
        """The connect string."""
        return self._dsn

    @property
    def username(self) -> str:
        """The pool's user."""
        return self._user

    @property
    def thin(self) -> bool:
        """Always True."""
        return True

    @property
    def statistics(self) -> object:
        """Counters (requests, waits, opens, pings, ...): an extra python-oracledb lacks."""
        return self._machine.statistics

    # ------------------------------------------------------------- driver

    def _now(self) -> float:
        return self._loop.time()

    def _spawn(self, coro: Any) -> None:
        task = self._loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _run(self, actions: list[PoolAction]) -> None:
        for action in actions:
            match action:
                case OpenConnection(conn=conn):
                    self._spawn(self._open(conn))
                case PingConnection(conn=conn):
                    self._spawn(self._ping(conn))
                case RollbackConnection(conn=conn):
                    self._spawn(self._rollback(conn))
                case CloseConnection(conn=conn):
                    self._spawn(self._close_one(conn))
                case HandOver(req=req, conn=conn):
                    self._deliver(req, conn)
                case FailRequest(req=req, code=code):
                    waiter = self._waiters.pop(req, None)
                    if waiter is not None and not waiter.done():
                        waiter.set_exception(dpy_error(int(code)))
                case SetTimer(at=at):
                    self._rearm(at)
                case PoolClosed():
                    if not self._closed.done():
                        self._closed.set_result(None)
                case LeakDetected(conn=conn, held_since=since):
                    _log.warning("pooled connection %s held since %.1f s ago", conn, self._now() - since)

    def _rearm(self, at: float | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if at is not None:
            self._timer = self._loop.call_at(at, lambda: self._run(self._machine.timer_fired(now=self._now())))

    def _deliver(self, req: int, conn_id: int) -> None:
        waiter = self._waiters.pop(req, None)
        conn = self._conns[conn_id]
        if waiter is None or waiter.done():
            # The caller left (cancelled or timed out): the connection goes back.
            self._run(self._machine.release(conn_id, now=self._now()))
            return
        waiter.set_result(conn)

    async def _open(self, conn_id: int) -> None:
        try:
            conn = await connect_async(user=self._user, password=self._password, dsn=self._dsn)
        except Error as exc:
            _log.warning("pool logon failed: %s", exc)
            self._run(self._machine.open_failed(conn_id, 6005, now=self._now(), jitter=self._jitter.random()))
            return
        conn._pool = self  # type: ignore[attr-defined]
        self._conns[conn_id] = conn
        self._ids[id(conn)] = conn_id
        self._run(self._machine.opened(conn_id, now=self._now(), jitter=self._jitter.random()))

    async def _ping(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        timeout = self._machine.config.ping_timeout / 1000 or None
        try:
            assert conn is not None
            await asyncio.wait_for(conn.ping(), timeout)
        except (Error, AssertionError, asyncio.TimeoutError):
            self._run(self._machine.ping_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.ping_succeeded(conn_id, now=self._now()))

    async def _rollback(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        try:
            assert conn is not None
            await conn.rollback()
        except (Error, AssertionError):
            self._run(self._machine.rollback_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.rolled_back(conn_id, now=self._now()))

    async def _close_one(self, conn_id: int) -> None:
        conn = self._conns.pop(conn_id, None)
        if conn is not None:
            self._ids.pop(id(conn), None)
            try:
                await asyncio.wait_for(conn._real_close(), 5)
            except (Error, asyncio.TimeoutError):
                pass
        self._run(self._machine.closed(conn_id, now=self._now()))

    # ------------------------------------------------------------ public

    def acquire(self) -> _Acquire:
        """A connection: ``await pool.acquire()`` or ``async with pool.acquire() as conn``."""
        return _Acquire(self)

    async def _acquire(self) -> AsyncConnection:
        req = next(self._reqs)
        waiter: asyncio.Future[AsyncConnection] = self._loop.create_future()
        self._waiters[req] = waiter
        try:
            self._run(self._machine.acquire(req, now=self._now()))
        except PoolUsageError as exc:
            self._waiters.pop(req, None)
            raise dpy_error(int(exc.code)) from None
        try:
            conn = await waiter
        except asyncio.CancelledError:
            self._waiters.pop(req, None)
            self._run(self._machine.cancel(req, now=self._now()))
            raise
        conn._released = False  # type: ignore[attr-defined]
        return conn

    async def release(self, connection: AsyncConnection) -> None:
        """Give a connection back (an open transaction is rolled back first)."""
        conn_id = self._ids.get(id(connection))
        if conn_id is None or getattr(connection, "_released", False):
            raise dpy_error(1001)
        connection._released = True  # type: ignore[attr-defined]
        reusable = connection.is_healthy()
        self._run(self._machine.release(conn_id, now=self._now(), in_transaction=connection.transaction_in_progress,
                                        reusable=reusable))

    async def drop(self, connection: AsyncConnection) -> None:
        """Close a connection instead of returning it to the pool."""
        conn_id = self._ids.get(id(connection))
        if conn_id is None:
            raise dpy_error(1001)
        connection._released = True  # type: ignore[attr-defined]
        self._run(self._machine.drop(conn_id, now=self._now()))

    async def close(self, force: bool = False) -> None:
        """Close the pool (DPY-1005 while connections are busy unless ``force``)."""
        try:
            self._run(self._machine.close(force=force, now=self._now()))
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None
        await asyncio.wait_for(asyncio.shield(self._closed), 30)
        if self._timer is not None:
            self._timer.cancel()


def create_pool_async(
    *,
    user: str,
    password: str,
    dsn: str,
    min: int = 1,
    max: int = 2,
    increment: int = 1,
    getmode: int = POOL_GETMODE_WAIT,
    timeout: int = 0,
    wait_timeout: int = 0,
    max_lifetime_session: int = 0,
    ping_interval: int = 60,
    ping_timeout: int = 5000,
    stmtcachesize: int = 20,
) -> AsyncConnectionPool:
    """Create a pool (must run inside an event loop, as python-oracledb's)."""
    try:
        config = PoolConfig(
            min=min, max=max, increment=increment, getmode=PoolGetMode(getmode), timeout=timeout,
            wait_timeout=wait_timeout, max_lifetime_session=max_lifetime_session, ping_interval=ping_interval,
            ping_timeout=ping_timeout, stmtcachesize=stmtcachesize,
        )
    except PoolUsageError as exc:
        raise dpy_error(int(exc.code)) from None
    return AsyncConnectionPool(user=user, password=password, dsn=dsn, config=config)
