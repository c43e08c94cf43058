"""DML RETURNING INTO and OUT binds of the embedded server: the types the engine
converts RETURNING values to, and the values as the wire carries them (LOB
values become locators of the session's LOB store)."""

from __future__ import annotations

from collections.abc import Sequence

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.errors import EncodeError
from oracle_sansio.ttc.messages.binds import BindMetadata
from oracle_sansio.ttc.messages.values import bind_encoder
from oracle_sansio.ttc.wire import Writer

from .sql import errors
from .sql.types.datatypes import NUMBER, EmptyBlob, EmptyClob, SqlType, T
from .sql.engine import Result
from .sql.runtime.routines import coerce_value

__all__ = ["as_bound", "in_lobs", "out_lob", "returned_values", "returning_types", "send_returned"]

_WIRE_TYPES = frozenset(int(t) for t in OracleType)


def in_lobs(row: Sequence[object], binds: Sequence[BindMetadata]) -> tuple[object, ...]:
    """One execution's bind values with the empty LOBs of CLOB / BLOB binds marked as LOBs (the
    engine takes a plain ``''`` / ``b''`` for NULL, as Oracle takes an empty VARCHAR2 / RAW)."""
    return tuple(
        (EmptyClob() if isinstance(v, str) else EmptyBlob()) if i < len(binds) and not v and isinstance(v, (str, bytes))
        and binds[i].ora_type in (OracleType.CLOB, OracleType.BLOB) else v for i, v in enumerate(row))


def out_lob(conn: ServerConnection, value: object, bind: BindMetadata) -> object:
    """A text / bytes value for a CLOB / BLOB OUT bind goes out as a (temporary) LOB locator."""
    if bind.ora_type in (OracleType.CLOB, OracleType.BLOB) and isinstance(value, (str, bytes)):
        return conn.lobs.create(value, ora_type=bind.ora_type, csfrm=bind.csfrm)
    return value


def returned_values(conn: ServerConnection, result: Result, positions: Sequence[int],
                    binds: Sequence[BindMetadata]) -> list[list[object]]:
    """One execution's RETURNING values as ``send_returning`` takes them: per
    RETURNING bind (INTO order), the value of each row changed (the engine
    converted them to the binds' types; LOB values become locators)."""
    rows = result.returned or []
    if rows and len(rows[0]) != len(positions):
        raise errors.internal(f"{len(rows[0])} RETURNING values for {len(positions)} RETURNING binds")
    out: list[list[object]] = []
    for k, pos in enumerate(positions):
        bind = binds[pos]
        write = bind_encoder(bind.ora_type, bind.csfrm, out=True)
        values: list[object] = []
        for row in rows:
            value = row[k]
            if bind.ora_type in (OracleType.CLOB, OracleType.BLOB) and isinstance(value, (str, bytes)):
                value = conn.lobs.create(value, ora_type=bind.ora_type, csfrm=bind.csfrm)
            try:
                write(Writer(), value)  # a value the bind cannot carry must not reach the wire
            except (EncodeError, TypeError, ValueError, OverflowError):
                raise errors.inconsistent_types(OracleType(bind.ora_type).name if bind.ora_type in _WIRE_TYPES
                                                else str(bind.ora_type), type(value).__name__) from None
            values.append(value)
        out.append(values)
    return out


def send_returned(conn: ServerConnection, returned: list[list[list[object]]]) -> None:
    """One ROW_DATA per execution of a DML RETURNING INTO (sent before the call ends)."""
    for values in returned:
        conn.send_returning(values)
    returned.clear()


#: The SQL type a RETURNING bind of each wire type receives its values as (others: as they are).
_RETURNING_TYPES: dict[int, SqlType] = {
    OracleType.VARCHAR: SqlType(T.VARCHAR), OracleType.CHAR: SqlType(T.VARCHAR), OracleType.LONG: SqlType(T.VARCHAR),
    OracleType.NUMBER: NUMBER, OracleType.BINARY_INTEGER: NUMBER,
    OracleType.DATE: SqlType(T.DATE), OracleType.TIMESTAMP: SqlType(T.TIMESTAMP, scale=9),
    OracleType.TIMESTAMP_LTZ: SqlType(T.TIMESTAMP, scale=9), OracleType.TIMESTAMP_TZ: SqlType(T.TIMESTAMP_TZ, scale=9),
    OracleType.ROWID: SqlType(T.ROWID), OracleType.UROWID: SqlType(T.ROWID),
    OracleType.BINARY_FLOAT: SqlType(T.BFLOAT), OracleType.BINARY_DOUBLE: SqlType(T.BDOUBLE),
    OracleType.RAW: SqlType(T.RAW), OracleType.LONG_RAW: SqlType(T.RAW),
    OracleType.CLOB: SqlType(T.CLOB), OracleType.BLOB: SqlType(T.BLOB),
    OracleType.INTERVAL_DS: SqlType(T.INTERVAL_DS), OracleType.INTERVAL_YM: SqlType(T.INTERVAL_YM),
    OracleType.BOOLEAN: SqlType(T.BOOLEAN),
}


def returning_types(positions: Sequence[int], binds: Sequence[BindMetadata]) -> list[SqlType | None]:
    """What the engine converts each RETURNING expression to: its INTO bind's type."""
    if any(pos >= len(binds) for pos in positions):
        raise errors.not_all_bound()
    return [_RETURNING_TYPES.get(binds[pos].ora_type) for pos in positions]


def as_bound(value: object, bind: BindMetadata) -> object:
    """An OUT value converted to the client's bind type, as Oracle assigns it
    (number <-> text; ORA-06502 when it does not fit) instead of failing to encode.
    An array bind's value is a list (a PL/SQL table copied to the host array): more
    elements than the bind declared is ORA-06513."""
    if bind.is_array and isinstance(value, list):
        if len(value) > bind.max_array_elements:
            raise errors.ora(6513)
        return [None if v is None else _scalar_as_bound(v, bind) for v in value]
    return _scalar_as_bound(value, bind)


def _scalar_as_bound(value: object, bind: BindMetadata) -> object:
    if bind.ora_type in (OracleType.VARCHAR, OracleType.CHAR, OracleType.LONG):
        size = bind.max_chars_or_lob_prefetch or bind.buffer_size
        return coerce_value(value, SqlType(T.VARCHAR, size=size))
    if bind.ora_type == OracleType.NUMBER:
        return coerce_value(value, NUMBER)
    if bind.ora_type in (OracleType.CLOB, OracleType.BLOB):
        return value  # text / bytes become a LOB locator (out_lob)
    try:
        # A value the bind cannot carry (text into a DATE, a number into RAW)
        # must not reach the wire: Oracle fails the assignment.
        bind_encoder(bind.ora_type, bind.csfrm, out=True)(Writer(), value)
    except (EncodeError, TypeError, ValueError, OverflowError):
        raise errors.value_error() from None
    return value
