"""Syntax nodes of user-defined types: CREATE [OR REPLACE] TYPE / TYPE BODY and DROP TYPE
(parser_type.py builds them; catalog/objtypes.py keeps what they create).

This module imports no other node module, so nodes.py can name these classes in its
``Statement`` union without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types.datatypes import SqlType

__all__ = ["AlterType", "BodyMethod", "CreateType", "CreateTypeBody", "DropType", "MethodSpec", "TypeAttrSpec", "TypeSpec"]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """A type as written in a type definition: a built-in scalar (``sql`` set) or a reference to a
    user-defined type ``[owner.]name`` (``sql`` None; resolved when the statement runs)."""

    #: The dictionary's name for it: ``VARCHAR2``, ``NUMBER``, ``TIMESTAMP(6) WITH LOCAL TIME ZONE``
    #: for a scalar; the type's name for a reference.
    name: str
    owner: str | None
    sql: SqlType | None
    pos: int
    #: The reference as written (``SYS.XMLTYPE``), for PLS-00201.
    written: str = ""


@dataclass(frozen=True, slots=True)
class TypeAttrSpec:
    name: str
    type: TypeSpec
    pos: int


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """A method's declaration in an object type's specification."""

    name: str
    #: MEMBER, STATIC or CONSTRUCTOR.
    kind: str
    #: FUNCTION or PROCEDURE.
    unit: str
    #: (name, mode, type) of each parameter as written (SELF only when written).
    params: tuple[tuple[str, str, TypeSpec | None], ...]
    #: A function's RETURN type; None for a procedure and for ``RETURN SELF AS RESULT``.
    returns: TypeSpec | None
    #: MAP, ORDER or PUBLIC (ALL_TYPE_METHODS.METHOD_TYPE).
    method_type: str = "PUBLIC"
    final: bool = False
    instantiable: bool = True
    overriding: bool = False


@dataclass(frozen=True, slots=True)
class CreateType:
    """CREATE [OR REPLACE] TYPE [schema.]name [FORCE] ...: ``kind`` OBJECT (attributes and
    methods, or UNDER ``supertype``), VARRAY (``upper_bound``, ``element``), TABLE (``element``),
    or INCOMPLETE (``CREATE TYPE name;``, a forward declaration)."""

    schema: str | None
    name: str
    replace: bool
    force: bool
    kind: str
    attributes: tuple[TypeAttrSpec, ...] = ()
    methods: tuple[MethodSpec, ...] = ()
    element: TypeSpec | None = None
    upper_bound: int | None = None
    final: bool = True
    instantiable: bool = True
    supertype: TypeSpec | None = None
    pos: int = 0
    #: The statement's text from TYPE on (ALL_SOURCE keeps it so), and where that starts in the
    #: statement (positions above are the statement's; compilation errors count lines in ``source``).
    source: str = ""
    start: int = 0
    #: AUTHID DEFINER | CURRENT_USER: the rights its methods run with.
    authid: str = "DEFINER"


@dataclass(frozen=True, slots=True)
class BodyMethod:
    """One method a TYPE BODY defines: MEMBER, STATIC or CONSTRUCTOR, and its subprogram (a
    ``plnodes.SubprogramDecl``; a constructor's ``returns`` is None: it returns SELF)."""

    kind: str
    decl: object

    @property
    def name(self) -> str:
        name = getattr(self.decl, "name", "")
        return name if isinstance(name, str) else ""


@dataclass(frozen=True, slots=True)
class CreateTypeBody:
    """CREATE [OR REPLACE] TYPE BODY [schema.]name AS|IS ... END: the methods, parsed, and the text."""

    schema: str | None
    name: str
    replace: bool
    pos: int
    source: str
    #: Every method the body defines, in order.
    methods: tuple[BodyMethod, ...] = ()
    start: int = 0
    #: The PLS error of a body that did not parse (it is stored INVALID with it).
    error: str = ""


@dataclass(frozen=True, slots=True)
class DropType:
    """DROP TYPE [schema.]name [FORCE | VALIDATE] or DROP TYPE BODY [schema.]name."""

    schema: str | None
    name: str
    body: bool
    force: bool
    pos: int


@dataclass(frozen=True, slots=True)
class AlterType:
    """ALTER TYPE [schema.]name ADD ATTRIBUTE (attr type, ...) [CASCADE | INVALIDATE], or
    ALTER TYPE [schema.]name COMPILE (``option`` COMPILE, no attributes)."""

    schema: str | None
    name: str
    attributes: tuple[TypeAttrSpec, ...]
    #: CASCADE, INVALIDATE or "" (neither: ORA-22312 when other types depend on it); COMPILE.
    option: str
    pos: int
