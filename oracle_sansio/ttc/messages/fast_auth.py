"""FAST_AUTH (message 34, Oracle 23ai): PROTOCOL, DATA_TYPES and AUTH phase one
in one request, answered by their three replies in one response
(docs/protocol-connect.md 10; python-oracledb impl/thin/messages/fast_auth.pyx).

The AUTH header inside is written at field version 13 (19.1 EXT1), so it
carries no token byte whatever is negotiated afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UnexpectedMessageError
from ...limits import DEFAULT_LIMITS, Limits
from ..constants import FieldVersion, MessageType
from ..wire import Reader, Writer
from .auth import AuthRequest
from .function import FunctionHeader
from .negotiate import DataTypesRequest, ProtocolRequest

__all__ = ["FastAuthRequest", "FAST_AUTH_FIELD_VERSION"]

#: The field version the client uses inside FAST_AUTH.
FAST_AUTH_FIELD_VERSION = int(FieldVersion.V19_1_EXT1)
_SERVER_CONVERTS_CHARS = 0x01


@dataclass(frozen=True, slots=True, kw_only=True)
class FastAuthRequest:
    """The combined first request of a 23ai logon."""

    protocol: ProtocolRequest
    data_types: DataTypesRequest
    auth: AuthRequest
    version: int = 1
    flag1: int = _SERVER_CONVERTS_CHARS
    flag2: int = 0

    def encode(self, w: Writer, *, seq: int) -> None:
        """Write the message."""
        w.ub1(MessageType.FAST_AUTH)
        w.ub1(self.version)
        w.ub1(self.flag1)
        w.ub1(self.flag2)
        self.protocol.encode(w)
        w.u16be(0)  # server charset (unused)
        w.ub1(0)  # server charset flag (unused)
        w.u16be(0)  # server ncharset (unused)
        w.ub1(FAST_AUTH_FIELD_VERSION)
        self.data_types.encode(w)
        self.auth.encode(w, seq=seq, token=None)

    @classmethod
    def decode_body(cls, r: Reader, *, limits: Limits = DEFAULT_LIMITS) -> FastAuthRequest:
        """Read the message after its type byte (server role).

        Raises:
            UnexpectedMessageError: the embedded call is not AUTH phase one (nor a token logon).
        """
        version = r.ub1()
        flag1 = r.ub1()
        flag2 = r.ub1()
        protocol = ProtocolRequest.decode(r)
        r.u16be()
        r.ub1()
        r.u16be()
        field_version = r.ub1()
        data_types = DataTypesRequest.decode(r)
        header = FunctionHeader.decode(r, has_token=field_version >= FieldVersion.V23_1_EXT1)
        auth = AuthRequest.decode_body(r, header, limits=limits)
        if auth.phase_two and not any(pair[0] == "AUTH_TOKEN" for pair in auth.pairs):
            # Only a token logon (phase two straight away) may ride in FAST_AUTH as phase two.
            raise UnexpectedMessageError("FAST_AUTH carries AUTH phase two instead of phase one")
        return cls(protocol=protocol, data_types=data_types, auth=auth, version=version, flag1=flag1, flag2=flag2)
