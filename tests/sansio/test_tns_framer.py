"""TNS packets and framing: known vectors, real captures, round trips, bad input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.errors import EncodeError, FramingError, LimitExceededError
from oracle_sansio.limits import Limits
from oracle_sansio.tns.constants import (
    AcceptFlag,
    DataFlag,
    MarkerType,
    PacketFlag,
    PacketType,
    ServiceOption,
)
from oracle_sansio.tns.framer import PacketReader, PacketWriter
from oracle_sansio.tns.packets import (
    Accept,
    Connect,
    Control,
    Data,
    Marker,
    Packet,
    Redirect,
    Refuse,
    Resend,
    decode_packet,
)
from tests.captures import Frame, derived_files, load_derived, load_oracle_nio_23ai, load_python_oracledb_client

# ----------------------------------------------------------------- helpers


def read_all(stream: bytes, *, chunks: list[int] | None = None, large_after: int | None = None) -> list[Packet]:
    """Feed ``stream`` in the given chunk sizes (whole if None) and collect packets.

    ``large_after``: switch to 32-bit lengths after that many packets.
    """
    reader = PacketReader()
    out: list[Packet] = []

    def drain() -> None:
        while True:
            if large_after is not None and len(out) >= large_after:
                reader.large = True
            pkt = reader.next_packet()
            if pkt is None:
                return
            out.append(pkt)

    if chunks is None:
        reader.receive_data(stream)
        drain()
    else:
        pos = 0
        for size in chunks:
            reader.receive_data(stream[pos : pos + size])
            pos += size
            drain()
        assert pos >= len(stream)
    reader.receive_data(b"")
    drain()
    assert reader.at_eof
    return out


def tr(stream: bytes, expected: list[Packet], large_after: int | None = None) -> None:
    """h11's triple: whole, one byte at a time, and with trailing garbage."""
    assert read_all(stream, large_after=large_after) == expected
    assert read_all(stream, chunks=[1] * len(stream), large_after=large_after) == expected
    rng = random.Random(len(stream))
    sizes: list[int] = []
    while sum(sizes) < len(stream):
        sizes.append(rng.randint(1, 40))
    assert read_all(stream, chunks=sizes, large_after=large_after) == expected
    # Trailing partial header: every whole packet comes out, then EOF fails.
    reader = PacketReader()
    reader.receive_data(stream + b"\x00\x20\x00")
    got: list[Packet] = []
    for _ in expected:
        if large_after is not None and len(got) >= large_after:
            reader.large = True
        pkt = reader.next_packet()
        assert pkt is not None
        got.append(pkt)
    assert got == expected
    assert reader.next_packet() is None
    reader.receive_data(b"")
    with pytest.raises(FramingError, match="stream ended"):
        reader.next_packet()


# ---------------------------------------------------------- known vectors


# docs/protocol-connect.md 4.2: real 23ai ACCEPT (oracle-nio ConnectMessage.swift).
ACCEPT_23AI = load_oracle_nio_23ai()["ConnectMessage"]


def test_real_23ai_accept() -> None:
    pkt = decode_packet(ACCEPT_23AI)
    assert isinstance(pkt, Accept)
    assert pkt.version == 319
    assert pkt.service_options == ServiceOption.DONT_CARE
    assert (pkt.sdu, pkt.tdu) == (8192, 8192)
    assert pkt.nsi_flags0 == 0xC5
    assert pkt.flags2 == AcceptFlag.FAST_AUTH | AcceptFlag.HAS_END_OF_RESPONSE
    assert pkt.uuid is not None and pkt.uuid.hex().upper().startswith("7499CAF8")
    assert pkt.accept_data == b""
    # The 23ai server writes 0 into the 16-bit SDU fields; ours writes the
    # value, so compare all but bytes 12-15.
    again = pkt.encode()
    assert again[:12] == ACCEPT_23AI[:12] and again[16:] == ACCEPT_23AI[16:]


def test_minimal_accept_of_a_double() -> None:
    # docs/protocol-connect.md 4.3 [live]: the 61-byte ACCEPT python-oracledb accepted.
    acc = Accept(flags2=AcceptFlag.HAS_END_OF_RESPONSE, uuid=bytes(16))
    raw = acc.encode()
    assert len(raw) == 61
    assert raw[:8] == bytes.fromhex("003D000002000000")
    assert raw[8:12] == bytes.fromhex("013F0001")
    assert raw[18:24] == bytes.fromhex("0000003D0400")
    assert raw[32:45] == bytes.fromhex("00002000000020000002000000")
    assert decode_packet(raw) == acc


def test_python_oracledb_connect() -> None:
    # tests/vectors/captures/python-oracledb-26.1-client-packets.txt, sync session.
    label, raw = load_python_oracledb_client()["sync"][0]
    assert label == "connect"
    pkt = decode_packet(raw)
    assert isinstance(pkt, Connect)
    assert (pkt.version, pkt.min_version) == (319, 300)
    assert pkt.service_options == 0x0401
    assert (pkt.sdu, pkt.tdu) == (8192, 8192)
    assert (pkt.nsi_flags0, pkt.nsi_flags1) == (0x84, 0x84)
    assert pkt.connect_flags2 == 1
    assert not pkt.data_follows
    assert b"(SERVICE_NAME=freepdb1)" in pkt.connect_data
    assert pkt.encode() == raw  # our encoder writes python-oracledb's bytes


def test_separate_connect_data() -> None:
    # docs/protocol-connect.md 2.2 [live]: more than 230 bytes go in a DATA packet.
    descriptor = b"(DESCRIPTION=" + b"x" * 334 + b")"
    assert len(descriptor) == 348
    raw = Connect(connect_data=descriptor, service_options=0x0401, connect_flags2=1).encode()
    assert raw[:8] == bytes.fromhex("004A000001000000")
    assert raw[24:28] == bytes.fromhex("015C004A")
    assert raw[74:84] == bytes.fromhex("01660000060000000000")
    first, second = read_all(raw)
    assert isinstance(first, Connect) and first.data_follows
    assert isinstance(second, Data)
    assert first.with_connect_data(second.payload).connect_data == descriptor
    with pytest.raises(FramingError, match="announced 348"):
        first.with_connect_data(b"short")


def test_resend_refuse_redirect_vectors() -> None:
    # docs/protocol-connect.md 3.1 / 3.2 / 3.3 [live].
    assert Resend().encode() == bytes.fromhex("0008 0000 0B00 0000".replace(" ", ""))
    text = b"(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=12514)(ERROR_STACK=(ERROR=(CODE=12514)(EMFI=4))))"
    raw = Refuse(user_reason=1, system_reason=0, data=text).encode()
    assert raw[:14] == bytes.fromhex("005F00000400000001000053") + b"(D"
    ref = decode_packet(raw)
    assert isinstance(ref, Refuse) and ref.error_code == 12514
    assert Refuse(data=b"(ERR=)").error_code is None
    assert Refuse(data=b"nothing").error_code is None
    data = b"(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=15211))\x00(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=x)))"
    raw = Redirect(data=data).encode()
    assert raw[:10] == bytes.fromhex("000A000005020000") + len(data).to_bytes(2, "big")
    red, payload = read_all(raw)
    assert isinstance(red, Redirect) and red.data_follows and isinstance(payload, Data)
    full = red.with_data(payload.payload)
    assert full.address == "(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT=15211))"
    assert full.connect_data == "(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=x)))"
    inline = decode_packet(Redirect(data=data).encode(inline=True))
    assert inline == Redirect(data=data, data_length=len(data))
    assert Redirect(data=b"no nul").connect_data is None


def test_marker_and_control_vectors() -> None:
    # docs/protocol-ttc.md 1.7 / docs/protocol-connect.md 4.4 [live]: python-oracledb's markers.
    assert Marker(marker=MarkerType.RESET).encode(large=True) == bytes.fromhex("0000000B0C00000001" "0002")
    assert Marker(marker=MarkerType.INTERRUPT).encode(large=True) == bytes.fromhex("0000000B0C00000001" "0003")
    assert decode_packet(bytes.fromhex("000B00000C00000001" "0001")) == Marker(marker=MarkerType.BREAK)
    # docs/protocol-connect.md 6.2: INBAND_NOTIFICATION carries u32 skip, u32 error number.
    ctl = Control(command=8, data=(0).to_bytes(4, "big") + (12572).to_bytes(4, "big"))
    assert decode_packet(ctl.encode()) == ctl
    assert ctl.error_number == 12572
    assert Control(command=9).error_number is None


def test_data_packet_vectors() -> None:
    # docs/protocol-connect.md 12 [live]: the final EOF packet and a LOGOFF reply.
    assert Data(data_flags=DataFlag.EOF).encode(large=True) == bytes.fromhex("0000000A060000000040")
    reply = bytes.fromhex("0000000E06000000200009000" "01D")
    pkt = read_all(reply, large_after=0)[0]
    assert pkt == Data(data_flags=DataFlag.END_OF_RESPONSE, payload=bytes.fromhex("0900001D"))
    assert pkt.encode(large=True) == reply
    # A bare 8-byte DATA header is tolerated as an empty packet.
    assert decode_packet(bytes.fromhex("0008000006000000")) == Data()


# ------------------------------------------------------------- real captures


def _large_flags(frames: list[Frame]) -> list[bool]:
    """Per frame: are lengths 32-bit? True after an ACCEPT of version >= 315."""
    flags = []
    large = False
    for f in frames:
        flags.append(large)
        if f.ptype == PacketType.ACCEPT and int.from_bytes(f.data[8:10], "big") >= 315:
            large = True
    return flags


@pytest.mark.parametrize("path", derived_files(), ids=lambda p: p.name)
def test_real_captures_split_identically(path: Path) -> None:
    """Every packet of every capture decodes, with the same boundaries and types."""
    frames = load_derived(path)
    large = _large_flags(frames)
    for stream in {f.stream for f in frames}:
        for direction in ("C->S", "S->C"):
            picked = [(f, lg) for f, lg in zip(frames, large) if f.stream == stream and f.direction == direction]
            if not picked:
                continue
            joined = b"".join(f.data for f, _ in picked)
            reader = PacketReader()
            reader.receive_data(joined)
            for f, lg in picked:
                reader.large = lg
                raw = reader.next_raw_packet()
                assert raw == f.data
                pkt = decode_packet(raw)
                assert type(pkt).__name__.upper() == PacketType(f.ptype).name
                # Re-encoding keeps every field.
                again = decode_packet(pkt.encode(large=lg)) if not isinstance(pkt, (Connect, Redirect)) else pkt
                assert again == pkt or isinstance(pkt, Accept)
            assert reader.next_raw_packet() is None


def test_python_oracledb_client_packets_split() -> None:
    """The whole python-oracledb session reads back packet by packet, 32-bit after CONNECT."""
    for session in load_python_oracledb_client().values():
        raws = [raw for _, raw in session]
        packets = [decode_packet(raws[0])] + [
            read_all(raw, large_after=0)[0] for raw in raws[1:]
        ]
        tr(b"".join(raws), packets, large_after=1)
        for raw, pkt in zip(raws[1:], packets[1:]):
            assert pkt.encode(large=True) == raw


def test_real_23ai_server_packets_split() -> None:
    nio = load_oracle_nio_23ai()
    stream = b"".join(nio.values())
    expected = [decode_packet(nio["ConnectMessage"])] + [
        read_all(v, large_after=0)[0] for k, v in nio.items() if k != "ConnectMessage"
    ]
    tr(stream, expected, large_after=1)
    assert all(isinstance(p, Data) for p in expected[1:])
    last = expected[-1]
    assert isinstance(last, Data) and last.data_flags & DataFlag.END_OF_RESPONSE


# --------------------------------------------------------------- round trips

_u16 = st.integers(0, 0xFFFF)
_u32 = st.integers(0, 0xFFFFFFFF)
_u8 = st.integers(0, 0xFF)


@st.composite
def accepts(draw: st.DrawFn) -> Accept:
    version = draw(st.integers(300, 319))
    large = version >= 315
    sdu = draw(_u32 if large else _u16)
    tdu = draw(_u32 if large else _u16)
    return Accept(
        version=version,
        service_options=draw(_u16),
        sdu=sdu,
        tdu=tdu,
        value_of_one=draw(_u16),
        nsi_flags0=draw(_u8),
        nsi_flags1=draw(_u8),
        compression=draw(_u8) if large else 0,
        flags2=draw(_u32) if version >= 318 else 0,
        uuid=draw(st.none() | st.binary(min_size=16, max_size=16)) if version >= 319 else None,
        accept_data=draw(st.binary(max_size=40)),
        flags=draw(_u8),
    )


@st.composite
def connects(draw: st.DrawFn) -> Connect:
    data = draw(st.binary(max_size=600))
    return Connect(
        version=draw(_u16),
        min_version=draw(_u16),
        service_options=draw(_u16),
        sdu=draw(_u32),
        tdu=draw(_u32),
        nt_characteristics=draw(_u16),
        line_turnaround=draw(_u16),
        value_of_one=draw(_u16),
        connect_data=data,
        connect_data_length=len(data),
        max_receivable=draw(_u32),
        nsi_flags0=draw(_u8),
        nsi_flags1=draw(_u8),
        connect_flags1=draw(_u32),
        connect_flags2=draw(_u32),
        flags=draw(_u8),
    )


simple_packets = st.one_of(
    st.builds(Data, data_flags=_u16, payload=st.binary(max_size=300), flags=_u8),
    st.builds(Resend, flags=_u8),
    st.builds(Marker, marker=st.sampled_from(MarkerType), marker_kind=st.integers(0, 2), flags=_u8),
    st.builds(Control, command=_u16, data=st.binary(max_size=20), flags=_u8),
    st.builds(
        Refuse,
        user_reason=_u8,
        system_reason=_u8,
        data=st.binary(min_size=1, max_size=300),
        flags=_u8,
    ).map(lambda r: Refuse(user_reason=r.user_reason, system_reason=r.system_reason,
                           data=r.data, data_length=len(r.data), flags=r.flags)),
    accepts(),
)


@given(st.lists(simple_packets, max_size=6), st.booleans(), st.randoms(use_true_random=False))
def test_packets_round_trip(packets: list[Packet], large: bool, rnd: random.Random) -> None:
    stream = b"".join(p.encode(large=large and not isinstance(p, Accept)) for p in packets)
    reader = PacketReader()
    reader.receive_data(stream)
    got: list[Packet] = []
    for p in packets:
        reader.large = large and not isinstance(p, Accept)
        pkt = reader.next_packet()
        assert pkt is not None
        got.append(pkt)
    assert got == packets
    assert reader.next_packet() is None


@given(connects())
def test_connect_round_trip(conn: Connect) -> None:
    raw = conn.encode()
    packets = read_all(raw)
    first = packets[0]
    assert isinstance(first, Connect)
    if len(conn.connect_data) > 230:
        assert first.data_follows and len(packets) == 2
        second = packets[1]
        assert isinstance(second, Data)
        first = first.with_connect_data(second.payload)
    else:
        assert len(packets) == 1
    assert first == conn


@given(st.binary(max_size=1000), st.integers(11, 300), st.integers(0, 0xFFFF), st.booleans())
def test_writer_splits_at_sdu(payload: bytes, sdu: int, last: int, large: bool) -> None:
    writer = PacketWriter(sdu=sdu, large=large)
    stream = writer.data(payload, flags=DataFlag.NONE, last_flags=last)
    packets = read_all(stream, large_after=0 if large else None)
    assert all(isinstance(p, Data) for p in packets)
    assert b"".join(p.payload for p in packets if isinstance(p, Data)) == payload
    sizes = [len(p.encode(large=large)) for p in packets]
    assert max(sizes) <= sdu
    assert [p.data_flags for p in packets if isinstance(p, Data)] == [0] * (len(packets) - 1) + [last]


def test_writer_marker_and_small_sdu() -> None:
    assert PacketWriter(large=True).marker(MarkerType.BREAK) == Marker().encode(large=True)
    with pytest.raises(ValueError):
        PacketWriter(sdu=5)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (bytes.fromhex("0004000006000000"), "shorter than its header"),
        (bytes.fromhex("0010000063000000"), "type 99 is not supported"),
        (bytes.fromhex("0010000003000000"), "type 3 is not supported"),
        (bytes.fromhex("000A000002000000013F"), "ACCEPT version 319"),
        (bytes.fromhex("000A00000C000000 0100".replace(" ", "")), "MARKER"),
        (bytes.fromhex("000B00000C000000010009"), "MARKER value 9"),
        (bytes.fromhex("000B00000C000000070001"), "MARKER kind 7"),
        (bytes.fromhex("000E000004000000 0000 00FF 4142".replace(" ", "")), "announces 255 bytes"),
        (bytes.fromhex("000C000005000000 0005 4142".replace(" ", "")), "announces 5 bytes"),
        (bytes.fromhex("0009000006000000 00".replace(" ", "")), "DATA"),
        (bytes.fromhex("0009000001000000 00".replace(" ", "")), "CONNECT"),
    ],
)
def test_bad_packets(raw: bytes, message: str) -> None:
    reader = PacketReader()
    reader.receive_data(raw)
    with pytest.raises(FramingError, match=message):
        reader.next_packet()


def test_bad_connect_offsets() -> None:
    good = bytearray(Connect(connect_data=b"(DESCRIPTION=)").encode())
    good[26:28] = (500).to_bytes(2, "big")
    with pytest.raises(FramingError, match="offset 500"):
        decode_packet(bytes(good))
    good[26:28] = (74).to_bytes(2, "big")
    good[24:26] = (40).to_bytes(2, "big")
    with pytest.raises(FramingError, match="announces 40 bytes"):
        decode_packet(bytes(good))


def test_bad_accept_data() -> None:
    raw = bytearray(Accept().encode())
    raw[18:20] = (30).to_bytes(2, "big")
    with pytest.raises(FramingError, match="outside"):
        decode_packet(bytes(raw))


def test_length_limit_rejected_before_waiting() -> None:
    reader = PacketReader(large=True, limits=Limits(max_packet_size=8192))
    reader.receive_data(bytes.fromhex("7FFFFFFF06000000"))  # 2 GiB announced
    with pytest.raises(LimitExceededError, match="TNS packet length of 2147483647"):
        reader.next_packet()
    reader = PacketReader(limits=Limits(max_connect_data=10))
    reader.receive_data(Connect(connect_data=b"x" * 20).encode())
    with pytest.raises(LimitExceededError, match="CONNECT data length"):
        reader.next_packet()


def test_data_after_eof_and_header_too_long() -> None:
    reader = PacketReader()
    reader.receive_data(b"")
    assert reader.at_eof and reader.next_packet() is None
    with pytest.raises(FramingError, match="after the end"):
        reader.receive_data(b"x")
    with pytest.raises(EncodeError, match="16-bit"):
        Data(payload=bytes(70000)).encode()
    with pytest.raises(EncodeError, match="uuid"):
        Accept(uuid=b"1").encode()


def test_reader_compacts_its_buffer() -> None:
    one = Data(payload=bytes(1000)).encode()
    reader = PacketReader()
    for _ in range(200):
        reader.receive_data(one)
        assert reader.next_packet() == Data(payload=bytes(1000))
    assert reader.buffered == 0


@given(st.binary(max_size=200), st.booleans())
def test_arbitrary_bytes_only_framing_errors(data: bytes, large: bool) -> None:
    reader = PacketReader(large=large, limits=Limits(max_packet_size=4096))
    try:
        reader.receive_data(data)
        reader.receive_data(b"")
        while reader.next_packet() is not None:
            pass
    except (FramingError, LimitExceededError):
        pass


def test_packet_flag_values() -> None:
    assert int(PacketFlag.REDIRECTED) == 0x04
    assert int(PacketFlag.TLS_RENEGOTIATE) == 0x08
