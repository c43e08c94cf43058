"""The attributes of python-oracledb's ``AsyncConnectionPool`` (sizes, modes,
timeouts: read from and written to the pool machine, with python-oracledb's
errors), as the base class of the pool in pool.py."""

from __future__ import annotations

from typing import Any

from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.pool import PoolAction, PoolConfig, PoolMachine, PoolPhase, PoolStatistics, PoolUsageError

from .params import PoolParams

__all__ = ["PoolSettings", "pool_config"]

#: Read on every acquire and release: a module constant, not an enum class attribute
#: (a descriptor call in CPython 3.11).
_CLOSED = PoolPhase.CLOSED

#: python-oracledb's DPY-3001 texts for the thick-only attributes.
_THICK_ONLY_TEXT = {
    ("get", "max_sessions_per_shard"): "getting the maximum sessions per shard in a pool",
    ("set", "max_sessions_per_shard"): "setting the maximum sessions per shard",
    ("get", "soda_metadata_cache"): "getting whether the SODA metadata cache is enabled",
    ("set", "soda_metadata_cache"): "setting whether the SODA metadata cache is enabled",
}


def _writable(name: str, doc: str) -> property:
    def get(self: PoolSettings) -> Any:
        return self._get(name)

    def put(self: PoolSettings, value: object) -> None:
        self._set(name, value)

    return property(get, put, doc=doc)


class PoolSettings:
    """The settable and read-only attributes of a pool (``AsyncConnectionPool``'s base)."""

    _machine: PoolMachine
    _params: PoolParams
    _dsn: str

    def _run(self, actions: list[PoolAction]) -> None:
        raise NotImplementedError  # the pool runs the machine's actions

    def _now(self) -> float:
        raise NotImplementedError  # the pool's clock

    @property
    def statistics(self) -> PoolStatistics:
        """Counters (requests, waits, opens, pings, ...) and ``wait_time``, the seconds callers
        spent waiting over every acquire however it ended: an extra python-oracledb lacks."""
        return self._machine.statistics

    @property
    def warm(self) -> bool:
        """True once ``min`` sessions are open (an extra python-oracledb lacks)."""
        return self._machine.warm

    def _verify_open(self) -> None:
        if self._machine.phase is _CLOSED:
            raise dpy_error(1002)

    def _fixed(self, value: Any) -> Any:
        self._verify_open()
        return value

    min = property(lambda self: self._fixed(self._machine.config.min), doc="Sessions kept open.")
    max = property(lambda self: self._fixed(self._machine.config.max), doc="Most sessions.")
    increment = property(lambda self: self._fixed(self._machine.config.increment),
                         doc="Sessions opened per growth step.")
    opened = property(lambda self: self._fixed(self._machine.open_count), doc="Sessions open (busy or idle).")
    busy = property(lambda self: self._fixed(self._machine.busy), doc="Sessions handed out.")
    homogeneous = property(lambda self: self._fixed(self._params.homogeneous), doc="As created.")
    dsn = property(lambda self: self._fixed(self._dsn), doc="The connect string.")
    tnsentry = dsn
    username = property(lambda self: self._fixed(self._params.user), doc="The pool's user.")
    thin = property(lambda self: self._fixed(True), doc="Always True.")
    name = property(lambda self: self._fixed(None), doc="None (Oracle-assigned names exist in thick mode only).")

    min = property(lambda self: self._fixed(self._machine.config.min), doc="Sessions kept open.")

    def _get(self, name: str) -> Any:
        try:
            return self._machine.get_attribute(name)
        except PoolUsageError as exc:
            raise self._usage_error(exc, "get", name) from None

    def _set(self, name: str, value: object) -> None:
        try:
            self._run(self._machine.set_attribute(name, value, now=self._now()))
        except PoolUsageError as exc:
            raise self._usage_error(exc, "set", name) from None

    @staticmethod
    def _usage_error(exc: PoolUsageError, verb: str, name: str) -> Error:
        if int(exc.code) == 3001:
            return dpy_error(3001, feature=_THICK_ONLY_TEXT[verb, name], driver_type="thick")
        return dpy_error(int(exc.code))

    getmode = _writable("getmode", "POOL_GETMODE_* (changing it resets wait_timeout, as python-oracledb does).")
    wait_timeout = _writable("wait_timeout", "Milliseconds (TIMEDWAIT only; ignored in other modes).")
    timeout = _writable("timeout", "Idle seconds before connections above min are closed.")
    max_lifetime_session = _writable("max_lifetime_session", "Seconds a session may live; 0 = no limit.")
    ping_interval = _writable("ping_interval", "Seconds idle before a ping on acquire (0 always, < 0 never).")
    stmtcachesize = _writable("stmtcachesize", "Statement cache size of new connections.")
    max_sessions_per_shard = _writable("max_sessions_per_shard", "Thick mode only: DPY-3001.")
    soda_metadata_cache = _writable("soda_metadata_cache", "Thick mode only: DPY-3001.")


def pool_config(p: PoolParams) -> PoolConfig:
    try:
        return PoolConfig(
            min=p.min, max=p.max, increment=p.increment, getmode=p.getmode, timeout=p.timeout,
            wait_timeout=p.wait_timeout, max_lifetime_session=p.max_lifetime_session,
            ping_interval=p.ping_interval, ping_timeout=p.ping_timeout, stmtcachesize=p.stmtcachesize,
            cclass=p.cclass, max_waiters=p.max_waiters, lifetime_jitter=p.lifetime_jitter,
            leak_threshold=p.leak_threshold, max_concurrent_opens=p.max_concurrent_opens,
        )
    except PoolUsageError as exc:
        raise dpy_error(int(exc.code)) from None
