"""The embedded server's password store and its logon rules for accounts.

The store holds one verifier per user, never a password: the configured users' (EmbeddedServer
``users``) and those CREATE USER / ALTER USER ... IDENTIFIED BY set through the database's
``password_sink``.  Whether a user may log on (locked, CREATE SESSION, proxy clients) is read from
the database's privilege store (``sql/catalog/privileges.py``) at each logon.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Collection, Mapping

from oracle_sansio.crypto import Secret, Verifier, VerifierType, make_verifier

from .sql.catalog.privileges import Privileges

__all__ = ["Passwords"]


class Passwords:
    """Verifiers by user (upper case), and the users whose password has expired."""

    def __init__(self, users: Mapping[str, Secret[str]], *, kind: str, expired: Collection[str]) -> None:
        self._kind = VerifierType.TYPE_12C if kind == "12c" else VerifierType.TYPE_11G_1
        self._configured = {name.upper(): password for name, password in users.items()}
        self._verifiers: dict[str, Verifier] = {name: self._make(p) for name, p in self._configured.items()}
        self._expired = {user.upper() for user in expired}

    def __repr__(self) -> str:
        return f"Passwords({len(self._verifiers)} users)"

    def _make(self, password: Secret[str]) -> Verifier:
        salt_len = 16 if self._kind == VerifierType.TYPE_12C else 10
        return make_verifier(password, salt=os.urandom(salt_len), verifier_type=self._kind)

    def verifier(self, user: str) -> Verifier | None:
        return self._verifiers.get(user)

    def matches(self, user: str, password: Secret[str]) -> bool:
        """Whether ``password`` is ``user``'s (ALTER USER ... REPLACE old); compared in constant time."""
        verifier = self._verifiers.get(user)
        if verifier is None:
            return False
        again = make_verifier(password, salt=verifier.salt, verifier_type=verifier.verifier_type,
                              vgen_count=verifier.vgen_count)
        return hmac.compare_digest(again.digest.expose(), verifier.digest.expose())

    def set(self, user: str, password: Secret[str] | None) -> None:
        """The database's password sink: CREATE USER / ALTER USER ... IDENTIFIED BY set a verifier,
        DROP USER (None) removes it."""
        self._expired.discard(user)
        if password is None:
            self._verifiers.pop(user, None)
        else:
            self._verifiers[user] = self._make(password)

    def changed(self, user: str, verifier: Verifier, privileges: Privileges) -> None:
        """A logon set a new password (the machine proved the old one)."""
        self._verifiers[user] = verifier
        self._expired.discard(user)
        account = privileges.account(user)
        if account is not None:
            account.expired = False

    def reset(self) -> None:
        """A new database: users made by SQL go, configured users dropped by SQL come back."""
        for user in [u for u in self._verifiers if u not in self._configured]:
            del self._verifiers[user]
        for user, password in self._configured.items():
            self._verifiers.setdefault(user, self._make(password))

    def expired(self, user: str, privileges: Privileges) -> bool:
        account = privileges.account(user)
        return user in self._expired or (account is not None and account.expired)

    def refusal(self, user: str, privileges: Privileges, *, token: bool = False) -> int:
        """Why ``user`` may not log on now (0: it may): ORA-28000 for a locked account, ORA-01045
        without CREATE SESSION (users without a password or token get ORA-01017 elsewhere)."""
        account = privileges.account(user)
        if account is None or not token and user not in self._verifiers:
            return 0
        if account.locked:
            return 28000
        if not privileges.has_system(user, "CREATE SESSION"):
            return 1045
        return 0

    def proxy_clients(self, user: str, privileges: Privileges) -> frozenset[str]:
        """The users ``user`` may log on as (``user[client]``) now: granted CONNECT THROUGH it,
        unlocked, holding CREATE SESSION."""
        return frozenset(c for c in privileges.proxy_clients(user) if self.refusal(c, privileges) == 0)
