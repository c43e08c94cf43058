"""What both connection machines share: packet intake, the TTC stream buffer,
the error policy and the state table plumbing."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from enum import Enum
from typing import Generic, TypeVar

from ..errors import LocalProtocolError, NeedMoreData, ProtocolError, RemoteProtocolError
from ..limits import DEFAULT_LIMITS, Limits
from ..tns.framer import PacketReader, PacketWriter
from ..tns.packets import Packet
from ..ttc.wire import ParseMemo, Reader
from .events import NEED_DATA, NeedData

__all__ = ["MachineBase"]

S = TypeVar("S", bound=Enum)
I = TypeVar("I", bound=Enum)
E = TypeVar("E")

_COMPACT_AT = 1 << 16


class MachineBase(Generic[S, I, E]):
    """Shared plumbing; subclasses implement ``_on_packet``, ``_on_eof`` and
    their commands (and ``_owner_must_answer`` when they wait on their owner)."""

    def __init__(
        self,
        *,
        initial: S,
        error_state: S,
        table: dict[tuple[S, I], S],
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self._state = initial
        self._error_state = error_state
        self._table = table
        self._limits = limits
        self._reader = PacketReader(limits=limits)
        self._writer = PacketWriter()
        self._out = bytearray()
        self._events: deque[E] = deque()
        self._ttc = bytearray()
        self._ttc_pos = 0
        self._memo = ParseMemo()
        self._parse_attempts = 0
        self._parse_work = 0
        self._error: ProtocolError | None = None

    # ----------------------------------------------------------- public

    @property
    def state(self) -> S:
        """The current state."""
        return self._state

    def receive_data(self, data: bytes | bytearray | memoryview) -> None:
        """Buffer received bytes; ``b""`` means the peer closed the connection.

        Nothing is parsed here (h11): call :meth:`next_event`.
        """
        self._check_usable()
        try:
            self._reader.receive_data(data)
        except ProtocolError as exc:
            self._fail(exc)
            raise

    @property
    def parse_work(self) -> tuple[int, int]:
        """(messages parse attempts, bytes walked or copied by them) so far.

        A work count for tests and benchmarks: a message is read again from
        its start when a packet arrives before it is complete, so these grow
        with each packet; they must grow linearly with the bytes received.
        """
        return self._parse_attempts, self._parse_work

    def next_event(self) -> E | NeedData:
        """The next event, or ``NEED_DATA`` when more bytes are needed (or, on the
        server, when the owner must answer first).

        Raises:
            RemoteProtocolError: the peer broke the protocol; the machine is now
                in the error state and every later call raises LocalProtocolError.
        """
        self._check_usable()
        try:
            while not self._events:
                if self._owner_must_answer():
                    return NEED_DATA
                packet = self._reader.next_packet()
                if packet is None:
                    if self._reader.at_eof:
                        self._on_eof()
                        if self._events:
                            break
                    return NEED_DATA
                self._on_packet(packet)
        except ProtocolError as exc:
            self._fail(exc)
            raise
        return self._events.popleft()

    def data_to_send(self) -> bytes:
        """Everything queued for the peer, drained."""
        if not self._out:
            return b""
        out = bytes(self._out)
        self._out.clear()
        return out

    # --------------------------------------------------------- internals

    def _on_packet(self, packet: Packet) -> None:
        raise NotImplementedError

    def _on_eof(self) -> None:
        """The peer closed the connection (``receive_data(b"")``)."""
        raise NotImplementedError

    def _owner_must_answer(self) -> bool:
        """True while nothing more may be read until the owner answers."""
        return False

    def _check_usable(self) -> None:
        if self._state == self._error_state:
            raise LocalProtocolError(
                f"connection is unusable after an earlier protocol error: {self._error}"
            )

    def _fail(self, exc: ProtocolError) -> None:
        self._error = exc
        self._state = self._error_state
        self._events.clear()

    def _move(self, inp: I, *, local: bool) -> None:
        nxt = self._table.get((self._state, inp))
        if nxt is None:
            text = f"{inp.name} is not allowed in state {self._state.name}"
            exc: ProtocolError = LocalProtocolError(text) if local else RemoteProtocolError(text)
            # h11's rule: after any illegal move the connection cannot be trusted.
            self._fail(exc)
            raise exc
        self._state = nxt

    def _can(self, inp: I) -> bool:
        return (self._state, inp) in self._table

    def _append_ttc(self, payload: bytes) -> None:
        if self._ttc_pos >= _COMPACT_AT:
            del self._ttc[: self._ttc_pos]
            self._ttc_pos = 0
            # Offsets moved; once per message at most (the position stays 0
            # until the partial message is complete).
            self._memo.clear()
        self._ttc += payload
        self._limits.check("buffered TTC bytes", len(self._ttc) - self._ttc_pos, self._limits.max_buffered_bytes)

    def _discard_ttc(self) -> None:
        self._ttc.clear()
        self._ttc_pos = 0
        self._memo.clear()

    def _parse_ttc(self, parse_one: Callable[[Reader], bool], *, big_chunks: bool = True) -> None:
        """Parse whole messages from the TTC buffer until ``parse_one`` says the
        exchange ended (True) or the input runs short (rewind to the message start).

        A rewound message is read again when the next packet arrives; the chunk
        memo makes that cost the message's fields, not its bytes again.
        """
        memo = self._memo
        end = len(self._ttc)
        if self._ttc_pos >= end:
            return
        # One reader walks the buffer's messages in turn (its position after a whole
        # message is where the next starts; the buffer does not change meanwhile).
        r = Reader(self._ttc, self._ttc_pos, limits=self._limits, big_chunks=big_chunks, memo=memo)
        while True:
            start = r.pos
            walked = r.walked
            self._parse_attempts += 1
            try:
                done = parse_one(r)
            except NeedMoreData:
                self._parse_work += r.walked - walked
                return
            pos = r.pos
            self._parse_work += r.walked - walked + pos - start
            self._ttc_pos = pos
            if pos >= end:
                # All read: let the buffer go now (a 64 MB LOB reply is not kept
                # while its owner decodes it), not at the next packet.
                self._discard_ttc()
                return
            if len(memo):
                memo.forget_before(pos)
            if done:
                return

    def _send_data(self, payload: bytes | bytearray | memoryview, *, flags: int = 0, last_flags: int = 0) -> None:
        self._writer.data_into(self._out, payload, flags=flags, last_flags=last_flags)
