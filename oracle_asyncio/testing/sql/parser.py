"""The Oracle subset -> nodes.py dataclasses.

Anything outside the subset raises an ORA-00900-family :class:`OraError` that
names the construct and its position; the parser never lets a Python exception out.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from . import errors
from .datatypes import NULLTYPE, NUMBER, SqlType, T, date_text, number_bytes, tz_text
from .lexer import Kind, Token, tokenize
from .nodes import (
    AlterSession, Between, Binary, Bind, Case, Col, ColumnSpec, Commit, Compare, ConstraintSpec, CreateTable,
    Delete, DropTable, Expr, Func, InList, Insert, IsNull, KillSession, Like, Lit, Logic, Not, OrderItem,
    PlAssign, PlBlock, PlNull, PlSleep, Pseudo, Rollback, Select, SelectItem, Statement, TableRef, Truncate,
    Unary, Update,
)

__all__ = ["parse"]

_PSEUDO: Final = frozenset(
    {"USER", "SYSDATE", "SYSTIMESTAMP", "LEVEL", "CURRENT_DATE", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP",
     "SESSIONTIMEZONE", "DBTIMEZONE", "ROWNUM", "UID"}
)
# Words that end a select item / table reference instead of being an alias.
_RESERVED: Final = frozenset(
    {"FROM", "WHERE", "ORDER", "GROUP", "HAVING", "CONNECT", "START", "UNION", "INTERSECT", "MINUS", "EXCEPT",
     "FETCH", "OFFSET", "FOR", "INTO", "VALUES", "SET", "AND", "OR", "NOT", "JOIN", "INNER", "LEFT", "RIGHT",
     "FULL", "CROSS", "NATURAL", "ON", "USING", "AS", "IS", "IN", "LIKE", "BETWEEN", "SELECT", "WITH",
     "RETURNING", "RETURN", "LIMIT", "MODEL", "PIVOT", "UNPIVOT", "PARTITION", "SAMPLE", "OUTER", "APPLY",
     "WINDOW"}
)
_COMPARE: Final = frozenset({"=", "<>", "!=", "^=", "<", ">", "<=", ">="})
_TS_LIT: Final = re.compile(r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?"
                            r"\s*(?:([+-])(\d{1,2}):(\d{2}))?\s*\Z")


def parse(sql: str) -> Statement:
    """Parse one statement (a trailing ``;`` only ends PL/SQL blocks)."""
    return _Parser(sql).statement()


class _Parser:
    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.tokens = tokenize(sql)
        self.i = 0

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
                raise errors.missing("missing right parenthesis", 907, self.tok.pos)
            if op == "(":
                raise errors.missing("missing left parenthesis", 906, self.tok.pos)
            if op == ",":
                raise errors.missing("missing comma", 917, self.tok.pos)
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
                raise errors.OraError(911, "ORA-00911: invalid character", t.pos)
            raise errors.not_ended(t.describe(), t.pos)

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
            stmt = self.insert()
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
            if word == "ROLLBACK" and self.is_kw("TO"):
                raise errors.unsupported("ROLLBACK TO SAVEPOINT", self.tok.pos)
            stmt = Commit() if word == "COMMIT" else Rollback()
        elif word == "ALTER":
            stmt = self.alter()
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
            self.tok.kind is Kind.IDENT and self.tok.value in _RESERVED
        ):
            alias_name = self.ident()
        return TableRef(schema, name, alias_name, pos)

    def select(self) -> Select:
        self.expect_kw("SELECT")
        distinct = self.accept_kw("DISTINCT")
        if not distinct:
            self.accept_kw("ALL")
        items = [self.select_item()]
        while self.accept_op(","):
            items.append(self.select_item())
        if not self.is_kw("FROM"):
            raise errors.missing("FROM keyword not found where expected", 923, self.tok.pos)
        self.next()
        table = self.table_ref()
        if self.is_op(",") or self.is_kw("JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL"):
            raise errors.unsupported("joins (more than one table in FROM)", self.tok.pos)
        where = self.condition() if self.accept_kw("WHERE") else None
        connect_limit: Expr | None = None
        strict = False
        if self.is_kw("CONNECT"):
            cpos = self.next().pos
            self.expect_kw("BY")
            if not self.is_kw("LEVEL") or not (self.peek().kind is Kind.OP and self.peek().value in ("<=", "<")):
                raise errors.unsupported("CONNECT BY other than LEVEL <= n", cpos)
            self.next()
            strict = self.next().value == "<"
            connect_limit = self.expr()
            if table.name != "DUAL":
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
        if self.is_kw("UNION", "INTERSECT", "MINUS", "EXCEPT"):
            raise errors.unsupported(f"set operator {self.tok.value}", self.tok.pos)
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
        return Select(tuple(items), table, where, tuple(group), having, tuple(order), distinct, connect_limit,
                      strict, offset, fetch, for_update)

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
        elif self.tok.kind is Kind.QIDENT or (self.tok.kind is Kind.IDENT and self.tok.value not in _RESERVED):
            alias = self.ident()
        if alias is not None:
            name = alias
        elif isinstance(e, Col):
            name = e.name
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
            self.returning()
            return Insert(table, columns, tuple(values))
        if self.is_kw("SELECT"):
            return Insert(table, columns, None, self.select())
        raise errors.missing("missing VALUES keyword", 926, self.tok.pos)

    def returning(self) -> None:
        if self.is_kw("RETURNING", "RETURN"):
            raise errors.unsupported("RETURNING ... INTO", self.tok.pos)

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
                raise errors.missing("missing equal sign", 927, self.tok.pos)
            sets.append((name, pos, self.expr()))
            if not self.accept_op(","):
                break
        where = self.condition() if self.accept_kw("WHERE") else None
        self.returning()
        return Update(table, tuple(sets), where)

    def delete(self) -> Delete:
        self.expect_kw("DELETE")
        self.accept_kw("FROM")
        table = self.table_ref()
        where = self.condition() if self.accept_kw("WHERE") else None
        self.returning()
        return Delete(table, where)

    # ---- DDL ---------------------------------------------------------------------------------
    def create(self) -> CreateTable:
        self.expect_kw("CREATE")
        if self.is_kw("GLOBAL", "PRIVATE", "OR", "VIEW", "SEQUENCE", "INDEX", "UNIQUE", "USER", "PROCEDURE",
                      "FUNCTION", "PACKAGE", "TRIGGER", "TYPE", "SYNONYM", "PUBLIC"):
            raise errors.unsupported(f"CREATE {self.tok.value}", self.tok.pos)
        self.expect_kw("TABLE")
        if_not_exists = False
        if self.is_kw("IF"):
            self.next()
            self.expect_kw("NOT")
            self.expect_kw("EXISTS")
            if_not_exists = True
        table = self.table_ref(alias=False)
        if self.is_kw("AS"):
            raise errors.unsupported("CREATE TABLE ... AS SELECT", self.tok.pos)
        self.expect_op("(")
        columns: list[ColumnSpec] = []
        constraints: list[ConstraintSpec] = []
        while True:
            if self.is_kw("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"):
                constraints.append(self.table_constraint())
            else:
                columns.append(self.column_spec(constraints))
            if not self.accept_op(","):
                break
        self.expect_op(")")
        while self.tok.kind is Kind.IDENT and self.tok.value in ("TABLESPACE", "LOGGING", "NOLOGGING", "COMPRESS",
                                                                  "NOCOMPRESS", "PCTFREE", "SEGMENT"):
            # physical attributes: accepted and ignored
            self.next()
            if self.tok.kind in (Kind.IDENT, Kind.NUMBER, Kind.QIDENT) and not self.is_kw(
                    "TABLESPACE", "LOGGING", "NOLOGGING", "COMPRESS", "NOCOMPRESS", "PCTFREE", "SEGMENT"):
                self.next()
        return CreateTable(table, tuple(columns), tuple(constraints), if_not_exists)

    def table_constraint(self) -> ConstraintSpec:
        name = self.ident() if self.accept_kw("CONSTRAINT") else None
        pos = self.tok.pos
        if self.accept_kw("PRIMARY"):
            self.expect_kw("KEY")
            kind = "PRIMARY KEY"
        elif self.accept_kw("UNIQUE"):
            kind = "UNIQUE"
        else:
            raise errors.unsupported(f"{self.tok.value} constraints", pos)
        cols = self.column_list()
        return ConstraintSpec(name, kind, tuple(c for c, _ in cols))

    def column_spec(self, constraints: list[ConstraintSpec]) -> ColumnSpec:
        pos = self.tok.pos
        name = self.ident("column name")
        sql_type = self.data_type()
        default: Expr | None = None
        not_null = False
        while True:
            cname = self.ident() if self.accept_kw("CONSTRAINT") else None
            if self.accept_kw("DEFAULT"):
                if self.is_kw("ON"):
                    raise errors.unsupported("DEFAULT ON NULL", self.tok.pos)
                default = self.expr()
            elif self.accept_kw("NOT"):
                self.expect_kw("NULL")
                not_null = True
            elif self.accept_kw("NULL"):
                pass
            elif self.accept_kw("PRIMARY"):
                self.expect_kw("KEY")
                constraints.append(ConstraintSpec(cname, "PRIMARY KEY", (name,)))
                not_null = True
            elif self.accept_kw("UNIQUE"):
                constraints.append(ConstraintSpec(cname, "UNIQUE", (name,)))
            elif self.is_kw("GENERATED", "REFERENCES", "CHECK", "AS", "COLLATE", "INVISIBLE", "VIRTUAL"):
                raise errors.unsupported(f"column clause {self.tok.value}", self.tok.pos)
            elif cname is not None:
                raise self.error_here("expected a constraint after CONSTRAINT name")
            else:
                break
        return ColumnSpec(name, sql_type, default, not_null, pos)

    def _int_arg(self) -> int:
        t = self.tok
        if t.kind is not Kind.NUMBER or not t.value.isdigit():
            if t.kind is Kind.OP and t.value == "*":
                self.next()
                return -1
            raise errors.invalid_sql(f"expected an integer, found {t.describe()}", t.pos)
        self.next()
        return int(t.value)

    def data_type(self) -> SqlType:
        pos = self.tok.pos
        word = self.ident("data type")
        def size(default: int | None) -> int:
            if self.accept_op("("):
                n = self._int_arg()
                self.accept_kw("BYTE") or self.accept_kw("CHAR")
                self.expect_op(")")
                return n
            if default is None:
                raise errors.missing("missing left parenthesis", 906, self.tok.pos)
            return default
        if word in ("NUMBER", "DECIMAL", "NUMERIC", "DEC"):
            if self.accept_op("("):
                p = self._int_arg()
                s = 0
                if self.accept_op(","):
                    neg = self.accept_op("-")
                    s = self._int_arg() * (-1 if neg else 1)
                self.expect_op(")")
                if p == -1:
                    return SqlType(T.NUMBER, precision=0 if s == 0 else 38, scale=-127 if s == 0 else s)
                if not 1 <= p <= 38:
                    raise errors.OraError(1727, "ORA-01727: numeric precision specifier is out of range (1 to 38)", pos)
                return SqlType(T.NUMBER, precision=p, scale=s)
            return NUMBER if word == "NUMBER" else SqlType(T.NUMBER, precision=38, scale=0)
        if word in ("INTEGER", "INT", "SMALLINT"):
            return SqlType(T.NUMBER, precision=38, scale=0)
        if word == "FLOAT":
            p = size(126)
            return SqlType(T.NUMBER, precision=p, scale=-127)
        if word == "REAL":
            return SqlType(T.NUMBER, precision=63, scale=-127)
        if word == "DOUBLE":
            self.expect_kw("PRECISION")
            return SqlType(T.NUMBER, precision=126, scale=-127)
        if word in ("VARCHAR2", "VARCHAR"):
            return SqlType(T.VARCHAR, size=size(None))
        if word == "NVARCHAR2":
            return SqlType(T.NVARCHAR, size=size(None))
        if word in ("CHAR", "CHARACTER"):
            if self.is_kw("VARYING"):
                self.next()
                return SqlType(T.VARCHAR, size=size(None))
            return SqlType(T.CHAR, size=size(1))
        if word == "NCHAR":
            return SqlType(T.NCHAR, size=size(1))
        if word == "RAW":
            return SqlType(T.RAW, size=size(None))
        if word == "DATE":
            return SqlType(T.DATE)
        if word == "INTERVAL":
            from .intervals import interval_type
            return interval_type(self)
        if word == "TIMESTAMP":
            fsp = size(6)
            if self.accept_kw("WITH"):
                if self.accept_kw("LOCAL"):
                    raise errors.unsupported("TIMESTAMP WITH LOCAL TIME ZONE", pos)
                self.expect_kw("TIME")
                self.expect_kw("ZONE")
                return SqlType(T.TIMESTAMP_TZ, scale=fsp)
            return SqlType(T.TIMESTAMP, scale=fsp)
        simple = {"BINARY_FLOAT": T.BFLOAT, "BINARY_DOUBLE": T.BDOUBLE, "CLOB": T.CLOB, "NCLOB": T.NCLOB,
                  "BLOB": T.BLOB, "BOOLEAN": T.BOOLEAN}
        if word in simple:
            return SqlType(simple[word])
        raise errors.unsupported(f"data type {word}", pos)

    def drop(self) -> DropTable:
        self.expect_kw("DROP")
        if not self.is_kw("TABLE"):
            raise errors.unsupported(f"DROP {self.tok.value}", self.tok.pos)
        self.next()
        if_exists = False
        if self.is_kw("IF"):
            self.next()
            self.expect_kw("EXISTS")
            if_exists = True
        table = self.table_ref(alias=False)
        while self.accept_kw("CASCADE", "CONSTRAINTS", "PURGE"):
            pass
        return DropTable(table, if_exists)

    def alter(self) -> AlterSession | KillSession:
        self.expect_kw("ALTER")
        if self.accept_kw("SESSION"):
            self.expect_kw("SET")
            settings: list[tuple[str, str]] = []
            while self.tok.kind is Kind.IDENT:
                key = self.next().value
                self.expect_op("=")
                t = self.next()
                value = t.value
                if t.kind is Kind.OP and t.value in ("+", "-") and self.peek(0).kind is Kind.NUMBER:
                    value += self.next().value
                settings.append((key, value))
            return AlterSession(tuple(settings))
        if self.accept_kw("SYSTEM"):
            pos = self.tok.pos
            if self.accept_kw("KILL") or self.accept_kw("DISCONNECT"):
                self.expect_kw("SESSION")
                t = self.next()
                m = re.fullmatch(r"\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*@\d+\s*)?", t.value) if t.kind is Kind.STRING else None
                if m is None:
                    raise errors.OraError(26, "ORA-00026: missing or invalid session ID", t.pos)
                while self.accept_kw("IMMEDIATE", "POST_TRANSACTION", "NOREPLAY", "FORCE"):
                    pass
                return KillSession(int(m.group(1)), int(m.group(2)))
            raise errors.unsupported("ALTER SYSTEM other than KILL SESSION", pos)
        raise errors.unsupported(f"ALTER {self.tok.value}", self.tok.pos)

    # ---- PL/SQL -------------------------------------------------------------------------------
    def plsql(self) -> PlBlock:
        start = self.tok
        if start.value == "DECLARE":
            raise errors.unsupported("PL/SQL DECLARE sections", start.pos)
        self.next()
        body: list[PlAssign | PlSleep | PlNull] = []
        while not self.is_kw("END", "EXCEPTION"):
            t = self.tok
            if t.kind is Kind.EOF:
                raise _pls(t.pos, self.sql, "PLS-00103: Encountered the symbol \"end-of-file\"")
            if self.accept_kw("NULL"):
                body.append(PlNull())
            elif t.kind is Kind.BIND:
                self.next()
                if not self.accept_op(":="):
                    raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")
                body.append(PlAssign(t.value, self.expr()))
            elif t.kind is Kind.IDENT and t.value in ("DBMS_SESSION", "DBMS_LOCK") and self.peek().value == "." \
                    and self.peek(2).value == "SLEEP":
                self.i += 3
                self.expect_op("(")
                body.append(PlSleep(self.expr()))
                self.expect_op(")")
            else:
                raise errors.unsupported(f"PL/SQL statement starting with {t.describe()}", t.pos)
            if not self.accept_op(";"):
                raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\" when "
                           "expecting one of the following: ;")
        if self.is_kw("EXCEPTION"):
            raise errors.unsupported("PL/SQL EXCEPTION sections", self.tok.pos)
        self.next()
        self.accept_op(";")
        if self.tok.kind is not Kind.EOF:
            raise _pls(self.tok.pos, self.sql, f"PLS-00103: Encountered the symbol \"{self.tok.value}\"")
        return PlBlock(tuple(body))

    # ---- expressions --------------------------------------------------------------------------
    def condition(self) -> Expr:
        left = self.and_cond()
        while self.accept_kw("OR"):
            right = self.and_cond()
            left = Logic(left.start, right.end, "OR", left, right)
        return left

    def and_cond(self) -> Expr:
        left = self.not_cond()
        while self.accept_kw("AND"):
            right = self.not_cond()
            left = Logic(left.start, right.end, "AND", left, right)
        return left

    def not_cond(self) -> Expr:
        if self.is_kw("NOT"):
            pos = self.next().pos
            inner = self.not_cond()
            return Not(pos, inner.end, inner)
        if self.is_kw("EXISTS"):
            raise errors.unsupported("EXISTS (subquery)", self.tok.pos)
        return self.predicate()

    def predicate(self) -> Expr:
        left = self.expr()
        t = self.tok
        if t.kind is Kind.OP and t.value in _COMPARE:
            self.next()
            if self.is_kw("ANY", "SOME", "ALL"):
                raise errors.unsupported(f"{self.tok.value} comparison", self.tok.pos)
            right = self.expr()
            op = "<>" if t.value in ("!=", "^=") else t.value
            return Compare(left.start, right.end, op, left, right)
        if self.accept_kw("IS"):
            negate = self.accept_kw("NOT")
            end = self.expect_kw("NULL").end
            return IsNull(left.start, end, left, negate)
        negate = self.accept_kw("NOT")
        if self.accept_kw("IN"):
            self.expect_op("(")
            if self.is_kw("SELECT"):
                raise errors.unsupported("IN (subquery)", self.tok.pos)
            items = [self.expr()]
            while self.accept_op(","):
                items.append(self.expr())
            end = self.expect_op(")").end
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
        left = self.term()
        while self.is_op("+", "-", "||"):
            op = self.next().value
            right = self.term()
            left = Binary(left.start, right.end, op, left, right)
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.is_op("*", "/"):
            op = self.next().value
            right = self.unary()
            left = Binary(left.start, right.end, op, left, right)
        return left

    def unary(self) -> Expr:
        if self.is_op("-", "+"):
            t = self.next()
            operand = self.unary()
            if t.value == "+":
                return operand
            if isinstance(operand, Lit) and operand.type.t is T.NUMBER and isinstance(operand.value, bytes):
                from .functions import CONTEXT, num, out

                value = num(operand.value)
                return Lit(t.pos, operand.end, out(None if value is None else CONTEXT.minus(value)), operand.type)
            return Unary(t.pos, operand.end, "-", operand)
        return self.primary()

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
                raise errors.unsupported("scalar subqueries", self.tok.pos)
            inner = self.condition()
            end = self.expect_op(")").end
            return _reposition(inner, t.pos, end)
        if t.kind is Kind.QIDENT:
            self.next()
            return self.column_tail(t)
        if t.kind is not Kind.IDENT:
            raise errors.missing_expression(t.pos) if t.kind in (Kind.EOF, Kind.OP) else \
                errors.invalid_sql(f"unexpected {t.describe()}", t.pos)
        word = t.value
        if word in _RESERVED and word not in ("LEVEL",):
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
            from .intervals import interval_literal
            return interval_literal(self, t, self.next())
        if word == "CASE":
            return self.case(t)
        if word == "CAST" and self.is_op("("):
            raise errors.unsupported("CAST", t.pos)
        if self.is_op("("):
            return self.call(t, word)
        if word in _PSEUDO and not self.is_op("."):
            return Pseudo(t.pos, t.end, word)
        return self.column_tail(t)

    def column_tail(self, first: Token) -> Expr:
        if self.accept_op("."):
            second = self.tok
            name = self.ident("column name")
            if self.is_op("("):
                raise errors.unsupported(f"package function {first.value}.{name}", first.pos)
            if second.kind is Kind.IDENT and name in ("NEXTVAL", "CURRVAL"):
                raise errors.unsupported("sequences", first.pos)
            if self.accept_op("."):
                third = self.tok
                name = self.ident("column name")
                return Col(first.pos, third.end, name, second.value)
            return Col(first.pos, second.end, name, first.value)
        return Col(first.pos, first.end, first.value)

    def call(self, t: Token, name: str) -> Expr:
        self.expect_op("(")
        if self.is_op("*"):
            self.next()
            end = self.expect_op(")").end
            return Func(t.pos, end, name, (), star=True)
        distinct = self.accept_kw("DISTINCT")
        if not distinct:
            self.accept_kw("ALL")
        args: list[Expr] = []
        if not self.is_op(")"):
            args.append(self.expr())
            while self.accept_op(","):
                args.append(self.expr())
        end = self.expect_op(")").end
        if self.is_kw("OVER"):
            raise errors.unsupported("analytic functions (OVER)", self.tok.pos)
        return Func(t.pos, end, name, tuple(args), distinct=distinct)

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
    import dataclasses
    return dataclasses.replace(e, start=start, end=end)


def _pls(pos: int, sql: str, text: str) -> errors.OraError:
    line = sql.count("\n", 0, pos) + 1
    column = pos - (sql.rfind("\n", 0, pos) + 1) + 1
    return errors.OraError(6550, f"ORA-06550: line {line}, column {column}:\n{text}", pos)


def _datetime_literal(word: str, kw: Token, s: Token) -> Lit:
    m = _TS_LIT.match(s.value)
    if m is None:
        raise errors.OraError(1861, "ORA-01861: literal does not match format string", s.pos)
    y, mo, d, hh, mi, ss, frac, sign, tzh, tzm = m.groups()
    if word == "DATE" and hh is not None:
        raise errors.OraError(1861, "ORA-01861: literal does not match format string", s.pos)
    try:
        value = _dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0),
                             int(((frac or "") + "000000")[:6]))
    except ValueError:
        raise errors.OraError(1847, "ORA-01847: day of month must be between 1 and last day of month", s.pos) \
            from None
    if word == "DATE":
        return Lit(kw.pos, s.end, date_text(value), SqlType(T.DATE))
    fsp = max(len(frac or ""), 0)
    if sign is not None:
        offset = _dt.timedelta(hours=int(tzh), minutes=int(tzm)) * (-1 if sign == "-" else 1)
        aware = value.replace(tzinfo=_dt.timezone(offset))
        return Lit(kw.pos, s.end, tz_text(aware), SqlType(T.TIMESTAMP_TZ, scale=max(fsp, 0)))
    return Lit(kw.pos, s.end, date_text(value), SqlType(T.TIMESTAMP, scale=min(fsp, 9)))
