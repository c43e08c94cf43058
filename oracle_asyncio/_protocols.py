"""Shapes the driver's modules share, kept at the bottom of the import graph so
that a lower module can name what a higher one passes it without importing it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

__all__ = ["Acquirer", "Clock", "TimerHandle"]


class TimerHandle(Protocol):
    """A scheduled callback that can be cancelled (``asyncio.TimerHandle`` fits)."""

    def cancel(self) -> None: ...


class Clock(Protocol):
    """What the pool reads time from and schedules its one timer on (an event loop fits)."""

    def time(self) -> float: ...
    def call_at(self, when: float, callback: Callable[[], object]) -> TimerHandle: ...


class Acquirer(Protocol):
    """What ``connect_async(pool=...)`` needs of a pool: a connection on request."""

    def acquire(self, user: str | None = ..., password: str | None = ..., cclass: str | None = ...,
                purity: int = ..., tag: str | None = ...) -> Awaitable[Any]: ...
