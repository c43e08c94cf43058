"""PL/SQL blocks and control flow: nested blocks, IF, CASE, LOOP / WHILE /
numeric FOR with labels, EXIT / CONTINUE, RAISE and exception handlers.

Entry points: :meth:`PlStmtParser.pl_block` (``[DECLARE ...] BEGIN ... END``,
at DECLARE or BEGIN), :meth:`PlStmtParser.pl_body_block` (at BEGIN) and
:meth:`PlStmtParser.pl_statements` (a statement list up to one of the given
words).  The simple statements (assignments, calls, DML, RETURN ...) come from
:meth:`pl_simple_statement` (parser_plsql.py); a cursor FOR loop from
:meth:`pl_cursor_for_loop`.
"""

from __future__ import annotations

from dataclasses import replace

from .. import errors
from .lexer import Kind
from .nodes import Expr
from .parser_pldecl import PlDeclParser
from .plnodes import Handler, PlBlockStmt, PlCaseStmt, PlExit, PlFor, PlIf, PlLoop, PlRaise, PlWhile

__all__ = ["PlStmtParser"]

_STARTS_CONTROL = frozenset({"DECLARE", "BEGIN", "IF", "CASE", "LOOP", "WHILE", "FOR", "EXIT", "CONTINUE", "RAISE",
                             "GOTO"})


class PlStmtParser(PlDeclParser):
    def pl_simple_statement(self) -> object:
        """Hook: one statement that is not a block or control flow, without its ``;``."""
        raise NotImplementedError

    def pl_cursor_for_loop(self, var: str, label: str | None, pos: int) -> object:
        """Hook: ``FOR var IN`` followed by anything but ``low .. high`` (a cursor FOR loop);
        the parser stands after IN.  Returns the loop statement, up to and including ``;``."""
        raise errors.unsupported("cursor FOR loops", pos)

    # ---- blocks -------------------------------------------------------------------------------
    def pl_block(self, label: str | None = None) -> PlBlockStmt:
        """``[DECLARE decls] BEGIN ... END`` (the name or label after END and the ``;`` are the caller's)."""
        pos = self.tok.pos
        decls = self.pl_declarations() if self.accept_kw("DECLARE") else ()
        return replace(self.pl_body_block(pos, label), decls=decls)

    def pl_body_block(self, pos: int, label: str | None = None) -> PlBlockStmt:
        if not self.accept_kw("BEGIN"):
            raise self.pls_expecting("begin")
        body = self.pl_statements("END", "EXCEPTION")
        handlers: list[Handler] = []
        if self.accept_kw("EXCEPTION"):
            while self.is_kw("WHEN"):
                hpos = self.next().pos
                names = [self._exception_name()]
                while self.accept_kw("OR"):
                    names.append(self._exception_name())
                if "OTHERS" in names and len(names) > 1:
                    raise self.pls(hpos, "PLS-00484: redundant exceptions 'OTHERS' and other exceptions")
                self.expect_kw("THEN")
                handlers.append(Handler(tuple(names), self.pl_statements("END", "WHEN"), hpos))
            if not handlers:
                raise self.pls_expecting("when")
        self.expect_kw("END")
        return PlBlockStmt((), body, tuple(handlers), pos, label)

    def _exception_name(self) -> str:
        name = self.ident("exception name")
        while self.accept_op("."):
            name += "." + self.ident("exception name")
        return name

    def pl_statements(self, *stops: str) -> tuple[object, ...]:
        """Statements (each with its ``;``) up to one of the keywords ``stops`` (not consumed)."""
        items: list[object] = []
        while not self.is_kw(*stops):
            if self.tok.kind is Kind.EOF:
                raise self.pls_expecting(" ".join(s.lower() for s in stops))
            items.append(self.pl_statement_with_end())
        if not items:
            word = self.tok.value
            raise self.pls(self.tok.pos, f"PLS-00103: Encountered the symbol \"{word}\" when expecting one of the "
                                         "following: begin case declare exit for goto if loop null raise return "
                                         "while <an identifier>")
        return tuple(items)

    def _label_end(self, label: str | None) -> None:
        """``[label] ;`` after END / END LOOP / END CASE."""
        t = self.tok
        if t.kind in (Kind.IDENT, Kind.QIDENT):
            if label is not None and t.value != label:
                raise self.pls(t.pos, f"PLS-00113: END identifier '{t.value}' must match '{label}'")
            self.next()
        self.pl_semicolon()

    def pl_statement_with_end(self) -> object:
        """One statement and its ``;`` (labels before it included)."""
        label: str | None = None
        while self.accept_op("<<"):
            label = self.ident("label")
            if not self.accept_op(">>"):
                raise self.pls_expecting(">>")
        t = self.tok
        word = t.value if t.kind is Kind.IDENT else ""
        if word not in _STARTS_CONTROL:
            item = self.pl_simple_statement()
            self.pl_semicolon()
            return item
        if word in ("DECLARE", "BEGIN"):
            block = self.pl_block(label)
            self._label_end(label)
            return block
        self.next()
        if word == "IF":
            return self._if(t.pos)
        if word == "CASE":
            return self._case(t.pos)
        if word == "LOOP":
            return PlLoop(self._loop_body(label), t.pos, label)
        if word == "WHILE":
            cond = self.pl_expr()
            self.expect_kw("LOOP")
            return PlWhile(cond, self._loop_body(label), t.pos, label)
        if word == "FOR":
            return self._for(label, t.pos)
        if word in ("EXIT", "CONTINUE"):
            target = None
            if self.tok.kind in (Kind.IDENT, Kind.QIDENT) and not self.is_kw("WHEN"):
                target = self.ident("label")
            when = self.pl_expr() if self.accept_kw("WHEN") else None
            self.pl_semicolon()
            return PlExit(target, when, word == "CONTINUE", t.pos)
        if word == "RAISE":
            name = None if self.is_op(";") else self._exception_name()
            self.pl_semicolon()
            return PlRaise(name, t.pos)
        raise errors.unsupported(f"PL/SQL {word}", t.pos)

    # ---- control flow -------------------------------------------------------------------------
    def _if(self, pos: int) -> PlIf:
        branches: list[tuple[Expr, tuple[object, ...]]] = []
        while True:
            cond = self.pl_expr()
            self.expect_kw("THEN")
            branches.append((cond, self.pl_statements("ELSIF", "ELSE", "END")))
            if not self.accept_kw("ELSIF"):
                break
        otherwise = self.pl_statements("END") if self.accept_kw("ELSE") else None
        self.expect_kw("END")
        self.expect_kw("IF")
        self.pl_semicolon()
        return PlIf(tuple(branches), otherwise, pos)

    def _case(self, pos: int) -> PlCaseStmt:
        operand = None if self.is_kw("WHEN") else self.pl_expr()
        whens: list[tuple[Expr, tuple[object, ...]]] = []
        while self.accept_kw("WHEN"):
            value = self.pl_expr()
            self.expect_kw("THEN")
            whens.append((value, self.pl_statements("WHEN", "ELSE", "END")))
        if not whens:
            raise self.pls_expecting("when")
        otherwise = self.pl_statements("END") if self.accept_kw("ELSE") else None
        self.expect_kw("END")
        self.expect_kw("CASE")
        self._label_end(None)
        return PlCaseStmt(operand, tuple(whens), otherwise, pos)

    def _loop_body(self, label: str | None) -> tuple[object, ...]:
        """After LOOP: statements, END LOOP [label] ;"""
        body = self.pl_statements("END")
        self.expect_kw("END")
        self.expect_kw("LOOP")
        self._label_end(label)
        return body

    def _for(self, label: str | None, pos: int) -> object:
        var = self.ident("loop index")
        self.expect_kw("IN")
        reverse = self.accept_kw("REVERSE")
        start = self.i
        low = self.expr() if not self.is_op("(") or not self.peek().value == "SELECT" else None
        if low is None or not self.accept_op(".."):
            if reverse:
                raise self.pls_expecting("..")
            self.i = start
            return self.pl_cursor_for_loop(var, label, pos)
        high = self.expr()
        self.expect_kw("LOOP")
        return PlFor(var, reverse, low, high, self._loop_body(label), pos, label)
