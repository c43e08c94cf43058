"""Database type objects named as python-oracledb's ``DB_TYPE_*`` constants."""

from __future__ import annotations

from typing import Final

from oracle_sansio.codecs import OracleType

__all__ = ["DbType", "db_type_for"]


class DbType:
    """One database type (compares equal only to itself, as in python-oracledb)."""

    __slots__ = ("name", "ora_type", "csfrm")

    def __init__(self, name: str, ora_type: int, csfrm: int = 0) -> None:
        self.name = name
        self.ora_type = ora_type
        self.csfrm = csfrm

    def __repr__(self) -> str:
        return f"<DbType {self.name}>"


_ALL: Final = [
    DbType("DB_TYPE_VARCHAR", OracleType.VARCHAR, 1),
    DbType("DB_TYPE_NVARCHAR", OracleType.VARCHAR, 2),
    DbType("DB_TYPE_CHAR", OracleType.CHAR, 1),
    DbType("DB_TYPE_NCHAR", OracleType.CHAR, 2),
    DbType("DB_TYPE_NUMBER", OracleType.NUMBER),
    DbType("DB_TYPE_BINARY_INTEGER", OracleType.BINARY_INTEGER),
    DbType("DB_TYPE_LONG", OracleType.LONG, 1),
    DbType("DB_TYPE_LONG_NVARCHAR", OracleType.LONG, 2),
    DbType("DB_TYPE_ROWID", OracleType.ROWID),
    DbType("DB_TYPE_DATE", OracleType.DATE),
    DbType("DB_TYPE_RAW", OracleType.RAW),
    DbType("DB_TYPE_LONG_RAW", OracleType.LONG_RAW),
    DbType("DB_TYPE_BINARY_FLOAT", OracleType.BINARY_FLOAT),
    DbType("DB_TYPE_BINARY_DOUBLE", OracleType.BINARY_DOUBLE),
    DbType("DB_TYPE_CLOB", OracleType.CLOB, 1),
    DbType("DB_TYPE_NCLOB", OracleType.CLOB, 2),
    DbType("DB_TYPE_BLOB", OracleType.BLOB),
    DbType("DB_TYPE_BFILE", OracleType.BFILE),
    DbType("DB_TYPE_TIMESTAMP", OracleType.TIMESTAMP),
    DbType("DB_TYPE_TIMESTAMP_TZ", OracleType.TIMESTAMP_TZ),
    DbType("DB_TYPE_TIMESTAMP_LTZ", OracleType.TIMESTAMP_LTZ),
    DbType("DB_TYPE_INTERVAL_DS", OracleType.INTERVAL_DS),
    DbType("DB_TYPE_INTERVAL_YM", OracleType.INTERVAL_YM),
    DbType("DB_TYPE_UROWID", OracleType.UROWID),
    DbType("DB_TYPE_BOOLEAN", OracleType.BOOLEAN),
    DbType("DB_TYPE_CURSOR", OracleType.CURSOR),
    DbType("DB_TYPE_JSON", OracleType.JSON),
    DbType("DB_TYPE_VECTOR", OracleType.VECTOR),
    DbType("DB_TYPE_OBJECT", OracleType.OBJECT),
]
_BY_KEY: Final = {(t.ora_type, t.csfrm): t for t in _ALL}
globals().update({t.name: t for t in _ALL})


def db_type_for(ora_type: int, csfrm: int) -> DbType:
    """The type object for a describe's (type, csfrm); unknown pairs retry with csfrm 0."""
    return _BY_KEY.get((ora_type, csfrm)) or _BY_KEY.get((ora_type, 0)) or _BY_KEY.get((ora_type, 1)) or DbType(
        f"DB_TYPE_{ora_type}", ora_type, csfrm
    )


def __getattr__(name: str) -> DbType:
    for t in _ALL:
        if t.name == name:
            return t
    raise AttributeError(name)
