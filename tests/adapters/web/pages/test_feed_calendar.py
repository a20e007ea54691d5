"""Personal calendar feeds, `/calendar/feed/<token>.ics`, through the real aiohttp server,
parsed back with icalendar: the member's sessions (going, waitlisted, teaching; upcoming and
the last 30 days; canceled ones CANCELLED with their SEQUENCE) at the public base URL, kept
by no cache; an unknown, malformed, replaced or revoked token gets one bare 404; the token
stays out of every log line, even of a failure."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from aiohttp.test_utils import make_mocked_request
from icalendar import Calendar, Component

from adapters.web.failures import loggable_path
from adapters.web.pages import WebPages
from adapters.web.served_links import ServedJoinLinks
from adapters.web.server import WebServer
from adapters.web.settings import WebSettings
from bot.log_redaction import Redactor
from core.model import Member, Role, SessionFilter
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.adapters.web.pages.conftest import ANA, PUBLIC_URL, SENSEI, Site

BEN = Member(id="slack:T0001:U0BEN", display_name="Ben Baker", role=Role.MEMBER)


async def issue(site: Site, member: Member) -> str:
    """The feed path `/calendar-feed` gives `member` (its URL checked)."""
    reply = await site.service.calendar_feed(member)
    [url] = [str(line).split(": ", 1)[1] for line in reply.lines if "/calendar/feed/" in line]
    assert url.startswith(f"{PUBLIC_URL}/calendar/feed/") and url.endswith(".ics")
    return url.removeprefix(PUBLIC_URL)


async def summaries(site: Site, path: str) -> dict[str, Component]:
    response = await site.client.get(path)
    assert response.status == 200, path
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    calendar = Calendar.from_ical(await response.read())
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


async def test_the_feed_lists_the_members_sessions_of_the_last_30_days_and_upcoming(
    site: Site,
) -> None:
    long_ago = await site.schedule(in_=timedelta(days=1), title="Long ago")
    recent = await site.schedule(in_=timedelta(days=20), title="Recent", capacity=1)
    coming = await site.schedule(in_=timedelta(days=50), title="Coming", capacity=1)
    left = await site.schedule(in_=timedelta(days=50), title="Left")
    bens = await site.schedule(in_=timedelta(days=50), title="Ben's only")
    for session in (long_ago, recent, coming, left):
        await site.service.rsvp(ANA, session.id)
    await site.service.rsvp(BEN, coming.id)  # waitlisted behind Ana
    await site.service.rsvp(BEN, bens.id)
    await site.service.unrsvp(ANA, left.id)
    await site.service.rsvp(BEN, recent.id)  # Ben waitlisted for Recent
    await site.service.cancel(SENSEI, coming.id, "flood")
    canceled = await site.service.get(coming.id)
    site.clock.advance(timedelta(days=45))  # Long ago: 44 days ago; Recent: 25 days ago

    ana = await summaries(site, await issue(site, ANA))
    assert set(ana) == {"Recent", "Coming"}
    assert ana["Coming"]["STATUS"] == "CANCELLED"
    assert ana["Coming"]["SEQUENCE"] == canceled.sequence > 0
    assert ana["Recent"]["STATUS"] == "CONFIRMED"
    assert str(ana["Recent"]["URL"]) == f"{PUBLIC_URL}/sessions/{recent.id}"
    ben = await summaries(site, await issue(site, BEN))
    assert set(ben) == {"Recent", "Coming", "Ben's only"}  # waitlisted ones too
    sensei = await summaries(site, await issue(site, SENSEI))
    assert set(sensei) == {"Recent", "Coming", "Left", "Ben's only"}  # the ones he teaches


async def test_unknown_malformed_replaced_and_revoked_tokens_get_the_same_bare_404(
    site: Site,
) -> None:
    await site.schedule(title="Kata")
    first = await issue(site, ANA)
    second = await issue(site, ANA)  # a new link: the first stops working
    assert first != second
    revoked = await issue(site, BEN)
    await site.service.revoke_calendar_feed(BEN)
    answers = []
    for path in (first, revoked, "/calendar/feed/" + "a" * 64 + ".ics", "/calendar/feed/x.ics"):
        response = await site.client.get(path)
        assert response.status == 404, path
        assert response.headers["Cache-Control"] == "private, no-store"
        assert not response.headers["Content-Type"].startswith("text/calendar")
        answers.append(await response.text())
    assert len(set(answers)) == 1 and "revoked" not in answers[0].lower()
    assert (await site.client.get(second)).status == 200
    not_routed = await site.client.get("/calendar/feed/" + "A" * 200 + ".ics")
    assert not_routed.status == 404


async def test_a_feed_link_needs_the_served_pages(site: Site) -> None:
    await site.pages.stop()  # the pages stop serving: no feed link is handed out
    with pytest.raises(Exception, match="web pages"):
        await site.service.calendar_feed(ANA)


def test_a_feeds_token_never_reaches_a_log_line() -> None:
    token = "Zq3" * 14 + "x"
    request = make_mocked_request("GET", f"/calendar/feed/{token}.ics")
    assert loggable_path(request) == "/calendar/feed/[redacted]"
    line = f"GET https://dojo.example/calendar/feed/{token}.ics 200"
    assert token not in Redactor()(line)
    assert token not in Redactor()(line.replace("/", "\\/"))


async def test_a_failed_feed_read_logs_no_token(caplog: pytest.LogCaptureFixture) -> None:
    """On the real server (its error boundary logs the failure with the path)."""
    store = InMemorySessionStore()
    settings = WebSettings(port=0)
    links = ServedJoinLinks(settings, b"k" * 32)
    service = SessionService(
        store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(), feed_links=links
    )
    pages = WebPages(
        service,
        FakeClock(),
        settings,
        links,
        default_timezone="UTC",
        store_ping=lambda: store.count_sessions(SessionFilter(limit=1)),
        scheduler_running=lambda: True,
    )
    server = WebServer("127.0.0.1", 0)
    server.mount(pages.mount)
    await server.start()
    try:
        await pages.start()
        url = (await service.calendar_feed(ANA)).lines[0].split(": ", 1)[1]
        token = url.rsplit("/", 1)[1].removesuffix(".ics")

        async def broken(_hash: str) -> str | None:
            raise ConnectionError("database gone")

        store.member_of_feed = broken  # type: ignore[method-assign,assignment]
        with caplog.at_level(logging.DEBUG):
            async with httpx.AsyncClient() as client:
                response = await client.get(url.replace(PUBLIC_URL, server.base_url))
        assert response.status_code == 500
        served = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
        assert any("/calendar/feed/[redacted]" in r.getMessage() for r in served)
        assert not [r for r in served if token in r.getMessage() or token in str(r.exc_text)]
    finally:
        await pages.stop()
        await server.stop()
