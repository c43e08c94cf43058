"""ROWID (11) and UROWID (208): the 18-character form and UROWID bodies.

A physical rowid is four numbers: data object number (``rba``, u32), relative
file number (``partition_id``, u16), block number (u32) and slot (u16).  Its
text form writes them as 6, 3, 6 and 3 base-64 digits, most significant first,
with the alphabet ``A-Z a-z 0-9 + /`` (python-oracledb impl/thin/utils.pyx
``_encode_rowid``; docs/protocol-ttc.md 6.10).  Those 18 digits are exactly the
first 18 characters of standard base64 over the 108 packed bits, which is how
they are computed here.

A fetched ROWID (11) arrives as separate ub4/ub2 fields that the row decoder
reads and hands to :class:`Rowid`; binds and out binds of either type are plain
strings.  A fetched UROWID body starts with a kind byte: 1 for physical
(u32be, u16be, u32be, u16be follow), anything else for logical, whose text is
``*`` plus unpadded base64 of the bytes after the kind byte
(impl/thin/packet.pyx ``read_urowid``).
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from typing import Final

from ..errors import DecodeError, EncodeError

__all__ = [
    "ROWID_LENGTH",
    "UROWID_MIN_LENGTH",
    "Rowid",
    "decode_urowid",
    "encode_urowid",
]

#: Characters in the text form of a physical rowid.
ROWID_LENGTH: Final = 18
#: python-oracledb refuses shorter UROWID bodies (``check_min_length(…, 13)``).
UROWID_MIN_LENGTH: Final = 13

_PHYSICAL: Final = 1
# The kind byte of a logical UROWID is dropped by the text form; 2 is what
# index-organized tables use.  UNCONFIRMED beyond that convention.
_LOGICAL: Final = 2
_BODY: Final = struct.Struct(">BIHIH")
_U16: Final = 0xFFFF
_U32: Final = 0xFFFF_FFFF


@dataclass(frozen=True, slots=True)
class Rowid:
    """A physical rowid: the four numbers behind the 18-character text.

    Raises:
        EncodeError: a field does not fit its width (u32, u16, u32, u16).
    """

    rba: int
    partition_id: int
    block_num: int
    slot_num: int

    def __post_init__(self) -> None:
        if not (
            0 <= self.rba <= _U32
            and 0 <= self.partition_id <= _U16
            and 0 <= self.block_num <= _U32
            and 0 <= self.slot_num <= _U16
        ):
            raise EncodeError(
                f"rowid fields out of range: {self.rba}, {self.partition_id}, {self.block_num}, {self.slot_num}"
            )

    def to_string(self) -> str:
        """Return the 18-character text form (``AAASNFAAEAAABI0AAF`` style)."""
        packed = (self.rba << 72) | (self.partition_id << 54) | (self.block_num << 18) | self.slot_num
        # 108 bits + 4 zero bits = 14 bytes; base64 of those starts with the 18 digits.
        return base64.b64encode((packed << 4).to_bytes(14, "big"))[:ROWID_LENGTH].decode("ascii")

    __str__ = to_string

    @classmethod
    def from_string(cls, text: str) -> Rowid:
        """Parse the 18-character text form.

        Raises:
            EncodeError: wrong length, a character outside the alphabet, or a
                field too large for its width.
        """
        if len(text) != ROWID_LENGTH:
            raise EncodeError(f"rowid text must be {ROWID_LENGTH} characters, got {len(text)}")
        try:
            raw = base64.b64decode(text + "AA", validate=True)
        except (ValueError, binascii.Error):
            raise EncodeError(f"rowid text {text!r} has characters outside A-Z a-z 0-9 + /") from None
        packed = int.from_bytes(raw, "big") >> 12
        return cls(packed >> 72, (packed >> 54) & 0x3FFFF, (packed >> 18) & 0xF_FFFF_FFFF, packed & 0x3FFFF)

    def to_urowid_body(self) -> bytes:
        """Return the 13-byte physical UROWID body."""
        return _BODY.pack(_PHYSICAL, self.rba, self.partition_id, self.block_num, self.slot_num)


def decode_urowid(data: bytes) -> str | None:
    """Decode a UROWID body to python-oracledb's text form.

    Physical bodies give the 18-character form, except an all-zero rowid,
    which python-oracledb reports as ``None``; logical bodies give ``*`` plus
    base64 of the bytes after the kind byte.

    Raises:
        DecodeError: shorter than 13 bytes.
    """
    if len(data) < UROWID_MIN_LENGTH:
        raise DecodeError(f"UROWID value must be at least {UROWID_MIN_LENGTH} bytes, got {len(data)}")
    if data[0] == _PHYSICAL:
        _, rba, partition_id, block_num, slot_num = _BODY.unpack_from(data)
        if not (rba or partition_id or block_num or slot_num):
            return None
        return Rowid(rba, partition_id, block_num, slot_num).to_string()
    return "*" + base64.b64encode(data[1:]).rstrip(b"=").decode("ascii")


def encode_urowid(value: str | Rowid) -> bytes:
    """Build a UROWID body from a :class:`Rowid` or from a text form.

    18 characters give a physical body; ``*``-prefixed text gives a logical
    body with kind byte 2 (the text form does not record the original kind).

    Raises:
        EncodeError: text that is neither form, or a logical rowid whose body
            would be shorter than 13 bytes or whose base64 is not canonical.
        TypeError: ``value`` is neither a str nor a Rowid.
    """
    if isinstance(value, Rowid):
        return value.to_urowid_body()
    if not isinstance(value, str):
        raise TypeError(f"cannot encode {type(value).__name__} as UROWID")
    if not value.startswith("*"):
        return Rowid.from_string(value).to_urowid_body()
    digits = value[1:]
    if len(digits) % 4 == 1:
        raise EncodeError(f"logical rowid {value!r} has an impossible base64 length")
    try:
        rest = base64.b64decode(digits + "=" * (-len(digits) % 4), validate=True)
    except (ValueError, binascii.Error):
        raise EncodeError(f"logical rowid {value!r} has characters outside A-Z a-z 0-9 + /") from None
    if base64.b64encode(rest).rstrip(b"=").decode("ascii") != digits:
        raise EncodeError(f"logical rowid {value!r} is not canonical base64 (stray low bits)")
    if len(rest) + 1 < UROWID_MIN_LENGTH:
        raise EncodeError(
            f"logical rowid {value!r} is too short (at least {UROWID_MIN_LENGTH - 1} bytes after the kind)"
        )
    return bytes((_LOGICAL,)) + rest
