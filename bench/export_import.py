"""Export and import at scale: `dojobot export` and `dojobot import` as real processes.

    python -m bench.export_import [--sizes 10000,100000] [--rsvps-per-session 10]
                                  [--no-postgres] [--no-write]

For each size, a SQLite store is seeded with that many sessions and ten RSVPs each (bulk
inserts through SQLAlchemy Core, not the service), then, each step a fresh `python -m bot`:

1. export the SQLite store to a file;
2. import the file into a fresh SQLite store;
3. import it into a fresh PostgreSQL database (a throwaway server of tests/pg_server.py:
   loopback TCP, fsync off), unless --no-postgres;
4. export the PostgreSQL store.

Rows/s counts records over the whole command (interpreter start and store opening included);
peak RSS is the child's `ru_maxrss`, read with `wait4` when it exits. The last table divides
each step's peak RSS at the largest size by the smallest: memory must not grow with the
store. Printed and, unless --no-write, written into BENCHMARKS.md. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert

from bench.bytecode import compiled_env
from bench.report import REPO, write_section

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHUNK = 20_000
"""Rows per bulk INSERT while seeding."""


@dataclass(frozen=True)
class Step:
    """One `dojobot` command: what it did, on which store, how long, how much memory."""

    size: int
    name: str
    store: str
    records: int
    seconds: float
    cpu: float
    rss_mib: float

    @property
    def rows_per_second(self) -> float:
        return self.records / self.seconds


def _session_rows(start: int, stop: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"s{i:07d}",
            "title": f"Kata {i}",
            "description": "Bring water",
            "event_id": None,
            "instructor_id": f"slack:T1:U{i % 50}",
            "instructor_name": "Sensei",
            "start_time": T0 + timedelta(hours=i),
            "duration_minutes": 60,
            "capacity": 20,
            "recording_enabled": False,
            "chat_enabled": True,
            "visibility": "members_only",
            "tags": ["kata"],
            "status": "scheduled",
            "room_provider": "jitsi",
            "room_id": f"dojo-{i}",
            "room_state": "ready",
            "room_last_error": None,
            "room_attempts": 1,
            "room_last_attempt_at": T0,
            "started_at": None,
            "ended_at": None,
            "canceled_at": None,
            "canceled_by": None,
            "cancel_reason": None,
            "archived_at": None,
            "origin_platform": "slack",
            "origin_workspace_id": "T1",
            "origin_channel_id": "C1",
            "origin_message_ref": f"{i}.1",
            "recording_url": None,
            "sequence": 0,
            "created_at": T0,
            "updated_at": T0,
        }
        for i in range(start, stop)
    ]


def _rsvp_rows(start: int, stop: int, per_session: int) -> Iterator[dict[str, Any]]:
    for i in range(start, stop):
        for m in range(per_session):
            yield {
                "session_id": f"s{i:07d}",
                "member_id": f"slack:T1:M{m:03d}",
                "member_name": f"Member {m}",
                "status": "going",
                "position": m + 1,
                "created_at": T0 + timedelta(seconds=m),
                "updated_at": T0 + timedelta(seconds=m),
            }


def seed(path: Path, sessions: int, per_session: int) -> int:
    """A migrated SQLite store with `sessions` sessions and `per_session` RSVPs each; how
    many rows it holds."""
    from adapters.sql import open_sql_store
    from adapters.sql.schema import rsvps, training_sessions

    async def migrate() -> None:
        store = await open_sql_store(f"sqlite+aiosqlite:///{path}")
        await store.close()

    asyncio.run(migrate())
    engine = create_engine(f"sqlite:///{path}")
    step = max(1, CHUNK // per_session)
    with engine.begin() as connection:
        for start in range(0, sessions, step):
            stop = min(sessions, start + step)
            connection.execute(insert(training_sessions), _session_rows(start, stop))
            connection.execute(insert(rsvps), list(_rsvp_rows(start, stop, per_session)))
    engine.dispose()
    return sessions * (1 + per_session)


def seed_in_child(path: Path, sessions: int, per_session: int) -> int:
    """`seed` in a process of its own: this one stays small, and its children's peak RSS
    is theirs (Linux counts in a child's `ru_maxrss` what it inherited at fork)."""
    code = (
        "import sys; from pathlib import Path; from bench.export_import import seed; "
        "seed(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))"
    )
    argv = [sys.executable, "-c", code, str(path), str(sessions), str(per_session)]
    subprocess.run(argv, cwd=REPO, check=True)
    return sessions * (1 + per_session)


def run_dojobot(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Run `python -m bot ARGS`; (wall seconds, CPU seconds, peak RSS in MiB) of that
    process."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"dojobot {' '.join(args)} failed: {errors.decode()[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _env(url: str, pycache: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_") and k != "DATABASE_URL"
    }
    env["DOJOBOT_DATABASE_URL"] = url
    env["PYTHONPATH"] = str(REPO)
    return compiled_env(pycache, env)


def measure_size(
    size: int, per_session: int, work: Path, server: Any | None, log: Any
) -> tuple[list[Step], int]:
    """Seed `size` sessions, then export and import them; the steps and the file's bytes."""
    folder = work / f"size{size}"
    folder.mkdir()
    pycache = work / "pycache"
    began = time.perf_counter()
    records = seed_in_child(folder / "source.db", size, per_session)
    log(f"{size:,} sessions: seeded {records:,} rows in {time.perf_counter() - began:.1f} s")
    file = folder / "store.jsonl"
    steps: list[Step] = []

    def step(name: str, store: str, args: list[str], url: str) -> None:
        seconds, cpu, rss = run_dojobot(args, folder, _env(url, pycache))
        steps.append(Step(size, name, store, records, seconds, cpu, rss))
        log(
            f"  {name} {store}: {seconds:.1f} s, CPU {cpu:.1f} s, "
            f"{records / seconds:,.0f} rows/s, {rss:.0f} MiB"
        )

    sqlite = f"sqlite+aiosqlite:///{folder / 'source.db'}"
    step("export", "SQLite", ["export", str(file)], sqlite)
    size_bytes = file.stat().st_size
    fresh = f"sqlite+aiosqlite:///{folder / 'imported.db'}"
    step("import", "SQLite", ["import", str(file)], fresh)
    if server is not None:
        database = asyncio.run(server.create_database(server.new_database_name("dump")))
        pg_url = server.url(database)
        step("import", "PostgreSQL", ["import", str(file)], pg_url)
        step("export", "PostgreSQL", ["export", str(folder / "from_pg.jsonl")], pg_url)
        if not same_rows(folder / "from_pg.jsonl", file):
            raise RuntimeError("the PostgreSQL export differs from the SQLite one")
        asyncio.run(server.drop_database(database))
    return steps, size_bytes


def same_rows(a: Path, b: Path) -> bool:
    """Whether two export files hold the same lines after their headers (read line by line:
    this process must stay small, see `seed_in_child`)."""
    with a.open("rb") as left, b.open("rb") as right:
        left.readline()
        right.readline()
        return all(x == y for x, y in zip_longest(left, right))


def render(
    steps: list[Step], files: dict[int, int], per_session: int, command: str, parent: float
) -> str:
    """The Markdown section: one row per step, then the RSS ratios between sizes."""
    sizes = sorted(files)
    lines = [
        "## Export and import: `dojobot export` / `dojobot import`",
        "",
        f"Command: `{command}`  ",
        f"Run on {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores (shared with other "
        "work). Each step is a fresh `python -m bot` process; rows/s counts every record over "
        "the whole command (start-up and opening the store included), peak RSS is the "
        "process's `ru_maxrss` (seeding runs in a process of its own, so the parent that "
        "spawns the steps stays small: a child's `ru_maxrss` counts what it inherited at "
        f"fork; the parent's own peak was {parent:.0f} MiB); CPU is its user + system time "
        "(the figure to compare on a busy "
        f"machine: load average {os.getloadavg()[0]:.1f} at the end of the run). Seeded with "
        "bulk inserts: sessions with "
        f"{per_session} RSVPs each (nothing else). PostgreSQL: throwaway local server "
        "(tests/pg_server.py: loopback TCP, fsync off).",
        "",
        "| sessions | RSVPs | records | file | step | store | time | rows/s | CPU | rows/CPU s "
        "| peak RSS |",
        "|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for s in steps:
        lines.append(
            f"| {s.size:,} | {s.size * per_session:,} | {s.records:,} | "
            f"{files[s.size] / 2**20:,.0f} MiB | {s.name} | {s.store} | {s.seconds:.1f} s | "
            f"{s.rows_per_second:,.0f} | {s.cpu:.1f} s | {s.records / s.cpu:,.0f} | "
            f"{s.rss_mib:.0f} MiB |"
        )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += [
            "",
            f"Peak RSS at {large:,} sessions ÷ at {small:,} ({large // small}× the rows; "
            "1.00 = flat):",
            "",
            "| step | store | ratio |",
            "|---|---|---:|",
        ]
        by = {(s.size, s.name, s.store): s for s in steps}
        for s in steps:
            if s.size == small:
                ratio = by[(large, s.name, s.store)].rss_mib / s.rss_mib
                lines.append(f"| {s.name} | {s.store} | {ratio:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000", help="sessions, comma-separated")
    parser.add_argument("--rsvps-per-session", type=int, default=10)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    command = " ".join([".venv/bin/python", "-m", "bench.export_import", *(argv or sys.argv[1:])])

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    from tests.pg_server import running_server

    steps: list[Step] = []
    files: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="dojobot-dumpbench-") as tmp:
        work = Path(tmp)
        if args.no_postgres:
            for size in sizes:
                done, files[size] = measure_size(size, args.rsvps_per_session, work, None, log)
                steps += done
        else:
            with running_server() as server:
                for size in sizes:
                    done, files[size] = measure_size(
                        size, args.rsvps_per_session, work, server, log
                    )
                    steps += done
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"this process's peak RSS (a floor under every step's figure): {parent:.0f} MiB")
    section = render(steps, files, args.rsvps_per_session, command, parent)
    print(section)
    if not args.no_write:
        write_section("export_import", section)


if __name__ == "__main__":
    main()
