"""Wire forms of LOB values, registered in values.py's handler tables
(docs/protocol-ttc.md 4.3, 6.13).

* column form (ROW_DATA, out binds, RETURNING; server to client): ``ub4 n``
  (0 = NULL), then, except for BFILE, ``ub8 size`` and ``ub4 chunk size``,
  then a CLR locator (python-oracledb impl/thin/packet.pyx
  ``read_lob_with_length``; [live] ``01 28 01 0B 02 1F C4 28`` + 40 bytes);
* bind form (bind rows; client to server): NULL is ``00`` (base.pyx
  ``_write_bind_params_column``), else DLC locator, ``ub4`` length + CLR
  (packet.pyx ``write_lob_with_length``).

A value is a :class:`~.lob.LobValue` or its locator bytes; str or data bytes
meant as LOB *content* must go through a temporary LOB (CREATE_TEMP, WRITE).
"""

from __future__ import annotations

from collections.abc import Callable

from ...codecs import OracleType
from ...errors import DecodeError, EncodeError
from ..wire import Reader, Writer
from .lob import LobValue, locator_limit

__all__ = ["lob_column_reader", "lob_bind_reader", "lob_column_writer", "lob_bind_writer"]

#: Same shapes as values.ReaderDecoder / ValueEncoder (values imports this module, not the reverse).
ValueReader = Callable[[Reader], object]
ValueWriter = Callable[[Writer, object], None]


def _name(ora_type: int, csfrm: int) -> str:
    if ora_type == OracleType.CLOB:
        return "NCLOB" if csfrm == 2 else "CLOB"
    return "BLOB" if ora_type == OracleType.BLOB else "BFILE"


def _as_lob(value: object, ora_type: int, csfrm: int) -> LobValue:
    if isinstance(value, LobValue):
        lob = value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        lob = LobValue(locator=bytes(value))
    else:
        raise EncodeError(
            f"a {_name(ora_type, csfrm)} value must be a LobValue (or its locator bytes), not "
            f"{type(value).__name__}; data goes into a temporary LOB (LOB_OP CREATE_TEMP and WRITE) first"
        )
    if not lob.locator:
        raise EncodeError("a LOB value needs a non-empty locator (use None for NULL)")
    return lob


def _read_column(r: Reader, *, bfile: bool) -> LobValue | None:
    # n is the locator length in what we write; python-oracledb only tests it
    # for 0, so it is bounded like any length but not compared with the locator.
    n = r.ub4()
    if n == 0:
        return None
    r.limits.check("LOB value length", n, r.limits.max_bytes_length)
    size = chunk_size = 0
    if not bfile:
        size = r.ub8()
        chunk_size = r.ub4()
    locator = r.clr()
    if locator is None:
        raise DecodeError("LOB value has a length but a NULL locator")
    r.limits.check("LOB locator length", len(locator), locator_limit(r.limits))
    return LobValue(locator=locator, size=size, chunk_size=chunk_size)


def _read_lob_column(r: Reader) -> object:
    return _read_column(r, bfile=False)


def _read_bfile_column(r: Reader) -> object:
    return _read_column(r, bfile=True)


def lob_column_reader(ora_type: int, csfrm: int) -> ValueReader:
    """The column-form reader (None or a :class:`LobValue`); BFILE has no size and chunk size.

    The reader raises NeedMoreData when incomplete, DecodeError for a NULL
    locator after a non-zero length, LimitExceededError for an oversized
    length or a locator above :data:`~.lob.MAX_LOCATOR_LENGTH`.
    """
    return _read_bfile_column if ora_type == OracleType.BFILE else _read_lob_column


def _read_lob_bind(r: Reader) -> object:
    n = r.ub4()
    if n == 0:
        return None
    r.limits.check("LOB bind locator length", n, locator_limit(r.limits))
    locator = r.clr()
    if locator is None or len(locator) != n:
        got = 0 if locator is None else len(locator)
        raise DecodeError(f"LOB bind announces a {n}-byte locator but carries {got} bytes")
    return LobValue(locator=locator)


def lob_bind_reader(ora_type: int, csfrm: int) -> ValueReader:
    """The bind-form reader (server role): None or ``LobValue(locator=...)``.

    The reader raises LimitExceededError for a locator length above
    :data:`~.lob.MAX_LOCATOR_LENGTH` and DecodeError when the CLR does not
    hold as many bytes as announced.
    """
    return _read_lob_bind


def lob_column_writer(ora_type: int, csfrm: int) -> ValueWriter:
    """The column-form writer (server role: ROW_DATA, out binds, RETURNING).

    ``n`` is the locator length; the writer raises EncodeError for anything
    but None, a :class:`LobValue` or locator bytes.
    """
    bfile = ora_type == OracleType.BFILE

    def write(w: Writer, value: object) -> None:
        if value is None:
            w.ub4(0)
            return
        lob = _as_lob(value, ora_type, csfrm)
        w.ub4(len(lob.locator))
        if not bfile:
            w.ub8(lob.size)
            w.ub4(lob.chunk_size)
        w.clr(lob.locator)

    return write


def lob_bind_writer(ora_type: int, csfrm: int) -> ValueWriter:
    """The bind-form writer (client role): ``00`` for NULL, else DLC locator.

    The writer raises EncodeError for anything but None, a :class:`LobValue`
    or locator bytes.
    """

    def write(w: Writer, value: object) -> None:
        if value is None:
            w.ub1(0)
            return
        w.dlc(_as_lob(value, ora_type, csfrm).locator)

    return write
