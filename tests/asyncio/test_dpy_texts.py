"""The driver's DPY errors carry python-oracledb's text with the arguments as given."""

from __future__ import annotations

import pytest

from oracle_asyncio._cursor_vars import dpy
from oracle_sansio.exceptions import NotSupportedError


def test_braces_in_an_argument_stay_single() -> None:
    # A class named with braces (type() allows any name) used to show doubled: "set{{1}}".
    err = dpy(3002, type_name="set{1}")
    assert isinstance(err, NotSupportedError)
    assert str(err) == 'DPY-3002: Python value of type "set{1}" is not supported'


def test_a_missing_argument_is_a_bug_not_a_bare_template() -> None:
    with pytest.raises(KeyError):
        dpy(3002)
