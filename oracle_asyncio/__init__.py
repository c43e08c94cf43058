"""oracle_asyncio: an asyncio driver over :mod:`oracle_sansio`.

The python-oracledb-compatible API (``connect_async``, ``create_pool_async``)
arrives with the driver issue; for now the package carries the version and the
command-line entry point (``python -m oracle_asyncio demo``).
"""

from __future__ import annotations

from oracle_sansio import __version__

__all__ = ["__version__"]
