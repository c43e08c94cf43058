"""Named pools (python-oracledb's pool cache: ``pool_alias`` and ``get_pool``)."""

from __future__ import annotations

from oracle_sansio.exceptions import dpy_error

__all__ = ["add_pool", "get_pool", "remove_pool"]

# Typed loosely so that this module sits below pool.py; ``pool.get_pool`` narrows.
_pools: dict[str, object] = {}


def add_pool(alias: str, pool: object) -> None:
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


def get_pool(pool_alias: str) -> object | None:
    """The pool registered under ``pool_alias``, or None."""
    return _pools.get(pool_alias)
