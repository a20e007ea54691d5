"""The `SessionService` every measurement of `bench.training_record` runs on."""

from __future__ import annotations

from bench.training_data import LADDER, RULES
from core.ports import SessionStore
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms


def build_service(store: SessionStore, clock: FakeClock) -> SessionService:
    """The core on `store` with the seeded association's training rules and rank ladder (no
    chat, no video provider: nothing measured sends or creates anything)."""
    return SessionService(
        store,
        InMemoryVideoRooms(),
        RecordingChatDelivery(),
        clock,
        training_rules=RULES,
        rank_ladder=LADDER,
    )
