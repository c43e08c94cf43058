"""ROWID for the embedded server: a stable Oracle-looking rowid for each sqlite row.

Every table is an ordinary sqlite rowid table whose rowid (the *key*) is
assigned by sqlite and never changes for a row (no VACUUM ever runs), so it
maps to a physical Oracle rowid as follows:

* data object number = ``OBJECT_BASE`` + the table's number (``t7`` -> 73007),
  so a dropped and re-created table gets new rowids, as in Oracle;
* relative file number = ``FILE_NUMBER`` for every table;
* block = ``FIRST_BLOCK`` + (key - 1) // ``ROWS_PER_BLOCK``;
* slot = (key - 1) % ``ROWS_PER_BLOCK``.

In SQL a ROWID value is stored as 27 lowercase hex digits of the 108 packed
bits (object, file, block, slot), so sqlite's text order is Oracle's rowid
order; it leaves the server as the 18-character text (datatypes.from_storage).
Character values convert to ROWID as CHARTOROWID does: ORA-01410 unless they
are an 18-character extended rowid.  sqlite gives a new row max(key) + 1, so
deleting the last rows of a table (or TRUNCATE) lets their rowids be reused, as
Oracle may reuse freed slots.

DML reports the fields of the last row it changed (engine.Result.rowid); the
server puts those of the last row a whole call changed in the ERROR message
that ends it, which clients show as ``cursor.lastrowid``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

from oracle_sansio.codecs.rowid import Rowid
from oracle_sansio.errors import EncodeError

from .. import errors

__all__ = [
    "FILE_NUMBER",
    "FIRST_BLOCK",
    "FUNCTIONS",
    "OBJECT_BASE",
    "ROWS_PER_BLOCK",
    "RowidFields",
    "fields_for",
    "invalid_rowid",
    "key_for",
    "object_id",
    "rowid_text",
]

class Stored(Protocol):
    """What a rowid needs of a table (catalog.Table has it): its name and its sqlite name."""

    @property
    def name(self) -> str: ...

    @property
    def sql_name(self) -> str: ...


#: (data object number, relative file number, block, slot), as ErrorInfo carries them.
RowidFields = tuple[int, int, int, int]

OBJECT_BASE: Final = 73_000
FILE_NUMBER: Final = 4
FIRST_BLOCK: Final = 128
ROWS_PER_BLOCK: Final = 64
_MAX_KEY: Final = (0xFFFF_FFFF - FIRST_BLOCK + 1) * ROWS_PER_BLOCK
_HEX_DIGITS: Final = 27  # 108 bits


def invalid_rowid() -> errors.OraError:
    return errors.ora(1410)


def object_id(table: Stored) -> int:
    """The data object number of a stored table (``t<n>`` in sqlite).

    Raises:
        OraError: a virtual table (DUAL, V$SESSION): the embedded server gives them no rowids.
    """
    number = table.sql_name[1:]
    if not table.sql_name.startswith("t") or not number.isdigit():
        raise errors.unsupported(f"ROWID of {table.name}")
    return OBJECT_BASE + int(number)


def fields_for(oid: int, key: int) -> RowidFields:
    """The rowid fields of the row with sqlite rowid ``key`` in the table ``oid``."""
    if not 1 <= key <= _MAX_KEY:
        raise errors.internal(f"sqlite rowid {key} has no Oracle rowid")
    return oid, FILE_NUMBER, FIRST_BLOCK + (key - 1) // ROWS_PER_BLOCK, (key - 1) % ROWS_PER_BLOCK


def key_for(fields: RowidFields, oid: int) -> int | None:
    """The sqlite rowid behind ``fields`` in the table ``oid``; None if they name no row of it."""
    rba, file_number, block, slot = fields
    if rba != oid or file_number != FILE_NUMBER or block < FIRST_BLOCK or slot >= ROWS_PER_BLOCK:
        return None
    return (block - FIRST_BLOCK) * ROWS_PER_BLOCK + slot + 1


# ---- storage form (27 hex digits) -----------------------------------------------------------------

def _pack(fields: RowidFields) -> str:
    rba, file_number, block, slot = fields
    return f"{(rba << 72) | (file_number << 54) | (block << 18) | slot:0{_HEX_DIGITS}x}"


def _unpack(stored: str) -> RowidFields:
    packed = int(stored, 16)
    return packed >> 72, (packed >> 54) & 0x3FFFF, (packed >> 18) & 0xF_FFFF_FFFF, packed & 0x3FFFF


def rowid_text(stored: object) -> str:
    """The 18-character text of a stored ROWID (what clients receive)."""
    rba, file_number, block, slot = _unpack(str(stored))
    return Rowid(rba, file_number, block, slot).to_string()


def _chartorowid(value: object) -> str | None:
    """CHARTOROWID: text -> storage; ORA-01410 if malformed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_rowid()
    try:
        rowid = Rowid.from_string(value)
    except EncodeError:
        raise invalid_rowid() from None
    return _pack((rowid.rba, rowid.partition_id, rowid.block_num, rowid.slot_num))


def _rowid(oid: int, key: object) -> str | None:
    return None if key is None else _pack(fields_for(oid, int(str(key))))


def _rowid_key(stored: object, oid: int) -> int | None:
    """The sqlite rowid a stored ROWID names in table ``oid`` (NULL: none): lets
    ``WHERE rowid = :r`` use sqlite's rowid lookup."""
    if stored is None:
        return None
    return key_for(_unpack(str(stored)), oid)


def _rowid_to_text(stored: object) -> str | None:
    return None if stored is None else rowid_text(stored)


FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_rowid": (2, _rowid),
    "ora_rowid_key": (2, _rowid_key),
    "ora_chartorowid": (1, _chartorowid),
    "ora_rowid_text": (1, _rowid_to_text),
}
