"""TTC wire primitives: vectors from docs/protocol-ttc.md 2, round trips, bounds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.errors import DecodeError, EncodeError, LimitExceededError, NeedMoreData
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.wire import Reader, Writer


def written(fn: Callable[[Writer], None], *, big_chunks: bool = True) -> bytes:
    w = Writer(big_chunks=big_chunks)
    fn(w)
    return w.getvalue()


# ------------------------------------------------------------------ vectors

# docs/protocol-ttc.md 2.1 / 2.2 (python-oracledb impl/base/buffer.pyx write_ub4 / write_sb4).
UB_VECTORS = [
    (0, "00"),
    (5, "0105"),
    (873, "020369"),
    (2147483647, "047FFFFFFF"),
    (0x10000, "0400010000"),
]
SB_VECTORS = [(-127, "817F"), (-1, "8101"), (0, "00"), (300, "02012C"), (-70000, "8400011170")]


@pytest.mark.parametrize(("value", "hexed"), UB_VECTORS)
def test_ub4_vectors(value: int, hexed: str) -> None:
    raw = bytes.fromhex(hexed)
    assert written(lambda w: w.ub4(value)) == raw
    r = Reader(raw)
    assert r.ub4() == value and r.at_end()


@pytest.mark.parametrize(("value", "hexed"), SB_VECTORS)
def test_sb4_vectors(value: int, hexed: str) -> None:
    raw = bytes.fromhex(hexed)
    assert written(lambda w: w.sb4(value)) == raw
    assert Reader(raw).sb4() == value


def test_ub8_and_minimal_forms() -> None:
    assert written(lambda w: w.ub8(2**40)) == bytes.fromhex("080000010000000000")
    # go-ora writes 3-byte forms; readers accept any N up to the width.
    assert Reader(bytes.fromhex("03010000")).ub4() == 0x10000
    assert Reader(bytes.fromhex("0700000000000001")).ub8() == 1


def test_clr_vectors() -> None:
    # docs/protocol-ttc.md 2.3: 00 and FF are NULL; "" binds as 00 [live].
    assert Reader(b"\x00").clr() is None
    assert Reader(b"\xff").clr() is None
    assert written(lambda w: w.clr(b"")) == b"\x00"
    assert written(lambda w: w.clr(None)) == b"\x00"
    assert written(lambda w: w.clr(b"abc")) == b"\x03abc"
    assert written(lambda w: w.clr(b"x" * 252))[:1] == b"\xfc"
    # [live] a 9000-byte VARCHAR bind arrived as FE + one 9000-byte chunk + 00.
    raw = written(lambda w: w.clr(b"y" * 9000))
    assert raw[:4] == bytes.fromhex("FE022328") and raw[-1:] == b"\x00" and len(raw) == 9005
    assert Reader(raw).clr() == b"y" * 9000
    # Python writes chunks of at most 32767 bytes.
    raw = written(lambda w: w.clr(b"z" * 40000))
    assert raw[:4] == bytes.fromhex("FE027FFF")
    assert Reader(raw).clr() == b"z" * 40000


def test_small_chunks_without_big_chunk_capability() -> None:
    raw = written(lambda w: w.clr(b"q" * 600), big_chunks=False)
    assert raw[:2] == b"\xfe\xff"
    assert Reader(raw, big_chunks=False).clr() == b"q" * 600


def test_dlc_and_auth_kv_vectors() -> None:
    # docs/protocol-connect.md 9.2 [live]: "AUTH_TERMINAL" = "unknown", flags 0.
    raw = bytes.fromhex("010D0D") + b"AUTH_TERMINAL" + bytes.fromhex("010707") + b"unknown" + b"\x00"
    assert written(lambda w: w.auth_kv("AUTH_TERMINAL", "unknown")) == raw
    assert Reader(raw).auth_kv() == ("AUTH_TERMINAL", "unknown", 0)
    # 9.3: AUTH_VFR_DATA carries the verifier type in its flags (0x4815).
    raw = written(lambda w: w.auth_kv("AUTH_VFR_DATA", "00", 0x4815))
    assert raw.endswith(bytes.fromhex("024815"))
    assert Reader(raw).auth_kv() == ("AUTH_VFR_DATA", "00", 0x4815)
    # An absent value reads as "".
    assert Reader(bytes.fromhex("0101 01 4B 00 00".replace(" ", ""))).auth_kv() == ("K", "", 0)
    assert written(lambda w: w.dlc(None)) == b"\x00"
    assert Reader(b"\x00").dlc() is None


def test_keyword_value() -> None:
    # docs/protocol-ttc.md 2.5: ub2 text_len + CLR, ub2 bin_len + CLR, ub2 keyword.
    raw = written(lambda w: w.keyword_value(b"SCOTT", None, 168))
    assert raw == bytes.fromhex("0105") + b"\x05SCOTT" + bytes.fromhex("00 01A8".replace(" ", ""))
    assert Reader(raw).keyword_value() == (b"SCOTT", None, 168)
    tz = bytes.fromhex("800000003E3C3C80000000")
    raw = written(lambda w: w.keyword_value(None, tz, 163))
    assert Reader(raw).keyword_value() == (None, tz, 163)


def test_fixed_width_and_nul() -> None:
    w = Writer()
    w.u16be(0x1234)
    w.u32be(0xDEADBEEF)
    w.u16le(873)
    w.u32le(7)
    w.u64be(1)
    w.raw(b"python-oracledb\x00")
    w.ub1(0x83)
    r = Reader(w.getvalue())
    assert (r.u16be(), r.u32be(), r.u16le(), r.u32le(), r.u64be()) == (0x1234, 0xDEADBEEF, 873, 7, 1)
    assert r.until_nul() == b"python-oracledb"
    assert r.sb1() == 0x83 - 256
    assert r.at_end() and r.remaining == 0
    r = Reader(b"abc")
    with pytest.raises(NeedMoreData):
        r.until_nul()
    with pytest.raises(LimitExceededError, match="NUL-terminated"):
        Reader(b"abcdef").until_nul(max_length=3)


# ------------------------------------------------------------- round trips


@given(st.lists(st.tuples(st.sampled_from(["ub2", "ub4", "ub8", "sb2", "sb4", "sb8"]), st.integers())))
def test_integers_round_trip(items: list[tuple[str, int]]) -> None:
    bounds = {"ub2": (0, 0xFFFF), "ub4": (0, 0xFFFFFFFF), "ub8": (0, 2**64 - 1),
              "sb2": (-0xFFFF, 0xFFFF), "sb4": (-0xFFFFFFFF, 0xFFFFFFFF), "sb8": (-(2**64 - 1), 2**64 - 1)}
    w = Writer()
    expected = []
    for kind, value in items:
        lo, hi = bounds[kind]
        if lo <= value <= hi:
            getattr(w, kind)(value)
            expected.append((kind, value))
        else:
            with pytest.raises(EncodeError):
                getattr(w, kind)(value)
    r = Reader(w.getvalue())
    assert [(kind, getattr(r, kind)()) for kind, _ in expected] == expected
    assert r.at_end()


@given(st.lists(st.one_of(st.none(), st.binary(max_size=70_000))), st.booleans())
def test_clr_and_dlc_round_trip(values: list[bytes | None], big_chunks: bool) -> None:
    w = Writer(big_chunks=big_chunks)
    for v in values:
        w.clr(v)
        w.dlc(v)
    r = Reader(w.getvalue(), big_chunks=big_chunks)
    for v in values:
        assert r.clr() == (v or None)
        assert r.dlc() == (v or None)
    assert r.at_end()


@given(st.lists(st.tuples(st.text(max_size=50), st.text(max_size=300), st.integers(0, 2**32 - 1)), max_size=8))
def test_auth_kv_round_trip(pairs: list[tuple[str, str, int]]) -> None:
    w = Writer()
    for k, v, f in pairs:
        w.auth_kv(k, v, f)
    assert Reader(w.getvalue()).auth_kvs(len(pairs)) == pairs


# ------------------------------------------------------------ short reads


def _sample_message() -> bytes:
    w = Writer()
    w.ub1(3)
    w.ub4(70000)
    w.sb8(-5)
    w.clr(b"s" * 10)
    w.clr(b"L" * 40000)
    w.dlc(b"dlc")
    w.auth_kv("AUTH_SESSKEY", "00FF", 1)
    w.keyword_value(b"t", b"b", 9)
    w.u32be(1)
    return w.getvalue()


def _parse(r: Reader) -> list[object]:
    return [r.ub1(), r.ub4(), r.sb8(), r.clr(), r.clr(), r.dlc(), r.auth_kv(), r.keyword_value(), r.u32be()]


def test_every_truncation_is_need_more_data() -> None:
    raw = _sample_message()
    expected = _parse(Reader(raw))
    for cut in list(range(0, 40)) + list(range(40, len(raw), 997)) + [len(raw) - 1]:
        r = Reader(raw[:cut])
        with pytest.raises(NeedMoreData):
            _parse(r)
    assert _parse(Reader(raw)) == expected


def test_chunked_read_rewinds_on_short_input() -> None:
    raw = written(lambda w: w.clr(b"L" * 40000))
    r = Reader(raw[:-10])
    with pytest.raises(NeedMoreData):
        r.clr()
    assert r.pos == 0


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("raw", "method", "message"),
    [
        ("81 05", "ub4", "negative"),
        ("05 0000000001", "ub4", "too large"),
        ("03 000001", "ub2", "too large"),
        ("09 000000000000000001", "ub8", "too large"),
        ("85 0000000001", "sb4", "too large"),
    ],
)
def test_bad_integers(raw: str, method: str, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        getattr(Reader(bytes.fromhex(raw.replace(" ", ""))), method)()


def test_limits_checked_before_waiting() -> None:
    limits = Limits(max_chunk_size=1000, max_chunk_count=3, max_bytes_length=2500, max_kv_pairs=2)
    # A chunk announcing 2 GiB is refused at once, with no data behind it.
    with pytest.raises(LimitExceededError, match="CLR chunk length of 2147483647"):
        Reader(bytes.fromhex("FE 04 7FFFFFFF".replace(" ", "")), limits=limits).clr()
    many = bytes.fromhex("FE") + (bytes.fromhex("0101") + b"x") * 4 + b"\x00"
    with pytest.raises(LimitExceededError, match="chunk count"):
        Reader(many, limits=limits).clr()
    big = bytes.fromhex("FE") + (bytes.fromhex("0203E8") + b"x" * 1000) * 3 + b"\x00"
    with pytest.raises(LimitExceededError, match="chunked CLR length"):
        Reader(big, limits=limits).clr()
    with pytest.raises(LimitExceededError, match="DLC length"):
        Reader(bytes.fromhex("04 7FFFFFFF".replace(" ", "")), limits=limits).dlc()
    with pytest.raises(LimitExceededError, match="pair count"):
        Reader(b"", limits=limits).auth_kvs(3)


def test_bad_utf8_and_bad_values() -> None:
    with pytest.raises(DecodeError, match="not valid UTF-8 at byte 1"):
        Reader(b"\x02a\xff").clr_str()
    with pytest.raises(DecodeError, match="negative byte count"):
        Reader(b"").raw(-1)
    with pytest.raises(EncodeError, match="negative"):
        Writer().ub4(-1)
    with pytest.raises(EncodeError, match="out of range"):
        Writer().ub1(256)


@given(st.binary(max_size=64))
def test_arbitrary_bytes_never_escape(data: bytes) -> None:
    for method in ("ub2", "ub4", "ub8", "sb2", "sb4", "sb8", "clr", "dlc", "auth_kv", "keyword_value"):
        r = Reader(data, limits=Limits(max_chunk_size=64, max_bytes_length=256))
        try:
            while not r.at_end():
                getattr(r, method)()
        except (NeedMoreData, DecodeError, LimitExceededError):
            pass
