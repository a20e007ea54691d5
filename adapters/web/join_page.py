"""`/join/<token>`: a member's personal join link, checked at click time.

The token (a signed `JoinPass`) names the member and the session. A forged, damaged or
expired token gets a 403 page that shows nothing of the session. Otherwise the service
checks the rules now: allowed → Jitsi-like providers get a redirect to the member's room URL
(their JWT inside, as configured), RealtimeKit gets a page running its UI kit with the
member's participant token; refused → a page that says why, with a live countdown when it is
only too early. Pages are in the member's profile language (else the browser's, else the
association default); a link that can't be trusted gets the browser's language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from adapters.web.branding import DEFAULT_BRANDING, Branding
from adapters.web.context import PageContext
from adapters.web.countdown import unit_attrs
from adapters.web.html import Html, harden, html_response, page, render, sentence
from adapters.web.session_state import iso
from adapters.web.words import say, t
from core.errors import DojoError, NotFound, PermissionDenied, RoomUnavailable
from core.i18n import ENGLISH, Translator
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
<p><a href="/sessions/$id">$about</a></p>
"""

COUNTDOWN = """<p id="countdown" class="countdown" data-countdown-field="join_opens_at"
 data-countdown-to="$opens_iso" data-template="$opens_in" data-done-text="$open_now">$opens_at</p>
<p id="retry" data-show-from="$opens_iso" data-show-until="$end_iso" hidden>
<a class="button" id="join" href="$href">$join_now</a></p>
"""

OPENS_IN = t("Opens in {left}", left="{left}")

MEETING = """<rtk-meeting id="meeting" mode="fill" show-setup-screen="true"
 data-auth-token="$token" data-ui-url="$ui_url"></rtk-meeting>
<p id="rtk-error" hidden>$error</p>
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

    async def join(self, request: web.Request) -> web.StreamResponse:
        service = self.context.service
        try:
            join_pass = self.links.verify(request.match_info["token"], self.context.clock.now())
        except InvalidJoinPass as error:
            tr = self.context.reader(request)
            return _message_page(t("Can't open this link"), error, 403, tr, self.context.branding)
        member = join_pass.member
        try:
            link = await service.open_room(member, join_pass.session_id)
        except NotFound as error:
            tr = await self._reader(request, join_pass)
            return _message_page(t("No such session"), error, 404, tr, self.context.branding)
        except DojoError as error:
            return await self._refused(request, join_pass, error)
        if link.auth_token:
            return self._meeting_page(link, await self._reader(request, join_pass))
        response = web.Response(status=302, headers={"Location": link.url})
        harden(response, self.context.branding.csp())
        return response

    async def _reader(self, request: web.Request, join_pass: JoinPass) -> Translator:
        """The member's language (their profile's), else the browser's, else the default."""
        try:
            locale = (await self.context.service.profile(join_pass.member)).locale
        except DojoError:  # no profile (yet, or forgotten): the browser decides
            locale = None
        return self.context.reader(request, locale)

    async def _refused(
        self, request: web.Request, join_pass: JoinPass, error: DojoError
    ) -> web.Response:
        """Why the member can't enter now; the countdown when it is only too early."""
        tr = await self._reader(request, join_pass)
        brand = self.context.branding
        try:
            session, decision = await self.context.service.can_join(
                join_pass.member, join_pass.session_id
            )
        except DojoError:
            return _message_page(t("Can't join"), error, _status(error), tr, brand)
        if decision.allowed:  # the refusal came from the room provider, not the rules
            return _message_page(session.title, error, _status(error), tr, brand)
        reason = say(refusal_text(session, decision, join_pass.member), tr)
        body = _refusal_body(session, decision, reason, request.path, tr)
        now = self.context.clock.now()
        markup = page(
            session.title,
            body,
            body_attrs={
                "data-server-now": iso(now),
                "data-status-url": f"/sessions/{session.id}/status.json",
                "data-poll-ms": str(int(self.context.settings.status_poll_seconds * 1000)),
                **unit_attrs(tr),
            },
            scripts=["/assets/page.js"],
            lang=tr.locale,
            brand=brand,
        )
        status = STATUS_OF_REFUSAL.get(decision.reason, 409) if decision.reason else 409
        return html_response(markup, status, brand.csp())

    def _meeting_page(self, link: RoomLink, tr: Translator) -> web.Response:
        settings = self.context.settings
        error = t("The video room could not be loaded. Reload the page to try again.")
        markup = page(
            say(t("Video room"), tr),
            render(
                MEETING,
                token=link.auth_token,
                ui_url=settings.realtimekit_ui_url,
                error=say(error, tr),
            ),
            body_attrs={"class": "meeting"},
            scripts=[settings.realtimekit_core_url, "/assets/rtk-join.js"],
            lang=tr.locale,
            brand=self.context.branding,
        )
        csp = meeting_csp(settings.realtimekit_core_url, settings.realtimekit_ui_url)
        return html_response(markup, 200, csp)


def _refusal_body(
    session: TrainingSession,
    decision: JoinDecision,
    reason: str,
    path: str,
    tr: Translator = ENGLISH,
) -> Html:
    countdown = Html("")
    hint = t("This link is yours only; don't share it.")
    if decision.reason is JoinRefusal.TOO_EARLY and decision.opens_at is not None:
        opens_iso = iso(decision.opens_at)
        time = render('<time data-local\n datetime="$iso">$iso</time>', iso=opens_iso)
        countdown = render(
            COUNTDOWN,
            opens_iso=opens_iso,
            end_iso=iso(session.end_time),
            href=path,
            opens_in=say(OPENS_IN, tr),
            open_now=say(t("Open now"), tr),
            opens_at=sentence(t("Opens at {time}", time=opens_iso), tr, time=time),
            join_now=say(t("Join now"), tr),
        )
        hint = t("Keep this page open: a Join button appears when the room opens.")
    return render(
        REFUSED,
        title=session.title,
        reason=reason,
        countdown=countdown,
        hint=say(hint, tr),
        id=session.id,
        about=say(t("About this session"), tr),
    )


def _status(error: DojoError) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, RoomUnavailable):
        return 503
    return 409


def _message_page(
    title: str,
    error: DojoError,
    status: int,
    tr: Translator,
    brand: Branding = DEFAULT_BRANDING,
) -> web.Response:
    """A page saying why, in `tr`'s language (`title` a text of ours or a session's title)."""
    message, hint = error.message, error.hint or ""
    title = say(title, tr)
    body = render(
        '<h1>$title</h1>\n<p class="reason" id="reason">$message</p>\n<p class="muted">$hint</p>',
        title=title,
        message=say(message, tr),
        hint=say(hint, tr),
    )
    return html_response(page(title, body, lang=tr.locale, brand=brand), status, brand.csp())
