"""``access_token`` (python-oracledb thin): an OAuth 2.0 token string, an OCI IAM
(token, private key) pair, or a callable returning either; called with
``refresh=False`` the first time and ``refresh=True`` when the token it gave has
expired (the JWT's ``exp``), which is how a pool keeps opening sessions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from oracle_sansio.crypto.secret import Secret
from oracle_sansio.crypto.token import TokenError, jwt_expiry
from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import dpy_error

__all__ = ["AccessToken", "access_token", "clock"]


def clock() -> float:
    """Now, in seconds since the epoch, as token expiry is judged (tests replace it)."""
    return time.time()


class _Held:
    """One token and its key, never shown."""

    __slots__ = ("token", "private_key", "expires")

    def __init__(self, value: object, code: DpyCode) -> None:
        private_key: str | None = None
        if isinstance(value, tuple) and len(value) == 2:
            token, key = value
            if not isinstance(token, str) or not isinstance(key, str):
                raise dpy_error(code)
            private_key = key
        elif isinstance(value, str):
            token = value
        else:
            raise dpy_error(code)
        try:
            self.expires = jwt_expiry(token)
        except TokenError as exc:
            raise dpy_error(code, str(exc)) from None
        self.token = Secret(token)
        self.private_key = None if private_key is None else Secret(private_key)


class AccessToken:
    """The ``access_token`` parameter as stored: its repr shows no token."""

    __slots__ = ("_held", "_callback")

    def __init__(self, value: object) -> None:
        self._callback: Callable[[bool], Any] | None = None
        self._held: _Held | None = None
        if callable(value):
            self._callback = value
        else:
            self._held = _Held(value, DpyCode.INVALID_ACCESS_TOKEN_PARAM)

    def __repr__(self) -> str:
        return "AccessToken(callable)" if self._callback is not None else "AccessToken('********')"

    def _fresh(self, held: _Held | None) -> bool:
        return held is not None and held.expires >= clock()

    def current(self) -> tuple[Secret[str], Secret[str] | None]:
        """The token (and IAM private key) to log on with now.

        Raises:
            DatabaseError: DPY-2033 when the token has expired and no callable can
                refresh it (or the refreshed one has expired too); DPY-2032 when the
                callable returns something else than a token.
        """
        if self._held is None and self._callback is not None:
            self._held = _Held(self._callback(False), DpyCode.INVALID_ACCESS_TOKEN_RETURNED)
        if not self._fresh(self._held) and self._callback is not None:
            self._held = _Held(self._callback(True), DpyCode.INVALID_ACCESS_TOKEN_RETURNED)
        held = self._held
        if held is None or not self._fresh(held):
            raise dpy_error(DpyCode.EXPIRED_ACCESS_TOKEN)
        return held.token, held.private_key


def access_token(value: object) -> AccessToken:
    """The ``access_token`` converter: DPY-2031 for anything but a token, pair or callable."""
    return value if isinstance(value, AccessToken) else AccessToken(value)
