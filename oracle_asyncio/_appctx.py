"""python-oracledb's checks of application context arguments, with its exceptions and
texts (base_impl utils.pyx and connection.py): ``appcontext=`` at connect, and the
namespace and values of ``set_app_context`` / ``clear_app_context``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["appcontext", "check_namespace", "check_values", "entries"]

#: python-oracledb's limits (TNS_APP_CONTEXT_KEY_MAX_LEN / _VALUE_MAX_LEN), in UTF-8 bytes.
_KEY_MAX: Final = 128
_VALUE_MAX: Final = 4000
_SHAPE: Final = "appcontext should be a list of 3-tuples and each 3-tuple should contain three strings"


def _lengths(key: object, value: object) -> None:
    if not isinstance(key, str) or not isinstance(value, str):
        raise TypeError(_SHAPE)
    key_length, value_length = len(key.encode()), len(value.encode())
    if key_length > _KEY_MAX:
        raise ValueError(f"application context key length ({key_length} bytes) exceeds the maximum allowed "
                         f"({_KEY_MAX} bytes)")
    if value_length > _VALUE_MAX:
        raise ValueError(f"application context value length ({value_length} bytes) exceeds the maximum allowed "
                         f"({_VALUE_MAX} bytes)")


def appcontext(value: object) -> list[Any]:
    """The ``appcontext`` parameter: a list of (namespace, attribute, value) string tuples.

    Raises:
        TypeError: not a list of 3-tuples of strings.
        ValueError: an empty namespace, an attribute over 128 bytes or a value over 4000.
    """
    if not isinstance(value, list):
        raise TypeError(_SHAPE)
    for entry in value:
        if not isinstance(entry, tuple) or len(entry) != 3:
            raise TypeError(_SHAPE)
        namespace, key, text = entry
        if not isinstance(namespace, str):
            raise TypeError(_SHAPE)
        if not namespace:
            raise ValueError("application context namespace cannot be empty")
        _lengths(key, text)
    return value


def entries(value: list[Any] | None) -> tuple[tuple[str, str, str], ...]:
    """The checked ``appcontext`` parameter as the logon sends it."""
    return tuple((str(ns), str(key), str(text)) for ns, key, text in value or ())


def check_namespace(namespace: object) -> str:
    """ValueError unless ``namespace`` is a non-empty string (python-oracledb's rule)."""
    if not isinstance(namespace, str) or not namespace:
        raise ValueError("application context namespace must be a non-empty string")
    return namespace


def check_values(values: Mapping[str, object]) -> dict[str, str]:
    """ValueError for no values, an attribute over 128 bytes or a value over 4000;
    TypeError for a value that is not a string."""
    if not values:
        raise ValueError("application context must contain at least one key/value pair")
    for key, value in values.items():
        _lengths(key, value)
    return {key: str(value) for key, value in values.items()}
