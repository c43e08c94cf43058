"""SessionRecord: a live session of the embedded server, as ``v$session`` shows it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SessionRecord"]


@dataclass
class SessionRecord:
    """A live session, as ``v$session`` shows it."""

    sid: int
    serial: int
    user: str = ""
    program: str = ""
    machine: str = ""
    osuser: str = ""
    terminal: str = ""
    state: str = "INACTIVE"
    #: 23ai request boundaries (``ServerConfig.request_boundaries``): True from the
    #: client's REQUEST_BEGIN (python-oracledb: a pool acquire) to its REQUEST_END.
    in_request: bool = False
    #: Requests the client has begun.
    requests: int = 0
    #: DRCP (``(SERVER=POOLED)``): the connection class the client logged on with.
    cclass: str | None = None
