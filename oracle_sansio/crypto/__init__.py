"""Cryptography for O5LOGON: pure-Python AES-CBC, the logon math in both roles, and ``Secret``.

Everything is deterministic: random keys and salts are arguments.
"""

from __future__ import annotations

from .aes import AES, BLOCK_SIZE, ZERO_IV, cbc_decrypt, cbc_encrypt, pad, padding_length, unpad
from .o5logon import (
    DEFAULT_SDER_COUNT,
    DEFAULT_VGEN_COUNT,
    MAX_PBKDF2_COUNT,
    MIN_PBKDF2_COUNT,
    VERIFIER_TYPE_10G,
    AuthAccepted,
    AuthRejected,
    AuthResult,
    ClientAuthResponse,
    IterationCountError,
    RejectReason,
    ServerChallenge,
    UnsupportedVerifierError,
    Verifier,
    VerifierType,
    client_auth_response,
    derive_password_key,
    make_verifier,
    server_challenge,
    server_check_response,
    verify_server_response,
)
from .secret import Secret

__all__ = [
    # aes
    "AES",
    "BLOCK_SIZE",
    "ZERO_IV",
    "cbc_decrypt",
    "cbc_encrypt",
    "pad",
    "padding_length",
    "unpad",
    # o5logon
    "DEFAULT_SDER_COUNT",
    "DEFAULT_VGEN_COUNT",
    "MAX_PBKDF2_COUNT",
    "MIN_PBKDF2_COUNT",
    "VERIFIER_TYPE_10G",
    "AuthAccepted",
    "AuthRejected",
    "AuthResult",
    "ClientAuthResponse",
    "IterationCountError",
    "RejectReason",
    "ServerChallenge",
    "UnsupportedVerifierError",
    "Verifier",
    "VerifierType",
    "client_auth_response",
    "derive_password_key",
    "make_verifier",
    "server_challenge",
    "server_check_response",
    "verify_server_response",
    # secret
    "Secret",
]
