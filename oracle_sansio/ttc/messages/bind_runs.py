"""Batch encoders: one function per bind shape that writes a batch of
executemany rows (``07`` + values, docs/protocol-ttc.md 3.4) in one loop.

Why: written value by value, each row costs a call per value into a body
encoder and, for NUMBER, several more into the codec; most of an
executemany's client time went there.  A batch encoder is Python source
generated for the shape of the binds (one code template per kind, see
:data:`KINDS`), compiled once per shape and kept; the usual values are
encoded inline:

* a positive ``int`` below 10**38 or a ``float`` in [1e-4, 1e16) as NUMBER:
  its decimal text, padded so that digit pairs align on the decimal point,
  read as hex by ``bytes.fromhex`` (pair ``dd`` -> byte ``0xdd``) and mapped by
  one ``translate`` to the NUMBER digit byte ``10*d1 + d2 + 1``;
* an exact ``datetime`` as DATE: its seven fields;
* an exact ``str`` as UTF-8 text (csfrm 1);
* ``None`` as the bind's NULL form.

Any other value goes to the bind's own body encoder, still inline.  At
anything unusual (a value over 252 bytes, an encoder's error, a row of the
wrong width) the batch stops *before* that row, with nothing of it written,
and returns its index: the caller writes it by the general path, which
produces the same bytes or raises the same typed error.

Safety: the source is built only from the kind names below and bind
indices; encoders and NULL forms are passed in as arguments.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Final

__all__ = ["KINDS", "BatchEncoder", "batch_encoder", "batch_source"]

#: Writes ``rows[start:]`` into ``out`` until a row it does not take; returns
#: that row's index (``len(rows)`` when all were written).
BatchEncoder = Callable[[Sequence[Sequence[object]], int, bytearray], int]

_NUMBER: Final = "number"
_DATE: Final = "date"
_TEXT: Final = "text"
_CALL: Final = "call"
#: The kinds a bind can have: inline NUMBER, DATE and text, or a call of its body encoder.
KINDS: Final = (_NUMBER, _DATE, _TEXT, _CALL)

# Every template ends with the value's bytes appended to out; {i} is the
# bind's placeholder index, {k} its wire position.
_HEAD: Final = """\
            v = row[{i}]
            if v is None:
                out += null{k}
"""
_NUMBER_CODE: Final = """\
            elif type(v) is int and 0 < v < 100000000000000000000000000000000000000:
                s = str(v)
                n = len(s)
                if n & 1:
                    s = '0' + s
                    n += 1
                s = s.rstrip('0')
                if len(s) & 1:
                    s += '0'
                append((len(s) >> 1) + 1)
                append(192 + (n >> 1))
                out += fromhex(s).translate(PAIRS)
            elif type(v) is float and 0.0001 <= v < 1e16:
                s, _, f = repr(v).partition('.')
                if s == '0':
                    s = f.lstrip('0')
                    n = len(s) - len(f)
                else:
                    n = len(s)
                    s += f
                if n & 1:
                    s = '0' + s
                    n += 1
                s = s.rstrip('0')
                if len(s) & 1:
                    s += '0'
                append((len(s) >> 1) + 1)
                append(192 + (n >> 1))
                out += fromhex(s).translate(PAIRS)
"""
_DATE_CODE: Final = """\
            elif type(v) is datetime:
                y = v.year
                out += bytes((7, y // 100 + 100, y % 100 + 100, v.month, v.day, v.hour + 1, v.minute + 1, v.second + 1))
"""
_TEXT_CODE: Final = """\
            elif type(v) is str and len(v) <= 63:
                d = v.encode()
                append(len(d))
                out += d
"""
# Anything else: the bind's encoder (its error, or a value over 252 bytes, stops the batch).
_CALL_CODE: Final = """\
            else:
                d = body{k}(v)
                if len(d) > 252:
                    raise OverflowError
                append(len(d))
                out += d
"""
_INLINE: Final[dict[str, str]] = {_NUMBER: _NUMBER_CODE, _DATE: _DATE_CODE, _TEXT: _TEXT_CODE, _CALL: ""}


def batch_source(kinds: Sequence[tuple[int, str]]) -> str:
    """The source of the batch encoder for binds of ``kinds``: (placeholder
    index, kind) in wire order.

    Raises:
        ValueError: an unknown kind.
    """
    width = max((i for i, _ in kinds), default=-1) + 1
    lines = [
        "def encode_batch(rows, start, out):",
        "    append = out.append",
        "    for r in range(start, len(rows)):",
        "        row = rows[r]",
        f"        if len(row) != {width}:",
        "            return r",
        "        mark = len(out)",
        "        try:",
        "            append(7)",
    ]
    for k, (i, kind) in enumerate(kinds):
        if kind not in _INLINE:
            raise ValueError(f"unknown batch encoder kind {kind!r}")
        lines.append((_HEAD + _INLINE[kind] + _CALL_CODE).format(i=int(i), k=k).rstrip("\n"))
    lines += [
        # Any error (a long value included) leaves the row to the general path.
        "        except Exception:",
        "            del out[mark:]",
        "            return r",
        "    return len(rows)",
    ]
    return "\n".join(lines) + "\n"


#: NUMBER digit pairs read as hex (byte 0xAB for the digits "AB") -> 10*A + B + 1.
_PAIRS: Final = bytes((((c >> 4) * 10 + (c & 15) + 1) & 0xFF) for c in range(256))
_CACHE: dict[tuple[tuple[int, str], ...], Callable[..., BatchEncoder]] = {}
_CACHE_MAX: Final = 256


def batch_encoder(
    kinds: Sequence[tuple[int, str]], bodies: Sequence[Callable[[object], bytes]], nulls: Sequence[bytes]
) -> BatchEncoder:
    """The batch encoder for binds of ``kinds`` (see :func:`batch_source`),
    with each bind's body encoder and NULL form in the same (wire) order."""
    key = tuple((int(i), str(kind)) for i, kind in kinds)
    make = _CACHE.get(key)
    if make is None:
        source = batch_source(key)
        args = ", ".join([f"body{k}" for k in range(len(key))] + [f"null{k}" for k in range(len(key))])
        wrapped = f"def make({args}):\n" + "\n".join("    " + line for line in source.splitlines()) + "\n    return encode_batch\n"
        namespace: dict[str, object] = {"datetime": _dt.datetime, "fromhex": bytes.fromhex, "PAIRS": _PAIRS}
        exec(compile(wrapped, f"<batch encoder {key!r}>", "exec"), namespace)
        found = namespace["make"]
        assert callable(found)
        make = found
        if len(_CACHE) < _CACHE_MAX:
            _CACHE[key] = make
    encoder: BatchEncoder = make(*bodies, *nulls)
    return encoder
