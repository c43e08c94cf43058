"""``SYS_CONTEXT('USERENV', key)``: what a session tells about itself (engine.py's Session is
the one caller; the keys are Oracle's)."""

from __future__ import annotations

from typing import Protocol

from ..catalog.schema import Principal
from .pkg_misc import context_value

__all__ = ["SessionFacts", "userenv"]


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
    nls: dict[str, str]

    @property
    def admin(self) -> bool: ...

    @property
    def principal(self) -> Principal:
        """The user names resolve as: the session's, or a stored unit's owner (definer's rights)."""
        ...


def userenv(s: SessionFacts, key: str) -> str | None:
    """The USERENV value of ``key`` for session ``s`` (None for a key it does not know);
    ``NAMESPACE.ATTRIBUTE`` is a value DBMS_SESSION.SET_CONTEXT set."""
    if "." in key:
        namespace, _, attribute = key.partition(".")
        return context_value(s, namespace, attribute)
    values: dict[str, str | None] = {
        "SID": str(s.sid),
        "SESSIONID": str(s.sid),
        "SESSION_USER": s.user,
        "CURRENT_USER": s.principal.user,  # the owner inside stored code
        "AUTHENTICATED_IDENTITY": s.user,
        "CURRENT_SCHEMA": s.schema,
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
