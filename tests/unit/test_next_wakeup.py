"""The next wake-up is computed in one place: after a wake-up and when re-planning alike."""

from __future__ import annotations

from datetime import timedelta

from core.model import SessionStatus
from core.rules import overdue_at
from tests.unit.conftest import SENSEI, World


async def test_run_due_and_next_wakeup_agree_on_the_earliest_room_retry(world: World) -> None:
    # B starts later but its room failed first; A starts sooner and its room failed later,
    # so the earliest retry belongs to the session that does not start first
    world.rooms.fail_creates = 1
    later = await world.schedule(in_=timedelta(minutes=90))
    world.clock.advance(timedelta(minutes=5))
    world.rooms.fail_creates = 1
    sooner = await world.schedule(in_=timedelta(minutes=60))
    assert sooner.start_time < later.start_time
    assert later.room.last_attempt_at is not None and sooner.room.last_attempt_at is not None
    retry_of_later = later.room.last_attempt_at + timedelta(minutes=10)
    report = await world.duties.run_due()
    assert report.rooms_retried == 0
    assert report.next_wakeup == retry_of_later
    assert await world.duties.next_wakeup() == report.next_wakeup


async def test_the_next_overdue_is_the_earliest_end_plus_the_grace_live_or_scheduled(
    world: World,
) -> None:
    # a long class goes live; a short one scheduled after it ends first
    long = await world.schedule(in_=timedelta(minutes=5), duration_minutes=180)
    await world.service.open_room(SENSEI, long.id)  # the instructor starts it
    short = await world.schedule(in_=timedelta(minutes=20), duration_minutes=15)
    assert overdue_at(short.end_time) == short.end_time + timedelta(minutes=30)
    assert await world.service.next_overdue(after=world.now) == overdue_at(short.end_time)
    # nobody starts the short one: at its end + 30 min it closes as not held, and the
    # live one is next, as both `run_due` and a re-plan see it
    world.clock.set(overdue_at(short.end_time))
    ended, next_due = await world.service.end_overdue()
    assert [s.id for s in ended] == [short.id]
    assert next_due == overdue_at(long.end_time)
    assert await world.service.next_overdue(after=world.now) == next_due
    world.clock.set(next_due)
    ended, next_due = await world.service.end_overdue()
    assert [(s.id, s.status) for s in ended] == [(long.id, SessionStatus.ENDED)]
    assert next_due is None
