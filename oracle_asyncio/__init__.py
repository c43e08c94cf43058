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

from oracle_sansio import __version__
from oracle_sansio.codecs import IntervalYM

from . import dbtypes, exceptions
from . import _constants, _module
from ._constants import *  # noqa: F403  (its __all__: python-oracledb's constants and aliases)
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
from .dbtypes import BINARY, DATETIME, DB_TYPE_UNKNOWN, DB_TYPE_XMLTYPE, NUMBER, ROWID, STRING, ApiType, DbType
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

DB_TYPE_VARCHAR: DbType = dbtypes.DB_TYPE_VARCHAR
DB_TYPE_NVARCHAR: DbType = dbtypes.DB_TYPE_NVARCHAR
DB_TYPE_CHAR: DbType = dbtypes.DB_TYPE_CHAR
DB_TYPE_NCHAR: DbType = dbtypes.DB_TYPE_NCHAR
DB_TYPE_NUMBER: DbType = dbtypes.DB_TYPE_NUMBER
DB_TYPE_BINARY_INTEGER: DbType = dbtypes.DB_TYPE_BINARY_INTEGER
DB_TYPE_LONG: DbType = dbtypes.DB_TYPE_LONG
DB_TYPE_LONG_NVARCHAR: DbType = dbtypes.DB_TYPE_LONG_NVARCHAR
DB_TYPE_ROWID: DbType = dbtypes.DB_TYPE_ROWID
DB_TYPE_DATE: DbType = dbtypes.DB_TYPE_DATE
DB_TYPE_RAW: DbType = dbtypes.DB_TYPE_RAW
DB_TYPE_LONG_RAW: DbType = dbtypes.DB_TYPE_LONG_RAW
DB_TYPE_BINARY_FLOAT: DbType = dbtypes.DB_TYPE_BINARY_FLOAT
DB_TYPE_BINARY_DOUBLE: DbType = dbtypes.DB_TYPE_BINARY_DOUBLE
DB_TYPE_CLOB: DbType = dbtypes.DB_TYPE_CLOB
DB_TYPE_NCLOB: DbType = dbtypes.DB_TYPE_NCLOB
DB_TYPE_BLOB: DbType = dbtypes.DB_TYPE_BLOB
DB_TYPE_BFILE: DbType = dbtypes.DB_TYPE_BFILE
DB_TYPE_TIMESTAMP: DbType = dbtypes.DB_TYPE_TIMESTAMP
DB_TYPE_TIMESTAMP_TZ: DbType = dbtypes.DB_TYPE_TIMESTAMP_TZ
DB_TYPE_TIMESTAMP_LTZ: DbType = dbtypes.DB_TYPE_TIMESTAMP_LTZ
DB_TYPE_INTERVAL_DS: DbType = dbtypes.DB_TYPE_INTERVAL_DS
DB_TYPE_INTERVAL_YM: DbType = dbtypes.DB_TYPE_INTERVAL_YM
DB_TYPE_UROWID: DbType = dbtypes.DB_TYPE_UROWID
DB_TYPE_BOOLEAN: DbType = dbtypes.DB_TYPE_BOOLEAN
DB_TYPE_CURSOR: DbType = dbtypes.DB_TYPE_CURSOR
DB_TYPE_JSON: DbType = dbtypes.DB_TYPE_JSON
DB_TYPE_VECTOR: DbType = dbtypes.DB_TYPE_VECTOR
DB_TYPE_OBJECT: DbType = dbtypes.DB_TYPE_OBJECT

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
    "DB_TYPE_UNKNOWN",
    "DB_TYPE_XMLTYPE",
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
    "DB_TYPE_VARCHAR",
    "DB_TYPE_NVARCHAR",
    "DB_TYPE_CHAR",
    "DB_TYPE_NCHAR",
    "DB_TYPE_NUMBER",
    "DB_TYPE_BINARY_INTEGER",
    "DB_TYPE_LONG",
    "DB_TYPE_LONG_NVARCHAR",
    "DB_TYPE_ROWID",
    "DB_TYPE_DATE",
    "DB_TYPE_RAW",
    "DB_TYPE_LONG_RAW",
    "DB_TYPE_BINARY_FLOAT",
    "DB_TYPE_BINARY_DOUBLE",
    "DB_TYPE_CLOB",
    "DB_TYPE_NCLOB",
    "DB_TYPE_BLOB",
    "DB_TYPE_BFILE",
    "DB_TYPE_TIMESTAMP",
    "DB_TYPE_TIMESTAMP_TZ",
    "DB_TYPE_TIMESTAMP_LTZ",
    "DB_TYPE_INTERVAL_DS",
    "DB_TYPE_INTERVAL_YM",
    "DB_TYPE_UROWID",
    "DB_TYPE_BOOLEAN",
    "DB_TYPE_CURSOR",
    "DB_TYPE_JSON",
    "DB_TYPE_VECTOR",
    "DB_TYPE_OBJECT",
]
