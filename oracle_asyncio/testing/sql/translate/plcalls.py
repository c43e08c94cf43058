"""Stored PL/SQL functions called from SQL: ``f(x)``, ``schema.f(x)``, ``pkg.f(x)``,
``schema.pkg.f(x)`` in a query or DML become ``ora_plsql(name, type, value, ...)`` (in DML
``ora_plsql_dml``), a function each session registers (runtime/sqlcalls.py) that runs the call as
a PL/SQL block on the same session.

Each argument travels with its type's name, so the session turns the stored value back into the
value PL/SQL sees; the result is converted to the function's declared return type (whose name
comes first) and stored.
"""

from __future__ import annotations

from ..catalog.units import Unit, signatures
from ..syntax.nodes import Func
from ..types.datatypes import SqlType
from .base import TE, TranslatorBase

__all__ = ["stored_function_call"]

_SQL_MAX_STRING = 4000


def _returns(unit: Unit | None, member: str | None, count: int) -> SqlType | None:
    """The SQL return type of the function ``unit`` (``member`` of a package) called with
    ``count`` arguments (overloads differ by their parameters), None when it is no function SQL
    can call."""
    if unit is None or not unit.valid or (member is None) != (unit.kind == "FUNCTION"):
        return None
    for sub in signatures(unit.tree):
        if sub.name == (member or unit.name) and sub.returns_sql is not None and count <= len(sub.params) \
                and all(p.default is not None for p in sub.params[count:]):
            return sub.returns_sql
    return None


def stored_function_call(tr: TranslatorBase, f: Func, args: list[TE]) -> TE | None:
    """``f`` as a call of a stored function (standalone or in a package), None when no stored
    function of that name is visible to the session."""
    who = tr.ctx.principal
    parts = f.name.split(".")
    units = tr.catalog.units
    candidates: list[tuple[str, str, str | None]] = []  # (owner, unit, member)
    if len(parts) == 1:
        candidates.append((who.schema, parts[0], None))
    elif len(parts) == 2:
        candidates += [(who.schema, parts[0], parts[1]), (parts[0], parts[1], None)]
    elif len(parts) == 3:
        candidates.append((parts[0], parts[1], parts[2]))
    for owner, name, member in candidates:
        if not tr.catalog.may_execute(who, owner, name):
            continue
        returns = _returns(units.get(owner, name), member, len(args))
        if returns is not None:
            if returns.is_char and returns.size > _SQL_MAX_STRING:  # SQL sees at most VARCHAR2(4000)
                returns = SqlType(returns.t, size=_SQL_MAX_STRING)
            target = ".".join(f'"{p}"' for p in (owner, name, member) if p is not None)
            pieces = [tr.param(target), tr.param(returns.t.value)]
            for a in args:
                pieces += [tr.param(a.type.t.value), a.sql]
            function = "ora_plsql_dml" if tr.in_dml else "ora_plsql"  # runtime/sqlcalls.py
            return TE(f"{function}({', '.join(pieces)})", returns)
    return None
