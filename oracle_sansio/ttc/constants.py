"""TTC message-layer constants (values per python-oracledb
impl/thin/constants.pxi, checked against node-oracledb
lib/thin/protocol/constants.js; see docs/protocol-ttc.md 1-7)."""

from __future__ import annotations

from enum import IntEnum, IntFlag, unique
from typing import Final

__all__ = [
    "MessageType",
    "FunctionCode",
    "ExecOption",
    "ExecFlag",
    "BindFlag",
    "BindDirection",
    "CallStatus",
    "AuthMode",
    "ServerPiggybackOp",
    "LobOp",
    "ErrorNumber",
    "Keyword",
    "CompileCap",
    "RuntimeCap",
    "FieldVersion",
    "CHARSET_UTF8",
    "CHARSET_UTF16",
    "ENCODING_MULTI_BYTE",
    "ENCODING_CONV_LENGTH",
    "LOB_PREFETCH_FLAG",
    "MAX_LONG_SIZE",
    "AL8I4_LENGTH",
]


@unique
class MessageType(IntEnum):
    """First byte of every TTC message."""

    PROTOCOL = 1
    DATA_TYPES = 2
    FUNCTION = 3
    ERROR = 4
    ROW_HEADER = 6
    ROW_DATA = 7
    PARAMETER = 8
    STATUS = 9
    IO_VECTOR = 11
    OAC = 13
    LOB_DATA = 14
    WARNING = 15
    DESCRIBE_INFO = 16
    PIGGYBACK = 17
    FLUSH_OUT_BINDS = 19
    BIT_VECTOR = 21
    SERVER_SIDE_PIGGYBACK = 23
    ONEWAY_FN = 26
    IMPLICIT_RESULTSET = 27
    RENEGOTIATE = 28
    END_OF_RESPONSE = 29
    TOKEN = 33
    FAST_AUTH = 34


@unique
class FunctionCode(IntEnum):
    """Second byte of a FUNCTION (or PIGGYBACK) message."""

    REEXECUTE = 4
    FETCH = 5
    LOGOFF = 9
    COMMIT = 14
    ROLLBACK = 15
    GET_VERSION = 59
    REEXECUTE_AND_FETCH = 78
    EXECUTE = 94
    LOB_OP = 96
    TPC_TXN_SWITCH = 103
    TPC_TXN_CHANGE_STATE = 104
    CLOSE_CURSORS = 105
    AUTH_PHASE_TWO = 115
    AUTH_PHASE_ONE = 118
    AQ_ENQ = 121
    AQ_DEQ = 122
    SUBSCRIBE = 125
    DIRECT_PATH_PREPARE = 128
    DIRECT_PATH_LOAD_STREAM = 129
    DIRECT_PATH_OP = 130
    SET_END_TO_END_ATTR = 135
    ARRAY_AQ = 145
    PING = 147
    SET_SCHEMA = 152
    SET_KEY_VALUE = 154
    SESSION_GET = 162
    SESSION_RELEASE = 163
    SESSION_STATE = 176
    NOTIFY = 187
    PIPELINE_BEGIN = 199
    PIPELINE_END = 200
    END_USER_SECURITY_CTX = 205


class ExecOption(IntFlag):
    """EXECUTE options bitmask (docs/protocol-ttc.md 3.1)."""

    NONE = 0
    PARSE = 0x01
    BIND = 0x08
    DEFINE = 0x10
    EXECUTE = 0x20
    FETCH = 0x40
    COMMIT = 0x100
    PLSQL_BIND = 0x400
    NOT_PLSQL = 0x8000
    DESCRIBE = 0x20000
    NO_COMPRESSED_FETCH = 0x40000
    BATCH_ERRORS = 0x80000


#: REEXECUTE options_2 bit for autocommit.
COMMIT_REEXECUTE: Final = 0x01


class ExecFlag(IntFlag):
    """al8i4[9] execute flags."""

    NONE = 0
    SCROLLABLE = 0x02
    NO_CANCEL_ON_EOF = 0x80
    DML_ROWCOUNTS = 0x4000
    IMPLICIT_RESULTSET = 0x8000


class BindFlag(IntFlag):
    """Flags byte of a bind/define metadata block."""

    NONE = 0
    USE_INDICATORS = 0x01
    ARRAY = 0x40


@unique
class BindDirection(IntEnum):
    """IO_VECTOR bind directions."""

    OUTPUT = 16
    INPUT = 32
    INPUT_OUTPUT = 48


class CallStatus(IntFlag):
    """End-of-call status bits (ERROR field 1, STATUS)."""

    NONE = 0
    TXN_IN_PROGRESS = 0x02
    SESS_RELEASE = 0x8000


class AuthMode(IntFlag):
    """O5LOGON auth mode bits."""

    NONE = 0
    LOGON = 0x00000001
    CHANGE_PASSWORD = 0x00000002
    SYSDBA = 0x00000020
    SYSOPER = 0x00000040
    WITH_PASSWORD = 0x00000100
    SYSASM = 0x00400000
    SYSBKP = 0x01000000
    SYSDGD = 0x02000000
    SYSKMT = 0x04000000
    SYSRAC = 0x08000000
    IAM_TOKEN = 0x20000000


@unique
class ServerPiggybackOp(IntEnum):
    """Opcodes of SERVER_SIDE_PIGGYBACK (docs/protocol-ttc.md 4.11)."""

    QUERY_CACHE_INVALIDATION = 1
    OS_PID_MTS = 2
    TRACE_EVENT = 3
    SESS_RET = 4
    SYNC = 5
    LTXID = 7
    AC_REPLAY_CONTEXT = 8
    EXT_SYNC = 9
    SESS_SIGNATURE = 10


class LobOp(IntFlag):
    """LOB_OP operation codes (docs/protocol-ttc.md 6.13)."""

    NONE = 0
    GET_LENGTH = 0x0001
    READ = 0x0002
    TRIM = 0x0020
    WRITE = 0x0040
    GET_CHUNK_SIZE = 0x4000
    CREATE_TEMP = 0x0110
    FREE_TEMP = 0x0111
    OPEN = 0x8000
    CLOSE = 0x10000
    IS_OPEN = 0x11000
    ARRAY = 0x80000
    FILE_EXISTS = 0x0800
    FILE_OPEN = 0x0100
    FILE_CLOSE = 0x0200
    FILE_ISOPEN = 0x0400


@unique
class ErrorNumber(IntEnum):
    """ORA/TNS error numbers the protocol itself gives meaning to."""

    INCONSISTENT_DATA_TYPES = 932
    VAR_NOT_IN_SELECT_LIST = 1007
    USER_CANCEL = 1013
    INVALID_CREDENTIAL = 1017
    NO_DATA_FOUND = 1403
    EXCEEDED_IDLE_TIME = 2396
    END_OF_FILE_ON_CHANNEL = 3113
    UNSUPPORTED_NETWORK_DATATYPE = 3115
    INVALID_SID = 12505
    INVALID_SERVICE_NAME = 12514
    SESSION_SHUTDOWN = 12572
    INBAND_MESSAGE = 12573
    ARRAY_DML_ERRORS = 24381
    ACCOUNT_LOCKED = 28000
    INVALID_OLD_PASSWORD = 28008


@unique
class Keyword(IntEnum):
    """Keyword numbers in PARAMETER / SYNC key-value pairs."""

    SESSION_TIME_ZONE = 163
    CURRENT_SCHEMA = 168
    EDITION = 172
    TRANSACTION_ID = 201


@unique
class CompileCap(IntEnum):
    """Indices into the compile-time capability array."""

    SQL_VERSION = 0
    LOGON_TYPES = 4
    FEATURE_BACKPORT = 5
    FIELD_VERSION = 7
    SERVER_DEFINE_CONV = 8
    DEQUEUE_WITH_SELECTOR = 9
    TTC1 = 15
    OCI1 = 16
    TDS_VERSION = 17
    RPC_VERSION = 18
    RPC_SIG = 19
    DBF_VERSION = 21
    LOB = 23
    TTC2 = 26
    UB2_DTY = 27
    OCI2 = 31
    CLIENT_FN = 34
    OCI3 = 35
    TTC3 = 37
    SESS_SIGNATURE_VERSION = 39
    TTC4 = 40
    LOB2 = 42
    TTC5 = 44
    FEATURE_BACKPORT2 = 45
    VECTOR_FEATURES = 52
    TTC6 = 54


@unique
class RuntimeCap(IntEnum):
    """Indices into the runtime capability array."""

    COMPAT = 0
    TTC = 6


@unique
class FieldVersion(IntEnum):
    """TTC field versions (compile cap 7) at which layouts change."""

    V11_2 = 6
    V12_1 = 7
    V12_2 = 8
    V12_2_EXT1 = 9
    V18_1 = 10
    V18_1_EXT1 = 11
    V19_1 = 12
    V19_1_EXT1 = 13
    V20_1 = 14
    V20_1_EXT1 = 15
    V21_1 = 16
    V23_1 = 17
    V23_1_EXT1 = 18
    V23_1_EXT2 = 19
    V23_1_EXT3 = 20
    V23_1_EXT4 = 21
    V23_1_EXT5 = 22
    V23_3_EXT6 = 23
    V23_4 = 24


CHARSET_UTF8: Final = 873
CHARSET_UTF16: Final = 2000
ENCODING_MULTI_BYTE: Final = 0x01
ENCODING_CONV_LENGTH: Final = 0x02
LOB_PREFETCH_FLAG: Final = 0x2000000
#: ERROR's warning flags (field 14): "success with compilation error", python-oracledb's DPY-7000
#: (messages/base.pyx ``_process_error_info``; docs/protocol-ttc.md 4.5).
COMPILE_WARNING: Final = 0x20
MAX_LONG_SIZE: Final = 0x7FFFFFFF
AL8I4_LENGTH: Final = 13
