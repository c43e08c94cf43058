"""The TLS rules above the TLS library (oracle_sansio.tls) and the renegotiation step
of the connect phase, both roles.

Facts from python-oracledb thin: ``protocol.pyx`` (a RESEND whose flags hold
``TNS_PACKET_FLAG_TLS_RENEG`` = 0x08 makes a tcps client run a new handshake,
then send CONNECT again; a tcp client ignores the flag), ``crypto.pyx``
(``check_server_dn``, ``_name_matches``, ``DN_REGEX``) and ``transport.pyx``
(``_calc_sni_data``).
"""

from __future__ import annotations

import ssl

import pytest

from oracle_sansio.connection.client import ClientConnection
from oracle_sansio.connection.events import NEED_DATA, ConnectRequested, TlsRenegotiationRequested
from oracle_sansio.connection.server import ServerConnection
from oracle_sansio.connection.states import ClientState
from oracle_sansio.errors import ProtocolError
from oracle_sansio.tls import (CertificateError, certificate_names, check_server_certificate, dn_matches,
                               name_matches, sni_name)
from oracle_sansio.tns.constants import PacketFlag
from oracle_sansio.tns.packets import Resend
from tests.sansio.pair import client_params, counter_entropy


def _client(dsn: str) -> ClientConnection:
    client = ClientConnection(client_params(dsn=dsn), entropy=counter_entropy(b"tls"))
    client.start()
    return client


def test_a_tcps_client_waits_for_the_new_handshake_before_resending() -> None:
    client = _client("tcps://localhost:2484/FREEPDB1")
    connect = client.data_to_send()
    client.receive_data(Resend(flags=PacketFlag.TLS_RENEGOTIATE).encode())
    assert client.next_event() == TlsRenegotiationRequested()
    assert state_of(client) is ClientState.RENEGOTIATING_TLS
    assert client.data_to_send() == b""  # nothing may go out over the old session
    client.tls_renegotiated()
    assert state_of(client) is ClientState.CONNECTING
    assert client.data_to_send() == connect


def state_of(client: ClientConnection) -> ClientState:
    return client.state


def test_a_tcp_client_ignores_the_flag() -> None:
    client = _client("localhost:1521/FREEPDB1")
    connect = client.data_to_send()
    client.receive_data(Resend(flags=PacketFlag.TLS_RENEGOTIATE).encode())
    assert client.next_event() is NEED_DATA
    assert client.data_to_send() == connect


def test_tls_renegotiated_out_of_turn_is_a_protocol_error() -> None:
    client = _client("tcps://localhost:2484/FREEPDB1")
    with pytest.raises(ProtocolError):
        client.tls_renegotiated()


def test_a_packet_before_the_new_handshake_is_a_protocol_error() -> None:
    client = _client("tcps://localhost:2484/FREEPDB1")
    client.data_to_send()
    client.receive_data(Resend(flags=PacketFlag.TLS_RENEGOTIATE).encode() + Resend().encode())
    assert isinstance(client.next_event(), TlsRenegotiationRequested)
    with pytest.raises(ProtocolError):
        client.next_event()


def test_the_server_role_asks_for_renegotiation() -> None:
    client = _client("tcps://localhost:2484/FREEPDB1")
    server = ServerConnection(entropy=counter_entropy(b"srv"))
    server.receive_data(client.data_to_send())
    assert isinstance(server.next_event(), ConnectRequested)
    server.resend(renegotiate_tls=True)
    out = server.data_to_send()
    assert out[4] == 11 and out[5] == PacketFlag.TLS_RENEGOTIATE  # packet type RESEND, flags
    client.receive_data(out)
    assert isinstance(client.next_event(), TlsRenegotiationRequested)
    client.tls_renegotiated()
    server.receive_data(client.data_to_send())
    assert isinstance(server.next_event(), ConnectRequested)


# ------------------------------------------------------------ certificate names


@pytest.mark.parametrize("host, name, expected", [
    ("localhost", "localhost", True),
    ("LocalHost", "localhost", True),
    ("db.example.com", "*.example.com", True),
    ("db.example.com", "d*.example.com", True),
    ("db.example.com", "*b.example.com", True),
    ("db.example.com", "x*.example.com", False),
    ("db.example.com", "d*b.example.com", True),
    ("db.sub.example.com", "*.example.com", False),  # one label only
    ("example.com", "*.com", True),
    ("localhost", "*", False),  # a single label never matches a wildcard
    ("db.example.com", "db.example.org", False),
])
def test_name_matching(host: str, name: str, expected: bool) -> None:
    assert name_matches(host, name) is expected


def test_dn_pairs_match_in_any_order() -> None:
    assert dn_matches("CN=db,O=Example,C=US", "C=US,O=Example,CN=db")
    assert dn_matches("CN=db, O=Example", "CN=db,O=Example")
    assert not dn_matches("CN=db,O=Example", "CN=db,O=Other")
    assert dn_matches('CN="a,b",O=x', 'O=x,CN="a,b"')


def test_sni_is_python_oracledbs_coded_name() -> None:
    assert sni_name("FREEPDB1") == "S8.FREEPDB1.V3.319"
    assert sni_name("sales.example.com", "pooled") == "S17.sales.example.com.T1.p.V3.319"


def test_certificate_names_read_as_cryptography_reads_them() -> None:
    trustme = pytest.importorskip("trustme")
    x509 = pytest.importorskip("cryptography.x509")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "db.example.com", "127.0.0.1", common_name="db, \"main\"+1",
                         organization_name="Exa;mple", organization_unit_name=" spaced ")
    der = ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())
    names = certificate_names(der)
    loaded = x509.load_der_x509_certificate(der)
    assert names.subject == loaded.subject.rfc4514_string()
    assert names.dns_names == ("localhost", "db.example.com")  # the IP address is not a DNS name
    assert names.common_names == ('db, "main"+1',)
    assert check_server_certificate(der, host="db.example.com", expected_dn=None) is None
    wrong_host = check_server_certificate(der, host="127.0.0.1", expected_dn=None)
    assert wrong_host is not None and str(wrong_host).startswith("DPY-6006: ")
    assert check_server_certificate(der, host="x", expected_dn=loaded.subject.rfc4514_string()) is None
    wrong_dn = check_server_certificate(der, host="localhost", expected_dn="CN=other")
    assert wrong_dn is not None and str(wrong_dn).startswith("DPY-6002: ")


@pytest.mark.parametrize("der", [b"", b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x30\x01\x00", b"\x04\x00"])
def test_bad_certificates_raise_a_typed_error(der: bytes) -> None:
    with pytest.raises(CertificateError):
        certificate_names(der)
    error = check_server_certificate(der, host="h", expected_dn=None)
    assert error is not None and "DPY-6006" in str(error)
