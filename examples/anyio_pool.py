"""A session and a small pool on anyio (trio or asyncio), driven by oracle_sansio's machines.

``ClientConnection`` decides the protocol and ``PoolMachine`` the pool; this module moves
bytes and runs the pool's actions: a task group for logons, pings, rollbacks and closes, a
timer task for ``next_deadline``, an ``Event`` per waiting caller, ``anyio.current_time()``
as the clock.  A call cut short by its caller's cancel scope or its timeout is broken and
read to its end (reset, then ORA-01013) in a shielded scope within ``break_grace`` seconds,
so the session stays usable; past that its socket is cut and the pool replaces it.

    python -m examples.anyio_pool [--backend trio|asyncio] [--dsn HOST:PORT/SERVICE --user U --password P]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import logging
import math
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import assert_never

import anyio
import anyio.abc

from oracle_sansio import (
    NEED_DATA, CallCompleted, ClientConnection, ClientEvent, ClientParams, ClientState, CloseConnection,
    ConnectionClosed, ConnId, Described, DpyCode, Error, ExecuteRequest, FailRequest, HandOver, LeakDetected,
    LoggedOn, OpenConnection, PingConnection, PoolAction, PoolClosed, PoolConfig, PoolMachine, PoolPhase,
    PoolUsageError, ProtocolError, ReqId, RollbackConnection, RowsReceived, Secret, ServerErrorReceived,
    SetTimer, StatementKind, classify_logon_error, dpy_error, ends_step, ora_error, parse_dsn, parse_statement,
)

__all__ = ["Session", "Pool", "connector", "open_pool"]

_log = logging.getLogger("examples.anyio_pool")
Rows = tuple[list[str], list[tuple[object, ...]]]
Command = Callable[[ClientConnection], None]
#: Seconds a logoff, or a rollback the pool asks for, may take.
CLOSE_GRACE = 5.0


class Session:
    """One ``ClientConnection`` over one anyio byte stream; one call at a time."""

    def __init__(self, stream: anyio.abc.ByteStream, conn: ClientConnection, break_grace: float) -> None:
        self.conn = conn
        self.break_grace = break_grace
        self._stream = stream
        self._dead = False

    @classmethod
    async def connect(cls, dsn: str, user: str, password: str, *, timeout: float = 30.0,
                      break_grace: float = 1.0) -> Session:
        """Log on over plain TCP.  Raises ``oracle_sansio.exceptions.Error`` (ORA-01017, DPY-4011...)
        or TimeoutError after ``timeout`` seconds."""
        target = parse_dsn(dsn)
        params = ClientParams(user=user, password=Secret(password), target=target, program="anyio_pool.py")
        with anyio.fail_after(timeout):
            stream = await anyio.connect_tcp(target.addresses[0].host, target.addresses[0].port)
            session = cls(stream, ClientConnection(params, entropy=os.urandom), break_grace)
            try:
                session.conn.start()
                last = await session._outcome(await session._step())
                if not isinstance(last, LoggedOn):  # Refused, Redirected, a TLS renegotiation
                    raise dpy_error(DpyCode.CONNECTION_FAILED, repr(last), connection_id="")
            except BaseException:
                await session.kill()
                raise
        return session

    @property
    def alive(self) -> bool:
        """Logged on, between calls, socket open: usable, and reusable by a pool."""
        return not self._dead and self.conn.state is ClientState.READY

    async def kill(self) -> None:
        """Close the socket without a logoff."""
        self._dead = True
        await anyio.aclose_forcefully(self._stream)

    async def aclose(self) -> None:
        """Log off (within ``CLOSE_GRACE``) and close; a session not ``alive`` is cut."""
        with anyio.CancelScope(shield=True), anyio.move_on_after(CLOSE_GRACE):
            if self.alive:
                self.conn.logoff()
                with contextlib.suppress(Error):
                    await self._step()  # ends with ConnectionClosed
        await self.kill()

    async def _step(self) -> list[ClientEvent]:
        """Exchange bytes until an event ends the step (README, "Using the sans-I/O client")."""
        events: list[ClientEvent] = []
        try:
            while not events or not ends_step(events[-1]):
                event = self.conn.next_event()
                out = self.conn.data_to_send()
                if out:
                    with anyio.CancelScope(shield=True):  # a cancel never cuts a packet in half
                        await self._stream.send(out)
                if event is not NEED_DATA:
                    events.append(event)
                    continue
                try:
                    data = await self._stream.receive()
                except anyio.EndOfStream:
                    data = b""  # the machine reports ConnectionClosed
                self.conn.receive_data(data)
            return events
        except (ProtocolError, OSError, anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
            await self.kill()
            raise dpy_error(DpyCode.CONNECTION_CLOSED, f"{type(exc).__name__}: {exc}") from exc

    async def _outcome(self, events: list[ClientEvent]) -> ClientEvent:
        last = events[-1]
        if isinstance(last, ConnectionClosed):  # EOF: the server ended the session
            await self.kill()
            raise dpy_error(DpyCode.CONNECTION_CLOSED)
        if isinstance(last, ServerErrorReceived):
            if last.ends_session:  # ORA-00028 and the like
                await self.kill()
            raise ora_error(last.code, last.message)
        return last

    async def call(self, command: Command, *, timeout: float | None = None) -> list[ClientEvent]:
        """Run one round trip (``ClientConnection.ping``, ``.commit``...) and return its events.

        Raises ``oracle_sansio.exceptions.Error``: ORA-nnnnn, DPY-4024 after ``timeout``
        seconds, DPY-4011 when the session is dead."""
        if not self.alive:
            raise dpy_error(DpyCode.CONNECTION_CLOSED)
        command(self.conn)
        try:
            with anyio.fail_after(timeout):
                events = await self._step()
        except TimeoutError:
            await self._interrupt()
            raise dpy_error(DpyCode.CALL_TIMEOUT_EXCEEDED, timeout=int((timeout or 0) * 1000)) from None
        except anyio.get_cancelled_exc_class():
            await self._interrupt()
            raise
        await self._outcome(events)
        return events

    async def _interrupt(self) -> None:
        with anyio.CancelScope(shield=True):
            with anyio.move_on_after(self.break_grace):
                self.conn.send_break()
                with contextlib.suppress(Error):
                    # ResetCompleted then ORA-01013; or the reply, once the break is answered.
                    await self._step()
            if not self.alive:
                await self.kill()

    async def execute(self, sql: str, *, arraysize: int = 100, timeout: float | None = None) -> Rows:
        """Run ``sql`` and fetch every row of a query; ``timeout`` is per round trip (as ``call``)."""
        kind = parse_statement(sql).kind
        request = (ExecuteRequest.for_query(sql) if kind is StatementKind.QUERY
                   else ExecuteRequest.for_plsql(sql) if kind is StatementKind.PLSQL
                   else ExecuteRequest.for_dml(sql, is_ddl=kind is StatementKind.DDL))
        command: Command = functools.partial(ClientConnection.execute, request=request)
        names: list[str] = []
        rows: list[tuple[object, ...]] = []
        while True:
            events = await self.call(command, timeout=timeout)
            for event in events:
                if isinstance(event, Described):
                    names = [column.name for column in event.columns]
                elif isinstance(event, RowsReceived):
                    rows.extend(event.rows)
            last = events[-1]
            if not (isinstance(last, CallCompleted) and last.more_rows):
                if isinstance(last, CallCompleted) and last.cursor_id:
                    self.conn.close_cursors([last.cursor_id])  # rides with the next call
                return names, rows
            command = functools.partial(ClientConnection.fetch, cursor_id=last.cursor_id, rows=arraysize)


class _Waiter:
    """A caller in ``acquire``: ``done`` is set once it is handed a session or failed."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.conn: ConnId | None = None
        self.error: BaseException | None = None


class Pool:
    """Runs a ``PoolMachine``'s actions; :func:`open_pool` makes one."""

    def __init__(self, tg: anyio.abc.TaskGroup, connect: Callable[[], Awaitable[Session]], config: PoolConfig) -> None:
        self.machine = PoolMachine(config)
        self._tg = tg
        self._connect = connect
        self._sessions: dict[ConnId, Session] = {}
        self._ids: dict[Session, ConnId] = {}
        self._opening: dict[ConnId, anyio.CancelScope] = {}
        self._waiting: dict[ReqId, _Waiter] = {}
        self._reqs = itertools.count(1)
        self._wake = anyio.Event()
        self.closed = anyio.Event()

    def _run(self, actions: list[PoolAction]) -> None:
        now = anyio.current_time()
        for action in actions:
            match action:
                case HandOver(req=req, conn=conn):
                    waiter = self._waiting.pop(req, None)
                    if waiter is None:  # its caller left: the session goes back
                        self._run(self.machine.cancel(req, now=now))
                    else:
                        waiter.conn = conn
                        waiter.done.set()
                case FailRequest(req=req):
                    waiter = self._waiting.pop(req, None)
                    if waiter is not None:
                        waiter.error = action.exception()
                        waiter.done.set()
                case OpenConnection(conn=conn):
                    self._tg.start_soon(self._open, conn)
                case PingConnection(conn=conn):
                    limit = self.machine.config.ping_timeout / 1000 or None  # milliseconds; 0: none
                    self._tg.start_soon(self._check, conn, ClientConnection.ping, limit,
                                        self.machine.ping_succeeded, self.machine.ping_failed)
                case RollbackConnection(conn=conn):
                    self._tg.start_soon(self._check, conn, ClientConnection.rollback, CLOSE_GRACE,
                                        self.machine.rolled_back, self.machine.rollback_failed)
                case CloseConnection(conn=conn):
                    self._tg.start_soon(self._close_one, conn)
                case SetTimer():
                    self._wake.set()  # the timer task reads next_deadline again
                case PoolClosed():
                    self.closed.set()
                case LeakDetected(conn=conn, held_since=since):
                    _log.warning("session %s held for %.1f s", conn, now - since)
                case _ as unreachable:
                    assert_never(unreachable)

    async def _timer(self) -> None:
        while True:
            self._wake = anyio.Event()
            at = self.machine.next_deadline
            with anyio.CancelScope(deadline=math.inf if at is None else at) as scope:
                await self._wake.wait()
            if scope.cancelled_caught:
                self._run(self.machine.timer_fired(now=anyio.current_time()))

    async def _open(self, conn: ConnId) -> None:
        with anyio.CancelScope() as self._opening[conn]:
            try:
                session = await self._connect()
            except Exception as exc:
                self._run(self.machine.open_failed(conn, DpyCode.CONNECTION_FAILED, now=anyio.current_time(),
                                                   failure=classify_logon_error(exc), error=exc))
                return
            finally:
                del self._opening[conn]
            # Reported even when abandoned meanwhile: the machine then asks to close the session.
            self._sessions[conn] = session
            self._ids[session] = conn
            self._run(self.machine.opened(conn, now=anyio.current_time()))

    async def _check(self, conn: ConnId, command: Command, limit: float | None,
                     ok: Callable[..., list[PoolAction]], failed: Callable[..., list[PoolAction]]) -> None:
        """A ping or a rollback the machine asked for; its outcome is the next input."""
        try:
            await self._sessions[conn].call(command, timeout=limit)
        except (Error, KeyError):
            self._run(failed(conn, now=anyio.current_time()))
        else:
            self._run(ok(conn, now=anyio.current_time()))

    async def _close_one(self, conn: ConnId) -> None:
        if conn in self._opening:
            self._opening[conn].cancel()
        session = self._sessions.pop(conn, None)
        if session is not None:
            del self._ids[session]
            await session.aclose()  # cut at once if a holder is in a call (a forced pool close)
        self._run(self.machine.closed(conn, now=anyio.current_time()))

    async def acquire(self, *, timeout: float | None = None) -> Session:
        """A session, to give back with :meth:`release`.  Raises ``oracle_sansio.exceptions.Error``:
        DPY-4005 after ``timeout`` seconds (or the pool's TIMEDWAIT), DPY-1002 once closed,
        the logon's own error (ORA-01017...) when the logon it needed failed."""
        req = next(self._reqs)
        waiter = self._waiting[req] = _Waiter()
        try:
            with anyio.fail_after(timeout):
                self._run(self.machine.acquire(req, now=anyio.current_time()))
                await waiter.done.wait()
        except BaseException as exc:
            # Timed out or cancelled, maybe in the turn a session was handed over: the machine
            # takes the request back (with that session), so no slot is lost.
            self._waiting.pop(req, None)
            self._run(self.machine.cancel(req, now=anyio.current_time(), timed_out=isinstance(exc, TimeoutError)))
            if isinstance(exc, TimeoutError):
                raise dpy_error(DpyCode.POOL_NO_CONNECTION_AVAILABLE) from None
            raise
        if waiter.error is not None:
            raise waiter.error
        assert waiter.conn is not None  # set with done when error is not
        session = self._sessions.get(waiter.conn)
        if session is None:  # a forced close took it before this task resumed (trio's order)
            raise dpy_error(DpyCode.POOL_NOT_OPEN)
        return session

    def release(self, session: Session, *, reusable: bool = True) -> None:
        """Give ``session`` back; a dead one (or ``reusable=False``) is closed and replaced.
        Raises DPY-1001 when the pool does not hold ``session``."""
        conn = self._ids.get(session, -1)  # unknown: the machine refuses it, or ignores it once closed
        try:
            actions = self.machine.release(conn, now=anyio.current_time(), reusable=reusable and session.alive,
                                           in_transaction=session.conn.in_transaction)
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None
        self._run(actions)

    @asynccontextmanager
    async def connection(self, *, timeout: float | None = None) -> AsyncIterator[Session]:
        """``async with pool.connection() as session:`` acquire, then release."""
        session = await self.acquire(timeout=timeout)
        try:
            yield session
        finally:
            self.release(session)

    async def close(self, *, force: bool = False) -> None:
        """Close every session: DPY-1005 while sessions are busy, unless ``force`` (then they are cut)."""
        try:
            self._run(self.machine.close(force=force, now=anyio.current_time()))
        except PoolUsageError as exc:
            raise dpy_error(int(exc.code)) from None
        with anyio.move_on_after(2 * CLOSE_GRACE):  # every close is bounded: a backstop
            await self.closed.wait()


def connector(dsn: str, user: str, password: str, *, timeout: float = 30.0,
              break_grace: float = 1.0) -> Callable[[], Awaitable[Session]]:
    """What ``open_pool`` logs on with (a ``functools.partial`` would show the password in its repr)."""
    secret = Secret(password)

    async def connect() -> Session:
        return await Session.connect(dsn, user, secret.expose(), timeout=timeout, break_grace=break_grace)
    return connect


@asynccontextmanager
async def open_pool(connect: Callable[[], Awaitable[Session]], config: PoolConfig | None = None
                    ) -> AsyncIterator[Pool]:
    """A running pool of the sessions ``connect`` opens, closed (forced) on exit."""
    try:
        async with anyio.create_task_group() as tg:
            pool = Pool(tg, connect, config or PoolConfig())
            tg.start_soon(pool._timer)
            pool._run(pool.machine.open(now=anyio.current_time()))
            try:
                yield pool
            finally:
                with anyio.CancelScope(shield=True):
                    if pool.machine.phase is not PoolPhase.CLOSED:
                        await pool.close(force=True)
                tg.cancel_scope.cancel()
    except BaseExceptionGroup as group:  # the pool's tasks raise nothing: the body's error alone
        if len(group.exceptions) == 1:
            raise group.exceptions[0] from None
        raise


async def demo(dsn: str, user: str, password: str) -> None:
    """Four tasks share a pool of two; then a call is cancelled mid-flight and its session lives on."""
    results: dict[int, Rows] = {}
    async with open_pool(connector(dsn, user, password), PoolConfig(min=1, max=2)) as pool:

        async def work(n: int) -> None:
            async with pool.connection() as session:
                results[n] = await session.execute(f"select level, {n} from dual connect by level <= 150")

        async with anyio.create_task_group() as tg:
            for n in range(4):
                tg.start_soon(work, n)
        for n, (names, rows) in sorted(results.items()):
            print(f"task {n}: {len(rows)} rows {names[0]} .. {rows[-1]}")
        async with pool.connection() as session:
            with anyio.move_on_after(0.2):
                await session.execute("begin dbms_session.sleep(5); end;")
            print(f"after a cancelled call: {(await session.execute('select 1 from dual'))[1]}")
        print(f"open={pool.machine.open_count} busy={pool.machine.busy} requests={pool.machine.statistics.requests}")
        await pool.close()
    print("closed")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; without ``--dsn`` the demo runs against the embedded server."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    parser.add_argument("--dsn")
    parser.add_argument("--user", default="scott")
    parser.add_argument("--password", default="tiger")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if args.dsn is None:
            from oracle_asyncio.testing import EmbeddedServer

            args.dsn = stack.enter_context(EmbeddedServer(users={args.user: args.password}).threaded()).dsn
        anyio.run(demo, args.dsn, args.user, args.password, backend=args.backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
