"""Bind rows written in one pass (BindRows.encode_rows), bind metadata shared
between binds, and the short NUMBER paths: the same bytes as the value-by-value
writers, with less work (issue 14, insert-many)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

import pytest

from oracle_sansio.codecs import OracleType
from oracle_sansio.codecs.number import _encode_digits, encode_number
from oracle_sansio.errors import EncodeError
from oracle_sansio.ttc.constants import BindFlag
from oracle_sansio.ttc.messages.binds import (
    BindMetadata,
    BindRows,
    bind_metadata_for_values,
    lob_bind_metadata,
)
from oracle_sansio.ttc.messages.lob import LobValue, make_locator
from oracle_sansio.ttc.wire import Writer


def _one_by_one(rows_writer: BindRows, rows: Sequence[Sequence[object]]) -> bytes:
    w = Writer()
    for row in rows:
        rows_writer.encode(w, row)
    return w.getvalue()


def _batched(rows_writer: BindRows, rows: Sequence[Sequence[object]]) -> bytes:
    w = Writer()
    rows_writer.encode_rows(w, rows)
    return w.getvalue()


COLUMNS: list[list[object]] = [
    [i * 37 - 500 for i in range(40)] + [None, 10**30, Decimal("-1.25"), 2.5, True],
    [f"value {i}" * (i % 5) for i in range(40)] + [None, "", "é" * 300, b"bytes", "x"],
    [*(dt.datetime(2020, 1, 1) + dt.timedelta(days=i) for i in range(40)), None, dt.date(1999, 12, 31), None,
     dt.date(1999, 12, 31), dt.datetime(2024, 2, 29, 23, 59, 59)],
    [b"\x00\x01" * i for i in range(40)] + [None, b"", b"z" * 600, b"q", b"r"],
    [bool(i % 2) for i in range(40)] + [None, True, False, None, True],
]


def test_encode_rows_writes_what_encode_writes() -> None:
    rows = list(zip(*COLUMNS))
    binds = [bind_metadata_for_values(c) for c in COLUMNS]
    for max_string_size in (4000, 32767):  # 4000: the long RAW/VARCHAR binds go last
        writer = BindRows(binds, is_plsql=False, max_string_size=max_string_size)
        assert _batched(writer, rows) == _one_by_one(writer, rows)


def test_encode_rows_falls_back_for_lobs_and_arrays() -> None:
    lob = lob_bind_metadata(OracleType.BLOB)
    array = BindMetadata(ora_type=OracleType.NUMBER, buffer_size=22, flags=BindFlag.USE_INDICATORS | BindFlag.ARRAY,
                         max_array_elements=5)
    locator = make_locator(7, ora_type=OracleType.BLOB, csfrm=0, temporary=True)
    value = LobValue(locator=locator)
    for binds, rows in (([lob, bind_metadata_for_values([1])], [(value, 1), (None, 2)]),
                        ([array], [([1, 2, 3],), ([],)])):
        writer = BindRows(binds, is_plsql=True, max_string_size=32767)
        assert _batched(writer, rows) == _one_by_one(writer, rows)


def test_encode_rows_refuses_what_encode_refuses() -> None:
    writer = BindRows([bind_metadata_for_values([1]), bind_metadata_for_values(["a"])], is_plsql=False,
                      max_string_size=32767)
    for bad in ([(1, "a"), ("not a number", "b")], [(1, "a"), (2,)]):
        with pytest.raises(EncodeError) as batched:
            writer.encode_rows(Writer(), bad)
        with pytest.raises(EncodeError) as single:
            _one_by_one(writer, bad)
        assert str(batched.value) == str(single.value)


def test_metadata_blocks_are_shared() -> None:
    # Without the shared blocks every bind built its own 13-field frozen block.
    assert bind_metadata_for_values([1]) is bind_metadata_for_values([2.5])
    assert bind_metadata_for_values([dt.date(2020, 1, 1)]) is bind_metadata_for_values([dt.datetime(2021, 1, 1)])
    assert bind_metadata_for_values(["abc"]) is bind_metadata_for_values(["xyz"])
    assert bind_metadata_for_values(["abc"]) is not bind_metadata_for_values(["abcd"])


def test_metadata_of_a_column_in_one_pass_matches_the_rules() -> None:
    # Text grows by characters after the first value's UTF-8 length.
    assert bind_metadata_for_values(["é" * 3, "abcd"]).buffer_size == 6 * 4
    assert bind_metadata_for_values(["ab", "é" * 5]).buffer_size == 5 * 4
    assert bind_metadata_for_values([None, 1, 2.5, Decimal(3)]).ora_type == OracleType.NUMBER
    with pytest.raises(EncodeError, match="row 2"):
        bind_metadata_for_values([1, 2, "three"])
    with pytest.raises(EncodeError, match="row 1"):
        bind_metadata_for_values([dt.date(2020, 1, 1), 5])


def _reference(value: int | float) -> bytes:
    # encode_number's general path: digits from str()/repr().
    if isinstance(value, int):
        text = str(abs(value))
        return _encode_digits(value < 0, text.rstrip("0"), len(text), value)
    mantissa, _, exp = repr(value).partition("e")
    int_part, _, frac = mantissa.lstrip("-").partition(".")
    whole = (int_part + frac).lstrip("0")
    return _encode_digits(value < 0, whole.rstrip("0"), len(whole) - len(frac) + (int(exp) if exp else 0), value)


def test_number_short_paths_match_the_general_one() -> None:
    rng = random.Random(14)
    ints = list(range(1, 3000)) + [rng.randrange(1, 10**38) for _ in range(3000)]
    ints += [10**k for k in range(38)] + [10**k - 1 for k in range(1, 39)] + [10**38 - 1]
    for v in ints:
        assert encode_number(v) == _reference(v), v
    floats = [float(i) for i in range(-3000, 3000)] + [float(rng.randrange(-2**53 + 1, 2**53)) for _ in range(3000)]
    floats += [1e15, 1e16 - 2, 2.0**53 - 1, -(2.0**53 - 1), 0.0, -0.0, 1.5, -2.25, 1e16, 9.999999999999998e15,
               1e-4, 0.0001234, 9.99e-5, 0.1, 0.5, 123.456, 1e-130, 5e125]
    floats += [rng.random() * 10.0**k * rng.choice((1, -1)) for k in range(-8, 20) for _ in range(100)]
    for f in floats:
        assert encode_number(f) == _reference(f), f
