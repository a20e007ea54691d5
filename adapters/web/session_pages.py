"""The public session page `/sessions/<id>` and its live status `/sessions/<id>/status.json`.

Public means: title, instructor, time, status, seat counts, recording flag, never who is
going. The page counts down on the service's clock and shows its Join button from 10 minutes
before the start without a reload (see assets/page.js).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from adapters.web.branding import DEFAULT_BRANDING, Branding
from adapters.web.context import PageContext
from adapters.web.countdown import span, unit_attrs
from adapters.web.html import EMPTY, Html, html_response, page, render
from adapters.web.platform_links import join_place
from adapters.web.session_state import STATUS_LABELS, iso, join_open, public_status
from adapters.web.words import say, t
from core.errors import NotFound
from core.i18n import ENGLISH, Message, Translator
from core.model import SessionStatus, TrainingSession, Visibility
from core.rules import FINISHED
from core.views import SessionView

BODY = """<h1>$title</h1>
<p>$with_instructor · <span id="status" class="badge" data-status="$status">$status_label</span>
<span id="recording" class="badge"$recording_hidden>● $recorded</span>$members_only</p>
<p><time data-local datetime="$start_iso">$start_text</time> · $duration</p>
<p id="countdown" class="countdown" data-countdown-to="$start_iso" data-template="$starts_in"
 data-done-text="$starting_now"$countdown_hidden>$countdown</p>
<p id="seats">$seats</p>
<div id="join-box" data-show-from="$opens_iso" data-show-until="$end_iso"
 data-open="$open"$join_hidden>
$join_button
<p id="join-how"$how_class>$how</p>
</div>
<p class="description">$description</p>
<p><a href="/sessions/$id.ics">$add_to_calendar</a> ·
<a href="/calendar.ics">$all_sessions</a>$series_calendar</p>
"""

STARTS_IN = t("Starts in {left}", left="{left}")
STARTING_NOW = t("Starting now")


def countdown_text(left: timedelta) -> Message:
    """The server-rendered countdown (for readers without JavaScript)."""
    if left <= timedelta():
        return STARTING_NOW
    return t("Starts in {left}", left=span(left))


def session_body(view: SessionView, now: datetime, timezone: str, tr: Translator = ENGLISH) -> Html:
    """The page body: everything public about the session, nothing about its members, in
    `tr`'s language (what members typed stays as typed, escaped)."""
    s = view.session
    place = join_place(s.origin, s.id)
    button = (
        render(
            '<p><a id="join" class="button" href="$url" rel="noreferrer">$label</a></p>',
            url=place.url,
            label=say(place.label, tr),
        )
        if place.url and place.label
        else EMPTY
    )
    is_open = join_open(s, now)
    finished = s.status in FINISHED
    hidden = Html(" hidden")
    members_only = render(" · $text", text=say(t("members only"), tr))
    return render(
        BODY,
        id=s.id,
        title=s.title,
        with_instructor=say(t("with {name}", name=s.instructor_name), tr),
        status=s.status.value,
        status_label=say(STATUS_LABELS[s.status], tr),
        recording_hidden="" if s.recording_enabled else hidden,
        recorded=say(t("Recorded"), tr),
        members_only=members_only if s.visibility is Visibility.MEMBERS_ONLY else "",
        start_iso=iso(s.start_time),
        start_text=tr.when(s.start_time, timezone),
        duration=tr.duration(timedelta(minutes=s.duration_minutes)),
        starts_in=say(STARTS_IN, tr),
        starting_now=say(STARTING_NOW, tr),
        countdown=say(countdown_text(s.start_time - now), tr),
        countdown_hidden="" if s.status is SessionStatus.SCHEDULED else hidden,
        seats=say(view.seats_text, tr),
        opens_iso=iso(s.join_opens_at),
        end_iso=iso(s.end_time),
        open="closed" if finished else str(is_open).lower(),
        join_hidden="" if is_open else hidden,
        join_button=button,
        how=say(place.how, tr),
        how_class=Html(' class="muted"') if button else EMPTY,
        description=s.description,
        add_to_calendar=say(t("Add to your calendar"), tr),
        all_sessions=say(t("Calendar of all public sessions"), tr),
        series_calendar=_series_calendar_link(s, tr),
    )


def _series_calendar_link(session: TrainingSession, tr: Translator) -> Html:
    """A link to the weekly class's calendar file, for an occurrence of one."""
    if session.series_id is None:
        return EMPTY
    return render(
        ' · <a href="/series/$series_id.ics">$text</a>',
        series_id=session.series_id,
        text=say(t("Every class of this weekly class"), tr),
    )


class SessionPages:
    """Handlers of the public session page and its status endpoint."""

    def __init__(self, context: PageContext) -> None:
        self.context = context

    async def session_page(self, request: web.Request) -> web.Response:
        context = self.context
        view = await self._view(request)
        tr = context.reader(request)
        if view is None:
            return not_found_page(tr, context.branding)
        now = context.clock.now()
        session = view.session
        markup = page(
            session.title,
            session_body(view, now, context.default_timezone, tr),
            body_attrs={
                "data-server-now": iso(now),
                "data-status-url": f"/sessions/{session.id}/status.json",
                "data-poll-ms": str(int(context.settings.status_poll_seconds * 1000)),
                **unit_attrs(tr),
            },
            scripts=["/assets/page.js"],
            head=_description_meta(session),
            lang=tr.locale,
            brand=context.branding,
        )
        return html_response(markup, csp=context.branding.csp())

    async def status_json(self, request: web.Request) -> web.Response:
        view = await self._view(request)
        if view is None:
            response = web.json_response({"error": "not_found"}, status=404)
        else:
            tr = self.context.reader(request)
            response = web.json_response(public_status(view, self.context.clock.now(), tr))
            response.headers["Content-Language"] = tr.locale
            response.headers["Vary"] = "Accept-Language"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def _view(self, request: web.Request) -> SessionView | None:
        try:
            return await self.context.service.view(request.match_info["session_id"])
        except NotFound:
            return None


def not_found_page(tr: Translator = ENGLISH, brand: Branding = DEFAULT_BRANDING) -> web.Response:
    """The 404 page of a session (or weekly class) that isn't there, in `tr`'s language."""
    title = say(t("No such session"), tr)
    text = t(
        "This session doesn't exist (any more). "
        "List upcoming sessions with /sessions in Slack, Discord or the terminal."
    )
    body = render("<h1>$title</h1>\n<p>$text</p>", title=title, text=say(text, tr))
    markup = page(title, body, lang=tr.locale, brand=brand)
    return html_response(markup, status=404, csp=brand.csp())


def _description_meta(session: TrainingSession) -> Html:
    return render('<meta name="description" content="$text">', text=session.description[:200])
