"""The driver's network paths through the public API, on loopback only.

Deadlines (``connect_timeout`` against a server that never answers,
``tcp_connect_timeout`` against a TCP handshake that never completes), what
they leave behind, REDIRECT from a tiny listener built on ``ServerConnection``,
address lists with ``retry_count``, a listener that hangs up before ACCEPT,
and the pool extras ``max_waiters``, ``max_concurrent_opens`` and
``lifetime_jitter``.  No sleeping: the only real waits are the few deadlines
under test (each at most 0.5 s); pool timers run on an injected clock.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

import pytest

import oracle_asyncio
from oracle_asyncio import _connect
from oracle_asyncio import AsyncConnectionPool
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.events import NEED_DATA, ConnectRequested
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.pool import PoolConfig
from tests.asyncio.test_connection_cursor import run
from tests.asyncio.test_pool_clock import FakeClock, until

BOUND = 10  # seconds: the bound around anything that must complete
DEADLINE = 0.2  # seconds: the real network deadlines under test


def address(port: int) -> str:
    return f"(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))"


def address_list(*ports: int, service: str = "FREEPDB1") -> str:
    return (f"(DESCRIPTION=(ADDRESS_LIST={''.join(address(p) for p in ports)})"
            f"(CONNECT_DATA=(SERVICE_NAME={service})))")


async def connect(dsn: str, **kw: Any) -> oracle_asyncio.AsyncConnection:
    return await asyncio.wait_for(oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, **kw),
                                  BOUND)


async def fails_6005(make: Callable[[], Awaitable[object]]) -> tuple[oracle_asyncio.OperationalError, float]:
    """Await ``make()`` (bounded); it must raise DPY-6005.  Returns the error and the seconds it took."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(oracle_asyncio.OperationalError) as info:
        await asyncio.wait_for(make(), BOUND)
    assert info.value.full_code == "DPY-6005"
    return info.value, loop.time() - start


async def nothing_left_behind(server: EmbeddedServer, before: set[asyncio.Task[Any]]) -> None:
    """Every socket the client opened is closed (the server saw it go) and no task it started remains."""
    await until(lambda: not server._links, "the client's sockets closed")
    await until(lambda: asyncio.all_tasks() <= before, "the client's tasks ended")


# ------------------------------------------------------------ connect_timeout


def test_connect_timeout_bounds_a_stalled_logon_and_leaves_nothing() -> None:
    async def body(server: EmbeddedServer) -> None:
        before = asyncio.all_tasks()
        error, took = await fails_6005(lambda: oracle_asyncio.connect_async(
            user="scott", password="tiger", dsn=server.dsn, connect_timeout=DEADLINE))
        assert "logon did not complete in time" in str(error)
        assert DEADLINE * 0.9 <= took < DEADLINE + 2
        await nothing_left_behind(server, before)
        server.stall_logons = False  # the same server serves the next logon
        async with await connect(server.dsn) as conn:
            assert await conn.fetchone("select 1 from dual") == (1,)

    run(body, stall_logons=True)


def test_pool_acquire_against_a_stalled_server_fails_and_close_returns() -> None:
    async def body(server: EmbeddedServer) -> None:
        before = asyncio.all_tasks()
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=0, max=2,
                                                connect_timeout=DEADLINE)
        _, took = await fails_6005(pool.acquire)
        assert took < DEADLINE + 2
        assert (pool.opened, pool.busy) == (0, 0)
        await until(lambda: not server._links, "the timed-out logon's socket closed")
        waiting = asyncio.ensure_future(pool.acquire())  # stalled again: close(force) must not wait for it
        await until(lambda: len(server._links) == 1, "the second logon reached the server")
        await asyncio.wait_for(pool.close(force=True), BOUND)
        with pytest.raises(oracle_asyncio.InterfaceError, match="DPY-1002"):
            await asyncio.wait_for(waiting, BOUND)
        await nothing_left_behind(server, before)

    run(body, stall_logons=True)


# -------------------------------------------------------- tcp_connect_timeout


def test_tcp_connect_timeout_is_applied_to_each_address_of_each_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """The socket open never completes: each attempt is cut at ``tcp_connect_timeout``;
    every address of the list is tried in order, ``retry_count`` more rounds."""

    async def body(server: EmbeddedServer) -> None:
        loop = asyncio.get_running_loop()
        tried: list[int] = []
        cancelled: list[int] = []

        async def never(loop: asyncio.AbstractEventLoop, transport: object, host: str, port: int) -> NoReturn:
            tried.append(port)
            try:
                await loop.create_future()
            finally:
                cancelled.append(port)
            raise AssertionError("unreachable")

        # The seam every socket open goes through (numeric hosts skip create_connection).
        monkeypatch.setattr(_connect, "_connect_socket", never)
        error, took = await fails_6005(lambda: oracle_asyncio.connect_async(
            user="scott", password="tiger", dsn=address_list(1111, 2222), retry_count=2, retry_delay=0,
            tcp_connect_timeout=0.05, connect_timeout=BOUND))
        assert "logon did not complete" not in str(error)  # tcp_connect_timeout fired, not connect_timeout
        assert tried == [1111, 2222] * 3 and cancelled == tried
        assert 0.05 * 6 * 0.9 <= took < 3

    run(body)


def _hanging_listener() -> tuple[socket.socket, list[socket.socket]]:
    """A loopback listener whose accept queue is full: further SYNs are dropped, so a
    connect to it never completes.  Returns the listener and the sockets filling it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers: list[socket.socket] = []
    for _ in range(8):
        probe = socket.socket()
        probe.settimeout(0.1)
        try:
            probe.connect(listener.getsockname())
        except TimeoutError:
            probe.close()
            return listener, fillers
        fillers.append(probe)
    for sock in (listener, *fillers):
        sock.close()
    pytest.skip("this TCP stack completes handshakes beyond a full accept queue")


def test_tcp_connect_timeout_on_a_real_hanging_handshake_fails_over() -> None:
    async def body(server: EmbeddedServer) -> None:
        listener, fillers = _hanging_listener()
        hanging = listener.getsockname()[1]
        try:
            error, took = await fails_6005(lambda: oracle_asyncio.connect_async(
                user="scott", password="tiger", host="127.0.0.1", port=hanging, service_name="FREEPDB1",
                tcp_connect_timeout=DEADLINE, connect_timeout=BOUND))
            assert "logon did not complete" not in str(error) and DEADLINE * 0.9 <= took < DEADLINE + 2
            conn = await connect(address_list(hanging, server.port), tcp_connect_timeout=DEADLINE)
            assert await conn.fetchone("select 1 from dual") == (1,)
            await conn.close()
        finally:
            for sock in (listener, *fillers):
                sock.close()

    run(body)


# --------------------------------------------------------- redirect, failover


class Listener:
    """A tiny TNS listener over ``ServerConnection``: ``on_connect(conn, event)`` answers
    each CONNECT (``redirect`` / ``refuse``); without it the listener hangs up as soon
    as a client arrives, before any answer."""

    def __init__(self, on_connect: Callable[[ServerConnection, ConnectRequested], None] | None = None) -> None:
        self.on_connect = on_connect
        self.connects: list[ConnectRequested] = []
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    async def __aenter__(self) -> Listener:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await asyncio.wait_for(self._server.wait_closed(), BOUND)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = ServerConnection(entropy=os.urandom)
        try:
            while self.on_connect is not None and (data := await reader.read(65536)):
                conn.receive_data(data)
                while (event := conn.next_event()) is not NEED_DATA:
                    if isinstance(event, ConnectRequested):
                        self.connects.append(event)
                        self.on_connect(conn, event)
                writer.write(conn.data_to_send())
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


def test_redirect_is_followed_to_the_real_server() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with Listener(lambda conn, ev: conn.redirect(address(server.port))) as listener:
            async with await connect(f"127.0.0.1:{listener.port}/{server.service_name}") as conn:
                assert await conn.fetchone("select user from dual") == ("SCOTT",)
                assert conn.session_id in {s.sid for s in server.sessions}
            assert len(listener.connects) == 1 and listener.connects[0].service_name == server.service_name

    run(body)


def test_redirect_to_a_second_listener_then_the_server() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with Listener(lambda conn, ev: conn.redirect(address(server.port))) as second:
            async with Listener(lambda conn, ev: conn.redirect(address(second.port))) as first:
                async with await connect(f"127.0.0.1:{first.port}/{server.service_name}") as conn:
                    assert await conn.fetchone("select 2 from dual") == (2,)
                assert (len(first.connects), len(second.connects)) == (1, 1)

    run(body)


def test_endless_redirects_fail_with_6005() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with Listener() as listener:
            listener.on_connect = lambda conn, ev: conn.redirect(address(listener.port))
            await fails_6005(lambda: connect(f"127.0.0.1:{listener.port}/FREEPDB1"))
            assert len(listener.connects) == 3  # the first CONNECT and two redirects, then given up

    run(body)


def test_refusing_listener_fails_over_to_the_next_address() -> None:
    async def body(server: EmbeddedServer) -> None:
        async with Listener(lambda conn, ev: conn.refuse(12514)) as refusing:
            async with await connect(address_list(refusing.port, server.port)) as conn:
                assert await conn.fetchone("select 3 from dual") == (3,)
            error, _ = await fails_6005(lambda: connect(address_list(refusing.port), retry_count=2, retry_delay=0))
            assert len(refusing.connects) == 4  # one failover, then three rounds
            assert str(error).split("\n")[1] == (  # python-oracledb's text
                f'DPY-6001: Service "FREEPDB1" is not registered with the listener at host "127.0.0.1" '
                f'port {refusing.port}. (Similar to ORA-12514)')
            refusing.on_connect = lambda conn, ev: conn.refuse(12516)
            error, _ = await fails_6005(lambda: connect(address_list(refusing.port)))
            assert str(error).split("\n")[1] == "DPY-6000: Listener refused connection. (Similar to ORA-12516)"

    run(body)


def test_listener_hanging_up_before_accept_fails_over_as_python_oracledb() -> None:
    """python-oracledb treats any failure before ACCEPT (connect phase one) as a reason
    to try the next address, and reports DPY-6005 with the cause when none is left."""

    async def body(server: EmbeddedServer) -> None:
        async with Listener() as closing:  # no on_connect: hangs up at once
            async with await connect(address_list(closing.port, server.port)) as conn:
                assert await conn.fetchone("select 4 from dual") == (4,)
            error, _ = await fails_6005(lambda: connect(address_list(closing.port), retry_count=1, retry_delay=0))
            assert "DPY-4011" in str(error)

    run(body)


# ------------------------------------------------------------------ pool extras


def make_pool(server: EmbeddedServer, **kw: Any) -> AsyncConnectionPool:
    return oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn, **kw)


def test_max_waiters_fails_callers_beyond_it_at_once() -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = make_pool(server, min=0, max=1, max_waiters=2)
        held = await asyncio.wait_for(pool.acquire(), BOUND)
        waiters = [asyncio.ensure_future(pool.acquire()) for _ in range(2)]
        await asyncio.sleep(0)
        assert not any(w.done() for w in waiters)
        beyond = asyncio.ensure_future(pool.acquire())
        await asyncio.sleep(0)  # one loop turn: no waiting for anything
        assert beyond.done()
        with pytest.raises(oracle_asyncio.DatabaseError) as info:
            beyond.result()
        assert info.value.full_code == "DPY-4005"
        await pool.release(held)
        for waiter in waiters:  # the two within the cap are served in turn
            conn = await asyncio.wait_for(waiter, BOUND)
            assert await conn.fetchone("select 1 from dual") == (1,)
            await pool.release(conn)
        await asyncio.wait_for(pool.close(), BOUND)

    run(body)


async def peak_logons(server: EmbeddedServer, work: Awaitable[object]) -> int:
    """Run ``work``, sampling every loop turn how many logons are in progress at the
    server (sockets that have no logged-on session yet); returns the largest count."""
    task = asyncio.ensure_future(work)
    peak = 0
    for _ in range(200_000):
        peak = max(peak, len(server._links) - len(server.sessions))
        if task.done():
            break
        await asyncio.sleep(0)
    await asyncio.wait_for(task, BOUND)
    return peak


def test_max_concurrent_opens_caps_logons_in_flight() -> None:
    async def body(server: EmbeddedServer) -> None:
        async def grow(pool: AsyncConnectionPool, n: int) -> None:
            conns = await asyncio.gather(*(pool.acquire() for _ in range(n)))
            for conn in conns:
                await pool.release(conn)

        unlimited = make_pool(server, min=0, max=6)
        assert await peak_logons(server, grow(unlimited, 6)) > 2  # without the cap, logons overlap
        await asyncio.wait_for(unlimited.close(), BOUND)
        await until(lambda: not server._links, "the first pool's sessions closed")

        capped = make_pool(server, min=4, max=8, max_concurrent_opens=2)
        assert await peak_logons(server, until(lambda: capped.opened == 4, "min opened")) == 2
        assert await peak_logons(server, grow(capped, 8)) == 2  # callers' own logons obey it too
        assert capped.opened == 8
        await asyncio.wait_for(capped.close(), BOUND)

    run(body)


def test_a_logon_the_pool_gives_up_on_is_abandoned() -> None:
    """No connect_timeout: the pool's own give-up deadline (on its injected clock) ends a
    stalled logon.  Its socket and task go with it, so repeated give-ups neither pile up
    sockets nor exceed max_concurrent_opens, and the caller gets a readable DPY-6005."""

    async def body(server: EmbeddedServer) -> None:
        clock = FakeClock()
        pool = make_pool(server, min=0, max=1, max_concurrent_opens=1, connect_timeout=None, clock=clock)
        for _ in range(3):
            waiter = asyncio.ensure_future(pool.acquire())
            await until(lambda: len(server._links) == 1, "the logon reached the server")
            clock.advance(PoolConfig().open_give_up + 1)
            await until(lambda: not server._links, "the abandoned logon's socket closed")
            with pytest.raises(oracle_asyncio.OperationalError) as info:
                await asyncio.wait_for(waiter, BOUND)
            assert info.value.full_code == "DPY-6005" and "{" not in str(info.value)
        server.stall_logons = False
        clock.advance(3600)  # past any open-retry backoff
        async with pool.acquire() as conn:
            assert await conn.fetchone("select 1 from dual") == (1,)
        await asyncio.wait_for(pool.close(), BOUND)

    run(body, stall_logons=True)


def test_lifetime_jitter_spreads_session_expiry() -> None:
    async def expiry_times(server: EmbeddedServer, jitter: float) -> list[float]:
        """When each of 8 sessions opened together was found expired (5 s steps, lifetime 100 s)."""
        clock = FakeClock(0.0)
        pool = make_pool(server, min=0, max=8, max_lifetime_session=100, lifetime_jitter=jitter,
                         ping_interval=-1, clock=clock)

        async def cycle() -> set[int]:
            conns = await asyncio.wait_for(asyncio.gather(*(pool.acquire() for _ in range(8))), BOUND)
            sids = {conn.session_id for conn in conns}
            for conn in conns:
                await pool.release(conn)
            return sids

        first = await cycle()
        expired: dict[int, float] = {}
        while clock.time() < 105:
            clock.advance(5)
            for sid in first - await cycle():
                expired.setdefault(sid, clock.time())
        await asyncio.wait_for(pool.close(), BOUND)
        assert set(expired) == first
        return sorted(expired.values())

    async def body(server: EmbeddedServer) -> None:
        assert await expiry_times(server, 0.0) == [105.0] * 8  # all together, at the first step past 100 s
        spread = await expiry_times(server, 0.5)
        assert 50 < spread[0] and spread[-1] <= 105 and len(set(spread)) > 1

    run(body)


def test_a_numeric_address_is_connected_without_the_loops_resolver_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A numeric host needs no resolver: the socket is made and its connect started
    here (loop.sock_connect then finds a loopback connect already done, with no wait
    for writability), and create_connection only wraps it.  A host name still goes
    through loop.create_connection with the host, resolver included."""

    async def body(server: EmbeddedServer) -> None:
        loop = asyncio.get_running_loop()
        opened: list[str] = []
        resolved: list[object] = []
        real_open, real_getaddrinfo = loop.create_connection, loop.getaddrinfo

        async def create_connection(factory: Any, host: Any = None, port: Any = None, **kw: Any) -> Any:
            opened.append("sock" if kw.get("sock") is not None else str(host))
            return await real_open(factory, host, port, **kw)

        async def getaddrinfo(host: Any, *args: Any, **kw: Any) -> Any:
            resolved.append(host)
            return await real_getaddrinfo(host, *args, **kw)

        monkeypatch.setattr(loop, "create_connection", create_connection)
        monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
        conn = await connect(f"127.0.0.1:{server.port}/{server.service_name}")
        assert await conn.fetchone("select 1 from dual") == (1,)
        await conn.close()
        assert opened == ["sock"] and resolved == []
        conn = await connect(f"localhost:{server.port}/{server.service_name}")
        await conn.close()
        assert opened == ["sock", "localhost"] and resolved == ["localhost"]

    run(body)
