"""A member's zone changing needs no re-planning: the rows do not depend on it (lead times
before the start), and quiet hours are read in the zone the profile has when a reminder
falls due."""

from __future__ import annotations

from datetime import timedelta

from core.members import PlatformFacts, ReminderPreferences
from core.model import Role
from tests.unit.conftest import ANA, World
from tests.unit.test_reminder_preferences_dispatch import (
    NIGHT,
    SEVEN_IN_TOKYO,
    START,
    K,
    reminders_to,
    run_at,
    scheduled,
)


async def test_quiet_hours_follow_a_zone_that_changed_after_the_rsvp(world: World) -> None:
    session = await scheduled(world)
    facts = PlatformFacts(member_id=ANA.id, display_name="ana", timezone="Europe/London")
    ana = await world.service.identify(facts, Role.MEMBER)
    await world.service.set_reminder_preferences(ana, ReminderPreferences(quiet_hours=NIGHT))
    await world.service.rsvp(ana, session.id)
    planned = await world.store.due_reminders(START, 20)
    # 24 h before is 16:00 in London (no quiet time), but 01:00 in Tokyo: she moved
    moved = facts.model_copy(update={"timezone": "Asia/Tokyo"})
    await world.service.identify(moved, Role.MEMBER)
    assert await world.store.due_reminders(START, 20) == planned  # nothing re-planned
    dispatcher = world.duties.dispatcher
    await run_at(world, dispatcher, START - timedelta(hours=24))
    assert reminders_to(world, ANA.id) == []  # held till 07:00 in Tokyo
    assert await world.store.next_reminder_due() == SEVEN_IN_TOKYO
    await run_at(world, dispatcher, SEVEN_IN_TOKYO)
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H]
