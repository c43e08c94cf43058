"""TLS for tcps addresses, with python-oracledb thin's rules (transport.pyx, crypto.pyx).

- The context: ``ssl_context`` when given (python-oracledb changes it in place, so
  do we), else ``ssl.create_default_context()``: certificates are verified against
  the system's CAs (without a wallet that context is built once per process and
  ``ssl_version``, not on every connect as python-oracledb does).  ``ssl_version`` pins both the minimum and maximum version.  A
  ``wallet_location`` other than ``SYSTEM`` must hold ``ewallet.pem``: its
  certificates become trusted CAs and its certificate and private key (decrypted
  with ``wallet_password``) the client's identity for mutual TLS.
- The library's host name check is off; ``ssl_server_dn_match`` (default on) runs
  python-oracledb's own check instead (:func:`oracle_sansio.tls.check_server_certificate`):
  the DN against ``ssl_server_cert_dn`` when given, else the host name against the
  certificate's DNS names and CN.  It runs before any TNS byte is sent.
- SNI: none, unless ``use_sni``, which sends python-oracledb's coded server name
  (:func:`oracle_sansio.tls.sni_name`).
- Renegotiation: a listener's RESEND with the TLS-renegotiation flag asks for a new
  handshake on the same TCP stream; :func:`handshake` is called again on the raw
  transport (the old TLS session is dropped without a close_notify, as
  python-oracledb does), then the CONNECT goes out again.

Every failure is python-oracledb's: DPY-2018 (no ``ewallet.pem``), DPY-6002 / DPY-6006
(DN / name mismatch) and the TLS library's error, each inside DPY-6005 for the
connect loop (``_connect``) to report as python-oracledb does.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from typing import Any

from oracle_sansio.dsn import ConnectTarget
from oracle_sansio.dsn_tree import Description
from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.tls import check_server_certificate, sni_name

from .params import ConnectParams, wallet_password_of

__all__ = ["PEM_WALLET_FILE_NAME", "client_context", "handshake", "per_description", "retire_session", "server_hostname"]

#: The file a PEM wallet directory holds (python-oracledb's name).
PEM_WALLET_FILE_NAME = "ewallet.pem"



def retire_session(old_tls: asyncio.BaseTransport, old_layer: asyncio.BaseProtocol) -> None:
    """Drop the TLS session a renegotiation replaced, without a close_notify (which would
    land in the new session's stream): its layer is told the connection is gone, after
    its application protocol was swapped for an inert one so nobody above hears of it.
    It then holds no reference to the TCP transport and is not reported unclosed."""
    old_tls.set_protocol(asyncio.Protocol())
    old_layer.connection_lost(None)


def per_description(value: object, chosen: object) -> Any:
    """A setting's value for one description: ``value``, or ``chosen`` (the description's
    own) when a DESCRIPTION_LIST gave one value per description (a list)."""
    return chosen if isinstance(value, list) else value


def client_context(p: ConnectParams, desc: Description | None = None) -> ssl.SSLContext:
    """The SSL context for one connect, set up as python-oracledb's ``create_ssl_context``
    (``desc``: the description being connected, for per-description settings).

    Raises:
        DatabaseError: DPY-2018 when ``wallet_location`` has no ``ewallet.pem``.
        TypeError: ``ssl_context`` is not an ``ssl.SSLContext``.
    """
    given = p.ssl_context
    if given is not None and not isinstance(given, ssl.SSLContext):
        raise TypeError(f"ssl_context: expecting an ssl.SSLContext, got {type(given).__name__}")
    desc = desc or Description()
    wallet: str | None = per_description(p.wallet_location, desc.wallet_location)
    version = per_description(p.ssl_version, _VERSIONS.get(desc.ssl_version or "", desc.ssl_version))
    if given is None and (wallet is None or wallet.upper() == "SYSTEM"):
        return _shared_default(version)
    context = given if given is not None else ssl.create_default_context()
    if version is not None:
        context.minimum_version = context.maximum_version = version
    if wallet is not None and wallet.upper() != "SYSTEM":
        pem = os.path.join(wallet, PEM_WALLET_FILE_NAME)
        if not os.path.exists(pem):
            raise dpy_error(2018, name=pem)
        context.load_verify_locations(pem)
        password = wallet_password_of(p)
        try:
            # A callable, so no frame holds the bare password; never OpenSSL's terminal
            # prompt: an encrypted key without a password fails instead.
            context.load_cert_chain(pem, password=password.expose if password is not None else _no_password)
        except ssl.SSLError:
            # A wallet of CA certificates only (python-oracledb ignores this failure too);
            # a key that cannot be decrypted means the server refuses the handshake.
            pass
    context.check_hostname = False
    return context


_VERSIONS: dict[str, ssl.TLSVersion] = {"tlsv1.2": ssl.TLSVersion.TLSv1_2, "tlsv1.3": ssl.TLSVersion.TLSv1_3}

#: The default contexts (system CAs; by ``ssl_version``), built once: loading the system's
#: trust store costs tens of milliseconds, which python-oracledb pays on every connect.
_defaults: dict[object, ssl.SSLContext] = {}


def _shared_default(version: object) -> ssl.SSLContext:
    context = _defaults.get(version)
    if context is None:
        context = ssl.create_default_context()
        if version is not None:
            context.minimum_version = context.maximum_version = version  # type: ignore[assignment]
        context.check_hostname = False
        context = _defaults.setdefault(version, context)
    return context


def _no_password() -> str:
    return ""


def server_hostname(p: ConnectParams, target: ConnectTarget) -> str | None:
    """The SNI to send: python-oracledb's coded name with ``use_sni``, else none."""
    if per_description(p.use_sni, target.description.use_sni) and target.service_name:
        return sni_name(target.service_name, target.server_type)
    return None


async def handshake(raw: asyncio.Transport, protocol: asyncio.BaseProtocol, context: ssl.SSLContext, *,
                    host: str, sni: str | None, dn_match: bool, cert_dn: str | None, connection_id: str | None,
                    timeout: float, previous: asyncio.BaseTransport | None = None) -> asyncio.Transport:
    """Run a TLS handshake on ``raw`` (a TCP transport) for ``protocol`` and check the
    server's certificate; the TLS transport to write to from then on.  ``previous``: the
    TLS transport a renegotiation replaces (retired once the new session stands).

    Raises:
        OperationalError: DPY-6005 with the cause (the TLS library's error, or
            DPY-6002 / DPY-6006); ``raw`` is closed.
    """
    loop = asyncio.get_running_loop()
    before = raw.get_protocol()
    try:
        tls = await loop.start_tls(raw, protocol, context, server_hostname=sni, ssl_handshake_timeout=timeout)
    except (OSError, ConnectionError, asyncio.TimeoutError) as exc:
        raw.close()
        raise dpy_error(6005, _reason(exc), connection_id=connection_id) from None
    if tls is None:  # the peer hung up during the handshake
        raw.close()
        raise dpy_error(6005, "the connection was closed during the TLS handshake", connection_id=connection_id)
    if previous is not None and previous is not tls:
        retire_session(previous, before)
    if dn_match:
        ssl_object = tls.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        error: Error | None = (check_server_certificate(der, host=host, expected_dn=cert_dn) if der
                               else dpy_error(6006, expected_name=host))
        if error is not None:
            tls.abort()
            raw.close()
            raise dpy_error(6005, str(error), connection_id=connection_id) from None
    return tls


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "the TLS handshake did not complete in time"
    return str(exc) or type(exc).__name__
