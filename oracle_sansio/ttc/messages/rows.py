"""Row messages (docs/protocol-ttc.md 3.8, 4.2-4.4, 4.8): ROW_HEADER, BIT_VECTOR,
ROW_DATA (query rows, out binds, DML RETURNING) and IO_VECTOR.

Field order per python-oracledb impl/thin/messages/base.pyx
(``_process_row_header``, ``_process_bit_vector``, ``_process_row_data``,
``_process_column_data``, ``_process_io_vector``).  Every ``decode_body``
reads what follows the message-type byte.

Query rows are decoded by :class:`RowDecoder`, built once per describe: it
keeps one step per column, so a row costs one loop over ready-made functions
and no type dispatch; plain CLR values (most types) are sliced straight out
of the buffer.  The ordinary rows that follow one another are decoded in
runs by a decoder generated for the row's shape (:mod:`.row_runs`,
:meth:`RowDecoder.decode_following`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from ...codecs import OracleType
from ...errors import DecodeError, EncodeError, NeedMoreData
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import BindDirection, BindFlag, MessageType
from ..wire import LONG_LENGTH_INDICATOR, NULL_LENGTH_INDICATOR, Reader, Writer
from .row_runs import MAX_RUN_COLUMNS, RunDecoder, kind_of, run_decoder
from .values import (
    BodyDecoder,
    ReaderDecoder,
    TypedValue,
    ValueEncoder,
    bind_decoder,
    bind_encoder,
    body_decoder,
    clr_reader,
    column_decoder,
    column_encoder,
    type_name,
)

__all__ = [
    "RowColumn",
    "BindLike",
    "RowHeader",
    "BitVector",
    "RowDecoder",
    "DecoderChoice",
    "RowEncoder",
    "encode_row",
    "decode_row_body",
    "is_sent",
    "IoVector",
    "out_bind_positions",
    "encode_out_binds",
    "decode_out_binds_body",
    "encode_returning_row",
    "decode_returning_body",
]

Row = tuple[object, ...]


class RowColumn(TypedValue, Protocol):
    """A describe column as rows need it (ColumnMetadata satisfies it)."""

    @property
    def buffer_size(self) -> int: ...


class BindLike(TypedValue, Protocol):
    """A bind as out-bind rows need it (BindMetadata satisfies it)."""

    @property
    def flags(self) -> int: ...

    @property
    def max_array_elements(self) -> int: ...


# Columns whose value is sent even when the describe says buffer size 0
# (base.pyx _process_column_data).
_ALWAYS_SENT: Final = frozenset({OracleType.LONG, OracleType.LONG_RAW, OracleType.UROWID})


def is_sent(column: RowColumn) -> bool:
    """False for a column whose describe buffer size is 0: always NULL, never sent."""
    return column.buffer_size != 0 or column.ora_type in _ALWAYS_SENT


# ---------------------------------------------------------------- ROW_HEADER


@dataclass(frozen=True, slots=True, kw_only=True)
class RowHeader:
    """ROW_HEADER (6); clients only use its optional bit vector (for the next row).

    Real 23ai sends flags 0x22, one request, iteration 0, iterations = the
    rows asked for, buffer length 0 (docs/protocol-ttc.md 4.14).
    """

    flags: int = 0x22
    num_requests: int = 1
    iteration: int = 0
    num_iterations: int = 0
    buffer_length: int = 0
    bit_vector: bytes | None = None
    rxhrid: bytes | None = None

    def encode(self, w: Writer) -> None:
        """Write the message, type byte first."""
        w.ub1(MessageType.ROW_HEADER)
        w.ub1(self.flags)
        w.ub2(self.num_requests)
        w.ub4(self.iteration)
        w.ub4(self.num_iterations)
        w.ub2(self.buffer_length)
        bits = self.bit_vector or b""
        w.ub4(len(bits))
        if bits:
            # A "repeated length" byte that python-oracledb skips.
            w.ub1(min(len(bits), 0xFF))
            w.raw(bits)
        w.dlc(self.rxhrid)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> RowHeader:
        """Read the message after its type byte.

        Raises:
            NeedMoreData: incomplete.
            LimitExceededError: a bit vector longer than ``max_columns`` needs.
        """
        flags = r.ub1()
        num_requests = r.ub2()
        iteration = r.ub4()
        num_iterations = r.ub4()
        buffer_length = r.ub2()
        length = r.ub4()
        bits = None
        if length:
            limits.check("row header bit vector length", length, (limits.max_columns + 7) // 8)
            r.ub1()
            bits = r.raw(length)
        rxhrid = r.dlc()
        return cls(
            flags=flags,
            num_requests=num_requests,
            iteration=iteration,
            num_iterations=num_iterations,
            buffer_length=buffer_length,
            bit_vector=bits,
            rxhrid=rxhrid,
        )


# ---------------------------------------------------------------- BIT_VECTOR


@dataclass(frozen=True, slots=True, kw_only=True)
class BitVector:
    """BIT_VECTOR (21): which columns the next ROW_DATA carries.

    Bit ``i % 8`` of byte ``i // 8`` set means column i is sent; clear means
    the client repeats the previous row's value.
    """

    num_columns_sent: int
    bits: bytes

    def encode(self, w: Writer) -> None:
        """Write the message, type byte first."""
        w.ub1(MessageType.BIT_VECTOR)
        w.ub2(self.num_columns_sent)
        w.raw(self.bits)

    @classmethod
    def decode_body(cls, r: Reader, *, num_columns: int) -> BitVector:
        """Read the message after its type byte; ``num_columns`` comes from the describe."""
        sent = r.ub2()
        return cls(num_columns_sent=sent, bits=r.raw((num_columns + 7) // 8))

    @classmethod
    def from_present(cls, present: Sequence[bool]) -> BitVector:
        """Build the vector from one flag per column (True = value sent)."""
        bits = bytearray((len(present) + 7) // 8)
        for i, flag in enumerate(present):
            if flag:
                bits[i >> 3] |= 1 << (i & 7)
        return cls(num_columns_sent=sum(1 for flag in present if flag), bits=bytes(bits))

    @classmethod
    def for_rows(cls, previous: Sequence[object], row: Sequence[object]) -> BitVector | None:
        """The vector that suppresses values equal to the previous row's, or None if none repeat."""
        present = [i >= len(previous) or previous[i] != value for i, value in enumerate(row)]
        return None if all(present) else cls.from_present(present)

    def is_present(self, column: int) -> bool:
        """True when column ``column`` (0-based) is sent."""
        byte = column >> 3
        return byte < len(self.bits) and bool(self.bits[byte] & (1 << (column & 7)))


# ------------------------------------------------------------------ ROW_DATA


def _not_sent(r: Reader) -> object:
    return None


def _repeat(value: object) -> ReaderDecoder:
    """A step that reads nothing and gives ``value`` (a column a bit vector leaves out)."""
    return lambda r: value


#: One column of a row: a body decoder for the fast path of plain CLR values
#: (None: call the reader instead) and the column's reader.
_Step = tuple[BodyDecoder | None, ReaderDecoder]


#: Picks a column's value decoder (None: the type's own): how a driver asks for
#: values in its output types (e.g. NUMBER straight to float) without a second pass.
DecoderChoice = Callable[[RowColumn], "BodyDecoder | None"]


class RowDecoder:
    """Decodes query rows for one describe; build it once, call :meth:`decode` per row.

    ``choose`` may replace the value decoder of columns sent as a plain
    length-prefixed value (the choice is not consulted for LONG, LOB, ROWID
    and other specially framed types)."""

    __slots__ = ("columns", "_steps", "choose", "_run", "_run_built")

    def __init__(self, columns: Sequence[RowColumn], choose: DecoderChoice | None = None) -> None:
        self.columns = tuple(columns)
        self.choose = choose
        # One (body decoder, reader) pair per column: a plain-CLR column has a
        # body decoder and takes the fast path; the others (not sent, ROWID,
        # UROWID, LONG, unsupported types) are read through their reader.
        steps: list[_Step] = []
        for column in self.columns:
            if not is_sent(column):
                steps.append((None, _not_sent))
                continue
            reader = column_decoder(column.ora_type, column.csfrm)
            body = body_decoder(column.ora_type, column.csfrm)
            if column.ora_type in (OracleType.LONG, OracleType.LONG_RAW):
                body = None
            elif body is not None and choose is not None:
                chosen = choose(column)
                if chosen is not None:
                    body, reader = chosen, clr_reader(chosen)
            steps.append((body, reader))
        self._steps = tuple(steps)
        # Built on first use (see run_decoder): a one-row result never needs it.
        self._run: RunDecoder | None = None
        self._run_built = False

    def _runner(self) -> RunDecoder | None:
        """The run decoder of this describe, or None when a column is not a plain CLR."""
        if not self._run_built:
            self._run_built = True
            bodies = [body for body, _ in self._steps]
            if len(self._steps) <= MAX_RUN_COLUMNS and all(
                    body is not None or reader is _not_sent for body, reader in self._steps):
                kinds = [kind_of(body, reader is not _not_sent) for body, reader in self._steps]
                self._run = run_decoder(kinds, bodies)
        return self._run

    def decode_following(self, r: Reader, rows: list[Row]) -> None:
        """Decode the whole ROW_DATA messages (no bit vector) at ``r.pos`` into ``rows``.

        Rows come one message each: reading them here, ordinary ones in runs
        (:mod:`.row_runs`), saves a trip through the message dispatcher per
        row.  Stops at the first other message or incomplete row, with
        ``r.pos`` at its type byte (the caller resumes there).

        Raises:
            DecodeError: a bad value.
        """
        buf = r._buf  # noqa: SLF001 - same package as Reader
        size = len(buf)
        start = r.pos
        if start >= size or buf[start] != MessageType.ROW_DATA:
            return  # a one-row reply (select 1) never builds the run decoder
        kind = type(buf)
        run = self._runner() if kind is bytes or kind is bytearray else None
        while start < size and buf[start] == MessageType.ROW_DATA:
            if run is not None:
                end = run(buf, start, rows)  # type: ignore[arg-type]  # bytes or bytearray, tested above
                r.walked += end - start
                start = end
                if start >= size or buf[start] != MessageType.ROW_DATA:
                    break
            # Not an ordinary row (or no run decoder): the general path decides.
            r.pos = start + 1
            try:
                row = self.decode(r)
            except NeedMoreData:
                break
            rows.append(row)
            start = r.pos
        r.pos = start

    def decode(
        self,
        r: Reader,
        *,
        previous_row: Sequence[object] | None = None,
        bit_vector: bytes | None = None,
    ) -> Row:
        """Read one ROW_DATA body (after the 07 byte).

        Raises:
            NeedMoreData: the row is not complete (``r.pos`` is then undefined;
                callers rewind to the start of the message).
            DecodeError: a bad value, an unsupported type, or a bit vector
                that repeats a value when there is no previous row.
        """
        steps = self._steps
        # What the steps depend on besides the bytes: a resumed row must have
        # been started under the same vector.  The previous row needs no key:
        # it was decoded before this message and stays the same while this
        # message is read again.
        key: object = self
        if bit_vector is not None:
            steps = self._vector_steps(previous_row, bit_vector)
            key = (self, bit_vector)
        # The buffer is read directly (same package as Reader) so that a plain
        # CLR costs one slice; anything unusual goes through Reader methods.
        buf = r._buf  # noqa: SLF001
        kind = type(buf)
        if kind is not bytes and kind is not bytearray:
            return tuple(reader(r) for _, reader in steps)
        # Decoders are handed immutable bytes, as Reader.clr gives them.
        copy = kind is bytearray
        size = len(buf)
        start = pos = r.pos
        out: list[object] = []
        # A row wider than a packet is read again when the next one arrives:
        # resume after its last whole column.
        memo = r.memo
        progress = None if memo is None or not memo.partials else memo.partial(start, key)
        if progress is not None:
            if progress.done is not None:
                r.pos = progress.pos
                return progress.done
            out, pos = progress.items, progress.pos
            steps = steps[len(out):]
        resumed_at = pos
        append = out.append
        try:
            for body, reader in steps:
                if body is None:
                    r.pos = pos
                    append(reader(r))
                    pos = r.pos
                    continue
                if pos >= size:
                    raise NeedMoreData
                n = buf[pos]
                if n == 0 or n == NULL_LENGTH_INDICATOR:
                    append(None)
                    pos += 1
                elif n != LONG_LENGTH_INDICATOR:
                    end = pos + 1 + n
                    if end > size:
                        raise NeedMoreData
                    data = buf[pos + 1 : end]
                    append(body(bytes(data) if copy else data))  # type: ignore[arg-type]  # bytes when not copied
                    pos = end
                else:
                    r.pos = pos
                    append(reader(r))
                    pos = r.pos
        except NeedMoreData:
            r.walked += pos - resumed_at
            if memo is not None:
                memo.stopped(progress, start, key, out, pos)
            raise
        r.pos = pos
        r.walked += pos - resumed_at
        row = tuple(out)
        if progress is not None:
            progress.done, progress.pos = row, pos
        return row

    def _vector_steps(self, previous: Sequence[object] | None, bits: bytes) -> tuple[_Step, ...]:
        """The row's steps with each column the vector leaves out replaced by
        one that gives the previous row's value (python-oracledb
        ``_is_duplicate_data``), so that both kinds of row share one loop."""
        steps = list(self._steps)
        for byte, mask in enumerate(bits[: (len(steps) + 7) >> 3]):
            if mask == 0xFF:
                continue
            for i in range(byte << 3, min((byte + 1) << 3, len(steps))):
                if not mask & (1 << (i & 7)):
                    if previous is None or i >= len(previous):
                        raise DecodeError(f"bit vector repeats column {i} but there is no previous row")
                    steps[i] = (None, _repeat(previous[i]))
        return tuple(steps)


def decode_row_body(
    r: Reader,
    columns: Sequence[RowColumn],
    *,
    previous_row: Sequence[object] | None = None,
    bit_vector: bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Row:
    """Read one query row (after the 07 byte); see :class:`RowDecoder` (faster when reused).

    Raises:
        NeedMoreData, DecodeError: as :meth:`RowDecoder.decode`.
        LimitExceededError: more columns than ``limits.max_columns``.
    """
    limits.check("row column count", len(columns), limits.max_columns)
    return RowDecoder(columns).decode(r, previous_row=previous_row, bit_vector=bit_vector)


class RowEncoder:
    """Writes query rows for one describe (server role); build once, call per row."""

    __slots__ = ("columns", "_writers")

    def __init__(self, columns: Sequence[RowColumn]) -> None:
        self.columns = tuple(columns)
        self._writers: tuple[ValueEncoder | None, ...] = tuple(
            column_encoder(c.ora_type, c.csfrm) if is_sent(c) else None for c in self.columns
        )

    def encode(self, w: Writer, values: Sequence[object], *, bit_vector: bytes | None = None) -> None:
        """Write ``07`` and the values (columns not sent or suppressed by ``bit_vector`` left out).

        Raises:
            EncodeError: wrong value count, or a value its column cannot hold.
        """
        if len(values) != len(self._writers):
            raise EncodeError(f"row has {len(values)} values for {len(self._writers)} columns")
        w.ub1(MessageType.ROW_DATA)
        for i, (write, value) in enumerate(zip(self._writers, values)):
            if write is None:
                continue
            if bit_vector is not None and (i >> 3) < len(bit_vector) and not bit_vector[i >> 3] & (1 << (i & 7)):
                continue
            write(w, value)


def encode_row(
    w: Writer, columns: Sequence[RowColumn], values: Sequence[object], *, bit_vector: bytes | None = None
) -> None:
    """Write one query row as ROW_DATA (``07`` + values); see :class:`RowEncoder`.

    Raises:
        EncodeError: as :meth:`RowEncoder.encode`.
    """
    RowEncoder(columns).encode(w, values, bit_vector=bit_vector)


# ----------------------------------------------------------------- IO_VECTOR

_DIRECTIONS: Final = frozenset(int(d) for d in BindDirection)


@dataclass(frozen=True, slots=True, kw_only=True)
class IoVector:
    """IO_VECTOR (11): the direction of every bind of a PL/SQL call (32 IN, 16 OUT, 48 IN/OUT)."""

    directions: tuple[int, ...]
    flag: int = 0
    iterations_this_time: int = 1
    uac_buffer_length: int = 0

    def encode(self, w: Writer) -> None:
        """Write the message, type byte first (both length-prefixed fields empty, as doubles should)."""
        n = len(self.directions)
        # Bind count = iterations * 256 + requests; the [live] reply puts the
        # whole count (2) in the requests field.
        requests, iterations = (n, 0) if n <= 0xFFFF else (n & 0xFF, n >> 8)
        w.ub1(MessageType.IO_VECTOR)
        w.ub1(self.flag)
        w.ub2(requests)
        w.ub4(iterations)
        w.ub4(self.iterations_this_time)
        w.ub2(self.uac_buffer_length)
        w.ub2(0)
        w.ub2(0)
        for direction in self.directions:
            w.ub1(direction)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> IoVector:
        """Read the message after its type byte.

        Raises:
            NeedMoreData: incomplete.
            LimitExceededError: more binds than ``limits.max_binds``.
            DecodeError: a direction other than 16, 32 or 48.
        """
        flag = r.ub1()
        requests = r.ub2()
        iterations = r.ub4()
        num_binds = limits.check("IO vector bind count", iterations * 256 + requests, limits.max_binds)
        this_time = r.ub4()
        uac = r.ub2()
        r.skip(r.ub2())  # bit vector for fast fetch
        r.skip(r.ub2())  # rowid
        directions = tuple(r.ub1() for _ in range(num_binds))
        for i, direction in enumerate(directions):
            if direction not in _DIRECTIONS:
                raise DecodeError(f"IO vector gives bind {i + 1} the unknown direction {direction}")
        return cls(directions=directions, flag=flag, iterations_this_time=this_time, uac_buffer_length=uac)


def out_bind_positions(directions: Sequence[int]) -> tuple[int, ...]:
    """Indices of the binds whose values come back (OUT and IN/OUT)."""
    return tuple(i for i, d in enumerate(directions) if d != BindDirection.INPUT)


# ------------------------------------------------------------ out-bind rows


def _write_bind_value(w: Writer, bind: BindLike, write: ValueEncoder, value: object) -> None:
    if bind.flags & BindFlag.ARRAY:
        if not isinstance(value, (list, tuple)):
            raise EncodeError(f"array bind of {type_name(bind.ora_type, bind.csfrm)} needs a list value")
        w.ub4(len(value))
        for element in value:
            write(w, element)
            w.sb4(0)
        return
    write(w, value)
    w.sb4(0)


def _read_with_indicator(r: Reader, bind: BindLike, read: ReaderDecoder) -> object:
    value = read(r)
    indicator = r.sb4()
    if indicator < 0 and bind.ora_type == OracleType.BOOLEAN:
        return None
    if indicator != 0 and value is not None:
        # python-oracledb raises ERR_COLUMN_TRUNCATED here.
        raise DecodeError(f"out-bind {type_name(bind.ora_type, bind.csfrm)} value truncated (indicator {indicator})")
    return value


def _read_bind_value(r: Reader, bind: BindLike, read: ReaderDecoder, limits: Limits) -> object:
    if bind.flags & BindFlag.ARRAY:
        count = r.ub4()
        limits.check("out-bind array element count", count, min(max(bind.max_array_elements, 1), limits.max_rows))
        return list(r.repeat(count, lambda r: _read_with_indicator(r, bind, read), ("out array", bind, limits)))
    return _read_with_indicator(r, bind, read)


def _select(binds: Sequence[BindLike], directions: Sequence[int] | None) -> list[BindLike]:
    if directions is None:
        return list(binds)
    if len(directions) != len(binds):
        raise DecodeError(f"IO vector has {len(directions)} directions for {len(binds)} binds")
    return [binds[i] for i in out_bind_positions(directions)]


def encode_out_binds(
    w: Writer, binds: Sequence[BindLike], values: Sequence[object], *, directions: Sequence[int] | None = None
) -> None:
    """Write out-bind values as ROW_DATA: ``07`` + per bind value + ``sb4`` 0 (server role).

    ``values`` holds one value per OUT / IN-OUT bind (all of ``binds`` when
    ``directions`` is None); array binds take a list.

    Raises:
        EncodeError: wrong value count or a value its bind cannot hold.
    """
    try:
        selected = _select(binds, directions)
    except DecodeError as exc:
        raise EncodeError(exc.message) from None
    if len(values) != len(selected):
        raise EncodeError(f"{len(values)} out-bind values for {len(selected)} out binds")
    w.ub1(MessageType.ROW_DATA)
    for bind, value in zip(selected, values):
        _write_bind_value(w, bind, bind_encoder(bind.ora_type, bind.csfrm, out=True), value)


def decode_out_binds_body(
    r: Reader,
    binds: Sequence[BindLike],
    directions: Sequence[int] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Row:
    """Read out-bind values (after the 07 byte): one per OUT / IN-OUT bind, in bind order.

    Raises:
        NeedMoreData: incomplete.
        DecodeError: a bad value, a truncation indicator, or directions that
            do not match the binds.
        LimitExceededError: an array larger than the bind allows.
    """
    return tuple(
        _read_bind_value(r, bind, bind_decoder(bind.ora_type, bind.csfrm, out=True), limits)
        for bind in _select(binds, directions)
    )


# ------------------------------------------------------------ DML RETURNING


def encode_returning_row(w: Writer, binds: Sequence[BindLike], values: Sequence[Sequence[object]]) -> None:
    """Write one execution's RETURNING values: ``07``, then per bind ``ub4 n`` + n × (value + ``sb4``).

    Raises:
        EncodeError: the value lists do not match the binds.
    """
    if len(values) != len(binds):
        raise EncodeError(f"{len(values)} RETURNING value lists for {len(binds)} RETURNING binds")
    w.ub1(MessageType.ROW_DATA)
    for bind, rows in zip(binds, values):
        write = bind_encoder(bind.ora_type, bind.csfrm, out=True)
        w.ub4(len(rows))
        for value in rows:
            write(w, value)
            w.sb4(0)


def decode_returning_body(
    r: Reader, binds: Sequence[BindLike], *, limits: Limits = DEFAULT_LIMITS
) -> tuple[Row, ...]:
    """Read one execution's RETURNING values (after the 07 byte): one tuple per RETURNING bind.

    Raises:
        NeedMoreData: incomplete.
        LimitExceededError: a row count above ``limits.max_rows``.
        DecodeError: a bad value.
    """
    out: list[Row] = []
    for bind in binds:
        read = bind_decoder(bind.ora_type, bind.csfrm, out=True)
        count = limits.check("RETURNING row count", r.ub4(), limits.max_rows)
        out.append(r.repeat(count, lambda r: _read_with_indicator(r, bind, read), ("returning", bind, limits)))
    return tuple(out)
