"""Token logons for the embedded server (``EmbeddedServer(tokens=...)``).

``tokens`` maps each accepted token to the user it logs on as (an OAuth 2.0
token), or to ``(user, public_key_pem)`` for an OCI IAM token, whose logon must
carry AUTH_HEADER signed with the matching private key (RSA-SHA256, checked
with ``pow()`` over the public key).  A JWT's ``exp`` is honoured: an expired
token is refused like an unknown one (ORA-01017).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from oracle_sansio.connection.events import LogonRequested
from oracle_sansio.crypto.rsa import RsaPublicKey, load_public_key, verify
from oracle_sansio.crypto.token import TokenError, jwt_expiry
from oracle_sansio.ttc.constants import AuthMode

__all__ = ["TokenSpec", "TokenTable", "token_table"]

#: What a test configures per token: the user, or (user, PEM public key) for IAM.
TokenSpec = str | tuple[str, str]


class TokenTable:
    """The tokens a server accepts, with their public keys parsed once."""

    __slots__ = ("_users", "_keys")

    def __init__(self, tokens: Mapping[str, TokenSpec]) -> None:
        self._users: dict[str, str] = {}
        self._keys: dict[str, RsaPublicKey] = {}
        for token, spec in tokens.items():
            if isinstance(spec, tuple):
                user, pem = spec
                self._keys[token] = load_public_key(pem)
            else:
                user = spec
            self._users[token] = user.upper()

    def __repr__(self) -> str:
        return f"TokenTable({len(self._users)} tokens)"

    def users(self) -> frozenset[str]:
        """The users tokens log on as (upper case): accounts of the database like ``users``."""
        return frozenset(self._users.values())

    def user_for(self, ev: LogonRequested, now: float) -> str | None:
        """The user a token logon authenticates, or None to refuse it (ORA-01017)."""
        if ev.token is None:
            return None
        token = ev.token.expose()
        user = self._users.get(token)
        if user is None:
            return None
        try:
            if jwt_expiry(token) < now:
                return None
        except TokenError:
            pass  # an opaque token configured by a test has no expiry
        key = self._keys.get(token)
        if key is None:
            return user
        params = dict(ev.parameters)
        header, signature = params.get("AUTH_HEADER"), params.get("AUTH_SIGNATURE")
        if not ev.mode & AuthMode.IAM_TOKEN or header is None or signature is None:
            return None
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return None
        return user if verify(key, header.encode(), raw) else None


def token_table(tokens: Mapping[str, TokenSpec] | None) -> TokenTable | None:
    """Parse the configured tokens (None: token logons are refused).

    Raises:
        RsaKeyError: a public key that is not an RSA public key.
    """
    return None if tokens is None else TokenTable(tokens)

