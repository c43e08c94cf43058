"""Killed sessions (ALTER SYSTEM KILL SESSION / ``EmbeddedServer.kill_session``) as Oracle
handles them: the session's next call, or the call it is running, fails with ORA-00028
(python-oracledb reports it as DPY-4011 with the ORA line, ``is_session_dead``), then the
connection is unusable; pools drop it and open a fresh one.  Control methods called from
another thread reach the server's loop at once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer

pytestmark = pytest.mark.interop

#: Seconds within which a killed client must see its error (its sleeps last 5 s or forever).
BOUND = 2.5


def _connect(server: EmbeddedServer) -> oracledb.Connection:
    conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    conn.call_timeout = 8000  # a regression fails the test (DPY-4024) instead of hanging it
    return conn


def _serial(server: EmbeddedServer, sid: int) -> int:
    return next(s.serial for s in server.sessions if s.sid == sid)


def _assert_killed(exc: BaseException) -> None:
    """ORA-00028 as python-oracledb reports it (and oracle_asyncio, its twin)."""
    info = exc.args[0]
    assert info.code == 28 and info.full_code == "DPY-4011"
    assert "ORA-00028: your session has been killed" in info.message
    assert info.is_session_dead and info.isrecoverable


def _until(predicate: Callable[[], bool], what: str) -> None:
    for _ in range(500):
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"{what} did not happen within 5 s")


def test_sql_kill_fails_the_next_call_with_ora_00028_then_the_connection_is_closed(server: EmbeddedServer) -> None:
    conn = _connect(server)
    sid = conn.session_id
    with _connect(server) as admin:
        cur = admin.cursor()
        cur.execute(f"alter system kill session '{sid},{_serial(server, sid)}'")
        cur.execute("select status from v$session where sid = :1", [sid])
        assert cur.fetchone() == ("KILLED",)  # Oracle keeps it until its next call
    with pytest.raises(oracledb.DatabaseError) as caught:
        conn.cursor().execute("select 1 from dual")
    _assert_killed(caught.value)
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):  # python-oracledb closed it
        conn.cursor().execute("select 1 from dual")
    _until(lambda: all(s.sid != sid for s in server.sessions), "the killed session leaving v$session")


def test_sql_kill_immediate_cuts_the_socket_and_bad_targets_are_oracle_errors(server: EmbeddedServer) -> None:
    conn = _connect(server)
    sid = conn.session_id
    with _connect(server) as admin:
        cur = admin.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-00030"):
            cur.execute(f"alter system kill session '{sid},{_serial(server, sid) + 1000}'")
        with pytest.raises(oracledb.DatabaseError, match="ORA-00027"):
            cur.execute(f"alter system kill session '{admin.session_id},{_serial(server, admin.session_id)}'")
        cur.execute(f"alter system kill session '{sid},{_serial(server, sid)}' immediate")
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011") as caught:
        conn.cursor().execute("select 1 from dual")
    assert caught.value.args[0].code != 28  # no answer: the socket was gone


def test_kill_interrupts_the_running_call(server: EmbeddedServer) -> None:
    """A session killed inside a call (here a sleep): that call fails with ORA-00028 at once."""
    conn = _connect(server)
    sid = conn.session_id

    def kill_when_active() -> None:
        _until(lambda: any(s.sid == sid and s.state == "ACTIVE" for s in server.sessions), "the call starting")
        assert server.kill_session(sid)

    killer = threading.Thread(target=kill_when_active)  # a plain thread, as a test's helper would be
    killer.start()
    start = time.monotonic()
    try:
        with pytest.raises(oracledb.DatabaseError) as caught:
            conn.cursor().execute("begin dbms_session.sleep(5); end;")
    finally:
        killer.join(10)
    assert time.monotonic() - start < BOUND
    _assert_killed(caught.value)


def test_kill_from_a_thread_stops_a_runaway_statement() -> None:
    """The server's loop is busy inside sqlite: a kill from another thread still stops the
    statement (the engine's interrupt hook reads the kill flag), and the call is answered."""
    with EmbeddedServer(statement_timeout=6).threaded() as server:  # the fallback if the kill failed
        conn = _connect(server)
        sid = conn.session_id
        conn.call_timeout = 20_000
        outcome: list[BaseException] = []

        def runaway() -> None:
            try:
                conn.cursor().execute("select count(*) from dual connect by level <= 1e12")
            except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
                outcome.append(exc)

        worker = threading.Thread(target=runaway)
        worker.start()
        _until(lambda: any(s.sid == sid and s.state == "ACTIVE" for s in server.sessions), "the statement starting")
        start = time.monotonic()
        assert server.kill_session(sid)
        worker.join(BOUND)
        assert not worker.is_alive() and time.monotonic() - start < BOUND
        _assert_killed(outcome[0])
        with _connect(server) as other:  # the server is still serving
            assert other.cursor().execute("select 1 from dual").fetchone() == (1,)


def test_kill_stops_executemany_with_batch_errors() -> None:
    """A kill stopping one row of an executemany(batcherrors=True) ends the call
    with ORA-00028: it is no batch error of that row (the session is over)."""
    with EmbeddedServer(statement_timeout=6).threaded() as server:  # the fallback if the kill failed
        conn = _connect(server)
        sid = conn.session_id
        conn.call_timeout = 20_000
        cur = conn.cursor()
        cur.execute("create table killed_batch (n number)")
        outcome: list[BaseException | object] = []

        def runaway() -> None:
            try:
                cur.executemany("insert into killed_batch select level + :1 from dual connect by level <= 1e12",
                                [(1,), (2,)], batcherrors=True)
                outcome.append(cur.getbatcherrors())
            except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
                outcome.append(exc)

        worker = threading.Thread(target=runaway)
        worker.start()
        _until(lambda: any(s.sid == sid and s.state == "ACTIVE" for s in server.sessions), "the statement starting")
        assert server.kill_session(sid)
        worker.join(BOUND)
        assert not worker.is_alive()
        assert isinstance(outcome[0], oracledb.DatabaseError), outcome
        _assert_killed(outcome[0])


def test_control_methods_from_another_thread(server: EmbeddedServer) -> None:
    conn = _connect(server)
    seen: list[int | bool] = []

    def control() -> None:
        seen.append(len(server.sessions))
        server.drop_all()
        seen.append(server.kill_session(10**6))

    thread = threading.Thread(target=control)
    thread.start()
    thread.join(10)
    assert seen[0] >= 1 and seen[1] is False
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
        conn.cursor().execute("select 1 from dual")


def test_a_killed_session_cannot_change_its_password() -> None:
    """The change of password (an AUTH call the protocol machine answers itself)
    fails with ORA-00028 like any other call, and the password stays."""
    with EmbeddedServer().threaded() as server:  # its own users: a regression would change scott's password
        conn = _connect(server)
        assert server.kill_session(conn.session_id)
        with pytest.raises(oracledb.DatabaseError) as caught:
            conn.changepassword("tiger", "newpw")
        _assert_killed(caught.value)
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott", password="newpw", dsn=server.dsn)
        with _connect(server) as again:  # the old password still logs on
            assert again.cursor().execute("select 1 from dual").fetchone() == (1,)


def test_a_killed_session_cannot_read_a_lob_or_ping(server: EmbeddedServer) -> None:
    """LOB_OP calls (answered inside the protocol layer from its LOB store) and
    pings fail with ORA-00028 too; the session then leaves v$session."""
    conn = _connect(server)
    cur = conn.cursor()
    cur.execute("create table killed_lobs (c clob)")
    cur.execute("insert into killed_lobs values ('hello world')")
    conn.commit()
    cur.execute("select c from killed_lobs")
    (lob,) = cur.fetchone()
    assert lob.read() == "hello world"
    sid = conn.session_id
    assert server.kill_session(sid)
    with pytest.raises(oracledb.DatabaseError) as caught:
        lob.read()
    _assert_killed(caught.value)
    _until(lambda: all(s.sid != sid for s in server.sessions), "the killed session leaving v$session")
    other = _connect(server)
    assert server.kill_session(other.session_id)
    with pytest.raises(oracledb.DatabaseError) as caught:
        other.ping()
    _assert_killed(caught.value)
    killed_quietly = _connect(server)
    assert server.kill_session(killed_quietly.session_id)
    killed_quietly.close()  # its LOGOFF is answered ORA-00028: python-oracledb closes without a word
    with _connect(server) as admin:
        admin.cursor().execute("drop table killed_lobs")


# ------------------------------------------------------------- pools, both drivers


def _run(body: Callable[[EmbeddedServer], Awaitable[None]]) -> None:
    async def main() -> None:
        async with EmbeddedServer() as server:
            await body(server)

    asyncio.run(asyncio.wait_for(main(), 60))


@pytest.mark.parametrize("driver", [oracledb, oracle_asyncio], ids=["python-oracledb", "oracle_asyncio"])
def test_async_pool_drops_a_killed_session_and_gives_a_fresh_one(driver: object) -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = driver.create_pool_async(user="scott", password="tiger", dsn=server.dsn,  # type: ignore[attr-defined]
                                        min=1, max=1, ping_interval=-1)
        conn = await asyncio.wait_for(pool.acquire(), 5)
        sid = conn.session_id
        assert server.kill_session(sid)
        with pytest.raises(driver.DatabaseError) as caught:  # type: ignore[attr-defined]
            await conn.fetchone("select 1 from dual")
        _assert_killed(caught.value)
        assert not conn.is_healthy()  # at once: the error itself said the session is dead
        await pool.release(conn)
        fresh = await asyncio.wait_for(pool.acquire(), 5)
        assert fresh.session_id != sid
        assert await fresh.fetchone("select 2 from dual") == (2,)
        assert (pool.busy, pool.opened) == (1, 1)
        await pool.release(fresh)
        await pool.close()

    _run(body)


def test_oracle_asyncio_connection_after_ora_00028() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        killer = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        sid = conn.session_id
        serial = _serial(server, sid)
        task = asyncio.ensure_future(conn.execute("begin dbms_session.sleep(5); end;"))
        for _ in range(500):
            if any(s.sid == sid and s.state == "ACTIVE" for s in server.sessions):
                break
            await asyncio.sleep(0.01)
        await killer.execute(f"alter system kill session '{sid},{serial}'")
        with pytest.raises(oracle_asyncio.DatabaseError) as caught:
            await asyncio.wait_for(task, BOUND)
        _assert_killed(caught.value)
        assert not conn.is_healthy()
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4011"):
            await conn.ping()
        await conn.close()  # quietly: the session is gone
        await killer.close()

    _run(body)


def test_python_oracledb_sync_pool_drops_a_killed_session(server: EmbeddedServer) -> None:
    pool = oracledb.create_pool(user="scott", password="tiger", dsn=server.dsn, min=1, max=1, ping_interval=-1)
    try:
        conn = pool.acquire()
        sid = conn.session_id
        assert server.kill_session(sid)
        with pytest.raises(oracledb.DatabaseError) as caught:
            conn.cursor().execute("select 1 from dual")
        _assert_killed(caught.value)
        pool.release(conn)
        with pool.acquire() as fresh:
            assert fresh.session_id != sid
            assert fresh.cursor().execute("select 2 from dual").fetchone() == (2,)
    finally:
        pool.close(force=True)


def test_oracle_asyncio_killed_session_lob_read_and_change_password() -> None:
    """The same through this driver: ORA-00028 (DPY-4011, session dead) for a LOB
    read and a change of password, and closing a killed connection is quiet."""

    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        await cur.execute("create table killed_async_lobs (c clob)")
        await cur.execute("insert into killed_async_lobs values ('hello')")
        await conn.commit()
        await cur.execute("select c from killed_async_lobs")
        row = await cur.fetchone()
        assert row is not None
        lob = row[0]
        assert await lob.read() == "hello"
        assert server.kill_session(conn.session_id)
        with pytest.raises(oracle_asyncio.DatabaseError) as caught:
            await lob.read()
        _assert_killed(caught.value)
        await conn.close()
        other = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        assert server.kill_session(other.session_id)
        with pytest.raises(oracle_asyncio.DatabaseError) as caught:
            await other.changepassword("tiger", "newpw")
        _assert_killed(caught.value)
        await other.close()
        again = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        assert server.kill_session(again.session_id)
        await again.close()  # its LOGOFF is answered ORA-00028: closed without a word
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
            await oracle_asyncio.connect_async(user="scott", password="newpw", dsn=server.dsn)

    _run(body)
