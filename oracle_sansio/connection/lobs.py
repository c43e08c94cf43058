"""LobStore: the LOBs of one server session, so the server role can answer
LOB_OP calls (docs/protocol-ttc.md 6.13) without its owner.

Every LOB the server hands out (a column value, a temporary LOB) gets a
locator naming an entry here; the client sends the locator back to read,
write, trim or free it.  Entries die with the session (the store is per
``ServerConnection``).  CLOB data travels as UTF-8 (our locators do not set
the variable-length-charset flag) and NCLOB data as UTF-16BE; amounts and
offsets count characters for CLOB/NCLOB and bytes for BLOB, offsets 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..codecs import OracleType
from ..limits import DEFAULT_LIMITS, Limits
from ..ttc.constants import LobOp
from ..ttc.messages.lob import LobOpRequest, LobOpResult, LobValue, locator_id, make_locator

__all__ = ["LobStore", "StoredLob", "LobAnswer", "LobError"]

#: Chunk size our LOBs report (what a real 8 KiB-block database reports).
CHUNK_SIZE = 8132
_MSG_22922 = "ORA-22922: nonexistent LOB value"
_MSG_22275 = "ORA-22275: invalid LOB locator specified"
_MSG_24801 = "ORA-24801: illegal parameter value in OCI lob function"
#: The (ora type, csfrm) pairs a temporary LOB can be created with.
_TEMP_FORMS = frozenset({(OracleType.CLOB, 1), (OracleType.CLOB, 2), (OracleType.BLOB, 0)})


@dataclass(slots=True)
class StoredLob:
    """One LOB's content and state."""

    lob_id: int
    ora_type: int
    csfrm: int
    data: str | bytearray
    temporary: bool
    is_open: bool = False
    #: The owner's tag (for instance the table row a persistent LOB belongs to).
    key: object = None

    @property
    def is_blob(self) -> bool:
        return self.ora_type != OracleType.CLOB

    def content(self) -> str | bytes:
        """The whole value."""
        return self.data if isinstance(self.data, str) else bytes(self.data)


@dataclass(frozen=True, slots=True)
class LobError:
    """An ORA error to answer a LOB_OP with."""

    number: int
    message: str


@dataclass(frozen=True, slots=True)
class LobAnswer:
    """How to answer one LOB_OP: LOB_DATA (for READ), the PARAMETER result, or an error."""

    result: LobOpResult | None = None
    data: bytes | None = None
    error: LobError | None = None
    #: The LOB whose content changed (WRITE, TRIM), for owners that persist it.
    changed: StoredLob | None = None


def _encode(lob: StoredLob, text: str) -> bytes:
    return text.encode("utf-16-be" if lob.csfrm == 2 else "utf-8")


def _decode(lob: StoredLob, data: bytes) -> str:
    # Bytes that are not text in the LOB's character set are content, not a
    # protocol fault: Oracle's character set conversion stores a replacement
    # character for each, and so does this store.
    return data.decode("utf-16-be" if lob.csfrm == 2 else "utf-8", "replace")


@dataclass(slots=True)
class LobStore:
    """The LOBs of one session (see the module docstring)."""

    limits: Limits = DEFAULT_LIMITS
    chunk_size: int = CHUNK_SIZE
    _lobs: dict[int, StoredLob] = field(default_factory=dict)
    _next_id: int = 1

    def __len__(self) -> int:
        return len(self._lobs)

    def create(
        self, data: str | bytes, *, ora_type: int = OracleType.CLOB, csfrm: int = 1,
        temporary: bool = False, key: object = None,
    ) -> LobValue:
        """Store ``data`` and return the value to send in a row or out bind."""
        lob_id = self._next_id
        self._next_id += 1
        if ora_type == OracleType.BLOB:
            csfrm = 0
            content: str | bytearray = bytearray(data if isinstance(data, bytes) else data.encode())
        else:
            content = data if isinstance(data, str) else data.decode("utf-8", "replace")
        lob = StoredLob(lob_id=lob_id, ora_type=ora_type, csfrm=csfrm, data=content, temporary=temporary, key=key)
        self._lobs[lob_id] = lob
        return self.value_of(lob)

    def value_of(self, lob: StoredLob) -> LobValue:
        """The column value (locator, size, chunk size) for a stored LOB."""
        locator = make_locator(lob.lob_id, ora_type=lob.ora_type, csfrm=lob.csfrm, temporary=lob.temporary)
        return LobValue(locator=locator, size=len(lob.data), chunk_size=self.chunk_size)

    def get(self, locator: bytes | LobValue | None) -> StoredLob | None:
        """The stored LOB a locator names, or None."""
        if isinstance(locator, LobValue):
            locator = locator.locator
        if not locator:
            return None
        lob_id = locator_id(locator)
        return self._lobs.get(lob_id) if lob_id is not None else None

    def content(self, locator: bytes | LobValue) -> str | bytes | None:
        """The whole content of the LOB a locator names (None if unknown)."""
        lob = self.get(locator)
        return lob.content() if lob is not None else None

    def free(self, locator: bytes) -> None:
        """Forget a temporary LOB."""
        lob = self.get(locator)
        if lob is not None and lob.temporary:
            del self._lobs[lob.lob_id]

    def clear(self) -> None:
        """Forget everything (the session ended)."""
        self._lobs.clear()

    # ----------------------------------------------------------- LOB_OP

    def handle(self, request: LobOpRequest) -> LobAnswer:
        """Carry out one LOB_OP and say how to answer it."""
        op = request.operation & ~LobOp.ARRAY
        if op == LobOp.FREE_TEMP:
            for locator in request.locators or ((request.source_locator,) if request.source_locator else ()):
                self.free(locator)
            return LobAnswer(result=self._result(request))
        if op == LobOp.CREATE_TEMP:
            ora_type = request.dest_offset or OracleType.CLOB
            csfrm = 0 if ora_type == OracleType.BLOB else request.source_offset or 1
            if (ora_type, csfrm) not in _TEMP_FORMS:
                # A well-formed request for a LOB type that does not exist:
                # Oracle's answer to a bad OCILobCreateTemporary argument.
                return LobAnswer(error=LobError(24801, _MSG_24801))
            value = self.create(b"" if ora_type == OracleType.BLOB else "", ora_type=ora_type, csfrm=csfrm,
                                temporary=True)
            locator = value.locator
            sent = request.source_locator or b""
            if sent and len(sent) != len(locator):
                locator = (locator + bytes(len(sent)))[: len(sent)]
            return LobAnswer(result=LobOpResult(locator=locator, charset_id=request.charset_id or 873, flags=0))
        lob = self.get(request.source_locator)
        if lob is None:
            return LobAnswer(error=LobError(22922, _MSG_22922))
        if op == LobOp.GET_LENGTH:
            return LobAnswer(result=self._result(request, len(lob.data)))
        if op == LobOp.GET_CHUNK_SIZE:
            return LobAnswer(result=self._result(request, self.chunk_size))
        if op == LobOp.READ:
            start = max(request.source_offset, 1) - 1
            amount = request.amount if request.amount is not None else len(lob.data)
            piece = lob.data[start : start + amount]
            data = _encode(lob, piece) if isinstance(piece, str) else bytes(piece)
            return LobAnswer(result=self._result(request, len(piece)), data=data if piece else None)
        if op == LobOp.WRITE:
            return self._write(lob, request)
        if op == LobOp.TRIM:
            new_size = request.amount or 0
            if new_size > len(lob.data):
                return LobAnswer(error=LobError(22926, "ORA-22926: specified trim length is greater than current LOB value's length"))
            if isinstance(lob.data, str):
                lob.data = lob.data[:new_size]
            else:
                del lob.data[new_size:]
            return LobAnswer(result=self._result(request, new_size), changed=lob)
        if op == LobOp.OPEN:
            if lob.is_open:
                return LobAnswer(error=LobError(22293, "ORA-22293: LOB already opened in the same transaction"))
            lob.is_open = True
            return LobAnswer(result=self._result(request, request.amount))
        if op == LobOp.CLOSE:
            if not lob.is_open:
                return LobAnswer(error=LobError(22289, "ORA-22289: cannot perform operation on an unopened file or LOB"))
            lob.is_open = False
            return LobAnswer(result=self._result(request))
        if op == LobOp.IS_OPEN:
            return LobAnswer(result=LobOpResult(bool_flag=lob.is_open))
        return LobAnswer(error=LobError(22275, _MSG_22275))

    def _write(self, lob: StoredLob, request: LobOpRequest) -> LobAnswer:
        raw = request.data or b""
        start = max(request.source_offset, 1) - 1
        limit = self.limits.max_bytes_length
        if start + len(raw) > limit:
            return LobAnswer(error=LobError(22925, "ORA-22925: operation would exceed maximum size allowed for a LOB value"))
        if isinstance(lob.data, str):
            text = _decode(lob, raw)
            current = lob.data
            if start > len(current):
                current += " " * (start - len(current))  # Oracle pads CLOBs with spaces
            lob.data = current[:start] + text + current[start + len(text) :]
            written = len(text)
        else:
            if start > len(lob.data):
                lob.data.extend(bytes(start - len(lob.data)))  # and BLOBs with zero bytes
            lob.data[start : start + len(raw)] = raw
            written = len(raw)
        return LobAnswer(result=self._result(request, written), changed=lob)

    @staticmethod
    def _result(request: LobOpRequest, amount: int | None = None) -> LobOpResult:
        return LobOpResult(amount=(amount or 0) if request.amount is not None else None)
