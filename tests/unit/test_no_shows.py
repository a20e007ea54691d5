"""The no-show policy through the service (in-memory store, FakeClock): marks when a session
ends (once, also from two processes at once), a join-link click as presence, late cancels at
the window's edge, restricted RSVPs, appeals to admins, waivers within and after the window,
and Mark-present from the summary's button."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from core.duties import Duties
from core.errors import InvalidState, PermissionDenied
from core.executor import CommandExecutor, RsvpOutcome
from core.grammar import parse_command
from core.members import PlatformFacts
from core.model import Member, Role, RsvpStatus, TrainingSession
from core.no_show_policy import NoShowRules
from core.notices import Notice, NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.reply_outcome import ReplyOutcome
from core.seat_marks import MarkKind
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ADMIN, ANA, BEN, CAL, ORIGIN, SENSEI, World

ON = NoShowRules(enabled=True, admins=("t:boss",))


def world_with(rules: NoShowRules, store: InMemorySessionStore | None = None) -> World:
    clock = FakeClock()
    store = store or InMemorySessionStore()
    rooms = InMemoryVideoRooms()
    chat = RecordingChatDelivery()
    service = SessionService(store, rooms, chat, clock, no_show_rules=rules)
    duties = Duties(service, ReminderDispatcher(store, chat))
    return World(clock, store, rooms, chat, service, duties)


@pytest.fixture
def on() -> World:
    return world_with(ON)


async def held(world: World, *going: Member, present: tuple[Member, ...] = ()) -> TrainingSession:
    """A session the members RSVP'd to, started, `present` clicked in, ended."""
    session = await world.schedule(in_=timedelta(days=2), capacity=20)
    for member in going:
        await world.service.rsvp(member, session.id)
    world.clock.set(session.start_time)
    await world.service.start(SENSEI, session.id)
    for member in present:
        await world.service.open_room(member, session.id)
    await world.service.end(SENSEI, session.id)
    return await world.service.get(session.id)


async def run(world: World, actor: Member, line: str) -> object:
    command = parse_command(line, world.now, actor.timezone)
    return await CommandExecutor(world.service).execute(actor, command, ORIGIN)


def posted(world: World, kind: NoticeKind) -> list[Notice]:
    """The channel posts of one kind."""
    return [s.notice for s in world.chat.of_kind("channel") if s.notice and s.notice.kind is kind]


def ended_at(session: TrainingSession) -> datetime:
    assert session.ended_at is not None
    return session.ended_at


def notices(world: World, to: str, kind: NoticeKind) -> list[str]:
    return [s.text for s in world.chat.sent if s.to == to and s.notice and s.notice.kind is kind]


async def test_going_members_never_in_the_room_are_no_shows_a_click_is_presence(
    on: World,
) -> None:
    session = await held(on, ANA, BEN, present=(ANA,))
    marks = await on.store.list_session_marks(session.id)
    assert [(m.member_id, m.kind) for m in marks] == [(BEN.id, MarkKind.NO_SHOW)]
    [told] = notices(on, BEN.id, NoticeKind.NO_SHOW)
    assert "recorded as a no-show" in told
    assert not notices(on, ANA.id, NoticeKind.NO_SHOW)


async def test_the_summary_offers_mark_present_buttons_and_the_button_marks_present(
    on: World,
) -> None:
    session = await held(on, ANA, BEN)
    [ended] = posted(on, NoticeKind.ENDED)
    commands = [b.command for b in ended.buttons]
    assert commands == [
        f"/mark-present {session.id} {ANA.id}",
        f"/mark-present {session.id} {BEN.id}",
    ]
    with pytest.raises(PermissionDenied):
        await run(on, CAL, commands[1])
    outcome = await run(on, SENSEI, commands[1])
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "marked_present"
    present = [m for m in await on.store.list_session_marks(session.id) if m.member_id == BEN.id]
    assert {(m.kind, m.marked_by) for m in present} == {
        (MarkKind.NO_SHOW, None),
        (MarkKind.PRESENT, SENSEI.id),
    }
    again = await run(on, SENSEI, commands[1])
    assert isinstance(again, ReplyOutcome) and again.action == "already_present"
    assert len(notices(on, BEN.id, NoticeKind.NO_SHOW)) == 2  # the mark, then present once


async def test_a_summary_with_many_absent_has_ten_buttons_and_says_what_to_type(on: World) -> None:
    crowd = [Member(id=f"t:m{i}", display_name=f"m{i}") for i in range(12)]
    session = await held(on, *crowd)
    [ended] = posted(on, NoticeKind.ENDED)
    assert len(ended.buttons) == 10
    assert f"/mark-present {session.id} <member>" in ended.text


async def test_two_processes_ending_at_once_record_each_no_show_once(on: World) -> None:
    other = world_with(ON, store=on.store)
    session = await on.schedule(in_=timedelta(days=1), capacity=5)
    await on.service.rsvp(BEN, session.id)
    on.clock.set(session.start_time)
    other.clock.set(session.start_time)
    await on.service.start(SENSEI, session.id)
    live = await on.service.get(session.id)
    await asyncio.gather(
        on.service.finish(live.model_copy(deep=True), automatically=False),
        other.service.finish(live.model_copy(deep=True), automatically=True),
    )
    marks = await on.store.list_session_marks(session.id)
    assert [(m.member_id, m.kind) for m in marks] == [(BEN.id, MarkKind.NO_SHOW)]
    told = notices(on, BEN.id, NoticeKind.NO_SHOW) + notices(other, BEN.id, NoticeKind.NO_SHOW)
    assert len(told) == 1
    # a redelivered end (the record again, later) writes and tells nothing more
    on.clock.advance(timedelta(minutes=5))
    absent = [r for r in await on.store.list_rsvps(session.id) if r.member_id == BEN.id]
    await on.service._record_no_shows(live, absent, on.now)
    assert len(await on.store.list_session_marks(session.id)) == 1
    assert len(notices(on, BEN.id, NoticeKind.NO_SHOW)) == 1


async def test_late_cancel_window_edge(on: World) -> None:
    session = await on.schedule(in_=timedelta(days=1), capacity=1)
    for member in (ANA, BEN, CAL):
        await on.service.rsvp(member, session.id)  # ana going, ben and cal waitlisted
    window = ON.late_cancel_window
    on.clock.set(session.start_time - window - timedelta(seconds=1))
    await on.service.unrsvp(ANA, session.id)  # just before the window: no mark; ben promoted
    await on.service.unrsvp(CAL, session.id)  # waitlisted: never a late cancel
    on.clock.set(session.start_time - window)
    await on.service.unrsvp(BEN, session.id)  # exactly at the window's start: late
    marks = await on.store.list_session_marks(session.id)
    assert [(m.member_id, m.kind) for m in marks] == [(BEN.id, MarkKind.LATE_CANCEL)]
    [told] = notices(on, BEN.id, NoticeKind.NO_SHOW)
    assert "late cancel" in told


async def test_three_marks_restrict_rsvps_to_the_waitlist_and_say_until_when(on: World) -> None:
    for _ in range(3):
        await held(on, BEN)
    [began] = [t for t in notices(on, BEN.id, NoticeKind.NO_SHOW) if "waitlist only" in t]
    assert "Until" in began
    session = await on.schedule(in_=timedelta(days=2), capacity=5)
    outcome = await run(on, BEN, f"/rsvp {session.id}")
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "waitlisted_restricted"
    assert "waitlist only" in outcome.lines[0]
    rsvp = await on.service.rsvp_of(BEN, session.id)
    assert rsvp is not None and rsvp.status is RsvpStatus.WAITLISTED
    going = await run(on, ANA, f"/rsvp {session.id}")
    assert isinstance(going, RsvpOutcome) and going.change.rsvp is not None
    assert going.change.rsvp.status is RsvpStatus.GOING
    # 14 days after the third mark the restriction is over
    third = max(
        m.created_at for m in await on.store.list_seat_marks([BEN.id], on.now - timedelta(days=60))
    )
    on.clock.set(third + ON.restriction)
    assert await on.service.waitlist_only_until(BEN.id) is None


async def test_policy_off_records_marks_but_never_dms_or_restricts(world: World) -> None:
    for _ in range(3):
        await held(world, BEN)
    assert len(await world.store.list_seat_marks([BEN.id], world.now - timedelta(days=30))) == 3
    assert not notices(world, BEN.id, NoticeKind.NO_SHOW)
    session = await world.schedule(in_=timedelta(days=2), capacity=5)
    change = await world.service.rsvp(BEN, session.id)
    assert change.rsvp is not None and change.rsvp.status is RsvpStatus.GOING


async def test_appeal_tells_the_admins_once_with_a_waive_button(on: World) -> None:
    session = await held(on, BEN)
    outcome = await run(on, BEN, f"/appeal {session.id}")
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "appealed"
    [appeal] = [s.notice for s in on.chat.dms_to(ADMIN.id) if s.notice]
    assert appeal.kind is NoticeKind.APPEAL
    assert [b.command for b in appeal.buttons] == [f"/waive {session.id} {BEN.id}"]
    again = await run(on, BEN, f"/appeal {session.id}")
    assert isinstance(again, ReplyOutcome) and again.action == "already_appealed"
    assert len(on.chat.dms_to(ADMIN.id)) == 1
    with pytest.raises(InvalidState, match="no no-show"):
        await run(on, ANA, f"/appeal {session.id}")


async def test_appeal_without_configured_admins_posts_in_the_channel_once() -> None:
    world = world_with(NoShowRules(enabled=True))
    session = await held(world, BEN)
    await run(world, BEN, f"/appeal {session.id}")
    posts = posted(world, NoticeKind.APPEAL)
    assert len(posts) == 1


async def test_waive_within_the_window_and_not_after(on: World) -> None:
    first = await held(on, BEN)
    on.clock.set(ended_at(first) + timedelta(days=1))
    second = await held(on, BEN)
    with pytest.raises(PermissionDenied):
        await run(on, SENSEI, f"/waive {second.id} {BEN.id}")
    on.clock.set(ended_at(second) + ON.waive_within)  # the last instant
    outcome = await run(on, ADMIN, f"/waive {second.id} {BEN.id}")
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "waived"
    [told] = [t for t in notices(on, BEN.id, NoticeKind.NO_SHOW) if "waived" in t]
    again = await run(on, ADMIN, f"/waive {second.id} {BEN.id}")
    assert isinstance(again, ReplyOutcome) and again.action == "already_waived"
    with pytest.raises(InvalidState, match="Too late"):
        await run(on, ADMIN, f"/waive {first.id} {BEN.id}")
    assert told


async def test_my_record_lists_marks_and_works_across_linked_identities(on: World) -> None:
    facts = PlatformFacts(member_id="discord:99", display_name="benji")
    benji = await on.service.identify(facts, Role.MEMBER)
    session = await held(on, benji)  # a no-show on his other account, before linking
    await on.service.identify(PlatformFacts(member_id=BEN.id, display_name="ben"), Role.MEMBER)
    code = await on.service.link_code(BEN)
    await on.service.link(benji, code.code)
    outcome = await run(on, BEN, "/my-record")
    assert isinstance(outcome, ReplyOutcome)
    text = "\n".join(outcome.lines)
    assert "no-show" in text and session.id in text
    assert [b.command for b in outcome.buttons] == [f"/appeal {session.id}"]
    appealed = await run(on, BEN, f"/appeal {session.id}")
    assert isinstance(appealed, ReplyOutcome) and appealed.action == "appealed"
    with pytest.raises(PermissionDenied):
        await run(on, ANA, f"/my-record {BEN.id}")
    staff = await run(on, SENSEI, f"/my-record {BEN.id}")
    assert isinstance(staff, ReplyOutcome) and not staff.buttons
    assert session.id in "\n".join(staff.lines)
    assert "appealed" in "\n".join(staff.lines)


async def test_marks_are_dropped_after_the_retention(on: World) -> None:
    await held(on, BEN)
    on.clock.advance(ON.kept_for() + timedelta(days=1))
    await on.service.cleanup()
    assert await on.store.list_seat_marks([BEN.id], on.now - timedelta(days=400)) == []


async def test_offers_skip_restricted_members() -> None:
    from core.offers import OfferRules

    clock = FakeClock()
    store = InMemorySessionStore()
    chat = RecordingChatDelivery()
    service = SessionService(
        store,
        InMemoryVideoRooms(),
        chat,
        clock,
        no_show_rules=ON,
        offer_rules=OfferRules(enabled=True),
    )
    world = World(
        clock,
        store,
        InMemoryVideoRooms(),
        chat,
        service,
        Duties(service, ReminderDispatcher(store, chat)),
    )
    for _ in range(3):
        await held(world, BEN)
    session = await world.schedule(in_=timedelta(days=2), capacity=1)
    await service.rsvp(ANA, session.id)
    await service.rsvp(BEN, session.id)  # restricted: waitlisted, first in line
    await service.rsvp(CAL, session.id)
    await service.unrsvp(ANA, session.id)
    rows = {r.member_id: r.status for r in await store.list_rsvps(session.id)}
    assert rows[CAL.id] is RsvpStatus.OFFERED
    assert rows[BEN.id] is RsvpStatus.WAITLISTED


async def test_forget_me_drops_the_members_marks(on: World) -> None:
    await on.service.identify(PlatformFacts(member_id=BEN.id, display_name="ben"), Role.MEMBER)
    session = await held(on, BEN)
    assert await on.store.list_session_marks(session.id)
    code = await on.service.forget_request(BEN)
    await on.service.forget(BEN, code.code)
    assert await on.store.list_session_marks(session.id) == []


async def test_a_room_webhooks_stay_is_presence(on: World) -> None:
    session = await on.schedule(in_=timedelta(days=1), capacity=5)
    await on.service.rsvp(ANA, session.id)
    await on.service.rsvp(BEN, session.id)
    on.clock.set(session.start_time)
    await on.service.start(SENSEI, session.id)
    live = await on.service.get(session.id)
    await on.service.entered_room(live, ANA.id, "ana", on.now)  # RealtimeKit's join webhook
    await on.service.left_room(live, ANA.id, "ana", on.now + timedelta(minutes=1), on.now)
    await on.service.end(SENSEI, session.id)
    marks = await on.store.list_session_marks(session.id)
    assert [(m.member_id, m.kind) for m in marks] == [(BEN.id, MarkKind.NO_SHOW)]


async def test_no_appeal_once_the_mark_can_no_longer_be_waived(on: World) -> None:
    session = await held(on, BEN)
    on.clock.set(ended_at(session) + ON.waive_within + timedelta(seconds=1))
    record = await run(on, BEN, "/my-record")
    assert isinstance(record, ReplyOutcome) and record.buttons == []  # no Appeal button
    with pytest.raises(InvalidState, match="Too late"):
        await run(on, BEN, f"/appeal {session.id}")
    assert on.chat.dms_to(ADMIN.id) == []  # no Waive button that could not work
