"""python-oracledb's module-level functions and globals that an asyncio-only,
thin-only driver has: the PEP 249 globals and constructors, ``version``,
``is_thin_mode``, the SQL-name helpers, and what happens to the names only
python-oracledb's synchronous or thick API has.

Those sync-only names (``connect``, ``create_pool``, ``Connection``, ...) are
not attributes here: reading one raises :class:`SyncOnlyError`, a
NotSupportedError DPY-3001 naming the asyncio name to use, which is also an
AttributeError, so ``hasattr(oracle_asyncio, "connect")`` is honestly False and
``getattr(oracle_asyncio, "connect", None)`` gives None.  ``LOB`` is the
exception: SQLAlchemy's dialect reads ``dbapi.LOB`` when it starts (into its
``setinputsizes`` type set), so it exists, as a class no object here belongs to.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Final, NoReturn

from oracle_sansio.error_codes import NOT_BUILT_TEXT, DpyCode
from oracle_sansio.exceptions import NotSupportedError, dpy_error, error_info

__all__ = [
    "apilevel", "threadsafety", "paramstyle", "version",
    "Binary", "Date", "Time", "Timestamp", "DateFromTicks", "TimeFromTicks", "TimestampFromTicks",
    "is_thin_mode", "enable_thin_mode", "enquote_literal", "enquote_name", "is_simple_sql_name",
    "is_qualified_sql_name", "JsonId", "LOB", "SyncOnlyError",
]

apilevel: Final = "2.0"
#: Threads may share the module and connections, not cursors (python-oracledb's level).
threadsafety: Final = 2
paramstyle: Final = "named"
#: The python-oracledb API level this driver implements (SQLAlchemy's async dialect wants
#: at least 2.0.1, and calls ``terminate()`` from 26.0); the release is ``__version__``.
version: Final = "26.1.0"


def Binary(value: bytes | bytearray | memoryview | Iterable[int]) -> bytes:  # noqa: N802 - PEP 249 name
    """A binary value (PEP 249)."""
    return bytes(value)


def Date(year: int, month: int, day: int) -> datetime.date:  # noqa: N802
    """A date value (PEP 249)."""
    return datetime.date(year, month, day)


def Timestamp(year: int, month: int, day: int, hour: int = 0, minute: int = 0,  # noqa: N802
              second: int = 0) -> datetime.datetime:
    """A timestamp value (PEP 249)."""
    return datetime.datetime(year, month, day, hour, minute, second)


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802
    """The local date ``ticks`` seconds after the epoch (PEP 249)."""
    return datetime.date.fromtimestamp(ticks)


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802
    """The local time ``ticks`` seconds after the epoch (PEP 249)."""
    return datetime.datetime.fromtimestamp(ticks)


def Time(hour: int, minute: int, second: int) -> NoReturn:  # noqa: N802
    """Raises NotSupportedError DPY-3000: Oracle has no time-only type (as python-oracledb)."""
    raise dpy_error(DpyCode.TIME_NOT_SUPPORTED)


def TimeFromTicks(ticks: float) -> NoReturn:  # noqa: N802
    """Raises NotSupportedError DPY-3000: Oracle has no time-only type (as python-oracledb)."""
    raise dpy_error(DpyCode.TIME_NOT_SUPPORTED)


def is_thin_mode() -> bool:
    """True: this driver speaks the protocol itself (python-oracledb's thin mode), always."""
    return True


def enable_thin_mode() -> None:
    """Nothing to do: the driver is always thin (kept so that python-oracledb code runs)."""


def enquote_literal(value: str) -> str:
    """``value`` as a SQL string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def enquote_name(value: str, capitalize: bool = True) -> str:
    """``value`` as a quoted SQL name, upper-cased unless ``capitalize`` is False.

    Raises ProgrammingError DPY-2074 when it contains a double quote."""
    if '"' in value:
        raise dpy_error(DpyCode.NAME_HAS_EMBEDDED_QUOTES)
    return f'"{value.upper() if capitalize else value}"'


def _name_end(text: str, start: int) -> int:
    """Where the simple SQL name at ``text[start]`` ends, or -1 if none starts there."""
    if start >= len(text):
        return -1
    if text[start] == '"':
        close = text.find('"', start + 1)
        return close + 1 if close > start + 1 else -1
    if not text[start].isalpha():
        return -1
    end = start + 1
    while end < len(text) and (text[end].isalnum() or text[end] in "_$#"):
        end += 1
    return end


def is_simple_sql_name(value: str) -> bool:
    """Whether ``value`` (spaces around it ignored) is one SQL name: a letter then
    letters, digits, ``_``, ``$`` or ``#``; or any text without ``"`` in double quotes."""
    text = value.strip()
    return bool(text) and _name_end(text, 0) == len(text)


def is_qualified_sql_name(value: str) -> bool:
    """Whether ``value`` is simple SQL names joined by periods, optionally followed
    by ``@`` and a database link's names joined by periods (spaces allowed around
    the separators and the whole)."""
    text, pos, link = value.strip(), 0, False
    while True:
        pos = _name_end(text, pos)
        if pos < 0:
            return False
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return True
        if text[pos] == "@" and not link:
            link = True
        elif text[pos] != ".":
            return False
        pos += 1
        while pos < len(text) and text[pos].isspace():
            pos += 1


class JsonId(bytes):
    """The identifier of a JSON document (python-oracledb ``JsonId``)."""


class SyncOnlyError(NotSupportedError, AttributeError):
    """NotSupportedError DPY-3001 for a name only python-oracledb's synchronous or
    thick API has.  Also an AttributeError: the module does not have the name, so
    ``hasattr()`` says False and ``getattr(module, name, default)`` gives the default."""


#: python-oracledb's sync-only or thick-only name -> what to use here.
SYNC_ONLY: Final[dict[str, str]] = {
    "connect": "use oracle_asyncio.connect_async()",
    "create_pool": "use oracle_asyncio.create_pool_async()",
    "Connection": "use oracle_asyncio.AsyncConnection",
    "Cursor": "use oracle_asyncio.AsyncCursor",
    "ConnectionPool": "use oracle_asyncio.AsyncConnectionPool",
    "SessionPool": "use oracle_asyncio.AsyncConnectionPool",
    "LOB": "use oracle_asyncio.AsyncLOB",
    "init_oracle_client": "oracle_asyncio is always thin (no Oracle Client libraries to load)",
    "clientversion": "oracle_asyncio is always thin (no Oracle Client libraries to ask)",
}


def sync_only_error(name: str) -> SyncOnlyError:
    """The error for reading (or, for ``LOB``, instantiating) a sync-only name."""
    feature = f"oracle_asyncio.{name} (python-oracledb's synchronous or thick API)"
    text = f"DPY-{DpyCode.FEATURE_NOT_SUPPORTED:04d}: {NOT_BUILT_TEXT.format(feature=feature)}: {SYNC_ONLY[name]}"
    _, info = error_info(text)
    return SyncOnlyError(info)


class LOB:
    """python-oracledb's synchronous LOB class, kept because SQLAlchemy's dialect reads
    ``dbapi.LOB``: no value here is one (LOBs are :class:`~oracle_asyncio.AsyncLOB`, as in
    python-oracledb's async API), and making one raises :class:`SyncOnlyError`."""

    def __new__(cls, *args: object, **kwargs: object) -> LOB:
        raise sync_only_error("LOB")
