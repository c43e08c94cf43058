"""In-tree PEP 517 backend: setuptools' own, with the opt-in compiled build decided here.

``ORACLE_SANSIO_MYPYC=1`` selects the mypyc-compiled wheel (setup.py lists the modules).  Only
``build_wheel`` sees the variable: every other hook runs setup.py pure, so that asking for
requirements or metadata never needs mypy, and an editable install stays pure (compiled
modules beside the sources would shadow them for every run from the tree).  For a compiled
wheel, mypy is added to the build requirements, so it works under pip's build isolation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from setuptools import build_meta as _setuptools

#: mypyc ships inside mypy; the release line this build is tested with (.ci/compiled).
MYPY_REQUIREMENT = "mypy>=2.4,<3"
_VARIABLE = "ORACLE_SANSIO_MYPYC"
_T = TypeVar("_T")

ConfigSettings = dict[str, "str | list[str]"] | None


def _compiled() -> bool:
    return os.environ.get(_VARIABLE, "") not in ("", "0")


@contextmanager
def _pure() -> Iterator[None]:
    selected = os.environ.pop(_VARIABLE, None)
    try:
        yield
    finally:
        if selected is not None:
            os.environ[_VARIABLE] = selected


def _run_pure(hook: Callable[..., _T], *args: object) -> _T:
    with _pure():
        return hook(*args)


def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    requires = list(_run_pure(_setuptools.get_requires_for_build_wheel, config_settings))
    return requires + [MYPY_REQUIREMENT] if _compiled() else requires


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: ConfigSettings = None) -> str:
    return str(_run_pure(_setuptools.prepare_metadata_for_build_wheel, metadata_directory, config_settings))


def build_wheel(
    wheel_directory: str, config_settings: ConfigSettings = None, metadata_directory: str | None = None
) -> str:
    return str(_setuptools.build_wheel(wheel_directory, config_settings, metadata_directory))


def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return list(_run_pure(_setuptools.get_requires_for_build_sdist, config_settings))


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    return str(_run_pure(_setuptools.build_sdist, sdist_directory, config_settings))


def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return list(_run_pure(_setuptools.get_requires_for_build_editable, config_settings))


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: ConfigSettings = None) -> str:
    return str(_run_pure(_setuptools.prepare_metadata_for_build_editable, metadata_directory, config_settings))


def build_editable(
    wheel_directory: str, config_settings: ConfigSettings = None, metadata_directory: str | None = None
) -> str:
    return str(_run_pure(_setuptools.build_editable, wheel_directory, config_settings, metadata_directory))
