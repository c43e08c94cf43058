"""oracle_sansio must stay pure: standard library only, and no I/O, clock,
threads, randomness or logging (docs/architecture.md)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import oracle_sansio

PACKAGE = Path(oracle_sansio.__file__).parent

FORBIDDEN = {
    "asyncio", "socket", "ssl", "selectors", "time", "threading", "random", "secrets",
    "uuid", "logging", "os", "subprocess", "multiprocessing", "signal", "select",
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            found.append((node.lineno, "__import__"))
    return found


def test_only_pure_stdlib_imports() -> None:
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert files
    for path in files:
        for line, name in _imports(path):
            top = name.split(".")[0]
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if top in FORBIDDEN or name == "__import__" or top == "importlib":
                problems.append(f"{where} imports {name}")
            elif top != "oracle_sansio" and top not in sys.stdlib_module_names and top != "__future__":
                problems.append(f"{where} imports non-stdlib {name}")
    assert not problems, "\n".join(problems)


def test_importing_pulls_in_no_forbidden_module() -> None:
    import subprocess

    code = (
        "import sys; before = set(sys.modules); import oracle_sansio, oracle_sansio.tns.framer; "
        "import oracle_sansio.ttc.wire; "
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in %r))" % (FORBIDDEN,)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_no_runtime_dependencies() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []
    assert project["requires-python"] == ">=3.11"
