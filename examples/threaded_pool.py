"""A connection pool for code with no event loop (scripts, WSGI apps): ``PoolMachine``
behind one lock and one condition, sessions on blocking sockets.

The machine decides everything.  Each public method and each worker takes the lock,
feeds the machine one input, keeps the actions that need no I/O (hand-overs, failures,
timers) and starts the others (logon, ping, rollback, close) on short-lived threads
outside the lock; each of those reports its outcome as the next input.  One
housekeeping thread sleeps on the condition until ``next_deadline`` and calls
``timer_fired``.

    python -m examples.threaded_pool [--dsn host:port/service --user U --password P]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import functools
import itertools
import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, assert_never

from oracle_sansio import (
    CloseConnection, ConnId, DpyCode, FailRequest, HandOver, LeakDetected, OpenConnection,
    PingConnection, PoolAction, PoolClosed, PoolConfig, PoolMachine, PoolStatistics, PoolUsageError,
    ReqId, RollbackConnection, Secret, SetTimer, classify_logon_error, dpy_error,
)

from .blocking_query import BlockingSession

__all__ = ["PooledSession", "ThreadedPool"]

_log = logging.getLogger("examples.threaded_pool")

#: close() waits at most this long for every session to report back.
_CLOSE_WAIT = 30.0

_Report = Callable[..., list[PoolAction]]  # PoolMachine.ping_succeeded and kin: (conn, *, now)


class PooledSession(BlockingSession):
    """A session of a :class:`ThreadedPool`: ``with pool.acquire() as session:`` gives it
    back on exit, and so does ``close()`` (as python-oracledb's pooled connections)."""

    def __init__(self, pool: ThreadedPool, conn_id: ConnId, timeout: float) -> None:
        super().__init__(pool.dsn, pool.user, pool._password.expose(), timeout=timeout)
        self.pool = pool
        self.conn_id = conn_id
        #: Checked out (changed only under the pool's lock).
        self.held = False

    def __enter__(self) -> PooledSession:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.held:
            self.pool.release(self)

    def close(self) -> None:
        """Give the session back to its pool (the pool logs it off with ``BlockingSession.close``)."""
        self.pool.release(self)


class ThreadedPool:
    """python-oracledb's ``ConnectionPool`` in miniature; ``settings`` are
    :class:`~oracle_sansio.pool.PoolConfig`'s (min, max, increment, getmode, wait_timeout, ...);
    ``call_timeout`` bounds, in seconds, each wait of a session for the server."""

    def __init__(self, dsn: str, user: str, password: str, *, call_timeout: float = 30.0,
                 **settings: Any) -> None:
        self.dsn, self.user, self._password = dsn, user, Secret(password)  # never in a repr
        self._call_timeout = call_timeout
        self._machine = PoolMachine(PoolConfig(**settings))
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._sessions: dict[ConnId, PooledSession] = {}
        self._working: set[ConnId] = set()  # a ping or a rollback runs on these
        #: Per waiting request: None while it waits, then its session or its error.
        self._results: dict[ReqId, PooledSession | BaseException | None] = {}
        self._reqs = itertools.count(1)
        self._closed = False
        self._housekeeper = threading.Thread(target=self._housekeep, name="pool-timers", daemon=True)
        self._housekeeper.start()
        self._step(lambda now: self._machine.open(now=now))

    @property
    def opened(self) -> int:
        """Sessions open (busy + idle), as python-oracledb's ``pool.opened``."""
        return self._machine.open_count

    @property
    def busy(self) -> int:
        """Sessions checked out."""
        return self._machine.busy

    @property
    def statistics(self) -> PoolStatistics:
        """The machine's counters (an extra, as ``oracle_asyncio``'s ``pool.statistics``)."""
        return self._machine.statistics

    # ------------------------------------------------------------ the driver

    def _step(self, feed: Callable[[float], list[PoolAction]]) -> None:
        """Feed the machine one input under the lock; start the I/O it asks for after."""
        with self._lock:
            try:
                actions = feed(time.monotonic())
            except PoolUsageError as exc:
                raise dpy_error(int(exc.code)) from None
            jobs = self._apply(actions)
        for job in jobs:
            threading.Thread(target=job, daemon=True).start()

    def _apply(self, actions: list[PoolAction]) -> list[Callable[[], None]]:
        """Under the lock: do what needs no I/O, return the rest as jobs."""
        jobs: list[Callable[[], None]] = []
        todo = list(actions)
        while todo:
            match action := todo.pop(0):
                case HandOver(req=req, conn=conn):
                    if req in self._results and self._results[req] is None:
                        self._results[req] = session = self._sessions[conn]
                        session.held = True
                        self._cond.notify_all()
                    else:  # its caller left: the session goes back
                        todo.extend(self._machine.cancel(req, now=time.monotonic()))
                case FailRequest(req=req):
                    if req in self._results and self._results[req] is None:
                        self._results[req] = action.exception()
                        self._cond.notify_all()
                case OpenConnection(conn=conn):
                    jobs.append(functools.partial(self._open, conn))
                case PingConnection(conn=conn):
                    self._working.add(conn)
                    timeout = self._machine.config.ping_timeout / 1000 or None
                    jobs.append(functools.partial(self._round_trip, conn, lambda s: s.ping(timeout),
                                                  self._machine.ping_succeeded, self._machine.ping_failed))
                case RollbackConnection(conn=conn):
                    self._working.add(conn)
                    jobs.append(functools.partial(self._round_trip, conn, BlockingSession.rollback,
                                                  self._machine.rolled_back, self._machine.rollback_failed))
                case CloseConnection(conn=conn):
                    jobs.append(functools.partial(self._close_one, conn))
                case SetTimer():
                    self._cond.notify_all()  # the housekeeper reads next_deadline again
                case PoolClosed():
                    self._closed = True
                    self._cond.notify_all()
                case LeakDetected(conn=conn, held_since=since):
                    _log.warning("session %s held for %.1f s", conn, time.monotonic() - since)
                case unreachable:
                    assert_never(unreachable)
        return jobs

    def _housekeep(self) -> None:
        """The one timer: sleep until ``next_deadline`` (or a SetTimer), then ``timer_fired``."""
        while not self._closed:
            with self._lock:
                at, now = self._machine.next_deadline, time.monotonic()
                if at is None or at > now:
                    self._cond.wait(None if at is None else at - now)
                    continue
            self._step(lambda now: self._machine.timer_fired(now=now))

    # ---------------------------------------------------- jobs (no lock held)

    def _open(self, conn: ConnId) -> None:
        try:
            session = PooledSession(self, conn, self._call_timeout)
        except Exception as exc:  # every outcome reaches the machine
            self._step(lambda now: self._machine.open_failed(
                conn, DpyCode.CONNECTION_FAILED, now=now, failure=classify_logon_error(exc),
                jitter=random.random(), error=exc))
            return

        def opened(now: float) -> list[PoolAction]:
            # Given up on (or the pool closed) while logging on: the machine asks to close it.
            self._sessions[conn] = session
            return self._machine.opened(conn, now=now, jitter=random.random())
        self._step(opened)

    def _round_trip(self, conn: ConnId, call: Callable[[BlockingSession], None],
                    succeeded: _Report, failed: _Report) -> None:
        """Run a ping or a rollback on ``conn`` and report which way it went."""
        try:
            call(self._sessions[conn])
            report = succeeded
        except Exception:  # every outcome reaches the machine
            report = failed

        def done(now: float) -> list[PoolAction]:
            self._working.discard(conn)
            return report(conn, now=now)
        self._step(done)

    def _close_one(self, conn: ConnId) -> None:
        with self._lock:
            session = self._sessions.pop(conn, None)
            in_use = session is not None and (session.held or conn in self._working)
        if session is not None:
            session.held = False
            try:
                if in_use:  # a forced close or a give-up: another thread may be in a call on it
                    session.dead = True
                    session.sock.shutdown(socket.SHUT_RDWR)  # that call fails at once
                BlockingSession.close(session)
            except Exception as exc:  # noqa: BLE001 - closed either way: the machine must hear of it
                _log.debug("session close: %s", exc)
                session.sock.close()
        self._step(lambda now: self._machine.closed(conn, now=now))

    # ---------------------------------------------------------- public API

    def acquire(self, timeout: float | None = None) -> PooledSession:
        """A session, as ``pool.acquire()``; ``timeout`` (seconds, an extra) gives up with
        DPY-4005.  Raises the machine's DPY error (DPY-1002 once closed, DPY-4005 for a
        NOWAIT or TIMEDWAIT pool with none free) or the logon's error."""
        deadline = None if timeout is None else time.monotonic() + timeout
        again = False
        while not (session := self._wait_for(next(self._reqs), deadline, again)).healthy:
            # Died while idle (killed, socket cut): replaced, and this caller asks again.
            session.sock.close()
            self._step(functools.partial(self._gone, session))
            again = True
        return session

    def _gone(self, session: PooledSession, now: float) -> list[PoolAction]:
        session.held = False
        self._sessions.pop(session.conn_id, None)
        return self._machine.closed(session.conn_id, now=now)

    def _wait_for(self, req: ReqId, deadline: float | None, again: bool) -> PooledSession:
        def ask(now: float) -> list[PoolAction]:
            actions = self._machine.acquire(req, now=now, again=again)
            self._results[req] = None  # before the actions run: one may hand a session over
            return actions
        self._step(ask)
        with self._lock:
            while self._results[req] is None and (deadline is None or time.monotonic() < deadline):
                self._cond.wait(None if deadline is None else deadline - time.monotonic())
            got = self._results.pop(req)
        if got is None:
            # Given up: the machine takes the request back (a session handed over meanwhile
            # would have been seen above, under the same lock), so no slot is lost.
            self._step(lambda now: self._machine.cancel(req, now=now, timed_out=True))
            raise dpy_error(4005)
        if isinstance(got, BaseException):
            raise got
        return got

    def _give_back(self, session: PooledSession) -> ConnId:
        """Under the lock: ``session`` is no longer its caller's (DPY-1001 if it was not)."""
        if session.pool is not self or not session.held:
            raise dpy_error(1001)
        session.held = False
        return session.conn_id

    def release(self, session: PooledSession) -> None:
        """Give ``session`` back; an open transaction is rolled back first."""
        if session.pool is not self or not session.held:
            raise dpy_error(1001)  # before looking at a socket another caller may be using
        reusable, in_transaction = session.healthy, session.in_transaction
        self._step(lambda now: self._machine.release(
            self._give_back(session), now=now, in_transaction=in_transaction, reusable=reusable))

    def drop(self, session: PooledSession) -> None:
        """Close ``session`` instead of giving it back; the pool refills to ``min``."""
        self._step(lambda now: self._machine.drop(self._give_back(session), now=now))

    def close(self, force: bool = False) -> None:
        """Close the pool: DPY-1005 while sessions are busy, unless ``force`` (which cuts them)."""
        self._step(lambda now: self._machine.close(force=force, now=now))
        with self._lock:
            if not self._cond.wait_for(lambda: self._closed, _CLOSE_WAIT):
                _log.error("pool close: sessions did not report back within %s s", _CLOSE_WAIT)
            self._closed = True  # the housekeeper stops
            self._cond.notify_all()
        self._housekeeper.join(_CLOSE_WAIT)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: 8 threads run 200 queries through a pool of at most 3
    sessions, against ``--dsn`` or an embedded server started here."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dsn")
    parser.add_argument("--user", default="scott")
    parser.add_argument("--password", default="tiger")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if not args.dsn:
            from oracle_asyncio.testing import EmbeddedServer  # only the demo needs it
            args.dsn = stack.enter_context(EmbeddedServer(users={args.user: args.password}).threaded()).dsn
        pool = ThreadedPool(args.dsn, args.user, args.password, min=1, max=3)

        def query(n: int) -> bool:
            with pool.acquire() as session:
                return session.query(f"select {n} from dual")[1] == [(n,)]
        with concurrent.futures.ThreadPoolExecutor(8) as threads:
            right = sum(threads.map(query, range(200)))
        print(f"8 threads, 200 queries: {right} right; pool opened {pool.opened}, busy {pool.busy}")
        pool.close()


if __name__ == "__main__":
    main()
