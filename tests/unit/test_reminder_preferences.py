"""The pure reminder-preference rules: which kinds, where, until when, and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from core.errors import InvalidInput
from core.members import (
    ClassReminderOverride,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import ReminderKind, TrainingSession
from core.reminder_preferences import (
    MemberReminders,
    ReminderDefaults,
    check_preferences,
    custom_kinds_wanted,
    decide,
    member_reminders,
    member_useful_until,
    quiet_end,
)
from core.reminders import lead_text, plan_reminders

K = ReminderKind
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
NIGHT_IN_TOKYO = QuietHours(start=time(22, 0), end=time(7, 0))  # 13:00-22:00 UTC


def profile(preferences: ReminderPreferences, tz: str | None = "Asia/Tokyo") -> MemberProfile:
    return MemberProfile(
        id="t:ana",
        display_name="ana",
        timezone=tz,
        identities=["t:ana"],
        preferences=preferences,
        last_seen_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )


def session(start: datetime = START) -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="t:sensei",
        instructor_name="sensei",
        start_time=start,
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )


def test_no_profile_or_no_choice_gets_the_association_defaults() -> None:
    defaults = ReminderDefaults(kinds=[K.BEFORE_10M, K.BEFORE_24H], timezone="Europe/Berlin")
    assert member_reminders(None, defaults) == MemberReminders(
        (K.BEFORE_24H, K.BEFORE_10M), ReminderRoute.DM, None, "Europe/Berlin"
    )
    chosen = member_reminders(profile(ReminderPreferences(), tz=None), defaults)
    assert chosen.kinds == (K.BEFORE_24H, K.BEFORE_10M) and chosen.zone == "Europe/Berlin"


def test_a_members_choice_wins_and_a_class_override_wins_over_it() -> None:
    preferences = ReminderPreferences(
        kinds=[K.BEFORE_2H, K.BEFORE_10M],
        per_class={"yoga": ClassReminderOverride(route=ReminderRoute.NONE)},
    )
    own = member_reminders(profile(preferences), ReminderDefaults())
    assert own.kinds == (K.BEFORE_2H, K.BEFORE_10M) and own.custom is K.BEFORE_2H
    assert own.wants(K.BEFORE_10M) and not own.wants(K.BEFORE_1H)
    in_yoga = member_reminders(profile(preferences), ReminderDefaults(), "yoga")
    assert in_yoga.route is ReminderRoute.NONE and not in_yoga.wants(K.BEFORE_10M)
    assert in_yoga.custom is None  # no reminders: no custom kind to plan either
    in_judo = member_reminders(profile(preferences), ReminderDefaults(), "judo")
    assert in_judo == own


def test_a_class_override_of_kinds_keeps_the_members_route() -> None:
    preferences = ReminderPreferences(
        route=ReminderRoute.DM,
        per_class={"yoga": ClassReminderOverride(kinds=[K.BEFORE_30M])},
    )
    one_off = member_reminders(profile(preferences), ReminderDefaults(route=ReminderRoute.NONE))
    assert one_off.kinds == tuple(K)[:3] and one_off.route is ReminderRoute.DM
    in_yoga = member_reminders(profile(preferences), ReminderDefaults(), "yoga")
    assert in_yoga.kinds == (K.BEFORE_30M,) and in_yoga.route is ReminderRoute.DM


def test_one_custom_lead_time_at_most() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_preferences(ReminderPreferences(kinds=[K.BEFORE_2H, K.BEFORE_3H]))
    assert "2h" in refused.value.user_text() and "30m" in refused.value.user_text()
    with pytest.raises(InvalidInput):
        check_preferences(
            ReminderPreferences(
                per_class={"c": ClassReminderOverride(kinds=[K.BEFORE_48H, K.BEFORE_30M])}
            )
        )
    checked = check_preferences(ReminderPreferences(kinds=[K.BEFORE_10M, K.BEFORE_6H]))
    assert checked.kinds == [K.BEFORE_6H, K.BEFORE_10M]
    with pytest.raises(ValidationError):
        ReminderDefaults(channel_kinds=[K.BEFORE_2H, K.BEFORE_12H])


def test_a_stored_list_with_two_custom_kinds_keeps_only_the_first() -> None:
    stored = ReminderPreferences.model_construct(kinds=[K.BEFORE_3H, K.BEFORE_2H], per_class={})
    chosen = member_reminders(profile(stored), ReminderDefaults())
    assert chosen.kinds == (K.BEFORE_3H,)


def test_a_reminder_is_useful_until_that_members_next_reminder_or_the_start() -> None:
    kinds = (K.BEFORE_24H, K.BEFORE_2H, K.BEFORE_10M)
    assert member_useful_until(K.BEFORE_24H, START, START - timedelta(hours=1), kinds) == (
        START - timedelta(hours=2)
    )
    assert member_useful_until(K.BEFORE_2H, START, START, kinds) == START - timedelta(minutes=10)
    assert member_useful_until(K.BEFORE_2H, START, START, (K.BEFORE_2H,)) == START
    # a standard reminder never goes past the next standard time (what its row allows)
    assert member_useful_until(
        K.BEFORE_24H, START, START - timedelta(hours=1), (K.BEFORE_24H,)
    ) == (START - timedelta(hours=1))


def test_quiet_hours_wrap_midnight_in_the_members_zone() -> None:
    evening = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    morning = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)  # 06:00 next day in Tokyo
    day = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)  # 08:00 in Tokyo
    seven_in_tokyo = datetime(2026, 12, 2, 22, 0, tzinfo=UTC)
    assert quiet_end(NIGHT_IN_TOKYO, "Asia/Tokyo", evening) == seven_in_tokyo
    assert quiet_end(NIGHT_IN_TOKYO, "Asia/Tokyo", morning) == seven_in_tokyo
    assert quiet_end(NIGHT_IN_TOKYO, "Asia/Tokyo", day) is None
    assert quiet_end(NIGHT_IN_TOKYO, "Asia/Tokyo", seven_in_tokyo) is None  # the end is out
    assert quiet_end(NIGHT_IN_TOKYO, "UTC", evening) is None  # 14:30 UTC is daytime in UTC


def test_quiet_hours_within_a_day_and_empty_ones() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 30))
    noon_in_berlin = datetime(2026, 12, 2, 11, 15, tzinfo=UTC)  # 12:15 CET
    assert quiet_end(lunch, "Europe/Berlin", noon_in_berlin) == datetime(
        2026, 12, 2, 12, 30, tzinfo=UTC
    )
    assert quiet_end(lunch, "Europe/Berlin", noon_in_berlin - timedelta(hours=1)) is None
    never = QuietHours(start=time(8, 0), end=time(8, 0))
    assert quiet_end(never, "Europe/Berlin", noon_in_berlin) is None
    assert quiet_end(lunch, "No/Such_Zone", datetime(2026, 12, 2, 12, 15, tzinfo=UTC)) == (
        datetime(2026, 12, 2, 13, 30, tzinfo=UTC)  # an unknown zone reads as UTC
    )


def test_decide_sends_holds_or_skips() -> None:
    quiet = MemberReminders(tuple(K)[:3], ReminderRoute.DM, NIGHT_IN_TOKYO, "Asia/Tokyo")
    loud = MemberReminders(tuple(K)[:3], ReminderRoute.DM)
    due_24h = START - timedelta(hours=24)  # 01:00 in Tokyo
    row_24h = START - timedelta(hours=1)
    assert decide(loud, K.BEFORE_24H, START, row_24h, due_24h).send_now
    held = decide(quiet, K.BEFORE_24H, START, row_24h, due_24h)
    assert held.hold_until == datetime(2026, 12, 2, 22, 0, tzinfo=UTC)
    assert held.useful_until == row_24h and not held.skip
    due_1h = START - timedelta(hours=1)  # 00:00 in Tokyo: quiet until after the start
    assert decide(quiet, K.BEFORE_1H, START, START - timedelta(minutes=10), due_1h).skip
    assert decide(loud, K.BEFORE_24H, START, row_24h, row_24h).skip  # no longer useful


def test_custom_kinds_are_planned_only_when_wanted() -> None:
    plain = plan_reminders(session(), NOW)
    assert [r.kind for r in plain] == [K.BEFORE_24H, K.BEFORE_1H, K.BEFORE_10M]
    planned = {r.kind: r for r in plan_reminders(session(), NOW, [K.BEFORE_2H])}
    assert list(planned) == [K.BEFORE_24H, K.BEFORE_2H, K.BEFORE_1H, K.BEFORE_10M]
    assert planned[K.BEFORE_2H].due_at == START - timedelta(hours=2)
    assert planned[K.BEFORE_2H].useful_until == START
    assert planned[K.BEFORE_24H].useful_until == START - timedelta(hours=1)  # as before
    members = [
        MemberReminders((K.BEFORE_3H,), ReminderRoute.DM),
        MemberReminders((K.BEFORE_2H,), ReminderRoute.NONE),
    ]
    defaults = ReminderDefaults(channel_kinds=[K.BEFORE_30M])
    assert custom_kinds_wanted(members, defaults, has_channel=False) == {K.BEFORE_3H}
    assert custom_kinds_wanted(members, defaults, has_channel=True) == {
        K.BEFORE_3H,
        K.BEFORE_30M,
    }


def test_every_kind_has_words() -> None:
    assert lead_text(K.BEFORE_2H) == "in 2 hours"
    assert lead_text(K.BEFORE_30M) == "in 30 minutes"
    assert lead_text(K.BEFORE_1H) == "in 1 hour"
    assert {lead_text(kind) for kind in K}  # none missing
