"""AsyncLOB: python-oracledb's asyncio LOB surface over LOB_OP calls."""

from __future__ import annotations

from typing import NoReturn

from oracle_sansio.codecs import OracleType
from oracle_sansio.connection.events import LobOpCompleted
from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import dpy_error, not_built_error
from oracle_sansio.ttc.constants import CHARSET_UTF8
from oracle_sansio.ttc.messages.binds import BindMetadata, lob_bind_metadata
from oracle_sansio.ttc.messages.lob import READ_ALL, LobOpRequest, LobValue

from ._session import Session
from .dbtypes import DbType, db_type_for

__all__ = ["AsyncLOB", "LobState", "create_temporary", "lob_state"]


class LobState:
    """What an AsyncLOB holds that binding needs: its current locator (``value``) and the
    bind metadata of the LOB bound as a value.  AsyncLOB's public names stay python-oracledb's,
    so the driver reaches this through :func:`lob_state`."""

    def __init__(self, value: LobValue, ora_type: int, csfrm: int) -> None:
        self.value = value
        self.ora_type = ora_type
        self.csfrm = csfrm

    def bind_metadata(self) -> BindMetadata:
        """The bind metadata of this LOB bound as a value."""
        return lob_bind_metadata(self.ora_type, self.csfrm)


class AsyncLOB:
    """A CLOB, NCLOB or BLOB value (python-oracledb ``AsyncLOB``)."""

    def __init__(self, session: Session, value: LobValue, ora_type: int, csfrm: int) -> None:
        self._session = session
        self._state = LobState(value, ora_type, csfrm)

    @property
    def type(self) -> DbType:
        """DB_TYPE_CLOB, DB_TYPE_NCLOB or DB_TYPE_BLOB."""
        return db_type_for(self._state.ora_type, self._state.csfrm)

    @property
    def _value(self) -> LobValue:
        return self._state.value

    @property
    def _is_text(self) -> bool:
        return self._state.ora_type != OracleType.BLOB

    @property
    def _encoding(self) -> str:
        return "utf-16-be" if self._state.csfrm == 2 else "utf-8"

    async def _op(self, request: LobOpRequest) -> LobOpCompleted:
        session = self._session
        events = await session.call(lambda: session.machine.lob_op(request))
        last = events[-1]
        assert isinstance(last, LobOpCompleted)
        if last.result.locator:
            self._state.value = LobValue(locator=last.result.locator, size=self._value.size,
                                         chunk_size=self._value.chunk_size)
        return last

    async def read(self, offset: int = 1, amount: int | None = None) -> str | bytes:
        """Read ``amount`` characters (CLOB) or bytes (BLOB) from 1-based ``offset``."""
        done = await self._op(LobOpRequest.read(self._value.locator, offset, amount or READ_ALL))
        data = done.data or b""
        return data.decode(self._encoding) if self._is_text else data

    async def write(self, data: str | bytes, offset: int = 1) -> None:
        """Write at 1-based ``offset``: a BLOB takes bytes or text (written as UTF-8), a
        CLOB or NCLOB text or UTF-8 bytes (decoded first: its own encoding may differ).

        Raises:
            TypeError: ``data`` is neither str nor bytes.
        """
        if not isinstance(data, (str, bytes)):
            raise TypeError("expecting string or bytes")
        if self._is_text:
            text = data.decode() if isinstance(data, bytes) else data
            raw = text.encode(self._encoding)
        else:
            raw = data.encode() if isinstance(data, str) else data
        await self._op(LobOpRequest.write(self._value.locator, offset, raw))

    async def size(self) -> int:
        """Length in characters (CLOB) or bytes (BLOB)."""
        done = await self._op(LobOpRequest.get_length(self._value.locator))
        return done.result.amount or 0

    async def trim(self, new_size: int = 0) -> None:
        """Shorten to ``new_size``."""
        await self._op(LobOpRequest.trim(self._value.locator, new_size))

    async def getchunksize(self) -> int:
        """The LOB's chunk size."""
        done = await self._op(LobOpRequest.get_chunk_size(self._value.locator))
        return done.result.amount or 0

    async def open(self) -> None:
        """Open the LOB for a series of writes."""
        await self._op(LobOpRequest.open(self._value.locator))

    async def close(self) -> None:
        """Close the LOB."""
        await self._op(LobOpRequest.close(self._value.locator))

    async def isopen(self) -> bool:
        """True between ``open()`` and ``close()``."""
        done = await self._op(LobOpRequest.is_open(self._value.locator))
        return bool(done.result.bool_flag)

    # BFILE methods: python-oracledb refuses them on other LOBs (DPY-3026).  Our
    # LOBs are temporary or fetched CLOB/NCLOB/BLOB values: a BFILE column is not
    # fetched as a LOB here, so the BFILE branch is the not-built error.

    def _bfile_only(self) -> NoReturn:
        if self._state.ora_type != OracleType.BFILE:
            raise dpy_error(DpyCode.OPERATION_ONLY_SUPPORTED_ON_BFILE)
        raise not_built_error("BFILE locators")

    def getfilename(self) -> tuple[str, str]:
        """(directory alias, file name) of a BFILE; DPY-3026 for other LOBs."""
        self._bfile_only()

    def setfilename(self, dir_alias: str, name: str) -> None:
        """Point a BFILE at ``dir_alias``/``name``; DPY-3026 for other LOBs."""
        self._bfile_only()

    async def fileexists(self) -> bool:
        """Whether a BFILE's file exists; DPY-3026 for other LOBs."""
        self._bfile_only()


def lob_state(lob: AsyncLOB) -> LobState:
    """``lob``'s locator and bind metadata (the driver's only way to them)."""
    return lob._state


async def create_temporary(session: Session, lob_type: DbType, data: str | bytes | None = None) -> AsyncLOB:
    """A temporary LOB of ``lob_type`` (DB_TYPE_CLOB/NCLOB/BLOB) on ``session``, optionally written."""
    ora_type, csfrm = lob_type.ora_type, lob_type.csfrm
    machine = session.machine
    charset = machine.caps.ncharset_id if csfrm == 2 else CHARSET_UTF8
    request = LobOpRequest.create_temp(ora_type, csfrm, charset)
    events = await session.call(lambda: machine.lob_op(request))
    done = events[-1]
    assert isinstance(done, LobOpCompleted) and done.result.locator is not None
    lob = AsyncLOB(session, LobValue(locator=done.result.locator), ora_type, csfrm)
    if data:
        await lob.write(data)
    return lob
