"""The PL/SQL subset: anonymous blocks and CREATE/DROP PROCEDURE / FUNCTION
(split from parser_ddl.py; the engine's side is routines.py).

Statements: ``NULL;``, ``RETURN [expr];``, ``:bind := expr;``, ``name := expr;``,
procedure calls ``name[.name](args);`` with positional and ``name => expr``
arguments, INSERT / UPDATE / DELETE / COMMIT / ROLLBACK, and
``dbms_session.sleep(n)``.  No DECLARE blocks, IF, loops, cursors or EXCEPTION
sections: they are ORA-00900 "not supported" errors naming the construct.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from .. import errors
from ..types.datatypes import SqlType, T
from .lexer import Kind
from .nodes import (
    Bind, Col, Commit, CreateRoutine, Expr, PlAssign, PlBlock, PlCall, PlNull, PlParam, PlReturn, PlSleep, PlSql, PlStatement, Rollback,
)
from .parser_base import ParserBase
from ..errors import pls_error as _pls

__all__ = ["PlsqlParser", "bind_names_in"]

N = TypeVar("N")
_SLEEPS = frozenset({"DBMS_SESSION.SLEEP", "DBMS_LOCK.SLEEP"})
# PL/SQL-only type names, and sizes a parameter's VARCHAR2 / RAW may omit.
_PL_TYPES = {"PLS_INTEGER": SqlType(T.NUMBER, precision=38), "BINARY_INTEGER": SqlType(T.NUMBER, precision=38),
             "NATURAL": SqlType(T.NUMBER, precision=38), "POSITIVE": SqlType(T.NUMBER, precision=38),
             "SIMPLE_INTEGER": SqlType(T.NUMBER, precision=38)}
_UNSIZED = {"VARCHAR2": T.VARCHAR, "VARCHAR": T.VARCHAR, "NVARCHAR2": T.NVARCHAR, "RAW": T.RAW}
_PL_MAX_STRING = 32767


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


class PlsqlParser(ParserBase):
    """Blocks and stored routines; expressions and DML come from the subclass (parser.py)."""

    # ---- anonymous blocks ---------------------------------------------------------------------
    def plsql(self) -> PlBlock:
        if self.tok.value == "DECLARE":
            raise errors.unsupported("PL/SQL DECLARE sections", self.tok.pos)
        self.next()
        body = self.pl_body()
        self.pl_end(None)
        return PlBlock(body)

    def pl_body(self) -> tuple[PlStatement, ...]:
        """Statements up to END (consumed)."""
        body: list[PlStatement] = []
        while not self.is_kw("END", "EXCEPTION"):
            body.append(self.pl_statement())
            if not self.accept_op(";"):
                raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" when "
                           "expecting one of the following: ;")
        if self.is_kw("EXCEPTION"):
            raise errors.unsupported("PL/SQL EXCEPTION sections", self.tok.pos)
        self.next()
        return tuple(body)

    def pl_end(self, name: str | None) -> None:
        """``[name] [;]`` and the end of the text."""
        if name is not None and self.tok.kind in (Kind.IDENT, Kind.QIDENT) and self.tok.value == name:
            self.next()
        self.accept_op(";")
        if self.tok.kind is not Kind.EOF:
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")

    def pl_statement(self) -> PlStatement:
        t = self.tok
        if t.kind is Kind.EOF:
            raise _pls(t.pos, self.sql, "PLS-00103: Encountered the symbol \"end-of-file\"")
        if self.accept_kw("NULL"):
            return PlNull()
        if self.accept_kw("RETURN"):
            return PlReturn(None if self.is_op(";") else self.expr())
        if t.kind is Kind.BIND:
            self.next()
            self._expect_assign()
            return PlAssign(t.value, self._assigned())
        if self.is_kw("INSERT"):
            return PlSql(self.insert())
        if self.is_kw("UPDATE"):
            return PlSql(self.update())
        if self.is_kw("DELETE"):
            return PlSql(self.delete())
        if self.is_kw("COMMIT", "ROLLBACK"):
            word = self.next().value
            self.accept_kw("WORK")
            return PlSql(Commit() if word == "COMMIT" else Rollback())
        if t.kind in (Kind.IDENT, Kind.QIDENT) and not self.is_kw("IF", "LOOP", "FOR", "WHILE", "CASE", "DECLARE",
                                                                   "BEGIN", "SELECT", "OPEN", "FETCH", "CLOSE",
                                                                   "RAISE", "EXECUTE", "GOTO", "EXIT"):
            name = self.ident()
            if self.is_op(":="):
                self.next()
                return PlAssign(name, self._assigned(), local=True)
            while self.accept_op("."):
                name += "." + self.ident()
            if name in _SLEEPS:
                self.expect_op("(")
                seconds = self.expr()
                self.expect_op(")")
                return PlSleep(seconds)
            args, named = self.pl_args()
            return PlCall(name, args, named, t.pos)
        raise errors.unsupported(f"PL/SQL statement starting with {t.describe()}", t.pos)

    def _assigned(self) -> Expr | PlCall:
        """The right of ``:=``: an expression, or a function call with ``name => value`` arguments."""
        t = self.tok
        if t.kind in (Kind.IDENT, Kind.QIDENT) and self._named_call_ahead():
            name = self.ident()
            while self.accept_op("."):
                name += "." + self.ident()
            args, named = self.pl_args()
            return PlCall(name, args, named, t.pos)
        return self.expr()

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
                named.append((key, self.expr()))
            elif named:
                raise _pls(self.tok.pos, self.sql, "PLS-00312: a positional parameter association may not follow "
                           "a named association")
            else:
                args.append(self.expr())
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
        params: list[PlParam] = []
        if self.accept_op("("):
            while True:
                params.append(self._param())
                if not self.accept_op(","):
                    break
            self.expect_op(")")
        returns: SqlType | None = None
        if kind == "FUNCTION":
            self.expect_kw("RETURN")
            returns = self._pl_type()
        if not (self.accept_kw("IS") or self.accept_kw("AS")):
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" when "
                       "expecting one of the following: is as")
        variables: list[PlParam] = []
        while not self.is_kw("BEGIN"):
            if self.tok.kind is Kind.EOF:
                raise _pls(self.tok.pos, self.sql, "PLS-00103: Encountered the symbol \"end-of-file\"")
            variables.append(self._variable())
        self.next()
        body = self.pl_body()
        self.pl_end(name)
        seen: set[str] = set()
        for p in (*params, *variables):
            if p.name in seen:
                raise _pls(pos, self.sql, f"PLS-00410: duplicate fields in RECORD,TABLE or argument list are "
                           f"not permitted ({p.name})")
            seen.add(p.name)
        names = frozenset(seen)
        # Defaults and initial values may use earlier parameters; DML keeps its columns (routines.py).
        params = [replace(p, default=bind_names_in(p.default, names)) for p in params]
        variables = [replace(v, default=bind_names_in(v.default, names)) for v in variables]
        body = tuple(s if isinstance(s, PlSql) else bind_names_in(s, names) for s in body)
        return CreateRoutine(schema, name, tuple(params), returns, tuple(variables), body, replace_, pos, self.sql)

    def _routine_name(self) -> tuple[str | None, str]:
        first = self.ident("procedure name")
        if self.accept_op("."):
            return first, self.ident("procedure name")
        return None, first

    def _param(self) -> PlParam:
        name = self.ident("parameter name")
        mode = "IN"
        if self.accept_kw("IN"):
            mode = "IN OUT" if self.accept_kw("OUT") else "IN"
        elif self.accept_kw("OUT"):
            mode = "OUT"
        self.accept_kw("NOCOPY")
        typ = self._pl_type()
        default = self.expr() if self.accept_op(":=") or self.accept_kw("DEFAULT") else None
        if default is not None and mode != "IN":
            raise _pls(default.start, self.sql, "PLS-00230: OUT and IN OUT formal parameters may not have default "
                       "expressions")
        return PlParam(name, mode, typ, default)

    def _variable(self) -> PlParam:
        pos = self.tok.pos
        name = self.ident("variable name")
        if name in ("CURSOR", "TYPE", "SUBTYPE", "PRAGMA", "PROCEDURE", "FUNCTION") or self.is_kw("EXCEPTION"):
            raise errors.unsupported(f"PL/SQL declarations other than variables ({name})", pos)
        self.accept_kw("CONSTANT")
        typ = self._pl_type()
        if self.accept_kw("NOT"):
            self.expect_kw("NULL")
        default = self.expr() if self.accept_op(":=") or self.accept_kw("DEFAULT") else None
        if not self.accept_op(";"):
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" when "
                       "expecting one of the following: ;")
        return PlParam(name, "IN", typ, default)

    def _pl_type(self) -> SqlType:
        t = self.tok
        if t.kind is Kind.IDENT and t.value in _PL_TYPES:
            self.next()
            return _PL_TYPES[t.value]
        if t.kind is Kind.IDENT and t.value in _UNSIZED and not (self.peek().kind is Kind.OP
                                                                 and self.peek().value == "("):
            self.next()
            return SqlType(_UNSIZED[t.value], size=_PL_MAX_STRING)
        if t.kind is Kind.IDENT and self.peek().kind is Kind.OP and self.peek().value == "%":
            raise errors.unsupported("%TYPE / %ROWTYPE anchors", t.pos)
        return self.data_type()
