"""Fuzz the TTC message decoders: the first byte picks the decoder and the field version.

Low nibble of the first byte: which decoder (describe, describe body, query
rows of a fixed column set, EXECUTE body, REEXECUTE body, IO_VECTOR + out
binds, RETURNING rows, ROW_HEADER / BIT_VECTOR, ERROR, PARAMETER, server
piggyback, AUTH request, PROTOCOL / DATA_TYPES replies, LOB_OP request, LOB_OP
reply (LOB_DATA + PARAMETER), one row of LOB values, DATA_TYPES request); high nibble: the field
version.  Invariants: only ``NeedMoreData`` and ``ProtocolError``
subclasses escape, and when an input decodes, every shorter prefix of the
bytes it consumed raises ``NeedMoreData`` (no decoder guesses at a message
end).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from fuzz._seeds import data_types_vectors, ttc_payloads
from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import NeedMoreData, ProtocolError, UnexpectedMessageError
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import BindFlag, FunctionCode, MessageType
from oracle_sansio.ttc.messages.auth import AuthRequest
from oracle_sansio.ttc.messages.binds import BindMetadata, BindRows, bind_metadata_for_values, lob_bind_metadata
from oracle_sansio.ttc.messages.describe import ColumnMetadata, DescribeInfo, column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.lob import (
    LobOpRequest,
    LobOpResult,
    LobValue,
    decode_lob_data_body,
    encode_lob_data,
    make_locator,
)
from oracle_sansio.ttc.messages.negotiate import DataTypesRequest, DataTypesResponse, ProtocolResponse
from oracle_sansio.ttc.messages.rows import (
    BitVector,
    IoVector,
    RowDecoder,
    RowHeader,
    decode_out_binds_body,
    decode_returning_body,
    encode_returning_row,
    encode_out_binds,
    encode_row,
)
from oracle_sansio.ttc.messages.status import ErrorInfo, ReturnParameters, ServerPiggyback
from oracle_sansio.ttc.messages.values import bind_decoder
from oracle_sansio.ttc.wire import Reader, Writer

_LIMITS: Final = Limits(
    max_chunk_size=4096,
    max_chunk_count=64,
    max_bytes_length=16_384,
    max_kv_pairs=16,
    max_columns=64,
    max_binds=64,
    max_rows=64,
)
_FIELD_VERSIONS: Final = (24, 8, 17, 20, 7, 9, 18, 12)

#: A column of every supported type and a null-by-describe one.
COLUMNS: Final[tuple[ColumnMetadata, ...]] = tuple(
    [
        column_for(f"C{i}", t, csfrm=c, max_size=50)
        for i, (t, c) in enumerate(
            [
                (OracleType.VARCHAR, 1), (OracleType.VARCHAR, 2), (OracleType.CHAR, 1), (OracleType.NUMBER, 0),
                (OracleType.BINARY_INTEGER, 0), (OracleType.DATE, 0), (OracleType.TIMESTAMP, 0),
                (OracleType.TIMESTAMP_TZ, 0), (OracleType.TIMESTAMP_LTZ, 0), (OracleType.INTERVAL_DS, 0),
                (OracleType.INTERVAL_YM, 0), (OracleType.BINARY_FLOAT, 0), (OracleType.BINARY_DOUBLE, 0),
                (OracleType.RAW, 0), (OracleType.LONG, 1), (OracleType.LONG_RAW, 0), (OracleType.ROWID, 0),
                (OracleType.UROWID, 0), (OracleType.BOOLEAN, 0),
            ]
        )
    ]
    + [column_for("NULLED", OracleType.VARCHAR, max_size=5, buffer_size=0)]
)
_ROWS: Final = RowDecoder(COLUMNS)
_LOB_ROWS: Final = RowDecoder([column_for("L", OracleType.CLOB), column_for("N", OracleType.NUMBER)])
#: LOB columns of every kind (CLOB, NCLOB, BLOB, BFILE) for the LOB value decoder.
LOB_COLUMNS: Final[tuple[ColumnMetadata, ...]] = (
    ColumnMetadata(name="C", ora_type=OracleType.CLOB, csfrm=1, buffer_size=4000, charset_id=873),
    ColumnMetadata(name="N", ora_type=OracleType.CLOB, csfrm=2, buffer_size=4000, charset_id=2000),
    ColumnMetadata(name="B", ora_type=OracleType.BLOB, buffer_size=4000),
    ColumnMetadata(name="F", ora_type=OracleType.BFILE, buffer_size=530),
)
_LOB_COLUMN_ROWS: Final = RowDecoder(LOB_COLUMNS)
#: LOB binds for bind rows (server role) and out binds (client role).
LOB_BINDS: Final[tuple[BindMetadata, ...]] = (
    lob_bind_metadata(OracleType.CLOB),
    lob_bind_metadata(OracleType.CLOB, 2),
    lob_bind_metadata(OracleType.BLOB),
    lob_bind_metadata(OracleType.BFILE),
)
_LOB_BIND_ROWS: Final = BindRows(LOB_BINDS, is_plsql=False, max_string_size=4000)
_LOCATOR: Final = make_locator(1, ora_type=OracleType.CLOB, csfrm=1, temporary=False, utf16=True)
#: The requests a LOB_OP reply may answer (picked by the field-version nibble).
LOB_REQUESTS: Final[tuple[LobOpRequest, ...]] = (
    LobOpRequest.read(_LOCATOR, 1, 5),
    LobOpRequest.create_temp(OracleType.CLOB, 1, 873),
    LobOpRequest.is_open(_LOCATOR),
    LobOpRequest.close(_LOCATOR),
    LobOpRequest.get_length(_LOCATOR),
)
#: Binds for re-execute, out-bind and RETURNING decoding: a mix of bind-form types and an array.
BINDS: Final[tuple[BindMetadata, ...]] = (
    bind_metadata_for_values([1]),
    bind_metadata_for_values(["text"]),
    bind_metadata_for_values([b"raw"]),
    bind_metadata_for_values([True]),
    BindMetadata(ora_type=OracleType.ROWID, csfrm=1, buffer_size=5267),
    BindMetadata(ora_type=OracleType.NUMBER, buffer_size=22, flags=BindFlag.USE_INDICATORS | BindFlag.ARRAY,
                 max_array_elements=4),
)


def _rows(r: Reader, fv: int) -> object:
    previous: tuple[object, ...] | None = None
    bits: bytes | None = None
    out: list[object] = []
    while not r.at_end() and len(out) < 100:
        mtype = r.ub1()
        if mtype == MessageType.ROW_DATA:
            previous = _ROWS.decode(r, previous_row=previous, bit_vector=bits)
            bits = None
            out.append(previous)
        elif mtype == MessageType.BIT_VECTOR:
            bits = BitVector.decode_body(r, num_columns=len(COLUMNS)).bits
        elif mtype == MessageType.ROW_HEADER:
            bits = RowHeader.decode_body(r, limits=_LIMITS).bit_vector
        else:
            out.append(_LOB_ROWS.decode(r))
    return out


def _execute(r: Reader, fv: int) -> object:
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    return ExecuteRequest.decode_body(
        r,
        header,
        field_version=fv,
        max_string_size=4000 if fv & 1 else 32767,
        limits=_LIMITS,
        returning=lambda sql, cursor_id: [2] if sql and "returning" in sql else [],
    )


def _reexecute(r: Reader, fv: int) -> object:
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    return ReexecuteRequest.decode_body(
        r, header, binds=BINDS[: 1 + fv % len(BINDS)], max_string_size=4000, is_plsql=bool(fv & 1), limits=_LIMITS
    )


def _io_vector(r: Reader, fv: int) -> object:
    vector = IoVector.decode_body(r, limits=_LIMITS)
    binds = (BINDS * 11)[: len(vector.directions)]
    if r.ub1() != MessageType.ROW_DATA:
        return vector
    return decode_out_binds_body(r, binds, vector.directions, limits=_LIMITS)


def _auth(r: Reader, fv: int) -> object:
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    return AuthRequest.decode_body(r, header, limits=_LIMITS)


def _lob_op(r: Reader, fv: int) -> object:
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    return LobOpRequest.decode_body(r, header, limits=_LIMITS)


def _lob_reply(r: Reader, fv: int) -> object:
    # READ replies send LOB_DATA before the PARAMETER; the PARAMETER ends the decode.
    request = LOB_REQUESTS[_FIELD_VERSIONS.index(fv) % len(LOB_REQUESTS)]
    data = None
    mtype = r.ub1()
    if mtype == MessageType.LOB_DATA:
        data = decode_lob_data_body(r)
        mtype = r.ub1()
    if mtype != MessageType.PARAMETER:
        raise UnexpectedMessageError(f"TTC message {mtype} in a LOB_OP reply")
    return data, LobOpResult.decode_parameter_body(r, request)


def _lob_values(r: Reader, fv: int) -> object:
    # fv picks the form: a query row (column form), an out-bind row, or a bind row.
    if fv & 1:
        return _LOB_COLUMN_ROWS.decode(r)
    if fv & 2:
        return tuple((bind_decoder(b.ora_type, b.csfrm, out=True)(r), r.sb4()) for b in LOB_BINDS)
    return _LOB_BIND_ROWS.decode_body(r, limits=_LIMITS)


def _negotiation(r: Reader, fv: int) -> object:
    if r.peek_ub1() == MessageType.DATA_TYPES:
        # The field version's index picks the reply layout a request asked for.
        pick = _FIELD_VERSIONS.index(fv)
        return DataTypesResponse.decode(r, timezone=bool(pick & 1), tz_version=bool(pick & 2), ub2=not pick & 4)
    return ProtocolResponse.decode(r, limits=_LIMITS)


def _data_types_request(r: Reader, fv: int) -> object:
    # Without the packet-end rule, so every prefix must stay incomplete.
    return DataTypesRequest.decode(r, server_tz_version=bool(_FIELD_VERSIONS.index(fv) & 1))


DECODERS: Final[tuple[Callable[[Reader, int], object], ...]] = (
    lambda r, fv: DescribeInfo.decode_body(r, field_version=fv, limits=_LIMITS),
    lambda r, fv: DescribeInfo.decode_body(r, field_version=fv, limits=_LIMITS, with_prefix=False),
    _rows,
    _execute,
    _reexecute,
    _io_vector,
    lambda r, fv: decode_returning_body(r, BINDS[:5], limits=_LIMITS),
    lambda r, fv: ErrorInfo.decode_body(r, field_version=fv, limits=_LIMITS),
    lambda r, fv: ReturnParameters.decode_body(r, dml_row_counts=bool(fv & 1), limits=_LIMITS),
    lambda r, fv: ServerPiggyback.decode_body(r, limits=_LIMITS),
    _auth,
    _negotiation,
    _lob_op,
    _lob_reply,
    _lob_values,
    _data_types_request,
)


def _decode(index: int, fv: int, data: bytes) -> int | None:
    """Bytes consumed, or None when the decoder stopped (short input or ProtocolError)."""
    r = Reader(data, limits=_LIMITS)
    try:
        DECODERS[index](r, fv)
    except (NeedMoreData, ProtocolError):
        return None
    return r.pos


def one_input(data: bytes) -> None:
    """Decode ``data[1:]`` with the decoder and field version picked by ``data[0]``."""
    if not data:
        return
    index = (data[0] & 0x0F) % len(DECODERS)
    fv = _FIELD_VERSIONS[(data[0] >> 4) % len(_FIELD_VERSIONS)]
    body = data[1:4097]
    used = _decode(index, fv, body)
    if used is None or index == 2:  # a row stream stops at the end of the input by design
        return
    for cut in {used // 2, used - 1, used // 3}:
        if 0 <= cut < used:
            r = Reader(body[:cut], limits=_LIMITS)
            try:
                DECODERS[index](r, fv)
            except NeedMoreData:
                continue
            except ProtocolError:
                # Limits are checked as soon as a count is read, so a prefix may fail first.
                continue
            raise AssertionError(f"decoder {index} (fv {fv}) accepted a {cut}-byte prefix of a {used}-byte message")


def _body(write: Callable[[Writer], None]) -> bytes:
    """What ``write`` writes, without its message-type byte."""
    w = Writer()
    write(w)
    return w.getvalue()[1:]


def _constructed() -> list[tuple[int, bytes]]:
    # Values for every column of COLUMNS (the last one is null by describe).
    values: tuple[object, ...] = (
        "héllo", "ñ", "c", -12345, 7, datetime(2024, 3, 15, 13, 45, 30),
        None, None, None, None, None, 1.5, 2.5, b"\x01", "long", b"\x02", "AAASNFAAEAAABI0AAF",
        "AAASNFAAEAAABI0AAF", True, None,
    )
    rows = Writer()
    encode_row(rows, COLUMNS, values)
    # The second row only changes column 1, so only column 1 is sent.
    vector = BitVector.from_present([i == 1 for i in range(len(COLUMNS))])
    vector.encode(rows)
    encode_row(rows, COLUMNS, (values[0], "other") + values[2:], bit_vector=vector.bits)
    RowHeader(num_iterations=2, bit_vector=vector.bits).encode(rows)
    encode_row(rows, COLUMNS, values, bit_vector=vector.bits)
    describe = Writer()
    DescribeInfo(columns=COLUMNS[:3], max_row_size=9).encode_body(describe, field_version=24, with_prefix=False)
    execute = Writer()
    ExecuteRequest.for_dml(
        "insert into t values (:1, :2) returning id into :3",
        binds=[BINDS[0], BINDS[1], BINDS[0]],
        rows=[(1, "a"), (None, "b" * 300)],
        returning=[2],
    ).encode(execute, seq=1, token=0, field_version=24, max_string_size=4000)
    reexecute = Writer()
    ReexecuteRequest.for_dml(3, rows=[(5,), (None,)]).encode(reexecute, seq=2, token=0, binds=BINDS[:1],
                                                            max_string_size=4000)
    returning = Writer()
    encode_returning_row(returning, BINDS[:5], ([1, 2], ["x"], [b"y"], [False, None], ["AAASNFAAEAAABI0AAF"]))
    lob_ops = []
    for request in (*LOB_REQUESTS, LobOpRequest.write(_LOCATOR, 1, b"data"), LobOpRequest.free_temp([_LOCATOR] * 2)):
        w = Writer()
        request.encode(w, seq=3, token=0, piggyback=request.is_array)
        lob_ops.append((12, w.getvalue()))
    read_reply = Writer()
    encode_lob_data(read_reply, b"hello")
    LobOpResult(locator=_LOCATOR, amount=5).encode(read_reply, LOB_REQUESTS[0])
    temp_reply = Writer()
    LobOpResult(locator=_LOCATOR, charset_id=873).encode(temp_reply, LOB_REQUESTS[1])
    lob = LobValue(locator=_LOCATOR, size=11, chunk_size=8132)
    lob_row, lob_binds, lob_out = Writer(), Writer(), Writer()
    encode_row(lob_row, LOB_COLUMNS, (lob, None, lob, LobValue(locator=_LOCATOR + b"dir")))
    _LOB_BIND_ROWS.encode(lob_binds, (lob, None, _LOCATOR, lob))
    encode_out_binds(lob_out, LOB_BINDS, (lob, lob, None, lob))
    return [
        (2, rows.getvalue()),
        (1, describe.getvalue()),
        (3, execute.getvalue()),
        (4, reexecute.getvalue()),
        # docs/protocol-ttc.md 4.8 [live] IO_VECTOR and its out-bind row.
        (5, bytes.fromhex("00 01 02 00 01 01 00 00 00 10 20 07 02 C1 2B 00")),
        (6, returning.getvalue()[1:]),
        (7, _body(lambda w: ErrorInfo(number=1403, cursor_id=1, message="ORA-01403: no data found").encode(
            w, field_version=24))),
        (8, _body(ReturnParameters(al8o4=(1, 2), keywords=((None, b"\x80", 163),)).encode)),
        (9, _body(ServerPiggyback(opcode=5, keywords=((b"SCHEMA", None, 168),)).encode)),
        *lob_ops,
        # high nibble 0: the READ request; 1: CREATE_TEMP.
        (13, read_reply.getvalue()),
        (0x10 | 13, temp_reply.getvalue()),
        # field version 9 (odd): a query row; 18: out binds; 24: a bind row.
        (0x50 | 14, lob_row.getvalue()[1:]),
        (0x60 | 14, lob_out.getvalue()[1:]),
        (14, lob_binds.getvalue()[1:]),
    ]


def _seed_messages() -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for payload in ttc_payloads():
        if payload[:1] == bytes([MessageType.DESCRIBE_INFO]):
            out.append((0, payload[1:]))
        if payload[:2] == bytes([MessageType.FUNCTION, FunctionCode.EXECUTE]):
            out.append((3, payload))
        if payload[:2] == bytes([MessageType.FUNCTION, FunctionCode.AUTH_PHASE_ONE]):
            out.append((10, payload))
        if payload[:1] in (bytes([MessageType.PROTOCOL]), bytes([MessageType.DATA_TYPES])):
            out.append((11, payload))
        if payload[:1] == bytes([MessageType.DATA_TYPES]):
            out += [(15, payload), (0x10 | 15, payload)]
    # OCI / sqlplus DATA_TYPES exchanges, whole (one spans two packets), under
    # the high nibble whose layout they use (see _negotiation).
    for (role, _), (data, server_tz) in data_types_vectors().items():
        if role == "request":
            out.append(((0x10 if server_tz else 0) | 15, data))
        else:
            out += [(0x30 | 11, data), (0x10 | 11, data), (11, data)]
    return out + _constructed()


def seeds() -> list[bytes]:
    """Captured and constructed messages, each under the field version it was made for."""
    return [bytes((index,)) + body for index, body in _seed_messages()]


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
