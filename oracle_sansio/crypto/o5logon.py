"""O5LOGON password authentication, both roles, as pure functions.

Theory of operation (facts per docs/protocol-connect.md 9.4-9.7, which were read
from python-oracledb ``messages/auth.pyx`` and checked live):

* The server stores a *verifier*: 12c keeps ``V = SHA512(password_key || S)``
  where ``password_key = PBKDF2-SHA512(P, S || "AUTH_PBKDF2_SPEEDY_KEY", vgen,
  64)``; 11g keeps ``H = SHA1(P || S)``.  Both sides derive the AES key ``K``
  from it (``V[:32]``, or ``H || 00000000``).
* Phase one: the server sends its random key ``A`` encrypted under ``K``
  (:func:`server_challenge`).  Phase two: the client proves it knows ``K`` by
  decrypting ``A``, sends its own random key ``B`` encrypted under ``K``, mixes
  ``A`` and ``B`` into the *combo key* and encrypts the password (and, for 12c,
  ``password_key`` as the "speedy key") with it (:func:`client_auth_response`).
  The server recomputes the combo key, checks the proof against its verifier
  and answers with ``SERVER_TO_CLIENT`` encrypted under the combo key
  (:func:`server_check_response`), which the client checks
  (:func:`verify_server_response`).

Nothing here draws random bytes: keys and salts come in as arguments, so the
module stays deterministic and testable against fixed vectors.

Error policy.  Values read from the wire that are malformed (not hex, wrong
length, missing, counts that are not decimal) raise :class:`DecodeError`
naming the field; PBKDF2 counts outside 1..100000 raise
:class:`IterationCountError` so a hostile server cannot make a client spin;
an unknown verifier type raises :class:`UnsupportedVerifierError`.  Our own
caller's mistakes (wrong random-input sizes, bad verifier text) raise
:class:`EncodeError`.  On the server, a well-formed phase two that proves the
wrong password is *not* an exception: :func:`server_check_response` returns
:class:`AuthRejected`, and the connection machine answers ORA-01017.
No message ever carries a password, key or AUTH_* value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from enum import Enum, IntEnum, unique
from typing import Final, TypeAlias

from ..errors import DecodeError, EncodeError, RemoteProtocolError
from .aes import AES, BLOCK_SIZE, pad, padding_length
from .secret import Secret

__all__ = [
    "VerifierType",
    "VERIFIER_TYPE_10G",
    "MIN_PBKDF2_COUNT",
    "MAX_PBKDF2_COUNT",
    "DEFAULT_VGEN_COUNT",
    "DEFAULT_SDER_COUNT",
    "UnsupportedVerifierError",
    "IterationCountError",
    "derive_password_key",
    "ClientAuthResponse",
    "client_auth_response",
    "verify_server_response",
    "Verifier",
    "make_verifier",
    "ServerChallenge",
    "server_challenge",
    "RejectReason",
    "AuthAccepted",
    "AuthRejected",
    "AuthResult",
    "server_check_response",
    "server_decrypt_password",
    "encrypt_password",
    "verifier_matches",
]


@unique
class VerifierType(IntEnum):
    """Password verifier kinds, as sent in the flags of AUTH_VFR_DATA."""

    #: PBKDF2-SHA512 ("T:" verifier); the only kind 12c+ servers create by default.
    TYPE_12C = 0x4815
    #: SHA-1 ("S:" verifier).
    TYPE_11G_1 = 0xB152
    #: SHA-1 ("S:" verifier); the value a real 11gR2 server sends.
    TYPE_11G_2 = 0x1B25


#: DES-based 10g verifier; python-oracledb refuses it (DPY-3015) and so do we.
VERIFIER_TYPE_10G: Final = 0x0939

#: Bounds on PBKDF2 counts read from the wire (node-oracledb's rule).
MIN_PBKDF2_COUNT: Final = 1
MAX_PBKDF2_COUNT: Final = 100_000
DEFAULT_VGEN_COUNT: Final = 4096
DEFAULT_SDER_COUNT: Final = 3

_SPEEDY_SUFFIX: Final = b"AUTH_PBKDF2_SPEEDY_KEY"
_SERVER_PROOF: Final = b"SERVER_TO_CLIENT"
_SALT_LEN: Final = {VerifierType.TYPE_12C: 16, VerifierType.TYPE_11G_1: 10, VerifierType.TYPE_11G_2: 10}
_DIGEST_LEN: Final = {VerifierType.TYPE_12C: 64, VerifierType.TYPE_11G_1: 20, VerifierType.TYPE_11G_2: 20}
_SERVER_KEY_LEN: Final = {VerifierType.TYPE_12C: 32, VerifierType.TYPE_11G_1: 48, VerifierType.TYPE_11G_2: 48}
_PASSWORD_KEY_LEN: Final = 64
_RANDOM_SALT_LEN: Final = 16
_CSK_SALT_LEN: Final = 16
_SPEEDY_LEN: Final = 80
# A key A of this length selects the 11g MD5 combo rule (python-oracledb decides
# by length, not by verifier type).
_MD5_RULE_KEY_LEN: Final = 48
# Oracle passwords are at most 1024 bytes; salt and padding add two blocks.
# The bound keeps a hostile client from making the server decrypt megabytes.
_MAX_PASSWORD_CIPHERTEXT: Final = 2048
_HEX_RE: Final = re.compile(r"[0-9A-Fa-f]*")


class UnsupportedVerifierError(RemoteProtocolError):
    """The server asked for a password verifier kind we do not implement."""

    def __init__(self, verifier_type: int) -> None:
        super().__init__(f"password verifier type {verifier_type:#x} is not supported")
        self.verifier_type = verifier_type


class IterationCountError(RemoteProtocolError):
    """A PBKDF2 iteration count from the wire is outside 1..100000."""

    def __init__(self, what: str, value: int | str) -> None:
        shown = value if isinstance(value, int) or len(value) <= 20 else value[:20] + "..."
        super().__init__(f"{what} {shown} is outside {MIN_PBKDF2_COUNT}..{MAX_PBKDF2_COUNT}")
        self.what = what
        self.value = value


# --------------------------------------------------------------------------
# Shared helpers


def _unhex(text: str | None, what: str, *, max_bytes: int = 256) -> bytes:
    if text is None:
        raise DecodeError(f"{what} is missing")
    if not isinstance(text, str) or len(text) % 2 or _HEX_RE.fullmatch(text) is None:
        raise DecodeError(f"{what} is not valid hex")
    if len(text) > 2 * max_bytes:
        raise DecodeError(f"{what} is {len(text) // 2} bytes, more than {max_bytes}")
    return bytes.fromhex(text)


def _wire_count(value: str | int | None, what: str) -> int:
    if value is None:
        raise DecodeError(f"{what} is missing")
    if isinstance(value, str):
        # isdigit() alone admits non-ASCII digits; int() would accept "+5", " 5".
        if not (value.isascii() and value.isdigit()):
            raise DecodeError(f"{what} is not a decimal number")
        if len(value.lstrip("0")) > 9:
            # Far above the bound; skip int() on what may be a huge string.
            raise IterationCountError(what, value)
        value = int(value)
    if not MIN_PBKDF2_COUNT <= value <= MAX_PBKDF2_COUNT:
        raise IterationCountError(what, value)
    return value


def _local_count(value: int, what: str) -> int:
    if not MIN_PBKDF2_COUNT <= value <= MAX_PBKDF2_COUNT:
        raise EncodeError(f"{what} {value} is outside {MIN_PBKDF2_COUNT}..{MAX_PBKDF2_COUNT}")
    return value


def _require_len(value: bytes, length: int, what: str) -> None:
    if len(value) != length:
        raise EncodeError(f"{what} must be {length} bytes, not {len(value)}")


def _password_bytes(password: Secret[str] | Secret[bytes]) -> bytes:
    value = password.expose()
    return value.encode("utf-8") if isinstance(value, str) else value


def _pbkdf2_password_key(password: bytes, salt: bytes, count: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", password, salt + _SPEEDY_SUFFIX, count, _PASSWORD_KEY_LEN)


def _key_len(verifier_type: VerifierType) -> int:
    # AES-256 for 12c, AES-192 for 11g: the width of K and of the combo key.
    return 32 if verifier_type is VerifierType.TYPE_12C else 24


def _combo_key(
    server_key: bytes,
    client_key: bytes,
    key_len: int,
    csk_salt: bytes | None,
    sder_count: int | None,
) -> bytes:
    if len(server_key) == _MD5_RULE_KEY_LEN:
        x = (
            int.from_bytes(server_key[16:40], "big") ^ int.from_bytes(client_key[16:40], "big")
        ).to_bytes(24, "big")
        return (hashlib.md5(x[:16]).digest() + hashlib.md5(x[16:]).digest())[:key_len]
    if csk_salt is None or sder_count is None:
        raise DecodeError("AUTH_PBKDF2_CSK_SALT and AUTH_PBKDF2_SDER_COUNT are required")
    # The PBKDF2 "password" is the upper-case hex text of B || A, client key first.
    text = (client_key[:key_len] + server_key[:key_len]).hex().upper().encode("ascii")
    return hashlib.pbkdf2_hmac("sha512", text, csk_salt, sder_count, key_len)


def _verifier_type(value: int) -> VerifierType:
    try:
        return VerifierType(value)
    except ValueError:
        raise UnsupportedVerifierError(value) from None


# --------------------------------------------------------------------------
# Client side


def derive_password_key(
    password: Secret[str] | Secret[bytes], *, vfr_data: bytes, vgen_count: str | int
) -> Secret[bytes]:
    """Derive the 12c password key: PBKDF2-SHA512(P, vfr_data || "AUTH_PBKDF2_SPEEDY_KEY", count, 64).

    This is the expensive step of a 12c logon; a driver may cache the result
    keyed by (vfr_data, vgen_count) and pass it to :func:`client_auth_response`.

    Raises:
        DecodeError: ``vgen_count`` is a string that is not a decimal number.
        IterationCountError: ``vgen_count`` (which comes from the server) is outside 1..100000.
    """
    count = _wire_count(vgen_count, "AUTH_PBKDF2_VGEN_COUNT")
    return Secret(_pbkdf2_password_key(_password_bytes(password), vfr_data, count))


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientAuthResponse:
    """The client's phase-two AUTH_* values plus the keys it keeps afterwards.

    The hex fields are hidden from repr too: with the phase-one values they
    allow an offline attack on the password.
    """

    verifier_type: VerifierType
    #: AUTH_SESSKEY (flags 1): the client key B under K, upper-case hex.
    sesskey_hex: str = field(repr=False)
    #: AUTH_PBKDF2_SPEEDY_KEY (12c only), 160 hex chars.
    speedy_key_hex: str | None = field(repr=False)
    #: AUTH_PASSWORD: salt || password under the combo key.
    password_hex: str = field(repr=False)
    #: AUTH_NEWPASSWORD when a password change was requested, else None.
    new_password_hex: str | None = field(default=None, repr=False)
    #: Needed for :func:`verify_server_response` (and later change-password calls).
    combo_key: Secret[bytes] = field(repr=False)
    #: The 12c password key (cacheable; see :func:`derive_password_key`), None for 11g.
    password_key: Secret[bytes] | None = field(default=None, repr=False)
    #: The AES key K that ``password_key`` gives with this AUTH_VFR_DATA, expanded
    #: (12c; cache it with the key, for the same salt only), None for 11g.
    password_key_cipher: AES | None = field(default=None, repr=False)
    #: ``combo_key`` expanded, for :func:`verify_server_response`.
    combo_cipher: AES | None = field(default=None, repr=False)


def client_auth_response(
    *,
    password: Secret[str] | Secret[bytes],
    verifier_type: int,
    sesskey_hex: str | None,
    vfr_data_hex: str | None,
    csk_salt_hex: str | None = None,
    vgen_count: str | int | None = None,
    sder_count: str | int | None = None,
    client_key: bytes,
    password_salt: bytes,
    speedy_salt: bytes | None = None,
    password_key: Secret[bytes] | None = None,
    password_key_cipher: AES | None = None,
    new_password: Secret[str] | Secret[bytes] | None = None,
) -> ClientAuthResponse:
    """Compute the client's phase-two values from the server's phase-one reply.

    Wire inputs are passed as received: ``verifier_type`` is the flags of
    AUTH_VFR_DATA, the counts are the decimal strings (ints are accepted).
    Random inputs: ``client_key`` must hold at least as many bytes as the
    server key (32 for 12c, 48 for 11g; passing 48 always works, only the
    prefix is used), ``password_salt`` and (12c) ``speedy_salt`` 16 bytes each.
    ``password_key`` skips the PBKDF2 over the password when the caller has it
    cached for this AUTH_VFR_DATA and count; it is not checked against them.
    ``password_key_cipher`` (with ``password_key`` only) is the
    ``password_key_cipher`` of an earlier response for the same key and
    AUTH_VFR_DATA: it skips expanding K again.

    Raises:
        UnsupportedVerifierError: the verifier type is 10g or unknown.
        DecodeError: a wire value is missing, not hex, or of the wrong length.
        IterationCountError: a PBKDF2 count is outside 1..100000.
        EncodeError: a random input or ``password_key`` has the wrong size.
    """
    vtype = _verifier_type(verifier_type)
    is_12c = vtype is VerifierType.TYPE_12C
    _require_len(password_salt, _RANDOM_SALT_LEN, "password_salt")
    if is_12c:
        if speedy_salt is None:
            raise EncodeError("speedy_salt is required for a 12c verifier")
        _require_len(speedy_salt, _RANDOM_SALT_LEN, "speedy_salt")
    if password_key is not None:
        _require_len(password_key.expose(), _PASSWORD_KEY_LEN, "password_key")
    if password_key_cipher is not None and password_key_cipher.key_size != 32:
        raise EncodeError(f"password_key_cipher must be AES-256, not AES-{password_key_cipher.key_size * 8}")

    salt = _unhex(vfr_data_hex, "AUTH_VFR_DATA")
    if len(salt) != _SALT_LEN[vtype]:
        raise DecodeError(f"AUTH_VFR_DATA is {len(salt)} bytes, expected {_SALT_LEN[vtype]}")
    encrypted_a = _unhex(sesskey_hex, "AUTH_SESSKEY")
    if len(encrypted_a) not in (32, 48):
        raise DecodeError(f"AUTH_SESSKEY is {len(encrypted_a)} bytes, expected 32 or 48")
    if len(client_key) < len(encrypted_a):
        raise EncodeError(f"client_key must be at least {len(encrypted_a)} bytes, not {len(client_key)}")
    csk_salt: bytes | None = None
    sder: int | None = None
    if len(encrypted_a) != _MD5_RULE_KEY_LEN:
        csk_salt = _unhex(csk_salt_hex, "AUTH_PBKDF2_CSK_SALT")
        if len(csk_salt) != _CSK_SALT_LEN:
            raise DecodeError(f"AUTH_PBKDF2_CSK_SALT is {len(csk_salt)} bytes, expected 16")
        sder = _wire_count(sder_count, "AUTH_PBKDF2_SDER_COUNT")

    p = _password_bytes(password)
    pkey: bytes | None = None
    if is_12c:
        if password_key is not None:
            pkey = password_key.expose()
        else:
            pkey = _pbkdf2_password_key(p, salt, _wire_count(vgen_count, "AUTH_PBKDF2_VGEN_COUNT"))
        if password_key is not None and password_key_cipher is not None:
            k_cipher = password_key_cipher
        else:
            k_cipher = AES(hashlib.sha512(pkey + salt).digest()[:32])
    else:
        k_cipher = AES(hashlib.sha1(p + salt).digest() + bytes(4))

    a = k_cipher.decrypt_cbc(encrypted_a)
    b = client_key[: len(a)]
    # Only the first len(A) bytes of the padded B's ciphertext are sent; B is
    # whole blocks, so they are the ciphertext of B alone (CBC: no block depends
    # on a later one) and the padding block is never encrypted.
    client_sesskey = k_cipher.encrypt_cbc(b)
    combo = _combo_key(a, b, _key_len(vtype), csk_salt, sder)
    combo_cipher = AES(combo)

    speedy_hex: str | None = None
    if is_12c and pkey is not None and speedy_salt is not None:
        # Likewise the 80 bytes sent of the padded salt and key (16 + 64 bytes).
        speedy = combo_cipher.encrypt_cbc(speedy_salt + pkey)
        speedy_hex = speedy.hex().upper()
    password_hex = combo_cipher.encrypt_cbc(pad(password_salt + p)).hex().upper()
    new_password_hex: str | None = None
    if new_password is not None:
        # Same salt as AUTH_PASSWORD, per python-oracledb.
        new_plain = pad(password_salt + _password_bytes(new_password))
        new_password_hex = combo_cipher.encrypt_cbc(new_plain).hex().upper()

    return ClientAuthResponse(
        verifier_type=vtype,
        sesskey_hex=client_sesskey.hex().upper(),
        speedy_key_hex=speedy_hex,
        password_hex=password_hex,
        new_password_hex=new_password_hex,
        combo_key=Secret(combo),
        # The caller's own object when it passed one: a cache can tell it was used.
        password_key=password_key if is_12c and password_key is not None else (None if pkey is None else Secret(pkey)),
        password_key_cipher=k_cipher if is_12c else None,
        combo_cipher=combo_cipher,
    )


def verify_server_response(
    combo_key: Secret[bytes], svr_response_hex: str | None, *, combo_cipher: AES | None = None
) -> bool:
    """Check AUTH_SVR_RESPONSE: bytes 16..32 of its decryption must read SERVER_TO_CLIENT.

    ``combo_cipher``: ``combo_key`` already expanded (:attr:`ClientAuthResponse.combo_cipher`).

    A missing value (None) is simply False; the driver reports DPY-4035 either way.

    Raises:
        DecodeError: the value is not hex, or shorter than two blocks / not block-aligned.
    """
    if svr_response_hex is None:
        return False
    data = _unhex(svr_response_hex, "AUTH_SVR_RESPONSE")
    if len(data) < 2 * BLOCK_SIZE or len(data) % BLOCK_SIZE:
        raise DecodeError(f"AUTH_SVR_RESPONSE is {len(data)} bytes, not two or more AES blocks")
    # Bytes 16..32 are the second block, D(C2) XOR C1; they read SERVER_TO_CLIENT
    # exactly when E(SERVER_TO_CLIENT XOR C1) is C2 (AES is a permutation).  One
    # encryption checks that, and the combo key never needs its decryption schedule.
    cipher = AES(combo_key.expose()) if combo_cipher is None else combo_cipher
    expected = cipher.encrypt_cbc(_SERVER_PROOF, data[:BLOCK_SIZE])
    return hmac.compare_digest(expected, data[BLOCK_SIZE : 2 * BLOCK_SIZE])


# --------------------------------------------------------------------------
# Server side


@dataclass(frozen=True, slots=True, kw_only=True)
class Verifier:
    """What a server stores for a password: verifier kind, salt and digest.

    ``digest`` is V = SHA512(password_key || S) (64 bytes) for 12c and
    H = SHA1(P || S) (20 bytes) for 11g; both are password-equivalent for
    O5LOGON, hence Secret.  ``vgen_count`` only matters for 12c.

    Raises:
        EncodeError: salt or digest has the wrong length, or the count is outside 1..100000.
    """

    verifier_type: VerifierType
    salt: bytes
    digest: Secret[bytes] = field(repr=False)
    vgen_count: int = DEFAULT_VGEN_COUNT

    def __post_init__(self) -> None:
        if not isinstance(self.verifier_type, VerifierType):
            raise EncodeError(f"verifier type {self.verifier_type!r} is not a VerifierType")
        _require_len(self.salt, _SALT_LEN[self.verifier_type], "verifier salt")
        _require_len(self.digest.expose(), _DIGEST_LEN[self.verifier_type], "verifier digest")
        _local_count(self.vgen_count, "vgen_count")

    def aes_key(self) -> Secret[bytes]:
        """The AES key K both sides derive: V[:32] (12c) or H || 00000000 (11g)."""
        digest = self.digest.expose()
        if self.verifier_type is VerifierType.TYPE_12C:
            return Secret(digest[:32])
        return Secret(digest + bytes(4))

    def to_text(self) -> str:
        """Oracle's text form: ``T:`` + hex(V) + hex(S), or ``S:`` + hex(H) + hex(S)."""
        tag = "T:" if self.verifier_type is VerifierType.TYPE_12C else "S:"
        return tag + (self.digest.expose() + self.salt).hex().upper()

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        vgen_count: int = DEFAULT_VGEN_COUNT,
        type_11g: VerifierType = VerifierType.TYPE_11G_1,
    ) -> Verifier:
        """Parse a ``T:`` or ``S:`` verifier; ``type_11g`` picks the flag an ``S:`` one announces.

        Raises:
            EncodeError: the text is not a well-formed verifier (the text itself is not echoed).
        """
        if type_11g is VerifierType.TYPE_12C:
            raise EncodeError("type_11g must be an 11g verifier type")
        tag, _, body = text.partition(":")
        if tag == "T":
            vtype = VerifierType.TYPE_12C
        elif tag == "S":
            vtype = type_11g
        else:
            raise EncodeError("verifier text does not start with T: or S:")
        digest_len = _DIGEST_LEN[vtype]
        expected = 2 * (digest_len + _SALT_LEN[vtype])
        if len(body) != expected or _HEX_RE.fullmatch(body) is None:
            raise EncodeError(f"verifier text after {tag}: is not {expected} hex digits")
        raw = bytes.fromhex(body)
        return cls(
            verifier_type=vtype,
            salt=raw[digest_len:],
            digest=Secret(raw[:digest_len]),
            vgen_count=vgen_count,
        )


def make_verifier(
    password: Secret[str] | Secret[bytes],
    *,
    salt: bytes,
    verifier_type: VerifierType | int = VerifierType.TYPE_12C,
    vgen_count: int = DEFAULT_VGEN_COUNT,
) -> Verifier:
    """Make the verifier a server stores: 16-byte salt for 12c, 10-byte salt for 11g.

    Raises:
        EncodeError: unknown verifier type, wrong salt length or a count outside 1..100000.
    """
    try:
        verifier_type = VerifierType(verifier_type)
    except ValueError:
        raise EncodeError(f"verifier type 0x{verifier_type:X} is not supported") from None
    p = _password_bytes(password)
    _require_len(salt, _SALT_LEN[verifier_type], "verifier salt")
    if verifier_type is VerifierType.TYPE_12C:
        pkey = _pbkdf2_password_key(p, salt, _local_count(vgen_count, "vgen_count"))
        digest = hashlib.sha512(pkey + salt).digest()
    else:
        digest = hashlib.sha1(p + salt).digest()
    return Verifier(verifier_type=verifier_type, salt=salt, digest=Secret(digest), vgen_count=vgen_count)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerChallenge:
    """The server's phase-one AUTH_* values plus the state phase two needs.

    Send AUTH_SESSKEY, AUTH_VFR_DATA (flags = ``verifier_type``) and, when not
    None, AUTH_PBKDF2_CSK_SALT / AUTH_PBKDF2_VGEN_COUNT / AUTH_PBKDF2_SDER_COUNT.
    """

    verifier_type: VerifierType
    vfr_data_hex: str
    #: AUTH_SESSKEY; hidden because, with the salt, it allows an offline attack.
    sesskey_hex: str = field(repr=False)
    csk_salt_hex: str | None
    vgen_count: int | None
    sder_count: int | None
    verifier: Verifier = field(repr=False)
    server_key: Secret[bytes] = field(repr=False)


def server_challenge(
    verifier: Verifier,
    *,
    server_key: bytes,
    csk_salt: bytes | None = None,
    sder_count: int = DEFAULT_SDER_COUNT,
) -> ServerChallenge:
    """Build the phase-one challenge: A under K, without padding (as real servers send).

    ``server_key`` is A (32 random bytes for 12c, 48 for 11g); ``csk_salt``
    (16 random bytes) is required for 12c and ignored for 11g.

    Raises:
        EncodeError: a random input has the wrong size or ``sder_count`` is outside 1..100000.
    """
    vtype = verifier.verifier_type
    _require_len(server_key, _SERVER_KEY_LEN[vtype], "server_key")
    sesskey = AES(verifier.aes_key().expose()).encrypt_cbc(server_key).hex().upper()
    csk_hex: str | None = None
    vgen: int | None = None
    sder: int | None = None
    if vtype is VerifierType.TYPE_12C:
        if csk_salt is None:
            raise EncodeError("csk_salt is required for a 12c verifier")
        _require_len(csk_salt, _CSK_SALT_LEN, "csk_salt")
        csk_hex = csk_salt.hex().upper()
        vgen = verifier.vgen_count
        sder = _local_count(sder_count, "sder_count")
    return ServerChallenge(
        verifier_type=vtype,
        vfr_data_hex=verifier.salt.hex().upper(),
        sesskey_hex=sesskey,
        csk_salt_hex=csk_hex,
        vgen_count=vgen,
        sder_count=sder,
        verifier=verifier,
        server_key=Secret(server_key),
    )


@unique
class RejectReason(Enum):
    """Why a well-formed phase two failed (for server logs; the client only sees ORA-01017)."""

    #: AUTH_PASSWORD did not decrypt to valid padding: wrong password or wrong combo key.
    BAD_PASSWORD_PADDING = "bad_password_padding"
    #: The decrypted proof does not match the stored verifier: wrong password.
    VERIFIER_MISMATCH = "verifier_mismatch"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthAccepted:
    """Phase two proved the password; send AUTH_SVR_RESPONSE with the session facts."""

    svr_response_hex: str
    combo_key: Secret[bytes] = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthRejected:
    """Phase two did not prove the password; answer ORA-01017."""

    reason: RejectReason


AuthResult: TypeAlias = AuthAccepted | AuthRejected


def server_check_response(
    challenge: ServerChallenge,
    *,
    sesskey_hex: str | None,
    password_hex: str | None,
    speedy_key_hex: str | None = None,
    response_salt: bytes,
) -> AuthResult:
    """Check the client's phase-two values against the verifier; never needs the plaintext.

    12c: AES-dec(combo, speedy key)[16:80] must hash with S to V, and
    AUTH_PASSWORD must decrypt to valid padding.  11g: AUTH_PASSWORD, minus its
    16-byte salt and padding, must hash with S to H.  ``response_salt`` is R3
    (16 random bytes) for AUTH_SVR_RESPONSE.  The client's AUTH_SESSKEY may be
    len(A) bytes (python-oracledb, OCI) or one padded block longer (go-ora).

    Raises:
        DecodeError: a value is missing, not hex, or of an impossible length
            (the peer is broken; a wrong password is an :class:`AuthRejected`).
        EncodeError: ``response_salt`` is not 16 bytes.
    """
    _require_len(response_salt, _RANDOM_SALT_LEN, "response_salt")
    verifier = challenge.verifier
    vtype = verifier.verifier_type
    is_12c = vtype is VerifierType.TYPE_12C
    a = challenge.server_key.expose()

    encrypted_b = _unhex(sesskey_hex, "AUTH_SESSKEY")
    if len(encrypted_b) not in (len(a), len(a) + BLOCK_SIZE):
        raise DecodeError(f"AUTH_SESSKEY is {len(encrypted_b)} bytes, expected {len(a)}")
    encrypted_pw = _unhex(password_hex, "AUTH_PASSWORD", max_bytes=_MAX_PASSWORD_CIPHERTEXT)
    if len(encrypted_pw) < 2 * BLOCK_SIZE or len(encrypted_pw) % BLOCK_SIZE:
        raise DecodeError(
            f"AUTH_PASSWORD is {len(encrypted_pw)} bytes, not two or more AES blocks"
        )
    encrypted_speedy = b""
    if is_12c:
        encrypted_speedy = _unhex(speedy_key_hex, "AUTH_PBKDF2_SPEEDY_KEY")
        if len(encrypted_speedy) not in (_SPEEDY_LEN, _SPEEDY_LEN + BLOCK_SIZE):
            raise DecodeError(
                f"AUTH_PBKDF2_SPEEDY_KEY is {len(encrypted_speedy)} bytes, expected 80"
            )

    b = AES(verifier.aes_key().expose()).decrypt_cbc(encrypted_b)[: len(a)]
    csk_salt = None if challenge.csk_salt_hex is None else bytes.fromhex(challenge.csk_salt_hex)
    combo = _combo_key(a, b, _key_len(vtype), csk_salt, challenge.sder_count)
    combo_cipher = AES(combo)

    plain = combo_cipher.decrypt_cbc(encrypted_pw)
    pad_len = padding_length(plain)
    if pad_len is None:
        return AuthRejected(reason=RejectReason.BAD_PASSWORD_PADDING)
    if is_12c:
        pkey = combo_cipher.decrypt_cbc(encrypted_speedy)[16:_SPEEDY_LEN]
        proof = hashlib.sha512(pkey + verifier.salt).digest()
    else:
        candidate = plain[BLOCK_SIZE : len(plain) - pad_len]
        proof = hashlib.sha1(candidate + verifier.salt).digest()
    if not hmac.compare_digest(proof, verifier.digest.expose()):
        return AuthRejected(reason=RejectReason.VERIFIER_MISMATCH)

    response = combo_cipher.encrypt_cbc(pad(response_salt + _SERVER_PROOF))
    return AuthAccepted(svr_response_hex=response.hex().upper(), combo_key=Secret(combo))


def server_decrypt_password(combo_key: Secret[bytes], password_hex: str | None, what: str) -> Secret[bytes] | None:
    """A password a logged-on client sent under the session's combo key
    (AUTH_PASSWORD / AUTH_NEWPASSWORD: 16 random bytes, the password, padding).

    Returns None when the padding is invalid (the client used another key).

    Raises:
        DecodeError: the value is missing, not hex, or not whole AES blocks.
    """
    encrypted = _unhex(password_hex, what, max_bytes=_MAX_PASSWORD_CIPHERTEXT)
    if len(encrypted) < 2 * BLOCK_SIZE or len(encrypted) % BLOCK_SIZE:
        raise DecodeError(f"{what} is {len(encrypted)} bytes, not two or more AES blocks")
    plain = AES(combo_key.expose()).decrypt_cbc(encrypted)
    pad_len = padding_length(plain)
    if pad_len is None or len(plain) - pad_len < BLOCK_SIZE:
        return None
    return Secret(plain[BLOCK_SIZE : len(plain) - pad_len])


def verifier_matches(verifier: Verifier, password: Secret[bytes]) -> bool:
    """True when ``password`` is the one ``verifier`` was made from (constant-time compare)."""
    candidate = make_verifier(
        password, salt=verifier.salt, verifier_type=verifier.verifier_type, vgen_count=verifier.vgen_count
    )
    return hmac.compare_digest(candidate.digest.expose(), verifier.digest.expose())


def encrypt_password(combo_key: Secret[bytes], salt: bytes, password: Secret[str] | Secret[bytes]) -> str:
    """AUTH_PASSWORD / AUTH_NEWPASSWORD for a logged-on session: ``salt`` (16
    random bytes) and the password, padded, under the combo key, as hex."""
    _require_len(salt, _RANDOM_SALT_LEN, "password salt")
    plain = pad(salt + _password_bytes(password))
    return AES(combo_key.expose()).encrypt_cbc(plain).hex().upper()
