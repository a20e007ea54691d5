"""The class page's record (`SessionService.class_record`): going, attended and no-show
counts per held session, read in a fixed number of store reads however many sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from core.model import Rsvp, RsvpStatus
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.training_scene import seed_training
from tests.unit.conftest import ANA, BEN, ORIGIN, SENSEI

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class CountingStore(InMemorySessionStore):
    """Counts the RSVP reads of the class page."""

    def __init__(self) -> None:
        super().__init__()
        self.rsvp_reads = 0

    async def count_going(self, session_id: str) -> int:
        self.rsvp_reads += 1
        return await super().count_going(session_id)

    async def list_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus | None = None
    ) -> list[Rsvp]:
        self.rsvp_reads += 1
        return await super().list_rsvps_of_sessions(session_ids, status)


async def test_the_class_record_reads_going_rsvps_once_not_per_session() -> None:
    store = CountingStore()
    service = SessionService(store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(NOW))
    scene = await seed_training(service, store, SENSEI, [ANA, BEN], ORIGIN, NOW, weeks=6)
    store.rsvp_reads = 0
    record = await service.class_record(SENSEI, scene.class_id, 12)
    assert len(record.sessions) == 6
    assert all(s.going == 2 for s in record.sessions)
    assert [s.attended for s in record.sessions] == [
        2 if week % 3 else 1 for week in range(6, 0, -1)
    ]
    assert store.rsvp_reads == 1
