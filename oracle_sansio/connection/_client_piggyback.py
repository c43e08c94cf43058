"""What the client machine sends ahead of the next call, in the same DATA packet:
temporary LOBs to free, end-to-end attributes (module, action...), a new current
schema, cursors to close, and application context changes.  The owner queues them between calls; they cost no
round trip of their own (python-oracledb batches them the same way)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import final

from ..errors import LocalProtocolError
from ..ttc.messages.appctx import AppContextChange
from ..ttc.messages.calls import END_TO_END_FIELDS, CloseCursors, EndToEndAttributes, SetSchema
from ..ttc.messages.lob import LobOpRequest
from ..ttc.wire import Writer
from ._client_calls import CursorMeta

__all__ = ["Piggybacks"]

_ATTRIBUTE_NAMES = frozenset(name for name, _ in END_TO_END_FIELDS)


@final
class Piggybacks:
    """The queue of piggybacks waiting for the next call."""

    def __init__(self) -> None:
        self.close_queue: list[int] = []
        self.attributes: dict[str, str | None] = {}
        self.schema: str | None = None  # a current schema to piggyback (SET_SCHEMA)
        self.free_lobs: list[bytes] = []
        #: namespace -> values to set; an empty dict clears the namespace (python-oracledb's
        #: ``_app_context``: a set after a clear, before the next call, sends only the set).
        self.contexts: dict[str, dict[str, str]] = {}

    def pending(self) -> bool:
        """Whether anything waits to ride before the next call."""
        return bool(self.free_lobs or self.attributes or self.schema is not None or self.close_queue
                    or self.contexts)

    def set_app_context(self, namespace: str, values: Mapping[str, str] | None) -> None:
        """Queue ``values`` for ``namespace`` (None: clear the namespace)."""
        if values is None:
            self.contexts[namespace] = {}
        else:
            self.contexts.setdefault(namespace, {}).update(values)

    def set_attributes(self, values: Mapping[str, str | None]) -> None:
        """Queue end-to-end attribute values (None clears one).

        Raises:
            LocalProtocolError: an unknown attribute name.
        """
        for name in values:
            if name not in _ATTRIBUTE_NAMES:
                raise LocalProtocolError(f"unknown end-to-end attribute {name!r}")
        self.attributes.update(values)

    def write(self, w: Writer, next_seq: Callable[[], int], token: int | None, cursors: dict[int, CursorMeta],
              *, defer: bool) -> None:
        """Encode what waits into ``w``, each message with the next sequence number.

        ``defer``: keep the queue (the caller calls :meth:`forget` once the request is sure to go).
        """
        # Taken now: forget() below (the cursors' close) empties the whole queue.
        changes = [AppContextChange(namespace=namespace, values=tuple(values.items()), cleared=not values)
                   for namespace, values in self.contexts.items()]
        if self.free_lobs:
            LobOpRequest.free_temp(tuple(self.free_lobs)).encode(w, seq=next_seq(), token=token, piggyback=True)
            if not defer:
                self.free_lobs.clear()
        if self.attributes:
            EndToEndAttributes(values=tuple(self.attributes.items())).encode(w, seq=next_seq(), token=token)
            if not defer:
                self.attributes.clear()
        if self.schema is not None:
            SetSchema(schema=self.schema).encode(w, seq=next_seq(), token=token)
            if not defer:
                self.schema = None
        if self.close_queue:
            ids = tuple(self.close_queue)
            if not defer:
                self.forget(cursors)
            CloseCursors(cursor_ids=ids).encode(w, seq=next_seq(), token=token)
        for change in changes:  # after the close, as python-oracledb's order has it
            change.encode(w, seq=next_seq(), token=token)
        if not defer:
            self.contexts.clear()

    def forget(self, cursors: dict[int, CursorMeta]) -> None:
        """Everything queued went out: empty the queue and drop the closed cursors' metadata."""
        self.attributes.clear()
        self.schema = None
        self.free_lobs.clear()
        self.contexts.clear()
        for cursor_id in self.close_queue:
            cursors.pop(cursor_id, None)
        self.close_queue.clear()
