"""The library version (kept in one place; pyproject.toml repeats it)."""

from __future__ import annotations

__version__ = "0.1.0"
