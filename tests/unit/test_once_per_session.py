"""One-time effects decided by the store (issue 11, items 2-3): one "started" and one
"ended" post however many callers race, and a capacity that never drops below the number
of members going."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.commands import UpdateSession
from core.errors import InvalidState
from core.model import TrainingSession
from core.notices import NoticeKind
from core.room_events import RoomEvents
from tests.unit.conftest import ANA, BEN, CAL, SENSEI, World


def posts(world: World, kind: NoticeKind) -> int:
    return sum(1 for s in world.chat.sent if s.notice is not None and s.notice.kind is kind)


async def test_racing_starts_and_ends_post_once(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    stale = [await world.service.get(session.id) for _ in range(3)]  # each caller's own read
    await asyncio.gather(*(world.service.go_live(s, world.now) for s in stale))
    assert posts(world, NoticeKind.STARTED) == 1
    live = [await world.service.get(session.id) for _ in range(3)]
    ended = await asyncio.gather(*(world.service.finish(s, automatically=False) for s in live))
    assert posts(world, NoticeKind.ENDED) == 1
    assert {s.status.value for s in ended} == {"ended"}


async def test_a_recording_heard_twice_at_once_is_posted_once(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5), visibility="public")
    events = RoomEvents(world.service)
    room_id = session.room.room_id
    assert room_id is not None
    find = world.store.find_session_by_room

    async def find_then_yield(room: str) -> TrainingSession | None:
        found = await find(room)
        await asyncio.sleep(0)  # let the other "processes" read the same state first
        return found

    world.store.find_session_by_room = find_then_yield  # type: ignore[method-assign,assignment]
    url = "https://example.test/rec.mp4"
    await asyncio.gather(*(events.recording_ready(room_id, url) for _ in range(3)))
    assert posts(world, NoticeKind.RECORDING_READY) == 1


async def test_capacity_below_the_number_going_is_refused_with_what_to_type(
    world: World,
) -> None:
    session = await world.schedule(capacity=5)
    for member in (ANA, BEN, CAL):
        await world.service.rsvp(member, session.id)
    with pytest.raises(InvalidState) as refused:
        await world.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=2))
    assert refused.value.message == "3 members are going; capacity can't go below 3."
    assert f"/update-session {session.id} cap 3" in (refused.value.hint or "")
    assert (await world.service.get(session.id)).capacity == 5
    updated = await world.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=3))
    assert updated.capacity == 3


async def test_racing_cancels_tell_members_once(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=5))
    await world.service.rsvp(ANA, session.id)
    get = world.store.get_session

    async def get_then_yield(session_id: str) -> TrainingSession | None:
        found = await get(session_id)
        await asyncio.sleep(0)  # let the other "process" read the same state first
        return found

    world.store.get_session = get_then_yield  # type: ignore[method-assign]
    outcomes = await asyncio.gather(
        *(world.service.cancel(SENSEI, session.id, "ill") for _ in range(3)),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, InvalidState)]
    assert len(refused) == 2
    assert "changed meanwhile" in refused[0].message
    assert posts(world, NoticeKind.CANCELED) == 2  # one post in the channel, one DM to Ana
