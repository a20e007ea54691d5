"""Each shared rule is defined once: a second copy (which could drift) fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("adapters").rglob("*.py")])


def _definitions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                where = str(path.relative_to(ROOT))
                found.setdefault(node.name.lstrip("_").lower(), []).append(where)
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("retry_after_seconds", "adapters/http_retry.py"),
        ("check_reminders", "core/reminders.py"),
        ("keyedlocks", "adapters/keyed_locks.py"),
        ("keyedlock", None),
        ("promote", "adapters/sql/rsvp_ops.py"),
        ("promotions", "core/rsvp_policy.py"),
    ],
)
def test_defined_once(name: str, home: str | None) -> None:
    assert _definitions().get(name, []) == ([home] if home else [])
