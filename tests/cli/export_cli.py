"""Running the real `dojobot export` / `dojobot import` as subprocesses on chosen stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 120


def clean_env(**settings: str) -> dict[str, str]:
    """The environment minus every dojobot setting of the machine, plus `settings`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_") and k != "DATABASE_URL"
    }
    env["PYTHONPATH"] = str(REPO)
    return env | settings


def dojobot(
    cwd: Path,
    *args: str,
    settings: Mapping[str, str],
    stderr: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` (no .env there) with only `settings` configured."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(**settings),
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def lines_of(path: Path) -> list[Any]:
    """The export file's lines, decoded (header first, end mark last)."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def sqlite_settings(path: Path) -> dict[str, str]:
    return {"DOJOBOT_DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
