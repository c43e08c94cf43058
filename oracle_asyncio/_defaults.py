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
from typing import Final

from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import dpy_error

__all__ = ["Defaults", "defaults", "network_name", "uint32"]

_UINT32 = 2**32 - 1


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
    text = str(_text(value))
    if _sanitized(text) != text:
        raise dpy_error(DpyCode.INVALID_NETWORK_NAME, name=name)
    return text


class Defaults:
    """Default behaviours of the driver (python-oracledb ``oracledb.Defaults``).

    One instance exists, ``oracle_asyncio.defaults``; changes apply to the cursors,
    executions and parameter objects made after them."""

    def __init__(self) -> None:
        self._arraysize = 100
        self._prefetchrows = 2
        self._stmtcachesize = 20
        self._fetch_lobs = True
        self._fetch_decimals = False
        #: tnsnames.ora's directory: ``$TNS_ADMIN``, else ``$ORACLE_HOME/network/admin`` (read at import).
        self._config_dir: str | None = os.environ.get("TNS_ADMIN") or (
            os.path.join(os.environ["ORACLE_HOME"], "network", "admin") if "ORACLE_HOME" in os.environ else None)
        self._program = _sanitized(sys.executable)
        self._machine = _sanitized(socket.gethostname())
        self._terminal = "unknown"
        self._osuser = _sanitized(getpass.getuser())
        self._driver_name: str | None = None
        self._thick_mode_dsn_passthrough = True

    @property
    def arraysize(self) -> int:
        """Rows fetched per round trip by new cursors (initially 100)."""
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = uint32(value)

    @property
    def prefetchrows(self) -> int:
        """Rows fetched with the execute by new cursors (initially 2)."""
        return self._prefetchrows

    @prefetchrows.setter
    def prefetchrows(self, value: int) -> None:
        self._prefetchrows = uint32(value)

    @property
    def stmtcachesize(self) -> int:
        """Statement cache size of new connections and pools (initially 20)."""
        return self._stmtcachesize

    @stmtcachesize.setter
    def stmtcachesize(self, value: int) -> None:
        self._stmtcachesize = uint32(value)

    @property
    def fetch_lobs(self) -> bool:
        """LOB columns fetched as AsyncLOB (True, initially) or as str / bytes."""
        return self._fetch_lobs

    @fetch_lobs.setter
    def fetch_lobs(self, value: bool) -> None:
        self._fetch_lobs = bool(value)

    @property
    def fetch_decimals(self) -> bool:
        """NUMBER columns fetched as ``decimal.Decimal`` (initially False)."""
        return self._fetch_decimals

    @fetch_decimals.setter
    def fetch_decimals(self, value: bool) -> None:
        self._fetch_decimals = bool(value)

    @property
    def config_dir(self) -> str | None:
        """Directory of tnsnames.ora for new parameter objects."""
        return self._config_dir

    @config_dir.setter
    def config_dir(self, value: str | None) -> None:
        self._config_dir = _text(value, optional=True)

    @property
    def program(self) -> str:
        """V$SESSION.PROGRAM of new connections (initially ``sys.executable``)."""
        return self._program

    @program.setter
    def program(self, value: str) -> None:
        self._program = network_name("program", value)

    @property
    def machine(self) -> str:
        """V$SESSION.MACHINE of new connections (initially the host name)."""
        return self._machine

    @machine.setter
    def machine(self, value: str) -> None:
        self._machine = network_name("machine", value)

    @property
    def terminal(self) -> str:
        """V$SESSION.TERMINAL of new connections (initially "unknown")."""
        return self._terminal

    @terminal.setter
    def terminal(self, value: str) -> None:
        self._terminal = str(_text(value))

    @property
    def osuser(self) -> str:
        """V$SESSION.OSUSER of new connections (initially the login name)."""
        return self._osuser

    @osuser.setter
    def osuser(self, value: str) -> None:
        self._osuser = network_name("osuser", value)

    @property
    def driver_name(self) -> str | None:
        """V$SESSION_CONNECT_INFO.CLIENT_DRIVER of new connections (None: the driver's own)."""
        return self._driver_name

    @driver_name.setter
    def driver_name(self, value: str | None) -> None:
        self._driver_name = _text(value, optional=True)

    @property
    def thick_mode_dsn_passthrough(self) -> bool:
        """Kept for python-oracledb code; a thin driver always parses connect strings itself."""
        return self._thick_mode_dsn_passthrough

    @thick_mode_dsn_passthrough.setter
    def thick_mode_dsn_passthrough(self, value: bool) -> None:
        self._thick_mode_dsn_passthrough = bool(value)


defaults = Defaults()
