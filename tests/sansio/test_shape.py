"""The shape of oracle_sansio: its files import one way (no cycle between
files) and it never imports the driver.

The graph is built from every import statement in every file, those inside
functions and ``TYPE_CHECKING`` blocks included: a cycle hidden there is
still a cycle for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import oracle_sansio
from tests import shape
from tests.shape import cycles

PACKAGE = Path(oracle_sansio.__file__).parent


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of ``root``'s package it imports (any import statement)."""
    return shape.import_graph(shape.module_files(root, root.name))


def test_graph_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n")
    (pkg / "sub" / "c.py").write_text("from .. import a\nimport pkg.sub\n")
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.a"}
    assert graph["pkg.sub.c"] == {"pkg.a", "pkg.sub"}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_no_import_cycle_between_files() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 50
    assert cycles(graph) == []


def test_never_imports_the_driver() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            problems += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {n}"
                         for n in names if n.split(".")[0] == "oracle_asyncio"]
    assert not problems, "\n".join(problems)


def _ends_in_assert_never(node: ast.Match) -> bool:
    last = node.cases[-1]
    wildcard = isinstance(last.pattern, ast.MatchAs) and last.pattern.pattern is None and last.guard is None
    body = last.body[0] if len(last.body) == 1 else None
    return (
        wildcard
        and isinstance(body, ast.Expr)
        and isinstance(body.value, ast.Call)
        and isinstance(body.value.func, ast.Name)
        and body.value.func.id == "assert_never"
        and ast.dump(body.value.args[0]) == ast.dump(node.subject)
    )


def test_connection_matches_are_closed_with_assert_never() -> None:
    # Every match in the connection machines is over a closed set (a packet
    # union, an enum): a new member must fail type checking, not fall through.
    problems = []
    matches = 0
    for path in sorted((PACKAGE / "connection").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Match):
                matches += 1
                if not _ends_in_assert_never(node):
                    problems.append(f"{path.name}:{node.lineno}")
    assert matches
    assert not problems, "match without a final `case _: assert_never(subject)`: " + ", ".join(problems)
