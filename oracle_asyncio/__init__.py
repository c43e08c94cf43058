"""oracle_asyncio: an asyncio driver over :mod:`oracle_sansio` with
python-oracledb's asyncio API: ``connect_async``, ``create_pool_async`` /
``AsyncConnectionPool``, ``AsyncConnection``, ``AsyncCursor``, ``AsyncLOB``,
``ConnectParams`` / ``PoolParams`` and the PEP 249 exceptions, with the same
names, defaults and DPY-/ORA- codes, and python-oracledb's module surface
(PEP 249 globals, type objects and constructors, ``defaults``, constants;
``_module``, ``_constants``).  Names only its synchronous or thick API has
(``connect``, ``create_pool``, ...) raise NotSupportedError DPY-3001 naming the
asyncio one to use.

    pool = oracle_asyncio.create_pool_async(user="scott", password="tiger", dsn="host:1521/svc")
    async with pool.acquire() as conn:
        print(await conn.fetchone("select sysdate from dual"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import oracle_sansio.exceptions as _sansio_exceptions
from oracle_sansio import __version__
from oracle_sansio.codecs import IntervalYM

from . import dbtypes, exceptions
from . import _constants, _module
from ._constants import *  # noqa: F403  (its __all__: DB_TYPE_*, python-oracledb's constants and aliases)
from ._module import *  # noqa: F403  (its __all__: PEP 249 globals, constructors, helpers)
from .exceptions import *  # noqa: F403  (the PEP 249 exception classes)
from ._module import SYNC_ONLY, sync_only_error
from ._defaults import Defaults
from ._fetch import FetchInfo
from ._api import connect_async, create_pool_async
from ._dsn_sources import makedsn, register_protocol
from . import _config_provider  # noqa: F401  (registers config-file://)
from .connection import AsyncConnection
from ._cursor_vars import VarPositionError
from .cursor import AsyncCursor, Var, defaults
from .dbtypes import BINARY, DATETIME, NUMBER, ROWID, STRING, ApiType, DbType
from .lob import AsyncLOB
from .pool import (
    POOL_GETMODE_FORCEGET,
    POOL_GETMODE_NOWAIT,
    POOL_GETMODE_TIMEDWAIT,
    POOL_GETMODE_WAIT,
    AsyncConnectionPool,
    get_pool,
)
from .params import PURITY_DEFAULT, PURITY_NEW, PURITY_SELF, ConnectParams, PoolParams, Purity
from oracle_sansio.pool import PoolGetMode
# python-oracledb's ``oracledb._Error``: the error object an exception carries in ``args[0]``
# (``isinstance`` checks and pickling in code written for python-oracledb).
_Error = _sansio_exceptions.ErrorInfo


if not TYPE_CHECKING:  # hidden from type checkers, which would take every name as present
    def __getattr__(name: str) -> object:
        """python-oracledb's sync-only names raise SyncOnlyError (DPY-3001) naming the asyncio one."""
        if name in SYNC_ONLY:
            raise sync_only_error(name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    *_constants.__all__,
    *_module.__all__,
    *exceptions.__all__,
    "exceptions",
    "Defaults",
    "FetchInfo",
    "IntervalYM",
    "ApiType",
    "STRING",
    "BINARY",
    "NUMBER",
    "DATETIME",
    "ROWID",
    "__version__",
    "connect_async",
    "create_pool_async",
    "get_pool",
    "ConnectParams",
    "PoolParams",
    "Purity",
    "PURITY_DEFAULT",
    "PURITY_NEW",
    "PURITY_SELF",
    "PoolGetMode",
    "AsyncConnectionPool",
    "POOL_GETMODE_WAIT",
    "POOL_GETMODE_NOWAIT",
    "POOL_GETMODE_FORCEGET",
    "POOL_GETMODE_TIMEDWAIT",
    "AsyncConnection",
    "AsyncCursor",
    "AsyncLOB",
    "Var",
    "defaults",
    "makedsn",
    "register_protocol",
    "DbType",
    "VarPositionError",
]
