"""LOBs: locators and the LOB_OP call (96) with its reply (docs/protocol-ttc.md
4.13, 6.13).

A LOB travels as a *locator*, an opaque handle the server hands out; the data
moves only through LOB_OP calls (READ, WRITE, TRIM, ...).  Clients look at four
flag bytes of a locator and nothing else, so a server may put what it likes in
the rest: :func:`make_locator` builds 40-byte locators that carry a LOB id for
our server role and :func:`locator_id` finds it again.  A LOB column or bind
value is a :class:`LobValue` (its wire forms live in ``_lob_values.py`` and are
reached through ``values.py``).

LOB_OP request layout per python-oracledb impl/thin/messages/lob_op.pyx
``_write_message``, reply per ``_process_message`` and
``_process_return_parameters``.  The FREE_TEMP | ARRAY piggyback
(messages/base.pyx ``_write_close_temp_lobs_piggyback``) writes some fields
with other widths, but every one of them holds 0 there, so its bytes are those
of the ordinary layout with all the locators as one source locator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ...codecs import OracleType
from ...errors import DecodeError, EncodeError, UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import FunctionCode, LobOp, MessageType
from ..wire import Reader, Writer
from .function import FunctionHeader

__all__ = [
    "LobValue",
    "LocatorFlags",
    "LobOpRequest",
    "LobOpResult",
    "LOB_TYPES",
    "LOCATOR_LENGTH",
    "MAX_LOCATOR_LENGTH",
    "DURATION_SESSION",
    "OPEN_READ_WRITE",
    "OPEN_READ_ONLY",
    "READ_ALL",
    "make_locator",
    "locator_id",
    "locator_type",
    "locator_info",
    "split_locators",
    "locator_limit",
    "encode_lob_data",
    "decode_lob_data_body",
]

#: Oracle types whose values are locators.
LOB_TYPES: Final = frozenset({OracleType.CLOB, OracleType.BLOB, OracleType.BFILE})
#: Length of the locators python-oracledb creates (CREATE_TEMP sends 40 zero bytes).
LOCATOR_LENGTH: Final = 40
#: Longest locator accepted from the wire.  LOB locators are 40 bytes; BFILE
#: locators add a directory and a file name (at most 30 + 255 characters in
#: Oracle) after offset 16, so 4 KiB leaves ample room.
MAX_LOCATOR_LENGTH: Final = 4096
#: CREATE_TEMP's dest length: the LOB lives for the session (TNS_DURATION_SESSION).
DURATION_SESSION: Final = 10
#: OPEN amounts (TNS_LOB_OPEN_READ_WRITE for LOBs, TNS_LOB_OPEN_READ_ONLY for BFILE).
OPEN_READ_WRITE: Final = 2
OPEN_READ_ONLY: Final = 11
#: The READ amount python-oracledb sends to read everything (lob.pyx get_max_amount).
READ_ALL: Final = 2**32 - 1

# Locator flag bytes and bits (constants.pxi TNS_LOB_LOC_*).
_FLAG_1: Final = 4
_FLAG_2: Final = 5
_FLAG_3: Final = 6
_FLAG_4: Final = 7
_BLOB: Final = 0x01
_VALUE_BASED: Final = 0x20
_ABSTRACT: Final = 0x40
_INIT: Final = 0x08
_VAR_LENGTH_CHARSET: Final = 0x80
_TEMP: Final = 0x01
_LITTLE_ENDIAN: Final = 0x40

# Our own locator layout.  Bytes 0-1 hold the length less 2, as QLocators do
# (packet.pyx write_qlocator), so that a FREE_TEMP | ARRAY list of locators can
# be split again; 8-16 a marker, 16-24 the LOB id, 24 and 25 the type and csfrm.
# python-oracledb reads none of these (it reads 16+ only for BFILE names, and
# make_locator does not make BFILE locators).
_MAGIC: Final = b"sansio\x00\x01"
_MAGIC_AT: Final = 8
_ID_AT: Final = 16
_TYPE_AT: Final = 24

_NULL_LOB_POINTER_OPS: Final = frozenset({LobOp.CREATE_TEMP, LobOp.IS_OPEN, LobOp.FILE_EXISTS, LobOp.FILE_ISOPEN})
_BOOL_OPS: Final = frozenset({LobOp.IS_OPEN, LobOp.FILE_EXISTS, LobOp.FILE_ISOPEN})
_FREE_ARRAY: Final = LobOp.FREE_TEMP | LobOp.ARRAY


@dataclass(frozen=True, slots=True, kw_only=True)
class LobValue:
    """A LOB column or bind value: the locator, plus size and chunk size when fetched.

    ``size`` counts characters (CLOB, NCLOB) or bytes (BLOB); BFILE values and
    bind values carry neither (0).
    """

    locator: bytes
    size: int = 0
    chunk_size: int = 0


# ------------------------------------------------------------------ locators


@dataclass(frozen=True, slots=True, kw_only=True)
class LocatorFlags:
    """The locator flag bits python-oracledb looks at (lob.pyx, constants.pxi)."""

    is_blob: bool
    is_value_based: bool
    is_abstract: bool
    is_initialized: bool
    var_length_charset: bool
    is_temporary: bool
    little_endian: bool

    @property
    def needs_free(self) -> bool:
        """Abstract or temporary: python-oracledb frees such a LOB through FREE_TEMP (lob.pyx free_lob)."""
        return self.is_abstract or self.is_temporary

    def encoding(self, csfrm: int) -> str:
        """The Python codec of CLOB / NCLOB data under this locator (lob.pyx ``_get_encoding``).

        NCLOB (csfrm 2) is always UTF-16BE; a CLOB is UTF-16 when the
        variable-length-charset bit is set (little-endian only if that bit
        and the little-endian bit are both set), else UTF-8.
        """
        if csfrm == 2:
            return "utf-16-be"
        if self.var_length_charset:
            return "utf-16-le" if self.little_endian else "utf-16-be"
        return "utf-8"


def locator_info(locator: bytes) -> LocatorFlags:
    """Read the flag bytes at offsets 4-7.

    Raises:
        DecodeError: the locator is shorter than 8 bytes.
    """
    if len(locator) < 8:
        raise DecodeError(f"LOB locator of {len(locator)} bytes has no flag bytes")
    f1, f2, f3, f4 = locator[_FLAG_1], locator[_FLAG_2], locator[_FLAG_3], locator[_FLAG_4]
    return LocatorFlags(
        is_blob=bool(f1 & _BLOB),
        is_value_based=bool(f1 & _VALUE_BASED),
        is_abstract=bool(f1 & _ABSTRACT),
        is_initialized=bool(f2 & _INIT),
        var_length_charset=bool(f3 & _VAR_LENGTH_CHARSET),
        is_temporary=bool(f4 & _TEMP),
        little_endian=bool(f4 & _LITTLE_ENDIAN),
    )


def make_locator(lob_id: int, *, ora_type: int, csfrm: int, temporary: bool, utf16: bool = False) -> bytes:
    """A 40-byte locator for our server role carrying ``lob_id``.

    Flags: BLOB 0x01 at offset 4 for a BLOB; for a temporary LOB abstract
    0x40 at 4 and temporary 0x01 at 7; initialized 0x08 at 5; with ``utf16``
    the variable-length-charset bit 0x80 at 6, which makes python-oracledb
    read and write CLOB data as UTF-16BE (a real AL32UTF8 database does so).

    Raises:
        EncodeError: not a CLOB or BLOB, a csfrm that does not suit the type
            (CLOB 1 or 2, BLOB 0), or an id outside 0..2**64-1.
    """
    if ora_type == OracleType.CLOB:
        if csfrm not in (1, 2):
            raise EncodeError(f"a CLOB locator needs csfrm 1 or 2, not {csfrm}")
    elif ora_type == OracleType.BLOB:
        if csfrm != 0:
            raise EncodeError(f"a BLOB locator needs csfrm 0, not {csfrm}")
    else:
        raise EncodeError(f"make_locator makes CLOB and BLOB locators, not type {ora_type}")
    if not 0 <= lob_id < 2**64:
        raise EncodeError(f"LOB id {lob_id} does not fit in 64 bits")
    loc = bytearray(LOCATOR_LENGTH)
    loc[0:2] = (LOCATOR_LENGTH - 2).to_bytes(2, "big")
    loc[_FLAG_1] = (_BLOB if ora_type == OracleType.BLOB else 0) | (_ABSTRACT if temporary else 0)
    loc[_FLAG_2] = _INIT
    loc[_FLAG_3] = _VAR_LENGTH_CHARSET if utf16 else 0
    loc[_FLAG_4] = _TEMP if temporary else 0
    loc[_MAGIC_AT : _MAGIC_AT + len(_MAGIC)] = _MAGIC
    loc[_ID_AT : _ID_AT + 8] = lob_id.to_bytes(8, "big")
    loc[_TYPE_AT] = ora_type
    loc[_TYPE_AT + 1] = csfrm
    return bytes(loc)


def _ours(locator: bytes) -> bool:
    return len(locator) == LOCATOR_LENGTH and locator[_MAGIC_AT : _MAGIC_AT + len(_MAGIC)] == _MAGIC


def locator_id(locator: bytes) -> int | None:
    """The LOB id of a locator :func:`make_locator` made; None for any other
    (python-oracledb's 40 zero bytes sent with CREATE_TEMP, a real server's)."""
    if not _ours(locator):
        return None
    return int.from_bytes(locator[_ID_AT : _ID_AT + 8], "big")


def locator_type(locator: bytes) -> tuple[int, int] | None:
    """(ora type, csfrm) of a locator :func:`make_locator` made, else None."""
    if not _ours(locator):
        return None
    return locator[_TYPE_AT], locator[_TYPE_AT + 1]


def split_locators(data: bytes) -> tuple[bytes, ...]:
    """Split the concatenated locators of a FREE_TEMP | ARRAY call.

    The call carries no per-locator lengths; each locator starts with a
    ``u16be`` of its length less 2 (QLocator layout, and ours; that real LOB
    locators do the same is UNCONFIRMED).

    Raises:
        DecodeError: a length prefix that runs past the data or is shorter
            than the flag bytes.
    """
    out: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise DecodeError(f"FREE_TEMP locator list ends inside a length prefix at byte {pos}")
        size = int.from_bytes(data[pos : pos + 2], "big") + 2
        if size < 8 or pos + size > len(data):
            raise DecodeError(f"FREE_TEMP locator at byte {pos} claims {size} bytes of {len(data) - pos}")
        out.append(data[pos : pos + size])
        pos += size
    return tuple(out)


def locator_limit(limits: Limits) -> int:
    """The longest locator ``limits`` admit: :data:`MAX_LOCATOR_LENGTH` or less."""
    return min(MAX_LOCATOR_LENGTH, limits.max_bytes_length)


# --------------------------------------------------------------- LOB_OP


@dataclass(frozen=True, slots=True, kw_only=True)
class LobOpRequest:
    """A LOB_OP call (96), or the FREE_TEMP | ARRAY piggyback.

    Fields as python-oracledb fills them (lob.pyx ``_create_*_message``):
    ``source_offset`` is 1-based (CREATE_TEMP: the csfrm), ``dest_offset``
    is 0 (CREATE_TEMP: the ora type), ``dest_length`` is 0 (CREATE_TEMP: 10,
    session duration), ``amount`` is sent when not None, ``data`` only by
    WRITE, ``charset_id`` only by CREATE_TEMP; ``locators`` is the list of a
    FREE_TEMP | ARRAY call, which has no ``source_locator``.
    """

    operation: int
    source_locator: bytes | None = None
    dest_length: int = 0
    source_offset: int = 0
    dest_offset: int = 0
    amount: int | None = None
    data: bytes | None = None
    charset_id: int | None = None
    locators: tuple[bytes, ...] = ()

    # ---------------------------------------------------------- builders

    @classmethod
    def read(cls, locator: bytes, offset: int, amount: int) -> LobOpRequest:
        """READ ``amount`` characters / bytes from 1-based ``offset`` (:data:`READ_ALL` for all)."""
        return cls(operation=LobOp.READ, source_locator=locator, source_offset=offset, amount=amount)

    @classmethod
    def write(cls, locator: bytes, offset: int, data: bytes) -> LobOpRequest:
        """WRITE ``data`` (already encoded, see :meth:`LocatorFlags.encoding`) at 1-based ``offset``."""
        return cls(operation=LobOp.WRITE, source_locator=locator, source_offset=offset, data=data)

    @classmethod
    def trim(cls, locator: bytes, new_size: int) -> LobOpRequest:
        """TRIM to ``new_size``."""
        return cls(operation=LobOp.TRIM, source_locator=locator, amount=new_size)

    @classmethod
    def get_length(cls, locator: bytes) -> LobOpRequest:
        """GET_LENGTH (the reply's amount)."""
        return cls(operation=LobOp.GET_LENGTH, source_locator=locator, amount=0)

    @classmethod
    def get_chunk_size(cls, locator: bytes) -> LobOpRequest:
        """GET_CHUNK_SIZE (the reply's amount)."""
        return cls(operation=LobOp.GET_CHUNK_SIZE, source_locator=locator, amount=0)

    @classmethod
    def open(cls, locator: bytes, mode: int = OPEN_READ_WRITE) -> LobOpRequest:
        """OPEN in ``mode`` (2 read/write)."""
        return cls(operation=LobOp.OPEN, source_locator=locator, amount=mode)

    @classmethod
    def close(cls, locator: bytes) -> LobOpRequest:
        """CLOSE."""
        return cls(operation=LobOp.CLOSE, source_locator=locator)

    @classmethod
    def is_open(cls, locator: bytes) -> LobOpRequest:
        """IS_OPEN (the reply's bool flag)."""
        return cls(operation=LobOp.IS_OPEN, source_locator=locator)

    @classmethod
    def file_open(cls, locator: bytes) -> LobOpRequest:
        """FILE_OPEN of a BFILE, read-only (amount 11)."""
        return cls(operation=LobOp.FILE_OPEN, source_locator=locator, amount=OPEN_READ_ONLY)

    @classmethod
    def file_close(cls, locator: bytes) -> LobOpRequest:
        """FILE_CLOSE of a BFILE."""
        return cls(operation=LobOp.FILE_CLOSE, source_locator=locator)

    @classmethod
    def file_exists(cls, locator: bytes) -> LobOpRequest:
        """FILE_EXISTS of a BFILE (the reply's bool flag)."""
        return cls(operation=LobOp.FILE_EXISTS, source_locator=locator)

    @classmethod
    def file_is_open(cls, locator: bytes) -> LobOpRequest:
        """FILE_ISOPEN of a BFILE (the reply's bool flag)."""
        return cls(operation=LobOp.FILE_ISOPEN, source_locator=locator)

    @classmethod
    def create_temp(
        cls, ora_type: int, csfrm: int, charset_id: int, locator: bytes = bytes(LOCATOR_LENGTH)
    ) -> LobOpRequest:
        """CREATE_TEMP of a session-duration LOB; python-oracledb sends 40 zero
        bytes as the locator and charset 873 (the national charset id for NCLOB)."""
        return cls(
            operation=LobOp.CREATE_TEMP,
            source_locator=locator,
            dest_length=DURATION_SESSION,
            source_offset=csfrm,
            dest_offset=ora_type,
            charset_id=charset_id,
        )

    @classmethod
    def free_temp(cls, locators: tuple[bytes, ...] | list[bytes]) -> LobOpRequest:
        """FREE_TEMP | ARRAY of temporary LOBs; sent as a piggyback (``encode(piggyback=True)``)."""
        return cls(operation=_FREE_ARRAY, locators=tuple(locators))

    # ---------------------------------------------------------- wire

    @property
    def is_array(self) -> bool:
        """The FREE_TEMP | ARRAY form."""
        return bool(self.operation & LobOp.ARRAY)

    def _source(self) -> bytes | None:
        if self.locators:
            return b"".join(self.locators)
        return self.source_locator

    def encode(self, w: Writer, *, seq: int, token: int | None, piggyback: bool = False) -> None:
        """Write the call (``03 60``) or, with ``piggyback``, the piggyback (``11 60``).

        Raises:
            EncodeError: fields that python-oracledb never combines (charset
                without CREATE_TEMP or the reverse, data without WRITE or the
                reverse, both a source locator and a locator list).
        """
        op = self.operation
        if (op == LobOp.CREATE_TEMP) != (self.charset_id is not None):
            raise EncodeError("a LOB_OP carries a charset id exactly when it is CREATE_TEMP")
        if (op == LobOp.WRITE) != (self.data is not None):
            raise EncodeError("a LOB_OP carries data exactly when it is WRITE")
        if self.locators and self.source_locator is not None:
            raise EncodeError("a LOB_OP has either a source locator or a locator list")
        source = self._source()
        message_type = MessageType.PIGGYBACK if piggyback else MessageType.FUNCTION
        FunctionHeader(code=FunctionCode.LOB_OP, seq=seq, token=token, message_type=message_type).encode(w)
        w.ub1(0 if source is None else 1)  # source locator pointer
        w.ub4(0 if source is None else len(source))
        w.ub1(0)  # dest locator pointer
        w.ub4(self.dest_length)
        w.ub4(0)  # short source offset
        w.ub4(0)  # short dest offset
        w.ub1(0 if self.charset_id is None else 1)  # charset pointer
        w.ub1(0)  # short amount pointer
        w.ub1(1 if op in _NULL_LOB_POINTER_OPS else 0)  # NULL LOB pointer
        w.ub4(op)
        w.ub1(0)  # SCN array pointer
        w.ub1(0)  # SCN array length
        w.ub8(self.source_offset)
        w.ub8(self.dest_offset)
        w.ub1(0 if self.amount is None else 1)  # amount pointer
        w.raw(bytes(6))  # array LOB fields: 3 x u16be 0
        if source is not None:
            w.raw(source)
        if self.charset_id is not None:
            w.ub4(self.charset_id)
        if self.data is not None:
            w.ub1(MessageType.LOB_DATA)
            w.clr(self.data)
        if self.amount is not None:
            w.ub8(self.amount)

    @classmethod
    def decode_body(cls, r: Reader, header: FunctionHeader, *, limits: Limits = DEFAULT_LIMITS) -> LobOpRequest:
        """Read the call after its function header (server role).

        What follows the fixed fields is decided by their pointers (charset,
        amount) and the operation (WRITE carries ``0E`` + CLR data); a
        FREE_TEMP | ARRAY source is split into ``locators``.

        Raises:
            UnexpectedMessageError: not a LOB_OP, or WRITE data without its 0E byte.
            NeedMoreData: incomplete.
            LimitExceededError: a locator longer than :data:`MAX_LOCATOR_LENGTH`
                (a locator list longer than ``limits.max_bytes_length``).
            DecodeError: a malformed integer, an SCN array, or a locator list
                that cannot be split.
        """
        if header.code != FunctionCode.LOB_OP:
            raise UnexpectedMessageError(f"function {header.code} is not LOB_OP")
        has_source = r.ub1()
        source_length = limits.check("LOB_OP source locator length", r.ub4(), limits.max_bytes_length)
        r.ub1()  # dest locator pointer
        dest_length = r.ub4()
        r.ub4()  # short source offset
        r.ub4()  # short dest offset
        has_charset = r.ub1()
        r.ub1()  # short amount pointer
        r.ub1()  # NULL LOB pointer (follows from the operation)
        op = r.ub4()
        r.ub1()  # SCN array pointer
        scn_length = r.ub1()
        if scn_length:
            raise DecodeError(f"LOB_OP with an SCN array of {scn_length} entries is not supported")
        source_offset = r.ub8()
        dest_offset = r.ub8()
        has_amount = r.ub1()
        r.skip(6)  # array LOB fields
        is_array = bool(op & LobOp.ARRAY)
        if not is_array:
            limits.check("LOB_OP source locator length", source_length, locator_limit(limits))
        source = r.raw(source_length) if has_source else None
        charset_id = r.ub4() if has_charset else None
        data = None
        if op == LobOp.WRITE:
            mtype = r.ub1()
            if mtype != MessageType.LOB_DATA:
                raise UnexpectedMessageError(f"LOB_OP WRITE data starts with {mtype}, not LOB_DATA (14)")
            data = r.clr() or b""
        amount = r.ub8() if has_amount else None
        locators: tuple[bytes, ...] = ()
        if is_array:
            locators = split_locators(source or b"")
            source = None
        return cls(
            operation=op,
            source_locator=source,
            dest_length=dest_length,
            source_offset=source_offset,
            dest_offset=dest_offset,
            amount=amount,
            data=data,
            charset_id=charset_id,
            locators=locators,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LobOpResult:
    """The PARAMETER (8) answering a LOB_OP (lob_op.pyx ``_process_return_parameters``).

    ``locator`` is the possibly updated locator, as many bytes as the request
    sent (None in :meth:`encode` echoes the request's); ``charset_id`` and
    ``flags`` answer CREATE_TEMP; ``amount`` answers a request that sent one
    (bytes or characters read, the length, the chunk size); ``bool_flag``
    answers IS_OPEN, FILE_EXISTS and FILE_ISOPEN.
    """

    locator: bytes | None = None
    amount: int | None = None
    bool_flag: bool | None = None
    charset_id: int = 0
    flags: int = 0

    def encode(self, w: Writer, request: LobOpRequest) -> None:
        """Write ``08`` and the fields ``request`` calls for (server role).

        Raises:
            EncodeError: a locator of another length than the request's, a
                missing amount or bool flag, or a FREE_TEMP | ARRAY request
                (a piggyback gets no reply of its own).
        """
        if request.is_array:
            raise EncodeError("a FREE_TEMP | ARRAY piggyback has no reply of its own")
        w.ub1(MessageType.PARAMETER)
        if request.source_locator is not None:
            locator = request.source_locator if self.locator is None else self.locator
            if len(locator) != len(request.source_locator):
                raise EncodeError(
                    f"LOB_OP reply locator has {len(locator)} bytes; the request sent {len(request.source_locator)}"
                )
            w.raw(locator)
        if request.operation == LobOp.CREATE_TEMP:
            w.ub2(self.charset_id)
            w.ub1(self.flags)
        elif request.amount is not None:
            if self.amount is None:
                raise EncodeError(f"LOB_OP {request.operation:#x} reply needs an amount")
            w.sb8(self.amount)
        if request.operation in _BOOL_OPS:
            if self.bool_flag is None:
                raise EncodeError(f"LOB_OP {request.operation:#x} reply needs a bool flag")
            w.ub1(1 if self.bool_flag else 0)

    @classmethod
    def decode_parameter_body(cls, r: Reader, request: LobOpRequest) -> LobOpResult:
        """Read the PARAMETER after its ``08`` byte, shaped by ``request`` (client role).

        Raises:
            NeedMoreData: incomplete.
            DecodeError: a malformed integer.
        """
        locator = None
        if request.source_locator is not None:
            locator = r.raw(len(request.source_locator))
        charset_id = flags = 0
        amount = None
        if request.operation == LobOp.CREATE_TEMP:
            charset_id = r.ub2()
            flags = r.ub1()
        elif request.amount is not None:
            amount = r.sb8()
        bool_flag = None
        if request.operation in _BOOL_OPS:
            bool_flag = r.ub1() > 0
        return cls(locator=locator, amount=amount, bool_flag=bool_flag, charset_id=charset_id, flags=flags)


def encode_lob_data(w: Writer, data: bytes) -> None:
    """Write LOB_DATA: ``0E`` + CLR data (READ's reply, before the PARAMETER)."""
    w.ub1(MessageType.LOB_DATA)
    w.clr(data)


def decode_lob_data_body(r: Reader) -> bytes:
    """Read LOB_DATA after its ``0E`` byte; an empty CLR is ``b""``.

    Raises:
        NeedMoreData: incomplete.
        LimitExceededError: chunks beyond the reader's limits.
    """
    return r.clr() or b""
