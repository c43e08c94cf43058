"""python-oracledb 26.1 against the embedded server advertising real 23ai's
capabilities: end of response (every response ends with TTC message 29 and
data flag 0x2000) and explicit request boundaries (SESSION_STATE piggybacks).

With end of response negotiated python-oracledb waits for the final packet of
each response before parsing it, so a response missing its end would hang the
call: ``call_timeout`` bounds every call here (DPY-4024 instead of a hang).
Each call type is run with the capabilities on and off."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import oracledb
import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from oracle_asyncio.testing.server import SessionRecord
from oracle_sansio.connection.server import ServerConfig

pytestmark = pytest.mark.interop

#: (end_of_response, request_boundaries): real 23ai (the default), ours without either, and EOR alone.
CONFIGS = [(True, True), (False, False), (True, False)]
#: Bounds every call: a response the client never sees end fails instead of hanging.
CALL_TIMEOUT_MS = 10_000


def _server(eor: bool, rb: bool) -> EmbeddedServer:
    return EmbeddedServer(config=ServerConfig(end_of_response=eor, request_boundaries=rb))


def _record(server: EmbeddedServer) -> SessionRecord:
    (record,) = server.sessions
    return record


def _wait_active(server: EmbeddedServer) -> None:
    """Until the session runs its call (bounded: at most 2 s)."""
    for _ in range(400):
        if any(s.state == "ACTIVE" for s in server.sessions):
            return
        time.sleep(0.005)
    raise AssertionError("the call never started")


def _every_call(conn: oracledb.Connection, server: EmbeddedServer) -> None:
    """Execute/fetch, DML, commit/rollback, ping, errors, PL/SQL, LOB ops,
    piggybacks and a cancel (break/reset, ORA-01013) on one session."""
    conn.call_timeout = CALL_TIMEOUT_MS
    cur = conn.cursor()
    cur.execute("create table caps_t (id number, name varchar2(20), doc clob)")
    cur.executemany("insert into caps_t (id, name) values (:1, :2)", [(i, f"n{i}") for i in range(50)])
    conn.commit()
    cur.arraysize = 7  # several FETCH calls after the execute's prefetch
    cur.execute("select id, name from caps_t order by id")
    assert cur.fetchall() == [(i, f"n{i}") for i in range(50)]
    cur.execute("delete from caps_t where id >= 10")
    conn.rollback()
    assert cur.execute("select count(*) from caps_t").fetchone() == (50,)
    conn.ping()
    with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
        cur.execute("select * from caps_missing")
    out = cur.var(int)
    cur.execute("begin :out := 6 * 7; end;", out=out)
    assert out.getvalue() == 42
    # LOB ops: a temporary LOB bound on insert, then read, written and read back on the row's locator.
    cur.execute("insert into caps_t (id, doc) values (100, :doc)", doc="x" * 40_000)
    cur.execute("select doc from caps_t where id = 100 for update")
    (lob,) = cur.fetchone()
    assert lob.size() == 40_000 and lob.read(1, 5) == "xxxxx"
    lob.write("abc", 1)
    assert lob.read(1, 4) == "abcx"
    conn.commit()
    # Piggybacks: end-to-end attributes and a close of the cursors closed above.
    conn.module = "caps-module"
    cur.close()
    cur = conn.cursor()
    assert cur.execute("select 1 from dual").fetchone() == (1,)
    # Break/reset: a cancel from another thread ends the call with ORA-01013; the session goes on.
    def cancel_when_running() -> None:
        _wait_active(server)
        conn.cancel()

    canceller = threading.Thread(target=cancel_when_running)
    canceller.start()
    with pytest.raises(oracledb.DatabaseError, match="ORA-01013"):
        cur.execute("begin dbms_session.sleep(5); end;")
    canceller.join(5)
    assert cur.execute("select 2 from dual").fetchone() == (2,)


@pytest.mark.parametrize(("eor", "rb"), CONFIGS)
def test_every_call_type_ends_correctly(eor: bool, rb: bool) -> None:
    server = _server(eor, rb)
    with server.threaded():
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        _every_call(conn, server)
        conn.close()  # LOGOFF, then the EOF packet


@pytest.mark.parametrize(("eor", "rb"), CONFIGS)
def test_pool_request_boundaries(eor: bool, rb: bool) -> None:
    """With boundaries offered, python-oracledb begins a request with the first call
    after an acquire and ends it with a ROLLBACK on release, as against real 23ai."""
    server = _server(eor, rb)
    with server.threaded():
        pool = oracledb.create_pool(user="scott", password="tiger", dsn=server.dsn, min=1, max=1)
        conn = pool.acquire()
        assert conn.cursor().execute("select 1 from dual").fetchone() == (1,)
        assert (_record(server).in_request, _record(server).requests) == (rb, int(rb))
        pool.release(conn)
        assert (_record(server).in_request, _record(server).requests) == (False, int(rb))
        conn = pool.acquire()
        _every_call(conn, server)
        pool.release(conn)
        assert (_record(server).in_request, _record(server).requests) == (False, 2 * rb)
        pool.close()


async def _async_every_call(mod: Any, conn: Any, server: EmbeddedServer, round_: int) -> None:
    """The same call types through the asyncio API (``mod`` is python-oracledb or oracle_asyncio)."""
    conn.call_timeout = CALL_TIMEOUT_MS
    cur = conn.cursor()
    await cur.execute("select :1 from dual", [round_])
    assert await cur.fetchone() == (round_,)
    with pytest.raises(mod.DatabaseError, match="ORA-00942"):
        await cur.execute("select * from caps_missing")
    await cur.execute(f"create table caps_a{round_} (id number, doc clob)")
    await cur.executemany(f"insert into caps_a{round_} (id) values (:1)", [(i,) for i in range(30)])
    await conn.commit()
    cur.arraysize = 4
    await cur.execute(f"select id from caps_a{round_} order by id")
    assert await cur.fetchall() == [(i,) for i in range(30)]
    await cur.execute(f"delete from caps_a{round_}")
    await conn.rollback()
    await conn.ping()
    out = cur.var(int)
    await cur.execute("begin :out := 6 * 7; end;", out=out)
    assert out.getvalue() == 42
    await cur.execute(f"insert into caps_a{round_} (id, doc) values (100, :doc)", doc="y" * 40_000)
    await cur.execute(f"select doc from caps_a{round_} where id = 100")
    (lob,) = await cur.fetchone()
    assert await lob.size() == 40_000 and await lob.read(1, 3) == "yyy"
    await lob.write("ab", 1)
    assert await lob.read(1, 3) == "aby"
    await conn.commit()
    conn.module = "caps-async"
    cur.close()
    cur = conn.cursor()
    task = asyncio.ensure_future(cur.execute("begin dbms_session.sleep(5); end;"))
    for _ in range(400):  # until the server runs the call (bounded)
        if any(s.state == "ACTIVE" for s in server.sessions):
            break
        await asyncio.sleep(0.005)
    conn.cancel()
    with pytest.raises(mod.DatabaseError, match="ORA-01013"):
        await asyncio.wait_for(task, 5)
    await cur.execute("select 2 from dual")
    assert await cur.fetchone() == (2,)


@pytest.mark.parametrize("mod", [oracledb, oracle_asyncio], ids=["python-oracledb", "oracle_asyncio"])
@pytest.mark.parametrize(("eor", "rb"), CONFIGS)
def test_async_pool_every_call(mod: Any, eor: bool, rb: bool) -> None:
    """Both asyncio clients, pooled; only python-oracledb sends request boundaries."""

    async def main(server: EmbeddedServer) -> None:
        pool = mod.create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=2)
        for round_ in range(2):
            async with pool.acquire() as conn:
                await _async_every_call(mod, conn, server, round_)
        begun = 2 if rb and mod is oracledb else 0
        assert sum(s.requests for s in server.sessions) == begun
        assert not any(s.in_request for s in server.sessions)
        await pool.close()

    async def outer() -> None:
        async with _server(eor, rb) as server:
            await asyncio.wait_for(main(server), 60)

    asyncio.run(outer())
