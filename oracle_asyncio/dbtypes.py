"""Database type objects named as python-oracledb's ``DB_TYPE_*`` constants, and
PEP 249's type objects (``STRING``, ``BINARY``, ``NUMBER``, ``DATETIME``,
``ROWID``), each equal to the database types of its group."""

from __future__ import annotations

from typing import Final

from oracle_sansio.codecs import OracleType

__all__ = ["ApiType", "DbType", "db_type_for", "BINARY", "DATETIME", "NUMBER", "ROWID", "STRING",
           "DB_TYPE_UNKNOWN", "DB_TYPE_XMLTYPE"]


class DbType:
    """One database type (compares equal only to itself, as in python-oracledb)."""

    __slots__ = ("name", "ora_type", "csfrm")

    def __init__(self, name: str, ora_type: int, csfrm: int = 0) -> None:
        self.name = name
        self.ora_type = ora_type
        self.csfrm = csfrm

    def __repr__(self) -> str:
        return f"<DbType {self.name}>"

    def __reduce__(self) -> str | tuple[type[DbType], tuple[str, int, int]]:
        # copy and pickle give the module's own object back, as python-oracledb's do: a copy
        # would compare equal to nothing.  A type made for an unknown describe is rebuilt.
        if globals().get(self.name) is self:
            return str(self.name)
        return DbType, (self.name, self.ora_type, self.csfrm)


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


#: Types python-oracledb names that no describe maps to here: XMLTYPE arrives as an
#: object column, and UNKNOWN is its placeholder for a type it does not know.
DB_TYPE_UNKNOWN: Final = DbType("DB_TYPE_UNKNOWN", 0)
DB_TYPE_XMLTYPE: Final = DbType("DB_TYPE_XMLTYPE", OracleType.OBJECT)


class ApiType:
    """A PEP 249 type object: equal to each database type of its group (either way
    round, as python-oracledb's ``NUMBER == DB_TYPE_NUMBER``).  ``var()`` and
    ``setinputsizes()`` given one make a variable of its ``var_type``."""

    __slots__ = ("name", "var_type", "dbtypes")

    def __init__(self, name: str, var_type: DbType, *dbtypes: DbType) -> None:
        self.name = name
        self.var_type = var_type
        self.dbtypes = dbtypes

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DbType):
            return other in self.dbtypes
        return other is self

    # Equal objects of the two classes hash differently, as in python-oracledb.
    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<ApiType {self.name}>"

    def __reduce__(self) -> str:
        return self.name  # the module's own object, as for DbType


def _api_type(name: str, var_type: str, *members: str) -> ApiType:
    by_name = {t.name: t for t in _ALL}
    return ApiType(name, by_name[f"DB_TYPE_{var_type}"], *(by_name[f"DB_TYPE_{m}"] for m in members))


# Groups and variable types as python-oracledb 26.1 has them (tests/asyncio/test_module_surface.py
# checks them live: var(ROWID) is a ROWID variable there, though its docs say VARCHAR).
STRING: Final = _api_type("STRING", "VARCHAR", "VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "LONG")
BINARY: Final = _api_type("BINARY", "RAW", "RAW", "LONG_RAW")
NUMBER: Final = _api_type("NUMBER", "NUMBER", "NUMBER", "BINARY_DOUBLE", "BINARY_FLOAT", "BINARY_INTEGER")
DATETIME: Final = _api_type("DATETIME", "DATE", "DATE", "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMP_TZ")
ROWID: Final = _api_type("ROWID", "ROWID", "ROWID", "UROWID")


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
