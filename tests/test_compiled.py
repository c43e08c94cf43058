"""The opt-in mypyc build (``ORACLE_SANSIO_MYPYC=1``; ``.ci/compiled`` builds and tests it).

The module list lives in one place, ``MYPYC_MODULES`` in setup.py.  The static checks here run
in the pure suite and keep the compiled modules compilable: mypyc forbids an interpreted
class inheriting from a compiled one, and cannot build a dataclass field annotated
``object`` that has a default.  The import checks say which build this run is testing:
``.ci/compiled`` sets ``ORACLE_SANSIO_EXPECT_COMPILED=1`` and runs the suite from outside
the source tree against the installed compiled wheel; any other run must import the pure
sources (no compiled module left beside them).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECT_COMPILED = os.environ.get("ORACLE_SANSIO_EXPECT_COMPILED") == "1"


def compiled_modules() -> list[str]:
    """``MYPYC_MODULES`` from setup.py (read, not imported: importing it runs setup())."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "MYPYC_MODULES" for t in targets):
                assert node.value is not None
                paths = ast.literal_eval(node.value)
                assert isinstance(paths, list) and all(isinstance(p, str) for p in paths)
                return paths
    raise AssertionError("setup.py has no MYPYC_MODULES list")


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _classes(path: Path) -> list[ast.ClassDef]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)]


def _base_names(cls: ast.ClassDef) -> set[str]:
    names = set()
    for base in cls.bases:
        if isinstance(base, ast.Subscript):  # Generic[...] bases: the class, not its arguments
            base = base.value
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


#: The static checks read the package sources, which the compiled run (from an unpacked sdist
#: with the packages removed, so that only the installed build can be imported) does not have.
needs_sources = pytest.mark.skipif(not (ROOT / "oracle_sansio").is_dir(), reason="package sources not beside the tests")


@needs_sources
def test_the_module_list_names_existing_modules_once() -> None:
    paths = compiled_modules()
    assert paths and len(paths) == len(set(paths))
    for path in paths:
        assert path.startswith("oracle_sansio/") and (ROOT / path).is_file(), path


@needs_sources
def test_no_interpreted_class_inherits_from_a_compiled_one() -> None:
    paths = set(compiled_modules())
    compiled = {cls.name: path for path in paths for cls in _classes(ROOT / path)}
    offenders = [
        f"{source.relative_to(ROOT)}: {cls.name} <- {base} ({compiled[base]})"
        for folder in ("oracle_sansio", "oracle_asyncio", "bench", "examples", "fuzz")
        for source in sorted((ROOT / folder).rglob("*.py"))
        if str(source.relative_to(ROOT)) not in paths
        for cls in _classes(source)
        for base in _base_names(cls) & compiled.keys()
    ]
    assert offenders == [], "compile the subclass's module too, or leave the base pure"


@needs_sources
def test_no_compiled_dataclass_field_is_an_object_with_a_default() -> None:
    offenders = [
        f"{path}:{stmt.lineno}"
        for path in compiled_modules()
        for cls in _classes(ROOT / path)
        for stmt in cls.body
        if isinstance(stmt, ast.AnnAssign) and stmt.value is not None
        and isinstance(stmt.annotation, ast.Name) and stmt.annotation.id == "object"
    ]
    assert offenders == [], "mypyc cannot build these: give the field its real type"


@pytest.mark.parametrize("path", compiled_modules())
def test_the_build_under_test_is_the_one_expected(path: str) -> None:
    module = importlib.import_module(_module_name(path))
    where = Path(module.__file__ or "")
    if EXPECT_COMPILED:
        assert where.suffix == ".so" and ROOT not in where.parents, where
    else:
        assert where.suffix == ".py", f"{where}: a compiled module in a pure run"


def test_only_the_wheel_hook_sees_the_compiled_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-tree backend: mypy is a build requirement only for a compiled wheel, and every
    hook but build_wheel runs setup.py pure (metadata, sdist, and editable installs)."""
    spec = importlib.util.spec_from_file_location("oracle_sansio_build", ROOT / "_build" / "oracle_sansio_build.py")
    assert spec is not None and spec.loader is not None
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    seen: dict[str, str | None] = {}

    class FakeSetuptools:
        def __getattr__(self, hook: str) -> object:
            def run(*args: object) -> object:
                seen[hook] = os.environ.get("ORACLE_SANSIO_MYPYC")
                return ["setuptools>=77"] if hook.startswith("get_requires") else "out"
            return run

    monkeypatch.setattr(backend, "_setuptools", FakeSetuptools())
    monkeypatch.setenv("ORACLE_SANSIO_MYPYC", "1")
    assert backend.get_requires_for_build_wheel() == ["setuptools>=77", backend.MYPY_REQUIREMENT]
    assert backend.get_requires_for_build_editable() == backend.get_requires_for_build_sdist() == ["setuptools>=77"]
    for hook, args in [("prepare_metadata_for_build_wheel", ("d",)), ("build_wheel", ("d",)), ("build_sdist", ("d",)),
                       ("prepare_metadata_for_build_editable", ("d",)), ("build_editable", ("d",))]:
        assert getattr(backend, hook)(*args) == "out"
    assert {hook for hook, value in seen.items() if value is not None} == {"build_wheel"}, seen
    assert os.environ["ORACLE_SANSIO_MYPYC"] == "1"  # restored after each pure hook
    monkeypatch.delenv("ORACLE_SANSIO_MYPYC")
    assert backend.get_requires_for_build_wheel() == ["setuptools>=77"]
