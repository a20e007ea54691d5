"""What `/training-log` sums up from a member's ledger entries (pure): classes attended this
year and in all, minutes present, the current and best weekly streak (consecutive weeks,
Monday to Sunday in the reader's zone, with at least one attended class), and the latest
sessions. Built one entry at a time, so a long record streams through in bounded memory.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.local_days import week_of
from core.training_ledger import LedgerEntry

LATEST = 10
"""How many of the latest sessions `/training-log` lists."""


def weekly_streaks(weeks: set[date], this_week: date) -> tuple[int, int]:
    """(current, best) runs of consecutive weeks (Mondays) in `weeks`. The current run ends
    this week, or last week while this week has no class yet (a streak holds until the week
    is over)."""
    best = run = 0
    previous: date | None = None
    for week in sorted(weeks):
        run = run + 1 if previous is not None and week - previous == timedelta(weeks=1) else 1
        best = max(best, run)
        previous = week
    current = 0
    week = this_week if this_week in weeks else this_week - timedelta(weeks=1)
    while week in weeks:
        current += 1
        week -= timedelta(weeks=1)
    return current, best


@dataclass
class TrainingTally:
    """Totals of a member's record, fed entry by entry (`add`)."""

    today: date
    zone: ZoneInfo
    attended_this_year: int = 0
    attended_in_all: int = 0
    sessions: int = 0
    seconds_present: int = 0
    weeks: set[date] = field(default_factory=set)
    latest: deque[LedgerEntry] = field(default_factory=lambda: deque(maxlen=LATEST))

    def add(self, entry: LedgerEntry) -> None:
        """Count one entry (entries come oldest first)."""
        self.sessions += 1
        self.seconds_present += entry.seconds_present
        self.latest.append(entry)
        if not entry.attended:
            return
        day = self.local_day(entry.starts_at)
        self.attended_in_all += 1
        if day.year == self.today.year:
            self.attended_this_year += 1
        self.weeks.add(week_of(day))

    def local_day(self, at: datetime) -> date:
        """The day of `at` in the reader's zone."""
        return at.astimezone(self.zone).date()

    def streaks(self) -> tuple[int, int]:
        """(current, best) weekly streaks."""
        return weekly_streaks(self.weeks, week_of(self.today))

    def newest_first(self) -> list[LedgerEntry]:
        """The latest sessions, newest first."""
        return list(reversed(self.latest))
