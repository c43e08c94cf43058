"""Where connect strings come from, besides the caller: tnsnames.ora files (with
IFILE includes) in the configuration directory (``config_dir``; its default is
``defaults.config_dir``), ``register_protocol()`` hooks (the built-in ``config-file://`` provider is
:mod:`oracle_asyncio._config_provider`), and ``makedsn()``.  python-oracledb's rules
(connect_params.pyx, builtin_hooks.py, dsn.py); the parsing itself is
:mod:`oracle_sansio.dsn_parse` and :mod:`oracle_sansio.tnsnames`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from oracle_sansio.dsn_parse import DsnError
from oracle_sansio.error_codes import DpyCode, dpy_text
from oracle_sansio.exceptions import Error, dpy_error
from oracle_sansio.tnsnames import TnsEntry, parse_tnsnames

__all__ = ["makedsn", "read_tnsnames", "register_protocol", "registered_protocols",
           "run_protocol_hook", "dsn_error"]

#: ``hook(protocol, arg, params)``; ``params`` is the ConnectParams being filled.
ProtocolHook = Callable[[str, str, Any], object]

_HOOKS: dict[str, ProtocolHook] = {}


def dsn_error(exc: DsnError, where: str | None = None) -> Error:
    """The python-oracledb exception for a parse failure (``where``: the tnsnames.ora entry)."""
    code = exc.code
    lines = str(exc).split("\n", 1)
    cause = lines[1] if len(lines) > 1 else (None if lines[0].startswith("DPY-") else lines[0])
    if where is not None:
        cause = f"{cause}\n(entry at {where})" if cause else f"entry at {where}"
    return dpy_error(code, cause, message=dpy_text(code, exc.fields).split(": ", 1)[1])


def _load(file_name: str) -> str:
    try:
        with open(file_name, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as exc:
        raise DsnError(str(exc), code=DpyCode.MISSING_FILE, fields={"file_name": file_name}) from None


def _include(written: str, including: str) -> tuple[str, str]:
    name = written if os.path.isabs(written) else os.path.join(os.path.dirname(including), written)
    return name, _load(name)


def read_tnsnames(config_dir: str | None) -> tuple[str, dict[str, TnsEntry]]:
    """The file name and the aliases of ``config_dir/tnsnames.ora`` (IFILE included).

    Raises:
        DatabaseError / InterfaceError: DPY-4027 without a directory, DPY-4026 for a
            missing file, DPY-4030 for an include cycle.
    """
    if config_dir is None:
        raise dpy_error(DpyCode.NO_CONFIG_DIR)
    file_name = os.path.join(config_dir, "tnsnames.ora")
    try:
        return file_name, parse_tnsnames(_load(file_name), file_name, _include)
    except DsnError as exc:
        raise dsn_error(exc) from None


def register_protocol(protocol: str, hook_function: ProtocolHook | None) -> None:
    """python-oracledb's ``register_protocol()``: ``hook_function(protocol, arg, params)``
    is called for a connect string ``protocol://arg`` and sets ``params`` (with
    ``params.set()`` or ``params.parse_connect_string()``); ``None`` removes it."""
    if not isinstance(protocol, str):
        raise TypeError("protocol must be a string")
    if hook_function is not None and not callable(hook_function):
        raise TypeError("hook_function must be a callable")
    name = protocol.lower()
    if hook_function is None:
        _HOOKS.pop(name)
    else:
        _HOOKS[name] = hook_function


def registered_protocols() -> frozenset[str]:
    """The protocols with a hook."""
    return frozenset(_HOOKS)


def run_protocol_hook(protocol: str, arg: str, params: Any) -> None:
    """Call the hook for ``protocol``; its failure becomes DPY-2056 with the cause."""
    hook = _HOOKS[protocol]
    try:
        hook(protocol, arg, params)
    except Exception as exc:
        raise dpy_error(DpyCode.PROTOCOL_HANDLER_FAILED, str(exc) or type(exc).__name__,
                        protocol=protocol, arg=arg) from exc


def _ldap_hook(protocol: str, arg: str, params: object) -> None:
    raise Exception(
        "To use an LDAP URL, register an LDAP resolution function with "
        "oracle_asyncio.register_protocol() (python-oracledb's rule: LDAP lookups are the "
        "application's)")


register_protocol("ldap", _ldap_hook)
register_protocol("ldaps", _ldap_hook)


def _check_arg(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f'"{name}" argument must be a string')
    if any(c in value for c in "()="):
        raise dpy_error(DpyCode.INVALID_MAKEDSN_ARG, name=name)


def makedsn(host: str, port: int, sid: str | None = None, service_name: str | None = None,
            region: str | None = None, sharding_key: str | None = None,
            super_sharding_key: str | None = None) -> str:
    """python-oracledb's ``makedsn()``: a connect descriptor for ``host:port``."""
    _check_arg("host", host)
    data = []
    if service_name is not None:
        _check_arg("service_name", service_name)
        data.append(f"(SERVICE_NAME={service_name})")
    elif sid is not None:
        _check_arg("sid", sid)
        data.append(f"(SID={sid})")
    for name, value in (("region", region), ("sharding_key", sharding_key),
                        ("super_sharding_key", super_sharding_key)):
        if value is not None:
            _check_arg(name, value)
            data.append(f"({name.upper()}={value})")
    return (f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={host})(PORT={port}))"
            f"(CONNECT_DATA={''.join(data)}))")
