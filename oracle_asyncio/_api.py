"""``connect_async()`` and ``create_pool_async()`` with python-oracledb 26.1's
keyword parameters written out, so that ``inspect.signature``, IDEs and type
checkers see every name: a misspelt keyword is a type error, and still a
``TypeError`` at run time.

Every python-oracledb keyword defaults to ``None`` here, as in python-oracledb,
meaning "not given": the effective defaults live in one place, the parameter
tables of :mod:`oracle_asyncio.params` (``ConnectParams``/``PoolParams``).
This driver's extra keywords follow python-oracledb's, at the end.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

from oracle_sansio.crypto import Secret
from oracle_sansio.exceptions import dpy_error
from oracle_sansio.pool import PoolGetMode

from ._connect import _Connecting, check_conn_class, start_connect
from ._protocols import Clock
from .connection import AsyncConnection
from .params import ConnectParams, PoolParams, Purity
from .pool import AsyncConnectionPool, get_pool

__all__ = ["connect_async", "create_pool_async"]

#: Parameters holding a password: wrapped at once, and the plain argument deleted, so no
#: traceback's locals (``pytest -l``, debuggers, error reporters) can show it.
_PASSWORDS = ("password", "newpassword", "wallet_password")

#: Parameters of the two functions that are not connection/pool settings.
_OWN = frozenset({"dsn", "pool", "pool_alias", "conn_class", "params", "pool_class", "clock"})


def _given(scope: dict[str, Any]) -> dict[str, Any]:
    """The settings a call passed (``None`` means not given, as in python-oracledb).

    Each function calls it first, with ``locals()``: its signature then stays the only
    list of names, and a keyword added there cannot be forgotten on the way to
    ``ConnectParams``/``PoolParams`` (test_every_declared_keyword_is_passed_on)."""
    given = {name: value for name, value in scope.items() if name not in _OWN and value is not None}
    for name in _PASSWORDS:
        if isinstance(given.get(name), str):
            given[name] = Secret(given[name])
    return given


def _pool_to_use(pool: object, pool_alias: str | None) -> AsyncConnectionPool | None:
    """``connect_async``'s ``pool``/``pool_alias`` arguments: the pool to acquire from, or None.

    Raises:
        ProgrammingError: DPY-2014 when both are given, DPY-2054 for an unknown alias.
        TypeError: ``pool`` is not an AsyncConnectionPool.
    """
    if pool_alias is not None:
        if pool is not None:
            raise dpy_error(2014, deprecated_name="pool", new_name="pool_alias")
        pool = get_pool(pool_alias)
        if pool is None:
            raise dpy_error(2054, alias=pool_alias)
    if pool is not None and not isinstance(pool, AsyncConnectionPool):
        raise TypeError("pool must be an instance of oracle_asyncio.AsyncConnectionPool")
    return pool


def connect_async(
    dsn: str | None = None,
    *,
    pool: AsyncConnectionPool | None = None,
    pool_alias: str | None = None,
    conn_class: type[AsyncConnection] = AsyncConnection,
    params: ConnectParams | None = None,
    user: str | None = None,
    proxy_user: str | None = None,
    password: str | None = None,
    newpassword: str | None = None,
    wallet_password: str | None = None,
    access_token: str | tuple[str, str] | Callable[..., Any] | None = None,
    host: str | None = None,
    port: int | None = None,
    protocol: str | None = None,
    https_proxy: str | None = None,
    https_proxy_port: int | None = None,
    service_name: str | None = None,
    instance_name: str | None = None,
    sid: str | None = None,
    server_type: str | None = None,
    cclass: str | None = None,
    purity: Purity | None = None,
    expire_time: int | None = None,
    retry_count: int | None = None,
    retry_delay: int | None = None,
    tcp_connect_timeout: float | None = None,
    ssl_server_dn_match: bool | None = None,
    ssl_server_cert_dn: str | None = None,
    wallet_location: str | None = None,
    events: bool | None = None,
    externalauth: bool | None = None,
    mode: int | None = None,
    disable_oob: bool | None = None,
    stmtcachesize: int | None = None,
    edition: str | None = None,
    tag: str | None = None,
    matchanytag: bool | None = None,
    config_dir: str | None = None,
    appcontext: list[Any] | None = None,
    shardingkey: list[Any] | None = None,
    supershardingkey: list[Any] | None = None,
    debug_jdwp: str | None = None,
    connection_id_prefix: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    sdu: int | None = None,
    pool_boundary: str | None = None,
    use_tcp_fast_open: bool | None = None,
    ssl_version: ssl.TLSVersion | None = None,
    program: str | None = None,
    machine: str | None = None,
    terminal: str | None = None,
    osuser: str | None = None,
    driver_name: str | None = None,
    use_sni: bool | None = None,
    thick_mode_dsn_passthrough: bool | None = None,
    extra_auth_params: dict[str, Any] | None = None,
    pool_name: str | None = None,
    on_connect_callback: Callable[..., Any] | None = None,
    operation_callback: Callable[..., Any] | None = None,
    round_trip_callback: Callable[..., Any] | None = None,
    transaction_priority: str | None = None,
    use_eztls: bool | None = None,
    handle: int | None = None,
    # Extra (python-oracledb has none): seconds the whole logon may take (default 60).
    connect_timeout: float | None = None,
) -> _Connecting:
    """Connect and log on (python-oracledb ``connect_async``): ``await`` the result
    or use it with ``async with``.

    Keywords are python-oracledb's (see ``ConnectParams`` for their defaults);
    values inside ``dsn`` win over keywords, which win over ``params``.
    Argument errors (DPY-2014/2023/2025/2054) are raised here, before any await,
    as python-oracledb does.  A tcps address connects over TLS (``ssl_*``,
    ``wallet_*``, ``use_sni``); ``use_eztls``, or TLS asked for by keyword while the
    connect string names plain tcp, raises DPY-3001 here (never a plaintext
    fallback).  ``pool``/``pool_alias`` acquire from a
    pool instead.  The extra ``connect_timeout`` (seconds, default 60) bounds the
    whole logon: python-oracledb has no such bound.
    """
    kwargs = _given(locals())
    del password, newpassword, wallet_password
    check_conn_class(conn_class)
    return start_connect(dsn, pool=_pool_to_use(pool, pool_alias), conn_class=conn_class, params=params,
                         kwargs=kwargs)


def create_pool_async(
    dsn: str | None = None,
    *,
    pool_class: type[AsyncConnectionPool] = AsyncConnectionPool,
    pool_alias: str | None = None,
    params: PoolParams | None = None,
    min: int | None = None,
    max: int | None = None,
    increment: int | None = None,
    connectiontype: type[AsyncConnection] | None = None,
    getmode: PoolGetMode | None = None,
    homogeneous: bool | None = None,
    timeout: int | None = None,
    wait_timeout: int | None = None,
    max_lifetime_session: int | None = None,
    session_callback: Callable[..., Any] | None = None,
    max_sessions_per_shard: int | None = None,
    soda_metadata_cache: bool | None = None,
    ping_interval: int | None = None,
    ping_timeout: int | None = None,
    user: str | None = None,
    proxy_user: str | None = None,
    password: str | None = None,
    newpassword: str | None = None,
    wallet_password: str | None = None,
    access_token: str | tuple[str, str] | Callable[..., Any] | None = None,
    host: str | None = None,
    port: int | None = None,
    protocol: str | None = None,
    https_proxy: str | None = None,
    https_proxy_port: int | None = None,
    service_name: str | None = None,
    instance_name: str | None = None,
    sid: str | None = None,
    server_type: str | None = None,
    cclass: str | None = None,
    purity: Purity | None = None,
    expire_time: int | None = None,
    retry_count: int | None = None,
    retry_delay: int | None = None,
    tcp_connect_timeout: float | None = None,
    ssl_server_dn_match: bool | None = None,
    ssl_server_cert_dn: str | None = None,
    wallet_location: str | None = None,
    events: bool | None = None,
    externalauth: bool | None = None,
    mode: int | None = None,
    disable_oob: bool | None = None,
    stmtcachesize: int | None = None,
    edition: str | None = None,
    tag: str | None = None,
    matchanytag: bool | None = None,
    config_dir: str | None = None,
    appcontext: list[Any] | None = None,
    shardingkey: list[Any] | None = None,
    supershardingkey: list[Any] | None = None,
    debug_jdwp: str | None = None,
    connection_id_prefix: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    sdu: int | None = None,
    pool_boundary: str | None = None,
    use_tcp_fast_open: bool | None = None,
    ssl_version: ssl.TLSVersion | None = None,
    program: str | None = None,
    machine: str | None = None,
    terminal: str | None = None,
    osuser: str | None = None,
    driver_name: str | None = None,
    use_sni: bool | None = None,
    thick_mode_dsn_passthrough: bool | None = None,
    extra_auth_params: dict[str, Any] | None = None,
    pool_name: str | None = None,
    on_connect_callback: Callable[..., Any] | None = None,
    operation_callback: Callable[..., Any] | None = None,
    round_trip_callback: Callable[..., Any] | None = None,
    transaction_priority: str | None = None,
    use_eztls: bool | None = None,
    handle: int | None = None,
    # Extras (python-oracledb has none), off by default: README "Pool extras".
    connect_timeout: float | None = None,
    max_waiters: int | None = None,
    lifetime_jitter: float | None = None,
    leak_threshold: float | None = None,
    max_concurrent_opens: int | None = None,
    clock: Clock | None = None,
) -> AsyncConnectionPool:
    """Create a pool (python-oracledb ``create_pool_async``): a plain function that
    must run inside an event loop; ``min`` sessions open in the background.

    Keywords are python-oracledb's (see ``PoolParams`` for their defaults) plus
    the extras ``connect_timeout``, ``max_waiters``, ``lifetime_jitter``,
    ``leak_threshold`` and ``max_concurrent_opens`` (README "Pool extras") and
    ``clock`` (what the pool reads time from; tests inject a fake one).
    Its sessions connect over TLS to tcps addresses as :func:`connect_async` does;
    ``use_eztls`` (or TLS asked for by keyword while the connect string names plain
    tcp) raises DPY-3001 here, before any logon is started.
    """
    kwargs = _given(locals())
    del password, newpassword, wallet_password
    if not (isinstance(pool_class, type) and issubclass(pool_class, AsyncConnectionPool)):
        raise dpy_error(2026)
    if clock is not None:
        kwargs["clock"] = clock
    return pool_class(dsn, params=params, cache_name=pool_alias, **kwargs)
