"""TCPS for the embedded server: its TLS settings, the server handshake, and the
renegotiation python-oracledb clients perform when a listener asks for it.

The handshake runs before the first TNS byte is read.  With ``renegotiate``
the server answers each client's first CONNECT with RESEND carrying the
TLS-renegotiation flag, then runs a second server handshake on the same TCP
stream (the first TLS session is dropped unclosed, as the client drops it), and
reads the CONNECT again over the new session: what an Oracle listener does.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .._tls import retire_session

__all__ = ["TlsConfig", "TlsLink", "server_context", "tls_acceptor"]

_log = logging.getLogger("oracle_asyncio.testing")

#: The default bound on one server-side TLS handshake, in seconds.
HANDSHAKE_TIMEOUT = 10.0


@dataclass(frozen=True, kw_only=True)
class TlsConfig:
    """What ``EmbeddedServer(tls=...)`` serves TCPS with (files in PEM)."""

    #: The server's certificate chain (``--tls-cert``).
    cert: str | None = None
    #: Its private key (``--tls-key``); None when ``cert`` holds it too.
    key: str | None = None
    #: CAs whose client certificates are required (mutual TLS, ``--tls-client-ca``); None: none asked.
    client_ca: str | None = None
    #: Ask each client for a second TLS handshake (RESEND with the renegotiation flag).
    renegotiate: bool = False
    #: A ready server-side context, used instead of ``cert``/``key``/``client_ca``.
    context: ssl.SSLContext | None = None
    #: Seconds a TLS handshake (the first or a renegotiation) may take before the
    #: socket is closed: a client that never sends its ClientHello holds nothing open.
    handshake_timeout: float = HANDSHAKE_TIMEOUT


def server_context(tls: ssl.SSLContext | TlsConfig) -> ssl.SSLContext:
    """The server-side SSL context ``tls`` describes (an ``SSLContext`` is used as given)."""
    if isinstance(tls, ssl.SSLContext):
        return tls
    if tls.context is not None:
        return tls.context
    if tls.cert is None:
        raise ValueError("TlsConfig needs a cert or a context")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.cert, tls.key)
    if tls.client_ca is not None:
        context.load_verify_locations(tls.client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


class TlsLink:
    """One accepted socket's TLS: the first handshake and any renegotiation."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, context: ssl.SSLContext, *,
                 renegotiate: bool, handshake_timeout: float = HANDSHAKE_TIMEOUT) -> None:
        self.reader = reader
        self.context = context
        self._timeout = handshake_timeout
        raw = writer.transport
        assert isinstance(raw, asyncio.Transport)
        self._raw = raw
        self._protocol = raw.get_protocol()
        self.writer = writer
        self._ask = renegotiate
        #: A RESEND asking for a new handshake is queued: ``renegotiate`` must run next.
        self.pending = False
        # The client's ClientHello must reach the TLS layer, not the stream's buffer.
        raw.pause_reading()

    async def handshake(self) -> bool:
        """The first handshake; False (socket closed, logged at debug) when it failed
        or took longer than the handshake timeout."""
        try:
            await self.writer.start_tls(self.context, ssl_handshake_timeout=self._timeout)
        except Exception as exc:
            # Garbage instead of a ClientHello, a silent client, or the socket closed under
            # the handshake (the logon timer): nobody to tell, so no task error either.
            _log.debug("embedded server: TLS handshake failed: %r", exc)
            self._raw.close()
            return False
        if self.writer.transport is None:
            # The socket was closed under the handshake (the logon timer): asyncio's
            # start_tls then returns no transport instead of raising; the raw one is
            # still ours to close, or it is reported unclosed when collected.
            _log.debug("embedded server: TLS handshake ended by a closed socket")
            self._raw.close()
            return False
        return True

    def ask_renegotiation(self) -> bool:
        """Whether to answer this CONNECT with RESEND + renegotiation (once per socket)."""
        if not self._ask:
            return False
        self._ask = False
        self.pending = True
        return True

    async def renegotiate(self, out: bytes) -> asyncio.StreamWriter:
        """Send ``out`` (the RESEND) over the current session, then run a new server
        handshake on the TCP stream at once (before the client's ClientHello can be
        read as data of the old session); the writer to use from then on."""
        self.pending = False
        old = self.writer
        old.write(out)
        old_layer = self._raw.get_protocol()
        loop = asyncio.get_running_loop()
        try:
            tls = await loop.start_tls(self._raw, self._protocol, self.context, server_side=True,
                                       ssl_handshake_timeout=self._timeout)
        except Exception as exc:
            _log.debug("embedded server: TLS renegotiation failed: %r", exc)
            self._raw.close()
            # A ConnectionError: the session's reader ends on it quietly.
            raise ConnectionAbortedError("TLS renegotiation failed") from exc
        except BaseException:
            self._raw.close()
            raise
        retire_session(old.transport, old_layer)
        assert isinstance(self._protocol, asyncio.StreamReaderProtocol) and tls is not None
        self.writer = asyncio.StreamWriter(tls, self._protocol, self.reader, loop)
        return self.writer


Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "TlsLink | None"], Awaitable[None]]


def tls_acceptor(tls: ssl.SSLContext | TlsConfig,
                 serve: Serve) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], None]:
    """The ``asyncio.start_server`` callback of a TCPS server: not a coroutine, so the
    socket stops reading before the loop turns; ``serve`` then runs as a task."""
    context = server_context(tls)
    renegotiate = isinstance(tls, TlsConfig) and tls.renegotiate
    timeout = tls.handshake_timeout if isinstance(tls, TlsConfig) else HANDSHAKE_TIMEOUT
    tasks: set[asyncio.Task[None]] = set()

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: TlsLink) -> None:
        await serve(reader, writer, link)

    def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = TlsLink(reader, writer, context, renegotiate=renegotiate, handshake_timeout=timeout)
        task = asyncio.get_running_loop().create_task(run(reader, writer, link))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    return accept
