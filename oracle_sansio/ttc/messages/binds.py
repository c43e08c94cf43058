"""Bind (and define) metadata blocks and bind value rows (docs/protocol-ttc.md 3.3-3.4, 3.9).

Metadata layout per python-oracledb impl/thin/messages/base.pyx
``_write_column_metadata``; value rows per ``_write_bind_params_row``; the
Python value -> bind type rules per impl/base/metadata.pyx ``from_value``,
impl/base/var.pyx and impl/base/connection.pyx ``_check_value``; define
blocks per impl/base/cursor.pyx ``_create_fetch_var`` and metadata.pyx
``_finalize_init``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from ...codecs import IntervalYM, OracleType, encode_text
from ...errors import EncodeError, NeedMoreData
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import (
    CHARSET_UTF8,
    LOB_PREFETCH_FLAG,
    MAX_LONG_SIZE,
    BindDirection,
    BindFlag,
    FieldVersion,
    MessageType,
)
from ..wire import MAX_SHORT_LENGTH, Reader, Writer
from .bind_runs import BatchEncoder, batch_encoder
from .describe import UDS_IS_JSON, UDS_IS_OSON, ColumnMetadata
from .lob import LobValue
from .type_head import decode_type_head, encode_type_head
from .values import BOOLEAN_NULL, ReaderDecoder, ValueEncoder, bind_decoder, bind_encoder, body_encoder, type_name

__all__ = [
    "BindMetadata",
    "BindRows",
    "bind_metadata_for_values",
    "bind_wire_order",
    "lob_bind_metadata",
    "define_metadata_for_column",
    "reexecuted_positions",
    "columns_as_defined",
]

Row = tuple[object, ...]

_ARRAY_FLAG: Final = int(BindFlag.ARRAY)


@dataclass(frozen=True, slots=True, kw_only=True)
class BindMetadata:
    """One bind or define metadata block.

    python-oracledb always sends precision and scale 0 (the server rejects
    anything else), charset id 873 whenever csfrm is not 0, and sends
    ROWID/UROWID binds as VARCHAR with buffer size 5267.
    """

    ora_type: int
    csfrm: int = 0
    flags: int = BindFlag.USE_INDICATORS
    precision: int = 0
    scale: int = 0
    buffer_size: int = 0
    max_array_elements: int = 0
    cont_flags: int = 0
    oid: bytes | None = None
    version: int = 0
    charset_id: int = 0
    max_chars_or_lob_prefetch: int = 0
    oaccolid: int = 0

    def encode(self, w: Writer, *, field_version: int) -> None:
        """Write the block (oaccolid only when ``field_version`` >= 8)."""
        # Object binds send their version as ub4 after the DLC type OID.
        encode_type_head(
            w,
            self,
            max_size=self.max_chars_or_lob_prefetch,
            field_version=field_version,
            signed_scale=False,
            object_version=True,
        )

    @classmethod
    def decode(cls, r: Reader, *, field_version: int) -> BindMetadata:
        """Read one block (server role).

        Raises:
            NeedMoreData: incomplete.
            DecodeError: a malformed integer.
        """
        # ub4 for objects, ub2 otherwise: the same bytes for small values.
        fields = decode_type_head(r, field_version=field_version, signed_scale=False, object_version=True)._asdict()
        fields["max_chars_or_lob_prefetch"] = fields.pop("max_size")
        return cls(**fields)

    @property
    def is_array(self) -> bool:
        """A PL/SQL index-by array bind (flag 0x40)."""
        return bool(int(self.flags) & _ARRAY_FLAG)  # plain ints: no IntFlag operator on a hot path


# --------------------------------------------------- Python value -> bind type

# (type, csfrm, buffer factor, default max size): impl/base/types.pyx.  Types
# with a default size are sized by value (max size x factor, the default when
# the value is empty); the others have a fixed buffer equal to the factor.
_VARCHAR: Final = (OracleType.VARCHAR, 1, 4, 4000)
_RAW: Final = (OracleType.RAW, 0, 1, 4000)
_FIXED: Final[dict[int, int]] = {
    OracleType.NUMBER: 22,
    OracleType.BINARY_INTEGER: 22,
    OracleType.BOOLEAN: 4,
    OracleType.DATE: 7,
    OracleType.INTERVAL_DS: 11,
    OracleType.INTERVAL_YM: 5,
}
_NUMERIC: Final = (int, float, Decimal)
_BYTES: Final = (bytes, bytearray, memoryview)


def _type_of(value: object, *, supports_bool: bool) -> tuple[int, int]:
    """(ora type, max size) for the first non-None value (metadata.pyx from_value)."""
    if isinstance(value, bool):
        return (OracleType.BOOLEAN if supports_bool else OracleType.BINARY_INTEGER), 0
    if isinstance(value, str):
        return OracleType.VARCHAR, len(encode_text(value))
    if isinstance(value, _BYTES):
        return OracleType.RAW, len(bytes(value))
    if isinstance(value, _NUMERIC):
        return OracleType.NUMBER, 0
    if isinstance(value, _dt.date):  # datetime included: bound as DATE, [live]
        return OracleType.DATE, 0
    if isinstance(value, _dt.timedelta):
        return OracleType.INTERVAL_DS, 0
    if isinstance(value, IntervalYM):
        return OracleType.INTERVAL_YM, 0
    if isinstance(value, LobValue):
        # The locator does not say CLOB, NCLOB or BLOB for sure.
        raise EncodeError("a LobValue bind needs explicit metadata: use lob_bind_metadata(ora_type, csfrm)")
    raise EncodeError(f"Python values of type {type(value).__name__} cannot be bound (not supported yet)")


def _resize_length(ora_type: int, value: object) -> int | None:
    """The size a later value asks for, or None if the bind's type refuses it.

    python-oracledb checks later executemany rows against the type picked by
    the first (connection.pyx _check_value) and grows sized binds to
    ``len(value)`` after conversion: characters for text, bytes for RAW
    (var.pyx _check_and_set_scalar_value).
    """
    if ora_type == OracleType.VARCHAR:
        if isinstance(value, str):
            return len(value)
        if isinstance(value, _BYTES):
            try:
                return len(bytes(value).decode())
            except UnicodeDecodeError:
                return None
        return None
    if ora_type == OracleType.RAW:
        if isinstance(value, str):
            return len(value.encode("utf-8", "surrogatepass"))
        if isinstance(value, _BYTES):
            return len(bytes(value))
        return None
    if ora_type in (OracleType.NUMBER, OracleType.BINARY_INTEGER):
        return 0 if isinstance(value, _NUMERIC) else None
    if ora_type == OracleType.DATE:
        return 0 if isinstance(value, _dt.date) else None
    if ora_type == OracleType.INTERVAL_DS:
        return 0 if isinstance(value, _dt.timedelta) else None
    if ora_type == OracleType.INTERVAL_YM:
        return 0 if isinstance(value, IntervalYM) else None
    return 0  # BOOLEAN takes bool(value) of anything


def bind_metadata_for_values(
    values: Sequence[object],
    *,
    field_version: int = FieldVersion.V23_4,
    is_plsql: bool = False,
) -> BindMetadata:
    """The bind metadata python-oracledb derives from one bind's values (one per execution).

    Rules (metadata.pyx ``from_value``, var.pyx, bind_var.pyx): the first
    value that is not None picks the type (all None: VARCHAR of size 1);
    bool is BOOLEAN, or BINARY_INTEGER below field version 17 outside PL/SQL;
    str is VARCHAR sized by its UTF-8 length; bytes RAW; int, float and
    Decimal NUMBER; date and datetime DATE; timedelta INTERVAL DS;
    IntervalYM INTERVAL YM.  Later values must suit that type and grow a
    sized bind to their length.  VARCHAR buffers are 4 x max size, RAW 1 x;
    an empty first value means the default size (4000).

    Raises:
        EncodeError: a value of an unsupported Python type, or a later value
            the chosen type cannot take (python-oracledb's DPY-3013).
    """
    supports_bool = field_version >= FieldVersion.V23_1 or is_plsql
    ora_type = 0
    max_size = 0
    for row, value in enumerate(values):
        if value is None:
            continue
        if not ora_type:
            ora_type, max_size = _type_of(value, supports_bool=supports_bool)
            exact = _EXACT.get(ora_type)
            if exact is not None and all(v is None or type(v) in exact for v in values):
                # The usual column, every value of one plain Python type: nothing to
                # refuse, and only text grows the bind (by characters).
                if ora_type == OracleType.VARCHAR:
                    max_size = max(max_size, max(len(v) for v in values if isinstance(v, str)))
                break
        size = _resize_length(ora_type, value)
        if size is None:
            raise EncodeError(
                f"row {row}: a value of type {type(value).__name__} cannot be bound where earlier rows "
                f"made the bind {type_name(ora_type)}"
            )
        max_size = max(max_size, size)
    if not ora_type:
        ora_type, max_size = OracleType.VARCHAR, 1
    if ora_type == OracleType.VARCHAR:
        _, csfrm, factor, default = _VARCHAR
    elif ora_type == OracleType.RAW:
        _, csfrm, factor, default = _RAW
    else:
        return _FIXED_METADATA[ora_type]
    buffer_size = (max_size or default) * factor
    key = (ora_type, buffer_size)
    found = _SIZED_METADATA.get(key)
    if found is None:
        found = BindMetadata(
            ora_type=ora_type,
            csfrm=csfrm,
            buffer_size=buffer_size,
            charset_id=CHARSET_UTF8 if csfrm else 0,
        )
        if len(_SIZED_METADATA) < _SIZED_METADATA_MAX:
            _SIZED_METADATA[key] = found
    return found


#: Python types whose values a bind of each type takes as they are (for the
#: one-pass check of a column; bool is left to the general rule).
_EXACT: Final[dict[int, frozenset[type]]] = {
    OracleType.VARCHAR: frozenset({str}),
    OracleType.NUMBER: frozenset({int, float, Decimal}),
    OracleType.DATE: frozenset({_dt.date, _dt.datetime}),
}
#: Metadata blocks are frozen: one per fixed type, and the sized ones met so far
#: (bounded: a few sizes recur), shared by every bind that has them.
_FIXED_METADATA: Final[dict[int, BindMetadata]] = {
    ora_type: BindMetadata(ora_type=ora_type, buffer_size=size) for ora_type, size in _FIXED.items()
}
_SIZED_METADATA: dict[tuple[int, int], BindMetadata] = {}
_SIZED_METADATA_MAX: Final = 4096


# ------------------------------------------------------- LOB binds, defines

#: Buffer sizes python-oracledb's define blocks carry (impl/base/types.pyx
#: ``buffer_size_factor`` of types without a default size; ORA_TYPE_SIZE_*).
_DEFINE_BUFFER: Final[dict[int, int]] = {
    **_FIXED,
    OracleType.TIMESTAMP: 11,
    OracleType.TIMESTAMP_LTZ: 11,
    OracleType.TIMESTAMP_TZ: 13,
    OracleType.BINARY_FLOAT: 4,
    OracleType.BINARY_DOUBLE: 8,
    OracleType.CLOB: 112,
    OracleType.BLOB: 112,
    OracleType.BFILE: 4000,
    OracleType.LONG: MAX_LONG_SIZE,
    OracleType.LONG_RAW: MAX_LONG_SIZE,
    OracleType.CURSOR: 4,
    OracleType.OBJECT: 0,
}
#: Types with a default size: (default max size, factor) (types.pyx).
_SIZED: Final[dict[int, tuple[int, int]]] = {
    OracleType.VARCHAR: (4000, 4),
    OracleType.CHAR: (2000, 4),
    OracleType.RAW: (4000, 1),
}
#: Types that keep a character set form (their DbType has csfrm 1 or 2).
_WITH_CSFRM: Final = frozenset({OracleType.VARCHAR, OracleType.CHAR, OracleType.LONG, OracleType.CLOB})
#: ROWID and UROWID are bound and defined as VARCHAR of this size (TNS_MAX_UROWID_LENGTH).
_UROWID_BUFFER: Final = 5267
#: LOB prefetch lengths python-oracledb sends for JSON and VECTOR (TNS_*_MAX_LENGTH).
_PREFETCH_LENGTH: Final[dict[int, int]] = {OracleType.JSON: 33_554_432, OracleType.VECTOR: 1_048_576}


def _block(ora_type: int, csfrm: int, buffer_size: int, *, oid: bytes | None = None, version: int = 0) -> BindMetadata:
    """A block as ``_write_column_metadata`` writes it for a non-array variable."""
    if ora_type in (OracleType.ROWID, OracleType.UROWID):
        ora_type, buffer_size = OracleType.VARCHAR, _UROWID_BUFFER
    cont_flags = 0
    prefetch = _PREFETCH_LENGTH.get(ora_type, 0)
    if ora_type in (OracleType.CLOB, OracleType.BLOB) or prefetch:
        cont_flags = LOB_PREFETCH_FLAG
    if prefetch:
        buffer_size = prefetch
    return BindMetadata(
        ora_type=ora_type,
        csfrm=csfrm,
        buffer_size=buffer_size,
        cont_flags=cont_flags,
        oid=oid,
        version=version,
        charset_id=CHARSET_UTF8 if csfrm else 0,
        max_chars_or_lob_prefetch=prefetch,
    )


def lob_bind_metadata(ora_type: int, csfrm: int | None = None) -> BindMetadata:
    """python-oracledb's metadata for a CLOB (csfrm 1), NCLOB (csfrm 2), BLOB or BFILE bind.

    CLOB / NCLOB / BLOB: buffer 112, cont flags LOB_PREFETCH (0x2000000),
    charset 873 when csfrm is not 0; BFILE: buffer 4000, no cont flags.
    ``csfrm`` defaults to 1 for CLOB and 0 otherwise.

    Raises:
        EncodeError: not a LOB type, or a csfrm the type does not have.
    """
    if ora_type == OracleType.CLOB:
        csfrm = 1 if csfrm is None else csfrm
        if csfrm not in (1, 2):
            raise EncodeError(f"a CLOB bind has csfrm 1 (CLOB) or 2 (NCLOB), not {csfrm}")
    elif ora_type in (OracleType.BLOB, OracleType.BFILE):
        csfrm = 0 if csfrm is None else csfrm
        if csfrm != 0:
            raise EncodeError(f"a {type_name(ora_type)} bind has csfrm 0, not {csfrm}")
    else:
        raise EncodeError(f"{type_name(ora_type)} is not a LOB type")
    return _block(ora_type, csfrm, _DEFINE_BUFFER[ora_type])


def define_metadata_for_column(column: ColumnMetadata, *, fetch_lobs: bool = True) -> BindMetadata:
    """The define block python-oracledb sends for a describe column (docs/protocol-ttc.md 3.9).

    The fetch type is the column's, except that with ``fetch_lobs`` False a
    CLOB is defined as LONG, an NCLOB as LONG with csfrm 2 and a BLOB as LONG
    RAW (not for an IS_JSON column), and that an OSON column that is not JSON
    is LONG RAW (cursor.pyx ``_create_fetch_var``).  Buffer size per metadata.pyx ``_finalize_init``:
    VARCHAR and CHAR 4 x max size (4 x default when 0), RAW the describe's
    buffer size, other types a fixed size (NUMBER 22, CLOB/BLOB 112, BFILE
    4000, LONG 2147483647, ...); ROWID and UROWID become VARCHAR 5267.  The
    csfrm is kept only by character types (and is 1 when the describe says
    0); everything else has csfrm 0 and charset 0.  ([live]: a CLOB column's
    define was type 112, flags 0x01, buffer 112, cont 0x2000000, csid 873,
    csfrm 1.)
    """
    ora_type = column.ora_type
    csfrm = (2 if column.csfrm == 2 else 1) if ora_type in _WITH_CSFRM else 0
    if column.uds_flags & UDS_IS_OSON and ora_type != OracleType.JSON:
        ora_type, csfrm = OracleType.LONG_RAW, 0
    elif column.uds_flags & UDS_IS_JSON and ora_type != OracleType.JSON:
        pass  # python converts the fetched text itself and skips the fetch_lobs rule
    elif not fetch_lobs and ora_type == OracleType.CLOB:
        ora_type = OracleType.LONG
    elif not fetch_lobs and ora_type == OracleType.BLOB:
        ora_type = OracleType.LONG_RAW
    sized = _SIZED.get(ora_type)
    if sized is not None:
        default, factor = sized
        # python-oracledb takes a RAW column's max size from its buffer size.
        max_size = column.buffer_size if ora_type == OracleType.RAW else column.max_size
        buffer_size = (max_size or default) * factor
    else:
        buffer_size = _DEFINE_BUFFER.get(ora_type, column.buffer_size)
    if ora_type == OracleType.OBJECT and column.oid:
        # The type's OID and version (python takes them from its type cache: UNCONFIRMED equal).
        return _block(ora_type, csfrm, buffer_size, oid=column.oid, version=column.version)
    return _block(ora_type, csfrm, buffer_size)


# -------------------------------------------------------------- value rows


def bind_wire_order(binds: Sequence[BindMetadata], *, is_plsql: bool, max_string_size: int) -> tuple[int, ...]:
    """The order bind values travel in: outside PL/SQL, "long" binds (buffer
    size above the server's max string size, 4000 or 32767) go last
    (base.pyx ``_write_bind_params_row``; [live] docs/protocol-ttc.md 3.4)."""
    if is_plsql:
        return tuple(range(len(binds)))
    long = [i for i, b in enumerate(binds) if not b.is_array and b.buffer_size > max_string_size]
    if not long:
        return tuple(range(len(binds)))
    return tuple(i for i in range(len(binds)) if i not in long) + tuple(long)


class BindRows:
    """Writes and reads ``07`` + bind values for a fixed list of binds.

    ``binds`` are the binds whose values are sent, in placeholder order
    (RETURNING binds, and for re-execution OUT binds, already left out);
    rows are given and returned in that order whatever the wire order.
    """

    __slots__ = ("binds", "order", "_writers", "_readers", "_plain", "_batch")

    def __init__(self, binds: Sequence[BindMetadata], *, is_plsql: bool, max_string_size: int) -> None:
        self.binds = tuple(binds)
        self.order = bind_wire_order(self.binds, is_plsql=is_plsql, max_string_size=max_string_size)
        self._writers: tuple[ValueEncoder, ...] = tuple(bind_encoder(b.ora_type, b.csfrm) for b in self.binds)
        self._readers: tuple[ReaderDecoder, ...] = tuple(bind_decoder(b.ora_type, b.csfrm) for b in self.binds)
        self._plain: tuple[tuple[int, Callable[[object], bytes], bytes], ...] | None = None
        self._batch: BatchEncoder | None = None

    def _plain_writers(self) -> tuple[tuple[int, Callable[[object], bytes], bytes], ...] | None:
        """When every bind is a plain CLR (no array, no LOB): per wire position the
        placeholder index, the body encoder and the NULL form (made on first use:
        a reader, built for each read of a message, never needs them)."""
        plain: list[tuple[int, Callable[[object], bytes], bytes]] = []
        for i in self.order:
            bind = self.binds[i]
            body = body_encoder(bind.ora_type, bind.csfrm)
            if body is None or bind.is_array:
                return None
            plain.append((i, body, BOOLEAN_NULL if bind.ora_type == OracleType.BOOLEAN else b"\x00"))
        return tuple(plain)

    def encode(self, w: Writer, row: Sequence[object]) -> None:
        """Write one row: ``07`` then the values in wire order.

        Raises:
            EncodeError: wrong value count or a value its bind cannot hold.
        """
        if len(row) != len(self.binds):
            raise EncodeError(f"bind row has {len(row)} values for {len(self.binds)} binds")
        w.ub1(MessageType.ROW_DATA)
        for i in self.order:
            value = row[i]
            write = self._writers[i]
            if self.binds[i].is_array:
                if not isinstance(value, (list, tuple)):
                    raise EncodeError(f"array bind {i + 1} needs a list value, got {type(value).__name__}")
                if len(value) > self.binds[i].max_array_elements:
                    raise EncodeError(
                        f"array bind {i + 1} has {len(value)} elements (at most {self.binds[i].max_array_elements})"
                    )
                w.ub4(len(value))
                for element in value:
                    write(w, element)
            else:
                write(w, value)

    def encode_rows(self, w: Writer, rows: Sequence[Sequence[object]]) -> None:
        """Write every row as :meth:`encode` does, in one pass when every bind is a plain CLR.

        Raises:
            EncodeError: as :meth:`encode` (nothing of the failing row's batch is written).
        """
        plain = self._plain
        if plain is None:
            plain = self._plain = self._plain_writers()
        if plain is None:
            for row in rows:
                self.encode(w, row)
            return
        batch = self._batch
        if batch is None:
            kinds = tuple((i, _batch_kind(self.binds[i])) for i, _, _ in plain)
            batch = self._batch = batch_encoder(kinds, [body for _, body, _ in plain], [null for _, _, null in plain])
        # The usual rows are written by the batch encoder; it stops before any row
        # it does not take (a long value, an error), which the loop below writes.
        out = bytearray()
        count = len(rows)
        done = batch(rows, 0, out)
        while done < count:
            self._encode_plain_row(w, out, plain, rows[done])
            done = batch(rows, done + 1, out)
        w.raw(out)

    def _encode_plain_row(
        self, w: Writer, out: bytearray, plain: tuple[tuple[int, Callable[[object], bytes], bytes], ...],
        row: Sequence[object],
    ) -> None:
        """Write one row of plain CLR binds into ``out`` (values over 252 bytes
        flush ``out`` into ``w`` and go there as long CLRs)."""
        width = len(self.binds)
        if len(row) != width:
            raise EncodeError(f"bind row has {len(row)} values for {width} binds")
        out.append(MessageType.ROW_DATA)
        for i, body, null in plain:
            value = row[i]
            if value is None:
                out += null
                continue
            try:
                data = body(value)
            except TypeError:
                self._writers[i](Writer(), value)  # raises the writer's EncodeError
                raise
            size = len(data)
            if size <= MAX_SHORT_LENGTH:
                out.append(size)
                out += data
            else:
                w.raw(out)
                out.clear()
                w.clr(data)

    def decode_body(self, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> Row:
        """Read one row after its ``07`` byte, returned in placeholder order.

        Raises:
            NeedMoreData: incomplete.
            DecodeError: a bad value or an unsupported bind type.
            LimitExceededError: an array longer than its bind's maximum.
        """
        # A row wider than a packet is read again when the next one arrives:
        # resume after its last whole value.  The key is by value: a reader is
        # built per read of the message (the tuples compare their items by identity first).
        start = r.pos
        memo = r.memo
        key = (self.binds, self.order, limits)
        progress = None if memo is None or not memo.partials else memo.partial(start, key)
        values: list[object] = []  # in wire order
        if progress is not None:
            if progress.done is not None:
                r.pos = progress.pos
                return progress.done
            values = progress.items
            r.pos = progress.pos
        order = self.order
        resumed_at = before = r.pos
        try:
            for k in range(len(values), len(order)):
                i = order[k]
                read = self._readers[i]
                bind = self.binds[i]
                before = r.pos
                if bind.is_array:
                    # The bind's own maximum comes from the wire too: cap it by max_rows.
                    count = r.ub4()
                    limit = min(bind.max_array_elements, limits.max_rows)
                    limits.check(f"array bind {i + 1} element count", count, limit)
                    values.append([read(r) for _ in range(count)])
                else:
                    values.append(read(r))
        except NeedMoreData:
            r.walked += before - resumed_at
            if memo is not None:
                memo.stopped(progress, start, key, values, before)
            raise
        out: list[object] = [None] * len(self.binds)
        for k, i in enumerate(order):
            out[i] = values[k]
        row = tuple(out)
        r.walked += r.pos - resumed_at
        if progress is not None:
            progress.done, progress.pos = row, r.pos
        return row


def _batch_kind(bind: BindMetadata) -> str:
    """How the batch encoder writes a plain bind's values (bind_runs.KINDS)."""
    ora_type = bind.ora_type
    if ora_type == OracleType.NUMBER:
        return "number"
    if ora_type == OracleType.DATE:
        return "date"
    if ora_type in (OracleType.VARCHAR, OracleType.CHAR) and bind.csfrm != 2:
        return "text"
    return "call"


def reexecuted_positions(
    count: int, returning: Sequence[int], directions: Sequence[int] | None
) -> tuple[int, ...]:
    """Indices of the binds whose values a re-execute (functions 4/78) carries:
    every bind but RETURNING ones and those the IO_VECTOR made OUT-only
    (docs/protocol-ttc.md 3.6)."""
    skip = set(returning)
    return tuple(
        i
        for i in range(count)
        if i not in skip
        and not (directions is not None and i < len(directions) and directions[i] == BindDirection.OUTPUT)
    )


_LOB_COLUMN_TYPES: Final = frozenset({OracleType.CLOB, OracleType.BLOB})
_LONG_DEFINE_TYPES: Final = frozenset({OracleType.LONG, OracleType.LONG_RAW})


def columns_as_defined(
    columns: Sequence[ColumnMetadata], defines: Sequence[BindMetadata] | None
) -> tuple[ColumnMetadata, ...]:
    """The describe as rows travel after a define: each LOB column the client
    defined as LONG / LONG RAW (``fetch_lobs=False``) takes that type; the
    inverse of :func:`define_metadata_for_column` for what both roles need."""
    if not defines or len(defines) != len(columns):
        return tuple(columns)
    return tuple(
        replace(c, ora_type=d.ora_type, csfrm=d.csfrm)
        if c.ora_type in _LOB_COLUMN_TYPES and d.ora_type in _LONG_DEFINE_TYPES
        else c
        for c, d in zip(columns, defines)
    )
