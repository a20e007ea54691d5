"""Replies about weekly classes, shared by every front end (`core.i18n` texts).

Like `core.replies`: front ends pass `title` to format the title for their platform
(quotes, bold, escaping) and `name` to escape people's names; times are written in the
reader's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from core.executor import SeriesListOutcome, SeriesOutcome, SeriesPlanOutcome
from core.i18n import Day, Duration, Text, Weekdays, When, joined, t, value
from core.recurrence import WeeklyRule
from core.series import Series

Format = Callable[[str], str]
COMING_SHOWN = 8


def _head(action: str, title: str, series_id: str) -> Text:
    match action:
        case "updated":
            return t(
                "Changed {title} (id {id}); members going to a class that moved were told.",
                title=title,
                id=series_id,
            )
        case "every_week":
            return t(
                "You go to every class of {title} now; new classes list you as they come.",
                title=title,
            )
        case "not_every_week":
            return t(
                "You no longer go to {title} every week; the classes listed keep you.",
                title=title,
            )
        case "skipped":
            return t("Skipped that day of {title}.", title=title)
        case "ended":
            return t("Ended {title}: no more classes.", title=title)
    return t("Weekly class {title} (id {id})", title=title, id=series_id)


def timetable(rule: WeeklyRule) -> str:
    """`every Mon, Wed at 17:30 (Europe/Berlin) until Wed 30 Jun 2027`."""
    facts: dict[str, object] = {
        "days": Weekdays(tuple(sorted(rule.weekdays))),
        "time": f"{rule.local_time:%H:%M}",
        "zone": rule.timezone,
        "until": Day(rule.until),
    }
    if rule.interval_weeks == 2:
        return t("every other {days} at {time} ({zone}) until {until}", **facts)
    if rule.interval_weeks > 2:
        return t(
            "every {weeks} weeks on {days} at {time} ({zone}) until {until}",
            weeks=rule.interval_weeks,
            **facts,
        )
    return t("every {days} at {time} ({zone}) until {until}", **facts)


def _facts(series: Series) -> str:
    length = Duration(timedelta(minutes=series.duration_minutes))
    seats = t("unlimited") if series.capacity is None else t("cap {cap}", cap=series.capacity)
    return t(
        "{timetable} · {length} · {seats} · with {instructor}",
        timetable=timetable(series.rule),
        length=length,
        seats=seats,
        instructor=series.instructor_name,
    )


def plan_lines(outcome: SeriesPlanOutcome, tz: str, now: datetime, title: Format) -> list[str]:
    """The reply to creating a weekly class: what, when next, and DST notes."""
    plan, series = outcome.plan, outcome.plan.series
    lines: list[str] = [
        t(
            "Weekly class {title} set (id {id}): {total} classes.",
            title=title(series.title),
            id=series.id,
            total=plan.total,
        ),
        _indented(_facts(series)),
    ]
    if plan.upcoming:
        starts = joined([value(When(p.start, tz)) for p in plan.upcoming], " · ")
        lines.append(_indented(t("Next: {starts}", starts=starts)))
    lines += [_indented(t("Note: {note}", note=note)) for note in plan.notes]
    lines.append(_indented(t("Members: /every-week {id} to go every week.", id=series.id)))
    return lines


def _indented(text: str) -> Text:
    """`text` two spaces in, as reply lines under a head line are."""
    return joined(["", text], "  ")


def detail_lines(
    outcome: SeriesOutcome, tz: str, now: datetime, title: Format, name: Format = str
) -> list[str]:
    """The reply to showing or changing a weekly class."""
    detail, series = outcome.detail, outcome.detail.series
    head = _head(outcome.action, title(series.title), series.root_id)
    lines: list[str] = [head, _indented(_facts(series))]
    later = [s for s in detail.segments if s.rule.first_day > series.rule.first_day]
    lines += [
        _indented(t("then from {day}: {facts}", day=Day(s.rule.first_day), facts=_facts(s)))
        for s in later
    ]
    lines += [_indented(note) for note in outcome.notes]
    count = detail.standing_count
    lines.append(
        _indented(
            t("{count} going every week (you too).", count=count)
            if detail.standing
            else t("{count} going every week.", count=count)
        )
    )
    for session in detail.upcoming[:COMING_SHOWN]:
        state = "" if session.status.value == "scheduled" else f" [{session.status.value}]"
        when = value(When(session.start_time, tz, now))
        lines.append(_indented(joined([session.id, joined([when, state], "")], "  ")))
    if len(detail.upcoming) > COMING_SHOWN:
        more = len(detail.upcoming) - COMING_SHOWN
        lines.append(_indented(t("… and {count} more listed.", count=more)))
    for skip in detail.skips:
        lines.append(
            _indented(
                t("No class on {day} ({reason}).", day=Day(skip.day), reason=name(skip.reason))
                if skip.reason
                else t("No class on {day}.", day=Day(skip.day))
            )
        )
    return lines


def list_lines(outcome: SeriesListOutcome, title: Format) -> list[str]:
    """One line per weekly class."""
    if not outcome.series:
        return [t('No weekly classes. Set one with /schedule-class "Title" every mon 18:00.')]
    return [joined([s.id, title(s.title), timetable(s.rule)], "  ") for s in outcome.series]
