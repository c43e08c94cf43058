"""The PL/SQL interpreter: anonymous blocks, stored routines and local
subprograms, statement by statement.

:func:`run_block` runs an anonymous block for the engine.  :class:`Runner`
runs statements through :data:`PL_STATEMENTS` (statement type -> method;
another module may add entries for the statements it parses), declares what a
block's DECLARE section declares (plsql_decl.py), calls routines with IN / OUT
/ IN OUT parameters, and handles exceptions: a block's handlers see an error
as Oracle names it (plsql_scope.py), and an error leaving a unit collects an
``ORA-06512: at ...`` line.  Bounds: :data:`MAX_STATEMENTS` statements per
call, ``routines.MAX_DEPTH`` nested calls, and the session's interrupt check
(statement_timeout, kills) every :data:`CHECK_EVERY` statements.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from .. import errors
from ..errors import OraError, pls_error
from ..syntax.nodes import (
    Bind, Col, Commit, Compare, CreateRoutine, Delete, Expr, Func, Insert, PlAssign, PlBlock, PlCall, PlNull, PlParam,
    PlReturn, PlSleep, PlSql, Rollback, TypeRef, Update,
)
from ..syntax.plnodes import AutonomousPragma, PlBlockStmt, PlCaseStmt, PlExit, PlField, PlFor, PlIf, PlIndexed, PlLoop, PlRaise, PlWhile
from ..types.datatypes import SqlType, T
from ..types.numbers import num
from .plsql_decl import Declarer
from .plsql_scope import (
    STANDARD, ExceptionDef, ExitLoop, Frame, PlUserError, Return, Scope, Subprogram, Var, backtrace,
    is_compile_error,
)
from .plsql_values import CollectionType, PlCollection, PlRecord, PlType, copy_value, initial
from .routines import BUILTINS, MAX_DEPTH, Builtin, Host
from .packages import Overloads, member, package_type, variable
from .units import stored_routine

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
    return {name: values.get(name) for name in frame.written}, runner.sleep, frozenset(values.read)


class Runner(Declarer):
    def __init__(self, session: Host) -> None:
        super().__init__(session)
        self.sleep: float | None = None
        self.depth = 0
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
        lines: list[str] = trace_of.__dict__.get("pl_trace", [])
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
            ret = type(ret)(self.to_sql(ret.exprs, f, keep, binds), ret.into, ret.pos)
            stmt = type(stmt)(**{**{k: getattr(stmt, k) for k in stmt.__dataclass_fields__}, "returning": None})
        stmt = self.to_sql(stmt, f, keep if not isinstance(stmt, Insert) else frozenset(), binds)
        if ret is not None:
            stmt = type(stmt)(**{**{k: getattr(stmt, k) for k in stmt.__dataclass_fields__}, "returning": ret})
        assert isinstance(stmt, (Insert, Update, Delete))
        result = session.dml(stmt, binds)
        if stmt.returning is not None:
            # RETURNING INTO scalars: no row leaves NULLs, more than one is an error.
            rows = result.returned or []
            if len(rows) > 1:
                raise errors.ora(1422)
            for k, target in enumerate(stmt.returning.into):
                self.assign_target(target, rows[0][k] if rows else None, f, item.pos)

    # ---- assignment ---------------------------------------------------------------------------
    def store_bind(self, name: str, value: object, f: Frame, pos: int) -> None:
        if f.binds is None:
            raise pls_error(pos, f.source, f"PLS-00049: bad bind variable '{name}'")
        if isinstance(value, (PlRecord, PlCollection)):
            raise pls_error(pos, f.source, "PLS-00382: expression is of wrong type")
        f.binds[name] = value
        f.written.add(name)

    def store(self, name: str, path: tuple[str | Expr, ...], value: object, f: Frame, pos: int) -> None:
        """``name[path] := value``."""
        var = f.scope.find(name)
        if not isinstance(var, Var):
            self.store_qualified(name, path, value, f, pos)
            return
        if var.constant or var.readonly:
            raise pls_error(pos, f.source, f"PLS-00363: expression '{name}' cannot be used as an assignment target")
        if not path:
            var.value = self.coerce(copy_value(value), var.type, var.not_null)
            return
        holder: object = var.value
        holder_type: PlType = var.type
        for k, step in enumerate(path):
            last = k == len(path) - 1
            if isinstance(step, str):
                if not isinstance(holder, PlRecord):
                    raise pls_error(pos, f.source, f"PLS-00302: component '{step}' must be declared")
                field_type = holder.type.field_type(step)
                if field_type is None:
                    raise pls_error(pos, f.source, f"PLS-00302: component '{step}' must be declared")
                if last:
                    holder.values[step] = self.coerce(copy_value(value), field_type, step in holder.type.not_null)
                    return
                holder, holder_type = holder.values[step], field_type
                continue
            if holder is None and isinstance(holder_type, CollectionType):
                raise errors.ora(6531)
            if not isinstance(holder, PlCollection):
                raise pls_error(pos, f.source, f"PLS-00308: this construct is not allowed as the origin of an "
                                               "assignment")
            index = self.value(step, f)
            element_type = holder.type.element
            if last:
                holder.put(index, self.coerce(copy_value(value), element_type, holder.type.element_not_null))
                return
            if not holder.has(index) and holder.type.kind == "ASSOC":
                holder.put(index, initial(element_type))
            holder, holder_type = holder.get(index), element_type

    def store_qualified(self, name: str, path: tuple[str | Expr, ...], value: object, f: Frame, pos: int) -> None:
        """``name[path] := value`` where ``name`` is no variable of this scope: a package's."""
        found = variable(self, name, path[0], pos, f.source) if path and isinstance(path[0], str) else None
        if found is None:
            raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        assert isinstance(path[0], str)
        self.store(path[0], path[1:], value, Frame(found[0], f.source, f.base, f.name, None), pos)

    def named_type(self, name: str, f: Frame) -> PlType | None:
        """``pkg.t``: a package's type."""
        return package_type(self, name, f.pos, f.source) if "." in name else None

    def qualified_value(self, e: Col, f: Frame) -> object:
        """``pkg.name``: a package's variable or constant."""
        assert e.table is not None
        found = variable(self, e.table, e.name, e.start, f.source)
        if found is None:
            return super().qualified_value(e, f)
        return found[1].value

    def target_path(self, e: Expr, f: Frame) -> tuple[str, tuple[str | Expr, ...]] | None:
        """An OUT argument or INTO target as ``(name, path)`` (None: not assignable)."""
        if isinstance(e, Col):
            return (e.name, ()) if e.table is None else (e.table, (e.name,))
        if isinstance(e, Func) and len(e.args) == 1 and "." not in e.name:
            return e.name, (e.args[0],)
        if isinstance(e, PlField):
            inner = self.target_path(e.base, f)
            return None if inner is None else (inner[0], (*inner[1], e.name))
        if isinstance(e, PlIndexed) and len(e.args) == 1:
            inner = self.target_path(e.base, f)
            return None if inner is None else (inner[0], (*inner[1], e.args[0]))
        return None

    def assign_target(self, target: Expr, value: object, f: Frame, pos: int) -> None:
        if isinstance(target, Bind):
            self.store_bind(target.name, value, f, pos)
            return
        path = self.target_path(target, f)
        if path is None:
            text = f.source[target.start:target.end]
            raise pls_error(target.start, f.source, f"PLS-00363: expression '{text}' cannot be used as an "
                                                    "assignment target")
        self.store(path[0], path[1], value, f, pos)

    # ---- calls --------------------------------------------------------------------------------
    def find_routine(self, name: str, pos: int = -1, sql: str = "") -> object | None:
        found = BUILTINS.get(name)
        if found is not None:
            return found
        if "." in name:  # pkg.m, schema.pkg.m: a package's subprogram (packages.py)
            found_member = member(self, name, pos, sql)
            if found_member is not None:
                return found_member
        schema, _, bare = name.rpartition(".")
        # another user's routine is PLS-00201, as if it did not exist (no EXECUTE grants yet);
        # an INVALID one PLS-00905 when called (``pos`` >= 0), runtime/units.py
        return stored_routine(self.session.db.catalog, self.session.principal, schema or self.session.schema, bare,
                              pos, sql)

    def is_function(self, target: object) -> bool:
        if isinstance(target, Overloads):
            return target.returns
        if isinstance(target, Subprogram):
            return target.decl.returns is not None
        assert isinstance(target, (CreateRoutine, Builtin))
        return target.returns is not None

    def callee(self, name: str, f: Frame, pos: int) -> object:
        found = f.scope.find(name) if "." not in name else None
        if isinstance(found, Subprogram):
            return found
        routine = self.find_routine(name, pos, f.source)
        if routine is None:
            raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        return routine

    def call_function(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
                      f: Frame, pos: int) -> object:
        if not self.is_function(target):
            raise pls_error(pos, f.source, f"PLS-00222: no function with name '{name}' exists in this scope")
        return self.invoke(target, name, args, named, f, pos)

    def params_of(self, target: object) -> tuple[PlParam, ...]:
        if isinstance(target, Subprogram):
            return target.decl.params
        assert isinstance(target, (CreateRoutine, Builtin))
        return target.params

    def invoke(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
               f: Frame, pos: int) -> object:
        if isinstance(target, Overloads):
            target = target.choose(args, named, pos, f.source)
        params = self.params_of(target)
        actual = self.match(params, args, named, f, name, pos)
        callee_scope = Scope(target.scope if isinstance(target, Subprogram) else STANDARD)
        types_scope = target.scope if isinstance(target, Subprogram) else callee_scope
        inner: dict[str, Var] = {}
        for p in params:
            t = self.param_type(p, types_scope)
            arg = actual.get(p.name)
            if arg is None:
                source = Frame(callee_scope, f.source, f.base, f.name, f.binds)
                v = None if p.default is None else self.coerce(self.value(p.default, source), t)
            elif p.mode == "OUT":
                v = initial(t)
            else:
                v = self.coerce(copy_value(self.value(arg, f)), t)
            inner[p.name] = Var(t, v, constant=p.mode == "IN")
            callee_scope.names[p.name] = inner[p.name]
        result: object = None
        if isinstance(target, Builtin):
            values = {k: var.value for k, var in inner.items()}
            target.run(self.session, values)
            for k, var in inner.items():
                var.value = values[k]
        else:
            result = self.body(target, callee_scope, f)
        for p in params:
            arg = actual.get(p.name)
            if p.mode != "IN" and arg is not None:
                self.assign_target(arg, inner[p.name].value, f, pos)
        return result

    def param_type(self, p: PlParam, scope: Scope) -> PlType:
        if p.ref is None:
            return p.type
        frame = Frame(scope, "", 0, None, None)
        return self.resolve_type(p.ref, frame)

    def match(self, params: tuple[PlParam, ...], args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
              f: Frame, name: str, pos: int) -> dict[str, Expr]:
        """Arguments by parameter name (PLS-00306 when they do not fit the parameters)."""
        wrong = pls_error(pos, f.source, f"PLS-00306: wrong number or types of arguments in call to "
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
            if given is not None and p.mode != "IN" and not isinstance(given, Bind) \
                    and self.target_path(given, f) is None:
                text = f.source[given.start:given.end]
                raise pls_error(given.start, f.source, f"PLS-00363: expression '{text}' cannot be used as an "
                                                       "assignment target")
        return actual

    def body(self, target: object, scope: Scope, caller: Frame) -> object:
        if self.depth >= MAX_DEPTH:
            raise errors.ora(36, maximum=MAX_DEPTH)
        if isinstance(target, Subprogram):
            decl = target.decl
            if decl.block is None:
                raise pls_error(decl.pos, target.unit.source, f"PLS-00328: A subprogram body must be defined for "
                                                              f"the forward declaration of {decl.name}.")
            unit = target.unit
            f = Frame(scope, unit.source, unit.base, unit.name, unit.binds, unit.written)
            returns = None if decl.returns is None else self.resolve_type(decl.returns, Frame(
                target.scope, unit.source, unit.base, unit.name, None))
            body: tuple[object, ...] = (decl.block,)
            autonomous = any(isinstance(d, AutonomousPragma) for d in decl.block.decls)
        else:
            assert isinstance(target, CreateRoutine)
            f = Frame(scope, target.source, target.pos, f"{target.schema}.{target.name}", None)
            returns = target.returns if target.returns_ref is None else self.resolve_type(target.returns_ref, f)
            body = target.body
            autonomous = target.autonomous
        f.returns = returns
        f.function = returns is not None
        self.depth += 1
        try:
            self.autonomously(autonomous, caller.pos, lambda: self.run_unit(body, f))
        except Return as done:
            return done.value
        finally:
            self.depth -= 1
        if f.function:
            raise errors.ora(6503)
        return None

    def autonomously(self, autonomous: bool, pos: int, run: Callable[[], None]) -> None:
        """``run()``, in a transaction of its own when ``autonomous``.

        sqlite has one writer, and a session's open transaction holds it: an autonomous
        transaction is run only when the caller has none open (then its COMMIT and
        ROLLBACK touch nothing else, as in Oracle); otherwise ORA-00900 says so."""
        if not autonomous:
            run()
            return
        if self.session.in_transaction:
            raise errors.unsupported("an autonomous transaction while the caller's transaction is open", pos)
        try:
            run()
        except Return:
            self._autonomous_end()
            raise
        except BaseException:
            if self.session.in_transaction:
                self.session.rollback()
            raise
        self._autonomous_end()

    def _autonomous_end(self) -> None:
        if self.session.in_transaction:  # left open: Oracle rolls it back and says so
            self.session.rollback()
            raise errors.ora(6519)

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
                found = f.scope.find(name)
                if not isinstance(found, ExceptionDef):
                    raise pls_error(handler.pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
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
        found = f.scope.find(item.name)
        if not isinstance(found, ExceptionDef):
            raise pls_error(item.pos, f.source, f"PLS-00201: identifier '{item.name}' must be declared")
        if found.code is None:
            raise PlUserError(found)
        raise OraError(found.code, errors.text_of(found.code))

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
                if subject is not None and other is not None and self.equal(subject, other, candidate, f):
                    self.run(body, f)
                    return
        if item.otherwise is None:
            raise errors.ora(6592)
        self.run(item.otherwise, f)

    def equal(self, a: object, b: object, where: Expr, f: Frame) -> bool:
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
}
