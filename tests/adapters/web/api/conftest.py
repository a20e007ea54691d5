"""The REST API on an in-memory core with a FakeClock, served on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.web.api import RestApi, mint_token
from core.commands import CreateEvent, ScheduleSession
from core.model import Event, Member, Role, TrainingSession
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

SECRET = SecretStr("test-secret-that-is-long-enough-for-hs256")


def member(name: str, role: Role) -> Member:
    return Member(id=f"web:{name}", display_name=name.title(), role=role)


ADMIN = member("boss", Role.ADMIN)
SENSEI = member("sensei", Role.INSTRUCTOR)
KYOSHI = member("kyoshi", Role.INSTRUCTOR)
ANA = member("ana", Role.MEMBER)
GUS = member("gus", Role.GUEST)


def token(who: Member, clock: FakeClock, **kwargs: Any) -> str:
    return mint_token(SECRET, who.id, who.display_name, who.role, clock.now(), **kwargs)


@dataclass
class Api:
    """A client of the served API plus the core behind it, to arrange and inspect."""

    client: TestClient[web.Request, web.Application]
    clock: FakeClock
    service: SessionService
    store: InMemorySessionStore
    rooms: InMemoryVideoRooms

    def auth(self, who: Member | None) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {token(who, self.clock)}"}

    async def call(
        self, method: str, path: str, who: Member | None = None, **kwargs: Any
    ) -> tuple[int, Any]:
        """Send one request as `who`; the status and the decoded JSON body."""
        headers = self.auth(who) | kwargs.pop("headers", {})
        async with self.client.request(method, path, headers=headers, **kwargs) as response:
            assert response.content_type == "application/json"
            return response.status, await response.json()

    async def schedule(
        self, by: Member = SENSEI, in_: timedelta = timedelta(days=2), **fields: Any
    ) -> TrainingSession:
        command = ScheduleSession.model_validate(
            {"title": "Kata basics", "start_time": self.clock.now() + in_} | fields
        )
        return await self.service.schedule(by, command)

    async def event(self, title: str = "Summer camp") -> Event:
        return await self.service.create_event(ADMIN, CreateEvent(title=title))


async def serve(secret: SecretStr | None) -> tuple[Api, TestClient[web.Request, web.Application]]:
    clock = FakeClock()
    store = InMemorySessionStore()
    rooms = InMemoryVideoRooms()
    service = SessionService(store, rooms, RecordingChatDelivery(), clock)
    app = web.Application()
    RestApi(service, clock, secret).mount(app)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    return Api(client, clock, service, store, rooms), client


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    served, client = await serve(SECRET)
    yield served
    await client.close()


@pytest.fixture
async def disabled_api() -> AsyncIterator[Api]:
    served, client = await serve(None)
    yield served
    await client.close()
