"""Pool configuration: python-oracledb's parameters and defaults, plus our extras.

Defaults and validation follow docs/pool.md 1.1/1.2 (python-oracledb 26.1.0
``PoolParamsImpl``): min 1, max 2, increment 1, getmode WAIT, timeout 0 s,
wait_timeout 0 ms, max_lifetime_session 0 s, ping_interval 60 s, ping_timeout
5000 ms, stmtcachesize 20.  ``max < min`` raises DPY-2064; ``increment == 0``
becomes 1 only when ``min != max`` (a static pool keeps 0).

Extras (python-oracledb has none of them) are off or neutral by default, except
the give-up deadlines, which are generous backstops (docs/architecture.md, "Pool machine"):
they never fire while the driver's own timeouts work, and they bound how long a
stuck driver task can hold a slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, unique

from .codes import DpyCode, PoolUsageError

__all__ = ["PoolGetMode", "PoolConfig"]


@unique
class PoolGetMode(IntEnum):
    """python-oracledb's ``PoolGetMode`` values (docs/pool.md 1.3)."""

    WAIT = 0
    NOWAIT = 1
    FORCEGET = 2
    TIMEDWAIT = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolConfig:
    """Everything the pool machine decides with.  Times are seconds unless the
    name says ``_ms`` (kept in python-oracledb's units so drivers pass values through).

    Raises:
        PoolUsageError: DPY-2064 when ``max < min``.
        ValueError: a negative size or time, or a non-positive give-up or limit.
    """

    min: int = 1
    max: int = 2
    increment: int = 1
    getmode: PoolGetMode = PoolGetMode.WAIT
    #: idle seconds after which connections above ``min`` are closed; 0 = never.
    timeout: float = 0
    #: milliseconds, used only with TIMEDWAIT.
    wait_timeout: float = 0
    #: seconds; 0 = unlimited.
    max_lifetime_session: float = 0
    #: seconds; < 0 never ping, 0 always ping, > 0 ping if idle longer than this.
    ping_interval: float = 60
    #: milliseconds; enforced by the driver (rule 10), stored for it.
    ping_timeout: float = 5000
    #: stored for the driver; the machine does not use it.
    stmtcachesize: int = 20
    #: the pool's connection class (DRCP); requests with ``cclass=None`` use it.
    cclass: str | None = None

    # --- extras -----------------------------------------------------------
    #: most logons in flight at once; None = unlimited.
    max_concurrent_opens: int | None = None
    #: give-up deadlines (seconds after the action is asked for).
    open_give_up: float = 120.0
    ping_give_up: float = 60.0
    rollback_give_up: float = 120.0
    close_give_up: float = 60.0
    #: background open retry: delay = min(max, base * 2**(failures-1)) * (0.5 + jitter/2).
    open_retry_backoff_base: float = 0.5
    open_retry_backoff_max: float = 30.0
    #: most callers waiting at once; None = unlimited.  Beyond it: DPY-4005 at once.
    max_waiters: int | None = None
    #: fraction of ``max_lifetime_session`` removed at random (jitter * this); 0 = off.
    lifetime_jitter: float = 0.0
    #: seconds a connection may stay checked out before LeakDetected; None = off.
    leak_threshold: float | None = None

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < 0 or self.increment < 0:
            raise ValueError("min, max and increment must not be negative")
        if self.max < self.min:
            raise PoolUsageError(DpyCode.POOL_MAX_LESS_THAN_MIN)
        if self.increment == 0 and self.min != self.max:
            # python-oracledb pool_params.pyx: silently 1 unless the pool is static.
            object.__setattr__(self, "increment", 1)
        object.__setattr__(self, "getmode", PoolGetMode(self.getmode))
        for name in ("timeout", "wait_timeout", "max_lifetime_session", "ping_timeout",
                     "open_retry_backoff_base", "open_retry_backoff_max", "lifetime_jitter"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("open_give_up", "ping_give_up", "rollback_give_up", "close_give_up"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if self.lifetime_jitter >= 1:
            raise ValueError("lifetime_jitter must be below 1")
        if self.max_concurrent_opens is not None and self.max_concurrent_opens < 1:
            raise ValueError("max_concurrent_opens must be at least 1")
        if self.max_waiters is not None and self.max_waiters < 0:
            raise ValueError("max_waiters must not be negative")
        if self.leak_threshold is not None and not self.leak_threshold > 0:
            raise ValueError("leak_threshold must be positive")
