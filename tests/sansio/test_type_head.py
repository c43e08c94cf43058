"""The type block shared by bind metadata and DESCRIBE columns (ttc/messages/type_head.py).

The expected bytes are spelled out field by field from the layout in
docs/protocol-ttc.md 3.3 and 4.1 (python-oracledb base.pyx ``_write_column_metadata``),
so the shared writer is checked against the layout, not against itself.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.errors import EncodeError
from oracle_sansio.ttc.messages.binds import BindMetadata
from oracle_sansio.ttc.messages.describe import ColumnMetadata
from oracle_sansio.ttc.wire import Reader, Writer

OIDS = st.none() | st.binary(min_size=1, max_size=16)


def _layout(
    ora_type: int, flags: int, precision: int, scale: int, buffer_size: int, array: int, cont: int,
    oid: bytes | None, version: int, wide_version: bool, charset: int, csfrm: int, max_size: int,
    oaccolid: int, fv: int,
) -> bytes:
    w = Writer()
    for byte in (ora_type, flags, precision & 0xFF, scale & 0xFF):
        w.ub1(byte)
    w.ub4(buffer_size)
    w.ub4(array)
    w.ub8(cont)
    w.dlc(oid)
    (w.ub4 if wide_version else w.ub2)(version)
    w.ub2(charset)
    w.ub1(csfrm)
    w.ub4(max_size)
    if fv >= 8:
        w.ub4(oaccolid)
    return w.getvalue()


@pytest.mark.parametrize("fv", [7, 8])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_bind_block_bytes_follow_the_layout(fv: int, data: st.DataObject) -> None:
    oid = data.draw(OIDS)
    meta = BindMetadata(
        ora_type=data.draw(st.integers(0, 255)), flags=data.draw(st.integers(0, 255)),
        precision=data.draw(st.integers(0, 255)), scale=data.draw(st.integers(0, 255)),
        buffer_size=data.draw(st.integers(0, 2**32 - 1)), oid=oid,
        version=data.draw(st.integers(0, 2**32 - 1 if oid else 0xFFFF)),
        max_chars_or_lob_prefetch=data.draw(st.integers(0, 2**32 - 1)), oaccolid=fv,
    )
    w = Writer()
    meta.encode(w, field_version=fv)
    assert w.getvalue() == _layout(
        meta.ora_type, meta.flags, meta.precision, meta.scale, meta.buffer_size, 0, 0, oid, meta.version,
        bool(oid), 0, 0, meta.max_chars_or_lob_prefetch, meta.oaccolid, fv,
    )


@settings(max_examples=60, deadline=None)
@given(oid=OIDS, precision=st.integers(-128, 127), scale=st.integers(-128, 127), version=st.integers(0, 0xFFFF))
def test_column_block_is_signed_and_keeps_a_ub2_version(
    oid: bytes | None, precision: int, scale: int, version: int
) -> None:
    col = ColumnMetadata(ora_type=2, precision=precision, scale=scale, oid=oid, version=version, max_size=22)
    w = Writer()
    col.encode(w, field_version=8)
    head = _layout(2, 0, precision, scale, 0, 0, 0, oid, version, False, 0, 0, 22, 0, 8)
    assert w.getvalue().startswith(head)
    r = Reader(w.getvalue())
    assert ColumnMetadata.decode(r, field_version=8) == col


def test_object_bind_version_is_a_ub4_and_a_column_version_a_ub2() -> None:
    big = 0x1_0000  # too large for a ub2
    w = Writer()
    BindMetadata(ora_type=109, oid=b"\x01" * 16, version=big).encode(w, field_version=8)
    assert BindMetadata.decode(Reader(w.getvalue()), field_version=8).version == big
    with pytest.raises(EncodeError):
        ColumnMetadata(ora_type=109, oid=b"\x01" * 16, version=big).encode(Writer(), field_version=8)


def test_column_precision_outside_a_signed_byte_is_refused() -> None:
    with pytest.raises(EncodeError, match="column scale 128 does not fit in one signed byte"):
        ColumnMetadata(scale=128).encode(Writer(), field_version=8)
