"""What the client machine reuses from one call to the next (the per-call fast path of
docs/architecture.md): the DATA packet of a re-execute that carries no bind values,
written once per cursor and sent again with a new sequence byte, and the last ERROR
message decoded, taken again when a repeated call ends with the very same bytes."""

from __future__ import annotations

from typing import Final, final

from ..limits import Limits
from ..tns.framer import PacketWriter
from ..tns.constants import HEADER_SIZE
from ..ttc.messages.execute import ReexecuteRequest
from ..ttc.messages.status import ErrorInfo
from ..ttc.wire import Reader, Writer
from ._client_calls import CursorMeta

__all__ = ["ErrorMemo", "reexecute_packet"]

#: Offset of a call's sequence byte in its first DATA packet: header, data flags,
#: then the FUNCTION message type and the function code.
SEQ_AT: Final = HEADER_SIZE + 2 + 2
#: Longest ERROR message remembered for reuse (one with a short text and no batch errors).
_ERROR_MEMO_BYTES: Final = 512


def reexecute_packet(meta: CursorMeta, request: ReexecuteRequest, writer: PacketWriter, *, seq: int,
                     token: int | None, max_string_size: int) -> bytearray:
    """The DATA packet of ``request`` (no bind values, no piggyback) with sequence byte
    ``seq``, from ``meta.template`` (written again when the request or the packet
    layout changed since)."""
    large = writer.large
    template = meta.template
    if template is None or template[1] != large or template[0] != request:
        w = Writer()
        request.encode(w, seq=0, token=token, binds=(), max_string_size=max_string_size)
        template = meta.template = (request, large, writer.data(w.getvalue()))
    packet = bytearray(template[2])
    packet[SEQ_AT] = seq
    return packet


@final
class ErrorMemo:
    """The last ERROR message read (field version, its bytes, its record).

    A call repeated often ends with the very bytes of the last ERROR (a re-executed
    query: its row count and ORA-01403): those decode to the same record, so the
    record decoded then (frozen) is taken again without reading its fields."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[int, bytes, ErrorInfo] | None = None

    def read(self, r: Reader, fv: int, limits: Limits) -> ErrorInfo:
        """The ERROR message at ``r`` (its type byte read)."""
        last = self._last
        if last is not None and last[0] == fv and r.follows(last[1]):
            r.skip(len(last[1]))
            return last[2]
        start = r.pos
        info = ErrorInfo.decode_body(r, field_version=fv, limits=limits)
        if r.pos - start <= _ERROR_MEMO_BYTES:
            self._last = (fv, r.read_since(start), info)
        return info
