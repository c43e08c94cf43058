"""DATA_TYPES in every layout a real client sends, in both roles (issue 12, item 5).

The OCI / sqlplus exchanges come from tests/vectors/data_types_oci.txt, whose
header names the capture file and frames of each one.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ConnectRequested
from oracle_sansio.connection.server import ServerConfig, ServerConnection
from oracle_sansio.connection.states import ServerState
from oracle_sansio.errors import NeedMoreData
from oracle_sansio.tns.packets import Data
from oracle_sansio.ttc._datatypes_table import CLIENT_DATA_TYPES
from oracle_sansio.ttc.capabilities import client_compile_caps, client_runtime_caps
from oracle_sansio.ttc.messages.negotiate import (
    DataTypeEntry,
    DataTypesRequest,
    DataTypesResponse,
    encode_timezone,
    reply_layout,
)
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_data_types_oci
from tests.sansio.pair import client_params, counter_entropy

OCI = load_data_types_oci()

#: capture -> (entries, as counted by a 2-or-4-field reader, encoding flags, tz version)
EXPECTED: dict[str, tuple[int | None, int | None, int, int | None]] = {
    "john-samples-Oracle-1.pcap.txt": (321, 345, 0x42, None),
    "john-samples-11gR2-no-Nmap.txt": (321, 344, 0x02, 14),
    "john-samples-try-2.txt": (318, 341, 0x42, None),
    "john-samples-Oracle-WinWin-1.pcap.txt": (None, None, 0x42, None),
    "john-samples-oracle_11g_password1234567890.txt": (None, None, 0x02, 32),
    "ndpi-oracle12.txt": (None, None, 0x02, 18),
}


def _fixed_field_count(entries: tuple[DataTypeEntry, ...]) -> int:
    """How many entries a reader of ``type, conv[, rep, 0]`` groups (go-ora's,
    and ours before) counts in the same bytes.  JDBC's reader takes an entry as
    a type, any number of ``conv, rep`` pairs and a zero: OCI sends up to
    three pairs for its native integer types, which such a reader splits into
    extra entries (the "345" of issue 12 is this count).  Both readings end at
    the same terminator."""
    w = Writer()
    DataTypesResponse(data_types=entries).encode(w)
    r = Reader(w.getvalue()[1:])
    count = 0
    while r.u16be():
        count += 1
        if r.u16be():
            r.u16be()
            r.u16be()
    assert r.at_end()
    return count


@pytest.mark.parametrize("capture", sorted(EXPECTED))
def test_oci_request_decodes_fully(capture: str) -> None:
    data, server_tz = OCI[("request", capture)]
    r = Reader(data)
    req = DataTypesRequest.decode(r, server_tz_version=server_tz, list_may_be_absent=True)
    assert r.at_end()
    entries, groups, flags, version = EXPECTED[capture]
    assert req.encoding_flags == flags and req.national_charset_id == 2000
    assert req.timezone is not None and req.tz_version == version
    if entries is None:
        assert req.data_types is None
    else:
        assert req.data_types is not None and len(req.data_types) == entries
        assert _fixed_field_count(req.data_types) == groups
        assert (1, 1, 1) in req.data_types and (2, 2, 10) in req.data_types
    w = Writer()
    req.encode(w)
    assert w.getvalue() == data


@pytest.mark.parametrize("capture", sorted(EXPECTED))
def test_oci_reply_decodes_in_the_requests_layout(capture: str) -> None:
    data, server_tz = OCI[("request", capture)]
    req = DataTypesRequest.decode(Reader(data), server_tz_version=server_tz, list_may_be_absent=True)
    reply, _ = OCI[("reply", capture)]
    r = Reader(reply)
    back = DataTypesResponse.decode(r, **reply_layout(req))
    assert r.at_end()
    assert back.timezone_minutes == 0 and back.tz_version == (None if req.tz_version is None else back.tz_version)
    assert (back.tz_version is None) == (req.tz_version is None)
    assert (back.data_types is None) == (req.data_types is None)
    w = Writer()
    back.encode(w)
    assert w.getvalue() == reply


def test_request_split_over_packets_waits_for_the_rest() -> None:
    # try-2 sent its request in two packets (frames 17 and 20): the first alone is incomplete.
    data, server_tz = OCI[("request", "john-samples-try-2.txt")]
    with pytest.raises(NeedMoreData):
        DataTypesRequest.decode(Reader(data[:2001]), server_tz_version=server_tz, list_may_be_absent=True)


def test_without_packet_end_the_decoder_never_guesses() -> None:
    data, server_tz = OCI[("request", "ndpi-oracle12.txt")]
    with pytest.raises(NeedMoreData):
        DataTypesRequest.decode(Reader(data), server_tz_version=server_tz)


# ----------------------------------------------------------- server role


def _negotiating_server(config: ServerConfig) -> ServerConnection:
    """A server that has answered PROTOCOL and waits for DATA_TYPES."""
    client = ClientConnection(client_params(), entropy=counter_entropy(b"c"))
    server = ServerConnection(config, entropy=counter_entropy(b"s"))
    client.start()
    for _ in range(20):
        server.receive_data(client.data_to_send())
        while (ev := server.next_event()) is not NEED_DATA:
            if isinstance(ev, ConnectRequested):
                server.accept()
        if server.state == ServerState.NEGOTIATING and server.data_to_send():
            return server  # the PROTOCOL reply, which the client never sees
        client.receive_data(server.data_to_send())
        while client.next_event() is not NEED_DATA:
            pass
    raise AssertionError("server never reached DATA_TYPES")


def _exchange(server: ServerConnection, request: bytes) -> bytes:
    server.receive_data(Data(payload=request).encode(large=True))
    assert server.next_event() is NEED_DATA
    out = server.data_to_send()
    assert out[4] == 6  # one DATA packet
    return out[10:]


@pytest.mark.parametrize("capture", ["john-samples-11gR2-no-Nmap.txt", "ndpi-oracle12.txt"])
def test_server_answers_a_zone_with_dbtimezone(capture: str) -> None:
    server = _negotiating_server(ServerConfig(db_timezone_minutes=-330, timezone_file_version=43))
    data, _ = OCI[("request", capture)]
    reply = _exchange(server, data)
    assert server.state == ServerState.AUTH_ONE
    # DBTIMEZONE sits right after the message type, then the version (ub4, big-endian).
    assert reply[1:12] == encode_timezone(-330)
    assert reply[1:12] == bytes((0x80, 0, 0, 0, 60 - 5, 60 - 30, 60, 0x80, 0, 0, 0))
    assert reply[12:16] == (43).to_bytes(4, "big")
    req = DataTypesRequest.decode(Reader(data), list_may_be_absent=True)
    back = DataTypesResponse.decode(Reader(reply), **reply_layout(req))
    assert back.timezone_minutes == -330 and back.tz_version == 43
    if req.data_types is None:
        assert len(reply) == 16  # no list asked for, none sent (as Oracle answers sqlplus 12c)
    else:
        assert reply[16:] == b"\x00\x00"


def test_server_answers_python_oracledb_without_zone() -> None:
    server = _negotiating_server(ServerConfig(db_timezone_minutes=120))
    w = Writer()
    DataTypesRequest(
        compile_caps=client_compile_caps(), runtime_caps=client_runtime_caps(), data_types=CLIENT_DATA_TYPES
    ).encode(w)
    assert _exchange(server, w.getvalue()) == b"\x02\x00\x00"


# ------------------------------------------------------------ round trips

_TYPE = st.integers(1, 1023)
_BYTE_TYPE = st.integers(1, 255)


@st.composite
def _entries(draw: st.DrawFn, ub2: bool) -> tuple[DataTypeEntry, ...] | None:
    if draw(st.booleans()):
        return None
    value = _TYPE if ub2 else _BYTE_TYPE
    rep = st.integers(0, 0xFFFF if ub2 else 0xFF)
    out: list[DataTypeEntry] = []
    for _ in range(draw(st.integers(0, 12))):
        dtype = draw(value)
        pairs = draw(st.integers(0, 3))
        if pairs == 0:
            out.append((dtype, 0, 0))
        else:
            fields: list[int] = [dtype]
            for _ in range(pairs):
                fields += (draw(value), draw(rep))
            out.append(tuple(fields))
    return tuple(out)


@st.composite
def _requests(draw: st.DrawFn) -> tuple[DataTypesRequest, bool]:
    ub2 = draw(st.booleans())
    caps = bytearray(client_compile_caps())
    caps[27] = 1 if ub2 else 0
    tz_version_cap = draw(st.booleans())
    caps[37] = 0x02 if tz_version_cap else 0
    rcaps = bytearray(client_runtime_caps())
    zone = draw(st.booleans())
    rcaps[1] = 1 if zone else 0
    server_tz = draw(st.booleans())
    flags = draw(st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x42]))
    national: int | None = None
    if (not ub2 and not flags & 1) or (ub2 and draw(st.booleans())):
        national = draw(st.sampled_from([2000, 871]))
    req = DataTypesRequest(
        charset_id=draw(st.integers(0, 0xFFFF)),
        out_charset_id=draw(st.integers(0, 0xFFFF)),
        encoding_flags=flags,
        compile_caps=bytes(caps),
        runtime_caps=bytes(rcaps),
        timezone=encode_timezone(draw(st.integers(-900, 900))) if zone else None,
        tz_version=draw(st.integers(0, 0xFFFFFFFF)) if zone and tz_version_cap and server_tz else None,
        national_charset_id=national,
        data_types=draw(_entries(ub2)),
    )
    return req, server_tz


@given(_requests())
def test_request_round_trip(case: tuple[DataTypesRequest, bool]) -> None:
    req, server_tz = case
    w = Writer()
    req.encode(w)
    data = w.getvalue()
    r = Reader(data)
    assert DataTypesRequest.decode(r, server_tz_version=server_tz, list_may_be_absent=True) == req
    assert r.at_end()
    if req.data_types is not None:
        # Every strict prefix is incomplete, also with the packet-end rule off.
        for cut in range(len(data)):
            with pytest.raises(NeedMoreData):
                DataTypesRequest.decode(Reader(data[:cut]), server_tz_version=server_tz)


@given(_requests(), st.integers(-900, 900), st.integers(0, 0xFFFFFFFF))
def test_reply_round_trip(case: tuple[DataTypesRequest, bool], minutes: int, version: int) -> None:
    req, _ = case
    reply = DataTypesResponse.answering(req, timezone_minutes=minutes, tz_version=version, data_types=((1, 1, 1),))
    w = Writer()
    reply.encode(w)
    r = Reader(w.getvalue())
    back = DataTypesResponse.decode(r, **reply_layout(req))
    assert back == reply and r.at_end()
    assert back.timezone_minutes == (minutes if req.timezone is not None else None)


def test_fuzz_harnesses_carry_the_oci_seeds() -> None:
    from fuzz import fuzz_messages

    picked = [s for s in fuzz_messages.seeds() if s[0] & 0x0F == 15]
    assert len(picked) >= 6
    for seed in picked:
        fuzz_messages.one_input(seed)


def _go_ora_like_caps() -> tuple[bytes, bytes]:
    # go-ora v2 data_type_nego.go: 45 compile caps (27 = 1, 37 = 2) and runtime caps 02 01 00 00 00 00 00.
    ccaps = bytearray(45)
    ccaps[0], ccaps[7], ccaps[27], ccaps[37] = 6, 11, 1, 2
    return bytes(ccaps), bytes((2, 1, 0, 0, 0, 0, 0))


@pytest.mark.parametrize("flags", [0x00, 0x01])
def test_go_ora_layout_national_id_whatever_the_flags(flags: int) -> None:
    # go-ora writes the server's PROTOCOL flags and then the id unconditionally.
    ccaps, rcaps = _go_ora_like_caps()
    w = Writer()
    w.ub1(2)
    w.u16le(873)
    w.u16le(873)
    w.ub1(flags)
    w.clr(ccaps)
    w.clr(rcaps)
    w.raw(encode_timezone(60))
    w.u32be(0x20)
    w.u16le(2000)
    w.raw(bytes.fromhex("0001 0001 0001 0000 000d 0000 0000"))
    req = DataTypesRequest.decode(Reader(w.getvalue()), list_may_be_absent=True)
    assert req.national_charset_id == 2000 and req.tz_version == 0x20
    assert req.data_types == ((1, 1, 1), (13, 0, 0))
    reply = DataTypesResponse.answering(req, timezone_minutes=-60, tz_version=43)
    out = Writer()
    reply.encode(out)
    # What go-ora reads back: the zone, the version, then ub2 fields up to a zero.
    assert out.getvalue() == b"\x02" + encode_timezone(-60) + (43).to_bytes(4, "big") + b"\x00\x00"


def test_jdbc_layout_without_national_id() -> None:
    # Old JDBC thin (T4C8TTIdty): the zone, the version, then the entries; no id.
    ccaps, rcaps = _go_ora_like_caps()
    w = Writer()
    w.ub1(2)
    w.u16le(871)
    w.u16le(871)
    w.ub1(0)
    w.clr(ccaps)
    w.clr(rcaps)
    w.raw(encode_timezone(0))
    w.raw(bytes(4))
    w.raw(bytes.fromhex("0001 0001 0001 0000 0002 0002 000a 0000 0000"))
    req = DataTypesRequest.decode(Reader(w.getvalue()), list_may_be_absent=True)
    assert req.national_charset_id is None and req.data_types == ((1, 1, 1), (2, 2, 10))


# ------------------------------------------------------------ work


def test_client_table_is_encoded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every connect sends the same 322 entries; walking them each time cost more
    # than the rest of the logon's client-side encoding together.
    from oracle_sansio.connection import _client_logon as logon
    from oracle_sansio.ttc.capabilities import Capabilities
    from oracle_sansio.ttc.messages import negotiate

    walked: list[int] = []
    real = negotiate._encode_entries

    def counting(entries: tuple[DataTypeEntry, ...], ub2: bool) -> bytes:
        walked.append(len(entries))
        return real(entries, ub2)

    monkeypatch.setattr(negotiate, "_encode_entries", counting)
    monkeypatch.setattr(negotiate, "_ENCODED_ENTRIES", {})
    caps = Capabilities()
    sent = []
    for _ in range(3):
        w = Writer()
        logon.data_types_request(caps).encode(w)
        sent.append(w.getvalue())
    assert walked == [len(CLIENT_DATA_TYPES)]
    assert sent[0] == sent[1] == sent[2]
    # A table equal in value but another object is encoded for itself, to the same bytes.
    w = Writer()
    DataTypesRequest(
        compile_caps=logon.data_types_request(caps).compile_caps,
        runtime_caps=client_runtime_caps(),
        data_types=tuple(list(CLIENT_DATA_TYPES)),
    ).encode(w)
    assert w.getvalue() == sent[0] and len(walked) == 2
