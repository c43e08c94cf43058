"""The driver's shape (issue 13): the files of ``oracle_asyncio`` (not ``testing/``)
import one way, never inside a function, and no module reads private attributes
another module defines, except the short, explained list below.

Pure AST: the graph is built from EVERY import statement, including those inside
functions and ``TYPE_CHECKING`` blocks, so a cycle cannot hide behind either.
"""

from __future__ import annotations

import ast
import pathlib

import oracle_asyncio
from tests import shape

PACKAGE = "oracle_asyncio"
ROOT = pathlib.Path(oracle_asyncio.__file__).parent

#: Attribute names other driver modules may read on another module's objects: none.  Var,
#: AsyncLOB and ConnectParams keep python-oracledb's public names; the driver reaches their
#: state through a companion object and one accessor function in the class's own module
#: (``var_state``, ``lob_state``, ``stored_values``).  A name added here needs a reason beside it.
PRIVATE_READS_ALLOWED: frozenset[str] = frozenset()


#: Modules that may import inside a function: none (the demo lives in ``testing``, and
#: ``__main__`` imports it at the top).
LAZY_IMPORTS_ALLOWED: frozenset[str] = frozenset()


def _modules() -> dict[str, pathlib.Path]:
    # The driver's own files: ``testing/`` has its own shape test.
    return shape.module_files(ROOT, PACKAGE, recursive=False)


def _graph() -> dict[str, set[str]]:
    return shape.import_graph(_modules())


_cycles = shape.cycles


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_driver_files_import_one_way() -> None:
    graph = _graph()
    assert len(graph) > 20  # the driver's files were found
    assert _cycles(graph) == []


def test_no_import_inside_a_function() -> None:
    inside = []
    for name, path in _modules().items():
        if name in LAZY_IMPORTS_ALLOWED:
            continue
        inside += [f"{name}:{line}" for line in shape.imports_inside_functions(ast.parse(path.read_text(), str(path)))]
    assert inside == []


def _own_names(tree: ast.AST) -> set[str]:
    """Private names a module's own classes define (methods, class attributes, ``self._x = ...``):
    a module may read those on any object, as Python's underscore convention is per module."""
    names: set[str] = set()
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                names.add(node.attr)
    return names


def _private_reads(tree: ast.AST, allowed: frozenset[str] = PRIVATE_READS_ALLOWED) -> list[tuple[int, str]]:
    """Reads of ``x._name`` (x not self/cls) where ``_name`` belongs to another module
    and is not in ``allowed``."""
    own = _own_names(tree)
    return sorted((node.lineno, ast.unparse(node)) for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.startswith("__")
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                  and node.attr not in own and node.attr not in allowed)


def test_the_private_read_finder_sees_one() -> None:
    # An allowed name is skipped (the list is empty now; the mechanism stays for a reasoned exception).
    assert _private_reads(ast.parse("conn._call()\nself._x\ncls._y\nv._resize(1)\no.__class__"),
                          allowed=frozenset({"_resize"})) == [(1, "conn._call")]
    assert _private_reads(ast.parse("v._resize(1)")) == [(1, "v._resize")]
    # A module's own class members are its own to read, on any instance.
    own = "class A:\n    def __init__(self):\n        self._v = 1\n    def _m(self): ...\nA()._v\nA()._m()\nb._w"
    assert _private_reads(ast.parse(own)) == [(7, "b._w")]


def test_no_module_reads_another_objects_private_attributes() -> None:
    reads = []
    for name, path in _modules().items():
        reads += [f"{name}:{line}: {text}" for line, text in _private_reads(ast.parse(path.read_text()))]
    assert reads == []


#: "About 400 lines" (issue 13): a driver file past this is split by job, not grown.
MAX_DRIVER_LINES = 450


def test_no_driver_file_is_over_about_400_lines() -> None:
    sizes = {name: len(path.read_text().splitlines()) for name, path in _modules().items()}
    assert {name: n for name, n in sizes.items() if n > MAX_DRIVER_LINES} == {}
