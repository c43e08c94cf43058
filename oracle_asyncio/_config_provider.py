"""python-oracledb's file-based centralized configuration provider:
``config-file://NAME[?key=KEY]`` names a JSON file (relative to ``config_dir``)
with ``connect_descriptor``, optionally ``user``, ``password`` (a dict with a
``type``: "base64" here) and ``pyo`` (python-oracledb parameters), or several
such configurations under their keys (python-oracledb builtin_hooks.py,
ConnectParamsImpl.set_from_config)."""

from __future__ import annotations

import base64
import json
import os
import urllib.parse
import warnings
from collections.abc import Mapping
from typing import Any

from oracle_sansio.error_codes import DpyCode
from oracle_sansio.exceptions import dpy_error

from ._dsn_sources import register_protocol
from .params import ConnectParams, password_of

__all__ = ["set_from_config"]


def _password(value: object) -> str:
    """A configuration's password: a dict with a ``type`` (python-oracledb's "base64")."""
    if not isinstance(value, dict):
        raise dpy_error(DpyCode.PLAINTEXT_PASSWORD_IN_CONFIG)
    kind = value.get("type")
    if kind != "base64":
        raise dpy_error(DpyCode.INVALID_PASSWORD_TYPE, password_type=kind)
    try:
        warnings.warn("base64 encoded passwords are insecure", stacklevel=2)
        return base64.b64decode(str(value["value"]).encode()).decode()
    except Exception as exc:
        raise dpy_error(DpyCode.PASSWORD_TYPE_HANDLER_FAILED, str(exc), password_type=kind) from exc


def set_from_config(params: ConnectParams, config: Mapping[str, Any]) -> None:
    """python-oracledb's ``set_from_config()``: ``connect_descriptor``, then ``user`` and
    ``password`` unless the caller gave them, then the ``pyo`` parameters."""
    descriptor = config.get("connect_descriptor")
    if descriptor is None:
        raise dpy_error(DpyCode.MISSING_CONNECT_DESCRIPTOR)
    params.parse_connect_string(descriptor)
    if params.user is None and not password_of(params).expose():
        user = config.get("user")
        password = config.get("password")
        params.set(user=user, password=None if password is None else _password(password))
    extra = config.get("pyo")
    if extra is not None:
        params.set(**extra)


def _config_file_hook(protocol: str, arg: str, params: ConnectParams) -> None:
    """``config-file://NAME[?key=KEY]``: a JSON file (relative to ``config_dir``)
    holding a configuration, or several under their keys."""
    file_name, _, query = arg.partition("?")
    key = urllib.parse.parse_qs(query).get("key", [None])[0] if query else None
    if not os.path.isabs(file_name):
        config_dir = params.config_dir
        if config_dir is None:
            raise dpy_error(DpyCode.NO_CONFIG_DIR)
        file_name = os.path.join(config_dir, file_name)
    with open(file_name, encoding="utf-8") as f:
        config = json.load(f)
    if key is not None:
        config = config[key]
    set_from_config(params, config)



register_protocol("config-file", _config_file_hook)
