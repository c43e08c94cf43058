"""PL/SQL: anonymous blocks, CREATE/DROP PROCEDURE / FUNCTION and the simple
statements (split from parser_ddl.py; the runtime is runtime/plsql_run.py).

Simple statements: ``NULL;``, ``RETURN [expr];``, ``:bind := expr;``,
``target := expr;`` (a variable, ``r.f``, ``a(i)``, ``a(i).f`` ...), procedure
calls ``name[.name](args);`` with positional and ``name => expr`` arguments
(collection methods such as ``a.extend(2)`` are calls too), INSERT / UPDATE /
DELETE / COMMIT / ROLLBACK, and ``dbms_session.sleep(n)``.  Blocks and control
flow are parser_plstmt.py's, declarations parser_pldecl.py's; cursors,
SELECT INTO and EXECUTE IMMEDIATE parser_plsql_sql.py's.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from .. import errors
from ..types.datatypes import SqlType, T
from .lexer import Kind
from .nodes import (
    Bind, Col, Commit, CreateRoutine, Expr, PlAssign, PlBlock, PlCall, PlNull, PlReturn, PlSleep, PlSql,
    PlStatement, Rollback,
)
from .parser_plsql_sql import PlsqlSqlParser
from .plnodes import AutonomousPragma, PlBlockStmt
from ..errors import pls_error as _pls

__all__ = ["PlsqlParser", "bind_names_in"]

N = TypeVar("N")
_SLEEPS = frozenset({"DBMS_SESSION.SLEEP", "DBMS_LOCK.SLEEP"})


def bind_names_in(node: N, names: frozenset[str], keep: frozenset[str] = frozenset()) -> N:
    """``node`` with unqualified column references to ``names`` (and not in
    ``keep``) turned into Bind nodes: how PL/SQL variables reach the SQL engine."""
    if isinstance(node, Col):
        if node.table is None and node.name in names and node.name not in keep:
            return Bind(node.start, node.end, node.name)  # type: ignore[return-value]
        return node
    if isinstance(node, tuple):
        items = tuple(bind_names_in(x, names, keep) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items  # type: ignore[return-value]
    if is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in fields(node):
            value = getattr(node, f.name)
            new = bind_names_in(value, names, keep)
            if new is not value:
                changes[f.name] = new
        return replace(node, **changes) if changes else node
    return node


class PlsqlParser(PlsqlSqlParser):
    """Blocks and stored routines; expressions and DML come from the subclass (parser.py)."""

    # ---- anonymous blocks ---------------------------------------------------------------------
    def plsql(self) -> PlBlock:
        """An anonymous block: ``[DECLARE ...] BEGIN ... END [;]`` and the end of the text."""
        block = self.pl_block()
        self.pl_end(None)
        return PlBlock((block,))

    def pl_end(self, name: str | None) -> None:
        """``[name] [;]`` and the end of the text."""
        if self.tok.kind in (Kind.IDENT, Kind.QIDENT) and (name is None or self.tok.value == name):
            self.next()
        self.accept_op(";")
        if self.tok.kind is not Kind.EOF:
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")

    def pl_simple_statement(self) -> object:
        t = self.tok
        if t.kind is Kind.EOF:
            raise _pls(t.pos, self.sql, "PLS-00103: Encountered the symbol \"end-of-file\"")
        if self.accept_kw("NULL"):
            return PlNull(t.pos)
        found = self.sql_statement()  # SELECT INTO, cursors, EXECUTE IMMEDIATE, FORALL (parser_plsql_sql.py)
        if found is not None:
            return found
        if self.accept_kw("RETURN"):
            return PlReturn(None if self.is_op(";") else self.pl_expr(), t.pos)
        if t.kind is Kind.BIND:
            self.next()
            self._expect_assign()
            return PlAssign(t.value, self._assigned(), pos=t.pos)
        if self.is_kw("INSERT"):
            return PlSql(self.insert(), t.pos)
        if self.is_kw("UPDATE"):
            return PlSql(self.update(), t.pos)
        if self.is_kw("DELETE"):
            return PlSql(self.delete(), t.pos)
        if self.is_kw("COMMIT", "ROLLBACK"):
            word = self.next().value
            self.accept_kw("WORK")
            return PlSql(Commit() if word == "COMMIT" else Rollback(), t.pos)
        if t.kind in (Kind.IDENT, Kind.QIDENT) and not self.is_kw("SELECT", "OPEN", "FETCH", "CLOSE", "EXECUTE",
                                                                   "FORALL", "PIPE"):
            return self._name_statement()
        raise errors.unsupported(f"PL/SQL statement starting with {t.describe()}", t.pos)

    def _name_statement(self) -> PlStatement:
        """``target := expr`` or a procedure call: a name, then ``.name`` and ``(args)`` steps."""
        t = self.tok
        name = self.ident()
        steps: list[str | tuple[tuple[Expr, ...], tuple[tuple[str, Expr], ...]]] = []
        while True:
            if self.accept_op("."):
                steps.append(self.ident())
            elif self.is_op("("):
                steps.append(self.pl_args())
            else:
                break
        if self.is_op(":="):
            path: list[str | Expr] = []
            for step in steps:
                if isinstance(step, str):
                    path.append(step)
                elif len(step[0]) == 1 and not step[1]:
                    path.append(step[0][0])
                else:
                    raise _pls(self.tok.pos, self.sql, "PLS-00103: Encountered the symbol \":=\"")
            self.next()
            return PlAssign(name, self._assigned(), local=True, pos=t.pos, path=tuple(path))
        # A call: dotted names, then at most one argument list, last.
        dotted = [name]
        args: tuple[Expr, ...] = ()
        named: tuple[tuple[str, Expr], ...] = ()
        for k, step in enumerate(steps):
            if isinstance(step, str):
                dotted.append(step)
            elif k == len(steps) - 1:
                args, named = step
            else:
                raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")
        full = ".".join(dotted)
        if full in _SLEEPS:
            if len(args) != 1 or named:
                raise _pls(t.pos, self.sql, "PLS-00306: wrong number or types of arguments in call to 'SLEEP'")
            return PlSleep(args[0], t.pos)
        return PlCall(full, args, named, t.pos)

    def _assigned(self) -> Expr | PlCall:
        """The right of ``:=``: an expression, or a function call with ``name => value`` arguments."""
        t = self.tok
        if t.kind in (Kind.IDENT, Kind.QIDENT) and self._named_call_ahead():
            name = self.ident()
            while self.accept_op("."):
                name += "." + self.ident()
            args, named = self.pl_args()
            return PlCall(name, args, named, t.pos)
        return self.pl_expr()

    def _named_call_ahead(self) -> bool:
        # The whole right side is name[.name]( ... => ... ) followed by ";".
        k = 1
        while self.peek(k).kind is Kind.OP and self.peek(k).value == "." and self.peek(k + 1).kind is not Kind.EOF:
            k += 2
        if not (self.peek(k).kind is Kind.OP and self.peek(k).value == "("):
            return False
        depth, named = 0, False
        for j in range(self.i + k, len(self.tokens)):
            tok = self.tokens[j]
            if tok.kind is Kind.OP and tok.value == "(":
                depth += 1
            elif tok.kind is Kind.OP and tok.value == ")":
                depth -= 1
                if depth == 0:
                    after = self.tokens[min(j + 1, len(self.tokens) - 1)]
                    return named and after.kind is Kind.OP and after.value == ";"
            elif tok.kind is Kind.OP and tok.value == "=>" and depth == 1:
                named = True
        return False

    def _expect_assign(self) -> None:
        if not self.accept_op(":="):
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")

    def pl_args(self) -> tuple[tuple[Expr, ...], tuple[tuple[str, Expr], ...]]:
        """``[( arg, ..., name => arg, ... )]``: positional arguments come first."""
        args: list[Expr] = []
        named: list[tuple[str, Expr]] = []
        if not self.accept_op("("):
            return (), ()
        if self.accept_op(")"):
            return (), ()
        while True:
            if self.tok.kind in (Kind.IDENT, Kind.QIDENT) and self.peek().kind is Kind.OP and self.peek().value == "=>":
                key = self.ident()
                self.next()
                named.append((key, self.pl_expr()))
            elif named:
                raise _pls(self.tok.pos, self.sql, "PLS-00312: a positional parameter association may not follow "
                           "a named association")
            else:
                args.append(self.pl_expr())
            if not self.accept_op(","):
                break
        self.expect_op(")")
        return tuple(args), tuple(named)

    # ---- stored routines ----------------------------------------------------------------------
    def create_routine(self, replace_: bool) -> CreateRoutine:
        """After ``CREATE [OR REPLACE]``: PROCEDURE or FUNCTION."""
        pos = self.tok.pos
        kind = self.next().value
        schema, name = self._routine_name()
        params = self.pl_params()
        returns_ref = self.pl_return_type() if kind == "FUNCTION" else None
        if not (self.accept_kw("IS") or self.accept_kw("AS")):
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" when "
                       "expecting one of the following: is as")
        decls = self.pl_declarations()
        block = self.pl_body_block(pos)
        self.pl_end(name)
        block = PlBlockStmt(decls, block.body, block.handlers, pos)
        autonomous = any(isinstance(d, AutonomousPragma) for d in decls)
        returns = None if returns_ref is None else returns_ref.sql or SqlType(T.VARCHAR, size=32767)
        return CreateRoutine(schema, name, params, returns, (), (block,), replace_, pos, self.sql,
                             None if returns_ref is None or returns_ref.sql is not None else returns_ref, autonomous)

    def _routine_name(self) -> tuple[str | None, str]:
        first = self.ident("procedure name")
        if self.accept_op("."):
            return first, self.ident("procedure name")
        return None, first

