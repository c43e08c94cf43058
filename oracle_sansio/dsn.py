"""Easy Connect strings and connect descriptors, parsed and rebuilt (pure).

Grammar per docs/protocol-connect.md 7 (python-oracledb impl/base/parsers.pyx):

* Easy Connect: ``[tcp|tcps://]host[:port][,host[:port]...][/service][:server][/instance][?k=v&...]``
* descriptor: nested ``(KEY=VALUE)`` pairs; keys are case-insensitive.

The client sends a descriptor rebuilt from the parsed target (as
python-oracledb does), with CID and CONNECTION_ID filled in by the caller;
the server role only needs SERVICE_NAME / SID / INSTANCE_NAME from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import LocalProtocolError

__all__ = [
    "DsnError",
    "Address",
    "ConnectTarget",
    "parse_dsn",
    "parse_descriptor",
    "build_descriptor",
    "descriptor_value",
    "DEFAULT_PORT",
]

DEFAULT_PORT = 1521
_NAME = r"[A-Za-z0-9_.\-$#]+"
_EASY = re.compile(
    r"^(?:(?P<protocol>[A-Za-z][A-Za-z0-9_\-]*)://|//)?"
    r"(?P<hosts>[^/?]+?)"
    r"(?:/(?P<service>" + _NAME + r")?(?::(?P<server>dedicated|shared|pooled))?(?:/(?P<instance>" + _NAME + r"))?)?"
    r"(?:\?(?P<params>.*))?$",
    re.IGNORECASE,
)
_HOST = re.compile(r"^\s*(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9_\-.]+))(?::(?P<port>\d{1,5}))?\s*$")


class DsnError(LocalProtocolError, ValueError):
    """A connect string that cannot be parsed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """One listener address."""

    host: str
    port: int = DEFAULT_PORT
    protocol: str = "tcp"
    #: An HTTP CONNECT proxy to reach ``host`` through (python-oracledb's HTTPS_PROXY; tcps only).
    https_proxy: str | None = None
    https_proxy_port: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectTarget:
    """What a connect string names: addresses and the connect data."""

    addresses: tuple[Address, ...]
    service_name: str | None = None
    sid: str | None = None
    instance_name: str | None = None
    server_type: str | None = None
    sdu: int | None = None
    #: Extra CONNECT_DATA keys, re-emitted upper-cased (python-oracledb keeps them).
    connect_data_extra: tuple[tuple[str, str], ...] = ()
    #: Easy Connect ``?key=value`` parameters, lower-cased names.
    parameters: tuple[tuple[str, str], ...] = field(default=())
    #: A descriptor's SECURITY pairs (TLS settings), lower-cased names: kept so a
    #: driver without TLS can refuse them instead of ignoring them.
    security: tuple[tuple[str, str], ...] = field(default=())


Node = list[tuple[str, "str | Node"]]


def parse_descriptor(text: str) -> Node:
    """Parse ``(KEY=VALUE)...`` into a list of (lower-case key, value or sub-list).

    Raises:
        DsnError: unbalanced parentheses or a pair without ``=``.
    """
    pos = 0
    n = len(text)

    def skip() -> None:
        nonlocal pos
        while pos < n and text[pos].isspace():
            pos += 1

    def parse_list(depth: int) -> Node:
        nonlocal pos
        if depth > 32:
            raise DsnError("connect descriptor is nested too deeply")
        items: Node = []
        while True:
            skip()
            if pos >= n or text[pos] != "(":
                return items
            pos += 1
            skip()
            eq = text.find("=", pos)
            if eq < 0:
                raise DsnError(f"connect descriptor: missing '=' after position {pos}")
            key = text[pos:eq].strip().lower()
            if not key or "(" in key or ")" in key:
                raise DsnError(f"connect descriptor: bad key at position {pos}")
            pos = eq + 1
            skip()
            value: str | Node
            if pos < n and text[pos] == "(":
                value = parse_list(depth + 1)
            elif pos < n and text[pos] == '"':
                end = text.find('"', pos + 1)
                if end < 0:
                    raise DsnError("connect descriptor: unterminated quoted value")
                value = text[pos + 1 : end]
                pos = end + 1
            else:
                end = text.find(")", pos)
                if end < 0:
                    raise DsnError("connect descriptor: missing ')'")
                value = text[pos:end].strip()
                pos = end
            skip()
            if pos >= n or text[pos] != ")":
                raise DsnError(f"connect descriptor: expected ')' at position {pos}")
            pos += 1
            items.append((key, value))

    result = parse_list(0)
    skip()
    if pos != n:
        raise DsnError(f"connect descriptor: unexpected text at position {pos}")
    return result


def descriptor_value(node: Node, *path: str) -> str | None:
    """The first string value at ``path`` (keys lower-case), searching depth-first."""
    if not path:
        return None
    for key, value in node:
        if key == path[0]:
            if len(path) == 1:
                if isinstance(value, str):
                    return value
            elif not isinstance(value, str):
                found = descriptor_value(value, *path[1:])
                if found is not None:
                    return found
        if not isinstance(value, str) and path[0] != key:
            found = descriptor_value(value, *path)
            if found is not None:
                return found
    return None


def _addresses(node: Node) -> list[Address]:
    out: list[Address] = []
    for key, value in node:
        if isinstance(value, str):
            continue
        if key == "address":
            host = descriptor_value(value, "host")
            if not host:
                raise DsnError("connect descriptor: ADDRESS without HOST")
            port_text = descriptor_value(value, "port") or str(DEFAULT_PORT)
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise DsnError(f"connect descriptor: bad PORT {port_text!r}")
            if sum(1 for k, _ in value if k == "protocol") > 1:
                # python-oracledb refuses it too; taking either one could drop a TLS request.
                raise DsnError("connect descriptor: ADDRESS with more than one PROTOCOL")
            protocol = (descriptor_value(value, "protocol") or "tcp").lower()
            proxy_port = descriptor_value(value, "https_proxy_port") or "0"
            if not proxy_port.isdigit() or int(proxy_port) > 65535:
                raise DsnError(f"connect descriptor: bad HTTPS_PROXY_PORT {proxy_port!r}")
            out.append(Address(host=host, port=int(port_text), protocol=protocol,
                               https_proxy=descriptor_value(value, "https_proxy"), https_proxy_port=int(proxy_port)))
        elif key in ("address_list", "description", "description_list"):
            out.extend(_addresses(value))
    return out


def _from_descriptor(text: str) -> ConnectTarget:
    node = parse_descriptor(text)
    addresses = _addresses(node)
    if not addresses:
        raise DsnError("connect descriptor has no ADDRESS")
    extra: list[tuple[str, str]] = []
    known = {"service_name", "sid", "instance_name", "server", "cid", "connection_id"}
    for key, value in node:
        if key == "description" and not isinstance(value, str):
            for k2, v2 in value:
                if k2 == "connect_data" and not isinstance(v2, str):
                    extra.extend((k.upper(), v) for k, v in v2 if isinstance(v, str) and k not in known)
    security: list[tuple[str, str]] = []
    _collect(node, "security", security)
    sdu = descriptor_value(node, "sdu")
    # DESCRIPTION's (USE_SNI=ON): a TLS setting python-oracledb reads as its Easy Connect twin.
    use_sni = descriptor_value(node, "use_sni")
    return ConnectTarget(
        addresses=tuple(addresses),
        service_name=descriptor_value(node, "connect_data", "service_name"),
        sid=descriptor_value(node, "connect_data", "sid"),
        instance_name=descriptor_value(node, "connect_data", "instance_name"),
        server_type=descriptor_value(node, "connect_data", "server"),
        sdu=int(sdu) if sdu and sdu.isdigit() else None,
        connect_data_extra=tuple(extra),
        parameters=(("use_sni", use_sni),) if use_sni is not None else (),
        security=tuple(security),
    )


def _collect(node: Node, section: str, out: list[tuple[str, str]]) -> None:
    """Append the string pairs of every ``section`` list in ``node``, at any depth."""
    for key, value in node:
        if isinstance(value, str):
            continue
        if key == section:
            out.extend((k, v) for k, v in value if isinstance(v, str))
        else:
            _collect(value, section, out)


def parse_dsn(text: str) -> ConnectTarget:
    """Parse an Easy Connect string or a connect descriptor.

    Raises:
        DsnError: the text is neither (tnsnames aliases are not resolved here).
    """
    stripped = text.strip()
    if stripped.startswith("("):
        return _from_descriptor(stripped)
    m = _EASY.match(stripped)
    if not m:
        raise DsnError(f"cannot parse connect string {text!r}")
    protocol = (m["protocol"] or "tcp").lower()
    if protocol not in ("tcp", "tcps"):
        raise DsnError(f"connect string protocol {protocol!r} is not supported")
    addresses: list[Address] = []
    for group in m["hosts"].split(";"):
        hosts = [h for h in group.split(",")]
        parsed: list[tuple[str, int | None]] = []
        for h in hosts:
            hm = _HOST.match(h)
            if not hm:
                raise DsnError(f"bad host {h!r} in connect string")
            port = int(hm["port"]) if hm["port"] else None
            if port is not None and not 0 < port < 65536:
                raise DsnError(f"bad port {port} in connect string")
            parsed.append((hm["ipv6"] or hm["name"], port))
        # A port after the last host of a comma group applies to the hosts without one.
        group_port = next((p for _, p in reversed(parsed) if p is not None), DEFAULT_PORT)
        addresses.extend(Address(host=h, port=p or group_port, protocol=protocol) for h, p in parsed)
    params: list[tuple[str, str]] = []
    if m["params"]:
        for part in m["params"].split("&"):
            if not part:
                continue
            key, _, value = part.partition("=")
            params.append((key.strip().lower(), value.strip().strip('"')))
    sdu = dict(params).get("sdu")
    if m["service"] is None and m["instance"] is None and "/" not in stripped:
        # Without "/service" python-oracledb treats the text as a tnsnames alias,
        # unless it has an explicit port (host:port alone connects without a service).
        if ":" not in m["hosts"]:
            raise DsnError(f"{text!r} is not an Easy Connect string (tnsnames aliases are not supported)")
    return ConnectTarget(
        addresses=tuple(addresses),
        service_name=m["service"],
        instance_name=m["instance"],
        server_type=m["server"].lower() if m["server"] else None,
        sdu=int(sdu) if sdu and sdu.isdigit() else None,
        parameters=tuple(params),
    )


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in "()=") else value


def build_descriptor(
    target: ConnectTarget,
    *,
    address: Address | None = None,
    program: str | None = None,
    machine: str | None = None,
    osuser: str | None = None,
    connection_id: str | None = None,
) -> str:
    """The DESCRIPTION sent in CONNECT (docs/protocol-connect.md 2.4), for one address.

    Without ``program``/``machine``/``osuser`` the CID part is left out, which
    gives AUTH_CONNECT_STRING.
    """
    addr = address or target.addresses[0]
    parts = ["(DESCRIPTION="]
    if target.sdu and target.sdu != 8192:
        parts.append(f"(SDU={target.sdu})")
    parts.append(f"(ADDRESS=(PROTOCOL={addr.protocol})(HOST={addr.host})(PORT={addr.port})")
    if addr.https_proxy is not None:
        parts.append(f"(HTTPS_PROXY={addr.https_proxy})")
    if addr.https_proxy_port:
        parts.append(f"(HTTPS_PROXY_PORT={addr.https_proxy_port})")
    parts.append(")")
    parts.append("(CONNECT_DATA=")
    if target.service_name:
        parts.append(f"(SERVICE_NAME={_quote(target.service_name)})")
    elif target.sid:
        parts.append(f"(SID={_quote(target.sid)})")
    if target.instance_name:
        parts.append(f"(INSTANCE_NAME={_quote(target.instance_name)})")
    if target.server_type:
        parts.append(f"(SERVER={target.server_type})")
    if program is not None or machine is not None or osuser is not None:
        parts.append(f"(CID=(PROGRAM={_quote(program or '')})(HOST={_quote(machine or '')})(USER={_quote(osuser or '')}))")
    for key, value in target.connect_data_extra:
        parts.append(f"({key}={_quote(value)})")
    if connection_id:
        parts.append(f"(CONNECTION_ID={connection_id})")
    parts.append("))")
    return "".join(parts)
