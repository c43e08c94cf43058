"""What the server role advertises (``ServerConfig``) and how it encodes its release."""

from __future__ import annotations

from dataclasses import dataclass

from ..ttc.constants import FieldVersion

__all__ = ["ServerConfig", "encode_version_number"]


def encode_version_number(version: tuple[int, int, int, int, int], field_version: int) -> int:
    """AUTH_VERSION_NO for ``version`` as a client at ``field_version`` decodes it."""
    a, b, c, d, e = version
    if field_version >= FieldVersion.V18_1_EXT1:
        return (a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0x0F) << 12 | (d & 0xFF) << 4 | (e & 0x0F)
    # The pre-18c layout has 4-bit fields: a release update above 15 cannot be told.
    return (a & 0xFF) << 24 | (b & 0x0F) << 20 | (c & 0x0F) << 12 | (d & 0x0F) << 8 | (e & 0x0F)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    """What the server role advertises."""

    version: int = 319
    sdu: int = 8192
    #: Offer end of response in ACCEPT (TNS 319 and up), as real 23ai does:
    #: every response then ends with TTC message 29 and data flag 0x2000, and
    #: compile cap TTC4 has bit 0x20.
    end_of_response: bool = True
    #: Offer 23ai explicit request boundaries (compile cap TTC4 0x40, runtime
    #: cap 0x10), as real 23ai does: python-oracledb's pools then piggyback
    #: REQUEST_BEGIN on the first call after an acquire and, on release after
    #: a call, send a ROLLBACK carrying REQUEST_END (``RequestBoundary``).
    request_boundaries: bool = True
    #: TTC field version offered; 24 = 23ai (token bytes, 23ai describe fields).
    field_version: int = 24
    banner: str = "x86_64/Linux 2.4.xx"
    db_version: tuple[int, int, int, int, int] = (23, 5, 0, 24, 7)
    db_name: str = "FREE"
    instance_name: str = "FREE"
    max_open_cursors: int = 300
    #: Offer 23ai FAST_AUTH (python-oracledb then logs on in two round trips).
    fast_auth: bool = False
    #: DBTIMEZONE as minutes east of UTC, sent to clients that send their zone
    #: in DATA_TYPES (OCI, go-ora).
    db_timezone_minutes: int = 0
    #: The time-zone file version sent back with it (23ai ships version 43).
    timezone_file_version: int = 43
    #: The text the get-version call (function 59, go-ora asks it after logon) returns.
    version_banner: str = "Oracle Database 23ai Free Release 23.0.0.0.0 - Develop, Learn, and Run for Free"
