"""Footprint: the default `dojobot run` against a floor of the libraries it really needs.

    python -m bench.footprint [--repeats 5] [--no-write]

Two kinds of fresh interpreter are measured, interleaved, `--repeats` times each:

- **default**: `python -m bot run` on the defaults (SQLite + Jitsi + terminal + web, no Slack,
  Discord, RealtimeKit or ZeroDB settings) in an empty directory, reading the one-line script
  `/quit` on stdin, then exiting;
- **floor**: `python -c "import aiohttp, sqlalchemy.ext.asyncio, aiosqlite, pydantic,
  apscheduler"` (the targets are against this one);
- **used**: the same libraries down to the submodules the default run uses (`aiohttp.web`,
  the SQLite dialect, `pydantic_settings`, APScheduler's asyncio scheduler), for reading only.

CPU is user + system time of the child and peak RSS its `ru_maxrss`, both read with `wait4`
when it exits. Every process reads compiled bytecode (`bench.bytecode`: one cache directory
per run, filled by an uncounted warm-up round of the three processes).
Medians go to a table with the ratios default ÷ floor (targets: CPU ≤ 1.3,
peak RSS ≤ 1.2), printed and, unless --no-write, written into BENCHMARKS.md between the
markers below. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.bytecode import compiled_env
from bench.report import REPO, write_section

FLOOR_IMPORTS = "aiohttp, sqlalchemy.ext.asyncio, aiosqlite, pydantic, apscheduler"
USED_IMPORTS = (
    "aiohttp.web, sqlalchemy.ext.asyncio, sqlalchemy.dialects.sqlite.aiosqlite, aiosqlite, "
    "pydantic_settings, apscheduler.schedulers.asyncio"
)
"""The same libraries down to the submodules the default run really uses (for reading only)."""
CPU_TARGET = 1.3
RSS_TARGET = 1.2


@dataclass(frozen=True)
class Sample:
    """One child process: CPU seconds (user + system) and peak RSS in MiB."""

    cpu: float
    rss_mib: float


def measure(argv: list[str], cwd: Path, env: dict[str, str], stdin: bytes) -> Sample:
    """Run `argv` to completion and read its own resource usage from `wait4`."""
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited {proc.returncode}: {errors.decode()[-2000:]}")
    return Sample(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def clean_env(data_dir: Path, pycache: Path) -> dict[str, str]:
    """The environment without any DOJOBOT_ setting or DATABASE_URL, data in `data_dir`, any
    free port, bytecode cached under `pycache`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_") and k != "DATABASE_URL"
    }
    env["DOJOBOT_DATA_DIR"] = str(data_dir)
    env["DOJOBOT_WEB__PORT"] = "0"
    env["PYTHONPATH"] = str(REPO)
    return compiled_env(pycache, env)


def run(repeats: int) -> tuple[list[Sample], list[Sample], list[Sample]]:
    """Interleave `repeats` default runs and the two imports, after one uncounted warm-up
    round that fills the bytecode cache; each run on a fresh database."""
    defaults: list[Sample] = []
    floors: list[Sample] = []
    used: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="dojobot-footprint-") as tmp:
        for i in range(-1, repeats):
            work = Path(tmp) / f"run{i}"
            work.mkdir()
            env = clean_env(work / "data", Path(tmp) / "pycache")
            default = measure([sys.executable, "-m", "bot", "run"], work, env, b"/quit\n")
            floor = measure([sys.executable, "-c", f"import {FLOOR_IMPORTS}"], work, env, b"")
            use = measure([sys.executable, "-c", f"import {USED_IMPORTS}"], work, env, b"")
            if i < 0:
                continue  # the warm-up round: compiles and caches the bytecode
            defaults.append(default)
            floors.append(floor)
            used.append(use)
            print(
                f"  #{i + 1}: default {defaults[-1].cpu:.2f} s, {defaults[-1].rss_mib:.1f} MiB;"
                f" floor {floors[-1].cpu:.2f} s, {floors[-1].rss_mib:.1f} MiB;"
                f" used {used[-1].cpu:.2f} s, {used[-1].rss_mib:.1f} MiB",
                file=sys.stderr,
            )
    return defaults, floors, used


def render(defaults: list[Sample], floors: list[Sample], used: list[Sample], command: str) -> str:
    """The Markdown section: medians, ranges and ratios."""
    cpu_d = statistics.median(s.cpu for s in defaults)
    cpu_f = statistics.median(s.cpu for s in floors)
    rss_d = statistics.median(s.rss_mib for s in defaults)
    rss_f = statistics.median(s.rss_mib for s in floors)
    cpu_u = statistics.median(s.cpu for s in used)
    rss_u = statistics.median(s.rss_mib for s in used)
    cpu_r, rss_r = cpu_d / cpu_f, rss_d / rss_f

    def row(name: str, samples: list[Sample], cpu: float, rss: float) -> str:
        lo_c, hi_c = min(s.cpu for s in samples), max(s.cpu for s in samples)
        lo_r, hi_r = min(s.rss_mib for s in samples), max(s.rss_mib for s in samples)
        return (
            f"| {name} | {cpu:.2f} s ({lo_c:.2f}–{hi_c:.2f}) "
            f"| {rss:.1f} MiB ({lo_r:.1f}–{hi_r:.1f}) |"
        )

    def verdict(ratio: float, target: float) -> str:
        return "met" if ratio <= target else "NOT met"

    today = datetime.now(UTC).date().isoformat()
    return "\n".join(
        [
            "## Footprint: the default `dojobot run` against its libraries' floor",
            "",
            f"Command: `{command}`  ",
            f"Run on {today}, {os.cpu_count()} cores, {len(defaults)} interleaved runs of each "
            "after an uncounted warm-up round (medians, range in brackets; CPU = user + system "
            "of the child, peak RSS = its `ru_maxrss`; every process reads cached bytecode).",
            "",
            "- **default**: `dojobot run` on the defaults (SQLite + Jitsi + terminal + web) in "
            "an empty directory, reading the one-line script `/quit`, then exiting.",
            f"- **floor**: `python -c 'import {FLOOR_IMPORTS}'` (the targets' reference).",
            f"- **used**: `python -c 'import {USED_IMPORTS}'`: the same libraries down to "
            "the submodules the default run really loads (for reading only).",
            "",
            "| process | CPU | peak RSS |",
            "|---|---:|---:|",
            row("default `dojobot run`", defaults, cpu_d, rss_d),
            row("floor (imports only)", floors, cpu_f, rss_f),
            row("used (imports only)", used, cpu_u, rss_u),
            "",
            "| ratio | default ÷ floor | target | | default ÷ used |",
            "|---|---:|---:|---|---:|",
            f"| CPU | {cpu_r:.2f}× | ≤ {CPU_TARGET}× | {verdict(cpu_r, CPU_TARGET)} "
            f"| {cpu_d / cpu_u:.2f}× |",
            f"| peak RSS | {rss_r:.2f}× | ≤ {RSS_TARGET}× | {verdict(rss_r, RSS_TARGET)} "
            f"| {rss_d / rss_u:.2f}× |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Measure, print the table, and write it into BENCHMARKS.md unless --no-write."""
    parser = argparse.ArgumentParser(prog="python -m bench.footprint", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each process")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    command = " ".join([".venv/bin/python", "-m", "bench.footprint", *(argv or sys.argv[1:])])
    defaults, floors, used = run(args.repeats)
    section = render(defaults, floors, used, command)
    print(section)
    if not args.no_write:
        write_section("footprint", section)


if __name__ == "__main__":
    main()
