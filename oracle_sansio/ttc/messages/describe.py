"""DESCRIBE_INFO (16): the select list of a query (docs/protocol-ttc.md 4.1).

Layout per python-oracledb impl/thin/messages/base.pyx
``_process_describe_info`` and ``_process_metadata`` (node-oracledb
``processDescribeInfo`` agrees), decoded byte for byte from a real 23ai reply
(oracle-nio SelectOneFromDualMessage.swift, docs/protocol-ttc.md 4.14)::

    16, CLR prefix, ub4 max row size, ub4 column count, [ub1 0x82 if columns],
    column metadata x N, DLC current date, ub4 dcbflag, ub4 dcbmdbz,
    ub4 dcbmnpr, ub4 dcbmxpr, DLC dcbqcky

A REF cursor or implicit result carries the same body without the leading CLR
(``with_prefix=False``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...codecs import OracleType
from ...errors import EncodeError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import CHARSET_UTF8, CHARSET_UTF16, FieldVersion, MessageType
from ..wire import Reader, Writer
from .type_head import decode_type_head, encode_type_head

__all__ = ["Annotation", "ColumnMetadata", "DescribeInfo", "column_for", "UDS_IS_JSON", "UDS_IS_OSON"]

#: (key, value, flags) of one 23ai column annotation.
Annotation = tuple[str, str, int]

#: UDS flags bits python-oracledb acts on (constants.pxi TNS_UDS_FLAGS_*).
UDS_IS_JSON = 0x100
UDS_IS_OSON = 0x800

#: The byte after a non-zero column count: skipped by clients; real 23ai sends 0x82.
_COLUMNS_BYTE = 0x82


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnMetadata:
    """One column of a DESCRIBE_INFO, every field the wire carries.

    ``buffer_size`` 0 means the column is NULL in every row and its value is
    not sent (LONG, LONG RAW and UROWID excepted).
    """

    name: str = ""
    ora_type: int = OracleType.VARCHAR
    csfrm: int = 0
    flags: int = 0
    precision: int = 0
    scale: int = 0
    buffer_size: int = 0
    max_array_elements: int = 0
    cont_flags: int = 0
    oid: bytes | None = None
    version: int = 0
    charset_id: int = 0
    max_size: int = 0
    oaccolid: int = 0
    nullable: bool = True
    schema: str | None = None
    type_name: str | None = None
    position: int = 0
    uds_flags: int = 0
    domain_schema: str | None = None
    domain_name: str | None = None
    annotations: tuple[Annotation, ...] = ()
    vector_dimensions: int = 0
    vector_format: int = 0
    vector_flags: int = 0

    def encode(self, w: Writer, *, field_version: int) -> None:
        """Write the column (fields above ``field_version`` are left out).

        Raises:
            EncodeError: precision or scale outside -128..127 (one raw byte each).
        """
        encode_type_head(
            w, self, max_size=self.max_size, field_version=field_version, signed_scale=True, object_version=False
        )
        w.ub1(1 if self.nullable else 0)
        name = self.name.encode()
        # The v7 name length is ignored by clients; the real server sends the
        # name's byte length (7 for "'HELLO'", 2 for "ID" in the captures).
        w.ub1(min(len(name), 0xFF))
        w.dlc(name)
        w.dlc_str(self.schema)
        w.dlc_str(self.type_name)
        w.ub2(self.position)
        w.ub4(self.uds_flags)
        if field_version >= FieldVersion.V23_1:
            w.dlc_str(self.domain_schema)
            w.dlc_str(self.domain_name)
        if field_version >= FieldVersion.V23_1_EXT3:
            count = len(self.annotations)
            w.ub4(count)
            if count:
                # Count, pointer-like byte, count again, byte: python skips the
                # single bytes; their real values are UNCONFIRMED (we send 1).
                w.ub1(1)
                w.ub4(count)
                w.ub1(1)
                for key, text, flags in self.annotations:
                    w.dlc_str(key)
                    w.dlc_str(text)
                    w.ub4(flags)
                w.ub4(0)
        if field_version >= FieldVersion.V23_4:
            w.ub4(self.vector_dimensions)
            w.ub1(self.vector_format)
            w.ub1(self.vector_flags)

    @classmethod
    def decode(cls, r: Reader, *, field_version: int, limits: Limits = DEFAULT_LIMITS) -> ColumnMetadata:
        """Read one column.

        Raises:
            NeedMoreData: the column is not complete.
            DecodeError: a name is not UTF-8, or an integer is malformed.
            LimitExceededError: too many annotations.
        """
        head = decode_type_head(r, field_version=field_version, signed_scale=True, object_version=False)
        nullable = r.ub1() != 0
        r.ub1()  # v7 name length
        name = r.dlc_str("column name") or ""
        schema = r.dlc_str("column type schema")
        type_name = r.dlc_str("column type name")
        position = r.ub2()
        uds_flags = r.ub4()
        domain_schema = domain_name = None
        if field_version >= FieldVersion.V23_1:
            domain_schema = r.dlc_str("domain schema")
            domain_name = r.dlc_str("domain name")
        annotations: tuple[Annotation, ...] = ()
        if field_version >= FieldVersion.V23_1_EXT3 and r.ub4():
            r.ub1()
            count = r.ub4()
            limits.check("column annotation count", count, limits.max_kv_pairs)
            r.ub1()
            items: list[Annotation] = []
            for _ in range(count):
                key = r.dlc_str("annotation key") or ""
                value = r.dlc_str("annotation value") or ""
                items.append((key, value, r.ub4()))
            r.ub4()
            annotations = tuple(items)
        vector_dimensions = vector_format = vector_flags = 0
        if field_version >= FieldVersion.V23_4:
            vector_dimensions = r.ub4()
            vector_format = r.ub1()
            vector_flags = r.ub1()
        return cls(
            **head._asdict(),
            name=name,
            nullable=nullable,
            schema=schema,
            type_name=type_name,
            position=position,
            uds_flags=uds_flags,
            domain_schema=domain_schema,
            domain_name=domain_name,
            annotations=annotations,
            vector_dimensions=vector_dimensions,
            vector_format=vector_format,
            vector_flags=vector_flags,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DescribeInfo:
    """A DESCRIBE_INFO message: the columns plus the fields clients skip.

    ``prefix`` is the opaque leading CLR (23 bytes from a real server: 16
    opaque bytes and a DATE; a double may leave it empty).
    """

    max_row_size: int = 0
    columns: tuple[ColumnMetadata, ...] = ()
    prefix: bytes = b""
    current_date: bytes | None = None
    dcb_flags: int = 0
    dcb_mdbz: int = 0
    dcb_mnpr: int = 0
    dcb_mxpr: int = 0
    dcb_qcky: bytes | None = None
    #: The skipped byte after a non-zero column count.
    columns_byte: int = _COLUMNS_BYTE

    def encode(self, w: Writer, *, field_version: int) -> None:
        """Write the message, type byte 16 first.

        Raises:
            EncodeError: a column cannot be encoded.
        """
        w.ub1(MessageType.DESCRIBE_INFO)
        self.encode_body(w, field_version=field_version)

    def encode_body(self, w: Writer, *, field_version: int, with_prefix: bool = True) -> None:
        """Write everything after the type byte; without the prefix CLR for REF cursors."""
        if with_prefix:
            w.clr(self.prefix)
        w.ub4(self.max_row_size)
        w.ub4(len(self.columns))
        if self.columns:
            w.ub1(self.columns_byte)
        for column in self.columns:
            column.encode(w, field_version=field_version)
        w.dlc(self.current_date)
        w.ub4(self.dcb_flags)
        w.ub4(self.dcb_mdbz)
        w.ub4(self.dcb_mnpr)
        w.ub4(self.dcb_mxpr)
        w.dlc(self.dcb_qcky)

    @classmethod
    def decode_body(
        cls,
        r: Reader,
        *,
        field_version: int,
        limits: Limits = DEFAULT_LIMITS,
        with_prefix: bool = True,
    ) -> DescribeInfo:
        """Read the message after its type byte (or a REF cursor's describe body).

        Raises:
            NeedMoreData: the message is not complete.
            LimitExceededError: more columns than ``limits.max_columns``.
            DecodeError: a malformed field.
        """
        prefix = (r.clr() or b"") if with_prefix else b""
        max_row_size = r.ub4()
        count = r.ub4()
        limits.check("describe column count", count, limits.max_columns)
        columns_byte = r.ub1() if count else _COLUMNS_BYTE
        def column(r: Reader) -> ColumnMetadata:
            return ColumnMetadata.decode(r, field_version=field_version, limits=limits)

        columns = r.repeat(count, column, ("columns", field_version, limits))
        current_date = r.dlc()
        dcb_flags = r.ub4()
        dcb_mdbz = r.ub4()
        dcb_mnpr = r.ub4()
        dcb_mxpr = r.ub4()
        dcb_qcky = r.dlc()
        return cls(
            max_row_size=max_row_size,
            columns=columns,
            prefix=prefix,
            current_date=current_date,
            dcb_flags=dcb_flags,
            dcb_mdbz=dcb_mdbz,
            dcb_mnpr=dcb_mnpr,
            dcb_mxpr=dcb_mxpr,
            dcb_qcky=dcb_qcky,
            columns_byte=columns_byte,
        )


# Fixed value sizes (python-oracledb base_impl.pxd ORA_TYPE_SIZE_*): the
# NUMBER 22, DATE 7 and CHAR = max size entries match the 23ai captures.
_FIXED_BUFFER: dict[int, int] = {
    OracleType.NUMBER: 22,
    OracleType.BINARY_INTEGER: 22,
    OracleType.DATE: 7,
    OracleType.TIMESTAMP: 11,
    OracleType.TIMESTAMP_LTZ: 11,
    OracleType.TIMESTAMP_TZ: 13,
    OracleType.INTERVAL_DS: 11,
    OracleType.INTERVAL_YM: 5,
    OracleType.BINARY_FLOAT: 4,
    OracleType.BINARY_DOUBLE: 8,
    OracleType.BOOLEAN: 4,
    OracleType.ROWID: 10,
    OracleType.CLOB: 4000,
    OracleType.BLOB: 4000,
    OracleType.BFILE: 530,
}
_CHAR_TYPES = frozenset({OracleType.VARCHAR, OracleType.CHAR, OracleType.LONG})


def column_for(
    name: str,
    ora_type: int,
    *,
    csfrm: int | None = None,
    precision: int = 0,
    scale: int = 0,
    max_size: int = 0,
    nullable: bool = True,
    buffer_size: int | None = None,
) -> ColumnMetadata:
    """Describe a column the way an Oracle server does (server role).

    * ``csfrm`` defaults to 1 for character types and CLOB, 0 otherwise; the
      charset id follows it (873 for 1, 2000 for 2).
    * character types: ``max_size`` is in characters and the buffer in bytes:
      ``max_size`` for csfrm 1 (byte semantics; CHAR(5) 'hello' has buffer 5
      and max size 5 in the 23ai capture), twice that for NCHAR (AL16UTF16);
    * RAW: buffer = max size; LONG and LONG RAW: buffer 0 (they are sent anyway);
    * fixed-size types get python-oracledb's sizes (NUMBER 22 as in the capture).

    Sizes not seen in a capture (ROWID 10, LOBs 4000, UROWID 4000) are
    UNCONFIRMED; clients only test the buffer size for zero.  Pass
    ``buffer_size`` to override.
    """
    if csfrm is None:
        csfrm = 1 if ora_type in _CHAR_TYPES or ora_type == OracleType.CLOB else 0
    if ora_type in (OracleType.LONG, OracleType.LONG_RAW):
        size = 0
    elif ora_type in _CHAR_TYPES:
        size = max_size * (2 if csfrm == 2 else 1)
    elif ora_type == OracleType.RAW:
        size = max_size
    elif ora_type == OracleType.UROWID:
        size = max_size or 4000
    else:
        size = _FIXED_BUFFER.get(ora_type, max_size)
    charset = CHARSET_UTF16 if csfrm == 2 else CHARSET_UTF8 if csfrm == 1 else 0
    return ColumnMetadata(
        name=name,
        ora_type=ora_type,
        csfrm=csfrm,
        precision=precision,
        scale=scale,
        buffer_size=size if buffer_size is None else buffer_size,
        charset_id=charset,
        max_size=max_size,
        nullable=nullable,
    )
