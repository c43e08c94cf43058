"""The parameter table behind ConnectParams and PoolParams: every parameter's
python-oracledb default and the converter that checks a given value (the same
exceptions for the same mistakes), which parameters are TLS settings, which are
secrets, and which name features this driver lacks."""

from __future__ import annotations

import ssl
from collections.abc import Callable

from oracle_sansio.crypto import Secret
from oracle_sansio.exceptions import dpy_error, not_built_error
from oracle_sansio.pool import PoolGetMode

from ._appctx import appcontext
from ._defaults import network_name
from ._keywords import Purity
from ._token import access_token

__all__ = ["CONNECT", "NOT_HERE", "POOL", "SECRETS", "TLS", "dsn_bool", "sdu", "secret", "ssl_version",
           "unsupported"]


_MIN_SDU, _MAX_SDU = 512, 2_097_152
_UINT32 = 2**32 - 1


def _as_int(value: object) -> int:
    if not isinstance(value, (int, float, str)):
        raise TypeError(f"expecting an integer, got {type(value).__name__}")
    return int(value)


def _uint(name: str) -> Callable[[object], int]:
    def check(value: object) -> int:
        number = _as_int(value)
        if number < 0:
            raise OverflowError(f"{name}: can't convert negative value to uint32_t")
        if number > _UINT32:
            raise OverflowError(f"{name}: value too large to convert to uint32_t")
        return number
    return check


def _sint(value: object) -> int:
    return _as_int(value)


def _float(value: object) -> float:
    if not isinstance(value, (int, float, str)):
        raise TypeError(f"expecting a number, got {type(value).__name__}")
    return float(value)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expecting a string, got {type(value).__name__}")
    return value


def _bool(value: object) -> bool:
    return bool(value)


def sdu(value: object) -> int:
    # python-oracledb clamps rather than rejects.
    return max(_MIN_SDU, min(_MAX_SDU, _uint("sdu")(value)))


def _callable(value: object) -> object:
    if not callable(value):
        raise TypeError("expecting a callable")
    return value


def _purity(value: object) -> Purity:
    """python-oracledb's rule: a member, its number, or its name in any case; else DPY-4022."""
    if value is None:
        return Purity.DEFAULT
    if isinstance(value, str) and value.upper() in Purity.__members__:
        return Purity[value.upper()]
    try:
        if not isinstance(value, (int, float, str)):
            raise TypeError(value)
        return Purity(int(value))
    except (TypeError, ValueError):
        raise dpy_error(4022, name="Purity", value=value) from None


def _server_type(value: object) -> str:
    """python-oracledb lower-cases it and accepts three kinds (DPY-4028 for others)."""
    kind = _str(value).lower()
    if kind not in ("dedicated", "pooled", "shared"):
        raise dpy_error(4028, server_type=kind)
    return kind


def _getmode(value: object) -> PoolGetMode:
    return PoolGetMode(_as_int(value))


def _protocol(value: object) -> str:
    text = _str(value).lower()
    if text not in ("tcp", "tcps"):
        raise dpy_error(4021, protocol=text)
    return text


def ssl_version(value: object) -> object:
    """python-oracledb's rule: TLS 1.2 or 1.3, as ``ssl.TLSVersion`` or ``"tlsv1.2"``/``"tlsv1.3"``."""
    if isinstance(value, str):
        value = {"tlsv1.2": ssl.TLSVersion.TLSv1_2, "tlsv1.3": ssl.TLSVersion.TLSv1_3}.get(value.lower(), value)
    if value is not ssl.TLSVersion.TLSv1_2 and value is not ssl.TLSVersion.TLSv1_3:
        raise dpy_error(4032, ssl_version=value)
    return value


def _any(value: object) -> object:
    # python-oracledb stores ssl_context unchecked; a wrong type fails when TLS starts.
    return value


def secret(value: object) -> Secret[str]:
    if isinstance(value, Secret):
        inner = value.expose()
        if not isinstance(inner, str):
            raise TypeError("expecting a string")
        return Secret(inner)
    return Secret(_str(value))


_TRUE_WORDS = frozenset({"on", "yes", "true"})
_FALSE_WORDS = frozenset({"off", "no", "false"})


def dsn_bool(name: str, text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise dpy_error(4018, f"{name}={text!r} is not a boolean", data=text)


def unsupported(feature: str) -> Exception:
    return not_built_error(feature)


#: name -> (default, converter).  Supported connection parameters.
CONNECT: dict[str, tuple[object, Callable[[object], object]]] = {
    "user": (None, _str),
    "proxy_user": (None, _str),
    "password": (None, secret),
    "newpassword": (None, secret),
    "access_token": (None, access_token),
    "host": (None, _str),
    "port": (1521, _uint("port")),
    "protocol": ("tcp", _protocol),
    "service_name": (None, _str),
    "instance_name": (None, _str),
    "sid": (None, _str),
    "server_type": (None, _server_type),
    "cclass": (None, _str),
    "edition": (None, _str),
    "appcontext": (None, appcontext),
    "pool_boundary": (None, _str),
    "purity": (Purity.DEFAULT, _purity),
    "expire_time": (0, _uint("expire_time")),
    "retry_count": (0, _uint("retry_count")),
    "retry_delay": (1, _uint("retry_delay")),
    "tcp_connect_timeout": (20.0, _float),
    # The next six, like config_dir, start from oracle_asyncio.defaults (ConnectParams._start).
    "stmtcachesize": (20, _uint("stmtcachesize")),
    "sdu": (8192, sdu),
    "program": ("", lambda value: network_name("program", value)),
    "machine": ("", lambda value: network_name("machine", value)),
    "terminal": ("unknown", _str),
    "osuser": ("", lambda value: network_name("osuser", value)),
    "driver_name": (None, _str),
    "connection_id_prefix": (None, _str),
    "on_connect_callback": (None, _callable),
    "disable_oob": (False, _bool),
    "events": (False, _bool),
    "tag": (None, _str),
    "matchanytag": (False, _bool),
    # Where tnsnames.ora is read; ConnectParams() starts from defaults.config_dir.
    "config_dir": (None, _str),
    # An extra python-oracledb lacks: a deadline for the whole logon (seconds;
    # None = none).  python-oracledb's tcp_connect_timeout covers only TCP.
    "connect_timeout": (60.0, _float),
}

#: TLS settings (python-oracledb's names and defaults); they apply to tcps addresses.
TLS: dict[str, tuple[object, Callable[[object], object]]] = {
    "ssl_server_dn_match": (True, _bool),
    "ssl_server_cert_dn": (None, _str),
    "wallet_location": (None, _str),
    "wallet_password": (None, secret),
    "ssl_context": (None, _any),
    "ssl_version": (None, ssl_version),
    "use_sni": (False, _bool),
    "use_eztls": (False, _bool),
    # An HTTP CONNECT proxy for tcps addresses (oracle_asyncio._proxy).
    "https_proxy": (None, _str),
    "https_proxy_port": (0, _uint("https_proxy_port")),
}
CONNECT.update(TLS)

#: Every parameter holding a password: kept as a Secret, never shown.
SECRETS = frozenset({"password", "newpassword", "wallet_password"})

#: python-oracledb parameters for features not built here: only their default is accepted.
NOT_HERE: dict[str, object] = {
    "shardingkey": None, "supershardingkey": None, "debug_jdwp": None,
    "use_tcp_fast_open": False, "thick_mode_dsn_passthrough": True,
    "extra_auth_params": None, "pool_name": None, "handle": 0, "operation_callback": None,
    "round_trip_callback": None, "transaction_priority": "",
    # Logon modes other than a password logon (SYSDBA, external authentication).
    "mode": 0, "externalauth": False,
}

#: Pool parameters (python-oracledb's, then this driver's extras).
POOL: dict[str, tuple[object, Callable[[object], object]]] = {
    "min": (1, _uint("min")),
    "max": (2, _uint("max")),
    "increment": (1, _uint("increment")),
    "connectiontype": (None, lambda v: v),
    "getmode": (PoolGetMode.WAIT, _getmode),
    "homogeneous": (True, _bool),
    "timeout": (0, _uint("timeout")),
    "wait_timeout": (0, _uint("wait_timeout")),
    "max_lifetime_session": (0, _uint("max_lifetime_session")),
    "session_callback": (None, _callable),
    "max_sessions_per_shard": (0, _uint("max_sessions_per_shard")),
    "soda_metadata_cache": (False, _bool),
    "ping_interval": (60, _sint),
    "ping_timeout": (5000, _uint("ping_timeout")),
    # extras (off by default): see README "Pool extras".
    "max_waiters": (None, _uint("max_waiters")),
    "lifetime_jitter": (0.0, _float),
    "leak_threshold": (None, _float),
    "max_concurrent_opens": (None, _uint("max_concurrent_opens")),
}
