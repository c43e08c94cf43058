"""The embedded server's ORA texts are one table: a number listed twice in the ``TEXTS``
literal would silently keep only the last text (two branches once both added ORA-04067
with different placeholders, and one of them then failed with a KeyError)."""

from __future__ import annotations

import ast
from pathlib import Path

from oracle_asyncio.testing.sql import errors


def test_texts_lists_each_number_once() -> None:
    tree = ast.parse(Path(errors.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "TEXTS":
            assert isinstance(node.value, ast.Dict)
            numbers = [k.value for k in node.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, int)]
            assert len(numbers) == len(set(numbers)), sorted({n for n in numbers if numbers.count(n) > 1})
            assert len(numbers) == len(errors.TEXTS)
            return
    raise AssertionError("TEXTS not found in errors.py")
