"""python-oracledb's TLS rules that sit above the TLS library, pure (no ``ssl``, no sockets).

TLS itself is below TNS: a sans-I/O user wraps the socket in TLS and feeds the
machines the decrypted bytes (docs/embedding.md, "Bring your own TLS").  What
python-oracledb adds on top of the handshake is here, so every owner applies
the same rules:

- :func:`check_server_certificate`: the server certificate's names checked as
  ``ssl_server_dn_match`` does (python-oracledb ``crypto.pyx`` ``check_server_dn``):
  with ``ssl_server_cert_dn`` the subject DN must hold the same attribute=value
  pairs (order free); otherwise the host name must match a DNS name of the
  subjectAltName extension or a common name (CN), ``*`` wildcards allowed in
  the left-most label only.  IP addresses are not compared.
- :func:`sni_name`: the special server name (SNI) ``use_sni`` sends, which
  lets the listener hand the connection on without a second TLS handshake.

The certificate is read from its DER bytes (what ``getpeercert(binary_form=True)``
gives, verified or not), with every length bounded by the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .exceptions import Error, dpy_error
from .tns.constants import VERSION_DESIRED

__all__ = ["CertificateError", "CertificateNames", "certificate_names", "check_server_certificate",
           "dn_matches", "name_matches", "sni_name"]


class CertificateError(ValueError):
    """The certificate's DER bytes are not the X.509 layout this module reads."""


@dataclass(frozen=True, slots=True)
class CertificateNames:
    """The names a server certificate carries."""

    #: The subject as RFC 4514 text, most specific first (``CN=db,O=example``).
    subject: str
    #: The subjectAltName extension's DNS names.
    dns_names: tuple[str, ...]
    #: The subject's common names (CN).
    common_names: tuple[str, ...]


# RFC 4514's short names; any other attribute is shown by its dotted OID.
_SHORT_NAMES = {
    "2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
    "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
}
_SAN_OID = "2.5.29.17"
_STRING_CODECS = {0x0C: "utf-8", 0x13: "latin-1", 0x14: "latin-1", 0x16: "latin-1", 0x1A: "latin-1",
                  0x1E: "utf-16-be", 0x1C: "utf-32-be"}


def _read(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """One DER element at ``pos``: (tag, start of its contents, end of its contents)."""
    if pos + 2 > end:
        raise CertificateError("truncated DER element")
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise CertificateError("bad DER length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > end:
        raise CertificateError("DER element longer than its container")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    pos = start
    while pos < end:
        tag, s, e = _read(data, pos, end)
        out.append((tag, s, e))
        pos = e
    return out


def _oid(raw: bytes) -> str:
    if not raw:
        raise CertificateError("empty OID")
    parts = [raw[0] // 40, raw[0] % 40] if raw[0] < 80 else [2, raw[0] - 80]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _escape(value: str) -> str:
    """An attribute value as RFC 4514 writes it (python-oracledb compares that text)."""
    if not value:
        return ""
    for char in "\\\"+,;<>":
        value = value.replace(char, "\\" + char)
    value = value.replace("\0", "\\00")
    if value[0] in "# ":
        value = "\\" + value
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return value


def certificate_names(der: bytes) -> CertificateNames:
    """The subject, DNS names and common names of a DER certificate.

    Raises:
        CertificateError: the bytes are not an X.509 certificate.
    """
    _, cert_s, cert_e = _read(der, 0, len(der))
    parts = _children(der, cert_s, cert_e)
    if not parts:
        raise CertificateError("empty certificate")
    tbs = _children(der, parts[0][1], parts[0][2])
    if tbs and tbs[0][0] == 0xA0:  # explicit version
        tbs = tbs[1:]
    if len(tbs) < 6:
        raise CertificateError("short TBSCertificate")
    rdns: list[str] = []
    common: list[str] = []
    for _, set_s, set_e in _children(der, tbs[4][1], tbs[4][2]):
        pairs = []
        for _, atv_s, atv_e in _children(der, set_s, set_e):
            atv = _children(der, atv_s, atv_e)
            if len(atv) != 2 or atv[0][0] != 0x06:
                raise CertificateError("bad AttributeTypeAndValue")
            oid = _oid(der[atv[0][1]:atv[0][2]])
            codec = _STRING_CODECS.get(atv[1][0])
            raw = der[atv[1][1]:atv[1][2]]
            value = raw.decode(codec, "replace") if codec else "#" + der[atv[1][1] - 2:atv[1][2]].hex()
            if oid == "2.5.4.3":
                common.append(value)
            pairs.append(f"{_SHORT_NAMES.get(oid, oid)}={_escape(value) if codec else value}")
        rdns.append("+".join(pairs))
    dns: list[str] = []
    for tag, s, e in tbs[6:]:
        if tag != 0xA3:
            continue
        for _, ext_s, ext_e in _children(der, *_read(der, s, e)[1:]):
            fields = _children(der, ext_s, ext_e)
            if len(fields) < 2 or fields[0][0] != 0x06 or _oid(der[fields[0][1]:fields[0][2]]) != _SAN_OID:
                continue
            _, seq_s, seq_e = _read(der, fields[-1][1], fields[-1][2])
            dns.extend(der[gs:ge].decode("latin-1") for gtag, gs, ge in _children(der, seq_s, seq_e)
                       if gtag == 0x82)
    return CertificateNames(subject=",".join(reversed(rdns)), dns_names=tuple(dns), common_names=tuple(common))


# python-oracledb's pattern for one ``NAME=value`` of a DN (crypto.pyx DN_REGEX).
_DN_PAIR = re.compile(r'(?:^|,\s?)(?:(?P<name>[A-Z]+)=(?P<val>"(?:[^"]|"")+"|[^,]+))+')


def dn_matches(expected: str, actual: str) -> bool:
    """Whether two DNs hold the same ``NAME=value`` pairs, in any order (python-oracledb's rule)."""
    return dict(_DN_PAIR.findall(expected)) == dict(_DN_PAIR.findall(actual))


def name_matches(host: str, cert_name: str) -> bool:
    """Whether ``host`` matches one certificate name, case-insensitively; a ``*`` may stand
    for part or all of the left-most label when the labels right of it are equal."""
    host, cert_name = host.lower(), cert_name.lower()
    if host == cert_name:
        return True
    host_dot, cert_dot = host.find("."), cert_name.find(".")
    if host_dot <= 0 or cert_dot <= 0 or host[host_dot:] != cert_name[cert_dot:]:
        return False
    label, wanted = host[:host_dot], cert_name[:cert_dot]
    star = wanted.find("*")
    if star < 0:
        return False
    return label.startswith(wanted[:star]) and label.endswith(wanted[star + 1:])


def check_server_certificate(der: bytes, *, host: str, expected_dn: str | None) -> Error | None:
    """None when the certificate passes ``ssl_server_dn_match``, else python-oracledb's error:
    DPY-6002 (the DN differs from ``expected_dn``) or DPY-6006 (no name matches ``host``)."""
    try:
        names = certificate_names(der)
    except CertificateError as exc:
        return dpy_error(6006, f"unreadable server certificate: {exc}", expected_name=host)
    if expected_dn is not None:
        return None if dn_matches(expected_dn, names.subject) else dpy_error(6002, expected_dn=expected_dn)
    if any(name_matches(host, name) for name in (*names.dns_names, *names.common_names)):
        return None
    return dpy_error(6006, expected_name=host)


def sni_name(service_name: str, server_type: str | None = None, version: int = VERSION_DESIRED) -> str:
    """The server name ``use_sni`` sends: service name, server type and TNS version coded
    so the listener can route the connection without a second TLS handshake."""
    kind = f".T1.{server_type[:1]}" if server_type else ""
    return f"S{len(service_name)}.{service_name}{kind}.V3.{version}"
