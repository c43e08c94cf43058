"""EXECUTE, REEXECUTE and bind metadata: python-oracledb's real bytes, [live] vectors, round trips."""

from __future__ import annotations

import dataclasses

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import IntervalYM, OracleType
from oracle_sansio.errors import DecodeError, EncodeError, LimitExceededError, NeedMoreData, UnexpectedMessageError
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import BindFlag, ExecFlag, ExecOption, FunctionCode
from oracle_sansio.ttc.messages.binds import BindRows, bind_wire_order
from oracle_sansio.ttc.messages.execute import (
    BindMetadata,
    ExecuteRequest,
    ReexecuteRequest,
    bind_metadata_for_values,
)
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_python_oracledb_client

T = OracleType
CLIENT = load_python_oracledb_client()
FV = 24  # the field version of the python-oracledb capture (its double advertised 24)
MAX_STRING = 32767


def execute_packets() -> list[bytes]:
    """TTC bytes of every EXECUTE python-oracledb 26.1 sent in the capture (sync and asyncio)."""
    return [raw[10:] for session in CLIENT.values() for label, raw in session if label == "execute"]


def decode_call(data: bytes, *, fv: int = FV, max_string_size: int = MAX_STRING, **kw: object) -> ExecuteRequest:
    r = Reader(data)
    header = FunctionHeader.decode(r, has_token=fv >= 18)
    request = ExecuteRequest.decode_body(r, header, field_version=fv, max_string_size=max_string_size, **kw)  # type: ignore[arg-type]
    assert r.at_end()
    return request


def encode_call(request: ExecuteRequest, *, seq: int = 3, fv: int = FV, max_string_size: int = MAX_STRING) -> bytes:
    w = Writer()
    request.encode(w, seq=seq, token=0 if fv >= 18 else None, field_version=fv, max_string_size=max_string_size)
    return w.getvalue()


# ------------------------------------------------------------ the real client


def test_capture_has_three_executes() -> None:
    assert len(execute_packets()) == 3


@pytest.mark.parametrize("index", [0, 1, 2])
def test_python_oracledb_execute(index: int) -> None:
    # python-oracledb-26.1-client-packets.txt: "select 1 from dual" (sync, asyncio) and the 4-column query.
    data = execute_packets()[index]
    r = Reader(data)
    header = FunctionHeader.decode(r, has_token=True)
    assert (header.code, header.token) == (FunctionCode.EXECUTE, 0)  # fv 24 >= 18: token byte present
    request = ExecuteRequest.decode_body(r, header, field_version=FV, max_string_size=MAX_STRING)
    assert r.at_end()
    assert request.options == 0x8061  # PARSE | EXECUTE | FETCH | NOT_PLSQL (3.1 [live])
    assert request.sql in ("select 1 from dual", "select n, s, d, b from t connect by level <= 5")
    assert (request.cursor_id, request.prefetch_rows, request.max_long_size) == (0, 2, 0x7FFFFFFF)
    assert request.al8i4 == (1, 0, 0, 0, 0, 0, 0, 1, 0, 0x8000, 0, 0, 0)
    assert request.binds == () and request.defines is None and request.rows == ()
    assert request.is_query and not request.is_plsql
    # Byte-exact both ways: our constructor builds exactly what python-oracledb sent.
    assert request == ExecuteRequest.for_query(request.sql or "")
    assert encode_call(request, seq=header.seq) == data


def test_annotated_query_vector() -> None:
    # docs/protocol-ttc.md 3.2 [live]: `select types from t`, fv 24, 88 bytes.
    expected = bytes.fromhex(
        "03 5E 03 00 02 80 61 00 01 01 13 01 01 0D 00 00 00 01 02 04 7F FF FF FF 00 00"
        " 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
        " 13" + b"select types from t".hex() + " 01 01 00 00 00 00 00 00 01 01 00 02 80 00 00 00 00"
    )
    assert len(expected) == 88
    assert encode_call(ExecuteRequest.for_query("select types from t")) == expected


def test_every_truncation_needs_more_data() -> None:
    for data in execute_packets()[:2]:
        for cut in range(len(data)):
            r = Reader(data[:cut])
            with pytest.raises(NeedMoreData):
                header = FunctionHeader.decode(r, has_token=True)
                ExecuteRequest.decode_body(r, header, field_version=FV, max_string_size=MAX_STRING)


# ------------------------------------------------------------ options of each kind


def test_observed_option_values() -> None:
    # docs/protocol-ttc.md 3.1 [live]: 0x8061 query, 0x8029 DML + binds, 0x8129 with autocommit,
    # 0x0429 PL/SQL + binds, 0x8021 SQL without binds, 0x8010 define-only.
    num = [bind_metadata_for_values([1])]
    assert ExecuteRequest.for_query("select 1 from dual").options == 0x8061
    assert ExecuteRequest.for_dml("insert into t values (:1)", binds=num, rows=[(1,)]).options == 0x8029
    assert ExecuteRequest.for_dml("insert into t values (:1)", binds=num, rows=[(1,)], autocommit=True).options == 0x8129
    assert ExecuteRequest.for_plsql("begin :1 := 1; end;", binds=num, rows=[(None,)]).options == 0x0429
    assert ExecuteRequest.for_dml("create table t (n number)", is_ddl=True).options == 0x8021
    assert ExecuteRequest.for_dml("delete from t").options == 0x8021
    define = ExecuteRequest.for_define(5, [BindMetadata(ora_type=T.CLOB, csfrm=1, buffer_size=112)])
    assert define.options == 0x8010
    # 3.9 [live]: al8i4 = [0, prefetchrows, 0,0,0,0,0, 1, 0, 0, 0,0,0].
    assert define.al8i4 == (0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    assert ExecuteRequest.for_parse("select 1 from dual", is_query=True).options == ExecOption.PARSE | ExecOption.DESCRIBE


def test_requery_of_known_cursor() -> None:
    # execute.pyx: a full re-execute of a known cursor sends no SQL and asks for arraysize rows.
    request = ExecuteRequest.for_query("select :1 from dual", cursor_id=7, binds=[bind_metadata_for_values([1])],
                                       row=(1,), arraysize=50)
    assert request.sql is None and request.prefetch_rows == 50
    assert request.options == ExecOption.EXECUTE | ExecOption.FETCH | ExecOption.NOT_PLSQL | ExecOption.BIND
    assert request.al8i4[:2] == (0, 50)
    data = encode_call(request)
    # Header (4 bytes), options `02 80 68`, then cursor id 7 and SQL pointer 0.
    assert data[4:10] == bytes.fromhex("02 80 68 01 07 00")
    assert decode_call(data) == request


def test_define_metadata_round_trip() -> None:
    # 3.9 [live]: the define block for a CLOB: type 112, flags 0x01, buffer 112, cont 0x2000000, csid 873, csfrm 1.
    clob = BindMetadata(ora_type=T.CLOB, csfrm=1, buffer_size=112, cont_flags=0x2000000, charset_id=873)
    w = Writer()
    clob.encode(w, field_version=FV)
    assert w.getvalue() == bytes.fromhex("70 01 00 00 01 70 00 04 02 00 00 00 00 00 02 03 69 01 00 00")
    request = ExecuteRequest.for_define(3, [clob, BindMetadata(ora_type=T.NUMBER, buffer_size=22)])
    assert decode_call(encode_call(request)) == request


# ------------------------------------------------------------ bind metadata


def test_bind_metadata_live_sizes() -> None:
    # docs/protocol-ttc.md 3.3 [live] table.
    assert bind_metadata_for_values(["héllo"]) == BindMetadata(ora_type=T.VARCHAR, csfrm=1, buffer_size=24,
                                                               charset_id=873)
    assert bind_metadata_for_values([None]).buffer_size == 4
    assert bind_metadata_for_values([b"\x01\x02"]) == BindMetadata(ora_type=T.RAW, buffer_size=2)
    assert bind_metadata_for_values([True]) == BindMetadata(ora_type=T.BOOLEAN, buffer_size=4)
    assert bind_metadata_for_values(["x" * 9000]).buffer_size == 36000
    assert bind_metadata_for_values([2.5]) == BindMetadata(ora_type=T.NUMBER, buffer_size=22)
    assert bind_metadata_for_values([dt.datetime(2024, 3, 15)]) == BindMetadata(ora_type=T.DATE, buffer_size=7)
    assert bind_metadata_for_values([dt.timedelta(1)]) == BindMetadata(ora_type=T.INTERVAL_DS, buffer_size=11)
    assert bind_metadata_for_values([IntervalYM(1, 2)]) == BindMetadata(ora_type=T.INTERVAL_YM, buffer_size=5)


def test_bind_metadata_python_oracledb_rules() -> None:
    # metadata.pyx _finalize_init: an empty first value means the default size (4000).
    assert bind_metadata_for_values([""]).buffer_size == 16000
    assert bind_metadata_for_values([b""]).buffer_size == 4000
    # executemany: None rows are skipped; later rows grow the bind by their character length.
    assert bind_metadata_for_values([None, 5]).ora_type == T.NUMBER
    assert bind_metadata_for_values([None, None]).buffer_size == 4
    assert bind_metadata_for_values(["a", "héllo"]).buffer_size == 20
    assert bind_metadata_for_values(["héllo", "a"]).buffer_size == 24
    assert bind_metadata_for_values([1, 2.5, Decimal("1"), True]).ora_type == T.NUMBER
    assert bind_metadata_for_values([True, 5]).ora_type == T.BOOLEAN
    # Below fv 17 a bool is a BINARY_INTEGER outside PL/SQL (var.pyx _set_metadata_from_value).
    assert bind_metadata_for_values([True], field_version=8) == BindMetadata(ora_type=T.BINARY_INTEGER,
                                                                             buffer_size=22)
    assert bind_metadata_for_values([True], field_version=8, is_plsql=True).ora_type == T.BOOLEAN
    with pytest.raises(EncodeError, match="row 1: a value of type str cannot be bound where earlier rows made"):
        bind_metadata_for_values([1, "x"])
    with pytest.raises(EncodeError, match="type object cannot be bound"):
        bind_metadata_for_values([object()])


@pytest.mark.parametrize("fv", [7, 8, 24])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_bind_metadata_round_trip(fv: int, data: st.DataObject) -> None:
    oid = data.draw(st.none() | st.binary(min_size=1, max_size=16))
    meta = BindMetadata(
        ora_type=data.draw(st.integers(0, 255)),
        csfrm=data.draw(st.integers(0, 2)),
        flags=data.draw(st.integers(0, 255)),
        precision=data.draw(st.integers(0, 255)),
        scale=data.draw(st.integers(0, 255)),
        buffer_size=data.draw(st.integers(0, 2**32 - 1)),
        max_array_elements=data.draw(st.integers(0, 2**32 - 1)),
        cont_flags=data.draw(st.integers(0, 2**64 - 1)),
        oid=oid,
        version=data.draw(st.integers(0, 2**32 - 1 if oid else 0xFFFF)),
        charset_id=data.draw(st.sampled_from([0, 873])),
        max_chars_or_lob_prefetch=data.draw(st.integers(0, 2**32 - 1)),
        oaccolid=data.draw(st.integers(0, 2**32 - 1)) if fv >= 8 else 0,
    )
    w = Writer()
    meta.encode(w, field_version=fv)
    r = Reader(w.getvalue())
    assert BindMetadata.decode(r, field_version=fv) == meta
    assert r.at_end()


# ------------------------------------------------------------ bind rows


INSERT_ROW = (1, "héllo", dt.datetime(2024, 3, 15, 13, 45, 30), 2.5, None, b"\x01\x02", Decimal("-123.45"), True)


def test_eight_column_insert_row() -> None:
    # docs/protocol-ttc.md 3.4 [live]: python-oracledb 26.1's row for these 8 values.
    expected = bytes.fromhex(
        "07 02 C1 02 06 68 C3 A9 6C 6C 6F 07 78 7C 03 0F 0E 2E 1F 03 C1 03 33 00 02 01 02"
        " 05 3D 64 4E 38 66 02 01 01"
    )
    binds = [bind_metadata_for_values([v]) for v in INSERT_ROW]
    w = Writer()
    BindRows(binds, is_plsql=False, max_string_size=MAX_STRING).encode(w, INSERT_ROW)
    assert w.getvalue() == expected
    request = ExecuteRequest.for_dml("insert into t values (:1,:2,:3,:4,:5,:6,:7,:8)", binds=binds,
                                     rows=[INSERT_ROW])
    data = encode_call(request)
    assert data.endswith(expected)
    back = decode_call(data)
    assert back.rows == ((1, "héllo", dt.datetime(2024, 3, 15, 13, 45, 30), Decimal("2.5"), None, b"\x01\x02",
                          Decimal("-123.45"), True),)
    assert back == ExecuteRequest.for_dml(request.sql or "", binds=binds, rows=back.rows)


def test_executemany_rows() -> None:
    # 3.7 [live]: 3 rows -> al8i4[1] = 3 and three 07 rows.
    rows = [(1, "a"), (2, "bb"), (3, None)]
    binds = [bind_metadata_for_values([r[i] for r in rows]) for i in range(2)]
    request = ExecuteRequest.for_dml("insert into t values (:1, :2)", binds=binds, rows=rows, dml_rowcounts=True)
    assert request.al8i4[1] == 3 and request.al8i4[9] == ExecFlag.IMPLICIT_RESULTSET | ExecFlag.DML_ROWCOUNTS
    data = encode_call(request)
    assert data.count(b"\x07\x02\xc1") == 3
    assert decode_call(data) == request


def test_long_binds_go_last() -> None:
    # 3.4 [live]: (:1 = 9000-char str, :2 = 7) sent NUMBER 7 first, then FE + one 9000-byte chunk + 00.
    values = ("x" * 9000, 7)
    binds = [bind_metadata_for_values([v]) for v in values]
    assert bind_wire_order(binds, is_plsql=False, max_string_size=MAX_STRING) == (1, 0)
    assert bind_wire_order(binds, is_plsql=True, max_string_size=MAX_STRING) == (0, 1)
    w = Writer()
    BindRows(binds, is_plsql=False, max_string_size=MAX_STRING).encode(w, values)
    assert w.getvalue() == bytes.fromhex("07 02 C1 08 FE 02 23 28") + b"x" * 9000 + b"\x00"
    request = ExecuteRequest.for_dml("insert into t values (:1, :2)", binds=binds, rows=[values])
    assert decode_call(encode_call(request)) == request
    # With 4000-byte strings, a 1001-character value is already a LONG bind.
    small = [bind_metadata_for_values(["y" * 1001]), binds[1]]
    assert bind_wire_order(small, is_plsql=False, max_string_size=4000) == (1, 0)


def test_plsql_out_bind_sent_as_null() -> None:
    # 3.5 [live]: `begin :1 := :2*2; end;` sent 07 00 02 C1 16.
    binds = [BindMetadata(ora_type=T.NUMBER, buffer_size=22), bind_metadata_for_values([21])]
    request = ExecuteRequest.for_plsql("begin :1 := :2*2; end;", binds=binds, rows=[(None, 21)])
    data = encode_call(request)
    assert data.endswith(bytes.fromhex("07 00 02 C1 16"))
    assert decode_call(data) == request


def test_returning_binds() -> None:
    # 3.8: RETURNING binds have metadata but no values; the server learns them from the SQL.
    sql = "insert into t values (:1) returning id into :2"
    binds = [bind_metadata_for_values([5]), BindMetadata(ora_type=T.NUMBER, buffer_size=22)]
    request = ExecuteRequest.for_dml(sql, binds=binds, rows=[(5,)], returning=[1])
    data = encode_call(request)
    assert data.endswith(bytes.fromhex("07 02 C1 06"))

    def lookup(text: str | None, cursor_id: int) -> Sequence[int]:
        assert (text, cursor_id) == (sql, 0)
        return [1]

    assert decode_call(data, returning=lookup) == request
    # Only RETURNING binds: no row at all.
    only = ExecuteRequest.for_dml("delete from t returning id into :1", binds=binds[1:], returning=[0])
    assert encode_call(only).endswith(bytes.fromhex("00 00 00 00"))  # ends with the bind block's oaccolid
    assert decode_call(encode_call(only), returning=lambda s, c: [0]) == only
    with pytest.raises(DecodeError, match="RETURNING bind indices"):
        decode_call(data, returning=lambda s, c: [5])


def test_array_bind_rows() -> None:
    arr = BindMetadata(ora_type=T.NUMBER, buffer_size=22, flags=BindFlag.USE_INDICATORS | BindFlag.ARRAY,
                       max_array_elements=3)
    request = ExecuteRequest.for_plsql("begin p(:1); end;", binds=[arr], rows=[([1, 2, None],)])
    data = encode_call(request)
    assert data.endswith(bytes.fromhex("07 01 03 02 C1 02 02 C1 03 00"))
    assert decode_call(data) == ExecuteRequest.for_plsql("begin p(:1); end;", binds=[arr], rows=[([1, 2, None],)])
    with pytest.raises(EncodeError, match="has 4 elements"):
        ExecuteRequest.for_plsql("begin p(:1); end;", binds=[arr], rows=[([1, 2, 3, 4],)]).encode(
            Writer(), seq=1, token=None, field_version=8, max_string_size=4000)


# ------------------------------------------------------------ re-execute


def test_reexecute_query_live() -> None:
    # 3.6 [live]: query re-execute `03 4E 05 00 01 01 01 02 01 20 00`.
    expected = bytes.fromhex("03 4E 05 00 01 01 01 02 01 20 00")
    request = ReexecuteRequest.for_query(1, prefetch_rows=2)
    w = Writer()
    request.encode(w, seq=5, token=0, binds=(), max_string_size=MAX_STRING)
    assert w.getvalue() == expected
    r = Reader(expected)
    header = FunctionHeader.decode(r, has_token=True)
    assert ReexecuteRequest.decode_body(r, header, binds=(), max_string_size=MAX_STRING) == request


def test_reexecute_dml_live_prefix() -> None:
    # 3.6 [live]: `03 04 08 00 01 02 01 01 00 00 07 02 C1 03 01 78 07 78 7C 03 0F 01 01 01 ...`:
    # cursor 2, one iteration, then NUMBER 2, 'x', DATE 2024-03-15 (the capture shows more binds after).
    expected = bytes.fromhex("03 04 08 00 01 02 01 01 00 00 07 02 C1 03 01 78 07 78 7C 03 0F 01 01 01")
    row = (2, "x", dt.date(2024, 3, 15))
    binds = [bind_metadata_for_values([v]) for v in row]
    request = ReexecuteRequest.for_dml(2, rows=[row])
    w = Writer()
    request.encode(w, seq=8, token=0, binds=binds, max_string_size=MAX_STRING)
    assert w.getvalue() == expected
    r = Reader(expected)
    header = FunctionHeader.decode(r, has_token=True)
    back = ReexecuteRequest.decode_body(r, header, binds=binds, max_string_size=MAX_STRING)
    assert back.rows == ((2, "x", dt.datetime(2024, 3, 15)),)
    assert ReexecuteRequest.for_dml(2, rows=[row], autocommit=True).options_2 == 1
    for cut in range(len(expected)):
        r = Reader(expected[:cut])
        with pytest.raises(NeedMoreData):
            header = FunctionHeader.decode(r, has_token=True)
            ReexecuteRequest.decode_body(r, header, binds=binds, max_string_size=MAX_STRING)


# ------------------------------------------------------------ round trips

_TYPED: list[st.SearchStrategy[object]] = [
    st.integers(-(10**30), 10**30),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=50),
    st.binary(max_size=50),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.booleans(),
    st.timedeltas(min_value=dt.timedelta(days=-(10**6)), max_value=dt.timedelta(days=10**6)),
    st.builds(IntervalYM, st.integers(-1000, 1000), st.integers(-11, 11)),
]


def _normal(value: object) -> object:
    """What a value decodes back to (empty strings are NULL, Oracle semantics)."""
    return None if value in ("", b"") else value


@st.composite
def bound_rows(draw: st.DrawFn) -> tuple[list[BindMetadata], list[tuple[object, ...]]]:
    ncols = draw(st.integers(1, 5))
    nrows = draw(st.integers(1, 3))
    # One Python type per column (or None), as python-oracledb requires for executemany.
    columns: list[list[object]] = []
    for _ in range(ncols):
        values = st.none() | draw(st.sampled_from(_TYPED))
        columns.append([draw(values) for _ in range(nrows)])
    binds = [bind_metadata_for_values(c) for c in columns]
    rows = [tuple(c[i] for c in columns) for i in range(nrows)]
    return binds, rows


@settings(max_examples=150, deadline=None)
@given(bound_rows(), st.sampled_from([8, 9, 24]), st.booleans(), st.sampled_from([4000, 32767]))
def test_execute_round_trip(
    case: tuple[list[BindMetadata], list[tuple[object, ...]]], fv: int, plsql: bool, max_string: int
) -> None:
    binds, rows = case
    if plsql:
        request = ExecuteRequest.for_plsql("begin null; end;", binds=binds, rows=rows, autocommit=True)
    else:
        request = ExecuteRequest.for_dml("insert into t values (:1)", binds=binds, rows=rows, batch_errors=True,
                                         dml_rowcounts=fv > 8)
    data = encode_call(request, fv=fv, max_string_size=max_string)
    back = decode_call(data, fv=fv, max_string_size=max_string)
    expected = tuple(tuple(_normal(v) for v in row) for row in request.rows)
    assert back.rows == expected
    assert back == dataclasses.replace(request, rows=expected)
    # The reader sees exactly the writer's bytes again.
    assert encode_call(back, fv=fv, max_string_size=max_string) == data


@settings(max_examples=100, deadline=None)
@given(bound_rows(), st.booleans())
def test_reexecute_round_trip(case: tuple[list[BindMetadata], list[tuple[object, ...]]], query: bool) -> None:
    binds, rows = case
    request = ReexecuteRequest.for_query(9, row=rows[0]) if query else ReexecuteRequest.for_dml(9, rows=rows)
    w = Writer()
    request.encode(w, seq=1, token=None, binds=binds, max_string_size=4000)
    r = Reader(w.getvalue())
    header = FunctionHeader.decode(r, has_token=False)
    back = ReexecuteRequest.decode_body(r, header, binds=binds, max_string_size=4000)
    assert r.at_end()
    assert back.rows == tuple(tuple(_normal(v) for v in row) for row in request.rows)
    assert (back.function, back.cursor_id, back.num_iters, back.options_1, back.options_2) == (
        request.function, request.cursor_id, request.num_iters, request.options_1, request.options_2)


# ------------------------------------------------------------ bad input


def test_wrong_function() -> None:
    with pytest.raises(UnexpectedMessageError, match="function 5 is not EXECUTE"):
        ExecuteRequest.decode_body(Reader(b""), FunctionHeader(code=5), field_version=FV, max_string_size=4000)
    with pytest.raises(UnexpectedMessageError, match="not a re-execute"):
        ReexecuteRequest.decode_body(Reader(b""), FunctionHeader(code=94), binds=(), max_string_size=4000)


def test_limits() -> None:
    binds = [bind_metadata_for_values([1])] * 3
    data = encode_call(ExecuteRequest.for_dml("insert", binds=binds, rows=[(1, 2, 3)]))
    with pytest.raises(LimitExceededError, match="bind count of 3 exceeds the limit of 2"):
        decode_call(data, limits=Limits(max_binds=2))
    many = encode_call(ExecuteRequest.for_dml("insert", binds=binds[:1], rows=[(i,) for i in range(5)]))
    with pytest.raises(LimitExceededError, match="execution count of 5 exceeds the limit of 4"):
        decode_call(many, limits=Limits(max_rows=4))
    w = Writer()
    ReexecuteRequest(function=4, cursor_id=1, num_iters=10**6 + 1).encode(w, seq=1, token=None, binds=(),
                                                                         max_string_size=4000)
    r = Reader(w.getvalue())
    header = FunctionHeader.decode(r, has_token=False)
    with pytest.raises(LimitExceededError, match="re-execute iteration count"):
        ReexecuteRequest.decode_body(r, header, binds=binds[:1], max_string_size=4000)


def test_bind_row_without_row_data_byte() -> None:
    data = bytearray(encode_call(ExecuteRequest.for_dml("insert", binds=[bind_metadata_for_values([1])], rows=[(1,)])))
    assert data[-4:] == bytes.fromhex("07 02 C1 02")
    data[-4] = 0x08
    with pytest.raises(UnexpectedMessageError, match="expected a bind row"):
        decode_call(bytes(data))


def test_unsupported_bind_type_named() -> None:
    json = BindMetadata(ora_type=T.JSON, buffer_size=33554432)
    request = ExecuteRequest.for_dml("insert into t values (:1)", binds=[json], rows=[("text",)])
    with pytest.raises(EncodeError, match=r"JSON binds are not supported yet \(JSON"):
        encode_call(request)
    raw = encode_call(ExecuteRequest.for_dml("x", binds=[BindMetadata(ora_type=T.NUMBER)], rows=[(1,)]))
    # Swap the bind's type byte to JSON (119): the server must name the type it cannot read.
    # The 13-byte bind block sits right before the 4-byte row `07 02 C1 02`.
    at = len(raw) - 4 - 13
    assert raw[at : at + 2] == b"\x02\x01"
    patched = raw[:at] + b"\x77" + raw[at + 1 :]
    with pytest.raises(DecodeError, match="JSON binds are not supported yet"):
        decode_call(patched)


def test_row_count_mismatch() -> None:
    bad = ExecuteRequest(options=0x8029, binds=(bind_metadata_for_values([1]),), rows=((1,), (2,)), num_execs=1)
    with pytest.raises(EncodeError, match="2 bind rows for 1 executions"):
        encode_call(bad)
    with pytest.raises(EncodeError, match="bind row has 2 values for 1 binds"):
        encode_call(ExecuteRequest.for_dml("x", binds=[bind_metadata_for_values([1])], rows=[(1, 2)]))
