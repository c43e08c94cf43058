"""The keywords ``ConnectParams`` and ``PoolParams`` accept, as TypedDicts, so that
a type checker rejects a misspelt keyword given to their constructors and
``set()`` (python-oracledb declares each one; ``**kwargs: Unpack[...]`` does
the same for mypy without a fourth copy of every default).

The names and types match the explicit signatures of ``connect_async()`` and
``create_pool_async()`` in ``_api`` (tests/asyncio/test_signatures.py checks
it); the effective defaults live only in the tables of ``params``.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TypedDict

from oracle_sansio.pool import PoolGetMode

if TYPE_CHECKING:
    from .connection import AsyncConnection

__all__ = ["ConnectKeywords", "PoolKeywords", "Purity", "PURITY_DEFAULT", "PURITY_NEW", "PURITY_SELF"]


class Purity(IntEnum):
    """DRCP session purity (python-oracledb ``oracledb.Purity``); a keyword's value type,
    so it lives here, below ``params``."""

    DEFAULT = 0
    NEW = 1
    SELF = 2


PURITY_DEFAULT = Purity.DEFAULT
PURITY_NEW = Purity.NEW
PURITY_SELF = Purity.SELF


class ConnectKeywords(TypedDict, total=False):
    """Every connection keyword (python-oracledb 26.1's, then this driver's extra)."""

    user: str | None
    proxy_user: str | None
    password: str | None
    newpassword: str | None
    wallet_password: str | None
    access_token: str | tuple[str, str] | Callable[..., Any] | None
    host: str | None
    port: int | None
    protocol: str | None
    https_proxy: str | None
    https_proxy_port: int | None
    service_name: str | None
    instance_name: str | None
    sid: str | None
    server_type: str | None
    cclass: str | None
    purity: Purity | None
    expire_time: int | None
    retry_count: int | None
    retry_delay: int | None
    tcp_connect_timeout: float | None
    ssl_server_dn_match: bool | None
    ssl_server_cert_dn: str | None
    wallet_location: str | None
    events: bool | None
    externalauth: bool | None
    mode: int | None
    disable_oob: bool | None
    stmtcachesize: int | None
    edition: str | None
    tag: str | None
    matchanytag: bool | None
    config_dir: str | None
    appcontext: list[Any] | None
    shardingkey: list[Any] | None
    supershardingkey: list[Any] | None
    debug_jdwp: str | None
    connection_id_prefix: str | None
    ssl_context: ssl.SSLContext | None
    sdu: int | None
    pool_boundary: str | None
    use_tcp_fast_open: bool | None
    ssl_version: ssl.TLSVersion | None
    program: str | None
    machine: str | None
    terminal: str | None
    osuser: str | None
    driver_name: str | None
    use_sni: bool | None
    thick_mode_dsn_passthrough: bool | None
    extra_auth_params: dict[str, Any] | None
    pool_name: str | None
    on_connect_callback: Callable[..., Any] | None
    operation_callback: Callable[..., Any] | None
    round_trip_callback: Callable[..., Any] | None
    transaction_priority: str | None
    use_eztls: bool | None
    handle: int | None
    connect_timeout: float | None


class PoolKeywords(ConnectKeywords, total=False):
    """Every pool keyword: python-oracledb's, then this driver's extras."""

    min: int | None
    max: int | None
    increment: int | None
    connectiontype: type[AsyncConnection] | None
    getmode: PoolGetMode | None
    homogeneous: bool | None
    timeout: int | None
    wait_timeout: int | None
    max_lifetime_session: int | None
    session_callback: Callable[..., Any] | None
    max_sessions_per_shard: int | None
    soda_metadata_cache: bool | None
    ping_interval: int | None
    ping_timeout: int | None
    max_waiters: int | None
    lifetime_jitter: float | None
    leak_threshold: float | None
    max_concurrent_opens: int | None
