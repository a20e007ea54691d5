import logging
from datetime import timedelta

import pytest

from core.model import CHANNEL_RECIPIENT, DeliveryKey, ReminderKind
from core.reminder_dispatch import CLAIM_LEASE, RETRY_AFTER, ReminderDispatcher
from tests.unit.conftest import ANA, BEN, CAL, SENSEI, World


async def test_each_reminder_goes_once_to_going_members_and_the_channel(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2), capacity=2)
    for who in (ANA, BEN, CAL):
        await world.service.rsvp(who, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    world.clock.set(session.start_time - timedelta(hours=24))
    assert await dispatcher.run_due(world.now) == 2  # ana, ben; cal is waitlisted
    assert await dispatcher.run_due(world.now) == 0
    assert [s.to for s in world.chat.of_kind("dm")] == [ANA.id, BEN.id]
    assert not world.chat.dms_to(CAL.id)
    assert not world.chat.of_kind("channel")  # by default only "starting soon" is posted
    world.clock.set(session.start_time - timedelta(minutes=10))
    assert await dispatcher.run_due(world.now) == 3  # 10 min to both, and the channel
    key = DeliveryKey(
        session_id=session.id,
        recipient_id=CHANNEL_RECIPIENT,
        kind=ReminderKind.BEFORE_10M,
        start_time=session.start_time,
    )
    assert await world.store.delivery_sent(key)
    posts = [s.notice.reminder_kind for s in world.chat.of_kind("channel") if s.notice]
    assert posts == [ReminderKind.BEFORE_10M]


async def test_ten_minute_dm_carries_join(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=3))
    await world.service.rsvp(ANA, session.id)
    world.clock.set(session.start_time - timedelta(minutes=10))
    await ReminderDispatcher(world.store, world.chat).run_due(world.now)
    [dm] = world.chat.dms_to(ANA.id)
    assert dm.notice is not None and dm.notice.show_join
    assert dm.notice.reminder_kind is ReminderKind.BEFORE_10M


async def test_announcement_is_re_rendered_as_the_join_window_opens(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=3))
    dispatcher = ReminderDispatcher(world.store, world.chat)
    world.clock.set(session.start_time - timedelta(hours=1))
    await dispatcher.run_due(world.now)
    before = len(world.chat.of_kind("announcement"))
    world.clock.set(session.join_opens_at)
    await dispatcher.run_due(world.now)
    assert len(world.chat.of_kind("announcement")) == before + 1


async def test_missed_reminders_are_sent_only_while_useful(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    # down from before the 24 h reminder until after the 1 h one was due
    world.clock.set(session.start_time - timedelta(minutes=30))
    await ReminderDispatcher(world.store, world.chat).run_due(world.now)
    kinds = [s.notice.reminder_kind for s in world.chat.dms_to(ANA.id) if s.notice]
    assert kinds == [ReminderKind.BEFORE_1H]


async def test_closed_dms_fall_back_once_to_the_channel(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    world.chat.dms_closed.add(ANA.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    await ReminderDispatcher(world.store, world.chat).run_due(world.now)
    mentions = [s for s in world.chat.of_kind("channel") if s.notice and s.notice.mention_member_id]
    assert [m.notice.mention_member_id for m in mentions if m.notice] == [ANA.id]


async def test_a_failed_send_is_retried_and_never_duplicated(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    world.clock.set(session.start_time - timedelta(hours=24))
    world.chat.failing = True
    assert await dispatcher.run_due(world.now) == 0
    assert await world.store.next_reminder_due() == world.now + RETRY_AFTER
    world.chat.failing = False
    world.clock.advance(max(RETRY_AFTER, CLAIM_LEASE))
    assert await dispatcher.run_due(world.now) == 1
    world.clock.advance(timedelta(hours=1))
    await dispatcher.run_due(world.now)
    assert len(world.chat.dms_to(ANA.id)) == 1


async def test_canceled_sessions_get_no_reminders(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    await world.service.cancel(SENSEI, session.id)
    world.clock.set(session.start_time - timedelta(minutes=10))
    assert await ReminderDispatcher(world.store, world.chat).run_due(world.now) == 0


async def test_batches_cover_a_large_burst(world: World) -> None:
    sessions = [await world.schedule(in_=timedelta(days=2)) for _ in range(7)]
    for s in sessions:
        await world.service.rsvp(ANA, s.id)
    world.clock.set(sessions[0].start_time - timedelta(hours=24))
    dispatcher = ReminderDispatcher(world.store, world.chat, batch_size=3, send_concurrency=2)
    assert await dispatcher.run_due(world.now) == 7  # one DM each; no channel post at 24 h


async def test_a_crash_between_claim_and_send_is_retried_after_the_lease(world: World) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    key = DeliveryKey(
        session_id=session.id,
        recipient_id=ANA.id,
        kind=ReminderKind.BEFORE_24H,
        start_time=session.start_time,
    )
    # a previous process claimed ana's DM, then died before sending it
    assert await world.store.claim_deliveries([key], world.now, CLAIM_LEASE) == [key]
    dispatcher = ReminderDispatcher(world.store, world.chat)
    assert await dispatcher.run_due(world.now) == 0  # ana's is held; no channel post at 24 h
    assert not world.chat.dms_to(ANA.id)
    assert await world.store.next_reminder_due() == world.now + RETRY_AFTER
    world.clock.advance(max(RETRY_AFTER, CLAIM_LEASE))
    assert await dispatcher.run_due(world.now) == 1
    assert len(world.chat.dms_to(ANA.id)) == 1
    assert await world.store.next_reminder_due() is not None  # the 1 h one; 24 h finished
    world.clock.advance(timedelta(minutes=10))
    assert await dispatcher.run_due(world.now) == 0


async def test_rate_limits_are_waited_out_then_left_for_later_never_lost(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    dispatcher = ReminderDispatcher(world.store, world.chat, pause=pause, rate_limit_patience=60)
    world.chat.rate_limited = 2
    assert await dispatcher.run_due(world.now) == 1  # waited 30 s twice, then sent
    assert pauses == [30.0, 30.0] and len(world.chat.dms_to(ANA.id)) == 1
    world.clock.set(session.start_time - timedelta(hours=1))
    world.chat.rate_limited = 3  # a third wait would pass the patience: retried later
    assert await dispatcher.run_due(world.now) == 0  # no channel post at 1 h
    assert await world.store.next_reminder_due() == world.now + RETRY_AFTER
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    world.clock.advance(max(RETRY_AFTER, CLAIM_LEASE))
    assert await dispatcher.run_due(world.now) == 1
    kinds = [s.notice.reminder_kind for s in world.chat.dms_to(ANA.id) if s.notice]
    assert kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_1H]
