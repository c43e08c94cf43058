"""PL/SQL at run time: anonymous blocks, stored procedures and functions
(CREATE [OR REPLACE] PROCEDURE / FUNCTION) and a few built-in packages.

Built-ins: ``dbms_output`` (ENABLE, DISABLE, PUT, PUT_LINE, NEW_LINE,
GET_LINE), ``dbms_session`` (SET_IDENTIFIER, CLEAR_IDENTIFIER; SLEEP is a
statement of its own) and ``dbms_application_info`` (SET_MODULE, SET_ACTION,
SET_CLIENT_INFO, READ_MODULE, READ_CLIENT_INFO).

Values live in a frame keyed by bind name (the block) or by parameter and
variable name (a routine); expressions are evaluated by the SQL engine with
the frame as their binds (the parser turned variable references into Bind
nodes).  Stored functions are called where a block assigns their result
(``:r := f(...)``, ``v := f(...)``), which is what ``callfunc`` sends; inside
other expressions only SQL's own functions exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final, Protocol

from .. import errors
from ..types.datatypes import NULLTYPE, NUMBER, SqlType, T, from_storage, number_bytes, varchar
from ..errors import OraError, pls_error
from ..types.numbers import num, num_text
from ..syntax.nodes import (
    Bind,
    Col,
    Commit,
    CreateRoutine,
    Delete,
    Expr,
    Func,
    Insert,
    Lit,
    PlAssign,
    PlBlock,
    PlCall,
    PlNull,
    PlParam,
    PlReturn,
    PlSleep,
    PlSql,
    PlStatement,
    Rollback,
    Update,
)
from ..syntax.parser_plsql import bind_names_in
from ..catalog.schema import Principal
from ..catalog.tables import Catalog
from .results import Result
from .units import stored_routine

__all__ = ["Host", "HostDatabase", "OutputBuffer", "PL_STATEMENTS", "run_block"]

_MAX_DEPTH = 50


@dataclass
class OutputBuffer:
    """DBMS_OUTPUT's per-session buffer (None while disabled, as in Oracle)."""

    lines: list[str] | None = None
    partial: str = ""


class HostDatabase(Protocol):
    """What PL/SQL needs of the database: its catalog (stored units included)."""

    @property
    def catalog(self) -> Catalog: ...


class Host(Protocol):
    """What a PL/SQL block needs of the session that runs it (engine.Session is one), passed in
    by the engine so that this module does not import it."""

    output: OutputBuffer

    @property
    def db(self) -> HostDatabase: ...

    @property
    def schema(self) -> str: ...

    @property
    def principal(self) -> Principal: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def dml(self, stmt: Insert | Update | Delete, binds: dict[str, object]) -> Result: ...

    def evaluate(self, expr: object, binds: dict[str, object]) -> object: ...



@dataclass(frozen=True)
class _Builtin:
    params: tuple[PlParam, ...]
    run: Callable[[Host, dict[str, object]], None]
    returns: SqlType | None = None


@dataclass
class _Frame:
    values: dict[str, object]
    types: dict[str, SqlType]
    routine: CreateRoutine | None  # None: the anonymous block
    sql: str
    written: set[str] = field(default_factory=set)


class _Return(Exception):
    def __init__(self, value: object) -> None:
        self.value = value


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


_BUILTINS: dict[str, _Builtin] = {
    "DBMS_OUTPUT.ENABLE": _Builtin((PlParam("BUFFER_SIZE", "IN", NUMBER, Lit(0, 0, None, NULLTYPE)),), _enable),
    "DBMS_OUTPUT.DISABLE": _Builtin((), _disable),
    "DBMS_OUTPUT.PUT": _Builtin((_vc("A"),), _put),
    "DBMS_OUTPUT.PUT_LINE": _Builtin((_vc("A"),), _put_line),
    "DBMS_OUTPUT.NEW_LINE": _Builtin((), _new_line),
    "DBMS_OUTPUT.GET_LINE": _Builtin((_vc("LINE", "OUT"), PlParam("STATUS", "OUT", NUMBER)), _get_line),
    "DBMS_SESSION.SET_IDENTIFIER": _Builtin((_vc("CLIENT_ID"),), _setter(client_identifier="CLIENT_ID")),
    "DBMS_SESSION.CLEAR_IDENTIFIER": _Builtin((), lambda s, a: setattr(s, "client_identifier", None)),
    "DBMS_APPLICATION_INFO.SET_MODULE": _Builtin((_vc("MODULE_NAME"), _vc("ACTION_NAME")),
                                                 _setter(module="MODULE_NAME", action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.SET_ACTION": _Builtin((_vc("ACTION_NAME"),), _setter(action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.SET_CLIENT_INFO": _Builtin((_vc("CLIENT_INFO"),), _setter(client_info="CLIENT_INFO")),
    "DBMS_APPLICATION_INFO.READ_MODULE": _Builtin((_vc("MODULE_NAME", "OUT"), _vc("ACTION_NAME", "OUT")),
                                                  _reader(module="MODULE_NAME", action="ACTION_NAME")),
    "DBMS_APPLICATION_INFO.READ_CLIENT_INFO": _Builtin((_vc("CLIENT_INFO", "OUT"),),
                                                       _reader(client_info="CLIENT_INFO")),
}


# ---- execution ------------------------------------------------------------------------------------

class _Reads(dict[str, object]):
    """A block's bind values, remembering which ones it read."""

    def __init__(self, values: dict[str, object]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> object:
        self.read.add(name)
        return super().__getitem__(name)


def run_block(session: Host, block: PlBlock, binds: dict[str, object],
              sql: str) -> tuple[dict[str, object], float | None, frozenset[str]]:
    """Run an anonymous block; returns the binds it assigned (name -> value), the
    seconds it sleeps and the binds it read (IN OUT rather than OUT when also assigned)."""
    runner = _Runner(session)
    values = _Reads(binds)
    frame = _Frame(values, {}, None, sql)
    try:
        runner.run(block.body, frame)
    except _Return:
        pass  # RETURN leaves an anonymous block
    return {name: frame.values[name] for name in frame.written}, runner.sleep, frozenset(values.read)


class _Runner:
    def __init__(self, session: Host) -> None:
        self.session = session
        self.sleep: float | None = None
        self.depth = 0

    def run(self, body: tuple[PlStatement, ...], frame: _Frame) -> None:
        for item in body:
            PL_STATEMENTS[type(item)](self, item, frame)

    def skip(self, item: PlNull, frame: _Frame) -> None:
        """NULL;"""

    def assign_statement(self, item: PlAssign, frame: _Frame) -> None:
        if not item.local and frame.routine is not None:
            raise errors.pls_unplaced(f"PLS-00049: bad bind variable '{item.target}'")
        self.assign(frame, item.target, self.value(item.expr, frame), item.local)

    def sleep_statement(self, item: PlSleep, frame: _Frame) -> None:
        seconds = self.value(item.seconds, frame)
        d = num(seconds) if not isinstance(seconds, float) else Decimal(repr(seconds))
        if d is None or d < 0:
            raise errors.value_error()
        self.sleep = (self.sleep or 0.0) + float(d)

    def call_statement(self, item: PlCall, frame: _Frame) -> None:
        self.invoke(item.name, item.args, item.named, frame, item.pos, function=False)

    def leave(self, item: PlReturn, frame: _Frame) -> None:
        routine = frame.routine
        if routine is not None and routine.returns is not None:
            if item.expr is None:
                raise errors.pls_unplaced("PLS-00503: RETURN <value> statement required for this return "
                                          "from function")
            raise _Return(coerce_value(self.value(item.expr, frame), routine.returns))
        if item.expr is not None:
            raise errors.pls_unplaced("PLS-00372: In a procedure, RETURN statement cannot contain an "
                                      "expression")
        raise _Return(None)

    def sql(self, item: PlSql, frame: _Frame) -> None:
        stmt = item.stmt
        session = self.session
        if isinstance(stmt, Commit):
            session.commit()
            return
        if isinstance(stmt, Rollback):
            session.rollback()
            return
        if frame.routine is not None:
            # In SQL inside PL/SQL a column wins over a variable of the same name,
            # except in INSERT's VALUES, where no column can be named.
            names = frozenset(frame.values)
            keep: frozenset[str] = frozenset()
            if isinstance(stmt, (Update, Delete)) or stmt.returning is not None:
                table = session.db.catalog.table(stmt.table.schema, stmt.table.name, session.principal,
                                                 stmt.table.pos)
                keep = frozenset(c.name for c in table.columns)
            ret = stmt.returning
            if isinstance(stmt, Insert) and ret is not None:
                ret = replace(ret, exprs=bind_names_in(ret.exprs, names, keep))
                stmt = replace(bind_names_in(replace(stmt, returning=None), names), returning=ret)
            else:
                stmt = bind_names_in(stmt, names, keep)
        assert isinstance(stmt, (Insert, Update, Delete))
        result = session.dml(stmt, frame.values)
        if stmt.returning is not None:
            # RETURNING INTO scalars: no row leaves NULLs, more than one is an error.
            rows = result.returned or []
            if len(rows) > 1:
                raise errors.ora(1422)
            for k, target in enumerate(stmt.returning.into):
                self.assign(frame, target.name, rows[0][k] if rows else None, isinstance(target, Col))

    def value(self, expr: Expr | PlCall, frame: _Frame) -> object:
        if isinstance(expr, PlCall):
            return self.invoke(expr.name, expr.args, expr.named, frame, expr.pos, function=True)
        if isinstance(expr, Func) and not expr.star and not expr.distinct and \
                self.lookup(expr.name, expr.start, frame.sql) is not None:
            return self.invoke(expr.name, expr.args, (), frame, expr.start, function=True)
        return self.session.evaluate(expr, frame.values)

    def assign(self, frame: _Frame, name: str, value: object, local: bool) -> None:
        if frame.routine is None and not local:
            frame.values[name] = value
            frame.written.add(name)
            return
        typ = frame.types.get(name)
        if typ is None:
            raise pls_error(0, frame.sql, f"PLS-00201: identifier '{name}' must be declared")
        frame.values[name] = coerce_value(value, typ)

    def lookup(self, name: str, pos: int = 0, sql: str = "") -> CreateRoutine | _Builtin | None:
        found = _BUILTINS.get(name)
        if found is not None:
            return found
        schema, _, bare = name.rpartition(".")
        return stored_routine(self.session.db.catalog, self.session.principal, schema or self.session.schema, bare,
                              pos, sql)

    def invoke(self, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...], frame: _Frame,
               pos: int, *, function: bool) -> object:
        target = self.lookup(name, pos, frame.sql)
        if target is None:
            raise pls_error(pos, frame.sql, f"PLS-00201: identifier '{name}' must be declared")
        if function and target.returns is None:
            raise pls_error(pos, frame.sql, f"PLS-00222: no function with name '{name}' exists in this scope")
        if not function and target.returns is not None:
            raise pls_error(pos, frame.sql, f"PLS-00221: '{name}' is not a procedure or is undefined")
        actual = self.match(target.params, args, named, frame, name, pos)
        inner: dict[str, object] = {}
        types = {p.name: p.type for p in target.params}
        for p in target.params:
            arg = actual.get(p.name)
            if arg is None:
                source = _Frame(inner, types, None, frame.sql)
                inner[p.name] = None if p.default is None else coerce_value(self.value(p.default, source), p.type)
            else:
                inner[p.name] = None if p.mode == "OUT" else coerce_value(self.value(arg, frame), p.type)
        result: object = None
        if isinstance(target, CreateRoutine):
            result = self.body(target, inner, types)
        else:
            target.run(self.session, inner)
        for p in target.params:
            arg = actual.get(p.name)
            if p.mode != "IN" and isinstance(arg, Bind):
                self.assign(frame, arg.name, inner[p.name], frame.routine is not None)
        return result

    def match(self, params: tuple[PlParam, ...], args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
              frame: _Frame, name: str, pos: int) -> dict[str, Expr]:
        """Arguments by parameter name (PLS-00306 when they do not fit the parameters)."""
        wrong = pls_error(pos, frame.sql, f"PLS-00306: wrong number or types of arguments in call to "
                                          f"'{name.rpartition('.')[2]}'")
        if len(args) > len(params):
            raise wrong
        actual = {p.name: a for p, a in zip(params, args)}
        known = {p.name for p in params}
        for key, arg in named:
            key = key.upper()
            if key not in known or key in actual:
                raise wrong
            actual[key] = arg
        for p in params:
            given = actual.get(p.name)
            if given is None and (p.mode != "IN" or p.default is None):
                raise wrong
            if given is not None and p.mode != "IN" and not isinstance(given, Bind):
                text = frame.sql[given.start:given.end]
                raise pls_error(given.start, frame.sql, f"PLS-00363: expression '{text}' cannot be used as an "
                                                        "assignment target")
        return actual

    def body(self, routine: CreateRoutine, values: dict[str, object], types: dict[str, SqlType]) -> object:
        if self.depth >= _MAX_DEPTH:
            raise errors.ora(36, maximum=_MAX_DEPTH)
        callee = _Frame(values, dict(types), routine, routine.source)
        for v in routine.variables:
            callee.types[v.name] = v.type
            values[v.name] = None if v.default is None else coerce_value(self.value(v.default, callee), v.type)
        self.depth += 1
        try:
            self.run(routine.body, callee)
        except _Return as done:
            return done.value
        finally:
            self.depth -= 1
        if routine.returns is not None:
            raise errors.ora(6503)
        return None


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


# Handlers take the statement of their key's type; a dict cannot say so, hence Any.
#: PL/SQL statement type -> the _Runner method that runs it (every member of nodes.PlStatement).
PL_STATEMENTS: Final[dict[type, Callable[[_Runner, Any, _Frame], None]]] = {
    PlNull: _Runner.skip,
    PlAssign: _Runner.assign_statement,
    PlSleep: _Runner.sleep_statement,
    PlCall: _Runner.call_statement,
    PlReturn: _Runner.leave,
    PlSql: _Runner.sql,
}
