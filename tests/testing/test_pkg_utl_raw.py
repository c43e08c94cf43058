"""UTL_RAW on the embedded server's SQL engine: from SQL and from PL/SQL, NULL arguments, and
ORA-06502 where Oracle's UTL_RAW raises VALUE_ERROR."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from oracle_asyncio.testing.sql import OraError, Session
from tests.testing.plsql_helpers import out, rows


@pytest.fixture
def s(scott: Session) -> Session:
    return scott


def one(s: Session, expr: str, *binds: object) -> Any:
    return rows(s, f"select {expr} from dual", *binds)[0][0]


def test_casts_between_text_and_raw(s: Session) -> None:
    assert one(s, "utl_raw.cast_to_raw('abc')") == b"abc"
    assert one(s, "utl_raw.cast_to_varchar2('414243')") == "ABC"
    assert one(s, "utl_raw.cast_to_varchar2(utl_raw.cast_to_raw('h\u00e9'))") == "h\u00e9"
    assert one(s, "utl_raw.cast_to_nvarchar2('00410042')") == "AB"  # AL16UTF16
    assert one(s, "sys.utl_raw.cast_to_raw('x')") == b"x"
    assert one(s, "utl_raw.cast_to_raw(null)") is None
    assert one(s, "utl_raw.cast_to_varchar2(null)") is None


def test_length_concat_substr(s: Session) -> None:
    assert one(s, "utl_raw.length('010203')") == 3
    assert one(s, "utl_raw.length(null)") == 0
    assert one(s, "utl_raw.concat('01', null, '0203')") == b"\x01\x02\x03"
    assert one(s, "utl_raw.concat(null, null)") is None
    assert one(s, "utl_raw.substr('01020304', 2, 2)") == b"\x02\x03"
    assert one(s, "utl_raw.substr('01020304', -2)") == b"\x03\x04"
    assert one(s, "utl_raw.substr(null, 1)") is None
    for bad in ("0", "5", "1, 0", "3, 3"):
        with pytest.raises(OraError) as info:
            one(s, f"utl_raw.substr('01020304', {bad})")
        assert info.value.code == 6502


def test_bit_operations_keep_the_longer_tail(s: Session) -> None:
    assert one(s, "utl_raw.bit_and('0F0F', 'FF')") == b"\x0f\x0f"
    assert one(s, "utl_raw.bit_or('F0', '0F01')") == b"\xff\x01"
    assert one(s, "utl_raw.bit_xor('FF', 'FF')") == b"\x00"
    assert one(s, "utl_raw.bit_complement('00FF')") == b"\xff\x00"
    assert one(s, "utl_raw.bit_and(null, 'FF')") is None


def test_compare_reverse_copies(s: Session) -> None:
    assert one(s, "utl_raw.compare('0102', '0102')") == 0
    assert one(s, "utl_raw.compare('0102', '0103')") == 2
    assert one(s, "utl_raw.compare('01', '0100')") == 0  # padded with 00
    assert one(s, "utl_raw.compare('01', '0100', 'FF')") == 2
    assert one(s, "utl_raw.reverse('010203')") == b"\x03\x02\x01"
    assert one(s, "utl_raw.copies('AB', 3)") == b"\xab\xab\xab"
    for bad in ("utl_raw.reverse(null)", "utl_raw.copies('AB', 0)"):
        with pytest.raises(OraError) as info:
            one(s, bad)
        assert info.value.code == 6502


def test_number_casts(s: Session) -> None:
    assert one(s, "utl_raw.cast_from_number(1)") == b"\xc1\x02"  # Oracle NUMBER bytes of 1
    assert one(s, "utl_raw.cast_to_number(utl_raw.cast_from_number(-12.75))") == Decimal("-12.75")
    assert one(s, "utl_raw.cast_from_binary_integer(258)") == b"\x00\x00\x01\x02"
    assert one(s, "utl_raw.cast_from_binary_integer(258, 2)") == b"\x02\x01\x00\x00"
    assert one(s, "utl_raw.cast_to_binary_integer('0102')") == 258
    assert one(s, "utl_raw.cast_to_binary_integer('FFFFFFFF')") == -1
    assert one(s, "utl_raw.cast_to_binary_double(utl_raw.cast_from_binary_double(2.5))") == 2.5
    assert one(s, "utl_raw.cast_from_binary_float(1)") == b"\x3f\x80\x00\x00"
    assert one(s, "utl_raw.cast_from_number(null)") is None
    with pytest.raises(OraError) as info:
        one(s, "utl_raw.cast_to_binary_integer('0102030405')")
    assert info.value.code == 6502


def test_bad_hex_and_wrong_argument_count(s: Session) -> None:
    with pytest.raises(OraError) as info:
        one(s, "utl_raw.length('XYZ')")
    assert info.value.code == 6502
    with pytest.raises(OraError) as info:
        one(s, "utl_raw.cast_to_raw('a', 'b')")
    assert info.value.code == 909


def test_from_plsql_and_into_a_table(s: Session) -> None:
    assert out(s, "begin :r := utl_raw.cast_to_raw('pl'); end;") == b"pl"
    assert out(s, "declare r raw(10) := utl_raw.cast_to_raw('A'); begin :r := utl_raw.cast_to_varchar2(r); end;") \
        == "A"
    s.execute("create table b (id number, b blob, r raw(20))")
    s.execute("insert into b values (1, utl_raw.cast_to_raw('A short BLOB'), utl_raw.cast_to_raw('r'))")
    rows = s.execute("select b, r, utl_raw.length(r) from b").rows
    assert rows is not None and list(rows) == [(b"A short BLOB", b"r", 1)]
