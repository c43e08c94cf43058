"""DDL and session statements (split from parser.py; PL/SQL: parser_plsql.py).

Anything outside the subset raises an ORA-00900-family :class:`OraError` that
names the construct and its position; the parser never lets a Python exception out.
"""

from __future__ import annotations

import re

from .. import errors
from ..types.datatypes import NUMBER, SqlType, T
from ..types.longs import check_one_long
from .lexer import Kind
from .nodes import (
    AlterSession, ColumnSpec, ConstraintSpec, CreateTable, DropTable, Expr, IdentitySpec, KillSession, Statement,
)
from .parser_base import MAX_LIST
from .parser_dcl import alter_user, create_edition, drop_edition, create_role, create_synonym, create_user, drop_role, drop_synonym, drop_user
from .parser_index import create_index, drop_index
from .parser_interval import interval_type
from .parser_units import UnitsParser
from .parser_view import create_view, drop_view
from .parser_type import alter_type, create_type, drop_type, is_user_type_column, user_type_column_error
from .parser_seq import alter_sequence, create_sequence, drop_sequence, identity_clause

__all__ = ["DdlParser"]


class DdlParser(UnitsParser):
    """CREATE/DROP/TRUNCATE and ALTER SESSION/SYSTEM (blocks and routines: parser_plsql.py).

    Expressions and table references are parsed by the subclass (parser.py).
    """

    def check_clause(self, name: str | None, columns: tuple[str, ...]) -> ConstraintSpec:
        """``CHECK (condition)`` (after CHECK)."""
        self.expect_op("(")
        cond = self.condition()
        self.expect_op(")")
        return ConstraintSpec(name, "CHECK", columns, check=cond, check_text=self.sql[cond.start:cond.end])

    def create(self) -> Statement:
        self.expect_kw("CREATE")
        or_replace = self.is_kw("OR") and self.peek().kind is Kind.IDENT and self.peek().value == "REPLACE"
        if or_replace:
            self.i += 2
        if self.is_unit_kind():
            return self.create_unit(or_replace)
        if self.is_kw("VIEW", "FORCE", "NOFORCE"):
            return create_view(self, or_replace)
        if self.is_kw("TYPE") or (self.is_kw("EDITIONABLE", "NONEDITIONABLE") and self.peek().value == "TYPE"):
            return create_type(self, or_replace)
        if self.is_kw("SYNONYM", "PUBLIC", "EDITIONABLE", "NONEDITIONABLE") and (
                self.is_kw("SYNONYM") or self.peek().value in ("SYNONYM", "PUBLIC")):
            return create_synonym(self, or_replace)
        if self.is_kw("USER") and not or_replace:
            return create_user(self)
        if self.is_kw("ROLE") and not or_replace:
            return create_role(self)
        if self.is_kw("EDITION") and not or_replace:
            return create_edition(self)
        if or_replace:
            raise errors.unsupported(f"CREATE OR REPLACE {self.tok.value}", self.tok.pos)
        if self.accept_kw("SEQUENCE"):
            return create_sequence(self)
        if self.is_kw("INDEX") or (self.is_kw("UNIQUE") and self.peek().kind is Kind.IDENT
                                   and self.peek().value == "INDEX"):
            return create_index(self)
        if self.is_kw("GLOBAL", "PRIVATE", "OR", "SEQUENCE", "INDEX", "UNIQUE", "USER", "PACKAGE",
                      "TRIGGER", "TYPE", "SYNONYM", "PUBLIC"):
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
        if len(columns) > MAX_LIST:
            raise errors.ora(1792, maximum=MAX_LIST)
        check_one_long([(c.type, c.pos) for c in columns])
        return CreateTable(table, tuple(columns), tuple(constraints), if_not_exists)

    def table_constraint(self) -> ConstraintSpec:
        name = self.ident() if self.accept_kw("CONSTRAINT") else None
        pos = self.tok.pos
        if self.accept_kw("PRIMARY"):
            self.expect_kw("KEY")
            kind = "PRIMARY KEY"
        elif self.accept_kw("UNIQUE"):
            kind = "UNIQUE"
        elif self.accept_kw("CHECK"):
            return self.check_clause(name, ())
        elif self.accept_kw("FOREIGN"):
            self.expect_kw("KEY")
            own = tuple(c for c, _ in self.column_list())
            return self.references(name, own)
        else:
            raise errors.unsupported(f"{self.tok.value} constraints", pos)
        cols = self.column_list()
        return ConstraintSpec(name, kind, tuple(c for c, _ in cols))

    def references(self, name: str | None, columns: tuple[str, ...]) -> ConstraintSpec:
        """``REFERENCES [schema.]table [(cols)] [ON DELETE CASCADE | SET NULL]`` of a foreign key."""
        self.expect_kw("REFERENCES")
        parent = self.table_ref(alias=False)
        ref_cols = tuple(c for c, _ in self.column_list()) if self.is_op("(") else ()
        on_delete = "NO ACTION"
        if self.accept_kw("ON"):
            self.expect_kw("DELETE")
            if self.accept_kw("CASCADE"):
                on_delete = "CASCADE"
            else:
                self.expect_kw("SET")
                self.expect_kw("NULL")
                on_delete = "SET NULL"
        return ConstraintSpec(name, "FOREIGN KEY", columns, parent, ref_cols, on_delete)

    def column_spec(self, constraints: list[ConstraintSpec]) -> ColumnSpec:
        pos = self.tok.pos
        name = self.ident("column name")
        if is_user_type_column(self):
            raise user_type_column_error(self)
        sql_type = self.data_type()
        default: Expr | None = None
        default_text: str | None = None
        not_null = False
        identity: IdentitySpec | None = None
        while True:
            cname = self.ident() if self.accept_kw("CONSTRAINT") else None
            if self.accept_kw("DEFAULT"):
                if self.is_kw("ON"):
                    raise errors.unsupported("DEFAULT ON NULL", self.tok.pos)
                default = self.expr()
                default_text = self.sql[default.start:default.end]
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
            elif self.accept_kw("CHECK"):
                constraints.append(self.check_clause(cname, (name,)))
            elif self.is_kw("GENERATED") and identity is None:
                identity = identity_clause(self)
                not_null = True
            elif self.is_kw("GENERATED", "REFERENCES", "CHECK", "AS", "COLLATE", "INVISIBLE", "VIRTUAL"):
                raise errors.unsupported(f"column clause {self.tok.value}", self.tok.pos)
            elif cname is not None:
                raise self.error_here("expected a constraint after CONSTRAINT name")
            else:
                break
        return ColumnSpec(name, sql_type, default, not_null, pos, identity, default_text)

    def data_type(self) -> SqlType:
        pos = self.tok.pos
        word = self.ident("data type")
        def size(default: int | None) -> int:
            if self.accept_op("("):
                n = self.int_arg()
                self.accept_kw("BYTE") or self.accept_kw("CHAR")
                self.expect_op(")")
                return n
            if default is None:
                raise errors.ora(906, self.tok.pos)
            return default
        if word in ("NUMBER", "DECIMAL", "NUMERIC", "DEC"):
            if self.accept_op("("):
                p = self.int_arg()
                s = 0
                if self.accept_op(","):
                    neg = self.accept_op("-")
                    s = self.int_arg() * (-1 if neg else 1)
                self.expect_op(")")
                if p == -1:
                    return SqlType(T.NUMBER, precision=0 if s == 0 else 38, scale=-127 if s == 0 else s)
                if not 1 <= p <= 38:
                    raise errors.ora(1727, pos)
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
            return interval_type(self)
        if word == "TIMESTAMP":
            fsp = size(6)
            if self.accept_kw("WITH"):
                local = self.accept_kw("LOCAL")
                self.expect_kw("TIME")
                self.expect_kw("ZONE")
                return SqlType(T.TIMESTAMP_LTZ if local else T.TIMESTAMP_TZ, scale=fsp)
            return SqlType(T.TIMESTAMP, scale=fsp)
        if word == "LONG":
            return SqlType(T.LONG_RAW if self.accept_kw("RAW") else T.LONG)
        if word == "SYS" and self.accept_op("."):
            word = self.ident("data type")
            if word != "XMLTYPE":
                raise errors.unsupported(f"data type SYS.{word}", pos)
        simple = {"BINARY_FLOAT": T.BFLOAT, "BINARY_DOUBLE": T.BDOUBLE, "CLOB": T.CLOB, "NCLOB": T.NCLOB,
                  "BLOB": T.BLOB, "BOOLEAN": T.BOOLEAN, "ROWID": T.ROWID, "XMLTYPE": T.XMLTYPE}
        if word in simple:
            return SqlType(simple[word])
        raise errors.unsupported(f"data type {word}", pos)

    def drop(self) -> Statement:
        self.expect_kw("DROP")
        if self.is_unit_kind():
            return self.drop_unit()
        if self.accept_kw("SEQUENCE"):
            return drop_sequence(self)
        if self.accept_kw("INDEX"):
            return drop_index(self)
        if self.is_kw("VIEW"):
            return drop_view(self)
        if self.is_kw("TYPE"):
            return drop_type(self)
        if self.is_kw("SYNONYM", "PUBLIC"):
            return drop_synonym(self)
        if self.is_kw("USER"):
            return drop_user(self)
        if self.is_kw("ROLE"):
            return drop_role(self)
        if self.is_kw("EDITION"):
            return drop_edition(self)
        if not self.is_kw("TABLE"):
            raise errors.unsupported(f"DROP {self.tok.value}", self.tok.pos)
        self.next()
        if_exists = False
        if self.is_kw("IF"):
            self.next()
            self.expect_kw("EXISTS")
            if_exists = True
        table = self.table_ref(alias=False)
        cascade = False
        while self.is_kw("CASCADE", "CONSTRAINTS", "PURGE"):
            cascade = cascade or self.tok.value == "CASCADE"
            self.next()
        return DropTable(table, if_exists, cascade)

    def alter(self) -> Statement:
        self.expect_kw("ALTER")
        if self.is_unit_kind():
            return self.alter_unit()
        if self.accept_kw("SEQUENCE"):
            return alter_sequence(self)
        if self.is_kw("TYPE"):
            return alter_type(self)
        if self.is_kw("USER"):
            return alter_user(self)
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
            disconnect = False
            if self.accept_kw("KILL") or (disconnect := self.accept_kw("DISCONNECT")):
                self.expect_kw("SESSION")
                t = self.next()
                m = re.fullmatch(r"\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*@\d+\s*)?", t.value) if t.kind is Kind.STRING else None
                if m is None:
                    raise errors.ora(26, t.pos)
                immediate = disconnect
                while self.is_kw("IMMEDIATE", "POST_TRANSACTION", "NOREPLAY", "FORCE"):
                    immediate = immediate or self.next().value.upper() == "IMMEDIATE"
                return KillSession(int(m.group(1)), int(m.group(2)), immediate)
            raise errors.unsupported("ALTER SYSTEM other than KILL SESSION", pos)
        raise errors.unsupported(f"ALTER {self.tok.value}", self.tok.pos)
