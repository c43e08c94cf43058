"""SQL inside PL/SQL: SELECT INTO, cursor declarations, OPEN / FETCH / CLOSE, OPEN FOR of
cursor variables (a query, or a text with USING), cursor FOR loops, EXECUTE IMMEDIATE, BULK COLLECT, FORALL and the cursor attributes of expressions
(``SQL%ROWCOUNT``, ``c%FOUND``, ``SQL%BULK_ROWCOUNT(i)`` ...).  The simple-statement parser
(parser_plsql.py) asks :meth:`PlsqlSqlParser.sql_statement` first; runtime/plcursors.py
runs what it builds.

A cursor attribute is a name ``CURSOR%ATTRIBUTE`` (a ``Col``), which the runtime resolves
like a variable; ``(i)`` and ``.field`` after it index or select as for any collection.
"""

from __future__ import annotations

from typing import Final

from .. import errors
from ..errors import pls_error
from .lexer import Kind, Token
from .nodes import Col, Expr, PlSql
from .parser_plstmt import PlStmtParser
from .plnodes import (
    PlClose, PlCursorDecl, PlCursorLoop, PlExecute, PlFetch, PlField, PlForall, PlIndexed, PlOpen, PlOpenFor,
    PlQuery, PlSelectInto,
)

__all__ = ["CURSOR_ATTRIBUTES", "PlsqlSqlParser", "attribute_name"]

#: Cursor attributes (the BULK ones only of SQL).
CURSOR_ATTRIBUTES: Final = ("FOUND", "NOTFOUND", "ISOPEN", "ROWCOUNT", "BULK_ROWCOUNT", "BULK_EXCEPTIONS")


def attribute_name(cursor: str, attribute: str) -> str:
    """The frame key (and bind name) of ``cursor%attribute``."""
    return f"{cursor}%{attribute}"


class PlsqlSqlParser(PlStmtParser):
    """The SQL statements of PL/SQL; a base of parser_plsql.PlsqlParser."""

    def pl_statements(self, *stops: str) -> tuple[object, ...]:
        self.in_plsql = True  # expressions may use cursor attributes from here on
        return super().pl_statements(*stops)


    def pl_cursor_for_loop(self, var: str, label: str | None, pos: int) -> object:
        """``FOR var IN cursor[(args)] | (query) LOOP ... END LOOP [label];`` (after IN)."""
        cursor: str | None = None
        args: tuple[Expr, ...] = ()
        query: PlQuery | None = None
        if self.accept_op("("):
            query = PlQuery(self.select())
            self.expect_op(")")
        else:
            cursor = self.ident("cursor name")
            args = self._cursor_args()
        self.expect_kw("LOOP")
        body = self.pl_statements("END")
        self.expect_kw("END")
        self.expect_kw("LOOP")
        end = self.tok
        if end.kind in (Kind.IDENT, Kind.QIDENT):
            if label is not None and end.value != label:
                raise pls_error(end.pos, self.sql, f"PLS-00113: END identifier '{end.value}' must match '{label}'")
            self.next()
        self.pl_semicolon()
        return PlCursorLoop(var, cursor, args, query, body, pos, label)

    def sql_statement(self) -> object | None:
        """The SQL-bearing statement at the current token, or None when it is another kind."""
        if self.is_kw("SELECT"):
            return self.select_into()
        if self.tok.kind is not Kind.IDENT:
            return None
        word = self.tok.value
        if word == "OPEN":
            return self._open()
        if word == "FETCH":
            return self._fetch()
        if word == "CLOSE":
            pos = self.next().pos
            return PlClose(self.ident("cursor name"), pos)
        if word == "EXECUTE" and self.peek().kind is Kind.IDENT and self.peek().value == "IMMEDIATE":
            return self._execute_immediate()
        if word == "FORALL":
            return self._forall()
        return None

    def pl_attribute(self, t: Token) -> Expr:
        """``name%ATTRIBUTE`` in a PL/SQL expression (the name token is consumed, ``%`` is next),
        then any ``(index)`` and ``.field`` steps."""
        self.expect_op("%")
        attr = self.tok
        if attr.kind is not Kind.IDENT or attr.value not in CURSOR_ATTRIBUTES:
            raise errors.unsupported(f"attribute %{attr.value} in an expression", attr.pos)
        self.next()
        result: Expr = Col(t.pos, attr.end, attribute_name(t.value, attr.value))
        while self.is_op("(", "."):
            if self.accept_op("."):
                field = self.tok
                result = PlField(t.pos, field.end, result, self.ident("field name"))
            else:
                self.next()
                index = self.expr()
                result = PlIndexed(t.pos, self.expect_op(")").end, result, (index,))
        return result

    # ---- SELECT INTO ----------------------------------------------------------------------------
    def select_into(self) -> PlSelectInto:
        """``SELECT items [BULK COLLECT] INTO targets FROM ...``: the INTO clause is cut out
        of the token list, and the rest is an ordinary query."""
        pos = self.tok.pos
        into_at = self._top_level_into()
        if into_at is None:
            raise pls_error(pos, self.sql, "PLS-00428: an INTO clause is expected in this SELECT statement")
        bulk = into_at >= 2 and self._word_at(into_at - 1, "COLLECT") and self._word_at(into_at - 2, "BULK")
        start = self.i
        self.i = into_at + 1
        targets = self.into_targets()
        del self.tokens[into_at - (2 if bulk else 0):self.i]
        self.i = start
        return PlSelectInto(PlQuery(self.select()), targets, bulk, pos)

    def _top_level_into(self) -> int | None:
        depth = 0
        for j in range(self.i, len(self.tokens)):
            tok = self.tokens[j]
            if tok.kind is Kind.EOF:
                break
            if tok.kind is Kind.OP:
                if tok.value == "(":
                    depth += 1
                elif tok.value == ")":
                    depth -= 1
                elif tok.value == ";" and depth <= 0:
                    break
            elif depth == 0 and tok.kind is Kind.IDENT and tok.value in ("INTO", "FROM"):
                return j if tok.value == "INTO" else None
        return None

    def _word_at(self, j: int, word: str) -> bool:
        tok = self.tokens[j]
        return tok.kind is Kind.IDENT and tok.value == word

    def into_targets(self) -> tuple[Expr, ...]:
        """``target[, ...]`` after INTO: binds, variables, record fields, collection elements."""
        targets = [self.expr()]
        while self.accept_op(","):
            targets.append(self.expr())
        return tuple(targets)

    # ---- explicit cursors -----------------------------------------------------------------------
    def pl_cursor_declaration(self, pos: int) -> PlCursorDecl:
        """After CURSOR: ``name [(param [IN] type [:= default], ...)] [RETURN type] IS query;``"""
        name = self.ident("cursor name")
        params = self.pl_params()
        for p in params:
            if p.mode != "IN":
                raise pls_error(pos, self.sql, "PLS-00103: Encountered the symbol \"OUT\"")
        if self.accept_kw("RETURN"):
            self.pl_type_ref()
        if not self.accept_kw("IS"):
            raise self.pls_expecting("is")
        query = PlQuery(self.select())
        self.pl_semicolon()
        return PlCursorDecl(name, params, query, pos)

    def _open(self) -> PlOpen | PlOpenFor:
        pos = self.next().pos
        host = self.tok.kind is Kind.BIND
        name = self.next().value if host else self.ident("cursor name")
        if not self.accept_kw("FOR"):
            if host:
                raise self.pls_expecting("for")
            return PlOpen(name, self._cursor_args(), pos)
        if self.is_kw("SELECT", "WITH"):
            return PlOpenFor(name, PlQuery(self.select()), None, (), pos, host)
        text = self.expr()
        using: list[Expr] = []
        for mode, arg in self._using():
            if mode != "IN":
                raise pls_error(arg.start, self.sql, "PLS-00254: OUT and IN/OUT modes cannot be used in this context")
            using.append(arg)
        return PlOpenFor(name, None, text, tuple(using), pos, host)

    def _using(self) -> list[tuple[str, Expr]]:
        """``[USING [IN | OUT | IN OUT] arg, ...]``: (mode, argument) pairs."""
        using: list[tuple[str, Expr]] = []
        if self.accept_kw("USING"):
            while True:
                mode = "IN"
                if self.accept_kw("IN"):
                    mode = "IN OUT" if self.accept_kw("OUT") else "IN"
                elif self.accept_kw("OUT"):
                    mode = "OUT"
                using.append((mode, self.expr()))
                if not self.accept_op(","):
                    break
        return using

    def _cursor_args(self) -> tuple[Expr, ...]:
        if not self.accept_op("("):
            return ()
        args = [self.expr()]
        while self.accept_op(","):
            args.append(self.expr())
        self.expect_op(")")
        return tuple(args)

    def _fetch(self) -> PlFetch:
        pos = self.next().pos
        name = self.ident("cursor name")
        bulk = self.accept_kw("BULK")
        if bulk:
            self.expect_kw("COLLECT")
        self.expect_kw("INTO")
        targets = self.into_targets()
        limit = self.expr() if self.accept_kw("LIMIT") else None
        if limit is not None and not bulk:
            raise pls_error(limit.start, self.sql, "PLS-00439: A LIMIT clause must be used within a BULK FETCH")
        return PlFetch(name, targets, bulk, limit, pos)

    # ---- EXECUTE IMMEDIATE ----------------------------------------------------------------------
    def _execute_immediate(self) -> PlExecute:
        pos = self.next().pos
        self.next()
        text = self.expr()
        into: tuple[Expr, ...] = ()
        bulk = False
        if self.is_kw("BULK"):
            self.next()
            self.expect_kw("COLLECT")
            bulk = True
            self.expect_kw("INTO")
            into = self.into_targets()
        elif self.accept_kw("INTO"):
            into = self.into_targets()
        using = self._using()
        returning: tuple[Expr, ...] = ()
        if self.is_kw("RETURNING", "RETURN"):
            self.next()
            self.expect_kw("INTO")
            returning = self.into_targets()
        if into and returning:
            raise pls_error(pos, self.sql, "PLS-00103: Encountered the symbol \"RETURNING\"")
        return PlExecute(text, into, bulk, tuple(using), returning, pos)

    # ---- FORALL ---------------------------------------------------------------------------------
    def _forall(self) -> PlForall:
        pos = self.next().pos
        index = self.ident("index name")
        self.expect_kw("IN")
        low = high = collection = None
        of: str | None = None
        if self.is_kw("INDICES", "VALUES") and self.peek().kind is Kind.IDENT and self.peek().value == "OF":
            of = self.next().value
            self.next()
            collection = self.expr()
            if of == "INDICES" and self.accept_kw("BETWEEN"):
                low = self.expr()
                self.expect_kw("AND")
                high = self.expr()
        else:
            low = self.expr()
            if not self.accept_op(".."):
                raise pls_error(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" "
                                "when expecting one of the following: ..")
            high = self.expr()
        save = self.accept_kw("SAVE")
        if save:
            self.expect_kw("EXCEPTIONS")
        t = self.tok
        stmt: PlSql | PlExecute
        if self.is_kw("INSERT"):
            stmt = PlSql(self.insert(), t.pos)
        elif self.is_kw("UPDATE"):
            stmt = PlSql(self.update(), t.pos)
        elif self.is_kw("DELETE"):
            stmt = PlSql(self.delete(), t.pos)
        elif self.is_kw("EXECUTE") and self.peek().kind is Kind.IDENT and self.peek().value == "IMMEDIATE":
            stmt = self._execute_immediate()
        else:
            raise pls_error(t.pos, self.sql, f"PLS-00103: Encountered the symbol \"{t.value or 'end-of-file'}\" "
                            "when expecting one of the following: insert update delete execute")
        return PlForall(index, low, high, of, collection, save, stmt, pos)
