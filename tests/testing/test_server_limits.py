"""The embedded server's limits: ``max_connections`` (the listener refuses more with
ORA-12516), ``logon_timeout`` (ORA-03136, the socket closes) and ``statement_timeout``
(ORA-56735, the session lives on), and their command-line flags.  Time limits are at most
0.3 s of real time, or measured on an injected clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import oracledb
import pytest

import oracle_asyncio
from oracle_sansio.tns.constants import PacketType
from oracle_sansio.tns.packets import Connect
from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.__main__ import build_parser, server_from_args

pytestmark = pytest.mark.interop

RUNAWAY = "select count(*) from dual connect by level <= 1e12"  # runs for days without a limit


def _run(body: Callable[[EmbeddedServer], Awaitable[None]], **options: object) -> None:
    async def main() -> None:
        async with EmbeddedServer(**options) as server:  # type: ignore[arg-type]
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


def _connect(server: EmbeddedServer) -> oracledb.Connection:
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    conn.call_timeout = 10_000  # a regression fails the test (DPY-4024) instead of hanging it
    return conn


class StepClock:
    """A clock that moves ``step`` seconds each time it is read: a statement's time is
    the number of times the server looked at the clock, so the test needs no real time."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


# ------------------------------------------------------------------ max_connections


def test_one_connection_over_the_cap_gets_ora_12516_and_the_others_keep_working() -> None:
    with EmbeddedServer(max_connections=2).threaded() as server:
        first, second = _connect(server), _connect(server)
        with pytest.raises(oracledb.OperationalError, match="ORA-12516"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        for conn in (first, second):
            assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)
        first.close()
        for _ in range(200):  # the server sees the close a moment later
            try:
                third = _connect(server)
                break
            except oracledb.OperationalError:
                time.sleep(0.01)
        else:
            raise AssertionError("no slot came free after a close")
        assert third.cursor().execute("select 2 from dual").fetchone() == (2,)
        third.close()
        second.close()


def test_oracle_asyncio_sees_the_same_refusal() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        with pytest.raises(oracle_asyncio.OperationalError, match=r"DPY-6000.*ORA-12516"):
            await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        assert await conn.fetchone("select 1 from dual") == (1,)
        await conn.close()

    _run(body, max_connections=1)


# -------------------------------------------------------------------- logon_timeout


def test_a_silent_socket_is_closed_after_logon_timeout() -> None:
    async def body(server: EmbeddedServer) -> None:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        start = time.monotonic()
        assert await asyncio.wait_for(reader.read(100), 3) == b""  # closed by the server
        assert time.monotonic() - start < 2
        writer.close()

    _run(body, logon_timeout=0.2)


def test_a_logon_left_unanswered_gets_ora_03136() -> None:
    """A CONNECT the server never answers (``stall_logons``): at ``logon_timeout`` the
    listener's refusal names ORA-03136, for both clients."""

    async def body(server: EmbeddedServer) -> None:
        for driver in (oracledb, oracle_asyncio):
            with pytest.raises(driver.OperationalError, match="ORA-3136"):
                await asyncio.wait_for(driver.connect_async(
                    user="scott", password="tiger", dsn=server.dsn), 3)

    _run(body, stall_logons=True, logon_timeout=0.2)


def test_logged_on_sessions_outlive_the_logon_timeout() -> None:
    # 0.3 s leaves a loaded machine room to finish the logon itself (0.1 s flaked under load).
    with EmbeddedServer(logon_timeout=0.3).threaded() as server:
        with _connect(server) as conn:
            time.sleep(0.45)
            assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)


# ---------------------------------------------------------------- statement_timeout


def test_a_runaway_statement_is_stopped_and_the_session_lives_on() -> None:
    with EmbeddedServer(statement_timeout=0.2).threaded() as server, _connect(server) as conn:
        cur = conn.cursor()
        start = time.monotonic()
        with pytest.raises(oracledb.DatabaseError, match="ORA-56735") as caught:
            cur.execute(RUNAWAY)
        assert time.monotonic() - start < 3
        assert not caught.value.args[0].is_session_dead
        assert cur.execute("select 7 from dual").fetchone() == (7,)
        assert cur.execute("select count(*) from dual connect by level <= 1000").fetchone() == (1000,)


def test_statement_timeout_on_an_injected_clock() -> None:
    """No real time: the clock moves 1 ms per look, the limit is 10 s of it.  (A threaded
    server: were the limit broken, the client's call_timeout would still end the test.)"""
    with EmbeddedServer(statement_timeout=10.0, clock=StepClock(0.001)).threaded() as server, \
            _connect(server) as conn:
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-56735"):
            cur.execute(RUNAWAY)
        assert cur.execute("select count(*) from dual connect by level <= 100").fetchone() == (100,)


def test_a_sleep_longer_than_the_limit_fails_at_the_limit() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        start = time.monotonic()
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-56735"):
            await asyncio.wait_for(conn.execute("begin dbms_session.sleep(5); end;"), 3)
        assert time.monotonic() - start < 2
        await conn.execute("begin dbms_session.sleep(0.01); end;")  # within the limit: fine
        await conn.close()

    _run(body, statement_timeout=0.2)


def test_no_statement_timeout_by_default() -> None:
    assert EmbeddedServer().statement_timeout is None
    assert EmbeddedServer().logon_timeout == 5.0
    assert EmbeddedServer().max_connections == 250


# ------------------------------------------------------------------------------ CLI


def test_cli_flags() -> None:
    server = server_from_args(build_parser().parse_args(
        ["--max-connections", "3", "--logon-timeout", "0.5", "--statement-timeout", "2"]))
    assert (server.max_connections, server.logon_timeout, server.statement_timeout) == (3, 0.5, 2.0)
    server = server_from_args(build_parser().parse_args(["--max-connections", "0", "--logon-timeout", "0"]))
    assert (server.max_connections, server.logon_timeout, server.statement_timeout) == (None, None, None)
    assert (server.config.end_of_response, server.config.request_boundaries) == (True, True)
    server = server_from_args(build_parser().parse_args(["--no-end-of-response", "--no-request-boundaries"]))
    assert (server.config.end_of_response, server.config.request_boundaries) == (False, False)



def test_the_listener_refuses_over_the_cap_and_closes_the_socket() -> None:
    """A raw CONNECT over the cap: a TNS REFUSE naming 12516, then the server closes the
    socket itself (a client that never closes cannot keep the slot-less socket open)."""

    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        reader, writer = await asyncio.open_connection(server.host, server.port)
        descriptor = f"(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME={server.service_name})))"
        writer.write(Connect(connect_data=descriptor.encode()).encode())
        reply = await asyncio.wait_for(reader.read(), 3)  # to EOF: the server closed
        assert reply[4] == PacketType.REFUSE and b"(ERR=12516)" in reply
        writer.close()
        await conn.close()

    _run(body, max_connections=1, logon_timeout=None)
