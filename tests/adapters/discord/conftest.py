"""A DiscordFrontEnd on the in-memory core, logged in to the fake Discord API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import DiscordFrontEnd, DiscordSettings
from bot.chat_router import ChatRouter
from core.executor import CommandExecutor
from core.model import Origin, SessionFilter, TrainingSession
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    Gateway,
    discord_settings_fields,
    text_of,
)
from tests.fakes.discord_api import FakeDiscord, Person, slash_command

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def channel_session(instructor_id: str) -> TrainingSession:
    """A session "Kata" two days after START, announced in the test channel."""
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id=instructor_id,
        instructor_name="sensei",
        start_time=START + timedelta(days=2),
        duration_minutes=60,
        origin=Origin(platform="discord", workspace_id=str(GUILD), channel_id=str(CHANNEL)),
        created_at=START,
        updated_at=START,
    )


@dataclass
class Rig:
    fake: FakeDiscord
    frontend: DiscordFrontEnd
    gateway: Gateway
    service: SessionService
    clock: FakeClock
    store: InMemorySessionStore


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    api = FakeDiscord()
    await api.start()
    yield api
    await api.stop()


RigFactory = Callable[..., Any]


async def quick_fake() -> AsyncIterator[FakeDiscord]:
    """The fake with Discord's limits ten times faster, for stories where every RSVP edits
    the card (the edits' route limit, 5 per 5 s, would make discord.py wait seconds of real
    time). A module uses it as its `fake`: `fake = pytest.fixture(quick_fake)`."""
    api = FakeDiscord(window=0.1)
    await api.start()
    yield api
    await api.stop()


def known_members(rig: Rig, *people: Person) -> None:
    """Make `people` members of the guild (who the server says they are, for DMs)."""
    for person in people:
        rig.fake.add_member(GUILD, person.user_id, person.role_ids)


async def schedule_kata(rig: Rig, instructor: Person) -> TrainingSession:
    """ "Kata" on 2026-12-03 18:00, scheduled by `instructor` with `/schedule-session` in
    the test channel; the session (the only one)."""
    answer = await rig.gateway.interact(
        slash_command(
            "schedule-session", instructor, GUILD, CHANNEL, title="Kata", when="2026-12-03 18:00"
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert session.title == "Kata", text_of(answer)
    return session


@pytest.fixture
async def make_rig(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[RigFactory]:
    started: list[DiscordFrontEnd] = []
    clock = FakeClock(START)
    fake.wall_clock = clock.now  # Discord starts and ends external events on our clock
    store = InMemorySessionStore()

    async def make(service_options: dict[str, Any] | None = None, **overrides: Any) -> Rig:
        """`service_options`: SessionService keywords (e.g. `offer_rules`); `overrides`:
        DiscordSettings fields."""
        router = ChatRouter()
        service = SessionService(
            store, InMemoryVideoRooms(), router, clock, **(service_options or {})
        )
        settings = DiscordSettings(**(discord_settings_fields(fake) | overrides))
        frontend = DiscordFrontEnd(
            settings,
            CommandExecutor(service),
            clock,
            "https://dojo.example",
            "UTC",
            tmp_path / "discord",
        )
        router.connect("discord", frontend.discord_chat)
        await frontend.start()
        started.append(frontend)
        gateway = Gateway(fake, frontend)
        gateway.guild_available()
        return Rig(fake, frontend, gateway, service, clock, store)

    yield make
    for frontend in started:
        await frontend.stop()


@pytest.fixture
async def rig(make_rig: RigFactory) -> Rig:
    made: Rig = await make_rig()
    return made
