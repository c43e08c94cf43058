"""Var: python-oracledb's bind variable (``cursor.var()``, ``setinputsizes()``,
``bindvars``), and the DPY errors the cursor raises.

A Var has a database type, a size and one value per element.  Variables the
user creates (``cursor.var``, ``setinputsizes``) are *typed*: their bind
metadata follows the type and size.  Variables the cursor makes for plain
values are *derived*: their metadata is python-oracledb's rule for the values
themselves (``bind_metadata_for_values``), so a plain value binds exactly as
before this module existed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from oracle_sansio.codecs import IntervalYM, OracleType
from oracle_sansio.exceptions import (
    DPY_MESSAGES,
    Error,
    ErrorInfo,
    ProgrammingError,
    dpy_error,
)
from oracle_sansio.ttc.constants import MAX_LONG_SIZE
from oracle_sansio.ttc.messages.binds import (
    BindMetadata,
    define_metadata_for_column,
    lob_bind_metadata,
)
from oracle_sansio.ttc.messages.describe import column_for
from oracle_sansio.ttc.messages.lob import LobValue

from . import dbtypes
from ._session import Session
from .dbtypes import DbType, db_type_for
from .lob import AsyncLOB, create_temporary

__all__ = ["Var", "VarPositionError", "db_type_of", "dpy"]

def dpy(code: int, **args: object) -> Error:
    """DPY-``code`` with python-oracledb's message."""
    # A missing argument is a KeyError here (dpy_error would fall back to the bare template);
    # ``message`` is taken as it is, so braces in an argument stay single.
    return dpy_error(code, None, message=DPY_MESSAGES[code].format(**args))


class VarPositionError(ProgrammingError, IndexError):
    """A Var position outside ``0 .. num_elements - 1``.

    python-oracledb raises a plain IndexError here; this is also a
    ProgrammingError so that it is caught with the other driver errors."""


# cursor.var(python type) -> database type (python-oracledb var() docs, checked live).
_PY_TYPES: Final[dict[type, DbType]] = {
    bool: dbtypes.DB_TYPE_BOOLEAN,
    bytes: dbtypes.DB_TYPE_RAW,
    _dt.datetime: dbtypes.DB_TYPE_TIMESTAMP,
    _dt.date: dbtypes.DB_TYPE_DATE,
    _dt.timedelta: dbtypes.DB_TYPE_INTERVAL_DS,
    Decimal: dbtypes.DB_TYPE_NUMBER,
    float: dbtypes.DB_TYPE_NUMBER,
    int: dbtypes.DB_TYPE_NUMBER,
    str: dbtypes.DB_TYPE_VARCHAR,
    IntervalYM: dbtypes.DB_TYPE_INTERVAL_YM,
}
# Default size of a typed variable when none is given ([live] 26.1: NCHAR/CHAR 2000, LONG 0).
_DEFAULT_SIZE: Final[dict[tuple[int, int], int]] = {
    (OracleType.VARCHAR, 1): 4000,
    (OracleType.VARCHAR, 2): 4000,
    (OracleType.CHAR, 1): 2000,
    (OracleType.CHAR, 2): 2000,
    (OracleType.RAW, 0): 4000,
}
# Var.buffer_size of types without a size ([live] 26.1; ROWID reports 18).
_BUFFER: Final[dict[int, int]] = {
    OracleType.NUMBER: 22, OracleType.BINARY_INTEGER: 22, OracleType.BOOLEAN: 4, OracleType.DATE: 7,
    OracleType.TIMESTAMP: 11, OracleType.TIMESTAMP_LTZ: 11, OracleType.TIMESTAMP_TZ: 13,
    OracleType.INTERVAL_DS: 11, OracleType.INTERVAL_YM: 5, OracleType.BINARY_FLOAT: 4,
    OracleType.BINARY_DOUBLE: 8, OracleType.CLOB: 112, OracleType.BLOB: 112, OracleType.ROWID: 18,
}
_TEXT: Final = frozenset({OracleType.VARCHAR, OracleType.CHAR, OracleType.LONG})
_BINARY: Final = frozenset({OracleType.RAW, OracleType.LONG_RAW})
_NUMERIC: Final = frozenset({OracleType.NUMBER, OracleType.BINARY_INTEGER, OracleType.BINARY_FLOAT,
                             OracleType.BINARY_DOUBLE})
_DATES: Final = frozenset({OracleType.DATE, OracleType.TIMESTAMP, OracleType.TIMESTAMP_TZ, OracleType.TIMESTAMP_LTZ})
_LOBS: Final = frozenset({OracleType.CLOB, OracleType.BLOB})


def db_type_of(typ: object) -> DbType:
    """The database type a ``var()`` / ``setinputsizes()`` type argument names.

    Raises DPY-2007 for something that is not a type, DPY-3003 for a Python
    type with no database type."""
    if isinstance(typ, DbType):
        return typ
    if isinstance(typ, type):
        found = _PY_TYPES.get(typ)
        if found is None:
            raise dpy(3003, typ=typ)
        return found
    raise dpy(2007)


def _checked(typ: DbType, value: object) -> object:
    """``value`` as a variable of ``typ`` stores it (python-oracledb's
    ``_check_and_set_value`` acceptance), or DPY-3013."""
    if value is None:
        return None
    ora = typ.ora_type
    ok: bool
    if ora in _TEXT:
        if isinstance(value, (bytes, bytearray)):
            value = bytes(value).decode()
        ok = isinstance(value, str)
    elif ora in _BINARY:
        if isinstance(value, str):
            value = value.encode()
        ok = isinstance(value, (bytes, bytearray))
    elif ora in _NUMERIC:
        ok = isinstance(value, (int, float, Decimal))
    elif ora in _DATES:
        ok = isinstance(value, _dt.date)
    elif ora == OracleType.INTERVAL_DS:
        ok = isinstance(value, _dt.timedelta)
    elif ora == OracleType.INTERVAL_YM:
        ok = isinstance(value, IntervalYM)
    elif ora in _LOBS:
        ok = isinstance(value, (str, bytes, AsyncLOB))
    elif ora in (OracleType.ROWID, OracleType.UROWID):
        ok = isinstance(value, str)
    else:
        ok = True  # BOOLEAN takes the truth of anything, as python-oracledb does
    if not ok:
        raise dpy(3013, py_type_name=type(value).__name__, db_type_name=typ.name)
    return value


#: Longest string or raw a PL/SQL bind takes as a plain value; longer ones go as a temporary LOB.
_MAX_PLSQL_STRING = 32767


class Var:
    """A bind variable: a database type, a size and ``num_elements`` values."""

    def __init__(
        self,
        typ: object,
        size: int = 0,
        arraysize: int = 1,
        inconverter: Callable[[Any], Any] | None = None,
        outconverter: Callable[[Any], Any] | None = None,
        typename: str | None = None,
        encoding_errors: str | None = None,
        bypass_decode: bool = False,
        convert_nulls: bool = False,
    ) -> None:
        if typename is not None:
            raise dpy(3007, name=typename)  # object types are not supported yet
        self._type = db_type_of(typ)
        self._number_type = typ if typ in (int, float, Decimal) else None
        if size < 0 or arraysize < 0:
            # python-oracledb's uint32 arguments refuse negatives the same way
            raise OverflowError("can't convert negative value to uint32_t")
        default = _DEFAULT_SIZE.get((self._type.ora_type, self._type.csfrm), 0)
        self._size = (int(size) or default) if default else 0
        self._values: list[object] = [None] * max(int(arraysize), 1)
        self._inconverter = inconverter
        self._outconverter = outconverter
        self._encoding_errors = encoding_errors
        self._bypass_decode = bypass_decode
        self._convert_nulls = convert_nulls
        #: Metadata of a variable made for plain values (None: follow type and size).
        self._derived: BindMetadata | None = None

    @classmethod
    def _for_values(cls, values: list[object], metadata: BindMetadata) -> Var:
        """The variable python-oracledb makes for plain bind values."""
        var = cls.__new__(cls)
        cls._adopt(var, values, metadata)
        return var

    def _adopt(self, values: list[object], metadata: BindMetadata) -> None:
        self._type = db_type_for(metadata.ora_type, metadata.csfrm)
        first = next((v for v in values if v is not None), None)
        self._number_type = None
        if isinstance(first, AsyncLOB):
            self._type = first.type
        ora = metadata.ora_type
        self._size = metadata.buffer_size // 4 if ora in _TEXT else metadata.buffer_size if ora in _BINARY else 0
        self._values = list(values)
        self._inconverter = self._outconverter = None
        self._encoding_errors = None
        self._bypass_decode = self._convert_nulls = False
        self._derived = metadata

    def __repr__(self) -> str:
        value = self._values if len(self._values) > 1 else self._values[0]
        return f"<oracle_asyncio.Var of type {self._type.name} with value {value!r}>"

    # ------------------------------------------------------------ public

    @property
    def type(self) -> DbType:
        """The variable's database type (a ``DB_TYPE_*`` object)."""
        return self._type

    @property
    def size(self) -> int:
        """Characters (text) or bytes (RAW) per value; 0 for other types."""
        return self._size

    @property
    def buffer_size(self) -> int:
        """Bytes per value as python-oracledb counts them."""
        ora = self._type.ora_type
        if ora in (OracleType.LONG, OracleType.LONG_RAW):
            return MAX_LONG_SIZE
        if ora in _TEXT:
            return self._size * 4
        return self._size if ora in _BINARY else _BUFFER.get(ora, 0)

    @property
    def num_elements(self) -> int:
        """How many values the variable holds."""
        return len(self._values)

    @property
    def actual_elements(self) -> int:
        """Equal to ``num_elements`` (no PL/SQL arrays yet)."""
        return len(self._values)

    @property
    def values(self) -> list[object]:
        """A copy of every value."""
        return [self.getvalue(i) for i in range(len(self._values))]

    @property
    def inconverter(self) -> Callable[[Any], Any] | None:
        """Applied by ``setvalue`` to each value before it is stored."""
        return self._inconverter

    @property
    def outconverter(self) -> Callable[[Any], Any] | None:
        """Applied to each value returned by the database."""
        return self._outconverter

    @property
    def convert_nulls(self) -> bool:
        """Whether ``outconverter`` also sees NULLs."""
        return self._convert_nulls

    def getvalue(self, pos: int = 0) -> Any:
        """The value at ``pos``."""
        return self._values[self._position(pos)]

    def setvalue(self, pos: int, value: Any) -> None:
        """Store ``value`` (after ``inconverter``) at ``pos``; DPY-3013 if the type refuses it."""
        pos = self._position(pos)
        if self._inconverter is not None:
            value = self._inconverter(value)
        self._store(pos, value)

    # Older code (and this package's tests) read and assign ``var.value``.
    @property
    def value(self) -> Any:
        """The first value (``getvalue(0)``)."""
        return self._values[0]

    @value.setter
    def value(self, value: Any) -> None:
        self.setvalue(0, value)

    # ---------------------------------------------------------- internal

    def _position(self, pos: int) -> int:
        if not isinstance(pos, int) or not 0 <= pos < len(self._values):
            raise VarPositionError(ErrorInfo("", f"position {pos!r} out of range (variable has "
                                                 f"{len(self._values)} elements)"))
        return pos

    def _store(self, pos: int, value: object) -> None:
        value = _checked(self._type, value)
        if isinstance(value, str) and self._type.ora_type in _TEXT:
            self._size = max(self._size, len(value))  # python-oracledb grows the variable
        elif isinstance(value, (bytes, bytearray)) and self._type.ora_type in _BINARY:
            self._size = max(self._size, len(value))
        if self._derived is not None and self._derived.ora_type in _TEXT | _BINARY:
            self._derived = None  # a longer value may follow: bind by type and (grown) size
        self._values[pos] = value

    def _take_values(self, values: list[object], executions: int) -> bool:
        """Store ``values`` (one per execution) if every one fits this variable's type."""
        if not all(not isinstance(v, Var) and self._accepts(v) for v in values):
            return False
        self._resize(executions)
        for row, value in enumerate(values):
            self._store(row, value)
        return True

    def _wire_value(self, row: int) -> object:
        """The value sent for execution ``row`` (a LOB as its locator)."""
        value = self._values[row]
        return value._value if isinstance(value, AsyncLOB) else value

    def _fetch_options(self) -> tuple[object, bool]:
        """What fetch conversion needs: the Python number type given to var(), and bypass_decode."""
        return self._number_type, self._bypass_decode

    async def _bind_lobs(self, session: Session, is_plsql: bool) -> list[bytes]:
        """Turn str/bytes of a LOB variable into temporary LOBs (python-oracledb does so) and,
        in PL/SQL, plain strings over 32767 bytes too; returns the locators to free after the call."""
        temporary: list[bytes] = []
        lob_var = self._type.ora_type in (OracleType.CLOB, OracleType.BLOB)
        for i, v in enumerate(self._values):
            if lob_var and isinstance(v, (str, bytes)):
                self._values[i] = await create_temporary(session, self._type, v)
            elif is_plsql and self._derived is not None and isinstance(v, (str, bytes, bytearray)):
                if isinstance(v, str) and len(v.encode()) > _MAX_PLSQL_STRING:
                    lob = await create_temporary(session, dbtypes.DB_TYPE_CLOB, v)
                elif isinstance(v, (bytes, bytearray)) and len(v) > _MAX_PLSQL_STRING:
                    lob = await create_temporary(session, dbtypes.DB_TYPE_BLOB, bytes(v))
                else:
                    continue
                self._values[i] = lob
                self._type, self._derived = lob.type, lob._bind_metadata()
                temporary.append(lob._value.locator)
        return temporary

    def _accepts(self, value: object) -> bool:
        try:
            _checked(self._type, value)
        except Error:
            return False
        return True

    def _resize(self, count: int) -> None:
        """Hold ``count`` values (executemany rows); new elements are NULL."""
        if count > len(self._values):
            self._values.extend([None] * (count - len(self._values)))

    def _metadata(self) -> BindMetadata:
        """The bind metadata block: a derived variable's own, else the one
        python-oracledb writes for the type and size (the define block's layout)."""
        if self._derived is not None:
            return self._derived
        ora, csfrm = self._type.ora_type, self._type.csfrm
        if ora in _LOBS:
            return lob_bind_metadata(ora, csfrm)
        column = column_for("", ora, csfrm=csfrm if ora in _TEXT else None, max_size=self._size)
        return define_metadata_for_column(column)

    def _set_from_database(self, pos: int, value: object, session: Session) -> None:
        """Store a value the database returned (out bind), converted as python-oracledb does."""
        self._resize(pos + 1)
        self._values[pos] = self._from_database(value, session)

    def _set_returned(self, pos: int, values: Sequence[object], session: Session) -> None:
        """Store one execution's DML RETURNING values: a list at ``pos``, as python-oracledb."""
        self._resize(pos + 1)
        self._values[pos] = [self._from_database(v, session) for v in values]

    def _from_database(self, value: object, session: Session) -> object:
        ora = self._type.ora_type
        if isinstance(value, LobValue):
            lob_type = ora if ora in _LOBS else OracleType.CLOB
            value = AsyncLOB(session, value, lob_type, self._type.csfrm)
        elif value is not None and ora in (OracleType.NUMBER, OracleType.BINARY_INTEGER):
            value = _number(value, self._number_type)
        elif isinstance(value, str) and self._bypass_decode and ora in _TEXT:
            value = value.encode()
        if self._outconverter is not None and (value is not None or self._convert_nulls):
            value = self._outconverter(value)
        return value


def _number(value: object, preferred: type | None) -> object:
    # var(float) -> float, var(Decimal) -> Decimal, otherwise an int when
    # integral and a float when not ([live] 26.1: var(int) receiving 1.5 gives 1.5).
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
        return value
    if preferred is Decimal:
        return Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    if preferred is float:
        return float(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
