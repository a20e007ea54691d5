"""Calendar files (RFC 5545, built with `icalendar`): one session, and a feed of public ones.

Times are written in UTC (`DTSTART:20261201T180000Z`), the unambiguous RFC 5545 form every
calendar shows in its reader's own zone; sessions keep no zone of their own to name.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from adapters.web.context import PageContext
from adapters.web.session_pages import not_found_page
from adapters.web.words import say, t
from core.errors import NotFound
from core.i18n import ENGLISH, Translator
from core.model import SessionStatus, TrainingSession, Visibility

if TYPE_CHECKING:  # icalendar is imported at the first calendar file, not at start-up
    from icalendar import Calendar, Event

PRODID = "-//dojobot//training sessions//EN"
FEED_LIMIT = 500
ICS_STATUS = {
    SessionStatus.SCHEDULED: "CONFIRMED",
    SessionStatus.LIVE: "CONFIRMED",
    SessionStatus.ENDED: "CONFIRMED",
    SessionStatus.CANCELED: "CANCELLED",
    SessionStatus.NOT_HELD: "CANCELLED",
}


def session_event(
    session: TrainingSession, base_url: str, now: datetime, tr: Translator = ENGLISH
) -> Event:
    """The session as a VEVENT: stable UID, UTC times, link to its public page; its
    description in `tr`'s language.

    SEQUENCE is the session's revision, so calendars replace the copy they hold (same UID)
    with a changed, moved or canceled session instead of keeping the old one."""
    page = f"{base_url}/sessions/{session.id}"
    from icalendar import Event

    host = urlsplit(base_url).hostname or "dojobot"
    event = Event()
    event.add("uid", f"{session.id}@{host}")
    event.add("sequence", session.sequence)
    event.add("dtstamp", now)
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    event.add("dtstart", session.start_time)
    event.add("dtend", session.end_time)
    event.add("summary", session.title)
    description = say(t("With {name}.", name=session.instructor_name), tr) + "\n"
    if session.description:
        description += f"\n{session.description}\n"
    description += "\n" + say(t("Details and joining: {url}", url=page), tr)
    event.add("description", description)
    event.add("location", page)
    event.add("url", page)
    event.add("status", ICS_STATUS[session.status])
    event.add("class", "PUBLIC" if session.visibility is Visibility.PUBLIC else "PRIVATE")
    if session.tags:
        event.add("categories", session.tags)
    return event


def build_calendar(
    sessions: list[TrainingSession],
    base_url: str,
    now: datetime,
    name: str,
    tr: Translator = ENGLISH,
) -> Calendar:
    """A VCALENDAR (METHOD:PUBLISH) holding `sessions`, described in `tr`'s language."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session, base_url, now, tr))
    return calendar


def ics_response(calendar: Calendar, filename: str) -> web.Response:
    response = web.Response(
        body=calendar.to_ical(),
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )
    return response


class CalendarFiles:
    """Handlers of `/sessions/<id>.ics` and `/calendar.ics`."""

    def __init__(self, context: PageContext) -> None:
        self.context = context

    async def session_ics(self, request: web.Request) -> web.Response:
        context = self.context
        tr = context.reader(request)
        try:
            session = await context.service.get(request.match_info["session_id"])
        except NotFound:
            return not_found_page(tr, context.branding)
        calendar = build_calendar(
            [session], context.base_url().rstrip("/"), context.clock.now(), session.title, tr
        )
        return ics_response(calendar, f"dojobot-{session.id}.ics")

    async def feed(self, request: web.Request) -> web.Response:
        """Upcoming public sessions (scheduled or live), soonest first."""
        context = self.context
        tr = context.reader(request)
        public = await context.service.public_feed(FEED_LIMIT)
        name = say(t("dojobot sessions"), tr)
        calendar = build_calendar(
            public, context.base_url().rstrip("/"), context.clock.now(), name, tr
        )
        return ics_response(calendar, "dojobot.ics")
