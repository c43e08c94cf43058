"""Character data: VARCHAR2/CHAR/LONG (csfrm 1) and NVARCHAR2/NCHAR (csfrm 2).

python-oracledb announces client charset AL32UTF8 with "server converts", so
implicit-form values always travel as UTF-8; national-form values travel as
UTF-16 big-endian (docs/protocol-ttc.md 6.2).  Both directions are strict: bad bytes
from the wire raise :class:`DecodeError` and strings that hold lone surrogates
raise :class:`EncodeError`, rather than being replaced silently.
"""

from __future__ import annotations

from typing import Final

from ..errors import DecodeError, EncodeError

__all__ = [
    "AL16UTF16",
    "AL32UTF8",
    "decode_nchar",
    "decode_text",
    "encode_nchar",
    "encode_text",
]

#: Oracle charset id of UTF-8, used for csfrm 1 (implicit) values.
AL32UTF8: Final = 873
#: Oracle charset id of UTF-16BE, used for csfrm 2 (NCHAR) values.
AL16UTF16: Final = 2000


def _decode_error(charset: str, exc: UnicodeDecodeError) -> DecodeError:
    bad = exc.object[exc.start : exc.end].hex(" ")
    return DecodeError(f"invalid {charset} data at byte {exc.start} ({bad}): {exc.reason}")


def _encode_error(charset: str, exc: UnicodeEncodeError) -> EncodeError:
    return EncodeError(f"string cannot be encoded as {charset}: lone surrogate at index {exc.start}")


def decode_text(data: bytes) -> str:
    """Decode an implicit-form (csfrm 1) value from UTF-8.

    Raises:
        DecodeError: the bytes are not valid UTF-8 (message names AL32UTF8 and the offset).
    """
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error("AL32UTF8", exc) from None


def encode_text(value: str) -> bytes:
    """Encode a ``str`` for an implicit-form (csfrm 1) column or bind as UTF-8.

    Raises:
        EncodeError: the string holds a lone surrogate.
        TypeError: ``value`` is not a str.
    """
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _encode_error("AL32UTF8", exc) from None


def decode_nchar(data: bytes) -> str:
    """Decode a national-form (csfrm 2) value from UTF-16BE (surrogate pairs allowed).

    Raises:
        DecodeError: an odd length or an unpaired surrogate (message names AL16UTF16).
    """
    try:
        return str(data, "utf-16-be")
    except UnicodeDecodeError as exc:
        raise _decode_error("AL16UTF16", exc) from None


def encode_nchar(value: str) -> bytes:
    """Encode a ``str`` for a national-form (csfrm 2) column or bind as UTF-16BE.

    Raises:
        EncodeError: the string holds a lone surrogate.
        TypeError: ``value`` is not a str.
    """
    try:
        return value.encode("utf-16-be")
    except UnicodeEncodeError as exc:
        raise _encode_error("AL16UTF16", exc) from None
