"""TNS packet layer: packet dataclasses, constants, and the stream framer."""

from __future__ import annotations

from .constants import (
    AcceptFlag,
    ConnectFlag2,
    ControlCommand,
    DataFlag,
    MarkerType,
    NsiFlag,
    PacketFlag,
    PacketType,
    ServiceOption,
)
from .framer import PacketReader, PacketWriter
from .packets import (
    Accept,
    Connect,
    Control,
    Data,
    Marker,
    Packet,
    Redirect,
    Refuse,
    Resend,
    decode_packet,
)

__all__ = [
    "AcceptFlag",
    "ConnectFlag2",
    "ControlCommand",
    "DataFlag",
    "MarkerType",
    "NsiFlag",
    "PacketFlag",
    "PacketType",
    "ServiceOption",
    "PacketReader",
    "PacketWriter",
    "Accept",
    "Connect",
    "Control",
    "Data",
    "Marker",
    "Packet",
    "Redirect",
    "Refuse",
    "Resend",
    "decode_packet",
]
