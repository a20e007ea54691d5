"""A member's personal calendar feed, `/calendar/feed/<token>.ics` (RFC 5545).

The token in the path is the secret: the service answers with the member's sessions
(`SessionService.feed_sessions`) or None for an unknown or revoked token, which gets the
same bare 404 whatever the reason. The calendar is built by `adapters.web.calendar`
(the same VEVENTs as every other calendar file: stable UIDs, SEQUENCE, canceled sessions
as STATUS:CANCELLED), and never cached by anyone in between (`private, no-store`).
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.calendar import build_calendar, ics_response
from adapters.web.context import PageContext
from adapters.web.words import say, t

PRIVATE = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
"""Headers of every answer of the route: a secret URL's answer is kept by nobody."""


class PersonalFeed:
    """Handler of `/calendar/feed/<token>.ics`."""

    def __init__(self, context: PageContext) -> None:
        self.context = context

    async def feed(self, request: web.Request) -> web.Response:
        """The member's sessions as a calendar, or a 404 that says nothing of why."""
        context = self.context
        tr = context.reader(request)
        sessions = await context.service.feed_sessions(request.match_info["token"])
        if sessions is None:
            return web.Response(
                status=404,
                text=say(t("No such calendar feed."), tr),
                headers={**PRIVATE, "X-Content-Type-Options": "nosniff"},
            )
        name = say(t("My dojobot sessions"), tr)
        base_url = context.base_url().rstrip("/")
        calendar = build_calendar(sessions, base_url, context.clock.now(), name, tr)
        response = ics_response(calendar, "dojobot-my-sessions.ics")
        response.headers.update(PRIVATE)
        return response
