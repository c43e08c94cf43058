"""The PL/SQL interpreter: anonymous blocks, stored routines and local
subprograms, statement by statement.

:func:`run_block` runs an anonymous block for the engine.  :class:`Runner`
runs statements through :data:`PL_STATEMENTS` (statement type -> method;
another module may add entries for the statements it parses), declares what a
block's DECLARE section declares (plsql_decl.py), calls routines with IN / OUT
/ IN OUT parameters (plsql_calls.py), and handles exceptions: a block's handlers see an error
as Oracle names it (plsql_scope.py), and an error leaving a unit collects an
``ORA-06512: at ...`` line.  Bounds: :data:`MAX_STATEMENTS` statements per
call, ``routines.MAX_DEPTH`` nested calls, and the session's interrupt check
(statement_timeout, kills) every :data:`CHECK_EVERY` statements.

Extension points for statements and units built elsewhere (SQL inside PL/SQL,
packages): parse with ``pl_simple_statement`` / ``pl_cursor_for_loop`` /
``pl_cursor_declaration`` (syntax/), run with an entry in :data:`PL_STATEMENTS`
and ``Declarer.declare_other``; bind variables into SQL with
``Evaluator.to_sql(node, frame, keep, binds)``; store results with
``Caller.store`` / ``Caller.assign_target`` (values as plsql_values.py says);
resolve names no scope holds through ``Evaluator.find_routine``,
``Evaluator.qualified_value``, ``Caller.store_qualified``,
``Declarer.named_type`` and ``Runner.find_exception``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from .. import errors
from ..errors import OraError, pls_error
from ..syntax.nodes import (
    Bind, Col, Commit, Compare, CreateRoutine, Delete, Expr, Func, Insert, Lit, PlAssign, PlBlock, PlCall, PlNull, PlParam,
    PlReturn, PlSleep, PlSql, Rollback, TypeRef, Update,
)
from ..syntax.plnodes import AutonomousPragma, PlBlockStmt, PlCaseStmt, PlExit, PlField, PlFor, PlIf, PlIndexed, PlLoop, PlRaise, PlWhile
from ..syntax.plnodes import PlClose, PlCursorLoop, PlExecute, PlFetch, PlForall, PlOpen, PlOpenFor, PlSelectInto
from ..types.datatypes import SqlType, T
from ..types.numbers import num
from .objvalues import ObjectRecordType, call_member
from .plrefcursors import RefCursors
from .plsql_scope import (
    STANDARD, ExceptionDef, ExitLoop, Frame, PlUserError, Return, Scope, Subprogram, Var, backtrace,
    is_compile_error,
)
from .plsql_values import CollectionType, PlCollection, PlRecord, PlType, copy_value, initial
from .routines import BUILTINS, MAX_DEPTH, Builtin, Host

__all__ = ["CHECK_EVERY", "MAX_STATEMENTS", "PL_STATEMENTS", "Runner", "run_block"]

#: Statements one call may run (ORA-06500 beyond): a runaway loop ends even without statement_timeout.
MAX_STATEMENTS = 1_000_000
#: How often (in statements) the session's interrupt check runs.
CHECK_EVERY: Final = 256
_UNCATCHABLE: Final = frozenset({28, 56735, 1013})


class _Limit(OraError):
    """The statement cap: no handler catches it."""


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
    runner = Runner(session)
    values = _Reads(binds)
    frame = Frame(Scope(STANDARD), sql, 0, None, values)
    outer = block.body[0] if len(block.body) == 1 else None
    autonomous = isinstance(outer, PlBlockStmt) and any(isinstance(d, AutonomousPragma) for d in outer.decls)
    try:
        runner.autonomously(autonomous, 0, lambda: runner.run_unit(block.body, frame))
    except Return:
        pass  # RETURN leaves an anonymous block
    finally:
        runner.release()  # the call's cursor variables end with it
    return {name: values.get(name) for name in frame.written}, runner.sleep, frozenset(values.read)


class Runner(RefCursors):
    def __init__(self, session: Host) -> None:
        super().__init__(session)
        self.sleep: float | None = None
        self.steps = 0

    # ---- units --------------------------------------------------------------------------------
    def run_unit(self, body: tuple[object, ...], f: Frame) -> None:
        """Run a unit's body; an error leaving it gets the unit's ORA-06512 line, and the
        outermost unit gives it its final text."""
        try:
            self.run(body, f)
        except ExitLoop:
            raise pls_error(f.pos, f.source, "PLS-00376: illegal EXIT/CONTINUE statement; it must appear inside a "
                                             "loop") from None
        except PlUserError as exc:
            backtrace(exc, f)
            if self.depth == 0:
                raise self._final(errors.ora(6510), exc) from None
            raise
        except OraError as exc:
            backtrace(exc, f)
            if self.depth == 0:
                raise self._final(exc, exc) from None
            raise

    @staticmethod
    def _final(error: OraError, trace_of: OraError) -> OraError:
        lines = trace_of.pl_trace
        if not lines or is_compile_error(error):
            return error
        return OraError(error.code, "\n".join([error.message, *lines]))

    def run(self, body: tuple[object, ...], f: Frame) -> None:
        for item in body:
            f.pos = item.pos  # type: ignore[attr-defined]
            self.steps += 1
            if self.steps % CHECK_EVERY == 0:
                self._check()
            PL_STATEMENTS[type(item)](self, item, f)

    def _check(self) -> None:
        stop = self.session.interrupted()
        if stop is not None:
            raise stop
        if self.steps > MAX_STATEMENTS:
            limit = errors.ora(6500, note=f"more than {MAX_STATEMENTS} PL/SQL statements in one call")
            raise _Limit(limit.code, limit.message)

    # ---- simple statements --------------------------------------------------------------------
    def skip(self, item: PlNull, f: Frame) -> None:
        """NULL;"""

    def assign_statement(self, item: PlAssign, f: Frame) -> None:
        value = self.rhs(item.expr, f)
        if item.local:
            self.store(item.target, item.path, value, f, item.pos)
        else:
            self.store_bind(item.target, value, f, item.pos)

    def rhs(self, expr: Expr | PlCall, f: Frame) -> object:
        if isinstance(expr, PlCall):
            target = self.callee(expr.name, f, expr.pos)
            return self.call_function(target, expr.name, expr.args, expr.named, f, expr.pos)
        return self.value(expr, f)

    def sleep_statement(self, item: PlSleep, f: Frame) -> None:
        seconds = self.value(item.seconds, f)
        d = num(seconds) if not isinstance(seconds, float) else Decimal(repr(seconds))
        if d is None or d < 0:
            raise errors.value_error()
        self.sleep = (self.sleep or 0.0) + float(d)

    def call_statement(self, item: PlCall, f: Frame) -> None:
        head, dot, method = item.name.rpartition(".")
        if item.name in ("RAISE_APPLICATION_ERROR", "DBMS_STANDARD.RAISE_APPLICATION_ERROR"):
            self.raise_application_error(item, f)
        found = f.scope.find(head) if dot and "." not in head else None
        if isinstance(found, Var) and isinstance(found.type, ObjectRecordType):
            call_member(self, self.session.db.catalog, found.value, found.type, method, item.args, item.named, f,
                        item.pos, procedure=True)
            return
        if isinstance(found, Var):
            self.collection_method(found, method, item, f)
            return
        target = self.callee(item.name, f, item.pos)
        if self.is_function(target):
            raise pls_error(item.pos, f.source, f"PLS-00221: '{item.name.rpartition('.')[2]}' is not a procedure "
                                                "or is undefined")
        self.invoke(target, item.name, item.args, item.named, f, item.pos)

    def collection_method(self, var: Var, method: str, item: PlCall, f: Frame) -> None:
        if method not in ("DELETE", "EXTEND", "TRIM") or item.named:
            raise pls_error(item.pos, f.source, f"PLS-00302: component '{method}' must be declared")
        coll = var.value
        if coll is None:
            raise errors.ora(6531)
        if not isinstance(coll, PlCollection):
            raise pls_error(item.pos, f.source, f"PLS-00302: component '{method}' must be declared")
        args = [self.value(a, f) for a in item.args]
        if method == "DELETE":
            coll.delete(args)
        elif method == "EXTEND":
            coll.extend(args, initial(coll.type.element))
        else:
            coll.trim(args)

    def raise_application_error(self, item: PlCall, f: Frame) -> None:
        args = [self.value(a, f) for a in item.args] + [self.value(e, f) for _, e in item.named]
        if not 2 <= len(args) <= 3:
            raise pls_error(item.pos, f.source, "PLS-00306: wrong number or types of arguments in call to "
                                                "'RAISE_APPLICATION_ERROR'")
        number = num(args[0])
        code = 0 if number is None else int(number)
        if not -20999 <= code <= -20000:
            raise errors.ora(21000, number=code)
        text = "" if args[1] is None else str(args[1])
        text = text.encode()[:2048].decode(errors="ignore")
        if len(args) == 3 and args[2] is True and f.handling:
            text += "\n" + f.handling[-1].message
        raise errors.with_text(-code, text)

    def leave(self, item: PlReturn, f: Frame) -> None:
        if f.function:
            if item.expr is None:
                raise pls_error(item.pos, f.source, "PLS-00503: RETURN <value> statement required for this return "
                                                    "from function")
            assert f.returns is not None
            raise Return(self.coerce(copy_value(self.value(item.expr, f)), f.returns))
        if item.expr is not None:
            raise pls_error(item.pos, f.source, "PLS-00372: In a procedure, RETURN statement cannot contain an "
                                                "expression")
        raise Return(None)

    def sql(self, item: PlSql, f: Frame) -> None:
        stmt = item.stmt
        session = self.session
        self.settle_cursors()  # open cursor variables keep what their queries saw (plrefcursors.py)
        if isinstance(stmt, Commit):
            session.commit()
            return
        if isinstance(stmt, Rollback):
            session.rollback()
            return
        keep: frozenset[str] = frozenset()
        if isinstance(stmt, (Update, Delete)):
            table = session.db.catalog.table(stmt.table.schema, stmt.table.name, session.principal, stmt.table.pos)
            keep = frozenset(c.name for c in table.columns) | {stmt.table.alias or stmt.table.name}
        binds: dict[str, object] = {}
        ret = stmt.returning
        if ret is not None:
            if isinstance(stmt, Insert):  # RETURNING reads the new row's columns
                table = session.db.catalog.table(stmt.table.schema, stmt.table.name, session.principal,
                                                 stmt.table.pos)
                keep = frozenset(c.name for c in table.columns)
            ret = replace(ret, exprs=self.to_sql(ret.exprs, f, keep, binds))  # its INTO targets stay as written
            stmt = replace(stmt, returning=None)
        stmt = self.to_sql(stmt, f, keep if not isinstance(stmt, Insert) else frozenset(), binds)
        if ret is not None:
            stmt = replace(stmt, returning=ret)
        assert isinstance(stmt, (Insert, Update, Delete))
        result = session.dml(stmt, binds)
        self.set_implicit(result.row_count)
        if stmt.returning is not None and stmt.returning.bulk:
            self.store_returned(stmt.returning, result.returned or [], f, item.pos)  # plcursors.py
        elif stmt.returning is not None:
            # RETURNING INTO scalars: no row leaves NULLs, more than one is an error.
            rows = result.returned or []
            if len(rows) > 1:
                raise errors.ora(1422)
            for k, target in enumerate(stmt.returning.into):
                self.assign_target(target, rows[0][k] if rows else None, f, item.pos)

    # ---- blocks and control flow --------------------------------------------------------------
    def block(self, item: PlBlockStmt, f: Frame) -> None:
        outer = f.scope
        f.scope = Scope(outer)
        try:
            self.declare(item.decls, f)  # an error here is the enclosing block's to handle
            if not item.handlers:
                self.run(item.body, f)
                return
            try:
                self.run(item.body, f)
            except OraError as exc:
                if exc.code in _UNCATCHABLE or is_compile_error(exc) or isinstance(exc, _Limit):
                    raise
                handler = self.handler_for(item, exc, f)
                if handler is None:
                    raise
                f.handling.append(exc)
                try:
                    self.run(handler, f)
                finally:
                    f.handling.pop()
        finally:
            f.scope = outer

    def handler_for(self, item: PlBlockStmt, exc: OraError, f: Frame) -> tuple[object, ...] | None:
        for handler in item.handlers:
            for name in handler.names:
                if name == "OTHERS":
                    return handler.body
                found = self.find_exception(name, f, handler.pos)
                if isinstance(exc, PlUserError):
                    if exc.exc is found:
                        return handler.body
                elif found.code == exc.code:
                    return handler.body
        return None

    def raise_statement(self, item: PlRaise, f: Frame) -> None:
        if item.name is None:
            if not f.handling:
                raise pls_error(item.pos, f.source, "PLS-00367: a RAISE statement with no exception name must be "
                                                    "inside an exception handler")
            current = f.handling[-1]
            again = PlUserError(current.exc) if isinstance(current, PlUserError) else \
                OraError(current.code, current.message)
            raise again
        found = self.find_exception(item.name, f, item.pos)
        if found.code is None:
            raise PlUserError(found)
        raise OraError(found.code, errors.text_of(found.code))

    def find_exception(self, name: str, f: Frame, pos: int) -> ExceptionDef:
        """The exception ``name`` (dotted for a package's) names (PLS-00201 when none)."""
        found = f.scope.find(name)
        if not isinstance(found, ExceptionDef):
            raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        return found

    def if_statement(self, item: PlIf, f: Frame) -> None:
        for cond, body in item.branches:
            if self.truth(cond, f):
                self.run(body, f)
                return
        if item.otherwise is not None:
            self.run(item.otherwise, f)

    def case_statement(self, item: PlCaseStmt, f: Frame) -> None:
        if item.operand is None:
            for cond, body in item.whens:
                if self.truth(cond, f):
                    self.run(body, f)
                    return
        else:
            subject = self.value(item.operand, f)
            for candidate, body in item.whens:
                other = self.value(candidate, f)
                if subject is not None and other is not None and self.equal(subject, other, item.operand, candidate,
                                                                            f):
                    self.run(body, f)
                    return
        if item.otherwise is None:
            raise errors.ora(6592)
        self.run(item.otherwise, f)

    def equal(self, a: object, b: object, left: Expr, where: Expr, f: Frame) -> bool:
        """``a = b`` as the simple CASE compares its operand (``left``) with a WHEN value (``where``)."""
        if isinstance(a, str) and isinstance(b, str):
            if self._blank_padded(left, f) and self._blank_padded(where, f):
                return a.rstrip(" ") == b.rstrip(" ")
            return a == b
        if type(a) is type(b) or (isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal))):
            return a == b
        binds: dict[str, object] = {}  # a = b through SQL's conversions
        cond = Compare(where.start, where.end, "=", self._const(a, where, binds), self._const(b, where, binds))
        return self._sql_truth(cond, f, binds) is True

    def _iterate(self, label: str | None, body: tuple[object, ...], f: Frame) -> bool:
        """Run a loop's body once; False when the loop must stop (EXIT)."""
        try:
            self.run(body, f)
        except ExitLoop as leave:
            if leave.label is not None and leave.label != label:
                raise
            return leave.is_continue
        return True

    def loop(self, item: PlLoop, f: Frame) -> None:
        while self._iterate(item.label, item.body, f):
            pass

    def while_loop(self, item: PlWhile, f: Frame) -> None:
        while self.truth(item.condition, f) and self._iterate(item.label, item.body, f):
            pass

    def for_loop(self, item: PlFor, f: Frame) -> None:
        low, high = self.value(item.low, f), self.value(item.high, f)
        if low is None or high is None:
            raise errors.value_error("null")
        try:
            first = int(Decimal(str(num(low))).to_integral_value(ROUND_HALF_UP))
            last = int(Decimal(str(num(high))).to_integral_value(ROUND_HALF_UP))
        except OraError:
            raise errors.value_error("conversion") from None
        index = Var(SqlType(T.NUMBER, precision=38, scale=0), None, readonly=True)
        outer = f.scope
        f.scope = Scope(outer)
        f.scope.names[item.var] = index
        try:
            steps = range(last, first - 1, -1) if item.reverse else range(first, last + 1)
            for i in steps:
                index.value = i
                if not self._iterate(item.label, item.body, f):
                    break
        finally:
            f.scope = outer

    def exit_statement(self, item: PlExit, f: Frame) -> None:
        if item.when is None or self.truth(item.when, f):
            raise ExitLoop(item.label, item.is_continue)


# Handlers take the statement of their key's type; a dict cannot say so, hence Any.
#: PL/SQL statement type -> the Runner method that runs it (every member of nodes.PlStatement
#: and plnodes.PlControl).
PL_STATEMENTS: Final[dict[type, Callable[[Runner, Any, Frame], None]]] = {
    PlNull: Runner.skip,
    PlAssign: Runner.assign_statement,
    PlSleep: Runner.sleep_statement,
    PlCall: Runner.call_statement,
    PlReturn: Runner.leave,
    PlSql: Runner.sql,
    PlBlockStmt: Runner.block,
    PlIf: Runner.if_statement,
    PlCaseStmt: Runner.case_statement,
    PlLoop: Runner.loop,
    PlWhile: Runner.while_loop,
    PlFor: Runner.for_loop,
    PlExit: Runner.exit_statement,
    PlRaise: Runner.raise_statement,
    # SQL inside PL/SQL (plcursors.py)
    PlSelectInto: Runner.select_into,
    PlOpen: Runner.open_cursor,
    PlOpenFor: Runner.open_for,  # plrefcursors.py
    PlFetch: Runner.fetch_cursor,
    PlClose: Runner.close_cursor,
    PlCursorLoop: Runner.cursor_loop,
    PlExecute: Runner.execute_immediate,
    PlForall: Runner.forall,
}
