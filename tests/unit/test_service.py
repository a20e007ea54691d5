from datetime import timedelta

import pytest

from core.commands import CreateEvent, ListSessions, ScheduleSession, UpdateSession
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied, RoomUnavailable
from core.model import RoomState, RsvpStatus, SessionFilter, SessionStatus, Visibility
from core.rules import JoinRefusal
from tests.unit.conftest import (
    ADMIN,
    ANA,
    BEN,
    CAL,
    GUEST,
    ORIGIN,
    OTHER_TEACHER,
    SENSEI,
    World,
    member,
)


async def test_schedule_stores_creates_room_plans_reminders_and_announces(world: World) -> None:
    session = await world.schedule(capacity=20, recording_enabled=True, tags=[" kata ", ""])
    stored = await world.store.get_session(session.id)
    assert stored is not None
    assert stored.instructor_id == SENSEI.id
    assert stored.room.state is RoomState.READY and stored.room.room_id in world.rooms.created
    assert stored.tags == ["kata"]
    assert stored.origin is not None and stored.origin.message_ref == "msg-1"
    assert await world.store.next_reminder_due() == session.start_time - timedelta(hours=24)
    assert world.chat.of_kind("announcement")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "needs a title"),
        ({"title": "x" * 201}, "limit is 200"),
        ({"duration_minutes": 14}, "between 15 and 480"),
        ({"duration_minutes": 481}, "between 15 and 480"),
        ({"capacity": 0}, "between 1 and 1000"),
        ({"capacity": 1001}, "between 1 and 1000"),
        ({"event_id": "nope"}, "No event"),
    ],
)
async def test_schedule_refuses_bad_values_with_a_hint(
    world: World, fields: dict[str, object], message: str
) -> None:
    with pytest.raises((InvalidInput, NotFound), match=message) as caught:
        await world.schedule(timedelta(days=2), **fields)
    assert caught.value.hint
    assert await world.store.count_sessions(_all()) == 0


async def test_schedule_refuses_past_start_and_members(world: World) -> None:
    with pytest.raises(InvalidInput, match="in the past"):
        await world.schedule(in_=timedelta(minutes=-1))
    with pytest.raises(InvalidInput, match="two years ahead") as too_far:
        await world.schedule(in_=timedelta(days=800))
    assert "within the next two years" in (too_far.value.hint or "")
    command = ScheduleSession(title="x", start_time=world.now + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        await world.service.schedule(ANA, command, ORIGIN)


async def test_room_failure_never_loses_the_session_and_the_clock_retries(world: World) -> None:
    world.rooms.fail_creates = 1
    session = await world.schedule(in_=timedelta(hours=5))
    assert session.room.state is RoomState.FAILED and session.room.last_error
    assert await world.duties.next_wakeup() == world.now  # first wake-up: start-up cleanup
    assert (await world.service.tend_rooms())[1] == session.start_time - timedelta(hours=2)
    world.clock.set(session.start_time - timedelta(hours=2))
    retried, next_retry = await world.service.tend_rooms()
    assert [s.room.state for s in retried] == [RoomState.READY]
    assert next_retry is None


async def test_room_retry_waits_between_attempts(world: World) -> None:
    world.rooms.down = True
    session = await world.schedule(in_=timedelta(hours=1))
    assert await world.service.tend_rooms() == ([], world.now + timedelta(minutes=10))
    world.clock.advance(timedelta(minutes=10))
    retried, next_retry = await world.service.tend_rooms()
    assert len(retried) == 1 and next_retry == world.now + timedelta(minutes=10)
    assert (await world.service.get(session.id)).room.attempts == 2


async def test_rsvp_capacity_waitlist_and_promotion_is_told(world: World) -> None:
    session = await world.schedule(capacity=2)
    statuses = [(await world.service.rsvp(m, session.id)).rsvp for m in (ANA, BEN, CAL)]
    assert [r.status for r in statuses if r] == [
        RsvpStatus.GOING,
        RsvpStatus.GOING,
        RsvpStatus.WAITLISTED,
    ]
    again = await world.service.rsvp(ANA, session.id)
    assert not again.changed
    change = await world.service.unrsvp(ANA, session.id)
    assert change.promoted is not None and change.promoted.member_id == CAL.id
    assert "seat freed" in world.chat.dms_to(CAL.id)[-1].text


async def test_raising_capacity_promotes_the_waitlist(world: World) -> None:
    session = await world.schedule(capacity=1)
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    await world.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=5))
    going = await world.store.list_rsvps(session.id, RsvpStatus.GOING)
    assert [r.member_id for r in going] == [ANA.id, BEN.id]
    assert world.chat.dms_to(BEN.id)


async def test_guests_cannot_rsvp_members_only(world: World) -> None:
    session = await world.schedule()
    with pytest.raises(PermissionDenied, match="members only"):
        await world.service.rsvp(GUEST, session.id)


async def test_update_reschedules_reminders_and_tells_going_members(world: World) -> None:
    session = await world.schedule()
    await world.service.rsvp(ANA, session.id)
    new_start = session.start_time + timedelta(days=1)
    updated = await world.service.update(
        SENSEI, UpdateSession(session_id=session.id, start_time=new_start, title="Kata II")
    )
    assert updated.title == "Kata II"
    assert await world.store.next_reminder_due() == new_start - timedelta(hours=24)
    assert "moved" in world.chat.dms_to(ANA.id)[-1].text


async def test_update_rules(world: World) -> None:
    session = await world.schedule()
    with pytest.raises(InvalidInput, match="Nothing to change"):
        await world.service.update(SENSEI, UpdateSession(session_id=session.id))
    with pytest.raises(PermissionDenied):
        await world.service.update(OTHER_TEACHER, UpdateSession(session_id=session.id, title="x"))
    await world.service.update(ADMIN, UpdateSession(session_id=session.id, unlimited=True))
    await world.service.cancel(SENSEI, session.id)
    with pytest.raises(InvalidState, match="canceled; it can't be changed"):
        await world.service.update(SENSEI, UpdateSession(session_id=session.id, title="x"))


async def test_cancel_by_admin_deletes_room_and_tells_everyone(world: World) -> None:
    session = await world.schedule(capacity=1)
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    canceled = await world.service.cancel(ADMIN, session.id, "sensei is ill")
    assert canceled.status is SessionStatus.CANCELED and canceled.canceled_by == ADMIN.id
    assert canceled.room.state is RoomState.DELETED
    assert session.room.room_id in world.rooms.deleted
    assert world.chat.dms_to(ANA.id) and world.chat.dms_to(BEN.id)
    assert any("sensei is ill" in s.text for s in world.chat.of_kind("channel"))
    assert await world.store.next_reminder_due() is None


async def test_only_owner_or_admin_cancels(world: World) -> None:
    session = await world.schedule()
    for who in (OTHER_TEACHER, ANA):
        with pytest.raises(PermissionDenied):
            await world.service.cancel(who, session.id)


async def test_start_and_end_only_by_the_instructor(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=20))
    with pytest.raises(InvalidState, match="too early"):
        await world.service.start(SENSEI, session.id)
    world.clock.advance(timedelta(minutes=11))
    for who in (ADMIN, OTHER_TEACHER):
        with pytest.raises(PermissionDenied, match="instructor"):
            await world.service.start(who, session.id)
    with pytest.raises(InvalidState, match="only a live session"):
        await world.service.end(SENSEI, session.id)
    live = await world.service.start(SENSEI, session.id)
    assert live.status is SessionStatus.LIVE and live.started_at == world.now
    with pytest.raises(PermissionDenied):
        await world.service.end(ADMIN, session.id)
    ended = await world.service.end(SENSEI, session.id)
    assert ended.status is SessionStatus.ENDED


async def test_start_needs_a_room(world: World) -> None:
    world.rooms.down = True
    session = await world.schedule(in_=timedelta(minutes=5))
    with pytest.raises(InvalidState, match="room isn't ready"):
        await world.service.start(SENSEI, session.id)
    world.rooms.down = False
    assert (await world.service.start(SENSEI, session.id)).status is SessionStatus.LIVE


async def test_can_join_gives_each_reason(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=1), capacity=1)
    _, decision = await world.service.can_join(ANA, session.id)
    assert decision.reason is JoinRefusal.TOO_EARLY
    assert decision.opens_at == session.start_time - timedelta(minutes=10)
    with pytest.raises(InvalidState, match="opens for joining at"):
        await world.service.join(ANA, session.id)
    await world.service.rsvp(ANA, session.id)
    world.clock.advance(timedelta(minutes=50))
    link = await world.service.join(ANA, session.id)
    assert "member=t%3Aana" in link.url
    _, decision = await world.service.can_join(BEN, session.id)
    assert decision.reason is JoinRefusal.FULL
    _, decision = await world.service.can_join(GUEST, session.id)
    assert decision.reason is JoinRefusal.MEMBERS_ONLY
    _, decision = await world.service.can_join(SENSEI, session.id)
    assert decision.allowed
    await world.service.cancel(SENSEI, session.id)
    _, decision = await world.service.can_join(ANA, session.id)
    assert decision.reason is JoinRefusal.CANCELED


async def test_can_join_refuses_after_the_end_and_without_a_room(world: World) -> None:
    public = await world.schedule(in_=timedelta(minutes=5), visibility=Visibility.PUBLIC)
    _, decision = await world.service.can_join(GUEST, public.id)
    assert decision.allowed
    world.rooms.down = True
    roomless = await world.schedule(in_=timedelta(minutes=5))
    with pytest.raises(RoomUnavailable):
        await world.service.join(ANA, roomless.id)
    world.clock.advance(timedelta(hours=2))
    _, decision = await world.service.can_join(ANA, public.id)
    assert decision.reason is JoinRefusal.NOT_HELD  # never started, and its time is over


async def test_attendance_and_auto_end(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=10), duration_minutes=30)
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    await world.service.start(SENSEI, session.id)
    await world.service.record_join(ANA, session.id)
    world.clock.advance(timedelta(minutes=20))
    await world.service.record_leave(ANA, session.id)
    await world.service.record_join(ANA, session.id)
    world.clock.set(session.end_time + timedelta(minutes=29))
    assert await world.service.end_overdue() == ([], session.end_time + timedelta(minutes=30))
    await world.duties.run_due()
    assert await world.duties.next_wakeup() == session.end_time + timedelta(minutes=30)
    world.clock.advance(timedelta(minutes=1))
    [ended], next_auto_end = await world.service.end_overdue()
    assert next_auto_end is None
    assert ended.status is SessionStatus.ENDED and ended.ended_at == world.now
    [row] = await world.service.attendance(SENSEI, session.id)
    assert row.watch_time_seconds == (20 + 50) * 60 and row.left_at == world.now
    with pytest.raises(PermissionDenied):
        await world.service.attendance(ANA, session.id)
    assert any("automatically" in s.text for s in world.chat.of_kind("channel"))


async def test_cleanup_deletes_rooms_and_archives_after_a_week(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=10), duration_minutes=15)
    await world.service.start(SENSEI, session.id)
    await world.service.end(SENSEI, session.id)
    assert await world.service.cleanup() == (1, 0)
    assert session.room.room_id in world.rooms.deleted
    world.clock.advance(timedelta(days=7, minutes=1))
    assert await world.service.cleanup() == (0, 1)
    assert (
        await world.service.list_sessions(ADMIN, ListSessions(status=[SessionStatus.ENDED])) == []
    )


async def test_events_list_their_sessions(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await world.service.create_event(ANA, CreateEvent(title="Camp"))
    event = await world.service.create_event(ADMIN, CreateEvent(title="Winter camp"))
    first = await world.schedule(event_id=event.id)
    await world.schedule()
    got, sessions = await world.service.event_detail(event.id)
    assert got == event and [s.id for s in sessions] == [first.id]
    with pytest.raises(NotFound):
        await world.service.event_detail("missing")


async def test_list_mine_and_get_unknown(world: World) -> None:
    await world.schedule()
    assert len(await world.service.list_sessions(SENSEI, ListSessions(mine=True))) == 1
    assert await world.service.list_sessions(OTHER_TEACHER, ListSessions(mine=True)) == []
    with pytest.raises(NotFound, match="No session"):
        await world.service.get("zzz")


async def test_chat_failure_never_undoes_a_change(world: World) -> None:
    world.chat.failing = True
    session = await world.schedule()
    assert await world.store.get_session(session.id) is not None
    await world.service.rsvp(member("dan"), session.id)
    await world.service.cancel(SENSEI, session.id)


def _all() -> SessionFilter:
    return SessionFilter(include_archived=True)
