"""States, inputs and the one table of legal moves for each connection machine.

Theory of operation (h11's rule: every move goes through the table).  A
machine is in exactly one state; every command (``SEND_*``) and every
significant thing received (``RECV_*``) is an input.  ``transition(state,
input)`` returns the next state or None when the move is illegal; the
machines turn None into ``LocalProtocolError`` for commands (caller misuse)
and ``RemoteProtocolError`` for received input (peer misbehaviour), and go to
``ERROR``, after which every call raises ``LocalProtocolError``.

The client drives the handshake itself (oracle-nio): after ACCEPT it sends
PROTOCOL, DATA_TYPES and both AUTH phases on its own, reporting informational
events; the owner sees ``READY`` once logged on.  The server answers
negotiation itself and asks its owner only what needs a decision (accept the
CONNECT, which verifier a user has, how a call ends).
"""

from __future__ import annotations

from enum import Enum, unique
from typing import Final

__all__ = [
    "ClientState",
    "ClientInput",
    "CLIENT_TRANSITIONS",
    "ServerState",
    "ServerInput",
    "SERVER_TRANSITIONS",
]


@unique
class ClientState(Enum):
    """Client connection states."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    #: Created; ``start()`` queues CONNECT.  -> CONNECTING
    IDLE = "IDLE"
    #: CONNECT sent; RESEND sends it again.  -> NEGOTIATING (ACCEPT), CLOSED (REFUSE, REDIRECT)
    CONNECTING = "CONNECTING"
    #: RESEND asked a TCPS client for a new TLS handshake; ``tls_renegotiated()``
    #: sends CONNECT again.  -> CONNECTING
    RENEGOTIATING_TLS = "RENEGOTIATING_TLS"
    #: PROTOCOL and DATA_TYPES in flight.  -> AUTHENTICATING
    NEGOTIATING = "NEGOTIATING"
    #: O5LOGON phases one and two in flight.  -> READY, CLOSED (logon refused)
    AUTHENTICATING = "AUTHENTICATING"
    #: Logged on, no call outstanding.  -> IN_CALL, LOGGING_OFF, RESETTING (stray marker)
    READY = "READY"
    #: Exactly one call outstanding.  -> READY, RESETTING
    IN_CALL = "IN_CALL"
    #: A marker arrived (break answered or server break); RESET sent, waiting for
    #: the server's RESET.  -> IN_CALL (the call's response follows)
    RESETTING = "RESETTING"
    #: LOGOFF sent.  -> CLOSED
    LOGGING_OFF = "LOGGING_OFF"
    #: Finished: logged off, refused, redirected or closed by the peer.
    CLOSED = "CLOSED"
    #: A protocol error happened; the connection cannot be trusted.
    ERROR = "ERROR"


@unique
class ClientInput(Enum):
    """Inputs of the client machine."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    SEND_CONNECT = "SEND_CONNECT"
    RECV_RESEND = "RECV_RESEND"
    #: RESEND with the TLS-renegotiation flag, on a TCPS address.
    RECV_RESEND_TLS = "RECV_RESEND_TLS"
    #: The owner finished the new TLS handshake.
    SEND_CONNECT_AFTER_TLS = "SEND_CONNECT_AFTER_TLS"
    RECV_ACCEPT = "RECV_ACCEPT"
    RECV_REFUSE = "RECV_REFUSE"
    RECV_REDIRECT = "RECV_REDIRECT"
    RECV_NEGOTIATED = "RECV_NEGOTIATED"
    RECV_LOGON_OK = "RECV_LOGON_OK"
    RECV_LOGON_FAILED = "RECV_LOGON_FAILED"
    SEND_CALL = "SEND_CALL"
    RECV_CALL_END = "RECV_CALL_END"
    SEND_BREAK = "SEND_BREAK"
    RECV_MARKER = "RECV_MARKER"
    RECV_RESET = "RECV_RESET"
    SEND_LOGOFF = "SEND_LOGOFF"
    #: DRCP SESSION_RELEASE: one-way (nothing answers); with DEAUTHENTICATE it ends the connection.
    SEND_RELEASE = "SEND_RELEASE"
    SEND_RELEASE_CLOSE = "SEND_RELEASE_CLOSE"
    RECV_LOGOFF_END = "RECV_LOGOFF_END"
    RECV_EOF = "RECV_EOF"
    #: The server ended the session in band: a DATA packet with the EOF flag or
    #: a CONTROL packet carrying an error.
    RECV_SHUTDOWN = "RECV_SHUTDOWN"


_C = ClientState
_CI = ClientInput

CLIENT_TRANSITIONS: Final[dict[tuple[ClientState, ClientInput], ClientState]] = {
    (_C.IDLE, _CI.SEND_CONNECT): _C.CONNECTING,
    (_C.CONNECTING, _CI.RECV_RESEND): _C.CONNECTING,
    (_C.CONNECTING, _CI.RECV_RESEND_TLS): _C.RENEGOTIATING_TLS,
    (_C.RENEGOTIATING_TLS, _CI.SEND_CONNECT_AFTER_TLS): _C.CONNECTING,
    (_C.RENEGOTIATING_TLS, _CI.RECV_EOF): _C.CLOSED,
    (_C.CONNECTING, _CI.RECV_ACCEPT): _C.NEGOTIATING,
    (_C.CONNECTING, _CI.RECV_REFUSE): _C.CLOSED,
    (_C.CONNECTING, _CI.RECV_REDIRECT): _C.CLOSED,
    (_C.NEGOTIATING, _CI.RECV_NEGOTIATED): _C.AUTHENTICATING,
    (_C.AUTHENTICATING, _CI.RECV_LOGON_OK): _C.READY,
    (_C.AUTHENTICATING, _CI.RECV_LOGON_FAILED): _C.CLOSED,
    (_C.READY, _CI.SEND_CALL): _C.IN_CALL,
    (_C.IN_CALL, _CI.RECV_CALL_END): _C.READY,
    (_C.IN_CALL, _CI.SEND_BREAK): _C.IN_CALL,
    (_C.IN_CALL, _CI.RECV_MARKER): _C.RESETTING,
    (_C.READY, _CI.RECV_MARKER): _C.RESETTING,
    (_C.RESETTING, _CI.RECV_MARKER): _C.RESETTING,
    (_C.RESETTING, _CI.SEND_BREAK): _C.RESETTING,
    (_C.RESETTING, _CI.RECV_RESET): _C.IN_CALL,
    (_C.READY, _CI.SEND_LOGOFF): _C.LOGGING_OFF,
    (_C.READY, _CI.SEND_RELEASE): _C.READY,
    (_C.READY, _CI.SEND_RELEASE_CLOSE): _C.CLOSED,
    (_C.LOGGING_OFF, _CI.RECV_LOGOFF_END): _C.CLOSED,
    (_C.CONNECTING, _CI.RECV_EOF): _C.CLOSED,
    (_C.NEGOTIATING, _CI.RECV_EOF): _C.CLOSED,
    (_C.AUTHENTICATING, _CI.RECV_EOF): _C.CLOSED,
    (_C.READY, _CI.RECV_EOF): _C.CLOSED,
    (_C.IN_CALL, _CI.RECV_EOF): _C.CLOSED,
    (_C.RESETTING, _CI.RECV_EOF): _C.CLOSED,
    (_C.LOGGING_OFF, _CI.RECV_EOF): _C.CLOSED,
    (_C.CLOSED, _CI.RECV_EOF): _C.CLOSED,
    # CONNECTING reads its packets apart (ACCEPT, REFUSE, ...), so it has no such move.
    (_C.IDLE, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.NEGOTIATING, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.AUTHENTICATING, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.READY, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.IN_CALL, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.RESETTING, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.LOGGING_OFF, _CI.RECV_SHUTDOWN): _C.CLOSED,
    (_C.CLOSED, _CI.RECV_SHUTDOWN): _C.CLOSED,
}


@unique
class ServerState(Enum):
    """Server connection states."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    #: Waiting for CONNECT.  -> CONNECT_RECEIVED
    IDLE = "IDLE"
    #: CONNECT received; the owner must accept, refuse, redirect or ask for it again.
    #: -> NEGOTIATING (accept), CLOSED (refuse, redirect), IDLE (resend)
    CONNECT_RECEIVED = "CONNECT_RECEIVED"
    #: ACCEPT sent; the machine answers PROTOCOL and DATA_TYPES itself.  -> AUTH_ONE
    NEGOTIATING = "NEGOTIATING"
    #: Waiting for AUTH phase one.  -> LOGON_RECEIVED
    AUTH_ONE = "AUTH_ONE"
    #: Phase one (or a token logon's phase two) received; the owner must give the user's
    #: verifier, accept the token, or reject.  -> AUTH_TWO, READY (token), CLOSED (rejected)
    LOGON_RECEIVED = "LOGON_RECEIVED"
    #: Challenge sent; the machine checks phase two itself.  -> READY, CLOSED (wrong password)
    AUTH_TWO = "AUTH_TWO"
    #: Logged on, waiting for a call.  -> IN_CALL, BREAK, KILLED (``kill``)
    READY = "READY"
    #: A call was received; the owner answers it.  -> READY, BREAK (client break or
    #: ``abort_call``), CLOSED (logoff, or ``kill``: the call is answered ORA-00028)
    IN_CALL = "IN_CALL"
    #: A break arrived and was answered with a BREAK marker; waiting for the
    #: client's RESET.  -> READY (answer sent after our RESET), IN_CALL (owner still
    #: answering), KILLED_BREAK (``kill``)
    BREAK = "BREAK"
    #: The owner killed the session (``kill``) between calls: the machine answers the
    #: next call of any kind with ORA-00028 itself.  -> CLOSED, KILLED_BREAK
    KILLED = "KILLED"
    #: Killed during a break exchange: after the client's RESET the machine
    #: answers ORA-00028 instead of any call's answer.  -> CLOSED
    KILLED_BREAK = "KILLED_BREAK"
    #: Finished.
    CLOSED = "CLOSED"
    #: A protocol error happened.
    ERROR = "ERROR"


@unique
class ServerInput(Enum):
    """Inputs of the server machine."""

    #: Members are singletons compared by identity: hash them so too (Enum hashes
    #: the name in Python, which every transition-table lookup paid twice).
    __hash__ = object.__hash__

    RECV_CONNECT = "RECV_CONNECT"
    SEND_ACCEPT = "SEND_ACCEPT"
    SEND_RESEND = "SEND_RESEND"
    SEND_REFUSE = "SEND_REFUSE"
    SEND_REDIRECT = "SEND_REDIRECT"
    RECV_NEGOTIATION = "RECV_NEGOTIATION"
    RECV_NEGOTIATION_DONE = "RECV_NEGOTIATION_DONE"
    RECV_FAST_AUTH = "RECV_FAST_AUTH"
    RECV_AUTH_ONE = "RECV_AUTH_ONE"
    SEND_CHALLENGE = "SEND_CHALLENGE"
    SEND_LOGON_REJECT = "SEND_LOGON_REJECT"
    #: The owner accepts a token logon (``accept_token``): no challenge, logged on.
    SEND_TOKEN_ACCEPT = "SEND_TOKEN_ACCEPT"
    RECV_AUTH_TWO_OK = "RECV_AUTH_TWO_OK"
    RECV_AUTH_TWO_BAD = "RECV_AUTH_TWO_BAD"
    RECV_CALL = "RECV_CALL"
    #: A one-way call (DRCP SESSION_RELEASE): nothing is answered.
    RECV_ONEWAY = "RECV_ONEWAY"
    SEND_PARTIAL = "SEND_PARTIAL"
    SEND_CALL_END = "SEND_CALL_END"
    SEND_ABORT = "SEND_ABORT"
    RECV_BREAK = "RECV_BREAK"
    RECV_RESET_CALL_DONE = "RECV_RESET_CALL_DONE"
    RECV_RESET_CALL_PENDING = "RECV_RESET_CALL_PENDING"
    SEND_LOGOFF_END = "SEND_LOGOFF_END"
    #: The owner kills the session (``ServerConnection.kill``).
    SEND_KILL = "SEND_KILL"
    #: A killed session's call (or the RESET after its break) arrived: answered ORA-00028.
    RECV_KILLED_CALL = "RECV_KILLED_CALL"
    RECV_EOF = "RECV_EOF"


_S = ServerState
_SI = ServerInput

SERVER_TRANSITIONS: Final[dict[tuple[ServerState, ServerInput], ServerState]] = {
    (_S.IDLE, _SI.RECV_CONNECT): _S.CONNECT_RECEIVED,
    (_S.CONNECT_RECEIVED, _SI.SEND_ACCEPT): _S.NEGOTIATING,
    (_S.CONNECT_RECEIVED, _SI.SEND_RESEND): _S.IDLE,
    (_S.CONNECT_RECEIVED, _SI.SEND_REFUSE): _S.CLOSED,
    (_S.CONNECT_RECEIVED, _SI.SEND_REDIRECT): _S.CLOSED,
    (_S.NEGOTIATING, _SI.RECV_NEGOTIATION): _S.NEGOTIATING,
    (_S.NEGOTIATING, _SI.RECV_NEGOTIATION_DONE): _S.AUTH_ONE,
    (_S.NEGOTIATING, _SI.RECV_FAST_AUTH): _S.LOGON_RECEIVED,
    (_S.AUTH_ONE, _SI.RECV_AUTH_ONE): _S.LOGON_RECEIVED,
    (_S.LOGON_RECEIVED, _SI.SEND_CHALLENGE): _S.AUTH_TWO,
    (_S.LOGON_RECEIVED, _SI.SEND_LOGON_REJECT): _S.CLOSED,
    (_S.LOGON_RECEIVED, _SI.SEND_TOKEN_ACCEPT): _S.READY,
    (_S.AUTH_TWO, _SI.RECV_AUTH_TWO_OK): _S.READY,
    (_S.AUTH_TWO, _SI.RECV_AUTH_TWO_BAD): _S.CLOSED,
    (_S.READY, _SI.RECV_CALL): _S.IN_CALL,
    (_S.READY, _SI.RECV_ONEWAY): _S.READY,
    (_S.IN_CALL, _SI.SEND_PARTIAL): _S.IN_CALL,
    (_S.IN_CALL, _SI.SEND_CALL_END): _S.READY,
    (_S.IN_CALL, _SI.SEND_ABORT): _S.BREAK,
    (_S.IN_CALL, _SI.SEND_LOGOFF_END): _S.CLOSED,
    (_S.IN_CALL, _SI.RECV_BREAK): _S.BREAK,
    (_S.READY, _SI.RECV_BREAK): _S.BREAK,
    (_S.BREAK, _SI.RECV_BREAK): _S.BREAK,
    (_S.BREAK, _SI.SEND_PARTIAL): _S.BREAK,
    (_S.BREAK, _SI.SEND_CALL_END): _S.BREAK,
    (_S.BREAK, _SI.RECV_RESET_CALL_DONE): _S.READY,
    (_S.BREAK, _SI.RECV_RESET_CALL_PENDING): _S.IN_CALL,
    # A kill between calls waits for the next call; during a call it answers
    # that call at once; during a break it answers the RESET.  Killing twice,
    # or a session already over, changes nothing.
    (_S.READY, _SI.SEND_KILL): _S.KILLED,
    (_S.IN_CALL, _SI.SEND_KILL): _S.CLOSED,
    (_S.BREAK, _SI.SEND_KILL): _S.KILLED_BREAK,
    (_S.KILLED, _SI.SEND_KILL): _S.KILLED,
    (_S.KILLED_BREAK, _SI.SEND_KILL): _S.KILLED_BREAK,
    (_S.CLOSED, _SI.SEND_KILL): _S.CLOSED,
    (_S.KILLED, _SI.RECV_KILLED_CALL): _S.CLOSED,
    (_S.KILLED, _SI.RECV_BREAK): _S.KILLED_BREAK,
    (_S.KILLED_BREAK, _SI.RECV_BREAK): _S.KILLED_BREAK,
    (_S.KILLED_BREAK, _SI.RECV_KILLED_CALL): _S.CLOSED,
    (_S.IDLE, _SI.RECV_EOF): _S.CLOSED,
    (_S.CONNECT_RECEIVED, _SI.RECV_EOF): _S.CLOSED,
    (_S.NEGOTIATING, _SI.RECV_EOF): _S.CLOSED,
    (_S.AUTH_ONE, _SI.RECV_EOF): _S.CLOSED,
    (_S.LOGON_RECEIVED, _SI.RECV_EOF): _S.CLOSED,
    (_S.AUTH_TWO, _SI.RECV_EOF): _S.CLOSED,
    (_S.READY, _SI.RECV_EOF): _S.CLOSED,
    (_S.IN_CALL, _SI.RECV_EOF): _S.CLOSED,
    (_S.BREAK, _SI.RECV_EOF): _S.CLOSED,
    (_S.KILLED, _SI.RECV_EOF): _S.CLOSED,
    (_S.KILLED_BREAK, _SI.RECV_EOF): _S.CLOSED,
    (_S.CLOSED, _SI.RECV_EOF): _S.CLOSED,
}
