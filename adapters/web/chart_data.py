"""What the training pages' charts show, computed from ledger entries in one pass each.

Pure functions (no I/O, no chart library): weeks run Monday to Sunday in the reader's zone;
the calendar heatmap shades each day by the minutes of the classes attended that day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.ledger_summary import LedgerSummary
from core.local_days import week_of
from core.training_ledger import LedgerEntry

HEAT_STEPS: tuple[int, ...] = (1, 30, 60, 90)
"""Minutes from which a day takes heat level 1, 2, 3, 4 (0: no class attended)."""


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week from `first`'s to `last`'s, in order."""
    start, end = week_of(first), week_of(last)
    return [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]


def local_day(at: datetime, zone: ZoneInfo) -> date:
    """The calendar day of `at` in `zone`."""
    return at.astimezone(zone).date()


def heat_level(minutes: int) -> int:
    """0 to 4: how dark a day of `minutes` is."""
    return sum(1 for step in HEAT_STEPS if minutes >= step)


@dataclass(frozen=True)
class HeatDay:
    day: date
    minutes: int
    level: int


@dataclass(frozen=True)
class MemberStats:
    """A member's year: attended minutes per day and per week, classes and totals."""

    first: date
    last: date
    days: list[HeatDay]
    """Every day from `first` to `last`."""
    weeks: list[tuple[date, int]]
    """(Monday, attended minutes) for every week of the year."""
    classes: int
    minutes: int
    months: list[tuple[date, int, int]]
    """(first of the month, classes, minutes) for every month with a class."""


def member_stats(entries: Iterable[LedgerEntry], last: date, zone: ZoneInfo) -> MemberStats:
    """The year ending on `last` (52 full weeks plus this one) of `entries` (only attended
    ones count)."""
    first = week_of(last) - timedelta(weeks=52)
    daily: Counter[date] = Counter()
    classes = 0
    monthly: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        if not entry.attended:
            continue
        day = local_day(entry.starts_at, zone)
        if not first <= day <= last:
            continue
        minutes = entry.minutes_present
        daily[day] += minutes
        classes += 1
        month = monthly[day.replace(day=1)]
        month[0] += 1
        month[1] += minutes
    days = [
        HeatDay(d, daily[d], heat_level(daily[d]))
        for d in (first + timedelta(days=n) for n in range((last - first).days + 1))
    ]
    weekly: Counter[date] = Counter()
    for d, minutes in daily.items():
        weekly[week_of(d)] += minutes
    return MemberStats(
        first=first,
        last=last,
        days=days,
        weeks=[(w, weekly[w]) for w in weeks_between(first, last)],
        classes=classes,
        minutes=sum(daily.values()),
        months=[(m, c, n) for m, (c, n) in sorted(monthly.items())],
    )


@dataclass(frozen=True)
class SessionCount:
    """One held session of a class: going (RSVPs), present (attended entries), no-shows
    (going members with no presence at all: the ledger's entries with none)."""

    session_id: str
    starts_at: datetime
    going: int
    present: int
    no_shows: int


@dataclass(frozen=True)
class ClassStats:
    sessions: list[SessionCount]
    weeks: list[tuple[date, int]]
    """(Monday, members who attended) for every week from the first session to `last`."""
    going: int
    no_shows: int

    @property
    def no_show_rate(self) -> float | None:
        """No-shows per going RSVP (None: nobody was going)."""
        return self.no_shows / self.going if self.going else None


def class_stats(
    held: Sequence[tuple[str, datetime, int, int, int]],
    first: date,
    last: date,
    zone: ZoneInfo,
) -> ClassStats:
    """Per held session (id, start, going, attended, no presence): going, present and
    no-shows; per week from `first` to `last`: the members present (attended entries)."""
    weekly: Counter[date] = Counter()
    for _, starts_at, _, attended, _ in held:
        weekly[week_of(local_day(starts_at, zone))] += attended
    sessions = [
        SessionCount(
            session_id=session_id,
            starts_at=starts_at,
            going=going,
            present=attended,
            no_shows=min(no_presence, going),
        )
        for session_id, starts_at, going, attended, no_presence in held
    ]
    return ClassStats(
        sessions=sessions,
        weeks=[(w, weekly[w]) for w in weeks_between(first, last)],
        going=sum(s.going for s in sessions),
        no_shows=sum(s.no_shows for s in sessions),
    )


@dataclass(frozen=True)
class OverviewStats:
    weeks: list[tuple[date, int, int]]
    """(Monday, sessions held, members who attended at least once) per week."""
    busiest: list[tuple[str, int]]
    """(class title, attendances) of the busiest classes, most first."""


def overview_stats(summary: LedgerSummary, zone: ZoneInfo) -> OverviewStats:
    """The overview's charts from the store's aggregated read (`core.ledger_summary`)."""
    return OverviewStats(
        weeks=[(local_day(w.starts, zone), w.sessions, w.members) for w in summary.weeks],
        busiest=[(c.title, c.attendances) for c in summary.busiest],
    )
