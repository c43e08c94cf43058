"""The sqlite functions behind flat chains (translate/chains.py): ``ora_concat_n`` over many
operands, and ``ora_pack`` / ``ora_packcat`` / ``ora_arith``, which fold a long run of NUMBER
``+ - * /`` left to right with the very functions a single operator uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from .. import errors
from .functions import ARITHMETIC

__all__ = ["FUNCTIONS"]


def _concat_n(*parts: object) -> str | None:
    return "".join(str(p) for p in parts if p is not None) or None


_TAGS: Final = {b"N"[0]: "N", b"B"[0]: "B", b"I"[0]: "I", b"F"[0]: "F", b"S"[0]: "S"}


def _pack(*values: object) -> bytes:
    """Values as one blob: per value a tag, a 4-byte length and the bytes."""
    out = bytearray()
    for v in values:
        if v is None:
            tag, data = b"N", b""
        elif isinstance(v, bytes):
            tag, data = b"B", v
        elif isinstance(v, int):
            tag, data = b"I", str(v).encode()
        elif isinstance(v, float):
            tag, data = b"F", repr(v).encode()
        else:
            tag, data = b"S", str(v).encode()
        out += tag + len(data).to_bytes(4, "big") + data
    return bytes(out)


def _packcat(*packs: object) -> bytes:
    return b"".join(p for p in packs if isinstance(p, bytes))


def _unpack(pack: bytes) -> list[object]:
    values: list[object] = []
    pos = 0
    while pos < len(pack):
        if pos + 5 > len(pack):
            raise errors.internal("malformed value pack")
        tag = _TAGS.get(pack[pos])
        size = int.from_bytes(pack[pos + 1:pos + 5], "big")
        data = pack[pos + 5:pos + 5 + size]
        pos += 5 + size
        if tag is None or len(data) != size:
            raise errors.internal("malformed value pack")
        values.append(None if tag == "N" else data if tag == "B" else int(data) if tag == "I"
                      else float(data) if tag == "F" else data.decode())
    return values


def _arith(ops: object, *packs: object) -> object:
    """Fold the packed operands left to right with ``ops`` (one of ``+-*/`` per step)."""
    values = [v for p in packs if isinstance(p, bytes) for v in _unpack(p)]
    if not isinstance(ops, str) or len(values) != len(ops) + 1:
        raise errors.internal("arithmetic chain of the wrong length")
    acc = values[0]
    for op, value in zip(ops, values[1:]):
        acc = ARITHMETIC[op](acc, value)
    return acc


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: dict[str, tuple[int, Callable[..., object]]] = {
    "ora_concat_n": (-1, _concat_n),
    "ora_pack": (-1, _pack),
    "ora_packcat": (-1, _packcat),
    "ora_arith": (-1, _arith),
}
