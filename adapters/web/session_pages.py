"""The public session page `/sessions/<id>` and its live status `/sessions/<id>/status.json`.

Public means: title, instructor, time, status, seat counts, recording flag, never who is
going. The page counts down on the service's clock and shows its Join button from 10 minutes
before the start without a reload (see assets/page.js).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from adapters.web.context import PageContext
from adapters.web.html import EMPTY, Html, html_response, page, render
from adapters.web.platform_links import join_place
from adapters.web.session_state import STATUS_LABELS, iso, join_open, public_status
from core.errors import NotFound
from core.model import SessionStatus, TrainingSession, Visibility
from core.rules import FINISHED
from core.timeparse import format_duration, format_when
from core.views import SessionView

SESSION_ID = r"{session_id:[A-Za-z0-9_-]{1,64}}"

BODY = """<h1>$title</h1>
<p>with $instructor · <span id="status" class="badge" data-status="$status">$status_label</span>
<span id="recording" class="badge"$recording_hidden>● Recorded</span>$members_only</p>
<p><time data-local datetime="$start_iso">$start_text</time> · $duration</p>
<p id="countdown" class="countdown" data-countdown-to="$start_iso" data-prefix="Starts in "
 data-done-text="Starting now"$countdown_hidden>$countdown</p>
<p id="seats">$seats</p>
<div id="join-box" data-show-from="$opens_iso" data-show-until="$end_iso"
 data-open="$open"$join_hidden>
$join_button
<p class="muted">$how</p>
</div>
<p class="description">$description</p>
<p><a href="/sessions/$id.ics">Add to your calendar</a> ·
<a href="/calendar.ics">Calendar of all public sessions</a>$series_calendar</p>
"""


def countdown_text(left: timedelta) -> str:
    """The server-rendered countdown (for readers without JavaScript)."""
    if left <= timedelta():
        return "Starting now"
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if days or hours else [])
    return "Starts in " + " ".join([*parts, f"{mins} min"])


def session_body(view: SessionView, now: datetime, timezone: str) -> Html:
    """The page body: everything public about the session, nothing about its members."""
    s = view.session
    place = join_place(s.origin, s.id)
    button = (
        render(
            '<a id="join" class="button" href="$url" rel="noreferrer">$label</a>',
            url=place.url,
            label=place.label,
        )
        if place.url
        else render('<span id="join" class="button">$label</span>', label=place.label)
    )
    is_open = join_open(s, now)
    finished = s.status in FINISHED
    hidden = Html(" hidden")
    return render(
        BODY,
        id=s.id,
        title=s.title,
        instructor=s.instructor_name,
        status=s.status.value,
        status_label=STATUS_LABELS[s.status],
        recording_hidden="" if s.recording_enabled else hidden,
        members_only=Html(" · members only") if s.visibility is Visibility.MEMBERS_ONLY else "",
        start_iso=iso(s.start_time),
        start_text=format_when(s.start_time, timezone),
        duration=format_duration(timedelta(minutes=s.duration_minutes)),
        countdown=countdown_text(s.start_time - now),
        countdown_hidden="" if s.status is SessionStatus.SCHEDULED else hidden,
        seats=view.seats_text,
        opens_iso=iso(s.join_opens_at),
        end_iso=iso(s.end_time),
        open="closed" if finished else str(is_open).lower(),
        join_hidden="" if is_open else hidden,
        join_button=button,
        how=place.how,
        description=s.description,
        series_calendar=_series_calendar_link(s),
    )


def _series_calendar_link(session: TrainingSession) -> Html:
    """A link to the weekly class's calendar file, for an occurrence of one."""
    if session.series_id is None:
        return EMPTY
    return render(
        ' · <a href="/series/$series_id.ics">Every class of this weekly class</a>',
        series_id=session.series_id,
    )


class SessionPages:
    """Handlers of the public session page and its status endpoint."""

    def __init__(self, context: PageContext) -> None:
        self.context = context

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(f"/sessions/{SESSION_ID}/status.json", self.status_json)
        app.router.add_get(f"/sessions/{SESSION_ID}", self.session_page)

    async def session_page(self, request: web.Request) -> web.Response:
        context = self.context
        view = await self._view(request)
        if view is None:
            return not_found_page()
        now = context.clock.now()
        session = view.session
        markup = page(
            session.title,
            session_body(view, now, context.default_timezone),
            body_attrs={
                "data-server-now": iso(now),
                "data-status-url": f"/sessions/{session.id}/status.json",
                "data-poll-ms": str(int(context.settings.status_poll_seconds * 1000)),
            },
            scripts=["/assets/page.js"],
            head=_description_meta(session),
        )
        return html_response(markup)

    async def status_json(self, request: web.Request) -> web.Response:
        view = await self._view(request)
        if view is None:
            response = web.json_response({"error": "not_found"}, status=404)
        else:
            response = web.json_response(public_status(view, self.context.clock.now()))
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def _view(self, request: web.Request) -> SessionView | None:
        try:
            return await self.context.service.view(request.match_info["session_id"])
        except NotFound:
            return None


def not_found_page() -> web.Response:
    body = Html(
        "<h1>No such session</h1>\n<p>This session doesn't exist (any more). "
        "List upcoming sessions with /sessions in Slack, Discord or the terminal.</p>"
    )
    return html_response(page("No such session", body), status=404)


def _description_meta(session: TrainingSession) -> Html:
    return render('<meta name="description" content="$text">', text=session.description[:200])
