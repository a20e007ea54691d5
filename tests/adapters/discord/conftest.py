"""A DiscordFrontEnd on the in-memory core, logged in to the fake Discord API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import DiscordFrontEnd, DiscordSettings
from bot.chat_router import ChatRouter
from core.executor import CommandExecutor
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.adapters.discord.harness import Gateway, discord_settings_fields
from tests.fakes.discord_api import FakeDiscord

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


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


@pytest.fixture
async def make_rig(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[RigFactory]:
    started: list[DiscordFrontEnd] = []
    clock = FakeClock(START)
    fake.wall_clock = clock.now  # Discord starts and ends external events on our clock
    store = InMemorySessionStore()

    async def make(**overrides: Any) -> Rig:
        router = ChatRouter()
        service = SessionService(store, InMemoryVideoRooms(), router, clock)
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
