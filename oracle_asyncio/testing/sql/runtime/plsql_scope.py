"""What a running PL/SQL unit sees: scopes of declared names, the frame of one
call, exceptions (predefined, user-declared, raised) and the ORA-06512 lines
an error collects on its way out.

A :class:`Scope` maps upper-case names to what a declaration made: a
:class:`Var`, a :class:`TypeName`, a :class:`Subprogram` or an
:class:`ExceptionDef`; its parent is the enclosing block's scope (a
subprogram's is the scope it was declared in), ending at :data:`STANDARD`,
which holds the predefined exceptions.  Values follow plsql_values.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .. import errors
from ..errors import OraError
from ..syntax.plnodes import SubprogramDecl
from .plsql_memory import charge
from .plsql_values import PlCollection, PlType

__all__ = ["Var", "release", "TypeName", "Subprogram", "ExceptionDef", "Scope", "Frame", "STANDARD", "PlUserError",
           "ExitLoop", "Return", "backtrace", "error_code", "is_compile_error", "line_of"]


class Var:
    """A variable, constant, parameter or loop index and its current value."""

    __slots__ = ("type", "value", "constant", "not_null", "readonly", "charged")

    def __init__(self, type_: PlType, value: object, *, constant: bool = False, not_null: bool = False,
                 readonly: bool = False) -> None:
        self.type = type_
        self.value = value
        self.constant = constant  # CONSTANT, or an IN parameter
        self.not_null = not_null
        self.readonly = readonly  # a FOR loop's index
        self.charged = 0  # the bytes of its string charged to the call's budget (plsql_memory.py)

    def assign(self, value: object) -> None:
        """Set the value, charging a string's growth to the call's memory budget."""
        held = len(value) if isinstance(value, (str, bytes)) else 0
        charge(held - self.charged)
        self.charged = held
        self.value = value


def release(scope: Scope) -> None:
    """A block's end: what its variables held (strings, collections) goes back to the budget."""
    freed = 0
    for item in scope.names.values():
        if isinstance(item, Var):
            freed += item.charged + (item.value.bytes if isinstance(item.value, PlCollection) else 0)
    if freed:
        charge(-freed)


@dataclass(frozen=True, eq=False)
class TypeName:
    """A declared type or subtype."""

    type: PlType
    not_null: bool = False


@dataclass(eq=False)
class Subprogram:
    """A local procedure or function: its declaration (``decl.block`` None until the
    body of a forward declaration is seen) and the scope and unit it was declared in.
    The scope holds the first of a name's overloads; ``overloads`` lists them all."""

    decl: SubprogramDecl
    scope: Scope
    unit: Frame
    overloads: list[Subprogram] = field(default_factory=list)


@dataclass(eq=False)
class ExceptionDef:
    """An exception name: predefined (``code`` set), user-declared (``code`` None until
    PRAGMA EXCEPTION_INIT gives it one)."""

    name: str
    code: int | None = None


class Scope:
    __slots__ = ("parent", "names")

    def __init__(self, parent: Scope | None) -> None:
        self.parent = parent
        self.names: dict[str, object] = {}

    def find(self, name: str) -> object | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None


#: STANDARD's exceptions and the ORA numbers they stand for.
_PREDEFINED: Final = {
    "NO_DATA_FOUND": 1403, "TOO_MANY_ROWS": 1422, "ZERO_DIVIDE": 1476, "VALUE_ERROR": 6502,
    "INVALID_NUMBER": 1722, "DUP_VAL_ON_INDEX": 1, "CASE_NOT_FOUND": 6592, "COLLECTION_IS_NULL": 6531,
    "SUBSCRIPT_BEYOND_COUNT": 6533, "SUBSCRIPT_OUTSIDE_LIMIT": 6532, "CURSOR_ALREADY_OPEN": 6511,
    "INVALID_CURSOR": 1001, "PROGRAM_ERROR": 6501, "STORAGE_ERROR": 6500, "ROWTYPE_MISMATCH": 6504,
    "TIMEOUT_ON_RESOURCE": 51, "SYS_INVALID_ROWID": 1410, "LOGIN_DENIED": 1017, "NOT_LOGGED_ON": 1012,
}
STANDARD: Final = Scope(None)
for _name, _code in _PREDEFINED.items():
    STANDARD.names[_name] = ExceptionDef(_name, _code)


class PlUserError(OraError):
    """A user-declared exception without an ORA number, raised (``code`` 1, as SQLCODE says)."""

    def __init__(self, exc: ExceptionDef) -> None:
        super().__init__(1, "User-Defined Exception")
        self.exc = exc


def error_code(exc: OraError) -> int:
    """SQLCODE of an error: minus its ORA number, +100 for NO_DATA_FOUND, 1 for a user exception."""
    if isinstance(exc, PlUserError):
        return 1
    return 100 if exc.code == 1403 else -exc.code


def is_compile_error(exc: OraError) -> bool:
    """A compile error found late (PLS-, ORA-06550): no handler catches it."""
    return exc.code == 6550


@dataclass(eq=False)
class Frame:
    """One call of a unit: an anonymous block, a stored routine or a local subprogram.

    ``source``/``base`` give line numbers (line 1 starts at ``base``); ``name`` is
    ``"SCHEMA.NAME"`` for a stored routine (None: an anonymous block's line);
    ``binds`` are the anonymous block's host binds (None inside a stored routine)."""

    scope: Scope
    source: str
    base: int
    name: str | None
    binds: dict[str, object] | None
    written: set[str] = field(default_factory=set)
    returns: PlType | None = None
    function: bool = False
    pos: int = 0  # the statement running now
    handling: list[OraError] = field(default_factory=list)  # errors whose handlers run now (innermost last)
    autonomous: bool = False  # PRAGMA AUTONOMOUS_TRANSACTION in the unit's declarations
    invoker: bool = False  # a stored unit of AUTHID CURRENT_USER: it runs with its caller's rights


def line_of(frame: Frame) -> int:
    return frame.source.count("\n", frame.base, frame.pos) + 1


def backtrace(exc: OraError, frame: Frame) -> None:
    """Add ``frame``'s ORA-06512 line to ``exc`` as it leaves the frame."""
    if is_compile_error(exc):
        return
    where = f"line {line_of(frame)}" if frame.name is None else f'"{frame.name}", line {line_of(frame)}'
    exc.pl_trace.append(errors.ora(6512, where=where).message)


class ExitLoop(Exception):
    """EXIT / CONTINUE leaving loops up to the one labelled ``label`` (None: the innermost)."""

    def __init__(self, label: str | None, is_continue: bool) -> None:
        super().__init__(label)
        self.label = label
        self.is_continue = is_continue


class Return(Exception):
    """RETURN: leaves the unit with ``value``."""

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value
