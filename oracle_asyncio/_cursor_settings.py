"""What an AsyncCursor is set up with: its connection and session, the fetch sizes,
the row factory and the type handlers (python-oracledb's settable cursor
attributes), and the open check every attribute makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from oracle_sansio.exceptions import ErrorInfo, dpy_error

from ._cursor_vars import dpy
from ._defaults import defaults
from ._execute import Outcome
from ._not_built import NotBuiltCursor
from ._session import Session

__all__ = ["ConnectionSettings", "CursorSettings"]


class ConnectionSettings(Protocol):
    """What a cursor reads from its connection (the connection imports the cursor, not
    the other way round; the wire is reached through the session)."""

    @property
    def autocommit(self) -> bool: ...
    @property
    def inputtypehandler(self) -> Callable[..., Any] | None: ...
    @property
    def outputtypehandler(self) -> Callable[..., Any] | None: ...


class CursorSettings(NotBuiltCursor):
    """The settable attributes of python-oracledb's ``AsyncCursor`` (its base here)."""

    def __init__(self, connection: ConnectionSettings, scrollable: bool = False, *, session: Session) -> None:
        if scrollable:
            raise dpy_error(3001, message="scrollable cursors are not supported by oracle_asyncio")
        self._connection = connection
        self._session = session
        self._arraysize = defaults.arraysize
        self._prefetchrows = defaults.prefetchrows
        self._inputtypehandler: Callable[..., Any] | None = None
        self._outputtypehandler: Callable[..., Any] | None = None
        self._rowfactory: Callable[..., Any] | None = None
        self._closed = False
        self._outcome = Outcome()  # what the last statement reported (_execute.py sets it)

    @property
    def connection(self) -> ConnectionSettings:
        """The connection the cursor was created on."""
        return self._connection

    @property
    def inputtypehandler(self) -> Callable[..., Any] | None:
        """handler(cursor, value, arraysize) -> Var or None; overrides the connection's."""
        self._check()
        return self._inputtypehandler

    @inputtypehandler.setter
    def inputtypehandler(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._inputtypehandler = value

    @property
    def outputtypehandler(self) -> Callable[..., Any] | None:
        """handler(cursor, metadata) -> Var or None; overrides the connection's."""
        self._check()
        return self._outputtypehandler

    @outputtypehandler.setter
    def outputtypehandler(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._outputtypehandler = value

    def _output_handler(self) -> Callable[..., Any] | None:
        """The output type handler this cursor fetches with (its own, else its connection's)."""
        return self._outputtypehandler or self._connection.outputtypehandler

    def _fetch_arraysize(self) -> int:
        """``arraysize`` without the open check (the result set reads it mid-fetch)."""
        return self._arraysize

    def _input_handler(self) -> Callable[[object, int], Any] | None:
        handler = self._inputtypehandler or self._connection.inputtypehandler
        if handler is None:
            return None
        return lambda value, rows: handler(self, value, rows)

    @property
    def arraysize(self) -> int:
        """Rows per FETCH round trip and fetchmany()'s default (DPY-2045 unless an int > 0)."""
        self._check()
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._check()
        if not isinstance(value, int) or value <= 0:
            raise dpy(2045)
        self._arraysize = value

    @property
    def prefetchrows(self) -> int:
        """Rows the execute round trip itself brings back."""
        self._check()
        return self._prefetchrows

    @prefetchrows.setter
    def prefetchrows(self, value: int) -> None:
        self._check()
        # python-oracledb stores it in a uint32: the same exceptions for bad values.
        if not isinstance(value, int):
            raise TypeError("an integer is required")
        if value < 0:
            raise OverflowError("can't convert negative value to uint32_t")
        self._prefetchrows = value

    @property
    def rowfactory(self) -> Callable[..., Any] | None:
        """Called with each fetched row's values; its result is returned instead of the tuple."""
        self._check()
        return self._rowfactory

    @rowfactory.setter
    def rowfactory(self, value: Callable[..., Any] | None) -> None:
        self._check()
        self._rowfactory = value

    @property
    def warning(self) -> ErrorInfo | None:
        """The last execute's warning: DPY-7000 when a CREATE of a procedure, function,
        package, trigger or type succeeded with compilation errors; else None."""
        self._check()
        return self._outcome.warning

    def _check(self) -> None:
        if self._closed:
            raise dpy(1006)
        self._session.check_open()
