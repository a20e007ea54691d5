"""Two RSVPs taken at the same moment (by two processes, say), each planning the custom lead
time its member chose: the one whose write lands last must not drop the other's row. The
first planner is held right before its write (an event, no sleep) while the second RSVP is
taken and planned in full."""

from __future__ import annotations

import asyncio

from core.duties import Duties
from core.members import ReminderPreferences
from core.model import Reminder, ReminderKind
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ANA, BEN, World
from tests.unit.test_reminder_preferences_dispatch import START, give_profile, scheduled

K = ReminderKind


class HeldFirstWrite(InMemorySessionStore):
    """Holds the first reminder write made while `armed`, until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.reached = asyncio.Event()
        self.release = asyncio.Event()

    async def _hold(self) -> None:
        if self.armed:
            self.armed = False
            self.reached.set()
            await self.release.wait()

    async def replace_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        await self._hold()
        await super().replace_reminders(session_id, reminders)

    async def add_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        await self._hold()
        await super().add_reminders(session_id, reminders)


async def test_two_rsvps_at_once_keep_both_custom_lead_times() -> None:
    store, rooms = HeldFirstWrite(), InMemoryVideoRooms()
    chat, clock = RecordingChatDelivery(), FakeClock()
    service = SessionService(store, rooms, chat, clock)
    world = World(
        clock, store, rooms, chat, service, Duties(service, ReminderDispatcher(store, chat))
    )
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(kinds=[K.BEFORE_3H]))
    await give_profile(world, BEN.id, ReminderPreferences(kinds=[K.BEFORE_2H]))
    store.armed = True
    ana = asyncio.create_task(service.rsvp(ANA, session.id))
    await store.reached.wait()  # ana's RSVP is in, her planner read who is going: only her
    await service.rsvp(BEN, session.id)  # ben's RSVP and his 2 h row, in full
    store.release.set()
    await ana
    kinds = {r.kind for r in await store.due_reminders(START, 20)}
    assert {K.BEFORE_3H, K.BEFORE_2H} <= kinds
