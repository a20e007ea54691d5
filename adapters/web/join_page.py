"""`/join/<token>`: a member's personal join link, checked at click time.

The token (a signed `JoinPass`) names the member and the session. A forged, damaged or
expired token gets a 403 page that shows nothing of the session. Otherwise the service
checks the rules now: allowed → Jitsi-like providers get a redirect to the member's room URL
(their JWT inside, as configured), RealtimeKit gets a page running its UI kit with the
member's participant token; refused → a page that says why, with a live countdown when it is
only too early.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from adapters.web.context import PageContext
from adapters.web.html import PAGE_CSP, Html, harden, html_response, page, render
from adapters.web.session_state import iso
from core.errors import DojoError, NotFound, PermissionDenied, RoomUnavailable
from core.join_pass import InvalidJoinPass, JoinPass, SignedJoinLinks
from core.joining import refusal_text
from core.model import RoomLink, TrainingSession
from core.rules import JoinDecision, JoinRefusal

STATUS_OF_REFUSAL = {
    JoinRefusal.MEMBERS_ONLY: 403,
    JoinRefusal.NO_ROOM: 503,
}
"""Other refusals (too early, ended, canceled, full) are state conflicts: 409."""

REFUSED = """<h1>$title</h1>
<p class="reason" id="reason">$reason</p>
$countdown
<p class="muted">$hint</p>
<p><a href="/sessions/$id">About this session</a></p>
"""

COUNTDOWN = """<p id="countdown" class="countdown" data-countdown-to="$opens_iso"
 data-prefix="Opens in " data-done-text="Open now">Opens at <time data-local
 datetime="$opens_iso">$opens_iso</time></p>
<p id="retry" data-show-from="$opens_iso" data-show-until="$end_iso" hidden>
<a class="button" id="join" href="$href">Join now</a></p>
"""

MEETING = """<rtk-meeting id="meeting" mode="fill" show-setup-screen="true"
 data-auth-token="$token" data-ui-url="$ui_url"></rtk-meeting>
<p id="rtk-error" hidden>The video room could not be loaded. Reload the page to try again.</p>
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def meeting_csp(core_url: str, ui_url: str) -> str:
    """The RealtimeKit page may load the kit from its CDN and talk to RealtimeKit; still no
    framing, no plug-ins, no foreign forms."""
    cdn = " ".join(sorted({_origin(core_url), _origin(ui_url)}))
    return (
        f"default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {cdn}; "
        f"style-src 'self' 'unsafe-inline' {cdn}; font-src 'self' data: https:; "
        "img-src 'self' data: blob: https:; media-src 'self' blob: mediastream:; "
        "connect-src 'self' https: wss:; worker-src 'self' blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class JoinPage:
    """Handler of `/join/<token>`."""

    def __init__(self, context: PageContext, links: SignedJoinLinks) -> None:
        self.context = context
        self.links = links

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/join/{token}", self.join)

    async def join(self, request: web.Request) -> web.StreamResponse:
        service = self.context.service
        try:
            join_pass = self.links.verify(request.match_info["token"], self.context.clock.now())
        except InvalidJoinPass as error:
            return _message_page("Can't open this link", error, 403)
        member = join_pass.member
        try:
            link = await service.open_room(member, join_pass.session_id)
        except NotFound as error:
            return _message_page("No such session", error, 404)
        except DojoError as error:
            return await self._refused(request, join_pass, error)
        if link.auth_token:
            return self._meeting_page(link)
        response = web.Response(status=302, headers={"Location": link.url})
        harden(response, PAGE_CSP)
        return response

    async def _refused(
        self, request: web.Request, join_pass: JoinPass, error: DojoError
    ) -> web.Response:
        """Why the member can't enter now; the countdown when it is only too early."""
        try:
            session, decision = await self.context.service.can_join(
                join_pass.member, join_pass.session_id
            )
        except DojoError:
            return _message_page("Can't join", error, _status(error))
        if decision.allowed:  # the refusal came from the room provider, not the rules
            return _message_page(session.title, error, _status(error))
        body = _refusal_body(
            session, decision, refusal_text(session, decision, join_pass.member), request.path
        )
        now = self.context.clock.now()
        markup = page(
            session.title,
            body,
            body_attrs={
                "data-server-now": iso(now),
                "data-status-url": f"/sessions/{session.id}/status.json",
                "data-poll-ms": str(int(self.context.settings.status_poll_seconds * 1000)),
            },
            scripts=["/assets/page.js"],
        )
        status = STATUS_OF_REFUSAL.get(decision.reason, 409) if decision.reason else 409
        return html_response(markup, status)

    def _meeting_page(self, link: RoomLink) -> web.Response:
        settings = self.context.settings
        markup = page(
            "Video room",
            render(MEETING, token=link.auth_token, ui_url=settings.realtimekit_ui_url),
            body_attrs={"class": "meeting"},
            scripts=[settings.realtimekit_core_url, "/assets/rtk-join.js"],
        )
        csp = meeting_csp(settings.realtimekit_core_url, settings.realtimekit_ui_url)
        return html_response(markup, 200, csp)


def _refusal_body(session: TrainingSession, decision: JoinDecision, reason: str, path: str) -> Html:
    countdown = Html("")
    hint = "This link is yours only; don't share it."
    if decision.reason is JoinRefusal.TOO_EARLY and decision.opens_at is not None:
        countdown = render(
            COUNTDOWN, opens_iso=iso(decision.opens_at), end_iso=iso(session.end_time), href=path
        )
        hint = "Keep this page open: a Join button appears when the room opens."
    return render(
        REFUSED, title=session.title, reason=reason, countdown=countdown, hint=hint, id=session.id
    )


def _status(error: DojoError) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, RoomUnavailable):
        return 503
    return 409


def _message_page(title: str, error: DojoError, status: int) -> web.Response:
    body = render(
        '<h1>$title</h1>\n<p class="reason" id="reason">$message</p>\n<p class="muted">$hint</p>',
        title=title,
        message=error.message,
        hint=error.hint or "",
    )
    return html_response(page(title, body), status)
