"""ROW_HEADER, BIT_VECTOR, ROW_DATA (query rows, out binds, RETURNING) and IO_VECTOR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import IntervalYM, OracleType, Rowid
from oracle_sansio.errors import DecodeError, EncodeError, LimitExceededError, NeedMoreData
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import BindFlag, MessageType
from oracle_sansio.ttc.messages.binds import BindMetadata
from oracle_sansio.ttc.messages.describe import ColumnMetadata, DescribeInfo, column_for
from oracle_sansio.ttc.messages.rows import (
    BitVector,
    IoVector,
    RowDecoder,
    RowEncoder,
    RowHeader,
    decode_out_binds_body,
    decode_returning_body,
    decode_row_body,
    encode_out_binds,
    encode_returning_row,
    encode_row,
    out_bind_positions,
)
from oracle_sansio.ttc.messages.status import ErrorInfo, ReturnParameters
from oracle_sansio.ttc.messages.values import decode_value, encode_value
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_oracle_nio_23ai

NIO = load_oracle_nio_23ai()
T = OracleType


def col(ora_type: int, *, csfrm: int | None = None, buffer_size: int | None = None) -> ColumnMetadata:
    return column_for("C", ora_type, csfrm=csfrm, max_size=100, buffer_size=buffer_size)


def walk_reply(name: str) -> list[tuple[int, object, bytes]]:
    """Decode a captured 23ai query reply message by message: (type, decoded, raw bytes)."""
    body = NIO[name][10:]
    r = Reader(body)
    out: list[tuple[int, object, bytes]] = []
    decoder: RowDecoder | None = None
    while not r.at_end():
        start = r.pos
        mtype = r.ub1()
        item: object
        if mtype == MessageType.DESCRIBE_INFO:
            item = DescribeInfo.decode_body(r, field_version=24)
            decoder = RowDecoder(item.columns)
        elif mtype == MessageType.ROW_HEADER:
            item = RowHeader.decode_body(r)
        elif mtype == MessageType.ROW_DATA:
            assert decoder is not None
            item = decoder.decode(r)
        elif mtype == MessageType.PARAMETER:
            item = ReturnParameters.decode_body(r)
        elif mtype == MessageType.ERROR:
            item = ErrorInfo.decode_body(r, field_version=24)
        else:
            assert mtype == MessageType.END_OF_RESPONSE
            item = None
        out.append((mtype, item, body[start : r.pos]))
    return out


# ------------------------------------------------------------ real captures


def test_real_select_one_rows() -> None:
    # oracle-nio SelectOneFromDualMessage.swift (real 23ai): ROW_HEADER then 'hello' (docs/protocol-ttc.md 4.14).
    msgs = walk_reply("SelectOneFromDualMessage")
    assert [m[0] for m in msgs] == [16, 6, 7, 8, 4, 29]
    describe = msgs[0][1]
    assert isinstance(describe, DescribeInfo)
    header, row = msgs[1], msgs[2]
    assert header[1] == RowHeader(flags=0x22, num_requests=1, iteration=0, num_iterations=2)
    w = Writer()
    RowHeader(flags=0x22, num_requests=1, num_iterations=2).encode(w)
    assert w.getvalue() == header[2] == bytes.fromhex("06 22 01 01 00 01 02 00 00 00")
    assert row[1] == ("hello",)
    w = Writer()
    encode_row(w, describe.columns, ("hello",))
    assert w.getvalue() == row[2] == bytes.fromhex("07 05 68 65 6C 6C 6F")


def test_real_select_many_rows() -> None:
    # oracle-nio SelectManyFromDualMessage.swift (real 23ai): NUMBER rows 1 and 2, ERROR 0 with row count 2.
    msgs = walk_reply("SelectManyFromDualMessage")
    assert [m[0] for m in msgs] == [16, 6, 7, 7, 8, 4, 29]
    describe = msgs[0][1]
    assert isinstance(describe, DescribeInfo)
    assert [m[1] for m in msgs if m[0] == 7] == [(1,), (2,)]
    encoder = RowEncoder(describe.columns)
    for value, (_, _, raw) in zip((1, 2), (m for m in msgs if m[0] == 7)):
        w = Writer()
        encoder.encode(w, (value,))
        assert w.getvalue() == raw
    error = msgs[5][1]
    assert isinstance(error, ErrorInfo) and (error.number, error.row_count, error.cursor_id) == (0, 2, 1)


def test_row_truncations_need_more_data() -> None:
    cols = [col(T.VARCHAR), col(T.NUMBER), col(T.LONG), col(T.ROWID), col(T.UROWID), col(T.DATE)]
    values = ("x" * 300, Decimal("-123.45"), "long text", "AAASNFAAEAAABI0AAF", "AAASNFAAEAAABI0AAF", None)
    w = Writer()
    encode_row(w, cols, values)
    data = w.getvalue()[1:]
    assert decode_row_body(Reader(data), cols) == values
    for cut in range(len(data)):
        with pytest.raises(NeedMoreData):
            decode_row_body(Reader(data[:cut]), cols)
        with pytest.raises(NeedMoreData):
            decode_row_body(Reader(bytearray(data[:cut])), cols)


# ------------------------------------------------------------ bit vectors


def test_bit_vector_live_vector() -> None:
    # docs/protocol-ttc.md 4.4 [live]: `15 01 03 19` then `07 <col0> <col3> <col4>`;
    # columns 1 and 2 repeat the previous row.
    cols = [col(T.NUMBER)] * 5
    previous = (1, "a", "b", 4, 5)
    w = Writer()
    w.raw(bytes.fromhex("15 01 03 19"))
    encode_row(w, cols, (2, 0, 0, 7, 8), bit_vector=bytes([0x19]))
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.BIT_VECTOR
    vector = BitVector.decode_body(r, num_columns=5)
    assert vector == BitVector(num_columns_sent=3, bits=b"\x19")
    assert [vector.is_present(i) for i in range(5)] == [True, False, False, True, True]
    assert r.ub1() == MessageType.ROW_DATA
    row = RowDecoder(cols).decode(r, previous_row=previous, bit_vector=vector.bits)
    assert row == (2, "a", "b", 7, 8)
    assert r.at_end()
    w = Writer()
    BitVector.from_present([True, False, False, True, True]).encode(w)
    assert w.getvalue() == bytes.fromhex("15 01 03 19")


def test_bit_vector_for_rows_and_row_header() -> None:
    previous = (1, 2, 3, 4, 5, 6, 7, 8, 9)
    row = (1, 0, 3, 0, 5, 6, 7, 8, 0)
    vector = BitVector.for_rows(previous, row)
    # Only the changed columns 1, 3 and 8 are sent.
    assert vector is not None and vector.bits == bytes([0b00001010, 0b1]) and vector.num_columns_sent == 3
    assert BitVector.for_rows(previous, (0,) * 9) is None
    # ROW_HEADER can carry the vector too (base.pyx _process_row_header).
    header = RowHeader(num_iterations=3, bit_vector=vector.bits, rxhrid=b"\x01\x02")
    w = Writer()
    header.encode(w)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.ROW_HEADER
    assert RowHeader.decode_body(r) == header
    cols = [col(T.NUMBER)] * 9
    w = Writer()
    encode_row(w, cols, row, bit_vector=vector.bits)
    r = Reader(w.getvalue()[1:])
    assert RowDecoder(cols).decode(r, previous_row=previous, bit_vector=vector.bits) == row
    assert r.at_end()


def test_bit_vector_without_previous_row() -> None:
    with pytest.raises(DecodeError, match="no previous row"):
        RowDecoder([col(T.NUMBER)]).decode(Reader(b""), bit_vector=b"\x00")


def test_row_header_bit_vector_limit() -> None:
    w = Writer()
    RowHeader(bit_vector=bytes(10)).encode(w)
    with pytest.raises(LimitExceededError, match="row header bit vector length"):
        RowHeader.decode_body(Reader(w.getvalue()[1:]), limits=Limits(max_columns=8))


# ------------------------------------------------------------ value vectors

# (column, value, column-form bytes).  Provenance: docs/protocol-ttc.md section 6.
VECTORS: list[tuple[ColumnMetadata, object, str]] = [
    (col(T.VARCHAR), "héllo", "06 68 C3 A9 6C 6C 6F"),  # 3.4 [live]
    (col(T.VARCHAR, csfrm=2), "héllo", "0A 00 68 00 E9 00 6C 00 6C 00 6F"),  # 6.2 [live] NCHAR fetch
    (col(T.CHAR), "hello", "05 68 65 6C 6C 6F"),  # 4.14 real 23ai
    (col(T.NUMBER), 42, "02 C1 2B"),  # 6.3 [live]
    (col(T.NUMBER), Decimal("-123.45"), "05 3D 64 4E 38 66"),  # 6.3 [live]
    (col(T.BINARY_INTEGER), 1, "02 C1 02"),  # 6.4: encoded like NUMBER
    (col(T.DATE), dt.datetime(2024, 3, 15, 13, 45, 30), "07 78 7C 03 0F 0E 2E 1F"),  # 6.6 [live]
    (col(T.TIMESTAMP), dt.datetime(2024, 3, 15, 13, 45, 30, 123456), "0B 78 7C 03 0F 0E 2E 1F 07 5B CA 00"),  # 6.7
    (col(T.TIMESTAMP_LTZ), dt.datetime(2024, 3, 15, 13, 45, 30, 123456), "0B 78 7C 03 0F 0E 2E 1F 07 5B CA 00"),
    (col(T.INTERVAL_DS), dt.timedelta(days=1, seconds=7384, microseconds=500000), "0B 80 00 00 01 3E 3F 40 9D CD 65 00"),
    (col(T.INTERVAL_YM), IntervalYM(2, 3), "05 80 00 00 02 3F"),  # 6.8 [live]
    (col(T.BINARY_DOUBLE), 1.0, "08 BF F0 00 00 00 00 00 00"),  # 6.5 [live]
    (col(T.BINARY_FLOAT), 1.5, "04 BF C0 00 00"),  # 6.5 [live]
    (col(T.RAW), b"\x01\x02", "02 01 02"),  # 3.4 [live]
    (col(T.BOOLEAN), True, "02 01 01"),  # 6.11
    (col(T.BOOLEAN), False, "01 00"),  # 6.11
    (col(T.LONG), "abc", "03 61 62 63 00 00"),  # 6.12: CLR, sb4 indicator, ub4 return code
    (col(T.LONG_RAW), b"\xff", "01 FF 00 00"),  # 6.12
    (col(T.ROWID), "AAASNFAAEAAABI0AAF", "01 04 00 01 23 45 01 04 00 02 12 34 01 05"),  # 6.10 [live] fields
    (col(T.VARCHAR), None, "00"),  # 2.3
    (col(T.BOOLEAN), None, "00"),
    (col(T.ROWID), None, "00"),
]


@pytest.mark.parametrize(("column", "value", "hexed"), VECTORS)
def test_column_value_vectors(column: ColumnMetadata, value: object, hexed: str) -> None:
    wire = bytes.fromhex(hexed)
    w = Writer()
    encode_value(w, column, value)
    assert w.getvalue() == wire
    r = Reader(wire)
    assert decode_value(r, column) == value
    assert r.at_end()
    assert decode_row_body(Reader(wire), [column]) == (value,)


def test_timestamp_tz_fetch() -> None:
    # docs/protocol-ttc.md 6.7 [live]: UTC fields + offset, decoded to a naive local datetime.
    data = bytes.fromhex("0D 78 7C 03 0F 0C 2E 1F 1D CD 65 00 16 3C")
    assert decode_value(Reader(data), col(T.TIMESTAMP_TZ)) == dt.datetime(2024, 3, 15, 13, 45, 30, 500000)


def test_rowid_edge_cases() -> None:
    # 0 or 255 length byte means NULL; all-zero fields are None (python-oracledb utils.pyx _encode_rowid).
    assert decode_value(Reader(b"\xff"), col(T.ROWID)) is None
    assert decode_value(Reader(bytes.fromhex("01 00 00 00 00 00")), col(T.ROWID)) is None
    with pytest.raises(EncodeError):
        encode_value(Writer(), col(T.ROWID), "short")


def test_urowid_forms() -> None:
    # 6.10: presence CLR, then body CLR; physical body -> 18 characters.
    body = Rowid(0x12345, 4, 0x1234, 5).to_urowid_body()
    w = Writer()
    w.clr(b"\x00\x0d")
    w.clr(body)
    assert decode_value(Reader(w.getvalue()), col(T.UROWID)) == "AAASNFAAEAAABI0AAF"
    assert decode_value(Reader(b"\x00"), col(T.UROWID)) is None
    with pytest.raises(DecodeError, match="no body"):
        decode_value(Reader(b"\x01\x01\x00"), col(T.UROWID))
    # Out binds carry the text instead (base.pyx read_str).
    w = Writer()
    encode_value(w, col(T.UROWID), "*AQID", fetched=False)
    assert w.getvalue() == b"\x05*AQID"
    assert decode_value(Reader(w.getvalue()), col(T.UROWID), fetched=False) == "*AQID"


def test_null_by_describe_and_long_exception() -> None:
    # 4.1: buffer size 0 -> not sent, None; LONG, LONG RAW and UROWID are still sent.
    cols = [col(T.VARCHAR, buffer_size=0), col(T.LONG, buffer_size=0), col(T.NUMBER)]
    w = Writer()
    encode_row(w, cols, ("ignored", "x", 5))
    assert w.getvalue() == bytes.fromhex("07 01 78 00 00 02 C1 06")
    assert decode_row_body(Reader(w.getvalue()[1:]), cols) == (None, "x", 5)


def test_long_value_chunked() -> None:
    # 2.3 [live]: long values use FE + ub4 chunks + 00.
    text = "é" * 20000
    cols = [col(T.LONG), col(T.VARCHAR)]
    w = Writer()
    encode_row(w, cols, (text, "y" * 400))
    data = w.getvalue()
    assert data[1] == 0xFE
    assert decode_row_body(Reader(data[1:]), cols) == (text, "y" * 400)


def test_boolean_bind_forms() -> None:
    # 6.11 [live]: bind NULL is FD 01; out binds may send 02 81 01 + a negative indicator for NULL.
    b = BindMetadata(ora_type=T.BOOLEAN, buffer_size=4)
    w = Writer()
    encode_value(w, b, None, fetched=False)
    assert w.getvalue() == b"\xfd\x01"
    data = bytes.fromhex("07 02 81 01 81 01")
    r = Reader(data)
    assert r.ub1() == MessageType.ROW_DATA
    assert decode_out_binds_body(r, [b]) == (None,)


@pytest.mark.parametrize(
    ("ora_type", "family"),
    [(T.JSON, "JSON"), (T.VECTOR, "VECTOR"), (T.OBJECT, "object")],  # LOBs: test_messages_lob_values.py
)
def test_unsupported_types_named(ora_type: int, family: str) -> None:
    column = col(ora_type, buffer_size=4000)
    decoder = RowDecoder([column])  # building one for a describe with LOBs must work
    with pytest.raises(DecodeError, match=f"{family} columns are not supported yet"):
        decoder.decode(Reader(b"\x01\x00"))
    with pytest.raises(EncodeError, match=f"{family} columns are not supported yet"):
        encode_row(Writer(), [column], ("x",))
    with pytest.raises(EncodeError, match=f"{family} binds are not supported yet"):
        encode_value(Writer(), BindMetadata(ora_type=ora_type), "x", fetched=False)
    # A null-by-describe LOB column is fine.
    assert RowDecoder([col(ora_type, buffer_size=0)]).decode(Reader(b"")) == (None,)


def test_unknown_type_named() -> None:
    with pytest.raises(DecodeError, match="unknown Oracle data type number 250"):
        decode_row_body(Reader(b"\x01\x00"), [ColumnMetadata(ora_type=250, buffer_size=1)])


def test_bad_value_type() -> None:
    with pytest.raises(EncodeError, match="cannot bind a value of type str as NUMBER"):
        encode_value(Writer(), col(T.NUMBER), "seven")
    with pytest.raises(EncodeError, match="row has 1 values for 2 columns"):
        encode_row(Writer(), [col(T.NUMBER)] * 2, (1,))


# ------------------------------------------------------------ round trips of every type

_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=300)
_datetimes = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59))
_rowids = st.builds(
    Rowid, st.integers(0, 2**32 - 1), st.integers(0, 2**16 - 1), st.integers(1, 2**32 - 1), st.integers(0, 2**16 - 1)
).map(str)

STRATEGIES: dict[tuple[int, int], st.SearchStrategy[object]] = {
    (T.VARCHAR, 1): _text,
    (T.VARCHAR, 2): _text,
    (T.CHAR, 1): _text,
    (T.CHAR, 2): _text,
    (T.LONG, 1): _text,
    (T.NUMBER, 0): st.integers(-(10**38), 10**38) | st.decimals(allow_nan=False, allow_infinity=False, places=6)
    .filter(lambda d: abs(d) < 10**30),
    (T.BINARY_INTEGER, 0): st.integers(-(2**31), 2**31 - 1),
    (T.DATE, 0): _datetimes.map(lambda d: d.replace(microsecond=0)),
    (T.TIMESTAMP, 0): _datetimes,
    (T.TIMESTAMP_LTZ, 0): _datetimes,
    (T.TIMESTAMP_TZ, 0): _datetimes,
    (T.INTERVAL_DS, 0): st.timedeltas(min_value=dt.timedelta(days=-(10**8)), max_value=dt.timedelta(days=10**8)),
    (T.INTERVAL_YM, 0): st.builds(IntervalYM, st.integers(-(10**8), 10**8), st.integers(-11, 11)),
    (T.BINARY_FLOAT, 0): st.floats(width=32, allow_nan=False),
    (T.BINARY_DOUBLE, 0): st.floats(allow_nan=False),
    (T.RAW, 0): st.binary(min_size=1, max_size=300),
    (T.LONG_RAW, 0): st.binary(min_size=1, max_size=300),
    (T.ROWID, 0): _rowids,
    (T.UROWID, 0): _rowids,
    (T.BOOLEAN, 0): st.booleans(),
}
KINDS = sorted(STRATEGIES)


@st.composite
def typed_rows(draw: st.DrawFn) -> tuple[list[ColumnMetadata], tuple[object, ...]]:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    cols = [col(t, csfrm=c if c else None) for t, c in kinds]
    values = tuple(draw(st.none() | STRATEGIES[k]) for k in kinds)
    return cols, values


@settings(max_examples=300, deadline=None)
@given(typed_rows())
def test_rows_of_every_type_round_trip(case: tuple[list[ColumnMetadata], tuple[object, ...]]) -> None:
    cols, values = case
    w = Writer()
    encode_row(w, cols, values)
    data = w.getvalue()
    assert data[0] == MessageType.ROW_DATA
    r = Reader(data[1:])
    assert RowDecoder(cols).decode(r) == values
    assert r.at_end()
    # The generic (non-bytes buffer) path agrees with the fast one.
    assert RowDecoder(cols).decode(Reader(memoryview(data[1:]))) == values


@settings(max_examples=200, deadline=None)
@given(typed_rows())
def test_out_binds_of_every_type_round_trip(case: tuple[list[ColumnMetadata], tuple[object, ...]]) -> None:
    cols, values = case
    binds = [BindMetadata(ora_type=c.ora_type, csfrm=c.csfrm, buffer_size=c.buffer_size) for c in cols]
    directions = [16] * len(binds)
    w = Writer()
    encode_out_binds(w, binds, values, directions=directions)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.ROW_DATA
    assert decode_out_binds_body(r, binds, directions) == values
    assert r.at_end()


# ------------------------------------------------------------ IO_VECTOR and out binds


def test_io_vector_live_vector() -> None:
    # docs/protocol-ttc.md 4.8 [live]: reply to `begin :1 := :2 * 2; end;` ->
    # 0B 00 01 02 00 01 01 00 00 00 10 20 | 07 02 C1 2B 00 ; the OUT var held 42.
    data = bytes.fromhex("0B 00 01 02 00 01 01 00 00 00 10 20 07 02 C1 2B 00")
    r = Reader(data)
    assert r.ub1() == MessageType.IO_VECTOR
    vector = IoVector.decode_body(r)
    assert vector == IoVector(directions=(16, 32))
    assert out_bind_positions(vector.directions) == (0,)
    binds = [BindMetadata(ora_type=T.NUMBER, buffer_size=22)] * 2
    assert r.ub1() == MessageType.ROW_DATA
    assert decode_out_binds_body(r, binds, vector.directions) == (42,)
    assert r.at_end()
    w = Writer()
    vector.encode(w)
    encode_out_binds(w, binds, (42,), directions=vector.directions)
    assert w.getvalue() == data


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([16, 32, 48]), max_size=600), st.integers(0, 255), st.integers(0, 1000))
def test_io_vector_round_trip(directions: list[int], flag: int, this_time: int) -> None:
    vector = IoVector(directions=tuple(directions), flag=flag, iterations_this_time=this_time)
    w = Writer()
    vector.encode(w)
    r = Reader(w.getvalue())
    r.ub1()
    assert IoVector.decode_body(r) == vector


def test_io_vector_bad_input() -> None:
    with pytest.raises(DecodeError, match="unknown direction 7"):
        IoVector.decode_body(Reader(bytes.fromhex("00 01 01 00 01 01 00 00 00 07")))
    # 0xFFFF iterations x 256: refused before reading any direction.
    with pytest.raises(LimitExceededError, match="IO vector bind count"):
        IoVector.decode_body(Reader(bytes.fromhex("00 00 02 FF FF")))
    data = bytes.fromhex("00 01 02 00 01 01 00 00 00 10 20")
    for cut in range(len(data)):
        with pytest.raises(NeedMoreData):
            IoVector.decode_body(Reader(data[:cut]))


def test_out_bind_truncation_indicator() -> None:
    # base.pyx _process_column_data: a non-zero indicator on a non-NULL value is ORA truncation.
    binds = [BindMetadata(ora_type=T.VARCHAR, csfrm=1, buffer_size=4)]
    with pytest.raises(DecodeError, match="truncated"):
        decode_out_binds_body(Reader(bytes.fromhex("02 61 62 01 05")), binds)


def test_out_bind_arrays() -> None:
    bind = BindMetadata(ora_type=T.NUMBER, buffer_size=22, flags=BindFlag.USE_INDICATORS | BindFlag.ARRAY,
                        max_array_elements=3)
    w = Writer()
    encode_out_binds(w, [bind], ([1, None, 3],))
    assert w.getvalue() == bytes.fromhex("07 01 03 02 C1 02 00 00 00 02 C1 04 00")
    assert decode_out_binds_body(Reader(w.getvalue()[1:]), [bind]) == ([1, None, 3],)
    with pytest.raises(LimitExceededError, match="out-bind array element count"):
        decode_out_binds_body(Reader(bytes.fromhex("01 04")), [bind])
    with pytest.raises(EncodeError, match="2 out-bind values for 1 out binds"):
        encode_out_binds(Writer(), [bind], (1, 2))


# ------------------------------------------------------------ DML RETURNING


def test_returning_row() -> None:
    # docs/protocol-ttc.md 3.8 [live]: per RETURNING bind ub4 row count, then values each followed by sb4;
    # python returned [123.45].
    binds = [BindMetadata(ora_type=T.NUMBER, buffer_size=22), BindMetadata(ora_type=T.VARCHAR, csfrm=1, buffer_size=8)]
    w = Writer()
    encode_returning_row(w, binds, ([Decimal("123.45")], ["a", None]))
    data = w.getvalue()
    assert data == bytes.fromhex("07 01 01 04 C2 02 18 2E 00 01 02 01 61 00 00 00")
    r = Reader(data)
    r.ub1()
    assert decode_returning_body(r, binds) == ((Decimal("123.45"),), ("a", None))
    assert r.at_end()
    for cut in range(1, len(data)):
        r = Reader(data[:cut])
        r.ub1()
        with pytest.raises(NeedMoreData):
            decode_returning_body(r, binds)
    with pytest.raises(LimitExceededError, match="RETURNING row count"):
        decode_returning_body(Reader(bytes.fromhex("02 03 E8")), binds, limits=Limits(max_rows=999))
    with pytest.raises(EncodeError):
        encode_returning_row(Writer(), binds, ([1],))
