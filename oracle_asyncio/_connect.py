"""connect_async: resolve parameters, then TCP + logon with python-oracledb's
retry, address-list and keepalive rules, every step under a deadline."""

from __future__ import annotations

import asyncio
import base64
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import replace
from typing import Any

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import LoggedOn, Redirected, Refused, ServerErrorReceived, TlsRenegotiationRequested
from oracle_sansio.crypto import Secret
from oracle_sansio.dsn import Address, ConnectTarget, DsnError, parse_dsn, target_of
from oracle_sansio.dsn_tree import connect_order, to_duration
from oracle_sansio.error_codes import DpyCode, dpy_text
from oracle_sansio.exceptions import Error, OperationalError, dpy_error, ora_error
from oracle_sansio.params import ClientParams, split_proxy

from ._appctx import entries
from ._protocols import Acquirer
from ._session import Session, session_of
from ._transport import Transport
from . import _keycache as keycache
from . import _proxy
from . import _tls
from .connection import AsyncConnection
from ._drcp import drcp_target
from .params import ConnectParams, access_token_of, check_tls, newpassword_of, password_of, resolve

__all__ = ["check_conn_class", "open_session", "start_connect"]

#: python-oracledb transport.pyx: keepalive probes every 6 s, 10 of them, after expire_time minutes idle.
_KEEPALIVE_INTERVAL, _KEEPALIVE_PROBES = 6, 10


class _Connecting:
    """What ``connect_async()`` returns: await it, or ``async with`` it (closing on exit)."""

    def __init__(self, make: Callable[[], Awaitable[AsyncConnection]]) -> None:
        self._make = make
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._open().__await__()

    async def _open(self) -> AsyncConnection:
        self._conn = await self._make()
        return self._conn

    async def __aenter__(self) -> AsyncConnection:
        return await self._open()

    async def __aexit__(self, *exc: object) -> None:
        conn = self._conn
        # Whatever its health: a pooled session must go back (a killed one is replaced).
        if conn is not None and not session_of(conn).closed and not session_of(conn).released:
            await conn.close()


def check_conn_class(conn_class: object) -> None:
    """DPY-2023 unless ``conn_class`` is AsyncConnection or a subclass (checked first, as python-oracledb)."""
    if not (isinstance(conn_class, type) and issubclass(conn_class, AsyncConnection)):
        raise dpy_error(2023)


def start_connect(
    dsn: str | None,
    *,
    pool: Acquirer | None,
    conn_class: type[AsyncConnection],
    params: ConnectParams | None,
    kwargs: dict[str, Any],
) -> _Connecting:
    """The body of ``connect_async()`` (whose typed signature is in ``_api``, which
    resolves ``pool_alias`` and checks the pool's type): argument checks now, the
    logon when the result is awaited."""
    check_conn_class(conn_class)
    if pool is not None:
        chosen = pool
        # Not the password: the pool logs on with its own, and a closure must not keep it bare.
        acquire_args = {k: kwargs.pop(k) for k in ("cclass", "purity", "user", "tag") if k in kwargs}
        return _Connecting(lambda: chosen.acquire(**acquire_args))
    p, target, shown = resolve(dsn, params, kwargs, ConnectParams)

    async def make() -> AsyncConnection:
        conn = await open_session(p, target, shown, conn_class)
        callback = p.on_connect_callback
        if callback is not None:
            try:
                await callback(conn)
            except BaseException:
                await session_of(conn).abort()
                raise
        return conn

    return _Connecting(make)


def _client_params(p: ConnectParams, target: ConnectTarget, *, pooled: bool,
                   password_key: keycache.Entry | None = None,
                   address: Address | None = None) -> ClientParams:
    target = drcp_target(p, target)
    connection_id = base64.b64encode(os.urandom(16)).decode()
    # One value per description when a DESCRIPTION_LIST has several: this description's.
    desc = target.description
    prefix = desc.connection_id_prefix if isinstance(p.connection_id_prefix, list) else p.connection_id_prefix
    cclass = desc.cclass if isinstance(p.cclass, list) else p.cclass
    if prefix:
        connection_id = prefix + connection_id
    extra: dict[str, Any] = {}
    if p.driver_name:
        extra["driver_name"] = p.driver_name
    if password_key is not None:
        extra["password_key"], extra["password_key_salt"], extra["password_key_cipher"] = password_key
    new_password = newpassword_of(p)
    if new_password is not None:
        extra["new_password"] = new_password
    purity = desc.purity if isinstance(p.purity, list) else int(p.purity)
    if purity == 0 and (target.server_type or "").lower() == "pooled":
        # python-oracledb: DRCP defaults to SELF for pooled and NEW for standalone sessions.
        purity = 2 if pooled else 1
    user, proxy_user = split_proxy(p.user, p.proxy_user)
    return ClientParams(
        user=user,
        proxy_user=proxy_user,
        password=password_of(p),
        target=target,
        program=p.program,
        machine=p.machine,
        osuser=p.osuser,
        terminal=p.terminal,
        pid=str(os.getpid()),
        connection_id=connection_id,
        sdu=target.description.sdu,
        cclass=cclass,
        purity=purity,
        edition=p.edition,
        app_context=entries(p.appcontext),
        address=address,
        **extra,
    )


async def open_session(p: ConnectParams, target: ConnectTarget, shown: str,
                       conn_class: type[AsyncConnection] = AsyncConnection, *,
                       pooled: bool = False) -> AsyncConnection:
    """One logged-on session: every address in order, ``retry_count`` more rounds
    ``retry_delay`` seconds apart, all within ``connect_timeout``.  The 12c key an
    earlier logon of the same user and password derived (``_keycache``) skips the PBKDF2.

    Raises:
        OperationalError: DPY-6005 when no address could be reached.
        DatabaseError: the server's refusal (e.g. ORA-01017) at once, without retries.
    """
    token = access_token_of(p)
    if not p.user and token is None:
        raise dpy_error(4001)
    check_tls(p)  # again here: every session, pooled or not, passes this way
    user, password = p.user or "", password_of(p)
    cached = keycache.lookup(user, password) if token is None else None
    # Made for the first address: a connect that needs no other builds no second copy.
    params = _client_params(p, target, pooled=pooled, password_key=cached, address=target.addresses[0])
    if token is not None:
        # python-oracledb: a token is only ever sent over TLS (DPY-2034, before any socket).
        every = target.tree.addresses if target.tree is not None else target.addresses  # each description's
        if any(a.protocol.lower() != "tcps" for a in every):
            raise dpy_error(DpyCode.ACCESS_TOKEN_REQUIRES_TCPS)
        # The callable (if any) is asked here, once per session: a pool's new sessions get
        # a refreshed token when the last one expired.
        secret_token, private_key = token.current()
        params = replace(params, access_token=secret_token, private_key=private_key, now=time.time())

    async def attempts() -> Transport:
        # python-oracledb's order: each description (FAILOVER/LOAD_BALANCE/SOURCE_ROUTE at
        # every level, shuffled by random.sample), its retry_count more rounds of its
        # addresses, retry_delay seconds apart.
        last: Error | None = None
        tree = target.tree
        plan = connect_order(tree, random.sample) if tree is not None else [(target.description, list(target.addresses))]
        for description, addresses in plan:
            # params.target: the first description's, with the DRCP keywords (drcp_target).
            attempt = (params.target if tree is None or description is target.description
                       else drcp_target(p, target_of(tree, description)))
            for round_no in range(description.retry_count + 1):
                if round_no:
                    await asyncio.sleep(description.retry_delay)
                for address in addresses:
                    try:
                        # The first address reuses the parameters made for it.
                        same = address is params.address and attempt is params.target
                        for_address = params if same else replace(params, target=attempt, address=address)
                        return await _logon(for_address, address, p, redirects=2)
                    except OperationalError as exc:
                        if getattr(exc.args[0], "full_code", "") != DpyCode.CONNECTION_FAILED.full_code:
                            raise
                        last = exc
        if last is None:
            raise dpy_error(6005, "the connect string names no address", connection_id=params.connection_id)
        raise last

    timeout = _deadline(p, target)
    if timeout is None:
        transport = await attempts()
    else:
        try:
            async with asyncio.timeout(timeout):
                transport = await attempts()
        except asyncio.TimeoutError:
            raise dpy_error(6005, "logon did not complete in time", connection_id=params.connection_id) from None
    session = Session(transport)
    machine = session.machine
    derived, key_salt = machine.password_key, machine.password_key_salt
    # Only a key this logon derived (the lookup already counted a reused one as used),
    # and not when ``newpassword=`` changed the password: the key is the old password's,
    # which no longer logs on (and, filed under the new one, it would answer for it).
    if (token is None and derived is not None and key_salt is not None and newpassword_of(p) is None
            and (cached is None or derived is not cached[0])):
        keycache.remember(user, password, derived, key_salt, machine.password_key_cipher)
    conn = conn_class(session, params, shown)
    conn.stmtcachesize = p.stmtcachesize
    return conn


def _deadline(p: ConnectParams, target: ConnectTarget) -> float | None:
    """The whole logon's deadline: ``connect_timeout``, or a descriptor's CONNECT_TIMEOUT
    (which python-oracledb passes to the listener unread: here it bounds the logon)."""
    for key, value in target.description.extra_args:
        if key == "connect_timeout" and isinstance(value, str):
            try:
                return to_duration(value)
            except ValueError:
                raise dpy_error(4018, f"CONNECT_TIMEOUT={value!r} is not a duration", data=value) from None
    return p.connect_timeout


def _keepalive(transport: asyncio.BaseTransport, minutes: int) -> None:
    sock = transport.get_extra_info("socket")
    if sock is None or not minutes:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", minutes * 60), ("TCP_KEEPINTVL", _KEEPALIVE_INTERVAL),
                        ("TCP_KEEPCNT", _KEEPALIVE_PROBES)):
        option = getattr(socket, name, None)
        if option is not None:  # not every platform has all three
            sock.setsockopt(socket.IPPROTO_TCP, option, value)


def _literal_family(host: str) -> int | None:
    """AF_INET or AF_INET6 when ``host`` is a numeric address (nothing to resolve), else None."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except (OSError, ValueError):
            continue
        return family
    return None


async def _connect_socket(loop: asyncio.AbstractEventLoop, transport: Transport, host: str, port: int) -> None:
    """``loop.create_connection`` to ``host``, without its resolver path when the
    host is a numeric address: the connect is started here and ``loop.sock_connect``
    finishes it (on loopback the handshake is done by then, so there is no wait for
    writability and no extra turn of the loop).  The errors are the ones
    create_connection raises for one address."""
    family = _literal_family(host)
    if family is None:
        await loop.create_connection(lambda: transport, host, port)
        return
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        try:
            sock.connect((host, port))
        except BlockingIOError:
            await loop.sock_connect(sock, (host, port))
        await loop.create_connection(lambda: transport, sock=sock)
    except BaseException:
        sock.close()
        raise


async def _through_proxy(loop: asyncio.AbstractEventLoop, transport: Transport, address: Address,
                         proxy: str) -> None:
    """The TCP connection for ``address`` through its HTTP CONNECT proxy (``_proxy``)."""
    sock = await _proxy.open_tunnel(loop, proxy, address.https_proxy_port, address.host, address.port)
    try:
        await loop.create_connection(lambda: transport, sock=sock)
    except BaseException:
        sock.close()
        raise


async def _start_tls(transport: Transport, params: ClientParams, address: Address, p: ConnectParams,
                     raw: asyncio.Transport) -> None:
    """TLS on ``raw`` for a tcps address (again on a renegotiation): nothing is
    written before the handshake and the certificate check succeed."""
    try:
        context = _tls.client_context(p, params.target.description)
    except Exception as exc:
        # python-oracledb: a wallet or context problem fails the connect as DPY-6005.
        raw.close()
        raise dpy_error(6005, str(exc), connection_id=params.connection_id) from None
    desc = params.target.description
    transport.transport = await _tls.handshake(
        raw, transport, context, host=address.host, sni=_tls.server_hostname(p, params.target),
        dn_match=_tls.per_description(p.ssl_server_dn_match, desc.ssl_server_dn_match),
        cert_dn=_tls.per_description(p.ssl_server_cert_dn, desc.ssl_server_cert_dn),
        connection_id=params.connection_id, timeout=desc.tcp_connect_timeout, previous=transport.transport if transport.transport is not raw else None)


async def _logon(params: ClientParams, address: Address, p: ConnectParams, *, redirects: int) -> Transport:
    if address.protocol not in ("tcp", "tcps"):
        # Last guard before the socket: only tcps gets TLS below, so any other name
        # would be served in plaintext.
        raise dpy_error(4021, protocol=address.protocol)
    loop = asyncio.get_running_loop()
    transport = Transport(ClientConnection(params, entropy=os.urandom))
    proxy = address.https_proxy
    if proxy is not None and address.protocol != "tcps":
        # python-oracledb: the tunnel is for TLS only (its cause line, inside DPY-6005).
        raise dpy_error(6005, dpy_text(DpyCode.HTTPS_PROXY_REQUIRES_TCPS, {}), connection_id=params.connection_id)
    try:
        # A timeout scope, not wait_for: no task of its own for every connect.
        async with asyncio.timeout(params.target.description.tcp_connect_timeout):
            if proxy is None:
                await _connect_socket(loop, transport, address.host, address.port)
            else:
                await _through_proxy(loop, transport, address, proxy)
    except (OSError, asyncio.TimeoutError) as exc:
        raise dpy_error(6005, str(exc) or type(exc).__name__, connection_id=params.connection_id) from None
    except Error as exc:  # the proxy's refusal (DPY-6004)
        raise dpy_error(6005, str(exc), connection_id=params.connection_id) from None
    raw = transport.transport
    assert raw is not None
    try:
        _keepalive(raw, params.target.description.expire_time)
    except OSError as exc:
        raw.close()
        raise dpy_error(6005, f"expire_time={params.target.description.expire_time}: {exc}",
                        connection_id=params.connection_id) from None
    if address.protocol == "tcps":
        await _start_tls(transport, params, address, p, raw)
    try:
        events = await transport.call(transport.conn.start)
        while isinstance(events[-1], TlsRenegotiationRequested):
            # python-oracledb: the listener asked for a new handshake before the CONNECT again.
            await _start_tls(transport, params, address, p, raw)
            events = await transport.resume(transport.conn.tls_renegotiated)
    except Error as exc:
        (transport.transport or raw).close()
        if not transport.conn.caps.protocol_version:
            # No ACCEPT yet (connect phase one: the peer hung up or sent garbage): like
            # python-oracledb, DPY-6005 with the cause, so the next address is tried.
            raise dpy_error(6005, str(exc), connection_id=params.connection_id) from None
        raise
    except BaseException:
        (transport.transport or raw).close()
        raise
    last = events[-1]
    if isinstance(last, LoggedOn):
        return transport
    (transport.transport or raw).close()
    if isinstance(last, ServerErrorReceived):
        raise ora_error(last.code, last.message)
    if isinstance(last, Redirected) and redirects > 0:
        try:
            new = parse_dsn(last.address if last.address.startswith("(") else f"{last.address}/x")
        except DsnError:
            raise dpy_error(4019, data=last.address) from None
        # python-oracledb keeps the first address's protocol; a listener naming tcps is
        # followed with TLS too (never in plaintext).
        protocol = "tcps" if "tcps" in (address.protocol, new.addresses[0].protocol) else "tcp"
        # python-oracledb keeps the first address's proxy too.
        next_address = replace(new.addresses[0], protocol=protocol, https_proxy=address.https_proxy,
                               https_proxy_port=address.https_proxy_port)
        redirected = replace(params, connect_data=last.connect_data, redirected=True, address=next_address)
        return await _logon(redirected, next_address, p, redirects=redirects - 1)
    if isinstance(last, Refused):
        raise dpy_error(6005, _refusal(last.code, params.target, address), connection_id=params.connection_id)
    raise dpy_error(6005, f"unexpected reply to CONNECT: {last}", connection_id=params.connection_id)


def _refusal(code: int | None, target: ConnectTarget, address: Address) -> str:
    """python-oracledb's cause line for a listener's REFUSE (DPY-5005, 6000, 6001, 6003)."""
    where: dict[str, object] = {"host": address.host, "port": address.port}
    if not code:
        return dpy_text(DpyCode.UNEXPECTED_REFUSE, {})
    if code == 12514:
        return dpy_text(DpyCode.INVALID_SERVICE_NAME, {**where, "service_name": target.service_name})
    if code == 12505:
        return dpy_text(DpyCode.INVALID_SID, {**where, "sid": target.sid})
    return dpy_text(DpyCode.LISTENER_REFUSED_CONNECTION, {"error_code": code})
