"""The driver does not depend on its test server: no driver module imports
``oracle_asyncio.testing``, directly or through another module.  Only the
command line (``oracle_asyncio.__main__``, whose ``demo`` starts the embedded
server) reaches down into ``testing``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import oracle_asyncio

PACKAGE = Path(oracle_asyncio.__file__).parent
#: The driver's modules: every file directly in the package but the command line.
DRIVER = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__main__.py")


def _targets(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``, in functions and TYPE_CHECKING blocks too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                base = ".".join(["oracle_asyncio", *filter(None, [node.module])]) if node.level == 1 else "?"
            found.append((node.lineno, base))
            # ``from . import testing`` names the subpackage as an imported name.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def test_no_driver_module_imports_testing() -> None:
    assert len(DRIVER) > 10
    problems = [
        f"{path.name}:{line} imports {name}"
        for path in DRIVER
        for line, name in _targets(path)
        if name == "oracle_asyncio.testing" or name.startswith("oracle_asyncio.testing.")
    ]
    assert not problems, "\n".join(problems)


def test_importing_the_driver_loads_no_testing_module() -> None:
    modules = ", ".join(f"oracle_asyncio.{p.stem}" for p in DRIVER if p.stem != "__init__")
    code = (
        f"import sys, oracle_asyncio, {modules}; "
        "print(sorted(m for m in sys.modules if m.startswith('oracle_asyncio.testing')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_demo_lives_in_testing() -> None:
    assert not (PACKAGE / "_demo.py").exists()
    assert (PACKAGE / "testing" / "demo.py").exists()
