"""The PL/SQL interpreter's memory budget: bytes per top-level call (ORA-04030 beyond).

Collections, BULK COLLECT and strings built in loops could otherwise grow until the server's
process runs out of memory.  Each growth is charged, in estimated bytes, to the budget of the
call running now: a collection's new or changed elements (its ``bytes`` keeps its own total, so
an element's or a copy's size is known at once), a variable's string as it is assigned, less what
a block's variables held when the block ends.  Each charge costs O(1) (a copy or a constructor
O(n) for its n elements, as making it does).  A call made while one runs (a trigger, a function
called from SQL, EXECUTE IMMEDIATE of a block) shares the running call's budget.

The limit is the server's (``EmbeddedServer(plsql_memory=...)``, the Database's
``plsql_memory``); the error leaves the session as it was before the call's last statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .. import errors

__all__ = ["DEFAULT_LIMIT", "MemoryBudget", "call_budget", "charge"]

#: The default budget of one top-level call, in bytes.
DEFAULT_LIMIT = 64 * 1024 * 1024


class MemoryBudget:
    """The bytes one top-level call holds now (estimated), and its limit."""

    __slots__ = ("limit", "used")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def charge(self, size: int) -> None:
        """Take ``size`` bytes (a negative size gives them back); ORA-04030, with nothing
        taken, when the call would hold more than its limit."""
        if size > 0 and self.used + size > self.limit:
            raise errors.ora(4030, size=size, where=f"PL/SQL call,budget {self.limit}")
        self.used += size


#: The budget of the call running on this thread (each session's calls run on one thread at a time).
_CURRENT: ContextVar[MemoryBudget | None] = ContextVar("plsql_memory", default=None)


def charge(size: int) -> None:
    """Charge ``size`` bytes to the running call's budget (nothing outside a call)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge(size)


@contextmanager
def call_budget(limit: int) -> Iterator[None]:
    """Run the body as a top-level call with a budget of ``limit`` bytes; inside a running call,
    the body shares that call's budget."""
    if _CURRENT.get() is not None:
        yield
        return
    token = _CURRENT.set(MemoryBudget(limit))
    try:
        yield
    finally:
        _CURRENT.reset(token)
