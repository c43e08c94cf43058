"""``SYS_CONTEXT('USERENV', key)``: what a session tells about itself (engine.py's Session is
the one caller; the keys are Oracle's)."""

from __future__ import annotations

from typing import Final, Protocol

from ..catalog.schema import Principal

__all__ = ["USERENV_KEYS", "SessionFacts", "userenv"]

#: Every key SYS_CONTEXT('USERENV', key) takes (others are ORA-02003); those :func:`userenv`
#: does not know read as NULL.
USERENV_KEYS: Final = frozenset({
    "SID", "SESSION_USER", "CURRENT_USER", "CURRENT_SCHEMA", "CURRENT_EDITION_NAME", "ACTION", "MODULE",
    "CLIENT_IDENTIFIER",
    "CLIENT_INFO", "DB_NAME", "DB_UNIQUE_NAME", "DB_DOMAIN", "CON_NAME", "SERVICE_NAME", "INSTANCE_NAME",
    "SERVER_HOST", "HOST", "OS_USER", "TERMINAL", "LANGUAGE", "ISDBA", "AUTHENTICATION_METHOD",
    "CLOUD_SERVICE", "NLS_DATE_FORMAT", "NLS_TERRITORY", "SESSIONID", "INSTANCE", "CON_ID",
    "CURRENT_SCHEMAID", "SESSION_USERID", "IP_ADDRESS", "CLIENT_PROGRAM_NAME", "AUTHENTICATED_IDENTITY",
    "PROXY_USER",
})


class SessionFacts(Protocol):
    """The session attributes USERENV reads."""

    sid: int
    user: str
    schema: str
    edition: str
    action: str | None
    module: str | None
    client_identifier: str | None
    client_info: str | None
    proxy_user: str | None
    nls: dict[str, str]

    @property
    def admin(self) -> bool: ...

    @property
    def principal(self) -> Principal:
        """The user names resolve as: the session's, or a stored unit's owner (definer's rights)."""
        ...


def userenv(s: SessionFacts, key: str) -> str | None:
    """The USERENV value of ``key`` for session ``s`` (None for a key it does not know)."""
    values: dict[str, str | None] = {
        "SID": str(s.sid),
        "SESSIONID": str(s.sid),
        "SESSION_USER": s.user,
        "CURRENT_USER": s.principal.user,  # the owner inside stored code
        "AUTHENTICATED_IDENTITY": s.proxy_user or s.user,
        "PROXY_USER": s.proxy_user,
        "CURRENT_SCHEMA": s.principal.schema,  # the owner's inside definer's-rights code
        "CURRENT_EDITION_NAME": s.edition,
        "ACTION": s.action,
        "MODULE": s.module,
        "CLIENT_IDENTIFIER": s.client_identifier,
        "CLIENT_INFO": s.client_info,
        "ISDBA": "TRUE" if s.admin else "FALSE",
        "AUTHENTICATION_METHOD": "PASSWORD",
        "LANGUAGE": "AMERICAN_AMERICA.AL32UTF8",
        "NLS_DATE_FORMAT": s.nls.get("NLS_DATE_FORMAT", "DD-MON-RR"),
        "NLS_TERRITORY": s.nls.get("NLS_TERRITORY", "AMERICA"),
        "DB_NAME": "FREEPDB1",
        "DB_UNIQUE_NAME": "FREE",
        "CON_NAME": "FREEPDB1",
        "SERVICE_NAME": "FREEPDB1",
        "INSTANCE_NAME": "FREE",
        "INSTANCE": "1",
        "CON_ID": "3",
    }
    return values.get(key)
