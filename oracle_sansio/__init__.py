"""oracle_sansio: Oracle Database's thin wire protocol without I/O.

Bytes in, typed events out, bytes to send out; no sockets, clocks, threads or
randomness inside (docs/architecture.md).  The names a driver needs are
exported here, h11 style::

    from oracle_sansio import ClientConnection, ClientParams, NEED_DATA, LoggedOn, ...

The subpackages hold the layers: :mod:`oracle_sansio.tns` (packets and
framing), :mod:`oracle_sansio.ttc` (messages and wire primitives),
:mod:`oracle_sansio.codecs` (type codecs), :mod:`oracle_sansio.crypto`
(O5LOGON), :mod:`oracle_sansio.connection` (the session machines of both roles)
and :mod:`oracle_sansio.pool` (the pool's policy machine).
"""

from __future__ import annotations

from ._version import __version__
from .connection import events as _events
from .connection.client import ClientConnection
from .connection.events import *  # noqa: F403 - every event, whatever events.py adds later
from .connection.server import ServerConfig, ServerConnection
from .connection.states import ClientState, ServerState
from .crypto import Secret
from .dsn import Address, ConnectTarget, DsnError, parse_dsn
from .errors import (
    DecodeError,
    EncodeError,
    FramingError,
    LimitExceededError,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    UnexpectedMessageError,
    UnsupportedTypeError,
)
from .limits import DEFAULT_LIMITS, Limits
from .params import ClientParams
from .exceptions import Error, dpy_error, ora_error
from .pool import (
    CloseConnection,
    ConnId,
    DpyCode,
    FailRequest,
    HandOver,
    LeakDetected,
    LogonFailure,
    OpenConnection,
    PingConnection,
    PoolAction,
    PoolClosed,
    PoolConfig,
    PoolGetMode,
    PoolMachine,
    PoolPhase,
    PoolStatistics,
    PoolUsageError,
    ReqId,
    RollbackConnection,
    SetTimer,
    SlotState,
    classify_logon_error,
)
from .statement import Statement, StatementKind, parse_statement
from .ttc.messages.execute import ExecuteRequest

__all__ = [
    "__version__",
    # the session machines
    "ClientConnection",
    "ClientParams",
    "ClientState",
    "ServerConnection",
    "ServerConfig",
    "ServerState",
    "ExecuteRequest",
    "Secret",
    # connect strings
    "Address",
    "ConnectTarget",
    "DsnError",
    "parse_dsn",
    # SQL classification
    "Statement",
    "StatementKind",
    "parse_statement",
    # the pool's policy: the machine, its inputs' types, its actions, and the logon-error rule
    "PoolConfig",
    "PoolGetMode",
    "PoolMachine",
    "PoolPhase",
    "PoolStatistics",
    "PoolUsageError",
    "DpyCode",
    "ConnId",
    "ReqId",
    "SlotState",
    "PoolAction",
    "OpenConnection",
    "PingConnection",
    "RollbackConnection",
    "CloseConnection",
    "HandOver",
    "FailRequest",
    "SetTimer",
    "PoolClosed",
    "LeakDetected",
    "LogonFailure",
    "classify_logon_error",
    # python-oracledb's errors, as a driver raises them (DPY-/ORA- codes and texts)
    "Error",
    "dpy_error",
    "ora_error",
    # errors and limits
    "ProtocolError",
    "LocalProtocolError",
    "EncodeError",
    "RemoteProtocolError",
    "FramingError",
    "DecodeError",
    "LimitExceededError",
    "UnsupportedTypeError",
    "UnexpectedMessageError",
    "Limits",
    "DEFAULT_LIMITS",
]
__all__ += _events.__all__
