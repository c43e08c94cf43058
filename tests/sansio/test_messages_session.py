"""Negotiation, auth, status and simple-call messages: real bytes and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle_sansio.errors import DecodeError, NeedMoreData, UnexpectedMessageError
from oracle_sansio.ttc._datatypes_table import CLIENT_DATA_TYPES
from oracle_sansio.ttc.capabilities import (
    Capabilities,
    client_compile_caps,
    client_runtime_caps,
    server_compile_caps,
    server_runtime_caps,
)
from oracle_sansio.ttc.constants import FunctionCode, MessageType
from oracle_sansio.ttc.messages.auth import AuthParameters, AuthRequest, pairs_dict
from oracle_sansio.ttc.messages.calls import CloseCursors, FetchRequest, SimpleCall
from oracle_sansio.ttc.messages.function import FunctionHeader, next_sequence
from oracle_sansio.ttc.messages.negotiate import (
    DataTypesRequest,
    DataTypesResponse,
    ProtocolRequest,
    ProtocolResponse,
)
from oracle_sansio.ttc.messages.status import (
    BatchError,
    ErrorInfo,
    ReturnParameters,
    ServerPiggyback,
    Status,
    Warning_,
)
from oracle_sansio.ttc.wire import Reader, Writer
from tests.captures import load_oracle_nio_23ai, load_python_oracledb_client

CLIENT = load_python_oracledb_client()["sync"]
NIO = load_oracle_nio_23ai()


def ttc(raw: bytes) -> bytes:
    """The TTC bytes of one DATA packet."""
    return raw[10:]


# --------------------------------------------------------------- negotiation


def test_python_oracledb_protocol_request() -> None:
    # python-oracledb-26.1-client-packets.txt, "protocol".
    body = ttc(CLIENT[1][1])
    req = ProtocolRequest.decode(Reader(body))
    assert req == ProtocolRequest(version=6, driver_name="python-oracledb")
    w = Writer()
    req.encode(w)
    assert w.getvalue() == body


def test_python_oracledb_data_types_request() -> None:
    body = ttc(CLIENT[2][1])
    req = DataTypesRequest.decode(Reader(body))
    assert (req.charset_id, req.out_charset_id, req.encoding_flags) == (873, 873, 3)
    assert len(req.compile_caps) == 55 and req.compile_caps[7] == 24
    assert len(req.runtime_caps) == 13
    assert req.data_types == CLIENT_DATA_TYPES
    w = Writer()
    req.encode(w)
    assert w.getvalue() == body
    # Our client differs from python-oracledb only in the features it leaves out.
    ours = client_compile_caps(end_of_response=True)
    assert len(ours) == 55 and ours[7] == 24 and ours[40] & 0x20
    assert client_runtime_caps() == req.runtime_caps


def test_real_23ai_negotiation_replies() -> None:
    # oracle-nio AuthenticationChallengeMessage.swift: PROTOCOL + DATA_TYPES + phase one.
    r = Reader(ttc(NIO["AuthenticationChallengeMessage"]))
    proto = ProtocolResponse.decode(r)
    assert proto.version == 6 and proto.banner == "x86_64/Linux 2.4.xx"
    assert (proto.charset_id, proto.ncharset_id) == (873, 2000)
    assert len(proto.compile_caps) == 53 and proto.compile_caps[7] == 24
    types = DataTypesResponse.decode(r)
    assert types.data_types is not None and len(types.data_types) == 389
    assert r.ub1() == MessageType.PARAMETER
    params = pairs_dict(AuthParameters.decode_body(r).pairs)
    assert params["AUTH_PBKDF2_VGEN_COUNT"] == "4096" and len(params["AUTH_SESSKEY"]) == 64
    assert r.ub1() == MessageType.ERROR
    info = ErrorInfo.decode_body(r, field_version=24)
    assert info.number == 0 and info.call_number == 1
    assert r.ub1() == MessageType.END_OF_RESPONSE and r.at_end()
    caps = Capabilities()
    caps.adjust_for_server_compile_caps(proto.compile_caps)
    caps.adjust_for_server_runtime_caps(proto.runtime_caps)
    assert caps.field_version == 24 and caps.max_string_size == 32767 and caps.has_token


def test_minimal_protocol_reply_round_trip() -> None:
    # docs/protocol-connect.md 8.1 [live]: an 11-byte FDO with the ncharset at 9..10.
    reply = ProtocolResponse(
        banner="x86_64/Linux scratch", compile_caps=server_compile_caps(8), runtime_caps=server_runtime_caps()
    )
    w = Writer()
    reply.encode(w)
    raw = w.getvalue()
    assert raw.startswith(b"\x01\x06\x00x86_64/Linux scratch\x00\x69\x03\x00\x00\x00\x00\x0b")
    back = ProtocolResponse.decode(Reader(raw))
    assert back == reply and back.ncharset_id == 2000
    assert back.compile_caps[7] == 8


def test_data_types_minimal_reply() -> None:
    # [live] "02 00 00" is a complete reply.
    assert DataTypesResponse.decode(Reader(b"\x02\x00\x00")) == DataTypesResponse()
    w = Writer()
    DataTypesResponse(data_types=((1, 1, 1), (2, 0, 0))).encode(w)
    assert DataTypesResponse.decode(Reader(w.getvalue())).data_types == ((1, 1, 1), (2, 0, 0))


def test_bad_negotiation_replies() -> None:
    with pytest.raises(UnexpectedMessageError, match="expected TTC message PROTOCOL"):
        ProtocolResponse.decode(Reader(b"\x04"))
    bad_fdo = b"\x01\x06\x00b\x00\x69\x03\x00\x00\x00\x00\x03abc"
    with pytest.raises(DecodeError, match="FDO of 3 bytes"):
        ProtocolResponse.decode(Reader(bad_fdo))
    with pytest.raises(NeedMoreData):
        ProtocolResponse.decode(Reader(b"\x01\x06\x00banner"))


# ---------------------------------------------------------------------- auth


def test_python_oracledb_auth_requests() -> None:
    one = Reader(ttc(CLIENT[3][1]))
    header = FunctionHeader.decode(one, has_token=True)
    assert header.function == FunctionCode.AUTH_PHASE_ONE and header.seq == 1 and header.token == 0
    req = AuthRequest.decode_body(one, header)
    assert one.at_end()
    assert req.user == "scott" and req.mode == 1
    assert pairs_dict(req.pairs)["AUTH_PROGRAM_NM"] == "myapp.py"
    w = Writer()
    req.encode(w, seq=1, token=0)
    assert w.getvalue() == ttc(CLIENT[3][1])
    two = Reader(ttc(CLIENT[4][1]))
    header = FunctionHeader.decode(two, has_token=True)
    req2 = AuthRequest.decode_body(two, header)
    assert req2.phase_two and req2.mode == 0x101
    keys = [k for k, _, _ in req2.pairs]
    assert keys[:3] == ["AUTH_SESSKEY", "AUTH_PBKDF2_SPEEDY_KEY", "AUTH_PASSWORD"]
    flags = {k: f for k, _, f in req2.pairs}
    assert flags["AUTH_SESSKEY"] == 1 and flags["AUTH_ALTER_SESSION"] == 1
    # Secrets never show in repr.
    password = pairs_dict(req2.pairs)["AUTH_PASSWORD"]
    assert password not in repr(req2) and "<masked>" in repr(req2)


@given(
    st.text(max_size=30),
    st.integers(0, 2**32 - 1),
    st.lists(st.tuples(st.text(min_size=1, max_size=30), st.text(max_size=200), st.integers(0, 2**32 - 1)), max_size=8),
    st.booleans(),
    st.sampled_from([None, 0, 7]),
)
def test_auth_round_trip(
    user: str, mode: int, pairs: list[tuple[str, str, int]], phase_two: bool, token: int | None
) -> None:
    req = AuthRequest(phase_two=phase_two, user=user, mode=mode, pairs=tuple(pairs))
    w = Writer()
    req.encode(w, seq=9, token=token)
    r = Reader(w.getvalue())
    header = FunctionHeader.decode(r, has_token=token is not None)
    assert header.seq == 9 and header.token == token
    assert AuthRequest.decode_body(r, header) == req
    assert r.at_end()
    params = AuthParameters(pairs=tuple(pairs))
    w = Writer()
    params.encode(w)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.PARAMETER
    assert AuthParameters.decode_body(r) == params


def test_auth_request_rejects_other_functions() -> None:
    with pytest.raises(UnexpectedMessageError, match="not an AUTH call"):
        AuthRequest.decode_body(Reader(b""), FunctionHeader(code=FunctionCode.PING))


# ----------------------------------------------------------- status messages


def test_real_23ai_error_info_with_1403() -> None:
    body = ttc(NIO["SelectOneFromDualMessage"])
    start = body.index(bytes.fromhex("0401010186"))
    r = Reader(body, start + 1)
    info = ErrorInfo.decode_body(r, field_version=24)
    assert (info.number, info.cursor_id, info.row_count, info.sql_type) == (1403, 1, 1, 3)
    assert info.message == "ORA-01403: no data found"
    assert info.call_status == 1 and not info.in_transaction
    assert r.ub1() == MessageType.END_OF_RESPONSE


def test_real_23ai_logoff_status() -> None:
    r = Reader(ttc(NIO["CloseMessage"]))
    assert r.ub1() == MessageType.STATUS
    assert Status.decode_body(r) == Status(call_status=1)


def test_ora_01017_vector() -> None:
    # docs/protocol-connect.md 9.8 [live]: the 99-byte ERROR python-oracledb accepted (fv 24).
    message = "ORA-01017: invalid credential or not authorized; logon denied"
    w = Writer()
    ErrorInfo(number=1017, message=message).encode(w, field_version=24)
    raw = w.getvalue()
    assert len(raw) == 99
    assert raw.startswith(bytes.fromhex("0400000002 03F9".replace(" ", "")))
    assert raw.endswith(bytes.fromhex("0203F9 00 00 00 3D".replace(" ", "")) + message.encode())


@st.composite
def error_infos(draw: st.DrawFn) -> ErrorInfo:
    batch = draw(
        st.lists(
            st.builds(
                BatchError,
                code=st.integers(0, 0xFFFF),
                offset=st.integers(0, 2**32 - 1),
                message=st.just(None) | st.text(min_size=1, max_size=30).map(str.strip).filter(bool),
            ),
            max_size=3,
        )
    )
    if any(b.message for b in batch):
        batch = [BatchError(code=b.code, offset=b.offset, message=b.message or "x") for b in batch]
    number = draw(st.integers(0, 2**32 - 1))
    rowid = draw(st.none() | st.tuples(st.integers(1, 2**32 - 1), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1), st.integers(0, 0xFFFF)))
    return ErrorInfo(
        call_status=draw(st.integers(0, 2**32 - 1)),
        end_to_end_seq=draw(st.integers(0, 0xFFFF)),
        current_row=draw(st.integers(0, 2**32 - 1)),
        cursor_id=draw(st.integers(0, 0xFFFF)),
        position=draw(st.integers(-0xFFFF, 0xFFFF)),
        sql_type=draw(st.integers(0, 255)),
        fatal=draw(st.integers(0, 255)),
        warning_flags=draw(st.integers(0, 255)),
        rowid=rowid,
        os_error=draw(st.integers(0, 2**32 - 1)),
        statement_number=draw(st.integers(0, 255)),
        call_number=draw(st.integers(0, 255)),
        success_iterations=draw(st.integers(0, 2**32 - 1)),
        batch_errors=tuple(batch),
        number=number,
        row_count=draw(st.integers(0, 2**64 - 1)),
        message=draw(st.text(max_size=60).map(str.rstrip)) if number else None,
    )


@given(error_infos(), st.sampled_from([8, 14, 24]))
def test_error_info_round_trip(info: ErrorInfo, fv: int) -> None:
    w = Writer()
    info.encode(w, field_version=fv)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.ERROR
    back = ErrorInfo.decode_body(r, field_version=fv)
    expected_message = info.message if info.number else None
    assert back == ErrorInfo(**{**{f: getattr(info, f) for f in ErrorInfo.__dataclass_fields__}, "message": expected_message or (None if not info.number else "")})
    assert r.at_end()


@given(
    st.lists(st.integers(0, 2**32 - 1), max_size=6),
    st.binary(max_size=20),
    st.lists(st.tuples(st.none() | st.binary(min_size=1, max_size=20), st.none() | st.binary(min_size=1, max_size=20), st.integers(0, 0xFFFF)), max_size=4),
    st.binary(max_size=16),
    st.none() | st.lists(st.integers(0, 2**64 - 1), max_size=4).map(tuple),
)
def test_return_parameters_round_trip(
    al8o4: list[int], txn: bytes, kws: list[tuple[bytes | None, bytes | None, int]], reg: bytes, counts: tuple[int, ...] | None
) -> None:
    params = ReturnParameters(al8o4=tuple(al8o4), transaction=txn, keywords=tuple(kws), registration=reg, dml_row_counts=counts)
    w = Writer()
    params.encode(w)
    r = Reader(w.getvalue())
    assert r.ub1() == MessageType.PARAMETER
    assert ReturnParameters.decode_body(r, dml_row_counts=counts is not None) == params


def test_status_warning_piggyback_round_trips() -> None:
    for msg, decode in (
        (Status(call_status=2, end_to_end_seq=5), Status.decode_body),
        (Warning_(number=24344, flags=1, message="ORA-24344: success with compilation error"), Warning_.decode_body),
        (Warning_(), Warning_.decode_body),
        (ServerPiggyback(opcode=7, ltxid=b"\x01\x02"), ServerPiggyback.decode_body),
        (ServerPiggyback(opcode=5, keywords=((b"SCOTT", None, 168),)), ServerPiggyback.decode_body),
        (ServerPiggyback(opcode=1), ServerPiggyback.decode_body),
    ):
        w = Writer()
        msg.encode(w)
        r = Reader(w.getvalue())
        r.ub1()
        assert decode(r) == msg
        assert r.at_end()
    with pytest.raises(DecodeError, match="unknown server-side piggyback opcode 99"):
        ServerPiggyback.decode_body(Reader(b"\x63"))


# ------------------------------------------------------------------- calls


def test_python_oracledb_simple_calls() -> None:
    by_label = {label: ttc(raw) for label, raw in CLIENT}
    for label, code in (("commit", FunctionCode.COMMIT), ("ping", FunctionCode.PING), ("logoff", FunctionCode.LOGOFF)):
        r = Reader(by_label[label])
        header = FunctionHeader.decode(r, has_token=True)
        assert header.function == code and r.at_end()
        w = Writer()
        SimpleCall(function=code).encode(w, seq=header.seq, token=0)
        assert w.getvalue() == by_label[label]
    r = Reader(by_label["fetch"])
    header = FunctionHeader.decode(r, has_token=True)
    fetch = FetchRequest.decode_body(r)
    assert header.function == FunctionCode.FETCH and fetch.rows == 3 and r.at_end()


def test_close_cursors_vector() -> None:
    # docs/protocol-ttc.md 7.5 [live], without the token byte it was captured with at fv 24.
    w = Writer()
    CloseCursors(cursor_ids=(4,)).encode(w, seq=0x0E, token=0)
    assert w.getvalue() == bytes.fromhex("11690E00010101 0104".replace(" ", ""))
    r = Reader(w.getvalue())
    header = FunctionHeader.decode(r, has_token=True)
    assert header.message_type == MessageType.PIGGYBACK
    assert CloseCursors.decode_body(r) == CloseCursors(cursor_ids=(4,))


def test_sequence_wraps_to_one() -> None:
    assert next_sequence(1) == 2 and next_sequence(255) == 1
    with pytest.raises(UnexpectedMessageError, match="expected a function call"):
        FunctionHeader.decode(Reader(b"\x04"), has_token=False)
