"""Every public name python-oracledb 26.1 gives AsyncConnection, AsyncCursor and
AsyncConnectionPool exists here; those of features not built yet raise
NotSupportedError DPY-3001 naming the feature; prepare() works as python-oracledb's."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import oracle_asyncio
from oracle_asyncio._not_built import NotBuiltConnection, NotBuiltCursor
from oracle_asyncio.testing import EmbeddedServer
from tests.asyncio.test_cursor_api import Trace, differential, run

oracledb = pytest.importorskip("oracledb")


@pytest.mark.parametrize("name", ["AsyncConnection", "AsyncCursor", "AsyncConnectionPool"])
def test_every_public_name_exists(name: str) -> None:
    theirs, ours = getattr(oracledb, name), getattr(oracle_asyncio, name)
    missing = sorted(n for n in dir(theirs) if not n.startswith("_") and not hasattr(ours, n))
    assert missing == []


def _not_built(cls: type) -> list[str]:
    return sorted(n for n, v in vars(cls).items() if not n.startswith("_") and inspect.isfunction(v))


def test_methods_of_features_not_built_raise_dpy_3001() -> None:
    async def body(server: EmbeddedServer) -> None:
        conn = await oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn)
        cur = conn.cursor()
        for target, names in ((conn, _not_built(NotBuiltConnection)), (cur, _not_built(NotBuiltCursor))):
            for name in names:
                method = getattr(target, name)
                params = [p for p in inspect.signature(method).parameters.values()
                          if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY,
                                                                                 p.POSITIONAL_OR_KEYWORD)]
                with pytest.raises(oracle_asyncio.NotSupportedError) as caught:
                    result: Any = method(*[None] * len(params))
                    if inspect.isawaitable(result):
                        await result
                assert caught.value.full_code == "DPY-3001", name
                assert "is not supported by oracle_asyncio" in caught.value.message
        assert conn.supports_opentelemetry_tracing is False and conn.operation_callback is None
        conn.round_trip_callback = None  # the default is accepted
        with pytest.raises(oracle_asyncio.NotSupportedError):
            conn.operation_callback = print
        assert cur.scrollable is False
        with pytest.raises(oracle_asyncio.NotSupportedError):
            cur.scrollable = True
        await conn.close()

    run(body)


async def _prepare(db: Any, conn: Any, t: Trace) -> None:
    cur = conn.cursor()
    await t.step("prepare", lambda: cur.prepare("select :a + 1 from dual"))
    await t.step("statement", lambda: cur.statement)
    await t.step("bindnames", lambda: cur.bindnames())
    await t.step("execute prepared", lambda: cur.execute(None, a=41))
    await t.step("rows", lambda: cur.fetchall())
    await t.step("again", lambda: cur.execute(None, {"a": 1}))
    await t.step("rows again", lambda: cur.fetchall())
    await t.step("prepare other", lambda: cur.prepare("select 'x' from dual"))
    await t.step("execute other", lambda: cur.execute(None))
    await t.step("rows other", lambda: cur.fetchall())
    await t.step("prepare with tag", lambda: cur.prepare("select 2 from dual", "tag1", False))
    await cur.execute("select level from dual connect by level <= 3")
    await cur.fetchone()
    await t.step("prepare drops rows", lambda: cur.prepare("select 9 from dual"))
    await t.step("fetch after prepare", lambda: cur.fetchone())
    await t.step("description after prepare", lambda: cur.description)
    query = "select :x from dual"
    await cur.execute(query, x=1)
    cur.rowfactory = lambda *row: ("RF", *row)
    await t.step("prepare same", lambda: cur.prepare(query))
    await t.step("rowfactory after prepare", lambda: cur.rowfactory)
    await t.step("no values kept", lambda: cur.execute(None))
    cur.setinputsizes(x=int)
    await t.step("prepare keeps setinputsizes", lambda: cur.prepare("select :x + 1 from dual"))
    await t.step("bindvars", lambda: sorted(cur.bindvars))
    cur.close()
    await t.step("prepare closed", lambda: cur.prepare("select 1 from dual"))


def test_prepare_matches_python_oracledb() -> None:
    rows = dict(differential(_prepare))
    assert rows["bindnames"] == ["A"] and rows["rows"] == [(42,)] and rows["rows other"] == [("x",)]
