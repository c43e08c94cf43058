"""python-oracledb against ServerConnection: FAST_AUTH, RESEND, REDIRECT,
call timeouts (client break/reset) and server-side breaks."""

from __future__ import annotations

import asyncio

import oracledb
import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import BreakReceived, ExecuteRequested, ServerEvent
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.ttc.messages.describe import column_for
from tests.interop.double import DoubleServer

pytestmark = pytest.mark.interop


def test_fast_auth_sync_and_async() -> None:
    async def main(dsn: str) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn)
        await conn.ping()
        await conn.close()

    with DoubleServer(config=ServerConfig(fast_auth=True)) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        conn.ping()
        conn.close()
        asyncio.run(asyncio.wait_for(main(server.dsn), 20))
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott", password="bad", dsn=server.dsn)


def test_resend_and_redirect() -> None:
    with DoubleServer(resend_first=True) as target:
        conn = oracledb.connect(user="scott", password="tiger", dsn=target.dsn)
        conn.ping()
        conn.close()
        address = f"(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={target.port}))"
        with DoubleServer(redirect_to=address) as listener:
            conn = oracledb.connect(user="scott", password="tiger", dsn=listener.dsn)
            conn.ping()
            conn.close()
            assert target.sessions == 2 and listener.sessions == 0


def _control_handler(conn: ServerConnection, ev: ServerEvent) -> None:
    if isinstance(ev, BreakReceived):
        conn.send_error(1013, "ORA-01013: user requested cancel of current operation")
        return
    if not isinstance(ev, ExecuteRequested):
        return
    sql = (ev.sql or "").lower()
    if "sleep" in sql:
        return  # never answers: only a break ends this call
    if "boom" in sql:
        conn.send_describe([column_for("X", OracleType.NUMBER)])
        conn.send_rows([(1,)])
        conn.abort_call(1476, "ORA-01476: divisor is equal to zero")
        return
    conn.send_describe([column_for("X", OracleType.NUMBER)])
    conn.send_rows([(7,)])
    conn.complete_call(more_rows=False)


@pytest.mark.realtime
def test_call_timeout_breaks_and_session_survives() -> None:
    with DoubleServer(on_call=_control_handler) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        conn.call_timeout = 300
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="DPY-4024"):
            cur.execute("begin dbms_session.sleep(10); end;")
        cur.execute("select x from t")
        assert cur.fetchall() == [(7,)]
        conn.close()


@pytest.mark.realtime
def test_async_call_timeout() -> None:
    async def main(dsn: str) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=dsn)
        conn.call_timeout = 300
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="DPY-4024"):
            await cur.execute("begin dbms_session.sleep(10); end;")
        await cur.execute("select x from t")
        assert await cur.fetchall() == [(7,)]
        await conn.close()

    with DoubleServer(on_call=_control_handler) as server:
        asyncio.run(asyncio.wait_for(main(server.dsn), 20))


def test_server_side_break_reports_the_error() -> None:
    with DoubleServer(on_call=_control_handler) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        with pytest.raises(oracledb.DatabaseError, match="ORA-01476"):
            cur.execute("select 1/0 from boom")
            cur.fetchall()
        cur.execute("select x from t")
        assert cur.fetchall() == [(7,)]
        conn.close()


def test_module_action_client_identifier_reach_the_server() -> None:
    from oracle_sansio.connection.events import SessionAttributesChanged

    seen: list[tuple[tuple[str, str | None], ...]] = []

    def handler(conn: ServerConnection, ev: ServerEvent) -> None:
        _control_handler(conn, ev)

    with DoubleServer(on_call=handler, on_event=lambda ev: seen.append(ev.values) if isinstance(ev, SessionAttributesChanged) else None) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        conn.module = "billing"
        conn.action = "month end"
        conn.client_identifier = "alice"
        conn.clientinfo = "batch"
        conn.ping()
        conn.close()
    assert seen and dict(seen[0]) == {
        "client_identifier": "alice", "module": "billing", "action": "month end", "client_info": "batch"
    }
