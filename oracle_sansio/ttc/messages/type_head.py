"""The type block that opens every bind, define and DESCRIBE column (docs/protocol-ttc.md 3.3, 4.1).

python-oracledb writes it in impl/thin/messages/base.pyx
``_write_column_metadata`` and reads it in ``_process_metadata``: type, flags,
precision, scale, buffer size, array elements, continuation flags, OID,
version, charset id, charset form, max size, then oaccolid from field version
8 (12.2).  Bind metadata and describe columns differ only in how they write
precision/scale and the version; those two choices are parameters here, so
one reader and one writer serve both.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from ...errors import EncodeError
from ..constants import FieldVersion
from ..wire import Reader, Writer

__all__ = ["TypeHead", "HasTypeHead", "encode_type_head", "decode_type_head"]


class TypeHead(NamedTuple):
    """The fields of the block, in wire order."""

    ora_type: int
    flags: int
    precision: int
    scale: int
    buffer_size: int
    max_array_elements: int
    cont_flags: int
    oid: bytes | None
    version: int
    charset_id: int
    csfrm: int
    max_size: int
    oaccolid: int


class HasTypeHead(Protocol):
    """What :func:`encode_type_head` reads from a metadata object (max size comes apart: names differ)."""

    @property
    def ora_type(self) -> int: ...
    @property
    def flags(self) -> int: ...
    @property
    def precision(self) -> int: ...
    @property
    def scale(self) -> int: ...
    @property
    def buffer_size(self) -> int: ...
    @property
    def max_array_elements(self) -> int: ...
    @property
    def cont_flags(self) -> int: ...
    @property
    def oid(self) -> bytes | None: ...
    @property
    def version(self) -> int: ...
    @property
    def charset_id(self) -> int: ...
    @property
    def csfrm(self) -> int: ...
    @property
    def oaccolid(self) -> int: ...


def encode_type_head(
    w: Writer,
    m: HasTypeHead,
    *,
    max_size: int,
    field_version: int,
    signed_scale: bool,
    object_version: bool,
) -> None:
    """Write the block.

    ``signed_scale``: precision and scale are signed bytes (describe columns;
    NUMBER scale can be negative); otherwise raw unsigned bytes (binds send 0).
    ``object_version``: with an OID the version is a ``ub4`` (object binds),
    otherwise always a ``ub2``.

    Raises:
        EncodeError: a value does not fit its field.
    """
    w.ub1(m.ora_type)
    w.ub1(m.flags)
    if signed_scale:
        for what, value in (("precision", m.precision), ("scale", m.scale)):
            if not -128 <= value <= 127:
                raise EncodeError(f"column {what} {value} does not fit in one signed byte")
            w.ub1(value & 0xFF)
    else:
        w.ub1(m.precision)
        w.ub1(m.scale)
    w.ub4(m.buffer_size)
    w.ub4(m.max_array_elements)
    w.ub8(m.cont_flags)
    # No OID is a DLC of length 0: the same single 0 byte as ``ub4 0``.
    w.dlc(m.oid)
    if object_version and m.oid:
        w.ub4(m.version)
    else:
        w.ub2(m.version)
    w.ub2(m.charset_id)
    w.ub1(m.csfrm)
    w.ub4(max_size)
    if field_version >= FieldVersion.V12_2:
        w.ub4(m.oaccolid)


def decode_type_head(r: Reader, *, field_version: int, signed_scale: bool, object_version: bool) -> TypeHead:
    """Read the block; the two choices as in :func:`encode_type_head`.

    With ``object_version`` the version is read as a ``ub4`` whether or not an
    OID came (the same bytes as a ``ub2`` for small values).

    Raises:
        NeedMoreData: incomplete.
        DecodeError: a malformed integer.
    """
    byte = r.sb1 if signed_scale else r.ub1
    return TypeHead(
        ora_type=r.ub1(),
        flags=r.ub1(),
        precision=byte(),
        scale=byte(),
        buffer_size=r.ub4(),
        max_array_elements=r.ub4(),
        cont_flags=r.ub8(),
        oid=r.dlc(),
        version=r.ub4() if object_version else r.ub2(),
        charset_id=r.ub2(),
        csfrm=r.ub1(),
        max_size=r.ub4(),
        oaccolid=r.ub4() if field_version >= FieldVersion.V12_2 else 0,
    )
