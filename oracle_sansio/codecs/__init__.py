"""Value codecs: the body of one column or bind value <-> a Python value.

Each codec sees the value bytes *without* their CLR length prefix (framing
belongs to :mod:`oracle_sansio.ttc`).  Decoders raise
:class:`~oracle_sansio.errors.DecodeError` for bytes they cannot accept and
nothing else; encoders raise :class:`~oracle_sansio.errors.EncodeError` for a
value the Oracle type cannot hold and ``TypeError`` for a value of the wrong
Python type.  :mod:`oracle_sansio.ttc.messages.values` holds the one table
that picks them for a describe's type and csfrm.
"""

from __future__ import annotations

from .binary import decode_raw, encode_raw
from .boolean import decode_boolean, encode_boolean
from .datetime import (
    decode_date,
    decode_timestamp,
    decode_timestamp_ltz,
    decode_timestamp_tz,
    decode_timestamp_tz_aware,
    encode_date,
    encode_timestamp,
    encode_timestamp_ltz,
    encode_timestamp_tz,
)
from .floats import decode_binary_double, decode_binary_float, encode_binary_double, encode_binary_float
from .interval import IntervalYM, decode_interval_ds, decode_interval_ym, encode_interval_ds, encode_interval_ym
from .number import (
    decode_number,
    decode_number_decimal,
    decode_number_float,
    decode_number_int_or_float,
    decode_number_text,
    encode_number,
    encode_number_text,
)
from .rowid import Rowid, decode_urowid, encode_urowid
from .text import AL16UTF16, AL32UTF8, decode_nchar, decode_text, encode_nchar, encode_text
from .types import Csfrm, OracleType

__all__ = [
    "AL16UTF16",
    "AL32UTF8",
    "Csfrm",
    "IntervalYM",
    "OracleType",
    "Rowid",
    "decode_binary_double",
    "decode_binary_float",
    "decode_boolean",
    "decode_date",
    "decode_interval_ds",
    "decode_interval_ym",
    "decode_nchar",
    "decode_number",
    "decode_number_decimal",
    "decode_number_float",
    "decode_number_int_or_float",
    "decode_number_text",
    "decode_raw",
    "decode_text",
    "decode_timestamp",
    "decode_timestamp_ltz",
    "decode_timestamp_tz",
    "decode_timestamp_tz_aware",
    "decode_urowid",
    "encode_binary_double",
    "encode_binary_float",
    "encode_boolean",
    "encode_date",
    "encode_interval_ds",
    "encode_interval_ym",
    "encode_nchar",
    "encode_number",
    "encode_number_text",
    "encode_raw",
    "encode_text",
    "encode_timestamp",
    "encode_timestamp_ltz",
    "encode_timestamp_tz",
    "encode_urowid",
]
