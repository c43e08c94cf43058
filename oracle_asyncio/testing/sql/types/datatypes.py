"""Oracle data types as the engine tracks them, their describe metadata, and
how each is stored in sqlite.

Storage (docs/architecture.md, "The embedded server"):

=================  =====================================================
NUMBER             BLOB of Oracle's NUMBER bytes (byte order = numeric order)
VARCHAR2, CHAR...  TEXT (CHAR blank-padded); ``''`` is stored as NULL
DATE, TIMESTAMP    TEXT ``YYYY-MM-DD HH:MM:SS.ffffff`` (sorts as it compares)
TIMESTAMP TZ       TEXT of the UTC instant as above, then ``+HH:MM``
TIMESTAMP LTZ      TEXT of the instant in the database time zone (UTC), as DATE (zones.py)
RAW, BLOB          BLOB
BINARY_FLOAT/DOUBLE REAL; NaN as TEXT ``'NaN'`` (sqlite turns a NaN REAL into NULL)
BOOLEAN            INTEGER 0/1
INTERVAL DS        TEXT: microseconds + 10**20, 21 digits (sorts as it compares)
INTERVAL YM        INTEGER months
ROWID              TEXT, 27 hex digits of the packed fields (rowids.py)
LONG, XMLTYPE      TEXT (XMLTYPE: the document as written, checked well-formed: xmltext.py)
LONG RAW           BLOB (LONG and LONG RAW: at most Catalog.long_limit, longs.py)
=================  =====================================================

A column of a level generator (``LEVEL``) is a plain sqlite INTEGER; every
NUMBER consumer accepts that too (:func:`from_storage`, functions.py).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal
from enum import Enum

from oracle_sansio.codecs import IntervalYM, OracleType, decode_number, encode_number
from oracle_sansio.errors import EncodeError
from oracle_sansio.ttc.messages.describe import ColumnMetadata, column_for

from .. import errors
from .rowids import rowid_text

__all__ = [
    "EmptyBlob",
    "EmptyClob",
    "T",
    "SqlType",
    "NUMBER",
    "NULLTYPE",
    "bind_type",
    "date_text",
    "ds_text",
    "ds_value",
    "ym_value",
    "from_storage",
    "parse_date_text",
    "to_storage",
    "tz_text",
]


class T(Enum):
    NUMBER = "NUMBER"
    VARCHAR = "VARCHAR2"
    NVARCHAR = "NVARCHAR2"
    CHAR = "CHAR"
    NCHAR = "NCHAR"
    CLOB = "CLOB"
    NCLOB = "NCLOB"
    BLOB = "BLOB"
    RAW = "RAW"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"
    TIMESTAMP_TZ = "TIMESTAMP WITH TIME ZONE"
    TIMESTAMP_LTZ = "TIMESTAMP WITH LOCAL TIME ZONE"
    BFLOAT = "BINARY_FLOAT"
    BDOUBLE = "BINARY_DOUBLE"
    BOOLEAN = "BOOLEAN"
    INTERVAL_DS = "INTERVAL DAY TO SECOND"
    INTERVAL_YM = "INTERVAL YEAR TO MONTH"
    ROWID = "ROWID"
    LONG = "LONG"
    LONG_RAW = "LONG RAW"
    XMLTYPE = "XMLTYPE"
    NULL = "NULL"


CHARACTER = frozenset({T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.CLOB, T.NCLOB})
DATETIME = frozenset({T.DATE, T.TIMESTAMP, T.TIMESTAMP_TZ, T.TIMESTAMP_LTZ})
FLOATS = frozenset({T.BFLOAT, T.BDOUBLE})
INTERVALS = frozenset({T.INTERVAL_DS, T.INTERVAL_YM})

_ORA_TYPE = {
    T.NUMBER: OracleType.NUMBER,
    T.VARCHAR: OracleType.VARCHAR,
    T.NVARCHAR: OracleType.VARCHAR,
    T.CHAR: OracleType.CHAR,
    T.NCHAR: OracleType.CHAR,
    T.CLOB: OracleType.CLOB,
    T.NCLOB: OracleType.CLOB,
    T.BLOB: OracleType.BLOB,
    T.RAW: OracleType.RAW,
    T.DATE: OracleType.DATE,
    T.TIMESTAMP: OracleType.TIMESTAMP,
    T.TIMESTAMP_TZ: OracleType.TIMESTAMP_TZ,
    T.TIMESTAMP_LTZ: OracleType.TIMESTAMP_LTZ,
    T.BFLOAT: OracleType.BINARY_FLOAT,
    T.BDOUBLE: OracleType.BINARY_DOUBLE,
    T.BOOLEAN: OracleType.BOOLEAN,
    T.INTERVAL_DS: OracleType.INTERVAL_DS,
    T.INTERVAL_YM: OracleType.INTERVAL_YM,
    T.ROWID: OracleType.ROWID,
    T.LONG: OracleType.LONG,
    T.LONG_RAW: OracleType.LONG_RAW,
    T.XMLTYPE: OracleType.OBJECT,
    T.NULL: OracleType.VARCHAR,
}


@dataclass(frozen=True, slots=True)
class SqlType:
    """An Oracle type: ``size`` in characters (character types) or bytes (RAW);
    ``precision``/``scale`` for NUMBER (0/-127 = unconstrained) and ``scale`` =
    fractional-second digits for TIMESTAMP; for INTERVAL ``precision`` = leading
    field digits and ``scale`` = fractional-second digits (DAY TO SECOND)."""

    t: T
    size: int = 0
    precision: int = 0
    scale: int = 0

    @property
    def is_char(self) -> bool:
        return self.t in CHARACTER

    @property
    def is_datetime(self) -> bool:
        return self.t in DATETIME

    def describe(self, name: str, *, nullable: bool = True) -> ColumnMetadata:
        """The column's describe info as Oracle reports it (docs/oracle-sql.md 1.3/1.4)."""
        if self.t is T.XMLTYPE:  # python-oracledb reads it as an object (SYS.XMLTYPE): a later issue
            raise errors.unsupported(f"fetching the XMLTYPE value {name} (select its getStringVal() or "
                                     "getClobVal() instead)")
        ora_type = _ORA_TYPE[self.t]
        csfrm = 2 if self.t in (T.NVARCHAR, T.NCHAR, T.NCLOB) else None
        if self.t is T.NUMBER:
            return column_for(name, ora_type, precision=self.precision, scale=self.scale, nullable=nullable)
        if self.t in INTERVALS:
            return column_for(name, ora_type, precision=self.precision, scale=self.scale, nullable=nullable)
        if self.t in (T.TIMESTAMP, T.TIMESTAMP_TZ, T.TIMESTAMP_LTZ):
            return column_for(name, ora_type, scale=self.scale, nullable=nullable)
        if self.t in (T.VARCHAR, T.NVARCHAR, T.CHAR, T.NCHAR, T.RAW, T.NULL):
            return column_for(name, ora_type, csfrm=csfrm, max_size=self.size, nullable=nullable)
        return column_for(name, ora_type, csfrm=csfrm, nullable=nullable)

    def ddl_text(self) -> str:
        """Type as user_tab_columns.data_type would show it (for messages)."""
        if self.t is T.INTERVAL_DS:
            return f"INTERVAL DAY({self.precision}) TO SECOND({self.scale})"
        if self.t is T.INTERVAL_YM:
            return f"INTERVAL YEAR({self.precision}) TO MONTH"
        return str(self.t.value)


NUMBER = SqlType(T.NUMBER, precision=0, scale=-127)
NULLTYPE = SqlType(T.NULL)
DATE = SqlType(T.DATE)
TIMESTAMP = SqlType(T.TIMESTAMP, scale=6)
TIMESTAMP_TZ = SqlType(T.TIMESTAMP_TZ, scale=6)
RAW = SqlType(T.RAW, size=2000)
BOOLEAN = SqlType(T.BOOLEAN)
BDOUBLE = SqlType(T.BDOUBLE)
BFLOAT = SqlType(T.BFLOAT)
INTERVAL_DS = SqlType(T.INTERVAL_DS, precision=9, scale=6)
INTERVAL_YM = SqlType(T.INTERVAL_YM, precision=9)
ROWID = SqlType(T.ROWID)

_DS_OFFSET = 10**20  # > 999,999,999 days in microseconds: keeps the text positive and fixed-width


def ds_text(microseconds: int) -> str:
    """Sortable storage text of an INTERVAL DAY TO SECOND of ``microseconds``."""
    return f"{microseconds + _DS_OFFSET:021d}"


def ds_value(stored: object) -> int:
    """Microseconds of a stored INTERVAL DAY TO SECOND (inverse of :func:`ds_text`)."""
    return int(str(stored)) - _DS_OFFSET


def timedelta_us(value: _dt.timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds


def ym_value(months: int) -> IntervalYM:
    """An IntervalYM of ``months`` (both fields carry the sign, as Oracle's do)."""
    years = abs(months) // 12
    rest = abs(months) % 12
    return IntervalYM(-years, -rest) if months < 0 else IntervalYM(years, rest)


def varchar(size: int) -> SqlType:
    return SqlType(T.VARCHAR, size=max(size, 0))


def date_text(value: _dt.date) -> str:
    """Sortable storage text of a date or naive datetime (fixed width, microseconds)."""
    if isinstance(value, _dt.datetime):
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} 00:00:00.000000"


def parse_date_text(text: str) -> _dt.datetime:
    """Inverse of :func:`date_text` (first 26 characters)."""
    return _dt.datetime.fromisoformat(text[:26])


def tz_text(value: _dt.datetime) -> str:
    """Storage text of TIMESTAMP WITH TIME ZONE: the UTC instant, then the offset."""
    offset = value.utcoffset() or _dt.timedelta(0)
    utc = value.replace(tzinfo=None) - offset
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{date_text(utc)}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_tz_text(text: str) -> _dt.datetime:
    utc = parse_date_text(text)
    off = text[26:]
    if not off:
        return utc
    minutes = int(off[1:3]) * 60 + int(off[4:6])
    delta = _dt.timedelta(minutes=-minutes if off[0] == "-" else minutes)
    return (utc + delta).replace(tzinfo=_dt.timezone(delta))


def number_bytes(value: int | Decimal | float) -> bytes:
    """Encode a NUMBER, mapping failures to ORA-01426 (numeric overflow)."""
    try:
        return encode_number(value)
    except EncodeError:
        if isinstance(value, Decimal) and value.is_finite():
            # More than 40 digits: Oracle rounds to its precision.
            try:
                return encode_number(round_to_digits(value, 38))
            except EncodeError:
                pass
        raise errors.numeric_overflow() from None


def round_to_digits(value: Decimal, digits: int) -> Decimal:
    """Round to ``digits`` significant digits, half away from zero."""
    if not value:
        return value
    exp = value.adjusted() - digits + 1
    # the default context's 28 digits would refuse a 38-digit result (InvalidOperation);
    # one more digit holds a carry (9.99... -> 10.0...)
    wide = Context(prec=digits + 1, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return value.quantize(Decimal(1).scaleb(exp, context=wide), rounding="ROUND_HALF_UP", context=wide)


class EmptyClob(str):
    """An empty CLOB bound by a client (a LOB locator of no characters): unlike ``''``, not NULL."""


class EmptyBlob(bytes):
    """An empty BLOB bound by a client: unlike ``b''``, not NULL."""


def bind_type(value: object) -> tuple[object, SqlType]:
    """Storage value and Oracle type of a bind value as python-oracledb would send it."""
    if value is None:
        return None, NULLTYPE
    if isinstance(value, EmptyClob):
        return "", SqlType(T.CLOB)
    if isinstance(value, EmptyBlob):
        return b"", SqlType(T.BLOB)
    if isinstance(value, bool):
        return int(value), BOOLEAN
    if isinstance(value, (int, Decimal)):
        return number_bytes(value), NUMBER
    if isinstance(value, float):
        if value != value:
            # sqlite stores a NaN REAL as NULL: the text sorts after every number (+inf too)
            # and equals itself, as Oracle's NaN does; from_storage reads it back as NaN
            return "NaN", BDOUBLE
        if value in (float("inf"), float("-inf")):
            return value, BDOUBLE
        return number_bytes(value), NUMBER
    if isinstance(value, str):
        return (value or None), varchar(max(len(value), 1) if value else 0)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return (raw or None), SqlType(T.RAW, size=max(len(raw), 1))
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            return tz_text(value), TIMESTAMP_TZ
        return date_text(value), (TIMESTAMP if value.microsecond else DATE)
    if isinstance(value, _dt.date):
        return date_text(value), DATE
    if isinstance(value, _dt.timedelta):
        return ds_text(timedelta_us(value)), INTERVAL_DS
    years, months = getattr(value, "years", None), getattr(value, "months", None)
    if isinstance(years, int) and isinstance(months, int):
        return years * 12 + months, INTERVAL_YM
    raise errors.ora(932, expected="-", got=type(value).__name__, note="embedded server")


def to_storage(value: object, t: SqlType) -> object:
    """Storage form of a Python value for a column of type ``t`` (used for out binds and literals)."""
    stored, _ = bind_type(value)
    return stored


def from_storage(value: object, t: SqlType) -> object:
    """Python value of a stored value of Oracle type ``t`` (what the server sends to clients)."""
    if value is None:
        return None
    k = t.t
    if k is T.NUMBER:
        if isinstance(value, bytes):
            return decode_number(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return decode_number(number_bytes(value))
        return decode_number(number_bytes(Decimal(str(value))))
    if k in CHARACTER or k is T.NULL:
        return value if isinstance(value, str) else str(value)
    if k in (T.DATE, T.TIMESTAMP, T.TIMESTAMP_LTZ):  # LTZ: the engine shows it in the session's zone
        return parse_date_text(str(value))
    if k is T.TIMESTAMP_TZ:
        return _parse_tz_text(str(value))
    if k is T.LONG or k is T.XMLTYPE:
        return value if isinstance(value, str) else str(value)
    if k in (T.RAW, T.BLOB, T.LONG_RAW):
        return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else str(value).encode()
    if k in FLOATS:
        return float(value) if isinstance(value, (int, float)) else float(str(value))
    if k is T.BOOLEAN:
        return bool(value)
    if k is T.INTERVAL_DS:
        return _dt.timedelta(microseconds=ds_value(value))
    if k is T.INTERVAL_YM:
        return ym_value(int(str(value)))
    if k is T.ROWID:
        return rowid_text(value)
    return value
