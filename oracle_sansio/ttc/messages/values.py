"""One column or bind value on the wire, per Oracle type (docs/protocol-ttc.md 4.3, 6).

A value travels in one of two forms:

* the **column** form, in ROW_DATA answering EXECUTE/FETCH: a CLR of the
  codec body, except ROWID (``ub1`` length, ``ub4`` rba, ``ub2`` partition, a
  skipped ``ub1``, ``ub4`` block, ``ub2`` slot), UROWID (a CLR that only says
  NULL or not, then a CLR of the body) and LONG / LONG RAW (the CLR is followed
  by ``sb4`` indicator and ``ub4`` return code);
* the **bind** form, in bind rows (client to server) and out-bind rows: a CLR
  of the codec body, ROWID and UROWID as their text; NULL is ``00`` except
  BOOLEAN, whose NULL is ``FD 01`` in binds.

LOBs (CLOB, NCLOB, BLOB, BFILE) are locators with their own framing
(``_lob_values.py``): the column form serves ROW_DATA *and* out binds /
RETURNING (``out=True``), the bind form (DLC locator) only bind rows.

Sources: python-oracledb impl/thin/messages/base.pyx ``_process_column_data``
and ``_write_bind_params_column``, impl/thin/packet.pyx ``read_rowid`` /
``read_urowid``, impl/base/buffer.pyx ``read_oracle_data``.

The functions here are built once per column (``column_decoder`` and friends)
so that row decoding does no per-value type dispatch.  This is the one table
from Oracle type to codec: ``_BODY_DECODERS`` / ``_BODY_ENCODERS`` pick the
body codec of every plain-CLR type (``oracle_sansio.codecs``).  Types without a handler
(objects, cursors, JSON, VECTOR) get a handler that raises a
:class:`DecodeError` / :class:`EncodeError` naming the type; a handler is
added by giving the type entries in the ``_COLUMN_READERS``,
``_COLUMN_ENCODERS``, ``_BIND_READERS`` and ``_BIND_ENCODERS`` tables.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Final, Protocol

from ... import codecs
from ...codecs import OracleType
from ...codecs.rowid import Rowid
from ...errors import DecodeError, EncodeError, UnsupportedTypeError
from ..wire import Reader, Writer
from ._lob_values import lob_bind_reader, lob_bind_writer, lob_column_reader, lob_column_writer

__all__ = [
    "BodyDecoder",
    "ReaderDecoder",
    "ValueEncoder",
    "TypedValue",
    "type_name",
    "body_decoder",
    "body_encoder",
    "clr_reader",
    "column_decoder",
    "bind_decoder",
    "bind_encoder",
    "column_encoder",
    "encode_value",
    "decode_value",
    "BOOLEAN_NULL",
    "ROWID_LENGTH_BYTE",
]

#: Decodes a CLR body (length prefix already removed).
BodyDecoder = Callable[[bytes], object]
#: Reads one whole value (framing included) from a Reader.
ReaderDecoder = Callable[[Reader], object]
#: Writes one whole value (framing included), None meaning NULL.
ValueEncoder = Callable[[Writer, object], None]

#: BOOLEAN NULL in a bind row (TNS_ESCAPE_CHAR then 1; docs/protocol-ttc.md 3.4, [live]).
BOOLEAN_NULL: Final = b"\xfd\x01"
#: Length byte we write before a fetched ROWID; python-oracledb only tests it
#: for 0/255 (NULL).  What a real server writes there: UNCONFIRMED.
ROWID_LENGTH_BYTE: Final = 1


class TypedValue(Protocol):
    """What value handlers need from a column or bind: its type and charset form."""

    @property
    def ora_type(self) -> int: ...

    @property
    def csfrm(self) -> int: ...


_NAMES: Final[dict[int, str]] = {
    OracleType.VARCHAR: "VARCHAR",
    OracleType.NUMBER: "NUMBER",
    OracleType.BINARY_INTEGER: "BINARY_INTEGER",
    OracleType.LONG: "LONG",
    OracleType.ROWID: "ROWID",
    OracleType.DATE: "DATE",
    OracleType.RAW: "RAW",
    OracleType.LONG_RAW: "LONG RAW",
    OracleType.CHAR: "CHAR",
    OracleType.BINARY_FLOAT: "BINARY_FLOAT",
    OracleType.BINARY_DOUBLE: "BINARY_DOUBLE",
    OracleType.CURSOR: "CURSOR",
    OracleType.OBJECT: "OBJECT",
    OracleType.CLOB: "CLOB",
    OracleType.BLOB: "BLOB",
    OracleType.BFILE: "BFILE",
    OracleType.JSON: "JSON",
    OracleType.VECTOR: "VECTOR",
    OracleType.TIMESTAMP: "TIMESTAMP",
    OracleType.TIMESTAMP_TZ: "TIMESTAMP WITH TIME ZONE",
    OracleType.INTERVAL_YM: "INTERVAL YEAR TO MONTH",
    OracleType.INTERVAL_DS: "INTERVAL DAY TO SECOND",
    OracleType.UROWID: "UROWID",
    OracleType.TIMESTAMP_LTZ: "TIMESTAMP WITH LOCAL TIME ZONE",
    OracleType.BOOLEAN: "BOOLEAN",
}

# Types with no handler yet, and the family named in the error.
_UNSUPPORTED: Final[dict[int, str]] = {
    OracleType.JSON: "JSON",
    OracleType.VECTOR: "VECTOR",
    OracleType.OBJECT: "object",
    OracleType.CURSOR: "REF CURSOR",
}

_CHARACTER: Final = frozenset({OracleType.VARCHAR, OracleType.CHAR, OracleType.LONG})
_LOB_TYPES: Final = (OracleType.CLOB, OracleType.BLOB, OracleType.BFILE)
_LONG_TYPES: Final = frozenset({OracleType.LONG, OracleType.LONG_RAW})


def type_name(ora_type: int, csfrm: int = 0) -> str:
    """Oracle's name for a type number (NCHAR forms included), for messages."""
    name = _NAMES.get(ora_type, f"type {ora_type}")
    if csfrm == 2 and ora_type in _CHARACTER:
        return "N" + name
    if csfrm == 2 and ora_type == OracleType.CLOB:
        return "NCLOB"
    return name


def _unsupported_message(ora_type: int, csfrm: int, what: str) -> str:
    family = _UNSUPPORTED.get(ora_type)
    if family is None:
        return f"unknown Oracle data type number {ora_type} in a {what}"
    return f"{family} {what}s are not supported yet ({type_name(ora_type, csfrm)}, type {ora_type})"


# ------------------------------------------------------------------ decoding


def body_decoder(ora_type: int, csfrm: int) -> BodyDecoder | None:
    """The decoder of a CLR body for types whose column form is a plain CLR, else None."""
    if ora_type in _CHARACTER:
        return codecs.decode_nchar if csfrm == 2 else codecs.decode_text
    return _BODY_DECODERS.get(ora_type)


# LONG and LONG RAW bodies are decoded like VARCHAR / RAW; their framing differs.
_BODY_DECODERS: Final[dict[int, BodyDecoder]] = {
    OracleType.NUMBER: codecs.decode_number,
    OracleType.BINARY_INTEGER: codecs.decode_number,
    OracleType.DATE: codecs.decode_date,
    OracleType.TIMESTAMP: codecs.decode_timestamp,
    OracleType.TIMESTAMP_LTZ: codecs.decode_timestamp_ltz,
    OracleType.TIMESTAMP_TZ: codecs.decode_timestamp_tz,
    OracleType.INTERVAL_DS: codecs.decode_interval_ds,
    OracleType.INTERVAL_YM: codecs.decode_interval_ym,
    OracleType.BINARY_FLOAT: codecs.decode_binary_float,
    OracleType.BINARY_DOUBLE: codecs.decode_binary_double,
    OracleType.RAW: codecs.decode_raw,
    OracleType.LONG_RAW: codecs.decode_raw,
    OracleType.BOOLEAN: codecs.decode_boolean,
}


def clr_reader(decode: BodyDecoder) -> ReaderDecoder:
    """A reader for a plain length-prefixed value decoded by ``decode``."""
    def read(r: Reader) -> object:
        data = r.clr()
        return None if data is None else decode(data)

    return read


def _long_reader(decode: BodyDecoder) -> ReaderDecoder:
    # Fetched LONG / LONG RAW: CLR, then sb4 indicator and ub4 return code
    # (base.pyx _process_column_data; docs/protocol-ttc.md 6.12, [live]).
    def read(r: Reader) -> object:
        data = r.clr()
        r.sb4()
        r.ub4()
        return None if data is None else decode(data)

    return read


def _read_rowid(r: Reader) -> object:
    # packet.pyx read_rowid; an all-zero rowid is None (utils.pyx _encode_rowid).
    length = r.ub1()
    if length == 0 or length == 0xFF:
        return None
    rba = r.ub4()
    partition = r.ub2()
    r.ub1()
    block = r.ub4()
    slot = r.ub2()
    if not (rba or partition or block or slot):
        return None
    return Rowid(rba, partition, block, slot).to_string()


def _read_urowid(r: Reader) -> object:
    # packet.pyx read_urowid: the first CLR only says NULL or not.
    if r.clr() is None:
        return None
    body = r.clr()
    if body is None:
        raise DecodeError("UROWID value has no body after its presence marker")
    return codecs.decode_urowid(body)


def _raiser(message: str, ora_type: int) -> ReaderDecoder:
    def read(r: Reader) -> object:
        raise UnsupportedTypeError(message, ora_type)

    return read


def _reader(
    ora_type: int,
    csfrm: int,
    decode: BodyDecoder | None,
    readers: dict[int, Callable[[int], ReaderDecoder]],
    role: str,
) -> ReaderDecoder:
    """A plain CLR around ``decode``, else the ``readers`` entry, else a reader that raises."""
    if decode is not None:
        return clr_reader(decode)
    factory = readers.get(ora_type)
    if factory is not None:
        return factory(csfrm)
    return _raiser(_unsupported_message(ora_type, csfrm, role), ora_type)


def column_decoder(ora_type: int, csfrm: int) -> ReaderDecoder:
    """The reader of one fetched column value (column form).

    Unsupported types get a reader that raises :class:`DecodeError` naming the
    type, so a describe holding them can still be processed.
    """
    decode = body_decoder(ora_type, csfrm)
    if ora_type in _LONG_TYPES and decode is not None:
        return _long_reader(decode)
    return _reader(ora_type, csfrm, decode, _COLUMN_READERS, "column")


def _read_boolean_bind(r: Reader) -> object:
    # Bind rows write NULL as FD 01 (base.pyx _write_bind_params_column);
    # go-ora's reader also takes FD as NULL.  Anything else is a CLR.
    if r.peek_ub1() == _ESCAPE:
        r.skip(2)
        return None
    data = r.clr()
    return None if data is None else codecs.decode_boolean(data)


_ESCAPE: Final = BOOLEAN_NULL[0]


def bind_decoder(ora_type: int, csfrm: int, *, out: bool = False) -> ReaderDecoder:
    """The reader of one value in bind form: bind rows, or with ``out`` out binds and RETURNING.

    Only LOBs differ between the two: clients send a DLC locator, servers
    return the column form (base.pyx ``_process_column_data`` reads out binds
    with ``read_lob_with_length``).
    """
    if out and ora_type in _OUT_AS_COLUMN:
        return column_decoder(ora_type, csfrm)
    if ora_type == OracleType.BOOLEAN:
        return _read_boolean_bind
    if ora_type in (OracleType.ROWID, OracleType.UROWID):
        # Out-bind ROWID/UROWID values are plain strings (base.pyx read_str).
        return clr_reader(codecs.decode_text)
    return _reader(ora_type, csfrm, body_decoder(ora_type, csfrm), _BIND_READERS, "bind")


#: Column-form readers for types whose framing is not a plain CLR.
_COLUMN_READERS: Final[dict[int, Callable[[int], ReaderDecoder]]] = {
    OracleType.ROWID: lambda csfrm: _read_rowid,
    OracleType.UROWID: lambda csfrm: _read_urowid,
    **{t: partial(lob_column_reader, t) for t in _LOB_TYPES},
}
#: Bind-form readers for types that are not a plain CLR.
_BIND_READERS: Final[dict[int, Callable[[int], ReaderDecoder]]] = {
    t: partial(lob_bind_reader, t) for t in _LOB_TYPES
}
#: Types whose out-bind form is their column form.
_OUT_AS_COLUMN: Final = frozenset(_LOB_TYPES)


def decode_value(r: Reader, column: TypedValue, *, fetched: bool = True) -> object:
    """Read one value of ``column``'s type: column form, or bind-row form when ``fetched`` is False.

    Raises:
        NeedMoreData: the value is not complete.
        DecodeError: bad bytes, or a type not supported yet (named in the message).
    """
    make = column_decoder if fetched else bind_decoder
    return make(column.ora_type, column.csfrm)(r)


# ------------------------------------------------------------------ encoding


def _fail(value: object, ora_type: int, csfrm: int) -> EncodeError:
    return EncodeError(f"cannot bind a value of type {type(value).__name__} as {type_name(ora_type, csfrm)}")


def _text_body(csfrm: int) -> Callable[[object], bytes]:
    encode = codecs.encode_nchar if csfrm == 2 else codecs.encode_text

    # python-oracledb accepts bytes for character binds and decodes them as
    # UTF-8 first (impl/base/connection.pyx _check_value).
    def body(value: object) -> bytes:
        if isinstance(value, str):
            return encode(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            try:
                return encode(bytes(value).decode())
            except UnicodeDecodeError as exc:
                raise EncodeError(f"bytes bound as text are not valid UTF-8 at byte {exc.start}") from None
        raise TypeError

    return body


def _raw_body(value: object) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError


def _number_body(value: object) -> bytes:
    if isinstance(value, (int, float, Decimal)):  # bool is an int: 1 / 0
        return codecs.encode_number(value)
    raise TypeError


def _binary_integer_body(value: object) -> bytes:
    # BINARY_INTEGER binds are int(value) (connection.pyx _check_value); bool
    # binds below fv 17 arrive here as 1 / 0.
    if isinstance(value, (int, float, Decimal)):
        try:
            return codecs.encode_number(int(value))
        except (OverflowError, ValueError):
            raise EncodeError(f"{value!r} cannot be bound as BINARY_INTEGER") from None
    raise TypeError


def _float_body(encode: Callable[[float], bytes]) -> Callable[[object], bytes]:
    def body(value: object) -> bytes:
        if isinstance(value, (int, float, Decimal)):
            try:
                return encode(float(value))
            except OverflowError:
                raise EncodeError(f"{value!r} is too large for a binary float") from None
        raise TypeError

    return body


def _date_body(encode: Callable[[_dt.date], bytes]) -> Callable[[object], bytes]:
    def body(value: object) -> bytes:
        if isinstance(value, _dt.date):
            return encode(value)
        raise TypeError

    return body


def _interval_ds_body(value: object) -> bytes:
    if isinstance(value, _dt.timedelta):
        return codecs.encode_interval_ds(value)
    raise TypeError


def _interval_ym_body(value: object) -> bytes:
    if isinstance(value, tuple) and len(value) == 2:
        years, months = value
        if isinstance(years, int) and isinstance(months, int):
            return codecs.encode_interval_ym((years, months))
    raise TypeError


def _boolean_body(value: object) -> bytes:
    # python-oracledb binds bool(value) for any value (connection.pyx _check_value).
    return codecs.encode_boolean(bool(value))


def body_encoder(ora_type: int, csfrm: int) -> Callable[[object], bytes] | None:
    """The encoder of a CLR body (value -> bytes, TypeError for a value of the wrong
    Python type) for types whose bind form is a plain CLR, else None."""
    if ora_type in _CHARACTER or ora_type in (OracleType.ROWID, OracleType.UROWID):
        return _text_body(csfrm)
    return _BODY_ENCODERS.get(ora_type)


_BODY_ENCODERS: Final[dict[int, Callable[[object], bytes]]] = {
    OracleType.NUMBER: _number_body,
    OracleType.BINARY_INTEGER: _binary_integer_body,
    OracleType.DATE: _date_body(codecs.encode_date),
    OracleType.TIMESTAMP: _date_body(codecs.encode_timestamp),
    OracleType.TIMESTAMP_LTZ: _date_body(codecs.encode_timestamp_ltz),
    OracleType.TIMESTAMP_TZ: _date_body(codecs.encode_timestamp_tz),
    OracleType.INTERVAL_DS: _interval_ds_body,
    OracleType.INTERVAL_YM: _interval_ym_body,
    OracleType.BINARY_FLOAT: _float_body(codecs.encode_binary_float),
    OracleType.BINARY_DOUBLE: _float_body(codecs.encode_binary_double),
    OracleType.RAW: _raw_body,
    OracleType.LONG_RAW: _raw_body,
    OracleType.BOOLEAN: _boolean_body,
}


def _clr_writer(body: Callable[[object], bytes], ora_type: int, csfrm: int, null: bytes) -> ValueEncoder:
    def write(w: Writer, value: object) -> None:
        if value is None:
            w.raw(null)
            return
        try:
            data = body(value)
        except TypeError:
            raise _fail(value, ora_type, csfrm) from None
        w.clr(data)

    return write


def _write_raiser(message: str) -> ValueEncoder:
    def write(w: Writer, value: object) -> None:
        raise EncodeError(message)

    return write


def bind_encoder(ora_type: int, csfrm: int, *, out: bool = False) -> ValueEncoder:
    """The writer of one value in bind form: bind rows, or with ``out`` out-bind rows.

    The value is converted the way python-oracledb accepts it for that type
    (bytes for text, str for RAW, any number for NUMBER, any value for BOOLEAN).
    BOOLEAN NULL is ``FD 01`` in bind rows but ``00`` in out binds, where
    python-oracledb reads a plain CLR; LOBs use their column form in out binds.
    """
    if out and ora_type in _OUT_AS_COLUMN:
        return column_encoder(ora_type, csfrm)
    body = body_encoder(ora_type, csfrm)
    if body is not None:
        null = BOOLEAN_NULL if ora_type == OracleType.BOOLEAN and not out else b"\x00"
        return _clr_writer(body, ora_type, csfrm, null)
    factory = _BIND_ENCODERS.get(ora_type)
    if factory is not None:
        return factory(csfrm)
    return _write_raiser(_unsupported_message(ora_type, csfrm, "bind"))


#: Bind-form writers for types that are not a plain CLR.
_BIND_ENCODERS: Final[dict[int, Callable[[int], ValueEncoder]]] = {
    t: partial(lob_bind_writer, t) for t in _LOB_TYPES
}
#: Column-form writers for types that are not a plain CLR (ROWID and UROWID
#: are handled in column_encoder itself).
_COLUMN_ENCODERS: Final[dict[int, Callable[[int], ValueEncoder]]] = {
    t: partial(lob_column_writer, t) for t in _LOB_TYPES
}


def _write_rowid(w: Writer, value: object) -> None:
    if value is None:
        w.ub1(0)
        return
    if isinstance(value, str):
        rowid = Rowid.from_string(value)
    elif isinstance(value, Rowid):
        rowid = value
    else:
        raise _fail(value, OracleType.ROWID, 0)
    w.ub1(ROWID_LENGTH_BYTE)
    w.ub4(rowid.rba)
    w.ub2(rowid.partition_id)
    w.ub1(0)
    w.ub4(rowid.block_num)
    w.ub2(rowid.slot_num)


def _write_urowid(w: Writer, value: object) -> None:
    if value is None:
        w.ub1(0)
        return
    if not isinstance(value, (str, Rowid)):
        raise _fail(value, OracleType.UROWID, 0)
    body = codecs.encode_urowid(value)
    # The first CLR only signals presence; we put the body length in it
    # (its real content is UNCONFIRMED: python-oracledb and node skip it).
    w.clr(len(body).to_bytes(2, "big"))
    w.clr(body)


def column_encoder(ora_type: int, csfrm: int) -> ValueEncoder:
    """The writer of one column value in column form (server role, ROW_DATA).

    NULL is ``00`` for every type here (BOOLEAN included: python-oracledb reads
    a NULL CLR); LONG / LONG RAW get their ``sb4`` and ``ub4`` trailer, 0 and 0.
    """
    if ora_type == OracleType.ROWID:
        return _write_rowid
    if ora_type == OracleType.UROWID:
        return _write_urowid
    factory = _COLUMN_ENCODERS.get(ora_type)
    if factory is not None:
        return factory(csfrm)
    body = body_encoder(ora_type, csfrm)
    if body is None:
        return _write_raiser(_unsupported_message(ora_type, csfrm, "column"))
    plain = _clr_writer(body, ora_type, csfrm, b"\x00")
    if ora_type not in _LONG_TYPES:
        return plain

    def write_long(w: Writer, value: object) -> None:
        plain(w, value)
        w.sb4(0)
        w.ub4(0)

    return write_long


def encode_value(w: Writer, column: TypedValue, value: object, *, fetched: bool = True) -> None:
    """Write one value of ``column``'s type: column form, or bind form when ``fetched`` is False.

    Raises:
        EncodeError: the value cannot be represented in that type, or the type
            is not supported yet.
    """
    make = column_encoder if fetched else bind_encoder
    make(column.ora_type, column.csfrm)(w, value)
