"""Where a design's start-up memory goes: RSS and CPU added by each import, layer by layer.

    python -m bench.import_layers [--repeats 3]

For each stack below, a fresh interpreter (reading cached bytecode, see `bench.bytecode`)
imports the modules in order and reports, after each, how much its RSS (VmRSS) and CPU time
grew. Medians of `--repeats` interpreters, after one uncounted warm-up. A module's line counts
what it adds on top of the lines above it (a module already loaded by an earlier line costs
nothing again). Prints a Markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bytecode import compiled_env
from bench.report import REPO

STACKS: dict[str, list[str]] = {
    "obvious design (APScheduler + SQLAlchemyJobStore)": [
        "asyncio",
        "apscheduler.schedulers.asyncio",
        "sqlalchemy",
        "apscheduler.jobstores.sqlalchemy",
        "bench.obvious_design",
    ],
    "our design (scheduler-scale worker)": [
        "asyncio",
        "apscheduler.schedulers.asyncio",
        "sqlalchemy",
        "sqlalchemy.ext.asyncio",
        "aiosqlite",
        "sqlalchemy.dialects.sqlite.aiosqlite",
        "pydantic.main",
        "core.model",
        "core.service",
        "core.duties",
        "adapters.sql",
        "adapters.scheduler",
        "bench.our_design",
    ],
    "default `dojobot run` (imports only)": [
        "aiohttp",
        "sqlalchemy.ext.asyncio",
        "aiosqlite",
        "pydantic",
        "apscheduler",
        "aiohttp.web",
        "sqlalchemy.dialects.sqlite.aiosqlite",
        "pydantic.main",
        "pydantic_settings",
        "apscheduler.schedulers.asyncio",
        "core.model",
        "core.service",
        "core.duties",
        "adapters.sql",
        "adapters.scheduler",
        "bot.settings",
        "adapters.web.pages",
        "adapters.terminal",
        "bot.bootstrap",
        "bot.wiring.terminal",
        "bot.wiring.web",
        "bot.wiring.api",
        "bot.cli",
    ],
}

PROBE = """
import importlib, json, sys, time

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")

rows = [("(interpreter)", rss(), time.process_time())]
for name in sys.argv[1:]:
    importlib.import_module(name)
    rows.append((name, rss(), time.process_time()))
print(json.dumps(rows))
"""


def probe(modules: list[str], env: dict[str, str]) -> list[tuple[str, float, float]]:
    """One fresh interpreter importing `modules` in order: (name, RSS MiB, CPU s) after each."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [(n, r, c) for n, r, c in json.loads(done.stdout)]


def table(title: str, runs: list[list[tuple[str, float, float]]]) -> str:
    """Median RSS and CPU added by each line, and the totals."""
    head = ["| import | adds RSS | adds CPU | RSS after |", "|---|---:|---:|---:|"]
    lines = [f"**{title}**", "", *head]
    for i, (name, _rss, _cpu) in enumerate(runs[0]):
        after = statistics.median(run[i][1] for run in runs)
        if i == 0:
            lines.append(f"| {name} | | | {after:.1f} MiB |")
            continue
        added = statistics.median(run[i][1] - run[i - 1][1] for run in runs)
        cpu = statistics.median(run[i][2] - run[i - 1][2] for run in runs)
        lines.append(f"| `{name}` | {added:+.1f} MiB | {cpu * 1000:.0f} ms | {after:.1f} MiB |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Probe every stack `--repeats` times and print one table per stack."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_layers", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="interpreters per stack")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dojobot-layers-") as tmp:
        env = compiled_env(Path(tmp) / "pycache")
        env["PYTHONPATH"] = str(REPO)
        for title, modules in STACKS.items():
            probe(modules, env)  # warm-up: fills the bytecode cache
            runs = [probe(modules, env) for _ in range(args.repeats)]
            print(table(title, runs))


if __name__ == "__main__":
    main()
