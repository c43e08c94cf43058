"""A password, once given, is held only inside a ``Secret``: it appears in no repr,
str, ``vars()`` (walked recursively, into closures and the frames of background
tasks), pickle, exception, log record or packet dump of any object that saw it."""

from __future__ import annotations

import asyncio
import functools
import logging
import pickle
import types
from collections.abc import Iterator
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio import ConnectParams, PoolParams, _transport
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.crypto import Secret

#: Distinctive, so that a hit can only be the password itself.
PASSWORD = "Qz7-pw-91xk-UNIQUE"
WRONG = "Wr0ng-pw-58mv-UNIQUE"
WALLET = "Wl7-pw-33hq-UNIQUE"
PLAIN = (PASSWORD, WRONG, WALLET)
_OURS = ("oracle_asyncio", "oracle_sansio", __name__)


def _check_text(text: str, where: str) -> None:
    for secret in PLAIN:
        assert secret not in text, f"password in {where}: {text[:200]!r}"
        assert secret.encode("utf-16-le").decode("latin-1") not in text, where


def _check_bytes(data: bytes, where: str) -> None:
    for secret in PLAIN:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in data, f"password ({encoding}) in {where}"


def _ours(obj: object) -> bool:
    return type(obj).__module__.startswith(_OURS)


def _children(obj: object) -> Iterator[object]:
    if isinstance(obj, dict):
        yield from obj.keys()
        yield from obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        yield from obj
    elif isinstance(obj, BaseException):
        yield from obj.args
        yield from vars(obj).values()
        yield obj.__cause__
        yield obj.__context__
    elif isinstance(obj, types.FunctionType):
        yield from (cell.cell_contents for cell in obj.__closure__ or () if cell.cell_contents is not None)
        yield obj.__defaults__
        yield obj.__kwdefaults__
    elif isinstance(obj, types.MethodType):
        yield obj.__self__
    elif isinstance(obj, functools.partial):
        yield obj.func
        yield obj.args
        yield obj.keywords
    elif isinstance(obj, asyncio.Task):
        frame = getattr(obj.get_coro(), "cr_frame", None)
        if frame is not None:
            yield from frame.f_locals.values()
    elif _ours(obj):
        if hasattr(obj, "__dict__"):
            yield from vars(obj).values()
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if hasattr(obj, slot):
                    yield getattr(obj, slot)


def assert_hidden(*roots: object) -> set[str]:
    """Walk ``roots`` and everything reachable through our own objects; return the
    names of the types met."""
    seen: set[int] = set()
    met: set[str] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen or isinstance(obj, Secret):  # a Secret is the one allowed box
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            _check_text(obj, "a string")
            continue
        if isinstance(obj, (bytes, bytearray, memoryview)):
            _check_bytes(bytes(obj), "bytes")
            continue
        if isinstance(obj, (int, float, bool)):
            continue
        name = type(obj).__qualname__
        met.add(name)
        _check_text(repr(obj), f"repr of {name}")
        _check_text(str(obj), f"str of {name}")
        if _ours(obj) or isinstance(obj, BaseException):
            try:
                data = pickle.dumps(obj)
            except Exception:
                pass  # refusing to pickle is fine (a Secret refuses)
            else:
                _check_bytes(data, f"pickle of {name}")
        stack.extend(_children(obj))
    return met


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record (packet dumps on) at DEBUG."""
    caplog.set_level(logging.DEBUG)
    previous = _transport.set_packet_debug(True)
    try:
        yield caplog
    finally:
        _transport.set_packet_debug(previous)


def test_parameter_objects_hold_passwords_as_secrets() -> None:
    p = ConnectParams(user="scott", password=PASSWORD, wallet_password=WALLET)
    q = p.copy()
    q.set(password=WRONG)
    r = PoolParams(user="scott", password=PASSWORD, min=1)
    s = ConnectParams()
    s.set(user="scott", password=PASSWORD)
    assert {"ConnectParams", "PoolParams"} <= assert_hidden(p, q, r, s, r.copy())
    assert not hasattr(p, "password")  # write-only, as in python-oracledb
    with pytest.raises(TypeError):  # a parameter object holding a password refuses to pickle
        pickle.dumps(p)


def test_embedded_server_repr_hides_passwords() -> None:
    server = EmbeddedServer(users={"scott": PASSWORD, "bob": Secret(WRONG)})
    assert "scott" in repr(server)
    assert_hidden(server)


def test_nothing_that_saw_a_password_shows_it(records: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        async with EmbeddedServer(users={"scott": PASSWORD}) as server:
            conn = await oracle_asyncio.connect_async(user="scott", password=PASSWORD, dsn=server.dsn)
            via_dsn = await oracle_asyncio.connect_async(dsn=f"scott/{PASSWORD}@{server.dsn}")
            params = ConnectParams(user="scott", password=PASSWORD)
            via_params = await oracle_asyncio.connect_async(params=params, dsn=server.dsn)
            pool = oracle_asyncio.create_pool_async(user="scott", password=PASSWORD, dsn=server.dsn, min=2, max=3)
            await pool.wait(10)
            pooled = await pool.acquire()
            via_pool = oracle_asyncio.connect_async(pool=pool, user="scott", password=PASSWORD)
            from_pool = await via_pool
            failures: list[BaseException] = []
            with pytest.raises(oracle_asyncio.DatabaseError) as wrong:
                await oracle_asyncio.connect_async(user="scott", password=WRONG, dsn=server.dsn)
            failures.append(wrong.value)
            with pytest.raises(oracle_asyncio.DatabaseError) as wrong:
                await oracle_asyncio.connect_async(dsn=f"scott/{WRONG}@{server.dsn}")
            failures.append(wrong.value)
            bad_pool = oracle_asyncio.create_pool_async(user="scott", password=WRONG, dsn=server.dsn, min=1)
            with pytest.raises(oracle_asyncio.Error) as failed:
                await bad_pool.wait(0.3)
            failures.append(failed.value)
            with pytest.raises(oracle_asyncio.NotSupportedError) as refused:  # ezTLS is not built
                oracle_asyncio.connect_async(user="scott", password=PASSWORD, dsn=server.dsn,
                                             wallet_password=WALLET, use_eztls=True)
            failures.append(refused.value)
            walked = assert_hidden(server, conn, via_dsn, via_params, params, pool, pooled, via_pool, from_pool,
                                   bad_pool, failures)
            # The walk reached the sans-I/O machines and their settings, not just the outer objects.
            assert {"EmbeddedServer", "AsyncConnection", "AsyncConnectionPool", "ConnectParams", "PoolParams",
                    "ClientConnection", "ClientParams", "ServerConnection", "ServerConfig", "Transport",
                    "DatabaseError", "NotSupportedError"} <= walked, walked
            await pool.release(pooled)
            await pool.release(from_pool)
            for c in (conn, via_dsn, via_params):
                await c.close()
            await pool.close()
            await bad_pool.close(force=True)

    asyncio.run(asyncio.wait_for(main(), 60))
    assert any("packets" in r.name for r in records.records)  # the dumps were on
    for record in records.records:
        _check_text(record.getMessage(), f"log record {record.name}")


def test_logons_in_flight_hide_the_password() -> None:
    """The frames of a pool's background logons (tasks) hold no bare password."""
    async def main() -> None:
        async with EmbeddedServer(users={"scott": PASSWORD}, stall_logons=True) as server:
            pool = oracle_asyncio.create_pool_async(user="scott", password=PASSWORD, dsn=server.dsn, min=2)
            for _ in range(50):  # let the logons reach the stalled server
                await asyncio.sleep(0)
            assert "Task" in assert_hidden(pool)
            await pool.close(force=True)

    asyncio.run(asyncio.wait_for(main(), 60))


@pytest.mark.parametrize("call", ["connect_async", "create_pool_async"])
@pytest.mark.parametrize("dsn", ["tcps://127.0.0.1:1/svc", "127.0.0.1:x/svc"])
def test_no_traceback_local_holds_the_password(call: str, dsn: str) -> None:
    """An error raised before any await (ezTLS refused, a bad DSN) carries a traceback whose
    frames ``pytest -l``, debuggers and error reporters show: none may hold the password."""
    plain = "Tb9-" + "local-secret"
    with pytest.raises(oracle_asyncio.Error) as info:
        getattr(oracle_asyncio, call)(user="scott", password=plain, newpassword=plain + "2",
                                      wallet_password=plain + "3", dsn=dsn, use_eztls=dsn.startswith("tcps"))
    tb = info.value.__traceback__
    seen = 0
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get("__name__", "").startswith("oracle_asyncio"):
            seen += 1
            for name, value in frame.f_locals.items():
                assert plain not in repr(value), f"{frame.f_code.co_name}: local {name!r} shows the password"
        tb = tb.tb_next
    assert seen > 0
