"""Error hierarchy for wire-level trouble.

Two families, as in h11: ``RemoteProtocolError`` means the peer sent bytes we
cannot accept (the connection that produced them can no longer be trusted);
``LocalProtocolError`` means our own caller asked for something illegal (a
command in the wrong state, a value that cannot be encoded).  Server errors
(ORA-nnnnn) are *not* exceptions at this layer: connection machines report
them as events.

``NeedMoreData`` is internal: decoders raise it when the input stops short so
that the caller can wait for more bytes.  It is deliberately not a
``ProtocolError`` and never escapes the public API.
"""

from __future__ import annotations

__all__ = [
    "ProtocolError",
    "LocalProtocolError",
    "EncodeError",
    "RemoteProtocolError",
    "FramingError",
    "DecodeError",
    "LimitExceededError",
    "UnsupportedTypeError",
    "UnexpectedMessageError",
    "NeedMoreData",
    "ServerNotSupportedError",
    "AuthenticationError",
]


class ProtocolError(Exception):
    """Base class of every error raised by :mod:`oracle_sansio` for wire trouble."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LocalProtocolError(ProtocolError):
    """The caller did something the protocol does not allow."""


class EncodeError(LocalProtocolError, ValueError):
    """A Python value cannot be represented in the requested Oracle encoding."""


class RemoteProtocolError(ProtocolError):
    """The peer sent bytes that break the protocol; the connection is unusable."""


class FramingError(RemoteProtocolError):
    """A TNS packet header or packet body is malformed."""


class DecodeError(RemoteProtocolError):
    """A TTC field or a value inside it cannot be decoded."""


class UnsupportedTypeError(DecodeError):
    """A well-formed value of an Oracle type this implementation does not handle.

    The bytes around it are not at fault: a server refuses the call that holds
    it (ORA-03115) and the session goes on; a client cannot read past it.
    """

    def __init__(self, message: str, ora_type: int) -> None:
        super().__init__(message)
        self.ora_type = ora_type


class LimitExceededError(RemoteProtocolError):
    """A length or count read from the wire exceeds the configured :class:`Limits`."""

    def __init__(self, what: str, value: int, limit: int) -> None:
        super().__init__(f"{what} of {value} exceeds the limit of {limit}")
        self.what = what
        self.value = value
        self.limit = limit


class UnexpectedMessageError(RemoteProtocolError):
    """A well-formed packet or message arrived where the protocol does not allow it."""


class NeedMoreData(Exception):
    """Internal: the input ended before the item being decoded was complete."""


class ServerNotSupportedError(RemoteProtocolError):
    """The server asks for something this implementation cannot do (python-oracledb
    raises DPY-3010 for versions below 315 and DPY-3001 for required native
    network encryption)."""


class AuthenticationError(RemoteProtocolError):
    """The server could not prove it knows the password (python-oracledb: DPY-4035)."""
