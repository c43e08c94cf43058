"""Token logons (python-oracledb thin ``access_token``): the JWT expiry, and the
header an OCI IAM token logon signs to prove possession of its private key.

Pure functions: the caller passes the time as seconds since the epoch.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from typing import Final

from .rsa import RsaPrivateKey, sign

__all__ = ["MAX_TOKEN_LENGTH", "TokenError", "http_date", "iam_header", "iam_signature", "jwt_expiry"]

_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: A token longer than this is refused before it is decoded.
MAX_TOKEN_LENGTH: Final = 64 * 1024


class TokenError(ValueError):
    """A token that is not a JWT with a numeric ``exp`` claim."""


def jwt_expiry(token: str) -> float:
    """The ``exp`` claim (seconds since the epoch) of a JWT, as python-oracledb reads it
    (the payload is its second dot-separated part, base64url without padding).

    Raises:
        TokenError: no payload, bad base64 or JSON, or no numeric ``exp``.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenError(f"the token is longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) < 2:
        raise TokenError("the token is not a JWT (no payload part)")
    segment = parts[1]
    try:
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        # RecursionError: JSON nested thousands deep, which a 64 KiB token can be.
        raise TokenError("the token's payload is not base64url-encoded JSON") from None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise TokenError("the token's payload has no numeric 'exp' claim")
    try:
        return float(exp)
    except OverflowError:
        raise TokenError("the token's 'exp' claim is out of range") from None


def http_date(now: float) -> str:
    """``Mon, 07 Dec 2026 17:30:00 GMT`` (RFC 7231 IMF-fixdate, English whatever the locale)."""
    t = datetime.datetime.fromtimestamp(int(now), datetime.timezone.utc)
    return (f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year} "
            f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} GMT")


def iam_header(now: float, service_name: str, host: str, port: int) -> str:
    """The text an IAM token logon signs and sends as ``AUTH_HEADER`` (python-oracledb thin:
    date, request target = the service name, host = ``host:port`` of the transport)."""
    return f"date: {http_date(now)}\n(request-target): {service_name}\nhost: {host}:{port}"


def iam_signature(key: RsaPrivateKey, header: str) -> str:
    """``AUTH_SIGNATURE``: base64 of the RSA-SHA256 PKCS#1 v1.5 signature of ``header``."""
    return base64.b64encode(sign(key, header.encode())).decode()
