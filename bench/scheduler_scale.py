"""Scheduler scale: our design against the obvious design, on SQLite, in one run.

    python -m bench.scheduler_scale [--sizes 1000,10000,100000] [--repeats 3]
                                    [--cache-dir DIR] [--no-write]

For each size (scheduled sessions with 10 going members each), both designs are measured in
fresh processes (`bench.scale_worker`), interleaved, on copies of one seeded database per
design and size: restart-to-ready time and RSS, one wake-up with 100 reminders due, a burst
of 10,000 due at once, and a restart after a downtime. Progress goes to stderr; the tables go
to stdout and, unless --no-write, into BENCHMARKS.md between the markers below (a rerun
replaces that section). This is a benchmark, not a timed test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from bench import scenarios as sc
from bench.bytecode import compiled_env
from bench.report import BENCHMARKS_MD, REPO, write_section

DESIGNS = ("ours", "obvious")
SEED_VERSION = 1
"""Part of cached file names: bump when the seeded data change."""
WORKER_TIMEOUT_S = 420.0
OBVIOUS_CACHE_MAX_AGE_S = 12 * 3600
"""The obvious design's jobs are seeded against the wall clock (first due after 1 day)."""

Result = dict[str, Any]
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


# seeding -----------------------------------------------------------------------------------
def base_db(cache: Path, design: str, size: int) -> Path:
    """The seeded database of `size` background sessions for `design` (cached)."""
    path = cache / f"{design}-{size}-v{SEED_VERSION}.db"
    stale = time.time() - OBVIOUS_CACHE_MAX_AGE_S
    if design == "obvious" and path.exists() and path.stat().st_mtime < stale:
        path.unlink()
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    log(f"seeding {design} with {size:,} sessions × {sc.MEMBERS_PER_SESSION} RSVPs …")
    if design == "ours":
        from bench import seed_ours

        seed_ours.create_db(partial, sc.background(size, sc.NOW0))
    else:
        from bench import obvious_design

        obvious_design.seed(partial, sc.background(size, datetime.now(UTC)))
    partial.rename(path)
    log(f"seeded {path.name} ({path.stat().st_size / 2**20:,.0f} MiB) in {_since(started)}")
    return path


def scenario_specs(scenario: str) -> list[sc.SessionSpec]:
    """Our design's extra sessions for a scenario (the obvious design seeds its own)."""
    if scenario == "wakeup":
        return sc.wakeup_groups(sc.NOW0)
    if scenario == "burst":
        return sc.burst(sc.NOW0)
    if scenario == "downtime":
        useful, useless = sc.downtime(sc.NOW0)
        return useful + useless
    return []


@contextmanager
def working_copy(base: Path, work: Path, design: str, scenario: str) -> Iterator[Path]:
    """A copy of `base` with the scenario's sessions added (ours); deleted afterwards."""
    path = work / f"{design}-{scenario}.db"
    _remove_db(path)
    shutil.copyfile(base, path)
    try:
        if design == "ours" and (specs := scenario_specs(scenario)):
            from bench import seed_ours

            seed_ours.add_sessions(path, specs)
        yield path
    finally:
        _remove_db(path)


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# running one measurement ---------------------------------------------------------------------
def run_worker(
    design: str, scenario: str, db: Path, logs: Path, env: dict[str, str] | None = None
) -> Result:
    """Spawn `bench.scale_worker` for one measurement and collect its result (and its RSS);
    `env` for the child (default: this process's)."""
    err_path = logs / f"{design}-{scenario}-{time.time_ns()}.log"
    with err_path.open("w") as err:
        spawned_at = time.time()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.scale_worker",
                design,
                scenario,
                str(db),
                repr(spawned_at),
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        watchdog = threading.Timer(WORKER_TIMEOUT_S, proc.kill)
        watchdog.start()
        result: Result | None = None
        rss: int | None = None
        try:
            assert proc.stdout is not None and proc.stdin is not None
            for line in proc.stdout:
                record = json.loads(line)
                if record.get("phase") == "ready":
                    rss = psutil.Process(proc.pid).memory_info().rss
                    proc.stdin.write("\n")
                    proc.stdin.flush()
                elif record.get("phase") == "done":
                    result = record
            proc.wait(timeout=60)
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    if proc.returncode != 0 or result is None:
        tail = err_path.read_text()[-3000:]
        raise RuntimeError(f"{design}/{scenario} worker failed ({proc.returncode}):\n{tail}")
    if rss is not None:
        result["rss"] = rss
    return result


def check_downtime_db(db: Path) -> Result:
    """Our design's outcome, read back from the database after the worker exited."""
    with sqlite3.connect(db) as connection:

        def one(sql: str) -> int:
            return int(connection.execute(sql).fetchone()[0])

        return {
            "db_useful_sent": one(
                "SELECT count(*) FROM deliveries WHERE session_id LIKE 'useful%' "
                "AND sent_at IS NOT NULL"
            ),
            "db_useless_sent": one(
                "SELECT count(*) FROM deliveries WHERE session_id LIKE 'useless%'"
            ),
            "db_useless_finished": one(
                "SELECT count(*) FROM reminders WHERE session_id LIKE 'useless%' "
                "AND kind = '10m' AND done_at IS NOT NULL"
            ),
        }


def measure_size(
    size: int, repeats: int, cache: Path, work: Path, env: dict[str, str]
) -> dict[str, Result]:
    """Every measurement of one size, designs interleaved, after one uncounted restart of
    each design (it fills the bytecode cache of `env`, see `bench.bytecode`)."""
    bases = {design: base_db(cache, design, size) for design in DESIGNS}
    out: dict[str, Result] = {design: {"ready": []} for design in DESIGNS}
    for design in DESIGNS:
        with working_copy(bases[design], work, design, "ready") as db:
            run_worker(design, "ready", db, work, env)
    for attempt in range(repeats):
        for design in DESIGNS:
            with working_copy(bases[design], work, design, "ready") as db:
                result = run_worker(design, "ready", db, work, env)
            out[design]["ready"].append(result)
            log(
                f"{size:>7,} {design:<7} ready #{attempt + 1}: {result['ready_s']:.2f} s, "
                f"RSS {result['rss'] / 2**20:.0f} MiB"
            )
    for attempt in range(repeats):
        for design in DESIGNS:
            with working_copy(bases[design], work, design, "wakeup") as db:
                result = run_worker(design, "wakeup", db, work, env)
            out[design]["wakeups"] = [*out[design].get("wakeups", []), result]
            log(f"{size:>7,} {design:<7} wakeup #{attempt + 1}: {_brief('wakeup', result)}")
    for design in DESIGNS:
        out[design]["wakeup"] = _pool_wakeups(out[design].pop("wakeups"))
    for attempt in range(repeats):
        for design in DESIGNS:
            with working_copy(bases[design], work, design, "burst") as db:
                result = run_worker(design, "burst", db, work, env)
            out[design]["burst"] = [*out[design].get("burst", []), result]
            log(f"{size:>7,} {design:<7} burst #{attempt + 1}: {_brief('burst', result)}")
    for design in DESIGNS:
        with working_copy(bases[design], work, design, "downtime") as db:
            result = run_worker(design, "downtime", db, work, env)
            if design == "ours":
                result |= check_downtime_db(db)
        out[design]["downtime"] = result
        log(f"{size:>7,} {design:<7} downtime: {_brief('downtime', result)}")
    return out


def _pool_wakeups(runs: list[Result]) -> Result:
    """Every wake-up of every run, with their median."""
    samples = [s for run in runs for s in run["wake_s"]]
    measured = [s for s in samples if s is not None]
    return {
        "wake_s": samples,
        "wake_median_s": statistics.median(measured) if measured else None,
        "sent": [n for run in runs for n in run["sent"]],
        "missed": sum(run.get("outcomes", {}).get("missed", 0) for run in runs),
        "runs": runs,
    }


def _brief(scenario: str, r: Result) -> str:
    if scenario == "wakeup":
        return f"median {_ms(r['wake_median_s'])}, sent {r['sent']}"
    if scenario == "burst":
        return f"delivered {r['delivered']:,} in {_secs(r['elapsed_s'])} {r.get('outcomes', '')}"
    return f"useful {r['useful_delivered']:,}, useless {r['useless_delivered']:,}"


# tables ------------------------------------------------------------------------------------
def render(results: dict[int, dict[str, Result]], command: str, took: float) -> str:
    mem = psutil.virtual_memory().total / 2**30
    lines = [
        "## Scheduler scale: our design vs the obvious design (SQLite)",
        "",
        f"Command: `{command}`  ",
        f"Run on {date.today().isoformat()}, {os.cpu_count()} cores, {mem:.0f} GiB "
        f"(shared with other work: compare the designs within a run, not across runs); "
        f"the whole run took {took / 60:.1f} min.",
        "",
        *DEFINITIONS,
        "",
        "| sessions | design | restart → ready | RSS at ready | wake-up, 100 due | "
        "per reminder | burst of 10,000: delivered | burst: time | "
        "after downtime: useful sent | useless sent |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, by_design in results.items():
        for design in DESIGNS:
            lines.append(_main_row(size, design, by_design[design]))
    lines += [
        "",
        "Ratios, ours ÷ obvious (below 1: ours is faster or smaller):",
        "",
        "| sessions | restart → ready | CPU to ready | RSS at ready | wake-up, 100 due |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size, by_design in results.items():
        ours, obvious = by_design["ours"], by_design["obvious"]
        lines.append(
            f"| {size:,} | {_ratio(_ready(ours), _ready(obvious))} "
            f"| {_ratio(_cpu(ours), _cpu(obvious))} "
            f"| {_ratio(_rss(ours), _rss(obvious))} "
            f"| {_ratio(ours['wakeup']['wake_median_s'], obvious['wakeup']['wake_median_s'])} |"
        )
    lines += [
        "",
        "Where restart → ready goes (medians; seconds since the parent spawned the process):",
        "",
        "| sessions | design | interpreter start | imports | open store + migrations "
        "| start + first wake-up | total | CPU to ready |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, by_design in results.items():
        for design in DESIGNS:
            ready = by_design[design]["ready"]
            cells = [_secs(_median(ready, key)) for key in ("main_s", "imports_s", "open_s")]
            cells += [_secs(_median(ready, "first_wake_s")), _secs(_median(ready, "ready_s"))]
            cells.append(_secs(_median(ready, "cpu_to_ready_s")))
            lines.append(f"| {size:,} | {design} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Our wake-up, 100 due, split (medians): the reminder dispatch and the rest of "
        "`Duties.run_due` (room retries, auto-end, next wake-up) and planning the job:",
        "",
        "| sessions | whole wake-up | `ReminderDispatcher.run_due` | rest |",
        "|---:|---:|---:|---:|",
    ]
    for size, by_design in results.items():
        runs = by_design["ours"]["wakeup"]["runs"]
        whole = [w for run in runs for w in run["wake_s"]]
        dispatch = [d for run in runs for d in run["dispatch_s"]]
        rest = [w - d for w, d in zip(whole, dispatch, strict=True)]
        cells = [_ms(statistics.median(x)) for x in (whole, dispatch, rest)]
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


DEFINITIONS = [
    "- **Reminder** = one message to one recipient, in both designs. Both group them the same",
    "  way: ours has one `Reminder` row per (session, kind) fanned out to the session's going",
    "  members with one claimed delivery each; the obvious design has one APScheduler date job",
    "  per (session, kind) whose function DMs the members passed in its arguments. With 10",
    "  going members, 100 reminders = 10 rows / jobs; the store holds 3 per session.",
    "- **Our design**: `SqlSessionStore` (SQLite, WAL) + `Duties`/`ReminderDispatcher` +",
    "  `ApschedulerAlarm` (one date job at the next due time from the store), FakeClock.",
    "  **Obvious design** (`bench/obvious_design.py`): `AsyncIOScheduler` + `SQLAlchemyJobStore`",
    "  on a SQLite file, all APScheduler defaults (`misfire_grace_time=1`), wall clock. Both",
    "  send to a no-op chat that only counts; neither loads front ends or a video provider.",
    "- **Restart → ready**: from the parent's timestamp just before spawning a fresh",
    "  interpreter to: store opened, migrations checked, alarm started and its first wake-up",
    "  and plan done, nothing due (ours); scheduler started and its first wake-up over the job",
    "  store done (obvious). Median of the repeats; RSS (psutil) read by the parent then.",
    "  **CPU to ready**: the worker's own CPU time (user + system) at that moment; unlike the",
    "  wall-clock time it does not grow when other processes load the machine. Both designs'",
    "  workers read compiled bytecode (`bench/bytecode.py`; one uncounted restart of each",
    "  design fills the cache first).",
    "- **Wake-up, 100 due**: median (and range) of 5 wake-ups per run, one run per repeat,",
    "  each wake-up with 10 sessions × 10 members due.",
    "  Ours: `ApschedulerAlarm.wake()`, the alarm's job (`Duties.run_due()`, then the job is",
    "  set to the next due time; APScheduler paused meanwhile). Obvious: from the start of",
    "  APScheduler's wake-up (`_process_jobs`) to the last of the 10 jobs finished (jobs",
    "  added one by one through `add_job`).",
    "- **Burst**: 1,000 sessions × 10 members due at the same instant, one run per repeat.",
    "  Ours through `alarm.advance` (APScheduler fires the wake-ups); obvious: 1,000 jobs due",
    "  together. Time (median): wake-up start to the last job done or dropped.",
    "- **Downtime**: the process was down 1 h; on restart 1,000 reminders (100 sessions' 1 h",
    "  reminders) fell due 5 min ago and are still useful; 500 (50 sessions that started",
    "  5 min ago, 10 min reminders) are no longer useful and must not be sent.",
]


def _main_row(size: int, design: str, r: Result) -> str:
    wake = r["wakeup"]
    per = wake["wake_median_s"] / 100 if wake["wake_median_s"] is not None else None
    spread = [s for s in wake["wake_s"] if s is not None]
    bursts, down = r["burst"], r["downtime"]
    wake_note = f", {wake['missed']} jobs missed" if wake["missed"] else ""
    delivered = [b["delivered"] for b in bursts]
    if len(set(delivered)) == 1:
        burst_cell = f"{delivered[0]:,}" + (f" (all {len(bursts)} runs)" if len(bursts) > 1 else "")
    else:
        burst_cell = " / ".join(f"{d:,}" for d in delivered) + " (per run)"
    missed = [b.get("outcomes", {}).get("missed", 0) for b in bursts]
    burst_time = statistics.median(b["elapsed_s"] for b in bursts)
    burst_note = (
        f" ({sum(m > 0 for m in missed)} of {len(bursts)} runs dropped all)" if any(missed) else ""
    )
    useful_total = sc.USEFUL_SESSIONS * sc.MEMBERS_PER_SESSION
    useless_total = sc.USELESS_SESSIONS * sc.MEMBERS_PER_SESSION
    return (
        f"| {size:,} | {design} | {_secs(_ready(r))} | {_rss(r) / 2**20:.0f} MiB "
        f"| {_ms(wake['wake_median_s'])} ({_ms(min(spread))}–{_ms(max(spread))}{wake_note}) "
        f"| {_ms(per)} "
        f"| {burst_cell} | {_secs(burst_time)}{burst_note} "
        f"| {down['useful_delivered']:,} / {useful_total:,} "
        f"| {down['useless_delivered']:,} / {useless_total:,} |"
    )


def _ready(r: Result) -> float:
    return float(statistics.median(x["ready_s"] for x in r["ready"]))


def _cpu(r: Result) -> float:
    return float(statistics.median(x["cpu_to_ready_s"] for x in r["ready"]))


def _rss(r: Result) -> float:
    return float(statistics.median(x["rss"] for x in r["ready"]))


def _median(runs: list[Result], key: str) -> float:
    return float(statistics.median(x[key] for x in runs))


def _ratio(ours: float | None, obvious: float | None) -> str:
    return "–" if not ours or not obvious else f"{ours / obvious:.2f}"


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def _secs(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f} s"


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


# main --------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scheduler_scale", description=__doc__)
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="session counts, comma-separated"
    )
    parser.add_argument("--repeats", type=int, default=3, help="restart measurements per design")
    parser.add_argument("--cache-dir", type=Path, help="keep seeded databases here between runs")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    command = " ".join([_python(), "-m", "bench.scheduler_scale", *(argv or sys.argv[1:])])
    with tempfile.TemporaryDirectory(prefix="dojobot-bench-") as tmp:
        work = Path(tmp)
        cache = args.cache_dir or work / "seeded"
        cache.mkdir(parents=True, exist_ok=True)
        env = compiled_env(work / "pycache")
        results = {size: measure_size(size, args.repeats, cache, work, env) for size in sizes}
    section = render(results, command, time.perf_counter() - STARTED)
    print(section)
    if not args.no_write:
        write_section("scheduler_scale", section)
        log(f"updated {BENCHMARKS_MD.name}")
    log("done")


def _python() -> str:
    """How this interpreter is spelled in the command shown: relative to the repo if inside."""
    python = Path(sys.executable)
    return str(python.relative_to(REPO)) if python.is_relative_to(REPO) else python.name


if __name__ == "__main__":
    main()
