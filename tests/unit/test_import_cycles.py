"""No import circle inside an adapter package: each module can be read from its imports down.

Imports under `if TYPE_CHECKING:` and inside functions count too: a circle hidden from the
interpreter is still a circle for the reader.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p.parent for p in (ROOT / "adapters").glob("*/__init__.py"))


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def _imported(tree: ast.AST, package: str) -> set[str]:
    """Every module name the source of a module in `package` imports (relative imports
    resolved; `from p import m` also names `p.m`, in case `m` is a submodule)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(package_dir: Path, root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports (`__init__` left out: it only
    re-exports, and every submodule import runs it first anyway)."""
    modules = {
        _module_name(path, root): path
        for path in sorted(package_dir.rglob("*.py"))
        if path.name != "__init__.py"
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = _imported(ast.parse(path.read_text(encoding="utf-8")), name.rpartition(".")[0])
        graph[name] = (imported & modules.keys()) - {name}
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (each module imports the next), or None."""
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(reversed(error.args[1]))
    return None


@pytest.mark.parametrize("package_dir", PACKAGES, ids=lambda p: p.name)
def test_no_import_circle_in_adapter_package(package_dir: Path) -> None:
    graph = import_graph(package_dir)
    assert graph, f"no modules found in {package_dir}"
    circle = cycle_in(graph)
    assert circle is None, "import circle: " + " → ".join(circle or [])


def test_the_check_sees_a_circle_hidden_behind_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "adapters" / "demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "actions.py").write_text("from adapters.demo.render import card\n")
    (package / "render.py").write_text("from .buttons import Going\n")
    hidden = "if TYPE_CHECKING:\n    from adapters.demo import actions\n"
    (package / "buttons.py").write_text("from typing import TYPE_CHECKING\n" + hidden)
    circle = cycle_in(import_graph(package, root=tmp_path))
    assert circle is not None and set(circle) == {
        "adapters.demo.actions",
        "adapters.demo.render",
        "adapters.demo.buttons",
    }
