"""AsyncConnectionPool: python-oracledb's asyncio pool as a dispatch loop over
``oracle_sansio.pool.PoolMachine``.

The machine decides; this module only executes its actions (docs/architecture.md):
open/ping/rollback/close run as tasks that report back as machine inputs,
hand-overs resolve the waiting caller's future, one clock handle serves every
timer.  The clock is the event loop unless one is injected (tests drive timers
with a fake clock, no sleeping).  Where this pool deliberately differs from
python-oracledb, README "Differences from python-oracledb" says so and why.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import itertools
import logging
import random
from collections.abc import Callable, Generator
from typing import Any, Protocol, assert_never

from oracle_sansio.connection.states import ClientState
from oracle_sansio.crypto import Secret
from oracle_sansio.dsn import ConnectTarget
from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.pool import (
    CloseConnection,
    FailRequest,
    HandOver,
    LeakDetected,
    LogonFailure,
    LogonHealth,
    LogonReport,
    LogonsFailing,
    LogonsRecovered,
    LogonsStillFailing,
    OpenConnection,
    PingConnection,
    PoolAction,
    PoolClosed,
    PoolConfig,
    PoolGetMode,
    PoolMachine,
    PoolPhase,
    PoolStatistics,
    PoolUsageError,
    RollbackConnection,
    SetTimer,
    SlotState,
    classify_logon_error,
)

from . import _registry
from ._connect import open_session
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

get_pool = _registry.get_pool

_log = logging.getLogger("oracle_asyncio.pool")

#: Deadline of the pool's own round trips (rollback on release) without a call_timeout.
_INTERNAL_CALL_SECONDS = 30.0
#: close() waits this long for every session to report back (each has its own deadline).
_CLOSE_WAIT_SECONDS = 60.0
#: FailRequest codes at or above this name a stored logon exception (base + conn id).
_OWN_ERROR_BASE = 1_000_000
#: While logons keep failing, at most one "still failing" record per this many seconds.
_LOGON_REPORT_SECONDS = 60.0
#: Raised by release()/drop() given a connection another pool handed out.
_FOREIGN = "connection belongs to a different pool: release or drop it through the pool that acquired it"

#: python-oracledb's DPY-3001 texts for the thick-only attributes.
_THICK_ONLY_TEXT = {
    ("get", "max_sessions_per_shard"): "getting the maximum sessions per shard in a pool",
    ("set", "max_sessions_per_shard"): "setting the maximum sessions per shard",
    ("get", "soda_metadata_cache"): "getting whether the SODA metadata cache is enabled",
    ("set", "soda_metadata_cache"): "setting whether the SODA metadata cache is enabled",
}


class _Handle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    """What the pool reads time from and schedules its one timer on (an event loop fits)."""

    def time(self) -> float: ...
    def call_at(self, when: float, callback: Callable[[], object]) -> _Handle: ...


class _Acquire:
    """``pool.acquire()``: awaitable, or an async context manager that releases."""

    def __init__(self, pool: AsyncConnectionPool, args: dict[str, Any]) -> None:
        self._pool = pool
        self._args = args
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._pool._acquire(**self._args).__await__()

    async def __aenter__(self) -> AsyncConnection:
        self._conn = await self._pool._acquire(**self._args)
        return self._conn

    async def __aexit__(self, *exc: object) -> None:
        conn = self._conn
        if conn is not None and not conn._released and not conn._closed and not conn._pool_closed:
            await self._pool.release(conn)  # one a forced close took is not released (python-oracledb)


def _writable(name: str, doc: str) -> property:
    def get(self: AsyncConnectionPool) -> Any:
        return self._get(name)

    def put(self: AsyncConnectionPool, value: object) -> None:
        self._set(name, value)

    return property(get, put, doc=doc)


class AsyncConnectionPool:
    """A pool of sessions (python-oracledb ``AsyncConnectionPool``); create it with
    :func:`create_pool_async`."""

    def __init__(self, dsn: str | None = None, *, params: PoolParams | None = None, cache_name: str | None = None,
                 clock: Clock | None = None, **kwargs: Any) -> None:
        p, target, shown = resolve(dsn, params, kwargs, PoolParams)
        conn_class = p.connectiontype or AsyncConnection
        if not (isinstance(conn_class, type) and issubclass(conn_class, AsyncConnection)):
            raise dpy_error(2023)
        config = _config(p)
        self._loop = asyncio.get_running_loop()  # RuntimeError outside a loop, as python-oracledb
        self._params = p
        self._target: ConnectTarget = target
        self._dsn = shown
        self._conn_class: type[AsyncConnection] = conn_class
        self._clock: Clock = clock if clock is not None else self._loop
        self._machine = PoolMachine(config)
        self._reqs = itertools.count(1)
        self._waiters: dict[int, asyncio.Future[int]] = {}
        self._conns: dict[int, AsyncConnection] = {}
        self._fresh: set[int] = set()  # opened, never handed out yet: session_callback due
        self._open_errors: dict[int, BaseException] = {}
        self._password_key: tuple[Secret[bytes], str] | None = None
        self._last_open_error: Error | None = None
        self._logon_report = LogonReport(_LOGON_REPORT_SECONDS)
        self._warm_event = asyncio.Event()  # set after every opened/failed logon (wait())
        self._timer: _Handle | None = None
        self._closed = self._loop.create_future()
        self._tasks: set[asyncio.Task[None]] = set()  # closes: bounded, never abandoned
        self._abandonable: set[asyncio.Task[None]] = set()  # logons, pings, rollbacks
        self._rollbacks: dict[int, asyncio.Task[None]] = {}  # release() awaits its rollback
        self._opens: dict[int, asyncio.Task[None]] = {}  # logons in flight, by connection id
        self._jitter = random.Random()
        self._cache_name = cache_name
        #: Called with (connection, requested_tag) the first time each new session is handed out.
        self.session_callback: Callable[..., Any] | None = p.session_callback
        #: Called with (connection) on every acquire, before session_callback.
        self.on_connect_callback: Callable[..., Any] | None = p.on_connect_callback
        if cache_name is not None:
            _registry.add_pool(cache_name, self)
        self._run(self._machine.open(now=self._now()))

    # ---------------------------------------------------------- attributes

    def _verify_open(self) -> None:
        if self._machine.phase is PoolPhase.CLOSED:
            raise dpy_error(1002)

    def _fixed(self, value: Any) -> Any:
        self._verify_open()
        return value

    min = property(lambda self: self._fixed(self._machine.config.min), doc="Sessions kept open.")
    max = property(lambda self: self._fixed(self._machine.config.max), doc="Most sessions.")
    increment = property(lambda self: self._fixed(self._machine.config.increment),
                         doc="Sessions opened per growth step.")
    opened = property(lambda self: self._fixed(self._machine.open_count), doc="Sessions open (busy or idle).")
    busy = property(lambda self: self._fixed(self._machine.busy), doc="Sessions handed out.")
    homogeneous = property(lambda self: self._fixed(self._params.homogeneous), doc="As created.")
    dsn = property(lambda self: self._fixed(self._dsn), doc="The connect string.")
    tnsentry = dsn
    username = property(lambda self: self._fixed(self._params.user), doc="The pool's user.")
    thin = property(lambda self: self._fixed(True), doc="Always True.")
    name = property(lambda self: self._fixed(None), doc="None (Oracle-assigned names exist in thick mode only).")

    @property
    def statistics(self) -> PoolStatistics:
        """Counters (requests, waits, opens, pings, ...) and ``wait_time``, the seconds callers
        spent waiting over every acquire however it ended: an extra python-oracledb lacks."""
        return self._machine.statistics

    @property
    def warm(self) -> bool:
        """True once ``min`` sessions are open (an extra python-oracledb lacks)."""
        return self._machine.warm

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
        loop_deadline = self._loop.time() + timeout
        while not self._machine.warm:
            if self._machine.phase is PoolPhase.CLOSED:
                raise dpy_error(1002)
            if self._machine.logons_halted and self._last_open_error is not None:
                raise _fresh(self._last_open_error)
            remaining = loop_deadline - self._loop.time()
            if remaining <= 0:
                if self._last_open_error is not None:
                    raise self._last_open_error
                raise dpy_error(4005)
            self._warm_event.clear()
            try:
                await asyncio.wait_for(self._warm_event.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def _get(self, name: str) -> Any:
        try:
            return self._machine.get_attribute(name)
        except PoolUsageError as exc:
            raise self._usage_error(exc, "get", name) from None

    def _set(self, name: str, value: object) -> None:
        try:
            self._run(self._machine.set_attribute(name, value, now=self._now()))
        except PoolUsageError as exc:
            raise self._usage_error(exc, "set", name) from None

    @staticmethod
    def _usage_error(exc: PoolUsageError, verb: str, name: str) -> Error:
        if int(exc.code) == 3001:
            return dpy_error(3001, feature=_THICK_ONLY_TEXT[verb, name], driver_type="thick")
        return dpy_error(int(exc.code))

    getmode = _writable("getmode", "POOL_GETMODE_* (changing it resets wait_timeout, as python-oracledb does).")
    wait_timeout = _writable("wait_timeout", "Milliseconds (TIMEDWAIT only; ignored in other modes).")
    timeout = _writable("timeout", "Idle seconds before connections above min are closed.")
    max_lifetime_session = _writable("max_lifetime_session", "Seconds a session may live; 0 = no limit.")
    ping_interval = _writable("ping_interval", "Seconds idle before a ping on acquire (0 always, < 0 never).")
    stmtcachesize = _writable("stmtcachesize", "Statement cache size of new connections.")
    max_sessions_per_shard = _writable("max_sessions_per_shard", "Thick mode only: DPY-3001.")
    soda_metadata_cache = _writable("soda_metadata_cache", "Thick mode only: DPY-3001.")

    # ------------------------------------------------------------- driver

    def _now(self) -> float:
        return self._clock.time()

    def _spawn(self, coro: Any, *, abandon_on_close: bool = True) -> asyncio.Task[None]:
        task = self._loop.create_task(coro)
        tasks = self._abandonable if abandon_on_close else self._tasks
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    def _run(self, actions: list[PoolAction]) -> None:
        for action in actions:
            match action:
                case OpenConnection(conn=conn, cclass=cclass):
                    self._opens[conn] = task = self._spawn(self._open(conn, cclass))
                    task.add_done_callback(functools.partial(self._open_done, conn))
                case PingConnection(conn=conn):
                    self._spawn(self._ping(conn))
                case RollbackConnection(conn=conn):
                    # Not abandoned on close: a release() awaits it, and it is bounded.
                    self._rollbacks[conn] = self._spawn(self._rollback(conn), abandon_on_close=False)
                case CloseConnection(conn=conn):
                    self._spawn(self._close_one(conn), abandon_on_close=False)
                case HandOver(req=req, conn=conn):
                    self._deliver(req, conn)
                case FailRequest(req=req, code=code):
                    waiter = self._waiters.pop(req, None)
                    # .get: a fatal logon error fails every caller waiting for a logon.
                    error = self._open_errors.get(int(code) - _OWN_ERROR_BASE)
                    if waiter is not None and not waiter.done():
                        if error is None:
                            # The machine's own reasons: a full pool (4005), a logon given up on (6005).
                            cause = "the pool gave up waiting for the logon" if int(code) == 6005 else None
                            error = dpy_error(int(code), cause, connection_id="")
                        waiter.set_exception(_fresh(error))
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

    async def _open(self, conn_id: int, cclass: str | None = None) -> None:
        params = self._params
        if cclass is not None and cclass != params.cclass:
            params = params.copy()  # a request for another DRCP connection class
            params.set(cclass=cclass)
        try:
            conn = await open_session(params, self._target, self._dsn, self._conn_class, pooled=True,
                                      password_key=self._password_key)
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
                self._last_open_error = error
                health = self._logon_report.failed(self._now(), _one_line(error), failure)
                if failure is LogonFailure.FATAL and not halted:  # a state change of its own
                    _log.error("logons failing: %s; not retried (no retry can fix it), the next "
                               "acquire() tries once", _one_line(error))
                else:
                    self._report(health)
            self._warm_event.set()
            self._open_errors[conn_id] = error if error is not None else dpy_error(1002)
            self._run(self._machine.open_failed(conn_id, _OWN_ERROR_BASE + conn_id, now=self._now(),
                                                failure=failure, jitter=self._jitter.random()))
            # Kept only while the machine fails callers, but for the latest FATAL one: while
            # halted the machine fails a caller nothing can serve any more with its code.
            if failure is LogonFailure.FATAL:
                self._open_errors = {conn_id: self._open_errors[conn_id]}
            else:
                self._open_errors.pop(conn_id, None)
            return
        if self._machine.slot_states().get(conn_id) is not SlotState.OPENING:
            await conn._abort()  # given up on (or the pool closed) while logging on
            return
        conn._pool = self
        machine = conn._conn
        if machine.password_key is not None and machine.password_key_salt is not None:
            # Every session of the pool uses one password: keep its 12c key (never logged).
            self._password_key = (machine.password_key, machine.password_key_salt)
        self._conns[conn_id] = conn
        self._fresh.add(conn_id)
        self._report(self._logon_report.succeeded(self._now()))
        self._run(self._machine.opened(conn_id, now=self._now(), jitter=self._jitter.random()))
        self._warm_event.set()

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

    async def _ping(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        timeout = self._machine.config.ping_timeout / 1000 or None
        try:
            if conn is None or not _alive(conn):
                raise dpy_error(4011)
            await asyncio.wait_for(_pool_call(conn, conn._conn.ping), timeout)
        except (Exception, asyncio.CancelledError):  # every outcome reaches the machine
            self._run(self._machine.ping_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.ping_succeeded(conn_id, now=self._now()))

    async def _rollback(self, conn_id: int) -> None:
        conn = self._conns.get(conn_id)
        try:
            if conn is None:
                raise dpy_error(4011)
            await asyncio.wait_for(_pool_call(conn, conn._conn.rollback), _internal_timeout(conn))
        except (Exception, asyncio.CancelledError):  # every outcome reaches the machine
            self._run(self._machine.rollback_failed(conn_id, now=self._now()))
            return
        self._run(self._machine.rolled_back(conn_id, now=self._now()))

    def _open_done(self, conn_id: int, task: asyncio.Task[None]) -> None:
        if self._opens.get(conn_id) is task:
            del self._opens[conn_id]

    async def _close_one(self, conn_id: int) -> None:
        opening = self._opens.pop(conn_id, None)
        if opening is not None and not opening.done():
            # The machine gave up on this logon (its deadline passed): abandon it, so its
            # socket and task go now and it no longer counts against max_concurrent_opens.
            opening.cancel()
            await asyncio.wait({opening}, timeout=_CLOSE_WAIT_SECONDS)
        conn = self._conns.pop(conn_id, None)
        self._fresh.discard(conn_id)
        if conn is not None:
            conn._pool_closed = True
            try:
                await conn._abort()
            except Exception as exc:  # the socket is cut either way; the machine must hear back
                _log.debug("pooled session close: %s", exc)
        self._run(self._machine.closed(conn_id, now=self._now()))

    def _reap_dead_idle(self) -> None:
        """python-oracledb's check on reuse (POOL.md 1.9): an idle session whose socket
        died (killed, dropped) is closed and replaced, never handed out."""
        states = self._machine.slot_states()
        for conn_id, conn in list(self._conns.items()):
            if states.get(conn_id) is SlotState.IDLE and not _alive(conn):
                del self._conns[conn_id]
                self._fresh.discard(conn_id)
                conn._pool_closed = True
                self._spawn(conn._abort(), abandon_on_close=False)
                self._run(self._machine.closed(conn_id, now=self._now()))

    def _conn_id(self, connection: object) -> int | None:
        for conn_id, conn in self._conns.items():
            if conn is connection:
                return conn_id
        return None

    # ------------------------------------------------------------ public

    def acquire(self, user: str | None = None, password: str | None = None, cclass: str | None = None,
                purity: int = PURITY_DEFAULT, tag: str | None = None, matchanytag: bool = False,
                shardingkey: list[Any] | None = None, supershardingkey: list[Any] | None = None) -> _Acquire:
        """A connection: ``await pool.acquire()`` or ``async with pool.acquire() as conn``.

        ``cclass`` picks (or opens) a session of that DRCP connection class;
        ``purity=PURITY_NEW`` only takes a never-used session.  Tags and sharding
        keys raise DPY-3001 when awaited (thick mode only, as in python-oracledb)."""
        self._verify_open()
        return _Acquire(self, dict(user=user, cclass=cclass, purity=purity, tag=tag, shardingkey=shardingkey,
                                   supershardingkey=supershardingkey))

    async def _acquire(self, *, user: str | None, cclass: str | None, purity: int, tag: str | None,
                       shardingkey: list[Any] | None, supershardingkey: list[Any] | None) -> AsyncConnection:
        if tag is not None:
            raise dpy_error(3001, feature="session tagging", driver_type="thick")
        if shardingkey is not None or supershardingkey is not None:
            raise dpy_error(3001, feature="sharding", driver_type="thick")
        if user is not None and user.upper() != (self._params.user or "").upper():
            raise dpy_error(3001, message="heterogeneous pools are not supported by oracle_asyncio")
        self._reap_dead_idle()
        req = next(self._reqs)
        waiter: asyncio.Future[int] = self._loop.create_future()
        self._waiters[req] = waiter
        try:
            self._run(self._machine.acquire(req, now=self._now(), cclass=cclass,
                                            wants_new=Purity(purity) is Purity.NEW))
        except PoolUsageError as exc:
            self._waiters.pop(req, None)
            raise dpy_error(int(exc.code)) from None
        try:
            conn_id = await waiter
        except asyncio.CancelledError:
            # Waiting, or handed a connection in the turn it was cancelled: either
            # way the machine takes the request back and no slot is lost.
            self._waiters.pop(req, None)
            self._run(self._machine.cancel(req, now=self._now()))
            raise
        conn = self._conns[conn_id]
        conn._released = False
        fresh = conn_id in self._fresh
        self._fresh.discard(conn_id)
        try:
            if self.on_connect_callback is not None:
                await self.on_connect_callback(conn)
            if fresh and self.session_callback is not None:
                await self.session_callback(conn, tag)
        except BaseException:
            # python-oracledb leaks the busy slot here (POOL.md 1.19b); we drop the session.
            conn._released = True
            self._run(self._machine.drop(conn_id, now=self._now()))
            raise
        return conn

    async def release(self, connection: AsyncConnection, tag: str | None = None) -> None:
        """Give a connection back; an open transaction is rolled back first (no round
        trip otherwise).

        Raises:
            InterfaceError: DPY-1001 when this pool does not hold ``connection`` (released
                already, or handed out by another pool: the message says which).
        """
        self._verify_open()
        if not isinstance(connection, AsyncConnection):
            raise TypeError("connection must be an instance of oracle_asyncio.AsyncConnection")
        if connection._pool is not None and connection._pool is not self:
            raise dpy_error(1001, message=_FOREIGN)
        conn_id = self._conn_id(connection)
        if conn_id is None or connection._released:
            raise dpy_error(1001)
        reusable = connection.is_healthy()
        # A call still in flight (its caller cancelled: the transport is breaking it) may
        # have changed data: the pool's rollback waits for the reset, then cleans up.
        in_transaction = connection._conn.in_transaction or connection._conn.state is not ClientState.READY
        connection._released = True
        self._run(self._machine.release(conn_id, now=self._now(), in_transaction=in_transaction,
                                        reusable=reusable))
        rollback = self._rollbacks.pop(conn_id, None)
        if rollback is not None:
            # As python-oracledb: release() returns once the rollback is done (the slot
            # counts busy until then); a cancelled caller leaves it running.
            await asyncio.shield(rollback)

    def _terminated(self, connection: AsyncConnection) -> None:
        """``connection.terminate()`` cut a session of this pool: its slot is freed."""
        conn_id = self._conn_id(connection)
        if conn_id is None or connection._released or self._machine.phase is PoolPhase.CLOSED:
            return
        connection._released = True
        self._run(self._machine.drop(conn_id, now=self._now()))

    async def drop(self, connection: AsyncConnection) -> None:
        """Close a connection instead of returning it; the pool refills to ``min``.

        Raises:
            InterfaceError: DPY-1001 as :meth:`release`.
        """
        self._verify_open()
        if not isinstance(connection, AsyncConnection):
            raise TypeError("connection must be an instance of oracle_asyncio.AsyncConnection")
        if connection._pool is not None and connection._pool is not self:
            raise dpy_error(1001, message=_FOREIGN)  # python-oracledb: ValueError, counts corrupted
        conn_id = self._conn_id(connection)
        if conn_id is None or connection._released:
            raise dpy_error(1001)
        connection._released = True
        self._run(self._machine.drop(conn_id, now=self._now()))

    async def close(self, force: bool = False) -> None:
        """Close the pool: DPY-1005 while connections are busy or callers wait,
        unless ``force``.  Logons and pings in flight are abandoned, so a stalled
        server never holds ``close()`` up."""
        try:
            self._run(self._machine.close(force=force, now=self._now()))
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None
        if self._cache_name is not None:
            _registry.remove_pool(self._cache_name)
        for conn in self._conns.values():
            conn._pool_closed = True  # closing it (or leaving its `async with`) is now a no-op
        for task in list(self._abandonable):
            task.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(self._closed), _CLOSE_WAIT_SECONDS)
        except asyncio.TimeoutError:
            # Every close has its own deadline, so this is a bug-class event: report, do not hang.
            _log.error("pool close: sessions did not report back within %s s", _CLOSE_WAIT_SECONDS)
        finally:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


def _fresh(error: BaseException) -> BaseException:
    """A copy of ``error`` to raise: one logon error fails many callers, and a single
    object raised in each of their tasks would collect all their tracebacks."""
    new = copy.copy(error)
    new.__cause__, new.__traceback__ = error.__cause__, None
    return new


def _one_line(error: BaseException) -> str:
    """An error for a log line: its lines joined, python-oracledb's Help link left out."""
    return " | ".join(line for line in str(error).splitlines() if line and not line.startswith("Help:"))


def _internal_timeout(conn: AsyncConnection) -> float:
    """The bound of a round trip the pool makes for a holder (rollback on release):
    the connection's ``call_timeout`` when set, else a generous default."""
    return conn._call_timeout / 1000 if conn._call_timeout else _INTERNAL_CALL_SECONDS


def _alive(conn: AsyncConnection) -> bool:
    """``is_healthy()`` for a connection the pool holds (that one is False once released)."""
    return not conn._closed and conn._transport.dead is None


async def _pool_call(conn: AsyncConnection, start: Any) -> None:
    """A round trip the pool makes on a session it holds (ping, rollback on release)."""
    await conn._call(start, internal=True)


def _config(p: PoolParams) -> PoolConfig:
    try:
        return PoolConfig(
            min=p.min, max=p.max, increment=p.increment, getmode=p.getmode, timeout=p.timeout,
            wait_timeout=p.wait_timeout, max_lifetime_session=p.max_lifetime_session,
            ping_interval=p.ping_interval, ping_timeout=p.ping_timeout, stmtcachesize=p.stmtcachesize,
            cclass=p.cclass, max_waiters=p.max_waiters, lifetime_jitter=p.lifetime_jitter,
            leak_threshold=p.leak_threshold, max_concurrent_opens=p.max_concurrent_opens,
        )
    except PoolUsageError as exc:
        raise dpy_error(int(exc.code)) from None
