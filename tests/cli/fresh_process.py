"""Run a snippet of Python in a fresh interpreter as the default `dojobot run` would start:
no DOJOBOT_* setting, data in a temporary directory, any free port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_and_dump(tmp_path: Path, code: str, stdin: str) -> dict[str, Any]:
    """Run `code` (which writes a JSON object to the file named by `sys.argv[1]`, with its
    exit "status") on `stdin`; the object, once the process exited cleanly with status 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    env.pop("DATABASE_URL", None)
    env["DOJOBOT_DATA_DIR"] = str(tmp_path / "data")
    env["DOJOBOT_WEB__PORT"] = "0"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    dump = tmp_path / "dump.json"
    done = subprocess.run(
        [sys.executable, "-c", code, str(dump)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(dump.read_text())
    assert result["status"] == 0, done.stderr
    return result
