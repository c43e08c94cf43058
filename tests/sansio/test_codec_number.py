"""NUMBER / BINARY_INTEGER codec: known vectors, exact round trips, byte order, bad input."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.codecs.number import (
    decode_number,
    decode_number_decimal,
    decode_number_float,
    decode_number_int_or_float,
    decode_number_text,
    encode_number,
    encode_number_text,
)
from oracle_sansio.errors import DecodeError, EncodeError

# (value, body hex).  Provenance: docs/protocol-ttc.md 6.3 worked-examples table;
# rows marked [live] were produced/accepted by python-oracledb 26.1 in the live check.
VECTORS: list[tuple[int | Decimal, str]] = [
    (0, "80"),  # docs/protocol-ttc.md 6.3
    (1, "C1 02"),  # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1
    (2, "C1 03"),  # docs/protocol-ttc.md 6.3
    (5, "C1 06"),  # docs/protocol-ttc.md 6.3
    (99, "C1 64"),  # docs/protocol-ttc.md 6.3
    (100, "C2 02"),  # docs/protocol-ttc.md 6.3
    (-1, "3E 64 66"),  # docs/protocol-ttc.md 6.3
    (-5, "3E 60 66"),  # docs/protocol-ttc.md 6.3
    (-99, "3E 02 66"),  # docs/protocol-ttc.md 6.3
    (Decimal("1.5"), "C1 02 33"),  # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1
    (Decimal("0.5"), "C0 33"),  # docs/protocol-ttc.md 6.3
    (Decimal("0.001"), "BF 0B"),  # docs/protocol-ttc.md 6.3
    (Decimal("123.45"), "C2 02 18 2E"),  # docs/protocol-ttc.md 6.3
    (Decimal("-123.45"), "3D 64 4E 38 66"),  # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1 (Decimal bind)
    (12345678901234567890, "CA 0D 23 39 4F 5B 0D 23 39 4F 5B"),  # docs/protocol-ttc.md 6.3
    (10**125, "FF 0B"),  # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1 (top exponent byte)
    (999 * 10**123, "FF 64 5B"),  # docs/protocol-ttc.md 6.3 (9.99e125)
    (Decimal("1E-130"), "80 02"),  # docs/protocol-ttc.md 6.3 (smallest exponent byte)
    (42, "C1 2B"),  # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1
]


@pytest.mark.parametrize(("value", "hexed"), VECTORS)
def test_vectors(value: int | Decimal, hexed: str) -> None:
    body = bytes.fromhex(hexed)
    assert encode_number(value) == body
    decoded = decode_number(body)
    assert decoded == value
    # python-oracledb returns int exactly when its text form has no decimal point.
    assert isinstance(decoded, int) == ("." not in decode_number_text(body))


def test_float_bind_goes_through_repr() -> None:
    # docs/protocol-ttc.md 6.3, [live] python-oracledb 26.1: 2.5 -> C1 03 33.
    assert encode_number(2.5) == bytes.fromhex("C1 03 33")
    assert encode_number(0.1) == encode_number(Decimal("0.1"))
    assert encode_number(1e-05) == encode_number_text("0.00001")


@pytest.mark.parametrize(
    ("hexed", "text"),
    [
        ("80", "0"),
        ("C1 02 33", "1.5"),
        ("BF 0B", "0.001"),
        ("3D 64 4E 38 66", "-123.45"),
        ("C2 0B", "1000"),
        ("80 02", "0." + "0" * 129 + "1"),
        ("FF 0B", "1" + "0" * 125),
        ("00", "-1e126"),  # python-oracledb converters.pyx: the max negative value's text
    ],
)
def test_text_form(hexed: str, text: str) -> None:
    assert decode_number_text(bytes.fromhex(hexed)) == text


def test_max_negative_value() -> None:
    # docs/protocol-ttc.md 6.3: a 1-byte negative value means -1e126.
    assert decode_number(b"\x00") == -(10**126)
    assert decode_number(b"\x3e") == -(10**126)
    assert decode_number_float(b"\x00") == -1e126


def test_result_types() -> None:
    assert type(decode_number(bytes.fromhex("C1 2B"))) is int
    assert type(decode_number(bytes.fromhex("C1 02 33"))) is Decimal
    assert repr(decode_number(bytes.fromhex("C1 02 33"))) == "Decimal('1.5')"
    # Non-canonical trailing zero pair: still integral, still int.
    assert decode_number(bytes.fromhex("C1 02 01")) == 1
    assert type(decode_number(bytes.fromhex("C1 02 01"))) is int
    assert decode_number(bytes.fromhex("C0 01")) == 0


def test_forty_digits() -> None:
    value = int("1234567891" * 4)
    body = encode_number(value)
    assert len(body) == 21
    assert decode_number(body) == value
    negative = encode_number(-value)
    assert len(negative) == 21 and negative[-1] != 0x66  # no room for the terminator
    assert decode_number(negative) == -value
    fraction = Decimal("0." + "1234567891" * 4)
    assert decode_number(encode_number(fraction)) == fraction


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (float("nan"), "represented"),
        (float("inf"), "represented"),
        (float("-inf"), "represented"),
        (Decimal("NaN"), "represented"),
        (Decimal("sNaN"), "represented"),
        (Decimal("-Infinity"), "represented"),
        (10**126, "1e126"),
        (-(10**126), "1e126"),
        pytest.param(10**5000, "1e126", id="10**5000"),  # would trip int->str limits if converted first
        (Decimal("1E126"), "magnitude"),
        (Decimal("1E-131"), "magnitude"),
        (5e-324, "magnitude"),
        (int("1" * 41), "significant digits"),
        (Decimal("1." + "1" * 40), "significant digits"),
        # 40 digits with an odd count before the point need 21 mantissa bytes;
        # python-oracledb would send an invalid 22-byte value instead.
        (int("1234567891" * 4) * 10, "even"),
        (Decimal("1234567891" * 4 + "E-1"), "even"),
    ],
)
def test_encode_errors(value: int | Decimal | float, word: str) -> None:
    with pytest.raises(EncodeError, match=word):
        encode_number(value)


def test_encode_wrong_type() -> None:
    with pytest.raises(TypeError):
        encode_number("1")  # type: ignore[arg-type]


def test_bool_is_one_or_zero() -> None:
    assert encode_number(True) == bytes.fromhex("C1 02")
    assert encode_number(False) == b"\x80"


@pytest.mark.parametrize(
    ("text", "hexed"),
    [
        ("1e-5", "BE 0B"),
        ("-.5", "3F 33 66"),
        ("5.", "C1 06"),
        ("0.000", "80"),
        ("-0", "80"),
        ("1E+2", "C2 02"),
        ("007", "C1 08"),
    ],
)
def test_encode_text(text: str, hexed: str) -> None:
    assert encode_number_text(text) == bytes.fromhex(hexed)


@pytest.mark.parametrize("text", ["", "-", ".", "abc", "1e", "1e+", "--1", "1.2.3", "1e5.5", " 1", "١"])
def test_encode_text_invalid(text: str) -> None:
    with pytest.raises(EncodeError, match="not a valid number"):
        encode_number_text(text)


def test_encode_text_huge_exponent() -> None:
    with pytest.raises(EncodeError, match="exponent"):
        encode_number_text("1e" + "9" * 5000)


@pytest.mark.parametrize(
    ("hexed", "word"),
    [
        ("", "empty"),
        ("C1" + " 02" * 21, "too long"),
        ("C1 00", "mantissa byte 0x00"),
        ("C1 65", "mantissa byte 0x65"),  # 101 would be the base-100 digit 100
        ("C1 02 FF", "offset 2"),
        ("3E 01 66", "mantissa byte 0x01"),  # negative digit 100
        ("3E 66 64", "mantissa byte 0x66"),  # terminator in the middle
        ("3E 00", "mantissa byte 0x00"),
        ("3E 66", "no mantissa"),
    ],
)
def test_decode_errors(hexed: str, word: str) -> None:
    data = bytes.fromhex(hexed)
    for decoder in (decode_number, decode_number_text, decode_number_float):
        with pytest.raises(DecodeError, match=word):
            decoder(data)


# ----------------------------------------------------------------- properties


def _reference(data: bytes) -> Decimal:
    """Straightforward sum over base-100 digits, for checking the table-driven decoder."""
    negative = not data[0] & 0x80
    exponent = (255 - data[0] if negative else data[0]) - 193
    mantissa = data[1:-1] if negative and data[-1] == 102 else data[1:]
    with localcontext() as ctx:
        ctx.prec = 400  # exact: no rounding anywhere in the sum
        total = Decimal(0)
        for i, byte in enumerate(mantissa):
            digit = 101 - byte if negative else byte - 1
            total += Decimal(digit).scaleb(2 * (exponent - i))
        return -total if negative else total


@st.composite
def valid_bodies(draw: st.DrawFn) -> bytes:
    negative = draw(st.booleans())
    count = draw(st.integers(1, 20))
    if negative:
        mantissa = draw(st.lists(st.integers(2, 101), min_size=count, max_size=count))
        tail = [102] if count < 20 and draw(st.booleans()) else []
        return bytes([draw(st.integers(0, 0x7F)), *mantissa, *tail])
    mantissa = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    return bytes([draw(st.integers(0x80, 0xFF)), *mantissa])


@given(valid_bodies())
def test_decoder_matches_reference(data: bytes) -> None:
    value = decode_number(data)
    assert value == _reference(data)
    assert isinstance(value, int) == (_reference(data) == _reference(data).to_integral_value())
    assert Decimal(decode_number_text(data)) == value
    assert decode_number_float(data) == float(_reference(data))
    # The driver's fused decoders: int when integral else float; Decimal always.
    fused = decode_number_int_or_float(data)
    assert type(fused) is (int if isinstance(value, int) else float) and fused == (
        value if isinstance(value, int) else float(value))
    exact = decode_number_decimal(data)
    assert type(exact) is Decimal and exact == value


@given(st.integers(-(10**38) + 1, 10**38 - 1))
def test_int_round_trip(value: int) -> None:
    decoded = decode_number(encode_number(value))
    assert decoded == value and type(decoded) is int


@st.composite
def decimals(draw: st.DrawFn) -> Decimal:
    """Decimals with up to 40 significant digits anywhere in 1e-130 .. 1e126."""
    count = draw(st.integers(1, 40))
    digits = [draw(st.integers(1, 9)), *draw(st.lists(st.integers(0, 9), min_size=count - 1, max_size=count - 1))]
    dp = draw(st.integers(-129, 126))
    if count == 40 and dp % 2:
        digits.pop()  # 40 digits fit only with an even decimal-point position
    return Decimal((draw(st.integers(0, 1)), tuple(digits), dp - len(digits)))


@given(decimals())
def test_decimal_round_trip(value: Decimal) -> None:
    assert decode_number(encode_number(value)) == value
    assert encode_number_text(str(value)) == encode_number(value)


@given(
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or 1e-130 <= abs(f) < 1e126)
)
def test_float_round_trip(value: float) -> None:
    body = encode_number(value)
    assert decode_number_float(body) == value
    assert decode_number(body) == Decimal(repr(value))


@st.composite
def clustered(draw: st.DrawFn) -> Decimal:
    """Values that share long digit prefixes and exponents, where byte order is hardest."""
    count = draw(st.integers(1, 40))
    digits = [1, *draw(st.lists(st.sampled_from([0, 1, 9]), min_size=count - 1, max_size=count - 1))]
    dp = draw(st.sampled_from([-2, -1, 0, 1, 2]))
    if count == 40 and dp % 2:
        digits.pop()
    return Decimal((draw(st.integers(0, 1)), tuple(digits), dp - len(digits)))


@settings(max_examples=200)
@given(st.lists(st.one_of(decimals(), clustered(), st.integers(-(10**38), 10**38)), min_size=2, max_size=20))
def test_byte_order_is_numeric_order(values: list[int | Decimal]) -> None:
    # The embedded server stores NUMBER as these bytes and sorts them with memcmp.
    by_bytes = sorted(values, key=encode_number)
    assert all(a <= b for a, b in zip(by_bytes, by_bytes[1:]))
    for a, b in zip(values, values[1:]):
        assert (encode_number(a) < encode_number(b)) == (a < b)
        assert (encode_number(a) == encode_number(b)) == (a == b)


@given(st.binary(max_size=24))
def test_arbitrary_bytes(data: bytes) -> None:
    for decoder in (decode_number, decode_number_text, decode_number_float):
        try:
            decoder(data)
        except DecodeError:
            pass
