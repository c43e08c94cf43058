"""The one catalogue of error numbers and texts: every ``DPY-nnnn`` this project
raises with python-oracledb's message template, the ORA numbers python-oracledb
reports as DPY errors, how it classifies ORA numbers, and the ORA texts the
server roles send.  Facts only: :mod:`oracle_sansio.exceptions` builds the
exceptions from them, the pool machine names its failures by :class:`DpyCode`,
and the embedded server answers with :func:`ora_text`.

DPY names and templates are python-oracledb 26.1.0's (``src/oracledb/errors.py``,
``ERR_*`` constants without the prefix; ``tests/sansio/test_dpy_messages.py``
compares every template with the installed package).  A template is defined
here and nowhere else (``tests/test_one_owner.py`` checks the source tree).
"""

from __future__ import annotations

from enum import IntEnum, unique
from typing import Final

__all__ = [
    "DPY_MESSAGES",
    "DpyCode",
    "NOT_BUILT_TEXT",
    "INTEGRITY_ORA",
    "INTERFACE_ORA",
    "OPERATIONAL_ORA",
    "ORA_AS_DPY",
    "ORA_MESSAGES",
    "RECOVERABLE_ORA",
    "SESSION_DEAD_ORA",
    "TROUBLESHOOTING_DPY",
    "dpy_text",
    "message_for",
    "ora_text",
]


@unique
class DpyCode(IntEnum):
    """The ``DPY-nnnn`` numbers this project raises (python-oracledb's names)."""

    NOT_CONNECTED = 1001
    POOL_NOT_OPEN = 1002
    NOT_A_QUERY = 1003
    NO_STATEMENT_EXECUTED = 1004
    POOL_HAS_BUSY_CONNECTIONS = 1005
    CURSOR_NOT_OPEN = 1006
    NOT_SUBSCRIBED = 1007
    NO_STATEMENT = 2001
    NO_STATEMENT_PREPARED = 2002
    WRONG_EXECUTE_PARAMETERS_TYPE = 2003
    WRONG_EXECUTEMANY_PARAMETERS_TYPE = 2004
    ARGS_AND_KEYWORD_ARGS = 2005
    MIXED_POSITIONAL_AND_NAMED_BINDS = 2006
    EXPECTING_TYPE = 2007
    ARGS_MUST_BE_LIST_OR_TUPLE = 2012
    KEYWORD_ARGS_MUST_BE_DICT = 2013
    DUPLICATED_PARAMETER = 2014
    EXPECTING_VAR = 2015
    INCORRECT_VAR_ARRAYSIZE = 2016
    WALLET_FILE_MISSING = 2018
    INVALID_MAKEDSN_ARG = 2020
    INVALID_CONN_CLASS = 2023
    INVALID_CONNECT_PARAMS = 2025
    INVALID_POOL_CLASS = 2026
    INVALID_POOL_PARAMS = 2027
    HTTPS_PROXY_REQUIRES_TCPS = 2029
    INVALID_ACCESS_TOKEN_PARAM = 2031
    INVALID_ACCESS_TOKEN_RETURNED = 2032
    EXPIRED_ACCESS_TOKEN = 2033
    ACCESS_TOKEN_REQUIRES_TCPS = 2034
    INVALID_OBJECT_TYPE_NAME = 2035
    INVALID_COLL_INDEX_SET = 2039
    EXECUTE_MODE_ONLY_FOR_DML = 2040
    MISSING_ENDING_SINGLE_QUOTE = 2041
    MISSING_ENDING_DOUBLE_QUOTE = 2042
    INVALID_ARRAYSIZE = 2045
    MISSING_ADDRESS = 2049
    NAMED_POOL_MISSING = 2054
    NAMED_POOL_EXISTS = 2055
    PROTOCOL_HANDLER_FAILED = 2056
    PASSWORD_TYPE_HANDLER_FAILED = 2057
    PLAINTEXT_PASSWORD_IN_CONFIG = 2058
    MISSING_CONNECT_DESCRIPTOR = 2059
    POOL_MAX_LESS_THAN_MIN = 2064
    EMPTY_STATEMENT = 2066
    NAME_HAS_EMBEDDED_QUOTES = 2074
    TIME_NOT_SUPPORTED = 3000
    FEATURE_NOT_SUPPORTED = 3001
    PYTHON_VALUE_NOT_SUPPORTED = 3002
    PYTHON_TYPE_NOT_SUPPORTED = 3003
    DB_TYPE_NOT_SUPPORTED = 3007
    SELF_BIND_NOT_SUPPORTED = 3009
    SERVER_VERSION_NOT_SUPPORTED = 3010
    UNSUPPORTED_PYTHON_TYPE_FOR_DB_TYPE = 3013
    UNSUPPORTED_VERIFIER_TYPE = 3015
    OPERATION_ONLY_SUPPORTED_ON_BFILE = 3026
    INVALID_NETWORK_NAME = 3029
    SESSIONLESS_DIFFERING_METHODS = 3034
    SESSIONLESS_ALREADY_ACTIVE = 3035
    SESSIONLESS_INACTIVE = 3036
    TNS_ENTRY_NOT_FOUND = 4000
    NO_CREDENTIALS = 4001
    ORACLE_NUMBER_NO_REPR = 4003
    INVALID_NUMBER = 4004
    POOL_NO_CONNECTION_AVAILABLE = 4005
    ARRAY_DML_ROW_COUNTS_NOT_ENABLED = 4006
    INCONSISTENT_DATATYPES = 4007
    INVALID_BIND_NAME = 4008
    WRONG_NUMBER_OF_POSITIONAL_BINDS = 4009
    MISSING_BIND_VALUE = 4010
    CONNECTION_CLOSED = 4011
    INVALID_CONNECT_DESCRIPTOR = 4017
    CANNOT_PARSE_CONNECT_STRING = 4018
    INVALID_REDIRECT_DATA = 4019
    INVALID_PROTOCOL = 4021
    INVALID_ENUM_VALUE = 4022
    CALL_TIMEOUT_EXCEEDED = 4024
    INVALID_REF_CURSOR = 4025
    MISSING_FILE = 4026
    NO_CONFIG_DIR = 4027
    INVALID_SERVER_TYPE = 4028
    TOO_MANY_BATCH_ERRORS = 4029
    IFILE_CYCLE_DETECTED = 4030
    INVALID_SSL_VERSION = 4032
    EXCEEDED_IDLE_TIME = 4033
    INVALID_PASSWORD_TYPE = 4034
    INVALID_SERVER_RESPONSE = 4035
    UNEXPECTED_REFUSE = 5005
    LISTENER_REFUSED_CONNECTION = 6000
    INVALID_SERVICE_NAME = 6001
    INVALID_SERVER_CERT_DN = 6002
    INVALID_SID = 6003
    PROXY_FAILURE = 6004
    CONNECTION_FAILED = 6005
    INVALID_SERVER_NAME = 6006
    #: A warning (``cursor.warning``), never raised (python-oracledb's WRN_ prefix).
    COMPILATION_ERROR = 7000

    @property
    def full_code(self) -> str:
        """``"DPY-nnnn"``, as ``Error.full_code`` shows it."""
        return f"DPY-{int(self):04d}"


_D = DpyCode
#: Message templates, ``str.format`` placeholders named as python-oracledb names them.
DPY_MESSAGES: Final[dict[int, str]] = {
    _D.NOT_CONNECTED: 'not connected to database',
    _D.POOL_NOT_OPEN: 'connection pool is not open',
    _D.NOT_A_QUERY: 'the executed statement does not return rows',
    _D.NO_STATEMENT_EXECUTED: 'no statement executed',
    _D.POOL_HAS_BUSY_CONNECTIONS: 'connection pool cannot be closed because connections are busy',
    _D.CURSOR_NOT_OPEN: 'cursor is not open',
    _D.NOT_SUBSCRIBED: 'subscription is not active',
    _D.NO_STATEMENT: 'no statement specified and no prior statement prepared',
    _D.NO_STATEMENT_PREPARED: 'statement must be prepared first',
    _D.WRONG_EXECUTE_PARAMETERS_TYPE: 'expecting a dictionary, list or tuple, or keyword args',
    _D.WRONG_EXECUTEMANY_PARAMETERS_TYPE: (
        '"parameters" argument should be a list of sequences or dictionaries, or an integer specifying '
        'the number of times to execute the statement, or an object implementing the Apache Arrow '
        'PyCapsule interface __arrow_c_stream__()'),
    _D.ARGS_AND_KEYWORD_ARGS: 'expecting positional arguments or keyword arguments, not both',
    _D.MIXED_POSITIONAL_AND_NAMED_BINDS: 'positional and named binds cannot be intermixed',
    _D.EXPECTING_TYPE: 'expected a type',
    _D.ARGS_MUST_BE_LIST_OR_TUPLE: 'arguments must be a list or tuple',
    _D.KEYWORD_ARGS_MUST_BE_DICT: '"keyword_parameters" argument must be a dict',
    _D.DUPLICATED_PARAMETER: '"{deprecated_name}" and "{new_name}" cannot be specified together',
    _D.EXPECTING_VAR: 'type handler should return None or the value returned by a call to cursor.var()',
    _D.INCORRECT_VAR_ARRAYSIZE: (
        'variable array size of {var_arraysize} is too small (should be at least {required_arraysize})'),
    _D.WALLET_FILE_MISSING: 'wallet file {name} was not found',
    _D.INVALID_CONN_CLASS: 'invalid connection class',
    _D.INVALID_CONNECT_PARAMS: 'invalid connection params',
    _D.INVALID_POOL_CLASS: 'invalid connection pool class',
    _D.INVALID_ACCESS_TOKEN_PARAM: (
        'invalid access token: value must be a string (for OAuth), a 2-tuple containing the token and '
        'private key strings (for IAM), or a callable that returns a string or 2-tuple'),
    _D.INVALID_ACCESS_TOKEN_RETURNED: (
        'invalid access token returned from callable: value must be a string (for OAuth) or a 2-tuple '
        'containing the token and private key strings (for IAM)'),
    _D.EXPIRED_ACCESS_TOKEN: 'access token has expired',
    _D.ACCESS_TOKEN_REQUIRES_TCPS: 'access_token requires use of the tcps protocol',
    _D.INVALID_POOL_PARAMS: 'invalid pool params',
    _D.HTTPS_PROXY_REQUIRES_TCPS: 'https_proxy requires use of the tcps protocol',
    _D.INVALID_OBJECT_TYPE_NAME: 'invalid object type name: "{name}"',
    _D.INVALID_COLL_INDEX_SET: 'given index {index} must be in the range of {min_index} to {max_index}',
    _D.EXECUTE_MODE_ONLY_FOR_DML: (
        'parameters "batcherrors" and "arraydmlrowcounts" may only be true when used with insert, '
        'update, delete and merge statements'),
    _D.MISSING_ENDING_SINGLE_QUOTE: "missing ending quote (')",
    _D.MISSING_ENDING_DOUBLE_QUOTE: 'missing ending quote (")',
    _D.INVALID_ARRAYSIZE: 'arraysize must be an integer greater than zero',
    _D.NAMED_POOL_MISSING: 'connection pool with alias "{alias}" does not exist',
    _D.NAMED_POOL_EXISTS: 'connection pool with alias "{alias}" already exists',
    _D.POOL_MAX_LESS_THAN_MIN: "parameter 'max' should be greater than or equal to parameter 'min'",
    _D.EMPTY_STATEMENT: 'an empty statement cannot be executed',
    _D.NAME_HAS_EMBEDDED_QUOTES: 'name has embedded quotes',
    _D.TIME_NOT_SUPPORTED: 'Oracle Database does not support time only variables',
    _D.FEATURE_NOT_SUPPORTED: '{feature} is only supported in python-oracledb {driver_type} mode',
    _D.PYTHON_VALUE_NOT_SUPPORTED: 'Python value of type "{type_name}" is not supported',
    _D.PYTHON_TYPE_NOT_SUPPORTED: 'Python type {typ} is not supported',
    _D.DB_TYPE_NOT_SUPPORTED: 'database type "{name}" is not supported',
    _D.SELF_BIND_NOT_SUPPORTED: 'binding to self is not supported',
    _D.OPERATION_ONLY_SUPPORTED_ON_BFILE: 'operation is only supported on BFILE LOBs',
    _D.INVALID_NETWORK_NAME: '"{name}" includes characters that are not allowed',
    _D.SERVER_VERSION_NOT_SUPPORTED: (
        'connections to this database server version are not supported by python-oracledb in thin mode'),
    _D.UNSUPPORTED_PYTHON_TYPE_FOR_DB_TYPE: 'unsupported Python type {py_type_name} for database type {db_type_name}',
    _D.UNSUPPORTED_VERIFIER_TYPE: (
        'password verifier type 0x{verifier_type:x} is not supported by python-oracledb in thin mode'),
    _D.SESSIONLESS_DIFFERING_METHODS: (
        'suspending or resuming a Sessionless Transaction can be done with DBMS_TRANSACTION or with '
        'python-oracledb, but not both'),
    _D.SESSIONLESS_ALREADY_ACTIVE: (
        'suspend, commit, or rollback the current active sessionless transaction before beginning or '
        'resuming another one'),
    _D.SESSIONLESS_INACTIVE: 'no Sessionless Transaction is active',
    _D.NO_CREDENTIALS: 'no credentials specified',
    _D.ORACLE_NUMBER_NO_REPR: 'value cannot be represented as an Oracle number',
    _D.INVALID_NUMBER: 'invalid number',
    _D.POOL_NO_CONNECTION_AVAILABLE: 'timed out waiting for the connection pool to return a connection',
    _D.ARRAY_DML_ROW_COUNTS_NOT_ENABLED: 'array DML row counts mode is not enabled',
    _D.INCONSISTENT_DATATYPES: 'cannot convert from data type {input_type} to {output_type}',
    _D.INVALID_BIND_NAME: 'no bind placeholder named ":{name}" was found in the SQL text',
    _D.WRONG_NUMBER_OF_POSITIONAL_BINDS: (
        '{expected_num} positional bind values are required but {actual_num} were provided'),
    _D.MISSING_BIND_VALUE: 'a bind variable replacement value for placeholder ":{name}" was not provided',
    _D.CONNECTION_CLOSED: 'the database or network closed the connection',
    _D.INVALID_CONNECT_DESCRIPTOR: 'invalid connect descriptor "{data}"',
    _D.CANNOT_PARSE_CONNECT_STRING: 'cannot parse connect string "{data}"',
    _D.INVALID_REDIRECT_DATA: 'invalid redirect data {data}',
    _D.INVALID_PROTOCOL: 'invalid protocol "{protocol}"',
    _D.INVALID_ENUM_VALUE: 'invalid value for enumeration {name}: {value}',
    _D.INVALID_MAKEDSN_ARG: '"{name}" argument contains invalid values',
    _D.MISSING_ADDRESS: 'no addresses are defined in connect descriptor: {connect_string}',
    _D.PROTOCOL_HANDLER_FAILED: 'registered handler for protocol "{protocol}" failed for arg "{arg}"',
    _D.PASSWORD_TYPE_HANDLER_FAILED: 'registered handler for password type "{password_type}" failed',
    _D.PLAINTEXT_PASSWORD_IN_CONFIG: 'password in configuration must specify a type',
    _D.MISSING_CONNECT_DESCRIPTOR: '"connect_descriptor" key missing from configuration',
    _D.TNS_ENTRY_NOT_FOUND: 'unable to find "{name}" in {file_name}',
    _D.MISSING_FILE: "file '{file_name}' is missing or unreadable",
    _D.NO_CONFIG_DIR: 'no configuration directory specified',
    _D.INVALID_SERVER_TYPE: 'invalid server_type: {server_type}',
    _D.IFILE_CYCLE_DETECTED: "file '{including_file_name}' includes file '{included_file_name}', which forms a cycle",
    _D.INVALID_SSL_VERSION: 'invalid value for ssl_version: "{ssl_version}"',
    _D.INVALID_PASSWORD_TYPE: 'invalid password type "{password_type}"',
    _D.CALL_TIMEOUT_EXCEEDED: 'call timeout of {timeout} ms exceeded',
    _D.INVALID_REF_CURSOR: 'invalid REF CURSOR: never opened in PL/SQL',
    _D.TOO_MANY_BATCH_ERRORS: 'the number of batch errors from executemany() exceeds 65535',
    _D.INVALID_SSL_VERSION: 'invalid value for ssl_version: "{ssl_version}"',
    _D.EXCEEDED_IDLE_TIME: "the database closed the connection because the connection's idle time has been exceeded",
    _D.INVALID_SERVER_RESPONSE: 'invalid server response to connection request',
    _D.UNEXPECTED_REFUSE: 'the listener refused the connection but an unexpected error format was returned',
    _D.LISTENER_REFUSED_CONNECTION: 'Listener refused connection. (Similar to ORA-{error_code})',
    _D.INVALID_SERVICE_NAME: (
        'Service "{service_name}" is not registered with the listener at host "{host}" port {port}. '
        '(Similar to ORA-12514)'),
    _D.INVALID_SERVER_CERT_DN: (
        'The distinguished name (DN) on the server certificate does not match the expected value: {expected_dn}'),
    _D.INVALID_SID: 'SID "{sid}" is not registered with the listener at host "{host}" port {port}. (Similar to ORA-12505)',
    _D.PROXY_FAILURE: 'network proxy failed: response was {response}',
    _D.CONNECTION_FAILED: 'cannot connect to database (CONNECTION_ID={connection_id}).',
    _D.INVALID_SERVER_NAME: 'The name on the server certificate does not match the expected value: "{expected_name}"',
    _D.COMPILATION_ERROR: 'creation succeeded with compilation errors',
}

#: DPY codes whose message python-oracledb ends with a link to its troubleshooting guide.
TROUBLESHOOTING_DPY: Final = frozenset({
    DpyCode.SERVER_VERSION_NOT_SUPPORTED, DpyCode.UNSUPPORTED_VERIFIER_TYPE, DpyCode.CONNECTION_CLOSED,
})

# ----------------------------------------------------------------- ORA numbers, as python-oracledb classifies them

#: ORA numbers raised as IntegrityError.
INTEGRITY_ORA: Final = frozenset({1, 1400, 1438, 2290, 2291, 2292, 21525, 40479})
#: ORA numbers raised as InterfaceError.
INTERFACE_ORA: Final = frozenset({24422})
#: ORA numbers raised as OperationalError.
OPERATIONAL_ORA: Final = frozenset({
    22, 378, 600, 602, 603, 604, 609, 1012, 1013, 1033, 1034, 1041, 1043, 1089, 1090, 1092, 3111, 3113, 3114,
    3122, 3135, 12153, 12203, 12500, 12571, 27146, 28511,
})
#: ORA numbers after which the session is gone (reported as DPY-4011).
SESSION_DEAD_ORA: Final = frozenset({
    22, 28, 31, 45, 378, 600, 602, 603, 609, 1012, 1041, 1043, 1089, 1092, 2396, 3113, 3114, 3122, 3135,
    12153, 12537, 12547, 12570, 12583, 27146, 28511, 56600,
})
#: ORA numbers whose error is ``isrecoverable``.
RECOVERABLE_ORA: Final = frozenset({376, 1033, 1034, 1090, 1115, 12514, 12571, 12757, 16456})
#: ORA numbers python-oracledb reports as a DPY error (the ORA text follows on the next line);
#: a pattern pulls the DPY template's arguments out of the ORA text.
ORA_AS_DPY: Final[dict[int, DpyCode | tuple[DpyCode, str]]] = {
    **{n: _D.CONNECTION_CLOSED for n in SESSION_DEAD_ORA},
    1005: _D.NO_CREDENTIALS, 1740: _D.MISSING_ENDING_DOUBLE_QUOTE, 1756: _D.MISSING_ENDING_SINGLE_QUOTE,
    22165: (_D.INVALID_COLL_INDEX_SET, r"index \[(?P<index>\d+)\] must be in the range of \[(?P<min_index>\d+)\] to "
                                       r"\[(?P<max_index>\d+)\]"),
    22303: (_D.INVALID_OBJECT_TYPE_NAME, r'type "(?P<name>[^"]*"."[^"]*)"'),
    24338: _D.INVALID_REF_CURSOR, 24344: _D.COMPILATION_ERROR, 24349: _D.ARRAY_DML_ROW_COUNTS_NOT_ENABLED,
    24422: _D.POOL_HAS_BUSY_CONNECTIONS, 24457: _D.POOL_NO_CONNECTION_AVAILABLE,
    24459: _D.POOL_NO_CONNECTION_AVAILABLE, 24496: _D.POOL_NO_CONNECTION_AVAILABLE,
    26202: _D.SESSIONLESS_INACTIVE, 26211: _D.SESSIONLESS_DIFFERING_METHODS, 26216: _D.SESSIONLESS_ALREADY_ACTIVE,
    29970: _D.NOT_SUBSCRIBED, 38902: _D.TOO_MANY_BATCH_ERRORS,
}

# ----------------------------------------------------------------- ORA texts the server roles send

#: Oracle's texts for the ORA errors that more than one server-side module sends.
ORA_MESSAGES: Final[dict[int, str]] = {
    28: 'your session has been killed',
    1013: 'user requested cancel of current operation',
    1017: 'invalid credential or not authorized; logon denied',
    1045: 'Login denied. User {user} lacks CREATE SESSION privilege.',  # str.format: the user
    3136: 'inbound connection timed out',
    28000: 'The account is locked.',
    28150: 'proxy not authorized to connect as client',
    28267: 'Invalid NameSpace Value',
    28268: 'Exceeded the maximum allowed size for Context information in a session',
    56735: 'elapsed time limit exceeded - call aborted',
}


# ----------------------------------------------------------------- this project's own texts

#: DPY-3001's text where the reason is that this project has not built the feature
#: (python-oracledb's template names its thick mode, which is no reason here).
NOT_BUILT_TEXT: Final = "{feature} is not supported by oracle_asyncio"


def message_for(code: DpyCode) -> str:
    """``"DPY-nnnn: template"`` with the placeholders left as they are."""
    return f"{code.full_code}: {DPY_MESSAGES[code]}"


def dpy_text(code: int, args: dict[str, object]) -> str:
    """``"DPY-nnnn: message"`` with ``args`` filled in; the bare template when an
    argument is missing or does not fit, ``error nnnn`` for a number not catalogued."""
    template = DPY_MESSAGES.get(code, "error {code}")
    try:
        return f"DPY-{code:04d}: " + template.format(code=code, **args)
    except (KeyError, IndexError, ValueError):
        return f"DPY-{code:04d}: {template}"


def ora_text(number: int) -> str:
    """``"ORA-nnnnn: text"`` for a catalogued ORA number."""
    return f"ORA-{number:05d}: {ORA_MESSAGES[number]}"
