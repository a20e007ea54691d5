"""Reminder preferences: what they cost the reminder dispatch, off against on, in one run.

    python -m bench.reminder_preferences [--repeats 10] [--no-write]

Two scenarios of `bench.scenarios`, on SQLite (the default store), each seeded three
times: with no member profiles (preferences off: today's behaviour), and with every member
having a profile with preferences (on): their kinds, a route, per-class overrides of other
classes, a zone among four, quiet hours for 30 % of them, one in ten linked to a second
platform that they prefer. "on": quiet hours over at the moment (23:00-03:30 in their zone);
"on, some held": 22:00-04:30, so the members in New York (04:00) are held till 04:30.

- **Wake-up, 100 due**: 5 wake-ups per run, each with 10 sessions × 10 members whose 1 h
  reminder is due; the time of `ReminderDispatcher.run_due` (where preferences act: one
  `get_profiles` per batch for the members the wake-up has not read yet, the rules per
  member and delivery, the held ones written).
- **Burst of 10,000**: 1,000 sessions × 10 members due at the same instant, one
  `run_due` per run.

Each run starts from a fresh copy of the seeded file; the variants are interleaved, repeat
after repeat, so that the machine's load hits both alike. The chat is a counter (no
platform latency), so the ratio is the worst case: a real platform's round trip is added
to both. The table goes to stdout and, unless --no-write, into BENCHMARKS.md between its
markers. A benchmark, not a timed test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time as clock
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench import scenarios as sc
from bench.report import write_section

if TYPE_CHECKING:
    from core.members import MemberProfile

VARIANTS = ("off", "on", "on, some held")
QUIET: dict[str, tuple[time, time]] = {
    "on": (time(23, 0), time(3, 30)),  # over at 04:00 in New York: nobody is held
    "on, some held": (time(22, 0), time(4, 30)),  # New York (04:00) is held till 04:30
}
ZONES = ("Europe/Berlin", "Asia/Tokyo", "America/New_York", "UTC")
STARTED = clock.perf_counter()


def log(message: str) -> None:
    print(f"[{clock.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


@dataclass
class CountingChat:
    """A chat platform that answers at once and counts what it was sent."""

    dms: int = 0
    posts: int = 0

    async def send_dm(self, member_id: str, notice: object) -> None:
        self.dms += 1

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return False

    async def post_to_channel(self, origin: object, notice: object) -> None:
        self.posts += 1

    async def send_file(self, member_id: str, file: object) -> None:
        """Exports are not part of this benchmark."""

    async def publish_announcement(self, view: object) -> str | None:
        return None


def profile_of(index: int, own: str, now: datetime, quiet_span: tuple[time, time]) -> MemberProfile:
    """Member `index`'s profile with preferences (see the module doc)."""
    from core.members import (
        ClassReminderOverride,
        MemberProfile,
        QuietHours,
        ReminderPreferences,
        ReminderRoute,
    )
    from core.model import ReminderKind as K

    quiet = QuietHours(start=quiet_span[0], end=quiet_span[1]) if index % 10 < 3 else None
    kinds = [K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M]
    if index % 4 == 0:
        kinds.append(K.BEFORE_3H)
    linked = index % 10 == 9
    return MemberProfile(
        id=own,
        display_name=f"Member {own}",
        timezone=ZONES[index % len(ZONES)],
        locale=("en", "ja", "de", "es", "fr")[index % 5],
        identities=[own, f"discord:{900000 + index}"] if linked else [own],
        preferred_platform="discord" if linked else None,
        preferences=ReminderPreferences(
            kinds=kinds,
            route=ReminderRoute.DM,
            quiet_hours=quiet,
            per_class={f"class-{index % 7}": ClassReminderOverride(route=ReminderRoute.NONE)},
        ),
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )


async def seed(path: Path, specs: list[sc.SessionSpec], variant: str) -> None:
    """A SQLite file with these sessions, their going members and reminders (bulk, as
    `bench.seed_ours` seeds), and but for variant "off" every member's profile."""
    from adapters.sql import open_sql_store
    from adapters.sql.member_records import profile_to_row
    from adapters.sql.schema import member_identities, member_profiles
    from bench.seed_ours import _bulk_engine, _BulkInsert, add_sessions, store_url

    await (await open_sql_store(store_url(path))).close()  # created and migrated
    add_sessions(path, specs)
    if variant == "off":
        return
    members = list(dict.fromkeys(m for spec in specs for m in spec.members))
    profiles = [profile_of(i, m, sc.NOW0, QUIET[variant]) for i, m in enumerate(members)]
    engine = _bulk_engine(path)
    try:
        with engine.begin() as connection:
            cursor = connection.connection.cursor()
            _BulkInsert(member_profiles, engine.dialect).run(
                cursor, [profile_to_row(p) for p in profiles]
            )
            _BulkInsert(member_identities, engine.dialect).run(
                cursor,
                [
                    {"identity_id": identity, "profile_id": p.id, "position": n}
                    for p in profiles
                    for n, identity in enumerate(p.identities)
                ],
            )
            cursor.close()
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()


@dataclass
class Run:
    seconds: list[float]
    """Wall-clock time of each `run_due`."""
    cpu: list[float]
    """The process's CPU time (every thread: SQLite's too) during each `run_due`."""
    dms: int
    held: int


async def measure(path: Path, due_times: list[datetime]) -> Run:
    """`run_due` at each due time on a fresh store over `path`; its times and counts."""
    from adapters.sql import open_sql_store
    from core.reminder_dispatch import ReminderDispatcher

    store = await open_sql_store(f"sqlite+aiosqlite:///{path}")
    chat = CountingChat()
    dispatcher = ReminderDispatcher(store, chat)
    seconds, cpu = [], []
    try:
        for due in due_times:
            began, began_cpu = clock.perf_counter(), clock.process_time()
            await dispatcher.run_due(due)
            seconds.append(clock.perf_counter() - began)
            cpu.append(clock.process_time() - began_cpu)
        held = len(await store.due_deferred(due_times[-1] + timedelta(days=1), 100_000))
    finally:
        await store.close()
    return Run(seconds, cpu, chat.dms, held)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


async def main_async(repeats: int, write: bool) -> None:
    now = sc.NOW0
    scenarios = {
        "wake-up, 100 due": (sc.wakeup_groups(now), sc.wakeup_due_times(now)),
        "burst of 10,000": (sc.burst(now), [now + sc.BURST_AT]),
    }
    results: dict[tuple[str, str], list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-prefs-") as tmp:
        bases: dict[tuple[str, str], Path] = {}
        for name, (specs, _) in scenarios.items():
            for variant in VARIANTS:
                path = Path(tmp) / f"{name.split(',')[0]}-{variant}.db".replace(" ", "-")
                log(f"seeding {name}, preferences {variant}")
                await seed(path, specs, variant)
                bases[(name, variant)] = path
        for repeat in range(repeats):
            for name, (_, due_times) in scenarios.items():
                for variant in VARIANTS[repeat % 3 :] + VARIANTS[: repeat % 3]:
                    copy = Path(tmp) / "run.db"
                    shutil.copyfile(bases[(name, variant)], copy)
                    run = await measure(copy, due_times)
                    results.setdefault((name, variant), []).append(run)
                    log(f"repeat {repeat + 1}: {name}, {variant}: {fmt_ms(sum(run.seconds))}")
    section = table(results, list(scenarios), repeats)
    print(section)
    if write:
        write_section("reminder_preferences", section)


def table(results: dict[tuple[str, str], list[Run]], names: list[str], repeats: int) -> str:
    lines = [
        "## Reminder preferences: the dispatch with and without them "
        "(`bench/reminder_preferences.py`)",
        "",
        f"SQLite, {repeats} runs per variant, interleaved. **Off**: no member has a profile. "
        "**On**: every member has one with preferences (kinds, route, an override of another "
        "class, a zone among four, one in ten linked to a second platform they prefer), 30 % "
        "with quiet hours that are over at the moment. **On, some held**: the same with quiet "
        "hours that the members in New York (04:00) are in: their reminders are held, one "
        "more write per wake-up, and fewer DMs go out now. Measured: "
        "`ReminderDispatcher.run_due`, as CPU time of the process (all threads, SQLite's "
        "included: what the work costs, steadier on a loaded machine) and as wall-clock time "
        "(median and range: it swings with the load). The chat answers at once (no platform "
        "latency), so the ratios are the worst case.",
        "",
        "| scenario | preferences | CPU | **÷ off (CPU)** | wall | ÷ off (wall) "
        "| DMs sent | held |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        base_cpu = base_wall = 0.0
        for variant in VARIANTS:
            runs = results[(name, variant)]
            cpu = statistics.median(c for run in runs for c in run.cpu)
            wall = [s for run in runs for s in run.seconds]
            median = statistics.median(wall)
            if variant == "off":
                base_cpu, base_wall = cpu, median
            lines.append(
                f"| {name} | {variant} | {fmt_ms(cpu)} | **{cpu / base_cpu:.2f}×** "
                f"| {fmt_ms(median)} ({fmt_ms(min(wall))}–{fmt_ms(max(wall))}) "
                f"| {median / base_wall:.2f}× | {runs[0].dms:,} | {runs[0].held:,} |"
            )
    lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()
    asyncio.run(main_async(args.repeats, not args.no_write))


if __name__ == "__main__":
    main()
