"""Oracle's data type numbers and character set forms.

Type numbers and csfrm values follow docs/protocol-ttc.md 6.1 (python-oracledb
base_impl.pxd / impl/base/types.pyx).  Which codec reads or writes a value of a
type is decided in one table, in :mod:`oracle_sansio.ttc.messages.values`
(``body_decoder`` / ``body_encoder`` for the value body, ``column_decoder``,
``bind_decoder`` and friends for its wire form); the body codecs themselves are
the other modules of this package.
"""

from __future__ import annotations

from enum import IntEnum, unique

__all__ = ["Csfrm", "OracleType"]


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
