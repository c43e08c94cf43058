"""Stored functions called from SQL: translate/plcalls.py turns ``f(x)`` in a query into
``ora_plsql(...)`` and in a DML statement into ``ora_plsql_dml(...)``; each session registers both
(engine.py) on :func:`call_from_sql`, which runs the call as a PL/SQL block on the same session,
with the session's :class:`~.sqlguard.SqlCalls` knowing who called it (ORA-14551 / ORA-14552)."""

from __future__ import annotations

from typing import Any, Protocol

from ..errors import OraError
from ..types.datatypes import NULLTYPE, SqlType, T, from_storage, to_storage
from .results import Result
from .routines import coerce_value
from .sqlguard import DML, QUERY, SqlCalls

__all__ = ["call_from_sql"]

#: The ORA-06512 line the block running the call adds to an error leaving it.
_OUR_BLOCK = "\nORA-06512: at line 1"

class SqlCaller(Protocol):
    """What a call from SQL needs of the session (engine.Session is one)."""

    sql_calls: SqlCalls

    def execute(self, sql: str, binds: Any = (), *, bind_names: Any = (), returning_types: Any = ()) -> Result: ...


def call_from_sql(session: SqlCaller, in_query: bool, target: object, returns: object, *typed: object) -> object:
    """``ora_plsql[_dml](target, return type, type, value, ...)``: run the stored function
    ``target`` (quoted, dotted) as a PL/SQL block on ``session`` and return its value in storage
    form; ``in_query``: a query called it (else a DML statement)."""
    values = [from_storage(v, SqlType(T(str(tag)))) for tag, v in zip(typed[0::2], typed[1::2])]
    names = [f"A{i}" for i in range(len(values))]
    text = f"begin :R := {target}({', '.join(':' + n for n in names)}); end;"
    with session.sql_calls.called_from(QUERY if in_query else DML):
        try:
            result = session.execute(text, [None, *values], bind_names=["R", *names])
        except OraError as exc:
            if exc.message.endswith(_OUR_BLOCK):  # the block above is ours, not the user's: no line of it
                raise OraError(exc.code, exc.message[:-len(_OUR_BLOCK)], exc.position) from None
            raise
    value = coerce_value((result.out_values or {}).get(0), SqlType(T(str(returns))))
    return None if value is None else to_storage(value, NULLTYPE)
