"""Calendar days and weeks in a reader's zone, as the training record counts them (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def day_start(day: date | None, zone: ZoneInfo, later: timedelta = timedelta(0)) -> datetime | None:
    """Midnight starting `day` (plus `later`, e.g. `ONE_DAY` for the end of a last day) in
    `zone`, in UTC; None for None, and for a day at the calendar's ends (year 1, 9999): no
    bound there."""
    if day is None:
        return None
    try:
        return (datetime.combine(day, time.min, zone) + later).astimezone(UTC)
    except OverflowError:
        return None
