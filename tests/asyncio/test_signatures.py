"""``connect_async()`` and ``create_pool_async()`` declare python-oracledb 26.1's
keywords as real parameters (names, order and defaults as the installed
python-oracledb), so a type checker rejects a misspelt keyword and Python
raises TypeError for it at run time."""

from __future__ import annotations

import inspect
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from oracle_sansio.crypto import Secret

import oracle_asyncio
from oracle_asyncio import _api
from oracle_asyncio._keywords import ConnectKeywords, PoolKeywords

#: This driver's keywords python-oracledb lacks (README), after python-oracledb's.
EXTRAS = {
    "connect_async": ["connect_timeout"],
    "create_pool_async": ["connect_timeout", "max_waiters", "lifetime_jitter", "leak_threshold",
                          "max_concurrent_opens", "clock"],
}
#: Parameters that are not connection or pool settings.
STRUCTURAL = {"dsn", "pool", "pool_alias", "conn_class", "params", "pool_class", "clock"}
ROOT = Path(__file__).resolve().parents[2]


def _ours_default(value: object) -> object:
    return value.__name__ if isinstance(value, type) else value


@pytest.mark.parametrize("name", ["connect_async", "create_pool_async"])
def test_signature_matches_python_oracledb(name: str) -> None:
    oracledb = pytest.importorskip("oracledb")
    theirs = inspect.signature(getattr(oracledb, name)).parameters
    ours = inspect.signature(getattr(oracle_asyncio, name)).parameters
    assert list(ours) == [*theirs, *EXTRAS[name]]
    for key, param in theirs.items():
        mine = ours[key]
        assert mine.kind is param.kind, key
        # Classes by name: python-oracledb's pool_class/conn_class default to its own classes.
        assert _ours_default(mine.default) == _ours_default(param.default), key
    assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in ours.values())
    assert all(ours[key].default is None for key in EXTRAS[name])


@pytest.mark.parametrize(("function", "keywords"), [
    (oracle_asyncio.connect_async, ConnectKeywords),
    (oracle_asyncio.create_pool_async, PoolKeywords),
])
def test_parameter_classes_take_the_same_keywords(function: Any, keywords: Any) -> None:
    """ConnectParams/PoolParams(**kw) and set(**kw) are typed by these TypedDicts: the
    same names and annotations as the explicit signatures."""
    declared = {name: param.annotation for name, param in inspect.signature(function).parameters.items()
                if name not in STRUCTURAL}
    typed = {name: getattr(value, "__forward_arg__", value) for name, value in keywords.__annotations__.items()}
    assert typed == declared
    assert not keywords.__required_keys__
    oracledb = pytest.importorskip("oracledb")
    theirs = oracledb.PoolParams if keywords is PoolKeywords else oracledb.ConnectParams
    extras = {"connect_timeout", "max_waiters", "lifetime_jitter", "leak_threshold", "max_concurrent_opens"}
    assert set(inspect.signature(theirs).parameters) == declared.keys() - extras


def test_class_defaults_are_this_drivers() -> None:
    assert inspect.signature(oracle_asyncio.create_pool_async).parameters["pool_class"].default \
        is oracle_asyncio.AsyncConnectionPool
    assert inspect.signature(oracle_asyncio.connect_async).parameters["conn_class"].default \
        is oracle_asyncio.AsyncConnection


def test_every_declared_keyword_is_passed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each keyword reaches the parameter objects, alone and unchanged (None = not given)."""
    seen: list[dict[str, Any]] = []

    def fake_start(dsn: object, **kwargs: Any) -> None:
        seen.append(kwargs["kwargs"])

    class Capture(oracle_asyncio.AsyncConnectionPool):
        def __init__(self, dsn: str | None = None, **kwargs: Any) -> None:  # no pool is made
            seen.append({k: v for k, v in kwargs.items() if k not in ("params", "cache_name")})

    monkeypatch.setattr(_api, "start_connect", fake_start)
    value: Any = object()
    for name in inspect.signature(oracle_asyncio.connect_async).parameters.keys() - STRUCTURAL:
        one: dict[str, Any] = {name: value}
        oracle_asyncio.connect_async(**one)
        assert seen.pop() == one
    oracle_asyncio.connect_async(user=None, password="p")
    got = seen.pop()  # a password is passed on wrapped, never as a plain str
    assert list(got) == ["password"] and isinstance(got["password"], Secret) and got["password"].expose() == "p"
    for name in inspect.signature(oracle_asyncio.create_pool_async).parameters.keys() - STRUCTURAL:
        one = {name: value}
        oracle_asyncio.create_pool_async(pool_class=Capture, **one)
        assert seen.pop() == one
    clock: Any = object()
    oracle_asyncio.create_pool_async(pool_class=Capture, clock=clock)
    assert seen.pop() == {"clock": clock}


def test_unknown_keywords_raise_type_error() -> None:
    bad: dict[str, Any] = {"mni": 1}
    with pytest.raises(TypeError, match="create_pool_async\\(\\) got an unexpected keyword argument 'mni'"):
        oracle_asyncio.create_pool_async(user="u", password="p", dsn="h:1/s", **bad)
    with pytest.raises(TypeError, match="connect_async\\(\\) got an unexpected keyword argument 'mni'"):
        oracle_asyncio.connect_async(user="u", password="p", dsn="h:1/s", **bad)


def test_mypy_rejects_a_misspelt_keyword(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent("""
        import oracle_asyncio

        async def use() -> None:
            oracle_asyncio.create_pool_async(user="u", password="p", dsn="h/s", min=1, max=4, increment=1,
                                             getmode=oracle_asyncio.POOL_GETMODE_WAIT, max_waiters=10)
            await oracle_asyncio.connect_async(user="u", password="p", dsn="h/s", service_name="s")
            oracle_asyncio.create_pool_async(user="u", password="p", dsn="h/s", mni=1)
            await oracle_asyncio.connect_async(user="u", password="p", dsn="h/s", servce_name="s")
            oracle_asyncio.create_pool_async(dsn="h/s", min="1")
            oracle_asyncio.ConnectParams(usr="u")
            oracle_asyncio.PoolParams(user="u", mni=1).set(increment=2, incremnt=2)
    """))
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    monkeypatch.chdir(tmp_path)
    out, err, status = api.run(["--strict", "--no-incremental", "--config-file", os.devnull,
                                "--no-error-summary", str(snippet)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, (out, err)
    assert len(errors) == 6, out
    assert 'Unexpected keyword argument "mni" for "create_pool_async"' in errors[0]
    assert 'Unexpected keyword argument "servce_name" for "connect_async"' in errors[1]
    assert 'incompatible type "str"; expected "int | None"' in errors[2]
    assert 'Unexpected keyword argument "usr" for "ConnectParams"' in errors[3]
    assert 'Unexpected keyword argument "mni" for "PoolParams"' in errors[4]
    assert 'Unexpected keyword argument "incremnt" for "set" of "PoolParams"' in errors[5]
