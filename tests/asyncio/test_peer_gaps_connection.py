"""Connection-side gaps python-oracledb's own async suite found (issue 17): each test
names the suite's test it stands for (tests/test_5300_connection_async.py etc.)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

import oracle_asyncio
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import LoggedOnUser
from oracle_sansio.statement import parse_statement
from tests.asyncio.test_connection_cursor import run
from tests.sansio.pair import Pair, client_params, counter_entropy
from tests.sansio.test_connection_pair import logon_handler


async def _connect(server: EmbeddedServer, **kw: object) -> oracle_asyncio.AsyncConnection:
    return await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn,
                                              **kw)  # type: ignore[arg-type]


class MyConnection(oracle_asyncio.AsyncConnection):
    """A subclass named by its own module, as python-oracledb names it."""


def test_repr_names_class_user_and_connect_string() -> None:
    # test_5316 / test_5332: python-oracledb's text, the class named by its package.
    async def body(server: EmbeddedServer) -> None:
        conn = await _connect(server)
        assert str(conn) == repr(conn) == f"<oracle_asyncio.AsyncConnection to scott@{server.dsn}>"
        await conn.close()
        assert repr(conn) == "<oracle_asyncio.AsyncConnection disconnected>"
        mine = await _connect(server, conn_class=MyConnection)
        assert repr(mine) == f"<{__name__}.MyConnection to scott@{server.dsn}>"
        await mine.close()
        assert repr(mine) == f"<{__name__}.MyConnection disconnected>"

    run(body)


def test_stmtcachesize_takes_integers_only() -> None:
    # test_5318: TypeError (not ValueError) for text, OverflowError below 0.
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            conn.stmtcachesize = 30
            with pytest.raises(TypeError):
                conn.stmtcachesize = "30"  # type: ignore[assignment]
            with pytest.raises(OverflowError):
                conn.stmtcachesize = -1
            assert conn.stmtcachesize == 30

    run(body)


def test_createlob_refuses_other_types_without_a_call() -> None:
    # test_5723: TypeError at once; the embedded server used to be asked for a NUMBER
    # locator and close the session (DPY-4011).
    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            for wrong in (oracle_asyncio.DB_TYPE_NUMBER, oracle_asyncio.DB_TYPE_BFILE):
                with pytest.raises(TypeError, match="DB_TYPE_CLOB"):
                    await conn.createlob(wrong)
            await conn.ping()

    run(body)


def test_lob_write_takes_text_or_utf8_bytes_for_every_type() -> None:
    # test_5724: bytes written to a CLOB/NCLOB are UTF-8 text (decoded, then encoded as
    # the LOB's own charset: UTF-16 for NCLOB); text written to a BLOB is UTF-8 bytes.
    cases: list[tuple[oracle_asyncio.DbType, str | bytes, str | bytes, str | bytes]] = [
        (oracle_asyncio.DB_TYPE_BLOB, "blob", b"!", b"blob!"),
        (oracle_asyncio.DB_TYPE_CLOB, b"clob \xc3\xa9", b"!", "clob \u00e9!"),
        (oracle_asyncio.DB_TYPE_NCLOB, b"nclob", b"!", "nclob!"),
        (oracle_asyncio.DB_TYPE_NCLOB, "nclob", "!", "nclob!"),
    ]

    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            for typ, first, more, expected in cases:
                lob = await conn.createlob(typ, first)
                await lob.write(more, len(expected))
                assert await lob.read() == expected
            lob = await conn.createlob(oracle_asyncio.DB_TYPE_CLOB)
            with pytest.raises(TypeError):
                await lob.write(5)  # type: ignore[arg-type]

    run(body)


def test_blank_after_colon_is_a_bind() -> None:
    # test_5430: ``: 2`` is bind 2 (python-oracledb skips blanks after the colon), so a
    # missing value is DPY-4010 (not a count mismatch, DPY-4009), and the server runs it.
    assert parse_statement("select :1, : 2,:\n x from dual").bind_names == ("1", "2", "X")
    assert parse_statement('select : "Ab", :"c" from dual').bind_names == ("Ab", "c")
    assert parse_statement("begin x := 1; end;").bind_names == ()

    async def body(server: EmbeddedServer) -> None:
        async with await _connect(server) as conn:
            cursor = conn.cursor()
            cursor.setinputsizes(None, int)
            with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4010"):
                await cursor.execute("select :1, : 2 from dual", [])
            await cursor.execute("select :1, : 2 from dual", [1, 2])
            assert await cursor.fetchall() == [(1, 2)]

    run(body)


@pytest.fixture
def proto_test() -> Iterator[str]:
    yield "proto-test"
    oracle_asyncio.register_protocol("proto-test", None)


def test_protocol_hook_is_given_the_callers_params(proto_test: str) -> None:
    # test_5353 / test_5535: python-oracledb documents that the hook receives the
    # ``params=`` object of the call; what it sets there is what the session uses.
    async def body(server: EmbeddedServer) -> None:
        seen: list[object] = []

        def hook(protocol: str, arg: str, params: oracle_asyncio.ConnectParams) -> None:
            seen.append(params)
            params.parse_connect_string(arg)
            params.set(sdu=4096)

        oracle_asyncio.register_protocol(proto_test, hook)
        params = oracle_asyncio.ConnectParams(user="scott", password="tiger")
        conn = await oracle_asyncio.connect_async(dsn=f"{proto_test}://{server.dsn}", params=params,
                                                  stmtcachesize=7)
        assert seen == [params] and params.sdu == 4096 and conn.sdu == 4096
        assert conn.stmtcachesize == 7 and params.stmtcachesize == 20  # keywords stay the call's
        await conn.close()
        pool_params = oracle_asyncio.PoolParams(user="scott", password="tiger")
        pool = oracle_asyncio.create_pool_async(dsn=f"{proto_test}://{server.dsn}", params=pool_params)
        assert seen[-1] is pool_params and pool_params.sdu == 4096
        async with pool.acquire() as pooled:
            assert pooled.sdu == 4096
        await pool.close()
        # Without params= the hook fills a fresh object of the call's own.
        conn = await oracle_asyncio.connect_async(dsn=f"{proto_test}://{server.dsn}", user="scott",
                                                  password="tiger")
        assert conn.sdu == 4096 and seen[-1] is not params
        await conn.close()

    run(body)


def test_edition_is_sent_in_the_logon_in_python_oracledbs_order() -> None:
    """python-oracledb auth.pyx (phase two): AUTH_ORA_EDITION after the DRCP keys,
    before AUTH_CONNECT_STRING; none without ``edition``."""
    for edition in ("APP_V2", None):
        params = replace(client_params(dsn="127.0.0.1:1521/FREEPDB1:pooled"), cclass="APP", purity=2,
                         edition=edition)
        pair = Pair(ClientConnection(params, entropy=counter_entropy(b"client")))
        pair.client.start()
        pair.pump(logon_handler(pair))
        logged = [ev for ev in pair.server_events if isinstance(ev, LoggedOnUser)]
        watched = ("AUTH_KPPL_PURITY", "AUTH_ORA_EDITION", "AUTH_CONNECT_STRING")
        sent = [(key, value) for key, value in logged[0].parameters if key in watched]
        assert [key for key, _ in sent] == [key for key in watched if edition or key != "AUTH_ORA_EDITION"]
        assert edition is None or ("AUTH_ORA_EDITION", edition) in sent


@pytest.mark.interop
def test_edition_reaches_the_server_like_python_oracledb() -> None:
    # test_5536 (and test_5355): ``edition=`` of a connection and a pool; the embedded
    # server has no editions and takes any name (sys_context shows it).
    oracledb = pytest.importorskip("oracledb")
    query = "select sys_context('USERENV', 'CURRENT_EDITION_NAME') from dual"

    async def body(server: EmbeddedServer) -> None:
        seen: dict[str, list[object]] = {}
        for lib in (oracledb, oracle_asyncio):
            row: list[object] = []
            for kw in ({"edition": "pythonedition"}, {}):
                conn = await lib.connect_async(user="scott", password="tiger", dsn=server.dsn, **kw)
                row += [conn.edition, await conn.fetchone(query)]
                await conn.close()
            pool = lib.create_pool_async(user="scott", password="tiger", dsn=server.dsn, edition="pooled_ed")
            async with pool.acquire() as pooled:
                row += [pooled.edition, await pooled.fetchone(query)]
            await pool.close()
            seen[lib.__name__] = row
        assert seen["oracle_asyncio"] == seen["oracledb"] == [
            "pythonedition", ("PYTHONEDITION",), None, ("ORA$BASE",), "pooled_ed", ("POOLED_ED",)]

    run(body)
