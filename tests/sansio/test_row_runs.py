"""Run decoders (oracle_sansio/ttc/messages/row_runs.py): rows decoded in runs
agree with the row-at-a-time path on every input, good or bad, and the
generated source never carries what the server sent."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable
from decimal import Decimal
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio import codecs
from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import DecodeError, NeedMoreData
from oracle_sansio.ttc.messages.describe import ColumnMetadata, column_for
from oracle_sansio.ttc.messages.row_runs import KINDS, run_source
from oracle_sansio.ttc.messages.rows import RowColumn, RowDecoder, RowEncoder
from oracle_sansio.ttc.messages.values import BodyDecoder
from oracle_sansio.ttc.wire import Reader, Writer

T = OracleType
Row = tuple[object, ...]


def col(ora_type: int, csfrm: int | None = None, *, name: str = "C", scale: int = 0,
        buffer_size: int | None = None) -> ColumnMetadata:
    return column_for(name, ora_type, csfrm=csfrm, scale=scale, max_size=100, buffer_size=buffer_size)


def plain_numbers(column: RowColumn) -> BodyDecoder | None:
    """python-oracledb's NUMBER types, as oracle_asyncio chooses them."""
    if column.ora_type != T.NUMBER:
        return None
    return codecs.decode_number_float if getattr(column, "scale", 0) > 0 else codecs.decode_number_int_or_float


def decimals(column: RowColumn) -> BodyDecoder | None:
    """fetch_decimals: every NUMBER as Decimal."""
    return codecs.decode_number_decimal if column.ora_type == T.NUMBER else None


CHOICES = (None, plain_numbers, decimals)
_datetimes = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59))
_numbers = (st.integers(-(10**12), 10**12) | st.integers(-(10**38), 10**38)
            | st.decimals(allow_nan=False, allow_infinity=False, places=4).filter(lambda d: abs(d) < 10**20))
STRATEGIES: dict[tuple[int, int], st.SearchStrategy[object]] = {
    (T.VARCHAR, 1): st.text(max_size=60),
    (T.VARCHAR, 2): st.text(max_size=30),
    (T.CHAR, 1): st.text(min_size=1, max_size=5),
    (T.NUMBER, 0): _numbers,
    (T.BINARY_INTEGER, 0): st.integers(-(2**31), 2**31 - 1),
    (T.DATE, 0): _datetimes.map(lambda d: d.replace(microsecond=0)),
    (T.TIMESTAMP, 0): _datetimes,
    (T.TIMESTAMP_TZ, 0): _datetimes,
    (T.BINARY_FLOAT, 0): st.floats(width=32),
    (T.BINARY_DOUBLE, 0): st.floats(),
    (T.RAW, 0): st.binary(min_size=1, max_size=40),
    (T.BOOLEAN, 0): st.booleans(),
    (T.ROWID, 0): st.just("AAAAB0AABAAAAKBAAA"),
    (T.LONG, 1): st.text(max_size=300),
}
TYPES = sorted(STRATEGIES)


@st.composite
def row_batches(draw: st.DrawFn) -> tuple[list[ColumnMetadata], bytes]:
    """Columns (some never sent) and several ROW_DATA messages of them."""
    kinds = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=6))
    cols = [col(t, c or None, buffer_size=0 if draw(st.integers(0, 9)) == 0 else None) for t, c in kinds]
    encoder = RowEncoder(cols)
    w = Writer()
    for _ in range(draw(st.integers(1, 6))):
        encoder.encode(w, [draw(st.none() | STRATEGIES[k]) for k in kinds])
    return cols, w.getvalue()


Outcome = tuple[list[list[tuple[type, str]]], int | None, str | None]


def _shown(rows: list[Row]) -> list[list[tuple[type, str]]]:
    # repr tells -0.0 from 0.0 and compares NaNs.
    return [[(type(v), repr(v)) for v in row] for row in rows]


def one_at_a_time(data: bytes | bytearray, cols: list[ColumnMetadata], choose: Any) -> Outcome:
    """The row-at-a-time path: RowDecoder.decode per message, as before runs."""
    decoder = RowDecoder(cols, choose)
    rows: list[Row] = []
    r = Reader(data)
    start = 0
    try:
        while start < len(data) and data[start] == 7:
            r.pos = start + 1
            try:
                row = decoder.decode(r)
            except NeedMoreData:
                break
            rows.append(row)
            start = r.pos
    except DecodeError as exc:
        return _shown(rows), None, exc.message
    return _shown(rows), start, None


def in_runs(data: bytes | bytearray, cols: list[ColumnMetadata], choose: Any) -> Outcome:
    decoder = RowDecoder(cols, choose)
    rows: list[Row] = []
    r = Reader(data)
    try:
        decoder.decode_following(r, rows)
    except DecodeError as exc:
        return _shown(rows), None, exc.message
    return _shown(rows), r.pos, None


@settings(max_examples=400, deadline=None)
@given(row_batches(), st.integers(0, 2**32), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3))
def test_runs_agree_with_one_row_at_a_time(batch: tuple[list[ColumnMetadata], bytes], cut: int,
                                           flips: list[tuple[int, int]]) -> None:
    cols, data = batch
    buf = bytearray(data)
    for at, value in flips:  # damaged bytes: both paths must fail (or not) alike
        buf[at % len(buf)] = value
    buf = buf[: cut % (len(buf) + 1)] if cut & 1 else buf
    for choose in CHOICES:
        for form in (bytes(buf), buf):
            assert in_runs(form, cols, choose) == one_at_a_time(form, cols, choose)


EDGES: list[tuple[ColumnMetadata, object]] = [
    (col(T.NUMBER), 0), (col(T.NUMBER), 1), (col(T.NUMBER), 99), (col(T.NUMBER), 100), (col(T.NUMBER), 999_999),
    (col(T.NUMBER), 1_000_000), (col(T.NUMBER), 10**30), (col(T.NUMBER), 1234567), (col(T.NUMBER), 9876543210),
    (col(T.NUMBER), 12345678901), (col(T.NUMBER), Decimal("12345678.9")), (col(T.NUMBER, scale=2), Decimal("98765432.1")), (col(T.NUMBER), -1), (col(T.NUMBER), -123456),
    (col(T.NUMBER), Decimal("1.5")), (col(T.NUMBER), Decimal("-0.001")), (col(T.NUMBER, scale=2), Decimal("12.25")),
    (col(T.NUMBER), Decimal("1.10")), (col(T.NUMBER), Decimal("0.000000000000000000012")),
    (col(T.NUMBER), Decimal("123456.7")), (col(T.NUMBER, scale=2), 5), (col(T.NUMBER, scale=2), 10**22),
    (col(T.NUMBER, scale=2), 10**24), (col(T.NUMBER, scale=2), Decimal("0.1")), (col(T.NUMBER, scale=9), Decimal("1E-22")),
    (col(T.NUMBER, scale=9), Decimal("1E-23")), (col(T.NUMBER, scale=2), -5),
    (col(T.DATE), dt.datetime(1, 1, 1)), (col(T.DATE), dt.datetime(9999, 12, 31, 23, 59, 59)),
    (col(T.DATE), dt.datetime(2024, 2, 29, 12)), (col(T.TIMESTAMP), dt.datetime(2024, 2, 29, 12, 0, 0, 999_999)),
    (col(T.TIMESTAMP), dt.datetime(1999, 1, 1)),
    (col(T.BINARY_DOUBLE), 0.0), (col(T.BINARY_DOUBLE), -0.0), (col(T.BINARY_DOUBLE), math.inf),
    (col(T.BINARY_DOUBLE), -math.inf), (col(T.BINARY_DOUBLE), -1.5e-300), (col(T.BINARY_DOUBLE), 5e-324),
    (col(T.BINARY_FLOAT), -0.0), (col(T.BINARY_FLOAT), -2.5), (col(T.BINARY_FLOAT), 3.0),
    (col(T.VARCHAR, 1), ""), (col(T.VARCHAR, 1), "x" * 253), (col(T.VARCHAR, 1), "żółw ✓"), (col(T.VARCHAR, 2), "ab"),
]


@pytest.mark.parametrize(("column", "value"), EDGES)
def test_edge_values_in_runs(column: ColumnMetadata, value: object) -> None:
    w = Writer()
    encoder = RowEncoder([column, column])
    for _ in range(3):
        encoder.encode(w, [value, None])
        encoder.encode(w, [None, value])
    data = w.getvalue()
    for choose in CHOICES:
        got = in_runs(data, [column, column], choose)
        assert got == one_at_a_time(data, [column, column], choose)
        assert got[1] == len(data)


def test_rows_of_no_columns() -> None:
    data = bytes([7, 7, 7, 21])
    assert in_runs(data, [], None) == one_at_a_time(data, [], None) == ([[], [], []], 3, None)


BAD: list[tuple[ColumnMetadata, bytes, str]] = [
    (col(T.DATE), bytes([120, 124, 13, 1, 1, 1, 1]), "month 13"),
    (col(T.DATE), bytes([120, 124, 2, 30, 1, 1, 1]), "day 30"),
    (col(T.DATE), bytes([120, 99, 1, 1, 1, 1, 1]), "year"),
    (col(T.DATE), bytes([120, 124, 1, 1, 0, 1, 1]), "hour -1"),
    (col(T.DATE), bytes(6), "must be 7 bytes"),
    (col(T.TIMESTAMP), bytes([120, 124, 1, 1, 1, 1, 1]) + (10**9).to_bytes(4, "big"), "fractional second"),
    # The run reads a TIMESTAMP's seven date bytes before it checks the length.
    (col(T.TIMESTAMP), bytes([120, 124, 1, 1, 1]), "must be 7 or 11 bytes, got 5"),
    (col(T.TIMESTAMP), bytes([120, 124, 2, 30, 1, 1, 1]), "day 30"),
    (col(T.DATE), bytes([120, 123, 2, 29, 13, 1, 1]), "day 29"),
    (col(T.BINARY_DOUBLE), bytes(7), "must be 8 bytes"),
    (col(T.BINARY_FLOAT), bytes(5), "must be 4 bytes"),
    (col(T.NUMBER), bytes([0xC2, 0x00, 0x05]), "mantissa byte 0x00"),
    (col(T.NUMBER), bytes([0xC2, 0x66]), "mantissa byte 0x66"),
    (col(T.NUMBER), bytes([0xC1, 0x02, 0x00]), "mantissa byte 0x00"),
    (col(T.NUMBER), bytes([0xC0, 0x66]), "mantissa byte 0x66"),
    (col(T.NUMBER, scale=2), bytes([0xC2, 0x66]), "mantissa byte 0x66"),
    (col(T.NUMBER, scale=2), bytes([0xC0, 0x02, 0xFF]), "mantissa byte 0xFF"),
    (col(T.VARCHAR, 1), b"\xff\xfe", "invalid AL32UTF8"),
]


@pytest.mark.parametrize(("column", "body", "said"), BAD)
def test_bad_values_in_runs_raise_the_codec_error(column: ColumnMetadata, body: bytes, said: str) -> None:
    good = Writer()
    RowEncoder([column]).encode(good, [None])
    data = good.getvalue() * 3 + bytes([7, len(body)]) + body + good.getvalue()
    for form in (data, bytearray(data)):
        rows: list[Row] = []
        with pytest.raises(DecodeError, match=said):
            RowDecoder([column]).decode_following(Reader(form), rows)
        assert rows == [(None,)] * 3
        for choose in CHOICES:
            assert in_runs(form, [column], choose) == one_at_a_time(form, [column], choose)


def _python_calls(fn: Callable[[], object]) -> int:
    """How many Python-level function calls ``fn`` makes (a work count, not a timing)."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def test_a_run_of_rows_makes_no_call_per_row_or_value() -> None:
    cols = [col(T.NUMBER), col(T.VARCHAR, 1), col(T.DATE), col(T.BINARY_DOUBLE)]
    encoder = RowEncoder(cols)
    w = Writer()
    for i in range(1, 1001):
        encoder.encode(w, [i, str(i), dt.datetime(2026, 1, 1) + dt.timedelta(days=i), i * 1.5])
    data = bytearray(w.getvalue())
    decoder = RowDecoder(cols, plain_numbers)
    decoder.decode_following(Reader(data[:40]), [])  # builds the run decoder
    rows: list[Row] = []
    calls = _python_calls(lambda: decoder.decode_following(Reader(data), rows))
    assert len(rows) == 1000
    assert rows[999] == (1000, "1000", dt.datetime(2028, 9, 27), 1500.0)
    assert calls < 10  # row at a time: 5 or more per row


def test_a_one_row_reply_builds_no_run_decoder() -> None:
    """select 1: the row is read by RowDecoder.decode; building a run decoder would be waste."""
    cols = [col(T.NUMBER)]
    w = Writer()
    RowEncoder(cols).encode(w, [1])
    data = w.getvalue() + bytes([4])  # then the end-of-call message
    decoder = RowDecoder(cols)
    r = Reader(data, 1)
    assert decoder.decode(r) == (1,)
    called: list[str] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            called.append(frame.f_code.co_name)

    rows: list[Row] = []
    sys.setprofile(profile)
    try:
        decoder.decode_following(r, rows)
    finally:
        sys.setprofile(None)
    assert rows == [] and r.pos == len(data) - 1
    assert "run_decoder" not in called and "_runner" not in called, called


EVIL_NAMES = ['x"; import os; os._exit(3) #', "a\nimport os\nos._exit(3)", "'''", '"""\n', "v0 = 1", "{i}", "\\"]


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_column_names_never_reach_the_generated_source(name: str) -> None:
    cols = [col(T.NUMBER, name=name), col(T.VARCHAR, 1, name=name), col(T.DATE, name=name), col(T.RAW, name=name)]
    decoder = RowDecoder(cols)
    w = Writer()
    for _ in range(3):
        RowEncoder(cols).encode(w, [7, name, dt.datetime(2020, 1, 2), name.encode()])
    rows: list[Row] = []
    decoder.decode_following(Reader(w.getvalue()), rows)
    assert rows == [(7, name, dt.datetime(2020, 1, 2), name.encode())] * 3


def test_source_is_built_from_known_kinds_only() -> None:
    source = run_source(sorted(KINDS))
    assert "def make(" in source
    with pytest.raises(ValueError, match="unknown column kind"):
        run_source(["int", "x = 1"])


def test_a_very_wide_row_gets_no_generated_decoder() -> None:
    """Compiling the run decoder costs about a millisecond per column: a describe of
    thousands of columns (a wide table, or a hostile server's) would hold the event
    loop for seconds.  Past MAX_RUN_COLUMNS the rows are read one at a time, alike."""
    from oracle_sansio.ttc.messages.row_runs import MAX_RUN_COLUMNS
    width = MAX_RUN_COLUMNS + 1
    cols = [col(T.NUMBER, name=f"C{i}") for i in range(width)]
    encoder = RowEncoder(cols)
    w = Writer()
    for i in range(3):
        encoder.encode(w, [i * 1000 + j for j in range(width)])
    data = w.getvalue()
    called: list[str] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            called.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        outcome = in_runs(data, cols, plain_numbers)
    finally:
        sys.setprofile(None)
    assert "run_source" not in called
    assert outcome == one_at_a_time(data, cols, plain_numbers)
    assert outcome[0][2][width - 1] == (int, repr(2000 + width - 1))
