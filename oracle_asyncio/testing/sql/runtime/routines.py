"""PL/SQL's ground floor: what the interpreter needs of the session (:class:`Host`),
stored procedures and functions as catalog entries (CREATE [OR REPLACE] / DROP
PROCEDURE / FUNCTION), the built-in packages, and scalar conversion.

Built-ins: ``dbms_output`` (ENABLE, DISABLE, PUT, PUT_LINE, NEW_LINE,
GET_LINE, GET_LINES; its type CHARARR), ``dbms_session`` (SET_IDENTIFIER, CLEAR_IDENTIFIER; SLEEP is a
statement of its own) and ``dbms_application_info`` (SET_MODULE, SET_ACTION,
SET_CLIENT_INFO, READ_MODULE, READ_CLIENT_INFO).  The other standard packages are in
pkg_lob.py, pkg_misc.py and pkg_raw.py; pkg_builtins.py has the table of them all.

The interpreter itself is plsql_run.py (statements), plsql_eval.py
(expressions), plsql_scope.py (scopes, frames, exceptions) and
plsql_values.py (records and collections).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from contextlib import AbstractContextManager
from typing import Any, Protocol

from .. import errors
from ..types.datatypes import NULLTYPE, NUMBER, SqlType, T, from_storage, number_bytes, varchar
from ..errors import OraError
from ..types.numbers import num, num_text
from ..syntax.nodes import CreateRoutine, Delete, Insert, Lit, PlParam, Select, Update
from ..catalog.schema import Principal
from ..catalog.tables import Catalog
from .cursorstate import OpenCursors
from .plsql_values import SYS_REFCURSOR, CollectionType, PlCollection, PlType
from .results import Result
from .sqlguard import SqlCalls
from .trigger_state import TriggerState

__all__ = ["BUILTINS", "BUILTIN_TYPES", "CHARARR", "HANDLED", "Builtin", "Host", "HostDatabase", "MAX_DEPTH", "OutputBuffer", "coerce_value"]

#: The argument name under which a contextual Builtin gets the error being handled.
HANDLED = "%ERROR"

#: How deep PL/SQL calls may nest (ORA-00036 beyond).
MAX_DEPTH = 50


@dataclass
class OutputBuffer:
    """DBMS_OUTPUT's per-session buffer (None while disabled, as in Oracle)."""

    lines: list[str] | None = None
    partial: str = ""


class HostDatabase(Protocol):
    """What PL/SQL needs of the database: its catalog (stored units included)."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def plsql_memory(self) -> int:
        """The bytes one top-level PL/SQL call may hold (plsql_memory.py)."""


class Host(Protocol):
    """What a PL/SQL block needs of the session that runs it (engine.Session is one), passed in
    by the engine so that this module does not import it."""

    output: OutputBuffer
    #: Who called the PL/SQL running now, for ORA-14551 / ORA-14552 (runtime/sqlguard.py).
    sql_calls: SqlCalls

    @property
    def in_transaction(self) -> bool:
        """True while the session has uncommitted changes."""
        ...

    @property
    def transactions(self) -> int:
        """The number of the open transaction (DBMS_TRANSACTION.LOCAL_TRANSACTION_ID)."""
        ...

    @property
    def db(self) -> HostDatabase: ...

    @property
    def schema(self) -> str: ...

    @property
    def principal(self) -> Principal: ...

    #: Triggers' state: the array INSERT running now, the mutating tables (trigger_state.py).
    triggers: TriggerState

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def end_statement(self, mark: tuple[str, bool], *, undo: bool) -> None: ...

    def dml(self, stmt: Insert | Update | Delete, binds: dict[str, object]) -> Result: ...

    def query(self, stmt: Select, binds: dict[str, object]) -> Result: ...

    def execute(self, sql: str, binds: Any = (), *, bind_names: Any = (), returning_types: Any = ()) -> Result: ...

    #: How deeply EXECUTE IMMEDIATE now nests (plcursors.py bounds it).
    recursive_sql: int
    #: The session's open cursor variables (plrefcursors.py).
    cursors: OpenCursors

    def evaluate(self, expr: object, binds: dict[str, object]) -> object: ...

    def interrupted(self) -> OraError | None:
        """The error a running call must stop with now (statement_timeout, a kill), if any."""
        ...

    def as_definer(self, owner: str) -> AbstractContextManager[None]:
        """Run stored code of ``owner`` with its owner's rights (``principal`` is the owner's)."""
        ...

    def autonomous(self) -> AbstractContextManager[None]:
        """Run the body in a transaction of its own (PRAGMA AUTONOMOUS_TRANSACTION), the caller's
        suspended meanwhile (runtime/transactions.py)."""
        ...



@dataclass(frozen=True)
class Builtin:
    """A built-in package procedure: its parameters and what it does to the session."""

    params: tuple[PlParam, ...]
    #: Reads and sets the arguments by parameter name; a function's result is what it returns.
    run: Callable[[Host, dict[str, object]], object]
    returns: SqlType | None = None
    #: Parameters whose type is no scalar (a PlParam holds a scalar type): name -> type.
    types: tuple[tuple[str, PlType], ...] = ()
    #: The call also passes, under ``name + "%TYPE"``, each argument's type as written (None when
    #: not known), and under ``HANDLED`` the error whose handler runs now (None outside one).
    contextual: bool = False

    def type_of(self, p: PlParam) -> PlType:
        """Parameter ``p``'s type."""
        return next((t for name, t in self.types if name == p.name), p.type)


#: DBMS_OUTPUT.CHARARR: ``TABLE OF VARCHAR2(32767) INDEX BY BINARY_INTEGER``.
CHARARR = CollectionType("DBMS_OUTPUT.CHARARR", "ASSOC", varchar(32767), NUMBER)

#: The built-in packages' types, by qualified name.
BUILTIN_TYPES: dict[str, PlType] = {"DBMS_OUTPUT.CHARARR": CHARARR, "SYS_REFCURSOR": SYS_REFCURSOR}


def _vc(name: str, mode: str = "IN", default: bool = False) -> PlParam:
    return PlParam(name, mode, varchar(32767), Lit(0, 0, None, NULLTYPE) if default else None)


def _put(s: Host, a: dict[str, object]) -> None:
    if s.output.lines is not None:
        s.output.partial += "" if a["A"] is None else str(a["A"])


def _put_line(s: Host, a: dict[str, object]) -> None:
    _put(s, a)
    _new_line(s, a)


def _new_line(s: Host, a: dict[str, object]) -> None:
    if s.output.lines is not None:
        s.output.lines.append(s.output.partial)
        s.output.partial = ""


def _get_line(s: Host, a: dict[str, object]) -> None:
    lines = s.output.lines
    a["LINE"], a["STATUS"] = (lines.pop(0), 0) if lines else (None, 1)


def _get_lines(s: Host, a: dict[str, object]) -> None:
    """Up to NUMLINES lines into LINES (1..n); NUMLINES becomes how many were read."""
    lines = s.output.lines or []
    wanted = a["NUMLINES"]
    count = min(len(lines), max(int(num(wanted) or 0), 0)) if wanted is not None else 0
    a["LINES"] = PlCollection(CHARARR, {k: line for k, line in enumerate(lines[:count], 1)})
    del lines[:count]
    a["NUMLINES"] = count


def _enable(s: Host, a: dict[str, object]) -> None:
    if s.output.lines is None:
        s.output.lines = []


def _disable(s: Host, a: dict[str, object]) -> None:
    s.output = OutputBuffer()


def _setter(**attrs: str) -> Callable[[Host, dict[str, object]], None]:
    def run(s: Host, a: dict[str, object]) -> None:
        for attr, param in attrs.items():
            setattr(s, attr, None if a[param] is None else str(a[param]))
    return run


def _reader(**attrs: str) -> Callable[[Host, dict[str, object]], None]:
    def run(s: Host, a: dict[str, object]) -> None:
        for attr, param in attrs.items():
            a[param] = getattr(s, attr)
    return run


BUILTINS: dict[str, Builtin] = {
    "DBMS_OUTPUT.ENABLE": Builtin((PlParam("BUFFER_SIZE", "IN", NUMBER, Lit(0, 0, None, NULLTYPE)),), _enable),
    "DBMS_OUTPUT.DISABLE": Builtin((), _disable),
    "DBMS_OUTPUT.PUT": Builtin((_vc("A"),), _put),
    "DBMS_OUTPUT.PUT_LINE": Builtin((_vc("A"),), _put_line),
    "DBMS_OUTPUT.NEW_LINE": Builtin((), _new_line),
    "DBMS_OUTPUT.GET_LINE": Builtin((_vc("LINE", "OUT"), PlParam("STATUS", "OUT", NUMBER)), _get_line),
    "DBMS_OUTPUT.GET_LINES": Builtin((PlParam("LINES", "OUT", varchar(32767)), PlParam("NUMLINES", "IN OUT", NUMBER)),
                                     _get_lines, types=(("LINES", CHARARR),)),
    "DBMS_SESSION.SET_IDENTIFIER": Builtin((_vc("CLIENT_ID"),), _setter(client_identifier="CLIENT_ID")),
    "DBMS_SESSION.CLEAR_IDENTIFIER": Builtin((), lambda s, a: setattr(s, "client_identifier", None)),
    "DBMS_APPLICATION_INFO.SET_MODULE": Builtin((_vc("MODULE_NAME"), _vc("ACTION_NAME")),
                                                 _setter(module="MODULE_NAME", action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.SET_ACTION": Builtin((_vc("ACTION_NAME"),), _setter(action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.SET_CLIENT_INFO": Builtin((_vc("CLIENT_INFO"),), _setter(client_info="CLIENT_INFO")),
    "DBMS_APPLICATION_INFO.READ_MODULE": Builtin((_vc("MODULE_NAME", "OUT"), _vc("ACTION_NAME", "OUT")),
                                                  _reader(module="MODULE_NAME", action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.READ_CLIENT_INFO": Builtin((_vc("CLIENT_INFO", "OUT"),),
                                                       _reader(client_info="CLIENT_INFO")),
}


def coerce_value(value: object, typ: SqlType) -> object:
    """A value as a variable of ``typ`` holds it (Oracle's implicit conversions
    between numbers and text; ORA-06502 when text is too long or not a number)."""
    if value is None:
        return None
    if typ.t is T.NUMBER and isinstance(value, (str, float, Decimal)) and not isinstance(value, bool):
        try:
            d = num(value)
        except OraError:
            raise errors.value_error("conversion") from None
        return None if d is None else from_storage(number_bytes(d), NUMBER)
    if typ.is_char:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = num_text(Decimal(value))
        if isinstance(value, str) and typ.size and len(value) > typ.size:
            raise errors.value_error("buffer")
    return value
