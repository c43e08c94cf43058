"""Run decoders: one function per row shape that decodes a run of ordinary
ROW_DATA messages in one loop, each value straight to its final Python value.

Why: a row decoded column by column through one function per value costs a
call, a slice and a copy per value, and most of a fetch's time went there.
A run decoder is Python source generated for the shape of a describe (one
code template per column kind, see :data:`KINDS`), compiled once per shape
and kept: each value is decoded inline from the buffer (NUMBER digits by
table, DATE into ``datetime`` directly, BINARY_DOUBLE by one ``struct`` read
and a sign flip, text by one ``decode``), and a row costs one tuple.

Only ordinary rows take this path: every value complete and short
(length byte 1..253), no bit vector, no resumed partial row.  At anything
else the run stops *before* that row and returns its offset; the caller
reads it with :meth:`~oracle_sansio.ttc.messages.rows.RowDecoder.decode`,
which raises :class:`~oracle_sansio.errors.NeedMoreData` or the typed
:class:`~oracle_sansio.errors.DecodeError`.  A value the inline code cannot
take (a NUMBER with a fraction, a DATE with a bad field, bad UTF-8) is
handed to the column's own body decoder, so results and errors are the
decoder's.

Safety: the source is built only from the kind names below and column
indices, never from anything the server sent (column names stay out), and
the decoders are passed in as arguments, not written into the source.
"""

from __future__ import annotations

import datetime as _dt
import struct
import textwrap
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Final

from ... import codecs
from ...codecs import number as _number
from ...errors import DecodeError

__all__ = ["KINDS", "MAX_RUN_COLUMNS", "RunDecoder", "kind_of", "run_decoder", "run_source"]

#: Decodes ordinary rows from ``pos`` (a ROW_DATA type byte) onwards into
#: ``rows``; returns the offset of the first message it did not take.
RunDecoder = Callable[[bytes | bytearray, int, list[tuple[object, ...]]], int]
#: A body decoder: a plain CLR value's bytes -> its Python value.
_Body = Callable[[bytes], object]

_SKIP: Final = "skip"
_CALL: Final = "call"
_TEXT: Final = "text"
_INT: Final = "int"
_INT_OR_FLOAT: Final = "int_or_float"
_NUMBER_FLOAT: Final = "number_float"
_NUMBER_DECIMAL: Final = "number_decimal"
_DATE: Final = "date"
_TIMESTAMP: Final = "timestamp"
_DOUBLE: Final = "double"
_FLOAT: Final = "float"

#: The body decoders whose work is written inline, by kind.
_INLINE: Final[dict[object, str]] = {
    codecs.decode_text: _TEXT,
    # Both return the same int for an integral value; a fraction goes to the decoder.
    codecs.decode_number: _INT,
    codecs.decode_number_int_or_float: _INT_OR_FLOAT,
    codecs.decode_number_float: _NUMBER_FLOAT,
    codecs.decode_number_decimal: _NUMBER_DECIMAL,
    codecs.decode_date: _DATE,
    codecs.decode_timestamp: _TIMESTAMP,
    codecs.decode_binary_double: _DOUBLE,
    codecs.decode_binary_float: _FLOAT,
}

# One value: its length byte, then the value in buf[q:p]; a NULL; or the
# chunked form (254), which leaves the run.  Nothing here checks that the
# value is inside the buffer: an index past the end raises IndexError, and a
# short slice makes at most a wrong value, a DecodeError or a row ending
# past the buffer, which the row's code then refuses (see run_source).
_VALUE: Final = """\
            n = buf[p]
            if 0 < n < 254:
                q = p + 1
                p = q + n
{body}
            elif n == 254:
                break
            else:
                v{i} = None
                p += 1"""


def _number_body(*, value: str, shifts: str, ok: str = "") -> str:
    """A positive NUMBER of up to five base-100 digits ``x`` whose last digit
    weighs ``100**b``, made ``value`` when ``shifts`` and ``ok``; anything else
    goes to the decoder.  An invalid digit makes ``x`` negative (number.py's
    table), and a float is made as number.py makes it (one exact division or
    product, correctly rounded), so results are the decoder's to the bit.  The
    exponent and digit bytes come in one struct read per length (about 35 ns
    less than indexing them one by one)."""
    test = f"x > 0 and {shifts}" + (f" and {ok}" if ok else "")
    return f"""\
                if n == 4:
                    b, x1, x2, x3 = n4(buf, q)
                    x = (pd[x1] * 100 + pd[x2]) * 100 + pd[x3]
                elif n == 3:
                    b, x1, x2 = n3(buf, q)
                    x = pd[x1] * 100 + pd[x2]
                elif n == 2:
                    b, x1 = n2(buf, q)
                    x = pd[x1]
                elif n == 5:
                    b, x1, x2, x3, x4 = n5(buf, q)
                    x = ((pd[x1] * 100 + pd[x2]) * 100 + pd[x3]) * 100 + pd[x4]
                elif n == 6:
                    b, x1, x2, x3, x4, x5 = n6(buf, q)
                    x = (((pd[x1] * 100 + pd[x2]) * 100 + pd[x3]) * 100 + pd[x4]) * 100 + pd[x5]
                else:
                    b = x = 0
                b -= 191 + n
                v{{i}} = ({value}) if {test} else d{{i}}(bytes(buf[q:p]))"""


_BODIES: Final[dict[str, str]] = {
    _CALL: """\
                v{i} = d{i}(bytes(buf[q:p]))""",
    _TEXT: """\
                try:
                    v{i} = buf[q:p].decode()
                except UnicodeDecodeError:
                    v{i} = d{i}(bytes(buf[q:p]))""",
    _INT: _number_body(value="x * p100[b]", shifts="b >= 0"),
    _INT_OR_FLOAT: _number_body(
        ok="(b >= 0 or x % 100)", value="x * p100[b] if b >= 0 else x / p10f[-2 * b]", shifts="b >= -11"
    ),
    _NUMBER_FLOAT: _number_body(
        value="x * p10f[2 * b] if b >= 0 else x / p10f[-2 * b]", shifts="-11 <= b <= 11"
    ),
    # Integers only: a fraction's Decimal keeps number.py's exponent rules.
    _NUMBER_DECIMAL: _number_body(value="dec(x * p100[b])", shifts="b >= 0"),
    # The seven date bytes in one struct read (about 50 ns less than seven
    # indexings); a time of 00:00:00 (bytes 1, 1, 1), the common DATE, takes
    # the three-argument constructor.
    _DATE: """\
                if n == 7:
                    c, y, mo, dd, h, mi, s = u7(buf, q)
                    if 100 <= y <= 199:
                        try:
                            if h == mi == s == 1:
                                v{i} = dt(c * 100 + y - 10100, mo, dd)
                            else:
                                v{i} = dt(c * 100 + y - 10100, mo, dd, h - 1, mi - 1, s - 1)
                        except ValueError:
                            v{i} = d{i}(bytes(buf[q:p]))
                    else:
                        v{i} = d{i}(bytes(buf[q:p]))
                else:
                    v{i} = d{i}(bytes(buf[q:p]))""",
    _TIMESTAMP: """\
                x = 0 if n == 7 else u4(buf, q + 7)[0] if n == 11 else -1
                c, y, mo, dd, h, mi, s = u7(buf, q)
                if 0 <= x <= 999999999 and 100 <= y <= 199:
                    try:
                        v{i} = dt(c * 100 + y - 10100, mo, dd, h - 1, mi - 1, s - 1, x // 1000)
                    except ValueError:
                        v{i} = d{i}(bytes(buf[q:p]))
                else:
                    v{i} = d{i}(bytes(buf[q:p]))""",
    # Oracle sets the sign bit of a non-negative value (read raw, it is the
    # negated value) and inverts every bit of a negative one (floats.py).
    _DOUBLE: """\
                if n != 8:
                    v{i} = d{i}(bytes(buf[q:p]))
                elif buf[q] & 128:
                    v{i} = -f8(buf, q)[0]
                else:
                    v{i} = f8(buf[q:p].translate(inv))[0]""",
    _FLOAT: """\
                if n != 4:
                    v{i} = d{i}(bytes(buf[q:p]))
                elif buf[q] & 128:
                    v{i} = -f4(buf, q)[0]
                else:
                    v{i} = f4(buf[q:p].translate(inv))[0]""",
}

#: Every column kind a run decoder knows ("skip": a column never sent).
KINDS: Final = frozenset((_SKIP, *_BODIES))

# The generated code's constants, read into locals once per run.
_NAMESPACE: Final[dict[str, object]] = {
    "_pd": _number._POS_DIGITS,  # noqa: SLF001 - the one table of base-100 digits
    "_p100": _number._POW100,  # noqa: SLF001
    "_p10f": _number._FLOAT_POW10,  # noqa: SLF001
    "_dt": _dt.datetime,
    "_dec": Decimal,
    "_f8": struct.Struct(">d").unpack_from,
    "_f4": struct.Struct(">f").unpack_from,
    "_u4": struct.Struct(">I").unpack_from,
    "_u7": struct.Struct("7B").unpack_from,
    **{f"_n{k}": struct.Struct(f"{k}B").unpack_from for k in range(2, 7)},
    "_inv": bytes(255 - b for b in range(256)),
    "DecodeError": DecodeError,
    "StructError": struct.error,
}

#: Widest row given a run decoder.  Compiling the source costs about 1 ms of CPU per
#: column, a little more than linearly: a describe of ``Limits.max_columns`` (4,096)
#: columns, from a wide table or a hostile server, took seconds on the event loop.
#: Wider rows take the row-at-a-time path, where a row's own work dwarfs its dispatch.
MAX_RUN_COLUMNS: Final = 64

# Compiled factories by shape, so a describe seen before costs no compile.
_FACTORIES: dict[tuple[str, ...], Callable[..., RunDecoder]] = {}
_MAX_FACTORIES: Final = 256


def kind_of(body: _Body | None, sent: bool) -> str:
    """The kind of a column read as a plain CLR by ``body`` (None: not sent)."""
    if not sent:
        return _SKIP
    return _INLINE.get(body, _CALL)


def run_source(kinds: Sequence[str]) -> str:
    """The source of the factory for a row of ``kinds``: ``make(d0, d1, ...)``
    (one body decoder per column) returns the run decoder.

    Raises:
        ValueError: a kind outside :data:`KINDS` (the source is never built
            from anything else).
    """
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown column kind {kind!r}")
    lines = [
        f"def make({', '.join(f'd{i}' for i in range(len(kinds)))}):",
        "    def run(buf, pos, rows):",
        "        pd, p100, p10f, dt, dec, f8, f4, u4, u7, inv = _pd, _p100, _p10f, _dt, _dec, _f8, _f4, _u4, _u7, _inv",
        "        append = rows.append",
        "        n2, n3, n4, n5, n6 = _n2, _n3, _n4, _n5, _n6",
        "        size = len(buf)",
        "        while pos < size and buf[pos] == 7:",
        "            p = pos + 1",
        "            try:",
    ]
    for i, kind in enumerate(kinds):
        if kind == _SKIP:
            lines.append(f"                v{i} = None")
        else:
            lines.append(textwrap.indent(_VALUE.format(i=i, body=_BODIES[kind].format(i=i)), "    "))
    if not kinds:
        lines.append("                pass")
    values = "".join(f"v{i}, " for i in range(len(kinds)))
    lines += [
        # The general path decides about a row that ends past the buffer or
        # that a value's decoder refused: it raises NeedMoreData or the error.
        "            except (IndexError, DecodeError, StructError):",
        "                break",
        "            if p > size:",
        "                break",
        f"            append(({values}))",
        "            pos = p",
        "        return pos",
        "    return run",
    ]
    return "\n".join(lines) + "\n"


def _factory(kinds: tuple[str, ...]) -> Callable[..., RunDecoder]:
    factory = _FACTORIES.get(kinds)
    if factory is None:
        namespace = dict(_NAMESPACE)
        exec(compile(run_source(kinds), "<row run decoder>", "exec"), namespace)  # noqa: S102 - see module docstring
        made = namespace["make"]
        assert callable(made)  # defined by the source above
        factory = made
        if len(_FACTORIES) >= _MAX_FACTORIES:
            del _FACTORIES[next(iter(_FACTORIES))]
        _FACTORIES[kinds] = factory
    return factory


def run_decoder(kinds: Sequence[str], bodies: Sequence[_Body | None]) -> RunDecoder:
    """The run decoder of a row whose column ``i`` is of ``kinds[i]``, read by ``bodies[i]``.

    Raises:
        ValueError: an unknown kind, or not one body per kind.
    """
    if len(kinds) != len(bodies):
        raise ValueError(f"{len(kinds)} column kinds for {len(bodies)} decoders")
    return _factory(tuple(kinds))(*bodies)
