"""RSA-SHA256 PKCS#1 v1.5 signatures with the standard library only.

OCI IAM token logons prove possession of the token's private key: the client
signs a small header (date, request target, host) and sends the signature in
base64 (python-oracledb thin ``AUTH_SIGNATURE``).  This module reads the key
from PEM (PKCS#1 ``RSA PRIVATE KEY`` or PKCS#8 ``PRIVATE KEY``, unencrypted),
signs with ``pow()`` (Chinese remainder form), and verifies with a public key
(``PUBLIC KEY`` or ``RSA PUBLIC KEY``) for the embedded server.

PKCS#1 v1.5 signing is deterministic, so signatures are compared byte for byte
with the ``cryptography`` package's in ``tests/sansio/test_rsa.py``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Final

from .secret import Secret

__all__ = ["RsaKeyError", "RsaPrivateKey", "RsaPublicKey", "load_private_key", "load_public_key", "sign", "verify"]

#: DER of DigestInfo's AlgorithmIdentifier + OCTET STRING header for SHA-256 (RFC 8017 9.2 note 1).
_SHA256_PREFIX: Final = bytes.fromhex("3031300d060960864801650304020105000420")
#: DER of the rsaEncryption OID 1.2.840.113549.1.1.1.
_RSA_OID: Final = bytes.fromhex("2a864886f70d010101")
#: Bounds: a PEM larger than this, or a modulus wider, is refused before any work.
_MAX_PEM: Final = 64 * 1024
_MAX_BITS: Final = 16384
#: Public exponents are small (65537); a huge one would make verifying cost seconds.
_MAX_E: Final = 1 << 64


class RsaKeyError(ValueError):
    """A key that is not an unencrypted RSA key in a supported form."""


@dataclass(frozen=True, slots=True)
class RsaPublicKey:
    """Modulus and public exponent."""

    n: int
    e: int

    @property
    def size(self) -> int:
        """Modulus length in bytes."""
        return (self.n.bit_length() + 7) // 8


@dataclass(frozen=True, slots=True)
class RsaPrivateKey:
    """The PKCS#1 private values; repr shows only the modulus size."""

    n: int
    e: int
    d: int = field(repr=False)
    p: int = field(repr=False)
    q: int = field(repr=False)
    dp: int = field(repr=False)
    dq: int = field(repr=False)
    qinv: int = field(repr=False)

    def __repr__(self) -> str:
        return f"RsaPrivateKey(bits={self.n.bit_length()})"

    @property
    def public(self) -> RsaPublicKey:
        """The matching public key."""
        return RsaPublicKey(self.n, self.e)


class _Der:
    """A bounded DER reader over one buffer."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def item(self, tag: int) -> _Der:
        """The next element, which must have ``tag``; returns a reader over its content."""
        data, pos = self.data, self.pos
        if pos + 2 > self.end or data[pos] != tag:
            raise RsaKeyError(f"expected DER tag 0x{tag:02x} at offset {pos}")
        length = data[pos + 1]
        pos += 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4 or pos + count > self.end:
                raise RsaKeyError(f"bad DER length at offset {pos}")
            length = int.from_bytes(data[pos:pos + count], "big")
            pos += count
        if pos + length > self.end:
            raise RsaKeyError(f"DER element at offset {pos} runs past its container")
        self.pos = pos + length
        return _Der(data, pos, pos + length)

    def integer(self) -> int:
        """The next INTEGER (non-negative in keys)."""
        body = self.item(0x02)
        if body.end - body.pos > _MAX_BITS // 8 + 1:
            raise RsaKeyError("an RSA key integer is larger than 16384 bits")
        return int.from_bytes(body.data[body.pos:body.end], "big", signed=True)

    def rest(self) -> bytes:
        """The remaining content bytes."""
        return self.data[self.pos:self.end]


def _pem_body(text: str | bytes) -> tuple[str, bytes]:
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    if len(text) > _MAX_PEM:
        raise RsaKeyError(f"the key text is longer than {_MAX_PEM} characters")
    # The first block only, found with str.find (linear: no backtracking over many headers).
    begin = text.find("-----BEGIN ")
    if begin < 0:
        # python-oracledb users sometimes pass the base64 body alone: take it as PKCS#8.
        label, body = "PRIVATE KEY", text
    else:
        label_end = text.find("-----", begin + 11)
        if label_end < 0:
            raise RsaKeyError("the PEM header line is not closed")
        label = text[begin + 11:label_end]
        end = text.find(f"-----END {label}-----", label_end + 5)
        if end < 0:
            raise RsaKeyError(f"the PEM block '{label}' has no END line")
        body = text[label_end + 5:end]
    if "Proc-Type" in body or label == "ENCRYPTED PRIVATE KEY":
        raise RsaKeyError("encrypted private keys are not supported (decrypt the key first)")
    try:
        return label, base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        raise RsaKeyError("the key's PEM body is not valid base64") from None


def _pkcs1_private(der: bytes) -> RsaPrivateKey:
    seq = _Der(der).item(0x30)
    if seq.integer() != 0:
        raise RsaKeyError("only two-prime RSA keys (version 0) are supported")
    n, e, d, p, q, dp, dq, qinv = (seq.integer() for _ in range(8))
    if (n.bit_length() > _MAX_BITS or not 1 < e < _MAX_E or min(p, q) <= 1 or p * q != n
            or not (0 < dp < p and 0 < dq < q and 0 < qinv < p and d > 0)):
        raise RsaKeyError("the RSA private key is inconsistent")
    return RsaPrivateKey(n, e, d, p, q, dp, dq, qinv)


def _check_rsa_algorithm(alg: _Der) -> None:
    oid = alg.item(0x06)
    if oid.rest() != _RSA_OID:
        raise RsaKeyError("the key is not an RSA key (rsaEncryption)")


def load_private_key(pem: Secret[str] | str | bytes) -> RsaPrivateKey:
    """Parse an unencrypted PKCS#1 or PKCS#8 RSA private key (PEM, or its base64 body).

    Raises:
        RsaKeyError: not such a key.
    """
    label, der = _pem_body(pem.expose() if isinstance(pem, Secret) else pem)
    if label == "RSA PRIVATE KEY":
        return _pkcs1_private(der)
    if label != "PRIVATE KEY":
        raise RsaKeyError(f"a PEM '{label}' block is not a private key")
    info = _Der(der).item(0x30)
    info.integer()  # version
    _check_rsa_algorithm(info.item(0x30))
    inner = info.item(0x04)
    return _pkcs1_private(inner.rest())


def load_public_key(pem: str | bytes) -> RsaPublicKey:
    """Parse an RSA public key: ``PUBLIC KEY`` (SubjectPublicKeyInfo) or ``RSA PUBLIC KEY``.

    Raises:
        RsaKeyError: not such a key.
    """
    label, der = _pem_body(pem)
    if label == "PUBLIC KEY":
        spki = _Der(der).item(0x30)
        _check_rsa_algorithm(spki.item(0x30))
        bits = spki.item(0x03).rest()
        if not bits or bits[0] != 0:
            raise RsaKeyError("the public key's BIT STRING has unused bits")
        der = bits[1:]
    elif label != "RSA PUBLIC KEY":
        raise RsaKeyError(f"a PEM '{label}' block is not a public key")
    seq = _Der(der).item(0x30)
    n, e = seq.integer(), seq.integer()
    if n <= 0 or n.bit_length() > _MAX_BITS or not 1 < e < _MAX_E:
        raise RsaKeyError("the RSA public key is inconsistent")
    return RsaPublicKey(n, e)


def _encoded_digest(message: bytes, size: int) -> int:
    """EMSA-PKCS1-v1_5 with SHA-256 (RFC 8017 9.2), as an integer."""
    t = _SHA256_PREFIX + hashlib.sha256(message).digest()
    if size < len(t) + 11:
        raise RsaKeyError("the RSA modulus is too short for a SHA-256 signature")
    return int.from_bytes(b"\x00\x01" + b"\xff" * (size - len(t) - 3) + b"\x00" + t, "big")


def sign(key: RsaPrivateKey, message: bytes) -> bytes:
    """RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 8.2.1); deterministic."""
    size = (key.n.bit_length() + 7) // 8
    m = _encoded_digest(message, size)
    # CRT: two half-size exponentiations instead of one full-size one (RFC 8017 5.1.2).
    s1 = pow(m, key.dp, key.p)
    s2 = pow(m, key.dq, key.q)
    h = (key.qinv * (s1 - s2)) % key.p
    s = s2 + h * key.q
    if pow(s, key.e, key.n) != m:
        # A faulty key (or a fault) must not leak a wrong CRT half: refuse it.
        raise RsaKeyError("the RSA private key is inconsistent")
    return s.to_bytes(size, "big")


def verify(key: RsaPublicKey, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the PKCS#1 v1.5 SHA-256 signature of ``message``."""
    size = key.size
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= key.n:
        return False
    expected = _encoded_digest(message, size).to_bytes(size, "big")
    return hmac.compare_digest(pow(s, key.e, key.n).to_bytes(size, "big"), expected)
