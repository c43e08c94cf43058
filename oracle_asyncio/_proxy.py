"""HTTP CONNECT tunnels: python-oracledb's ``https_proxy`` / ``https_proxy_port``.

A tcps address with an ``https_proxy`` is reached through that proxy: a TCP
connection to the proxy, one ``CONNECT host:port`` request (the form
python-oracledb 26.1's thin sync client sends: HTTP/1.1 with a ``Host`` header),
and a reply whose status line must say 200.  The TLS handshake then runs on the
same socket, end to end with the database: the proxy sees only ciphertext and
resolves the database's host name itself (so the name is not resolved here).

The reply head is read up to :data:`MAX_REPLY_HEAD` bytes; a refusal, a reply
that is not HTTP, one that is too long, or bytes after the head (the database
speaks only after the client's TLS hello) fail with python-oracledb's DPY-6004,
the proxy's reply shown (at most :data:`SHOWN_REPLY` characters).  The caller
(``_connect``) bounds the whole exchange by ``tcp_connect_timeout`` and reports
every failure inside DPY-6005, as python-oracledb does.
"""

from __future__ import annotations

import asyncio
import re
import socket

from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import Error, dpy_error

__all__ = ["MAX_REPLY_HEAD", "SHOWN_REPLY", "connect_request", "open_tunnel", "reply_status"]

#: The longest reply head read from a proxy (status line and headers).
MAX_REPLY_HEAD = 8192
#: How much of a failed reply an error shows (python-oracledb reads 1024 bytes of it).
SHOWN_REPLY = 1024

_STATUS = re.compile(rb"HTTP/1\.[01][ \t]+(\d{3})(?:[ \t]|\r?\n|$)")
_END = b"\r\n\r\n"


def connect_request(host: str, port: int) -> bytes:
    """The request asking the proxy for a tunnel to ``host:port`` (an IPv6 literal in brackets)."""
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode("ascii")


def reply_status(head: bytes) -> int | None:
    """The status code of a reply's status line; None when it is not an HTTP/1.x status line."""
    m = _STATUS.match(head)
    return int(m.group(1)) if m else None


def _failure(reply: bytes) -> Error:
    return dpy_error(DpyCode.PROXY_FAILURE, response=reply[:SHOWN_REPLY].decode("latin-1"))


async def _connect_to(loop: asyncio.AbstractEventLoop, host: str, port: int) -> socket.socket:
    """A connected non-blocking socket to ``host:port``: each resolved address in turn."""
    last: OSError | None = None
    for family, kind, proto, _, where in await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, where)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    raise last if last is not None else OSError(f"cannot resolve proxy {host!r}")


async def open_tunnel(loop: asyncio.AbstractEventLoop, proxy_host: str, proxy_port: int,
                      host: str, port: int) -> socket.socket:
    """A connected socket to the proxy, tunnelled to ``host:port`` (no wait of its own:
    the caller's timeout scope bounds it).

    Raises:
        OSError: the proxy cannot be reached, or hung up while sending.
        OperationalError: DPY-6004 when the proxy does not answer 200.
    """
    sock = await _connect_to(loop, proxy_host, proxy_port)
    try:
        await loop.sock_sendall(sock, connect_request(host, port))
        reply = bytearray()
        while _END not in reply:
            if len(reply) >= MAX_REPLY_HEAD:
                raise _failure(bytes(reply))
            chunk = await loop.sock_recv(sock, MAX_REPLY_HEAD - len(reply))
            if not chunk:  # the proxy hung up before the end of its reply
                raise _failure(bytes(reply))
            reply += chunk
        end = reply.index(_END) + len(_END)
        if reply_status(bytes(reply)) != 200 or end != len(reply):
            raise _failure(bytes(reply))
    except BaseException:
        sock.close()
        raise
    return sock
