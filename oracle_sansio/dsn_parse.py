"""Connect strings parsed as python-oracledb parses them (impl/base/parsers.pyx):
Easy Connect, connect descriptors, and the ``protocol://`` hook prefix.

Pure and linear: one pass over the text, nesting limited, every failure a
:class:`DsnError` carrying python-oracledb's DPY code.  The grammar, with the
quirks kept on purpose, is docs/protocol-connect.md section 7.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from .dsn_tree import (
    ADDRESS_SETTINGS,
    Address,
    AddressList,
    Description,
    DescriptionList,
    Extra,
    ProtocolError,
    PurityError,
    ServerTypeError,
    SslVersionError,
    apply_settings,
    to_bool,
)
from .error_codes import DpyCode, dpy_text
from .errors import LocalProtocolError

__all__ = ["DsnError", "Parsed", "ProtocolHook", "parse_connect_string", "EXTENDED_PREFIX"]

_MAX_DEPTH = 32

#: python-oracledb's other spellings of its parameter names.
_ALTERNATIVE = {
    "pool_connection_class": "cclass",
    "pool_purity": "purity",
    "server": "server_type",
    "transport_connect_timeout": "tcp_connect_timeout",
    "my_wallet_directory": "wallet_location",
}
_CONTAINERS = frozenset({"address", "address_list", "connect_data", "description", "description_list", "security"})
_DESCRIPTION_KEYS = frozenset({
    "address", "address_list", "connect_data", "expire_time", "failover", "load_balance", "source_route",
    "retry_count", "retry_delay", "sdu", "tcp_connect_timeout", "use_sni", "security"})
_CONNECT_DATA_KEYS = frozenset({
    "cclass", "connection_id_prefix", "instance_name", "pool_boundary", "pool_name", "purity",
    "server_type", "service_name", "sid", "use_tcp_fast_open"})
_SECURITY_KEYS = frozenset({"ssl_server_cert_dn", "ssl_server_dn_match", "ssl_version", "wallet_location"})
#: Easy Connect parameters python-oracledb reads, by their written names.
_COMMON = frozenset({
    "expire_time", "failover", "https_proxy", "https_proxy_port", "load_balance", "pool_boundary",
    "pool_name", "pool_connection_class", "pool_purity", "retry_count", "retry_delay", "sdu",
    "source_route", "ssl_server_cert_dn", "ssl_server_dn_match", "transport_connect_timeout", "use_sni",
    "wallet_location"})
#: Easy Connect parameters kept as DESCRIPTION keys for the listener.
_EXTRA_DESCRIPTION = frozenset({"enable", "recv_buf_size", "send_buf_size"})
#: ``pyo.name=value`` sets a python-oracledb parameter that has no Oracle Net name.
EXTENDED_PREFIX = "pyo."
_EXTENDED = frozenset({
    "connection_id_prefix", "disable_oob", "driver_name", "edition", "events", "externalauth", "machine",
    "mode", "osuser", "program", "stmtcachesize", "terminal", "use_tcp_fast_open",
    "getmode", "homogeneous", "increment", "max", "max_lifetime_session", "max_sessions_per_shard", "min",
    "ping_interval", "ping_timeout", "soda_metadata_cache", "timeout", "wait_timeout",
    *(_ALTERNATIVE.get(n, n) for n in _COMMON)})


class DsnError(LocalProtocolError, ValueError):
    """A connect string that cannot be parsed; ``code`` is python-oracledb's DPY number
    and ``fields`` its message arguments (the driver raises ``dpy_error(code, **fields)``)."""

    def __init__(self, message: str, *, code: int = DpyCode.CANNOT_PARSE_CONNECT_STRING,
                 fields: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.code = int(code)
        self.fields: dict[str, object] = dict(fields or {})


def _error(code: int, cause: str | None = None, **fields: object) -> DsnError:
    text = f"DPY-{code:04d}: {dpy_text(code, fields)}"
    return DsnError(text + (f"\n{cause}" if cause else ""), code=code, fields=fields)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed connect string: the tree, plus Easy Connect ``?name=value`` parameters
    that are not description or address settings (``pyo.`` names, already applied
    ones removed), for the caller's parameter object."""

    tree: DescriptionList
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProtocolHook:
    """``protocol://arg`` for a registered protocol: the caller runs its hook."""

    protocol: str
    arg: str


def _is_name_char(ch: str) -> bool:
    return ch.isalpha() or ch.isdigit() or ch in "-_."


class _Reader:
    """One pass over ``text``; ``pos`` is what has been consumed, ``tmp`` the look-ahead."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.tmp = 0

    def ch(self) -> str:
        return self.text[self.tmp]

    def skip_spaces(self) -> None:
        while self.tmp < self.n and self.text[self.tmp].isspace():
            self.tmp += 1

    def keyword(self) -> None:
        while self.tmp < self.n and (self.text[self.tmp].isalnum() or self.text[self.tmp] in "_."):
            self.tmp += 1

    def quoted(self) -> None:
        """Past the closing double quote (the opening one is already consumed)."""
        end = self.text.find('"', self.tmp)
        if end < 0:
            raise _error(DpyCode.MISSING_ENDING_DOUBLE_QUOTE)
        self.tmp = self.pos = end + 1


# ------------------------------------------------------------------ descriptor

Args = dict[str, object]


def _split_extras(value: object, allowed: frozenset[str], name: str) -> object:
    if not isinstance(value, dict):
        return value
    out: Args = {}
    for key, item in value.items():
        if key in allowed:
            out[key] = item
        else:
            extras = out.setdefault(name, {})
            assert isinstance(extras, dict)
            extras[key] = item
    return out


def _store(args: Args, name: str, value: object) -> None:
    """python-oracledb's ``_set_descriptor_arg``: repeated keys make a list, and bare
    ADDRESS entries next to an ADDRESS_LIST become lists of their own."""
    if name == "description":
        value = _split_extras(value, _DESCRIPTION_KEYS, "extra_args")
    elif name == "connect_data":
        value = _split_extras(value, _CONNECT_DATA_KEYS, "extra_connect_data_args")
    elif name == "security":
        value = _split_extras(value, _SECURITY_KEYS, "extra_security_args")
    old = args.get(name)
    if old is None:
        if name == "address" and "address_list" in args:
            _store(args, "address_list", {"address": value})
            return
        if name == "address_list" and "address" in args:
            addresses = args.pop("address")
            listed = addresses if isinstance(addresses, list) else [addresses]
            value = [{"address": a} for a in listed] + [value]
        args[name] = value
    elif isinstance(old, list):
        old.append(value)
    else:
        args[name] = [old, value]


def _pair(r: _Reader, args: Args, depth: int) -> None:
    """One ``NAME=value)`` (the ``(`` already consumed) into ``args``."""
    if depth > _MAX_DEPTH:
        raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, "connect descriptor is nested too deeply", data=r.text)
    r.skip_spaces()
    start = r.tmp
    r.keyword()
    if r.tmp == start:
        raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
    name = r.text[start:r.tmp].lower()
    name = _ALTERNATIVE.get(name, name)
    r.skip_spaces()
    if r.tmp >= r.n or r.ch() != "=":
        raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
    r.tmp += 1
    r.skip_spaces()
    value: object = None
    simple = False
    while r.tmp < r.n:
        ch = r.ch()
        if ch == '"':
            if simple:
                raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
            r.tmp += 1
            start = r.tmp
            r.quoted()
            if r.tmp > start + 1:
                value = r.text[start:r.tmp - 1]
            break
        if ch == "(":
            if simple:
                raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
            r.tmp += 1
            if value is None:
                value = {}
            assert isinstance(value, dict)
            _pair(r, value, depth + 1)
            continue
        if ch == ")":
            break
        if not simple and not ch.isspace():
            if value is not None or name in _CONTAINERS:
                raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
            start = r.tmp
            simple = True
        r.tmp += 1
    if simple:
        value = r.text[start:r.tmp].strip()
    r.skip_spaces()
    if r.tmp < r.n:
        if r.ch() != ")":
            raise _error(DpyCode.INVALID_CONNECT_DESCRIPTOR, data=r.text)
        r.tmp += 1
    r.skip_spaces()
    r.pos = r.tmp
    if value is not None:
        _store(args, name, value)


def _as_dict(value: object) -> Args:
    if not isinstance(value, dict):
        raise ValueError(f"expecting a list of (NAME=value) pairs, got {value!r}")
    return value


def _extra(value: object) -> Extra:
    if not isinstance(value, dict):
        return ()
    return tuple((k, v if isinstance(v, str) else _extra(v)) for k, v in value.items())


def _flags(args: Args, failover: bool, load_balance: bool, source_route: bool) -> tuple[bool, bool, bool]:
    """FAILOVER, LOAD_BALANCE and SOURCE_ROUTE of a node (the given values where unsaid)."""
    def flag(key: str, default: bool) -> bool:
        value = args.get(key)
        return default if value is None else to_bool(value)
    return flag("failover", failover), flag("load_balance", load_balance), flag("source_route", source_route)


def _description(template: Description, args: Args) -> Description:
    """python-oracledb's ``set_from_description_args`` then connect data and security."""
    changes: Args = {k: args[k] for k in _DESCRIPTION_KEYS - _CONTAINERS if args.get(k) is not None}
    desc = apply_settings(DescriptionList(descriptions=(template,)), changes).descriptions[0]
    failover, load_balance, source_route = _flags(args, template.failover, template.load_balance,
                                                  template.source_route)
    desc = replace(desc, failover=failover, load_balance=load_balance, source_route=source_route)
    if "extra_args" in args:
        desc = replace(desc, extra_args=_extra(args["extra_args"]))
    desc = _section(desc, args.get("connect_data"), _CONNECT_DATA_KEYS, "extra_connect_data_args")
    return _section(desc, args.get("security"), _SECURITY_KEYS, "extra_security_args")


def _section(desc: Description, value: object, keys: frozenset[str], extras: str) -> Description:
    """CONNECT_DATA or SECURITY of a description: its known keys as settings, the rest kept
    as ``extras`` (the field of that name)."""
    if value is None:
        return desc
    section = _as_dict(value)
    desc = apply_settings(DescriptionList(descriptions=(desc,)),
                          {k: section[k] for k in keys if section.get(k) is not None}).descriptions[0]
    if extras not in section:
        return desc
    if extras == "extra_security_args":
        return replace(desc, extra_security_args=_extra(section[extras]))
    return replace(desc, extra_connect_data_args=_extra(section[extras]))


def _address(template: Mapping[str, object], args: object) -> Address:
    values = {**template, **{k: v for k, v in _as_dict(args).items() if k in ADDRESS_SETTINGS and v is not None}}
    if "host" not in values:
        raise ValueError("ADDRESS without HOST")
    converted = {k: ADDRESS_SETTINGS[k](v) for k, v in values.items()}
    return Address(**converted)  # type: ignore[arg-type]


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _descriptor(text: str, template: Description, address_template: Mapping[str, object]) -> DescriptionList:
    r = _Reader(text)
    r.tmp = 1
    args: Args = {}
    _pair(r, args, 0)
    if r.pos != r.n:
        raise _error(DpyCode.CANNOT_PARSE_CONNECT_STRING, data=text)
    top = DescriptionList()
    list_args: Args = args
    if args.get("description_list") is not None:
        list_args = _as_dict(args["description_list"])
        failover, load_balance, source_route = _flags(list_args, True, False, False)
        top = DescriptionList(failover=failover, load_balance=load_balance, source_route=source_route)
    descriptions: list[Description] = []
    for desc_value in _listed(list_args.get("description", list_args)):
        desc_args = _as_dict(desc_value)
        desc = _description(template, desc_args)
        lists_value = desc_args.get("address_list", desc_args)
        if not isinstance(lists_value, list):
            desc = replace(desc, source_route=False)
        address_lists = []
        for list_value in _listed(lists_value):
            la = _as_dict(list_value)
            addresses = tuple(_address(address_template, a) for a in _listed(la.get("address", [])))
            failover, load_balance, source_route = _flags(la, True, False, False)
            address_lists.append(AddressList(addresses=addresses, failover=failover, load_balance=load_balance,
                                             source_route=source_route))
        descriptions.append(replace(desc, address_lists=tuple(address_lists)))
    tree = replace(top, descriptions=tuple(descriptions))
    if not tree.addresses:
        raise _error(DpyCode.MISSING_ADDRESS, connect_string=text)
    return tree


# ------------------------------------------------------------------ Easy Connect


def _ez_protocol(r: _Reader) -> str | None:
    start_sep = r.pos
    seps = 0
    protocol: str | None = None
    r.tmp = r.pos
    while r.tmp < r.n:
        ch = r.ch()
        if ch == ":":
            protocol = r.text[r.pos:r.tmp].lower()
            start_sep = r.tmp + 1
        elif ch == "/" and r.tmp - start_sep == seps:
            seps += 1
            if seps == 2:
                r.tmp += 1
                r.pos = r.tmp
                break
        elif not (ch.isalnum() or ch in "-_"):
            break
        r.tmp += 1
    return protocol if protocol is not None and seps == 2 else None


def _ez_host(r: _Reader) -> str | None:
    bracket = found = False
    start = r.tmp
    while r.tmp < r.n:
        ch = r.ch()
        if not bracket and not found and ch == "[":
            bracket = True
            start = r.tmp + 1
        elif bracket and ch == "]":
            host = r.text[start:r.tmp]
            r.tmp += 1
            r.pos = r.tmp
            return host
        elif bracket or _is_name_char(ch):
            found = True
        else:
            if found:
                r.pos = r.tmp
                return r.text[start:r.tmp]
            return None
        r.tmp += 1
    return None


def _ez_hosts(r: _Reader, address_template: Mapping[str, object]) -> list[list[Address]]:
    lists: list[list[Address]] = [[]]
    port_from = 0
    r.tmp = r.pos
    while True:
        host = _ez_host(r)
        if host is None or r.tmp != r.pos or r.pos >= r.n:
            break
        current = lists[-1]
        current.append(_address(address_template, {"host": host}))
        ch = r.ch()
        if ch == ":":
            r.tmp += 1
            start = r.tmp
            while r.tmp < r.n and r.ch().isdigit():
                r.tmp += 1
            if r.tmp > start:
                port = int(r.text[start:r.tmp])
                current[-1] = replace(current[-1], port=port)
                for i in range(port_from, len(current) - 1):
                    current[i] = replace(current[i], port=port)
            r.pos = r.tmp
            if r.pos >= r.n:
                break
            port_from = len(current)
            ch = r.ch()
        if ch == ";":
            lists.append([])
            port_from = 0
        elif ch != ",":
            break
        r.tmp += 1
    return lists


def _ez_service(r: _Reader) -> tuple[bool, str | None, str | None]:
    """(found "/", service name, server type)."""
    slash = colon = found_service = found_server = False
    end = 0
    r.tmp = r.pos
    while r.tmp < r.n:
        ch = r.ch()
        if not slash and ch == "/":
            slash = True
        elif found_service and not colon and ch == ":":
            colon = True
        elif slash and not colon and _is_name_char(ch):
            found_service = True
            end = r.tmp + 1
        elif colon and ch.isalpha():
            found_server = True
        else:
            break
        r.tmp += 1
    service = r.text[r.pos + 1:end] if found_service else None
    server = r.text[end + 1:r.tmp] if found_server else None
    if slash:
        r.pos = r.tmp
    return slash, service, server


def _ez_instance(r: _Reader) -> str | None:
    slash = found = False
    end = 0
    r.tmp = r.pos
    while r.tmp < r.n:
        ch = r.ch()
        if not slash and ch == "/":
            slash = True
        elif slash and _is_name_char(ch):
            found = True
            end = r.tmp + 1
        else:
            break
        r.tmp += 1
    if found:
        name = r.text[r.pos + 1:end]
        r.pos = r.tmp
        return name
    return None


def _ez_parameter(r: _Reader, out: dict[str, str], extra: dict[str, str]) -> None:
    r.skip_spaces()
    start = r.tmp
    r.keyword()
    if r.tmp == start or r.tmp >= r.n:
        return
    name = r.text[start:r.tmp].lower()
    if name.startswith(EXTENDED_PREFIX):
        name = name[len(EXTENDED_PREFIX):]
        keep = name in _EXTENDED
    else:
        keep = name in _COMMON or name in _EXTRA_DESCRIPTION
        name = _ALTERNATIVE.get(name, name)
    r.skip_spaces()
    if r.tmp >= r.n or r.ch() != "=":
        return
    r.tmp += 1
    r.skip_spaces()
    start = end = r.tmp
    while r.tmp < r.n:
        ch = r.ch()
        if ch == '"':
            if r.tmp > start:
                return
            r.tmp += 1
            start = r.tmp
            r.quoted()
            end = r.tmp - 1
            break
        if ch == "&":
            end = r.tmp
            break
        r.tmp += 1
        end = r.tmp
    if end > start and keep:
        (extra if name in _EXTRA_DESCRIPTION else out)[name] = r.text[start:end]
    r.skip_spaces()
    r.pos = r.tmp


def _easy_connect(text: str, template: Description, address_template: Mapping[str, object],
                  hooks: Collection[str]) -> Parsed | ProtocolHook | None:
    r = _Reader(text)
    protocol = _ez_protocol(r)
    if protocol is not None:
        if protocol in hooks:
            return ProtocolHook(protocol, text[r.tmp:])
        address_template = {**address_template, "protocol": protocol}
        if protocol not in ("tcp", "tcps"):
            raise _error(DpyCode.INVALID_PROTOCOL, protocol=protocol)
    lists = _ez_hosts(r, address_template)
    slash, service, server = _ez_service(r)
    instance = _ez_instance(r)
    if not slash:
        return None  # python-oracledb then looks the text up as a tnsnames.ora alias
    changes: Args = {}
    if service is not None:
        changes["service_name"] = service
    if instance is not None:
        changes["instance_name"] = instance
    if server is not None:
        changes["server_type"] = server
    parameters: dict[str, str] = {}
    extra: dict[str, str] = {}
    expected = "?"
    r.tmp = r.pos
    while r.tmp < r.n and r.ch() == expected:
        expected = "&"
        r.tmp += 1
        _ez_parameter(r, parameters, extra)
    if r.pos != r.n:
        raise _error(DpyCode.CANNOT_PARSE_CONNECT_STRING, data=text)
    desc = apply_settings(DescriptionList(descriptions=(template,)), changes).descriptions[0]
    desc = replace(desc, address_lists=tuple(AddressList(addresses=tuple(a)) for a in lists))
    if extra:
        desc = replace(desc, extra_args=tuple(extra.items()))
    tree = apply_settings(DescriptionList(descriptions=(desc,)), parameters)
    rest = {k: v for k, v in parameters.items() if k not in _TREE_KEYS}
    return Parsed(tree, rest)


_TREE_KEYS = frozenset({"failover", "load_balance", "source_route", "expire_time", "retry_count", "retry_delay", "sdu", "tcp_connect_timeout", "use_sni",
                        "service_name", "instance_name", "sid", "server_type", "cclass", "purity",
                        "pool_boundary", "pool_name", "connection_id_prefix", "use_tcp_fast_open",
                        "ssl_server_dn_match", "ssl_server_cert_dn", "ssl_version", "wallet_location",
                        "host", "port", "protocol", "https_proxy", "https_proxy_port"})


def parse_connect_string(text: str, *, template: Description | None = None,
                         address_template: Mapping[str, object] | None = None,
                         hooks: Collection[str] = ()) -> Parsed | ProtocolHook | None:
    """Parse ``text`` as python-oracledb does.

    ``template`` and ``address_template`` hold the caller's parameters (what
    ``connect(retry_count=..., port=...)`` said): the text overrides them.
    ``hooks`` are the registered ``protocol://`` prefixes.

    Returns:
        The tree; a :class:`ProtocolHook` for a registered prefix; None when the
        text is neither Easy Connect nor a descriptor (a tnsnames.ora alias).

    Raises:
        DsnError: python-oracledb's DPY code (4017, 4018, 4021, 4028, 2042, 2049, ...).
    """
    text = text.strip()
    if not text:
        return None
    base = template or Description()
    addr = dict(address_template or {})
    try:
        if text[0] == "(":
            return Parsed(_descriptor(text, base, addr))
        return _easy_connect(text, base, addr, hooks)
    except DsnError:
        raise
    except ProtocolError as exc:
        raise _error(DpyCode.INVALID_PROTOCOL, protocol=str(exc)) from None
    except ServerTypeError as exc:
        raise _error(DpyCode.INVALID_SERVER_TYPE, server_type=str(exc)) from None
    except PurityError as exc:
        raise _error(DpyCode.INVALID_ENUM_VALUE, name="Purity", value=str(exc)) from None
    except SslVersionError as exc:
        raise _error(DpyCode.INVALID_SSL_VERSION, ssl_version=str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise _error(DpyCode.CANNOT_PARSE_CONNECT_STRING, str(exc), data=text) from None
