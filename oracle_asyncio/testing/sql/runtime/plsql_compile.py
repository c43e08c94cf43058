"""An anonymous block's compile step: its names and calls resolved for the whole block before
any of it runs, as Oracle compiles a block first (the interpreter would otherwise find an error
only when the line holding it runs, after the lines before it had their effects).

What is resolved statically: a bare name read in a PL/SQL expression or assigned (a variable,
parameter, loop index or constant of an enclosing scope, SQLCODE / SQLERRM, or a stored or
built-in function: else PLS-00201), and a call of a local subprogram or of a stored or
built-in routine by its bare name, or of a subprogram of a package of the user's schema or a
built-in package (PLS-00201 / PLS-00302 when there is none, PLS-00306 when no declaration takes
that many arguments by those names).  Names inside SQL statements (columns, the SQL functions)
and the other dotted names (records, methods, other schemas' packages) are the running
interpreter's, which resolves them as it did.  A package is not instantiated to be checked: its
specification in the catalog answers.  Each problem is an ORA-06550 line as Oracle's compiler writes it,
followed by its ``PL/SQL: Statement ignored``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass

from ..errors import OraError, pls_error
from ..syntax.nodes import Col, Delete, Insert, PlAssign, PlCall, PlParam, Select, TypeRef, Update
from ..syntax.plnodes import (
    PlBlockStmt, PlCursorDecl, PlCursorLoop, PlFor, PlForall, SubprogramDecl,
)

__all__ = ["check_block"]

#: Names an expression reads that are no declaration's.
_STANDARD_NAMES = frozenset({"SQLCODE", "SQLERRM"})
#: Procedures every block may call by their bare name, whatever their arguments.
_STANDARD_CALLS = frozenset({"RAISE_APPLICATION_ERROR"})
#: Subtrees with no PL/SQL names to resolve: SQL statements (their names are columns first), types.
_OPAQUE = (Select, Insert, Update, Delete, TypeRef)
#: Most problems one check reports (a generated block could have thousands).
_MOST = 20


@dataclass(eq=False)
class _Scope:
    parent: _Scope | None
    names: dict[str, list[SubprogramDecl] | None] = field(default_factory=dict)  # None: no subprogram

    def find(self, name: str) -> tuple[bool, list[SubprogramDecl] | None]:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return True, scope.names[name]
            scope = scope.parent
        return False, None


#: A node class -> the fields the walk visits (none: not a node, or an opaque one).
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields_of(kind: type) -> tuple[str, ...]:
    found = _FIELDS.get(kind)
    if found is None:
        found = () if not is_dataclass(kind) or issubclass(kind, _OPAQUE) else tuple(f.name for f in fields(kind))
        _FIELDS[kind] = found
    return found


def _fits(params: tuple[PlParam, ...], call: PlCall) -> bool:
    """Whether a declaration with ``params`` takes ``call``'s arguments (their number and names)."""
    names = [p.name for p in params]
    named = [k.upper() for k, _ in call.named]
    if len(call.args) > len(params) or not set(named) <= set(names[len(call.args):]) or len(set(named)) < len(named):
        return False
    given = set(names[:len(call.args)]) | set(named)
    return all(p.name in given or (p.mode == "IN" and p.default is not None) for p in params)


class _Checker:
    def __init__(self, source: str, routine: Callable[[str], list[tuple[PlParam, ...]] | bool]) -> None:
        self.source = source
        self.routine = routine
        self.problems: list[tuple[int, str, int]] = []  # (where, PLS text, the statement's place)

    def problem(self, pos: int, text: str, statement: int) -> None:
        if len(self.problems) < _MOST:
            self.problems.append((pos, text, statement))

    def walk(self, node: object, scope: _Scope, statement: int) -> None:
        """Check ``node`` and what it holds; ``statement``: where the statement holding it starts."""
        if isinstance(node, tuple):
            for item in node:
                self.walk(item, scope, statement)
            return
        names = _fields_of(type(node))
        if not names:
            return
        at = getattr(node, "pos", statement)
        statement = at if isinstance(at, int) and not hasattr(node, "start") else statement
        if isinstance(node, PlBlockStmt):
            self.block(node, scope)
            return
        if isinstance(node, (PlFor, PlForall, PlCursorLoop)):
            self.loop(node, scope, statement)
            return
        if isinstance(node, Col) and node.table is None:
            self.name(node.name, node.start, scope, statement)
            return
        if isinstance(node, PlAssign) and node.local and not node.path:
            self.name(node.target, node.pos, scope, statement)
        elif isinstance(node, PlCall):
            self.call(node, scope)
        for name in names:
            self.walk(getattr(node, name), scope, statement)

    def block(self, node: PlBlockStmt, outer: _Scope) -> None:
        scope = _Scope(outer)
        # every name of the section first: forward declarations and mutual calls resolve
        for d in node.decls:
            name = getattr(d, "name", None)
            if isinstance(d, SubprogramDecl):
                found = scope.names.get(d.name)
                scope.names[d.name] = [*(found or []), d]
            elif isinstance(name, str):
                scope.names.setdefault(name, None)
        for d in node.decls:
            if isinstance(d, SubprogramDecl):
                inner = _Scope(scope, {p.name: None for p in d.params})
                self.walk(tuple(p.default for p in d.params), inner, d.pos)
                if d.block is not None:
                    self.block(d.block, inner)
            elif isinstance(d, PlCursorDecl):
                self.walk(tuple(p.default for p in d.params), scope, d.pos)
            else:
                self.walk(getattr(d, "default", None), scope, getattr(d, "pos", node.pos))
        self.walk(node.body, scope, node.pos)
        for handler in node.handlers:
            self.walk(handler.body, scope, handler.pos)

    def loop(self, node: PlFor | PlForall | PlCursorLoop, outer: _Scope, statement: int) -> None:
        """A loop's bounds (or cursor arguments) in the enclosing scope, its body with its index."""
        if isinstance(node, PlFor):
            self.walk((node.low, node.high), outer, statement)
            self.walk(node.body, _Scope(outer, {node.var: None}), statement)
        elif isinstance(node, PlForall):
            self.walk((node.low, node.high, node.collection), outer, statement)
            self.walk(node.stmt, _Scope(outer, {node.index: None}), statement)
        else:
            self.walk(node.args, outer, statement)
            self.walk(node.body, _Scope(outer, {node.record: None}), statement)

    def name(self, name: str, pos: int, scope: _Scope, statement: int) -> None:
        if "%" in name or name in _STANDARD_NAMES or scope.find(name)[0] or self.routine(name) is not False:
            return
        self.problem(pos, f"PLS-00201: identifier '{name}' must be declared", statement)

    def call(self, node: PlCall, scope: _Scope) -> None:
        head, dot, last = node.name.partition(".")
        if node.name in _STANDARD_CALLS or scope.find(head)[0] and dot:
            return  # a method of a variable, a field's, a labelled block's subprogram: the interpreter's
        declared, overloads = scope.find(node.name) if not dot else (False, None)
        if declared:
            if overloads and not any(_fits(d.params, node) for d in overloads):
                self.problem(node.pos, f"PLS-00306: wrong number or types of arguments in call to '{node.name}'",
                             node.pos)
            return
        found = self.routine(node.name)
        if found is False:
            self.problem(node.pos, f"PLS-00302: component '{last}' must be declared" if dot
                         else f"PLS-00201: identifier '{node.name}' must be declared", node.pos)
        elif isinstance(found, list) and not any(_fits(params, node) for params in found):
            name = node.name.rpartition(".")[2]
            self.problem(node.pos, f"PLS-00306: wrong number or types of arguments in call to '{name}'", node.pos)


#: Blocks that compiled, by identity (the parse cache hands out one tree per text), with what the
#: outcome depended on; a block that failed is checked again each time it runs.
_PASSED: dict[int, tuple[object, ...]] = {}
_MOST_PASSED = 512


def check_block(body: tuple[object, ...], source: str,
                routine: Callable[[str], list[tuple[PlParam, ...]] | bool], context: tuple[object, ...]) -> None:
    """Compile an anonymous block's statements ``body`` (text ``source``): ORA-06550 naming every
    problem found, before anything runs.  ``routine(name)``: the parameters of each declaration
    of the stored, packaged or built-in routine ``name`` calls; False when it names none (for a
    dotted name: the package exists and declares no such subprogram); True when the compile step
    cannot tell (a unit that does not compile, another schema's package).  ``context``: what else
    the outcome depends on (the stored units' version, the user and schema): a block that passed
    with the same context is not walked again."""
    key = id(body)
    passed = _PASSED.get(key)
    if passed is not None and passed[0] is body and passed[1:] == context:
        return
    checker = _Checker(source, routine)
    checker.walk(body, _Scope(None), 0)
    if not checker.problems:
        if len(_PASSED) >= _MOST_PASSED:
            _PASSED.clear()
        _PASSED[key] = (body, *context)
        return
    lines: list[str] = []
    for pos, text, statement in sorted(checker.problems):
        lines.append(pls_error(pos, source, text).message)
        lines.append(pls_error(statement, source, "PL/SQL: Statement ignored").message)
    raise OraError(6550, "\n".join(lines), checker.problems[0][0])
