"""Oracle type numbers and the table from (type, csfrm) to a value codec.

Type numbers and csfrm values follow PROTOCOL-TTC.md 6.1 (python-oracledb
base_impl.pxd / impl/base/types.pyx).  Only types whose value is one
self-contained byte string get a codec here; LOBs, BFILE, JSON, VECTOR,
objects and REF cursors need locators or nested messages and are decoded by
the TTC layer, so :func:`codec_for` refuses them.

Codecs are typed loosely (``Callable[..., bytes]`` / ``Callable[[bytes],
object]``) because the right one is only known at run time; call the module
functions directly when the type is known statically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, unique
from typing import Final

from ..errors import DecodeError
from . import binary, boolean, datetime, floats, interval, number, rowid, text

__all__ = ["Codec", "Csfrm", "OracleType", "codec_for"]


@unique
class OracleType(IntEnum):
    """Oracle's internal data type numbers (``ora_type_num``)."""

    VARCHAR = 1
    NUMBER = 2
    BINARY_INTEGER = 3
    LONG = 8
    ROWID = 11
    DATE = 12
    RAW = 23
    LONG_RAW = 24
    CHAR = 96
    BINARY_FLOAT = 100
    BINARY_DOUBLE = 101
    CURSOR = 102
    OBJECT = 109
    CLOB = 112
    BLOB = 113
    BFILE = 114
    JSON = 119
    VECTOR = 127
    TIMESTAMP = 180
    TIMESTAMP_TZ = 181
    INTERVAL_YM = 182
    INTERVAL_DS = 183
    UROWID = 208
    TIMESTAMP_LTZ = 231
    BOOLEAN = 252


@unique
class Csfrm(IntEnum):
    """Character set form of a column or bind."""

    NONE = 0  #: not character data
    IMPLICIT = 1  #: database character set (sent as AL32UTF8)
    NCHAR = 2  #: national character set (sent as AL16UTF16)


@dataclass(frozen=True, slots=True)
class Codec:
    """The pair of functions that turn one value body into Python and back."""

    encode: Callable[..., bytes]
    decode: Callable[[bytes], object]
    #: Human-readable type name, for messages and debugging.
    name: str = ""


_NUMBER: Final = Codec(number.encode_number, number.decode_number, "NUMBER")
_TEXT: Final = Codec(text.encode_text, text.decode_text, "VARCHAR (AL32UTF8)")
_NCHAR: Final = Codec(text.encode_nchar, text.decode_nchar, "NVARCHAR (AL16UTF16)")
_RAW: Final = Codec(binary.encode_raw, binary.decode_raw, "RAW")
_TIMESTAMP: Final = Codec(datetime.encode_timestamp, datetime.decode_timestamp, "TIMESTAMP")

# ROWID (11) maps to the text codec: binds and out binds carry the 18-character
# string; a fetched ROWID column is field-by-field and never reaches a codec.
_BY_TYPE: Final[dict[int, Codec]] = {
    OracleType.NUMBER: _NUMBER,
    OracleType.BINARY_INTEGER: _NUMBER,
    OracleType.ROWID: _TEXT,
    OracleType.DATE: Codec(datetime.encode_date, datetime.decode_date, "DATE"),
    OracleType.RAW: _RAW,
    OracleType.LONG_RAW: _RAW,
    OracleType.BINARY_FLOAT: Codec(floats.encode_binary_float, floats.decode_binary_float, "BINARY_FLOAT"),
    OracleType.BINARY_DOUBLE: Codec(floats.encode_binary_double, floats.decode_binary_double, "BINARY_DOUBLE"),
    OracleType.TIMESTAMP: _TIMESTAMP,
    OracleType.TIMESTAMP_TZ: Codec(
        datetime.encode_timestamp_tz, datetime.decode_timestamp_tz, "TIMESTAMP WITH TIME ZONE"
    ),
    OracleType.TIMESTAMP_LTZ: _TIMESTAMP,
    OracleType.INTERVAL_YM: Codec(interval.encode_interval_ym, interval.decode_interval_ym, "INTERVAL YEAR TO MONTH"),
    OracleType.INTERVAL_DS: Codec(interval.encode_interval_ds, interval.decode_interval_ds, "INTERVAL DAY TO SECOND"),
    OracleType.UROWID: Codec(rowid.encode_urowid, rowid.decode_urowid, "UROWID"),
    OracleType.BOOLEAN: Codec(boolean.encode_boolean, boolean.decode_boolean, "BOOLEAN"),
}
_CHARACTER: Final = frozenset({OracleType.VARCHAR, OracleType.LONG, OracleType.CHAR})
_NOT_SCALAR: Final = frozenset(
    {
        OracleType.CURSOR,
        OracleType.OBJECT,
        OracleType.CLOB,
        OracleType.BLOB,
        OracleType.BFILE,
        OracleType.JSON,
        OracleType.VECTOR,
    }
)


def codec_for(ora_type: int, csfrm: int = Csfrm.NONE) -> Codec:
    """Return the codec for a value of ``ora_type`` in character set form ``csfrm``.

    Character types use UTF-16BE when ``csfrm`` is NCHAR and UTF-8 otherwise,
    as python-oracledb decodes them; ``csfrm`` is ignored for other types.

    Raises:
        DecodeError: the type has no scalar codec (LOBs, JSON, VECTOR, objects,
            cursors) or is not a known type number.
    """
    codec = _BY_TYPE.get(ora_type)
    if codec is not None:
        return codec
    if ora_type in _CHARACTER:
        return _NCHAR if csfrm == Csfrm.NCHAR else _TEXT
    if ora_type in _NOT_SCALAR:
        name = OracleType(ora_type).name
        raise DecodeError(f"{name} (type {ora_type}) has no scalar codec; the TTC layer decodes it")
    raise DecodeError(f"unknown Oracle data type number {ora_type}")
