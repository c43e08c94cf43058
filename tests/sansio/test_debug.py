"""Masked packet dumps (oracle_sansio.debug): real captures, built pairs, hostile bytes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.debug import SECRET_KEYS, PacketTracer, SecretMasker, format_packet, hex_dump, mask_secrets
from oracle_sansio.tns.constants import MarkerType, PacketType
from oracle_sansio.tns.framer import PacketWriter
from oracle_sansio.ttc.messages import auth
from oracle_sansio.ttc.wire import Writer
from tests.captures import CAPTURES, derived_files, load_derived, load_oracle_nio_23ai, load_python_oracledb_client

_KEY_RE = re.compile(b"|".join(re.escape(k.encode()) for k in sorted(SECRET_KEYS)))
_HEX = frozenset(b"0123456789ABCDEF")


def _captured() -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for path in derived_files():
        out.extend((f"{path.name}#{f.number}", f.data) for f in load_derived(path))
    for session, packets in load_python_oracledb_client().items():
        out.extend((f"pyo-{session}-{label}", raw) for label, raw in packets)
    out.extend((f"23ai-{name}", raw) for name, raw in load_oracle_nio_23ai().items())
    return out


def _hex_value_positions(data: bytes, key_end: int) -> list[int]:
    """Independent oracle: secret values are upper-case hex text, possibly split
    by one-byte chunk lengths; collect its bytes after a key name."""
    pos = key_end
    while pos < len(data) and data[pos] not in _HEX:
        pos += 1
    found: list[int] = []
    while pos < len(data):
        if data[pos] in _HEX:
            found.append(pos)
            pos += 1
        elif pos + 1 < len(data) and data[pos + 1] in _HEX and found:
            pos += 1  # a one-byte chunk length between two chunks
        else:
            break
    return found


def test_secret_keys_are_the_auth_messages_set() -> None:
    assert SECRET_KEYS is auth._SECRET_KEYS
    assert {"AUTH_SESSKEY", "AUTH_PASSWORD", "AUTH_PBKDF2_SPEEDY_KEY", "AUTH_SVR_RESPONSE"} <= SECRET_KEYS


def test_captured_auth_packets_mask_exactly_the_secret_values() -> None:
    seen_keys: set[bytes] = set()
    sources: set[str] = set()
    for name, data in _captured():
        masked = mask_secrets(data)
        assert len(masked) == len(data), name
        expected: set[int] = set()
        for m in _KEY_RE.finditer(data):
            if data[m.start() - 1] != len(m[0]):
                continue
            positions = _hex_value_positions(data, m.end())
            assert len(positions) in (64, 96, 160), (name, m[0], len(positions))
            expected.update(positions)
            seen_keys.add(m[0])
            sources.add(name.split("#")[0].split("-")[0])
        changed = {i for i in range(len(data)) if masked[i] != data[i]}
        assert changed == expected, name
        assert all(masked[i] == ord("*") for i in changed), name
    # 11g OCI (fixed little-endian lengths, one-byte chunks), python 12c, real 23ai server.
    assert seen_keys == {b"AUTH_SESSKEY", b"AUTH_PASSWORD", b"AUTH_PBKDF2_SPEEDY_KEY", b"AUTH_SVR_RESPONSE"}
    assert {"john", "pyo", "23ai"} <= sources


def _phase_two() -> bytes:
    return next(raw for _, raw in load_python_oracledb_client()["sync"] if b"AUTH_PASSWORD" in raw)


def test_known_phase_two_values_disappear() -> None:
    raw = _phase_two()
    for key in (b"AUTH_SESSKEY", b"AUTH_PASSWORD", b"AUTH_PBKDF2_SPEEDY_KEY"):
        at = raw.index(key) + len(key)
        assert raw[at] == 1  # ub4 total in one byte, then the CLR length byte
        size = raw[at + 1]
        value = raw[at + 3 : at + 3 + size]
        masked = mask_secrets(raw)
        assert value not in masked and masked[at + 3 : at + 3 + size] == b"*" * size
        assert masked[at - len(key) - 3 : at + 3] == raw[at - len(key) - 3 : at + 3]  # key and lengths kept


def test_packets_without_secret_keys_are_unchanged() -> None:
    for name, data in _captured():
        if not _KEY_RE.search(data):
            assert mask_secrets(data) == data, name


def _pairs(pairs: list[tuple[str, bytes, int]], *, big_chunks: bool = True) -> bytes:
    w = Writer(big_chunks=big_chunks)
    w.ub1(8)
    w.ub2(len(pairs))
    for key, value, flags in pairs:
        w.auth_kv(key, value, flags)
    return w.getvalue()


@pytest.mark.parametrize("big_chunks", [True, False])
@pytest.mark.parametrize("size", [1, 64, 252, 253, 300, 40_000])
def test_built_pairs_short_and_chunked(size: int, big_chunks: bool) -> None:
    secret = bytes((0x41 + i % 26) for i in range(size))
    data = _pairs(
        [("AUTH_VFR_DATA", b"0011", 0x4815), ("AUTH_TOKEN", secret, 0), ("AUTH_SESSION_ID", b"42", 0)],
        big_chunks=big_chunks,
    )
    masked = mask_secrets(data)
    assert len(masked) == len(data)
    changed = [i for i in range(len(data)) if masked[i] != data[i]]
    assert len(changed) == size  # the value bytes only, chunk lengths kept
    assert b"AUTH_SESSION_ID" in masked and b"0011" in masked and b"42" in masked


def test_absent_value_and_nul_terminated_key() -> None:
    data = _pairs([("AUTH_PASSWORD", b"", 0), ("AUTH_SERIAL_NUM", b"7", 0)])
    assert mask_secrets(data) == data
    nul = _pairs([("AUTH_SESSKEY\0", b"ABCDEF0123", 0), ("X", b"keep", 0)])
    masked = mask_secrets(nul)
    assert b"ABCDEF0123" not in masked and b"**********" in masked and b"keep" in masked


@pytest.mark.parametrize(
    "tail",
    [
        b"",  # key name at the very end
        b"\x01",  # ub4 length byte, no value
        b"\x01\x40",  # total, no CLR
        b"\x01\x40\x40ABCD",  # CLR longer than the packet
        b"\x04\xff\xff\xff\xff\xfe",  # huge total, chunked, nothing after
        b"\x01\x40\xfe\x04\xff\xff\xff\xff",  # huge chunk length
        b"\x01\x05\x40ABCDEFGH\x00",  # total and CLR disagree: unparseable
        b"\x09garbage bytes here",  # not a length at all
        b"\x01\x05\x00\x00",  # NULL CLR after a non-zero total
    ],
)
def test_truncated_or_overlong_lengths(tail: bytes) -> None:
    data = b"\x00\x00\x00\x40\x06\x00\x00\x00\x00\x00" + b"\x01\x0c\x0cAUTH_SESSKEY" + tail
    masked = mask_secrets(data)
    assert len(masked) == len(data)
    key_end = data.index(b"AUTH_SESSKEY") + 12
    assert masked[:key_end] == data[:key_end]
    # Conservative: whatever follows the key is masked when it cannot be read.
    assert masked[key_end:] == b"*" * len(tail)
    assert SecretMasker().mask(data) == masked


def test_key_without_its_length_byte_is_text() -> None:
    data = b"select 'AUTH_PASSWORD is a key' from dual"
    assert mask_secrets(data) == data


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_raise_and_keep_length(data: bytes) -> None:
    assert len(mask_secrets(data)) == len(data)
    assert len(SecretMasker().mask(data)) == len(data)
    text = format_packet("sent", data, conn_label="c")
    assert text.startswith("sent packet on c:")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(SECRET_KEYS)),
    st.binary(max_size=40),
    st.binary(max_size=60),
    st.sampled_from([b"", b"\x01", b"\x0c\x00\x00\x00", b"\x01\x40", b"\x04\xff\xff\xff\xff", b"\x01\xfe"]),
)
def test_random_bytes_around_a_key(key: str, before: bytes, after: bytes, glue: bytes) -> None:
    data = before + bytes([len(key)]) + key.encode() + glue + after
    masked = mask_secrets(data)
    assert len(masked) == len(data)
    if not _KEY_RE.search(before):  # else an unreadable earlier value may mask the rest
        assert masked[len(before) : len(before) + 1 + len(key)] == bytes([len(key)]) + key.encode()


_PHASE_TWO = [
    ("AUTH_SESSKEY", b"063328E150A8E960362FABDB61A0AF4864932BEF1B48D5E3558D43B8012718E3", 1),
    ("AUTH_PBKDF2_SPEEDY_KEY", b"EB2C8F25EB33397816332C3D006235D3FDE4E808F04665ED5F4A0A09ADBE0104" * 2 + b"0" * 32, 0),
    ("AUTH_PASSWORD", b"D120B2959E76C5EFD1DEA7D3E5D3E5129DDDD43723C17B6081FB69F1C103EFD0", 0),
    ("SESSION_CLIENT_CHARSET", b"873", 0),
    ("AUTH_TOKEN", b"T" * 700, 0),
    ("AUTH_CONNECT_STRING", b"(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)))", 0),
]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=13, max_value=400), st.booleans())
def test_stream_masker_handles_values_split_across_packets(sdu: int, big_chunks: bool) -> None:
    payload = _pairs(_PHASE_TWO, big_chunks=big_chunks)
    packets = PacketWriter(sdu=sdu, large=True).data(payload)
    masker = SecretMasker()
    pos, out = 0, bytearray()
    while pos < len(packets):
        size = int.from_bytes(packets[pos : pos + 4], "big")
        packet = packets[pos : pos + size]
        masked = masker.mask(packet)
        assert len(masked) == size and masked[:10] == packet[:10]
        out += masked[10:]
        pos += size
    assert len(out) == len(payload)
    for key, value, _ in _PHASE_TWO:
        if key in SECRET_KEYS:
            assert value[:4] not in out or key == "AUTH_TOKEN"
            assert value not in out
        else:
            assert value in out, (sdu, key)
    assert b"TT" not in out  # no piece of the token's value is left


def _frames(large: bool) -> list[bytes]:
    w = PacketWriter(sdu=64, large=large)
    return [w.marker(MarkerType.BREAK), w.data(b"x" * 10), w.data(b"\x08\x01\x00")]


def _accept(version: int) -> bytes:
    body = version.to_bytes(2, "big") + bytes(30)
    return (8 + len(body)).to_bytes(2, "big") + b"\x00\x00" + bytes([PacketType.ACCEPT, 0, 0, 0]) + body


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=50), max_size=20), st.sampled_from([314, 315, 319]))
def test_tracer_splits_any_chunking_and_follows_the_accept(cuts: list[int], version: int) -> None:
    stream = _accept(version) + b"".join(_frames(version >= 315))
    whole = PacketTracer("t").feed("received", stream)
    tracer = PacketTracer("t")
    dumps: list[str] = []
    pos = 0
    for cut in [*cuts, len(stream)]:
        dumps += tracer.feed("received", stream[pos : pos + cut])
        pos += cut
    assert dumps == whole
    assert len(whole) == 4 and tracer.large == (version >= 315)
    assert whole[0].startswith("received packet on t: 40 bytes, ACCEPT")
    assert "MARKER" in whole[1] and "DATA, data flags 0x0000" in whole[2]


def test_tracer_started_late_detects_32_bit_headers_and_survives_garbage() -> None:
    tracer = PacketTracer()
    dumps = tracer.feed("sent", b"".join(_frames(True)))
    assert len(dumps) == 3 and tracer.large
    junk = tracer.feed("sent", b"\xff" * 20)
    assert len(junk) == 1 and "20 bytes" in junk[0]


def test_format_matches_python_oracledb_layout() -> None:
    """Our dump lines equal python-oracledb's PYO_DEBUG_PACKETS lines for its own packets."""
    lines = (CAPTURES / "python-oracledb-26.1-client-packets.txt").read_text().splitlines()
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("Sending request"):
            current = []
            blocks.append(current)
        elif current is not None and re.match(r"^\d{4} : ", line):
            current.append(line)
        else:
            current = None
    assert len(blocks) > 10
    for block in blocks:
        data = bytes.fromhex("".join(line[7:30] for line in block))
        assert hex_dump(data).splitlines() == block


def test_format_packet_masks_and_titles() -> None:
    raw = _phase_two()
    text = format_packet("sent", raw, conn_label="client #1")
    title, *rows = text.splitlines()
    assert title == f"sent packet on client #1: {len(raw)} bytes, DATA, data flags 0x0000"
    dumped = bytes.fromhex("".join(row[7:30] for row in rows))
    assert dumped == mask_secrets(raw) != raw
    assert format_packet("received", b"") == "received packet: 0 bytes, fragment"


def _masked_payloads(packets: bytes) -> bytes:
    """The DATA payloads of ``packets`` (large headers) after one SecretMasker, joined."""
    masker = SecretMasker()
    pos, out = 0, bytearray()
    while pos < len(packets):
        size = int.from_bytes(packets[pos : pos + 4], "big")
        out += masker.mask(packets[pos : pos + size])[10:]
        pos += size
    return bytes(out)


def test_stream_masker_masks_a_huge_value_by_count() -> None:
    token = b"Q" * 150_000  # longer than the stream masker keeps: masked by its announced length
    payload = _pairs([("AUTH_TOKEN", token, 0), ("AUTH_CONNECT_STRING", b"(DESCRIPTION=)", 0)])
    out = _masked_payloads(PacketWriter(sdu=8192, large=True).data(payload))
    assert len(out) == len(payload) and b"Q" not in out and b"AUTH_TOKEN" in out


_SQL_PASSWORDS = [
    (b"create user bob identified by Sw0rdfish", [b"Sw0rdfish"]),
    (b'ALTER USER bob IDENTIFIED BY "p w;d" REPLACE oldpw;', [b'"p w;d"', b"oldpw"]),
    (b"alter user bob identified\n by\tvalues 'S:ABCDEF'", [b"'S:ABCDEF'"]),
]


@pytest.mark.parametrize(("sql", "secrets"), _SQL_PASSWORDS)
def test_sql_passwords_are_masked(sql: bytes, secrets: list[bytes]) -> None:
    raw = b"\x03\x5e\x07" + bytes([len(sql)]) + sql + b"\x00\x01"
    masked = mask_secrets(raw)
    assert len(masked) == len(raw)
    for secret in secrets:
        assert secret not in masked
        assert b"*" * len(secret) in masked
    assert masked.lower().count(b"identified") == 1 and masked[:8] == raw[:8]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=13, max_value=120))
def test_stream_masker_masks_sql_password_split_across_packets(sdu: int) -> None:
    payload = b"\x03\x5e\x07" + b"x" * 90 + b" CREATE USER bob IDENTIFIED BY Sw0rdfish12 " + b"y" * 90
    out = _masked_payloads(PacketWriter(sdu=sdu, large=True).data(payload))
    assert b"Sw0rd" not in out and b"rdfish12" not in out and b"IDENTIFIED BY" in out
