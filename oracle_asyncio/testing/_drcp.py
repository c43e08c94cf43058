"""The DRCP broker of the embedded server: the session-state rules a client sees.

A client asks for a pooled server with ``(SERVER=POOLED)`` in its CONNECT, its
connection class (``AUTH_KPPL_CONN_CLASS``) and purity (``AUTH_KPPL_PURITY``:
1 NEW, 2 SELF) at logon.  SESSION_RELEASE (one-way, never answered) gives the
session back: with DEAUTHENTICATE (a standalone connection closing) the session
ends; otherwise it waits, its state intact (schema, NLS settings, CURRVAL,
module...), for the next call of a connection of the same user and class.  That
call attaches a session: purity SELF takes the most recently released one of its
class (its own, usually), purity NEW a fresh one (a new SID).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._records import SessionRecord
from .sql.engine import Session

__all__ = ["Broker", "DrcpClient", "PURITY_NEW", "PURITY_SELF", "asks_pooled"]

PURITY_NEW = 1
PURITY_SELF = 2

L = TypeVar("L")  # the server's connection type

_POOLED = re.compile(r"\(\s*SERVER\s*=\s*POOLED\s*\)", re.IGNORECASE)


def asks_pooled(connect_data: str) -> bool:
    """Whether a CONNECT asks for a DRCP pooled server."""
    return _POOLED.search(connect_data) is not None


@dataclass
class DrcpClient:
    """What the broker knows of one client connection."""

    user: str
    cclass: str | None
    purity: int
    #: Released: the next call attaches a session first.
    released: bool = False

    @classmethod
    def from_logon(cls, record: SessionRecord, parameters: tuple[tuple[str, str], ...]) -> DrcpClient:
        """From the logon's AUTH_KPPL_* pairs (python-oracledb's purity default: SELF);
        the session's record shows the class."""
        values = dict(parameters)
        purity = values.get("AUTH_KPPL_PURITY", "")
        record.cclass = values.get("AUTH_KPPL_CONN_CLASS")
        return cls(user=record.user, cclass=record.cclass, purity=int(purity) if purity.isdigit() else PURITY_SELF)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.user, self.cclass)


class Broker(Generic[L]):
    """Released sessions by (user, connection class), most recent last.

    ``sessions`` and ``links`` are the server's registries of live sessions (by SID)
    and of the connection each is attached to; ``new_session(user)`` opens one."""

    def __init__(self, sessions: dict[int, SessionRecord], links: dict[int, L],
                 new_session: Callable[[str], tuple[Session, SessionRecord]]) -> None:
        self._sessions = sessions
        self._links = links
        self._new_session = new_session
        self._free: dict[tuple[str, str | None], list[tuple[Session, SessionRecord]]] = {}

    def release(self, client: DrcpClient, session: Session, record: SessionRecord, *, end: bool) -> None:
        """SESSION_RELEASE: the session ends (``end``: DEAUTHENTICATE) or, its
        transaction rolled back, waits for the next call of its class."""
        self._sessions.pop(record.sid, None)
        self._links.pop(record.sid, None)
        client.released = True
        if end:
            session.close()
            return
        session.rollback()
        record.state = "INACTIVE"
        self._free.setdefault(client.key, []).append((session, record))

    def attach(self, client: DrcpClient, link: L) -> tuple[Session, SessionRecord]:
        """The first call after a release: purity SELF takes the most recently
        released session of its class, purity NEW (or none kept) a fresh one."""
        free = self._free.get(client.key)
        kept = free.pop() if free and client.purity != PURITY_NEW else None
        session, record = kept if kept is not None else self._new_session(client.user)
        record.cclass = client.cclass
        self._sessions[record.sid] = record
        self._links[record.sid] = link
        client.released = False
        return session, record

    @property
    def waiting(self) -> int:
        """Released sessions kept."""
        return sum(len(free) for free in self._free.values())

    def close_all(self) -> None:
        """End every kept session (server stop, database reset)."""
        for free in self._free.values():
            for session, _ in free:
                session.close()
        self._free.clear()
