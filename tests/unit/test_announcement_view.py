"""An announcement is rendered from a view the core gathered: session, counts and event."""

from __future__ import annotations

from datetime import timedelta

from core.commands import CreateEvent, ScheduleSession
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.views import AnnouncementView
from tests.unit.conftest import ADMIN, ANA, ORIGIN, SENSEI


class Views(RecordingChatDelivery):
    """Keeps every announcement view it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[AnnouncementView] = []

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        self.views.append(view)
        return await super().publish_announcement(view)


async def test_announcements_carry_their_event_and_counts() -> None:
    clock, chat = FakeClock(), Views()
    service = SessionService(InMemorySessionStore(), InMemoryVideoRooms(), chat, clock)
    event = await service.create_event(ADMIN, CreateEvent(title="Summer camp"))
    command = ScheduleSession(
        title="Kata", start_time=clock.now() + timedelta(days=1), event_id=event.id, capacity=1
    )
    session = await service.schedule(SENSEI, command, ORIGIN)
    await service.rsvp(ANA, session.id)
    assert [v.event for v in chat.views] == [event, event]
    assert [(v.going, v.waitlisted) for v in chat.views] == [(0, 0), (1, 0)]
    assert chat.views[-1].seats_text == "1/1 going"
