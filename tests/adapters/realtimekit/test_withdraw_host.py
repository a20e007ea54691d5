"""Withdrawing a host on RealtimeKit, against the fake API over real httpx: the old host's
participant (created with the host preset) is deleted — RealtimeKit's way of revoking its
tokens — whether this process cached it or not, and their next join is a new participant
with the participant preset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.realtimekit import RealtimeKitRooms, RealtimeKitSettings
from core.model import Member, Role, Room, RoomState, TrainingSession
from tests.fakes.realtimekit_api import (
    ACCOUNT,
    APP,
    TOKEN,
    FakeRealtimeKit,
    running_fake_realtimekit,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OLD = Member(id="slack:T1:U1", display_name="Sensei", role=Role.INSTRUCTOR)
NEW = Member(id="slack:T1:U7", display_name="Kyoshi", role=Role.INSTRUCTOR)


def rooms_on(fake: FakeRealtimeKit) -> RealtimeKitRooms:
    settings = RealtimeKitSettings(
        account_id=ACCOUNT, app_id=APP, api_token=TOKEN, base_url=fake.base_url
    )
    return RealtimeKitRooms(settings, page_url="https://dojo.example")


def a_session(room_id: str) -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id=NEW.id,
        instructor_name=NEW.display_name,
        start_time=NOW + timedelta(hours=1),
        duration_minutes=60,
        room=Room(provider="realtimekit", room_id=room_id, state=RoomState.READY),
        created_at=NOW,
        updated_at=NOW,
    )


async def test_the_old_hosts_participant_is_deleted_and_rejoins_as_participant() -> None:
    async with running_fake_realtimekit(FakeRealtimeKit()) as fake:
        rooms = rooms_on(fake)
        try:
            room_id = await rooms.create_room(a_session("x"))
            session = a_session(room_id)
            await rooms.join_url(session, OLD, True, NOW)
            host = fake.participant_of(room_id, OLD.id)
            assert host is not None and host["preset_name"] == "group_call_host"
            await rooms.withdraw_host(session, OLD.id)
            assert fake.participant_of(room_id, OLD.id) is None
            assert fake.calls("DELETE", f"/participants/{host['id']}")
            await rooms.join_url(session, OLD, False, NOW)
            again = fake.participant_of(room_id, OLD.id)
            assert again is not None and again["id"] != host["id"]
            assert again["preset_name"] == "group_call_participant"
            assert fake.refusals == []
        finally:
            await rooms.close()


async def test_another_process_without_the_cache_still_deletes_it() -> None:
    async with running_fake_realtimekit(FakeRealtimeKit()) as fake:
        first, second = rooms_on(fake), rooms_on(fake)
        try:
            room_id = await first.create_room(a_session("x"))
            session = a_session(room_id)
            await first.join_url(session, OLD, True, NOW)
            await second.withdraw_host(session, OLD.id)  # looked up in the meeting's list
            assert fake.participant_of(room_id, OLD.id) is None
            await first.join_url(session, OLD, False, NOW)  # its cached one is gone: added anew
            rejoined = fake.participant_of(room_id, OLD.id)
            assert rejoined is not None and rejoined["preset_name"] == "group_call_participant"
            await second.withdraw_host(a_session("unknown-meeting"), OLD.id)  # 404: nothing
            assert fake.refusals == []
        finally:
            await first.close()
            await second.close()
