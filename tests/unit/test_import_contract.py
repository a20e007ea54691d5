"""core/ imports only the stdlib, pydantic and itself.

No framework, database driver, HTTP library or scheduler may reach the core.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "annotated_types"}
FORBIDDEN = {
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "httpx",
    "aiohttp",
    "requests",
    "apscheduler",
    "slack_bolt",
    "slack_sdk",
    "discord",
    "jwt",
    "adapters",
    "bot",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_core_has_modules() -> None:
    assert len(CORE_FILES) > 10


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_only_stdlib_pydantic_and_core(path: Path) -> None:
    roots = imported_roots(path)
    outside = {
        r
        for r in roots
        if r not in sys.stdlib_module_names and r not in ALLOWED_THIRD_PARTY and r != "core"
    }
    assert not outside, f"{path.name} imports {sorted(outside)}"
    assert not roots & FORBIDDEN


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom apscheduler.schedulers import x\n")
    assert imported_roots(bad) == {"sqlalchemy", "apscheduler"}
