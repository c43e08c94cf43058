"""TNS packet-layer constants (values per python-oracledb impl/thin/constants.pxi
and node-oracledb lib/thin/sqlnet/constants.js; see docs/protocol-connect.md 1-6)."""

from __future__ import annotations

from enum import IntEnum, IntFlag, unique
from typing import Final

__all__ = [
    "PacketType",
    "PacketFlag",
    "DataFlag",
    "MarkerType",
    "ServiceOption",
    "NsiFlag",
    "AcceptFlag",
    "ConnectFlag2",
    "ControlCommand",
    "HEADER_SIZE",
    "VERSION_DESIRED",
    "VERSION_MINIMUM",
    "VERSION_MIN_ACCEPTED",
    "VERSION_MIN_LARGE_SDU",
    "VERSION_MIN_OOB_CHECK",
    "VERSION_MIN_END_OF_RESPONSE",
    "VERSION_MIN_UUID",
    "MAX_CONNECT_DATA",
    "CONNECT_FIXED_SIZE",
    "DEFAULT_SDU",
    "MIN_SDU",
    "MAX_SDU",
    "NT_PROTOCOL_CHARACTERISTICS",
]


@unique
class PacketType(IntEnum):
    """Byte 4 of every TNS header."""

    CONNECT = 1
    ACCEPT = 2
    ACK = 3
    REFUSE = 4
    REDIRECT = 5
    DATA = 6
    NULL = 7
    ABORT = 9
    RESEND = 11
    MARKER = 12
    ATTENTION = 13
    CONTROL = 14
    DATA_DESCRIPTOR = 15


class PacketFlag(IntFlag):
    """Byte 5 of every TNS header."""

    NONE = 0
    SESSION_ID = 0x01  #: ACCEPT carries a 16-byte session id at its end (go-ora)
    REDIRECT_DATA = 0x02  #: REDIRECT data is ``address NUL connect-data``
    REDIRECTED = 0x04  #: CONNECT sent to the address a REDIRECT named
    TLS_RENEGOTIATE = 0x08  #: the client must redo the TLS handshake (TCPS)
    LARGE_SDU = 0x20


class DataFlag(IntFlag):
    """The u16be that opens every DATA packet's payload."""

    NONE = 0
    EOF = 0x0040
    COMPRESSED = 0x0400
    END_OF_REQUEST = 0x0800
    BEGIN_PIPELINE = 0x1000
    END_OF_RESPONSE = 0x2000


@unique
class MarkerType(IntEnum):
    """The data byte of a MARKER packet (payload offset 2)."""

    BREAK = 1
    RESET = 2
    INTERRUPT = 3


class ServiceOption(IntFlag):
    """Global service options in CONNECT and ACCEPT."""

    NONE = 0
    DONT_CARE = 0x0001
    CAN_RECV_ATTENTION = 0x0400


class NsiFlag(IntFlag):
    """NSI flags (CONNECT offsets 32/33, ACCEPT offsets 22/23)."""

    NONE = 0
    DISABLE_NA = 0x04
    NO_NA_SERVICES = 0x08
    NA_REQUIRED = 0x10
    SUPPORT_SECURITY_RENEG = 0x80


class AcceptFlag(IntFlag):
    """ACCEPT "flags 2" (version 318 and later)."""

    NONE = 0
    CHECK_OOB = 0x00000001
    POLL_AND_CHECK = 0x01000000
    HAS_END_OF_RESPONSE = 0x02000000
    FAST_AUTH = 0x10000000


class ConnectFlag2(IntFlag):
    """CONNECT "connect flags 2" (offset 70)."""

    NONE = 0
    CHECK_OOB = 0x00000001


@unique
class ControlCommand(IntEnum):
    """First u16be of a CONTROL packet."""

    INBAND_NOTIFICATION = 8
    RESET_OOB = 9


HEADER_SIZE: Final = 8
VERSION_DESIRED: Final = 319
VERSION_MINIMUM: Final = 300
#: python-oracledb refuses older servers (DPY-3010); so do we in the client role.
VERSION_MIN_ACCEPTED: Final = 315
#: From this version on ACCEPT carries 32-bit SDU/TDU and lengths become 32-bit.
VERSION_MIN_LARGE_SDU: Final = 315
#: From this version on ACCEPT carries "flags 2".
VERSION_MIN_OOB_CHECK: Final = 318
VERSION_MIN_END_OF_RESPONSE: Final = 319
VERSION_MIN_UUID: Final = 319
#: Connect data longer than this travels in a DATA packet after the CONNECT.
MAX_CONNECT_DATA: Final = 230
CONNECT_FIXED_SIZE: Final = 74
DEFAULT_SDU: Final = 8192
MIN_SDU: Final = 512
MAX_SDU: Final = 2_097_152
NT_PROTOCOL_CHARACTERISTICS: Final = 0x4F98
