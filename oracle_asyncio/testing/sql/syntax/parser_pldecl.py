"""PL/SQL declaration sections: variables and constants, types (records,
collections, subtypes), exceptions and pragmas, local procedures and functions.

Entry points: :meth:`PlDeclParser.pl_declarations` (a declaration section, up
to BEGIN or END), :meth:`PlDeclParser.pl_type_ref` (a type as written) and
:meth:`PlDeclParser.pl_param` (one formal parameter).  The statements of a
subprogram's body come from the subclass (:meth:`pl_body_block`, parser_plstmt.py).
"""

from __future__ import annotations

from typing import Final

from .. import errors
from ..errors import pls_error
from ..types.datatypes import SqlType, T
from .lexer import Kind
from .nodes import Expr, PlParam, TypeRef
from .parser_base import ParserBase
from .plnodes import (
    AutonomousPragma, CollectionTypeDecl, Decl, ExceptionDecl, ExceptionInit, FieldDecl, PlBlockStmt, RecordTypeDecl,
    RefCursorTypeDecl, SubprogramDecl, SubtypeDecl, VarDecl,
)

__all__ = ["PlDeclParser", "PL_TYPES"]

_INT = SqlType(T.NUMBER, precision=38, scale=0)
#: PL/SQL-only scalar type names.
PL_TYPES: Final[dict[str, SqlType]] = {
    "PLS_INTEGER": _INT, "BINARY_INTEGER": _INT, "NATURAL": _INT, "NATURALN": _INT, "POSITIVE": _INT,
    "POSITIVEN": _INT, "SIGNTYPE": _INT, "SIMPLE_INTEGER": _INT,
}
# Type names a parameter or variable may leave unsized.
_UNSIZED: Final = {"VARCHAR2": T.VARCHAR, "VARCHAR": T.VARCHAR, "NVARCHAR2": T.NVARCHAR, "RAW": T.RAW,
                   "STRING": T.VARCHAR}
_BUILT_IN: Final = frozenset({
    "NUMBER", "DECIMAL", "NUMERIC", "DEC", "INTEGER", "INT", "SMALLINT", "FLOAT", "REAL", "DOUBLE", "VARCHAR2",
    "VARCHAR", "NVARCHAR2", "CHAR", "CHARACTER", "NCHAR", "RAW", "DATE", "INTERVAL", "TIMESTAMP", "BINARY_FLOAT",
    "BINARY_DOUBLE", "CLOB", "NCLOB", "BLOB", "BOOLEAN", "ROWID",
})
_PL_MAX_STRING = 32767
# Words that start a declaration other than a variable's.
_NOT_VARIABLES: Final = frozenset({"TYPE", "SUBTYPE", "PRAGMA", "PROCEDURE", "FUNCTION", "CURSOR"})


class PlDeclParser(ParserBase):
    """Declarations; expressions come from the full parser, statements from parser_plstmt.py."""

    def pl_body_block(self, pos: int, label: str | None = None) -> PlBlockStmt:
        """Hook: ``BEGIN ... [EXCEPTION ...] END`` after a declaration section (parser_plstmt.py)."""
        raise NotImplementedError

    def pl_cursor_declaration(self, pos: int) -> Decl:
        """Hook: after CURSOR in a declaration section, up to and including its ``;``."""
        raise errors.unsupported("PL/SQL cursor declarations", pos)

    def pl_expr(self) -> Expr:
        """A PL/SQL expression: SQL's conditions are values too (BOOLEAN)."""
        return self.condition()

    def pls(self, pos: int, message: str) -> errors.OraError:
        """ORA-06550 at ``pos`` with the PLS ``message``."""
        return pls_error(pos, self.sql, message)

    def pls_expecting(self, expected: str) -> errors.OraError:
        t = self.tok
        found = "end-of-file" if t.kind is Kind.EOF else t.value
        return self.pls(t.pos, f"PLS-00103: Encountered the symbol \"{found}\" when expecting one of the "
                               f"following: {expected}")

    def pl_semicolon(self) -> None:
        if not self.accept_op(";"):
            raise self.pls_expecting(";")

    # ---- declaration sections -----------------------------------------------------------------
    def pl_declarations(self) -> tuple[Decl, ...]:
        """Declarations up to (not including) BEGIN or END."""
        decls: list[Decl] = []
        while not self.is_kw("BEGIN", "END"):
            if self.tok.kind is Kind.EOF:
                raise self.pls_expecting("begin end")
            decls.append(self.pl_declaration())
        return tuple(decls)

    def pl_declaration(self) -> Decl:
        t = self.tok
        if t.kind is Kind.IDENT and t.value in _NOT_VARIABLES:
            self.next()
            if t.value in ("PROCEDURE", "FUNCTION"):
                return self.pl_subprogram(t.value, t.pos)
            if t.value == "TYPE":
                return self._type_decl(t.pos)
            if t.value == "SUBTYPE":
                name = self.ident("subtype name")
                self.expect_kw("IS")
                typ = self.pl_type_ref()
                not_null = self._not_null()
                self.pl_semicolon()
                return SubtypeDecl(name, typ, not_null, t.pos)
            if t.value == "PRAGMA":
                return self._pragma(t.pos)
            return self.pl_cursor_declaration(t.pos)
        name = self.ident("variable name")
        if self.accept_kw("EXCEPTION"):
            self.pl_semicolon()
            return ExceptionDecl(name, t.pos)
        constant = self.accept_kw("CONSTANT")
        typ = self.pl_type_ref()
        not_null = self._not_null()
        default = self._default()
        if default is None and constant:
            raise self.pls(t.pos, f"PLS-00322: declaration of a constant '{name}' must contain an initialization "
                                  "assignment")
        if default is None and not_null:
            raise self.pls(t.pos, "PLS-00218: a variable declared NOT NULL must have an initialization assignment")
        self.pl_semicolon()
        return VarDecl(name, typ, constant, not_null, default, t.pos)

    def _not_null(self) -> bool:
        if self.accept_kw("NOT"):
            self.expect_kw("NULL")
            return True
        return False

    def _default(self) -> Expr | None:
        return self.pl_expr() if self.accept_op(":=") or self.accept_kw("DEFAULT") else None

    def _type_decl(self, pos: int) -> Decl:
        name = self.ident("type name")
        self.expect_kw("IS")
        if self.accept_kw("RECORD"):
            self.expect_op("(")
            fields: list[FieldDecl] = []
            while True:
                fpos = self.tok.pos
                fname = self.ident("field name")
                ftype = self.pl_type_ref()
                not_null = self._not_null()
                default = self._default()
                if not_null and default is None:
                    raise self.pls(fpos, "PLS-00218: a variable declared NOT NULL must have an initialization "
                                         "assignment")
                if any(f.name == fname for f in fields):
                    raise self.pls(fpos, "PLS-00410: duplicate fields in RECORD,TABLE or argument list are not "
                                         "permitted")
                fields.append(FieldDecl(fname, ftype, not_null, default))
                if not self.accept_op(","):
                    break
            self.expect_op(")")
            self.pl_semicolon()
            return RecordTypeDecl(name, tuple(fields), pos)
        if self.accept_kw("VARRAY") or (self.accept_kw("VARYING") and self.expect_kw("ARRAY") is not None):
            self.expect_op("(")
            limit = self.int_arg()
            self.expect_op(")")
            self.expect_kw("OF")
            element = self.pl_type_ref()
            not_null = self._not_null()
            self.pl_semicolon()
            return CollectionTypeDecl(name, "VARRAY", element, None, limit, pos, not_null)
        if self.accept_kw("TABLE"):
            self.expect_kw("OF")
            element = self.pl_type_ref()
            not_null = self._not_null()
            index: SqlType | None = None
            if self.accept_kw("INDEX"):
                self.expect_kw("BY")
                ipos = self.tok.pos
                index_ref = self.pl_type_ref()
                index = index_ref.sql
                if index is None or not (index.is_char or index.t is T.NUMBER):
                    raise self.pls(ipos, "PLS-00315: Implementation restriction: unsupported table index type")
            self.pl_semicolon()
            return CollectionTypeDecl(name, "NESTED" if index is None else "ASSOC", element, index, None, pos,
                                      not_null)
        if self.accept_kw("REF"):
            self.expect_kw("CURSOR")
            returns = self.pl_type_ref() if self.accept_kw("RETURN") else None
            self.pl_semicolon()
            return RefCursorTypeDecl(name, returns, pos)
        raise errors.unsupported(f"PL/SQL TYPE {name} IS {self.tok.value}", self.tok.pos)

    def _pragma(self, pos: int) -> Decl:
        word = self.ident("pragma")
        if word == "AUTONOMOUS_TRANSACTION":
            self.pl_semicolon()
            return AutonomousPragma(pos)
        if word == "EXCEPTION_INIT":
            self.expect_op("(")
            name = self.ident("exception name")
            self.expect_op(",")
            negative = self.accept_op("-")
            code = self.int_arg() * (-1 if negative else 1)
            self.expect_op(")")
            self.pl_semicolon()
            if code != 100 and not -1000000 < code < 0 or code in (-1403, ):
                raise self.pls(pos, f"PLS-00701: illegal ORACLE error number {code} for PRAGMA EXCEPTION_INIT")
            return ExceptionInit(name, code, pos)
        raise errors.unsupported(f"PRAGMA {word}", pos)

    # ---- types --------------------------------------------------------------------------------
    def pl_type_ref(self) -> TypeRef:
        """A type as written: built-in, PL/SQL-only, declared (dotted), or ``x%TYPE`` / ``t%ROWTYPE``."""
        t = self.tok
        if t.kind not in (Kind.IDENT, Kind.QIDENT):
            raise self.pls_expecting("a type name")
        if t.kind is Kind.IDENT and t.value in PL_TYPES:
            self.next()
            return TypeRef(PL_TYPES[t.value], pos=t.pos)
        if t.kind is Kind.IDENT and t.value in _UNSIZED and not self._peek_op(1, "("):
            self.next()
            return TypeRef(SqlType(_UNSIZED[t.value], size=_PL_MAX_STRING), pos=t.pos)
        if t.kind is Kind.IDENT and t.value == "STRING":
            self.next()
            self.expect_op("(")
            size = self.int_arg()
            self.expect_op(")")
            return TypeRef(SqlType(T.VARCHAR, size=size), pos=t.pos)
        if t.kind is Kind.IDENT and t.value in _BUILT_IN and not self._peek_op(1, "%", "."):
            typ = self.data_type()
            if typ.t is T.NUMBER and typ.precision == 0 and self.is_kw("PRECISION"):
                self.next()
            return TypeRef(typ, pos=t.pos)
        name = self.ident("type name")
        while self.accept_op("."):
            name += "." + self.ident("type name")
        if self.accept_op("%"):
            anchor = self.ident("TYPE or ROWTYPE")
            if anchor not in ("TYPE", "ROWTYPE"):
                raise self.pls(t.pos, f"PLS-00208: identifier '{anchor}' is not a legal cursor attribute")
            return TypeRef(None, name, anchor, t.pos)
        return TypeRef(None, name, None, t.pos)

    def _peek_op(self, k: int, *ops: str) -> bool:
        tok = self.peek(k)
        return tok.kind is Kind.OP and tok.value in ops

    def pl_param(self) -> PlParam:
        """``name [IN | OUT | IN OUT] [NOCOPY] type [:= | DEFAULT expr]``."""
        name = self.ident("parameter name")
        mode = "IN"
        if self.accept_kw("IN"):
            mode = "IN OUT" if self.accept_kw("OUT") else "IN"
        elif self.accept_kw("OUT"):
            mode = "OUT"
        self.accept_kw("NOCOPY")
        ref = self.pl_type_ref()
        default = self.pl_expr() if self.accept_op(":=") or self.accept_kw("DEFAULT") else None
        if default is not None and mode != "IN":
            raise self.pls(default.start, "PLS-00230: OUT and IN OUT formal parameters may not have default "
                                          "expressions")
        placeholder = ref.sql or SqlType(T.VARCHAR, size=_PL_MAX_STRING)
        return PlParam(name, mode, placeholder, default, None if ref.sql is not None else ref)

    def pl_params(self) -> tuple[PlParam, ...]:
        params: list[PlParam] = []
        if self.accept_op("("):
            while True:
                pos = self.tok.pos
                p = self.pl_param()
                if any(q.name == p.name for q in params):
                    raise self.pls(pos, f"PLS-00410: duplicate fields in RECORD,TABLE or argument list are not "
                                        f"permitted ({p.name})")
                params.append(p)
                if not self.accept_op(","):
                    break
            self.expect_op(")")
        return tuple(params)

    def pl_return_type(self) -> TypeRef:
        self.expect_kw("RETURN")
        ref = self.pl_type_ref()
        # Options that change nothing here.
        while self.accept_kw("DETERMINISTIC", "PIPELINED", "PARALLEL_ENABLE", "RESULT_CACHE"):
            pass
        return ref

    def pl_subprogram(self, kind: str, pos: int) -> SubprogramDecl:
        """After PROCEDURE / FUNCTION in a declaration section."""
        name = self.ident("subprogram name")
        params = self.pl_params()
        returns = self.pl_return_type() if kind == "FUNCTION" else None
        if self.accept_op(";"):
            return SubprogramDecl(name, params, returns, None, pos)
        if not (self.accept_kw("IS") or self.accept_kw("AS")):
            raise self.pls_expecting("; is as")
        decls = self.pl_declarations()
        block = self.pl_body_block(pos)
        block = PlBlockStmt(decls, block.body, block.handlers, pos)
        if self.tok.kind in (Kind.IDENT, Kind.QIDENT) and self.tok.value == name:
            self.next()
        self.pl_semicolon()
        return SubprogramDecl(name, params, returns, block, pos)
