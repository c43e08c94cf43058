"""``oracle_asyncio.defaults``: python-oracledb's ``Defaults``, every attribute
with its initial value and the checks its setter makes.

Where python-oracledb reads them, so does this driver: ``arraysize`` and
``prefetchrows`` when a cursor is made, ``fetch_lobs`` / ``fetch_decimals`` at
each execute, and ``stmtcachesize``, ``program``, ``machine``, ``terminal``,
``osuser``, ``driver_name`` and ``config_dir`` when a ``ConnectParams`` or
``PoolParams`` is made (so by every ``connect_async()`` / ``create_pool_async()``).
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from collections.abc import Callable
from typing import Final, Generic, TypeVar, overload

from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import dpy_error

__all__ = ["Defaults", "defaults", "network_name", "uint32"]

_UINT32 = 2**32 - 1
T = TypeVar("T")


def uint32(value: object) -> int:
    """``value`` as python-oracledb converts a C uint32 attribute: the same errors for the same mistakes."""
    if not isinstance(value, (int, float)):
        raise TypeError("an integer is required")
    number = int(value)
    if number < 0:
        raise OverflowError("can't convert negative value to uint32_t")
    if number > _UINT32:
        raise OverflowError("value too large to convert to uint32_t")
    return number


def _text(value: object, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}")
    return value


def _required_text(value: object) -> str:
    return str(_text(value))


#: What python-oracledb lets through to the server as a program, machine or OS user name:
#: printable ASCII but these (its ``sanitize()`` would replace any other character).
_NETWORK_NAME_CHARS: Final = frozenset(map(chr, range(33, 127))) - frozenset("()=[]^`{|}~")


def _sanitized(text: str) -> str:
    """``text`` as python-oracledb's ``sanitize()`` sends it: a quote stripped from each end,
    other characters outside the set (and a final backslash) replaced by "?"."""
    text = text[1:] if text.startswith(("'", '"')) else text
    text = text[:-1] if text.endswith(("'", '"')) else text
    text = "".join(c if c in _NETWORK_NAME_CHARS else "?" for c in text)
    return text[:-1] + "?" if text.endswith("\\") else text


def network_name(name: str, value: object) -> str:
    """``value`` checked as python-oracledb checks ``program``, ``machine`` and ``osuser``.

    Raises NotSupportedError DPY-3029 when its ``sanitize()`` would change it: a character
    outside the network set, a quote at either end, or a backslash at the end."""
    text = _required_text(value)
    if _sanitized(text) != text:
        raise dpy_error(DpyCode.INVALID_NETWORK_NAME, name=name)
    return text


class _Setting(Generic[T]):
    """One attribute of :class:`Defaults`: ``convert`` checks every value assigned."""

    def __init__(self, convert: Callable[[object], T], doc: str) -> None:
        self.convert = convert
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _Setting[T]: ...
    @overload
    def __get__(self, obj: Defaults, owner: type) -> T: ...
    def __get__(self, obj: Defaults | None, owner: type) -> _Setting[T] | T:
        if obj is None:
            return self
        value: T = obj._values[self.name]  # type: ignore[assignment]
        return value

    def __set__(self, obj: Defaults, value: T) -> None:
        obj._values[self.name] = self.convert(value)


def _optional_text(value: object) -> str | None:
    return _text(value, optional=True)


def _named(name: str) -> Callable[[object], str]:
    return lambda value: network_name(name, value)


class Defaults:
    """Default behaviours of the driver (python-oracledb ``oracledb.Defaults``).

    One instance exists, ``oracle_asyncio.defaults``; changes apply to the cursors,
    executions and parameter objects made after them."""

    arraysize = _Setting(uint32, "Rows fetched per round trip by new cursors (initially 100).")
    prefetchrows = _Setting(uint32, "Rows fetched with the execute by new cursors (initially 2).")
    stmtcachesize = _Setting(uint32, "Statement cache size of new connections and pools (initially 20).")
    fetch_lobs = _Setting(bool, "LOB columns fetched as AsyncLOB (True, initially) or as str / bytes.")
    fetch_decimals = _Setting(bool, "NUMBER columns fetched as ``decimal.Decimal`` (initially False).")
    config_dir = _Setting(_optional_text, "Directory of tnsnames.ora for new parameter objects: "
                          "``$TNS_ADMIN``, else ``$ORACLE_HOME/network/admin`` (read at import), else None.")
    program = _Setting(_named("program"), "V$SESSION.PROGRAM of new connections (``sys.executable``).")
    machine = _Setting(_named("machine"), "V$SESSION.MACHINE of new connections (the host name).")
    terminal = _Setting(_required_text, "V$SESSION.TERMINAL of new connections (initially \"unknown\").")
    osuser = _Setting(_named("osuser"), "V$SESSION.OSUSER of new connections (the login name).")
    driver_name = _Setting(_optional_text, "V$SESSION_CONNECT_INFO.CLIENT_DRIVER of new connections "
                           "(None: the driver's own).")
    thick_mode_dsn_passthrough = _Setting(bool, "Kept for python-oracledb code; a thin driver always "
                                          "parses connect strings itself.")

    def __init__(self) -> None:
        env = os.environ
        admin = os.path.join(env["ORACLE_HOME"], "network", "admin") if "ORACLE_HOME" in env else None
        # python-oracledb's initial values; the names it sends are sanitized as it sends them.
        self._values: dict[str, object] = {
            "arraysize": 100, "prefetchrows": 2, "stmtcachesize": 20, "fetch_lobs": True,
            "fetch_decimals": False, "config_dir": env.get("TNS_ADMIN") or admin,
            "program": _sanitized(sys.executable), "machine": _sanitized(socket.gethostname()),
            "terminal": "unknown", "osuser": _sanitized(getpass.getuser()), "driver_name": None,
            "thick_mode_dsn_passthrough": True,
        }


defaults = Defaults()
