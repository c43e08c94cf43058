"""VarState: what a bind variable (``Var``) holds, and the operations binding,
execution and fetching perform on it.

``Var`` is python-oracledb's public class and keeps python-oracledb's public
names; everything the driver's other modules need from a variable is here,
under public names, reached through :func:`oracle_asyncio._cursor_vars.var_state`.
"""

from __future__ import annotations

import inspect

import datetime as _dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from oracle_sansio.codecs import IntervalYM, OracleType
from oracle_sansio.exceptions import DPY_MESSAGES, Error, dpy_error
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
from .lob import AsyncLOB, create_temporary, lob_state

__all__ = ["DEFAULT_SIZES", "VarState", "derived_state", "dpy"]


def dpy(code: int, **args: object) -> Error:
    """DPY-``code`` with python-oracledb's message."""
    # A missing argument is a KeyError here (dpy_error would fall back to the bare template);
    # ``message`` is taken as it is, so braces in an argument stay single.
    return dpy_error(code, None, message=DPY_MESSAGES[code].format(**args))


# Default size of a typed variable when none is given ([live] 26.1: NCHAR/CHAR 2000, LONG 0).
_DEFAULT_SIZE: Final[dict[tuple[int, int], int]] = {
    (OracleType.VARCHAR, 1): 4000,
    (OracleType.VARCHAR, 2): 4000,
    (OracleType.CHAR, 1): 2000,
    (OracleType.CHAR, 2): 2000,
    (OracleType.RAW, 0): 4000,
}
#: The same by type object (identity hash: looked up for every var()).
DEFAULT_SIZES: Final[dict[DbType, int]] = {db_type_for(o, c): size for (o, c), size in _DEFAULT_SIZE.items()}
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
_SIZED: Final = _TEXT | _BINARY
#: Types whose variables never hold an AsyncLOB (_checked refuses one; BOOLEAN and
#: the types it does not know take anything).
_NEVER_LOB: Final = _TEXT | _BINARY | _NUMERIC | _DATES | frozenset(
    {OracleType.INTERVAL_DS, OracleType.INTERVAL_YM, OracleType.ROWID, OracleType.UROWID})

#: Longest string or raw a PL/SQL bind takes as a plain value; longer ones go as a temporary LOB.
_MAX_PLSQL_STRING = 32767


#: Per type, the Python types _checked passes unchanged (exact types only: a
#: subclass, bytes for text and the like go through _checked).
_PLAIN: Final[dict[int, frozenset[type]]] = {
    **{ora: frozenset({str}) for ora in _TEXT},
    **{ora: frozenset({int, float, Decimal, bool}) for ora in _NUMERIC},
    **{ora: frozenset({_dt.date, _dt.datetime}) for ora in _DATES},
}


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


class VarState:
    """A variable's type, size, values and conversion options.

    Variables the user creates (``cursor.var``, ``setinputsizes``) are *typed*:
    their bind metadata follows the type and size.  Variables made for plain
    values are *derived* (``derived`` is set): their metadata is python-oracledb's
    rule for the values themselves, until a value is stored that may not fit it."""

    __slots__ = ("type", "number_type", "size", "values", "inconverter", "outconverter", "encoding_errors",
                 "bypass_decode", "convert_nulls", "derived", "returned")

    # Positional and without defaults: one is made per placeholder and execute
    # (Var makes a typed one, derived_state the one for plain values).
    def __init__(self, typ: DbType, number_type: object, size: int, values: list[object],
                 inconverter: Callable[[Any], Any] | None, outconverter: Callable[[Any], Any] | None,
                 encoding_errors: str | None, bypass_decode: bool, convert_nulls: bool,
                 derived: BindMetadata | None) -> None:
        self.type = typ
        #: The Python number type given to var() (int, float or Decimal), else None.
        self.number_type = number_type
        self.size = size
        self.values = values
        self.inconverter = inconverter
        self.outconverter = outconverter
        self.encoding_errors = encoding_errors
        self.bypass_decode = bypass_decode
        self.convert_nulls = convert_nulls
        #: Metadata of a variable made for plain values (None: follow type and size).
        self.derived = derived
        #: Holds DML RETURNING lists (see rebind).
        self.returned = False

    def rebind(self) -> None:
        """The variable is bound again: RETURNING lists it holds go (python-oracledb
        empties such a variable, so it binds as its type, not as a list)."""
        if self.returned:
            self.values = [None] * len(self.values)
            self.returned = False

    def buffer_size(self) -> int:
        """Bytes per value as python-oracledb counts them."""
        ora = self.type.ora_type
        if ora in (OracleType.LONG, OracleType.LONG_RAW):
            return MAX_LONG_SIZE
        if ora in _TEXT:
            return self.size * 4
        return self.size if ora in _BINARY else _BUFFER.get(ora, 0)

    def store(self, pos: int, value: object) -> None:
        """Store ``value`` at ``pos`` (a valid position); DPY-3013 if the type refuses it."""
        value = _checked(self.type, value)
        if isinstance(value, str) and self.type.ora_type in _TEXT:
            self.size = max(self.size, len(value))  # python-oracledb grows the variable
        elif isinstance(value, (bytes, bytearray)) and self.type.ora_type in _BINARY:
            self.size = max(self.size, len(value))
        if self.derived is not None and self.derived.ora_type in _SIZED:
            self.derived = None  # a longer value may follow: bind by type and (grown) size
        self.values[pos] = value

    def take_values(self, values: list[object], executions: int) -> bool:
        """Store ``values`` (one per execution) if every one fits this variable's type."""
        typ = self.type
        ora = typ.ora_type
        # The usual column holds one plain type its variable takes as it is: checked by
        # distinct type (C loops), not by a call per value.
        types = set(map(type, values))
        nulls = type(None) in types
        types.discard(type(None))
        plain = _PLAIN.get(ora)
        unchanged = plain is not None and types <= plain
        if unchanged:
            checked = values
        else:
            try:
                checked = [_checked(typ, v) for v in values]
            except Error:
                return False
        self.resize(executions)
        # What store() does value by value: grow to the longest, bind by type and size.
        if ora in _TEXT and unchanged:
            texts: list[Any] = [v for v in checked if v is not None] if nulls else checked
            self.size = max(self.size, max(map(len, texts), default=0))
        elif ora in _TEXT:
            self.size = max(self.size, max((len(v) for v in checked if isinstance(v, str)), default=0))
        elif ora in _BINARY:
            self.size = max(self.size, max((len(v) for v in checked if isinstance(v, (bytes, bytearray))), default=0))
        if checked and self.derived is not None and self.derived.ora_type in _SIZED:
            self.derived = None
        self.values[:len(checked)] = checked
        return True

    def wire_values(self, count: int) -> list[object]:
        """The values sent for the first ``count`` executions (LOBs as their locators)."""
        values = self.values[:count]
        if self.type.ora_type in _NEVER_LOB:
            return values
        return [lob_state(v).value if isinstance(v, AsyncLOB) else v for v in values]

    async def bind_lobs(self, session: Session, is_plsql: bool) -> list[bytes]:
        """Turn str/bytes of a LOB variable into temporary LOBs (python-oracledb does so) and,
        in PL/SQL, plain strings over 32767 bytes too; returns the locators to free after the call."""
        temporary: list[bytes] = []
        lob_var = self.type.ora_type in (OracleType.CLOB, OracleType.BLOB)
        if not lob_var and not (is_plsql and self.derived is not None):
            return temporary  # nothing to look at: no value of this variable becomes a LOB
        for i, v in enumerate(self.values):
            if lob_var and isinstance(v, (str, bytes)):
                self.values[i] = await create_temporary(session, self.type, v)
            elif is_plsql and self.derived is not None and isinstance(v, (str, bytes, bytearray)):
                if isinstance(v, str) and len(v.encode()) > _MAX_PLSQL_STRING:
                    lob = await create_temporary(session, dbtypes.DB_TYPE_CLOB, v)
                elif isinstance(v, (bytes, bytearray)) and len(v) > _MAX_PLSQL_STRING:
                    lob = await create_temporary(session, dbtypes.DB_TYPE_BLOB, bytes(v))
                else:
                    continue
                self.values[i] = lob
                held = lob_state(lob)
                self.type, self.derived = lob.type, held.bind_metadata()
                temporary.append(held.value.locator)
        return temporary

    def accepts(self, value: object) -> bool:
        """Whether this variable's type takes ``value``."""
        try:
            _checked(self.type, value)
        except Error:
            return False
        return True

    def resize(self, count: int) -> None:
        """Hold ``count`` values (executemany rows); new elements are NULL."""
        if count > len(self.values):
            self.values.extend([None] * (count - len(self.values)))

    def metadata(self) -> BindMetadata:
        """The bind metadata block: a derived variable's own, else the one
        python-oracledb writes for the type and size (the define block's layout)."""
        if self.derived is not None:
            return self.derived
        ora, csfrm = self.type.ora_type, self.type.csfrm
        if ora in _LOBS:
            return lob_bind_metadata(ora, csfrm)
        column = column_for("", ora, csfrm=csfrm if ora in _TEXT else None, max_size=self.size)
        return define_metadata_for_column(column)

    def set_from_database(self, pos: int, value: object, session: Session) -> None:
        """Store a value the database returned (out bind), converted as python-oracledb does."""
        self.resize(pos + 1)
        self.values[pos] = self._from_database(value, session)

    def set_returned(self, pos: int, values: Sequence[object], session: Session) -> None:
        """Store one execution's DML RETURNING values: a list at ``pos``, as python-oracledb."""
        self.resize(pos + 1)
        self.values[pos] = [self._from_database(v, session) for v in values]
        self.returned = True

    async def settle(self) -> None:
        """Await what an outconverter returned awaitable (``lambda lob: lob.read()``), as
        python-oracledb's async driver does once the response is in."""
        if self.outconverter is None:
            return
        values = self.values
        for i, value in enumerate(values):
            if isinstance(value, list):  # DML RETURNING: a list per execution
                for j, element in enumerate(value):
                    if inspect.isawaitable(element):
                        value[j] = await element
            elif inspect.isawaitable(value):
                values[i] = await value

    def _from_database(self, value: object, session: Session) -> object:
        ora = self.type.ora_type
        if isinstance(value, LobValue):
            lob_type = ora if ora in _LOBS else OracleType.CLOB
            value = AsyncLOB(session, value, lob_type, self.type.csfrm)
        elif value is not None and ora in (OracleType.NUMBER, OracleType.BINARY_INTEGER):
            value = _number(value, self.number_type)
        elif isinstance(value, str) and self.bypass_decode and ora in _TEXT:
            value = value.encode()
        if self.outconverter is not None and (value is not None or self.convert_nulls):
            value = self.outconverter(value)
        return value


def derived_state(values: list[object], metadata: BindMetadata) -> VarState:
    """The state of the variable python-oracledb makes for plain bind values (``metadata``: theirs)."""
    ora = metadata.ora_type
    typ = db_type_for(ora, metadata.csfrm)
    for value in values:
        if value is not None:
            if isinstance(value, AsyncLOB):
                typ = value.type
            break
    size = metadata.buffer_size // 4 if ora in _TEXT else metadata.buffer_size if ora in _BINARY else 0
    return VarState(typ, None, size, list(values), None, None, None, False, False, metadata)


def _number(value: object, preferred: object) -> object:
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
