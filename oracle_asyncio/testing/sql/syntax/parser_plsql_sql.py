"""SQL inside PL/SQL: SELECT INTO, explicit cursors (OPEN / FETCH / CLOSE), cursor FOR
loops, EXECUTE IMMEDIATE and the cursor attributes of expressions (``SQL%ROWCOUNT``,
``c%FOUND`` ...).  The statement parser (parser_plsql.py) asks :meth:`sql_statement`
first; runtime/plcursors.py runs what it builds.

Cursor attributes become Bind nodes named ``CURSOR%ATTRIBUTE``, whose values the
runtime keeps in the frame: the SQL engine evaluates them like any bind.  FOUND,
NOTFOUND and ISOPEN are conditions (``bind = 1``), so that NULL (no fetch yet) stays
unknown as in Oracle.
"""

from __future__ import annotations

from typing import Final

from .. import errors
from ..errors import pls_error
from ..types.datatypes import NUMBER, number_bytes
from .lexer import Kind, Token
from .nodes import (
    Bind, Col, Compare, Expr, Lit, PlClose, PlCursorLoop, PlExecute, PlFetch, PlForall, PlOpen, PlQuery, PlSelectInto,
    PlSql, PlStatement, PlTarget,
)
from .parser_base import ParserBase

__all__ = ["CURSOR_ATTRIBUTES", "PlsqlSqlParser", "attribute_name"]

#: Cursor attributes; the first three are conditions.
CURSOR_ATTRIBUTES: Final = ("FOUND", "NOTFOUND", "ISOPEN", "ROWCOUNT")
_CONDITIONS: Final = frozenset(CURSOR_ATTRIBUTES[:3])


def attribute_name(cursor: str, attribute: str) -> str:
    """The frame key (and bind name) of ``cursor%attribute``."""
    return f"{cursor}%{attribute}"


class PlsqlSqlParser(ParserBase):
    """The SQL statements of PL/SQL; a base of parser_plsql.PlsqlParser."""

    def pl_body(self) -> tuple[PlStatement, ...]:
        """Statements up to END (consumed): a hook parser_plsql.PlsqlParser implements."""
        raise NotImplementedError

    def sql_statement(self) -> PlStatement | None:
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
        if word == "FOR" and self._cursor_loop_ahead():
            return self._cursor_loop()
        if word == "FORALL":
            return self._forall()
        return None

    def pl_attribute(self, t: Token) -> Expr:
        """``name%ATTRIBUTE`` in a PL/SQL expression (the name token is consumed, ``%`` is next)."""
        self.expect_op("%")
        attr = self.tok
        if attr.kind is not Kind.IDENT or attr.value not in CURSOR_ATTRIBUTES:
            raise errors.unsupported(f"attribute %{attr.value} in an expression", attr.pos)
        self.next()
        bind = Bind(t.pos, attr.end, attribute_name(t.value, attr.value))
        if attr.value in _CONDITIONS:
            return Compare(t.pos, attr.end, "=", bind, Lit(attr.end, attr.end, number_bytes(1), NUMBER))
        return bind

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

    def into_targets(self) -> tuple[PlTarget, ...]:
        """``target[, ...]`` after INTO: binds, variables, record fields."""
        targets = [self.into_target()]
        while self.accept_op(","):
            targets.append(self.into_target())
        return tuple(targets)

    def into_target(self) -> PlTarget:
        t = self.tok
        if t.kind is Kind.BIND:
            self.next()
            return Bind(t.pos, t.end, t.value)
        if t.kind in (Kind.IDENT, Kind.QIDENT):
            self.next()
            if self.accept_op("."):
                field = self.tok
                name = self.ident("field name")
                return Col(t.pos, field.end, name, t.value)
            return Col(t.pos, t.end, t.value)
        raise pls_error(t.pos, self.sql, f"PLS-00103: Encountered the symbol \"{t.value or 'end-of-file'}\"")

    # ---- explicit cursors -----------------------------------------------------------------------
    def _open(self) -> PlOpen:
        pos = self.next().pos
        name = self.ident("cursor name")
        if self.is_kw("FOR"):
            raise errors.unsupported("OPEN ... FOR (cursor variables)", self.tok.pos)
        return PlOpen(name, self._cursor_args(), pos)

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

    def _cursor_loop_ahead(self) -> bool:
        # FOR name IN ( SELECT ... | FOR name IN cursor [( ... )] LOOP; anything else is a numeric loop
        if not (self.peek(2).kind is Kind.IDENT and self.peek(2).value == "IN"):
            return False
        third = self.peek(3)
        if third.kind is Kind.OP and third.value == "(":
            return self.peek(4).kind is Kind.IDENT and self.peek(4).value == "SELECT"
        if third.kind not in (Kind.IDENT, Kind.QIDENT) or (third.kind is Kind.IDENT and third.value == "REVERSE"):
            return False
        k, depth = 4, 0
        while True:
            tok = self.peek(k)
            if tok.kind is Kind.EOF:
                return False
            if tok.kind is Kind.OP and tok.value == "(":
                depth += 1
            elif tok.kind is Kind.OP and tok.value == ")":
                depth -= 1
            elif depth == 0:
                return tok.kind is Kind.IDENT and tok.value == "LOOP"
            if depth < 0:
                return False
            k += 1

    def _cursor_loop(self) -> PlCursorLoop:
        pos = self.next().pos
        record = self.ident("record name")
        self.expect_kw("IN")
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
        body = self.pl_body()
        self.expect_kw("LOOP")
        return PlCursorLoop(record, cursor, args, query, body, pos)

    # ---- EXECUTE IMMEDIATE ----------------------------------------------------------------------
    def _execute_immediate(self) -> PlExecute:
        pos = self.next().pos
        self.next()
        text = self.expr()
        into: tuple[PlTarget, ...] = ()
        bulk = False
        if self.is_kw("BULK"):
            self.next()
            self.expect_kw("COLLECT")
            bulk = True
            self.expect_kw("INTO")
            into = self.into_targets()
        elif self.accept_kw("INTO"):
            into = self.into_targets()
        using: list[tuple[str, Expr]] = []
        if self.accept_kw("USING"):
            while True:
                mode = "IN"
                if self.accept_kw("IN"):
                    mode = "IN OUT" if self.accept_kw("OUT") else "IN"
                elif self.accept_kw("OUT"):
                    mode = "OUT"
                arg = self.expr()
                if mode != "IN" and not isinstance(arg, (Bind, Col)):
                    raise pls_error(arg.start, self.sql, f"PLS-00363: expression '{self.sql[arg.start:arg.end]}' "
                                    "cannot be used as an assignment target")
                using.append((mode, arg))
                if not self.accept_op(","):
                    break
        returning: tuple[PlTarget, ...] = ()
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
            stmt = PlSql(self.insert())
        elif self.is_kw("UPDATE"):
            stmt = PlSql(self.update())
        elif self.is_kw("DELETE"):
            stmt = PlSql(self.delete())
        elif self.is_kw("EXECUTE") and self.peek().kind is Kind.IDENT and self.peek().value == "IMMEDIATE":
            stmt = self._execute_immediate()
        else:
            raise pls_error(t.pos, self.sql, f"PLS-00103: Encountered the symbol \"{t.value or 'end-of-file'}\" "
                            "when expecting one of the following: insert update delete execute")
        return PlForall(index, low, high, of, collection, save, stmt, pos)
