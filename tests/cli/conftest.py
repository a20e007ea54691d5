"""Fixtures of the command-line tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No DOJOBOT_* variable and no .env from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("DOJOBOT_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOJOBOT_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch
