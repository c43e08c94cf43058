"""TTC (Two-Task Common) message layer: wire primitives now, messages later."""

from __future__ import annotations

from .wire import Reader, Writer

__all__ = ["Reader", "Writer"]
