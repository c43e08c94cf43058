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
import copy
import functools
import itertools
import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, assert_never

from oracle_sansio.exceptions import dpy_error
from oracle_sansio.pool import (
    CloseConnection, ConnId, FailRequest, HandOver, LeakDetected, OpenConnection, PingConnection,
    PoolAction, PoolClosed, PoolConfig, PoolMachine, PoolUsageError, RollbackConnection, SetTimer,
    SlotState, classify_logon_error,
)

from .blocking_query import BlockingSession

__all__ = ["PooledSession", "ThreadedPool"]

_log = logging.getLogger("examples.threaded_pool")

#: The FailRequest code this driver gives a failed logon: its caller gets that logon's error.
_LOGON_FAILED = 1_000_000
#: close() waits at most this long for every session to report back.
_CLOSE_WAIT = 30.0

_Job = Callable[[], None]
_Report = Callable[..., list[PoolAction]]  # PoolMachine.ping_succeeded and kin: (conn, *, now)


class PooledSession(BlockingSession):
    """A session of a :class:`ThreadedPool`: ``with pool.acquire() as session:`` gives it
    back on exit, and ``close()`` gives it back too (as python-oracledb's pooled connections)."""

    def __init__(self, pool: ThreadedPool, conn_id: ConnId, timeout: float) -> None:
        super().__init__(pool.dsn, pool.user, pool._password, timeout=timeout)
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
        """Give the session back to its pool."""
        self.pool.release(self)

    def disconnect(self) -> None:
        """Log off and close the socket (the pool's own close)."""
        BlockingSession.close(self)


class ThreadedPool:
    """python-oracledb's ``ConnectionPool`` in miniature; ``settings`` are
    :class:`~oracle_sansio.pool.PoolConfig`'s (min, max, increment, getmode, wait_timeout, ...)."""

    def __init__(self, dsn: str, user: str, password: str, *, call_timeout: float = 30.0,
                 **settings: Any) -> None:
        self.dsn, self.user, self._password = dsn, user, password
        self._call_timeout = call_timeout
        self._machine = PoolMachine(PoolConfig(**settings))
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._sessions: dict[ConnId, PooledSession] = {}
        self._working: set[ConnId] = set()  # a ping or rollback is running on these
        #: Per waiting request: None while it waits, then its connection id or its error.
        self._results: dict[int, ConnId | BaseException | None] = {}
        self._reqs = itertools.count(1)
        self._logon_error: BaseException | None = None
        self._closed = self._stopped = False
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

    # ------------------------------------------------------------ the driver

    def _step(self, feed: Callable[[float], list[PoolAction]]) -> None:
        """Feed the machine one input under the lock; start its I/O after."""
        with self._lock:
            jobs = self._apply(self._feed(feed))
        self._start(jobs)

    def _feed(self, feed: Callable[[float], list[PoolAction]]) -> list[PoolAction]:
        try:
            return feed(time.monotonic())
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None

    def _apply(self, actions: list[PoolAction]) -> list[_Job]:
        """Under the lock: do what needs no I/O, return the rest as jobs."""
        jobs: list[_Job] = []
        todo = list(actions)
        while todo:
            action = todo.pop(0)
            match action:
                case HandOver(req=req, conn=conn):
                    if req in self._results and self._results[req] is None:
                        self._results[req] = conn
                        self._sessions[conn].held = True
                        self._cond.notify_all()
                    else:  # its caller left: the connection goes back
                        todo.extend(self._machine.cancel(req, now=time.monotonic()))
                case FailRequest(req=req, code=code):
                    if req in self._results and self._results[req] is None:
                        self._results[req] = self._error(int(code))
                        self._cond.notify_all()
                case OpenConnection(conn=conn):
                    jobs.append(functools.partial(self._open, conn))
                case PingConnection(conn=conn):
                    self._working.add(conn)
                    jobs.append(functools.partial(self._round_trip, conn, self._ping,
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
                case _ as unreachable:
                    assert_never(unreachable)
        return jobs

    @staticmethod
    def _start(jobs: list[_Job]) -> None:
        for job in jobs:
            threading.Thread(target=job, daemon=True).start()

    def _error(self, code: int) -> BaseException:
        if code == _LOGON_FAILED and self._logon_error is not None:
            return copy.copy(self._logon_error)  # a copy per caller: tracebacks stay apart
        return dpy_error(code, connection_id="")

    def _housekeep(self) -> None:
        """The one timer: sleep until ``next_deadline`` (or a SetTimer), then ``timer_fired``."""
        while True:
            with self._lock:
                if self._stopped:
                    return
                at, now = self._machine.next_deadline, time.monotonic()
                if at is None or at > now:
                    self._cond.wait(None if at is None else at - now)
                    continue
                jobs = self._apply(self._machine.timer_fired(now=now))
            self._start(jobs)

    # ---------------------------------------------------- jobs (no lock held)

    def _open(self, conn: ConnId) -> None:
        try:
            session = PooledSession(self, conn, self._call_timeout)
        except Exception as exc:  # every outcome reaches the machine
            failure = classify_logon_error(exc)
            _log.debug("logon failed (%s): %s", failure.value, exc)
            with self._lock:
                self._logon_error = exc
            self._step(lambda now: self._machine.open_failed(
                conn, _LOGON_FAILED, now=now, failure=failure, jitter=random.random()))
            return
        with self._lock:
            wanted = self._machine.state_of(conn) is SlotState.OPENING
            if wanted:
                self._sessions[conn] = session
                jobs = self._apply(self._machine.opened(conn, now=time.monotonic(),
                                                        jitter=random.random()))
        if wanted:
            self._start(jobs)
        else:  # given up on (or the pool closed) while logging on
            session.disconnect()

    def _ping(self, session: BlockingSession) -> None:
        session.ping(self._machine.config.ping_timeout / 1000 or None)

    def _round_trip(self, conn: ConnId, call: Callable[[BlockingSession], None],
                    succeeded: _Report, failed: _Report) -> None:
        """Run a ping or a rollback on ``conn`` and report which way it went."""
        try:
            call(self._sessions[conn])
            report = succeeded
        except Exception:  # every outcome reaches the machine
            report = failed

        def feed(now: float) -> list[PoolAction]:
            self._working.discard(conn)
            return report(conn, now=now)
        self._step(feed)

    def _close_one(self, conn: ConnId) -> None:
        with self._lock:
            session = self._sessions.pop(conn, None)
            in_use = session is not None and (session.held or conn in self._working)
            if session is not None:
                session.held = False
        if session is not None:
            try:
                if in_use:  # a forced close or a give-up: another thread may be in a call on it
                    session.dead = True
                    session.sock.shutdown(socket.SHUT_RDWR)  # that call fails at once
                session.disconnect()
            except OSError as exc:
                _log.debug("session close: %s", exc)
        self._step(lambda now: self._machine.closed(conn, now=now))

    # ---------------------------------------------------------- public API

    def acquire(self, timeout: float | None = None) -> PooledSession:
        """A session, as ``pool.acquire()``; ``timeout`` (seconds, an extra) gives up with
        DPY-4005.  Raises the machine's DPY error (DPY-1002 once closed, DPY-4005 for a
        NOWAIT or TIMEDWAIT pool with none free) or the logon's error."""
        deadline = None if timeout is None else time.monotonic() + timeout
        again = False
        while True:
            conn = self._wait_for(next(self._reqs), deadline, again)
            session = self._sessions[conn]
            if session.healthy:
                return session
            # Died while idle (killed, socket cut): replaced, and this caller asks again.
            with self._lock:
                session.held = False
                self._sessions.pop(conn, None)
            session.sock.close()
            self._step(lambda now: self._machine.closed(conn, now=now))
            again = True

    def _wait_for(self, req: int, deadline: float | None, again: bool) -> ConnId:
        with self._lock:
            self._results[req] = None
            jobs = self._apply(self._feed(lambda now: self._machine.acquire(req, now=now, again=again)))
        self._start(jobs)
        with self._lock:
            while self._results[req] is None and (deadline is None or time.monotonic() < deadline):
                self._cond.wait(None if deadline is None else deadline - time.monotonic())
            got = self._results.pop(req)
            if got is None:
                # Given up: the machine takes the request back (a session handed over in
                # the meantime would have been seen above), so no slot is lost.
                jobs = self._apply(self._machine.cancel(req, now=time.monotonic()))
        if got is None:
            self._start(jobs)
            raise dpy_error(4005)
        if isinstance(got, BaseException):
            raise got
        return got

    def release(self, session: PooledSession) -> None:
        """Give ``session`` back; an open transaction is rolled back first (DPY-1001 if not held)."""
        if session.pool is not self or not session.held:
            raise dpy_error(1001)  # before looking at a socket another caller may be using
        reusable, in_transaction = session.healthy, session.in_transaction

        def feed(now: float) -> list[PoolAction]:
            if session.pool is not self or not session.held:
                raise dpy_error(1001)
            session.held = False
            return self._machine.release(session.conn_id, now=now, in_transaction=in_transaction,
                                         reusable=reusable)
        self._step(feed)

    def drop(self, session: PooledSession) -> None:
        """Close ``session`` instead of giving it back; the pool refills to ``min``."""
        def feed(now: float) -> list[PoolAction]:
            if session.pool is not self or not session.held:
                raise dpy_error(1001)
            session.held = False
            return self._machine.drop(session.conn_id, now=now)
        self._step(feed)

    def close(self, force: bool = False) -> None:
        """Close the pool: DPY-1005 while sessions are busy, unless ``force`` (which cuts them)."""
        self._step(lambda now: self._machine.close(force=force, now=now))
        with self._lock:
            if not self._cond.wait_for(lambda: self._closed, _CLOSE_WAIT):
                _log.error("pool close: sessions did not report back within %s s", _CLOSE_WAIT)
            self._stopped = True
            self._cond.notify_all()
        self._housekeeper.join(_CLOSE_WAIT)


def run(pool: ThreadedPool, threads: int = 8, queries: int = 25) -> int:
    """``threads`` threads each run ``queries`` queries, one acquire each; the right answers."""
    right = [0] * threads

    def worker(n: int) -> None:
        for i in range(queries):
            with pool.acquire() as session:
                _, rows = session.query(f"select {n * 1000 + i} from dual")
            right[n] += rows == [(n * 1000 + i,)]
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(60)
    return sum(right)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: against ``--dsn``, or an embedded server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dsn")
    parser.add_argument("--user", default="scott")
    parser.add_argument("--password", default="tiger")
    args = parser.parse_args(argv)

    def go(dsn: str) -> None:
        pool = ThreadedPool(dsn, args.user, args.password, min=1, max=3)
        right = run(pool)
        print(f"8 threads x 25 queries: {right} right; pool opened {pool.opened}, busy {pool.busy}")
        pool.close()
    if args.dsn:
        go(args.dsn)
        return
    from oracle_asyncio.testing import EmbeddedServer  # only the demo needs it
    with EmbeddedServer(users={args.user: args.password}).threaded() as server:
        go(server.dsn)


if __name__ == "__main__":
    main()
