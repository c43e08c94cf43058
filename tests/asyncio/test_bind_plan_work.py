"""Binding many rows: the work per value (issue 14, insert-many).

A later executemany batch puts its values in the variables of the first; each
value is checked once, and the wire rows are built column by column.  The
values and metadata are those the value-by-value rules give."""

from __future__ import annotations

import datetime as dt

import pytest

from oracle_asyncio import _var_state
from oracle_asyncio._binds import plan_binds
from oracle_asyncio._cursor_vars import Var, var_state
from oracle_asyncio.dbtypes import DB_TYPE_VARCHAR
from oracle_sansio.statement import parse_statement

SQL = parse_statement("insert into t values (:1, :2, :3, :4)")


def _rows(start: int, count: int) -> list[tuple[object, ...]]:
    return [(i, f"row {i}" * (1 + i % 3), dt.datetime(2020, 1, 1) + dt.timedelta(days=i), None if i % 7 else i * 1.5)
            for i in range(start, start + count)]


def test_a_later_batch_checks_each_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = plan_binds(SQL, _rows(0, 50), None, executions=50, many=True, field_version=24)
    calls = 0
    checked = _var_state._checked

    def counting(typ: object, value: object) -> object:
        nonlocal calls
        calls += 1
        return checked(typ, value)  # type: ignore[arg-type]

    monkeypatch.setattr(_var_state, "_checked", counting)
    second = plan_binds(SQL, _rows(50, 50), first.bindvars, executions=50, many=True, field_version=24)
    # Columns of plain types (str, int / float, datetime) are checked by distinct
    # type, with no call per value (each value was checked once before).
    assert calls == 0
    assert second.slots == first.slots
    assert second.rows() == [tuple(r) for r in _rows(50, 50)]
    # Text given as bytes is converted value by value: that column alone.
    as_bytes = [(i, f"row {i}".encode(), d, f) for i, _, d, f in _rows(100, 50)]
    third = plan_binds(SQL, as_bytes, second.bindvars, executions=50, many=True, field_version=24)
    assert calls == 50
    assert third.rows() == [(i, s.decode(), d, f) for i, s, d, f in as_bytes]


def test_a_later_batch_grows_text_and_binds_by_size() -> None:
    first = plan_binds(SQL, _rows(0, 3), None, executions=3, many=True, field_version=24)
    text = var_state(first.slots[1])
    assert text.derived is not None  # python-oracledb's metadata for the values
    longer = [(1, "x" * 70, dt.date(2020, 1, 1), 1.0), (2, None, None, None)]
    second = plan_binds(SQL, longer, first.bindvars, executions=2, many=True, field_version=24)
    assert second.slots[1] is first.slots[1]
    assert text.derived is None and text.size == 70  # bound by type and the grown size
    assert second.metadata()[1].buffer_size == 70 * 4
    assert second.rows() == [tuple(r) for r in longer]


def test_a_value_the_variable_refuses_replaces_it_untouched() -> None:
    first = plan_binds(SQL, _rows(0, 3), None, executions=3, many=True, field_version=24)
    before = list(var_state(first.slots[0]).values)
    bad = [(1, "a", dt.date(2020, 1, 1), 1.0), ("not a number", "b", dt.date(2020, 1, 1), 2.0)]
    with pytest.raises(Exception):
        plan_binds(SQL, bad, first.bindvars, executions=2, many=True, field_version=24)
    assert var_state(first.slots[0]).values == before


def test_rows_without_binds_and_var_values() -> None:
    none = plan_binds(parse_statement("begin null; end;"), None, None, executions=3, many=True, field_version=24)
    assert none.rows() == [(), (), ()]
    var = Var(DB_TYPE_VARCHAR, 10, arraysize=4)
    var.setvalue(1, "two")
    plan = plan_binds(parse_statement("insert into t values (:1)"), [(var,)], None, executions=2, many=False,
                      field_version=24)
    assert plan.rows() == [(None,), ("two",)]


def _python_calls(action: object) -> int:
    """Python function calls (generator steps included) made by ``action``, in the driver's code."""
    import sys
    from types import FrameType

    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call" and "oracle_" in frame.f_code.co_filename:
            calls += 1

    sys.setprofile(count)
    try:
        action()  # type: ignore[operator]
    finally:
        sys.setprofile(None)
    return calls


def test_a_later_batch_of_plain_rows_costs_no_python_step_per_row() -> None:
    """Rows, columns and values of a later batch are checked by C loops (distinct
    types, one transposition): the Python calls do not grow with the rows."""
    first = plan_binds(SQL, _rows(0, 10), None, executions=10, many=True, field_version=24)

    def batch(count: int) -> None:
        plan_binds(SQL, _rows(0, count), first.bindvars, executions=count, many=True, field_version=24)

    assert _python_calls(lambda: batch(1000)) == _python_calls(lambda: batch(10))
