"""The web pages mounted on a real aiohttp app, driven by aiohttp's test client.

The service runs on the in-memory fakes and a FakeClock; links are absolute to a fixed
public URL so tests can compare them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.i18n import BabelLanguages
from adapters.web.pages import WebPages
from adapters.web.served_links import ServedJoinLinks
from adapters.web.settings import WebSettings
from core.commands import ScheduleSession
from core.join_pass import issue_pass, sign_pass
from core.model import Member, Origin, Role, SessionFilter, TrainingSession
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

PUBLIC_URL = "https://dojo.example"
SECRET = b"s" * 32
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ORIGIN = Origin(platform="slack", workspace_id="T0001", channel_id="C0DOJO")
SENSEI = Member(id="slack:T0001:U0SENSEI", display_name="Sensei Sato", role=Role.INSTRUCTOR)
ANA = Member(id="slack:T0001:U0ANA", display_name="Ana Aoki", timezone="Europe/Berlin")
GUEST = Member(id="slack:T0001:U0GUS", display_name="Gus Guest", role=Role.GUEST)


@dataclass
class Site:
    """The pages and the service behind them, with helpers to make sessions and tokens."""

    clock: FakeClock
    store: InMemorySessionStore
    rooms: InMemoryVideoRooms
    service: SessionService
    pages: WebPages
    client: TestClient  # type: ignore[type-arg]
    healthy_store: list[bool] = field(default_factory=lambda: [True])
    scheduler: list[bool] = field(default_factory=lambda: [True])

    async def schedule(
        self, in_: timedelta = timedelta(days=2), **fields: object
    ) -> TrainingSession:
        command = ScheduleSession.model_validate(
            {"title": "Kata basics", "start_time": self.clock.now() + in_, "capacity": 20} | fields
        )
        return await self.service.schedule(SENSEI, command, ORIGIN)

    def token(self, member: Member, session_id: str, ttl: timedelta = timedelta(minutes=15)) -> str:
        """A join token issued now, straight from the pass functions (no rules checked)."""
        return sign_pass(issue_pass(member, session_id, self.clock.now(), ttl), SECRET)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    clock = FakeClock(START)
    store = InMemorySessionStore()
    rooms = InMemoryVideoRooms()
    settings = WebSettings(public_url=PUBLIC_URL + "/", port=0, status_poll_seconds=2)
    links = ServedJoinLinks(settings, SECRET)
    service = SessionService(
        store, rooms, RecordingChatDelivery(), clock, join_links=links, feed_links=links
    )
    healthy_store, scheduler = [True], [True]

    async def store_ping() -> object:
        if not healthy_store[0]:
            raise ConnectionError("database gone")
        return await store.count_sessions(SessionFilter(limit=1))

    pages = WebPages(
        service,
        clock,
        settings,
        links,
        default_timezone="Europe/Berlin",
        store_ping=store_ping,
        scheduler_running=lambda: scheduler[0],
        languages=BabelLanguages(),
    )
    app = web.Application()
    pages.mount(app)
    await pages.start()
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Site(clock, store, rooms, service, pages, client, healthy_store, scheduler)
    finally:
        await pages.stop()
        await client.close()
