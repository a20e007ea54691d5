"""Scheduler scale and RSVP throughput of our design on PostgreSQL, in one run.

    python -m bench.postgres [--sizes 100000] [--repeats 3] [--url URL] [--no-write]

Scheduler scale (as `bench.scheduler_scale`, our design only): per size, a database of that
many scheduled sessions × 10 going members (100k sessions = 1M RSVPs, 300k reminders) is
seeded by COPY (`bench.seed_postgres`); each measurement runs in a fresh process
(`bench.pg_scale_worker`): restart → ready and RSS, and 5 wake-ups with 100 reminders due
each, on a copy of the seeded database (CREATE DATABASE … TEMPLATE). The same measurements
on SQLite, seeded alike, run interleaved for comparison. Then `bench.rsvp_throughput`.

PostgreSQL runs on a throwaway server on this machine (tests/pg_server.py: fsync off, as
for tests) unless --url names one (it needs CREATEDB). Tables go to stdout and, unless
--no-write, into BENCHMARKS.md between the markers below. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from bench import rsvp_throughput
from bench import scenarios as sc
from bench.report import BENCHMARKS_MD, REPO, write_section
from bench.scheduler_scale import (
    WORKER_TIMEOUT_S,
    _ms,
    _python,
    _secs,
    base_db,
    log,
    run_worker,
    working_copy,
)

Result = dict[str, Any]
STARTED = time.perf_counter()


# PostgreSQL databases ------------------------------------------------------------------------
async def seed_base(server: Any, size: int) -> str:
    """Create and seed the size's base database; returns its name."""
    from bench import seed_postgres

    name = f"scale_{size}"
    await server.drop_database(name)
    await server.create_database(name)
    started = time.perf_counter()
    log(f"seeding PostgreSQL with {size:,} sessions × {sc.MEMBERS_PER_SESSION} RSVPs (COPY) …")
    await seed_postgres.create_db(server.url(name), server.dsn(name), sc.background(size, sc.NOW0))
    log(f"seeded {name} in {time.perf_counter() - started:.1f} s")
    return name


async def copy_of(server: Any, base: str, scenario: str) -> str:
    """A copy of `base` with the scenario's sessions added."""
    import asyncpg  # type: ignore[import-untyped]

    from bench import seed_postgres

    name = f"{base}_{scenario}"
    await server.drop_database(name)
    admin = await asyncpg.connect(server.dsn("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    finally:
        await admin.close()
    if scenario == "wakeup":
        await seed_postgres.add_sessions(server.dsn(name), sc.wakeup_groups(sc.NOW0))
    return name


def run_pg_worker(scenario: str, url: str, logs: Path) -> Result:
    """Spawn `bench.pg_scale_worker` for one measurement; collect its result and RSS."""
    err_path = logs / f"pg-{scenario}-{time.time_ns()}.log"
    with err_path.open("w") as err:
        spawned_at = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.pg_scale_worker", scenario, url, repr(spawned_at)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        watchdog = threading.Timer(WORKER_TIMEOUT_S, proc.kill)
        watchdog.start()
        result: Result | None = None
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
        raise RuntimeError(f"pg/{scenario} worker failed:\n{err_path.read_text()[-3000:]}")
    if scenario == "ready":
        result["rss"] = rss
    return result


def measure_size(server: Any, size: int, repeats: int, work: Path, cache: Path) -> Result:
    """PostgreSQL and SQLite, interleaved: ready ×repeats, then wake-ups ×repeats."""
    base = asyncio.run(seed_base(server, size))
    sqlite_base = base_db(cache, "ours", size)
    out: Result = {"pg": {"ready": [], "wake": []}, "sqlite": {"ready": [], "wake": []}}
    for attempt in range(repeats):
        pg = run_pg_worker("ready", server.url(base), work)
        with working_copy(sqlite_base, work, "ours", "ready") as db:
            lite = run_worker("ours", "ready", db, work)
        out["pg"]["ready"].append(pg)
        out["sqlite"]["ready"].append(lite)
        log(
            f"{size:,} ready #{attempt + 1}: PostgreSQL {pg['ready_s']:.2f} s "
            f"{pg['rss'] / 2**20:.0f} MiB, SQLite {lite['ready_s']:.2f} s "
            f"{lite['rss'] / 2**20:.0f} MiB"
        )
    for attempt in range(repeats):
        name = asyncio.run(copy_of(server, base, "wakeup"))
        pg = run_pg_worker("wakeup", server.url(name), work)
        asyncio.run(server.drop_database(name))
        with working_copy(sqlite_base, work, "ours", "wakeup") as db:
            lite = run_worker("ours", "wakeup", db, work)
        out["pg"]["wake"].append(pg)
        out["sqlite"]["wake"].append(lite)
        log(
            f"{size:,} wake-ups #{attempt + 1}: PostgreSQL median {_ms(pg['wake_median_s'])} "
            f"(sent {pg['sent']}), SQLite {_ms(lite['wake_median_s'])}"
        )
    return out


# tables ------------------------------------------------------------------------------------
def render(
    scale: dict[int, Result], throughput: list[rsvp_throughput.Throughput], command: str
) -> str:
    mem = psutil.virtual_memory().total / 2**30
    lines = [
        "## PostgreSQL: scheduler scale and RSVP throughput",
        "",
        f"Command: `{command}`  ",
        f"Run on {date.today().isoformat()}, {os.cpu_count()} cores, {mem:.0f} GiB, shared "
        f"with other work; PostgreSQL {_server_version()} on the same machine (throwaway "
        f"server of tests/pg_server.py: loopback TCP, fsync off); the run took "
        f"{(time.perf_counter() - STARTED) / 60:.1f} min.",
        "",
        "Our design (store + `Duties`/`ReminderDispatcher` + `ApschedulerAlarm`), as in the",
        "SQLite table above, with the store on PostgreSQL; the SQLite rows are the same",
        "measurements in the same run. Restart → ready, RSS and wake-up are defined as above",
        "(fresh process per measurement; median of the repeats; 5 wake-ups × 100 reminders",
        "per run). Seeding: COPY of 10 going RSVPs and 3 reminders per session.",
        "",
        "| sessions | RSVPs | store | restart → ready | open store + migrations "
        "| start + first wake-up | RSS at ready | wake-up, 100 due | per reminder |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, by_store in scale.items():
        for key, label in (("pg", "PostgreSQL"), ("sqlite", "SQLite")):
            r = by_store[key]
            wakes = [w for run in r["wake"] for w in run["wake_s"]]
            wake = statistics.median(wakes)
            lines.append(
                f"| {size:,} | {size * sc.MEMBERS_PER_SESSION:,} | {label} "
                f"| {_secs(_median(r['ready'], 'ready_s'))} "
                f"| {_secs(_median(r['ready'], 'open_s'))} "
                f"| {_secs(_median(r['ready'], 'first_wake_s'))} "
                f"| {_median(r['ready'], 'rss') / 2**20:.0f} MiB "
                f"| {_ms(wake)} ({_ms(min(wakes))}–{_ms(max(wakes))}) | {_ms(wake / 100)} |"
            )
    lines += [
        "",
        "RSVP throughput (`bench.rsvp_throughput`): 50 concurrent clients (tasks of one",
        "process, one store) each making RSVPs for new members, capacity 20; every RSVP is",
        "one write transaction (PostgreSQL: the session row locked `FOR UPDATE`; SQLite:",
        "`BEGIN IMMEDIATE`, one writer at a time).",
        "",
        *rsvp_throughput.HEADER,
        *(t.row() for t in throughput),
    ]
    return "\n".join(lines) + "\n"


def _median(runs: list[Result], key: str) -> float:
    return float(statistics.median(x[key] for x in runs))


_VERSION: list[str] = []


def _server_version() -> str:
    return _VERSION[0] if _VERSION else "?"


async def _read_version(server: Any) -> None:
    import asyncpg

    connection = await asyncpg.connect(server.dsn("postgres"))
    try:
        _VERSION.append(str(await connection.fetchval("SHOW server_version")).split()[0])
    finally:
        await connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.postgres", description=__doc__)
    parser.add_argument("--sizes", default="100000", help="session counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--url", help="an existing PostgreSQL server (role with CREATEDB)")
    parser.add_argument("--cache-dir", type=Path, help="keep seeded SQLite databases here")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    command = " ".join([_python(), "-m", "bench.postgres", *(argv or sys.argv[1:])])
    from tests.pg_server import PostgresServer, running_server

    if args.url:
        from sqlalchemy.engine import make_url

        url = make_url(args.url).set(drivername="postgresql+asyncpg")
        context: Any = _Given(PostgresServer(base_url=url.set(database=url.database or "postgres")))
    else:
        context = running_server()
    with context as server, tempfile.TemporaryDirectory(prefix="dojobot-pgbench-") as tmp:
        asyncio.run(_read_version(server))
        work = Path(tmp)
        cache = args.cache_dir or work / "seeded"
        cache.mkdir(parents=True, exist_ok=True)
        scale = {size: measure_size(server, size, args.repeats, work, cache) for size in sizes}
        for size in sizes:
            asyncio.run(server.drop_database(f"scale_{size}"))
        log("RSVP throughput …")
        database = asyncio.run(server.create_database(server.new_database_name("rsvp")))
        throughput = asyncio.run(
            rsvp_throughput.run_all(server.url(database), args.clients, args.per_client)
        )
        asyncio.run(server.drop_database(database))
    section = render(scale, throughput, command)
    print(section)
    if not args.no_write:
        write_section("postgres", section)
        log(f"updated {BENCHMARKS_MD.name}")


class _Given:
    """A server given by URL: nothing to start or stop."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def __enter__(self) -> Any:
        return self.server

    def __exit__(self, *_exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
