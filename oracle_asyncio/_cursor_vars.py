"""Var: python-oracledb's bind variable (``cursor.var()``, ``setinputsizes()``,
``bindvars``), and the DPY errors the cursor raises.

A Var has a database type, a size and one value per element; all of it lives in
a :class:`~oracle_asyncio._var_state.VarState`.  Var's public names stay
python-oracledb's: binding, execution and fetching reach the state through
:func:`var_state`, and make variables for plain values with :func:`var_for_values`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from oracle_sansio.codecs import IntervalYM
from oracle_sansio.exceptions import ErrorInfo, ProgrammingError
from oracle_sansio.ttc.messages.binds import BindMetadata

from . import dbtypes
from ._var_state import DEFAULT_SIZES, VarState, derived_state, dpy
from .dbtypes import ApiType, DbType

__all__ = ["Var", "VarPositionError", "db_type_of", "dpy", "var_for_values", "var_state"]


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


def db_type_of(typ: object) -> DbType:
    """The database type a ``var()`` / ``setinputsizes()`` type argument names.

    Raises DPY-2007 for something that is not a type, DPY-3003 for a Python
    type with no database type."""
    if isinstance(typ, DbType):
        return typ
    if isinstance(typ, ApiType):
        return typ.var_type
    if isinstance(typ, type):
        found = _PY_TYPES.get(typ)
        if found is None:
            raise dpy(3003, typ=typ)
        return found
    raise dpy(2007)


_NUMBER_TYPES: Final = (int, float, Decimal)


class Var:
    """A bind variable: a database type, a size and ``num_elements`` values."""

    __slots__ = ("_state",)

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
        db_type = typ if type(typ) is DbType else db_type_of(typ)
        if size < 0 or arraysize < 0:
            # python-oracledb's uint32 arguments refuse negatives the same way
            raise OverflowError("can't convert negative value to uint32_t")
        default = DEFAULT_SIZES.get(db_type, 0)
        self._state = VarState(db_type, typ if typ in _NUMBER_TYPES else None, (int(size) or default) if default else 0,
                               [None] * max(int(arraysize), 1), inconverter, outconverter, encoding_errors,
                               bypass_decode, convert_nulls, None)

    def __repr__(self) -> str:
        values = self._state.values
        value = values if len(values) > 1 else values[0]
        return f"<oracle_asyncio.Var of type {self._state.type.name} with value {value!r}>"

    @property
    def type(self) -> DbType:
        """The variable's database type (a ``DB_TYPE_*`` object)."""
        return self._state.type

    @property
    def size(self) -> int:
        """Characters (text) or bytes (RAW) per value; 0 for other types."""
        return self._state.size

    @property
    def buffer_size(self) -> int:
        """Bytes per value as python-oracledb counts them."""
        return self._state.buffer_size()

    @property
    def num_elements(self) -> int:
        """How many values the variable holds."""
        return len(self._state.values)

    @property
    def actual_elements(self) -> int:
        """Equal to ``num_elements`` (no PL/SQL arrays yet)."""
        return len(self._state.values)

    @property
    def values(self) -> list[object]:
        """A copy of every value."""
        return [self.getvalue(i) for i in range(len(self._state.values))]

    @property
    def inconverter(self) -> Callable[[Any], Any] | None:
        """Applied by ``setvalue`` to each value before it is stored."""
        return self._state.inconverter

    @property
    def outconverter(self) -> Callable[[Any], Any] | None:
        """Applied to each value returned by the database."""
        return self._state.outconverter

    @property
    def convert_nulls(self) -> bool:
        """Whether ``outconverter`` also sees NULLs."""
        return self._state.convert_nulls

    def getvalue(self, pos: int = 0) -> Any:
        """The value at ``pos``."""
        return self._state.values[self._position(pos)]

    def setvalue(self, pos: int, value: Any) -> None:
        """Store ``value`` (after ``inconverter``) at ``pos``; DPY-3013 if the type refuses it."""
        pos = self._position(pos)
        if self._state.inconverter is not None:
            value = self._state.inconverter(value)
        self._state.store(pos, value)

    # Older code (and this package's tests) read and assign ``var.value``.
    @property
    def value(self) -> Any:
        """The first value (``getvalue(0)``)."""
        return self._state.values[0]

    @value.setter
    def value(self, value: Any) -> None:
        self.setvalue(0, value)

    def _position(self, pos: int) -> int:
        count = len(self._state.values)
        if not isinstance(pos, int) or not 0 <= pos < count:
            raise VarPositionError(ErrorInfo("", f"position {pos!r} out of range (variable has "
                                                 f"{count} elements)"))
        return pos


def var_state(var: Var) -> VarState:
    """``var``'s type, size, values and options: the driver's only way into a Var."""
    return var._state


def var_for_values(values: list[object], metadata: BindMetadata) -> Var:
    """The variable python-oracledb makes for plain bind values (``metadata``: their bind metadata)."""
    # Made without __init__ (its checks are for the user's arguments): one per placeholder and execute.
    var = Var.__new__(Var)
    var._state = derived_state(values, metadata)
    return var
