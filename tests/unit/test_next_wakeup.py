"""The next wake-up is computed in one place: after a wake-up and when re-planning alike."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.conftest import World


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
