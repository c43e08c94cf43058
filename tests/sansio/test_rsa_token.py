"""RSA-SHA256 PKCS#1 v1.5 (stdlib) against the ``cryptography`` package, and the
token helpers (JWT expiry, IAM header).

Known-answer vectors: the key and the expected signatures are made by
``cryptography`` in the test itself (PKCS#1 v1.5 is deterministic), so our
bytes must equal theirs exactly.
"""

from __future__ import annotations

import base64
import json

import pytest

from oracle_sansio.crypto.rsa import RsaKeyError, load_private_key, load_public_key, sign, verify
from oracle_sansio.crypto.secret import Secret
from oracle_sansio.crypto.token import TokenError, http_date, iam_header, iam_signature, jwt_expiry

crypto = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402


@pytest.fixture(scope="module", params=[1024, 2048, 3072])
def key(request: pytest.FixtureRequest) -> object:
    return crypto.generate_private_key(public_exponent=65537, key_size=request.param)


def _pem(key: object, fmt: serialization.PrivateFormat) -> str:
    pem: bytes = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())  # type: ignore[attr-defined]
    return pem.decode()


@pytest.mark.parametrize("fmt", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL])
@pytest.mark.parametrize("message", [b"", b"date: Mon, 07 Dec 2026 17:30:00 GMT\n(request-target): svc\nhost: h:1522", bytes(range(256)) * 9])
def test_signature_equals_cryptography(key: object, fmt: serialization.PrivateFormat, message: bytes) -> None:
    ours = sign(load_private_key(_pem(key, fmt)), message)
    theirs = key.sign(message, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
    assert ours == theirs


@pytest.mark.parametrize("fmt", [serialization.PublicFormat.SubjectPublicKeyInfo, serialization.PublicFormat.PKCS1])
def test_verify_with_public_key(key: object, fmt: serialization.PublicFormat) -> None:
    pub_pem = key.public_key().public_bytes(serialization.Encoding.PEM, fmt)  # type: ignore[attr-defined]
    pub = load_public_key(pub_pem)
    sig = key.sign(b"hello", padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
    assert verify(pub, b"hello", sig)
    assert not verify(pub, b"hellp", sig)
    assert not verify(pub, b"hello", sig[:-1] + bytes([sig[-1] ^ 1]))
    assert not verify(pub, b"hello", sig[1:])


def test_private_key_from_secret_and_body_only(key: object) -> None:
    pem = _pem(key, serialization.PrivateFormat.PKCS8)
    body = "".join(pem.splitlines()[1:-1])
    assert load_private_key(Secret(pem)) == load_private_key(body)
    assert "d=" not in repr(load_private_key(pem))


@pytest.mark.parametrize("text", [
    "not a key", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----",
    "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----",
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIBAAKCAQ==\n-----END RSA PRIVATE KEY-----",
    "A" * 70000,
    "-----BEGIN PRIVATE KEY" + "-" * 10,
    "-----BEGIN PRIVATE KEY-----\nMAA=\n",
    "-----BEGIN X-----" * 3000,
])
def test_bad_keys_raise_typed_error(text: str) -> None:
    with pytest.raises(RsaKeyError):
        load_private_key(text)


def test_ec_key_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    pem = _pem(ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.PKCS8)
    with pytest.raises(RsaKeyError, match="not an RSA key"):
        load_private_key(pem)


def _jwt(payload: object) -> str:
    seg = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJub25lIn0.{seg}.sig"


def test_jwt_expiry() -> None:
    assert jwt_expiry(_jwt({"exp": 1800000000, "sub": "x"})) == 1800000000.0
    deep = base64.urlsafe_b64encode(b"[" * 40000).decode()
    huge = base64.urlsafe_b64encode(b'{"exp": 1' + b"0" * 400 + b"}").decode()
    for bad in [f"a.{deep}.c", f"a.{huge}.c", "abc", "a.!!!.c", _jwt({"sub": "x"}), _jwt({"exp": "soon"}), _jwt([1]), _jwt({"exp": True})]:
        with pytest.raises(TokenError):
            jwt_expiry(bad)


def test_iam_header_and_signature(key: object) -> None:
    # Provenance: python-oracledb thin messages/auth.pyx, format "%a, %d %b %Y %H:%M:%S GMT".
    assert http_date(1796667000) == "Mon, 07 Dec 2026 18:10:00 GMT"
    header = iam_header(1796667000, "FREEPDB1", "db.example.com", 1522)
    assert header == "date: Mon, 07 Dec 2026 18:10:00 GMT\n(request-target): FREEPDB1\nhost: db.example.com:1522"
    sig = base64.b64decode(iam_signature(load_private_key(_pem(key, serialization.PrivateFormat.PKCS8)), header))
    key.public_key().verify(sig, header.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]


def test_inconsistent_private_keys_raise_typed_error(key: object) -> None:
    """A tampered key (a CRT exponent changed) is refused, never signed with."""
    from oracle_sansio.crypto import rsa as ours
    good = load_private_key(_pem(key, serialization.PrivateFormat.PKCS8))
    for bad in (ours.RsaPrivateKey(good.n, good.e, good.d, good.p, good.q, good.dp + 2, good.dq, good.qinv),
                ours.RsaPrivateKey(good.n, good.e, good.d, good.p, good.q, good.dp, good.dq, good.qinv + 1)):
        with pytest.raises(RsaKeyError):
            sign(bad, b"x")
