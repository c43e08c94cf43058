"""The O5LOGON steps of the client machine as pure functions: the phase-one
request, the phase-two request built from the server's challenge, and the
session facts taken from the phase-two reply (docs/protocol-connect.md 9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..crypto.aes import AES
from ..crypto.o5logon import client_auth_response, encrypt_password, verify_server_response
from ..crypto.rsa import RsaKeyError, load_private_key
from ..crypto.secret import Secret
from ..crypto.token import iam_header, iam_signature
from ..dsn import build_descriptor
from ..errors import AuthenticationError, RemoteProtocolError, ServerNotSupportedError
from ..params import ClientParams
from ..tns.constants import (
    VERSION_MIN_ACCEPTED,
    VERSION_MIN_END_OF_RESPONSE,
    VERSION_MIN_LARGE_SDU,
    AcceptFlag,
    NsiFlag,
    ServiceOption,
)
from ..tns.packets import Accept
from ..ttc._datatypes_table import CLIENT_DATA_TYPES
from ..ttc.capabilities import FIELD_VERSION_MAX, Capabilities, client_compile_caps, client_runtime_caps
from ..ttc.constants import AuthMode, FieldVersion
from ..ttc.messages import appctx
from ..ttc.messages.auth import AuthPair, AuthRequest, pairs_dict
from ..ttc.messages.negotiate import DataTypesRequest, ProtocolResponse
from ..ttc.wire import Writer
from .events import SessionInfo

__all__ = [
    "PhaseTwo",
    "apply_accept",
    "check_accept",
    "over_tls",
    "apply_protocol",
    "data_types_request",
    "phase_one",
    "phase_two",
    "token_logon",
    "change_password",
    "session_from_reply",
    "version_tuple",
]


def check_accept(acc: Accept) -> None:
    """Refuse an ACCEPT this client cannot go on with (an old server, or one that
    requires native network encryption)."""
    if acc.version < VERSION_MIN_ACCEPTED:
        raise ServerNotSupportedError(
            f"server TNS version {acc.version} is older than {VERSION_MIN_ACCEPTED} (Oracle 12.1)"
        )
    if acc.nsi_flags0 & NsiFlag.NA_REQUIRED:
        raise ServerNotSupportedError("the server requires native network encryption and data integrity")


def apply_accept(caps: Capabilities, acc: Accept, max_packet_size: int) -> bool:
    """Take what ``acc`` negotiated into ``caps``; True when packets use the large
    (4-byte) length from now on."""
    caps.protocol_version = acc.version
    caps.supports_oob = bool(acc.service_options & ServiceOption.CAN_RECV_ATTENTION)
    caps.supports_fast_auth = bool(acc.flags2 & AcceptFlag.FAST_AUTH)
    caps.end_of_response = bool(
        acc.version >= VERSION_MIN_END_OF_RESPONSE and acc.flags2 & AcceptFlag.HAS_END_OF_RESPONSE
    )
    if acc.sdu < 512:
        raise RemoteProtocolError(f"ACCEPT SDU {acc.sdu} is below 512")
    caps.sdu = min(acc.sdu, max_packet_size)
    return acc.version >= VERSION_MIN_LARGE_SDU


def over_tls(params: ClientParams) -> bool:
    """Whether the connection's address is TCPS (only then is a TLS renegotiation honoured)."""
    address = params.address if params.address is not None else (
        params.target.addresses[0] if params.target.addresses else None)
    return address is not None and address.protocol == "tcps"


def apply_protocol(caps: Capabilities, reply: ProtocolResponse) -> str:
    """Take the server's character sets and capabilities; return its banner."""
    caps.charset_id = reply.charset_id
    caps.ncharset_id = reply.ncharset_id
    if reply.compile_caps:
        caps.adjust_for_server_compile_caps(reply.compile_caps)
    if reply.runtime_caps:
        caps.adjust_for_server_runtime_caps(reply.runtime_caps)
    return reply.banner


def data_types_request(caps: Capabilities) -> DataTypesRequest:
    """Our DATA_TYPES request: python-oracledb's layout (no time zone, no
    national charset id, its 322 entries)."""
    return _data_types_request(caps.field_version, caps.end_of_response)


@lru_cache(maxsize=16)
def _data_types_request(field_version: int, end_of_response: bool) -> DataTypesRequest:
    # Made once per (field version, end of response) per process: the request is
    # frozen, and its table is one object, so its encoded bytes are kept too.
    return DataTypesRequest(
        compile_caps=client_compile_caps(field_version=field_version, end_of_response=end_of_response),
        runtime_caps=client_runtime_caps(),
        data_types=CLIENT_DATA_TYPES,
    )


# The table's bytes are the same for every connect: encode them at import, not
# during the first logon of the process.
_data_types_request(FIELD_VERSION_MAX, False).encode(Writer())


def _mode(p: ClientParams) -> int:
    # python-oracledb drops LOGON from the mode when a logon sets a new password.
    return p.mode & ~AuthMode.LOGON if p.new_password is not None else p.mode


def phase_one(p: ClientParams) -> AuthRequest:
    """AUTH phase one with the five pairs python-oracledb sends."""
    return AuthRequest(
        user=p.user,
        mode=_mode(p),
        pairs=(
            ("AUTH_TERMINAL", p.terminal, 0),
            ("AUTH_PROGRAM_NM", p.program, 0),
            ("AUTH_MACHINE", p.machine, 0),
            ("AUTH_PID", p.pid, 0),
            ("AUTH_SID", p.osuser, 0),
        ),
    )


@dataclass(frozen=True, slots=True)
class PhaseTwo:
    """The phase-two request and the keys the client keeps."""

    request: AuthRequest
    combo_key: Secret[bytes]
    password_key: Secret[bytes] | None
    #: The challenge (salt and iteration count) ``password_key`` belongs to.
    key_salt: str
    #: ``password_key``'s AES key K for that salt, expanded (12c; kept with the key).
    password_key_cipher: AES | None = None
    #: ``combo_key`` expanded, to check the server's proof with.
    combo_cipher: AES | None = None


def phase_two(
    p: ClientParams,
    challenge: tuple[AuthPair, ...],
    entropy: Callable[[int], bytes],
    password_key: Secret[bytes] | None,
    key_salt: str | None = None,
    password_key_cipher: AES | None = None,
) -> PhaseTwo:
    """Answer the server's challenge (AUTH_SESSKEY, AUTH_VFR_DATA, PBKDF2 values).

    Raises:
        AuthenticationError: the challenge lacks AUTH_SESSKEY or AUTH_VFR_DATA.
    """
    params = pairs_dict(challenge)
    flags = {k: f for k, _, f in challenge}
    if "AUTH_SESSKEY" not in params or "AUTH_VFR_DATA" not in params:
        raise AuthenticationError("the logon challenge lacks AUTH_SESSKEY or AUTH_VFR_DATA")
    salt_id = f"{params['AUTH_VFR_DATA']}:{params.get('AUTH_PBKDF2_VGEN_COUNT', '')}"
    if key_salt != salt_id:
        # Cached for another salt (password changed): derive afresh.
        password_key = password_key_cipher = None
    random = entropy(48 + 16 + 16)
    reply = client_auth_response(
        password=p.password,
        verifier_type=flags["AUTH_VFR_DATA"],
        sesskey_hex=params["AUTH_SESSKEY"],
        vfr_data_hex=params["AUTH_VFR_DATA"],
        csk_salt_hex=params.get("AUTH_PBKDF2_CSK_SALT"),
        vgen_count=params.get("AUTH_PBKDF2_VGEN_COUNT"),
        sder_count=params.get("AUTH_PBKDF2_SDER_COUNT"),
        client_key=random[:48],
        speedy_salt=random[48:64],
        password_salt=random[64:80],
        password_key=password_key,
        password_key_cipher=password_key_cipher,
        new_password=p.new_password,
    )
    pairs: list[AuthPair] = _proxy_pairs(p) + [("AUTH_SESSKEY", reply.sesskey_hex, 1)]
    if reply.speedy_key_hex:
        pairs.append(("AUTH_PBKDF2_SPEEDY_KEY", reply.speedy_key_hex, 0))
    pairs.append(("AUTH_PASSWORD", reply.password_hex, 0))
    mode = _mode(p) | AuthMode.WITH_PASSWORD
    if reply.new_password_hex is not None:
        pairs.append(("AUTH_NEWPASSWORD", reply.new_password_hex, 0))
        mode |= AuthMode.CHANGE_PASSWORD
    pairs += _session_pairs(p)
    # python-oracledb auth.pyx's order: the DRCP class and purity, then the connect string.
    if p.cclass is not None:
        pairs.append(("AUTH_KPPL_CONN_CLASS", p.cclass, 0))
    if p.purity:
        pairs.append(("AUTH_KPPL_PURITY", str(p.purity), 1))
    pairs += _edition_pairs(p)
    pairs.append(("AUTH_CONNECT_STRING", build_descriptor(p.target, address=p.address,
                                                          connection_id=p.connection_id), 0))
    request = AuthRequest(phase_two=True, user=p.user, mode=mode, pairs=tuple(pairs))
    return PhaseTwo(request=request, combo_key=reply.combo_key, password_key=reply.password_key or password_key,
                    key_salt=salt_id, password_key_cipher=reply.password_key_cipher or password_key_cipher,
                    combo_cipher=reply.combo_cipher)


def _proxy_pairs(p: ClientParams) -> list[AuthPair]:
    # python-oracledb auth.pyx: the first pair of phase two
    return [] if p.proxy_user is None else [("PROXY_CLIENT_NAME", p.proxy_user, 0)]


def _session_pairs(p: ClientParams) -> list[AuthPair]:
    return [
        ("SESSION_CLIENT_CHARSET", "873", 0),
        ("SESSION_CLIENT_DRIVER_NAME", p.driver_name, 0),
        ("SESSION_CLIENT_VERSION", "16777216", 0),
        ("AUTH_ALTER_SESSION", f"ALTER SESSION SET TIME_ZONE='{p.time_zone}'\x00", 1),
    ]


def _edition_pairs(p: ClientParams) -> list[AuthPair]:
    # python-oracledb auth.pyx: after the DRCP and IAM keys, before the connect string;
    # the application context's triples follow the edition.
    edition: list[AuthPair] = [] if p.edition is None else [("AUTH_ORA_EDITION", p.edition, 0)]
    return edition + appctx.logon_pairs(p.app_context)


def token_logon(p: ClientParams) -> AuthRequest:
    """A token logon: AUTH phase two straight away, with AUTH_TOKEN instead of the
    O5LOGON keys; an IAM token adds AUTH_HEADER and its AUTH_SIGNATURE
    (python-oracledb thin, messages/auth.pyx).

    Raises:
        AuthenticationError: the private key is not an unencrypted RSA key.
    """
    assert p.access_token is not None
    pairs: list[AuthPair] = _proxy_pairs(p) + [("AUTH_TOKEN", p.access_token.expose(), 0)]
    pairs += _session_pairs(p)
    mode = _mode(p)
    if p.cclass is not None:
        pairs.append(("AUTH_KPPL_CONN_CLASS", p.cclass, 0))
    if p.purity:
        pairs.append(("AUTH_KPPL_PURITY", str(p.purity), 1))
    if p.private_key is not None:
        mode |= AuthMode.IAM_TOKEN
        try:
            key = load_private_key(p.private_key)
        except RsaKeyError as exc:
            raise AuthenticationError(f"the access token's private key cannot be used: {exc}") from None
        address = p.address or (p.target.addresses[0] if p.target.addresses else None)
        host, port = (address.host, address.port) if address is not None else ("", 0)
        header = iam_header(p.now, p.target.service_name or "", host, port)
        pairs += [("AUTH_HEADER", header, 0), ("AUTH_SIGNATURE", iam_signature(key, header), 0)]
    pairs += _edition_pairs(p)
    pairs.append(
        ("AUTH_CONNECT_STRING", build_descriptor(p.target, address=p.address, connection_id=p.connection_id), 0)
    )
    return AuthRequest(phase_two=True, user=p.user, mode=mode, pairs=tuple(pairs))


def change_password(
    user: str, combo_key: Secret[bytes], old: Secret[str], new: Secret[str], salt: bytes
) -> AuthRequest:
    """A change of password in session: an AUTH phase-two call with both
    passwords under the session's combo key (python-oracledb ``changepassword``)."""
    return AuthRequest(
        phase_two=True,
        user=user,
        mode=AuthMode.WITH_PASSWORD | AuthMode.CHANGE_PASSWORD,
        pairs=(
            ("AUTH_PASSWORD", encrypt_password(combo_key, salt, old), 0),
            ("AUTH_NEWPASSWORD", encrypt_password(combo_key, salt, new), 0),
        ),
    )


def session_from_reply(
    reply: tuple[AuthPair, ...], combo_key: Secret[bytes] | None, field_version: int,
    combo_cipher: AES | None = None, *, token_logon_done: bool = False,
) -> SessionInfo:
    """Check the server's proof and read the session facts.

    Raises:
        AuthenticationError: no valid AUTH_SVR_RESPONSE (python-oracledb: DPY-4035),
            or a required fact is missing.
    """
    params = pairs_dict(reply)
    proof = params.get("AUTH_SVR_RESPONSE")
    # A token logon has no combo key and no proof to check: TLS authenticates the server.
    if token_logon_done:
        pass
    elif combo_key is None or not verify_server_response(combo_key, proof, combo_cipher=combo_cipher):
        raise AuthenticationError(
            "invalid server response to connection request (the server could not prove it knows the password)"
        )
    try:
        session_id = int(params["AUTH_SESSION_ID"])
        serial = int(params["AUTH_SERIAL_NUM"])
        version_no = int(params["AUTH_VERSION_NO"])
    except (KeyError, ValueError) as exc:
        raise AuthenticationError(f"the logon reply lacks a valid {exc}") from None
    return SessionInfo(
        session_id=session_id,
        serial_number=serial,
        version=version_tuple(version_no, field_version),
        service_name=params.get("AUTH_SC_SERVICE_NAME"),
        instance_name=params.get("AUTH_INSTANCENAME"),
        db_name=params.get("AUTH_SC_DBUNIQUE_NAME"),
        max_open_cursors=_int(params.get("AUTH_MAX_OPEN_CURSORS"), 0),
        max_identifier_length=_int(params.get("AUTH_MAX_IDEN_LENGTH"), 30),
        parameters=tuple((k, v) for k, v in params.items() if k != "AUTH_SVR_RESPONSE"),
    )


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def version_tuple(v: int, field_version: int) -> tuple[int, ...]:
    """AUTH_VERSION_NO as python-oracledb decodes it (docs/protocol-connect.md 9.8)."""
    if field_version >= FieldVersion.V18_1_EXT1:
        return ((v >> 24) & 0xFF, (v >> 16) & 0xFF, (v >> 12) & 0x0F, (v >> 4) & 0xFF, v & 0x0F)
    return ((v >> 24) & 0xFF, (v >> 20) & 0x0F, (v >> 12) & 0x0F, (v >> 8) & 0x0F, v & 0x0F)
