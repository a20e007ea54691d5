"""`dojobot` (the script and `python -m bot`) imports with the garbage collector paused, then
freezes what the imports created and runs with the collector on (`bot.entry`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.fresh_process import run_and_dump

PYTHON_M_BOT = """
import gc, json, runpy, sys
DUMP = sys.argv[1]
sys.argv = ["bot", "run"]
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    status = exit.code
with open(DUMP, "w") as out:
    json.dump({"status": status, "frozen": gc.get_freeze_count(), "enabled": gc.isenabled()}, out)
"""


def test_python_m_bot_freezes_the_start_up_objects_and_collects_after(tmp_path: Path) -> None:
    result = run_and_dump(tmp_path, PYTHON_M_BOT, "/quit\n")
    assert result["enabled"] is True  # the running process collects its garbage
    assert result["frozen"] > 50_000  # the imports' objects: modules, classes, tables


def test_the_entry_point_keeps_a_paused_collector_paused() -> None:
    code = (
        "import gc, sys; gc.disable(); sys.argv = ['dojobot']\n"
        "from bot.entry import console_script\n"
        "assert console_script() == 0 and not gc.isenabled()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
