"""PL/SQL calls and assignments: binding arguments to IN / OUT / IN OUT parameters,
choosing among overloads, running a stored routine's or local subprogram's body in
a frame of its own (autonomous transactions included), and storing into variables,
record fields, collection elements and host binds.  The statements are plsql_run.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Final

from .. import errors
from ..catalog.schema import Principal
from ..errors import pls_error
from ..syntax.nodes import Bind, Col, CreateRoutine, Expr, Func, Lit, PlParam
from ..syntax.plnodes import AutonomousPragma, PlField, PlIndexed
from ..types.datatypes import SqlType, T
from .cursorstate import CursorState
from .plsql_decl import Declarer
from .plsql_scope import STANDARD, Frame, Return, Scope, Subprogram, Var
from .plsql_values import (HOST_ARRAY_MISMATCH, CollectionType, PlCollection, PlRecord, PlType, RecordType,
                           copy_value, host_bindable, initial, to_host_array)
from .packages import member, package_type, variable
from .routines import BUILTIN_TYPES, HANDLED, MAX_DEPTH, Builtin, Host
from .pkg_builtins import BUILTINS
from .units import stored_routine

__all__ = ["Caller"]


class Caller(Declarer):
    def __init__(self, session: Host) -> None:
        super().__init__(session)
        self.depth = 0  # routine calls now open (MAX_DEPTH)
        self.homes: list[str] = []  # the owners of the stored units running now, innermost last

    @property
    def home_schema(self) -> str:
        """Where PL/SQL names (packages, routines) resolve: the running stored unit's owner's
        schema, as Oracle resolves them when it compiles the unit (invoker's-rights units too,
        whose SQL resolves in the caller's); outside stored code, the principal's schema."""
        return self.homes[-1] if self.homes else self.session.principal.schema

    @property
    def code_principal(self) -> Principal:
        """Who PL/SQL references to stored code are checked as (EXECUTE): the running unit's owner,
        as Oracle checks them when it compiles the unit, so an invoker's-rights unit's caller needs
        no EXECUTE on what the unit calls; outside stored code, the principal."""
        return self.session.db.catalog.definer(self.homes[-1]) if self.homes else self.session.principal

    @contextmanager
    def in_unit(self, owner: str, invoker: bool) -> Iterator[None]:
        """Run stored code of ``owner``: with its owner's rights (AUTHID DEFINER, roles disabled),
        or, ``invoker`` (AUTHID CURRENT_USER), with the rights of whoever runs now (the session
        user with its roles, or the definer's-rights unit that called it), as Oracle does."""
        self.homes.append(owner)
        try:
            with nullcontext() if invoker else self.session.as_definer(owner):
                yield
        finally:
            self.homes.pop()

    def run_unit(self, body: tuple[object, ...], f: Frame) -> None:
        """Hook: run a unit's body (plsql_run.py)."""
        raise NotImplementedError

    # ---- assignment ---------------------------------------------------------------------------
    def store_bind(self, name: str, value: object, f: Frame, pos: int) -> None:
        if f.binds is None:
            raise pls_error(pos, f.source, f"PLS-00049: bad bind variable '{name}'")
        if isinstance(value, PlCollection) and isinstance(f.binds.get(name), list):
            if not host_bindable(value.type):
                raise pls_error(pos, f.source, HOST_ARRAY_MISMATCH)
            value = to_host_array(value)  # an array bind (its value a list) takes a collection
        elif isinstance(value, (PlRecord, PlCollection, CursorState)):
            # a cursor variable reaches no host bind: REF CURSOR binds are refused on the wire
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
            var.assign(self.coerce(copy_value(value), var.type, var.not_null))
            return
        holder: object = var.value
        holder_type: PlType = var.type
        for k, step in enumerate(path):
            last = k == len(path) - 1
            if isinstance(step, str):
                if holder is None and isinstance(holder_type, RecordType) and holder_type.ATOMIC:
                    raise errors.ora(6530)
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
        if found is None and len(path) > 1 and isinstance(path[0], str) and isinstance(path[1], str):
            found = variable(self, path[0], path[1], pos, f.source, schema=name)  # schema.pkg.var
            if found is None:
                raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}.{path[0]}' must be declared")
            path = path[1:]
        if found is None:
            raise pls_error(pos, f.source, f"PLS-00201: identifier '{name}' must be declared")
        assert isinstance(path[0], str)
        self.store(path[0], path[1:], value, Frame(found[0], f.source, f.base, f.name, None), pos)

    def named_type(self, name: str, f: Frame) -> PlType | None:
        """``pkg.t``: a package's type; else a stored type (CREATE TYPE)."""
        found = package_type(self, name, f.pos, f.source) if "." in name else None
        if found is None:
            found = BUILTIN_TYPES.get(name)
        return found if found is not None else super().named_type(name, f)

    def qualified_value(self, e: Col, f: Frame) -> object:
        """``pkg.name``: a package's variable or constant."""
        assert e.table is not None
        found = variable(self, e.table, e.name, e.start, f.source, schema=e.schema)
        if found is None and e.schema is not None:
            raise pls_error(e.start, f.source, f"PLS-00201: identifier '{e.schema}.{e.table}' must be declared")
        if found is None:
            return super().qualified_value(e, f)
        return found[1].value

    def target_path(self, e: Expr, f: Frame) -> tuple[str, tuple[str | Expr, ...]] | None:
        """An OUT argument or INTO target as ``(name, path)`` (None: not assignable)."""
        if isinstance(e, Col):
            if e.schema is not None:
                return e.schema, (e.table or "", e.name)
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
        # another user's routine without EXECUTE on it is PLS-00201, as if it did not exist;
        # an INVALID one PLS-00905 when called (``pos`` >= 0), runtime/units.py
        return stored_routine(self.session.db.catalog, self.code_principal, schema or self.home_schema, bare,
                              pos, sql)

    def is_function(self, target: object) -> bool:
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

    def overload(self, target: Subprogram, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
                 f: Frame, name: str, pos: int) -> Subprogram:
        """The overload of ``target`` a call fits: by the number and names of its arguments,
        then by how many argument types (as written) fall in each parameter's type family."""
        fitting: list[tuple[int, Subprogram]] = []
        for candidate in target.overloads:
            params = candidate.decl.params
            names = {p.name for p in params}
            given = {p.name for p in params[:len(args)]} | {k.upper() for k, _ in named}
            if len(args) > len(params) or not {k.upper() for k, _ in named} <= names or any(
                    p.name not in given and (p.mode != "IN" or p.default is None) for p in params):
                continue
            score = sum(_fit(self._arg_family(a, f), self._family(p.type if p.ref is None else None))
                        for a, p in zip(args, params))
            fitting.append((score, candidate))
        if not fitting:
            raise pls_error(pos, f.source, f"PLS-00306: wrong number or types of arguments in call to '{name}'")
        best = max(score for score, _ in fitting)
        chosen = [c for score, c in fitting if score == best]
        if len(chosen) > 1:
            raise pls_error(pos, f.source, f"PLS-00307: too many declarations of '{name}' match this call")
        return chosen[0]

    def _arg_family(self, a: Expr, f: Frame) -> str:
        """An argument's type family as written, or, for a host bind, as its value tells it: a
        string longer than 32767 bytes arrives as LONG and bytes as LONG RAW, which Oracle passes
        to a CLOB or BLOB parameter, so the value's kind picks between such overloads."""
        if isinstance(a, Bind) and f.binds is not None:
            value = f.binds.get(a.name)
            if isinstance(value, str):
                return "text"
            if isinstance(value, bytes):
                return T.RAW.name
        return self._family(self.static_type(a, f))

    @staticmethod
    def _family(t: PlType | None) -> str:
        if isinstance(t, SqlType):
            if t.is_char:
                return "text"
            if t.t in (T.NUMBER, T.BFLOAT, T.BDOUBLE):
                return "number"
            return t.t.name
        return "?" if t is None else type(t).__name__

    def invoke(self, target: object, name: str, args: tuple[Expr, ...], named: tuple[tuple[str, Expr], ...],
               f: Frame, pos: int) -> object:
        if isinstance(target, Subprogram) and len(target.overloads) > 1:
            target = self.overload(target, args, named, f, name, pos)
        params = self.params_of(target)
        actual = self.match(params, args, named, f, name, pos)
        callee_scope = Scope(target.scope if isinstance(target, Subprogram) else STANDARD)
        types_scope = target.scope if isinstance(target, Subprogram) else callee_scope
        inner: dict[str, Var] = {}
        for p in params:
            t = target.type_of(p) if isinstance(target, Builtin) else self.param_type(p, types_scope)
            arg = actual.get(p.name)
            if isinstance(arg, Bind) and isinstance(t, CollectionType) and not host_bindable(t) and \
                    f.binds is not None and isinstance(f.binds.get(arg.name), list):
                raise pls_error(arg.start, f.source, HOST_ARRAY_MISMATCH)  # an array bind for a VARCHAR2-indexed table
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
            if target.contextual:
                values |= {f"{k}%TYPE": self.static_type(a, f) for k, a in actual.items()}
                values[HANDLED] = f.handling[-1] if f.handling else None
            result = target.run(self.session, values)
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
            f = Frame(scope, unit.source, unit.base, unit.name, unit.binds, unit.written, invoker=unit.invoker)
            returns = None if decl.returns is None else self.resolve_type(decl.returns, Frame(
                target.scope, unit.source, unit.base, unit.name, None))
            body: tuple[object, ...] = (decl.block,)
            autonomous = any(isinstance(d, AutonomousPragma) for d in decl.block.decls)
        else:
            assert isinstance(target, CreateRoutine)
            f = Frame(scope, target.source, target.pos, f"{target.schema}.{target.name}", None,
                      invoker=target.authid == "CURRENT_USER")
            returns = target.returns if target.returns_ref is None else self.resolve_type(target.returns_ref, f)
            body = target.body
            autonomous = target.autonomous
        f.returns = returns
        f.function = returns is not None
        # Stored code runs with its owner's rights unless AUTHID CURRENT_USER; a unit frame's name
        # is "OWNER.NAME", an anonymous block's is None.
        owner = f.name.partition(".")[0] if f.name is not None and "." in f.name else None
        self.depth += 1
        try:
            with nullcontext() if owner is None else self.in_unit(owner, f.invoker), \
                    self.session.sql_calls.autonomous() if autonomous else nullcontext():  # may change data
                self.autonomously(autonomous, lambda: self.run_unit(body, f))
        except Return as done:
            return done.value
        finally:
            self.depth -= 1
        if f.function:
            raise errors.ora(6503)
        return None

    def autonomously(self, autonomous: bool, run: Callable[[], None]) -> None:
        """``run()``, in a transaction of its own when ``autonomous`` (the session suspends the
        caller's open transaction meanwhile: runtime/transactions.py).  Leaving it with its own
        transaction open rolls that back with ORA-06519, as Oracle does."""
        if not autonomous:
            run()
            return
        with self.session.autonomous():
            try:
                run()
            except Return:
                self._autonomous_end()
                raise
            self._autonomous_end()

    def _autonomous_end(self) -> None:
        if self.session.in_transaction:  # left open: Oracle rolls it back and says so
            self.session.rollback()
            raise errors.ora(6519)


#: Families an argument converts to implicitly when no overload takes its own family.
_CONVERTS: Final = frozenset({("text", T.CLOB.name), ("text", T.NCLOB.name), (T.RAW.name, T.BLOB.name)})


def _fit(arg: str, param: str) -> int:
    """How well an argument's type family fits a parameter's: 2 the same, 1 an implicit
    conversion that picks between overloads (text to CLOB, RAW to BLOB), else 0."""
    if arg == param:
        return 2
    return 1 if (arg, param) in _CONVERTS else 0
