"""INTERVAL values: microsecond units and the rounding and range checks that both the
literal parser (syntax/parser_interval.py) and the sqlite functions (runtime/intervals.py) apply.

Storage (datatypes.py): DS is the sortable text of a count of microseconds
(:func:`~.datatypes.ds_text`), YM an INTEGER count of months.
"""

from __future__ import annotations

from typing import Final

from .. import errors

__all__ = ["US", "round_us", "too_small"]

#: Microseconds per DAY TO SECOND field.
US: Final = {"DAY": 86_400_000_000, "HOUR": 3_600_000_000, "MINUTE": 60_000_000, "SECOND": 1_000_000}


def too_small(pos: int = 0) -> errors.OraError:
    """ORA-01873: a value needs more leading digits than the interval's precision allows."""
    return errors.ora(1873, pos)


def round_us(us: int, fsp: int) -> int:
    """Round a count of microseconds to ``fsp`` fractional digits, half away from zero."""
    if fsp >= 6:
        return us
    unit = 10 ** (6 - fsp)
    q, r = divmod(abs(us), unit)
    q += 1 if r * 2 >= unit else 0
    return int(q * unit * (-1 if us < 0 else 1))
