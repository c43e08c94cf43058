"""Every function the translated SQL calls, registered on a session's sqlite connection.

The one table of them is built here from the pieces (NUMBER, text and date functions; intervals;
rowids; flat-chain packs) so that no module registers anything as a side effect of being imported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final

from .. import errors
from ..errors import ErrorSlot
from ..types import longs, rowids, xmltext, zones
from . import (appcontext, fn_datetime, fn_regexp, fn_scalar, fn_stats, functions, intervals, packs, pkg_lob,
               pkg_raw)
from .userenv import SessionFacts

__all__ = ["FUNCTIONS", "register"]

#: name -> (argument count, function): every scalar sqlite function of the embedded server.
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = (
    functions.FUNCTIONS | intervals.FUNCTIONS | rowids.FUNCTIONS | packs.FUNCTIONS | pkg_raw.FUNCTIONS
    | pkg_lob.FUNCTIONS | fn_datetime.FUNCTIONS | fn_scalar.FUNCTIONS | fn_regexp.FUNCTIONS | zones.FUNCTIONS
    | longs.FUNCTIONS | xmltext.FUNCTIONS
)


def register(conn: sqlite3.Connection, slot: ErrorSlot, session: SessionFacts) -> None:
    """Register every Oracle function on ``conn``, the connection of ``session``; errors go to ``slot``."""
    for name, (nargs, fn) in FUNCTIONS.items():
        conn.create_function(name, nargs, functions.guard(slot, fn), deterministic=True)
    # SYS_CONTEXT reads the session's state, which changes between statements: not deterministic.
    conn.create_function("ora_sys_context", 3, functions.guard(
        slot, lambda ns, attr, length: appcontext.sys_context(session, ns, attr, length)))
    for name, cls in functions.aggregates(slot).items():
        conn.create_aggregate(name, 1, cls)
    fn_stats.register(conn, slot)
    _register_scalar(conn, slot)


def _register_scalar(conn: sqlite3.Connection, slot: ErrorSlot) -> None:
    """``ora_scalar(v)``: the only value of a scalar subquery (NULL for none, ORA-01427 for more)."""

    class Scalar:
        def __init__(self) -> None:
            self.count = 0
            self.value: object = None

        def step(self, value: object) -> None:
            self.count += 1
            if self.count > 1:
                slot.error = errors.ora(1427)
                raise slot.error
            self.value = value

        def finalize(self) -> object:
            return self.value

    factory: type = Scalar
    conn.create_aggregate("ora_scalar", 1, factory)
