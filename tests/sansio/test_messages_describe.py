"""DESCRIBE_INFO: the real 23ai describes, round trips at every field version, bad input."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import EncodeError, LimitExceededError, NeedMoreData
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import MessageType
from oracle_sansio.ttc.messages.describe import ColumnMetadata, DescribeInfo, column_for
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_oracle_nio_23ai

NIO = load_oracle_nio_23ai()
FV_23AI = 24  # the real capture's field version (docs/protocol-ttc.md 1.8)


def describe_bytes(name: str) -> bytes:
    """The DESCRIBE_INFO message at the start of a captured reply (TTC starts at byte 10)."""
    body = NIO[name][10:]
    r = Reader(body)
    assert r.ub1() == MessageType.DESCRIBE_INFO
    DescribeInfo.decode_body(r, field_version=FV_23AI)
    return body[: r.pos]


def decode(data: bytes, fv: int = FV_23AI, **kw: object) -> DescribeInfo:
    r = Reader(data)
    assert r.ub1() == MessageType.DESCRIBE_INFO
    info = DescribeInfo.decode_body(r, field_version=fv, **kw)  # type: ignore[arg-type]
    assert r.at_end()
    return info


def encode(info: DescribeInfo, fv: int = FV_23AI) -> bytes:
    w = Writer()
    info.encode(w, field_version=fv)
    return w.getvalue()


# ------------------------------------------------------------ real captures


def test_real_select_one_describe() -> None:
    # oracle-nio SelectOneFromDualMessage.swift (real 23ai), decoded in docs/protocol-ttc.md 4.14.
    data = describe_bytes("SelectOneFromDualMessage")
    info = decode(data)
    assert len(info.prefix) == 23
    assert info.prefix[-7:] == bytes.fromhex("78 7D 04 03 07 2B 25")
    assert info.max_row_size == 5
    assert info.columns_byte == 0x82
    (col,) = info.columns
    assert col == ColumnMetadata(
        name="'HELLO'",
        ora_type=OracleType.CHAR,
        csfrm=1,
        flags=0x80,
        buffer_size=5,
        charset_id=873,
        max_size=5,
        oaccolid=16382,
        nullable=True,
    )
    assert info.current_date == bytes.fromhex("78 7D 04 03 07 2C 08")
    assert (info.dcb_flags, info.dcb_mdbz, info.dcb_mnpr, info.dcb_mxpr) == (0, 8168, 2, 2)
    assert info.dcb_qcky is None
    assert encode(info) == data


def test_real_select_many_describe() -> None:
    # oracle-nio SelectManyFromDualMessage.swift (real 23ai): one NUMBER column "ID".
    data = describe_bytes("SelectManyFromDualMessage")
    info = decode(data)
    (col,) = info.columns
    assert col == ColumnMetadata(name="ID", ora_type=OracleType.NUMBER, buffer_size=22)
    assert info.max_row_size == 22
    assert (info.dcb_mnpr, info.dcb_mxpr) == (10, 10)
    assert encode(info) == data


def test_column_for_matches_real_server() -> None:
    # The capture's NUMBER column is exactly what column_for builds.
    (number,) = decode(describe_bytes("SelectManyFromDualMessage")).columns
    assert column_for("ID", OracleType.NUMBER) == number
    # CHAR(5) 'hello': buffer 5, max size 5, charset 873, csfrm 1; flags/oaccolid are server-internal.
    (char,) = decode(describe_bytes("SelectOneFromDualMessage")).columns
    built = column_for("'HELLO'", OracleType.CHAR, max_size=5)
    assert (built.buffer_size, built.max_size, built.charset_id, built.csfrm) == (
        char.buffer_size,
        char.max_size,
        char.charset_id,
        char.csfrm,
    )


def test_column_for_sizes() -> None:
    assert column_for("D", OracleType.DATE).buffer_size == 7
    assert column_for("T", OracleType.TIMESTAMP_TZ).buffer_size == 13
    nchar = column_for("N", OracleType.VARCHAR, csfrm=2, max_size=10)
    assert (nchar.buffer_size, nchar.charset_id) == (20, 2000)
    assert column_for("R", OracleType.RAW, max_size=16).buffer_size == 16
    assert column_for("L", OracleType.LONG).buffer_size == 0
    assert column_for("X", OracleType.VARCHAR, max_size=3, buffer_size=0).buffer_size == 0


def test_negative_scale_is_one_raw_byte() -> None:
    # docs/protocol-ttc.md 4.1: precision/scale are single raw bytes; [live] python
    # accepted 0x81 for -127 (unconstrained NUMBER).
    col = ColumnMetadata(name="N", ora_type=OracleType.NUMBER, scale=-127, buffer_size=22)
    w = Writer()
    col.encode(w, field_version=8)
    assert w.getvalue()[:4] == bytes.fromhex("02 00 00 81")
    assert ColumnMetadata.decode(Reader(w.getvalue()), field_version=8) == col


def test_field_version_gates() -> None:
    col = ColumnMetadata(
        name="C",
        ora_type=OracleType.VARCHAR,
        csfrm=1,
        buffer_size=40,
        oaccolid=7,
        domain_schema="S",
        domain_name="D",
        annotations=(("k", "v", 0),),
        vector_dimensions=3,
        vector_format=2,
        vector_flags=1,
    )
    sizes = {}
    for fv in (7, 8, 17, 20, 24):
        w = Writer()
        col.encode(w, field_version=fv)
        sizes[fv] = len(w.getvalue())
        back = ColumnMetadata.decode(Reader(w.getvalue()), field_version=fv)
        assert back.oaccolid == (7 if fv >= 8 else 0)
        assert back.domain_name == ("D" if fv >= 17 else None)
        assert back.annotations == ((("k", "v", 0),) if fv >= 20 else ())
        assert back.vector_dimensions == (3 if fv >= 24 else 0)
    # oaccolid `01 07`; two one-letter DLCs `01 01 01 xx`; vector `01 03`, format, flags.
    assert sizes[8] - sizes[7] == 2
    assert sizes[17] - sizes[8] == 8
    assert sizes[24] - sizes[20] == 4


# ------------------------------------------------------------ round trips

_names = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
_opt_names = st.none() | st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
_ub4 = st.integers(0, 0xFFFFFFFF)


@st.composite
def columns(draw: st.DrawFn, fv: int) -> ColumnMetadata:
    return ColumnMetadata(
        name=draw(_names),
        ora_type=draw(st.integers(0, 255)),
        csfrm=draw(st.integers(0, 2)),
        flags=draw(st.integers(0, 255)),
        precision=draw(st.integers(-128, 127)),
        scale=draw(st.integers(-128, 127)),
        buffer_size=draw(_ub4),
        max_array_elements=draw(_ub4),
        cont_flags=draw(st.integers(0, 2**64 - 1)),
        oid=draw(st.none() | st.binary(min_size=1, max_size=16)),
        version=draw(st.integers(0, 0xFFFF)),
        charset_id=draw(st.sampled_from([0, 873, 2000])),
        max_size=draw(_ub4),
        oaccolid=draw(_ub4) if fv >= 8 else 0,
        nullable=draw(st.booleans()),
        schema=draw(_opt_names),
        type_name=draw(_opt_names),
        position=draw(st.integers(0, 0xFFFF)),
        uds_flags=draw(_ub4),
        domain_schema=draw(_opt_names) if fv >= 17 else None,
        domain_name=draw(_opt_names) if fv >= 17 else None,
        annotations=tuple(
            draw(st.lists(st.tuples(_names, _names, _ub4), max_size=3)) if fv >= 20 else ()
        ),
        vector_dimensions=draw(_ub4) if fv >= 24 else 0,
        vector_format=draw(st.integers(0, 255)) if fv >= 24 else 0,
        vector_flags=draw(st.integers(0, 255)) if fv >= 24 else 0,
    )


@st.composite
def describes(draw: st.DrawFn, fv: int) -> DescribeInfo:
    return DescribeInfo(
        max_row_size=draw(_ub4),
        columns=tuple(draw(st.lists(columns(fv), max_size=4))),
        prefix=draw(st.binary(max_size=30)),
        current_date=draw(st.none() | st.binary(min_size=1, max_size=7)),
        dcb_flags=draw(_ub4),
        dcb_mdbz=draw(_ub4),
        dcb_mnpr=draw(_ub4),
        dcb_mxpr=draw(_ub4),
        dcb_qcky=draw(st.none() | st.binary(min_size=1, max_size=8)),
        columns_byte=draw(st.integers(0, 255)),
    )


def _normalise(info: DescribeInfo) -> DescribeInfo:
    # The skipped byte is only on the wire when there are columns.
    return info if info.columns else dataclasses.replace(info, columns_byte=0x82)


@pytest.mark.parametrize("fv", [7, 8, 17, 20, 24])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_describe_round_trip(fv: int, data: st.DataObject) -> None:
    info = data.draw(describes(fv))
    wire = encode(info, fv)
    assert decode(wire, fv) == _normalise(info)


@settings(max_examples=40, deadline=None)
@given(info=describes(24))
def test_describe_body_without_prefix(info: DescribeInfo) -> None:
    # REF cursors and implicit results carry the body without the leading CLR (docs/protocol-ttc.md 3.10, 4.12).
    w = Writer()
    info.encode_body(w, field_version=24, with_prefix=False)
    r = Reader(w.getvalue())
    back = DescribeInfo.decode_body(r, field_version=24, with_prefix=False)
    assert r.at_end()
    assert back == dataclasses.replace(_normalise(info), prefix=b"")


# ------------------------------------------------------------ bad input


@pytest.mark.parametrize("name", ["SelectOneFromDualMessage", "SelectManyFromDualMessage"])
def test_every_truncation_needs_more_data(name: str) -> None:
    data = describe_bytes(name)
    for cut in range(1, len(data)):
        r = Reader(data[:cut])
        r.ub1()
        with pytest.raises(NeedMoreData):
            DescribeInfo.decode_body(r, field_version=FV_23AI)


def test_column_count_limit() -> None:
    info = DescribeInfo(columns=tuple(column_for(f"C{i}", OracleType.NUMBER) for i in range(5)))
    with pytest.raises(LimitExceededError, match="describe column count of 5 exceeds the limit of 4"):
        decode(encode(info), limits=Limits(max_columns=4))


def test_huge_column_count_rejected_before_reading() -> None:
    # 10 00 | ub4 max row size 0 | ub4 count 0xFFFFFFFF: refused at once, no wait for data.
    with pytest.raises(LimitExceededError, match="describe column count"):
        decode(bytes.fromhex("10 00 00 04 FF FF FF FF"))


def test_annotation_count_limit() -> None:
    col = ColumnMetadata(name="C", annotations=tuple((f"k{i}", "v", 0) for i in range(3)))
    w = Writer()
    col.encode(w, field_version=24)
    with pytest.raises(LimitExceededError, match="column annotation count"):
        ColumnMetadata.decode(Reader(w.getvalue()), field_version=24, limits=Limits(max_kv_pairs=2))


def test_precision_out_of_range() -> None:
    with pytest.raises(EncodeError, match="precision 200"):
        ColumnMetadata(name="X", precision=200).encode(Writer(), field_version=24)
