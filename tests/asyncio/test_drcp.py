"""DRCP against the embedded server's broker (oracle_asyncio/testing/_drcp.py).

python-oracledb thin (async API, same loop) is the reference client: its pools
on ``(SERVER=POOLED)`` send SESSION_RELEASE (one-way) on every release, and a
standalone connection sends it with DEAUTHENTICATE instead of LOGOFF on close.
The broker keeps a released session's state for the next call of the same class
with purity SELF, gives purity NEW a fresh session, and ends a deauthenticated
one.  Bounded, loopback only.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from oracle_asyncio.testing import EmbeddedServer, Listener
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import ClientClosed, LoggedOnUser, SessionReleased
from oracle_sansio.connection.states import ClientState, ServerState
from oracle_sansio.ttc.constants import FunctionCode, MessageType
from tests.sansio.pair import Pair, client_params, counter_entropy
from tests.sansio.test_connection_pair import logged_on_pair, logon_handler

import oracle_asyncio

oracledb = pytest.importorskip("oracledb")
CLIENTS = {"ours": oracle_asyncio, "python-oracledb": oracledb}

BOUND = 20  # seconds: every wait here is bounded
STATE = "alter session set nls_date_format = 'YYYY-MM-DD'"
PROBE = "select sys_context('userenv', 'nls_date_format'), sys_context('userenv', 'sid') from dual"


def run(body: Callable[[EmbeddedServer], Awaitable[None]]) -> None:
    async def bounded() -> None:
        async with EmbeddedServer() as server:
            await asyncio.wait_for(body(server), BOUND)
    asyncio.run(bounded())


async def settle(condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` holds within a few loop turns (a one-way call is not awaited)."""
    for _ in range(200):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return False


async def probe(conn: Any) -> tuple[str, int]:
    cursor = conn.cursor()
    await cursor.execute(PROBE)
    fmt, sid = await cursor.fetchone()
    return fmt, int(sid)


async def set_state(conn: Any) -> tuple[str, int]:
    await conn.cursor().execute(STATE)
    return await probe(conn)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_released_session_keeps_its_state_for_purity_self(client: str) -> None:
    """Without SESSION_RELEASE accepted, the server answered the one-way call with
    ORA-03115 and python-oracledb read that answer as its next call's."""

    async def body(server: EmbeddedServer) -> None:
        pool = CLIENTS[client].create_pool_async(user="scott", password="tiger", dsn=f"{server.dsn}:pooled",
                                          min=1, max=1, cclass="APP")
        try:
            async with pool.acquire() as conn:
                first = await set_state(conn)
            assert await settle(lambda: not server.sessions)  # released: attached to no connection
            async with pool.acquire() as conn:
                assert await probe(conn) == first == ("YYYY-MM-DD", first[1])
        finally:
            await pool.close()

    run(body)


@pytest.mark.parametrize("client", CLIENTS)
def test_purity_new_gets_a_fresh_session_at_each_attach(client: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = CLIENTS[client].create_pool_async(user="scott", password="tiger", dsn=f"{server.dsn}:pooled",
                                          min=1, max=1, purity=oracledb.PURITY_NEW)
        try:
            async with pool.acquire() as conn:
                fmt, sid = await set_state(conn)
            async with pool.acquire() as conn:
                again = await probe(conn)
            assert again[0] == "DD-MON-RR" and again[1] != sid
        finally:
            await pool.close()

    run(body)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_standalone_close_deauthenticates(client: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await CLIENTS[client].connect_async(user="scott", password="tiger", dsn=server.dsn, server_type="pooled")
        _, sid = await set_state(conn)
        assert sid in {s.sid for s in server.sessions}
        await conn.close()
        assert await settle(lambda: not server.sessions)

    run(body)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_dedicated_connection_is_not_brokered(client: str) -> None:
    async def body(server: EmbeddedServer) -> None:
        pool = CLIENTS[client].create_pool_async(user="scott", password="tiger", dsn=server.dsn, min=1, max=1)
        try:
            async with pool.acquire() as conn:
                first = await set_state(conn)
            async with pool.acquire() as conn:
                assert await probe(conn) == first
            assert [s.sid for s in server.sessions] == [first[1]]
        finally:
            await pool.close()

    run(body)


@pytest.mark.parametrize("deauthenticate", [False, True])
def test_session_release_is_one_way_between_the_machines(deauthenticate: bool) -> None:
    """Our client's SESSION_RELEASE (function 163, message type 26 as python-oracledb's
    session_release.pyx) reaches the server machine as ``SessionReleased``; nothing
    answers it, both stay READY (or the client closes, with DEAUTHENTICATE)."""
    pair = logged_on_pair()
    pair.server_events.clear()
    pair.client.release_session(deauthenticate=deauthenticate)
    sent = pair.client.data_to_send()
    assert bytes([MessageType.ONEWAY_FN, FunctionCode.SESSION_RELEASE]) in sent
    pair.server.receive_data(sent)
    event = pair.server.next_event()
    assert event == SessionReleased(mode=2 if deauthenticate else 0, deauthenticate=deauthenticate)
    assert pair.server.data_to_send() == b"" and pair.server.state is ServerState.READY
    if deauthenticate:
        assert pair.client.state is ClientState.CLOSED
        assert isinstance(pair.server.next_event(), ClientClosed)
    else:
        assert pair.client.state is ClientState.READY
        pair.client.ping()
        pair.pump(logon_handler(pair))
        assert pair.client.state is ClientState.READY


@pytest.mark.parametrize("client", CLIENTS)
def test_a_drcp_pool_without_a_class_gets_its_own(client: str) -> None:
    """python-oracledb pool.pyx: ``DPY:`` and the base64 of a UUID, one per pool."""

    async def body(server: EmbeddedServer) -> None:
        classes = []
        for _ in range(2):
            pool = CLIENTS[client].create_pool_async(user="scott", password="tiger", dsn=f"{server.dsn}:pooled",
                                                     min=1, max=1)
            try:
                async with pool.acquire() as conn:
                    _, sid = await probe(conn)
                    classes.append(next(s.cclass for s in server.sessions if s.sid == sid))
            finally:
                await pool.close()
        assert all(c is not None and c.startswith("DPY:") and len(c) == 28 for c in classes)
        assert classes[0] != classes[1]

    run(body)


@pytest.mark.parametrize("client", CLIENTS)
def test_the_connect_descriptor_asks_for_a_pooled_server(client: str) -> None:
    """What reaches the listener: (SERVER=pooled) and (POOL_BOUNDARY=...) from keywords."""

    async def body(server: EmbeddedServer) -> None:
        async with Listener(refuse_with=12516) as listener:
            with pytest.raises(Exception):
                await CLIENTS[client].connect_async(user="scott", password="tiger", dsn=listener.dsn,
                                                    server_type="pooled", pool_boundary="statement", cclass="C")
            data = listener.connects[0].connect_data
            assert "(SERVER=pooled)" in data and "(POOL_BOUNDARY=statement)" in data

    run(body)


@pytest.mark.parametrize("kw", [dict(purity=5), dict(purity="x"), dict(server_type="huge")])
def test_bad_drcp_values_fail_alike(kw: dict[str, Any]) -> None:
    errors = []
    for module in CLIENTS.values():
        with pytest.raises(Exception) as info:
            module.ConnectParams(**kw)
        errors.append((type(info.value).__name__, str(info.value)))
    assert errors[0] == errors[1]
    assert errors[0][1].startswith(("DPY-4022", "DPY-4028"))


@pytest.mark.parametrize("kw", [
    dict(server_type="POOLED", cclass="C", purity="self", pool_boundary="statement"),
    dict(server_type="pooled", purity=oracledb.PURITY_NEW, pool_boundary="transaction"),
    dict(server_type="dedicated"),
])
def test_connect_strings_match(kw: dict[str, Any]) -> None:
    ours_ = oracle_asyncio.ConnectParams(host="db", service_name="S", **kw)
    theirs = oracledb.ConnectParams(host="db", service_name="S", **kw)
    assert ours_.get_connect_string() == theirs.get_connect_string()
    assert (ours_.server_type, ours_.cclass, int(ours_.purity), ours_.pool_boundary) == (
        theirs.server_type, theirs.cclass, int(theirs.purity), theirs.pool_boundary)


def test_the_logon_pairs_come_in_python_oracledbs_order() -> None:
    """python-oracledb auth.pyx (write of phase two): AUTH_KPPL_CONN_CLASS and
    AUTH_KPPL_PURITY come before AUTH_CONNECT_STRING."""
    params = replace(client_params(dsn="127.0.0.1:1521/FREEPDB1:pooled"), cclass="APP", purity=2)
    pair = Pair(ClientConnection(params, entropy=counter_entropy(b"client")))
    pair.client.start()
    pair.pump(logon_handler(pair))
    logged = [ev for ev in pair.server_events if isinstance(ev, LoggedOnUser)]
    watched = ("AUTH_KPPL_CONN_CLASS", "AUTH_KPPL_PURITY", "AUTH_CONNECT_STRING")
    assert [key for key, _ in logged[0].parameters if key in watched] == list(watched)
    assert pair.client.drcp
