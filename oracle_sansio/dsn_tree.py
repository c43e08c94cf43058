"""The parsed form of a connect string: python-oracledb's tree
``DescriptionList > Description > AddressList > Address``, its settings, the
connect descriptor it stands for, and the order in which a client tries it.

Pure: the order in which LOAD_BALANCE visits its children comes from a
``sample`` function the caller passes (the driver passes ``random.sample``).
Layout and rebuild rules: docs/protocol-connect.md section 7.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

__all__ = [
    "Address",
    "AddressList",
    "Description",
    "DescriptionList",
    "Extra",
    "DEFAULT_PORT",
    "apply_settings",
    "build_connect_string",
    "connect_order",
    "flatten",
    "to_bool",
    "to_duration",
    "to_uint",
    "ADDRESS_SETTINGS",
    "DESCRIPTION_SETTINGS",
]

DEFAULT_PORT = 1521
_DEFAULT_TCP_CONNECT_TIMEOUT = 20.0
_DEFAULT_SDU = 8192
_UINT32 = 2**32 - 1

#: Keys python-oracledb keeps but does not interpret, re-emitted upper-cased: a
#: value is text or a nested list of pairs.
Extra = tuple[tuple[str, "str | Extra"], ...]

T = TypeVar("T")
#: ``sample(children, k)``: ``k`` distinct children in a random order (``random.sample``).
Sample = Callable[[Sequence[T], int], list[T]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """One listener address."""

    host: str
    port: int = DEFAULT_PORT
    protocol: str = "tcp"
    https_proxy: str | None = None
    https_proxy_port: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressList:
    """An ADDRESS_LIST (or the implicit one around bare ADDRESS entries)."""

    addresses: tuple[Address, ...] = ()
    failover: bool = True
    load_balance: bool = False
    source_route: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Description:
    """One DESCRIPTION with its CONNECT_DATA and SECURITY settings (python-oracledb's names)."""

    address_lists: tuple[AddressList, ...] = ()
    failover: bool = True
    load_balance: bool = False
    source_route: bool = False
    expire_time: int = 0
    retry_count: int = 0
    retry_delay: int = 1
    sdu: int = _DEFAULT_SDU
    tcp_connect_timeout: float = _DEFAULT_TCP_CONNECT_TIMEOUT
    use_sni: bool = False
    service_name: str | None = None
    instance_name: str | None = None
    sid: str | None = None
    server_type: str | None = None
    cclass: str | None = None
    #: 0 default, 1 NEW, 2 SELF (python-oracledb's Purity values).
    purity: int = 0
    pool_boundary: str | None = None
    pool_name: str | None = None
    connection_id_prefix: str | None = None
    use_tcp_fast_open: bool = False
    ssl_server_dn_match: bool = True
    ssl_server_cert_dn: str | None = None
    #: "tlsv1.2" or "tlsv1.3" as written; the driver maps it to ssl.TLSVersion.
    ssl_version: str | None = None
    wallet_location: str | None = None
    extra_args: Extra = ()
    extra_connect_data_args: Extra = ()
    extra_security_args: Extra = ()

    @property
    def addresses(self) -> tuple[Address, ...]:
        """Every address of every list, in written order."""
        return tuple(a for lst in self.address_lists for a in lst.addresses)


@dataclass(frozen=True, slots=True, kw_only=True)
class DescriptionList:
    """The whole connect string (a single DESCRIPTION is a list of one)."""

    descriptions: tuple[Description, ...] = ()
    failover: bool = True
    load_balance: bool = False
    source_route: bool = False

    @property
    def addresses(self) -> tuple[Address, ...]:
        """Every address, in written order."""
        return tuple(a for d in self.descriptions for a in d.addresses)


# ------------------------------------------------------------------ values


def to_bool(value: object) -> bool:
    """python-oracledb's boolean: on/yes/true (any case) is true, any other text false."""
    if isinstance(value, str):
        return value.strip().lower() in ("on", "yes", "true")
    return bool(value)


def to_uint(value: object) -> int:
    """An unsigned 32-bit integer from text or a number.

    Raises:
        ValueError: not a number, or out of range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"expecting an integer, got {value!r}")
    number = int(value)
    if not 0 <= number <= _UINT32:
        raise ValueError(f"{number} is not an unsigned 32-bit integer")
    return number


def to_duration(value: object) -> float:
    """Seconds from ``"5"``, ``"5 sec"``, ``"250ms"``, ``"2min"`` or a number (python-oracledb's units)."""
    if isinstance(value, str):
        text = value.strip().lower()
        for suffix, scale in (("sec", 1.0), ("ms", 0.001), ("min", 60.0)):
            if text.endswith(suffix):
                return float(text[: -len(suffix)].strip()) * scale
        return float(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expecting a duration, got {value!r}")
    return float(value)


def _to_str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expecting a string, got {value!r}")
    return value


def _to_server_type(value: object) -> str:
    text = _to_str(value).lower()
    if text not in ("dedicated", "pooled", "shared"):
        raise ServerTypeError(text)
    return text


def _to_purity(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isdigit():
        number = int(value)
    elif isinstance(value, str):
        names = {"DEFAULT": 0, "NEW": 1, "SELF": 2}
        if value.upper() not in names:
            raise PurityError(value)
        return names[value.upper()]
    else:
        raise PurityError(str(value))
    if number not in (0, 1, 2):
        raise PurityError(str(value))
    return number


def _to_sdu(value: object) -> int:
    # python-oracledb clamps rather than rejects.
    return min(max(to_uint(value), 512), 2_097_152)


def _to_ssl_version(value: object) -> str:
    text = str(getattr(value, "name", value)).lower().replace("_", ".")
    if text not in ("tlsv1.2", "tlsv1.3"):
        raise SslVersionError(str(value))
    return text


class ServerTypeError(ValueError):
    """SERVER is not dedicated, pooled or shared (python-oracledb DPY-4028)."""


class PurityError(ValueError):
    """POOL_PURITY is not DEFAULT, NEW or SELF (python-oracledb DPY-4022)."""


class SslVersionError(ValueError):
    """SSL_VERSION is not TLSv1.2 or TLSv1.3 (python-oracledb DPY-4032)."""


class ProtocolError(ValueError):
    """PROTOCOL is not tcp or tcps (python-oracledb DPY-4021)."""


def _to_protocol(value: object) -> str:
    text = _to_str(value).lower()
    if text not in ("tcp", "tcps"):
        raise ProtocolError(text)
    return text


#: Description-level settings (python-oracledb's parameter names) and their converters,
#: in the order python-oracledb's set() converts them (so the first bad value is the one
#: reported): CONNECT_DATA, then DESCRIPTION, then SECURITY settings.
DESCRIPTION_SETTINGS: Mapping[str, Callable[[object], object]] = {
    "service_name": _to_str,
    "instance_name": _to_str,
    "sid": _to_str,
    "server_type": _to_server_type,
    "cclass": _to_str,
    "purity": _to_purity,
    "pool_boundary": _to_str,
    "pool_name": _to_str,
    "connection_id_prefix": _to_str,
    "use_tcp_fast_open": to_bool,
    "expire_time": to_uint,
    "failover": to_bool,
    "load_balance": to_bool,
    "source_route": to_bool,
    "retry_count": to_uint,
    "retry_delay": to_uint,
    "use_sni": to_bool,
    "sdu": _to_sdu,
    "tcp_connect_timeout": to_duration,
    "ssl_server_dn_match": to_bool,
    "ssl_server_cert_dn": _to_str,
    "ssl_version": _to_ssl_version,
    "wallet_location": _to_str,
}

#: Address-level settings and their converters.
ADDRESS_SETTINGS: Mapping[str, Callable[[object], object]] = {
    "host": _to_str,
    "port": to_uint,
    "protocol": _to_protocol,
    "https_proxy": _to_str,
    "https_proxy_port": to_uint,
}

def _changes(args: Mapping[str, object], table: Mapping[str, Callable[[object], object]]) -> dict[str, object]:
    # In the table's order, not the caller's: which bad value is reported first.
    return {k: convert(args[k]) for k, convert in table.items() if args.get(k) is not None}


def apply_settings(tree: DescriptionList, args: Mapping[str, object]) -> DescriptionList:
    """``tree`` with python-oracledb parameters (e.g. ``retry_count=3``, ``port=1522``)
    applied to every description and address, as ``ConnectParams.set()`` does.

    Raises:
        ValueError: a value of the wrong form (a subclass names the python-oracledb error).
    """
    desc_changes = _changes(args, DESCRIPTION_SETTINGS)
    addr_changes = _changes(args, ADDRESS_SETTINGS)
    if not desc_changes and not addr_changes:
        return tree
    descriptions = []
    for desc in tree.descriptions:
        lists = tuple(replace(lst, addresses=tuple(replace(a, **addr_changes) for a in lst.addresses))  # type: ignore[arg-type]
                      for lst in desc.address_lists) if addr_changes else desc.address_lists
        descriptions.append(replace(desc, address_lists=lists, **desc_changes))  # type: ignore[arg-type]
    return replace(tree, descriptions=tuple(descriptions))


def flatten(values: Sequence[T]) -> T | list[T]:
    """python-oracledb's read-back of a per-description or per-address value:
    the value when there is one, a list when there are several."""
    return values[0] if len(values) == 1 else list(values)


# ------------------------------------------------------------------ text


def _flags(failover: bool, load_balance: bool, source_route: bool) -> list[str]:
    parts = []
    if not failover:
        parts.append("(FAILOVER=OFF)")
    if load_balance:
        parts.append("(LOAD_BALANCE=ON)")
    if source_route:
        parts.append("(SOURCE_ROUTE=ON)")
    return parts


def _extra(pairs: Extra) -> str:
    return "".join(f"({k.upper()}={v if isinstance(v, str) else _extra(v)})" for k, v in pairs)


def _duration(value: float) -> str:
    whole = int(value)
    if value != whole:
        return f"{int(value * 1000)}ms"
    if whole % 60 == 0:
        return f"{whole // 60}min"
    return str(whole)


def _address_text(a: Address) -> str:
    text = f"(ADDRESS=(PROTOCOL={a.protocol})(HOST={a.host})(PORT={a.port})"
    if a.https_proxy is not None:
        text += f"(HTTPS_PROXY={a.https_proxy})"
    if a.https_proxy_port:
        text += f"(HTTPS_PROXY_PORT={a.https_proxy_port})"
    return text + ")"


def _address_list_text(lst: AddressList) -> str:
    parts = _flags(lst.failover, lst.load_balance, lst.source_route)
    parts.extend(_address_text(a) for a in lst.addresses)
    return parts[0] if len(parts) == 1 else f"(ADDRESS_LIST={''.join(parts)})"


def description_text(d: Description, *, cid: str | None = None, connection_id: str | None = None) -> str:
    """One DESCRIPTION as python-oracledb writes it (``get_connect_string()``)."""
    parts = _flags(d.failover, d.load_balance, d.source_route)
    if d.retry_count:
        parts.append(f"(RETRY_COUNT={d.retry_count})")
        if d.retry_delay:
            parts.append(f"(RETRY_DELAY={d.retry_delay})")
    if d.expire_time:
        parts.append(f"(EXPIRE_TIME={d.expire_time})")
    if d.tcp_connect_timeout != _DEFAULT_TCP_CONNECT_TIMEOUT:
        parts.append(f"(TRANSPORT_CONNECT_TIMEOUT={_duration(d.tcp_connect_timeout)})")
    if d.use_sni:
        parts.append("(USE_SNI=ON)")
    if d.sdu != _DEFAULT_SDU:
        parts.append(f"(SDU={d.sdu})")
    parts.append(_extra(d.extra_args))
    parts.extend(_address_list_text(lst) for lst in d.address_lists)
    data = []
    if d.service_name is not None:
        data.append(f"(SERVICE_NAME={d.service_name})")
    if d.instance_name is not None:
        data.append(f"(INSTANCE_NAME={d.instance_name})")
    elif d.sid is not None:
        data.append(f"(SID={d.sid})")
    if d.server_type is not None:
        data.append(f"(SERVER={d.server_type})")
    if d.use_tcp_fast_open:
        data.append("(USE_TCP_FAST_OPEN=ON)")
    if d.pool_boundary is not None:
        data.append(f"(POOL_BOUNDARY={d.pool_boundary})")
    if cid is not None:
        data.append(f"(CID={cid})")
    else:
        if d.cclass is not None:
            data.append(f"(POOL_CONNECTION_CLASS={d.cclass})")
        if d.pool_name is not None:
            data.append(f"(POOL_NAME={d.pool_name})")
        if d.purity in (1, 2):
            data.append(f"(POOL_PURITY={'NEW' if d.purity == 1 else 'SELF'})")
    data.append(_extra(d.extra_connect_data_args))
    if connection_id is not None:
        data.append(f"(CONNECTION_ID={connection_id})")
    if any(data):
        parts.append(f"(CONNECT_DATA={''.join(data)})")
    if any(a.protocol == "tcps" for a in d.addresses):
        sec = []
        if d.ssl_server_dn_match:
            sec.append("(SSL_SERVER_DN_MATCH=ON)")
        if d.ssl_server_cert_dn is not None:
            sec.append(f"(SSL_SERVER_CERT_DN={d.ssl_server_cert_dn})")
        if d.ssl_version is not None:
            sec.append(f"(SSL_VERSION={'TLSv1.2' if d.ssl_version == 'tlsv1.2' else 'TLSv1.3'})")
        if d.wallet_location is not None:
            sec.append(f"(MY_WALLET_DIRECTORY={d.wallet_location})")
        sec.append(_extra(d.extra_security_args))
        parts.append(f"(SECURITY={''.join(sec)})")
    return f"(DESCRIPTION={''.join(parts)})"


def build_connect_string(tree: DescriptionList) -> str:
    """The connect descriptor ``tree`` stands for, exactly as python-oracledb's
    ``ConnectParams.get_connect_string()`` writes it."""
    parts = _flags(tree.failover, tree.load_balance, tree.source_route)
    parts.extend(description_text(d) for d in tree.descriptions)
    return parts[0] if len(parts) == 1 else f"(DESCRIPTION_LIST={''.join(parts)})"


# ------------------------------------------------------------------ order


def _active(children: Sequence[T], failover: bool, load_balance: bool, source_route: bool,
            sample: Sample[T]) -> list[T]:
    """python-oracledb's choice of the children a node tries, in order."""
    if len(children) == 1:
        return list(children)
    if source_route:
        return list(children[:1])
    if failover and load_balance:
        return sample(children, len(children))
    if failover:
        return list(children)
    if load_balance:
        return sample(children, 1) if children else []
    return list(children[:1])


def connect_order(tree: DescriptionList, sample: Sample[object]) -> list[tuple[Description, list[Address]]]:
    """The descriptions a client tries, in order, each with its addresses in the
    order of one round (FAILOVER, LOAD_BALANCE and SOURCE_ROUTE applied at every
    level; ``sample`` is ``random.sample`` or a test's stand-in)."""
    out: list[tuple[Description, list[Address]]] = []
    descriptions: list[Description] = _active(tree.descriptions, tree.failover, tree.load_balance,
                                              tree.source_route, sample)  # type: ignore[arg-type]
    for desc in descriptions:
        lists: list[AddressList] = _active(desc.address_lists, desc.failover, desc.load_balance,
                                           desc.source_route, sample)  # type: ignore[arg-type]
        addresses: list[Address] = []
        for lst in lists:
            addresses.extend(_active(lst.addresses, lst.failover, lst.load_balance, lst.source_route,
                                     sample))  # type: ignore[arg-type]
        out.append((desc, addresses))
    return out
