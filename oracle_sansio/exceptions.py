"""PEP 249 exception classes as python-oracledb has them, with ``full_code``
(``ORA-nnnnn`` / ``DPY-nnnn``), ``code``, ``message`` and ``offset``.

Pure data: drivers raise these; the machines report server errors as events.
Class choice and the DPY-4011 rewrite of "session is dead" ORA codes follow
python-oracledb's errors.py (docs/protocol-ttc.md 8.1, 8.3).
"""

from __future__ import annotations

import copy
import re
from typing import Final

from .error_codes import (
    DPY_MESSAGES,
    INTEGRITY_ORA,
    INTERFACE_ORA,
    NOT_BUILT_TEXT,
    OPERATIONAL_ORA,
    ORA_AS_DPY,
    RECOVERABLE_ORA,
    TROUBLESHOOTING_DPY,
    DpyCode,
    dpy_text,
)

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
    "error_info",
    "ora_error",
    "dpy_error",
    "not_built_error",
    "fresh_error",
    "DPY_MESSAGES",
]


class ErrorInfo:
    """What python-oracledb puts in ``exc.args[0]``."""

    __slots__ = ("code", "full_code", "message", "offset", "isrecoverable", "is_session_dead", "iswarning",
                 "context")

    def __init__(self, full_code: str, message: str, *, code: int = 0, offset: int = 0,
                 isrecoverable: bool = False, is_session_dead: bool = False, iswarning: bool = False,
                 context: str | None = None) -> None:
        self.full_code = full_code
        self.message = message
        self.code = code
        self.offset = offset
        self.isrecoverable = isrecoverable
        self.is_session_dead = is_session_dead
        #: True for ``cursor.warning``'s object (DPY-7000), as python-oracledb's ``_Error``.
        self.iswarning = iswarning
        #: python-oracledb's ``_Error.context`` (where the error arose); None here.
        self.context = context

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


_ORA_HELP: Final = "\nHelp: https://docs.oracle.com/error-help/db/ora-{code:05d}/"
_DPY_HELP: Final = "\nHelp: https://python-oracledb.readthedocs.io/en/latest/user_guide/troubleshooting.html#{code}"

#: Exception class by DPY thousand (7: warnings, which are not raised, stay DatabaseError).
_DPY_ERROR_CLASS: Final[dict[int, type[Error]]] = {1: InterfaceError, 2: ProgrammingError, 3: NotSupportedError,
                                                   4: DatabaseError, 5: InternalError, 6: OperationalError,
                                                   8: DataError}


def error_info(message: str, *, code: int = 0, offset: int = 0) -> tuple[type[Error], ErrorInfo]:
    """The exception class and error object python-oracledb (thin) makes of a
    message: ``full_code`` from the text before the first colon, the Help line
    it appends (database help for ORA codes outside 20000-20999, its
    troubleshooting guide for a few DPY codes), ORA codes it reports as DPY
    errors, and the class, ``isrecoverable`` and ``is_session_dead`` rules."""
    head, colon, _ = message.partition(":")
    full_code = head if colon and head else ""
    if full_code:
        if code and not 20000 <= code < 21000:
            message += _ORA_HELP.format(code=code)
        elif any(full_code == dpy.full_code for dpy in TROUBLESHOOTING_DPY):
            message += _DPY_HELP.format(code=full_code.lower())
    mapped = ORA_AS_DPY.get(code) if code else None
    if mapped is not None:
        dpy, pattern = mapped if isinstance(mapped, tuple) else (mapped, None)
        found = re.search(pattern, message) if pattern else None
        args = found.groupdict() if found else {}
        message = f"{dpy_text(dpy, args)}\n{message}"
        full_code = dpy.full_code
    cls: type[Error] = DatabaseError
    recoverable = dead = False
    if full_code.startswith("DPY-"):
        number = int(full_code[4:])
        dead = recoverable = number == DpyCode.CONNECTION_CLOSED
        # DPY-7xxx are warnings (cursor.warning), never raised: they keep DatabaseError here.
        cls = _DPY_ERROR_CLASS.get(number // 1000, DatabaseError)
    elif code:
        recoverable = code in RECOVERABLE_ORA
        if code in INTEGRITY_ORA:
            cls = IntegrityError
        elif code in INTERFACE_ORA:
            cls = InterfaceError
        elif code in OPERATIONAL_ORA:
            cls = OperationalError
    info = ErrorInfo(full_code, message, code=code, offset=offset, isrecoverable=recoverable,
                     is_session_dead=dead)
    return cls, info


def dpy_error(code: int, cause: str | None = None, *, message: str | None = None, **args: object) -> Error:
    """A DPY-``code`` error with python-oracledb's text (``cause`` on a new line);
    ``message`` replaces the template where this driver's reason differs."""
    text = f"DPY-{code:04d}: {message}" if message is not None else dpy_text(code, args)
    if cause:
        text += "\n" + cause
    cls, info = error_info(text)
    return cls(info)


def fresh_error(error: BaseException) -> BaseException:
    """A copy of ``error`` to raise: one error (a failed logon) may fail many callers, and
    a single object raised in each of their tasks or threads would collect all their
    tracebacks."""
    new = copy.copy(error)
    new.__cause__, new.__traceback__ = error.__cause__, None
    return new


def not_built_error(feature: str) -> Error:
    """NotSupportedError DPY-3001 for a python-oracledb feature this project has not built."""
    return dpy_error(DpyCode.FEATURE_NOT_SUPPORTED, message=NOT_BUILT_TEXT.format(feature=feature))


def ora_error(number: int, message: str, *, offset: int = 0) -> Error:
    """The exception python-oracledb raises for ORA-``number`` with the server's ``message``."""
    if not message.startswith("ORA-"):
        message = f"ORA-{number:05d}: {message}"
    cls, info = error_info(message, code=number, offset=offset)
    return cls(info)
