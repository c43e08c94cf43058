"""LONG and LONG RAW columns of the embedded server: Oracle's rules for them, and their bound.

Oracle keeps these old types for compatibility and restricts them: a table has at most one
(ORA-01754), and a LONG value may be selected, inserted and updated but takes no part in an
expression, a condition or a function (ORA-00997, raised by the translator's conversions,
translate/base.py).  A LONG holds up to 2 GB in Oracle; here a value holds at most
``Catalog.long_limit`` characters (LONG) or bytes (LONG RAW), :data:`LONG_LIMIT` unless the
owner of the server sets another, and a longer one is ORA-00910, checked by its length alone.
On the wire they are python-oracledb's DB_TYPE_LONG / DB_TYPE_LONG_RAW (types 8 and 24): the
value in chunks, then an indicator and a return code (oracle_sansio/ttc/messages/values.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from .. import errors
from .datatypes import SqlType, T

__all__ = ["FUNCTIONS", "LONG_LIMIT", "LONGS", "check_one_long"]

#: The default bound of one LONG / LONG RAW value: 64 MiB.
LONG_LIMIT: Final = 64 * 1024 * 1024
LONGS: Final = frozenset({T.LONG, T.LONG_RAW})


def check_one_long(types: Sequence[tuple[SqlType, int]]) -> None:
    """ORA-01754 at the second LONG / LONG RAW of one table's columns (type, position)."""
    positions = [pos for t, pos in types if t.t in LONGS]
    if len(positions) > 1:
        raise errors.ora(1754, positions[1])


def _fit_long(value: object, limit: object) -> object:
    """``ora_fit_long(value, limit)``: a value stored into a LONG / LONG RAW column."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        if not value:
            return None
        if len(value) > int(str(limit)):
            raise errors.ora(910, note=f"LONG and LONG RAW values hold at most {limit} characters or bytes "
                                       "in the embedded server")
    return value


#: The sqlite functions of this module (runtime/registry.py registers them).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_fit_long": (2, _fit_long),
}
