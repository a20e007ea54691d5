"""Training record at scale: pages, `/progress` and the attendance CSV over a year of classes.

    python -m bench.training_record [--store sqlite|postgres|both] [--scale 1.0]
                                    [--repeats 5] [--export-repeats 2] [--no-write]

Seeds an association (`bench.training_data`: 5,000 members, 300 ended sessions a week for a
year, ~100 attendance stays per session, their going RSVPs, the training-ledger entry of
every member present or going, rank promotions) in bulk into a fresh, migrated SQLite file
and a fresh PostgreSQL database (a throwaway server of tests/pg_server.py unless --url), the
year generated once and written to both (`bench.training_load`). Then, on each store:

- the busiest member's training page and the busiest weekly class's page, rendered by the
  pages' own render functions (`bench.training_pages`), the admins' overview too;
- `SessionService.rank_progress` for that member (what `/progress` shows);
- `GET /api/attendance.csv` for the last quarter and for the whole year through the
  production web server (`WebServer` + `RestApi`) in its own process on loopback
  (`bench.training_export_server`), the body read as it streams: rows/s, and that
  process's RSS before the export and its peak during it (`/proc/<pid>/status`: VmHWM
  after resetting it through `clear_refs`, and VmRSS sampled every 20 ms).

Times are medians (with the range) of `--repeats` calls after one uncounted warm-up call;
exports are `--export-repeats` runs each. A measurement whose piece is missing from the tree
prints "not available". The table goes to stdout and, unless --no-write, into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bench.report import REPO, write_section
from bench.training_data import ADMIN_ID, NOW, Params, quarter_of, span_of
from bench.training_export import Export
from bench.training_load import PostgresSink, Seeded, Sink, SqliteSink, migrate, seed

TARGET_PAGE = 0.200
TARGET_PROGRESS = 0.050
TARGET_ROWS_PER_SECOND = 50_000
SLOW, SLOW_REPEATS = 2.0, 2
STORES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


class NotAvailable(Exception):
    """A measured piece is not in the tree (yet)."""


@dataclass
class StoreFigures:
    """Everything measured on one store."""

    store: str
    seed_seconds: float = 0.0
    subjects: dict[str, str] = field(default_factory=dict)
    """What was measured: the member, the class, their sizes."""
    times: dict[str, list[float] | str] = field(default_factory=dict)
    """Seconds per call, or why the measurement is not available."""
    exports: dict[str, list[Export] | str] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)
    """Ledger rows in each export's range (the CSV must have as many)."""


# measuring ------------------------------------------------------------------------------
async def timed(call: Callable[[], Awaitable[Any]], repeats: int) -> list[float]:
    """Seconds per call: one warm-up, then `repeats` calls (at most `SLOW_REPEATS` when
    the warm-up took over `SLOW` seconds: the figure is far from any target anyway)."""
    began = time.perf_counter()
    await call()
    if time.perf_counter() - began > SLOW:
        repeats = min(repeats, SLOW_REPEATS)
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - began)
    return samples


async def measure_store(
    name: str, url: str, params: Params, repeats: int, export_repeats: int
) -> StoreFigures:
    """Pages, `/progress` and exports on one seeded store."""
    from adapters.sql import open_sql_store
    from bench import training_pages
    from bench.training_service import build_service
    from core.model import Member, Role
    from core.testing.clock import FakeClock

    figures = StoreFigures(store=name)
    store = await open_sql_store(url)
    try:
        clock = FakeClock(NOW)
        service = build_service(store, clock)
        admin = Member(id=ADMIN_ID, display_name="Admin", role=Role.ADMIN)
        member, entries = await _busiest(store, "member_id")
        series, class_entries = await _busiest(store, "series_id")
        figures.subjects = {
            "member": f"{entries:,} ledger entries",
            "class": f"{class_entries:,} ledger entries",
        }
        pages = training_pages.Pages.find(service, admin, clock.now())
        measured: dict[str, Callable[[], Awaitable[Any]] | str] = {
            "member_page": pages.member(member),
            "class_page": pages.class_page(series),
            "overview": pages.overview(),
            "progress": _progress(service, admin, member),
        }
        for key, call in measured.items():
            _log(f"{name}: {key} …")
            figures.times[key] = call if isinstance(call, str) else await timed(call, repeats)
        zone = service.association_zone() if hasattr(service, "association_zone") else UTC
        for key, (first, last) in (("quarter", quarter_of(params)), ("year", span_of(params))):
            figures.expected[key] = await _ledger_rows(store, first, last, zone)
    finally:
        await store.close()
    figures.exports = await measure_exports(name, url, params, export_repeats)
    return figures


def _progress(service: Any, admin: Any, member: str) -> Callable[[], Awaitable[Any]] | str:
    if not hasattr(service, "rank_progress"):
        return "not available (no SessionService.rank_progress)"

    async def call() -> Any:
        return await service.rank_progress(admin, member)

    return call


async def _busiest(store: Any, column: str) -> tuple[str, int]:
    """The member (or weekly class) with the most ledger entries, and how many."""
    from sqlalchemy import func, select

    from adapters.sql.schema import training_ledger

    key = training_ledger.c[column]
    query = (
        select(key, func.count())
        .where(key.is_not(None))
        .group_by(key)
        .order_by(func.count().desc(), key)
        .limit(1)
    )
    async with store.engine.connect() as connection:
        row = (await connection.execute(query)).one()
    return str(row[0]), int(row[1])


async def _ledger_rows(store: Any, first: date, last: date, zone: tzinfo) -> int:
    """Ledger entries of sessions starting on days `first`..`last` (in `zone`)."""
    from sqlalchemy import func, select

    from adapters.sql.schema import training_ledger

    c = training_ledger.c
    since = datetime.combine(first, clock_time.min, zone).astimezone(UTC)
    until = datetime.combine(last + timedelta(days=1), clock_time.min, zone).astimezone(UTC)
    query = select(func.count()).where(c.starts_at >= since, c.starts_at < until)
    async with store.engine.connect() as connection:
        return int((await connection.execute(query)).scalar_one())


async def measure_exports(
    name: str, url: str, params: Params, repeats: int
) -> dict[str, list[Export] | str]:
    """Each export range `repeats` times, through a server process of its own."""
    from bench.training_export import ExportClient

    client = ExportClient.find()
    if isinstance(client, str):
        return {"quarter": client, "year": client}
    out: dict[str, list[Export] | str] = {}
    secret = SecretStr(secrets.token_urlsafe(48))
    async with client.serving(url, secret) as served:
        _, last = span_of(params)
        await served.export(last, last)  # uncounted: the first request's one-time imports
        for key, (first, last) in (("quarter", quarter_of(params)), ("year", span_of(params))):
            runs = []
            for n in range(repeats):
                _log(f"{name}: export {key} ({n + 1}/{repeats}) …")
                runs.append(await served.export(first, last))
            out[key] = runs
    return out


# the table ------------------------------------------------------------------------------
def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def timing_cell(value: list[float] | str | None, target: float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    median = statistics.median(value)
    cell = f"{fmt_s(median)} ({fmt_s(min(value))}–{fmt_s(max(value))})"
    if target is not None and median > target:
        cell = f"**{cell}** ✗"
    return cell


def export_cells(
    runs: list[Export] | str | None, expected: int | None, year: bool
) -> tuple[str, str]:
    if runs is None:
        return "—", "—"
    if isinstance(runs, str):
        return runs, runs
    rows = {r.rows for r in runs}
    if expected is not None and rows != {expected}:
        raise SystemExit(f"an export returned {sorted(rows)} rows, the ledger holds {expected}")
    rate = statistics.median(r.rows_per_second for r in runs)
    seconds = statistics.median(r.seconds for r in runs)
    cpu_rate = statistics.median(r.rows_per_cpu_second for r in runs)
    speed = (
        f"{rate:,.0f} rows/s ({runs[0].rows:,} rows in {fmt_s(seconds)}; "
        f"{cpu_rate:,.0f} rows per server CPU-second)"
    )
    if year and rate < TARGET_ROWS_PER_SECOND:
        speed = f"**{speed}** ✗"
    before = statistics.median(r.rss_before for r in runs)
    growth = max(r.growth for r in runs)
    return speed, f"+{fmt_mib(growth)} (at {fmt_mib(int(before))} before)"


def table(params: Params, seeded: Seeded, figures: list[StoreFigures], command: str) -> str:
    """The BENCHMARKS.md section."""
    by = {f.store: f for f in figures}
    names = [STORES[f.store] for f in figures]
    rows: list[tuple[str, list[str], str]] = []

    def times(key: str, label: str, target: float | None, shown: str) -> None:
        rows.append((label, [timing_cell(by[s].times.get(key), target) for s in by], shown))

    rows.append(
        (
            "seeding (bulk, this store's writes)",
            [
                fmt_s(seeded.seconds.get(s, 0.0)) + (" (cached file)" if s in seeded.cached else "")
                for s in by
            ],
            "≤ ~5 min",
        )
    )
    first = figures[0]
    times(
        "member_page",
        f"member's training page (busiest member: {first.subjects.get('member', '?')})",
        TARGET_PAGE,
        "≤ 200 ms",
    )
    times(
        "class_page",
        f"class page (busiest weekly class: {first.subjects.get('class', '?')})",
        TARGET_PAGE,
        "≤ 200 ms",
    )
    times("overview", "association overview (admins)", TARGET_PAGE, "≤ 200 ms")
    times("progress", "`/progress` (`rank_progress`, busiest member)", TARGET_PROGRESS, "≤ 50 ms")
    for key, label in (("quarter", "the last quarter"), ("year", "the whole year")):
        cells = [
            export_cells(by[s].exports.get(key), by[s].expected.get(key), key == "year") for s in by
        ]
        target = "≥ 50,000 rows/s" if key == "year" else ""
        rows.append((f"`GET /api/attendance.csv`, {label}", [c[0] for c in cells], target))
        rows.append(
            (
                f"server RSS growth while exporting {label}",
                [c[1] for c in cells],
                "does not grow with the export",
            )
        )
    counts = seeded.rows
    lines = [
        "## Training record at scale (`bench/training_record.py`)",
        "",
        f"Command: `{command}`  ",
        f"Run on {datetime.now().date().isoformat()}, {os.cpu_count()} cores (shared with "
        "other work). Seeded once (bulk inserts / COPY into freshly migrated stores), then "
        "measured on each store: "
        f"{counts.get('member_profiles', 0):,} profiles, "
        f"{counts.get('training_sessions', 0):,} ended sessions over {params.weeks} weeks "
        f"(occurrences of {counts.get('series', 0):,} weekly classes, and one-off seminars), "
        f"{counts.get('attendance_intervals', 0):,} attendance stays, "
        f"{counts.get('rsvps', 0):,} RSVPs, "
        f"{counts.get('training_ledger', 0):,} ledger entries, "
        f"{counts.get('rank_promotions', 0):,} promotions"
        + (
            f" (not seeded, missing from the schema: {', '.join(seeded.missing)})"
            if seeded.missing
            else ""
        )
        + ". Times: median (min–max) of the repeats after a warm-up; exports through the "
        "production web server in its own process on loopback, the body read as it streams; "
        "RSS growth = that process's peak RSS during the export minus its RSS before (after "
        "an uncounted one-day export). "
        "✗ marks a missed target.",
        "",
        f"| measure | {' | '.join(names)} | target |",
        f"|---|{'---:|' * len(names)}---|",
        *(f"| {label} | {' | '.join(cells)} | {target} |" for label, cells, target in rows),
        "",
    ]
    return "\n".join(lines) + "\n"


# running --------------------------------------------------------------------------------
def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def run(
    params: Params,
    stores: list[str],
    work: Path,
    repeats: int,
    export_repeats: int,
    server: Any = None,
    cache_dir: Path | None = None,
    measure: bool = True,
) -> tuple[Seeded, list[StoreFigures]]:
    """Seed every store in one pass, then measure each (unless not `measure`)."""
    from bench import training_cache

    await asyncio.to_thread(work.mkdir, parents=True, exist_ok=True)
    urls: dict[str, str] = {}
    sinks: dict[str, Sink] = {}
    database: str | None = None
    cached: Seeded | None = None
    path = work / "training.sqlite"
    if "sqlite" in stores:
        urls["sqlite"] = f"sqlite+aiosqlite:///{path.as_posix()}"
        if cache_dir is not None:
            cached = training_cache.lookup(cache_dir, params, path)
        if cached is None:
            await migrate(urls["sqlite"])
            sinks["sqlite"] = SqliteSink(path)
        else:
            _log(f"SQLite: a cached seeded file from {cache_dir}")
    if "postgres" in stores:
        database = await server.create_database(server.new_database_name("training"))
        urls["postgres"] = server.url(database)
        await migrate(urls["postgres"])
        sinks["postgres"] = await PostgresSink.connect(server.dsn(database))
    seeded = Seeded()
    if sinks:
        _log(f"seeding {', '.join(sinks)} (scale {params.scale}) …")
        seeded = await seed(params, sinks)
        _log(f"seeded: {seeded.rows} in {seeded.seconds} (+{seeded.generating:.0f} s generating)")
        if cache_dir is not None and "sqlite" in sinks:
            training_cache.keep(cache_dir, params, path, seeded)
    if cached is not None:
        seeded.rows = seeded.rows or cached.rows
        seeded.missing = seeded.missing or cached.missing
        seeded.seconds["sqlite"] = cached.seconds.get("sqlite", 0.0)
        seeded.cached.append("sqlite")
    try:
        figures = [
            await measure_store(name, urls[name], params, repeats, export_repeats)
            for name in (stores if measure else [])
        ]
    finally:
        if database is not None:
            await server.drop_database(database)
    return seeded, figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.training_record", description=__doc__)
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--export-repeats", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, help="keep (and reuse) the seeded SQLite file")
    parser.add_argument("--url", help="an existing PostgreSQL server (role with CREATEDB)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    params = Params(scale=args.scale, weeks=args.weeks)
    command = " ".join([".venv/bin/python", "-m", "bench.training_record", *(argv or sys.argv[1:])])
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        servers = _postgres(args.url) if "postgres" in stores else contextlib.nullcontext()
        with servers as server:
            seeded, figures = asyncio.run(
                run(
                    params,
                    stores,
                    Path(tmp),
                    args.repeats,
                    args.export_repeats,
                    server,
                    args.cache_dir,
                )
            )
    section = table(params, seeded, figures, command)
    section += f"The whole run took {(time.perf_counter() - began) / 60:.1f} min.\n"
    print(section)
    if not args.no_write:
        write_section("training_record", section)
        _log("updated BENCHMARKS.md")


def _postgres(url: str | None) -> Any:
    sys.path.insert(0, str(REPO))
    from tests.pg_server import PostgresServer, running_server

    if url:
        from sqlalchemy.engine import make_url

        given = make_url(url).set(drivername="postgresql+asyncpg")
        return contextlib.nullcontext(
            PostgresServer(base_url=given.set(database=given.database or "postgres"))
        )
    return running_server()


if __name__ == "__main__":
    main()
