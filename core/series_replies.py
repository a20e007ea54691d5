"""Plain-English replies about weekly classes, shared by every front end.

Like `core.replies`: front ends pass `title` to format the title for their platform
(quotes, bold, escaping) and `name` to escape people's names; times are written in the
reader's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from core.executor import SeriesListOutcome, SeriesOutcome, SeriesPlanOutcome
from core.recurrence import WEEKDAYS, WeeklyRule
from core.series import Series
from core.timeparse import format_duration, format_when

Format = Callable[[str], str]
COMING_SHOWN = 8

_HEADS = {
    "shown": "Weekly class {title} (id {id})",
    "updated": "Changed {title} (id {id}); members going to a class that moved were told.",
    "every_week": "You go to every class of {title} now; new classes list you as they come.",
    "not_every_week": "You no longer go to {title} every week; the classes listed keep you.",
    "skipped": "Skipped that day of {title}.",
    "ended": "Ended {title}: no more classes.",
}


def timetable(rule: WeeklyRule) -> str:
    """`every Mon, Wed at 17:30 (Europe/Berlin) until Wed 30 Jun 2027`."""
    days = ", ".join(WEEKDAYS[d].capitalize() for d in sorted(rule.weekdays))
    every = "every other" if rule.interval_weeks == 2 else "every"
    if rule.interval_weeks > 2:
        every = f"every {rule.interval_weeks} weeks on"
    return (
        f"{every} {days} at {rule.local_time:%H:%M} ({rule.timezone}) "
        f"until {rule.until:%a %d %b %Y}"
    )


def _facts(series: Series) -> str:
    length = format_duration(timedelta(minutes=series.duration_minutes))
    seats = "unlimited" if series.capacity is None else f"cap {series.capacity}"
    return f"{timetable(series.rule)} · {length} · {seats} · with {series.instructor_name}"


def plan_lines(outcome: SeriesPlanOutcome, tz: str, now: datetime, title: Format) -> list[str]:
    """The reply to creating a weekly class: what, when next, and DST notes."""
    plan, series = outcome.plan, outcome.plan.series
    lines = [
        f"Weekly class {title(series.title)} set (id {series.id}): {plan.total} classes.",
        f"  {_facts(series)}",
    ]
    if plan.upcoming:
        lines.append("  Next: " + " · ".join(format_when(p.start, tz) for p in plan.upcoming))
    lines += [f"  Note: {note}" for note in plan.notes]
    lines.append(f"  Members: /every-week {series.id} to go every week.")
    return lines


def detail_lines(
    outcome: SeriesOutcome, tz: str, now: datetime, title: Format, name: Format = str
) -> list[str]:
    """The reply to showing or changing a weekly class."""
    detail, series = outcome.detail, outcome.detail.series
    head = _HEADS.get(outcome.action, _HEADS["shown"])
    lines = [head.format(title=title(series.title), id=series.root_id), f"  {_facts(series)}"]
    later = [s for s in detail.segments if s.rule.first_day > series.rule.first_day]
    lines += [f"  then from {s.rule.first_day:%a %d %b %Y}: {_facts(s)}" for s in later]
    lines += [f"  {note}" for note in outcome.notes]
    mine = " (you too)" if detail.standing else ""
    lines.append(f"  {detail.standing_count} going every week{mine}.")
    for session in detail.upcoming[:COMING_SHOWN]:
        state = "" if session.status.value == "scheduled" else f" [{session.status.value}]"
        lines.append(f"  {session.id}  {format_when(session.start_time, tz, now)}{state}")
    if len(detail.upcoming) > COMING_SHOWN:
        lines.append(f"  … and {len(detail.upcoming) - COMING_SHOWN} more listed.")
    for skip in detail.skips:
        why = f" ({name(skip.reason)})" if skip.reason else ""
        lines.append(f"  No class on {skip.day:%a %d %b %Y}{why}.")
    return lines


def list_lines(outcome: SeriesListOutcome, title: Format) -> list[str]:
    """One line per weekly class."""
    if not outcome.series:
        return ['No weekly classes. Set one with /schedule-class "Title" every mon 18:00.']
    return [f"{s.id}  {title(s.title)}  {timetable(s.rule)}" for s in outcome.series]
