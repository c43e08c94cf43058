"""The logon and session rules the server machine applies by itself: what a
CONNECT asks for, the PROTOCOL and DATA_TYPES replies it negotiates with, the
O5LOGON challenge it sends, the facts an accepted logon returns, the new password a
logon may carry (or must, when the password expired), and the
in-session change of password (an AUTH call, function 115).  Pure functions:
server.py owns the state and the replies (get-version, and ORA-03115 for a
call it does not implement, which keeps the session as a real server does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from ..crypto.o5logon import AuthAccepted, AuthResult, ServerChallenge, Verifier, make_verifier, server_decrypt_password, verifier_matches
from ..crypto.secret import Secret
from ..dsn import DsnError, descriptor_value, parse_descriptor
from ..tns.packets import Connect
from ..ttc.capabilities import server_compile_caps, server_runtime_caps
from ..ttc.constants import AuthMode, ErrorNumber
from ..ttc.messages.auth import AuthPair, AuthRequest, pairs_dict
from ..ttc.messages.negotiate import DataTypesRequest, DataTypesResponse, ProtocolResponse
from ._server_config import ServerConfig, encode_version_number
from .events import ConnectRequested

__all__ = [
    "MSG_3115",
    "MSG_28008",
    "MSG_1031",
    "MSG_28001",
    "logon_pairs",
    "challenge_pairs",
    "compile_caps",
    "protocol_reply",
    "data_types_reply",
    "connect_requested",
    "judge_phase_two",
    "change_password",
    "changed_verifier",
    "new_verifier",
]

MSG_3115: Final = "ORA-03115: unsupported network datatype or representation"
MSG_28008: Final = "ORA-28008: invalid old password"
MSG_1031: Final = "ORA-01031: insufficient privileges"
MSG_28001: Final = "ORA-28001: the password has expired"


def compile_caps(config: ServerConfig, end_of_response: bool) -> bytes:
    """The compile-time capabilities the server advertises."""
    return server_compile_caps(config.field_version, end_of_response=end_of_response,
                               request_boundaries=config.request_boundaries)


def protocol_reply(config: ServerConfig, end_of_response: bool) -> ProtocolResponse:
    """The answer to PROTOCOL: the banner and both capability sets."""
    runtime = server_runtime_caps(request_boundaries=config.request_boundaries)
    return ProtocolResponse(banner=config.banner, compile_caps=compile_caps(config, end_of_response),
                            runtime_caps=runtime)


def data_types_reply(config: ServerConfig, request: DataTypesRequest) -> DataTypesResponse:
    """The answer to DATA_TYPES, with the database's time zone and time zone file version."""
    return DataTypesResponse.answering(
        request, timezone_minutes=config.db_timezone_minutes, tz_version=config.timezone_file_version
    )


def challenge_pairs(challenge: ServerChallenge) -> tuple[AuthPair, ...]:
    """The pairs of the answer to AUTH phase one: session key, verifier data, PBKDF2 values (12c)."""
    pairs: list[AuthPair] = [
        ("AUTH_SESSKEY", challenge.sesskey_hex, 0),
        ("AUTH_VFR_DATA", challenge.vfr_data_hex, challenge.verifier_type),
    ]
    if challenge.csk_salt_hex:
        pairs += [
            ("AUTH_PBKDF2_CSK_SALT", challenge.csk_salt_hex, 0),
            ("AUTH_PBKDF2_VGEN_COUNT", str(challenge.vgen_count), 0),
            ("AUTH_PBKDF2_SDER_COUNT", str(challenge.sder_count), 0),
        ]
    return tuple(pairs)


def logon_pairs(
    cfg: ServerConfig, field_version: int, session_id: int, serial: int, service_name: str, svr_response_hex: str
) -> tuple[AuthPair, ...]:
    """The session facts an accepted AUTH phase two returns (as 23ai sends them)."""
    return (
        ("AUTH_VERSION_STRING", "- Develop, Learn, and Run for Free", 0),
        ("AUTH_VERSION_SQL", "25", 0),
        ("AUTH_VERSION_NO", str(encode_version_number(cfg.db_version, field_version)), 0),
        ("AUTH_SESSION_ID", str(session_id), 0),
        ("AUTH_SERIAL_NUM", str(serial), 0),
        ("AUTH_SC_SERVICE_NAME", service_name, 0),
        ("AUTH_INSTANCENAME", cfg.instance_name, 0),
        ("AUTH_SC_DBUNIQUE_NAME", cfg.db_name, 0),
        # python-oracledb's connection.db_unique_name; 23ai sends both, equal outside Data Guard
        ("AUTH_SC_REAL_DBUNIQUE_NAME", cfg.db_name, 0),
        ("AUTH_DBNAME", cfg.db_name, 0),
        ("AUTH_SVR_RESPONSE", svr_response_hex, 0),
        ("AUTH_MAX_OPEN_CURSORS", str(cfg.max_open_cursors), 0),
        ("AUTH_MAX_IDEN_LENGTH", "128", 0),
    )


def connect_requested(conn: Connect) -> ConnectRequested:
    """The event for a CONNECT: its descriptor's service name, SID and
    instance (None when the connect data is no descriptor)."""
    text = conn.connect_data.decode("utf-8", "replace")
    service = sid = instance = None
    try:
        node = parse_descriptor(text)
        service = descriptor_value(node, "connect_data", "service_name")
        sid = descriptor_value(node, "connect_data", "sid")
        instance = descriptor_value(node, "connect_data", "instance_name")
    except DsnError:
        pass
    return ConnectRequested(connect_data=text, version=conn.version, service_name=service, sid=sid,
                            instance_name=instance)


def judge_phase_two(
    result: AuthResult,
    verifier: Verifier,
    new_hex: str | None,
    password_expired: bool,
    entropy: Callable[[int], bytes],
) -> tuple[str | None, Verifier | None]:
    """Why a phase two is refused (None: accepted), and the verifier of the
    new password it sets (python-oracledb's ``newpassword=``, which an expired
    password requires: PASSWORD_EXPIRED answers ORA-28001, the rest ORA-01017)."""
    if not isinstance(result, AuthAccepted):
        return result.reason.name, None
    if new_hex is None:
        return ("PASSWORD_EXPIRED" if password_expired else None), None
    new = server_decrypt_password(result.combo_key, new_hex, "AUTH_NEWPASSWORD")
    if new is None:
        return "BAD_NEW_PASSWORD", None
    return None, new_verifier(verifier, new, entropy)


def new_verifier(old: Verifier, password: Secret[bytes], entropy: Callable[[int], bytes]) -> Verifier:
    """A verifier of ``old``'s kind for ``password``, with a fresh salt."""
    return make_verifier(
        password, salt=entropy(len(old.salt)), verifier_type=old.verifier_type, vgen_count=old.vgen_count
    )


def change_password(
    req: AuthRequest,
    logged_user: str,
    verifier: Verifier | None,
    combo_key: Secret[bytes] | None,
    entropy: Callable[[int], bytes],
) -> tuple[tuple[int, str] | None, Verifier | None]:
    """Judge an in-session change of password: an AUTH phase-two call with
    mode CHANGE_PASSWORD and the old and new passwords under the session's
    combo key (python-oracledb ``changepassword``).  Returns the error to
    answer (ORA-28008 for a wrong old password, ORA-01031 for another user,
    ORA-03115 for an AUTH call that is no change of password), or the new
    verifier."""
    if verifier is None or combo_key is None or not req.mode & AuthMode.CHANGE_PASSWORD:
        return (ErrorNumber.UNSUPPORTED_NETWORK_DATATYPE, MSG_3115), None
    if req.user.upper() != logged_user.upper():
        return (1031, MSG_1031), None
    p = pairs_dict(req.pairs)
    changed = changed_verifier(verifier, combo_key, p.get("AUTH_PASSWORD"), p.get("AUTH_NEWPASSWORD"), entropy)
    if changed is None:
        return (ErrorNumber.INVALID_OLD_PASSWORD, MSG_28008), None
    return None, changed


def changed_verifier(
    verifier: Verifier,
    combo_key: Secret[bytes],
    old_hex: str | None,
    new_hex: str | None,
    entropy: Callable[[int], bytes],
) -> Verifier | None:
    """The verifier for the new password of a change-password call, or None
    when AUTH_PASSWORD is not the current password (ORA-28008).

    Raises:
        DecodeError: a value is missing or malformed.
    """
    old = server_decrypt_password(combo_key, old_hex, "AUTH_PASSWORD")
    if old is None or not verifier_matches(verifier, old):
        return None
    new = server_decrypt_password(combo_key, new_hex, "AUTH_NEWPASSWORD")
    if new is None:
        return None
    return new_verifier(verifier, new, entropy)

