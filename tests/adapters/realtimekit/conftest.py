"""A RealtimeKitRooms talking over loopback to the fake RealtimeKit API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.realtimekit import RealtimeKitRooms, RealtimeKitSettings
from core.model import Room, RoomState, TrainingSession
from tests.fakes.realtimekit_api import (
    ACCOUNT,
    APP,
    TOKEN,
    FakeRealtimeKit,
    running_fake_realtimekit,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Sleeps:
    """Records the waits the client asks for instead of waiting."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeKit]:
    async with running_fake_realtimekit() as running:
        yield running


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def settings_for(fake: FakeRealtimeKit, **changes: Any) -> RealtimeKitSettings:
    return RealtimeKitSettings(
        account_id=ACCOUNT, app_id=APP, api_token=TOKEN, base_url=fake.base_url, **changes
    )


@pytest.fixture
async def rooms(fake: FakeRealtimeKit, sleeps: Sleeps) -> AsyncIterator[RealtimeKitRooms]:
    made = RealtimeKitRooms(settings_for(fake), page_url="https://dojo.example", sleep=sleeps)
    yield made
    await made.close()


def session(room_id: str | None = None, **changes: Any) -> TrainingSession:
    room = Room(provider="realtimekit", room_id=room_id, state=RoomState.READY)
    return TrainingSession(
        id="s1",
        title="Kata basics",
        instructor_id="slack:T1:U1",
        instructor_name="Sensei",
        start_time=T0 + timedelta(hours=1),
        duration_minutes=60,
        room=room if room_id else Room(),
        created_at=T0,
        updated_at=T0,
        **changes,
    )
