"""Connection settings for the client machine (frozen; drivers wrap them in
python-oracledb-compatible mutable objects)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._version import __version__
from .crypto.aes import AES
from .crypto.secret import Secret
from .dsn import Address, ConnectTarget
from .tns.constants import DEFAULT_SDU
from .ttc.constants import AuthMode

__all__ = ["ClientParams", "split_proxy"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientParams:
    """Everything one logon needs.

    ``password_key`` is the 12c PBKDF2 result a driver may cache per
    (salt, iterations) to skip ~3 ms of CPU per logon (oracle_asyncio keeps it per pool).
    """

    user: str
    password: Secret[str] = field(repr=False)
    target: ConnectTarget
    address: Address | None = None
    program: str = "oracle-sansio"
    machine: str = "localhost"
    osuser: str = ""
    terminal: str = "unknown"
    pid: str = "0"
    driver_name: str = f"oracle-sansio thn : {__version__}"
    protocol_driver_name: str = "oracle-sansio"
    connection_id: str | None = None
    sdu: int = DEFAULT_SDU
    time_zone: str = "+00:00"
    mode: int = AuthMode.LOGON
    #: Connect data to send verbatim (after a REDIRECT), instead of a rebuilt descriptor.
    connect_data: str | None = None
    redirected: bool = False
    #: Use 23ai FAST_AUTH when the server offers it (one round trip fewer).
    fast_auth: bool = True
    password_key: Secret[bytes] | None = field(default=None, repr=False)
    #: The challenge ``password_key`` was derived for (``ClientConnection.password_key_salt``);
    #: the key is used only when the server sends the same salt and iteration count.
    password_key_salt: str | None = None
    #: The expanded AES key that ``password_key`` gives for that salt
    #: (``ClientConnection.password_key_cipher``); used only with it.
    password_key_cipher: AES | None = field(default=None, repr=False)
    #: DRCP connection class and purity (0 default, 1 new, 2 self), sent in the logon.
    cclass: str | None = None
    purity: int = 0
    #: The edition the session starts in (python-oracledb ``edition``: AUTH_ORA_EDITION).
    edition: str | None = None
    #: Application context set at logon: (namespace, attribute, value) entries
    #: (python-oracledb ``appcontext``: AUTH_APPCTX_NSPACE/ATTR/VALUE, after the edition).
    app_context: tuple[tuple[str, str, str], ...] = ()
    #: The user the session is for when ``user`` logs on on its behalf (python-oracledb
    #: ``user="main[client]"`` / ``proxy_user``: PROXY_CLIENT_NAME in phase two).
    proxy_user: str | None = None
    #: Set this password during the logon (python-oracledb ``newpassword``).
    new_password: Secret[str] | None = field(default=None, repr=False)
    #: Token logon (python-oracledb ``access_token``): the OAuth 2.0 or OCI IAM token,
    #: sent instead of the O5LOGON exchange (phase two only, no password).
    access_token: Secret[str] | None = field(default=None, repr=False)
    #: The IAM token's PEM private key: the logon then carries a signed header.
    private_key: Secret[str] | None = field(default=None, repr=False)
    #: Seconds since the epoch, for the signed header's date (the machine reads no clock).
    now: float = 0.0


def split_proxy(user: str | None, proxy_user: str | None = None) -> tuple[str, str | None]:
    """The logon user and the user the session is for: python-oracledb reads ``main[client]``
    as main logging on for client when ``proxy_user`` is not given."""
    user = user or ""
    if proxy_user is None and user.endswith("]") and "[" in user:
        user, _, rest = user.partition("[")
        proxy_user = rest[:-1] or None
    return user, proxy_user
