"""The shape of oracle_asyncio/testing/sql: rooms whose imports run one way.

The graph of files is built from EVERY import statement (module level, inside functions, inside
``if TYPE_CHECKING:``), so no cycle can hide behind a lazy import.  Rooms, bottom to top:

    errors.py < types/ < syntax/ < catalog/ < runtime/ < translate/ < engine.py < __init__.py

A file may import its own room or a lower one, never a higher one; no two files import each other,
directly or around a loop; nothing is imported inside a function; ``TYPE_CHECKING`` is not used.
"""

from __future__ import annotations

import ast
import pathlib
import typing

import oracle_asyncio.testing.sql as sql_package
from oracle_asyncio.testing.sql.engine import STATEMENTS
from oracle_asyncio.testing.sql.runtime.routines import PL_STATEMENTS
from oracle_asyncio.testing.sql.syntax.nodes import PlStatement, Statement

PACKAGE = "oracle_asyncio.testing.sql"
ROOT = pathlib.Path(sql_package.__file__).parent
#: Room -> rank: a file may import files of its rank or lower.
RANKS = {"errors": 0, "types": 1, "syntax": 2, "catalog": 3, "runtime": 4, "translate": 5, "engine": 6, "": 7}


def _module(root: pathlib.Path, path: pathlib.Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _room(module: str) -> str:
    rest = module[len(PACKAGE):].lstrip(".")
    return rest.split(".")[0]


def _functions_around(tree: ast.AST) -> dict[ast.AST, bool]:
    """For every node: whether a function encloses it."""
    inside: dict[ast.AST, bool] = {}
    todo: list[tuple[ast.AST, bool]] = [(tree, False)]
    while todo:
        node, enclosed = todo.pop()
        inside[node] = enclosed
        here = enclosed or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        todo.extend((child, here) for child in ast.iter_child_nodes(node))
    return inside


def graph(root: pathlib.Path) -> tuple[dict[str, set[str]], list[str]]:
    """The files of ``root`` (a copy of the package) as module -> imported modules, and the
    problems seen on the way (imports inside functions, TYPE_CHECKING)."""
    files = {_module(root, p): p for p in sorted(root.rglob("*.py"))}
    edges: dict[str, set[str]] = {m: set() for m in files}
    problems: list[str] = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(), str(path))
        inside = _functions_around(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "TYPE_CHECKING":
                problems.append(f"{module}:{node.lineno}: TYPE_CHECKING")
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                # ``from pkg import submodule`` depends on the submodule, anything else on ``pkg``
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in files else source for a in node.names]
            else:
                continue
            if inside[node]:
                problems.append(f"{module}:{node.lineno}: import inside a function")
            edges[module].update(t for t in targets if t in files and t != module)
    return edges, problems


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def shape_problems(root: pathlib.Path) -> list[str]:
    """Every breach of the rooms' rules in the package copy at ``root``."""
    edges, problems = graph(root)
    for module, targets in edges.items():
        room = _room(module)
        if room not in RANKS:
            problems.append(f"{module}: in no room (add it to one, or add the room to RANKS)")
            continue
        for target in sorted(targets):
            if RANKS.get(_room(target), 99) > RANKS[room]:
                problems.append(f"{module} imports {target}: a higher room")
    problems += [f"import cycle: {' -> '.join(c)}" for c in _cycles(edges)]
    return problems


def test_sql_rooms_import_one_way() -> None:
    assert shape_problems(ROOT) == []


def test_every_room_holds_files() -> None:
    edges, _ = graph(ROOT)
    rooms = {_room(m) for m in edges}
    assert rooms == set(RANKS)


def test_shape_check_sees_lazy_and_hidden_imports(tmp_path: pathlib.Path) -> None:
    """The check itself: an import inside a function, TYPE_CHECKING, an upward import, and the
    cycle they make (engine -> a -> b -> engine) are each reported."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "errors.py").write_text("")
    (tmp_path / "syntax").mkdir()
    (tmp_path / "syntax" / "__init__.py").write_text("")
    (tmp_path / "syntax" / "a.py").write_text("def f():\n    from . import b\n")
    (tmp_path / "syntax" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\nfrom ..engine import x\n")
    (tmp_path / "engine.py").write_text("from .syntax import a\n")
    problems = shape_problems(tmp_path)
    prefix = PACKAGE + ".syntax."
    assert f"{prefix}a:2: import inside a function" in problems
    assert f"{prefix}b:2: TYPE_CHECKING" in problems
    assert f"{prefix}b imports {PACKAGE}.engine: a higher room" in problems
    assert f"import cycle: {PACKAGE}.engine -> {prefix}a -> {prefix}b" in problems


def test_dispatch_tables_cover_every_statement_type() -> None:
    """A statement type without a handler would be ORA-00900 (SQL) or a KeyError (PL/SQL)."""
    assert set(STATEMENTS) == set(typing.get_args(Statement))
    assert set(PL_STATEMENTS) == set(typing.get_args(PlStatement))
