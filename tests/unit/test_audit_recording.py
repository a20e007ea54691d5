"""The audit log records every older instructor and admin use case once the change is
stored (who, from which front end, what changed before → after, instants ISO UTC): schedule,
update (capacity apart), cancel, start, end, the clock's overdue end, not-held close and
default cancel (actor "clock"), waiver, link, unlink, forget (without the name), weekly
classes; a change made once is recorded once, also when two callers race; the daily
clean-up drops entries past the retention."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from core.audit import AuditAction, AuditEntry, AuditQuery, AuditRules
from core.commands import ScheduleSeries, SeriesScope, UpdateSeries, UpdateSession
from core.duties import Duties
from core.members import PlatformFacts
from core.min_attendance import MinAttendanceRules, MinDefault
from core.min_attendance_duty import MinAttendanceDuty
from core.model import Role
from core.no_show_policy import NoShowRules
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ADMIN, BEN, ORIGIN, SENSEI, World

SECOND = timedelta(seconds=1)


def world_with(**options: object) -> World:
    clock, store = FakeClock(), InMemorySessionStore()
    rooms, chat = InMemoryVideoRooms(), RecordingChatDelivery()
    service = SessionService(store, rooms, chat, clock, **options)  # type: ignore[arg-type]
    return World(
        clock, store, rooms, chat, service, Duties(service, ReminderDispatcher(store, chat))
    )


async def log(world: World, **query: object) -> list[AuditEntry]:
    """Every entry, oldest first."""
    entries = await world.store.list_audit(AuditQuery.model_validate({"limit": 1000} | query))
    return list(reversed(entries))


def actions(entries: list[AuditEntry]) -> list[tuple[str, str, str]]:
    return [(e.action.value, e.actor_id, e.target) for e in entries]


async def test_schedule_update_and_cancel_record_what_changed(world: World) -> None:
    sensei = SENSEI.model_copy(update={"front_end": "slack"})
    command = {"title": "Kata", "start_time": world.now + timedelta(days=2), "capacity": 10}
    from core.commands import ScheduleSession

    session = await world.service.schedule(sensei, ScheduleSession.model_validate(command), ORIGIN)
    update = UpdateSession(session_id=session.id, title="Kata 2", capacity=12, duration_minutes=60)
    world.clock.advance(SECOND)
    await world.service.update(sensei, update)
    world.clock.advance(SECOND)
    await world.service.cancel(sensei, session.id, "snow")
    entries = {e.action: e for e in await log(world)}  # capacity and update: one instant
    assert len(entries) == 4
    scheduled, capacity, updated, canceled = (
        entries[a]
        for a in (
            AuditAction.SCHEDULE,
            AuditAction.CAPACITY,
            AuditAction.UPDATE,
            AuditAction.CANCEL,
        )
    )
    assert scheduled.action is AuditAction.SCHEDULE and scheduled.before == {}
    assert scheduled.after["title"] == "Kata" and scheduled.after["capacity"] == 10
    assert scheduled.after["start_time"] == session.start_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (scheduled.actor_id, scheduled.actor_name, scheduled.front_end) == (
        SENSEI.id,
        "sensei",
        "slack",
    )
    assert (capacity.action, capacity.before, capacity.after) == (
        AuditAction.CAPACITY,
        {"capacity": 10},
        {"capacity": 12},
    )
    # the duration was 60 already: only what changed
    assert (updated.action, updated.before, updated.after) == (
        AuditAction.UPDATE,
        {"title": "Kata"},
        {"title": "Kata 2"},
    )
    assert canceled.action is AuditAction.CANCEL
    assert canceled.before == {"status": "scheduled"}
    assert canceled.after == {"status": "canceled", "reason": "snow"}
    assert {e.target for e in (scheduled, capacity, updated, canceled)} == {session.id}


async def test_start_end_and_the_clocks_overdue_end(world: World) -> None:
    first = await world.schedule(in_=timedelta(hours=1))
    second = await world.schedule(in_=timedelta(hours=1))
    unheld = await world.schedule(in_=timedelta(hours=1))
    world.clock.set(first.start_time)
    await world.service.start(SENSEI, first.id)
    await world.service.start(SENSEI, second.id)
    await world.service.end(SENSEI, first.id)
    world.clock.set(second.end_time + timedelta(minutes=31))
    await world.service.end_overdue()
    entries = [e for e in await log(world) if e.action is not AuditAction.SCHEDULE]
    assert sorted(actions(entries)) == sorted(
        [
            ("start", SENSEI.id, first.id),
            ("start", SENSEI.id, second.id),
            ("end", SENSEI.id, first.id),
            ("end", "clock", second.id),
            ("end", "clock", unheld.id),
        ]
    )
    overdue = next(e for e in entries if e.target == second.id and e.action is AuditAction.END)
    assert overdue.front_end == "clock" and overdue.actor_name == "clock"
    assert overdue.after == {
        "status": "ended",
        "ended_at": world.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    not_held = next(e for e in entries if e.target == unheld.id)
    assert not_held.after["status"] == "not_held"


async def test_two_ends_at_once_are_recorded_once(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=1))
    world.clock.set(session.start_time)
    live = await world.service.start(SENSEI, session.id)
    # both callers passed the rules (the instructor, the room's end): one change wins
    await asyncio.gather(
        world.service.finish(live.model_copy(deep=True), automatically=False, actor=SENSEI),
        world.service.finish(live.model_copy(deep=True), automatically=False),
    )
    assert len(await log(world, action=AuditAction.END)) == 1
    assert len(await log(world, action=AuditAction.START)) == 1


async def test_the_default_cancel_is_the_clocks() -> None:
    world = world_with(min_attendance=MinAttendanceRules(default=MinDefault.CANCEL))
    duties = Duties(
        world.service,
        ReminderDispatcher(world.store, world.chat),
        [MinAttendanceDuty(world.service)],
    )
    session = await world.schedule(min_going=5, capacity=10)
    world.clock.set(session.start_time - timedelta(hours=3))
    await duties.run_due()
    world.clock.set(session.start_time - timedelta(hours=2))
    await duties.run_due()
    [canceled] = await log(world, action=AuditAction.CANCEL)
    assert (canceled.actor_id, canceled.front_end, canceled.target) == (
        "clock",
        "clock",
        session.id,
    )


async def test_a_waiver_is_recorded_once() -> None:
    world = world_with(no_show_rules=NoShowRules(enabled=True, admins=(ADMIN.id,)))
    session = await world.schedule(in_=timedelta(days=2), capacity=20)
    await world.service.rsvp(BEN, session.id)
    world.clock.set(session.start_time)
    await world.service.start(SENSEI, session.id)
    await world.service.end(SENSEI, session.id)
    await world.service.waive(ADMIN, session.id, BEN.id)
    await world.service.waive(ADMIN, session.id, BEN.id)  # already waived: nothing changes
    [waiver] = await log(world, action=AuditAction.WAIVER)
    assert (waiver.actor_id, waiver.target) == (ADMIN.id, session.id)
    assert waiver.after == {"member_id": BEN.id, "waived": ["no_show"]}


async def test_link_unlink_and_forget_without_the_name(world: World) -> None:
    ana = await world.service.identify(
        PlatformFacts(member_id="slack:T1:U1", display_name="Ana Silva", front_end="slack"),
        Role.MEMBER,
    )
    on_discord = await world.service.identify(
        PlatformFacts(member_id="discord:555", display_name="ana_s", front_end="discord"),
        Role.MEMBER,
    )
    code = await world.service.link_code(ana)
    await world.service.link(on_discord, code.code)
    world.clock.advance(SECOND)
    await world.service.unlink(ana)
    world.clock.advance(SECOND)
    request = await world.service.forget_request(ana)
    await world.service.forget(ana, request.code)
    link, unlink, forget = await log(world)
    assert (link.action, link.front_end, link.target) == (AuditAction.LINK, "discord", ana.id)
    assert link.after == {"identity": "discord:555", "profile_id": ana.id}
    assert (unlink.action, unlink.before["identity"]) == (AuditAction.UNLINK, "discord:555")
    assert forget.action is AuditAction.FORGET and forget.target.startswith("forgotten:")
    assert forget.actor_id == forget.target  # herself: the anonymous id, not hers
    assert "Ana" not in forget.model_dump_json() and ana.id not in forget.model_dump_json()


async def test_weekly_classes_schedule_change_and_end(world: World) -> None:
    plan = await world.service.schedule_series(
        SENSEI,
        ScheduleSeries(
            title="Kids",
            weekdays=[0],
            local_time=time(18, 0),
            timezone="UTC",
            first_day=world.now.date() + timedelta(days=1),
            until=world.now.date() + timedelta(days=60),
            duration_minutes=60,
            capacity=8,
        ),
        ORIGIN,
    )
    root = plan.series.root_id
    world.clock.advance(SECOND)
    await world.service.update_series(
        SENSEI, UpdateSeries(series_id=root, scope=SeriesScope.ALL, capacity=9, title="Kids+")
    )
    from core.commands import EndSeries

    world.clock.advance(SECOND)
    await world.service.end_series(SENSEI, EndSeries(series_id=root))
    entries = await log(world, target=root)
    kinds = [e.action for e in entries]  # capacity and update: one instant, any order
    assert kinds[0] is AuditAction.SCHEDULE and kinds[-1] is AuditAction.CANCEL
    assert sorted(kinds[1:-1]) == sorted([AuditAction.CAPACITY, AuditAction.UPDATE])
    by_action = {e.action: e for e in entries}
    assert by_action[AuditAction.SCHEDULE].after["rule"]["weekdays"] == [0]
    capacity = by_action[AuditAction.CAPACITY]
    assert capacity.before == {"capacity": 8} and capacity.after == {"capacity": 9}
    update = by_action[AuditAction.UPDATE]
    assert update.after["title"] == "Kids+" and update.before["title"] == "Kids"
    assert date.fromisoformat(update.after["from_day"]) == world.now.date()


async def test_a_day_skipped_twice_is_recorded_once(world: World) -> None:
    from core.commands import SkipDay

    plan = await world.service.schedule_series(
        SENSEI,
        ScheduleSeries(
            title="Kids",
            weekdays=[0],
            local_time=time(18, 0),
            timezone="UTC",
            first_day=world.now.date() + timedelta(days=1),
            duration_minutes=60,
        ),
        ORIGIN,
    )
    far = world.now.date() + timedelta(days=7 * 28 - world.now.weekday())  # Monday, unlisted
    for _ in range(2):  # a retried command, a double click
        world.clock.advance(SECOND)
        await world.service.skip_day(SENSEI, SkipDay(series_id=plan.series.id, day=far))
    skips = [e for e in await log(world, action=AuditAction.CANCEL) if "skipped_day" in e.after]
    assert [e.after["skipped_day"] for e in skips] == [far.isoformat()]


async def test_the_daily_cleanup_drops_entries_past_the_retention() -> None:
    world = world_with(audit_rules=AuditRules(kept_for=timedelta(days=30)))
    old = await world.schedule()
    world.clock.advance(timedelta(days=20))
    new = await world.schedule()
    world.clock.advance(timedelta(days=10, seconds=1))
    await world.service.cleanup()
    assert [e.target for e in await log(world)] == [new.id]
    assert old.id != new.id
