"""python-oracledb's module constants that mean something here, with its values:
the ``DB_TYPE_*`` objects, the logon modes (``AuthMode``), vector formats, transaction priorities, and the
aliases python-oracledb keeps for cx_Oracle code (``SYSDBA``, ``ATTR_PURITY_*``,
``SPOOL_ATTRVAL_*``, ``NCHAR``, ``FIXED_CHAR``, ...).

A logon mode other than ``AUTH_MODE_DEFAULT`` is refused at connect (DPY-3001):
the constants exist so that code naming them imports and compares as with
python-oracledb.
"""

from __future__ import annotations

import enum
from typing import Final

from oracle_sansio.pool import PoolGetMode

from . import dbtypes
from ._keywords import Purity
from .dbtypes import DbType

__all__ = [
    "DB_TYPE_VARCHAR", "DB_TYPE_NVARCHAR", "DB_TYPE_CHAR", "DB_TYPE_NCHAR",
    "DB_TYPE_NUMBER", "DB_TYPE_BINARY_INTEGER", "DB_TYPE_LONG", "DB_TYPE_LONG_NVARCHAR",
    "DB_TYPE_ROWID", "DB_TYPE_DATE", "DB_TYPE_RAW", "DB_TYPE_LONG_RAW",
    "DB_TYPE_BINARY_FLOAT", "DB_TYPE_BINARY_DOUBLE", "DB_TYPE_CLOB", "DB_TYPE_NCLOB",
    "DB_TYPE_BLOB", "DB_TYPE_BFILE", "DB_TYPE_TIMESTAMP", "DB_TYPE_TIMESTAMP_TZ",
    "DB_TYPE_TIMESTAMP_LTZ", "DB_TYPE_INTERVAL_DS", "DB_TYPE_INTERVAL_YM", "DB_TYPE_UROWID",
    "DB_TYPE_BOOLEAN", "DB_TYPE_CURSOR", "DB_TYPE_JSON", "DB_TYPE_VECTOR",
    "DB_TYPE_OBJECT", "DB_TYPE_UNKNOWN", "DB_TYPE_XMLTYPE",
    "AuthMode", "VectorFormat", "TransactionPriority",
    "AUTH_MODE_DEFAULT", "AUTH_MODE_PRELIM", "AUTH_MODE_SYSASM", "AUTH_MODE_SYSBKP", "AUTH_MODE_SYSDBA",
    "AUTH_MODE_SYSDGD", "AUTH_MODE_SYSKMT", "AUTH_MODE_SYSOPER", "AUTH_MODE_SYSRAC",
    "DEFAULT_AUTH", "PRELIM_AUTH", "SYSASM", "SYSBKP", "SYSDBA", "SYSDGD", "SYSKMT", "SYSOPER", "SYSRAC",
    "ATTR_PURITY_DEFAULT", "ATTR_PURITY_NEW", "ATTR_PURITY_SELF",
    "SPOOL_ATTRVAL_WAIT", "SPOOL_ATTRVAL_NOWAIT", "SPOOL_ATTRVAL_FORCEGET", "SPOOL_ATTRVAL_TIMEDWAIT",
    "VECTOR_FORMAT_BINARY", "VECTOR_FORMAT_FLOAT32", "VECTOR_FORMAT_FLOAT64", "VECTOR_FORMAT_INT8",
    "BFILE", "BLOB", "BOOLEAN", "CLOB", "CURSOR", "FIXED_CHAR", "FIXED_NCHAR", "INTERVAL", "LONG_BINARY",
    "LONG_STRING", "NATIVE_FLOAT", "NATIVE_INT", "NCHAR", "NCLOB", "OBJECT", "TIMESTAMP",
]


class AuthMode(enum.IntFlag):
    """Logon modes (python-oracledb ``oracledb.AuthMode``, its values)."""

    DEFAULT = 0
    PRELIM = 0x8
    SYSASM = 0x8000
    SYSBKP = 0x20000
    SYSDBA = 0x2
    SYSDGD = 0x40000
    SYSKMT = 0x80000
    SYSOPER = 0x4
    SYSRAC = 0x100000


class VectorFormat(enum.IntEnum):
    """Storage formats of VECTOR columns (python-oracledb ``oracledb.VectorFormat``)."""

    BINARY = 5
    FLOAT32 = 2
    FLOAT64 = 3
    INT8 = 4


class TransactionPriority(str, enum.Enum):
    """Sessionless-transaction priorities (python-oracledb ``oracledb.TransactionPriority``)."""

    DEFAULT = ""
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


AUTH_MODE_DEFAULT: Final = AuthMode.DEFAULT
AUTH_MODE_PRELIM: Final = AuthMode.PRELIM
AUTH_MODE_SYSASM: Final = AuthMode.SYSASM
AUTH_MODE_SYSBKP: Final = AuthMode.SYSBKP
AUTH_MODE_SYSDBA: Final = AuthMode.SYSDBA
AUTH_MODE_SYSDGD: Final = AuthMode.SYSDGD
AUTH_MODE_SYSKMT: Final = AuthMode.SYSKMT
AUTH_MODE_SYSOPER: Final = AuthMode.SYSOPER
AUTH_MODE_SYSRAC: Final = AuthMode.SYSRAC

# cx_Oracle's names, which python-oracledb keeps as aliases.
DEFAULT_AUTH: Final = AuthMode.DEFAULT
PRELIM_AUTH: Final = AuthMode.PRELIM
SYSASM: Final = AuthMode.SYSASM
SYSBKP: Final = AuthMode.SYSBKP
SYSDBA: Final = AuthMode.SYSDBA
SYSDGD: Final = AuthMode.SYSDGD
SYSKMT: Final = AuthMode.SYSKMT
SYSOPER: Final = AuthMode.SYSOPER
SYSRAC: Final = AuthMode.SYSRAC
ATTR_PURITY_DEFAULT: Final = Purity.DEFAULT
ATTR_PURITY_NEW: Final = Purity.NEW
ATTR_PURITY_SELF: Final = Purity.SELF
SPOOL_ATTRVAL_WAIT: Final = PoolGetMode.WAIT
SPOOL_ATTRVAL_NOWAIT: Final = PoolGetMode.NOWAIT
SPOOL_ATTRVAL_FORCEGET: Final = PoolGetMode.FORCEGET
SPOOL_ATTRVAL_TIMEDWAIT: Final = PoolGetMode.TIMEDWAIT

VECTOR_FORMAT_BINARY: Final = VectorFormat.BINARY
VECTOR_FORMAT_FLOAT32: Final = VectorFormat.FLOAT32
VECTOR_FORMAT_FLOAT64: Final = VectorFormat.FLOAT64
VECTOR_FORMAT_INT8: Final = VectorFormat.INT8

# The database types under python-oracledb's names (the objects of ``dbtypes``).
DB_TYPE_VARCHAR: Final[DbType] = dbtypes.DB_TYPE_VARCHAR
DB_TYPE_NVARCHAR: Final[DbType] = dbtypes.DB_TYPE_NVARCHAR
DB_TYPE_CHAR: Final[DbType] = dbtypes.DB_TYPE_CHAR
DB_TYPE_NCHAR: Final[DbType] = dbtypes.DB_TYPE_NCHAR
DB_TYPE_NUMBER: Final[DbType] = dbtypes.DB_TYPE_NUMBER
DB_TYPE_BINARY_INTEGER: Final[DbType] = dbtypes.DB_TYPE_BINARY_INTEGER
DB_TYPE_LONG: Final[DbType] = dbtypes.DB_TYPE_LONG
DB_TYPE_LONG_NVARCHAR: Final[DbType] = dbtypes.DB_TYPE_LONG_NVARCHAR
DB_TYPE_ROWID: Final[DbType] = dbtypes.DB_TYPE_ROWID
DB_TYPE_DATE: Final[DbType] = dbtypes.DB_TYPE_DATE
DB_TYPE_RAW: Final[DbType] = dbtypes.DB_TYPE_RAW
DB_TYPE_LONG_RAW: Final[DbType] = dbtypes.DB_TYPE_LONG_RAW
DB_TYPE_BINARY_FLOAT: Final[DbType] = dbtypes.DB_TYPE_BINARY_FLOAT
DB_TYPE_BINARY_DOUBLE: Final[DbType] = dbtypes.DB_TYPE_BINARY_DOUBLE
DB_TYPE_CLOB: Final[DbType] = dbtypes.DB_TYPE_CLOB
DB_TYPE_NCLOB: Final[DbType] = dbtypes.DB_TYPE_NCLOB
DB_TYPE_BLOB: Final[DbType] = dbtypes.DB_TYPE_BLOB
DB_TYPE_BFILE: Final[DbType] = dbtypes.DB_TYPE_BFILE
DB_TYPE_TIMESTAMP: Final[DbType] = dbtypes.DB_TYPE_TIMESTAMP
DB_TYPE_TIMESTAMP_TZ: Final[DbType] = dbtypes.DB_TYPE_TIMESTAMP_TZ
DB_TYPE_TIMESTAMP_LTZ: Final[DbType] = dbtypes.DB_TYPE_TIMESTAMP_LTZ
DB_TYPE_INTERVAL_DS: Final[DbType] = dbtypes.DB_TYPE_INTERVAL_DS
DB_TYPE_INTERVAL_YM: Final[DbType] = dbtypes.DB_TYPE_INTERVAL_YM
DB_TYPE_UROWID: Final[DbType] = dbtypes.DB_TYPE_UROWID
DB_TYPE_BOOLEAN: Final[DbType] = dbtypes.DB_TYPE_BOOLEAN
DB_TYPE_CURSOR: Final[DbType] = dbtypes.DB_TYPE_CURSOR
DB_TYPE_JSON: Final[DbType] = dbtypes.DB_TYPE_JSON
DB_TYPE_VECTOR: Final[DbType] = dbtypes.DB_TYPE_VECTOR
DB_TYPE_OBJECT: Final[DbType] = dbtypes.DB_TYPE_OBJECT
DB_TYPE_UNKNOWN: Final[DbType] = dbtypes.DB_TYPE_UNKNOWN
DB_TYPE_XMLTYPE: Final[DbType] = dbtypes.DB_TYPE_XMLTYPE

# Database type aliases python-oracledb keeps for cx_Oracle code (the same objects as DB_TYPE_*).
BFILE: Final[DbType] = dbtypes.DB_TYPE_BFILE
BLOB: Final[DbType] = dbtypes.DB_TYPE_BLOB
BOOLEAN: Final[DbType] = dbtypes.DB_TYPE_BOOLEAN
CLOB: Final[DbType] = dbtypes.DB_TYPE_CLOB
CURSOR: Final[DbType] = dbtypes.DB_TYPE_CURSOR
FIXED_CHAR: Final[DbType] = dbtypes.DB_TYPE_CHAR
FIXED_NCHAR: Final[DbType] = dbtypes.DB_TYPE_NCHAR
INTERVAL: Final[DbType] = dbtypes.DB_TYPE_INTERVAL_DS
LONG_BINARY: Final[DbType] = dbtypes.DB_TYPE_LONG_RAW
LONG_STRING: Final[DbType] = dbtypes.DB_TYPE_LONG
NATIVE_FLOAT: Final[DbType] = dbtypes.DB_TYPE_BINARY_DOUBLE
NATIVE_INT: Final[DbType] = dbtypes.DB_TYPE_BINARY_INTEGER
NCHAR: Final[DbType] = dbtypes.DB_TYPE_NVARCHAR
NCLOB: Final[DbType] = dbtypes.DB_TYPE_NCLOB
OBJECT: Final[DbType] = dbtypes.DB_TYPE_OBJECT
TIMESTAMP: Final[DbType] = dbtypes.DB_TYPE_TIMESTAMP
