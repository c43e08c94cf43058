"""ConnectParams / PoolParams and the connect_async parameters (python-oracledb's
names, defaults, precedence and errors), plus what they put on the wire."""

from __future__ import annotations

import asyncio
import copy
import socket
from collections.abc import Callable
from typing import Any
from dataclasses import replace

import pytest

import oracle_asyncio
from oracle_asyncio import ConnectParams, PoolParams
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import LoggedOnUser
from tests.asyncio.test_connection_cursor import run
from tests.sansio.pair import Pair, client_params, counter_entropy
from tests.sansio.test_connection_pair import logon_handler


def test_defaults_match_python_oracledb() -> None:
    oracledb = pytest.importorskip("oracledb")
    theirs, ours = oracledb.PoolParams(), PoolParams()
    for name in ("port", "protocol", "purity", "expire_time", "retry_count", "retry_delay", "tcp_connect_timeout",
                 "stmtcachesize", "sdu", "terminal", "min", "max", "increment", "getmode", "homogeneous", "timeout",
                 "wait_timeout", "max_lifetime_session", "ping_interval", "ping_timeout", "max_sessions_per_shard",
                 "soda_metadata_cache", "cclass", "user", "host", "service_name", "sid"):
        assert getattr(ours, name) == getattr(theirs, name), name
    for value in (100, 10**8, 8192):  # clamped, as python-oracledb does
        assert ConnectParams(sdu=value).sdu == oracledb.ConnectParams(sdu=value).sdu


def test_set_copy_and_errors() -> None:
    p = ConnectParams(user="scott", host="db", service_name="svc")
    p.set(user=None, port=1600)  # None never overrides
    assert (p.user, p.port) == ("scott", 1600)
    q = p.copy()
    q.set(port=1)
    assert p.port == 1600 and q != p and p == p.copy()
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        ConnectParams(bogus=1)  # type: ignore[call-arg]
    with pytest.raises(OverflowError):
        ConnectParams(expire_time=-1)
    # TLS settings are stored and read back as python-oracledb does; connecting with
    # them is refused (tests/asyncio/test_tls_refused.py).
    assert ConnectParams(wallet_location="/w").wallet_location == "/w"
    assert ConnectParams(protocol="TCPS").protocol == "tcps"
    with pytest.raises(oracle_asyncio.DatabaseError, match='DPY-4021: invalid protocol "udp"'):
        ConnectParams(protocol="udp")
    before = p.copy()
    with pytest.raises(OverflowError):
        p.set(port=2, retry_count=-1)  # all or nothing
    assert p == before
    assert "tiger" not in repr(ConnectParams(user="u", password="tiger"))


def test_copy_runs_no_init_and_shares_no_values() -> None:
    """copy() makes the object without calling __init__ (a subclass with its own __init__ copies,
    as python-oracledb's does), and the copy's values are its own, through copy.copy too."""
    class Named(ConnectParams):
        def __init__(self, name: str) -> None:
            super().__init__(user=name)

    p = Named("scott")
    q = p.copy()
    assert type(q) is Named and q == p
    q.set(user="other", host="h2")
    assert (p.user, p.host) == ("scott", None)
    r = copy.copy(p)
    r.set(port=1)
    assert p.port == 1521 and r.port == 1
    pool = PoolParams(min=2)
    other = pool.copy()
    other.set(min=5)
    assert (pool.min, other.min, type(other)) == (2, 5, PoolParams)


def test_connect_string_and_dsn_parsing() -> None:
    p = ConnectParams(host="h", service_name="s", expire_time=2, sdu=100000,
                      purity=oracle_asyncio.PURITY_NEW, cclass="C")
    assert p.get_connect_string() == (
        "(DESCRIPTION=(EXPIRE_TIME=2)(SDU=100000)(ADDRESS=(PROTOCOL=tcp)(HOST=h)(PORT=1521))"
        "(CONNECT_DATA=(SERVICE_NAME=s)(POOL_CONNECTION_CLASS=C)(POOL_PURITY=NEW)))")
    assert p.parse_dsn_with_credentials("scott/tiger@localhost:1521/svc") == ("scott", "tiger", "localhost:1521/svc")
    assert p.parse_dsn_with_credentials("localhost:1521/svc") == (None, None, "localhost:1521/svc")
    q = ConnectParams()
    q.parse_connect_string("h:1/svc?expire_time=3")
    assert (q.host, q.port, q.service_name, q.expire_time) == ("h", 1, "svc", 3)


def test_argument_errors_come_before_any_await() -> None:
    async def body(server: EmbeddedServer) -> None:
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2054"):
            oracle_asyncio.connect_async(pool_alias="nope")
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2023"):
            oracle_asyncio.connect_async(dsn=server.dsn, conn_class=int)  # type: ignore[arg-type]
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2025"):
            oracle_asyncio.connect_async(dsn=server.dsn, params=object())  # type: ignore[arg-type]
        with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4018"):
            oracle_asyncio.connect_async(user="u", password="p", dsn="h/y/z$")  # "h:x/y" is an alias lookup (DPY-4027), as python-oracledb
        with pytest.raises(TypeError):
            oracle_asyncio.connect_async(dsn=server.dsn, not_a_parameter=1)  # type: ignore[call-arg]
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2026"):
            oracle_asyncio.create_pool_async(dsn=server.dsn, pool_class=dict)  # type: ignore[arg-type]
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2027"):
            oracle_asyncio.create_pool_async(dsn=server.dsn, params=ConnectParams())  # type: ignore[arg-type]
        with pytest.raises(oracle_asyncio.ProgrammingError, match="DPY-2064"):
            oracle_asyncio.create_pool_async(dsn=server.dsn, min=3, max=2)

    run(body)


def test_precedence_dsn_over_keywords_over_params() -> None:
    async def body(server: EmbeddedServer) -> None:
        params = ConnectParams(user="nobody", password="x", stmtcachesize=7, host="192.0.2.1", port=9)
        conn = await oracle_asyncio.connect_async(f"scott/tiger@{server.dsn}", params=params, user="ignored")
        assert conn.username == "scott" and conn.stmtcachesize == 7 and conn.dsn == server.dsn
        await conn.close()
        async with oracle_asyncio.connect_async(params=ConnectParams(user="scott", password="tiger"),
                                                host=server.host, port=server.port,
                                                service_name=server.service_name) as conn2:
            assert await conn2.fetchone("select 1 from dual") == (1,)
        assert not conn2.is_healthy()

    run(body)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_address_list_retry_and_keepalive() -> None:
    async def body(server: EmbeddedServer) -> None:
        dead = _free_port()
        dsn = (f"(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={dead}))"
               f"(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={server.port})))"
               f"(CONNECT_DATA=(SERVICE_NAME={server.service_name})))")
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, expire_time=3)
        sock = conn._session.transport.transport.get_extra_info("socket")  # type: ignore[union-attr]
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        if hasattr(socket, "TCP_KEEPIDLE"):
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 180
        await conn.close()
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
            await oracle_asyncio.connect_async(user="scott", password="tiger", host="127.0.0.1", port=dead,
                                               service_name="x", retry_count=2, retry_delay=0)
        with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):  # refusals are not retried
            await oracle_asyncio.connect_async(user="scott", password="bad", dsn=server.dsn, retry_count=3,
                                               retry_delay=5)

    run(body)


def test_on_connect_callback_standalone() -> None:
    async def body(server: EmbeddedServer) -> None:
        seen: list[object] = []

        async def callback(conn: oracle_asyncio.AsyncConnection) -> None:
            seen.append(await conn.fetchone("select 2 from dual"))

        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn,
                                                  on_connect_callback=callback)
        assert seen == [(2,)]
        await conn.close()

        async def failing(conn: oracle_asyncio.AsyncConnection) -> None:
            raise RuntimeError("callback failed")

        before = len(server.sessions)
        with pytest.raises(RuntimeError, match="callback failed"):
            await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn,
                                               on_connect_callback=failing)
        for _ in range(1000):  # the abandoned session is logged off (bounded loop turns)
            if len(server.sessions) <= before:
                break
            await asyncio.sleep(0)
        assert len(server.sessions) <= before

    run(body)


@pytest.mark.parametrize(("cclass", "purity"), [("APP", 1), (None, 2), (None, 0)])
def test_cclass_and_purity_reach_the_logon(cclass: str | None, purity: int) -> None:
    params = replace(client_params(), cclass=cclass, purity=purity, driver_name="custom : 1")
    pair = Pair(ClientConnection(params, entropy=counter_entropy(b"c")))
    pair.client.start()
    pair.pump(logon_handler(pair))
    logged = [e for e in pair.server_events if isinstance(e, LoggedOnUser)]
    assert len(logged) == 1 and logged[0].driver_name == "custom : 1"
    keys = dict(logged[0].parameters)
    assert keys.get("AUTH_KPPL_CONN_CLASS") == cclass
    assert keys.get("AUTH_KPPL_PURITY") == (str(purity) if purity else None)


def test_cached_password_key_is_used_only_for_its_salt() -> None:
    from oracle_sansio.crypto import Secret

    first = Pair(ClientConnection(client_params(), entropy=counter_entropy(b"a")))
    first.client.start()
    first.pump(logon_handler(first))
    key, salt = first.client.password_key, first.client.password_key_salt
    assert key is not None and salt is not None and "tiger" not in repr(first.client.password_key)

    def logon(password_key: Secret[bytes], password_key_salt: str) -> list[str]:
        params = replace(client_params(), password_key=password_key, password_key_salt=password_key_salt)
        pair = Pair(ClientConnection(params, entropy=counter_entropy(b"b")))
        pair.client.start()
        pair.pump(logon_handler(pair))
        return [type(e).__name__ for e in pair.client_events]

    assert logon(key, salt)[-1] == "LoggedOn"  # the cached key answers the same challenge
    wrong = Secret(bytes(len(key.expose())))
    assert logon(wrong, salt)[-1] != "LoggedOn"  # proof the cached key is what was used
    assert logon(wrong, "other-salt:4096")[-1] == "LoggedOn"  # another salt: derived afresh


def test_python_oracledb_defaults_of_features_not_built_here_are_accepted() -> None:
    oracledb = pytest.importorskip("oracledb")
    from oracle_asyncio._param_table import NOT_HERE as _NOT_HERE

    theirs = oracledb.ConnectParams()
    for name, default in _NOT_HERE.items():
        if hasattr(theirs, name):
            value = getattr(theirs, name)
            assert value == default, name
            ConnectParams(**{name: value})  # a switched application passing the default still works
            assert getattr(ConnectParams(), name) == default
    with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: parameter 'mode'"):
        ConnectParams(mode=oracledb.AUTH_MODE_SYSDBA)
    with pytest.raises(oracle_asyncio.NotSupportedError, match="DPY-3001: parameter 'externalauth'"):
        ConnectParams(externalauth=True)


def test_unknown_keywords_name_the_function_as_python_oracledb() -> None:
    """Checked against python-oracledb 26.1: the TypeError names the function called,
    also when ``pool=`` is given (other connect keywords are then accepted and unused)."""
    oracledb = pytest.importorskip("oracledb")

    async def body() -> list[str]:
        found = []
        mod: Any
        for mod in (oracledb, oracle_asyncio):
            pool = mod.create_pool_async(user="scott", password="tiger", dsn="127.0.0.1:1/x", min=0, max=1)
            calls: list[Callable[[], Any]] = [
                lambda: mod.connect_async(user="a", password="b", dsn="127.0.0.1:1/x", bogus=1),
                lambda: mod.connect_async(pool=pool, bogus=1),
                lambda: mod.create_pool_async(user="a", password="b", dsn="127.0.0.1:1/x", bogus=1),
            ]
            for call in calls:
                try:
                    awaitable = call()
                    found.append("accepted")
                    if hasattr(awaitable, "close"):
                        awaitable.close()
                except TypeError as exc:
                    found.append(str(exc))
            await pool.close()
        return found

    found = asyncio.run(body())
    assert found[:3] == found[3:]
    assert found[:3] == ["connect_async() got an unexpected keyword argument 'bogus'"] * 2 + [
        "create_pool_async() got an unexpected keyword argument 'bogus'"]


@pytest.mark.parametrize("dsn", ["scott/pa:ss-Qz7", "scott/pa(ss-Qz7", "a/Qz7", "scott/p w:Qz7"])
def test_credentials_only_dsn_never_echoes_the_password(dsn: str) -> None:
    """python-oracledb reads ``user/password`` without ``@`` as credentials (then a local,
    bequeath connection, DPY-3001); read as a connect string it used to fail DPY-4018
    with the password part echoed in the message."""
    oracledb = pytest.importorskip("oracledb")
    with pytest.raises(oracle_asyncio.NotSupportedError) as ours:
        oracle_asyncio.connect_async(dsn=dsn)
    with pytest.raises(oracledb.NotSupportedError) as theirs:
        oracledb.connect(dsn=dsn)
    assert str(ours.value).startswith("DPY-3001") and str(theirs.value).startswith("DPY-3001")
    assert "Qz7" not in str(ours.value) and "Qz7" not in repr(ours.value.args)
    with pytest.raises(oracle_asyncio.NotSupportedError):
        oracle_asyncio.create_pool_async(dsn=dsn)


def test_a_dsn_is_parsed_once_per_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    from oracle_asyncio import _dsn_values as dsn_values_module
    from oracle_asyncio.params import resolve
    from oracle_sansio.dsn_parse import parse_connect_string as real

    parsed: list[str] = []

    def counting(text: str, **kw: Any) -> Any:
        parsed.append(text)
        return real(text, **kw)

    monkeypatch.setattr(dsn_values_module, "parse_connect_string", counting)
    dsn_values_module._parse_kept.cache_clear()
    p, target, shown = resolve("scott/tiger@h:7/svc?expire_time=3", None, {}, ConnectParams)
    assert parsed == ["h:7/svc?expire_time=3"]
    # The parameters still take what the DSN says, as parse_connect_string() does.
    assert (p.host, p.port, p.service_name, p.expire_time, p.user) == ("h", 7, "svc", 3, "scott")
    assert (target.addresses[0].host, shown) == ("h", "h:7/svc?expire_time=3")
    # Later connects to the same string reuse the (immutable) parse.
    again, target2, _ = resolve("h:7/svc?expire_time=3", None, {"user": "u"}, ConnectParams)
    assert parsed == ["h:7/svc?expire_time=3"] and target2 is target and again.expire_time == 3
    # A string that may carry a password is parsed each time and never kept.
    for _ in range(2):
        ConnectParams().parse_connect_string("h:7/svc?wallet_password=x")
    assert parsed[1:] == ["h:7/svc?wallet_password=x"] * 2
    assert dsn_values_module._parse_kept.cache_info().currsize == 1
