"""Named pools (python-oracledb's pool cache: ``pool_alias`` and ``get_pool``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oracle_sansio.exceptions import dpy_error

if TYPE_CHECKING:
    from .pool import AsyncConnectionPool

__all__ = ["add_pool", "get_pool", "remove_pool"]

_pools: dict[str, AsyncConnectionPool] = {}


def add_pool(alias: str, pool: AsyncConnectionPool) -> None:
    """Register ``pool`` under ``alias`` (case-sensitive).

    Raises:
        TypeError: ``alias`` is not a str.
        ProgrammingError: DPY-2055 when the alias is taken.
    """
    if not isinstance(alias, str):
        raise TypeError("pool_alias must be a string")
    if alias in _pools:
        raise dpy_error(2055, alias=alias)
    _pools[alias] = pool


def remove_pool(alias: str) -> None:
    """Forget ``alias`` (on pool close)."""
    _pools.pop(alias, None)


def get_pool(pool_alias: str) -> AsyncConnectionPool | None:
    """The open pool created with ``pool_alias``, or None (python-oracledb ``get_pool``)."""
    return _pools.get(pool_alias)
