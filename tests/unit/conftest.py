"""A service wired with the in-memory fakes and a FakeClock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from core.commands import ScheduleSession
from core.duties import Duties
from core.model import Member, Origin, Role, TrainingSession
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

ORIGIN = Origin(platform="test", workspace_id="w", channel_id="dojo")


def member(name: str, role: Role = Role.MEMBER, tz: str = "UTC") -> Member:
    return Member(id=f"t:{name}", display_name=name, role=role, timezone=tz)


SENSEI = member("sensei", Role.INSTRUCTOR)
OTHER_TEACHER = member("kyoshi", Role.INSTRUCTOR)
ADMIN = member("boss", Role.ADMIN)
ANA = member("ana")
BEN = member("ben")
CAL = member("cal")
GUEST = member("gus", Role.GUEST)


@dataclass
class World:
    clock: FakeClock
    store: InMemorySessionStore
    rooms: InMemoryVideoRooms
    chat: RecordingChatDelivery
    service: SessionService
    duties: Duties

    @property
    def now(self) -> datetime:
        return self.clock.now()

    async def schedule(
        self, in_: timedelta = timedelta(days=2), **fields: object
    ) -> TrainingSession:
        command = ScheduleSession.model_validate(
            {"title": "Kata basics", "start_time": self.now + in_} | fields
        )
        return await self.service.schedule(SENSEI, command, ORIGIN)


@pytest.fixture
def world() -> World:
    clock = FakeClock()
    store = InMemorySessionStore()
    rooms = InMemoryVideoRooms()
    chat = RecordingChatDelivery()
    service = SessionService(store, rooms, chat, clock)
    duties = Duties(service, ReminderDispatcher(store, chat))
    return World(clock, store, rooms, chat, service, duties)
