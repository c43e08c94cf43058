"""When the pool machine may start a logon: backoff after transient failures, a
halt after a fatal one (private to the machine; the policy is in machine.py's
docstring, the classification in failures.py).

Unproven (no logon has succeeded yet, or since a fatal failure): the pool's own
logons go one at a time, so a wrong password costs one attempt, not ``min``.

Halted: no background logon and no logon for a caller who was already waiting.
A caller who arrives later (an explicit ``acquire``) may start one probe logon;
callers arriving while it runs share its outcome.  Rounds keep the count: a FATAL
failure, or the end of a probe, starts a new round, and only a caller who arrived
in the current round may start the probe (so a caller who shared a failed probe,
or waited through a halt, never starts another).  Any successful logon lifts
the halt.  So a wrong password costs one logon per burst of explicit acquires,
never a loop.  A caller who was already waiting is kept only while a release of a
held session could serve it (or the probe's outcome is pending); once nothing can,
it fails with the error that halted logons (``halt_code``, ``halt_error``), never left
waiting.
"""

from __future__ import annotations

from .actions import ConnId
from .codes import DpyCode
from .config import PoolConfig
from .failures import LogonFailure

__all__ = ["LogonGate"]


class LogonGate:
    """Mutable logon-admission state of one machine."""

    def __init__(self) -> None:
        #: consecutive failures (backoff exponent).
        self.failures = 0
        #: no background logon before this time (transient backoff).
        self.retry_at: float | None = None
        #: the jitter given with the latest completion, in [0, 1).
        self.jitter = 0.0
        #: a fatal failure stopped logons.
        self.halted = False
        #: a logon succeeded since the start or the last fatal failure: the credentials work.
        self.proven = False
        #: the one logon allowed while halted, if it is in flight.
        self.probe: ConnId | None = None
        #: the probe round (module docstring): bumped by a FATAL failure and a failed probe.
        self.round = 0
        #: the code of the latest FATAL failure: what a caller nothing can serve fails with.
        self.halt_code: DpyCode | int = 0
        #: the exception the driver gave with that failure (None if it gave none).
        self.halt_error: BaseException | None = None

    def succeeded(self, jitter: float) -> None:
        self.failures = 0
        self.retry_at = None
        self.jitter = jitter
        self.halted = False
        self.proven = True
        self.probe = None

    def failed(self, conn: ConnId, code: DpyCode | int, failure: LogonFailure, now: float,
               cfg: PoolConfig, error: BaseException | None = None) -> None:
        """A logon failed with ``code`` (and the driver's ``error``); the backoff uses the
        latest completion's ``jitter``."""
        self.failures += 1
        if self.probe == conn or failure is LogonFailure.FATAL:
            self.round += 1
        if self.probe == conn:
            self.probe = None
        if failure is LogonFailure.FATAL:
            self.halted = True
            self.halt_code = code
            self.halt_error = error
            self.proven = False
            self.retry_at = None
        elif not self.halted:
            delay = min(cfg.open_retry_backoff_max,
                        cfg.open_retry_backoff_base * 2 ** min(self.failures - 1, 60))
            self.retry_at = now + delay * (0.5 + 0.5 * self.jitter)

    def may_probe(self, arrived_in: int) -> bool:
        """Whether a caller who arrived in probe round ``arrived_in`` may start the probe."""
        return self.halted and self.probe is None and arrived_in == self.round

    def background_allowed(self, now: float, opening: bool) -> bool:
        """Whether the pool may start a logon of its own now; ``opening``: a logon is in
        flight.  Until one logon has shown the credentials work, the pool's own logons
        go one at a time (``min`` wrong-password logons at once could lock the account)."""
        return (not self.halted and (self.retry_at is None or self.retry_at <= now)
                and (self.proven or not opening))
