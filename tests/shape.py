"""The import graph of a package's files, for the shape tests (issue 13).

One builder for the three shape tests (oracle_sansio, the driver, testing/sql).
The graph comes from EVERY import statement in every file, those inside
functions and ``TYPE_CHECKING`` blocks included: a cycle hidden there is still
a cycle for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["module_files", "import_graph", "cycles", "imports_inside_functions"]


def module_files(root: Path, package: str, *, recursive: bool = True) -> dict[str, Path]:
    """Module name -> file for the ``.py`` files of the package ``package`` at ``root``.

    Without ``recursive`` only the files directly in ``root`` (a package's own
    files, its subpackages left out).
    """
    files: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py") if recursive else root.glob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def _targets(node: ast.Import | ast.ImportFrom, package: str, files: dict[str, Path]) -> list[str]:
    """The modules one import statement names (``package``: the importing file's package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    # ``from pkg import submodule`` depends on the submodule, anything else on ``pkg``.
    return [f"{source}.{a.name}" if f"{source}.{a.name}" in files else source for a in node.names]


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ``files`` it imports (any import statement)."""
    graph: dict[str, set[str]] = {name: set() for name in files}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[module].update(t for t in _targets(node, package, files) if t in files and t != module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module, each sorted (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph[start])))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return found


def imports_inside_functions(tree: ast.AST) -> list[int]:
    """Line numbers of the import statements a function (or lambda) encloses."""
    lines: list[int] = []
    todo: list[tuple[ast.AST, bool]] = [(tree, False)]
    while todo:
        node, enclosed = todo.pop()
        if enclosed and isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.append(node.lineno)
        here = enclosed or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        todo.extend((child, here) for child in ast.iter_child_nodes(node))
    return sorted(lines)
