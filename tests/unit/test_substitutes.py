"""Substitute instructors through the service, on the in-memory fakes and a FakeClock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.audit import AuditAction, AuditQuery
from core.commands import ScheduleSession, UpdateSession
from core.duties import Duties
from core.errors import InvalidState, NotFound, PermissionDenied
from core.members import MemberProfile
from core.model import Member, Role, RsvpStatus, TrainingSession
from core.notices import NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.substitute_duty import SubstituteDuty
from core.substitutes import (
    SubstituteRequest,
    SubstituteRules,
    SubstituteStatus,
    answer_deadline,
)
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ADMIN, ANA, BEN, ORIGIN, SENSEI, World, member

PREF = member("pref", Role.INSTRUCTOR)
PREF2 = member("pref2", Role.INSTRUCTOR)
OTHER = member("other", Role.INSTRUCTOR)
BUSY = member("busy", Role.INSTRUCTOR)
BOSS2 = member("boss2", Role.ADMIN)
RULES = SubstituteRules(
    instructors=(PREF.id, PREF2.id, OTHER.id, BUSY.id),
    preferred=(PREF2.id, PREF.id),
    admins=(ADMIN.id, BOSS2.id),
)


def _world(rules: SubstituteRules = RULES) -> World:
    clock = FakeClock()
    store = InMemorySessionStore()
    rooms = InMemoryVideoRooms()
    chat = RecordingChatDelivery()
    service = SessionService(store, rooms, chat, clock, substitute_rules=rules)
    duty = SubstituteDuty(service)
    duties = Duties(service, ReminderDispatcher(store, chat), [duty])
    return World(clock, store, rooms, chat, service, duties)


@pytest.fixture
def subs() -> World:
    return _world()


async def _session(
    world: World, by: Member = SENSEI, in_: timedelta = timedelta(days=2)
) -> TrainingSession:
    command = ScheduleSession(title="Kata basics", start_time=world.now + in_)
    return await world.service.schedule(by, command, ORIGIN)


def _wanted(world: World) -> list[str]:
    return [
        s.to
        for s in world.chat.of_kind("dm")
        if s.notice and s.notice.kind is NoticeKind.SUB_WANTED
    ]


def _of(world: World, kind: NoticeKind) -> list[str]:
    return [s.to for s in world.chat.sent if s.notice and s.notice.kind is kind]


async def test_preferred_first_then_others_after_head_start_overlapping_teacher_excluded(
    subs: World,
) -> None:
    session = await _session(subs)
    await _session(subs, by=BUSY, in_=timedelta(days=2, minutes=30))  # overlaps
    outcome = await subs.service.need_sub(SENSEI, session.id)
    assert outcome.action == "sub_requested"
    assert _wanted(subs) == [PREF2.id, PREF.id]  # preferred, in their order
    wanted = subs.chat.of_kind("dm")[0].notice
    assert wanted is not None and wanted.buttons[0].command == f"/take-sub {session.id}"
    duty = SubstituteDuty(subs.service)
    assert await duty.next_due() == subs.now + timedelta(minutes=30)
    subs.clock.advance(timedelta(minutes=29))
    assert await subs.duties.run_due() and _wanted(subs) == [PREF2.id, PREF.id]
    subs.clock.advance(timedelta(minutes=1))
    report = await subs.duties.run_due()
    assert report.timed["substitutes"] == 1
    assert _wanted(subs) == [PREF2.id, PREF.id, OTHER.id]  # not BUSY, not the requester
    request = await subs.service.substitute_request(session.id)
    assert request is not None and request.widened
    assert await duty.next_due() == request.answer_by
    await subs.duties.run_due()  # nothing twice
    assert _wanted(subs) == [PREF2.id, PREF.id, OTHER.id]


async def test_recent_instructors_are_known_and_others_refused_in_head_start() -> None:
    world = _world(SubstituteRules(preferred=(PREF.id,)))
    await _session(world, by=OTHER, in_=timedelta(hours=5))  # OTHER taught recently
    await world.service.schedule(
        PREF, ScheduleSession(title="x", start_time=world.now + timedelta(hours=9)), ORIGIN
    )
    session = await _session(world)
    await world.service.need_sub(SENSEI, session.id)
    assert _wanted(world) == [PREF.id]
    with pytest.raises(InvalidState, match="Preferred substitutes have until"):
        await world.service.take_sub(OTHER, session.id)
    with pytest.raises(PermissionDenied):
        await world.service.take_sub(BEN, session.id)  # never instructed
    world.clock.advance(timedelta(minutes=30))
    await world.duties.run_due()
    assert _wanted(world) == [PREF.id, OTHER.id]
    assert (await world.service.take_sub(OTHER, session.id)).action == "sub_taken"


async def test_accept_once_changes_instructor_tells_members_once_and_moves_host(
    subs: World,
) -> None:
    session = await subs.service.schedule(
        SENSEI,
        ScheduleSession(title="Kata basics", start_time=subs.now + timedelta(days=2), capacity=1),
        ORIGIN,
    )
    await subs.service.rsvp(ANA, session.id)
    await subs.service.rsvp(BEN, session.id)  # waitlisted
    await subs.service.need_sub(SENSEI, session.id)
    outcome = await subs.service.take_sub(PREF, session.id)
    assert outcome.action == "sub_taken"
    after = await subs.service.get(session.id)
    assert (after.instructor_id, after.instructor_name) == (PREF.id, PREF.display_name)
    assert after.sequence == session.sequence + 1
    assert subs.chat.of_kind("announcement")[-1].to == "msg-1"  # the card edited in place
    assert sorted(_of(subs, NoticeKind.SUB_FOUND)) == sorted([ANA.id, BEN.id, SENSEI.id])
    with pytest.raises(InvalidState, match="already taken by pref"):
        await subs.service.take_sub(PREF2, session.id)
    assert sorted(_of(subs, NoticeKind.SUB_FOUND)) == sorted([ANA.id, BEN.id, SENSEI.id])
    room = after.room.room_id
    assert (room, SENSEI.id) in subs.rooms.withdrawn
    subs.clock.set(after.start_time - timedelta(minutes=5))
    await subs.service.join(PREF, session.id)
    assert subs.rooms.issued[-1] == (room, PREF.id, True)
    assert all(not (m == SENSEI.id and host) for _, m, host in subs.rooms.issued)
    request = await subs.service.substitute_request(session.id)
    assert request is not None and request.status is SubstituteStatus.TAKEN


async def test_a_taken_session_is_audited_as_an_update_of_its_instructor(subs: World) -> None:
    session = await _session(subs)
    await subs.service.need_sub(SENSEI, session.id)
    await subs.service.take_sub(PREF, session.id)
    [entry] = await subs.store.list_audit(AuditQuery(action=AuditAction.UPDATE))
    assert (entry.actor_id, entry.target, entry.before, entry.after) == (
        PREF.id,
        session.id,
        {"instructor_id": SENSEI.id},
        {"instructor_id": PREF.id},
    )


async def test_second_need_sub_while_open_says_so_and_only_owner_or_admin_asks(
    subs: World,
) -> None:
    session = await _session(subs)
    with pytest.raises(PermissionDenied):
        await subs.service.need_sub(OTHER, session.id)
    await subs.service.need_sub(ADMIN, session.id)
    with pytest.raises(InvalidState, match="already open"):
        await subs.service.need_sub(SENSEI, session.id)
    assert _wanted(subs) == [PREF2.id, PREF.id]


async def test_accept_after_deadline_refused_and_admins_told_once(subs: World) -> None:
    session = await _session(subs)
    await subs.service.need_sub(SENSEI, session.id)
    request = await subs.service.substitute_request(session.id)
    assert request is not None
    assert request.answer_by == session.start_time - timedelta(hours=2)
    subs.clock.set(request.answer_by - timedelta(seconds=1))
    await subs.duties.run_due()  # widened long ago; nothing due yet
    assert _of(subs, NoticeKind.SUB_MISSING) == []
    subs.clock.set(request.answer_by)
    with pytest.raises(InvalidState, match="closed"):
        await subs.service.take_sub(OTHER, session.id)  # one second late, duty not yet run
    await subs.duties.run_due()
    await subs.duties.run_due()
    assert sorted(_of(subs, NoticeKind.SUB_MISSING)) == sorted([ADMIN.id, BOSS2.id, SENSEI.id])
    assert (await subs.service.get(session.id)).instructor_id == SENSEI.id
    assert await SubstituteDuty(subs.service).next_due() is None


async def test_accept_one_second_before_deadline_wins(subs: World) -> None:
    session = await _session(subs)
    await subs.service.need_sub(SENSEI, session.id)
    request = await subs.service.substitute_request(session.id)
    assert request is not None
    subs.clock.set(request.answer_by - timedelta(seconds=1))
    assert (await subs.service.take_sub(OTHER, session.id)).action == "sub_taken"
    subs.clock.set(request.answer_by)
    await subs.duties.run_due()
    assert _of(subs, NoticeKind.SUB_MISSING) == []


async def test_no_admins_configured_falls_back_to_the_channel_once() -> None:
    world = _world(SubstituteRules(instructors=(OTHER.id,)))
    session = await _session(world)
    await world.service.need_sub(SENSEI, session.id)
    assert _wanted(world) == [OTHER.id]  # no preferred: everyone at once
    world.clock.set(session.start_time - timedelta(hours=2))
    await world.duties.run_due()
    await world.duties.run_due()
    posts = [
        s
        for s in world.chat.of_kind("channel")
        if s.notice and s.notice.kind is NoticeKind.SUB_MISSING
    ]
    assert len(posts) == 1
    assert _of(world, NoticeKind.SUB_MISSING).count(SENSEI.id) == 1


async def test_session_canceled_while_open_closes_the_request(subs: World) -> None:
    session = await _session(subs)
    await subs.service.need_sub(SENSEI, session.id)
    await subs.service.cancel(SENSEI, session.id, "ill")
    request = await subs.service.substitute_request(session.id)
    assert request is not None and request.status is SubstituteStatus.CLOSED
    assert await SubstituteDuty(subs.service).next_due() is None
    with pytest.raises(InvalidState):
        await subs.service.take_sub(OTHER, session.id)
    subs.clock.advance(timedelta(days=1))
    await subs.duties.run_due()
    assert _of(subs, NoticeKind.SUB_MISSING) == []


async def test_take_without_request_and_need_sub_after_start_refused(subs: World) -> None:
    session = await _session(subs, in_=timedelta(hours=1))
    with pytest.raises(NotFound):
        await subs.service.take_sub(OTHER, session.id)
    subs.clock.set(session.start_time)
    with pytest.raises(InvalidState, match="before the start"):
        await subs.service.need_sub(SENSEI, session.id)


def test_answer_deadline_is_two_hours_before_or_half_the_time_left() -> None:
    rules = SubstituteRules()
    now = FakeClock().now()
    start = now + timedelta(hours=10)
    assert answer_deadline(now, start, rules) == start - timedelta(hours=2)
    start = now + timedelta(hours=3)
    assert answer_deadline(now, start, rules) == now + timedelta(hours=1, minutes=30)
    assert answer_deadline(now, now + timedelta(minutes=10), rules) == now + timedelta(minutes=5)


async def test_waitlisted_member_leaving_is_not_told(subs: World) -> None:
    session = await _session(subs)
    await subs.service.rsvp(ANA, session.id)
    await subs.service.unrsvp(ANA, session.id)
    await subs.service.need_sub(SENSEI, session.id)
    await subs.service.take_sub(PREF2, session.id)
    assert ANA.id not in _of(subs, NoticeKind.SUB_FOUND)
    assert RsvpStatus.LEFT in {r.status for r in await subs.store.list_rsvps(session.id)}


async def test_moving_the_session_moves_the_requests_deadline(subs: World) -> None:
    session = await _session(subs)  # in two days
    await subs.service.need_sub(SENSEI, session.id)
    earlier = subs.now + timedelta(hours=5)
    await subs.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=earlier))
    request = await subs.service.substitute_request(session.id)
    assert request is not None and request.answer_by == subs.now + timedelta(hours=3)
    assert request.answer_by < earlier and request.status is SubstituteStatus.OPEN
    subs.clock.set(request.answer_by)
    await subs.duties.run_due()
    assert sorted(_of(subs, NoticeKind.SUB_MISSING)) == sorted([ADMIN.id, BOSS2.id, SENSEI.id])


async def test_a_preferred_substitute_is_eligible_without_being_listed() -> None:
    world = _world(SubstituteRules(preferred=(PREF.id,)))
    session = await _session(world)
    await world.service.need_sub(SENSEI, session.id)
    assert _wanted(world) == [PREF.id]
    assert (await world.service.take_sub(PREF, session.id)).action == "sub_taken"


class _EditedMeanwhileStore(InMemorySessionStore):
    """The memory store, where another process retitles the session (and raises its
    capacity) just after an accept won the substitute request."""

    async def update_substitute_request(
        self,
        request: SubstituteRequest,
        expected: SubstituteStatus,
        expected_widened: bool | None = None,
    ) -> bool:
        won = await super().update_substitute_request(request, expected, expected_widened)
        if won and request.status is SubstituteStatus.TAKEN:
            current = await self.get_session(request.session_id)
            assert current is not None
            retitled = current.model_copy(
                update={"title": "Kata (room 2)", "capacity": 9, "sequence": current.sequence + 1}
            )
            await self.save_session(retitled)
        return won


async def test_an_accept_keeps_a_change_another_process_made_meanwhile() -> None:
    clock = FakeClock()
    store = _EditedMeanwhileStore()
    chat = RecordingChatDelivery()
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, substitute_rules=RULES)
    session = await service.schedule(
        SENSEI,
        ScheduleSession(title="Kata basics", start_time=clock.now() + timedelta(days=2)),
        ORIGIN,
    )
    await service.need_sub(SENSEI, session.id)
    await service.take_sub(PREF, session.id)
    after = await service.get(session.id)
    assert after.instructor_id == PREF.id
    assert (after.title, after.capacity) == ("Kata (room 2)", 9)  # not overwritten
    assert after.sequence == session.sequence + 2


async def test_a_late_accept_gives_the_deadline_in_the_instructors_zone(subs: World) -> None:
    session = await _session(subs)
    await subs.service.need_sub(SENSEI, session.id)
    request = await subs.service.substitute_request(session.id)
    assert request is not None
    subs.clock.set(request.answer_by)
    in_tokyo = member("other", Role.INSTRUCTOR, tz="Asia/Tokyo")
    with pytest.raises(InvalidState, match="closed") as refused:
        await subs.service.take_sub(in_tokyo, session.id)
    assert "(Asia/Tokyo)" in str(refused.value)


async def test_a_substitute_configured_by_a_linked_identity_is_one_person() -> None:
    world = _world(SubstituteRules(instructors=("discord:9",), preferred=("discord:9",)))
    now = world.now
    profile = MemberProfile(
        id="t:pref",
        display_name="pref",
        identities=["t:pref", "discord:9"],
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )
    await world.store.save_profile(profile)
    linked = Member(id="t:pref", display_name="pref", role=Role.INSTRUCTOR, platform_id="discord:9")
    await world.service.schedule(  # taught recently under the profile id: known by it too
        linked, ScheduleSession(title="x", start_time=now + timedelta(hours=5)), ORIGIN
    )
    session = await _session(world)
    await world.service.need_sub(SENSEI, session.id)
    assert _wanted(world) == ["t:pref"]  # asked as the preferred substitute
    world.clock.advance(timedelta(minutes=30))
    await world.duties.run_due()  # the head start ends: not asked again as "another"
    assert _wanted(world) == ["t:pref"]
    assert (await world.service.take_sub(linked, session.id)).action == "sub_taken"
