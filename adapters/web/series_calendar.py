"""The calendar file of a weekly class, `/series/<id>.ics` (RFC 5545, built with `icalendar`).

One VEVENT per segment of the timetable (a change "from a day on" ends one segment and
starts another; most classes have one), each with a stable UID:

- DTSTART/DTEND in the series' zone (TZID, with its VTIMEZONE) at the rule's wall-clock
  time, and RRULE FREQ=WEEKLY;INTERVAL;BYDAY;UNTIL, so calendars keep 17:30 local across
  DST changes the way our occurrences do;
- EXDATE for skipped days and canceled occurrences;
- a RECURRENCE-ID override for each listed occurrence that differs from the rule (moved or
  retitled one-off, or a class DST moved out of a gap);
- SEQUENCE: the segment's revision plus its occurrences' revisions, so it grows on every
  change and Google, Apple and Outlook calendars update the copy they hold in place.

An ended segment's RRULE ends at its last listed occurrence (the ones after were canceled,
hence EXDATEs); an ended segment that never listed one is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web

from adapters.web.calendar import PRODID, ics_response
from adapters.web.context import PageContext
from adapters.web.session_pages import not_found_page
from adapters.web.words import say, t
from core.errors import NotFound
from core.i18n import ENGLISH, Translator
from core.model import SessionStatus, TrainingSession, Visibility
from core.recurrence import WEEKDAYS, meeting_days, place
from core.series import Series, SeriesSkip, SeriesStatus

if TYPE_CHECKING:  # icalendar is imported at the first calendar file, not at start-up
    from icalendar import Calendar, Event

BYDAY = [day[:2].upper() for day in WEEKDAYS]
"""RFC 5545 weekday codes by `date.weekday()`: MO, TU, …"""


def series_calendar_path(series_id: str) -> str:
    """Where a weekly class's calendar file is served."""
    return f"/series/{series_id}.ics"


@dataclass(frozen=True)
class Listed:
    """A listed occurrence with the local day it was scheduled for (its identity)."""

    day: date
    session: TrainingSession


def occurrence_day(root_id: str, session: TrainingSession) -> date | None:
    """The day an occurrence belongs to, from its id (`<root>-YYYYMMDD`), even if moved."""
    suffix = session.id.removeprefix(f"{root_id}-")
    try:
        return datetime.strptime(suffix, "%Y%m%d").date()
    except ValueError:
        return None


def nominal_start(segment: Series, day: date) -> datetime:
    """The start RRULE gives `day`: the rule's wall-clock time in the series' zone (a time
    in a DST gap or fold is read with the earlier offset, as RFC 5545 says)."""
    return datetime.combine(day, segment.rule.local_time, ZoneInfo(segment.rule.timezone))


def _holds(segment: Series, day: date) -> bool:
    return bool(meeting_days(segment.rule, day, day))


def segment_event(
    segment: Series,
    listed: list[Listed],
    skips: list[SeriesSkip],
    host: str,
    now: datetime,
    tr: Translator = ENGLISH,
) -> list[Event]:
    """The segment's master VEVENT and its RECURRENCE-ID overrides (described in `tr`'s
    language); none when it has no class day at all."""
    from icalendar import Event

    rule = segment.rule
    own = [item for item in listed if _holds(segment, item.day)]
    last = rule.until
    if segment.status is SeriesStatus.ENDED:
        if not own:
            return []
        last = max(item.day for item in own)
    days = meeting_days(rule, rule.first_day, last)
    if not days:
        return []
    sequence = segment.sequence + sum(item.session.sequence for item in own)
    uid = f"series-{segment.id}@{host}"
    duration = timedelta(minutes=segment.duration_minutes)
    first = nominal_start(segment, days[0])
    until = datetime.combine(last, time.max.replace(microsecond=0), first.tzinfo)

    master = Event()
    master.add("uid", uid)
    master.add("sequence", sequence)
    master.add("dtstamp", now)
    master.add("created", segment.created_at)
    master.add("last-modified", segment.updated_at)
    master.add("dtstart", first)
    master.add("dtend", first + duration)
    rrule: dict[str, object] = {
        "freq": "weekly",
        "interval": rule.interval_weeks,
        "byday": [BYDAY[d] for d in sorted(rule.weekdays)],
        "until": until.astimezone(UTC),
        "wkst": "MO",
    }
    master.add("rrule", rrule)
    excluded = {s.day for s in skips} | {
        item.day for item in own if item.session.status is SessionStatus.CANCELED
    }
    exdates = [nominal_start(segment, day) for day in days if day in excluded]
    if exdates:
        master.add("exdate", exdates)
    _describe(master, segment.title, segment.instructor_name, segment.description, tr)
    master.add("status", "CONFIRMED")
    master.add("class", "PUBLIC" if segment.visibility is Visibility.PUBLIC else "PRIVATE")
    if segment.tags:
        master.add("categories", segment.tags)

    events = [master]
    by_day = {item.day: item.session for item in own}
    for day in days:
        if day in excluded:
            continue
        session = by_day.get(day)
        if session is not None:
            if _differs(segment, day, session):
                events.append(_override(segment, day, session.start_time, session, uid, tr))
            continue
        start = place(day, rule.local_time, rule.timezone).start
        if start != nominal_start(segment, day).astimezone(UTC):  # moved out of a DST gap
            events.append(_override(segment, day, start, None, uid, tr))
    for event in events[1:]:
        event.add("sequence", sequence)
        event.add("dtstamp", now)
    return events


def _override(
    segment: Series,
    day: date,
    start: datetime,
    session: TrainingSession | None,
    uid: str,
    tr: Translator,
) -> Event:
    """A RECURRENCE-ID override: the class of `day` as it is (listed or placed)."""
    from icalendar import Event

    zone = ZoneInfo(segment.rule.timezone)
    minutes = session.duration_minutes if session else segment.duration_minutes
    override = Event()
    override.add("uid", uid)
    override.add("recurrence-id", nominal_start(segment, day))
    override.add("dtstart", start.astimezone(zone))
    override.add("dtend", (start + timedelta(minutes=minutes)).astimezone(zone))
    if session is not None:
        override.add("last-modified", session.updated_at)
        _describe(override, session.title, session.instructor_name, session.description, tr)
    else:
        _describe(override, segment.title, segment.instructor_name, segment.description, tr)
    override.add("status", "CONFIRMED")
    return override


def _differs(segment: Series, day: date, session: TrainingSession) -> bool:
    """The occurrence is not what the rule says: moved (by an edit or out of a DST gap),
    lengthened or retitled."""
    nominal = nominal_start(segment, day).astimezone(UTC)
    return (
        session.start_time != nominal
        or session.duration_minutes != segment.duration_minutes
        or session.title != segment.title
        or session.description != segment.description
    )


def _describe(event: Event, title: str, instructor: str, description: str, tr: Translator) -> None:
    event.add("summary", title)
    text = say(t("Weekly class with {name}.", name=instructor), tr)
    if description:
        text += f"\n\n{description}"
    event.add("description", text)


def build_series_calendar(
    segments: list[Series],
    sessions: list[TrainingSession],
    skips: list[SeriesSkip],
    base_url: str,
    now: datetime,
    tr: Translator = ENGLISH,
) -> Calendar:
    """A VCALENDAR (METHOD:PUBLISH) holding the weekly class: one VEVENT per segment,
    described in `tr`'s language."""
    from icalendar import Calendar

    root_id = segments[0].root_id
    listed = [Listed(day, s) for s in sessions if (day := occurrence_day(root_id, s)) is not None]
    host = urlsplit(base_url).hostname or "dojobot"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", segments[-1].title)
    for segment in segments:
        for event in segment_event(segment, listed, skips, host, now, tr):
            calendar.add_component(event)
    first = min(s.rule.first_day for s in segments) - timedelta(days=7)
    last = max(s.rule.until for s in segments) + timedelta(days=400)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


class SeriesCalendarFile:
    """Handler of `/series/<id>.ics` (like a session's `.ics`, anyone with the id)."""

    def __init__(self, context: PageContext) -> None:
        self.context = context

    async def series_ics(self, request: web.Request) -> web.Response:
        context = self.context
        tr = context.reader(request)
        try:
            segments, sessions, skips = await context.service.series_history(
                request.match_info["series_id"]
            )
        except NotFound:
            return not_found_page(tr, context.branding)
        base_url = context.base_url().rstrip("/")
        now = context.clock.now()
        calendar = build_series_calendar(segments, sessions, skips, base_url, now, tr)
        return ics_response(calendar, f"dojobot-class-{segments[0].root_id}.ics")
