"""Sessions nobody starts: the instructor opening their join link starts it (providers with
no room events, like Jitsi); one never started closes as "not held" after its end + 30 min."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.commands import ListSessions, UpdateSession
from core.duties import Duties
from core.errors import InvalidState
from core.model import RoomState, SessionStatus
from core.notices import NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.rules import JoinRefusal
from core.service import SessionService
from tests.unit.conftest import ADMIN, ANA, SENSEI, World


async def test_the_instructor_opening_the_room_starts_the_session(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    await world.service.rsvp(ANA, session.id)
    await world.service.open_room(ANA, session.id)  # a member: nothing starts
    await world.service.open_room(ADMIN, session.id)  # an admin neither: only the instructor
    assert (await world.service.get(session.id)).status is SessionStatus.SCHEDULED
    await world.service.open_room(SENSEI, session.id)
    live = await world.service.get(session.id)
    assert live.status is SessionStatus.LIVE and live.started_at == world.now
    await world.service.open_room(SENSEI, session.id)  # again: still one "live" notice
    assert [s.notice.kind for s in world.chat.of_kind("channel") if s.notice] == [
        NoticeKind.STARTED
    ]
    assert await world.store.next_reminder_due() is None  # its reminders are over


async def test_the_instructor_cannot_start_it_by_link_before_the_join_window(
    world: World,
) -> None:
    session = await world.schedule(in_=timedelta(minutes=30))
    with pytest.raises(InvalidState, match="Too early"):
        await world.service.open_room(SENSEI, session.id)
    assert (await world.service.get(session.id)).status is SessionStatus.SCHEDULED


async def test_a_session_never_started_closes_as_not_held(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=2), duration_minutes=60)
    await world.service.rsvp(ANA, session.id)
    due = session.end_time + timedelta(minutes=30)
    assert await world.duties.next_wakeup() is not None
    world.clock.set(due - timedelta(seconds=1))
    await world.duties.run_due()
    assert (await world.service.get(session.id)).status is SessionStatus.SCHEDULED
    _, decision = await world.service.can_join(ANA, session.id)
    assert decision.reason is JoinRefusal.NOT_HELD  # already past its end
    assert await world.duties.next_wakeup() == due
    world.clock.set(due)
    report = await world.duties.run_due()
    assert report.sessions_auto_ended == 1
    closed = await world.service.get(session.id)
    assert closed.status is SessionStatus.NOT_HELD and closed.ended_at == due
    assert session.room.room_id in world.rooms.deleted
    posts = [s for s in world.chat.of_kind("channel") if "not held" in s.text]
    assert len(posts) == 1
    assert world.chat.of_kind("announcement")[-1].text.startswith("Kata basics not_held")
    assert await world.store.next_reminder_due() is None
    await world.duties.run_due()  # again: told once
    assert len([s for s in world.chat.of_kind("channel") if "not held" in s.text]) == 1
    with pytest.raises(InvalidState, match="not_held"):
        await world.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=5))
    with pytest.raises(InvalidState, match="not held"):
        await world.service.join(ANA, session.id)


async def test_not_held_is_told_once_when_two_processes_close_it(world: World) -> None:
    other = SessionService(world.store, world.rooms, world.chat, world.clock)
    other_duties = Duties(other, ReminderDispatcher(world.store, world.chat))
    session = await world.schedule(in_=timedelta(hours=1), duration_minutes=15)
    world.clock.set(session.end_time + timedelta(minutes=30))
    await world.duties.run_due()
    await other_duties.run_due()
    assert len([s for s in world.chat.of_kind("channel") if "not held" in s.text]) == 1
    assert session.room.room_id is not None
    assert world.rooms.deleted.count(session.room.room_id) == 1


async def test_not_held_sessions_are_listed_as_such(world: World) -> None:
    unheld = await world.schedule(in_=timedelta(hours=1), duration_minutes=15)
    later = await world.schedule(in_=timedelta(days=3))
    world.clock.set(unheld.end_time + timedelta(minutes=30))
    await world.duties.run_due()
    listed = await world.service.list_sessions(ANA, ListSessions())
    assert [s.id for s in listed] == [later.id]  # upcoming only
    listed = await world.service.list_sessions(ANA, ListSessions(status=[SessionStatus.NOT_HELD]))
    assert [(s.id, s.status) for s in listed] == [(unheld.id, SessionStatus.NOT_HELD)]


async def test_a_live_session_is_not_closed_as_not_held(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5), duration_minutes=15)
    await world.service.start(SENSEI, session.id)
    world.clock.set(session.end_time + timedelta(minutes=30))
    await world.duties.run_due()
    ended = await world.service.get(session.id)
    assert ended.status is SessionStatus.ENDED and ended.room.state is not RoomState.PENDING
    assert not [s for s in world.chat.of_kind("channel") if "not held" in s.text]
