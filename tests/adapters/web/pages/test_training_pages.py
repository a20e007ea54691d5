"""The training pages through the real aiohttp server: personal links from the commands
open the member's page, the class page and the overview with their SVG charts (each with a
text alternative); forged links are 404, expired ones and pages the viewer may not see 403;
the strict CSP stays on the pages, the charts carry their own."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.i18n import BabelLanguages
from adapters.web.html import PAGE_CSP
from adapters.web.pages import WebPages
from adapters.web.served_links import ServedJoinLinks
from adapters.web.settings import WebSettings
from adapters.web.training_pages import SVG_CSP
from adapters.web.training_views import render_class_page, render_member_page
from core.model import Member, Origin, Role, SessionFilter
from core.page_pass import PageKind, issue_page_pass, sign_page_pass
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry, LedgerQuery
from tests.training_scene import WEEKS, Scene, seed_training

SECRET = b"p" * 32
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ORIGIN = Origin(platform="slack", workspace_id="T0001", channel_id="C0DOJO")
SENSEI = Member(id="slack:T0001:U0SENSEI", display_name="Sensei Sato", role=Role.INSTRUCTOR)
BOSS = Member(id="slack:T0001:U0BOSS", display_name="Boss", role=Role.ADMIN)
ANA = Member(id="slack:T0001:U0ANA", display_name="Ana Aoki")
BEN = Member(id="slack:T0001:U0BEN", display_name="Ben Berg")


class CountingStore(InMemorySessionStore):
    """Counts the ledger reads the pages make."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger_reads = 0

    def read_ledger(self, query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        self.ledger_reads += 1
        return super().read_ledger(query, batch)


@dataclass
class Site:
    clock: FakeClock
    service: SessionService
    client: TestClient  # type: ignore[type-arg]
    scene: Scene
    store: CountingStore

    async def link(self, actor: Member, kind: PageKind, subject: str | None) -> str:
        """The path of `actor`'s link, as the command's button carries it."""
        outcome = await self.service.page_link(actor, kind, subject)
        url = outcome.buttons[0].url
        assert url is not None and url.startswith("https://dojo.example/record/")
        return url.removeprefix("https://dojo.example")


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    clock = FakeClock(NOW)
    store = CountingStore()
    settings = WebSettings(public_url="https://dojo.example", port=0)
    links = ServedJoinLinks(settings, SECRET)
    service = SessionService(
        store,
        InMemoryVideoRooms(),
        RecordingChatDelivery(),
        clock,
        join_links=links,
        page_links=links.pages,
    )
    scene = await seed_training(service, store, SENSEI, [ANA, BEN], ORIGIN, NOW)
    pages = WebPages(
        service,
        clock,
        settings,
        links,
        default_timezone="UTC",
        store_ping=lambda: store.count_sessions(SessionFilter(limit=1)),
        scheduler_running=lambda: True,
        languages=BabelLanguages(),
    )
    app = web.Application()
    pages.mount(app)
    await pages.start()  # the pages are served: links are handed out
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Site(clock, service, client, scene, store)
    finally:
        await client.close()


def chart_paths(html: str) -> list[str]:
    return re.findall(r'<img src="(/record/[^"]+\.svg)" alt="[^"]+"', html)


async def test_member_page_shows_the_year_with_charts_and_their_tables(site: Site) -> None:
    path = await site.link(ANA, PageKind.MEMBER, None)
    response = await site.client.get(path)
    html = await response.text()
    assert response.status == 200
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    assert "Training of Ana Aoki" in html
    assert f"{WEEKS} classes and {WEEKS * 60} minutes attended" in html
    assert "No rank ladder is set up." in html
    charts = chart_paths(html)
    assert [p.rsplit("/", 1)[1] for p in charts] == ["calendar.svg", "weeks.svg"]
    assert html.count("<table>") == 2 and "<figcaption>" in html
    assert "style=" not in html and "<script" not in html
    for chart in charts:
        svg = await site.client.get(chart)
        assert svg.status == 200
        assert svg.content_type == "image/svg+xml"
        assert svg.headers["Content-Security-Policy"] == SVG_CSP
        assert (await svg.text()).lstrip().startswith(("<svg", "<?xml"))


async def test_a_visits_charts_reuse_the_pages_reads(site: Site) -> None:
    path = await site.link(ANA, PageKind.MEMBER, None)
    site.store.ledger_reads = 0
    html = await (await site.client.get(path)).text()
    page_reads = site.store.ledger_reads
    assert page_reads > 0
    for chart in chart_paths(html):
        assert (await site.client.get(chart)).status == 200
    assert site.store.ledger_reads == page_reads  # the charts read nothing again
    site.clock.advance(timedelta(minutes=2))  # a later visit reads afresh
    assert (await site.client.get(path)).status == 200
    assert site.store.ledger_reads == 2 * page_reads


async def test_heatmap_has_a_square_per_day_shaded_by_minutes(site: Site) -> None:
    path = await site.link(ANA, PageKind.MEMBER, None)
    svg = await (await site.client.get(path + "/calendar.svg")).text()
    squares = re.findall(r'<rect class="h(\d)"', svg)
    assert 365 <= len(squares) <= 371
    assert squares.count("3") == WEEKS and "4" not in squares  # 60 minutes: level 3 of 4
    assert "2026-11-24: 60 min" in svg


async def test_class_page_counts_going_present_and_no_shows(site: Site) -> None:
    path = await site.link(SENSEI, PageKind.CLASS, site.scene.class_id)
    html = await (await site.client.get(path)).text()
    assert "Class: Evening kata" in html
    no_shows = WEEKS // 3  # Ben misses every third week
    rate = round(no_shows / (2 * WEEKS) * 100)
    assert f"{WEEKS} sessions held; {2 * WEEKS} going RSVPs, {no_shows} of them no-shows" in html
    assert f"(no-show rate {rate} %)" in html
    charts = chart_paths(html)
    assert [p.rsplit("/", 1)[1] for p in charts] == ["weeks.svg", "sessions.svg"]
    svg = await (await site.client.get(charts[1])).text()
    assert "Going" in svg and "Present" in svg


async def test_overview_is_for_admins(site: Site) -> None:
    path = await site.link(BOSS, PageKind.OVERVIEW, None)
    html = await (await site.client.get(path)).text()
    assert "Busiest classes" in html and "Evening kata" in html
    for chart in chart_paths(html):
        assert (await site.client.get(chart)).status == 200


async def test_forged_and_damaged_links_are_404_expired_ones_403(site: Site) -> None:
    path = await site.link(ANA, PageKind.MEMBER, None)
    token = path.removeprefix("/record/")
    body, _, signature = token.partition(".")
    forged_pass = issue_page_pass(ANA, PageKind.MEMBER, BEN.id, NOW, timedelta(hours=1))
    forged = sign_page_pass(forged_pass, b"x" * 32)  # Ben's page, signed with another key
    for bad in (forged, f"{body}.{signature[:-2]}AA", "nonsense.x"):
        response = await site.client.get(f"/record/{bad}")
        assert response.status == 404
        assert "This page link isn't valid." in unescape(await response.text())
        assert (await site.client.get(f"/record/{bad}/weeks.svg")).status == 404
    site.clock.advance(timedelta(hours=24))
    response = await site.client.get(path)
    assert response.status == 403
    assert "This page link has expired." in await response.text()
    assert (await site.client.get(path + "/weeks.svg")).status == 403


async def test_a_link_shows_no_more_than_its_viewer_may_see(site: Site) -> None:
    # a member's pass naming someone else's page (as if issued before a demotion) is refused
    # by the ledger's own rule when the page is read
    stolen = issue_page_pass(ANA, PageKind.MEMBER, BEN.id, NOW, timedelta(hours=1))
    response = await site.client.get(f"/record/{sign_page_pass(stolen, SECRET)}")
    assert response.status == 403
    assert "Ben" not in await response.text()
    for kind, subject in ((PageKind.CLASS, site.scene.class_id), (PageKind.OVERVIEW, "")):
        member_pass = issue_page_pass(ANA, kind, subject, NOW, timedelta(hours=1))
        token = sign_page_pass(member_pass, SECRET)
        assert (await site.client.get(f"/record/{token}")).status == 403
    missing = issue_page_pass(SENSEI, PageKind.CLASS, "c-gone", NOW, timedelta(hours=1))
    assert (await site.client.get(f"/record/{sign_page_pass(missing, SECRET)}")).status == 404
    unknown_chart = await site.link(ANA, PageKind.MEMBER, None)
    assert (await site.client.get(unknown_chart + "/busiest.svg")).status == 404


async def test_render_functions_draw_whole_pages_for_the_benchmark(site: Site) -> None:
    member = await render_member_page(site.service, ANA, ANA.id, NOW)
    klass = await render_class_page(site.service, SENSEI, site.scene.class_id, NOW)
    assert "Training of Ana Aoki" in member and "Class: Evening kata" in klass
