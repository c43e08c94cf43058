"""CREATE [OR REPLACE] TYPE / TYPE BODY, DROP TYPE and ALTER TYPE ... ADD ATTRIBUTE
(nodes_type.py; what they create: catalog/objtypes.py).

Type names are not looked up here: a reference to a user-defined type (``udt_Sub``,
``scott.udt_Sub``, ``sys.xmltype``) stays a :class:`TypeSpec` without ``sql`` and is resolved
when the statement runs, where an unknown one makes the type INVALID (PLS-00201), as in Oracle.
"""

from __future__ import annotations

from typing import Final

from .. import errors
from ..types.datatypes import SqlType, T
from .lexer import Kind
from .nodes_type import AlterType, BodyMethod, CreateType, CreateTypeBody, DropType, MethodSpec, TypeAttrSpec, TypeSpec
from .parser_base import MAX_LIST, ParserBase
from .parser_plsql import PlsqlParser
from .nodes import PlParam
from .plnodes import PlBlockStmt, SubprogramDecl

__all__ = ["alter_type", "create_type", "drop_type", "is_user_type_column"]

#: Built-in scalar type words -> the name the type dictionary shows (ALL_TYPE_ATTRS.ATTR_TYPE_NAME);
#: their sizes and precisions are read by the parser's data_type().
_SCALARS: Final = {
    "NUMBER": "NUMBER", "NUMERIC": "NUMBER", "DECIMAL": "DECIMAL", "DEC": "DECIMAL", "INTEGER": "INTEGER",
    "INT": "INTEGER", "SMALLINT": "SMALLINT", "FLOAT": "FLOAT", "REAL": "REAL", "DOUBLE": "DOUBLE PRECISION",
    "VARCHAR2": "VARCHAR2", "VARCHAR": "VARCHAR2", "NVARCHAR2": "NVARCHAR2", "CHAR": "CHAR", "CHARACTER": "CHAR",
    "NCHAR": "NCHAR", "RAW": "RAW", "DATE": "DATE", "CLOB": "CLOB", "NCLOB": "NCLOB", "BLOB": "BLOB",
    "BINARY_FLOAT": "BINARY_FLOAT", "BINARY_DOUBLE": "BINARY_DOUBLE", "BOOLEAN": "BOOLEAN", "ROWID": "ROWID",
}
#: The types a method's signature may name without a length (PL/SQL's maximum applies).
_UNSIZED: Final = {"VARCHAR2": T.VARCHAR, "VARCHAR": T.VARCHAR, "NVARCHAR2": T.NVARCHAR, "RAW": T.RAW,
                   "CHAR": T.CHAR, "NCHAR": T.NCHAR}
#: PL/SQL-only scalars a method's parameters may use.
_PL_SCALARS: Final = {"PLS_INTEGER", "BINARY_INTEGER", "NATURAL", "POSITIVE", "SIMPLE_INTEGER"}
#: Oracle's own column types that the embedded server lacks (data_type() names them ORA-00900);
#: any other unknown word in a column definition is a user-defined type.
_OTHER_BUILTINS: Final = frozenset({"LONG", "BFILE", "UROWID", "JSON", "VECTOR", "XMLTYPE", "NATIONAL", "MLSLABEL",
                                    "SYS_REFCURSOR", "INTERVAL", "TIMESTAMP"})
_MODIFIERS: Final = ("NOT", "FINAL", "INSTANTIABLE", "OVERRIDING", "MAP", "ORDER", "MEMBER", "STATIC", "CONSTRUCTOR")


def _pls(p: ParserBase, message: str) -> errors.OraError:
    return errors.pls_error(p.tok.pos, p.sql, message)


def _qualified(p: ParserBase, what: str) -> tuple[str | None, str]:
    first = p.ident(what)
    if p.accept_op("."):
        return first, p.ident(what)
    return None, first


def type_spec(p: ParserBase, *, unsized: bool = False) -> TypeSpec:
    """A built-in scalar with its size, or a ``[schema.]name`` reference to a user-defined type;
    ``unsized``: a method's parameter or result, where character types take no length."""
    t = p.tok
    if unsized and t.kind is Kind.IDENT and t.value in _UNSIZED and not p.peek().value == "(":
        p.next()
        return TypeSpec(_SCALARS[t.value], None, SqlType(_UNSIZED[t.value], size=32767), t.pos)
    if t.kind is Kind.IDENT and t.value == "TIMESTAMP":
        return _timestamp(p)
    if t.kind is Kind.IDENT and t.value == "INTERVAL":
        sql = p.data_type()
        return TypeSpec(sql.t.value, None, sql, t.pos)
    if t.kind is Kind.IDENT and t.value in _SCALARS:
        sql = p.data_type()
        return TypeSpec(_SCALARS[t.value], None, sql, t.pos)
    if t.kind is Kind.IDENT and t.value in _PL_SCALARS:
        p.next()
        return TypeSpec(t.value, None, SqlType(T.NUMBER, precision=38), t.pos)
    if t.kind is Kind.IDENT and t.value == "REF":
        raise errors.unsupported("REF attributes", t.pos)
    owner, name = _qualified(p, "type name")
    if p.is_op("%"):
        raise errors.unsupported("%TYPE / %ROWTYPE anchors", p.tok.pos)
    written = name if owner is None else f"{owner}.{name}"
    return TypeSpec(name, owner, None, t.pos, written)


def _timestamp(p: ParserBase) -> TypeSpec:
    pos = p.next().pos
    fsp = 6
    if p.accept_op("("):
        fsp = p.int_arg()
        p.expect_op(")")
        if not 0 <= fsp <= 9:
            raise errors.ora(30088, pos)
    if not p.accept_kw("WITH"):
        return TypeSpec("TIMESTAMP", None, SqlType(T.TIMESTAMP, scale=fsp), pos)
    local = p.accept_kw("LOCAL")
    p.expect_kw("TIME")
    p.expect_kw("ZONE")
    if local:
        return TypeSpec("TIMESTAMP WITH LOCAL TZ", None, SqlType(T.TIMESTAMP_LTZ, scale=fsp), pos)
    return TypeSpec("TIMESTAMP WITH TZ", None, SqlType(T.TIMESTAMP_TZ, scale=fsp), pos)


def is_user_type_column(p: ParserBase) -> bool:
    """A column definition's type (at the current token) names a user-defined type rather than a
    built-in one: CREATE TABLE turns that into ORA-00902 naming it (object columns come later)."""
    t = p.tok
    if t.kind is Kind.QIDENT:
        return True
    if t.kind is not Kind.IDENT:
        return False
    if p.peek().kind is Kind.OP and p.peek().value == ".":
        return (t.value, p.peek(2).value) != ("SYS", "XMLTYPE")
    return t.value not in _SCALARS and t.value not in _OTHER_BUILTINS and t.value not in _PL_SCALARS


def user_type_column_error(p: ParserBase) -> errors.OraError:
    """ORA-00902 for a column of a user-defined type, naming the type."""
    pos = p.tok.pos
    owner, name = _qualified(p, "type name")
    written = name if owner is None else f"{owner}.{name}"
    return errors.ora(902, pos, note=f"columns of user-defined types ({written}) are not supported by the "
                                     "embedded server")


def create_type(p: PlsqlParser, replace: bool) -> CreateType | CreateTypeBody:
    """After ``CREATE [OR REPLACE]``, at TYPE."""
    p.accept_kw("EDITIONABLE", "NONEDITIONABLE")
    start = p.expect_kw("TYPE").pos
    if p.accept_kw("BODY"):
        return _type_body(p, replace, start)
    pos = p.tok.pos
    schema, name = _qualified(p, "type name")
    force = p.accept_kw("FORCE")
    if p.accept_op(";") or p.tok.kind is Kind.EOF:
        return CreateType(schema, name, replace, force, "INCOMPLETE", pos=pos, source=_source(p, start),
                          start=start)
    authid = "DEFINER"
    while p.is_kw("AUTHID", "ACCESSIBLE", "SHARING", "DEFAULT"):
        if p.is_kw("AUTHID"):
            authid = p.pl_authid()
        else:
            _skip_clause(p)
    supertype: TypeSpec | None = None
    if p.accept_kw("UNDER"):
        supertype = type_spec(p)
        attrs, methods = _members(p)
        return _object(p, CreateType(schema, name, replace, force, "OBJECT", attrs, methods, supertype=supertype,
                                     pos=pos, authid=authid), start)
    if not (p.accept_kw("AS") or p.accept_kw("IS")):
        raise _pls(p, f'PLS-00103: Encountered the symbol "{p.tok.value}" when expecting one of the following: '
                      "as is under")
    if p.accept_kw("OBJECT"):
        attrs, methods = _members(p)
        return _object(p, CreateType(schema, name, replace, force, "OBJECT", attrs, methods, pos=pos,
                                     authid=authid), start)
    kind = "TABLE"
    bound: int | None = None
    if p.accept_kw("VARRAY") or (p.accept_kw("VARYING") and p.expect_kw("ARRAY") is not None):
        kind = "VARRAY"
        p.expect_op("(")
        bound = p.int_arg()
        p.expect_op(")")
        if bound < 1:
            raise _pls(p, "PLS-00537: A VARRAY must have at least one element")
    elif not p.accept_kw("TABLE"):
        raise _pls(p, f'PLS-00103: Encountered the symbol "{p.tok.value}" when expecting one of the following: '
                      "object table varray varying")
    p.expect_kw("OF")
    element = type_spec(p)
    if p.is_kw("INDEX"):
        raise _pls(p, "PLS-00355: use of pl/sql table not allowed in this context")
    if p.accept_kw("NOT"):
        p.expect_kw("NULL")
    final, instantiable = _modifiers(p)
    _finish(p)
    return CreateType(schema, name, replace, force, kind, element=element, upper_bound=bound, final=final,
                      instantiable=instantiable, pos=pos, source=_source(p, start), start=start, authid=authid)


def _object(p: ParserBase, stmt: CreateType, start: int) -> CreateType:
    final, instantiable = _modifiers(p)
    _finish(p)
    return CreateType(stmt.schema, stmt.name, stmt.replace, stmt.force, stmt.kind, stmt.attributes, stmt.methods,
                      final=final, instantiable=instantiable, supertype=stmt.supertype, pos=stmt.pos,
                      source=_source(p, start), start=start, authid=stmt.authid)


def _modifiers(p: ParserBase) -> tuple[bool, bool]:
    """``[NOT] FINAL``, ``[NOT] INSTANTIABLE``, ``[NOT] PERSISTABLE`` after the type's body."""
    final, instantiable = True, True
    while p.is_kw("NOT", "FINAL", "INSTANTIABLE", "PERSISTABLE"):
        negated = p.accept_kw("NOT")
        word = p.next().value
        if word == "FINAL":
            final = not negated
        elif word == "INSTANTIABLE":
            instantiable = not negated
    return final, instantiable


def _finish(p: ParserBase) -> None:
    p.accept_op(";")  # a PL/SQL unit's text may end with its semicolon


def _source(p: ParserBase, start: int) -> str:
    return p.sql[start:].rstrip()


def _skip_clause(p: ParserBase) -> None:
    """AUTHID CURRENT_USER | DEFINER and the like: accepted, nothing to keep."""
    p.next()
    if p.accept_op("("):
        _skip_balanced(p)
    elif p.tok.kind is Kind.IDENT and not p.is_kw("AS", "IS", "UNDER", "AUTHID", "ACCESSIBLE", "SHARING"):
        p.next()
        if p.accept_op("("):
            _skip_balanced(p)


def _skip_balanced(p: ParserBase) -> None:
    """Skip to the ``)`` closing a ``(`` already read."""
    depth = 1
    while depth:
        t = p.next()
        if t.kind is Kind.EOF:
            raise errors.ora(907, t.pos)
        if t.kind is Kind.OP and t.value in "()":
            depth += 1 if t.value == "(" else -1


def _members(p: PlsqlParser) -> tuple[tuple[TypeAttrSpec, ...], tuple[MethodSpec, ...]]:
    """``( attr type, ..., method specs )`` of an object type (UNDER: the list may be absent)."""
    attrs: list[TypeAttrSpec] = []
    methods: list[MethodSpec] = []
    if not p.accept_op("("):
        return (), ()
    while True:
        if p.is_kw("PRAGMA"):
            p.next()
            p.ident("pragma")
            p.expect_op("(")
            _skip_balanced(p)
        elif p.is_kw(*_MODIFIERS) and _starts_method(p):
            methods.append(_method(p))
        else:
            pos = p.tok.pos
            name = p.ident("attribute name")
            attrs.append(TypeAttrSpec(name, type_spec(p), pos))
        if not p.accept_op(","):
            break
    p.expect_op(")")
    if len(attrs) > MAX_LIST:
        raise errors.ora(1792, maximum=MAX_LIST)
    seen: set[str] = set()
    for a in attrs:
        if a.name in seen:
            raise errors.pls_error(a.pos, p.sql, "PLS-00410: duplicate fields in RECORD,TABLE or argument list "
                                   "are not permitted")
        seen.add(a.name)
    return tuple(attrs), tuple(methods)


def _starts_method(p: ParserBase) -> bool:
    """The modifiers ahead lead to MEMBER / STATIC / CONSTRUCTOR (an attribute may be named FINAL)."""
    k = 0
    while True:
        t = p.peek(k)
        if t.kind is not Kind.IDENT:
            return False
        if t.value in ("MEMBER", "STATIC", "CONSTRUCTOR"):
            return True
        if t.value not in _MODIFIERS:
            return False
        k += 1


def _method(p: PlsqlParser) -> MethodSpec:
    final, instantiable, overriding, method_type = False, True, False, "PUBLIC"
    while not p.is_kw("MEMBER", "STATIC", "CONSTRUCTOR"):
        negated = p.accept_kw("NOT")
        word = p.next().value
        if word == "FINAL":
            final = not negated
        elif word == "INSTANTIABLE":
            instantiable = not negated
        elif word == "OVERRIDING":
            overriding = not negated
        elif word in ("MAP", "ORDER"):
            method_type = word
    kind = p.next().value
    if not p.is_kw("FUNCTION", "PROCEDURE"):
        raise _pls(p, f'PLS-00103: Encountered the symbol "{p.tok.value}" when expecting one of the following: '
                      "function procedure")
    unit = p.next().value
    name = p.ident("method name")
    params = tuple(_spec_param(q) for q in p.pl_params())
    returns: TypeSpec | None = None
    if unit == "FUNCTION":
        p.expect_kw("RETURN")
        if p.accept_kw("SELF"):
            p.expect_kw("AS")
            p.expect_kw("RESULT")
        else:
            returns = type_spec(p, unsized=True)
    while p.is_kw("DETERMINISTIC", "PARALLEL_ENABLE", "RESULT_CACHE", "PIPELINED"):
        p.next()
    if kind == "CONSTRUCTOR" and unit != "FUNCTION":
        raise _pls(p, "PLS-00103: Encountered the symbol \"PROCEDURE\" when expecting one of the following: "
                      "function")
    return MethodSpec(name, kind, unit, tuple(params), returns, method_type, final, instantiable, overriding)


def _spec_param(q: PlParam) -> tuple[str, str, TypeSpec | None]:
    """A method parameter as the type's specification keeps it: its user-defined type, if any, is a
    dependency of the type (an anchored ``%TYPE`` is none)."""
    ref = q.ref
    if ref is None:
        return q.name, q.mode, TypeSpec(q.type.t.value, None, q.type, 0)
    if ref.anchor is not None or ref.name is None:
        return q.name, q.mode, None
    owner, _, name = ref.name.rpartition(".")
    return q.name, q.mode, TypeSpec(name, owner or None, None, ref.pos, ref.name)


def _type_body(p: PlsqlParser, replace: bool, start: int) -> CreateTypeBody:
    pos = p.tok.pos
    schema, name = _qualified(p, "type name")
    if not (p.accept_kw("AS") or p.accept_kw("IS")):
        raise _pls(p, f'PLS-00103: Encountered the symbol "{p.tok.value}" when expecting one of the following: '
                      "as is")
    source = _source(p, start)
    try:
        methods = _body_methods(p, name)
    except errors.OraError as exc:  # the body is kept, INVALID, with the error (as Oracle stores it)
        while p.tok.kind is not Kind.EOF:
            p.next()
        return CreateTypeBody(schema, name, replace, pos, source, (), start, exc.message)
    return CreateTypeBody(schema, name, replace, pos, source, methods, start)


def _body_methods(p: PlsqlParser, type_name: str) -> tuple[BodyMethod, ...]:
    """``[modifiers] MEMBER | STATIC | CONSTRUCTOR FUNCTION / PROCEDURE ...;`` up to ``END [name];``."""
    methods: list[BodyMethod] = []
    while not p.is_kw("END"):
        if p.tok.kind is Kind.EOF:
            raise p.pls_expecting("end")
        while p.is_kw("MAP", "ORDER", "OVERRIDING", "FINAL", "INSTANTIABLE", "NOT"):
            p.next()
        if not p.is_kw("MEMBER", "STATIC", "CONSTRUCTOR"):
            raise p.pls_expecting("member static constructor end")
        kind = p.next().value
        if not p.is_kw("FUNCTION", "PROCEDURE"):
            raise p.pls_expecting("function procedure")
        unit = p.next().value
        pos = p.tok.pos
        if kind != "CONSTRUCTOR":
            methods.append(BodyMethod(kind, p.pl_subprogram(unit, pos)))
            continue
        name = p.ident("constructor name")
        params = p.pl_params()
        p.expect_kw("RETURN")
        p.expect_kw("SELF")
        p.expect_kw("AS")
        p.expect_kw("RESULT")
        if not (p.accept_kw("IS") or p.accept_kw("AS")):
            raise p.pls_expecting("is as")
        decls = p.pl_declarations()
        block = p.pl_body_block(pos)
        if p.tok.kind in (Kind.IDENT, Kind.QIDENT) and p.tok.value == name:
            p.next()
        p.pl_semicolon()
        body = PlBlockStmt(decls, block.body, block.handlers, pos)
        methods.append(BodyMethod(kind, SubprogramDecl(name, params, None, body, pos)))
    p.next()
    if p.tok.kind in (Kind.IDENT, Kind.QIDENT) and p.tok.value == type_name:
        p.next()
    _finish(p)
    return tuple(methods)


def drop_type(p: ParserBase) -> DropType:
    """After DROP, at TYPE."""
    p.expect_kw("TYPE")
    body = p.accept_kw("BODY")
    pos = p.tok.pos
    schema, name = _qualified(p, "type name")
    force = False
    if not body and p.is_kw("FORCE", "VALIDATE"):
        force = p.next().value == "FORCE"
    return DropType(schema, name, body, force, pos)


def alter_type(p: ParserBase) -> AlterType:
    """After ALTER, at TYPE: ADD ATTRIBUTE or COMPILE."""
    p.expect_kw("TYPE")
    pos = p.tok.pos
    schema, name = _qualified(p, "type name")
    if p.accept_kw("COMPILE"):
        while p.is_kw("SPECIFICATION", "BODY", "DEBUG", "REUSE", "SETTINGS"):
            p.next()
        _finish(p)
        return AlterType(schema, name, (), "COMPILE", pos)
    if not p.accept_kw("ADD"):
        raise errors.unsupported(f"ALTER TYPE {p.tok.value}", p.tok.pos)
    p.expect_kw("ATTRIBUTE")
    attrs: list[TypeAttrSpec] = []
    paren = p.accept_op("(")
    while True:
        apos = p.tok.pos
        attr = p.ident("attribute name")
        attrs.append(TypeAttrSpec(attr, type_spec(p), apos))
        if not (paren and p.accept_op(",")):
            break
    if paren:
        p.expect_op(")")
    option = ""
    if p.is_kw("CASCADE", "INVALIDATE"):
        option = p.next().value
        if option == "CASCADE":
            while p.is_kw("NOT", "INCLUDING", "TABLE", "DATA", "CONVERT", "TO", "SUBSTITUTABLE", "FORCE"):
                p.next()
    _finish(p)
    return AlterType(schema, name, tuple(attrs), option, pos)
