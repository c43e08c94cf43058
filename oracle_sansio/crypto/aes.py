"""Pure-Python AES (FIPS-197) with CBC mode, as O5LOGON needs it.

Theory of operation: one middle round of the cipher (SubBytes, ShiftRows,
MixColumns, AddRoundKey) is sixteen lookups into four 256-entry "T-tables"
XORed together with the round key into four 32-bit big-endian column words,
the classic software layout from the Rijndael submission.  Between rounds the
state is split back into its 16 bytes as local variables (two C calls: pack
the words, unpack the bytes), so each table index is a local rather than a
shift and a mask (about a third less time per block in CPython 3.11).
Decryption uses the "equivalent inverse cipher" of FIPS-197 5.3.5 with its
own four tables and round keys passed through InvMixColumns.
The tables are computed at import from the GF(2^8) field rather than typed
in, so there is no 2 KiB constant for a typo to hide in.

Errors follow where bytes come from.  Everything handed to an encrypt function
is local input, so a bad length there raises :class:`EncodeError`; ciphertext
comes from the peer, so a bad length or bad padding on decryption raises
:class:`DecodeError`.  ``what`` names the field in those messages.  A key of
the wrong size is always a caller mistake (:class:`EncodeError`).

O5LOGON uses CBC with an all-zero IV, hence the ``ZERO_IV`` default.
"""

from __future__ import annotations

import struct
from typing import Final

from ..errors import DecodeError, EncodeError

__all__ = [
    "BLOCK_SIZE",
    "ZERO_IV",
    "AES",
    "pad",
    "unpad",
    "padding_length",
    "cbc_encrypt",
    "cbc_decrypt",
]

BLOCK_SIZE: Final = 16
ZERO_IV: Final = bytes(BLOCK_SIZE)

_KEY_ROUNDS: Final = {16: 10, 24: 12, 32: 14}
_BLOCK: Final = struct.Struct(">4I")
_BYTES: Final = struct.Struct("16B")


def _xtime(a: int) -> int:
    """Multiply by x (0x02) in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1."""
    a <<= 1
    return (a ^ 0x11B) if a & 0x100 else a


def _build_tables() -> tuple[tuple[int, ...], ...]:
    # exp/log tables over generator 0x03 give inverses without a search.
    exp = [0] * 256
    log = [0] * 256
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x ^= _xtime(x)
    sbox = [0] * 256
    inv_sbox = [0] * 256
    for a in range(256):
        inv = exp[(255 - log[a]) % 255] if a else 0
        s = inv
        for _ in range(4):
            inv = ((inv << 1) | (inv >> 7)) & 0xFF
            s ^= inv
        s ^= 0x63
        sbox[a] = s
        inv_sbox[s] = a

    def mul(a: int, b: int) -> int:
        result = 0
        while b:
            if b & 1:
                result ^= a
            a = _xtime(a)
            b >>= 1
        return result

    te0, te1, te2, te3 = [], [], [], []
    td0, td1, td2, td3 = [], [], [], []
    for a in range(256):
        s = sbox[a]
        m2 = _xtime(s)
        m3 = m2 ^ s
        # Column (2,1,1,3)·s: the MixColumns contribution of row 0's byte;
        # rows 1-3 are the same word rotated right by 8, 16, 24 bits.
        te0.append((m2 << 24) | (s << 16) | (s << 8) | m3)
        te1.append((m3 << 24) | (m2 << 16) | (s << 8) | s)
        te2.append((s << 24) | (m3 << 16) | (m2 << 8) | s)
        te3.append((s << 24) | (s << 16) | (m3 << 8) | m2)
        i = inv_sbox[a]
        e, n, d, b = mul(i, 14), mul(i, 9), mul(i, 13), mul(i, 11)
        td0.append((e << 24) | (n << 16) | (d << 8) | b)
        td1.append((b << 24) | (e << 16) | (n << 8) | d)
        td2.append((d << 24) | (b << 16) | (e << 8) | n)
        td3.append((n << 24) | (d << 16) | (b << 8) | e)
    return (
        tuple(sbox),
        tuple(inv_sbox),
        tuple(te0),
        tuple(te1),
        tuple(te2),
        tuple(te3),
        tuple(td0),
        tuple(td1),
        tuple(td2),
        tuple(td3),
    )


(_SBOX, _INV_SBOX, _TE0, _TE1, _TE2, _TE3, _TD0, _TD1, _TD2, _TD3) = _build_tables()

# The last round has no MixColumns: pre-shifted S-box bytes let it assemble a
# word with four lookups and no per-byte shifts.
_S24: Final = tuple(s << 24 for s in _SBOX)
_S16: Final = tuple(s << 16 for s in _SBOX)
_S8: Final = tuple(s << 8 for s in _SBOX)
_S0: Final = _SBOX
_I24: Final = tuple(s << 24 for s in _INV_SBOX)
_I16: Final = tuple(s << 16 for s in _INV_SBOX)
_I8: Final = tuple(s << 8 for s in _INV_SBOX)
_I0: Final = _INV_SBOX

_RoundKey = tuple[int, int, int, int]


def _sub_word(w: int) -> int:
    return (
        (_SBOX[w >> 24] << 24)
        | (_SBOX[(w >> 16) & 0xFF] << 16)
        | (_SBOX[(w >> 8) & 0xFF] << 8)
        | _SBOX[w & 0xFF]
    )


def _inv_mix_word(w: int) -> int:
    # Td tables fold in InvSubBytes, so feed them S-box outputs to get
    # InvMixColumns alone.
    return (
        _TD0[_SBOX[w >> 24]]
        ^ _TD1[_SBOX[(w >> 16) & 0xFF]]
        ^ _TD2[_SBOX[(w >> 8) & 0xFF]]
        ^ _TD3[_SBOX[w & 0xFF]]
    )


class AES:
    """One expanded AES-128/192/256 key, with raw-block and CBC operations.

    Raises:
        EncodeError: the key is not 16, 24 or 32 bytes long.
    """

    __slots__ = (
        "key_size",
        "_ek_first",
        "_ek_middle",
        "_ek_last",
        "_dk_first",
        "_dk_middle",
        "_dk_last",
    )

    key_size: int
    _ek_first: _RoundKey
    _ek_middle: tuple[_RoundKey, ...]
    _ek_last: _RoundKey
    _dk_first: _RoundKey
    _dk_middle: tuple[_RoundKey, ...]
    _dk_last: _RoundKey

    def __init__(self, key: bytes) -> None:
        rounds = _KEY_ROUNDS.get(len(key))
        if rounds is None:
            raise EncodeError(f"AES key length {len(key)} is not 16, 24 or 32 bytes")
        nk = len(key) // 4
        w = list(struct.unpack(f">{nk}I", key))
        rcon = 1
        for i in range(nk, 4 * (rounds + 1)):
            t = w[i - 1]
            if i % nk == 0:
                t = _sub_word(((t << 8) & 0xFFFFFFFF) | (t >> 24)) ^ (rcon << 24)
                rcon = _xtime(rcon)
            elif nk > 6 and i % nk == 4:
                t = _sub_word(t)
            w.append(w[i - nk] ^ t)
        ek: list[_RoundKey] = [
            (w[i], w[i + 1], w[i + 2], w[i + 3]) for i in range(0, len(w), 4)
        ]
        self.key_size = len(key)
        self._ek_first, self._ek_middle, self._ek_last = ek[0], tuple(ek[1:-1]), ek[-1]
        # The decryption schedule costs as much again and most keys of a logon
        # only encrypt: it is made on the first decryption (an empty middle says
        # not yet; every key size has nine or more middle rounds).
        self._dk_first = self._dk_last = (0, 0, 0, 0)
        self._dk_middle = ()

    def _decryption_keys(self) -> None:
        dk: list[_RoundKey] = [self._ek_last]
        for a, b, c, d in reversed(self._ek_middle):
            dk.append((_inv_mix_word(a), _inv_mix_word(b), _inv_mix_word(c), _inv_mix_word(d)))
        dk.append(self._ek_first)
        self._dk_first, self._dk_middle, self._dk_last = dk[0], tuple(dk[1:-1]), dk[-1]

    def __repr__(self) -> str:
        return f"AES(key_size={self.key_size * 8})"

    def encrypt_block(self, block: bytes) -> bytes:
        """Encrypt one 16-byte block (ECB).

        Raises:
            EncodeError: ``block`` is not 16 bytes long.
        """
        if len(block) != BLOCK_SIZE:
            raise EncodeError(f"AES block length {len(block)} is not 16 bytes")
        return self.encrypt_cbc(block, ZERO_IV)

    def decrypt_block(self, block: bytes) -> bytes:
        """Decrypt one 16-byte block (ECB).

        Raises:
            DecodeError: ``block`` is not 16 bytes long.
        """
        if len(block) != BLOCK_SIZE:
            raise DecodeError(f"AES block length {len(block)} is not 16 bytes")
        return self.decrypt_cbc(block, ZERO_IV)

    def encrypt_cbc(self, data: bytes, iv: bytes = ZERO_IV, *, what: str = "plaintext") -> bytes:
        """CBC-encrypt ``data`` (no padding is added).

        Raises:
            EncodeError: ``data`` is not a multiple of 16 bytes, or ``iv`` is not 16 bytes.
        """
        n = len(data)
        if n % BLOCK_SIZE:
            raise EncodeError(f"{what} length {n} is not a multiple of 16")
        if len(iv) != BLOCK_SIZE:
            raise EncodeError(f"IV length {len(iv)} is not 16 bytes")
        te0, te1, te2, te3 = _TE0, _TE1, _TE2, _TE3
        s24, s16, s8, s0t = _S24, _S16, _S8, _S0
        f0, f1, f2, f3 = self._ek_first
        middle = self._ek_middle
        l0, l1, l2, l3 = self._ek_last
        pack, unpack_from, pack_into, split = _BLOCK.pack, _BLOCK.unpack_from, _BLOCK.pack_into, _BYTES.unpack
        out = bytearray(n)
        c0, c1, c2, c3 = _BLOCK.unpack(iv)
        for off in range(0, n, BLOCK_SIZE):
            p0, p1, p2, p3 = unpack_from(data, off)
            # Between rounds the state is its 16 bytes in locals: bJR is row R of
            # column J, so a table index is a local, with no shift or mask.
            b00, b01, b02, b03, b10, b11, b12, b13, b20, b21, b22, b23, b30, b31, b32, b33 = split(
                pack(p0 ^ c0 ^ f0, p1 ^ c1 ^ f1, p2 ^ c2 ^ f2, p3 ^ c3 ^ f3)
            )
            # ShiftRows moves row r left by r, so column j reads column j + r.
            for k0, k1, k2, k3 in middle:
                b00, b01, b02, b03, b10, b11, b12, b13, b20, b21, b22, b23, b30, b31, b32, b33 = split(
                    pack(
                        te0[b00] ^ te1[b11] ^ te2[b22] ^ te3[b33] ^ k0,
                        te0[b10] ^ te1[b21] ^ te2[b32] ^ te3[b03] ^ k1,
                        te0[b20] ^ te1[b31] ^ te2[b02] ^ te3[b13] ^ k2,
                        te0[b30] ^ te1[b01] ^ te2[b12] ^ te3[b23] ^ k3,
                    )
                )
            c0 = s24[b00] ^ s16[b11] ^ s8[b22] ^ s0t[b33] ^ l0
            c1 = s24[b10] ^ s16[b21] ^ s8[b32] ^ s0t[b03] ^ l1
            c2 = s24[b20] ^ s16[b31] ^ s8[b02] ^ s0t[b13] ^ l2
            c3 = s24[b30] ^ s16[b01] ^ s8[b12] ^ s0t[b23] ^ l3
            pack_into(out, off, c0, c1, c2, c3)
        return bytes(out)

    def decrypt_cbc(self, data: bytes, iv: bytes = ZERO_IV, *, what: str = "ciphertext") -> bytes:
        """CBC-decrypt ``data`` (padding is left in place).

        Raises:
            DecodeError: ``data`` is not a multiple of 16 bytes.
            EncodeError: ``iv`` is not 16 bytes.
        """
        n = len(data)
        if n % BLOCK_SIZE:
            raise DecodeError(f"{what} length {n} is not a multiple of 16")
        if len(iv) != BLOCK_SIZE:
            raise EncodeError(f"IV length {len(iv)} is not 16 bytes")
        if not self._dk_middle:
            self._decryption_keys()
        td0, td1, td2, td3 = _TD0, _TD1, _TD2, _TD3
        i24, i16, i8, i0t = _I24, _I16, _I8, _I0
        f0, f1, f2, f3 = self._dk_first
        middle = self._dk_middle
        l0, l1, l2, l3 = self._dk_last
        pack, unpack_from, pack_into, split = _BLOCK.pack, _BLOCK.unpack_from, _BLOCK.pack_into, _BYTES.unpack
        out = bytearray(n)
        v0, v1, v2, v3 = _BLOCK.unpack(iv)
        for off in range(0, n, BLOCK_SIZE):
            c0, c1, c2, c3 = unpack_from(data, off)
            b00, b01, b02, b03, b10, b11, b12, b13, b20, b21, b22, b23, b30, b31, b32, b33 = split(
                pack(c0 ^ f0, c1 ^ f1, c2 ^ f2, c3 ^ f3)
            )
            # InvShiftRows moves row r right by r, so column j reads column j - r.
            for k0, k1, k2, k3 in middle:
                b00, b01, b02, b03, b10, b11, b12, b13, b20, b21, b22, b23, b30, b31, b32, b33 = split(
                    pack(
                        td0[b00] ^ td1[b31] ^ td2[b22] ^ td3[b13] ^ k0,
                        td0[b10] ^ td1[b01] ^ td2[b32] ^ td3[b23] ^ k1,
                        td0[b20] ^ td1[b11] ^ td2[b02] ^ td3[b33] ^ k2,
                        td0[b30] ^ td1[b21] ^ td2[b12] ^ td3[b03] ^ k3,
                    )
                )
            pack_into(
                out,
                off,
                i24[b00] ^ i16[b31] ^ i8[b22] ^ i0t[b13] ^ l0 ^ v0,
                i24[b10] ^ i16[b01] ^ i8[b32] ^ i0t[b23] ^ l1 ^ v1,
                i24[b20] ^ i16[b11] ^ i8[b02] ^ i0t[b33] ^ l2 ^ v2,
                i24[b30] ^ i16[b21] ^ i8[b12] ^ i0t[b03] ^ l3 ^ v3,
            )
            v0, v1, v2, v3 = c0, c1, c2, c3
        return bytes(out)


def pad(data: bytes) -> bytes:
    """Append n bytes of value n, n = 16 - len % 16 (a whole block when aligned)."""
    n = BLOCK_SIZE - len(data) % BLOCK_SIZE
    return data + bytes((n,)) * n


def padding_length(data: bytes) -> int | None:
    """Return how many padding bytes ``data`` ends with, or None if the padding is invalid.

    Valid means: a non-empty multiple of 16 whose last byte n is 1..16 and
    whose last n bytes all equal n.  Callers that must not raise (a server
    judging a password) use this; others use :func:`unpad`.
    """
    if not data or len(data) % BLOCK_SIZE:
        return None
    n = data[-1]
    if not 1 <= n <= BLOCK_SIZE or data[-n:] != bytes((n,)) * n:
        return None
    return n


def unpad(data: bytes, *, what: str = "plaintext") -> bytes:
    """Strip the padding that :func:`pad` adds.

    Raises:
        DecodeError: the data is empty, not block-aligned, or does not end in valid padding.
    """
    if not data or len(data) % BLOCK_SIZE:
        raise DecodeError(f"{what} length {len(data)} is not a non-zero multiple of 16")
    n = data[-1]
    if not 1 <= n <= BLOCK_SIZE:
        raise DecodeError(f"{what} padding byte {n} is outside 1..16")
    if data[-n:] != bytes((n,)) * n:
        raise DecodeError(f"{what} padding is inconsistent: the last {n} bytes are not all {n}")
    return data[:-n]


def cbc_encrypt(
    key: bytes, data: bytes, *, iv: bytes = ZERO_IV, padded: bool = False, what: str = "plaintext"
) -> bytes:
    """CBC-encrypt local data, first padding it with :func:`pad` when ``padded``.

    Raises:
        EncodeError: bad key length, bad IV length, or (unpadded) data not a multiple of 16.
    """
    return AES(key).encrypt_cbc(pad(data) if padded else data, iv, what=what)


def cbc_decrypt(
    key: bytes, data: bytes, *, iv: bytes = ZERO_IV, padded: bool = False, what: str = "ciphertext"
) -> bytes:
    """CBC-decrypt data from the wire, then strip the padding when ``padded``.

    Raises:
        EncodeError: bad key or IV length (local mistakes).
        DecodeError: data not a multiple of 16, or (padded) invalid padding.
    """
    plain = AES(key).decrypt_cbc(data, iv, what=what)
    return unpad(plain, what=what) if padded else plain
