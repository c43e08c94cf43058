"""``pool.acquire()``'s result: awaitable, or an async context manager that gives the
connection back to its pool on exit (python-oracledb's ``AsyncConnectionPool.acquire``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any

from oracle_sansio.exceptions import dpy_error

from ._session import Session, session_of
from .connection import AsyncConnection

__all__ = ["PoolAcquire", "AcquireFn", "AcquireNowFn"]

#: The pool's acquire coroutine: (user, cclass, purity, tag, shardingkey, supershardingkey,
#: again: the caller asks once more after a dead idle session).
AcquireFn = Callable[[str | None, str | None, int, str | None, list[Any] | None, list[Any] | None, bool],
                     Coroutine[Any, Any, AsyncConnection]]
#: The pool's acquire without suspending, same terms: the connection, or 0 (take the
#: coroutine) or 1 (take it, asking again: see AsyncConnectionPool._acquire_now).
AcquireNowFn = Callable[[str | None, str | None, int, str | None, list[Any] | None, list[Any] | None],
                        AsyncConnection | int]


class PoolAcquire:
    """``pool.acquire()``: awaitable, or an async context manager that releases.  It keeps
    the request's terms as they are (no closure or partial: one of these per acquire)."""

    __slots__ = ("_acquire", "_acquire_now", "_release", "_user", "_cclass", "_purity", "_tag", "_shardingkey",
                 "_supershardingkey", "_conn")

    def __init__(self, acquire: AcquireFn, acquire_now: AcquireNowFn,
                 release: Callable[[AsyncConnection], Awaitable[None]],
                 user: str | None, cclass: str | None, purity: int, tag: str | None,
                 shardingkey: list[Any] | None, supershardingkey: list[Any] | None) -> None:
        self._acquire = acquire
        self._acquire_now = acquire_now
        self._release = release
        self._user = user
        self._cclass = cclass
        self._purity = purity
        self._tag = tag
        self._shardingkey = shardingkey
        self._supershardingkey = supershardingkey
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        # The usual acquire (an idle session, nothing to await) ends here, without a
        # coroutine; anything else runs the pool's acquire coroutine.
        got = self._acquire_now(self._user, self._cclass, self._purity, self._tag,
                                self._shardingkey, self._supershardingkey)
        if not isinstance(got, int):
            return got
        return (yield from self._acquire(self._user, self._cclass, self._purity, self._tag,
                                         self._shardingkey, self._supershardingkey, bool(got)).__await__())

    async def __aenter__(self) -> AsyncConnection:
        self._conn = await self
        return self._conn

    async def __aexit__(self, *exc: object) -> None:
        conn = self._conn
        if conn is not None and _open_in_pool(session_of(conn)):
            await self._release(conn)  # one a forced close took is not released (python-oracledb)


def _open_in_pool(session: Session) -> bool:
    """Still held from its pool: not released, closed, or taken by a forced pool close."""
    return not session.released and not session.closed and not session.pool_closed


def refuse_terms(tag: str | None, shardingkey: object, supershardingkey: object, user: str | None,
                 pool_user: str | None) -> None:
    """DPY-3001 for what an acquire may ask and this pool cannot give: session tags and
    sharding keys (thick mode only, as in python-oracledb) or another user (heterogeneous)."""
    if tag is not None:
        raise dpy_error(3001, feature="session tagging", driver_type="thick")
    if shardingkey is not None or supershardingkey is not None:
        raise dpy_error(3001, feature="sharding", driver_type="thick")
    if user is not None and user.upper() != (pool_user or "").upper():
        raise dpy_error(3001, message="heterogeneous pools are not supported by oracle_asyncio")
