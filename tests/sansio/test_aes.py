"""Tests for oracle_sansio.crypto.aes: published vectors, padding, error policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.crypto.aes import (
    AES,
    BLOCK_SIZE,
    ZERO_IV,
    cbc_decrypt,
    cbc_encrypt,
    pad,
    padding_length,
    unpad,
)
from oracle_sansio.errors import DecodeError, EncodeError
from oracle_sansio.crypto import aes as _aes_module
from tests.compiled import pure_only

# --------------------------------------------------------------------------
# FIPS-197 (2001) Appendix C, "Example Vectors": plaintext 00112233..ff under
# the key 000102..(n-1) for n = 16, 24, 32.
FIPS197_PLAINTEXT = bytes.fromhex("00112233445566778899aabbccddeeff")
FIPS197_C = [
    pytest.param(16, "69c4e0d86a7b0430d8cdb78070b4c55a", id="C.1-AES-128"),
    pytest.param(24, "dda97ca4864cdfe06eaf70a0ec0d7191", id="C.2-AES-192"),
    pytest.param(32, "8ea2b7ca516745bfeafc49904b496089", id="C.3-AES-256"),
]


@pytest.mark.parametrize(("key_len", "expected"), FIPS197_C)
def test_fips197_appendix_c(key_len: int, expected: str) -> None:
    cipher = AES(bytes(range(key_len)))
    ciphertext = cipher.encrypt_block(FIPS197_PLAINTEXT)
    assert ciphertext.hex() == expected
    assert cipher.decrypt_block(ciphertext) == FIPS197_PLAINTEXT


# FIPS-197 Appendix A.1-A.3 key expansion examples: the last four words of the
# expanded key (w[40..43], w[48..51], w[56..59]).
FIPS197_A = [
    pytest.param(
        "2b7e151628aed2a6abf7158809cf4f3c",
        ["d014f9a8", "c9ee2589", "e13f0cc8", "b6630ca6"],
        id="A.1-AES-128",
    ),
    pytest.param(
        "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        ["e98ba06f", "448c773c", "8ecc7204", "01002202"],
        id="A.2-AES-192",
    ),
    pytest.param(
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        ["fe4890d1", "e6188d0b", "046df344", "706c631e"],
        id="A.3-AES-256",
    ),
]


@pytest.mark.parametrize(("key", "last_words"), FIPS197_A)
def test_fips197_appendix_a_key_expansion(key: str, last_words: list[str]) -> None:
    cipher = AES(bytes.fromhex(key))
    assert [f"{w:08x}" for w in cipher._ek_last] == last_words


# --------------------------------------------------------------------------
# NIST SP 800-38A (2001) Appendix F.2, CBC examples: F.2.1/F.2.2 (AES-128),
# F.2.3/F.2.4 (AES-192), F.2.5/F.2.6 (AES-256).  All share the IV and the
# four plaintext blocks; odd sections encrypt, even sections decrypt.
SP800_38A_IV = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
SP800_38A_PLAINTEXT = bytes.fromhex(
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710"
)
SP800_38A_CBC = [
    pytest.param(
        "2b7e151628aed2a6abf7158809cf4f3c",
        "7649abac8119b246cee98e9b12e9197d"
        "5086cb9b507219ee95db113a917678b2"
        "73bed6b8e3c1743b7116e69e22229516"
        "3ff1caa1681fac09120eca307586e1a7",
        id="F.2.1-F.2.2-AES-128",
    ),
    pytest.param(
        "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        "4f021db243bc633d7178183a9fa071e8"
        "b4d9ada9ad7dedf4e5e738763f69145a"
        "571b242012fb7ae07fa9baac3df102e0"
        "08b0e27988598881d920a9e64f5615cd",
        id="F.2.3-F.2.4-AES-192",
    ),
    pytest.param(
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
        "9cfc4e967edb808d679f777bc6702c7d"
        "39f23369a9d9bacfa530e26304231461"
        "b2eb05e2c39be9fcda6c19078c6a9d1b",
        id="F.2.5-F.2.6-AES-256",
    ),
]


@pytest.mark.parametrize(("key", "ciphertext"), SP800_38A_CBC)
def test_sp800_38a_cbc_encrypt(key: str, ciphertext: str) -> None:
    out = cbc_encrypt(bytes.fromhex(key), SP800_38A_PLAINTEXT, iv=SP800_38A_IV)
    assert out.hex() == ciphertext


@pytest.mark.parametrize(("key", "ciphertext"), SP800_38A_CBC)
def test_sp800_38a_cbc_decrypt(key: str, ciphertext: str) -> None:
    out = cbc_decrypt(bytes.fromhex(key), bytes.fromhex(ciphertext), iv=SP800_38A_IV)
    assert out == SP800_38A_PLAINTEXT


@pytest.mark.parametrize(("key", "ciphertext"), SP800_38A_CBC)
def test_sp800_38a_blocks_are_independent_of_split(key: str, ciphertext: str) -> None:
    # Chaining across calls: block i+1 encrypted with ciphertext block i as IV.
    cipher = AES(bytes.fromhex(key))
    iv = SP800_38A_IV
    pieces = []
    for off in range(0, len(SP800_38A_PLAINTEXT), BLOCK_SIZE):
        iv = cipher.encrypt_cbc(SP800_38A_PLAINTEXT[off : off + BLOCK_SIZE], iv)
        pieces.append(iv)
    assert b"".join(pieces).hex() == ciphertext


# --------------------------------------------------------------------------
# Padding


def test_pad_aligned_input_gets_a_full_block() -> None:
    assert pad(b"") == bytes([16]) * 16
    assert pad(bytes(16)) == bytes(16) + bytes([16]) * 16
    assert pad(b"tiger") == b"tiger" + bytes([11]) * 11


@given(st.binary(max_size=100))
def test_pad_unpad_round_trip(data: bytes) -> None:
    padded = pad(data)
    assert len(padded) % BLOCK_SIZE == 0
    assert 1 <= len(padded) - len(data) <= BLOCK_SIZE
    assert unpad(padded) == data
    assert padding_length(padded) == len(padded) - len(data)


@given(
    key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    iv=st.binary(min_size=16, max_size=16),
    data=st.binary(max_size=80),
)
def test_cbc_padded_round_trip(key: bytes, iv: bytes, data: bytes) -> None:
    ciphertext = cbc_encrypt(key, data, iv=iv, padded=True)
    assert len(ciphertext) == len(pad(data))
    assert cbc_decrypt(key, ciphertext, iv=iv, padded=True) == data
    assert cbc_decrypt(key, ciphertext, iv=iv) == pad(data)


@given(
    key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
    block=st.binary(min_size=16, max_size=16),
)
def test_block_round_trip(key: bytes, block: bytes) -> None:
    cipher = AES(key)
    assert cipher.decrypt_block(cipher.encrypt_block(block)) == block
    assert cipher.encrypt_cbc(block, ZERO_IV) == cipher.encrypt_block(block)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(b"", "length 0", id="empty"),
        pytest.param(bytes(15), "length 15", id="unaligned"),
        pytest.param(bytes(16), "padding byte 0", id="zero-byte"),
        pytest.param(bytes(15) + b"\x11", "padding byte 17", id="too-big"),
        pytest.param(bytes(14) + b"\x01\x02", "inconsistent", id="mismatch"),
        pytest.param(b"A" * 27 + b"\x05\x05\x05\x04\x05", "inconsistent", id="second-block"),
    ],
)
def test_unpad_rejects_bad_padding(data: bytes, fragment: str) -> None:
    assert padding_length(data) is None
    with pytest.raises(DecodeError, match=fragment):
        unpad(data, what="AUTH_PASSWORD")
    with pytest.raises(DecodeError, match="AUTH_PASSWORD"):
        unpad(data, what="AUTH_PASSWORD")


def test_padded_decrypt_with_wrong_key_fails_padding() -> None:
    ciphertext = cbc_encrypt(bytes(16), b"tiger", padded=True)
    # With this fixed wrong key the last plaintext byte is not valid padding.
    wrong = bytes(15) + b"\x01"
    assert padding_length(AES(wrong).decrypt_cbc(ciphertext)) is None
    with pytest.raises(DecodeError, match="padding"):
        cbc_decrypt(wrong, ciphertext, padded=True)


# --------------------------------------------------------------------------
# Error policy: local input -> EncodeError, wire input -> DecodeError


@pytest.mark.parametrize("length", [0, 8, 15, 17, 31, 33, 64])
def test_bad_key_length(length: int) -> None:
    with pytest.raises(EncodeError, match=f"AES key length {length} "):
        AES(bytes(length))
    with pytest.raises(EncodeError, match=f"AES key length {length} "):
        cbc_encrypt(bytes(length), bytes(16))


def test_unaligned_plaintext_is_an_encode_error() -> None:
    with pytest.raises(EncodeError, match="AUTH_SESSKEY length 20 is not a multiple of 16"):
        cbc_encrypt(bytes(32), bytes(20), what="AUTH_SESSKEY")


def test_unaligned_ciphertext_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="AUTH_SESSKEY length 20 is not a multiple of 16"):
        cbc_decrypt(bytes(32), bytes(20), what="AUTH_SESSKEY")


def test_bad_iv_and_block_lengths() -> None:
    cipher = AES(bytes(16))
    with pytest.raises(EncodeError, match="IV length 8"):
        cipher.encrypt_cbc(bytes(16), bytes(8))
    with pytest.raises(EncodeError, match="IV length 8"):
        cipher.decrypt_cbc(bytes(16), bytes(8))
    with pytest.raises(EncodeError, match="block length 15"):
        cipher.encrypt_block(bytes(15))
    with pytest.raises(DecodeError, match="block length 17"):
        cipher.decrypt_block(bytes(17))


def test_repr_hides_the_key() -> None:
    key = bytes.fromhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
    text = repr(AES(key))
    assert text == "AES(key_size=256)"
    assert key.hex() not in text.lower()


def test_empty_input_is_fine_unpadded() -> None:
    assert cbc_encrypt(bytes(16), b"") == b""
    assert cbc_decrypt(bytes(16), b"") == b""


# --------------------------------------------------------------------------
# Work: the decryption schedule is made once, and only for a key that decrypts.


def _count_inv_mix(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from oracle_sansio.crypto import aes as aes_module

    calls = [0]
    real = aes_module._inv_mix_word

    def counting(word: int) -> int:
        calls[0] += 1
        return real(word)

    monkeypatch.setattr(aes_module, "_inv_mix_word", counting)
    return calls


@pure_only(_aes_module)
@pytest.mark.parametrize(("key_len", "rounds"), [(16, 10), (24, 12), (32, 14)])
def test_decryption_schedule_is_made_on_first_decrypt_only(
    monkeypatch: pytest.MonkeyPatch, key_len: int, rounds: int
) -> None:
    calls = _count_inv_mix(monkeypatch)
    cipher = AES(bytes(range(key_len)))
    cipher.encrypt_cbc(bytes(64))
    assert calls[0] == 0  # an encrypting key never pays for InvMixColumns
    ciphertext = cipher.encrypt_block(FIPS197_PLAINTEXT)
    assert cipher.decrypt_block(ciphertext) == FIPS197_PLAINTEXT
    assert calls[0] == 4 * (rounds - 1)  # one word per middle round key
    cipher.decrypt_cbc(bytes(64))
    assert calls[0] == 4 * (rounds - 1)


@pytest.mark.parametrize(("key_len", "expected"), FIPS197_C)
def test_fips197_decrypt_first_then_encrypt(key_len: int, expected: str) -> None:
    # The lazily made decryption schedule must not disturb the encryption one.
    cipher = AES(bytes(range(key_len)))
    assert cipher.decrypt_block(bytes.fromhex(expected)) == FIPS197_PLAINTEXT
    assert cipher.encrypt_block(FIPS197_PLAINTEXT).hex() == expected
