"""Fetch side of the cursor: ``FetchInfo`` (what ``description`` and output
type handlers see) and the conversion from the value the protocol machine
decoded to what a fetch variable asks for (python-oracledb's
``_check_fetch_conversion`` and ``convert_oracle_data_to_python`` rules).

The machine decodes every column to its natural Python value (NUMBER to int
or Decimal, DATE to datetime, ...); a converter built here once per column
turns that into the variable's type, then applies its outconverter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Final

from oracle_sansio.codecs import (
    OracleType,
    decode_number_decimal,
    decode_number_float,
    decode_number_int_or_float,
    decode_number_text,
    encode_number,
)
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.ttc.messages.rows import DecoderChoice, RowColumn
from oracle_sansio.ttc.messages.values import BodyDecoder

from ._cursor_vars import Var, dpy, var_state
from .dbtypes import DbType, db_type_for

__all__ = ["FetchInfo", "Converter", "column_converter", "fetch_var", "row_decoders"]

Converter = Callable[[Any], Any]

_DATETIMES: Final = (OracleType.DATE, OracleType.TIMESTAMP, OracleType.TIMESTAMP_TZ, OracleType.TIMESTAMP_LTZ)
_NUMBERS: Final = (OracleType.NUMBER, OracleType.BINARY_FLOAT, OracleType.BINARY_DOUBLE,
                   OracleType.BINARY_INTEGER)
_TEXT: Final = (OracleType.CHAR, OracleType.LONG, OracleType.VARCHAR)
_BINARY: Final = (OracleType.RAW, OracleType.LONG_RAW)
_FLOATS: Final = (OracleType.BINARY_FLOAT, OracleType.BINARY_DOUBLE)


class FetchInfo:
    """One column of a query as python-oracledb's ``FetchInfo``: attributes, and
    the seven DB-API items by index (it compares equal to that tuple)."""

    __slots__ = ("_column",)

    def __init__(self, column: ColumnMetadata) -> None:
        self._column = column

    @property
    def name(self) -> str:
        """Column name (or expression text) as the server reports it."""
        return self._column.name

    @property
    def type(self) -> DbType:
        """The column's database type (``DB_TYPE_*``)."""
        return db_type_for(self._column.ora_type, self._column.csfrm)

    type_code = type

    @property
    def display_size(self) -> int | None:
        """Max size, else 23 for dates and timestamps, else a number's digits (127 unconstrained)."""
        c = self._column
        if c.max_size:
            return c.max_size
        if c.ora_type in _DATETIMES:
            return 23
        if c.ora_type in _NUMBERS:
            return 127 if c.precision == 0 else c.precision + 1 + (c.scale + 1 if c.scale > 0 else 0)
        return None

    @property
    def internal_size(self) -> int | None:
        """Buffer size for sized types, else None."""
        return self._column.buffer_size if self._column.max_size else None

    @property
    def precision(self) -> int | None:
        """NUMBER precision (None when neither precision nor scale is set)."""
        c = self._column
        return None if (c.precision, c.scale) == (0, 0) else c.precision

    @property
    def scale(self) -> int | None:
        """NUMBER scale (None when neither precision nor scale is set)."""
        c = self._column
        return None if (c.precision, c.scale) == (0, 0) else c.scale

    @property
    def null_ok(self) -> bool:
        """Whether the column accepts NULL."""
        return self._column.nullable

    is_json = property(lambda self: False, doc="False: JSON columns are not supported yet.")
    is_oson = property(lambda self: False, doc="False: OSON columns are not supported yet.")
    annotations = property(lambda self: None, doc="None (no annotations reported).")
    domain_name = property(lambda self: None, doc="None (no domains reported).")
    domain_schema = property(lambda self: None, doc="None (no domains reported).")
    vector_dimensions = property(lambda self: None, doc="None (no VECTOR columns).")
    vector_format = property(lambda self: None, doc="None (no VECTOR columns).")
    vector_is_sparse = property(lambda self: None, doc="None (no VECTOR columns).")

    def _items(self) -> tuple[object, ...]:
        return (self.name, self.type, self.display_size, self.internal_size, self.precision, self.scale,
                self.null_ok)

    def __getitem__(self, index: int | slice) -> Any:
        return self._items()[index]

    def __len__(self) -> int:
        return 7

    def __iter__(self) -> Iterator[object]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        return self._items() == (tuple(other) if isinstance(other, FetchInfo) else other)

    def __hash__(self) -> int:
        return hash(self._items())

    def __repr__(self) -> str:
        return repr(self._items())


def _integral(column: RowColumn) -> bool:
    # python-oracledb returns int (float when not whole) for NUMBER(p) and unconstrained NUMBER.
    precision, scale = getattr(column, "precision", 0), getattr(column, "scale", 0)
    return scale == 0 and precision != 0 or (precision == 0 and scale == -127)


def _default_number(column: ColumnMetadata, decimals: bool) -> Converter | None:
    if decimals:
        return lambda v: v if v is None else Decimal(v)
    if _integral(column):
        return lambda v: v if v is None or isinstance(v, int) else float(v)
    return lambda v: v if v is None else float(v)


def _plain_numbers(column: RowColumn) -> BodyDecoder | None:
    if column.ora_type != OracleType.NUMBER:
        return None
    return decode_number_int_or_float if _integral(column) else decode_number_float


def _decimal_numbers(column: RowColumn) -> BodyDecoder | None:
    return decode_number_decimal if column.ora_type == OracleType.NUMBER else None


def row_decoders(decimals: bool) -> DecoderChoice:
    """The value decoders the protocol machine uses for rows with no output type
    handler: NUMBER straight to python-oracledb's types (no conversion pass).
    The same object is returned each time, so the machine keeps its row decoders."""
    return _decimal_numbers if decimals else _plain_numbers


def default_converter(column: ColumnMetadata, decimals: bool, *, decoded: bool = False) -> Converter | None:
    """How a column's value is returned with no fetch variable: NUMBER as int when
    integral (float otherwise) or Decimal with ``fetch_decimals``; others as decoded.
    ``decoded``: the machine already decoded with :func:`row_decoders` (nothing to do)."""
    if column.ora_type == OracleType.NUMBER and not decoded:
        return _default_number(column, decimals)
    return None


def _number_text(value: Any) -> str:
    # python-oracledb renders the NUMBER bytes; encoding the exact value gives them back.
    return value if isinstance(value, str) else decode_number_text(encode_number(value))


def _to_int(value: Any) -> int | float:
    number = Decimal(value) if not isinstance(value, (int, Decimal)) else value
    if isinstance(number, int):
        return number
    return int(number) if number == number.to_integral_value() else float(number)


def _conversion(from_type: int, var: Var, preferred: object) -> Converter | None:
    """The conversion of a decoded ``from_type`` value into ``var``'s type (``preferred``:
    the int / float / Decimal given to var()), None
    for none; DPY-4007 where python-oracledb refuses the pair."""
    to_type = var.type.ora_type
    if to_type in _TEXT:
        if from_type in _TEXT or from_type in (OracleType.CLOB, OracleType.ROWID, OracleType.UROWID):
            return None
        if from_type == OracleType.NUMBER:
            return _number_text
        if from_type in _FLOATS or from_type == OracleType.BINARY_INTEGER or from_type in _DATETIMES \
                or from_type == OracleType.INTERVAL_DS:
            return str
    elif to_type in _BINARY:
        if from_type in _BINARY or from_type == OracleType.BLOB:
            return None
    elif to_type == OracleType.BINARY_INTEGER:
        if from_type in _NUMBERS or from_type in _TEXT:
            return lambda v: int(Decimal(v if not isinstance(v, float) else repr(v)))
    elif to_type == OracleType.NUMBER or to_type in _FLOATS:
        if from_type == OracleType.NUMBER:
            if to_type in _FLOATS or preferred is float:
                return float
            if preferred is Decimal:
                return Decimal
            return _to_int if preferred is int else lambda v: _to_int(v) if isinstance(v, (int, Decimal)) else v
        if from_type in _FLOATS or from_type == OracleType.BINARY_INTEGER or from_type in _TEXT:
            return float  # python-oracledb makes these floats whatever var() was given
    elif to_type in _DATETIMES:
        if from_type in _DATETIMES:
            return None
    elif to_type == from_type:
        return None
    name = db_type_for(from_type, 1 if from_type in _TEXT else 0).name
    raise dpy(4007, input_type=name, output_type=var.type.name)


def fetch_var(cursor: object, handler: Callable[..., Any], column: ColumnMetadata,
              arraysize: int) -> Var | None:
    """Ask an output type handler for a column's variable (python-oracledb
    passes FetchInfo to a two-argument handler, else the legacy six values)."""
    info = FetchInfo(column)
    if _takes_metadata(handler):
        var = handler(cursor, info)
    else:
        var = handler(cursor, info.name, info.type, column.max_size, info.precision or 0, info.scale or 0)
    if var is None:
        return None
    if not isinstance(var, Var):
        raise dpy(2015)
    if var.num_elements < arraysize:
        raise dpy(2016, var_arraysize=var.num_elements, required_arraysize=arraysize)
    return var


def _takes_metadata(handler: Callable[..., Any]) -> bool:
    try:
        return len(inspect.signature(handler).parameters) == 2
    except (TypeError, ValueError):
        return False


def column_converter(column: ColumnMetadata, var: Var | None, decimals: bool, *,
                     decoded: bool = False) -> Converter | None:
    """The function applied to each fetched value of ``column`` (None: the value as decoded;
    ``decoded`` as for :func:`default_converter`)."""
    if var is None:
        return default_converter(column, decimals, decoded=decoded)
    state = var_state(var)
    preferred, bypass_decode = state.number_type, state.bypass_decode  # preferred: the number type given to var()
    base = _conversion(column.ora_type, var, preferred)
    if bypass_decode and var.type.ora_type in _TEXT:
        text = base
        base = (lambda v: v.encode() if isinstance(v, str) else v) if text is None else (
            lambda v: (lambda t: t.encode() if isinstance(t, str) else t)(text(v)))
    out = var.outconverter
    if out is None:
        return None if base is None else (lambda v: v if v is None else base(v))
    nulls = var.convert_nulls
    if base is None:
        return (lambda v: out(v)) if nulls else (lambda v: v if v is None else out(v))
    return (lambda v: out(None) if v is None else out(base(v))) if nulls else (
        lambda v: v if v is None else out(base(v)))


def wants_long(column: ColumnMetadata, var: Var | None) -> bool:
    """A LOB column the variable asks for as text or bytes: defined as LONG / LONG RAW."""
    if var is None:
        return False
    to_type = var.type.ora_type
    return (column.ora_type == OracleType.CLOB and to_type in _TEXT) or (
        column.ora_type == OracleType.BLOB and to_type in _BINARY)
