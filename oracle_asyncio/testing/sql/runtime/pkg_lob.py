"""DBMS_LOB.

The embedded server keeps a LOB as its value: text for CLOB / NCLOB, bytes for BLOB (the wire's
locators are made from those values when a client fetches them).  A PL/SQL LOB variable therefore
holds its own copy, as a temporary LOB does, and the procedures here change the variable they are
given (its IN OUT argument).  A NULL LOB is Oracle's uninitialized locator: ORA-22275.

The functions SQL can call too (GETLENGTH, SUBSTR, INSTR, COMPARE) are sqlite functions
(:data:`FUNCTIONS`, reached from PL/SQL through SQL); the procedures are PL/SQL built-ins
(:data:`BUILTINS`).  Every operation costs time linear in the sizes involved, and no LOB may grow
beyond :data:`MAX_LOB_SIZE` characters or bytes (ORA-22925).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final

from .. import errors
from ..syntax.nodes import Lit, PlParam
from ..types.datatypes import BOOLEAN, NULLTYPE, NUMBER, SqlType, T, number_bytes
from ..types.numbers import out
from .pkg_raw import as_int, hex_to_raw
from .routines import Builtin, Host

__all__ = ["BUILTINS", "FUNCTIONS", "MAX_LOB_SIZE"]

#: The largest LOB (characters or bytes) the server makes; Oracle's own limit is terabytes.
MAX_LOB_SIZE: Final = 1 << 30
#: DBMS_LOB.LOBMAXSIZE.
_LOBMAXSIZE: Final = 18446744073709551615
#: The largest piece READ / SUBSTR move at once (a VARCHAR2 / RAW of PL/SQL).
_PIECE: Final = 32767

Lob = str | bytes


def _like(lob: Lob, piece: object) -> Lob:
    """``piece`` as a value of ``lob``'s kind (text for a BLOB is hex, as HEXTORAW reads it)."""
    if isinstance(lob, bytes):
        if isinstance(piece, bytes):
            return piece
        return hex_to_raw(piece) or b""
    if isinstance(piece, bytes):
        raise errors.inconsistent_types("CLOB", "BLOB")
    return "" if piece is None else str(piece)


def _checked(lob: Lob) -> Lob:
    if len(lob) > MAX_LOB_SIZE:
        raise errors.ora(22925)
    return lob


def _splice(lob: Lob, at: int, piece: Lob) -> Lob:
    """``piece`` written over ``lob`` from 0-based ``at`` (a gap filled with spaces or zero bytes)."""
    if at + len(piece) > MAX_LOB_SIZE:
        raise errors.ora(22925)
    if at > len(lob):
        gap = b"\x00" * (at - len(lob)) if isinstance(lob, bytes) else " " * (at - len(lob))
        return lob + gap + piece  # type: ignore[operator]  # lob, gap and piece share one kind
    return lob[:at] + piece + lob[at + len(piece):]  # type: ignore[operator]


# ---- SQL functions (storage values in and out) --------------------------------------------------

def _getlength(lob: object) -> bytes | None:
    return None if lob is None else out(Decimal(len(lob) if isinstance(lob, (str, bytes)) else len(str(lob))))


def _valid(value: object, high: int) -> int | None:
    """A NUMBER argument in 1..high, else None (the functions then answer NULL, as Oracle's do)."""
    n = as_int(value)
    return n if n is not None and 1 <= n <= high else None


def _substr(lob: object, amount: object = _PIECE, offset: object = 1) -> object:
    if not isinstance(lob, (str, bytes)):
        return None
    count, start = _valid(amount, _PIECE), _valid(offset, MAX_LOB_SIZE)
    if count is None or start is None:
        return None
    return lob[start - 1:start - 1 + count] or None


def _instr(lob: object, pattern: object, offset: object = 1, nth: object = 1) -> bytes | None:
    if not isinstance(lob, (str, bytes)) or pattern is None:
        return None
    start, which = _valid(offset, MAX_LOB_SIZE), _valid(nth, MAX_LOB_SIZE)
    if start is None or which is None:
        return None
    wanted = _like(lob, pattern)
    if not wanted:
        return None
    at = start - 2
    for _ in range(which):
        at = lob.find(wanted, at + 1)  # type: ignore[arg-type]  # wanted is of lob's kind
        if at < 0:
            return out(Decimal(0))
    return out(Decimal(at + 1))


def _compare(a: object, b: object, amount: object = None, offset1: object = 1, offset2: object = 1) -> bytes | None:
    """0 when the pieces are equal, -1 / 1 as the first is less / greater; NULL for bad arguments."""
    if not isinstance(a, (str, bytes)) or not isinstance(b, (str, bytes)) or type(a) is not type(b):
        return None
    count = MAX_LOB_SIZE if amount is None else _valid(amount, _LOBMAXSIZE)
    x, y = _valid(offset1, MAX_LOB_SIZE), _valid(offset2, MAX_LOB_SIZE)
    if count is None or x is None or y is None:
        return None
    left, right = a[x - 1:x - 1 + count], b[y - 1:y - 1 + count]
    return out(Decimal(0 if left == right else -1 if left < right else 1))  # type: ignore[operator]


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_lob_getlength": (1, _getlength),
    "ora_lob_substr": (-1, _substr),
    "ora_lob_instr": (-1, _instr),
    "ora_lob_compare": (-1, _compare),
}


# ---- PL/SQL procedures (PL/SQL values in and out) -----------------------------------------------

def _lob(a: dict[str, object], name: str = "LOB_LOC") -> Lob:
    value = a[name]
    if value is None:
        raise errors.ora(22275)
    if not isinstance(value, (str, bytes)):
        raise errors.pls_unplaced("PLS-00306: wrong number or types of arguments in call")
    return value


def _count(a: dict[str, object], name: str, position: int, low: int = 1, high: int = _LOBMAXSIZE) -> int:
    """A whole-number argument in ``low..high``, else ORA-21560 naming its position."""
    value = as_int(a[name])
    if value is None or not low <= value <= high:
        raise errors.ora(21560, number=position)
    return value


def _append(s: Host, a: dict[str, object]) -> None:
    dest = _lob(a, "DEST_LOB")
    a["DEST_LOB"] = _checked(dest + _like(dest, _lob(a, "SRC_LOB")))  # type: ignore[operator]


def _write(s: Host, a: dict[str, object]) -> None:
    lob = _lob(a)
    amount, offset = _count(a, "AMOUNT", 2), _count(a, "OFFSET", 3)
    piece = _like(lob, a["BUFFER"])
    if amount > len(piece):
        raise errors.ora(21560, number=2)
    a["LOB_LOC"] = _splice(lob, offset - 1, piece[:amount])


def _writeappend(s: Host, a: dict[str, object]) -> None:
    lob = _lob(a)
    amount = _count(a, "AMOUNT", 2)
    piece = _like(lob, a["BUFFER"])
    if amount > len(piece):
        raise errors.ora(21560, number=2)
    a["LOB_LOC"] = _splice(lob, len(lob), piece[:amount])


def _read(s: Host, a: dict[str, object]) -> None:
    lob = _lob(a)
    amount, offset = _count(a, "AMOUNT", 2, high=_PIECE), _count(a, "OFFSET", 3)
    if offset > len(lob):
        raise errors.ora(1403)
    piece = lob[offset - 1:offset - 1 + amount]
    a["AMOUNT"], a["BUFFER"] = len(piece), piece


def _erase(s: Host, a: dict[str, object]) -> None:
    """AMOUNT characters / bytes from OFFSET become spaces / zero bytes; AMOUNT becomes how many."""
    lob = _lob(a)
    amount, offset = _count(a, "AMOUNT", 2), _count(a, "OFFSET", 3)
    erased = max(0, min(amount, len(lob) - offset + 1))
    filler = b"\x00" * erased if isinstance(lob, bytes) else " " * erased
    a["LOB_LOC"], a["AMOUNT"] = _splice(lob, offset - 1, filler), erased


def _trim(s: Host, a: dict[str, object]) -> None:
    lob = _lob(a)
    size = _count(a, "NEWLEN", 2, low=0)
    if size > len(lob):
        raise errors.ora(22926)
    a["LOB_LOC"] = lob[:size]


def _copy(s: Host, a: dict[str, object]) -> None:
    dest, src = _lob(a, "DEST_LOB"), _lob(a, "SRC_LOB")
    amount = _count(a, "AMOUNT", 3)
    to, start = _count(a, "DEST_OFFSET", 4), _count(a, "SRC_OFFSET", 5)
    piece = _like(dest, src)[start - 1:start - 1 + amount]
    a["DEST_LOB"] = _splice(dest, to - 1, piece)


def _createtemporary(s: Host, a: dict[str, object]) -> None:
    """An empty LOB of the variable's kind (a BLOB variable gets bytes, any other text)."""
    typ = a.get("LOB_LOC%TYPE")
    a["LOB_LOC"] = b"" if isinstance(typ, SqlType) and typ.t is T.BLOB else ""


def _freetemporary(s: Host, a: dict[str, object]) -> None:
    _lob(a)
    a["LOB_LOC"] = None


def _is_temporary(s: Host, a: dict[str, object]) -> object:
    """1 for any LOB value: a PL/SQL LOB here is its own copy, as a temporary LOB is."""
    return None if a["LOB_LOC"] is None else 1


def _open(s: Host, a: dict[str, object]) -> None:
    _lob(a)
    if as_int(a.get("OPEN_MODE")) not in (0, 1, None):
        raise errors.ora(21560, number=2)


def _num(name: str, default: int | None = None, mode: str = "IN") -> PlParam:
    return PlParam(name, mode, NUMBER, None if default is None else Lit(0, 0, number_bytes(default), NUMBER))


def _any(name: str, mode: str = "IN") -> PlParam:
    return PlParam(name, mode, NULLTYPE)


def _constant(value: int) -> Builtin:
    return Builtin((), lambda s, a: value, NUMBER)


#: The procedures and PL/SQL-only functions and constants, by qualified name.
BUILTINS: Final[dict[str, Builtin]] = {
    "DBMS_LOB.APPEND": Builtin((_any("DEST_LOB", "IN OUT"), _any("SRC_LOB")), _append),
    "DBMS_LOB.WRITE": Builtin((_any("LOB_LOC", "IN OUT"), _num("AMOUNT"), _num("OFFSET"), _any("BUFFER")), _write),
    "DBMS_LOB.WRITEAPPEND": Builtin((_any("LOB_LOC", "IN OUT"), _num("AMOUNT"), _any("BUFFER")), _writeappend),
    "DBMS_LOB.READ": Builtin((_any("LOB_LOC"), _num("AMOUNT", mode="IN OUT"), _num("OFFSET"),
                              _any("BUFFER", "OUT")), _read),
    "DBMS_LOB.ERASE": Builtin((_any("LOB_LOC", "IN OUT"), _num("AMOUNT", mode="IN OUT"), _num("OFFSET", 1)), _erase),
    "DBMS_LOB.TRIM": Builtin((_any("LOB_LOC", "IN OUT"), _num("NEWLEN")), _trim),
    "DBMS_LOB.COPY": Builtin((_any("DEST_LOB", "IN OUT"), _any("SRC_LOB"), _num("AMOUNT"), _num("DEST_OFFSET", 1),
                              _num("SRC_OFFSET", 1)), _copy),
    "DBMS_LOB.CREATETEMPORARY": Builtin((_any("LOB_LOC", "IN OUT"), PlParam("CACHE", "IN", BOOLEAN), _num("DUR", 10)),
                                        _createtemporary, contextual=True),
    "DBMS_LOB.FREETEMPORARY": Builtin((_any("LOB_LOC", "IN OUT"),), _freetemporary),
    "DBMS_LOB.ISTEMPORARY": Builtin((_any("LOB_LOC"),), _is_temporary, NUMBER),
    "DBMS_LOB.OPEN": Builtin((_any("LOB_LOC", "IN OUT"), _num("OPEN_MODE", 1)), _open),
    "DBMS_LOB.CLOSE": Builtin((_any("LOB_LOC", "IN OUT"),), lambda s, a: _lob(a) and None),
    "DBMS_LOB.LOBMAXSIZE": _constant(_LOBMAXSIZE),
    "DBMS_LOB.LOB_READONLY": _constant(0),
    "DBMS_LOB.LOB_READWRITE": _constant(1),
    "DBMS_LOB.CALL": _constant(12),
    "DBMS_LOB.SESSION": _constant(10),
}
