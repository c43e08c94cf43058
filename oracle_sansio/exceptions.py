"""PEP 249 exception classes as python-oracledb has them, with ``full_code``
(``ORA-nnnnn`` / ``DPY-nnnn``), ``code``, ``message`` and ``offset``.

Pure data: drivers raise these; the machines report server errors as events.
Class choice and the DPY-4011 rewrite of "session is dead" ORA codes follow
python-oracledb's errors.py (PROTOCOL-TTC.md 8.1, 8.3).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "Warning",
    "Error",
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
    "ErrorInfo",
    "ora_error",
    "dpy_error",
    "DPY_MESSAGES",
]


class ErrorInfo:
    """What python-oracledb puts in ``exc.args[0]``."""

    __slots__ = ("code", "full_code", "message", "offset", "isrecoverable", "is_session_dead")

    def __init__(self, full_code: str, message: str, *, code: int = 0, offset: int = 0,
                 isrecoverable: bool = False, is_session_dead: bool = False) -> None:
        self.full_code = full_code
        self.message = message
        self.code = code
        self.offset = offset
        self.isrecoverable = isrecoverable
        self.is_session_dead = is_session_dead

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ErrorInfo({self.message!r})"


class Warning(Exception):  # noqa: A001 - PEP 249 name
    """PEP 249 Warning."""


class Error(Exception):
    """PEP 249 base error; ``args[0]`` is an :class:`ErrorInfo`."""

    @property
    def full_code(self) -> str:
        """``ORA-nnnnn`` or ``DPY-nnnn``."""
        return self._info.full_code

    @property
    def code(self) -> int:
        """The numeric part of the ORA code (0 for DPY errors)."""
        return self._info.code

    @property
    def message(self) -> str:
        """The whole message."""
        return self._info.message

    @property
    def _info(self) -> ErrorInfo:
        info = self.args[0] if self.args else None
        return info if isinstance(info, ErrorInfo) else ErrorInfo("", str(info or ""))


class InterfaceError(Error):
    """Errors of the driver's interface."""


class DatabaseError(Error):
    """Errors of the database."""


class DataError(DatabaseError):
    """Bad data."""


class OperationalError(DatabaseError):
    """Operational problems (connection, memory, ...)."""


class IntegrityError(DatabaseError):
    """Constraint violations."""


class InternalError(DatabaseError):
    """Internal errors."""


class ProgrammingError(DatabaseError):
    """Programming errors."""


class NotSupportedError(DatabaseError):
    """Unsupported operations."""


_INTEGRITY: Final = frozenset({1, 1400, 1438, 2290, 2291, 2292, 21525, 40479})
_OPERATIONAL: Final = frozenset({604, 1013, 1033, 1034, 1090, 3111, 12203, 12500, 12571})
_SESSION_DEAD: Final = frozenset({
    22, 28, 31, 45, 378, 600, 602, 603, 609, 1012, 1041, 1043, 1089, 1092, 2396, 3113, 3114, 3122, 3135,
    12153, 12537, 12547, 12570, 12583, 27146, 28511, 56600,
})
_RECOVERABLE: Final = frozenset({376, 1033, 1034, 1090, 1115, 12514, 12571, 12757, 16456})

#: DPY message templates (python-oracledb errors.py).
DPY_MESSAGES: Final[dict[int, str]] = {
    1001: "not connected to database",
    1002: "connection pool is not open",
    1005: "unable to acquire a connection from a pool that has busy connections",
    2045: "arraysize must be an integer greater than zero",
    2064: "parameter 'max' should be greater than or equal to parameter 'min'",
    4005: "timed out waiting for the connection pool to return a connection",
    4011: "the database or network closed the connection",
    4024: "call timeout of {timeout} ms exceeded",
    4035: "invalid server response to connection request",
    6005: "cannot connect to database (CONNECTION_ID={connection_id}).",
}
_DPY_CLASS: Final = {1: InterfaceError, 2: ProgrammingError, 3: NotSupportedError, 4: DatabaseError,
                     5: InternalError, 6: OperationalError, 7: Warning, 8: DataError}


def dpy_error(code: int, cause: str | None = None, **args: object) -> Error:
    """A DPY-``code`` error with python-oracledb's text (``cause`` on a new line)."""
    template = DPY_MESSAGES.get(code, "error {code}")
    text = f"DPY-{code:04d}: " + template.format(code=code, **args)
    if cause:
        text += "\n" + cause
    cls = _DPY_CLASS.get(code // 1000, DatabaseError)
    info = ErrorInfo(f"DPY-{code:04d}", text, isrecoverable=code == 4011, is_session_dead=code == 4011)
    exc = cls(info)
    assert isinstance(exc, Error)
    return exc


def ora_error(number: int, message: str, *, offset: int = 0) -> Error:
    """The exception for ORA-``number`` (the session-ending ones become DPY-4011)."""
    if number in _SESSION_DEAD:
        return dpy_error(4011, message)
    if number in _INTEGRITY:
        cls: type[Error] = IntegrityError
    elif number in _OPERATIONAL:
        cls = OperationalError
    elif number == 24422:
        cls = InterfaceError
    else:
        cls = DatabaseError
    full_code = message.split(":", 1)[0] if message.startswith("ORA-") else f"ORA-{number:05d}"
    return cls(ErrorInfo(full_code, message, code=number, offset=offset, isrecoverable=number in _RECOVERABLE))
