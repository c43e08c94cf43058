"""LOB values: column form (ROW_DATA, out binds), bind form (bind rows), LOB
bind metadata and define blocks.  Vectors and their provenance: see
test_messages_lob.py ([capture] = python-oracledb 26.1.0's own bytes against
our double; [doc] = docs/protocol-ttc.md [live] vectors).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import DecodeError, EncodeError, LimitExceededError
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import LOB_PREFETCH_FLAG, MessageType
from oracle_sansio.ttc.messages.binds import (
    BindMetadata,
    BindRows,
    bind_metadata_for_values,
    define_metadata_for_column,
    lob_bind_metadata,
)
from oracle_sansio.ttc.messages.describe import ColumnMetadata, DescribeInfo, column_for
from oracle_sansio.ttc.messages.execute import ExecuteRequest
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.lob import LobValue
from oracle_sansio.ttc.messages.rows import RowDecoder, RowEncoder, encode_out_binds
from oracle_sansio.ttc.messages.values import bind_decoder, bind_encoder, column_decoder, column_encoder
from oracle_sansio.ttc.wire import Reader, Writer
from tests.sansio.test_messages_lob import LOC_B, LOC_C, LOC_T, c_hex, every_prefix_needs_more

T = OracleType
H = bytes.fromhex

# [capture] a ROW_DATA with a CLOB of 11 characters and a BLOB of 2 bytes (chunk size 8132).
LOB_ROW = c_hex("07 01 28 01 0b 02 1f c4 28 C 01 28 01 02 02 1f c4 28 B")
CLOB = ColumnMetadata(name="C", ora_type=T.CLOB, csfrm=1, buffer_size=4000, charset_id=873)
NCLOB = ColumnMetadata(name="N", ora_type=T.CLOB, csfrm=2, buffer_size=4000, charset_id=2000)
BLOB = ColumnMetadata(name="B", ora_type=T.BLOB, buffer_size=4000)
BFILE = ColumnMetadata(name="F", ora_type=T.BFILE, buffer_size=530)



# ------------------------------------------------------- values in rows


def test_captured_row_of_lobs() -> None:
    want = (LobValue(locator=LOC_C, size=11, chunk_size=8132), LobValue(locator=LOC_B, size=2, chunk_size=8132))
    r = Reader(LOB_ROW)
    assert r.ub1() == MessageType.ROW_DATA
    assert RowDecoder([CLOB, BLOB]).decode(r) == want and r.at_end()
    w = Writer()
    RowEncoder([CLOB, BLOB]).encode(w, want)
    assert w.getvalue() == LOB_ROW
    every_prefix_needs_more(LOB_ROW[1:], lambda d: RowDecoder([CLOB, BLOB]).decode(Reader(d)))


def test_doc_fetched_lob_vector() -> None:
    # [doc] 6.13 [live]: 01 28 01 0B 02 1F C4 28 <40-byte locator>: size 11 (chunk 8132).
    value = column_decoder(T.CLOB, 1)(Reader(H("01 28 01 0b 02 1f c4 28") + LOC_C))
    assert value == LobValue(locator=LOC_C, size=11, chunk_size=8132)


@pytest.mark.parametrize("column", [CLOB, NCLOB, BLOB, BFILE], ids=lambda c: c.name)
def test_column_values_round_trip(column: ColumnMetadata) -> None:
    bfile = column.ora_type == T.BFILE
    locator = LOC_B + b"dir/file" if bfile else LOC_C
    lob = LobValue(locator=locator, size=0 if bfile else 2**33, chunk_size=0 if bfile else 8132)
    rows = [(lob,), (None,)]
    enc, dec = RowEncoder([column]), RowDecoder([column])
    for row in rows:
        w = Writer()
        enc.encode(w, row)
        r = Reader(w.getvalue()[1:])
        assert dec.decode(r) == row and r.at_end()
    w = Writer()
    column_encoder(column.ora_type, column.csfrm)(w, lob.locator)  # bare locator bytes: size 0
    assert column_decoder(column.ora_type, column.csfrm)(Reader(w.getvalue())) == LobValue(locator=lob.locator)
    if bfile:
        assert w.getvalue() == H("01 30 30") + lob.locator  # no size, no chunk size
    # A LOB column null by describe is not sent.
    assert RowDecoder([ColumnMetadata(ora_type=column.ora_type, buffer_size=0)]).decode(Reader(b"")) == (None,)


def test_describe_of_lob_columns_decodes_rows() -> None:
    w = Writer()
    DescribeInfo(columns=(CLOB, NCLOB, BLOB, BFILE)).encode_body(w, field_version=24)
    info = DescribeInfo.decode_body(Reader(w.getvalue()), field_version=24)
    assert info.columns == (CLOB, NCLOB, BLOB, BFILE)
    values = (LobValue(locator=LOC_C, size=1, chunk_size=2), None, LobValue(locator=LOC_B), LobValue(locator=LOC_B))
    w = Writer()
    RowEncoder(info.columns).encode(w, values)
    assert RowDecoder(info.columns).decode(Reader(w.getvalue()[1:])) == values


def test_column_value_errors() -> None:
    read = column_decoder(T.CLOB, 1)
    with pytest.raises(DecodeError, match="NULL locator"):
        read(Reader(H("01 28 00 00 00")))
    with pytest.raises(LimitExceededError, match="LOB value length"):
        read(Reader(H("04 00 00 ff ff"), limits=Limits(max_bytes_length=100)))
    big = Writer()
    big.clr(b"\x00" * 5000)
    with pytest.raises(LimitExceededError, match="LOB locator length"):
        read(Reader(H("02 13 88 00 00") + big.getvalue()))
    for bad in ("text", 12, LobValue(locator=b"")):
        with pytest.raises(EncodeError):
            column_encoder(T.BLOB, 0)(Writer(), bad)
    with pytest.raises(EncodeError, match="NCLOB value must be a LobValue"):
        column_encoder(T.CLOB, 2)(Writer(), "text")


# ------------------------------------------------------------ bind values


def test_captured_lob_bind() -> None:
    # [capture] python-oracledb's EXECUTE binding a temporary BLOB: metadata and row.
    data = c_hex(
        "03 5e 0c 00 02 80 29 00 01 01 19 01 01 0d 00 00 00 01 01 04 7f ff ff ff 01 01 01 00 00 00 00 00 00 00 00"
        " 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 19"
    ) + b"insert into t values (:1)" + c_hex(
        "01 01 01 01 00 00 00 00 00 00 00 02 80 00 00 00 00 71 01 00 00 01 70 00 04 02 00 00 00 00 00 00 00 00 00"
        " 07 01 28 28 T"
    )
    r = Reader(data)
    header = FunctionHeader.decode(r, has_token=True)
    req = ExecuteRequest.decode_body(r, header, field_version=24, max_string_size=32767)
    assert r.at_end()
    assert req.binds == (lob_bind_metadata(T.BLOB),)
    assert req.rows == ((LobValue(locator=LOC_T),),)
    w = Writer()
    BindRows(req.binds, is_plsql=False, max_string_size=32767).encode(w, (LobValue(locator=LOC_T),))
    assert w.getvalue() == c_hex("07 01 28 28 T")


@pytest.mark.parametrize(("ora_type", "csfrm"), [(T.CLOB, 1), (T.CLOB, 2), (T.BLOB, 0), (T.BFILE, 0)])
def test_bind_values_round_trip(ora_type: int, csfrm: int) -> None:
    binds = [lob_bind_metadata(ora_type, csfrm), bind_metadata_for_values([1])]
    rows = BindRows(binds, is_plsql=False, max_string_size=4000)
    long_locator = LOC_C + bytes(300)  # a chunked CLR
    for row in ((LobValue(locator=LOC_C, size=5), 1), (None, 2), (long_locator, 3)):
        w = Writer()
        rows.encode(w, row)
        r = Reader(w.getvalue())
        assert r.ub1() == MessageType.ROW_DATA
        got = rows.decode_body(r)
        value = row[0]
        want = None if value is None else LobValue(locator=value.locator if isinstance(value, LobValue) else value)
        assert got == (want, row[1]) and r.at_end()
    with pytest.raises(EncodeError, match="temporary LOB"):
        bind_encoder(ora_type, csfrm)(Writer(), "data")


def test_bind_value_errors() -> None:
    read = bind_decoder(T.CLOB, 1)
    with pytest.raises(LimitExceededError, match="LOB bind locator length"):
        read(Reader(H("02 13 88")))
    with pytest.raises(DecodeError, match="announces a 40-byte locator but carries 39"):
        read(Reader(H("01 28 27") + LOC_C[:39]))
    with pytest.raises(DecodeError, match="carries 0"):
        read(Reader(H("01 28 00")))
    assert read(Reader(H("00"))) is None
    every_prefix_needs_more(c_hex("01 28 28 C"), lambda d: read(Reader(d)))


def test_out_binds_use_the_column_form() -> None:
    # base.pyx _process_column_data reads out-bind LOBs with read_lob_with_length.
    bind = lob_bind_metadata(T.CLOB)
    lob = LobValue(locator=LOC_C, size=3, chunk_size=8132)
    w = Writer()
    encode_out_binds(w, [bind], [lob])
    assert w.getvalue() == c_hex("07 01 28 01 03 02 1f c4 28 C 00")
    r = Reader(w.getvalue()[1:])
    assert bind_decoder(T.CLOB, 1, out=True)(r) == lob and r.sb4() == 0 and r.at_end()
    w = Writer()
    bind_encoder(T.BFILE, 0, out=True)(w, None)
    assert w.getvalue() == H("00")


def test_lob_bind_metadata() -> None:
    clob = lob_bind_metadata(T.CLOB)
    assert (clob.ora_type, clob.csfrm, clob.flags, clob.buffer_size) == (T.CLOB, 1, 1, 112)
    assert (clob.cont_flags, clob.charset_id) == (LOB_PREFETCH_FLAG, 873)
    assert lob_bind_metadata(T.CLOB, 2).charset_id == 873  # 873 whenever csfrm != 0, even NCHAR
    blob = lob_bind_metadata(T.BLOB)
    assert (blob.csfrm, blob.charset_id, blob.cont_flags) == (0, 0, LOB_PREFETCH_FLAG)
    bfile = lob_bind_metadata(T.BFILE)
    assert (bfile.buffer_size, bfile.cont_flags) == (4000, 0)
    for args in ((T.CLOB, 0), (T.BLOB, 1), (T.VARCHAR, 1)):
        with pytest.raises(EncodeError):
            lob_bind_metadata(*args)
    with pytest.raises(EncodeError, match="lob_bind_metadata"):
        bind_metadata_for_values([None, LobValue(locator=LOC_C)])


# ---------------------------------------------------------------- defines

# [capture] the describe python-oracledb was served, and the define calls it sent back.
DEFINE_COLUMNS = (
    column_for("C", T.CLOB, csfrm=1), column_for("NC", T.CLOB, csfrm=2), column_for("B", T.BLOB),
    column_for("V", T.VARCHAR, max_size=10), column_for("N", T.NUMBER), column_for("R", T.RAW, max_size=16),
    column_for("D", T.DATE), column_for("RI", T.ROWID), column_for("NV", T.VARCHAR, csfrm=2, max_size=7),
    column_for("BF", T.BFILE),
)
# Verbatim; they differ in seq, cursor id and the first three blocks (CLOB, NCLOB, BLOB).
DEFINE_CALL_LOBS = H(
    "03 5e 04 00 02 80 10 01 01 00 00 01 01 0d 00 00 00 01 02 04 7f ff ff ff 00 00 00 00 00 00 00 01 01 0a 00 00 01 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 02 00 00 00 00 00 01 01 00 00 00 00 00 70 01 00 00 01 70 00 04 02"
    "00 00 00 00 00 02 03 69 01 00 00 70 01 00 00 01 70 00 04 02 00 00 00 00 00 02 03 69 02 00 00 71 01 00 00 01 70 00"
    "04 02 00 00 00 00 00 00 00 00 00 01 01 00 00 01 28 00 00 00 00 02 03 69 01 00 00 02 01 00 00 01 16 00 00 00 00 00"
    "00 00 00 17 01 00 00 01 10 00 00 00 00 00 00 00 00 0c 01 00 00 01 07 00 00 00 00 00 00 00 00 01 01 00 00 02 14 93"
    "00 00 00 00 00 00 00 00 01 01 00 00 01 1c 00 00 00 00 02 03 69 02 00 00 72 01 00 00 02 0f a0 00 00 00 00 00 00 00"
    "00"
)
DEFINE_CALL_LONGS = H(
    "03 5e 06 00 02 80 10 01 02 00 00 01 01 0d 00 00 00 01 02 04 7f ff ff ff 00 00 00 00 00 00 00 01 01 0a 00 00 01 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 02 00 00 00 00 00 01 01 00 00 00 00 00 08 01 00 00 04 7f ff ff ff"
    "00 00 00 00 02 03 69 01 00 00 08 01 00 00 04 7f ff ff ff 00 00 00 00 02 03 69 02 00 00 18 01 00 00 04 7f ff ff ff"
    "00 00 00 00 00 00 00 00 01 01 00 00 01 28 00 00 00 00 02 03 69 01 00 00 02 01 00 00 01 16 00 00 00 00 00 00 00 00"
    "17 01 00 00 01 10 00 00 00 00 00 00 00 00 0c 01 00 00 01 07 00 00 00 00 00 00 00 00 01 01 00 00 02 14 93 00 00 00"
    "00 00 00 00 00 01 01 00 00 01 1c 00 00 00 00 02 03 69 02 00 00 72 01 00 00 02 0f a0 00 00 00 00 00 00 00 00"
)


@pytest.mark.parametrize(("fetch_lobs", "data"), [(True, DEFINE_CALL_LOBS), (False, DEFINE_CALL_LONGS)])
def test_captured_define_calls(fetch_lobs: bool, data: bytes) -> None:
    defines = [define_metadata_for_column(c, fetch_lobs=fetch_lobs) for c in DEFINE_COLUMNS]
    r = Reader(data)
    header = FunctionHeader.decode(r, has_token=True)
    call = ExecuteRequest.decode_body(r, header, field_version=24, max_string_size=32767)
    assert call.defines == tuple(defines) and r.at_end()
    w = Writer()
    ExecuteRequest.for_define(call.cursor_id, defines).encode(
        w, seq=data[2], token=0, field_version=24, max_string_size=32767
    )
    assert w.getvalue() == data


def test_define_doc_vector_and_lob_mappings() -> None:
    # [doc] 3.9 [live]: a CLOB's define is type 112, flags 1, buffer 112, cont 0x2000000, csid 873, csfrm 1.
    assert define_metadata_for_column(CLOB) == BindMetadata(
        ora_type=T.CLOB, csfrm=1, buffer_size=112, cont_flags=LOB_PREFETCH_FLAG, charset_id=873
    )
    off = {c.name: define_metadata_for_column(c, fetch_lobs=False) for c in (CLOB, NCLOB, BLOB, BFILE)}
    assert [(d.ora_type, d.csfrm, d.buffer_size, d.cont_flags) for d in off.values()] == [
        (T.LONG, 1, 0x7FFFFFFF, 0),
        (T.LONG, 2, 0x7FFFFFFF, 0),
        (T.LONG_RAW, 0, 0x7FFFFFFF, 0),
        (T.BFILE, 0, 4000, 0),  # BFILE has no LONG form
    ]


def test_define_other_types() -> None:
    def d(column: ColumnMetadata) -> tuple[int, int, int, int, int]:
        m = define_metadata_for_column(column)
        return m.ora_type, m.csfrm, m.buffer_size, m.cont_flags, m.max_chars_or_lob_prefetch

    assert d(column_for("V", T.VARCHAR)) == (T.VARCHAR, 1, 16000, 0, 0)  # max size 0: default 4000
    assert d(column_for("C", T.CHAR, max_size=5)) == (T.CHAR, 1, 20, 0, 0)
    assert d(ColumnMetadata(ora_type=T.VARCHAR, csfrm=0, max_size=3)) == (T.VARCHAR, 1, 12, 0, 0)
    assert d(ColumnMetadata(ora_type=T.NUMBER, csfrm=1)) == (T.NUMBER, 0, 22, 0, 0)
    assert d(column_for("U", T.UROWID)) == (T.VARCHAR, 0, 5267, 0, 0)
    assert d(column_for("T", T.TIMESTAMP_TZ)) == (T.TIMESTAMP_TZ, 0, 13, 0, 0)
    assert d(column_for("L", T.LONG)) == (T.LONG, 1, 0x7FFFFFFF, 0, 0)
    assert d(ColumnMetadata(ora_type=T.JSON)) == (T.JSON, 0, 33554432, LOB_PREFETCH_FLAG, 33554432)
    assert d(ColumnMetadata(ora_type=T.VECTOR)) == (T.VECTOR, 0, 1048576, LOB_PREFETCH_FLAG, 1048576)
    # An OSON BLOB is fetched as LONG RAW; an IS_JSON CLOB keeps its type even without fetch_lobs.
    assert define_metadata_for_column(ColumnMetadata(ora_type=T.BLOB, uds_flags=0x800)).ora_type == T.LONG_RAW
    is_json = ColumnMetadata(ora_type=T.CLOB, csfrm=1, uds_flags=0x100)
    assert define_metadata_for_column(is_json, fetch_lobs=False).ora_type == T.CLOB
    obj = define_metadata_for_column(ColumnMetadata(ora_type=T.OBJECT, oid=b"\x01" * 16, version=3))
    assert (obj.oid, obj.version, obj.buffer_size) == (b"\x01" * 16, 3, 0)


# ------------------------------------------------------------- hypothesis


@settings(max_examples=150, deadline=None)
@given(
    locator=st.binary(min_size=1, max_size=4096),
    size=st.integers(0, 2**64 - 1),
    chunk=st.integers(0, 2**32 - 1),
    ora_type=st.sampled_from([T.CLOB, T.BLOB, T.BFILE]),
    csfrm=st.integers(0, 2),
)
def test_hypothesis_values_round_trip(locator: bytes, size: int, chunk: int, ora_type: int, csfrm: int) -> None:
    bfile = ora_type == T.BFILE
    lob = LobValue(locator=locator, size=0 if bfile else size, chunk_size=0 if bfile else chunk)
    w = Writer()
    column_encoder(ora_type, csfrm)(w, lob)
    r = Reader(w.getvalue())
    assert column_decoder(ora_type, csfrm)(r) == lob and r.at_end()
    w = Writer()
    bind_encoder(ora_type, csfrm)(w, lob)
    r = Reader(w.getvalue())
    assert bind_decoder(ora_type, csfrm)(r) == LobValue(locator=locator) and r.at_end()


def test_lob_out_binds_and_returning_round_trip() -> None:
    from oracle_sansio.codecs import OracleType
    from oracle_sansio.ttc.messages.binds import lob_bind_metadata
    from oracle_sansio.ttc.messages.lob import LobValue, make_locator
    from oracle_sansio.ttc.messages.rows import (
        decode_out_binds_body,
        decode_returning_body,
        encode_out_binds,
        encode_returning_row,
    )
    from oracle_sansio.ttc.wire import Reader, Writer

    binds = (lob_bind_metadata(OracleType.CLOB, 1),)
    value = LobValue(locator=make_locator(7, ora_type=OracleType.CLOB, csfrm=1, temporary=False), size=3, chunk_size=8132)
    w = Writer()
    encode_out_binds(w, binds, [value])
    r = Reader(w.getvalue())
    assert r.ub1() == 7
    assert decode_out_binds_body(r, binds) == (value,)
    w = Writer()
    encode_returning_row(w, binds, [[value, None]])
    r = Reader(w.getvalue())
    assert r.ub1() == 7
    assert decode_returning_body(r, binds) == ((value, None),)
