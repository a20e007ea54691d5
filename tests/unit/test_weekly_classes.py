"""Weekly classes lived with on the simulated clock (issue 14): occurrences are ordinary
sessions listed in a rolling window, once however often and by however many the window is
walked; standing RSVPs in the order made; one card at a time; skips, changes and ends that
tell members once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.commands import (
    EndSeries,
    ScheduleSeries,
    SeriesScope,
    SkipDay,
    UpdateSeries,
    UpdateSession,
)
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.model import Role, RsvpStatus, SessionFilter, SessionStatus, TrainingSession
from core.notices import NoticeKind
from core.notifier import Notifier
from core.recurrence import placements
from core.room_keeper import RoomKeeper
from core.series import occurrence, occurrence_id
from core.series_keeper import SeriesKeeper
from core.service import SessionService
from tests.unit.conftest import ANA, BEN, CAL, ORIGIN, OTHER_TEACHER, SENSEI, World, member

MON, WED, SUN = 0, 2, 6
BERLIN = ZoneInfo("Europe/Berlin")


def kids(**changes: object) -> ScheduleSeries:
    fields: dict[str, object] = {
        "title": "Kids karate",
        "weekdays": [MON, WED],
        "local_time": time(17, 30),
        "timezone": "Europe/Berlin",
        "until": date(2027, 6, 30),
        "capacity": 2,
    }
    return ScheduleSeries.model_validate(fields | changes)


async def live_until(world: World, target: datetime) -> None:
    """Run the clock like the alarm does: wake at each due moment up to `target`."""
    while (due := await world.duties.next_wakeup()) is not None and due <= target:
        world.clock.set(max(due, world.now))
        await world.duties.run_due()
    world.clock.set(target)


async def occurrences(world: World, series_id: str | None = None) -> list[TrainingSession]:
    found = await world.store.list_sessions(SessionFilter(limit=1000, include_archived=True))
    return [s for s in found if s.series_id is not None and series_id in (None, s.series_id)]


async def test_a_series_lists_four_weeks_of_ordinary_sessions_and_posts_one_card(
    world: World,
) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    listed = await occurrences(world)
    assert len(listed) == 8  # Wed 2 Dec .. Mon 28 Dec: 4 weeks of Mon + Wed
    assert {s.start_time.astimezone(BERLIN).strftime("%a %H:%M") for s in listed} == {
        "Mon 17:30",
        "Wed 17:30",
    }
    assert listed[0].id == occurrence_id(plan.series.id, date(2026, 12, 2))
    assert all(s.capacity == 2 and s.status is SessionStatus.SCHEDULED for s in listed)
    assert plan.total > 50 and len(plan.upcoming) == 5 and plan.notes == []
    assert len(world.chat.of_kind("announcement")) == 1  # never a flood of cards


async def test_the_window_rolls_with_the_clock_and_never_lists_a_day_twice(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await live_until(world, world.now + timedelta(weeks=3))
    listed = await occurrences(world, plan.series.id)
    days = [s.start_time.astimezone(BERLIN).date() for s in listed]
    assert len(days) == len(set(days)) == 14  # 7 weeks of Mon + Wed
    assert max(days) <= (world.now + timedelta(weeks=4)).date()
    await world.service.materialise_series()
    await world.service.materialise_series()
    assert len(await occurrences(world, plan.series.id)) == 14


async def test_two_processes_walking_the_same_window_add_each_day_once(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    world.clock.advance(timedelta(weeks=2))
    other = SessionService(world.store, world.rooms, world.chat, world.clock)
    await asyncio.gather(world.service.materialise_series(), other.materialise_series())
    ids = [s.id for s in await occurrences(world, plan.series.id)]
    assert len(ids) == len(set(ids)) == 12


async def test_a_restart_midway_finishes_the_day_it_was_on(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.stand(ANA, plan.series.id)
    series = await world.service.get_series(plan.series.id)
    world.clock.advance(timedelta(weeks=1))
    # the crashed run added the next day's session, then died before its reminders and RSVPs
    stored = await world.store.get_series(series.id)
    assert stored is not None and stored.materialised_until is not None
    nxt = placements(
        series.rule, stored.materialised_until, stored.materialised_until + timedelta(days=7)
    )[0]
    orphan = occurrence(series, nxt, world.now)
    orphan.origin = None
    await world.store.add_session(orphan)
    await world.service.materialise_series()
    rsvps = await world.store.list_rsvps(orphan.id)
    assert [(r.member_id, r.status) for r in rsvps] == [(ANA.id, RsvpStatus.GOING)]
    assert await world.store.next_reminder_due() is not None
    ids = [s.id for s in await occurrences(world, series.id)]
    assert len(ids) == len(set(ids))


async def test_standing_rsvps_fill_each_class_in_the_order_made(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    for who in (ANA, BEN, CAL):
        await world.service.stand(who, plan.series.id)
    await live_until(world, world.now + timedelta(weeks=2))
    for session in await occurrences(world, plan.series.id):
        if session.start_time <= world.now:
            continue
        rsvps = sorted(await world.store.list_rsvps(session.id), key=lambda r: r.position)
        assert [(r.member_id, r.status) for r in rsvps] == [
            (ANA.id, RsvpStatus.GOING),
            (BEN.id, RsvpStatus.GOING),
            (CAL.id, RsvpStatus.WAITLISTED),  # full: waitlisted, in the order made
        ]


async def test_not_this_week_keeps_the_standing_rsvp(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.stand(ANA, plan.series.id)
    first, second = (await occurrences(world, plan.series.id))[:2]
    await world.service.unrsvp(ANA, first.id)
    await world.service.materialise_series()
    await live_until(world, world.now + timedelta(weeks=1))
    assert (await world.service.rsvp_of(ANA, first.id)).status is RsvpStatus.LEFT  # type: ignore[union-attr]
    assert (await world.service.rsvp_of(ANA, second.id)).status is RsvpStatus.GOING  # type: ignore[union-attr]
    later = (await occurrences(world, plan.series.id))[-1]
    assert (await world.service.rsvp_of(ANA, later.id)).status is RsvpStatus.GOING  # type: ignore[union-attr]


async def test_one_card_at_a_time_the_next_once_the_previous_has_started(world: World) -> None:
    world.clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))  # Sunday
    await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    assert len(world.chat.of_kind("announcement")) == 1  # Monday's
    monday_start = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    await live_until(world, monday_start - timedelta(minutes=1))
    assert len({s.to for s in world.chat.of_kind("announcement")}) == 1
    await live_until(world, monday_start + timedelta(minutes=1))
    assert len({s.to for s in world.chat.of_kind("announcement")}) == 2  # now Wednesday's


async def test_a_series_created_after_todays_class_starts_next_time(world: World) -> None:
    world.clock.set(datetime(2026, 12, 2, 18, 0, tzinfo=UTC))  # Wednesday, 19:00 in Berlin
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    first = (await occurrences(world, plan.series.id))[0]
    assert first.start_time.astimezone(BERLIN).date() == date(2026, 12, 7)


async def test_skipping_a_class_members_going_to_cancels_it_and_keeps_it_skipped(
    world: World,
) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.stand(ANA, plan.series.id)
    day = date(2026, 12, 14)
    canceled = await world.service.skip_day(
        SENSEI, SkipDay(series_id=plan.series.id, day=day, reason="Dojo closed")
    )
    assert canceled is not None and canceled.status is SessionStatus.CANCELED
    assert canceled.cancel_reason == "Dojo closed"
    told = [
        s for s in world.chat.dms_to(ANA.id) if s.notice and s.notice.kind is NoticeKind.CANCELED
    ]
    assert len(told) == 1
    far = date(2027, 2, 1)  # beyond the window: never listed
    assert await world.service.skip_day(SENSEI, SkipDay(series_id=plan.series.id, day=far)) is None
    await live_until(world, datetime(2027, 1, 20, tzinfo=UTC))
    assert await world.store.get_session(occurrence_id(plan.series.id, far)) is None
    with pytest.raises(InvalidInput, match="doesn't meet"):
        await world.service.skip_day(
            SENSEI, SkipDay(series_id=plan.series.id, day=date(2027, 2, 2))
        )


async def test_ending_a_series_cancels_the_rest_and_lists_no_more(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    with pytest.raises(PermissionDenied):
        await world.service.end_series(OTHER_TEACHER, EndSeries(series_id=plan.series.id))
    await world.service.stand(ANA, plan.series.id)
    canceled = await world.service.end_series(SENSEI, EndSeries(series_id=plan.series.id))
    assert len(canceled) == 8
    told = [
        s for s in world.chat.dms_to(ANA.id) if s.notice and s.notice.kind is NoticeKind.CANCELED
    ]
    assert len(told) == 1 and "7 classes of it after this one" in told[0].text  # once, not 8x
    await live_until(world, world.now + timedelta(weeks=3))
    statuses = Counter(s.status for s in await occurrences(world, plan.series.id))
    assert statuses == {SessionStatus.CANCELED: 8}


async def test_changing_the_time_from_a_day_on_moves_those_classes_and_tells_members_once(
    world: World,
) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.stand(ANA, plan.series.id)
    change = UpdateSeries(
        series_id=plan.series.id,
        scope=SeriesScope.FOLLOWING,
        from_day=date(2026, 12, 14),
        local_time=time(18, 0),
    )
    successor = await world.service.update_series(SENSEI, change)
    listed = await occurrences(world)
    before = [s for s in listed if s.start_time.astimezone(BERLIN).date() < date(2026, 12, 14)]
    after = [s for s in listed if s.start_time.astimezone(BERLIN).date() >= date(2026, 12, 14)]
    assert {s.start_time.astimezone(BERLIN).strftime("%H:%M") for s in before} == {"17:30"}
    assert {s.start_time.astimezone(BERLIN).strftime("%H:%M") for s in after} == {"18:00"}
    assert {s.series_id for s in after} == {plan.series.id}  # the class's id, not a segment's
    assert successor.root_id == plan.series.id
    ids = [s.id for s in listed]
    assert len(ids) == len(set(ids))
    moved = [
        s for s in world.chat.dms_to(ANA.id) if s.notice and s.notice.kind is NoticeKind.RESCHEDULED
    ]
    assert len(moved) == 1  # once per change, not once per class
    for session in after:  # RSVPs followed their occurrences
        assert (await world.service.rsvp_of(ANA, session.id)).status is RsvpStatus.GOING  # type: ignore[union-attr]
    again = UpdateSeries(
        series_id=plan.series.id,
        scope=SeriesScope.FOLLOWING,
        from_day=date(2026, 12, 21),
        weekdays=[MON],
    )
    third = await world.service.update_series(SENSEI, again)
    await live_until(world, world.now + timedelta(weeks=2))
    late = [
        s
        for s in await occurrences(world)
        if s.start_time.astimezone(BERLIN).date() >= date(2026, 12, 21)
    ]
    live = [s for s in late if s.status is SessionStatus.SCHEDULED]
    assert {s.start_time.astimezone(BERLIN).strftime("%a %H:%M") for s in live} == {"Mon 18:00"}
    assert {s.series_id for s in live} == {third.root_id} == {plan.series.id}
    dropped = [s for s in late if s.status is SessionStatus.CANCELED]
    assert dropped and all(s.start_time.astimezone(BERLIN).weekday() == WED for s in dropped)
    all_ids = [s.id for s in await occurrences(world)]
    assert len(all_ids) == len(set(all_ids))
    canceled = await world.service.end_series(SENSEI, EndSeries(series_id=plan.series.id))
    assert canceled and not [
        s for s in await occurrences(world) if s.status is SessionStatus.SCHEDULED
    ]
    await live_until(world, world.now + timedelta(weeks=4))
    assert not [s for s in await occurrences(world) if s.status is SessionStatus.SCHEDULED]


async def test_changing_the_title_for_all_changes_every_class_to_come(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.update_series(
        SENSEI, UpdateSeries(series_id=plan.series.id, title="Kids karate (new dojo)")
    )
    titles = {s.title for s in await occurrences(world, plan.series.id)}
    assert titles == {"Kids karate (new dojo)"}
    stored = await world.service.get_series(plan.series.id)
    assert stored.sequence == 1


async def test_dst_keeps_wall_clock_time_and_the_gap_is_reported(world: World) -> None:
    world.clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    night = await world.service.preview_series(
        SENSEI, kids(weekdays=[SUN], local_time=time(2, 30), until=date(2027, 4, 30))
    )
    assert len(night.notes) == 1 and "03:00" in night.notes[0]
    plan = await world.service.schedule_series(SENSEI, kids(until=date(2027, 4, 30)), ORIGIN)
    await live_until(world, datetime(2027, 4, 10, tzinfo=UTC))
    local = {
        s.start_time.astimezone(BERLIN).strftime("%H:%M")
        for s in await occurrences(world, plan.series.id)
    }
    assert local == {"17:30"}


async def test_who_may_create_and_bounds(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await world.service.schedule_series(ANA, kids(), ORIGIN)
    with pytest.raises(InvalidInput, match="at least one day"):
        await world.service.schedule_series(SENSEI, kids(weekdays=[]), ORIGIN)
    with pytest.raises(InvalidInput, match="either an end date or a number of weeks"):
        await world.service.schedule_series(SENSEI, kids(weeks=12), ORIGIN)
    plan = await world.service.schedule_series(SENSEI, kids(until=None, weeks=2), ORIGIN)
    assert plan.total == 4
    zone = member("yuki", Role.INSTRUCTOR, tz="Asia/Tokyo")
    mine = await world.service.schedule_series(zone, kids(timezone=None, until=None, weeks=1))
    assert mine.series.rule.timezone == "Asia/Tokyo"


async def test_reading_a_series_and_dropping_a_standing_rsvp(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    hidden = await world.service.schedule_series(SENSEI, kids(title="Adults"), ORIGIN)
    await world.service.stand(ANA, plan.series.id)
    detail = await world.service.series_detail(ANA, plan.series.id)
    assert detail.standing and detail.standing_count == 1 and len(detail.upcoming) == 8
    assert {s.id for s in await world.service.list_series(ANA)} == {
        plan.series.id,
        hidden.series.id,
    }
    guest = member("gus", Role.GUEST)
    assert await world.service.list_series(guest) == []
    with pytest.raises(NotFound, match="No weekly class"):
        await world.service.series_detail(guest, plan.series.id)
    assert await world.service.drop_standing(ANA, plan.series.id)
    assert not await world.service.drop_standing(ANA, plan.series.id)
    with pytest.raises(NotFound, match="No weekly class"):
        await world.service.get_series("nope")
    with pytest.raises(InvalidInput, match="Nothing to change"):
        await world.service.update_series(SENSEI, UpdateSeries(series_id=plan.series.id))
    with pytest.raises(InvalidInput, match="from which class day"):
        await world.service.update_series(
            SENSEI,
            UpdateSeries(series_id=plan.series.id, scope=SeriesScope.FOLLOWING, capacity=5),
        )
    await world.service.end_series(SENSEI, EndSeries(series_id=plan.series.id))
    with pytest.raises(InvalidState, match="has ended"):
        await world.service.stand(BEN, plan.series.id)


async def test_a_wake_up_and_the_read_only_plan_agree_on_the_next_series_duty(
    world: World,
) -> None:
    world.clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))  # Sunday
    await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    for _ in range(6):
        report = await world.duties.run_due()
        assert report.next_wakeup == await world.duties.next_wakeup()
        assert report.next_wakeup is not None
        world.clock.set(report.next_wakeup)


async def test_walking_the_window_again_leaves_changed_classes_as_they_are(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    first, second = (await occurrences(world, plan.series.id))[:2]
    moved_to = first.start_time + timedelta(hours=2)
    await world.service.update(SENSEI, UpdateSession(session_id=first.id, start_time=moved_to))
    await world.service.cancel(SENSEI, second.id, "Holiday")
    await world.service.stand(ANA, plan.series.id)
    stored = await world.store.get_series(plan.series.id)
    assert stored is not None
    keeper = SeriesKeeper(
        world.store, Notifier(world.store, world.chat), RoomKeeper(world.store, world.rooms)
    )
    await keeper.materialise(stored, world.now, since=world.now)  # another process, again
    again = await world.store.get_session(first.id)
    assert again is not None and again.start_time == moved_to  # its own time kept
    due = await world.store.due_reminders(moved_to, limit=100)
    assert {r.start_time for r in due if r.session_id == first.id} == {moved_to}
    assert await world.store.list_rsvps(second.id) == []  # canceled: nobody added


async def test_two_processes_posting_due_cards_post_each_once(world: World) -> None:
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    cards = len(world.chat.of_kind("announcement"))
    week_later = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # Monday's class has started
    world.clock.set(week_later)

    def keeper() -> SeriesKeeper:
        return SeriesKeeper(
            world.store, Notifier(world.store, world.chat), RoomKeeper(world.store, world.rooms)
        )

    first, second = keeper(), keeper()
    posted = await asyncio.gather(
        first.post_due_cards(world.now, plan.series.id), second.post_due_cards(world.now)
    )
    assert sum(len(p) for p in posted) == 1  # Wednesday's card, by one of the two
    assert len({s.to for s in world.chat.of_kind("announcement")}) == cards + 1


async def test_a_failing_weekly_class_duty_never_keeps_reminders_back(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=25))
    await world.service.rsvp(ANA, session.id)

    async def broken(status: object = None) -> list[object]:
        raise ConnectionError("series table unreadable")

    world.store.list_series = broken  # type: ignore[method-assign,assignment]
    world.clock.advance(timedelta(hours=1, minutes=1))
    report = await world.duties.run_due()
    assert report.reminders_sent >= 1
    assert report.next_wakeup is not None and report.next_wakeup <= world.now + timedelta(minutes=1)


async def test_the_clock_learns_of_a_class_set_by_another_process_when_it_replans(
    world: World,
) -> None:
    world.clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))  # Sunday
    await world.duties.run_due()  # the clock has planned: no weekly class yet
    web = SessionService(world.store, world.rooms, world.chat, world.clock)
    await web.schedule_series(SENSEI, kids(), ORIGIN)  # posts Monday's card itself
    replanned = await world.duties.next_wakeup()  # the schedule change makes it replan
    monday_start = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    assert replanned is not None and replanned <= monday_start  # Wednesday's card is due then
    due: datetime | None = replanned
    while due is not None and due <= monday_start + timedelta(minutes=1):
        world.clock.set(max(due, world.now))
        due = (await world.duties.run_due()).next_wakeup  # as the alarm does: no replan
    assert len({s.to for s in world.chat.of_kind("announcement")}) == 2


async def test_a_class_cannot_start_in_the_past_nor_show_itself_to_guests(world: World) -> None:
    with pytest.raises(InvalidInput, match="has passed") as refused:
        await world.service.schedule_series(SENSEI, kids(first_day=date(1000, 1, 1)), ORIGIN)
    assert refused.value.hint is not None and "Start from today" in refused.value.hint
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    guest = member("gus", Role.GUEST)
    with pytest.raises(NotFound):
        await world.service.stand(guest, plan.series.id)
    with pytest.raises(NotFound):
        await world.service.drop_standing(guest, plan.series.id)
