"""python-oracledb's run-time pool attributes (docs/pool.md 1.4), as pure functions
over :class:`PoolConfig`; :meth:`PoolMachine.set_attribute` applies the result.

Writable, with python-oracledb's quirks kept:

* ``getmode`` -- a *change* of mode resets the wait timeout (to TIMEDWAIT: 0 ms;
  to any other mode: none, read back as 0); setting the current mode keeps it.
* ``wait_timeout`` (ms) -- silently ignored unless getmode is already TIMEDWAIT;
  read back as 0 unless TIMEDWAIT, else as a float.
* ``timeout``, ``max_lifetime_session``, ``stmtcachesize`` -- uint32: a negative
  or too large value raises ``OverflowError``.
* ``ping_interval`` -- signed int32 (< 0 never, 0 always).
* numbers are converted as python-oracledb's C setters do: a float is truncated
  (``timeout = 1.5`` reads back 1), a bool is an int, anything else is
  ``TypeError: an integer is required``.
* ``max_sessions_per_shard``, ``soda_metadata_cache`` -- thick only: DPY-3001, after
  the value's type check (uint32; ``soda_metadata_cache`` must be a bool).

Everything else (``min``, ``max``, ``increment``, ``busy``, ``opened`` ...) has no
setter: ``AttributeError`` with python's message.  Waiters already queued keep the
getmode and TIMEDWAIT deadline they arrived with; the new values apply to later
acquires, releases and timer scheduling.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from .codes import DpyCode, PoolUsageError
from .config import PoolConfig, PoolGetMode

__all__ = ["WRITABLE", "THICK_ONLY", "with_attribute", "read_attribute"]

_UINT32_MAX: Final = 2**32 - 1
_INT32: Final = (-(2**31), 2**31 - 1)
#: attribute -> setter kind ("uint" values are uint32_t in python-oracledb).
WRITABLE: Final[dict[str, str]] = {
    "getmode": "getmode", "wait_timeout": "uint", "timeout": "uint",
    "max_lifetime_session": "uint", "stmtcachesize": "uint", "ping_interval": "int",
}
THICK_ONLY: Final = frozenset({"max_sessions_per_shard", "soda_metadata_cache"})


def _number(name: str, value: object, kind: str) -> int:
    """``value`` as python-oracledb's uint32_t / int setter converts it (texts included)."""
    if not isinstance(value, (int, float)):
        raise TypeError("an integer is required")
    number = int(value)
    if kind != "uint":
        if not _INT32[0] <= number <= _INT32[1]:
            raise OverflowError("value too large to convert to int")
    elif number < 0:
        raise OverflowError("can't convert negative value to uint32_t")
    elif number > _UINT32_MAX:
        raise OverflowError("value too large to convert to uint32_t")
    return number


def with_attribute(cfg: PoolConfig, name: str, value: object) -> PoolConfig:
    """``cfg`` after python-oracledb's ``pool.<name> = value``.

    Raises:
        AttributeError: ``name`` is read-only or unknown.
        PoolUsageError: DPY-3001 for a thick-only attribute.
        OverflowError: a value outside the setter's C integer type.
        TypeError: a non-number for a numeric attribute.
        ValueError: a getmode that is not a PoolGetMode value (python-oracledb
            accepts any uint; we refuse, see the machine's deviations).
    """
    if name in THICK_ONLY:
        if name == "soda_metadata_cache" and not isinstance(value, bool):
            raise TypeError("soda_metadata_cache must be a boolean value.")
        if name == "max_sessions_per_shard":
            _number(name, value, "uint")
        raise PoolUsageError(DpyCode.FEATURE_NOT_SUPPORTED)
    kind = WRITABLE.get(name)
    if kind is None:
        raise AttributeError(f"property '{name}' of 'AsyncConnectionPool' object has no setter")
    if kind == "getmode":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"getmode must be a PoolGetMode, not {type(value).__name__}")
        mode = PoolGetMode(value)
        if mode is cfg.getmode:
            return cfg
        return replace(cfg, getmode=mode, wait_timeout=0)
    number = _number(name, value, kind)
    if name == "wait_timeout" and cfg.getmode is not PoolGetMode.TIMEDWAIT:
        return cfg  # python-oracledb: silently ignored outside TIMEDWAIT
    if name == "wait_timeout":
        return replace(cfg, wait_timeout=number)
    if name == "timeout":
        return replace(cfg, timeout=number)
    if name == "max_lifetime_session":
        return replace(cfg, max_lifetime_session=number)
    if name == "ping_interval":
        return replace(cfg, ping_interval=number)
    return replace(cfg, stmtcachesize=number)


def read_attribute(cfg: PoolConfig, name: str) -> object:
    """python-oracledb's getter for a writable attribute (``wait_timeout`` reads 0
    unless getmode is TIMEDWAIT, then a float)."""
    if name in THICK_ONLY:
        raise PoolUsageError(DpyCode.FEATURE_NOT_SUPPORTED)
    if name not in WRITABLE:
        raise AttributeError(f"'AsyncConnectionPool' attribute '{name}' is not a setting")
    if name == "wait_timeout":
        return float(cfg.wait_timeout) if cfg.getmode is PoolGetMode.TIMEDWAIT else 0
    return getattr(cfg, name)
