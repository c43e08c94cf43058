"""LOBs: locators and LOB_OP (requests and replies) in both roles; LOB values,
binds and defines are in test_messages_lob_values.py.

Provenance of the vectors:

* [capture] python-oracledb 26.1.0 thin (PyPI) with ``PYO_DEBUG_PACKETS=1``
  against tests/interop/double.py (ServerConnection handing out
  ``make_locator`` locators), captured 2026-11-25 while writing lob.py: the
  request bytes are python-oracledb's own; the reply bytes are ours, and
  python-oracledb accepted them (it printed "hello" for ``read(1, 5)``).
* [doc] docs/protocol-ttc.md 6.13 / 3.9 [live] vectors.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs import OracleType
from oracle_sansio.errors import (
    DecodeError,
    EncodeError,
    LimitExceededError,
    NeedMoreData,
    UnexpectedMessageError,
)
from oracle_sansio.limits import Limits
from oracle_sansio.ttc.constants import FunctionCode, LobOp, MessageType
from oracle_sansio.ttc.messages.function import FunctionHeader
from oracle_sansio.ttc.messages.lob import (
    LOCATOR_LENGTH,
    LobOpRequest,
    LobOpResult,
    decode_lob_data_body,
    encode_lob_data,
    locator_id,
    locator_info,
    locator_type,
    make_locator,
    split_locators,
)
from oracle_sansio.ttc.wire import Reader, Writer

T = OracleType
H = bytes.fromhex

# [capture] locators: a fetched CLOB (id 1), a fetched BLOB (id 2), a temporary BLOB (id 3).
LOC_C = H("0026 0000 0008 0000 73616e73696f0001 0000000000000001 7001 0000000000000000000000000000")
LOC_B = H("0026 0000 0108 0000 73616e73696f0001 0000000000000002 7100 0000000000000000000000000000")
LOC_T = H("0026 0000 4108 0001 73616e73696f0001 0000000000000003 7100 0000000000000000000000000000")
ZERO = bytes(LOCATOR_LENGTH)


def c_hex(template: str) -> bytes:
    """Hex with ``C``/``B``/``T`` standing for the locators above."""
    parts = template.split()
    out = b""
    for part in parts:
        out += {"C": LOC_C, "B": LOC_B, "T": LOC_T}.get(part) or H(part)
    return out


# [capture] python-oracledb's LOB_OP requests (header 03 60 seq, token 0).
REQUESTS: list[tuple[bytes, LobOpRequest]] = [
    (c_hex("03 60 04 00 01 01 28 00 00 00 00 00 00 00 01 02 00 00 01 01 00 01 000000000000 C 01 05"),
     LobOpRequest.read(LOC_C, 1, 5)),
    (c_hex("03 60 05 00 01 01 28 00 00 00 00 00 00 00 01 40 00 00 01 01 00 00 000000000000 C 0e 06 68c3a96c6c6f"),
     LobOpRequest.write(LOC_C, 1, "héllo".encode())),
    (c_hex("03 60 06 00 01 01 28 00 00 00 00 00 00 00 01 20 00 00 00 00 01 000000000000 C 01 03"),
     LobOpRequest.trim(LOC_C, 3)),
    (c_hex("03 60 07 00 01 01 28 00 00 00 00 00 00 00 02 80 00 00 00 00 00 01 000000000000 C 01 02"),
     LobOpRequest.open(LOC_C)),
    (c_hex("03 60 08 00 01 01 28 00 00 00 00 00 00 01 04 00 01 10 00 00 00 00 00 00 000000000000 C"),
     LobOpRequest.is_open(LOC_C)),
    (c_hex("03 60 09 00 01 01 28 00 00 00 00 00 00 00 04 00 01 00 00 00 00 00 00 00 000000000000 C"),
     LobOpRequest.close(LOC_C)),
    (H("03 60 0a 00 01 01 28 00 01 0a 00 00 01 00 01 02 01 10 00 00 00 01 71 00 000000000000")
     + ZERO + H("02 03 69"),
     LobOpRequest.create_temp(T.BLOB, 0, 873)),
    (c_hex("03 60 0b 00 01 01 28 00 00 00 00 00 00 00 01 40 00 00 01 01 00 00 000000000000 T 0e 03 616263"),
     LobOpRequest.write(LOC_T, 1, b"abc")),
]
# [capture] the free piggyback python-oracledb put before its next EXECUTE.
FREE_PIGGYBACK = c_hex("11 60 0d 00 01 01 28 00 00 00 00 00 00 00 04 00 08 01 11 00 00 00 00 00 000000000000 T")
# [capture] our replies python-oracledb accepted (ERROR and END_OF_RESPONSE left out).
REPLIES: list[tuple[LobOpRequest, bytes | None, bytes, LobOpResult]] = [
    (REQUESTS[0][1], b"hello", c_hex("08 C 01 05"), LobOpResult(locator=LOC_C, amount=5)),
    (REQUESTS[1][1], None, c_hex("08 C"), LobOpResult(locator=LOC_C)),
    (REQUESTS[2][1], None, c_hex("08 C 01 03"), LobOpResult(locator=LOC_C, amount=3)),
    (REQUESTS[3][1], None, c_hex("08 C 01 02"), LobOpResult(locator=LOC_C, amount=2)),
    (REQUESTS[4][1], None, c_hex("08 C 01"), LobOpResult(locator=LOC_C, bool_flag=True)),
    (REQUESTS[5][1], None, c_hex("08 C"), LobOpResult(locator=LOC_C)),
    (REQUESTS[6][1], None, c_hex("08 T 02 03 69 00"), LobOpResult(locator=LOC_T, charset_id=873)),
]
def encode_request(req: LobOpRequest, *, seq: int, token: int | None = 0, piggyback: bool = False) -> bytes:
    w = Writer()
    req.encode(w, seq=seq, token=token, piggyback=piggyback)
    return w.getvalue()


def decode_request(data: bytes, *, has_token: bool = True, limits: Limits | None = None) -> LobOpRequest:
    r = Reader(data)
    header = FunctionHeader.decode(r, has_token=has_token)
    req = LobOpRequest.decode_body(r, header, **({"limits": limits} if limits else {}))
    if not r.at_end():
        raise AssertionError(f"{r.remaining} bytes left")
    return req


def every_prefix_needs_more(data: bytes, decode: Callable[[bytes], object]) -> None:
    for cut in range(len(data)):
        with pytest.raises(NeedMoreData):
            decode(data[:cut])


# ------------------------------------------------------------ locators


def test_captured_locators_are_make_locator_output() -> None:
    assert make_locator(1, ora_type=T.CLOB, csfrm=1, temporary=False) == LOC_C
    assert make_locator(2, ora_type=T.BLOB, csfrm=0, temporary=False) == LOC_B
    assert make_locator(3, ora_type=T.BLOB, csfrm=0, temporary=True) == LOC_T
    assert [locator_id(x) for x in (LOC_C, LOC_B, LOC_T)] == [1, 2, 3]
    assert locator_type(LOC_C) == (T.CLOB, 1) and locator_type(LOC_T) == (T.BLOB, 0)


def test_locator_flags() -> None:
    clob = locator_info(make_locator(9, ora_type=T.CLOB, csfrm=1, temporary=False, utf16=True))
    assert not clob.is_blob and clob.is_initialized and clob.var_length_charset and not clob.needs_free
    assert clob.encoding(1) == "utf-16-be" and clob.encoding(2) == "utf-16-be"
    temp = make_locator(2**64 - 1, ora_type=T.BLOB, csfrm=0, temporary=True)
    info = locator_info(temp)
    assert info.is_blob and info.is_abstract and info.is_temporary and info.needs_free
    assert temp[4:8] == H("41 08 00 01") and locator_id(temp) == 2**64 - 1
    assert locator_info(LOC_C).encoding(1) == "utf-8"
    assert locator_info(LOC_C).encoding(2) == "utf-16-be"  # NCLOB data is always UTF-16BE


def test_encoding_little_endian_only_with_var_length() -> None:
    # lob.pyx _get_encoding tests the little-endian bit inside the var-length branch.
    both = bytearray(LOC_C)
    both[6] |= 0x80
    both[7] |= 0x40
    assert locator_info(bytes(both)).encoding(1) == "utf-16-le"
    only_le = bytearray(LOC_C)
    only_le[7] |= 0x40
    assert locator_info(bytes(only_le)).little_endian and locator_info(bytes(only_le)).encoding(1) == "utf-8"


def test_foreign_locators_have_no_id() -> None:
    assert locator_id(ZERO) is None  # python-oracledb's CREATE_TEMP locator
    assert locator_type(ZERO) is None
    assert locator_id(LOC_C[:39]) is None and locator_id(LOC_C + b"\x00") is None
    assert not locator_info(ZERO).needs_free
    with pytest.raises(DecodeError, match="no flag bytes"):
        locator_info(b"\x00" * 7)


@pytest.mark.parametrize(
    ("ora_type", "csfrm", "lob_id", "match"),
    [
        (T.CLOB, 0, 1, "csfrm 1 or 2"),
        (T.BLOB, 1, 1, "csfrm 0"),
        (T.BFILE, 0, 1, "not type 114"),
        (T.CLOB, 1, -1, "64 bits"),
        (T.CLOB, 1, 2**64, "64 bits"),
    ],
)
def test_make_locator_rejects(ora_type: int, csfrm: int, lob_id: int, match: str) -> None:
    with pytest.raises(EncodeError, match=match):
        make_locator(lob_id, ora_type=ora_type, csfrm=csfrm, temporary=False)


def test_split_locators() -> None:
    assert split_locators(LOC_C + LOC_T) == (LOC_C, LOC_T)
    assert split_locators(b"") == ()
    for bad in (LOC_C + b"\x00", LOC_C[:-1], H("0004 0000 00 00"), ZERO):
        with pytest.raises(DecodeError):
            split_locators(bad)


# -------------------------------------------------------- LOB_OP requests


@pytest.mark.parametrize(("data", "request_"), REQUESTS, ids=lambda x: getattr(x, "operation", "bytes"))
def test_captured_requests_byte_exact(data: bytes, request_: LobOpRequest) -> None:
    assert encode_request(request_, seq=data[2]) == data
    assert decode_request(data) == request_
    every_prefix_needs_more(data, decode_request)


def test_read_request_shape() -> None:
    # [doc] 6.13 [live]: read(1, 5) is op 0x2, source length 40, source offset 1, amount 5.
    req = decode_request(REQUESTS[0][0])
    assert (req.operation, len(req.source_locator or b""), req.source_offset, req.amount) == (LobOp.READ, 40, 1, 5)


def test_create_temp_fields() -> None:
    req = decode_request(REQUESTS[6][0])
    assert req.source_locator == ZERO and req.dest_length == 10 and req.charset_id == 873
    assert (req.source_offset, req.dest_offset) == (0, T.BLOB)  # csfrm, ora type
    nclob = LobOpRequest.create_temp(T.CLOB, 2, 2000)
    assert decode_request(encode_request(nclob, seq=1)) == nclob


def test_free_temp_piggyback_layout() -> None:
    req = LobOpRequest.free_temp([LOC_T])
    assert encode_request(req, seq=0x0D, piggyback=True) == FREE_PIGGYBACK
    r = Reader(FREE_PIGGYBACK + b"\x03\x5e")
    header = FunctionHeader.decode(r, has_token=True)
    assert header.message_type == MessageType.PIGGYBACK and header.code == FunctionCode.LOB_OP
    assert LobOpRequest.decode_body(r, header) == req and r.pos == len(FREE_PIGGYBACK)
    # Several locators: python-oracledb concatenates them after the total length.
    many = LobOpRequest.free_temp([LOC_T, LOC_C, make_locator(7, ora_type=T.CLOB, csfrm=2, temporary=True)])
    data = encode_request(many, seq=2, piggyback=True)
    assert data[4:7] == H("01 01 78") and data.endswith(b"".join(many.locators))
    assert decode_request(data) == many and many.is_array


def _write_pieces_of_base_pyx_free(total: int, op: int) -> bytes:
    # messages/base.pyx _write_close_temp_lobs_piggyback, field by field.
    w = Writer()
    fields = [("ub1", 1), ("ub4", total), ("ub1", 0), ("ub4", 0), ("ub4", 0), ("ub4", 0)]
    fields += [("ub1", 0), ("ub1", 0), ("ub1", 0), ("ub4", op), ("ub1", 0), ("ub4", 0), ("ub8", 0), ("ub8", 0)]
    fields += [("ub1", 0)] + [("ub1", 0), ("ub4", 0)] * 3  # the last three pairs: array LOB fields
    for width, value in fields:
        getattr(w, width)(value)
    return w.getvalue()


def test_free_temp_matches_base_pyx_field_list() -> None:
    locators = [LOC_T, LOC_B]
    data = encode_request(LobOpRequest.free_temp(locators), seq=3, token=None, piggyback=True)
    assert data == H("11 60 03") + _write_pieces_of_base_pyx_free(80, 0x80111) + LOC_T + LOC_B


ALL_OPS: list[LobOpRequest] = [
    LobOpRequest.read(LOC_C, 2**40, 2**32 - 1),
    LobOpRequest.write(LOC_C, 3, b"x" * 300),
    LobOpRequest.write(LOC_B, 1, b""),
    LobOpRequest.trim(LOC_C, 0),
    LobOpRequest.get_length(LOC_C),
    LobOpRequest.get_chunk_size(LOC_B),
    LobOpRequest.open(LOC_C, 11),
    LobOpRequest.close(LOC_C),
    LobOpRequest.is_open(LOC_C),
    LobOpRequest.file_open(LOC_B),
    LobOpRequest.file_close(LOC_B),
    LobOpRequest.file_exists(LOC_B),
    LobOpRequest.file_is_open(LOC_B),
    LobOpRequest.create_temp(T.CLOB, 1, 873),
    LobOpRequest.free_temp([LOC_T]),
]


@pytest.mark.parametrize("req", ALL_OPS, ids=lambda r: f"{r.operation:#x}")
@pytest.mark.parametrize("token", [None, 0, 2**40])
def test_every_operation_round_trips(req: LobOpRequest, token: int | None) -> None:
    for piggyback in (False, True):
        data = encode_request(req, seq=9, token=token, piggyback=piggyback)
        assert decode_request(data, has_token=token is not None) == req
    every_prefix_needs_more(data, lambda d: decode_request(d, has_token=token is not None))


def test_request_encode_rejects_inconsistent_fields() -> None:
    for bad in (
        LobOpRequest(operation=LobOp.CREATE_TEMP, source_locator=ZERO),
        LobOpRequest(operation=LobOp.READ, source_locator=LOC_C, charset_id=873),
        LobOpRequest(operation=LobOp.WRITE, source_locator=LOC_C),
        LobOpRequest(operation=LobOp.READ, source_locator=LOC_C, data=b"x"),
        LobOpRequest(operation=LobOp.FREE_TEMP | LobOp.ARRAY, source_locator=LOC_C, locators=(LOC_T,)),
    ):
        with pytest.raises(EncodeError):
            encode_request(bad, seq=1)


def test_request_decode_errors() -> None:
    read = REQUESTS[0][0]
    with pytest.raises(UnexpectedMessageError, match="not LOB_OP"):
        decode_request(read[:1] + b"\x5e" + read[2:])
    write = REQUESTS[1][0]
    at = write.index(H("0e 06"))
    with pytest.raises(UnexpectedMessageError, match="LOB_DATA"):
        decode_request(write[:at] + b"\x07" + write[at + 1 :])
    scn = bytearray(read)
    scn[17] = 1  # SCN array length
    with pytest.raises(DecodeError, match="SCN array"):
        decode_request(bytes(scn))
    bad_list = encode_request(LobOpRequest.free_temp([LOC_T]), seq=1)
    with pytest.raises(DecodeError, match="claims"):
        decode_request(bad_list[:-40] + b"\x00\x40" + bad_list[-38:])


def test_request_locator_length_bounded() -> None:
    w = Writer()
    FunctionHeader(code=FunctionCode.LOB_OP, seq=1, token=0).encode(w)
    w.ub1(1)
    w.ub4(5000)  # above MAX_LOCATOR_LENGTH: refused before any byte of it is awaited
    w.raw(H("00 00 00 00 00 00 00 01 02 00 00 01 01 00 01") + bytes(6))
    with pytest.raises(LimitExceededError, match="LOB_OP source locator length"):
        decode_request(w.getvalue())
    small = Limits(max_bytes_length=16)
    with pytest.raises(LimitExceededError):
        decode_request(REQUESTS[0][0], limits=small)
    # A locator list is bounded by max_bytes_length only.
    data = encode_request(LobOpRequest.free_temp([LOC_T] * 200), seq=1)
    assert len(decode_request(data).locators) == 200
    with pytest.raises(LimitExceededError):
        decode_request(data, limits=Limits(max_bytes_length=4096))


# ------------------------------------------------------------- replies


def decode_reply(data: bytes, req: LobOpRequest) -> tuple[bytes | None, LobOpResult]:
    r = Reader(data)
    chunk = None
    mtype = r.ub1()
    if mtype == MessageType.LOB_DATA:
        chunk = decode_lob_data_body(r)
        mtype = r.ub1()
    if mtype != MessageType.PARAMETER:
        raise AssertionError(mtype)
    result = LobOpResult.decode_parameter_body(r, req)
    if not r.at_end():
        raise AssertionError("bytes left")
    return chunk, result


@pytest.mark.parametrize(("req", "chunk", "parameter", "result"), REPLIES)
def test_captured_replies(req: LobOpRequest, chunk: bytes | None, parameter: bytes, result: LobOpResult) -> None:
    w = Writer()
    if chunk is not None:
        encode_lob_data(w, chunk)
    result.encode(w, req)
    data = w.getvalue()
    assert data == (H("0e") + bytes([len(chunk)]) + chunk if chunk else b"") + parameter
    assert decode_reply(data, req) == (chunk, result)
    every_prefix_needs_more(data, lambda d: decode_reply(d, req))


def test_read_reply_doc_vector() -> None:
    # [doc] 6.13 [live]: 0E 05 "hello" 08 <40 raw> 01 05 -> "hello".
    data = H("0e 05") + b"hello" + H("08") + LOC_C + H("01 05")
    assert decode_reply(data, LobOpRequest.read(LOC_C, 1, 5)) == (b"hello", LobOpResult(locator=LOC_C, amount=5))


@pytest.mark.parametrize("req", [r for r in ALL_OPS if not r.is_array], ids=lambda r: f"{r.operation:#x}")
def test_reply_round_trips(req: LobOpRequest) -> None:
    result = LobOpResult(
        locator=LOC_T if req.source_locator is not None else None,
        amount=-7 if req.amount is not None and req.operation != LobOp.CREATE_TEMP else None,
        bool_flag=False if req.operation in (LobOp.IS_OPEN, LobOp.FILE_EXISTS, LobOp.FILE_ISOPEN) else None,
        charset_id=2000 if req.operation == LobOp.CREATE_TEMP else 0,
        flags=1 if req.operation == LobOp.CREATE_TEMP else 0,
    )
    w = Writer()
    result.encode(w, req)
    assert decode_reply(w.getvalue(), req) == (None, result)


def test_reply_defaults_and_errors() -> None:
    read = LobOpRequest.read(LOC_C, 1, 5)
    w = Writer()
    LobOpResult(amount=0).encode(w, read)  # no locator: the request's is echoed
    assert w.getvalue() == H("08") + LOC_C + H("00")
    for result, req, match in (
        (LobOpResult(locator=LOC_C[:-1], amount=1), read, "40"),
        (LobOpResult(locator=LOC_C), read, "needs an amount"),
        (LobOpResult(locator=LOC_C), LobOpRequest.is_open(LOC_C), "bool flag"),
        (LobOpResult(), LobOpRequest.free_temp([LOC_T]), "no reply"),
    ):
        with pytest.raises(EncodeError, match=match):
            result.encode(Writer(), req)
    assert decode_lob_data_body(Reader(H("00"))) == b""
    big = bytes(range(256)) * 200
    w = Writer()
    encode_lob_data(w, big)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.LOB_DATA and decode_lob_data_body(r) == big
    with pytest.raises(LimitExceededError):
        decode_lob_data_body(Reader(w.getvalue()[1:], limits=Limits(max_bytes_length=1000)))


# ------------------------------------------------------------- hypothesis

_locators = st.one_of(
    st.builds(
        make_locator,
        st.integers(0, 2**64 - 1),
        ora_type=st.just(T.BLOB),
        csfrm=st.just(0),
        temporary=st.booleans(),
    ),
    st.binary(min_size=8, max_size=600),
)
_u32 = st.integers(0, 2**32 - 1)
_u64 = st.integers(0, 2**64 - 1)


@st.composite
def lob_requests(draw: st.DrawFn) -> LobOpRequest:
    kind = draw(st.sampled_from(["plain", "write", "create", "free"]))
    locator = draw(_locators)
    if kind == "write":
        return LobOpRequest.write(locator, draw(_u64), draw(st.binary(max_size=400)))
    if kind == "create":
        ora_type = draw(st.sampled_from([T.CLOB, T.BLOB]))
        return LobOpRequest.create_temp(ora_type, draw(st.integers(0, 2)), draw(_u32), locator)
    if kind == "free":
        ids = draw(st.lists(st.integers(0, 2**64 - 1), max_size=5))
        return LobOpRequest.free_temp([make_locator(i, ora_type=T.CLOB, csfrm=1, temporary=True) for i in ids])
    op = draw(st.sampled_from([LobOp.READ, LobOp.TRIM, LobOp.GET_LENGTH, LobOp.OPEN, LobOp.CLOSE, LobOp.IS_OPEN]))
    return LobOpRequest(
        operation=op,
        source_locator=draw(st.one_of(st.none(), st.just(locator))),
        dest_length=draw(_u32),
        source_offset=draw(_u64),
        dest_offset=draw(_u64),
        amount=draw(st.one_of(st.none(), _u64)),
    )


@settings(max_examples=150, deadline=None)
@given(req=lob_requests(), seq=st.integers(1, 255), token=st.one_of(st.none(), _u64), piggyback=st.booleans())
def test_hypothesis_request_round_trip(req: LobOpRequest, seq: int, token: int | None, piggyback: bool) -> None:
    data = encode_request(req, seq=seq, token=token, piggyback=piggyback)
    assert decode_request(data, has_token=token is not None) == req


@settings(max_examples=150, deadline=None)
@given(
    req=lob_requests(), amount=st.integers(-(2**63) + 1, 2**63 - 1), flag=st.booleans(), data=st.binary(max_size=300)
)
def test_hypothesis_reply_round_trip(req: LobOpRequest, amount: int, flag: bool, data: bytes) -> None:
    if req.is_array:
        return
    result = LobOpResult(
        locator=req.source_locator,
        amount=amount if req.amount is not None and req.operation != LobOp.CREATE_TEMP else None,
        bool_flag=flag if req.operation == LobOp.IS_OPEN else None,
        charset_id=amount & 0xFFFF if req.operation == LobOp.CREATE_TEMP else 0,
        flags=amount & 0xFF if req.operation == LobOp.CREATE_TEMP else 0,
    )
    w = Writer()
    if data:
        encode_lob_data(w, data)
    result.encode(w, req)
    assert decode_reply(w.getvalue(), req) == (data or None, result)
