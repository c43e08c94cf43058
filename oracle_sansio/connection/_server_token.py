"""The server machine's side of a token logon (python-oracledb ``access_token``):
the client sends AUTH phase two at once, with AUTH_TOKEN instead of the O5LOGON
keys, and the owner decides (``ServerConnection.accept_token``)."""

from __future__ import annotations

from ..crypto.secret import Secret
from ..error_codes import ora_text
from ..errors import LocalProtocolError
from ..ttc.messages.appctx import AppContextError, logon_entries
from ..ttc.messages.auth import AuthPair, AuthRequest, pairs_dict
from ._server_config import ServerConfig
from . import _server_session as session
from .events import LoggedOnUser, LogonRequested

__all__ = ["HIDDEN_KEYS", "app_context_reason", "logged_on", "logon_refusal", "logon_requested", "token_logon",
           "token_reply_pairs"]

#: Keys never copied into an event's ``parameters``: secrets, or proofs of them.
HIDDEN_KEYS = frozenset({"AUTH_PASSWORD", "AUTH_SESSKEY", "AUTH_PBKDF2_SPEEDY_KEY", "AUTH_NEWPASSWORD", "AUTH_TOKEN"})


def token_logon(req: AuthRequest | None) -> AuthRequest:
    """The pending logon, which must be a token logon for ``accept_token``.

    Raises:
        LocalProtocolError: no logon is pending, or it is a password logon (accepting it
            without the O5LOGON proof would let anyone in).
    """
    if req is None or not any(pair[0] == "AUTH_TOKEN" for pair in req.pairs):
        raise LocalProtocolError("accept_token() answers a token logon only (LogonRequested.token is None)")
    return req


def logon_requested(req: AuthRequest) -> LogonRequested:
    """The event for AUTH phase one, or for a token logon's phase two."""
    p = pairs_dict(req.pairs)
    token = p.get("AUTH_TOKEN")
    return LogonRequested(
        user=req.user, mode=req.mode, program=p.get("AUTH_PROGRAM_NM", ""),
        machine=p.get("AUTH_MACHINE", ""), terminal=p.get("AUTH_TERMINAL", ""),
        pid=p.get("AUTH_PID", ""), osuser=p.get("AUTH_SID", ""),
        parameters=tuple((k, v) for k, v in p.items() if k not in HIDDEN_KEYS),
        token=None if token is None else Secret(token),
    )


def logged_on(user: str, req: AuthRequest, *, proxied: bool = False) -> LoggedOnUser:
    """The event for an established session; ``proxied``: a password logon whose proxy client
    name (if any) the machine has authorized."""
    p = pairs_dict(req.pairs)
    return LoggedOnUser(
        user=user,
        driver_name=p.get("SESSION_CLIENT_DRIVER_NAME", ""),
        alter_session=p.get("AUTH_ALTER_SESSION"),
        connect_string=p.get("AUTH_CONNECT_STRING"),
        proxy_client=(p.get("PROXY_CLIENT_NAME") or "").upper() or None if proxied else None,
        parameters=tuple((k, v) for k, v in p.items() if k not in HIDDEN_KEYS),
        app_context=_app_context(req),
    )


def _app_context(req: AuthRequest) -> tuple[tuple[str, str, str], ...]:
    # A password logon with bad triples was refused (app_context_reason); a token logon's are dropped.
    try:
        return logon_entries(req.pairs)
    except AppContextError:
        return ()


#: A refused phase two's reason -> (ORA number, text); others are ORA-01017.
_REFUSALS: dict[str, tuple[int, str]] = {
    "PASSWORD_EXPIRED": (28001, session.MSG_28001),
    "PROXY_NOT_AUTHORIZED": (28150, ora_text(28150)),
    "APP_CONTEXT_TOO_LARGE": (28268, ora_text(28268)),
    "APP_CONTEXT_MALFORMED": (3115, session.MSG_3115),
}


def logon_refusal(reason: str) -> tuple[int, str]:
    """The error a phase two refused for ``reason`` is answered with."""
    return _REFUSALS.get(reason, (1017, ora_text(1017)))


def app_context_reason(req: AuthRequest) -> str | None:
    """Why the logon's application context triples cannot be taken (None: they can)."""
    try:
        logon_entries(req.pairs)
    except AppContextError as exc:
        return "APP_CONTEXT_TOO_LARGE" if exc.too_large else "APP_CONTEXT_MALFORMED"
    return None


def token_reply_pairs(
    cfg: ServerConfig, field_version: int, session_id: int, serial: int, service_name: str
) -> tuple[AuthPair, ...]:
    """The session facts for an accepted token logon: no AUTH_SVR_RESPONSE (there was no
    password exchange to prove)."""
    pairs = session.logon_pairs(cfg, field_version, session_id, serial, service_name, "")
    return tuple(pair for pair in pairs if pair[0] != "AUTH_SVR_RESPONSE")
