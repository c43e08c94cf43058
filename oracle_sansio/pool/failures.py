"""Which failed logons a pool may retry, and the pool's logon health reports.

This module is the one owner of the retry policy's classification: drivers call
:func:`classify_logon_error` on the exception a logon raised and pass the result
to :meth:`PoolMachine.open_failed`; the machine never guesses.

Only errors that can heal by themselves are retried in the background, with
backoff: the network, the listener and an instance that is starting, stopping
or full.  Everything else is FATAL: wrong or expired credentials, a locked
account, missing privileges, bad arguments, unsupported features, and any
error this module does not know.  Retrying those cannot help, and a retried
wrong password locks the account on a real database (``FAILED_LOGIN_ATTEMPTS``,
10 by default).  Unknown errors count as fatal for the same reason: a pool
must never loop on something nobody has judged safe to repeat.

:class:`LogonReport` turns a stream of logon outcomes into a few state changes
(failing, still failing, recovered) so a driver logs an outage in a handful of
records instead of one per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, unique
from typing import Final, TypeAlias

from ..error_codes import DPY_MESSAGES, ORA_MESSAGES, DpyCode
from ..exceptions import Error

__all__ = [
    "LogonFailure", "classify_logon_error", "TRANSIENT_ORA", "FATAL_ORA", "TRANSIENT_DPY",
    "LogonReport", "LogonsFailing", "LogonsStillFailing", "LogonsRecovered", "LogonHealth",
]


@unique
class LogonFailure(Enum):
    #: the network or the database's availability: retried with backoff.
    TRANSIENT = "transient"
    #: credentials, account, privileges, arguments, anything unknown: never retried.
    FATAL = "fatal"


#: ORA errors a background retry may outlive (number -> Oracle's text, shortened).
TRANSIENT_ORA: Final[dict[int, str]] = {
    18: "maximum number of sessions exceeded",
    20: "maximum number of processes exceeded",
    28: ORA_MESSAGES[28],
    257: "archiver error",
    1012: "not logged on",
    1033: "ORACLE initialization or shutdown in progress",
    1034: "ORACLE not available",
    1035: "ORACLE only available to users with RESTRICTED SESSION privilege",
    1089: "immediate shutdown or close in progress",
    1090: "shutdown in progress",
    1092: "ORACLE instance terminated",
    1109: "database not open",
    2391: "exceeded simultaneous SESSIONS_PER_USER limit",
    2396: "exceeded maximum idle time",
    3113: "end-of-file on communication channel",
    3114: "not connected to ORACLE",
    3135: "connection lost contact",
    3136: ORA_MESSAGES[3136],
    4031: "unable to allocate shared memory",
    12170: "TNS:Connect timeout occurred",
    12500: "TNS:listener failed to start a dedicated server process",
    12505: "TNS:listener does not currently know of SID",
    12514: "TNS:listener does not currently know of service",
    12516: "TNS:listener could not find available handler",
    12518: "TNS:listener could not hand off client connection",
    12519: "TNS:no appropriate service handler found",
    12520: "TNS:listener could not find available handler for requested type of server",
    12521: "TNS:listener does not currently know of instance",
    12526: "TNS:listener: all appropriate instances are in restricted mode",
    12527: "TNS:listener: all instances are in restricted mode or blocking new connections",
    12528: "TNS:listener: all appropriate instances are blocking new connections",
    12535: "TNS:operation timed out",
    12537: "TNS:connection closed",
    12541: "TNS:no listener",
    12543: "TNS:destination host unreachable",
    12547: "TNS:lost contact",
    12560: "TNS:protocol adapter error",
    12570: "TNS:packet reader failure",
    12571: "TNS:packet writer failure",
    12583: "TNS:no reader",
    12757: "instance does not currently know of requested service",
    27101: "shared memory realm does not exist",
}

#: ORA errors no retry can fix, listed for the README; every ORA error missing from
#: TRANSIENT_ORA is fatal, listed here or not.
FATAL_ORA: Final[dict[int, str]] = {
    1004: "default username feature not supported; logon denied",
    1005: "null password given; logon denied",
    1017: ORA_MESSAGES[1017],
    1031: "insufficient privileges",
    1040: "invalid character in password; logon denied",
    1045: "user lacks CREATE SESSION privilege; logon denied",
    12154: "TNS:could not resolve the connect identifier specified",
    12599: "TNS:cryptographic checksum mismatch",
    12660: "Encryption or crypto-checksumming parameters incompatible",
    28000: "the account is locked",
    28001: "the password has expired",
    28009: "connection as SYS should be as SYSDBA or SYSOPER",
    28040: "no matching authentication protocol",
    28041: "authentication protocol internal error",
    28273: "no mapping for user nickname to LDAP distinguished name exists",
}

#: DPY errors a background retry may outlive; every other DPY error (bad arguments,
#: DPY-2xxx; not supported, DPY-3xxx; no credentials, DPY-4001; a bad connect string;
#: TLS and server verification failures, DPY-6002/6006/6008/6009) is fatal.
TRANSIENT_DPY: Final[dict[int, str]] = {
    DpyCode.CONNECTION_CLOSED: DPY_MESSAGES[DpyCode.CONNECTION_CLOSED],
    4024: "call timeout exceeded",
    4033: "the connection's idle time has been exceeded",
    6000: "the listener refused the connection",
    6001: "the service is not registered with the listener",
    6003: "the SID is not registered with the listener",
    6004: "the proxy failed",
    6005: "cannot connect to database (network, timeout, listener refusal)",
}


#: Causes inside DPY-6005 that no retry fixes: python-oracledb wraps a TLS setup or
#: verification failure (no wallet file, a DN or host name mismatch, an untrusted
#: certificate) in DPY-6005, which is otherwise transient.
FATAL_CONNECT_CAUSES: Final = ("DPY-2018:", "DPY-6002:", "DPY-6006:", "CERTIFICATE_VERIFY_FAILED")


def classify_logon_error(exc: BaseException) -> LogonFailure:
    """Whether a pool may retry the logon that raised ``exc``.

    An Oracle error is transient when its ORA number is in :data:`TRANSIENT_ORA`
    or it says the session died (the ORA codes python-oracledb reports as
    DPY-4011); a DPY error when it is in :data:`TRANSIENT_DPY`; an ``OSError``
    (refused, reset, timed out) is transient.  Everything else is fatal.
    """
    if isinstance(exc, Error):
        if exc.code:
            info = exc.args[0] if exc.args else None
            dead = bool(getattr(info, "is_session_dead", False))
            return (LogonFailure.TRANSIENT if exc.code in TRANSIENT_ORA or dead
                    else LogonFailure.FATAL)
        code = exc.full_code
        if code == DpyCode.CONNECTION_FAILED.full_code and any(cause in str(exc) for cause in FATAL_CONNECT_CAUSES):
            return LogonFailure.FATAL
        if code.startswith("DPY-") and code[4:].isdigit() and int(code[4:]) in TRANSIENT_DPY:
            return LogonFailure.TRANSIENT
        return LogonFailure.FATAL
    if isinstance(exc, OSError):  # ConnectionError, TimeoutError (asyncio's too)
        return LogonFailure.TRANSIENT
    return LogonFailure.FATAL


# ------------------------------------------------------------------ reporting


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonsFailing:
    """Logons started failing (the first failure after a success or the start)."""

    error: str
    failure: LogonFailure


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonsStillFailing:
    """A periodic count while failures go on: ``failures`` since ``since`` (seconds,
    the driver's clock), ``error`` the latest."""

    failures: int
    since: float
    error: str
    failure: LogonFailure


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonsRecovered:
    """A logon succeeded after ``failures`` failures that lasted ``seconds``."""

    failures: int
    seconds: float


LogonHealth: TypeAlias = LogonsFailing | LogonsStillFailing | LogonsRecovered


class LogonReport:
    """Folds logon outcomes into state changes: one report when logons start
    failing, at most one count per ``interval`` seconds while they keep failing,
    one when a logon succeeds again.  Time is passed in; nothing is read."""

    def __init__(self, interval: float = 60.0) -> None:
        if not interval > 0:
            raise ValueError("interval must be positive")
        self._interval = interval
        self._failures = 0
        self._since = 0.0
        self._reported_at = 0.0

    @property
    def failures(self) -> int:
        """Failures since the last success."""
        return self._failures

    def failed(self, now: float, error: str, failure: LogonFailure) -> LogonHealth | None:
        """A logon failed with ``error``; returns what to report, if anything."""
        self._failures += 1
        if self._failures == 1:
            self._since = self._reported_at = now
            return LogonsFailing(error=error, failure=failure)
        if now - self._reported_at >= self._interval:
            self._reported_at = now
            return LogonsStillFailing(failures=self._failures, since=self._since, error=error,
                                      failure=failure)
        return None

    def succeeded(self, now: float) -> LogonHealth | None:
        """A logon succeeded; returns the recovery report after failures."""
        if not self._failures:
            return None
        report = LogonsRecovered(failures=self._failures, seconds=now - self._since)
        self._failures = 0
        return report
