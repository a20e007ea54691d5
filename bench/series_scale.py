"""Weekly classes at scale: what recurrence adds to the clock, against one-off sessions.

    python -m bench.series_scale [--series 500] [--standing 20] [--weeks 4] [--no-write]

Two SQLite stores hold the same classes: **series** has `--series` weekly classes (one class
day a week, `--standing` members going every week, occurrences listed 4 weeks ahead by the
clock); **one-off** has the same occurrences scheduled as one-off sessions with the same
members going. Measured in one run, each world on its own copy:

- **a week's new classes**: series, the clock's wake-up that lists the next week's 500
  occurrences (with their standing RSVPs and reminders); one-off, the same sessions
  scheduled and RSVP'd one by one through the service (today's way). Time and store calls.
- **a wake-up with 100 reminders due**: 100 extra sessions whose 24 h reminders fall due
  together; the clock wakes and sends them (series: plus its series duties). Time and calls.
- **restart → ready**: a fresh process opens the store, builds the service and the clock's
  duties and computes the next wake-up; wall time and peak RSS (`wait4`).

The seeded databases are cached per size in --cache-dir. Ratios are series ÷ one-off (target:
≤ 1.10 each). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench.report import REPO, write_section

NOW0 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # a Monday morning
TARGET = 1.10
SEED_VERSION = 2


class Counting:
    """A store proxy counting awaited calls by method name."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if not callable(target) or name.startswith("_"):
            return target

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return target(*args, **kwargs)

        return counted


def _members(count: int) -> list[Any]:
    from core.model import Member

    return [Member(id=f"b:m{i}", display_name=f"M{i}") for i in range(count)]


def _sensei() -> Any:
    from core.model import Member, Role

    return Member(id="b:sensei", display_name="Sensei", role=Role.INSTRUCTOR)


async def _world(db: Path, start: datetime) -> tuple[Any, Any, Any, Any, Any]:
    """(store, counting proxy, service, duties, clock) on the SQLite file `db` at `start`."""
    from adapters.sql import open_sql_store
    from core.duties import Duties
    from core.reminder_dispatch import ReminderDispatcher
    from core.service import SessionService
    from core.testing.chat import RecordingChatDelivery
    from core.testing.clock import FakeClock
    from core.testing.rooms import InMemoryVideoRooms

    store = await open_sql_store(f"sqlite+aiosqlite:///{db}")
    counting = Counting(store)
    clock = FakeClock(start)
    chat = RecordingChatDelivery()
    service = SessionService(counting, InMemoryVideoRooms(), chat, clock)
    duties = Duties(service, ReminderDispatcher(counting, chat))
    return store, counting, service, duties, clock


def _class_command(i: int) -> Any:
    from core.commands import ScheduleSeries

    return ScheduleSeries(
        title=f"Class {i}",
        weekdays=[i % 7],
        local_time=clock_time(8 + i % 12, 0),
        timezone="Europe/Berlin",
        weeks=104,
        capacity=30,
    )


async def seed_series(db: Path, series: int, standing: int) -> None:
    """The weekly classes through the service; the standing RSVPs straight into the store
    (as `stand` would leave them), which seeds in minutes instead of an hour."""
    from core.model import Origin, SessionFilter
    from core.series import StandingRsvp

    store, _, service, _, _ = await _world(db, NOW0)
    origin = Origin(platform="bench", workspace_id="w", channel_id="dojo")
    members = _members(standing)
    for i in range(series):
        plan = await service.schedule_series(_sensei(), _class_command(i), origin)
        listed = await store.list_sessions(SessionFilter(series_id=plan.series.id, limit=100))
        for member in members:
            rsvp = StandingRsvp(
                series_id=plan.series.id,
                member_id=member.id,
                member_name=member.display_name,
                created_at=NOW0,
            )
            await store.add_standing_rsvp(rsvp)
            for session in listed:
                await store.rsvp_going(session.id, member.id, member.display_name, NOW0)
    await store.close()


async def seed_one_off(db: Path, series: int, standing: int, weeks: int) -> None:
    """The same classes as one-off sessions through the service, RSVPs into the store."""
    from core.commands import ScheduleSession
    from core.model import Origin

    store, _, service, _, _ = await _world(db, NOW0)
    origin = Origin(platform="bench", workspace_id="w", channel_id="dojo")
    members = _members(standing)
    for start in _one_off_starts(series, weeks, NOW0):
        command = ScheduleSession(title="Class", start_time=start, capacity=30)
        session = await service.schedule(_sensei(), command, origin)
        for member in members:
            await store.rsvp_going(session.id, member.id, member.display_name, NOW0)
    await store.close()


def _one_off_starts(series: int, weeks: int, after: datetime) -> list[datetime]:
    """The same starts as the series world's occurrences in (after, after + weeks]."""
    from core.recurrence import placements
    from core.series import MATERIALISE_AHEAD

    del weeks  # the window is the clock's: MATERIALISE_AHEAD
    starts: list[datetime] = []
    for i in range(series):
        rule = _rule(i)
        starts += [p.start for p in placements(rule, after, after + MATERIALISE_AHEAD)]
    return starts


def _rule(i: int) -> Any:
    from datetime import date

    from core.recurrence import WeeklyRule

    command = _class_command(i)
    return WeeklyRule(
        weekdays=frozenset(command.weekdays),
        local_time=command.local_time,
        timezone="Europe/Berlin",
        first_day=date(2026, 12, 7),
        until=date(2028, 12, 1),
    )


async def _schedule_one(service: Any, start: datetime, origin: Any, members: list[Any]) -> None:
    from core.commands import ScheduleSession

    command = ScheduleSession(title="Class", start_time=start, duration_minutes=60, capacity=30)
    session = await service.schedule(_sensei(), command, origin)
    for member in members:
        await service.rsvp(member, session.id)


# the measurements ------------------------------------------------------------------------
async def week_of_classes(kind: str, db: Path, series: int, standing: int) -> dict[str, Any]:
    """Time and store calls to add a week's classes: the clock's wake-up (series) or the
    service one by one (one-off)."""
    week_later = NOW0 + timedelta(weeks=1)
    store, counting, service, _, _ = await _world(db, week_later)
    started = time.perf_counter()
    if kind == "series":
        await service.materialise_series()
    else:
        from core.model import Origin
        from core.series import MATERIALISE_AHEAD

        origin = Origin(platform="bench", workspace_id="w", channel_id="dojo")
        members = _members(standing)
        for start in _one_off_starts(series, 1, NOW0 + MATERIALISE_AHEAD):
            if start <= week_later + MATERIALISE_AHEAD:
                await _schedule_one(service, start, origin, members)
    seconds = time.perf_counter() - started
    await store.close()
    return {"seconds": seconds, "calls": sum(counting.calls.values())}


async def hundred_due(kind: str, db: Path) -> dict[str, Any]:
    """Time and store calls of the wake-up that sends 100 reminders due at once."""
    from core.model import Origin

    at = NOW0 + timedelta(hours=1)
    store, counting, service, duties, clock = await _world(db, NOW0)
    origin = Origin(platform="bench", workspace_id="w", channel_id="dojo")
    member = _members(1)
    start = at + timedelta(hours=24, minutes=1)  # 24 h reminders due at `at` + 1 min
    for _ in range(100):
        await _schedule_one(service, start, origin, member)
    await duties.run_due()  # everything due now, before the measured wake-up
    clock.set(at + timedelta(minutes=1))
    await service.materialise_series()  # a class entering the window now is not the measure
    counting.calls.clear()
    started = time.perf_counter()
    report = await duties.run_due()
    seconds = time.perf_counter() - started
    await store.close()
    return {
        "seconds": seconds,
        "calls": sum(counting.calls.values()),
        "sent": report.reminders_sent,
    }


async def ready(db: Path) -> None:
    """Worker: open, wire, plan the next wake-up, print the wall time since spawn."""
    store, _, _, duties, _ = await _world(db, NOW0 + timedelta(hours=2))
    await duties.next_wakeup()
    await store.close()


def restart(db: Path) -> dict[str, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.series_scale", "--worker-ready", str(db)],
        cwd=REPO,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"worker failed: {status}")
    return {"seconds": seconds, "rss_mib": usage.ru_maxrss / 1024}


# the run -----------------------------------------------------------------------------------
def seeded(cache: Path, kind: str, series: int, standing: int, weeks: int) -> Path:
    path = cache / f"series-scale-{kind}-{series}x{standing}-v{SEED_VERSION}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        began = time.perf_counter()
        print(f"seeding {kind} ({series} classes × {standing}) …", file=sys.stderr, flush=True)
        if kind == "series":
            asyncio.run(seed_series(partial, series, standing))
        else:
            asyncio.run(seed_one_off(partial, series, standing, weeks))
        partial.rename(path)
        print(f"  {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    return path


def run(series: int, standing: int, weeks: int, repeats: int, cache: Path) -> str:
    bases = {kind: seeded(cache, kind, series, standing, weeks) for kind in ("series", "one-off")}
    results: dict[str, dict[str, list[float]]] = {k: {} for k in bases}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(repeats):
            for kind, base in bases.items():
                copy = Path(tmp) / f"{kind}-{round_}.db"
                shutil.copy(base, copy)
                found = {
                    **{
                        f"week_{k}": v
                        for k, v in asyncio.run(
                            week_of_classes(kind, copy, series, standing)
                        ).items()
                    },
                }
                shutil.copy(base, copy)
                found |= {f"due_{k}": v for k, v in asyncio.run(hundred_due(kind, copy)).items()}
                shutil.copy(base, copy)
                found |= {f"ready_{k}": v for k, v in restart(copy).items()}
                for key, value in found.items():
                    results[kind].setdefault(key, []).append(float(value))
    rows = [
        ("a week's new classes: time (s)", "week_seconds"),
        ("a week's new classes: store calls", "week_calls"),
        ("wake-up with 100 due: time (ms)", "due_seconds"),
        ("wake-up with 100 due: store calls", "due_calls"),
        ("restart → ready (s)", "ready_seconds"),
        ("restart peak RSS (MiB)", "ready_rss_mib"),
    ]
    lines = [
        f"Weekly classes: {series} classes × {standing} standing RSVPs on SQLite, "
        f"medians of {repeats} (python -m bench.series_scale, "
        f"{datetime.now(UTC):%Y-%m-%d}).",
        "",
        "| measure | one-off sessions | weekly classes | ratio (target ≤ 1.10) |",
        "|---|---:|---:|---:|",
    ]
    for label, key in rows:
        one, ser = (statistics.median(results[k][key]) for k in ("one-off", "series"))
        scale = 1000 if key == "due_seconds" else 1
        lines.append(f"| {label} | {one * scale:,.3g} | {ser * scale:,.3g} | {ser / one:.2f}× |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.series_scale")
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--standing", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--worker-ready", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_ready:
        asyncio.run(ready(args.worker_ready))
        return
    table = run(args.series, args.standing, args.weeks, args.repeats, args.cache_dir)
    print(table)
    if not args.no_write:
        write_section("series_scale", table)


if __name__ == "__main__":
    main()
