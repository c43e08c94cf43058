"""examples/anyio_pool.py under both anyio backends (asyncio and trio) against one embedded
server: acquire/query/release, timed-out and cancelled acquires that lose no slot (the
hand-over racing the cancel included), calls broken mid-flight, dead sessions replaced,
logon errors and close.  Waits are bounded loops of short sleeps; no test sleeps 0.2 s."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from importlib.metadata import version

import anyio
import anyio.abc
import pytest

from examples.anyio_pool import Pool, Session, connector, main, open_pool
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio import PoolConfig
from oracle_sansio.exceptions import Error
from oracle_sansio.pool import PoolGetMode, PoolPhase

# anyio's trio backend calls trio APIs that older trio lacks (anyio 4.16 needs trio 0.32);
# the test extra installs a recent one, a stale shared environment may not have it.
_OLD_TRIO = tuple(int(part) for part in version("trio").split(".")[:2]) < (0, 32)
pytestmark = pytest.mark.anyio
BACKENDS = ["asyncio", pytest.param("trio", marks=pytest.mark.skipif(
    _OLD_TRIO, reason=f"trio {version('trio')} is older than anyio's trio backend needs (0.32)"))]


@pytest.fixture(params=BACKENDS)
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(users={"scott": "tiger"}).threaded() as running:
        yield running


@asynccontextmanager
async def pool_of(server: EmbeddedServer, password: str = "tiger", break_grace: float = 1.0,
                  **config: object) -> AsyncIterator[Pool]:
    connect = connector(server.dsn, "scott", password, break_grace=break_grace)
    assert password not in repr(connect)
    async with open_pool(connect, PoolConfig(**config)) as pool:  # type: ignore[arg-type]
        yield pool


async def until(predicate: Callable[[], bool]) -> None:
    for _ in range(2500):  # a hang guard, roomy for a loaded machine
        if predicate():
            return
        await anyio.sleep(0.002)
    raise AssertionError("not reached within 5 s")


def code_of(exc: BaseException) -> str:
    assert isinstance(exc, Error)
    return exc.full_code


async def test_acquire_query_fetches_every_row_then_release(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        async with pool.connection() as session:
            names, rows = await session.execute("select level, 'row ' || level from dual connect by level <= 250",
                                                arraysize=60)  # the prefetch, then 5 fetches
            assert names == ["LEVEL", "'ROW'||LEVEL"] and len(rows) == 250 and rows[-1] == (250, "row 250")
            await session.execute("create table t (n number)")
            await session.execute("insert into t values (1)")
            assert session.conn.in_transaction
            await session.call(lambda conn: conn.commit())
            await session.call(lambda conn: conn.ping())
        assert (pool.machine.busy, pool.machine.idle, pool.machine.open_count) == (0, 1, 1)
        async with pool.connection() as again:
            assert again is session and (await again.execute("select count(*) from t"))[1] == [(1,)]
            await again.execute("drop table t")


async def test_server_error_is_typed_the_session_lives_on_and_it_leaves_the_pool_unwrapped(
        server: EmbeddedServer) -> None:
    with pytest.raises(Error) as caught:
        async with pool_of(server, min=1, max=1) as pool:
            async with pool.connection() as session:
                with pytest.raises(Error) as missing:
                    await session.execute("select * from no_such_table")
                assert missing.value.code == 942 and session.alive
                assert (await session.execute("select 1 from dual"))[1] == [(1,)]
                await session.execute("select 1 from no_such_table")
    assert caught.value.code == 942  # not an ExceptionGroup: the pool's tasks raised nothing


async def test_release_in_a_transaction_rolls_back_and_keeps_the_session(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        async with pool.connection() as session:
            await session.execute("create table r (n number)")
            await session.execute("insert into r values (1)")
        await until(lambda: pool.machine.idle == 1)  # after the machine's RollbackConnection
        async with pool.connection() as again:
            assert again is session and (await again.execute("select count(*) from r"))[1] == [(0,)]
            await again.execute("drop table r")


async def test_timed_out_acquire_leaves_the_pool_as_it_was(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        held = await pool.acquire()
        before = (pool.machine.busy, pool.machine.idle, pool.machine.open_count)
        with pytest.raises(Error) as caught:
            await pool.acquire(timeout=0.05)
        assert code_of(caught.value) == "DPY-4005" and pool.machine.statistics.timeouts == 1
        assert (pool.machine.busy, pool.machine.idle, pool.machine.open_count) == before == (1, 0, 1)
        assert pool.machine.waiting == 0
        pool.release(held)
        with anyio.fail_after(1):
            assert await pool.acquire() is held


async def test_timedwait_expires_through_the_machines_timer(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1, getmode=PoolGetMode.TIMEDWAIT, wait_timeout=50) as pool:
        # The min logon done first: the 50 ms budget is for the second acquire, not for a
        # logon a loaded machine may take longer over.
        await until(lambda: pool.machine.idle == 1)
        held = await pool.acquire()
        with anyio.fail_after(5), pytest.raises(Error) as caught:
            await pool.acquire()
        assert code_of(caught.value) == "DPY-4005" and pool.machine.statistics.timeouts == 1
        pool.release(held)


async def test_cancelled_acquire_loses_no_slot(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        held = await pool.acquire()
        async with anyio.create_task_group() as tg:
            tg.start_soon(pool.acquire)
            await until(lambda: pool.machine.waiting == 1)
            tg.cancel_scope.cancel()
        assert pool.machine.waiting == 0 and pool.machine.busy == 1
        assert pool.machine.statistics.timeouts == 0  # cancelled, not timed out
        pool.release(held)
        with anyio.fail_after(1):
            assert await pool.acquire() is held
        assert pool.machine.open_count == 1


@pytest.mark.parametrize("order", ["cancel-then-release", "release-then-cancel"])
async def test_cancel_in_the_turn_the_session_is_handed_over(server: EmbeddedServer, order: str) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        held = await pool.acquire()

        async def waiter(scope: anyio.CancelScope) -> None:
            with scope:
                async with pool.connection():  # if it was served, its next await is cancelled
                    await anyio.sleep_forever()

        scope = anyio.CancelScope()
        async with anyio.create_task_group() as tg:
            tg.start_soon(waiter, scope)
            await until(lambda: pool.machine.waiting == 1)
            # No await between the two: the hand-over and the cancel land in one turn.
            if order == "cancel-then-release":
                scope.cancel()
                pool.release(held)
            else:
                pool.release(held)
                scope.cancel()
        assert (pool.machine.busy, pool.machine.idle, pool.machine.waiting) == (0, 1, 0)
        with anyio.fail_after(1):
            assert await pool.acquire() is held
        assert pool.machine.open_count == 1


async def test_call_cancelled_or_timed_out_mid_flight_leaves_the_session_usable(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        async with pool.connection() as session:
            with anyio.move_on_after(0.05) as scope:
                await session.execute("begin dbms_session.sleep(5); end;")
            assert scope.cancelled_caught and session.alive
            with anyio.fail_after(1), pytest.raises(Error) as caught:
                await session.execute("begin dbms_session.sleep(5); end;", timeout=0.05)
            assert code_of(caught.value) == "DPY-4024" and session.alive
            assert (await session.execute("select 'still here' from dual"))[1] == [("still here",)]
        assert (pool.machine.idle, pool.machine.open_count, pool.machine.statistics.connections_opened) == (1, 1, 1)


async def test_a_break_the_reply_outran_is_answered_before_the_next_call(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=1) as pool:
        async with pool.connection() as session:
            for n in range(3):
                with anyio.move_on_after(0):  # cancelled once the query is sent: its reply is on its way
                    await session.execute("select 1 from dual")
                assert session.alive
                assert (await session.execute(f"select {n} from dual"))[1] == [(n,)]  # not ORA-01013


async def test_unanswered_break_cuts_the_session_and_the_pool_replaces_it(server: EmbeddedServer) -> None:
    # break_grace=0: the reset cannot arrive in time, so the socket is cut.
    async with pool_of(server, break_grace=0.0, min=1, max=1) as pool:
        async with pool.connection() as session:
            with pytest.raises(Error) as caught:
                await session.execute("begin dbms_session.sleep(5); end;", timeout=0.05)
            assert code_of(caught.value) == "DPY-4024" and not session.alive
            with pytest.raises(Error) as dead:
                await session.execute("select 1 from dual")
            assert code_of(dead.value) == "DPY-4011"
        with anyio.fail_after(2):
            async with pool.connection() as fresh:
                assert fresh is not session and (await fresh.execute("select 1 from dual"))[1] == [(1,)]
        assert pool.machine.statistics.connections_closed == 1


@pytest.mark.parametrize("how", ["immediate", ""])  # EOF at once, or ORA-00028 on the next call
async def test_killed_session_is_dead_and_replaced(server: EmbeddedServer, how: str) -> None:
    async with pool_of(server, min=2, max=2) as pool:
        victim, admin = await pool.acquire(), await pool.acquire()
        info = victim.conn.session
        assert info is not None
        await admin.execute(f"alter system kill session '{info.session_id},{info.serial_number}' {how}")
        with anyio.fail_after(2), pytest.raises(Error) as caught:
            await victim.execute("select 1 from dual")
        assert code_of(caught.value) == "DPY-4011" and not victim.alive
        pool.release(victim)
        pool.release(admin)
        await until(lambda: pool.machine.idle == 2)
        assert pool.machine.statistics.connections_opened == 3


async def test_protocol_error_is_dpy_4011_and_closes_the_socket() -> None:
    closed = anyio.Event()

    async def garbage(stream: anyio.abc.SocketStream) -> None:
        await stream.receive()  # the CONNECT
        await stream.send(b"\x00\x08\x00\x00\x63\x00\x00\x00")  # a TNS packet of unknown type 99
        with anyio.fail_after(1), pytest.raises((anyio.EndOfStream, anyio.BrokenResourceError)):
            await stream.receive()
        closed.set()

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, garbage)
        with pytest.raises(Error) as caught:
            await Session.connect(f"127.0.0.1:{port}/FREEPDB1", "scott", "tiger", timeout=2)
        assert code_of(caught.value) == "DPY-4011" and "FramingError" in str(caught.value)
        with anyio.fail_after(1):
            await closed.wait()
        tg.cancel_scope.cancel()
    await listener.aclose()


async def test_ping_on_acquire_replaces_a_session_killed_while_idle(server: EmbeddedServer) -> None:
    async with pool_of(server, min=2, max=2, ping_interval=0) as pool:  # ping every idle session handed out
        victim, admin = await pool.acquire(), await pool.acquire()
        info = victim.conn.session
        assert info is not None
        pool.release(victim)
        await admin.execute(f"alter system kill session '{info.session_id},{info.serial_number}' immediate")
        before = pool.machine.statistics
        with anyio.fail_after(2):
            fresh = await pool.acquire()
        assert fresh is not victim and (await fresh.execute("select 1 from dual"))[1] == [(1,)]
        after = pool.machine.statistics
        assert (after.pings - before.pings, after.pings_failed - before.pings_failed) == (1, 1)
        pool.release(fresh)
        pool.release(admin)


async def test_logon_error_reaches_every_caller_it_fails_as_itself(server: EmbeddedServer) -> None:
    caught: list[BaseException] = []

    async def acquire(pool: Pool) -> None:
        with pytest.raises(Error) as info:
            await pool.acquire()
        caught.append(info.value)
    async with pool_of(server, password="wrong", min=0, max=1) as pool:
        with anyio.fail_after(2):
            async with anyio.create_task_group() as tg:
                tg.start_soon(acquire, pool)  # its own logon
                await until(lambda: pool.machine.waiting == 1)
                tg.start_soon(acquire, pool)  # waits on the full pool: the halt fails it too
        assert [code_of(exc) for exc in caught] == ["ORA-01017"] * 2 and caught[0] is not caught[1]


async def test_a_logon_that_ends_after_the_pool_gave_up_on_it_is_closed(server: EmbeddedServer) -> None:
    sessions: list[Session] = []

    async def connect() -> Session:
        with anyio.CancelScope(shield=True):  # a logon the pool cannot cut short
            session = await Session.connect(server.dsn, "scott", "tiger")
            sessions.append(session)
            if len(sessions) == 1:
                await anyio.sleep(0.3)
        return session
    async with open_pool(connect, PoolConfig(min=1, max=1, open_give_up=0.1)) as pool:
        await until(lambda: len(sessions) == 2 and not sessions[0].alive and pool.machine.idle == 1)
        async with pool.connection() as session:
            assert session is sessions[1]
        stats = pool.machine.statistics
        assert (stats.connections_opened, stats.connections_closed, stats.connections_failed) == (1, 0, 1)


async def test_close_refuses_busy_sessions_unless_forced_then_acquire_is_dpy_1002(server: EmbeddedServer) -> None:
    async with pool_of(server, min=1, max=2) as pool:
        session = await pool.acquire()
        with pytest.raises(Error) as busy:
            await pool.close()
        assert code_of(busy.value) == "DPY-1005" and pool.machine.phase is PoolPhase.OPEN
        with anyio.fail_after(2):
            await pool.close(force=True)
        assert pool.closed.is_set() and not session.alive
        with pytest.raises(Error) as dead:
            await session.execute("select 1 from dual")
        assert code_of(dead.value) == "DPY-4011"
        pool.release(session)  # after a forced close: nothing to give back
        with pytest.raises(Error) as closed:
            await pool.acquire()
        assert code_of(closed.value) == "DPY-1002"


def test_demo_runs_under_each_backend(server: EmbeddedServer, capsys: pytest.CaptureFixture[str],
                                      anyio_backend: str) -> None:
    assert main(["--backend", anyio_backend, "--dsn", server.dsn]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3] == "task 3: 150 rows LEVEL .. (150, 3)"
    assert out[4] == "after a cancelled call: [(1,)]" and out[6:] == ["closed"]
    assert out[5] in ("open=1 busy=0 requests=5", "open=2 busy=0 requests=5")  # logons race the tasks


async def test_a_forced_close_in_the_turn_of_a_hand_over_fails_the_caller_with_dpy_1002(
        server: EmbeddedServer) -> None:
    # release() hands the session to the waiter, then close(force=True) starts the task that
    # cuts it; trio runs a turn's woken tasks in either order, so in about half the rounds that
    # task ran first and acquire() raised a bare KeyError.  Twelve rounds: all orders are seen.
    outcomes: list[str] = []
    for _ in range(12):
        async with pool_of(server, min=1, max=1) as pool:
            holder = await pool.acquire()

            async def waiter() -> None:
                try:
                    outcomes.append(type(await pool.acquire()).__name__)
                except Exception as exc:  # noqa: BLE001 - the outcome is the measure
                    outcomes.append(code_of(exc) if isinstance(exc, Error) else repr(exc))

            async with anyio.create_task_group() as tg:
                tg.start_soon(waiter)
                await until(lambda: pool.machine.waiting == 1)
                pool.release(holder)
                await pool.close(force=True)
    assert set(outcomes) <= {"Session", "DPY-1002"}, outcomes
