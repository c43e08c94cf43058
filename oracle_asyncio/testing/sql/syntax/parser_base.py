"""Token-level helpers shared by the statement parsers (split from parser.py)."""

from __future__ import annotations

from typing import Final

from .. import errors
from .lexer import Kind, Token, tokenize
from .nodes import Delete, Expr, Insert, OrderItem, Select, TableRef, Update
from ..types.datatypes import SqlType

__all__ = ["ParserBase", "MAX_DEPTH", "MAX_LIST", "RESERVED"]

#: How deep expressions and queries may nest (parentheses, calls, CASE, subqueries).
#: Oracle's own limit is reported as ORA-03095; this one keeps the recursive descent,
#: the translator and every tree walker far inside Python's recursion limit.  Flat
#: chains (``a AND b AND ...``, ``a || b || ...``) do not nest, whatever their length.
MAX_DEPTH = 64
#: Oracle's limit on the expressions of an IN list (ORA-01795) and on the columns of a
#: select list or table (ORA-01792).
MAX_LIST = 1000

# Words that end a select item / table reference instead of being an alias.
RESERVED: Final = frozenset(
    {"FROM", "WHERE", "ORDER", "GROUP", "HAVING", "CONNECT", "START", "UNION", "INTERSECT", "MINUS", "EXCEPT",
     "FETCH", "OFFSET", "FOR", "INTO", "VALUES", "SET", "AND", "OR", "NOT", "JOIN", "INNER", "LEFT", "RIGHT",
     "FULL", "CROSS", "NATURAL", "ON", "USING", "AS", "IS", "IN", "LIKE", "BETWEEN", "SELECT", "WITH",
     "RETURNING", "RETURN", "LIMIT", "MODEL", "PIVOT", "UNPIVOT", "PARTITION", "SAMPLE", "OUTER", "APPLY",
     "WINDOW"}
)


class ParserBase:
    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.tokens = tokenize(sql)
        self.i = 0
        self.depth = 0  # nesting of expr() / select() calls now open
        self.in_plsql = False  # inside a PL/SQL body: ``name%ATTRIBUTE`` is an expression

    def pl_attribute(self, t: Token) -> Expr:
        """``name%ATTRIBUTE`` after the name ``t`` (a hook: parser_plsql_sql.py implements it)."""
        raise NotImplementedError

    def descend(self) -> None:
        """Enter one nesting level (the caller decrements ``depth`` when it leaves)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise errors.too_deep(MAX_DEPTH, self.tok.pos)

    # ---- token helpers ------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def next(self) -> Token:
        t = self.tokens[self.i]
        if t.kind is not Kind.EOF:
            self.i += 1
        return t

    def is_kw(self, *words: str) -> bool:
        return self.tok.kind is Kind.IDENT and self.tok.value in words

    def accept_kw(self, *words: str) -> bool:
        if self.is_kw(*words):
            self.i += 1
            return True
        return False

    def expect_kw(self, word: str) -> Token:
        if not self.is_kw(word):
            raise self.error_here(f"expected {word}")
        return self.next()

    def is_op(self, *ops: str) -> bool:
        return self.tok.kind is Kind.OP and self.tok.value in ops

    def accept_op(self, op: str) -> bool:
        if self.is_op(op):
            self.i += 1
            return True
        return False

    def expect_op(self, op: str) -> Token:
        if not self.is_op(op):
            if op == ")":
                raise errors.ora(907, self.tok.pos)
            if op == "(":
                raise errors.ora(906, self.tok.pos)
            if op == ",":
                raise errors.ora(917, self.tok.pos)
            raise self.error_here(f"expected {op!r}")
        return self.next()

    def error_here(self, detail: str) -> errors.OraError:
        t = self.tok
        if t.kind is Kind.EOF:
            return errors.invalid_sql(f"{detail}, found end of statement", t.pos)
        return errors.not_ended(f"{t.describe()}; {detail}", t.pos)

    def ident(self, what: str = "identifier") -> str:
        t = self.tok
        if t.kind is Kind.IDENT or t.kind is Kind.QIDENT:
            self.i += 1
            return t.value
        raise errors.invalid_sql(f"expected {what}, found {t.describe()}", t.pos)

    def end(self) -> None:
        if self.tok.kind is not Kind.EOF:
            t = self.tok
            if t.kind is Kind.OP and t.value == ";":
                raise errors.ora(911, t.pos)
            raise errors.not_ended(t.describe(), t.pos)

    def int_arg(self) -> int:
        """An unsigned integer, or ``*`` as -1 (sizes and precisions)."""
        t = self.tok
        if t.kind is not Kind.NUMBER or not t.value.isdigit():
            if t.kind is Kind.OP and t.value == "*":
                self.next()
                return -1
            raise errors.invalid_sql(f"expected an integer, found {t.describe()}", t.pos)
        self.next()
        return int(t.value)

    # ---- hooks: the grammar's parts that the full parser (parser.py and its bases) implements, so
    # that the clause helpers (parser_query.py, parser_index.py ...) need only this class
    def expr(self) -> Expr:
        raise NotImplementedError

    def condition(self) -> Expr:
        raise NotImplementedError

    def data_type(self) -> SqlType:
        raise NotImplementedError

    def table_ref(self, *, alias: bool = True) -> TableRef:
        raise NotImplementedError

    def column_list(self) -> tuple[tuple[str, int], ...]:
        raise NotImplementedError

    def select(self, branch: bool = False) -> Select:
        raise NotImplementedError

    def select_tail(self) -> tuple[list[OrderItem], Expr | None, Expr | None, bool]:
        raise NotImplementedError

    def order_item(self) -> OrderItem:
        raise NotImplementedError

    def insert(self) -> Insert:
        raise NotImplementedError

    def update(self) -> Update:
        raise NotImplementedError

    def delete(self) -> Delete:
        raise NotImplementedError

