"""Reminder preferences end to end in the core: the service plans, the dispatcher decides who
is due what and when, with the memory store and a FakeClock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from core.commands import UpdateSession
from core.members import (
    ClassReminderOverride,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import DeliveryKey, ReminderKind, TrainingSession
from core.notices import NoticeKind
from core.reminder_dispatch import CLAIM_LEASE, RETRY_AFTER, ReminderDispatcher
from core.reminder_preferences import ReminderDefaults
from tests.unit.conftest import ANA, BEN, SENSEI, World

K = ReminderKind
START = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 01:00 on the 4th in Tokyo
NIGHT = QuietHours(start=time(22, 0), end=time(7, 0))
SEVEN_IN_TOKYO = datetime(2026, 12, 2, 22, 0, tzinfo=UTC)


async def give_profile(
    world: World,
    member_id: str,
    preferences: ReminderPreferences,
    tz: str | None = None,
    **fields: object,
) -> MemberProfile:
    profile = MemberProfile.model_validate(
        {
            "id": member_id,
            "display_name": member_id.split(":")[-1],
            "timezone": tz,
            "identities": [member_id],
            "preferences": preferences,
            "last_seen_at": world.now,
            "created_at": world.now,
            "updated_at": world.now,
        }
        | fields
    )
    await world.store.save_profile(profile)
    return profile


def reminders_to(world: World, address: str) -> list[ReminderKind | None]:
    return [
        s.notice.reminder_kind
        for s in world.chat.dms_to(address)
        if s.notice is not None and s.notice.kind is NoticeKind.REMINDER
    ]


async def run_at(world: World, dispatcher: ReminderDispatcher, at: datetime) -> int:
    world.clock.set(at)
    return await dispatcher.run_due(world.now)


async def scheduled(world: World, start: datetime = START) -> TrainingSession:
    return await world.schedule(in_=start - world.now)


async def test_quiet_hours_hold_a_reminder_until_they_end_then_send_it_once(
    world: World,
) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(quiet_hours=NIGHT), tz="Asia/Tokyo")
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    # 24 h before is 01:00 in Tokyo: ben (no profile) gets it now, ana's waits for 07:00
    assert await run_at(world, dispatcher, START - timedelta(hours=24)) == 1
    assert reminders_to(world, BEN.id) == [K.BEFORE_24H] and not reminders_to(world, ANA.id)
    assert await world.store.next_reminder_due() == SEVEN_IN_TOKYO  # the alarm wakes for it
    assert await run_at(world, dispatcher, SEVEN_IN_TOKYO - timedelta(minutes=1)) == 0
    assert await run_at(world, dispatcher, SEVEN_IN_TOKYO) == 1
    assert await dispatcher.run_due(world.now) == 0
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H]
    key = DeliveryKey(
        session_id=session.id, recipient_id=ANA.id, kind=K.BEFORE_24H, start_time=START
    )
    assert await world.store.delivery_sent(key)  # the same key as if sent on time
    assert await world.store.due_deferred(world.now, 10) == []
    # 1 h and 10 min before are 00:00 and 00:50 in Tokyo: quiet until after the start
    await run_at(world, dispatcher, START - timedelta(hours=1))
    await run_at(world, dispatcher, START - timedelta(minutes=10))
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H]
    assert reminders_to(world, BEN.id) == [K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M]
    assert await world.store.due_deferred(START + timedelta(days=1), 10) == []  # none held


async def test_a_held_reminder_of_a_member_who_left_or_a_moved_session_is_dropped(
    world: World,
) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(quiet_hours=NIGHT), tz="Asia/Tokyo")
    await give_profile(world, BEN.id, ReminderPreferences(quiet_hours=NIGHT), tz="Asia/Tokyo")
    for who in (ANA, BEN):
        await world.service.rsvp(who, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    assert await run_at(world, dispatcher, START - timedelta(hours=24)) == 0
    assert len(await world.store.due_deferred(SEVEN_IN_TOKYO, 10)) == 2
    await world.service.unrsvp(BEN, session.id)
    assert await run_at(world, dispatcher, SEVEN_IN_TOKYO) == 1
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H] and not reminders_to(world, BEN.id)
    assert await world.store.due_deferred(world.now, 10) == []


async def test_a_held_reminder_that_fails_is_held_again_and_sent_once(world: World) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(quiet_hours=NIGHT), tz="Asia/Tokyo")
    await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    await run_at(world, dispatcher, START - timedelta(hours=24))
    world.chat.failing = True
    assert await run_at(world, dispatcher, SEVEN_IN_TOKYO) == 0
    assert await world.store.next_reminder_due() == SEVEN_IN_TOKYO + RETRY_AFTER
    world.chat.failing = False
    assert await run_at(world, dispatcher, SEVEN_IN_TOKYO + max(RETRY_AFTER, CLAIM_LEASE)) == 1
    assert await dispatcher.run_due(world.now) == 0
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H]


async def test_a_held_reminder_survives_a_restart(world: World) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(quiet_hours=NIGHT), tz="Asia/Tokyo")
    await world.service.rsvp(ANA, session.id)
    await run_at(world, ReminderDispatcher(world.store, world.chat), START - timedelta(hours=24))
    restarted = ReminderDispatcher(world.store, world.chat)  # a new process, same store
    assert await run_at(world, restarted, SEVEN_IN_TOKYO) == 1
    assert await ReminderDispatcher(world.store, world.chat).run_due(world.now) == 0
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H]
    key = DeliveryKey(
        session_id=session.id, recipient_id=ANA.id, kind=K.BEFORE_24H, start_time=START
    )
    assert await world.store.delivery_sent(key)


async def test_a_custom_lead_time_is_planned_on_rsvp_and_sent_to_who_chose_it(
    world: World,
) -> None:
    session = await scheduled(world)
    assert [r.kind for r in await world.store.due_reminders(START, 10)] == [
        K.BEFORE_24H,
        K.BEFORE_1H,
        K.BEFORE_10M,
    ]
    await give_profile(world, ANA.id, ReminderPreferences(kinds=[K.BEFORE_24H, K.BEFORE_2H]))
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    kinds = [r.kind for r in await world.store.due_reminders(START, 10)]
    assert kinds == [K.BEFORE_24H, K.BEFORE_2H, K.BEFORE_1H, K.BEFORE_10M]
    dispatcher = ReminderDispatcher(world.store, world.chat)
    for lead in (
        timedelta(hours=24),
        timedelta(hours=2),
        timedelta(hours=1),
        timedelta(minutes=10),
    ):
        await run_at(world, dispatcher, START - lead)
    assert reminders_to(world, ANA.id) == [K.BEFORE_24H, K.BEFORE_2H]
    assert reminders_to(world, BEN.id) == [K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M]
    assert "in 2 hours" in world.chat.dms_to(ANA.id)[1].text


async def test_a_custom_lead_time_is_planned_when_preferences_change_and_after_a_move(
    world: World,
) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences())
    await world.service.rsvp(ANA, session.id)
    await world.service.set_reminder_preferences(
        ANA, ReminderPreferences(kinds=[K.BEFORE_3H, K.BEFORE_10M])
    )
    assert K.BEFORE_3H in [r.kind for r in await world.store.due_reminders(START, 10)]
    later = START + timedelta(days=1)
    await world.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=later))
    dispatcher = ReminderDispatcher(world.store, world.chat)
    assert await run_at(world, dispatcher, later - timedelta(hours=3)) == 1
    assert await run_at(world, dispatcher, later - timedelta(minutes=10)) == 2  # + channel
    assert reminders_to(world, ANA.id) == [K.BEFORE_3H, K.BEFORE_10M]


async def test_route_none_gets_no_reminders_but_the_channel_still_posts(world: World) -> None:
    session = await scheduled(world)
    await give_profile(world, ANA.id, ReminderPreferences(route=ReminderRoute.NONE))
    await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    for lead in (timedelta(hours=24), timedelta(hours=1), timedelta(minutes=10)):
        await run_at(world, dispatcher, START - lead)
    assert not world.chat.dms_to(ANA.id)
    posts = [s.notice.reminder_kind for s in world.chat.of_kind("channel") if s.notice]
    assert posts == [K.BEFORE_10M]  # the default: only "starting soon" in the channel


async def test_channel_reminders_are_configurable(world: World) -> None:
    await scheduled(world)
    every = ReminderDefaults(channel_kinds=[K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M])
    dispatcher = ReminderDispatcher(world.store, world.chat, defaults=every)
    for lead in (timedelta(hours=24), timedelta(hours=1), timedelta(minutes=10)):
        await run_at(world, dispatcher, START - lead)
    posts = [s.notice.reminder_kind for s in world.chat.of_kind("channel") if s.notice]
    assert posts == [K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M]


async def test_a_class_override_wins_over_the_members_default(world: World) -> None:
    one_off = await scheduled(world)
    weekly = await scheduled(world)
    weekly = weekly.model_copy(update={"series_id": "yoga"})
    await world.store.save_session(weekly)
    quiet_in_yoga = {"yoga": ClassReminderOverride(route=ReminderRoute.NONE)}
    await give_profile(world, ANA.id, ReminderPreferences(per_class=quiet_in_yoga))
    for session in (one_off, weekly):
        await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    assert await run_at(world, dispatcher, START - timedelta(hours=24)) == 1
    [dm] = world.chat.dms_to(ANA.id)
    assert dm.notice is not None and dm.notice.session.id == one_off.id


async def test_a_linked_member_is_dmed_once_on_their_preferred_platform_in_their_language(
    world: World,
) -> None:
    session = await scheduled(world)
    slack_ana = "slack:T1:U1"
    await give_profile(
        world,
        ANA.id,
        ReminderPreferences(),
        identities=[ANA.id, slack_ana],
        preferred_platform="slack",
        locale="ja",
    )
    await world.service.rsvp(ANA, session.id)
    dispatcher = ReminderDispatcher(world.store, world.chat)
    assert await run_at(world, dispatcher, START - timedelta(hours=24)) == 1
    assert not world.chat.dms_to(ANA.id)
    [dm] = world.chat.dms_to(slack_ana)
    assert dm.notice is not None and dm.notice.locale == "ja"
    assert await dispatcher.run_due(world.now) == 0


async def test_closed_dms_of_a_linked_member_mention_them_on_the_channels_platform(
    world: World,
) -> None:
    session = await scheduled(world)  # in a channel of the platform "test"
    slack_ana, here_ana = "slack:T1:U1", "test:ana"
    await give_profile(
        world,
        ANA.id,
        ReminderPreferences(),
        identities=[ANA.id, slack_ana, here_ana],
        preferred_platform="slack",
    )
    await world.service.rsvp(ANA, session.id)
    world.chat.dms_closed.add(slack_ana)
    await run_at(world, ReminderDispatcher(world.store, world.chat), START - timedelta(hours=24))
    [mention] = world.chat.of_kind("channel")
    assert mention.notice is not None and mention.notice.mention_member_id == here_ana
    assert mention.notice.kind is NoticeKind.DM_FALLBACK


async def test_other_dms_go_to_a_linked_members_preferred_platform_in_their_language(
    world: World,
) -> None:
    session = await scheduled(world)
    slack_ana = "slack:T1:U1"
    await give_profile(
        world,
        ANA.id,
        ReminderPreferences(route=ReminderRoute.NONE),  # reminders only: told of a cancel
        identities=[ANA.id, slack_ana],
        preferred_platform="slack",
        locale="de",
    )
    await world.service.rsvp(ANA, session.id)
    await world.service.cancel(SENSEI, session.id)
    assert not world.chat.dms_to(ANA.id)
    [told] = world.chat.dms_to(slack_ana)
    assert told.notice is not None and told.notice.kind is NoticeKind.CANCELED
    assert told.notice.locale == "de"
