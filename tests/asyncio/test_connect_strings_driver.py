"""The driver's side of connect strings: tnsnames.ora aliases through config_dir
and defaults.config_dir, IFILE, a bad entry reported with its file and line,
makedsn(), register_protocol() and config-file://, DESCRIPTION_LIST failover and
LOAD_BALANCE through random.sample, parameters the driver cannot act on refused,
and each compared with python-oracledb where it has an answer."""

from __future__ import annotations

import base64
import json
import os
import random
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import ConnectParams
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_connection_cursor import run
from tests.sansio.test_connect_strings import VECTORS

oracledb = pytest.importorskip("oracledb")


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


async def _query(dsn: str, **kw: Any) -> None:
    async with await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=dsn, **kw) as conn:
        assert await conn.fetchone("select 1 from dual") == (1,)


@pytest.mark.parametrize("rule,text", [v for v in VECTORS if "alias" not in v[0]], ids=[
    rule for rule, _ in VECTORS if "alias" not in rule])
def test_connect_params_read_back_as_python_oracledb(rule: str, text: str) -> None:
    ours, theirs = ConnectParams(), oracledb.ConnectParams()
    try:
        theirs.parse_connect_string(text)
    except oracledb.Error as exc:
        with pytest.raises(oracle_asyncio.Error) as info:
            ours.parse_connect_string(text)
        assert info.value.args[0].full_code == exc.args[0].full_code
        return
    ours.parse_connect_string(text)
    assert ours.get_connect_string() == theirs.get_connect_string()
    for name in ("host", "port", "protocol", "service_name", "sid", "instance_name", "server_type", "retry_count",
                 "retry_delay", "expire_time", "sdu", "tcp_connect_timeout", "cclass", "purity", "https_proxy",
                 "https_proxy_port", "ssl_server_dn_match", "ssl_server_cert_dn", "wallet_location", "use_sni",
                 "stmtcachesize", "program"):
        assert getattr(ours, name) == getattr(theirs, name), name


def test_a_bad_pyo_value_is_dpy_4018_as_python_oracledb() -> None:
    text = "db1/sales?pyo.stmtcachesize=many"
    with pytest.raises(oracledb.DatabaseError, match="DPY-4018"):
        oracledb.ConnectParams().parse_connect_string(text)
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4018"):
        ConnectParams().parse_connect_string(text)


def test_keywords_change_every_description_as_python_oracledb() -> None:
    text = "(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(HOST=a)))(DESCRIPTION=(ADDRESS=(HOST=b)(PORT=7))))"
    ours, theirs = ConnectParams(), oracledb.ConnectParams()
    for p in (ours, theirs):
        p.parse_connect_string(text)
        p.set(retry_count=2, port=1600, service_name="s")
    assert ours.get_connect_string() == theirs.get_connect_string()
    assert (ours.host, ours.port) == (["a", "b"], [1600, 1600])  # type: ignore[comparison-overlap]


TNS = """\
# aliases for the tests
LOCAL_DB =
  (DESCRIPTION=
    (ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))
    (CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))
ez_db = 127.0.0.1:{port}/FREEPDB1
IFILE = extra/more.ora
BAD_DB = (DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={port}))(
  CONNECT_DATA=(SERVER=cheap)))
"""
MORE = "INCLUDED_DB = 127.0.0.1:{port}/FREEPDB1  # from an IFILE\n"


def _config_dir(tmp_path: Path, port: int) -> Path:
    (tmp_path / "extra").mkdir()
    (tmp_path / "tnsnames.ora").write_text(TNS.format(port=port))
    (tmp_path / "extra" / "more.ora").write_text(MORE.format(port=port))
    return tmp_path


def test_tnsnames_aliases_connect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def body(server: EmbeddedServer) -> None:
        config_dir = _config_dir(tmp_path, server.port)
        await _query("local_db", config_dir=str(config_dir))
        await _query("EZ_DB", config_dir=str(config_dir))
        await _query("included_db", config_dir=str(config_dir))
        # python-oracledb's default directory ($TNS_ADMIN when imported): defaults.config_dir.
        monkeypatch.setattr(oracle_asyncio.defaults, "config_dir", str(config_dir))
        await _query("local_db")
        pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn="ez_db", min=1, max=2)
        async with pool.acquire() as conn:
            assert await conn.fetchone("select 1 from dual") == (1,)
        await pool.close(force=True)

    run(body)


def test_alias_errors_name_the_file_and_line(tmp_path: Path) -> None:
    config_dir = _config_dir(tmp_path, 1521)
    for p in (ConnectParams(config_dir=str(config_dir)), oracledb.ConnectParams(config_dir=str(config_dir))):
        with pytest.raises(oracledb.Error if isinstance(p, oracledb.ConnectParams) else oracle_asyncio.Error) as info:
            p.parse_connect_string("bad_db")
        assert info.value.args[0].full_code == "DPY-4028"
        if isinstance(p, ConnectParams):
            assert f"{config_dir / 'tnsnames.ora'} line 8" in str(info.value)
    for text, code in (("nope_db", "DPY-4000"), ("local_db", "DPY-4027")):
        config = str(config_dir) if code == "DPY-4000" else None
        with pytest.raises(oracle_asyncio.DatabaseError, match=code):
            ConnectParams(config_dir=config).parse_connect_string(text) if config else \
                _no_default_dir(text)
    with pytest.raises(oracle_asyncio.DatabaseError, match="DPY-4026"):
        ConnectParams(config_dir=str(tmp_path / "missing")).parse_connect_string("local_db")


def _no_default_dir(text: str) -> None:
    p = ConnectParams()
    p.set(config_dir=None)
    if p.config_dir is None:
        p.parse_connect_string(text)
    else:  # TNS_ADMIN set in this environment: say what python-oracledb says without one
        raise oracle_asyncio.DatabaseError("DPY-4027")


def test_makedsn_as_python_oracledb() -> None:
    cases: list[tuple[tuple[str, int], dict[str, str]]] = [(("h", 1521), {}), (("h", 1), {"sid": "orcl"}), (("h", 1), {"service_name": "s", "sid": "x"}),
                     (("h", 2), {"service_name": "s", "region": "r", "sharding_key": "k",
                                 "super_sharding_key": "sk"})]
    for args, kw in cases:
        assert oracle_asyncio.makedsn(*args, **kw) == oracledb.makedsn(*args, **kw)  # type: ignore[arg-type]
    with pytest.raises(oracle_asyncio.ProgrammingError, match='DPY-2020: "service_name"'):
        oracle_asyncio.makedsn("h", 1, service_name="a=b")


def test_register_protocol_and_hook_failure() -> None:
    seen: list[tuple[str, str]] = []

    def hook(protocol: str, arg: str, params: ConnectParams) -> None:
        seen.append((protocol, arg))
        if arg == "fail":
            raise RuntimeError("lookup failed")
        params.parse_connect_string(f"{arg}/svc")

    oracle_asyncio.register_protocol("MyDir", hook)
    try:
        p = ConnectParams()
        p.parse_connect_string("mydir://db7")
        assert (p.host, p.service_name, seen) == ("db7", "svc", [("mydir", "db7")])
        with pytest.raises(oracle_asyncio.Error, match='DPY-2056: registered handler for protocol "mydir"'):
            p.parse_connect_string("mydir://fail")
    finally:
        oracle_asyncio.register_protocol("mydir", None)
    with pytest.raises(oracle_asyncio.Error, match="DPY-4021"):
        ConnectParams().parse_connect_string("mydir://db7")
    with pytest.raises(oracle_asyncio.Error, match="DPY-2056"):
        ConnectParams().parse_connect_string("ldap://ldap.example.com/cn=x")


def test_config_file_provider(tmp_path: Path) -> None:
    async def body(server: EmbeddedServer) -> None:
        config = {"connect_descriptor": f"127.0.0.1:{server.port}/FREEPDB1",
                  "user": "scott", "password": {"type": "base64", "value": base64.b64encode(b"tiger").decode()},
                  "pyo": {"stmtcachesize": 7}}
        (tmp_path / "app.json").write_text(json.dumps({"prod": config, "plain": {**config, "password": "tiger"}}))
        with pytest.warns(UserWarning, match="base64"):
            conn = await oracle_asyncio.connect_async(dsn="config-file://app.json?key=prod", config_dir=str(tmp_path))
        async with conn:
            assert conn.stmtcachesize == 7 and await conn.fetchone("select user from dual") == ("SCOTT",)
        with pytest.raises(oracle_asyncio.Error, match="DPY-2056") as info:
            await oracle_asyncio.connect_async(dsn=f"config-file://{tmp_path}/app.json?key=plain")
        assert "DPY-2058" in str(info.value) and "tiger" not in str(info.value)

    run(body)
    p, q = ConnectParams(), oracledb.ConnectParams()
    (tmp_path / "d.json").write_text(json.dumps({"connect_descriptor": "h9/s9?retry_count=2"}))
    for params in (p, q):
        params.parse_connect_string(f"config-file://{tmp_path}/d.json")
    assert p.get_connect_string() == q.get_connect_string()


def test_description_list_fails_over_and_load_balances(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def reversing(children: Sequence[Any], k: int) -> list[Any]:
        calls.append(len(children))
        return list(reversed(children))[:k]

    async def body(server: EmbeddedServer) -> None:
        dead1, dead2 = _closed_port(), _closed_port()
        await _query(f"(DESCRIPTION_LIST=(DESCRIPTION=(ADDRESS=(HOST=127.0.0.1)(PORT={dead1}))"
                     f"(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))(DESCRIPTION=(ADDRESS=(HOST=127.0.0.1)(PORT={dead2}))"
                     f"(ADDRESS=(HOST=127.0.0.1)(PORT={server.port}))(CONNECT_DATA=(SERVICE_NAME=FREEPDB1))))")
        monkeypatch.setattr(random, "sample", reversing)
        # Reversed by LOAD_BALANCE: the live address comes first, the dead one is never tried.
        await _query(f"(DESCRIPTION=(LOAD_BALANCE=on)(FAILOVER=off)(ADDRESS=(HOST=127.0.0.1)(PORT={dead1}))"
                     f"(ADDRESS=(HOST=127.0.0.1)(PORT={server.port}))(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))")
        assert calls == [2]

    run(body)


def test_parameters_the_driver_cannot_act_on_are_refused() -> None:
    # https_proxy is acted on (a tunnel for tcps addresses: tests/asyncio/test_https_proxy.py).
    # pool_boundary is built too (DRCP: tests/asyncio/test_drcp.py).
    for dsn, name in (("h/s?pool_name=p", "pool_name"), ("h/s?pyo.use_tcp_fast_open=true", "use_tcp_fast_open")):
        with pytest.raises(oracle_asyncio.NotSupportedError, match=f"DPY-3001.*{name}"):
            oracle_asyncio.connect_async(dsn=f"u/p@{dsn}")
    # Parsing keeps a proxy on each address, as python-oracledb does.
    p = ConnectParams()
    p.parse_connect_string("h/s?https_proxy=px&https_proxy_port=80")
    assert (getattr(p, "https_proxy"), getattr(p, "https_proxy_port")) == ("px", 80)
    p = ConnectParams()
    p.parse_connect_string("(DESCRIPTION=(ADDRESS=(HOST=h)(HTTPS_PROXY=px))(ADDRESS=(HOST=g)))")
    assert (getattr(p, "https_proxy"), getattr(p, "https_proxy_port")) == (["px", None], [0, 0])


def test_connect_timeout_in_a_descriptor_bounds_the_logon() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts TCP, never answers CONNECT
    port = listener.getsockname()[1]

    async def body(server: EmbeddedServer) -> None:
        with pytest.raises(oracle_asyncio.OperationalError, match="DPY-6005"):
            await _query(f"(DESCRIPTION=(CONNECT_TIMEOUT=300ms)(ADDRESS=(HOST=127.0.0.1)(PORT={port}))"
                         "(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))", connect_timeout=30)

    try:
        run(body)
    finally:
        listener.close()


def test_default_config_dir_comes_from_the_environment(tmp_path: Path) -> None:
    import subprocess
    import sys
    code = "import oracle_asyncio, oracledb; print(oracle_asyncio.defaults.config_dir, oracledb.defaults.config_dir)"
    for env, expected in (({"TNS_ADMIN": "/a", "ORACLE_HOME": "/h"}, "/a"),
                          ({"ORACLE_HOME": "/h"}, os.path.join("/h", "network", "admin")), ({}, "None")):
        clean = {k: v for k, v in os.environ.items() if k not in ("TNS_ADMIN", "ORACLE_HOME")}
        out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                             timeout=60, check=True).stdout.split()
        assert out == [expected, expected]
