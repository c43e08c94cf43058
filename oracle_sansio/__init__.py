"""oracle_sansio: Oracle Database's thin wire protocol without I/O.

Bytes in, typed packets/events out, bytes to send out; no sockets, clocks,
threads or randomness inside (DESIGN.md 3.1).  This package holds the TNS
framing (:mod:`oracle_sansio.tns`), TTC wire primitives
(:mod:`oracle_sansio.ttc.wire`), the type codecs (:mod:`oracle_sansio.codecs`)
and O5LOGON (:mod:`oracle_sansio.crypto`).
"""

from __future__ import annotations

from ._version import __version__
from .errors import (
    DecodeError,
    EncodeError,
    FramingError,
    LimitExceededError,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    UnexpectedMessageError,
)
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "__version__",
    "ProtocolError",
    "LocalProtocolError",
    "EncodeError",
    "RemoteProtocolError",
    "FramingError",
    "DecodeError",
    "LimitExceededError",
    "UnexpectedMessageError",
    "Limits",
    "DEFAULT_LIMITS",
]
