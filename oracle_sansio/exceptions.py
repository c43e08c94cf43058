"""PEP 249 exception classes as python-oracledb has them, with ``full_code``
(``ORA-nnnnn`` / ``DPY-nnnn``), ``code``, ``message`` and ``offset``.

Pure data: drivers raise these; the machines report server errors as events.
Class choice and the DPY-4011 rewrite of "session is dead" ORA codes follow
python-oracledb's errors.py (PROTOCOL-TTC.md 8.1, 8.3).
"""

from __future__ import annotations

import re
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
    "error_info",
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
_INTERFACE: Final = frozenset({24422})
_OPERATIONAL: Final = frozenset({
    22, 378, 600, 602, 603, 604, 609, 1012, 1013, 1033, 1034, 1041, 1043, 1089, 1090, 1092, 3111, 3113, 3114,
    3122, 3135, 12153, 12203, 12500, 12571, 27146, 28511,
})
_SESSION_DEAD: Final = frozenset({
    22, 28, 31, 45, 378, 600, 602, 603, 609, 1012, 1041, 1043, 1089, 1092, 2396, 3113, 3114, 3122, 3135,
    12153, 12537, 12547, 12570, 12583, 27146, 28511, 56600,
})
_RECOVERABLE: Final = frozenset({376, 1033, 1034, 1090, 1115, 12514, 12571, 12757, 16456})
#: ORA codes python-oracledb reports as a DPY error (the ORA text follows on the next line);
#: a pattern pulls the DPY template's arguments out of the ORA text.
_ORA_AS_DPY: Final[dict[int, int | tuple[int, str]]] = {
    **{n: 4011 for n in _SESSION_DEAD},
    1005: 4001, 1740: 2042, 1756: 2041,
    22165: (2039, r"index \[(?P<index>\d+)\] must be in the range of \[(?P<min_index>\d+)\] to "
                  r"\[(?P<max_index>\d+)\]"),
    22303: (2035, r'type "(?P<name>[^"]*"."[^"]*)"'),
    24338: 4025, 24344: 7000, 24349: 4006, 24422: 1005, 24457: 4005, 24459: 4005, 24496: 4005,
    26202: 3036, 26211: 3034, 26216: 3035, 29970: 1007, 38902: 4029,
}
#: DPY codes whose message python-oracledb ends with a link to its troubleshooting guide.
_TROUBLESHOOTING: Final = frozenset({"DPY-3010", "DPY-3015", "DPY-4011"})
_ORA_HELP: Final = "\nHelp: https://docs.oracle.com/error-help/db/ora-{code:05d}/"
_DPY_HELP: Final = "\nHelp: https://python-oracledb.readthedocs.io/en/latest/user_guide/troubleshooting.html#{code}"

#: DPY message templates (python-oracledb errors.py).
DPY_MESSAGES: Final[dict[int, str]] = {
    1001: 'not connected to database',
    1002: 'connection pool is not open',
    1003: 'the executed statement does not return rows',
    1004: 'no statement executed',
    1005: 'connection pool cannot be closed because connections are busy',
    1006: 'cursor is not open',
    1007: 'subscription is not active',
    2001: 'no statement specified and no prior statement prepared',
    2002: 'statement must be prepared first',
    2003: 'expecting a dictionary, list or tuple, or keyword args',
    2004: ('"parameters" argument should be a list of sequences or dictionaries, or an integer specifying '
           'the number of times to execute the statement, or an object implementing the Apache Arrow '
           'PyCapsule interface __arrow_c_stream__()'),
    2005: 'expecting positional arguments or keyword arguments, not both',
    2006: 'positional and named binds cannot be intermixed',
    2007: 'expected a type',
    2012: 'arguments must be a list or tuple',
    2013: '"keyword_parameters" argument must be a dict',
    2014: '"{deprecated_name}" and "{new_name}" cannot be specified together',
    2015: 'type handler should return None or the value returned by a call to cursor.var()',
    2016: 'variable array size of {var_arraysize} is too small (should be at least {required_arraysize})',
    2023: 'invalid connection class',
    2025: 'invalid connection params',
    2026: 'invalid connection pool class',
    2027: 'invalid pool params',
    2035: 'invalid object type name: "{name}"',
    2039: 'given index {index} must be in the range of {min_index} to {max_index}',
    2040: ('parameters "batcherrors" and "arraydmlrowcounts" may only be true when used with insert, '
           'update, delete and merge statements'),
    2041: "missing ending quote (')",
    2042: 'missing ending quote (")',
    2045: 'arraysize must be an integer greater than zero',
    2054: 'connection pool with alias "{alias}" does not exist',
    2055: 'connection pool with alias "{alias}" already exists',
    2064: "parameter 'max' should be greater than or equal to parameter 'min'",
    2066: 'an empty statement cannot be executed',
    3001: '{feature} is only supported in python-oracledb {driver_type} mode',
    3002: 'Python value of type "{type_name}" is not supported',
    3003: 'Python type {typ} is not supported',
    3007: 'database type "{name}" is not supported',
    3010: 'connections to this database server version are not supported by python-oracledb in thin mode',
    3013: 'unsupported Python type {py_type_name} for database type {db_type_name}',
    3015: 'password verifier type 0x{verifier_type:x} is not supported by python-oracledb in thin mode',
    3034: ('suspending or resuming a Sessionless Transaction can be done with DBMS_TRANSACTION or with '
           'python-oracledb, but not both'),
    3035: ('suspend, commit, or rollback the current active sessionless transaction before beginning or '
           'resuming another one'),
    3036: 'no Sessionless Transaction is active',
    4001: 'no credentials specified',
    4003: 'value cannot be represented as an Oracle number',
    4004: 'invalid number',
    4005: 'timed out waiting for the connection pool to return a connection',
    4006: 'array DML row counts mode is not enabled',
    4007: 'cannot convert from data type {input_type} to {output_type}',
    4008: 'no bind placeholder named ":{name}" was found in the SQL text',
    4009: '{expected_num} positional bind values are required but {actual_num} were provided',
    4010: 'a bind variable replacement value for placeholder ":{name}" was not provided',
    4011: 'the database or network closed the connection',
    4017: 'invalid connect descriptor "{data}"',
    4018: 'cannot parse connect string "{data}"',
    4019: 'invalid redirect data {data}',
    4021: 'invalid protocol "{protocol}"',
    4022: 'invalid value for enumeration {name}: {value}',
    4024: 'call timeout of {timeout} ms exceeded',
    4025: 'invalid REF CURSOR: never opened in PL/SQL',
    4029: 'the number of batch errors from executemany() exceeds 65535',
    4033: "the database closed the connection because the connection's idle time has been exceeded",
    4035: 'invalid server response to connection request',
    6005: 'cannot connect to database (CONNECTION_ID={connection_id}).',
    7000: 'creation succeeded with compilation errors',
}
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
        elif full_code in _TROUBLESHOOTING:
            message += _DPY_HELP.format(code=full_code.lower())
    mapped = _ORA_AS_DPY.get(code) if code else None
    if mapped is not None:
        number, pattern = mapped if isinstance(mapped, tuple) else (mapped, None)
        found = re.search(pattern, message) if pattern else None
        args = found.groupdict() if found else {}
        message = f"{_dpy_text(number, args)}\n{message}"
        full_code = f"DPY-{number:04d}"
    cls: type[Error] = DatabaseError
    recoverable = dead = False
    if full_code.startswith("DPY-"):
        number = int(full_code[4:])
        dead = recoverable = number == 4011
        # DPY-7xxx are warnings (cursor.warning), never raised: they keep DatabaseError here.
        cls = _DPY_ERROR_CLASS.get(number // 1000, DatabaseError)
    elif code:
        recoverable = code in _RECOVERABLE
        if code in _INTEGRITY:
            cls = IntegrityError
        elif code in _INTERFACE:
            cls = InterfaceError
        elif code in _OPERATIONAL:
            cls = OperationalError
    info = ErrorInfo(full_code, message, code=code, offset=offset, isrecoverable=recoverable,
                     is_session_dead=dead)
    return cls, info


def _dpy_text(code: int, args: dict[str, object]) -> str:
    template = DPY_MESSAGES.get(code, "error {code}")
    try:
        return f"DPY-{code:04d}: " + template.format(code=code, **args)
    except (KeyError, IndexError, ValueError):
        return f"DPY-{code:04d}: {template}"


def dpy_error(code: int, cause: str | None = None, *, message: str | None = None, **args: object) -> Error:
    """A DPY-``code`` error with python-oracledb's text (``cause`` on a new line);
    ``message`` replaces the template where this driver's reason differs."""
    text = f"DPY-{code:04d}: {message}" if message is not None else _dpy_text(code, args)
    if cause:
        text += "\n" + cause
    cls, info = error_info(text)
    return cls(info)


def ora_error(number: int, message: str, *, offset: int = 0) -> Error:
    """The exception python-oracledb raises for ORA-``number`` with the server's ``message``."""
    if not message.startswith("ORA-"):
        message = f"ORA-{number:05d}: {message}"
    cls, info = error_info(message, code=number, offset=offset)
    return cls(info)
