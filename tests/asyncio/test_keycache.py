"""The process-wide cache of the 12c derived password key (``oracle_asyncio._keycache``).

PBKDF2 runs once per user and password in a process, for standalone connects and
pools alike; a changed password or salt derives afresh; the cache is looked up by a
keyed HMAC, so neither the password nor a plain hash of it is stored."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import pytest

import oracle_asyncio
from oracle_asyncio import _keycache
from oracle_asyncio.testing import EmbeddedServer
from oracle_sansio.crypto import AES, Secret, o5logon


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the PBKDF2 derivations of the 12c password key by the client (the embedded
    server derives its verifiers with the same function; those are not counted)."""
    calls: list[int] = []
    original = o5logon._pbkdf2_password_key

    def counting(password: bytes, salt: bytes, count: int) -> bytes:
        if sys._getframe(1).f_code is o5logon.client_auth_response.__code__:
            calls.append(count)
        return original(password, salt, count)

    monkeypatch.setattr(o5logon, "_pbkdf2_password_key", counting)
    _keycache.forget_all()
    yield calls
    _keycache.forget_all()


async def _ping(dsn: str, user: str, password: str) -> None:
    async with oracle_asyncio.connect_async(user=user, password=password, dsn=dsn) as conn:
        await conn.ping()


def test_standalone_connects_derive_once_per_user_and_password(derivations: list[int]) -> None:
    async def body() -> None:
        async with EmbeddedServer(users={"scott": "tiger", "alice": "wonder"}, admins={"scott"}) as server:
            for _ in range(3):
                await _ping(server.dsn, "scott", "tiger")
            assert len(derivations) == 1
            await _ping(server.dsn, "alice", "wonder")
            assert len(derivations) == 2
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
                await _ping(server.dsn, "scott", "wrong")  # another slot: derived, and refused
            await _ping(server.dsn, "SCOTT", "tiger")  # user names are case-insensitive
            assert len(derivations) == 3

    asyncio.run(asyncio.wait_for(body(), 60))


def test_a_pool_and_a_standalone_connect_share_the_key(derivations: list[int]) -> None:
    async def body() -> None:
        async with EmbeddedServer() as server:
            await _ping(server.dsn, "scott", "tiger")
            pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn=server.dsn,
                                                    min=3, max=3, increment=0)
            await pool.wait(10)
            async with pool.acquire() as conn:
                await conn.ping()
            await pool.close(force=True)
            assert len(derivations) == 1

    asyncio.run(asyncio.wait_for(body(), 60))


def test_a_changed_password_derives_afresh(derivations: list[int]) -> None:
    async def body() -> None:
        async with EmbeddedServer() as server:
            async with oracle_asyncio.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
                await conn.changepassword("tiger", "lion")
            await _ping(server.dsn, "scott", "lion")
            await _ping(server.dsn, "scott", "lion")
            with pytest.raises(oracle_asyncio.DatabaseError, match="ORA-01017"):
                await _ping(server.dsn, "scott", "tiger")  # its cached key answers the old salt only
            assert len(derivations) == 3  # tiger, lion (new salt), tiger again (new salt)

    asyncio.run(asyncio.wait_for(body(), 60))


def test_the_cache_holds_no_password_and_stays_bounded() -> None:
    _keycache.forget_all()
    try:
        plain = "Kc4-" + "plain-password"
        for i in range(_keycache.MAX_ENTRIES + 10):
            _keycache.remember(f"user{i}", Secret(plain), Secret(bytes(64)), "salt:4096")
        assert len(_keycache._keys) == _keycache.MAX_ENTRIES
        assert _keycache.lookup("user0", Secret(plain)) is None  # the oldest went first
        assert _keycache.lookup(f"user{_keycache.MAX_ENTRIES + 9}", Secret(plain)) is not None
        for slot, (key, salt, _cipher) in _keycache._keys.items():
            assert len(slot) == 32 and plain.encode() not in slot and plain not in repr(key) + salt
    finally:
        _keycache.forget_all()


def test_a_reused_key_is_not_filed_again(derivations: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    filed: list[str] = []
    real = _keycache.remember

    def counting(user: str, password: Secret[str], key: Secret[bytes], key_salt: str,
                 cipher: AES | None = None) -> None:
        filed.append(user)
        real(user, password, key, key_salt, cipher)

    monkeypatch.setattr(_keycache, "remember", counting)

    async def body() -> None:
        async with EmbeddedServer() as server:
            for _ in range(3):
                await _ping(server.dsn, "scott", "tiger")
            assert len(derivations) == 1 and filed == ["scott"]  # one HMAC per later connect, not two

    asyncio.run(asyncio.wait_for(body(), 60))


def test_a_logon_that_sets_a_new_password_files_no_key_under_it(derivations: list[int]) -> None:
    async def body() -> None:
        async with EmbeddedServer() as server:
            async with oracle_asyncio.connect_async(user="scott", password="tiger", newpassword="lion",
                                                    dsn=server.dsn) as conn:
                await conn.ping()
            # The logon derived tiger's key: it must not be filed as lion's.
            assert _keycache.lookup("scott", Secret("lion")) is None
            await _ping(server.dsn, "scott", "lion")
            assert len(derivations) == 2

    asyncio.run(asyncio.wait_for(body(), 60))


def test_a_cached_key_brings_its_expanded_aes_key(derivations: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    expanded: list[int] = []

    class Counting(AES):
        def __init__(self, key: bytes) -> None:
            if sys._getframe(1).f_code is o5logon.client_auth_response.__code__:
                expanded.append(len(key))
            super().__init__(key)

    monkeypatch.setattr(o5logon, "AES", Counting)

    async def body() -> None:
        async with EmbeddedServer() as server:
            await _ping(server.dsn, "scott", "tiger")
            assert expanded == [32, 32]  # K and the combo key
            await _ping(server.dsn, "scott", "tiger")
            assert expanded == [32, 32, 32]  # the combo key only: K came with the cached key

    asyncio.run(asyncio.wait_for(body(), 60))
