"""What the required stack costs on its own, next to the footprint and scheduler targets.

    python -m bench.stack_floor [--repeats 5] [--cache-dir DIR] [--no-write]

Issue 12 sets two kinds of ratio: the default `dojobot run` against a floor of bare library
imports (CPU <= 1.3x, peak RSS <= 1.2x), and our clock process against the obvious
APScheduler job-store design (restart -> ready and RSS <= 1.0x). This benchmark measures, in
one run and interleaved, processes that run the stack the project must use (pydantic and
pydantic-settings, SQLAlchemy's async engine on aiosqlite, APScheduler, aiohttp) with **no
dojobot code** (`bench.stack_alone`), beside the floor, the default run, the obvious design
and our clock. Whatever the stack alone costs beyond a target, no change to our code can win
back.

CPU is user + system time and peak RSS `ru_maxrss` of each child, read with `wait4` when it
exits; the clock processes exit once ready, so their peak is their RSS at ready. Every child
reads cached bytecode (one uncounted warm-up round fills the cache). The seeded databases are
the scheduler-scale benchmark's, 1,000 sessions (`--cache-dir` keeps them between runs).
Unless --no-write, the tables go into BENCHMARKS.md between this benchmark's markers.
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.footprint import (
    CPU_TARGET,
    FLOOR_IMPORTS,
    RSS_TARGET,
    Sample,
    clean_env,
    measure,
)
from bench.report import write_section
from bench.scheduler_scale import base_db

SIZE = 1_000
WEB_KINDS = ("floor", "stack alone", "default `dojobot run`")
CLOCK_KINDS = ("obvious design", "stack alone", "our clock")


def _copy(db: Path, to: Path) -> Path:
    shutil.copyfile(db, to)
    return to


def run(repeats: int, cache: Path) -> dict[str, dict[str, list[Sample]]]:
    """Interleave every kind `repeats` times after one uncounted warm-up round."""
    ours_db, obvious_db = base_db(cache, "ours", SIZE), base_db(cache, "obvious", SIZE)
    samples: dict[str, dict[str, list[Sample]]] = {
        "web": {k: [] for k in WEB_KINDS},
        "clock": {k: [] for k in CLOCK_KINDS},
    }
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="dojobot-stack-") as tmp:
        for i in range(-1, repeats):
            work = Path(tmp) / f"run{i}"
            work.mkdir()
            env = clean_env(work / "data", Path(tmp) / "pycache")
            web = {
                "floor": measure([py, "-c", f"import {FLOOR_IMPORTS}"], work, env, b""),
                "stack alone": measure(
                    [py, "-m", "bench.stack_alone", "web", str(work / "stack")],
                    work,
                    env,
                    b"/quit\n",
                ),
                "default `dojobot run`": measure([py, "-m", "bot", "run"], work, env, b"/quit\n"),
            }
            clock = {
                "obvious design": measure(
                    [
                        py,
                        "-m",
                        "bench.stack_alone",
                        "obvious",
                        str(_copy(obvious_db, work / "o.db")),
                    ],
                    work,
                    env,
                    b"",
                ),
                "stack alone": measure(
                    [py, "-m", "bench.stack_alone", "clock", str(_copy(ours_db, work / "s.db"))],
                    work,
                    env,
                    b"",
                ),
                "our clock": measure(
                    [py, "-m", "bench.stack_alone", "ours", str(_copy(ours_db, work / "c.db"))],
                    work,
                    env,
                    b"",
                ),
            }
            if i < 0:
                continue  # the warm-up round fills the bytecode cache
            for family, got in (("web", web), ("clock", clock)):
                for kind, sample in got.items():
                    samples[family][kind].append(sample)
            print(
                f"  #{i + 1}: "
                + "; ".join(f"{k} {s.cpu:.2f} s {s.rss_mib:.1f} MiB" for k, s in web.items())
                + " | "
                + "; ".join(f"{k} {s.cpu:.2f} s {s.rss_mib:.1f} MiB" for k, s in clock.items()),
                file=sys.stderr,
            )
    return samples


def _table(
    samples: dict[str, list[Sample]], reference: str, targets: tuple[float, float]
) -> list[str]:
    """One family's rows: medians (ranges) and each ratio to `reference`, with the targets."""
    ref_cpu = statistics.median(s.cpu for s in samples[reference])
    ref_rss = statistics.median(s.rss_mib for s in samples[reference])
    lines = [
        f"| process | CPU | peak RSS | CPU ÷ {reference} (target ≤ {targets[0]}×) "
        f"| RSS ÷ {reference} (target ≤ {targets[1]}×) |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, got in samples.items():
        cpu = statistics.median(s.cpu for s in got)
        rss = statistics.median(s.rss_mib for s in got)
        lines.append(
            f"| {kind} | {cpu:.2f} s ({min(s.cpu for s in got):.2f}–{max(s.cpu for s in got):.2f})"
            f" | {rss:.1f} MiB ({min(s.rss_mib for s in got):.1f}–"
            f"{max(s.rss_mib for s in got):.1f}) | {cpu / ref_cpu:.2f}× | {rss / ref_rss:.2f}× |"
        )
    return lines


def render(samples: dict[str, dict[str, list[Sample]]], command: str, repeats: int) -> str:
    """The Markdown section."""
    today = datetime.now(UTC).date().isoformat()
    return "\n".join(
        [
            "## The required stack alone, against the footprint and scheduler targets",
            "",
            f"Command: `{command}`  ",
            f"Run on {today}, {os.cpu_count()} cores, {repeats} interleaved runs of each "
            "after an uncounted warm-up round (medians, range in brackets; CPU = user + system "
            "of the child, peak RSS = its `ru_maxrss`; the clock processes exit once ready). "
            "**Stack alone** runs the libraries the project must use with no dojobot code "
            "(`bench/stack_alone.py`); whatever it costs beyond a target, no change to our "
            "code can win back.",
            "",
            f"Default run (floor: `python -c 'import {FLOOR_IMPORTS}'`):",
            "",
            *_table(samples["web"], "floor", (CPU_TARGET, RSS_TARGET)),
            "",
            f"Clock process, {SIZE:,} sessions (obvious: APScheduler with its SQLAlchemy job "
            "store, as in the scheduler-scale benchmark):",
            "",
            *_table(samples["clock"], "obvious design", (1.0, 1.0)),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Measure, print the tables, and write them into BENCHMARKS.md unless --no-write."""
    parser = argparse.ArgumentParser(prog="python -m bench.stack_floor", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each process")
    parser.add_argument("--cache-dir", type=Path, help="keep the seeded databases here")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    command = " ".join([".venv/bin/python", "-m", "bench.stack_floor", *(argv or sys.argv[1:])])
    with tempfile.TemporaryDirectory(prefix="dojobot-stack-cache-") as spare:
        cache = args.cache_dir or Path(spare)
        cache.mkdir(parents=True, exist_ok=True)
        samples = run(args.repeats, cache)
    section = render(samples, command, args.repeats)
    print(section)
    if not args.no_write:
        write_section("stack_floor", section)


if __name__ == "__main__":
    main()
