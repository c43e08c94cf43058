"""Aggregates beyond COUNT/SUM/AVG/MIN/MAX: STDDEV / VARIANCE (and _POP / _SAMP), LISTAGG, and the
window forms of SUM / AVG that analytic calls (``OVER``) use.

The statistical ones and the window sums are sqlite *window* functions (step, inverse, value), so
one registration serves ``GROUP BY`` and ``OVER (... ROWS ...)`` alike.  Arithmetic is Decimal:
sums in an 80-digit context, results rounded to NUMBER's 38 digits.
"""

from __future__ import annotations

import sqlite3
from decimal import Context, Decimal
from typing import Final

from .. import errors
from ..errors import ErrorSlot
from ..types.numbers import CONTEXT, num, out

__all__ = ["register"]

_WIDE: Final = Context(prec=80)
#: LISTAGG's result is a VARCHAR2 of MAX_STRING_SIZE STANDARD.
_LISTAGG_MAX: Final = 4000


class _Moments:
    """Count, sum and sum of squares of the values in the window, exact."""

    def __init__(self) -> None:
        self.n = 0
        self.s = Decimal(0)
        self.q = Decimal(0)

    def add(self, value: object, sign: int) -> None:
        d = num(value)
        if d is None:
            return
        self.n += sign
        self.s = _WIDE.add(self.s, d * sign)
        self.q = _WIDE.add(self.q, _WIDE.multiply(d, d) * sign)

    def variance(self, population: bool, sample_null: bool) -> Decimal | None:
        n = self.n
        if n == 0:
            return None
        if n == 1 and not population:
            return None if sample_null else Decimal(0)
        spread = _WIDE.subtract(self.q, _WIDE.divide(_WIDE.multiply(self.s, self.s), Decimal(n)))
        spread = max(spread, Decimal(0))
        return _WIDE.divide(spread, Decimal(n if population else n - 1))


class _Window:
    """A window-capable aggregate over :class:`_Moments`: rows enter (step) and leave (inverse)."""

    slot: ErrorSlot

    def __init__(self) -> None:
        self.m = _Moments()

    def step(self, value: object) -> None:
        _guarded(self.slot, self.m.add, value, 1)

    def inverse(self, value: object) -> None:
        _guarded(self.slot, self.m.add, value, -1)

    def value(self) -> bytes | None:
        raise NotImplementedError

    def finalize(self) -> bytes | None:
        return self.value()


def _stat(error_slot: ErrorSlot, population: bool, sample_null: bool, root: bool) -> type:
    class Stat(_Window):
        slot = error_slot

        def value(self) -> bytes | None:
            v = self.m.variance(population, sample_null)
            if v is None:
                return None
            return out(CONTEXT.sqrt(v) if root else CONTEXT.plus(v))

    return Stat


def _window_sum(error_slot: ErrorSlot, average: bool) -> type:
    class WindowSum(_Window):
        slot = error_slot

        def value(self) -> bytes | None:
            if self.m.n == 0:
                return None
            return out(CONTEXT.divide(self.m.s, Decimal(self.m.n)) if average else CONTEXT.plus(self.m.s))

    return WindowSum


def _guarded(slot: ErrorSlot, fn: object, *args: object) -> None:
    try:
        fn(*args)  # type: ignore[operator]
    except errors.OraError as exc:
        slot.error = exc
        raise


class _Key:
    """One ORDER BY key of LISTAGG: direction and where NULLs go (``spec`` letters A/D, F/L)."""

    __slots__ = ("value", "desc", "nulls_first")

    def __init__(self, value: object, desc: bool, nulls_first: bool) -> None:
        self.value, self.desc, self.nulls_first = value, desc, nulls_first

    def __lt__(self, other: _Key) -> bool:
        a, b = self.value, other.value
        if a is None or b is None:
            if a is None and b is None:
                return False
            return (a is None) == self.nulls_first
        if type(a) is not type(b):
            a, b = str(a), str(b)
        return bool(b < a) if self.desc else bool(a < b)  # type: ignore[operator]


def _listagg(slot: ErrorSlot) -> type:
    class ListAgg:
        def __init__(self) -> None:
            self.rows: list[tuple[list[_Key], str]] = []
            self.sep = ""
            self.fill = "..."
            self.mode = "ECA"

        def step(self, value: object, sep: object, fill: object, mode: object, *keys: object) -> None:
            self.sep, self.fill, self.mode = "" if sep is None else str(sep), "" if fill is None else str(fill), \
                str(mode)
            if value is None:
                return
            spec = self.mode[3:]
            sort = [_Key(k, spec[2 * i] == "D", spec[2 * i + 1] == "F") for i, k in enumerate(keys)]
            self.rows.append((sort, str(value)))

        def finalize(self) -> str | None:
            try:
                return self._result()
            except errors.OraError as exc:
                slot.error = exc
                raise

        def _result(self) -> str | None:
            rows = sorted(self.rows, key=lambda r: r[0]) if self.mode[3:] else self.rows
            values = [v for _, v in rows]
            if self.mode[2] == "U":
                seen: set[str] = set()
                values = [v for v in values if not (v in seen or seen.add(v))]  # type: ignore[func-returns-value]
            text = self.sep.join(values)
            if len(text) <= _LISTAGG_MAX:
                return text or None
            if self.mode[0] != "T":
                raise errors.ora(1489)
            # whole values only, then the filler and (WITH COUNT) how many were left out
            kept: list[str] = []
            length = 0
            for k, v in enumerate(values):
                tail = self.sep + self.fill + (f"({len(values) - k})" if self.mode[1] == "C" else "")
                grow = len(v) + (len(self.sep) if kept else 0)
                if length + grow + len(tail) > _LISTAGG_MAX:
                    return self.sep.join(kept) + tail
                kept.append(v)
                length += grow
            return self.sep.join(kept)

    return ListAgg


#: Statistical aggregates: sqlite name -> (population, NULL for one row, square root).
_STATS: Final = {
    "ora_stddev": (False, False, True), "ora_stddev_samp": (False, True, True), "ora_stddev_pop": (True, False, True),
    "ora_variance": (False, False, False), "ora_var_samp": (False, True, False), "ora_var_pop": (True, False, False),
}


def register(conn: sqlite3.Connection, slot: ErrorSlot) -> None:
    """Register the aggregates of this module on ``conn``; errors go to ``slot``."""
    for name, (population, sample_null, root) in _STATS.items():
        conn.create_window_function(name, 1, _stat(slot, population, sample_null, root))
    conn.create_window_function("ora_sum_w", 1, _window_sum(slot, False))
    conn.create_window_function("ora_avg_w", 1, _window_sum(slot, True))
    conn.create_aggregate("ora_listagg", -1, _listagg(slot))
