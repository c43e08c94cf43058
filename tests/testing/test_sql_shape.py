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
from oracle_asyncio.testing.sql.runtime.plsql_run import PL_STATEMENTS
from oracle_asyncio.testing.sql.syntax.plnodes import PlControl
from oracle_asyncio.testing.sql.syntax.nodes import PlStatement, Statement
from tests import shape

PACKAGE = "oracle_asyncio.testing.sql"
ROOT = pathlib.Path(sql_package.__file__).parent
#: Room -> rank: a file may import files of its rank or lower.
RANKS = {"errors": 0, "types": 1, "syntax": 2, "catalog": 3, "runtime": 4, "translate": 5, "engine": 6, "": 7}


def _room(module: str) -> str:
    rest = module[len(PACKAGE):].lstrip(".")
    return rest.split(".")[0]


def graph(root: pathlib.Path) -> tuple[dict[str, set[str]], list[str]]:
    """The files of ``root`` (a copy of the package) as module -> imported modules, and the
    problems seen on the way (imports inside functions, TYPE_CHECKING)."""
    files = shape.module_files(root, PACKAGE)
    problems: list[str] = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(), str(path))
        problems += [f"{module}:{node.lineno}: TYPE_CHECKING" for node in ast.walk(tree)
                     if isinstance(node, ast.Name) and node.id == "TYPE_CHECKING"]
        problems += [f"{module}:{line}: import inside a function" for line in shape.imports_inside_functions(tree)]
    return shape.import_graph(files), problems


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
    problems += [f"import cycle: {' -> '.join(c)}" for c in shape.cycles(edges)]
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
    assert set(PL_STATEMENTS) == set(typing.get_args(PlStatement)) | set(typing.get_args(PlControl))
