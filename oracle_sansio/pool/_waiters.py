"""FIFO of callers waiting for a connection (python-oracledb ``_requests``)."""

from __future__ import annotations

import heapq
from collections import deque
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
    #: the logon gate's probe round when it arrived: it may start the one probe logon
    #: while that round lasts (``LogonGate.may_probe``, _logons.py).
    probe_round: int = 0

    def takes(self, cclass: str | None) -> bool:
        """Whether a session of ``cclass`` suits this caller."""
        return self.any_class or cclass == self.cclass


class Waiters:
    """Waiters keyed by request id, in arrival order in a deque, with their TIMEDWAIT
    expiries in a heap and a count of FORCEGET waiters, so that no input has to scan
    every waiter to learn them.

    The order is a deque, not the dict's own order: a dict that loses its oldest key on
    every hand-over keeps the holes at its front until it is resized, and finding its
    first key walks them (in C, one step per waiter served since the last resize: a
    release handed down a queue cost 9.4 us of machine time at 10 waiters, 11.5 us at
    10,000 and 13.3 us at 100,000; with the deque 10.5, 11.1 and 11.0).  Entries of
    waiters gone (served, failed, cancelled) stay in the deque and the heap until they
    reach the front, or all at once when they outnumber the live ones."""

    def __init__(self) -> None:
        self._by_req: dict[ReqId, Waiter] = {}
        self._order: deque[Waiter] = deque()
        #: how many wait (``len``, as an attribute: the machine reads it on every input).
        self.queued = 0
        #: (deadline, arrival, req): arrival numbers are never reused.
        self._expiries: list[tuple[float, int, ReqId]] = []
        self._arrival: dict[ReqId, int] = {}
        self._arrivals = 0
        self._forceget = 0

    def __len__(self) -> int:
        return len(self._by_req)

    def __iter__(self) -> Iterator[Waiter]:
        """Oldest first, a snapshot: the loop may serve or fail waiters."""
        by_req = self._by_req
        return iter([w for w in self._order if by_req.get(w.req) is w])

    def oldest_first(self) -> Iterator[Waiter]:
        """Oldest first, no snapshot: the caller stops at its first change to the waiters."""
        by_req = self._by_req
        return (w for w in self._order if by_req.get(w.req) is w)

    def __contains__(self, req: object) -> bool:
        return req in self._by_req

    @property
    def forceget(self) -> int:
        """How many FORCEGET callers wait."""
        return self._forceget

    def add(self, waiter: Waiter) -> None:
        self._by_req[waiter.req] = waiter
        self._order.append(waiter)
        self.queued = len(self._by_req)
        self._arrivals += 1
        self._arrival[waiter.req] = self._arrivals
        self._forceget += waiter.getmode is PoolGetMode.FORCEGET
        if waiter.deadline is not None:
            if len(self._expiries) > 2 * len(self._by_req) + 32:
                self._expiries = [e for e in self._expiries if self._live(e)]
                heapq.heapify(self._expiries)
            heapq.heappush(self._expiries, (waiter.deadline, self._arrivals, waiter.req))

    def get(self, req: ReqId) -> Waiter | None:
        return self._by_req.get(req)

    def remove(self, req: ReqId) -> Waiter | None:
        by_req = self._by_req
        waiter = by_req.pop(req, None)
        if waiter is not None:
            self.queued = len(by_req)
            del self._arrival[req]
            self._forceget -= waiter.getmode is PoolGetMode.FORCEGET
            order = self._order
            while order and by_req.get(order[0].req) is not order[0]:
                order.popleft()  # the oldest left (the usual case: it was served)
            if len(order) > 2 * len(by_req) + 32:
                self._order = deque(w for w in order if by_req.get(w.req) is w)
        return waiter

    def _live(self, entry: tuple[float, int, ReqId]) -> bool:
        return self._arrival.get(entry[2]) == entry[1]

    def _first_expiry(self) -> tuple[float, int, ReqId] | None:
        heap = self._expiries
        while heap and not self._live(heap[0]):
            heapq.heappop(heap)
        return heap[0] if heap else None

    def earliest_deadline(self) -> float | None:
        if not self._expiries:
            return None
        first = self._first_expiry()
        return None if first is None else first[0]

    def needing_logon(self, held_classes: set[str | None]) -> list[Waiter]:
        """Waiters (oldest first) only a logon can serve: not being pinged a session, and
        no session held by a caller (``held_classes``) would suit them once released."""
        return [w for w in self._by_req.values()
                if w.checking is None
                and (w.wants_new or not any(w.takes(c) for c in held_classes))]

    def due(self, now: float) -> list[Waiter]:
        """Waiters whose deadline is at or before ``now``, oldest first (each once)."""
        out: list[tuple[int, ReqId]] = []
        while (first := self._first_expiry()) is not None and first[0] <= now:
            heapq.heappop(self._expiries)
            out.append((first[1], first[2]))
        return [self._by_req[req] for _, req in sorted(out)]
