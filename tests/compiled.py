"""Marks for tests that count work by instrumenting the package's own code.

Such a test monkeypatches a class or function, or subclasses one, inside a module.
In the opt-in mypyc build (README, "Compiled build"; ``.ci/compiled``) that module is
native code: its calls do not go through the patched name, and an interpreted class
cannot inherit a compiled one.  The pure run still counts the same source.
"""

from __future__ import annotations

from types import ModuleType

import pytest

__all__ = ["is_compiled", "pure_only"]


def is_compiled(*modules: ModuleType) -> bool:
    """True when any of ``modules`` was imported from a compiled extension."""
    return any(not str(module.__file__).endswith(".py") for module in modules)


def pure_only(*modules: ModuleType) -> pytest.MarkDecorator:
    """Skip the test in the compiled build when any of ``modules`` is compiled."""
    names = ", ".join(module.__name__ for module in modules)
    return pytest.mark.skipif(is_compiled(*modules), reason=f"instruments {names}: pure build only")
