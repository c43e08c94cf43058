"""Connect strings for the connect machines (pure): :func:`parse_dsn` gives the
:class:`ConnectTarget` of one description, :func:`build_descriptor` the
DESCRIPTION sent in CONNECT, and :func:`parse_descriptor` the loose reading the
server role needs (SERVICE_NAME / SID / INSTANCE_NAME).

The grammar itself (python-oracledb's, impl/base/parsers.pyx) is in
:mod:`oracle_sansio.dsn_parse`, the tree in :mod:`oracle_sansio.dsn_tree`,
tnsnames.ora files in :mod:`oracle_sansio.tnsnames`; docs/protocol-connect.md 7.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dsn_parse import DsnError, Parsed, parse_connect_string
from .dsn_tree import DEFAULT_PORT, Address, Description, DescriptionList, Extra

__all__ = [
    "DsnError",
    "Address",
    "ConnectTarget",
    "parse_dsn",
    "parse_descriptor",
    "build_descriptor",
    "descriptor_value",
    "DEFAULT_PORT",
    "target_of",
]

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
    #: The description these settings come from (python-oracledb's settings, e.g.
    #: retry_count, tcp_connect_timeout, expire_time, ssl_server_cert_dn).
    description: Description = field(default_factory=Description)
    #: The whole parsed connect string (every description), when there was one.
    tree: DescriptionList | None = None


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


def _extra_text(value: str | Extra) -> str:
    if isinstance(value, str):
        return value
    return "".join(f"({k.upper()}={_extra_text(v)})" for k, v in value)


def target_of(tree: DescriptionList, description: Description | None = None,
              parameters: tuple[tuple[str, str], ...] = ()) -> ConnectTarget:
    """The :class:`ConnectTarget` of one description of ``tree`` (the first by default).
    ``addresses`` holds that description's addresses, in written order."""
    desc = description if description is not None else tree.descriptions[0]
    security: list[tuple[str, str]] = []
    if desc.ssl_server_cert_dn is not None:
        security.append(("ssl_server_cert_dn", desc.ssl_server_cert_dn))
    if not desc.ssl_server_dn_match:
        security.append(("ssl_server_dn_match", "off"))
    if desc.wallet_location is not None:
        security.append(("my_wallet_directory", desc.wallet_location))
    return ConnectTarget(
        addresses=desc.addresses,
        service_name=desc.service_name,
        sid=desc.sid,
        instance_name=desc.instance_name,
        server_type=desc.server_type,
        sdu=desc.sdu if desc.sdu != 8192 else None,
        connect_data_extra=tuple((k.upper(), _extra_text(v)) for k, v in desc.extra_connect_data_args),
        parameters=parameters,
        security=tuple(security),
        description=desc,
        tree=tree,
    )


def parse_dsn(text: str) -> ConnectTarget:
    """Parse an Easy Connect string or a connect descriptor into the target of its
    first description (:attr:`ConnectTarget.tree` holds them all).

    Raises:
        DsnError: python-oracledb's DPY code; a bare name (a tnsnames.ora alias,
            which the driver resolves) gives DPY-4018 here.
    """
    parsed = parse_connect_string(text)
    if not isinstance(parsed, Parsed):
        raise DsnError(f"{text!r} is not an Easy Connect string or a connect descriptor "
                       "(a tnsnames.ora alias is resolved by the driver)",
                       fields={"data": text})
    if not parsed.tree.addresses:
        raise DsnError(f"connect string {text!r} names no host", fields={"data": text})
    return target_of(parsed.tree, parameters=tuple(parsed.parameters.items()))


def _quote(value: str) -> str:
    if value.startswith("("):
        return value  # a nested list kept from the connect string
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
