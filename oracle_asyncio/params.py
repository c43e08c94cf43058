"""ConnectParams and PoolParams: python-oracledb's parameter objects.

Both hold every keyword ``connect_async``/``create_pool_async`` take, with
python-oracledb's names and defaults.  ``set()`` ignores ``None`` (as
python-oracledb's does), so "not given" never overrides.  Precedence when a
connection is made: values inside the DSN > keyword arguments > ``params``.

``https_proxy``/``https_proxy_port`` go on each address of the parsed tree
(:mod:`oracle_asyncio._dsn_values`); ``_proxy`` tunnels through them.

python-oracledb parameters for features this driver lacks (tokens,
sharding, ...) are accepted while they hold their default value and raise
``NotSupportedError`` (DPY-3001) otherwise.  TLS settings (``protocol="tcps"``,
``ssl_*``, ``wallet_*``, ``use_sni``, from keywords or from a connect string)
are stored and read back as python-oracledb does and apply to tcps addresses
(``oracle_asyncio._tls``).  A keyword or ``params`` asking for tcps carries over
to a connect string that names no protocol (as in python-oracledb); one that
names plain tcp is refused (:func:`check_tls`, DPY-3001) rather than followed
in plaintext.  ``use_eztls`` is not built and refused the same way.

Passwords are held as :class:`~oracle_sansio.crypto.Secret` from the moment a
parameter object receives them; only the logon unwraps them.
"""

from __future__ import annotations

from copy import copy as shallow_copy
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, Unpack, overload

from oracle_sansio.crypto import Secret
from oracle_sansio.dsn import ConnectTarget, target_of
from oracle_sansio.dsn_tree import build_connect_string
from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.pool import PoolGetMode

from ._keywords import PURITY_DEFAULT, PURITY_NEW, PURITY_SELF, ConnectKeywords, PoolKeywords, Purity
from ._token import AccessToken
from ._param_table import CONNECT, NOT_HERE, POOL, SECRETS, secret, unsupported
from . import _dsn_values as dsn_values
from ._dsn_sources import run_protocol_hook
from ._defaults import defaults

__all__ = [
    "ConnectParams",
    "PoolParams",
    "Purity",
    "PURITY_DEFAULT",
    "PURITY_NEW",
    "PURITY_SELF",
    "check_tls",
    "password_of",
    "access_token_of",
    "wallet_password_of",
]


T = TypeVar("T")


class _Param(Generic[T]):
    """A read-only, typed view of one stored parameter."""

    def __init__(self, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _Param[T]: ...
    @overload
    def __get__(self, obj: ConnectParams, owner: type) -> T: ...
    def __get__(self, obj: ConnectParams | None, owner: type) -> _Param[T] | T:
        if obj is None:
            return self
        value: T = stored_values(obj)[self.name]  # type: ignore[assignment]
        return value


class ConnectParams:
    """Connection parameters (python-oracledb ``oracledb.ConnectParams``)."""

    _TABLE = CONNECT

    def __init__(self, **kwargs: Unpack[ConnectKeywords]) -> None:
        self._start(kwargs)

    def _start(self, kwargs: Mapping[str, Any]) -> None:
        self._values: dict[str, object] = {k: d for k, (d, _) in self._TABLE.items()}
        self._values.update(NOT_HERE)
        # python-oracledb copies these from its defaults into each new parameter object.
        for name in ("stmtcachesize", "program", "machine", "terminal", "osuser", "driver_name", "config_dir"):
            self._values[name] = getattr(defaults, name)
        self._set(kwargs, type(self).__name__ + ".__init__()")

    def set(self, **kwargs: Unpack[ConnectKeywords]) -> None:
        """Change the given parameters (``None`` values are ignored)."""
        self._set(kwargs, type(self).__name__ + ".set()")

    def _set(self, kwargs: Mapping[str, Any], where: str) -> None:
        staged: dict[str, object] = {}
        for name, value in kwargs.items():
            if name in self._TABLE or name in CONNECT:
                if value is not None:
                    _, convert = self._TABLE.get(name) or CONNECT[name]
                    converted = convert(value)
                    # Whatever a converter returns, a password is never stored bare.
                    staged[name] = secret(converted) if name in SECRETS else converted
            elif name in NOT_HERE:
                if value is not None and value != NOT_HERE[name]:
                    raise unsupported(f"parameter {name!r}")
            else:
                raise TypeError(f"{where} got an unexpected keyword argument '{name}'")
        # python-oracledb's set() changes every description and address of a parsed string.
        tree = dsn_values.staged_tree(self._values, staged)
        self._values.update(staged)  # all or nothing: a bad value changes none
        if tree is not None:
            dsn_values.sync(self._values, tree)

    def copy(self) -> ConnectParams:
        """An independent copy."""
        return shallow_copy(self)  # __getstate__ gives the copy its own values

    def __getstate__(self) -> dict[str, object]:
        # What copying (and pickling) a parameter object takes: its own dict of values,
        # so that setting a parameter on a copy never changes the original.
        return {"_values": dict(self._values)}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return False
        assert isinstance(other, ConnectParams)
        return self._values == stored_values(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self._values[k]!r}" for k in self._TABLE if k not in SECRETS)
        return f"{type(self).__name__}({shown})"

    # --------------------------------------------------------------- DSN

    def parse_dsn_with_credentials(self, dsn: str) -> tuple[str | None, str | None, str | None]:
        """Split ``user/password@dsn`` (any part may be missing) as python-oracledb does."""
        user = password = None
        rest: str | None = dsn
        if "@" in dsn and not dsn.lstrip().startswith("("):
            creds, rest = dsn.rsplit("@", 1)
            user, sep, pw = creds.partition("/")
            password = pw if sep else None
            user = user or None
        elif "/" in dsn and not any(c in dsn for c in ":(@") and dsn.count("/") == 1:
            user, password = dsn.split("/", 1)
            rest = None
        return user, password, rest or None

    def parse_connect_string(self, connect_string: str) -> None:
        """Take the addresses and settings of a connect string: Easy Connect, a
        descriptor, a tnsnames.ora alias (in ``config_dir``) or a registered
        ``protocol://`` (python-oracledb's rules: docs/protocol-connect.md 7)."""
        self._parse(connect_string.strip())

    def _parse(self, text: str, hooked: ConnectParams | None = None) -> ConnectTarget | None:
        """parse_connect_string(); the target of the first description (None after a hook).

        ``hooked``: the object a ``protocol://`` hook is given instead of this one (the
        caller's own ``params=``, as python-oracledb documents); what the hook sets on it
        is then set here too, over this object's own values."""
        found = dsn_values.parse(text, self._values, lambda protocol, arg: self._hook(protocol, arg, hooked))
        if found is None:
            return None
        parsed, target = found
        dsn_values.sync(self._values, parsed.tree)
        # ``pyo.name=value`` parameters are ordinary parameters (the NOT_HERE rule applies).
        try:
            self._set(parsed.parameters, "connect string")
        except (ValueError, TypeError, OverflowError) as exc:
            raise dpy_error(4018, str(exc), data=text) from None
        return target

    def _hook(self, protocol: str, arg: str, hooked: ConnectParams | None) -> None:
        if hooked is None or hooked is self:
            run_protocol_hook(protocol, arg, self)
            return
        before = dict(hooked._values)
        run_protocol_hook(protocol, arg, hooked)
        self._values.update({name: value for name, value in hooked._values.items()
                             if not (value is before.get(name) or value == before.get(name))})

    def get_connect_string(self) -> str:
        """The connect descriptor these parameters describe (python-oracledb's text)."""
        return build_connect_string(dsn_values.tree_of(self._values))

    user: _Param[str | None] = _Param("user")
    proxy_user: _Param[str | None] = _Param("proxy_user")
    host: _Param[str | None] = _Param("host")
    port: _Param[int] = _Param("port")
    #: One per address: a list when a descriptor names several (as python-oracledb).
    protocol: _Param[str | list[str]] = _Param("protocol")
    service_name: _Param[str | None] = _Param("service_name")
    instance_name: _Param[str | None] = _Param("instance_name")
    sid: _Param[str | None] = _Param("sid")
    server_type: _Param[str | None] = _Param("server_type")
    cclass: _Param[str | None] = _Param("cclass")
    edition: _Param[str | None] = _Param("edition")
    appcontext: _Param[list[Any] | None] = _Param("appcontext")
    pool_boundary: _Param[str | None] = _Param("pool_boundary")
    purity: _Param[Purity] = _Param("purity")
    expire_time: _Param[int] = _Param("expire_time")
    retry_count: _Param[int] = _Param("retry_count")
    retry_delay: _Param[int] = _Param("retry_delay")
    tcp_connect_timeout: _Param[float] = _Param("tcp_connect_timeout")
    stmtcachesize: _Param[int] = _Param("stmtcachesize")
    sdu: _Param[int] = _Param("sdu")
    program: _Param[str] = _Param("program")
    machine: _Param[str] = _Param("machine")
    terminal: _Param[str] = _Param("terminal")
    osuser: _Param[str] = _Param("osuser")
    driver_name: _Param[str | None] = _Param("driver_name")
    connection_id_prefix: _Param[str | None] = _Param("connection_id_prefix")
    on_connect_callback: _Param[Callable[..., Any] | None] = _Param("on_connect_callback")
    disable_oob: _Param[bool] = _Param("disable_oob")
    tag: _Param[str | None] = _Param("tag")
    connect_timeout: _Param[float | None] = _Param("connect_timeout")
    config_dir: _Param[str | None] = _Param("config_dir")
    # TLS settings (used for tcps addresses).
    ssl_server_dn_match: _Param[bool] = _Param("ssl_server_dn_match")
    ssl_server_cert_dn: _Param[str | None] = _Param("ssl_server_cert_dn")
    wallet_location: _Param[str | None] = _Param("wallet_location")
    ssl_context: _Param[Any] = _Param("ssl_context")
    ssl_version: _Param[Any] = _Param("ssl_version")
    use_sni: _Param[bool] = _Param("use_sni")
    use_eztls: _Param[bool] = _Param("use_eztls")
    #: One per address: a list when a connect string names several (as python-oracledb).
    https_proxy: _Param[str | None | list[str | None]] = _Param("https_proxy")
    https_proxy_port: _Param[int | list[int]] = _Param("https_proxy_port")


# python-oracledb's parameters for features not built here read back as stored (their default).
for _name in NOT_HERE.keys() - SECRETS:
    setattr(ConnectParams, _name, _Param(_name))


class PoolParams(ConnectParams):
    """Pool parameters (python-oracledb ``oracledb.PoolParams``) plus this driver's extras."""

    _TABLE = {**POOL, **CONNECT}

    def __init__(self, **kwargs: Unpack[PoolKeywords]) -> None:
        self._start(kwargs)

    def set(self, **kwargs: Unpack[PoolKeywords]) -> None:
        """Change the given parameters (``None`` values are ignored)."""
        self._set(kwargs, type(self).__name__ + ".set()")

    def copy(self) -> PoolParams:
        """An independent copy."""
        other = super().copy()
        assert isinstance(other, PoolParams)
        return other

    min: _Param[int] = _Param("min")
    max: _Param[int] = _Param("max")
    increment: _Param[int] = _Param("increment")
    connectiontype: _Param[type | None] = _Param("connectiontype")
    getmode: _Param[PoolGetMode] = _Param("getmode")
    homogeneous: _Param[bool] = _Param("homogeneous")
    timeout: _Param[int] = _Param("timeout")
    wait_timeout: _Param[int] = _Param("wait_timeout")
    max_lifetime_session: _Param[int] = _Param("max_lifetime_session")
    session_callback: _Param[Callable[..., Any] | None] = _Param("session_callback")
    max_sessions_per_shard: _Param[int] = _Param("max_sessions_per_shard")
    soda_metadata_cache: _Param[bool] = _Param("soda_metadata_cache")
    ping_interval: _Param[int] = _Param("ping_interval")
    ping_timeout: _Param[int] = _Param("ping_timeout")
    max_waiters: _Param[int | None] = _Param("max_waiters")
    lifetime_jitter: _Param[float] = _Param("lifetime_jitter")
    leak_threshold: _Param[float | None] = _Param("leak_threshold")
    max_concurrent_opens: _Param[int | None] = _Param("max_concurrent_opens")


P = TypeVar("P", bound=ConnectParams)


def stored_values(p: ConnectParams) -> dict[str, object]:
    """Every parameter ``p`` holds, by name, passwords included (still wrapped): the one way
    this module's functions reach a parameter object's values."""
    return p._values


def password_of(p: ConnectParams) -> Secret[str]:
    """The logon password (empty when none was given), still wrapped."""
    value = stored_values(p)["password"]
    return value if isinstance(value, Secret) else Secret("")


def newpassword_of(p: ConnectParams) -> Secret[str] | None:
    """The password a logon sets (``newpassword=``), still wrapped; None when not asked."""
    value = stored_values(p)["newpassword"]
    return value if isinstance(value, Secret) and value.expose() else None


def access_token_of(p: ConnectParams) -> AccessToken | None:
    """The ``access_token`` parameter (a token, an IAM pair or a callable), or None."""
    value = stored_values(p)["access_token"]
    return value if isinstance(value, AccessToken) else None


def wallet_password_of(p: ConnectParams) -> Secret[str] | None:
    """The wallet's password (``wallet_password=``), still wrapped; None when not given."""
    value = stored_values(p)["wallet_password"]
    return value if isinstance(value, Secret) else None


def _asks_tcps(p: ConnectParams) -> bool:
    protocol = stored_values(p)["protocol"]
    return "tcps" in (protocol if isinstance(protocol, list) else [protocol])


def _keep_tls(target: ConnectTarget) -> None:
    """A tcps request from keywords or ``params`` carries over to a connect string that
    names no protocol (the parse starts from the parameters, as python-oracledb's);
    one that names plain tcp somewhere is refused, never followed in plaintext."""
    every = target.tree.addresses if target.tree is not None else target.addresses  # every description's
    plain = [a for a in every if a.protocol != "tcps"]
    if plain:
        raise dpy_error(3001, message=(
            f"TLS (protocol 'tcps') was asked for, but the connect string names protocol "
            f"{plain[0].protocol!r} for {plain[0].host}:{plain[0].port}; refusing to connect without TLS"))


def check_tls(p: ConnectParams) -> None:
    """Refuse the TLS settings this driver has not built (``use_eztls``), before any socket."""
    if stored_values(p)["use_eztls"]:
        raise unsupported("parameter 'use_eztls' (ezTLS)")


def _may_be_credentials(dsn: str) -> bool:
    """Could ``dsn`` (no ``@`` in it, no user given) be python-oracledb's ``user/password``?
    Not a descriptor, not a URL, and a ``/`` after the first character."""
    text = dsn.strip()
    return text.find("/") > 0 and not text.startswith("(") and "://" not in text


def resolve(dsn: str | None, params: ConnectParams | None, kwargs: dict[str, Any],
            cls: type[P]) -> tuple[P, ConnectTarget, str]:
    """The parameters, target and displayed DSN of one connect/pool call.

    Precedence (python-oracledb's): values inside ``dsn`` > ``kwargs`` > ``params``.

    Raises:
        ProgrammingError: DPY-2025/2027 when ``params`` has the wrong type.
        TypeError: an unknown keyword.
    """
    if params is not None and not isinstance(params, cls):
        raise dpy_error(2027 if cls is PoolParams else 2025)
    p = params.copy() if params is not None else cls()
    assert isinstance(p, cls)
    p.set(**kwargs)
    check_tls(p)
    # Before the DSN's own address replaces the protocol: a keyword or ``params``
    # asking for tcps is a TLS request even when the DSN does not repeat it.
    wants_tls = _asks_tcps(p)
    if dsn:
        user_given = p.user is not None
        user, password, rest = p.parse_dsn_with_credentials(dsn)
        p.set(user=user, password=password)
        if rest:
            try:
                parsed = p._parse(rest.strip(), params)
            except Error:
                if not user_given and "@" not in dsn and _may_be_credentials(rest):
                    # python-oracledb reads ``scott/pa:ss`` as user/password (a local
                    # connection); echoing it in an error would show the password.
                    raise dpy_error(3001, feature="bequeath", driver_type="thick") from None
                raise
            # After a protocol hook, what the hook set.
            target = parsed if parsed is not None else _target(p)
            if wants_tls:
                _keep_tls(target)
            refuse_unsupported(p)
            return p, target, rest
    if not p.host:
        # python-oracledb: no address means a local (bequeath) connection, thick only.
        raise dpy_error(3001, feature="bequeath", driver_type="thick")
    refuse_unsupported(p)
    text = p.get_connect_string()
    return p, _target(p), text


def _target(p: ConnectParams) -> ConnectTarget:
    """The target of the first description of what ``p`` describes."""
    return target_of(dsn_values.tree_of(stored_values(p)))


def refuse_unsupported(p: ConnectParams) -> None:
    """DPY-3001 when a connect string (or a hook) set a python-oracledb parameter this
    driver cannot act on yet (e.g. ``pool_boundary``): never ignored."""
    values = stored_values(p)
    for name, default in NOT_HERE.items():
        if dsn_values.differs(values[name], default):
            raise unsupported(f"parameter {name!r}")
