"""Batch encoders (oracle_sansio/ttc/messages/bind_runs.py): executemany rows
written by the generated per-shape encoder are byte for byte what the
value-by-value writers write, raise the same typed errors, and cost no Python
call per usual value (issue 14, insert-many)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.errors import EncodeError
from oracle_sansio.ttc.messages.binds import BindRows, bind_metadata_for_values
from oracle_sansio.ttc.messages.bind_runs import KINDS, batch_source
from oracle_sansio.ttc.wire import Writer

_INT = bind_metadata_for_values([1])
_TEXT = bind_metadata_for_values(["x" * 30])
_DATE = bind_metadata_for_values([dt.datetime(2020, 1, 1)])
_NCHAR_FREE_BINDS = [_INT, _TEXT, _DATE, _INT]

_numbers = (
    st.integers(-(10**12), 10**12)
    | st.integers(-(10**40), 10**40)
    | st.integers(-(10**130), 10**130)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=1e-6, max_value=1e18)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).filter(lambda d: abs(d) < 10**20)
    | st.booleans()
    | st.none()
)
_texts = st.text(max_size=80) | st.text(min_size=60, max_size=300) | st.binary(max_size=20) | st.none()
_dates = (
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59))
    | st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=5))))
    | st.dates()
    | st.none()
)
_odd = st.sampled_from(["text in a number", 3 + 4j, object(), [1, 2], "\ud800"])
_rows = st.lists(st.tuples(_numbers | _odd, _texts | _odd, _dates | _odd, _numbers), max_size=30)


def _one_by_one(writer: BindRows, rows: Sequence[Sequence[object]]) -> bytes:
    w = Writer()
    for row in rows:
        writer.encode(w, row)
    return w.getvalue()


def _outcome(encode: Any) -> tuple[str, object]:
    try:
        return "ok", encode()
    except EncodeError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=300, deadline=None)
@given(_rows, st.sampled_from([4000, 32767]))
def test_batch_encoder_agrees_with_the_value_writers(rows: list[tuple[object, ...]], max_string_size: int) -> None:
    writer = BindRows(_NCHAR_FREE_BINDS, is_plsql=False, max_string_size=max_string_size)

    def batched() -> bytes:
        w = Writer()
        writer.encode_rows(w, rows)
        return w.getvalue()

    assert _outcome(batched) == _outcome(lambda: _one_by_one(writer, rows))


def test_usual_values_take_the_inline_paths() -> None:
    rows: list[tuple[object, ...]] = [
        (i * 7919 + 1, f"row {i}", dt.datetime(2020, 1, 1, 12, 30, 5) + dt.timedelta(days=i), i / 3 + 0.0001)
        for i in range(200)
    ]
    rows += [(10**37 + 3, "é" * 63, dt.datetime(9999, 12, 31, 23, 59, 59), 9.999999999999998e15),
             (10, "", dt.datetime(1, 1, 1), 0.0001), (100, None, None, None)]
    writer = BindRows(_NCHAR_FREE_BINDS, is_plsql=False, max_string_size=32767)
    w = Writer()
    writer.encode_rows(w, rows)
    assert w.getvalue() == _one_by_one(writer, rows)


def test_odd_rows_fall_back_and_errors_are_the_writers() -> None:
    writer = BindRows([_INT, _TEXT], is_plsql=False, max_string_size=32767)
    rows: list[tuple[object, ...]] = [(1, "a"), (-5, "é" * 400), (Decimal("1.5"), None), (2, "b"), (3,)]
    with pytest.raises(EncodeError) as batched:
        writer.encode_rows(Writer(), rows)
    with pytest.raises(EncodeError) as single:
        _one_by_one(writer, rows)
    assert str(batched.value) == str(single.value)
    assert _outcome(lambda: writer.encode_rows(Writer(), rows[:4])) == ("ok", None)


def _python_calls(action: Any) -> int:
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        # Only the driver's own code: a garbage collection may run other functions.
        if event == "call" and ("oracle_sansio" in frame.f_code.co_filename or "batch encoder" in frame.f_code.co_filename):
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def test_a_batch_costs_no_python_call_per_value() -> None:
    """A batch of usual rows makes a fixed number of Python calls, however many
    rows it has (the value-by-value path makes one or more per value)."""
    writer = BindRows(_NCHAR_FREE_BINDS, is_plsql=False, max_string_size=32767)

    def batch(count: int) -> None:
        rows = [(i + 1, f"row {i}", dt.datetime(2020, 1, 1), i / 3 + 1) for i in range(count)]
        writer.encode_rows(Writer(), rows)

    batch(1)  # builds the encoder
    assert _python_calls(lambda: batch(1000)) == _python_calls(lambda: batch(10)) <= 5


def test_source_is_built_from_kinds_and_indices_only() -> None:
    source = batch_source([(i, kind) for i, kind in enumerate(KINDS)])
    compile(source, "<test>", "exec")
    with pytest.raises(ValueError):
        batch_source([(0, "number'); import os; ('")])


def test_a_reexecute_request_takes_its_rows_without_a_python_step_per_row() -> None:
    from oracle_sansio.ttc.messages.execute import ReexecuteRequest

    def build(count: int) -> None:
        ReexecuteRequest.for_dml(7, rows=[[i, "x"] for i in range(count)])

    assert _python_calls(lambda: build(1000)) == _python_calls(lambda: build(10))
