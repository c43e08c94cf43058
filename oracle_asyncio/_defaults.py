"""``oracledb.defaults`` equivalents (re-exported as ``oracle_asyncio.defaults``)."""

from __future__ import annotations

__all__ = ["defaults"]


class _Defaults:
    """``oracledb.defaults`` equivalents."""

    fetch_decimals = False
    fetch_lobs = True
    arraysize = 100
    prefetchrows = 2


defaults = _Defaults()
