"""A reminder belongs to one start time: a moved session is reminded of its new start, and
nothing already sent for a start goes out again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.commands import UpdateSession
from core.model import CHANNEL_RECIPIENT, DeliveryKey, ReminderKind, TrainingSession
from core.notices import NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.reminder_preferences import ReminderDefaults
from core.reminders import plan_reminders
from tests.unit.conftest import ANA, SENSEI, World

WEDNESDAY = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)  # the clock starts Tue 1 Dec 09:00
FRIDAY = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
H24, H1 = ReminderKind.BEFORE_24H, ReminderKind.BEFORE_1H
ALL_IN_CHANNEL = ReminderDefaults(channel_kinds=[H24, H1, ReminderKind.BEFORE_10M])
"""These tests follow the channel's posts too: an association that posts all three there."""


def reminders_to(world: World, member_id: str) -> list[tuple[ReminderKind | None, datetime]]:
    """(kind, start it announced) of every reminder DM the member got."""
    return [
        (s.notice.reminder_kind, s.notice.session.start_time)
        for s in world.chat.dms_to(member_id)
        if s.notice is not None and s.notice.kind is NoticeKind.REMINDER
    ]


async def move(world: World, session: TrainingSession, start: datetime) -> None:
    await world.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=start))


async def test_a_session_moved_after_its_24h_reminder_gets_one_for_the_new_start(
    world: World,
) -> None:
    session = await world.schedule(in_=WEDNESDAY - world.now)
    await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat, defaults=ALL_IN_CHANNEL)
    world.clock.set(WEDNESDAY - timedelta(hours=24) + timedelta(minutes=1))
    assert await dispatcher.run_due(world.now) == 2  # ana and the channel
    assert reminders_to(world, ANA.id) == [(H24, WEDNESDAY)]

    # moved to Friday, then back to Wednesday's original start: Wednesday's 24 h reminder
    # went out already and is not repeated
    await move(world, session, FRIDAY)
    await move(world, session, WEDNESDAY)
    assert await dispatcher.run_due(world.now) == 0
    world.clock.advance(timedelta(hours=1))
    assert await dispatcher.run_due(world.now) == 0
    assert reminders_to(world, ANA.id) == [(H24, WEDNESDAY)]

    # moved to Friday for good: Friday's 24 h reminder goes out, once
    await move(world, session, FRIDAY)
    world.clock.set(FRIDAY - timedelta(hours=24) + timedelta(minutes=1))
    assert await dispatcher.run_due(world.now) == 2
    assert await dispatcher.run_due(world.now) == 0
    world.clock.set(FRIDAY - timedelta(hours=1))
    assert await dispatcher.run_due(world.now) == 2
    assert reminders_to(world, ANA.id) == [(H24, WEDNESDAY), (H24, FRIDAY), (H1, FRIDAY)]
    for start in (WEDNESDAY, FRIDAY):
        key = DeliveryKey(
            session_id=session.id, recipient_id=CHANNEL_RECIPIENT, kind=H24, start_time=start
        )
        assert await world.store.delivery_sent(key)


async def test_a_reminder_planned_for_an_old_start_is_not_sent_for_the_new_one(
    world: World,
) -> None:
    session = await world.schedule(in_=WEDNESDAY - world.now)
    await world.service.rsvp(ANA, session.id)
    world.clock.set(WEDNESDAY - timedelta(hours=24) + timedelta(minutes=1))
    (due,) = await world.store.due_reminders(world.now, 10)
    # the session moves while a clock already holds Wednesday's due reminder: it saves the
    # new start, then plans the new reminders
    moved = session.model_copy(update={"start_time": FRIDAY})
    await world.store.save_session(moved)
    dispatcher = ReminderDispatcher(world.store, world.chat, defaults=ALL_IN_CHANNEL)
    assert await dispatcher.run_due(world.now) == 0  # "in 24 hours" would be wrong
    await world.store.replace_reminders(session.id, plan_reminders(moved, world.now))
    await world.store.finish_reminders([due], world.now)  # the stale one only
    world.clock.set(FRIDAY - timedelta(hours=24))
    assert await dispatcher.run_due(world.now) == 2
    assert reminders_to(world, ANA.id) == [(H24, FRIDAY)]


async def test_every_visible_change_raises_the_sequence(world: World) -> None:
    session = await world.schedule()
    assert session.sequence == 0
    updated = await world.service.update(
        SENSEI, UpdateSession(session_id=session.id, title="Kata II")
    )
    assert updated.sequence == 1
    same = await world.service.update(SENSEI, UpdateSession(session_id=session.id, title="Kata II"))
    assert same.sequence == 1  # nothing changed
    await move(world, session, session.start_time + timedelta(days=1))
    canceled = await world.service.cancel(SENSEI, session.id)
    assert canceled.sequence == 3
    stored = await world.store.get_session(session.id)
    assert stored is not None and stored.sequence == 3


async def test_the_moved_notice_carries_both_starts(world: World) -> None:
    session = await world.schedule(in_=WEDNESDAY - world.now)
    await world.service.rsvp(ANA, session.id)
    await move(world, session, FRIDAY)
    (notice,) = [s.notice for s in world.chat.dms_to(ANA.id) if s.notice]
    assert notice.kind is NoticeKind.RESCHEDULED
    assert (notice.moved_from, notice.moved_to) == (WEDNESDAY, FRIDAY)
    assert notice.text == (
        "“Kata basics” has moved from Wed 2 Dec 2026 18:00 UTC to Fri 4 Dec 2026 18:00 UTC."
    )
