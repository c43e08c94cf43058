"""Fuzz the TTC message decoders: the first byte picks the decoder and the field version.

Low nibble of the first byte: which decoder (describe, describe body, query
rows of a fixed column set, EXECUTE body, REEXECUTE body, IO_VECTOR + out
binds, RETURNING rows, ROW_HEADER / BIT_VECTOR, ERROR, PARAMETER, server
piggyback, AUTH request, PROTOCOL / DATA_TYPES replies); high nibble: the
field version.  Invariants: only ``NeedMoreData`` and ``ProtocolError``
subclasses escape, and when an input decodes, every shorter prefix of the
bytes it consumed raises ``NeedMoreData`` (no decoder guesses at a message
end).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from fuzz._seeds import ttc_payloads
from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import NeedMoreData, ProtocolError
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import BindFlag, FunctionCode, MessageType
from oracle_sansio.ttc.messages.auth import AuthRequest
from oracle_sansio.ttc.messages.binds import BindMetadata, bind_metadata_for_values
from oracle_sansio.ttc.messages.describe import ColumnMetadata, DescribeInfo, column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest, ReexecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.negotiate import DataTypesResponse, ProtocolResponse
from oracle_sansio.ttc.messages.rows import (
    BitVector,
    IoVector,
    RowDecoder,
    RowHeader,
    decode_out_binds_body,
    decode_returning_body,
    encode_returning_row,
    encode_row,
)
from oracle_sansio.ttc.messages.status import ErrorInfo, ReturnParameters, ServerPiggyback
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

#: A column of every supported type, a null-by-describe one and a LOB (its reader raises).
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


def _negotiation(r: Reader, fv: int) -> object:
    if r.peek_ub1() == MessageType.DATA_TYPES:
        return DataTypesResponse.decode(r)
    return ProtocolResponse.decode(r, limits=_LIMITS)


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
    return [
        (2, rows.getvalue()),
        (1, describe.getvalue()),
        (3, execute.getvalue()),
        (4, reexecute.getvalue()),
        # PROTOCOL-TTC.md 4.8 [live] IO_VECTOR and its out-bind row.
        (5, bytes.fromhex("00 01 02 00 01 01 00 00 00 10 20 07 02 C1 2B 00")),
        (6, returning.getvalue()[1:]),
        (7, _body(lambda w: ErrorInfo(number=1403, cursor_id=1, message="ORA-01403: no data found").encode(
            w, field_version=24))),
        (8, _body(ReturnParameters(al8o4=(1, 2), keywords=((None, b"\x80", 163),)).encode)),
        (9, _body(ServerPiggyback(opcode=5, keywords=((b"SCHEMA", None, 168),)).encode)),
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
    return out + _constructed()


def seeds() -> list[bytes]:
    """Captured and constructed messages, each under the field version it was made for."""
    return [bytes((index,)) + body for index, body in _seed_messages()]


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
