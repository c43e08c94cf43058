"""FIFO of callers waiting for a connection (python-oracledb ``_requests``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .actions import ConnId, ReqId
from .config import PoolGetMode

__all__ = ["Waiter", "Waiters"]


@dataclass(slots=True, kw_only=True)
class Waiter:
    req: ReqId
    cclass: str | None
    wants_new: bool
    getmode: PoolGetMode
    since: float
    #: TIMEDWAIT expiry; None = wait until served, cancelled or the pool closes.
    deadline: float | None
    #: a logon made for this caller (its failure is the caller's failure).
    opening: ConnId | None = None
    #: a connection being pinged for this caller.
    checking: ConnId | None = None
    #: asked with no cclass: any class suits (python-oracledb), ``cclass`` is for its logons.
    any_class: bool = False
    #: arrived while logons were halted: may start the one probe logon (_logons.py).
    probe_ok: bool = False

    def takes(self, cclass: str | None) -> bool:
        """Whether a session of ``cclass`` suits this caller."""
        return self.any_class or cclass == self.cclass


class Waiters:
    """Insertion-ordered waiters keyed by request id (dicts keep FIFO order)."""

    def __init__(self) -> None:
        self._by_req: dict[ReqId, Waiter] = {}

    def __len__(self) -> int:
        return len(self._by_req)

    def __iter__(self) -> Iterator[Waiter]:
        return iter(list(self._by_req.values()))

    def __contains__(self, req: object) -> bool:
        return req in self._by_req

    def add(self, waiter: Waiter) -> None:
        self._by_req[waiter.req] = waiter

    def get(self, req: ReqId) -> Waiter | None:
        return self._by_req.get(req)

    def remove(self, req: ReqId) -> Waiter | None:
        return self._by_req.pop(req, None)

    def earliest_deadline(self) -> float | None:
        times = [w.deadline for w in self._by_req.values() if w.deadline is not None]
        return min(times) if times else None

    def needing_logon(self, held_classes: set[str | None]) -> list[Waiter]:
        """Waiters (oldest first) only a logon can serve: not being pinged a session, and
        no session held by a caller (``held_classes``) would suit them once released."""
        return [w for w in self._by_req.values()
                if w.checking is None
                and (w.wants_new or not any(w.takes(c) for c in held_classes))]

    def due(self, now: float) -> list[Waiter]:
        return [w for w in self._by_req.values() if w.deadline is not None and w.deadline <= now]
