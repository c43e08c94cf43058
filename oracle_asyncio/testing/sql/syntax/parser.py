"""The Oracle subset -> nodes.py dataclasses.

Anything outside the subset raises an ORA-00900-family :class:`OraError` that
names the construct and its position; the parser never lets a Python exception out.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from .. import errors
from ..types.datatypes import NULLTYPE, NUMBER, SqlType, T, date_text, number_bytes, tz_text
from .lexer import Kind, Token
from .parser_base import MAX_LIST, RESERVED
from .parser_ddl import DdlParser
from . import parser_query as _pq
from .parser_dcl import grant
from . import parser_fn as _fn
from .parser_index import comment_on
from .parser_merge import merge, multi_insert
from .parser_interval import interval_literal
from .parser_setops import compound
from .plnodes import PlField, PlIndexed, PlPower
from .nodes import (
    Between, Bind, Case, Chain, Cast, Col, Commit, Compare, Delete, Expr, Func, InList, Insert, IsNull, Like, Lit, Logic, Not, OrderItem,
    Pseudo, Returning, Rollback, Savepoint, Select, SelectItem, SeqRef, Statement, TableRef, Truncate,
    Unary, Update,
)
from ..types.numbers import CONTEXT, num, out

__all__ = ["parse"]

_PSEUDO: Final = frozenset(
    {"USER", "SYSDATE", "SYSTIMESTAMP", "LEVEL", "CURRENT_DATE", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP",
     "SESSIONTIMEZONE", "DBTIMEZONE", "ROWNUM", "UID"}
)
#: What may follow a select list without FROM (Oracle 23ai's FROM-less query).
_FROMLESS_END: Final = ("UNION", "INTERSECT", "MINUS", "EXCEPT", "ORDER", "OFFSET", "FETCH", "WHERE", "GROUP")
_COMPARE: Final = frozenset({"=", "<>", "!=", "^=", "<", ">", "<=", ">="})
_TS_LIT: Final = re.compile(r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?"
                            r"\s*(?:([+-])(\d{1,2}):(\d{2}))?\s*\Z")


#: Oracle's reserved words (V$RESERVED_WORDS, RESERVED = 'Y'): a SQL statement may not name a
#: bind after one unless it is quoted (``:"DATE"``): ORA-01745.
_RESERVED_WORDS: Final = frozenset(
    "ACCESS ADD ALL ALTER AND ANY AS ASC AUDIT BETWEEN BY CHAR CHECK CLUSTER COLUMN COMMENT COMPRESS CONNECT "
    "CREATE CURRENT DATE DECIMAL DEFAULT DELETE DESC DISTINCT DROP ELSE EXCLUSIVE EXISTS FILE FLOAT FOR FROM "
    "GRANT GROUP HAVING IDENTIFIED IMMEDIATE IN INCREMENT INDEX INITIAL INSERT INTEGER INTERSECT INTO IS LEVEL "
    "LIKE LOCK LONG MAXEXTENTS MINUS MLSLABEL MODE MODIFY NOAUDIT NOCOMPRESS NOT NOWAIT NULL NUMBER OF OFFLINE "
    "ON ONLINE OPTION OR ORDER PCTFREE PRIOR PUBLIC RAW RENAME RESOURCE REVOKE ROW ROWID ROWNUM ROWS SELECT "
    "SESSION SET SHARE SIZE SMALLINT START SUCCESSFUL SYNONYM SYSDATE TABLE THEN TO TRIGGER UID UNION UNIQUE "
    "UPDATE USER VALIDATE VALUES VARCHAR VARCHAR2 VIEW WHENEVER WHERE WITH".split())
_SQL_WORDS: Final = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH"})


def parse(sql: str) -> Statement:
    """Parse one statement (a trailing ``;`` only ends PL/SQL blocks)."""
    parser = _Parser(sql)
    tokens = parser.tokens
    if tokens and tokens[0].kind is Kind.IDENT and tokens[0].value in _SQL_WORDS:
        for t in tokens:
            # an unquoted bind (``:name``, not ``:"name"``), upper-cased by the lexer
            if t.kind is Kind.BIND and t.value in _RESERVED_WORDS and sql[t.pos:t.end].rstrip()[-1:] != '"':
                raise errors.ora(1745, t.pos)
    return parser.statement()


class _Parser(DdlParser):
    # ---- statements ---------------------------------------------------------------------------
    def statement(self) -> Statement:
        t = self.tok
        if t.kind is Kind.OP and t.value == "(":
            raise errors.unsupported("parenthesised statement", t.pos)
        if t.kind is not Kind.IDENT:
            raise errors.invalid_sql(f"unexpected {t.describe()}", t.pos)
        word = t.value
        stmt: Statement
        if word == "SELECT":
            stmt = self.select()
        elif word == "INSERT":
            stmt = multi_insert(self) if self.peek().value in ("ALL", "FIRST") else self.insert()
        elif word == "MERGE":
            stmt = merge(self)
        elif word == "UPDATE":
            stmt = self.update()
        elif word == "DELETE":
            stmt = self.delete()
        elif word == "CREATE":
            stmt = self.create()
        elif word == "DROP":
            stmt = self.drop()
        elif word == "TRUNCATE":
            self.next()
            self.expect_kw("TABLE")
            stmt = Truncate(self.table_ref(alias=False))
        elif word in ("COMMIT", "ROLLBACK"):
            self.next()
            self.accept_kw("WORK")
            if word == "ROLLBACK" and self.accept_kw("TO"):
                self.accept_kw("SAVEPOINT")
                stmt = Rollback(self.ident("savepoint name"))
            else:
                stmt = Commit() if word == "COMMIT" else Rollback()
        elif word == "COMMENT":
            stmt = comment_on(self)
        elif word == "SAVEPOINT":
            self.next()
            stmt = Savepoint(self.ident("savepoint name"))
        elif word == "ALTER":
            stmt = self.alter()
        elif word in ("GRANT", "REVOKE"):
            stmt = grant(self)
        elif word in ("BEGIN", "DECLARE"):
            return self.plsql()
        else:
            raise errors.invalid_sql(
                f"{word} statements are not supported by the embedded server", t.pos
            )
        self.end()
        return stmt

    def table_ref(self, *, alias: bool = True) -> TableRef:
        pos = self.tok.pos
        first = self.ident("table name")
        schema: str | None = None
        name = first
        if self.accept_op("."):
            schema, name = first, self.ident("table name")
        if self.is_op("@"):
            raise errors.unsupported("database links", self.tok.pos)
        alias_name: str | None = None
        if alias and self.tok.kind in (Kind.IDENT, Kind.QIDENT) and not (
            self.tok.kind is Kind.IDENT and self.tok.value in RESERVED
        ):
            alias_name = self.ident()
        return TableRef(schema, name, alias_name, pos)

    def select(self, branch: bool = False) -> Select:
        """A query; ``branch``: one SELECT of a compound query (stop before a set operator / ORDER BY)."""
        self.descend()
        try:
            return self._select(branch)
        finally:
            self.depth -= 1

    def _select(self, branch: bool) -> Select:
        self.expect_kw("SELECT")
        distinct = self.accept_kw("DISTINCT")
        if not distinct:
            self.accept_kw("ALL")
        items = [self.select_item()]
        while self.accept_op(","):
            items.append(self.select_item())
        if len(items) > MAX_LIST:
            raise errors.ora(1792, maximum=MAX_LIST)
        if self.accept_kw("FROM"):
            table, joins = _pq.from_list(self)
        elif self.tok.kind is Kind.EOF or self.is_op(")") or self.is_kw(*_FROMLESS_END):
            table, joins = TableRef(None, "DUAL", None, self.tok.pos), ()  # 23ai: no FROM reads DUAL
        else:
            raise errors.ora(923, self.tok.pos)
        where = self.condition() if self.accept_kw("WHERE") else None
        connect_limit: Expr | None = None
        strict = False
        if self.is_kw("CONNECT"):
            cpos = self.next().pos
            self.expect_kw("BY")
            # over DUAL with no WHERE, ROWNUM counts the generated rows just as LEVEL does
            counter = ("LEVEL",) if where is not None else ("LEVEL", "ROWNUM")
            if not self.is_kw(*counter) or not (self.peek().kind is Kind.OP and self.peek().value in ("<=", "<")):
                raise errors.unsupported("CONNECT BY other than LEVEL <= n", cpos)
            self.next()
            strict = self.next().value == "<"
            connect_limit = self.expr()
            if not isinstance(table, TableRef) or table.name != "DUAL" or joins:
                raise errors.unsupported("CONNECT BY over a table other than DUAL", cpos)
        if self.is_kw("START"):
            raise errors.unsupported("START WITH", self.tok.pos)
        group: list[Expr] = []
        if self.accept_kw("GROUP"):
            self.expect_kw("BY")
            group.append(self.expr())
            while self.accept_op(","):
                group.append(self.expr())
        having = self.condition() if self.accept_kw("HAVING") else None
        if branch or self.is_kw("UNION", "INTERSECT", "MINUS", "EXCEPT"):
            core = Select(tuple(items), table, where, tuple(group), having, (), distinct, connect_limit, strict,
                          joins=joins)
            if branch:
                return core
            return compound(self, core)
        order, offset, fetch, for_update = self.select_tail()
        return Select(tuple(items), table, where, tuple(group), having, tuple(order), distinct, connect_limit,
                      strict, offset, fetch, for_update, joins)

    def select_tail(self) -> tuple[list[OrderItem], Expr | None, Expr | None, bool]:
        """ORDER BY, OFFSET / FETCH and FOR UPDATE of a query."""
        order: list[OrderItem] = []
        if self.accept_kw("ORDER"):
            self.expect_kw("BY")
            order.append(self.order_item())
            while self.accept_op(","):
                order.append(self.order_item())
        offset: Expr | None = None
        fetch: Expr | None = None
        if self.accept_kw("OFFSET"):
            offset = self.expr()
            if not self.accept_kw("ROWS"):
                self.expect_kw("ROW")
        if self.accept_kw("FETCH"):
            if not self.accept_kw("FIRST"):
                self.expect_kw("NEXT")
            fetch = self.expr()
            if self.is_kw("PERCENT"):
                raise errors.unsupported("FETCH ... PERCENT", self.tok.pos)
            if not self.accept_kw("ROWS"):
                self.expect_kw("ROW")
            if self.is_kw("WITH"):
                raise errors.unsupported("FETCH ... WITH TIES", self.tok.pos)
            self.expect_kw("ONLY")
        for_update = False
        if self.accept_kw("FOR"):
            self.expect_kw("UPDATE")
            for_update = True
            if self.is_kw("OF", "NOWAIT", "WAIT", "SKIP"):
                self.next()
                while self.tok.kind is not Kind.EOF:
                    self.next()
        return order, offset, fetch, for_update

    def select_item(self) -> SelectItem:
        if self.accept_op("*"):
            return SelectItem(None, None, "*")
        if self.tok.kind in (Kind.IDENT, Kind.QIDENT) and self.peek().kind is Kind.OP and self.peek().value == "." \
                and self.peek(2).kind is Kind.OP and self.peek(2).value == "*":
            table = self.ident()
            self.next()
            self.next()
            return SelectItem(None, None, "*", star_table=table)
        e = self.expr()
        alias: str | None = None
        if self.accept_kw("AS"):
            alias = self.ident("alias")
        elif self.tok.kind is Kind.QIDENT or (self.tok.kind is Kind.IDENT and self.tok.value not in RESERVED):
            alias = self.ident()
        if alias is not None:
            name = alias
        elif isinstance(e, Col):
            name = e.name
        elif isinstance(e, SeqRef):
            name = e.op  # Oracle's heading for seq.NEXTVAL is NEXTVAL
        else:
            name = re.sub(r"\s+", "", self.sql[e.start : e.end]).upper()[:128]
        return SelectItem(e, alias, name)

    def order_item(self) -> OrderItem:
        e = self.expr()
        desc = False
        if self.accept_kw("DESC"):
            desc = True
        else:
            self.accept_kw("ASC")
        nulls: bool | None = None
        if self.accept_kw("NULLS"):
            if self.accept_kw("FIRST"):
                nulls = True
            else:
                self.expect_kw("LAST")
                nulls = False
        return OrderItem(e, desc, nulls)

    def column_list(self) -> tuple[tuple[str, int], ...]:
        self.expect_op("(")
        cols = [(self.tok.pos, self.ident("column name"))]
        while self.accept_op(","):
            cols.append((self.tok.pos, self.ident("column name")))
        self.expect_op(")")
        return tuple((name, pos) for pos, name in cols)

    def insert(self) -> Insert:
        self.expect_kw("INSERT")
        if self.is_kw("ALL", "FIRST"):
            raise errors.unsupported("multi-table INSERT", self.tok.pos)
        self.expect_kw("INTO")
        table = self.table_ref()
        columns = self.column_list() if self.is_op("(") and not self.is_kw("SELECT") and not (
            self.peek().kind is Kind.IDENT and self.peek().value == "SELECT") else None
        if self.accept_kw("VALUES"):
            self.expect_op("(")
            values = [self.expr()]
            while self.accept_op(","):
                values.append(self.expr())
            self.expect_op(")")
            return Insert(table, columns, tuple(values), returning=self.returning())
        if self.is_kw("SELECT"):
            return Insert(table, columns, None, self.select())
        raise errors.ora(926, self.tok.pos)

    def returning(self) -> Returning | None:
        """``RETURN[ING] expr[, ...] INTO :b[, ...]`` (PL/SQL: variables too); as many
        targets as expressions (ORA-00913 / ORA-00947 otherwise, as for SELECT INTO)."""
        if not self.is_kw("RETURNING", "RETURN"):
            return None
        pos = self.next().pos
        exprs = [self.expr()]
        while self.accept_op(","):
            exprs.append(self.expr())
        bulk = self.is_kw("BULK")
        if bulk:
            if not self.in_plsql:
                raise errors.unsupported("RETURNING ... BULK COLLECT INTO outside PL/SQL", self.tok.pos)
            self.next()
            self.expect_kw("COLLECT")
        if not self.is_kw("INTO"):
            if self.tok.kind is Kind.EOF or self.is_op(";"):
                raise errors.ora(925, self.tok.pos)
            raise self.error_here("expected INTO")
        into_pos = self.next().pos
        targets = [self.returning_target()]
        while self.accept_op(","):
            targets.append(self.returning_target())
        if len(exprs) > len(targets):
            raise errors.ora(913, into_pos)
        if len(exprs) < len(targets):
            raise errors.ora(947, into_pos)
        return Returning(tuple(exprs), tuple(targets), pos, bulk)

    def returning_target(self) -> Expr:
        t = self.tok
        if t.kind is Kind.BIND:
            self.next()
            return Bind(t.pos, t.end, t.value)
        if t.kind is Kind.QIDENT or (t.kind is Kind.IDENT and t.value not in RESERVED):
            return self.primary()  # a variable, r.f, a(i), a(i).f (PL/SQL checks what it names)
        raise errors.missing_expression(t.pos) if t.kind in (Kind.EOF, Kind.OP) else \
            errors.invalid_sql(f"expected a bind variable, found {t.describe()}", t.pos)

    def update(self) -> Update:
        self.expect_kw("UPDATE")
        table = self.table_ref()
        self.expect_kw("SET")
        sets: list[tuple[str, int, Expr]] = []
        while True:
            pos = self.tok.pos
            if self.is_op("("):
                raise errors.unsupported("UPDATE SET (columns) = (subquery)", pos)
            name = self.ident("column name")
            if self.accept_op("."):
                name = self.ident("column name")
            if not self.accept_op("="):
                raise errors.ora(927, self.tok.pos)
            sets.append((name, pos, self.expr()))
            if not self.accept_op(","):
                break
        where = self.condition() if self.accept_kw("WHERE") else None
        return Update(table, tuple(sets), where, self.returning())

    def delete(self) -> Delete:
        self.expect_kw("DELETE")
        self.accept_kw("FROM")
        table = self.table_ref()
        where = self.condition() if self.accept_kw("WHERE") else None
        return Delete(table, where, self.returning())

    # ---- DDL ---------------------------------------------------------------------------------
    # ---- expressions --------------------------------------------------------------------------
    # Chains of one precedence level are read by loops into one flat node (Logic, Chain),
    # so only real nesting (parentheses, calls, subqueries) recurses, and that is counted
    # (ParserBase.descend): ORA-03095 beyond MAX_DEPTH, never a RecursionError.
    def condition(self) -> Expr:
        terms = [self.and_cond()]
        while self.accept_kw("OR"):
            terms.append(self.and_cond())
        return terms[0] if len(terms) == 1 else Logic(terms[0].start, terms[-1].end, "OR", tuple(terms))

    def and_cond(self) -> Expr:
        terms = [self.not_cond()]
        while self.accept_kw("AND"):
            terms.append(self.not_cond())
        return terms[0] if len(terms) == 1 else Logic(terms[0].start, terms[-1].end, "AND", tuple(terms))

    def not_cond(self) -> Expr:
        nots: list[int] = []
        while self.is_kw("NOT"):
            nots.append(self.next().pos)
        inner = _pq.exists(self) if self.is_kw("EXISTS") else self.predicate()
        if not nots:
            return inner
        # NOT NOT c is c in three-valued logic too: a run of NOTs is one NOT or none
        return Not(nots[0], inner.end, inner) if len(nots) % 2 else _reposition(inner, nots[0], inner.end)

    def predicate(self) -> Expr:
        left = self.expr()
        t = self.tok
        if t.kind is Kind.OP and t.value in _COMPARE:
            self.next()
            op = "<>" if t.value in ("!=", "^=") else t.value
            if self.is_kw("ANY", "SOME", "ALL"):
                return _pq.quantified(self, left, op)
            right = self.expr()
            if isinstance(left, _pq.RowValue) and op in ("=", "<>"):
                return _pq.row_compare(left, [right], op == "<>", right.end)
            return Compare(left.start, right.end, op, left, right)
        if self.accept_kw("IS"):
            negate = self.accept_kw("NOT")
            end = self.expect_kw("NULL").end
            return IsNull(left.start, end, left, negate)
        negate = self.accept_kw("NOT")
        if self.accept_kw("IN"):
            self.expect_op("(")
            if self.is_kw("SELECT"):
                return _pq.in_select(self, left, negate)
            items = [self.expr()]
            while self.accept_op(","):
                items.append(self.expr())
            end = self.expect_op(")").end
            if isinstance(left, _pq.RowValue):
                return _pq.row_compare(left, items, negate, end)
            if len(items) > MAX_LIST:
                raise errors.ora(1795, items[MAX_LIST].start, maximum=MAX_LIST)
            return InList(left.start, end, left, tuple(items), negate)
        if self.accept_kw("LIKE"):
            pattern = self.expr()
            escape = self.expr() if self.accept_kw("ESCAPE") else None
            return Like(left.start, (escape or pattern).end, left, pattern, escape, negate)
        if self.accept_kw("BETWEEN"):
            low = self.expr()
            self.expect_kw("AND")
            high = self.expr()
            return Between(left.start, high.end, left, low, high, negate)
        if negate:
            raise self.error_here("expected IN, LIKE or BETWEEN after NOT")
        return left

    def expr(self) -> Expr:
        self.descend()
        try:
            first = self.term()
            steps: list[tuple[str, Expr]] = []
            while self.is_op("+", "-", "||"):
                op = str(self.next().value)
                steps.append((op, self.term()))
        finally:
            self.depth -= 1
        return Chain(first.start, steps[-1][1].end, first, tuple(steps)) if steps else first

    def term(self) -> Expr:
        first = self.unary()
        steps: list[tuple[str, Expr]] = []
        while self.is_op("*", "/"):
            op = str(self.next().value)
            steps.append((op, self.unary()))
        return Chain(first.start, steps[-1][1].end, first, tuple(steps)) if steps else first

    def unary(self) -> Expr:
        signs: list[Token] = []
        while self.is_op("-", "+"):
            signs.append(self.next())
        operand = _fn.at_zone(self, self.primary())
        while self.is_op("**"):  # PL/SQL: binds tighter than the signs before it
            self.next()
            exponent = self.unary()
            operand = PlPower(operand.start, exponent.end, operand, exponent)
        minus = [t for t in signs if t.value == "-"]
        if not minus:
            return operand
        if isinstance(operand, Lit) and operand.type.t is T.NUMBER and isinstance(operand.value, bytes):
            value: bytes | None = operand.value
            if len(minus) % 2:
                d = num(value)
                value = out(None if d is None else CONTEXT.minus(d))
            return Lit(minus[0].pos, operand.end, value, operand.type)
        # - - x is x made a number: at most two levels, whatever the run of signs
        if len(minus) % 2 == 0:
            operand = Unary(minus[-1].pos, operand.end, "-", operand)
        return Unary(minus[0].pos, operand.end, "-", operand)

    def primary(self) -> Expr:
        t = self.tok
        if t.kind is Kind.NUMBER:
            self.next()
            if t.suffix:
                kind = T.BFLOAT if t.suffix == "f" else T.BDOUBLE
                return Lit(t.pos, t.end, float(t.value), SqlType(kind))
            try:
                value = Decimal(t.value)
            except InvalidOperation:
                raise errors.invalid_number() from None
            return Lit(t.pos, t.end, number_bytes(value), NUMBER)
        if t.kind is Kind.STRING:
            self.next()
            if not t.value:
                return Lit(t.pos, t.end, None, SqlType(T.CHAR, size=0))
            return Lit(t.pos, t.end, t.value, SqlType(T.CHAR, size=len(t.value.encode())))
        if t.kind is Kind.BIND:
            self.next()
            return Bind(t.pos, t.end, t.value)
        if t.kind is Kind.OP and t.value == "(":
            self.next()
            if self.is_kw("SELECT"):
                return _pq.subquery(self, t.pos)
            inner = self.condition()
            if self.is_op(","):
                return _pq.row_value(self, t.pos, inner)
            end = self.expect_op(")").end
            return _reposition(inner, t.pos, end)
        if t.kind is Kind.QIDENT:
            self.next()
            return self.column_tail(t)
        if t.kind is not Kind.IDENT:
            raise errors.missing_expression(t.pos) if t.kind in (Kind.EOF, Kind.OP) else \
                errors.invalid_sql(f"unexpected {t.describe()}", t.pos)
        word = t.value
        if word in RESERVED and word not in ("LEVEL",):
            raise errors.missing_expression(t.pos)
        self.next()
        if word == "NULL":
            return Lit(t.pos, t.end, None, NULLTYPE)
        if word in ("TRUE", "FALSE") and not self.is_op("("):
            return Lit(t.pos, t.end, 1 if word == "TRUE" else 0, SqlType(T.BOOLEAN))
        if word in ("DATE", "TIMESTAMP") and self.tok.kind is Kind.STRING:
            s = self.next()
            return _datetime_literal(word, t, s)
        if word == "INTERVAL" and self.tok.kind is Kind.STRING:
            return interval_literal(self, t, self.next())
        if word == "CASE":
            return self.case(t)
        if word == "EXTRACT" and _fn.at_extract(self):
            return _fn.extract(self, t)
        if word == "CAST" and self.is_op("("):
            self.next()
            operand = self.expr()
            self.expect_kw("AS")
            target = self.data_type()
            return Cast(t.pos, self.expect_op(")").end, operand, target)
        if self.is_op("("):
            return self.call(t, word)
        if word in _PSEUDO and not self.is_op("."):
            return Pseudo(t.pos, t.end, word)
        if self.in_plsql and self.is_op("%"):
            return self.pl_attribute(t)
        return self.column_tail(t)

    def column_tail(self, first: Token) -> Expr:
        if self.accept_op("."):
            second = self.tok
            name = self.ident("column name")
            if _pq.at_outer_mark(self):
                return _pq.outer_mark(self, Col(first.pos, second.end, name, first.value))
            if self.is_op("("):  # pkg.f(...), schema.f(...) (translate/plcalls.py), or a PL/SQL method a.exists(i)
                return self.call(first, f"{first.value}.{name}")
            if second.kind is Kind.IDENT and name in ("NEXTVAL", "CURRVAL"):
                return SeqRef(first.pos, second.end, None, first.value, name)
            if self.accept_op("."):
                third = self.tok
                name = self.ident("column name")
                if self.is_op("("):  # schema.pkg.f(...)
                    return self.call(first, f"{first.value}.{second.value}.{name}")
                if third.kind is Kind.IDENT and name in ("NEXTVAL", "CURRVAL"):
                    return SeqRef(first.pos, third.end, first.value, second.value, name)
                return _pq.outer_mark(self, Col(first.pos, third.end, name, second.value, first.value))
            return Col(first.pos, second.end, name, first.value)
        return _pq.outer_mark(self, Col(first.pos, first.end, first.value))

    def call(self, t: Token, name: str) -> Expr:
        self.expect_op("(")
        if self.is_op("*"):
            self.next()
            end = self.expect_op(")").end
            star = Func(t.pos, end, name, (), star=True)
            return _fn.over(self, star) if self.is_kw("OVER") else star
        distinct = self.accept_kw("DISTINCT")
        if not distinct:
            self.accept_kw("ALL")
        args: list[Expr] = []
        named: list[tuple[str, Expr]] = []
        if not self.is_op(")"):
            while True:
                if self.tok.kind is Kind.IDENT and self.peek().kind is Kind.OP and self.peek().value == "=>":
                    key = self.ident()
                    self.next()
                    named.append((key, self.expr()))
                elif named:
                    raise errors.ora(907, self.tok.pos)
                else:
                    args.append(self.expr())
                if not self.accept_op(","):
                    break
        spill = _fn.overflow(self) if name == "LISTAGG" else (False, None, True)
        end = self.expect_op(")").end
        result: Expr = Func(t.pos, end, name, tuple(args), distinct=distinct, named=tuple(named))
        if self.is_kw("WITHIN") and isinstance(result, Func):
            result = _fn.within_group(self, result, spill)
        if self.is_kw("OVER") and isinstance(result, Func):
            return _fn.over(self, result)
        # PL/SQL: a field or an element of what a call returns, a(i).f, f(x)(2)
        while self.is_op(".", "(") and not distinct:
            if self.accept_op("."):
                field = self.tok
                result = PlField(t.pos, field.end, result, self.ident("field name"))
            else:
                self.next()
                items = [self.expr()]
                while self.accept_op(","):
                    items.append(self.expr())
                result = PlIndexed(t.pos, self.expect_op(")").end, result, tuple(items))
        return result

    def case(self, t: Token) -> Expr:
        operand = None if self.is_kw("WHEN") else self.expr()
        whens: list[tuple[Expr, Expr]] = []
        while self.accept_kw("WHEN"):
            cond = self.condition() if operand is None else self.expr()
            self.expect_kw("THEN")
            whens.append((cond, self.expr()))
        if not whens:
            raise self.error_here("expected WHEN")
        default = self.expr() if self.accept_kw("ELSE") else None
        end = self.expect_kw("END").end
        return Case(t.pos, end, operand, tuple(whens), default)


def _reposition(e: Expr, start: int, end: int) -> Expr:
    """Give a parenthesised expression the span of its parentheses (for column names)."""
    return dataclasses.replace(e, start=start, end=end)


def _datetime_literal(word: str, kw: Token, s: Token) -> Lit:
    m = _TS_LIT.match(s.value)
    if m is None:
        raise errors.ora(1861, s.pos)
    y, mo, d, hh, mi, ss, frac, sign, tzh, tzm = m.groups()
    if word == "DATE" and hh is not None:
        raise errors.ora(1861, s.pos)
    try:
        value = _dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0),
                             int(((frac or "") + "000000")[:6]))
    except ValueError:
        raise errors.ora(1847, s.pos) \
            from None
    if word == "DATE":
        return Lit(kw.pos, s.end, date_text(value), SqlType(T.DATE))
    fsp = max(len(frac or ""), 0)
    if sign is not None:
        offset = _dt.timedelta(hours=int(tzh), minutes=int(tzm)) * (-1 if sign == "-" else 1)
        aware = value.replace(tzinfo=_dt.timezone(offset))
        return Lit(kw.pos, s.end, tz_text(aware), SqlType(T.TIMESTAMP_TZ, scale=max(fsp, 0)))
    return Lit(kw.pos, s.end, date_text(value), SqlType(T.TIMESTAMP, scale=min(fsp, 9)))
