"""Bounds applied to everything read from the wire.

Every decoder takes a :class:`Limits` and checks each length or count it reads
*before* acting on it, so a hostile peer cannot make us allocate, wait for or
loop over more than these values (h11's ``max_incomplete_event_size``, h2's
``CONTINUATION_BACKLOG``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import LimitExceededError

__all__ = ["Limits", "DEFAULT_LIMITS"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Upper bounds for lengths and counts taken from the wire.

    The defaults admit everything a real Oracle server or python-oracledb
    sends (SDU up to 2 MiB, 32767-byte chunks, 1000-column tables, 23ai's
    48-pair logon reply) with generous headroom.
    """

    #: Largest TNS packet, header included.  The largest legal SDU is 2 MiB.
    max_packet_size: int = 2_097_152 + 8
    #: Largest connect descriptor (CONNECT data, REDIRECT data, REFUSE text).
    max_connect_data: int = 65_535
    #: Largest single chunk of a chunked (0xFE) byte string.
    max_chunk_size: int = 1_048_576
    #: Most chunks in one chunked byte string.
    max_chunk_count: int = 65_536
    #: Largest byte string assembled from chunks (LONG values, LOB data).
    max_bytes_length: int = 1 << 30
    #: Most key/value pairs in one message.
    max_kv_pairs: int = 1_024
    #: Most columns in one describe.
    max_columns: int = 4_096
    #: Most bind variables in one statement.
    max_binds: int = 65_535
    #: Most rows announced in one message.
    max_rows: int = 1_000_000
    #: Most bytes of buffered, not yet decodable input.
    max_buffered_bytes: int = 64 * 1_048_576
    #: Most RESEND packets answering one CONNECT.  Real listeners send one
    #: (two with TLS renegotiation); python-oracledb resends without limit,
    #: which a hostile listener turns into a busy loop.
    max_resends: int = 5

    def check(self, what: str, value: int, limit: int) -> int:
        """Return ``value`` or raise :class:`LimitExceededError` naming ``what``."""
        if value > limit:
            raise LimitExceededError(what, value, limit)
        return value


DEFAULT_LIMITS = Limits()
