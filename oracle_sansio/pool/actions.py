"""What the pool machine asks its driver to do (docs/architecture.md).

The driver executes actions in order.  None is answered directly; the outcome
comes back as a later input (``opened``, ``ping_succeeded``, ``rolled_back``,
``closed`` ...).  ``deadline`` is the machine's give-up time (docs/architecture.md,
"Pool machine"): when it passes with no completion the machine counts the connection gone.
Connection ids are minted by the machine; request ids by the driver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from ..exceptions import dpy_error, fresh_error
from .codes import DpyCode

__all__ = [
    "ConnId", "ReqId", "OpenConnection", "PingConnection", "RollbackConnection",
    "CloseConnection", "HandOver", "FailRequest", "SetTimer", "PoolClosed", "LeakDetected",
    "PoolAction",
]

ConnId: TypeAlias = int
ReqId: TypeAlias = int


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenConnection:
    """Log on a new session for slot ``conn`` (with ``cclass`` when not None)."""

    conn: ConnId
    deadline: float
    cclass: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PingConnection:
    """Round-trip ping ``conn`` (bounded by ``ping_timeout`` in the driver)."""

    conn: ConnId
    deadline: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RollbackConnection:
    """Roll back the open transaction of a released connection."""

    conn: ConnId
    deadline: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseConnection:
    """Log off and disconnect ``conn`` (or abandon its logon if still opening; a logon
    that ends anyway is reported ``opened``, and the answer is another CloseConnection)."""

    conn: ConnId
    deadline: float


@dataclass(frozen=True, slots=True, kw_only=True)
class HandOver:
    """Give ``conn`` to the caller waiting on ``req``."""

    req: ReqId
    conn: ConnId


@dataclass(frozen=True, slots=True, kw_only=True)
class FailRequest:
    """Fail ``req``.  ``code`` is a :class:`DpyCode` or, for a failed logon (made for
    this request, or the FATAL one that halted logons), whatever code the driver passed to
    ``open_failed``; ``error`` is the exception it passed with it (None otherwise): raise a
    copy of it when present."""

    req: ReqId
    code: DpyCode | int
    error: BaseException | None = None

    def exception(self) -> BaseException:
        """What the caller of ``req`` raises: a fresh copy of ``error`` when there is one,
        else the DPY error of ``code``."""
        if self.error is not None:
            return fresh_error(self.error)
        cause = "the pool gave up waiting for the logon" if self.code == DpyCode.CONNECTION_FAILED else None
        return dpy_error(int(self.code), cause, connection_id="")


@dataclass(frozen=True, slots=True, kw_only=True)
class SetTimer:
    """Wake the machine with ``timer_fired`` at ``at`` (None: no timer needed)."""

    at: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolClosed:
    """The pool is closed and every connection is closed or given up on."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LeakDetected:
    """``conn`` has been checked out since ``held_since``, longer than the threshold."""

    conn: ConnId
    held_since: float


PoolAction: TypeAlias = (
    OpenConnection | PingConnection | RollbackConnection | CloseConnection | HandOver
    | FailRequest | SetTimer | PoolClosed | LeakDetected
)
