"""Entry point shared by harnesses for coverage-guided runs under atheris."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def run(one_input: Callable[[bytes], None]) -> None:
    """Hand ``one_input`` to atheris (``pip install atheris``; ``python -m fuzz.fuzz_tns``)."""
    atheris = importlib.import_module("atheris")
    atheris.instrument_all()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
