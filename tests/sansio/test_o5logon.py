"""Tests for oracle_sansio.crypto.o5logon and Secret: fixed vectors in both roles,
a real 11gR2 capture, client<->server round trips, failure and error policy,
and that no secret shows up in any repr/str/format."""

from __future__ import annotations

import copy
import hashlib
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle_sansio.crypto import (
    AES,
    AuthAccepted,
    AuthRejected,
    ClientAuthResponse,
    IterationCountError,
    RejectReason,
    Secret,
    ServerChallenge,
    UnsupportedVerifierError,
    Verifier,
    VerifierType,
    client_auth_response,
    derive_password_key,
    make_verifier,
    server_challenge,
    server_check_response,
    unpad,
    verify_server_response,
)
from oracle_sansio.errors import DecodeError, EncodeError, RemoteProtocolError
from tests.compiled import pure_only
from oracle_sansio.crypto import aes as _aes_module, o5logon as _o5logon_module


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# --------------------------------------------------------------------------
# docs/protocol-connect.md 9.9 "Worked test vectors: 12c [live]" (python-oracledb
# 26.1 sent exactly these values with the random inputs pinned).
V12_PASSWORD = "tiger"
V12_SALT = "00112233445566778899AABBCCDDEEFF"
V12_CSK_SALT = "FFEEDDCCBBAA99887766554433221100"
V12_A = h("101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F")
V12_B = h("303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F")
V12_R1 = h("505152535455565758595A5B5C5D5E5F")
V12_R2 = h("606162636465666768696A6B6C6D6E6F")
V12_R3 = h("707172737475767778797A7B7C7D7E7F")
V12_PASSWORD_KEY = (
    "F6BB1208C54226B1E11761D4EE6F6C77FF3224184EC2C4E81C6071D428B67B4F"
    "2B9C2534DFCCCAEC4AF4CCF08DF7138A037E48245CFC103D4CB33F0D7B463D0C"
)
V12_V = (
    "2994707BB5F2ACBE080618D3343FF84D355841BE0DBDB36AC7929B451971D005"
    "EC0751ED81EF4F019F7C2CF7FB7D7C4A76D8034387808FF2FE26CDC96F496998"
)
V12_SERVER_SESSKEY = "BA54E403B82FE6AD911467E7823DF4606F299FC4A3CAF5FC9B86840EFE2FC349"
V12_CLIENT_SESSKEY = "063328E150A8E960362FABDB61A0AF4864932BEF1B48D5E3558D43B8012718E3"
V12_COMBO = "24C9CE10776D8495F20633AD8BBEFD54029704741E4D58B13D0EB44D3E6C0483"
V12_SPEEDY = (
    "EB2C8F25EB33397816332C3D006235D3FDE4E808F04665ED5F4A0A09ADBE0104"
    "0ED34ACD84FB9DE4094E9EB6B31610D63EC71A0FD933B4DDF6BB939F51CEF324"
    "AB4B074690C754C1BD1936AA31ABC2CF"
)
V12_AUTH_PASSWORD = "D120B2959E76C5EFD1DEA7D3E5D3E5129DDDD43723C17B6081FB69F1C103EFD0"
V12_SVR_RESPONSE = (
    "503525CCA5248385F9FB6C5DD9C74F829379200587DA4BD3BE012819783BD9CC"
    "A1401F7E19A6EF3676E60F6670FCC443"
)

# docs/protocol-connect.md 9.10 "Worked test vectors: 11g [live]".
V11_PASSWORD = "tiger"
V11_SALT = "0102030405060708090A"
V11_A = bytes(range(0x10, 0x40))
V11_B = bytes(range(0x40, 0x70))
V11_R2 = h("707172737475767778797A7B7C7D7E7F")
V11_R3 = h("808182838485868788898A8B8C8D8E8F")
V11_H = "7B6F64293543572726E717DE67E4CCFD30B605BA"
V11_SERVER_SESSKEY = (
    "CAE82D480D2115E6A63751AB0049EAAA874F65CB94B3F79A9DAF05A28E45A83A"
    "1C80D1EC556EDC7280D2E72D7E1A7F3B"
)
V11_CLIENT_SESSKEY = (
    "6C66F205CED653322798A6DB6E96112256300E77E19E5CEF5EFC08481ADFA505"
    "5178ECAFC1FB27A0E1DD83138AF5B045"
)
V11_COMBO = "5BE3971B6EA34A76DD15DAF44FBBCF1F6312B1C445CB0FCC"
V11_AUTH_PASSWORD = "76504D77885F9B83EC8A9BEC7737B636589BE310B5076B47E033749D65B2F1B5"
V11_SVR_RESPONSE = (
    "14CAABB47A6C13A84AD9C283822CA5C21E73779BCFE1D358EAF3D1A9C9C180DC"
    "06887098A95BB261C2B7B11E7D89A386"
)

# Real 11gR2 session (OCI sqlplus, user "test"):
# /work/shared/captures/derived/john-samples-oracle_11g_password1234567890.txt,
# frame 17 (server phase-one reply: AUTH_SESSKEY, AUTH_VFR_DATA with flags
# 0x1B25) and frame 18 (client phase two: AUTH_SESSKEY, AUTH_PASSWORD).
# Combo key as derived in docs/protocol-connect.md 9.11.
CAP_PASSWORD = "password1234567890"
CAP_VFR_DATA = "442192E518F6F43D7CF7"
CAP_SERVER_SESSKEY = (
    "4D04DBD23D103F05D9B57EB6EC14D83A0A468AB906EAC907D3A8C796573E5F34"
    "BC15F0ECBC9EAC0350A38A663A368233"
)
CAP_CLIENT_SESSKEY = (
    "192AB7C9BA21C883824CF3D5BA073AC1129FD841E0AF6DF522C7EBDC52783CB8"
    "B97B792BFB6D9D743C7F4376FF0E7F93"
)
CAP_AUTH_PASSWORD = (
    "D3963B6AAED39C231BD5C92A10C0F146CA4784D1503A9B97598B31D33406390B"
    "7CA4F8B3EE5406A54C1842E4E63D1220"
)
CAP_COMBO = "D6B94526E2FBD34CF9EC0D179F1367C81FFF2D7343F531C5"


def client_12c(**overrides: object) -> ClientAuthResponse:
    args: dict[str, object] = dict(
        password=Secret(V12_PASSWORD),
        verifier_type=0x4815,
        sesskey_hex=V12_SERVER_SESSKEY,
        vfr_data_hex=V12_SALT,
        csk_salt_hex=V12_CSK_SALT,
        vgen_count="4096",
        sder_count="3",
        client_key=V12_B,
        speedy_salt=V12_R1,
        password_salt=V12_R2,
    )
    args.update(overrides)
    return client_auth_response(**args)  # type: ignore[arg-type]


def client_11g(**overrides: object) -> ClientAuthResponse:
    args: dict[str, object] = dict(
        password=Secret(V11_PASSWORD),
        verifier_type=0xB152,
        sesskey_hex=V11_SERVER_SESSKEY,
        vfr_data_hex=V11_SALT,
        client_key=V11_B,
        password_salt=V11_R2,
    )
    args.update(overrides)
    return client_auth_response(**args)  # type: ignore[arg-type]


def challenge_12c() -> ServerChallenge:
    verifier = make_verifier(Secret(V12_PASSWORD), salt=h(V12_SALT))
    return server_challenge(verifier, server_key=V12_A, csk_salt=h(V12_CSK_SALT))


def challenge_11g() -> ServerChallenge:
    verifier = make_verifier(
        Secret(V11_PASSWORD), salt=h(V11_SALT), verifier_type=VerifierType.TYPE_11G_1
    )
    return server_challenge(verifier, server_key=V11_A)


# --------------------------------------------------------------------------
# 12c vectors (9.9)


def test_12c_password_key_and_verifier() -> None:
    pkey = derive_password_key(Secret(V12_PASSWORD), vfr_data=h(V12_SALT), vgen_count=4096)
    assert pkey.expose().hex().upper() == V12_PASSWORD_KEY
    verifier = make_verifier(Secret(V12_PASSWORD), salt=h(V12_SALT))
    assert verifier.verifier_type is VerifierType.TYPE_12C
    assert verifier.digest.expose().hex().upper() == V12_V
    assert verifier.aes_key().expose().hex().upper() == V12_V[:64]
    assert verifier.to_text() == "T:" + V12_V + V12_SALT


def test_12c_client_matches_table() -> None:
    r = client_12c()
    assert r.verifier_type is VerifierType.TYPE_12C
    assert r.sesskey_hex == V12_CLIENT_SESSKEY
    assert r.speedy_key_hex == V12_SPEEDY
    assert r.password_hex == V12_AUTH_PASSWORD
    assert r.combo_key.expose().hex().upper() == V12_COMBO
    assert r.password_key is not None
    assert r.password_key.expose().hex().upper() == V12_PASSWORD_KEY
    assert r.new_password_hex is None
    assert verify_server_response(r.combo_key, V12_SVR_RESPONSE)


def test_12c_client_with_cached_password_key_skips_vgen() -> None:
    r = client_12c(password_key=Secret(h(V12_PASSWORD_KEY)), vgen_count=None)
    assert r.sesskey_hex == V12_CLIENT_SESSKEY
    assert r.speedy_key_hex == V12_SPEEDY
    assert r.password_hex == V12_AUTH_PASSWORD


def test_12c_client_accepts_ints_and_lower_case_hex() -> None:
    r = client_12c(
        sesskey_hex=V12_SERVER_SESSKEY.lower(),
        vfr_data_hex=V12_SALT.lower(),
        vgen_count=4096,
        sder_count=3,
        client_key=V12_B + bytes(16),  # a longer key: only the prefix is used
    )
    assert r.password_hex == V12_AUTH_PASSWORD


def test_12c_server_matches_table() -> None:
    ch = challenge_12c()
    assert ch.sesskey_hex == V12_SERVER_SESSKEY
    assert ch.vfr_data_hex == V12_SALT
    assert ch.verifier_type == 0x4815
    assert ch.csk_salt_hex == V12_CSK_SALT
    assert (ch.vgen_count, ch.sder_count) == (4096, 3)
    result = server_check_response(
        ch,
        sesskey_hex=V12_CLIENT_SESSKEY,
        speedy_key_hex=V12_SPEEDY,
        password_hex=V12_AUTH_PASSWORD,
        response_salt=V12_R3,
    )
    assert isinstance(result, AuthAccepted)
    assert result.svr_response_hex == V12_SVR_RESPONSE
    assert result.combo_key.expose().hex().upper() == V12_COMBO


def test_12c_server_from_verifier_text() -> None:
    verifier = Verifier.from_text("T:" + V12_V + V12_SALT)
    ch = server_challenge(verifier, server_key=V12_A, csk_salt=h(V12_CSK_SALT))
    assert ch.sesskey_hex == V12_SERVER_SESSKEY


# --------------------------------------------------------------------------
# 11g vectors (9.10)


def test_11g_verifier() -> None:
    verifier = make_verifier(
        Secret(V11_PASSWORD), salt=h(V11_SALT), verifier_type=VerifierType.TYPE_11G_1
    )
    assert verifier.digest.expose().hex().upper() == V11_H
    assert verifier.aes_key().expose().hex().upper() == V11_H + "00000000"
    assert verifier.to_text() == "S:" + V11_H + V11_SALT
    assert Verifier.from_text(verifier.to_text()) == verifier


def test_11g_client_matches_table() -> None:
    r = client_11g()
    assert r.sesskey_hex == V11_CLIENT_SESSKEY
    assert r.speedy_key_hex is None
    assert r.password_key is None
    assert r.password_hex == V11_AUTH_PASSWORD
    assert r.combo_key.expose().hex().upper() == V11_COMBO
    assert verify_server_response(r.combo_key, V11_SVR_RESPONSE)


def test_11g_server_matches_table() -> None:
    ch = challenge_11g()
    assert ch.sesskey_hex == V11_SERVER_SESSKEY
    assert ch.verifier_type == 0xB152
    assert (ch.csk_salt_hex, ch.vgen_count, ch.sder_count) == (None, None, None)
    result = server_check_response(
        ch,
        sesskey_hex=V11_CLIENT_SESSKEY,
        password_hex=V11_AUTH_PASSWORD,
        response_salt=V11_R3,
    )
    assert isinstance(result, AuthAccepted)
    assert result.svr_response_hex == V11_SVR_RESPONSE


def test_11g_server_accepts_fully_padded_client_sesskey() -> None:
    # go-ora (docs/protocol-connect.md 14.2) may send all 64 bytes of the padded B.
    k = h(V11_H + "00000000")
    padded = AES(k).encrypt_cbc(V11_B + bytes([16]) * 16).hex().upper()
    assert padded.startswith(V11_CLIENT_SESSKEY)
    result = server_check_response(
        challenge_11g(), sesskey_hex=padded, password_hex=V11_AUTH_PASSWORD, response_salt=V11_R3
    )
    assert isinstance(result, AuthAccepted)


# --------------------------------------------------------------------------
# Real 11gR2 capture (9.11)


def test_real_11gr2_capture_both_roles() -> None:
    salt = h(CAP_VFR_DATA)
    k = hashlib.sha1(CAP_PASSWORD.encode() + salt).digest() + bytes(4)
    # Recover the session's random values so our code can be replayed exactly.
    a = AES(k).decrypt_cbc(h(CAP_SERVER_SESSKEY))
    b = AES(k).decrypt_cbc(h(CAP_CLIENT_SESSKEY))
    password_plain = AES(h(CAP_COMBO)).decrypt_cbc(h(CAP_AUTH_PASSWORD))
    assert unpad(password_plain)[16:] == CAP_PASSWORD.encode()
    assert password_plain[-14:] == bytes([14]) * 14

    r = client_auth_response(
        password=Secret(CAP_PASSWORD),
        verifier_type=0x1B25,
        sesskey_hex=CAP_SERVER_SESSKEY,
        vfr_data_hex=CAP_VFR_DATA,
        client_key=b,
        password_salt=password_plain[:16],
    )
    assert r.sesskey_hex == CAP_CLIENT_SESSKEY
    assert r.combo_key.expose().hex().upper() == CAP_COMBO
    assert r.password_hex == CAP_AUTH_PASSWORD

    verifier = make_verifier(
        Secret(CAP_PASSWORD), salt=salt, verifier_type=VerifierType.TYPE_11G_2
    )
    ch = server_challenge(verifier, server_key=a)
    assert ch.sesskey_hex == CAP_SERVER_SESSKEY
    assert ch.verifier_type == 0x1B25
    result = server_check_response(
        ch, sesskey_hex=CAP_CLIENT_SESSKEY, password_hex=CAP_AUTH_PASSWORD, response_salt=bytes(16)
    )
    assert isinstance(result, AuthAccepted)
    assert verify_server_response(r.combo_key, result.svr_response_hex)


# --------------------------------------------------------------------------
# Round trips and wrong passwords


def fixed(n: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=n, max_size=n)


@settings(max_examples=40, deadline=None)
@given(
    password=st.text(min_size=1, max_size=40),
    wrong=st.text(min_size=1, max_size=40),
    is_12c=st.booleans(),
    vgen=st.integers(1, 10),
    sder=st.integers(1, 5),
    salt=fixed(16),
    server_key=fixed(48),
    client_key=fixed(48),
    csk=fixed(16),
    r1=fixed(16),
    r2=fixed(16),
    r3=fixed(16),
)
def test_round_trip(
    password: str,
    wrong: str,
    is_12c: bool,
    vgen: int,
    sder: int,
    salt: bytes,
    server_key: bytes,
    client_key: bytes,
    csk: bytes,
    r1: bytes,
    r2: bytes,
    r3: bytes,
) -> None:
    if is_12c:
        verifier = make_verifier(Secret(password), salt=salt, vgen_count=vgen)
        ch = server_challenge(verifier, server_key=server_key[:32], csk_salt=csk, sder_count=sder)
    else:
        verifier = make_verifier(
            Secret(password), salt=salt[:10], verifier_type=VerifierType.TYPE_11G_2
        )
        ch = server_challenge(verifier, server_key=server_key)
    parsed = Verifier.from_text(
        verifier.to_text(), vgen_count=verifier.vgen_count, type_11g=VerifierType.TYPE_11G_2
    )
    assert parsed == verifier

    def attempt(pw: str) -> tuple[ClientAuthResponse, AuthAccepted | AuthRejected]:
        r = client_auth_response(
            password=Secret(pw),
            verifier_type=ch.verifier_type,
            sesskey_hex=ch.sesskey_hex,
            vfr_data_hex=ch.vfr_data_hex,
            csk_salt_hex=ch.csk_salt_hex,
            vgen_count=None if ch.vgen_count is None else str(ch.vgen_count),
            sder_count=None if ch.sder_count is None else str(ch.sder_count),
            client_key=client_key,
            speedy_salt=r1,
            password_salt=r2,
        )
        result = server_check_response(
            ch,
            sesskey_hex=r.sesskey_hex,
            speedy_key_hex=r.speedy_key_hex,
            password_hex=r.password_hex,
            response_salt=r3,
        )
        return r, result

    r, result = attempt(password)
    assert isinstance(result, AuthAccepted)
    assert result.combo_key == r.combo_key
    assert verify_server_response(r.combo_key, result.svr_response_hex)
    if wrong != password:
        _, bad = attempt(wrong)
        assert isinstance(bad, AuthRejected)


def test_wrong_password_12c() -> None:
    r = client_12c(password=Secret("lion"))
    result = server_check_response(
        challenge_12c(),
        sesskey_hex=r.sesskey_hex,
        speedy_key_hex=r.speedy_key_hex,
        password_hex=r.password_hex,
        response_salt=V12_R3,
    )
    assert isinstance(result, AuthRejected)
    assert isinstance(result.reason, RejectReason)


def test_wrong_password_11g() -> None:
    r = client_11g(password=Secret("lion"))
    result = server_check_response(
        challenge_11g(), sesskey_hex=r.sesskey_hex, password_hex=r.password_hex, response_salt=V11_R3
    )
    assert isinstance(result, AuthRejected)


def test_12c_tampered_speedy_key_is_rejected() -> None:
    tampered = V12_SPEEDY[:-2] + ("00" if V12_SPEEDY[-2:] != "00" else "01")
    result = server_check_response(
        challenge_12c(),
        sesskey_hex=V12_CLIENT_SESSKEY,
        speedy_key_hex=tampered,
        password_hex=V12_AUTH_PASSWORD,
        response_salt=V12_R3,
    )
    assert result == AuthRejected(reason=RejectReason.VERIFIER_MISMATCH)


def test_12c_password_with_bad_padding_is_rejected() -> None:
    # Right speedy key, but AUTH_PASSWORD whose plaintext ends in byte 0.
    combo = h(V12_COMBO)
    bad = AES(combo).encrypt_cbc(V12_R2 + b"tiger" + bytes(11)).hex()
    result = server_check_response(
        challenge_12c(),
        sesskey_hex=V12_CLIENT_SESSKEY,
        speedy_key_hex=V12_SPEEDY,
        password_hex=bad,
        response_salt=V12_R3,
    )
    assert result == AuthRejected(reason=RejectReason.BAD_PASSWORD_PADDING)


def test_server_response_checks() -> None:
    r = client_12c()
    assert not verify_server_response(r.combo_key, None)
    assert not verify_server_response(Secret(bytes(32)), V12_SVR_RESPONSE)
    # Only bytes 16..32 matter, so the unpadded 64-hex form passes too.
    assert verify_server_response(r.combo_key, V12_SVR_RESPONSE[:64])
    # A change to either of the two blocks changes the second plaintext block.
    for at in (0, 31, 32, 63):
        flipped = "0" if V12_SVR_RESPONSE[at] != "0" else "1"
        tampered = V12_SVR_RESPONSE[:at] + flipped + V12_SVR_RESPONSE[at + 1 :]
        assert not verify_server_response(r.combo_key, tampered)
    # Only the third block (padding) may change.
    assert verify_server_response(r.combo_key, V12_SVR_RESPONSE[:64] + "00" * 16)


def test_new_password_uses_same_salt_and_combo() -> None:
    r = client_12c(new_password=Secret("lion"))
    assert r.new_password_hex is not None
    plain = AES(h(V12_COMBO)).decrypt_cbc(h(r.new_password_hex))
    assert unpad(plain) == V12_R2 + b"lion"


# --------------------------------------------------------------------------
# Error policy


def test_unsupported_verifier_types() -> None:
    with pytest.raises(UnsupportedVerifierError, match="^password verifier type 0x939 is not supported$"):
        client_12c(verifier_type=0x0939)
    with pytest.raises(UnsupportedVerifierError) as info:
        client_12c(verifier_type=0x1234)
    assert info.value.verifier_type == 0x1234
    assert isinstance(info.value, RemoteProtocolError)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"sesskey_hex": "XYZ" * 2}, "AUTH_SESSKEY is not valid hex", id="sesskey-nonhex"),
        pytest.param({"sesskey_hex": V12_SERVER_SESSKEY[:-1]}, "AUTH_SESSKEY is not valid hex", id="sesskey-odd"),
        pytest.param({"sesskey_hex": " " + V12_SERVER_SESSKEY[1:]}, "AUTH_SESSKEY is not valid hex", id="sesskey-space"),
        pytest.param({"sesskey_hex": V12_SERVER_SESSKEY[:32]}, "AUTH_SESSKEY is 16 bytes", id="sesskey-short"),
        pytest.param({"sesskey_hex": None}, "AUTH_SESSKEY is missing", id="sesskey-missing"),
        pytest.param({"vfr_data_hex": "0011"}, "AUTH_VFR_DATA is 2 bytes", id="vfr-short"),
        pytest.param({"vfr_data_hex": "G" * 32}, "AUTH_VFR_DATA is not valid hex", id="vfr-nonhex"),
        pytest.param({"csk_salt_hex": None}, "AUTH_PBKDF2_CSK_SALT is missing", id="csk-missing"),
        pytest.param({"csk_salt_hex": "00"}, "AUTH_PBKDF2_CSK_SALT is 1 bytes", id="csk-short"),
        pytest.param({"sder_count": "3x"}, "AUTH_PBKDF2_SDER_COUNT is not a decimal number", id="sder-text"),
        pytest.param({"sder_count": "٣"}, "AUTH_PBKDF2_SDER_COUNT is not a decimal number", id="sder-arabic"),
        pytest.param({"vgen_count": None}, "AUTH_PBKDF2_VGEN_COUNT is missing", id="vgen-missing"),
        pytest.param({"vgen_count": "-1"}, "AUTH_PBKDF2_VGEN_COUNT is not a decimal number", id="vgen-negative"),
    ],
)
def test_client_malformed_wire_values(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        client_12c(**overrides)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vgen_count", "0"),
        ("vgen_count", "100001"),
        ("vgen_count", 10**9),
        ("vgen_count", "9" * 5000),
        ("sder_count", "0"),
        ("sder_count", 100_001),
    ],
)
def test_client_count_bounds(field: str, value: str | int) -> None:
    with pytest.raises(IterationCountError, match="outside 1..100000") as info:
        client_12c(**{field: value})
    assert info.value.what == "AUTH_PBKDF2_" + field.upper()
    assert isinstance(info.value, RemoteProtocolError)
    with pytest.raises(IterationCountError):
        derive_password_key(Secret("x"), vfr_data=bytes(16), vgen_count=0)


def test_client_local_mistakes_are_encode_errors() -> None:
    with pytest.raises(EncodeError, match="client_key must be at least 32 bytes, not 31"):
        client_12c(client_key=bytes(31))
    with pytest.raises(EncodeError, match="password_salt must be 16 bytes"):
        client_12c(password_salt=bytes(8))
    with pytest.raises(EncodeError, match="speedy_salt is required"):
        client_12c(speedy_salt=None)
    with pytest.raises(EncodeError, match="password_key must be 64 bytes"):
        client_12c(password_key=Secret(bytes(32)))
    with pytest.raises(EncodeError, match="client_key must be at least 48 bytes"):
        client_11g(client_key=bytes(32))


def test_server_malformed_client_values() -> None:
    ch = challenge_12c()
    good = dict(
        sesskey_hex=V12_CLIENT_SESSKEY,
        speedy_key_hex=V12_SPEEDY,
        password_hex=V12_AUTH_PASSWORD,
    )
    cases: list[tuple[dict[str, str | None], str]] = [
        ({"sesskey_hex": "nothex"}, "AUTH_SESSKEY is not valid hex"),
        ({"sesskey_hex": V12_CLIENT_SESSKEY[:32]}, "AUTH_SESSKEY is 16 bytes"),
        ({"sesskey_hex": None}, "AUTH_SESSKEY is missing"),
        ({"speedy_key_hex": None}, "AUTH_PBKDF2_SPEEDY_KEY is missing"),
        ({"speedy_key_hex": V12_SPEEDY[:64]}, "AUTH_PBKDF2_SPEEDY_KEY is 32 bytes"),
        ({"password_hex": "ZZ"}, "AUTH_PASSWORD is not valid hex"),
        ({"password_hex": V12_AUTH_PASSWORD[:32]}, "AUTH_PASSWORD is 16 bytes"),
        ({"password_hex": V12_AUTH_PASSWORD + "00"}, "AUTH_PASSWORD is 33 bytes"),
        ({"password_hex": "00" * 4096}, "AUTH_PASSWORD is 4096 bytes, more than 2048"),
    ]
    for override, message in cases:
        args = {**good, **override}
        with pytest.raises(DecodeError, match=message):
            server_check_response(ch, response_salt=V12_R3, **args)
    with pytest.raises(DecodeError, match="AUTH_SVR_RESPONSE is not valid hex"):
        verify_server_response(Secret(bytes(32)), "not hex!")
    with pytest.raises(DecodeError, match="AUTH_SVR_RESPONSE is 16 bytes"):
        verify_server_response(Secret(bytes(32)), "00" * 16)


def test_server_local_mistakes_are_encode_errors() -> None:
    verifier = make_verifier(Secret("x"), salt=bytes(16), vgen_count=1)
    with pytest.raises(EncodeError, match="server_key must be 32 bytes"):
        server_challenge(verifier, server_key=bytes(48), csk_salt=bytes(16))
    with pytest.raises(EncodeError, match="csk_salt is required"):
        server_challenge(verifier, server_key=bytes(32))
    with pytest.raises(EncodeError, match="sder_count 0 is outside"):
        server_challenge(verifier, server_key=bytes(32), csk_salt=bytes(16), sder_count=0)
    with pytest.raises(EncodeError, match="verifier salt must be 16 bytes"):
        make_verifier(Secret("x"), salt=bytes(10))
    with pytest.raises(EncodeError, match="vgen_count 200000 is outside"):
        make_verifier(Secret("x"), salt=bytes(16), vgen_count=200_000)
    with pytest.raises(EncodeError, match="response_salt must be 16 bytes"):
        server_check_response(
            challenge_12c(), sesskey_hex="", password_hex="", response_salt=b""
        )
    for text in ["X:00", "T:" + V12_V, "S:" + V11_H + "GG" * 10, "T:" + V12_V + V12_SALT + "00"]:
        with pytest.raises(EncodeError, match="verifier text") as info:
            Verifier.from_text(text)
        assert V12_V not in str(info.value) and V11_H not in str(info.value)


# --------------------------------------------------------------------------
# Secret and leak checks


def test_secret_masks_everywhere() -> None:
    s = Secret("tiger")
    assert repr(s) == "Secret('********')"
    assert str(s) == "********"
    assert f"{s}" == "********"
    assert f"{s!r}" == "Secret('********')"
    assert f"{s:>10}" == "  ********"
    assert format(s) == "********"
    assert "%s %r" % (s, s) == "******** Secret('********')"
    assert "{}".format(s) == "********"
    assert s.expose() == "tiger"
    typed = Secret[bytes](b"key")
    assert repr(typed) == "Secret('********')" and typed.expose() == b"key"


def test_secret_equality_hash_copy_pickle() -> None:
    assert Secret("tiger") == Secret("tiger")
    assert Secret("tiger") != Secret("lion")
    assert Secret("é") == Secret("é")
    assert Secret(b"tiger") != Secret("tiger")
    assert Secret("tiger") != "tiger"
    assert hash(Secret("tiger")) == hash(Secret("lion"))
    s = Secret(b"\x00key")
    assert copy.copy(s) is s and copy.deepcopy(s) is s
    with pytest.raises(TypeError):
        pickle.dumps(s)
    with pytest.raises(AttributeError):
        s._value = b"other"
    with pytest.raises(TypeError):
        Secret(1234)  # type: ignore[type-var]


def _forms(obj: object) -> str:
    return "\n".join([repr(obj), str(obj), f"{obj}", f"{obj!r}", "%s" % (obj,)])


def test_no_secret_in_any_dataclass_repr() -> None:
    ch = challenge_12c()
    r = client_12c(new_password=Secret("lion"))
    accepted = server_check_response(
        ch,
        sesskey_hex=r.sesskey_hex,
        speedy_key_hex=r.speedy_key_hex,
        password_hex=r.password_hex,
        response_salt=V12_R3,
    )
    rejected = AuthRejected(reason=RejectReason.VERIFIER_MISMATCH)
    secrets_hex = [
        V12_PASSWORD_KEY,
        V12_V,
        V12_V[:64],
        V12_COMBO,
        V12_A.hex(),
        V12_B.hex(),
        V12_SERVER_SESSKEY,
        V12_CLIENT_SESSKEY,
        V12_SPEEDY,
        V12_AUTH_PASSWORD,
    ]
    for obj in [ch, ch.verifier, r, accepted, rejected]:
        text = _forms(obj)
        lowered = text.lower()
        assert "tiger" not in lowered and "lion" not in lowered
        for secret in secrets_hex:
            assert secret.lower() not in lowered, (type(obj).__name__, secret)
        for raw in [V12_A, V12_B, h(V12_COMBO), h(V12_V)]:
            assert repr(raw) not in text
        for tuple_ in [tuple(V12_A), tuple(h(V12_COMBO))]:
            assert str(list(tuple_)) not in text


# --------------------------------------------------------------------------
# Work: only the blocks that go on the wire or are checked are computed.


def _count_aes_bytes(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    from oracle_sansio.crypto import o5logon

    seen = {"keys": 0, "encrypted": 0, "decrypted": 0}

    class CountingAES(AES):
        def __init__(self, key: bytes) -> None:
            seen["keys"] += 1
            super().__init__(key)

        def encrypt_cbc(self, data: bytes, iv: bytes = bytes(16), *, what: str = "plaintext") -> bytes:
            seen["encrypted"] += len(data)
            return super().encrypt_cbc(data, iv, what=what)

        def decrypt_cbc(self, data: bytes, iv: bytes = bytes(16), *, what: str = "ciphertext") -> bytes:
            seen["decrypted"] += len(data)
            return super().decrypt_cbc(data, iv, what=what)

    monkeypatch.setattr(o5logon, "AES", CountingAES)
    return seen


@pure_only(_aes_module, _o5logon_module)
def test_12c_client_encrypts_only_the_blocks_it_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_aes_bytes(monkeypatch)
    r = client_12c(password_key=Secret(h(V12_PASSWORD_KEY)), vgen_count=None)
    assert r.sesskey_hex == V12_CLIENT_SESSKEY and r.speedy_key_hex == V12_SPEEDY
    # A (32) decrypted; B (32, not its 48 padded), the speedy key (80, not 96)
    # and the salted password (16 + 5 -> 32) encrypted.
    assert seen == {"keys": 2, "encrypted": 32 + 80 + 32, "decrypted": 32}
    assert verify_server_response(r.combo_key, V12_SVR_RESPONSE)
    # The block that holds SERVER_TO_CLIENT is checked by one encryption: the
    # combo key never decrypts, so it never pays for a decryption schedule.
    assert seen == {"keys": 3, "encrypted": 32 + 80 + 32 + 16, "decrypted": 32}


@pure_only(_aes_module, _o5logon_module)
def test_12c_cached_key_cipher_skips_expanding_k(monkeypatch: pytest.MonkeyPatch) -> None:
    first = client_12c()
    assert first.password_key_cipher is not None and first.combo_cipher is not None
    assert "password_key_cipher" not in repr(first) and "combo_cipher" not in repr(first)
    seen = _count_aes_bytes(monkeypatch)
    again = client_12c(password_key=first.password_key, password_key_cipher=first.password_key_cipher,
                       vgen_count=None)
    assert (again.sesskey_hex, again.speedy_key_hex, again.password_hex) == (
        V12_CLIENT_SESSKEY, V12_SPEEDY, V12_AUTH_PASSWORD)
    assert again.password_key_cipher is first.password_key_cipher
    assert seen["keys"] == 1  # the combo key only
    assert verify_server_response(again.combo_key, V12_SVR_RESPONSE, combo_cipher=again.combo_cipher)
    assert seen["keys"] == 1  # the proof is checked with the combo key already expanded
    with pytest.raises(EncodeError, match="AES-256"):
        client_12c(password_key=first.password_key, password_key_cipher=AES(bytes(16)), vgen_count=None)
