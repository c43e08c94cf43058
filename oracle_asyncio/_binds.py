"""Binding: parameters -> bind variables (python-oracledb's binding rules and
their DPY errors), and ``setinputsizes`` variables."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, TypeAlias

from oracle_sansio.codecs import IntervalYM
from oracle_sansio.errors import EncodeError
from oracle_sansio.exceptions import ErrorInfo, NotSupportedError, ProgrammingError
from oracle_sansio.statement import Statement
from oracle_sansio.ttc.messages.binds import BindMetadata, bind_metadata_for_values

from ._cursor_vars import Var, dpy, var_for_values, var_state
from .dbtypes import db_type_for
from .lob import AsyncLOB, lob_state

__all__ = ["BindPlan", "InputHandler", "Preset", "input_sizes", "plan_binds"]

Preset = list[Var | None] | dict[str, Var]
#: An input type handler bound to its cursor: (value, number of rows) -> Var or None.
InputHandler: TypeAlias = Callable[[object, int], Any]

# Python values python-oracledb binds without a type handler.
_BINDABLE: Final = (str, bytes, bytearray, memoryview, int, float, Decimal, _dt.date, _dt.timedelta, IntervalYM,
                    AsyncLOB)


@dataclass
class BindPlan:
    """Which variable each placeholder gets, and how many executions there are."""

    #: One variable per wire bind (``Statement.bind_names``: SQL repeats, PL/SQL once per name).
    slots: list[Var]
    #: ``cursor.bindvars``: by position, or by name (the caller's keys).
    bindvars: Preset
    executions: int

    def metadata(self) -> tuple[BindMetadata, ...]:
        return tuple(var_state(v).metadata() for v in self.slots)

    def rows(self) -> list[tuple[object, ...]]:
        """The wire values, one tuple per execution (LOBs as their locators)."""
        if not self.slots:
            return [()] * self.executions
        return list(zip(*[var_state(v).wire_values(self.executions) for v in self.slots]))


def _sized_var(spec: object) -> Var | None:
    if spec is None or isinstance(spec, Var):
        return spec
    if isinstance(spec, list):
        raise NotSupportedError(ErrorInfo("", "PL/SQL array binds ([type, num_elements]) are not supported"))
    if isinstance(spec, int) and not isinstance(spec, bool):
        return Var(str, spec)  # an integer is the size of a string
    return Var(spec)


def input_sizes(args: tuple[object, ...], kwargs: dict[str, object]) -> Preset:
    """``setinputsizes``: a variable per position (None kept) or per keyword."""
    if args and kwargs:
        raise dpy(2005)
    if kwargs:
        named: dict[str, Var] = {}
        for key, spec in kwargs.items():
            var = _sized_var(spec)
            if var is not None:
                named[key] = var
        return named
    return [_sized_var(spec) for spec in args]


def _key(name: object) -> str:
    """A bind name as the statement lists it (":x" and "x" are the same; quotes keep case)."""
    text = str(name)
    text = text.removeprefix(":")
    if len(text) > 1 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text.upper()


def _derived(column: list[object], *, field_version: int, is_plsql: bool) -> Var:
    """python-oracledb's variable for plain values (one per execution)."""
    for value in column:
        if value is not None and not isinstance(value, _BINDABLE):
            raise dpy(3002, type_name=type(value).__name__)
    lobs = [v for v in column if isinstance(v, AsyncLOB)]
    if lobs:
        if len(lobs) != sum(v is not None for v in column):
            raise dpy(3013, py_type_name=type(next(v for v in column if v is not None and not isinstance(
                v, AsyncLOB))).__name__, db_type_name=lobs[0].type.name)
        return var_for_values(column, lob_state(lobs[0]).bind_metadata())
    try:
        metadata = bind_metadata_for_values(column, field_version=field_version, is_plsql=is_plsql)
    except EncodeError as exc:
        first = next(v for v in column if v is not None)
        db_type = db_type_for(bind_metadata_for_values([first], field_version=field_version,
                                                       is_plsql=is_plsql).ora_type, 1)
        bad = next((v for v in column if v is not None and type(v) is not type(first)), first)
        raise dpy(3013, py_type_name=type(bad).__name__, db_type_name=db_type.name) from exc
    return var_for_values(column, metadata)


_PLAIN_ROWS: Final = frozenset({tuple, list})


def _holds_var(column: list[object]) -> bool:
    """Whether a Var is among ``column`` (one look per distinct type, not per value)."""
    return any(issubclass(t, Var) for t in set(map(type, column)))


def _choose(column: list[object], supplied: bool, preset: Var | None, executions: int, *,
            field_version: int, is_plsql: bool, handler: InputHandler | None = None) -> Var:
    """The variable for one placeholder: a Var the caller passed, the
    setinputsizes variable if it takes the values, else one for the values."""
    given = column[0] if supplied else None
    var: Var | None = given if isinstance(given, Var) else None
    if var is None and preset is not None:
        if not supplied:
            var = preset
        else:
            # A kept variable takes new values as setvalue() does: through its inconverter.
            convert = preset.inconverter
            converted = column if convert is None else [v if isinstance(v, Var) else convert(v) for v in column]
            # A Var among the values is bound as itself, never stored in another variable.
            if not _holds_var(converted) and var_state(preset).take_values(
                    converted, executions):
                return preset
        # python-oracledb replaces a setinputsizes variable its value does not fit
    if var is not None:
        if var.num_elements < executions:
            raise dpy(2016, var_arraysize=var.num_elements, required_arraysize=executions)
        var_state(var).rebind()
        return var
    if _holds_var(column):
        raise ProgrammingError(ErrorInfo("", "executemany() rows must all pass the same Var for a placeholder"))
    if handler is not None and supplied:
        # python-oracledb asks the input type handler for a plain value's variable.
        first = next((v for v in column if v is not None), None)
        chosen = handler(first, executions)
        if chosen is not None:
            if not isinstance(chosen, Var):
                raise dpy(2015)
            var_state(chosen).resize(executions)
            for row, value in enumerate(column):
                chosen.setvalue(row, value)
            return chosen
    return _derived(column, field_version=field_version, is_plsql=is_plsql)


def plan_binds(stmt: Statement, rows: list[Any] | None, preset: Preset | None, *, executions: int,
               many: bool, field_version: int, handler: InputHandler | None = None) -> BindPlan:
    """Bind ``rows`` (one parameter set per execution; None: no parameters)
    to ``stmt``'s placeholders, python-oracledb's way."""
    names = list(stmt.bind_names)
    is_plsql = stmt.is_plsql
    first = rows[0] if rows else None
    named = isinstance(first, Mapping) if first is not None else isinstance(preset, dict)
    # The usual rows (all tuples or lists) are checked by distinct type, no step per row.
    plain_rows = bool(rows) and set(map(type, rows or ())) <= _PLAIN_ROWS
    for row in () if plain_rows and not named else rows or ():
        if type(row) is tuple or type(row) is list:  # the usual rows: no ABC check
            if named:
                raise dpy(2006)
            continue
        if not isinstance(row, (Mapping, Sequence)) or isinstance(row, (str, bytes)):
            raise dpy(2004 if many else 2003)
        if isinstance(row, Mapping) != named:
            raise dpy(2006)
    if preset is not None and (isinstance(preset, dict) != named) and (rows or preset):
        raise dpy(2006)
    if named:
        return _plan_named(names, rows, preset if isinstance(preset, dict) else {}, executions,
                           field_version=field_version, is_plsql=is_plsql, handler=handler)
    positional_preset = preset if isinstance(preset, list) else []
    width = len(rows[0]) if rows else 0
    provided = max(width, len(positional_preset))
    if rows and len(set(map(len, rows))) > 1:  # C loops: no Python step per row
        provided = next(len(r) for r in rows if len(r) != width)
    # An empty sequence binds nothing: python-oracledb then names the first missing value (4010).
    if provided != len(names) and provided and (rows or positional_preset):
        raise dpy(4009, expected_num=len(names), actual_num=provided)
    # Equal-width plain rows: every column in one transposition.
    columns = list(zip(*rows)) if rows and plain_rows and provided == width else None
    slots: list[Var] = []
    for i, name in enumerate(names):
        supplied = i < width
        preset_var = positional_preset[i] if i < len(positional_preset) else None
        if not supplied and preset_var is None:
            raise dpy(4010, name=name)
        if columns is not None and supplied:
            column: list[object] = list(columns[i])
        else:
            column = [r[i] for r in rows] if rows and supplied else [None]
        slots.append(_choose(column, supplied, preset_var, executions, field_version=field_version,
                             is_plsql=is_plsql, handler=handler))
    bindvars: list[Var | None] = list(slots)
    return BindPlan(slots, bindvars, executions)


def _plan_named(names: list[str], rows: list[Any] | None, preset: dict[str, Var], executions: int, *,
                field_version: int, is_plsql: bool, handler: InputHandler | None) -> BindPlan:
    unique = list(dict.fromkeys(names))
    given: dict[str, str] = {}  # statement name -> the caller's key
    for key in preset:
        if _key(key) not in unique:
            raise dpy(4008, name=str(key).lstrip(":"))
        given[_key(key)] = str(key)
    lookups: list[dict[str, object]] = []
    for row in rows or []:
        lookup: dict[str, object] = {}
        for key, value in row.items():
            name = _key(key)
            if name not in unique:
                raise dpy(4008, name=str(key).lstrip(":"))
            lookup[name] = value
            given.setdefault(name, str(key))
        lookups.append(lookup)
    by_name: dict[str, Var] = {}
    for name in unique:
        supplied = bool(lookups) and all(name in lookup for lookup in lookups)
        preset_var = preset.get(given.get(name, ""))
        if not supplied and preset_var is None:
            raise dpy(4010, name=name)
        column: list[object] = [lookup[name] for lookup in lookups] if supplied else [None]
        by_name[name] = _choose(column, supplied, preset_var, executions, field_version=field_version,
                                is_plsql=is_plsql, handler=handler)
    bindvars = {given[name]: by_name[name] for name in unique}
    return BindPlan([by_name[n] for n in names], bindvars, executions)

