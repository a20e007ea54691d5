"""The member use cases (issue 15) on the simulated clock: profiles filled from what the
platforms say, linking two accounts into one member with one-time codes, unlinking, and
forgetting a member in two steps while the anonymous counts stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from core.commands import ScheduleSeries, SeriesScope, UpdateSeries
from core.duties import Duties
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.member_commands import SetReminders
from core.member_use_cases import SEEN_EVERY
from core.members import (
    FORGET_CONFIRM_TTL,
    FORGOTTEN_NAME,
    LINK_CODE_TTL,
    ClassReminderOverride,
    MemberProfile,
    PlatformFacts,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import AttendanceInterval, Member, ReminderKind, Role, Rsvp, RsvpStatus
from core.notices import NoticeKind
from core.ports import SessionStore
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.contract.conftest import STORE_FACTORIES
from tests.unit.conftest import ORIGIN, SENSEI, World

MEMBER_STORES = ["memory", "sqlite", "zerodb"]
"""The stores these service stories run on (the contract suite covers each store's rules)."""

ANA_SLACK = PlatformFacts(
    member_id="slack:T1:U1", display_name="Ana Silva", timezone="Europe/Berlin", locale="de"
)
ANA_DISCORD = PlatformFacts(member_id="discord:555", display_name="ana_s", locale="de")
ANA_TERMINAL = PlatformFacts(member_id="terminal:ana", display_name="ana")
BEN_SLACK = PlatformFacts(member_id="slack:T1:U2", display_name="Ben Ito", timezone="Asia/Tokyo")
BOSS = PlatformFacts(member_id="slack:T1:U9", display_name="Boss")


@pytest.fixture(params=MEMBER_STORES)
async def world(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[World]:
    clock = FakeClock()
    async with STORE_FACTORIES[request.param](tmp_path) as store:
        rooms, chat = InMemoryVideoRooms(), RecordingChatDelivery()
        service = SessionService(store, rooms, chat, clock)
        duties = Duties(service, ReminderDispatcher(store, chat))
        yield World(clock, store, rooms, chat, service, duties)  # type: ignore[arg-type]


async def who(world: World, facts: PlatformFacts, role: Role = Role.MEMBER) -> Member:
    return await world.service.identify(facts, role)


async def linked(world: World) -> tuple[Member, Member]:
    """Ana on Slack with her Discord account linked in: (as on Slack, as on Discord)."""
    on_slack = await who(world, ANA_SLACK)
    code = await world.service.link_code(on_slack)
    await world.service.link(await who(world, ANA_DISCORD), code.code)
    return on_slack, await who(world, ANA_DISCORD)


# profile ------------------------------------------------------------------------------------
async def test_identify_creates_the_profile_from_what_the_platform_says(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    assert (ana.id, ana.display_name, ana.timezone, ana.locale) == (
        "slack:T1:U1",
        "Ana Silva",
        "Europe/Berlin",
        "de",
    )
    assert ana.platform_id is None and ana.acting_id == "slack:T1:U1"
    profile = await world.service.profile(ana)
    assert profile.identities == ["slack:T1:U1"] and profile.last_seen_at == world.now
    gus = await who(world, ANA_TERMINAL, Role.GUEST)
    assert (gus.timezone, gus.locale, gus.role) == ("UTC", None, Role.GUEST)


async def test_identify_refreshes_changed_facts_at_once_and_last_seen_now_and_then(
    world: World,
) -> None:
    await who(world, ANA_SLACK)
    first = world.now
    world.clock.advance(SEEN_EVERY - timedelta(seconds=1))
    await who(world, ANA_SLACK)  # nothing new, too soon: not written
    assert (await world.store.get_profile("slack:T1:U1")).last_seen_at == first  # type: ignore[union-attr]
    moved = ANA_SLACK.model_copy(update={"display_name": "Ana S.", "timezone": "Asia/Tokyo"})
    ana = await who(world, moved)
    assert (ana.display_name, ana.timezone, ana.locale) == ("Ana S.", "Asia/Tokyo", "de")
    stored = await world.store.get_profile("slack:T1:U1")
    assert stored is not None and stored.last_seen_at == world.now == stored.updated_at
    world.clock.advance(SEEN_EVERY)
    await who(world, moved.model_copy(update={"timezone": None}))  # says nothing: zone stays
    stored = await world.store.get_profile("slack:T1:U1")
    assert stored is not None and stored.last_seen_at == world.now
    assert stored.timezone == "Asia/Tokyo" and stored.updated_at < world.now


async def test_a_stranger_cannot_see_or_forget_another_members_profile(world: World) -> None:
    ana, ben = await who(world, ANA_SLACK), await who(world, BEN_SLACK)
    with pytest.raises(PermissionDenied, match="Only admins") as refused:
        await world.service.member_profile(ben, ana.id)
    assert refused.value.hint == "Type /profile."
    with pytest.raises(PermissionDenied, match="Only admins") as refused:
        await world.service.forget_request(ben, ana.id)
    assert "/forget-me" in (refused.value.hint or "")
    boss = await who(world, BOSS, Role.ADMIN)
    assert (await world.service.member_profile(boss, ana.id)).display_name == "Ana Silva"


# linking ------------------------------------------------------------------------------------
async def test_a_linked_account_acts_as_the_same_member(world: World) -> None:
    on_slack, on_discord = await linked(world)
    assert on_discord.id == on_slack.id == "slack:T1:U1"
    assert on_discord.platform_id == "discord:555" and on_discord.acting_id == "discord:555"
    assert on_discord.display_name == "Ana Silva"  # the profile's own account names her
    profile = await world.service.profile(on_discord)
    assert profile.identities == ["slack:T1:U1", "discord:555"]
    assert await world.store.get_profile("discord:555") == profile


async def test_one_rsvp_and_one_attendance_record_per_session_once_linked(world: World) -> None:
    session = await world.schedule(timedelta(minutes=5), capacity=5)
    before = await who(world, ANA_DISCORD)
    await world.service.rsvp(before, session.id)  # as a stranger, before linking
    on_slack, on_discord = await linked(world)
    await world.service.rsvp(on_slack, session.id)
    await world.service.rsvp(on_discord, session.id)
    rsvps = await world.store.list_rsvps(session.id)
    assert [(r.member_id, r.status) for r in rsvps] == [(on_slack.id, RsvpStatus.GOING)]
    await world.service.start(SENSEI, session.id)
    await world.service.record_join(on_slack, session.id)
    await world.service.record_leave(on_slack, session.id)
    await world.service.record_join(on_discord, session.id)
    rows = await world.service.attendance(SENSEI, session.id)
    assert [r.member_id for r in rows] == [on_slack.id]


async def test_a_seat_freed_by_linking_goes_to_the_first_waitlisted_who_is_told(
    world: World,
) -> None:
    full = await world.schedule(timedelta(minutes=30), capacity=2)
    on_slack = await who(world, ANA_SLACK)
    await world.service.rsvp(on_slack, full.id)
    await world.service.rsvp(await who(world, ANA_DISCORD), full.id)  # two seats, one person
    ben = await who(world, BEN_SLACK)
    await world.service.rsvp(ben, full.id)  # waitlisted
    code = await world.service.link_code(on_slack)
    world.chat.sent.clear()

    await world.service.link(await who(world, ANA_DISCORD), code.code)

    rsvps = await world.store.list_rsvps(full.id)
    assert {(r.member_id, r.status) for r in rsvps} == {
        (on_slack.id, RsvpStatus.GOING),
        (ben.id, RsvpStatus.GOING),
    }
    told = world.chat.dms_to(ben.id)
    assert [s.notice.kind for s in told if s.notice] == [NoticeKind.PROMOTED]
    assert world.chat.of_kind("announcement")[-1].text.endswith(" 2 going")  # card edited


async def test_a_wrong_or_expired_code_is_refused_with_what_to_type(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    on_discord = await who(world, ANA_DISCORD)
    with pytest.raises(InvalidInput, match="unknown, used or expired") as refused:
        await world.service.link(on_discord, "NOPE1234")
    assert "/link" in (refused.value.hint or "")
    code = await world.service.link_code(ana)
    assert code.expires_at == world.now + LINK_CODE_TTL
    world.clock.advance(LINK_CODE_TTL)
    with pytest.raises(InvalidInput, match="expired"):
        await world.service.link(on_discord, code.code)
    assert (await world.service.profile(ana)).identities == [ana.id]


async def test_a_code_links_once_and_never_the_account_that_made_it(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    code = await world.service.link_code(ana)
    with pytest.raises(InvalidInput, match="already part of that profile") as refused:
        await world.service.link(ana, code.code)
    assert "/link CODE" in (refused.value.hint or "")
    typed = f" {code.code[:4].lower()} {code.code[4:]} "  # as people type it
    await world.service.link(await who(world, ANA_DISCORD), typed)  # the code still works
    with pytest.raises(InvalidInput, match="unknown, used or expired"):
        await world.service.link(await who(world, ANA_TERMINAL), code.code)
    assert await world.store.get_profile("terminal:ana") is not None
    assert (await world.service.profile(ana)).identities == [ana.id, "discord:555"]


async def test_an_account_linked_to_others_must_unlink_before_joining_another(
    world: World,
) -> None:
    on_slack, on_discord = await linked(world)
    ben = await who(world, BEN_SLACK)
    code = await world.service.link_code(ben)
    with pytest.raises(InvalidState, match="already linked") as refused:
        await world.service.link(on_discord, code.code)
    assert "/link remove" in (refused.value.hint or "")
    await world.service.unlink(on_discord)
    await world.service.link(await who(world, ANA_DISCORD), code.code)  # same code, now fine
    assert (await who(world, ANA_DISCORD)).id == ben.id
    assert (await world.service.profile(on_slack)).identities == [on_slack.id]


async def test_unlinking_from_the_linked_account_keeps_the_records_with_the_profile(
    world: World,
) -> None:
    session = await world.schedule()
    on_slack, on_discord = await linked(world)
    await world.service.rsvp(on_discord, session.id)
    alone = await world.service.unlink(on_discord)
    assert alone.id == "discord:555" and alone.identities == ["discord:555"]
    assert alone.display_name == "Ana Silva" and alone.locale == "de"
    again = await who(world, ANA_DISCORD)
    assert (again.id, again.platform_id) == ("discord:555", None)
    assert (await world.service.profile(on_slack)).identities == [on_slack.id]
    rsvps = await world.store.list_rsvps(session.id)
    assert [r.member_id for r in rsvps] == [on_slack.id]


class UnlinkedMeanwhile:
    """The world's store, where another process unlinks `identity` right after the next
    profile read (the reader then saves a profile that still holds it)."""

    def __init__(self, store: SessionStore, identity: str, now: datetime) -> None:
        self._store, self._identity, self._now = store, identity, now
        self.armed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def get_profile(self, member_id: str) -> MemberProfile | None:
        found = await self._store.get_profile(member_id)
        if self.armed and found is not None:
            self.armed = False
            await self._store.unlink_identity(found.id, self._identity, self._now)
        return found


@pytest.mark.parametrize("acting", [ANA_SLACK, ANA_DISCORD])
async def test_identify_saves_again_when_an_unlink_made_its_read_stale(
    world: World, acting: PlatformFacts
) -> None:
    await linked(world)
    store = UnlinkedMeanwhile(world.store, ANA_DISCORD.member_id, world.clock.now())
    service = SessionService(cast(SessionStore, store), world.rooms, world.chat, world.clock)
    store.armed = True
    moved = acting.model_copy(update={"timezone": "America/Lima"})  # a save is due

    member = await service.identify(moved, Role.MEMBER)

    assert (member.id, member.platform_id, member.timezone) == (
        acting.member_id,
        None,
        "America/Lima",
    )
    own = await world.store.get_profile(acting.member_id)
    assert own is not None and own.identities == [acting.member_id]
    assert own.timezone == "America/Lima"


async def test_unlinking_from_the_profiles_own_account_lets_every_other_go(world: World) -> None:
    on_slack, _ = await linked(world)
    code = await world.service.link_code(on_slack)
    await world.service.link(await who(world, ANA_TERMINAL), code.code)
    kept = await world.service.unlink(on_slack)
    assert kept.identities == [on_slack.id]
    assert (await who(world, ANA_DISCORD)).id == "discord:555"
    assert (await who(world, ANA_TERMINAL)).id == "terminal:ana"
    with pytest.raises(InvalidInput, match="not linked") as refused:
        await world.service.unlink(on_slack)
    assert "/link" in (refused.value.hint or "")


async def test_a_preferred_platform_must_be_a_linked_one(world: World) -> None:
    on_slack, on_discord = await linked(world)
    profile = await world.service.set_preferred_platform(on_slack, "discord")
    assert profile.address() == "discord:555"
    with pytest.raises(InvalidInput, match="no terminal account") as refused:
        await world.service.set_preferred_platform(on_discord, "terminal")
    assert "discord, slack" in (refused.value.hint or "")


# forgetting ---------------------------------------------------------------------------------
def kids() -> ScheduleSeries:
    return ScheduleSeries(
        title="Kids karate",
        weekdays=[0, 2],
        local_time=time(17, 30),
        timezone="Europe/Berlin",
        until=date(2027, 6, 30),
        capacity=1,
    )


async def test_forget_me_takes_a_code_only_its_asker_can_confirm_in_time(world: World) -> None:
    ana, ben = await who(world, ANA_SLACK), await who(world, BEN_SLACK)
    code = await world.service.forget_request(ana)
    assert code.expires_at == world.now + FORGET_CONFIRM_TTL
    with pytest.raises(InvalidInput, match="unknown, used or expired") as refused:
        await world.service.forget(ben, code.code)
    assert "/forget-me" in (refused.value.hint or "")
    world.clock.advance(FORGET_CONFIRM_TTL)
    with pytest.raises(InvalidInput, match="expired"):
        await world.service.forget(ana, code.code)  # Ben's try did not use it up; time did
    assert await world.store.get_profile(ana.id) is not None
    fresh = await world.service.forget_request(ana)
    await world.service.forget(ana, fresh.code)
    assert await world.store.get_profile(ana.id) is None
    with pytest.raises(InvalidInput, match="used"):
        await world.service.forget(ana, fresh.code)


async def test_forget_me_is_refused_while_the_member_teaches(world: World) -> None:
    teacher = await who(world, ANA_SLACK, Role.INSTRUCTOR)
    await world.service.schedule_series(teacher, kids(), ORIGIN)
    with pytest.raises(InvalidState, match="still teaches") as refused:
        await world.service.forget_request(teacher)
    assert "/end-class <id>" in (refused.value.hint or "")
    code = await world.service.forget_request(await who(world, BEN_SLACK))
    assert code.member_id == BEN_SLACK.member_id


async def test_forgetting_gives_up_seats_and_keeps_only_anonymous_records(world: World) -> None:
    on_slack, on_discord = await linked(world)
    ben = await who(world, BEN_SLACK)
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    await world.service.stand(on_discord, plan.series.id)
    full = await world.schedule(timedelta(minutes=5), capacity=1)
    await world.service.rsvp(on_slack, full.id)
    await world.service.rsvp(ben, full.id)  # waitlisted behind Ana
    past = await world.schedule(timedelta(minutes=5), capacity=5)
    await world.service.rsvp(on_discord, past.id)
    await world.service.start(SENSEI, past.id)
    await world.service.record_join(on_discord, past.id)
    await world.service.end(SENSEI, past.id)

    code = await world.service.forget_request(on_discord)
    kept = await world.service.forget(on_discord, code.code)

    assert kept >= 2  # at least the past RSVP and the stay in its room
    seats = await world.store.list_rsvps(full.id)
    assert [(r.member_id, r.status) for r in seats if r.status is not RsvpStatus.LEFT] == [
        (ben.id, RsvpStatus.GOING)
    ]
    assert world.chat.dms_to(ben.id)  # promoted, and told
    assert await world.store.list_standing_rsvps(plan.series.id) == []
    for facts in (ANA_SLACK, ANA_DISCORD):
        assert await world.store.get_profile(facts.member_id) is None
    records: list[Rsvp | AttendanceInterval] = [
        *await world.store.list_rsvps(past.id),
        *await world.store.list_attendance(past.id),
        *await world.store.list_rsvps(full.id),
    ]
    anonymous = [r for r in records if r.member_id != ben.id]
    assert len(anonymous) >= 3 and {r.member_name for r in anonymous} == {FORGOTTEN_NAME}
    dumped = " ".join(r.model_dump_json() for r in records)
    for trace in ("Ana", "ana_s", "slack:T1:U1", "discord:555"):
        assert trace not in dumped
    rows = await world.service.attendance(SENSEI, past.id)
    assert [r.member_name for r in rows] == [FORGOTTEN_NAME]  # "1 attended" still counts


async def test_an_admin_forgets_a_member_on_request(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    boss = await who(world, BOSS, Role.ADMIN)
    with pytest.raises(NotFound, match="nothing stored") as refused:
        await world.service.forget_request(boss, "slack:T1:NOBODY")
    assert "/profile" in (refused.value.hint or "")
    code = await world.service.forget_request(boss, f" {ana.id} ")
    assert (code.member_id, code.issued_by) == (ana.id, boss.id)
    with pytest.raises(InvalidInput, match="unknown, used or expired"):
        await world.service.forget(ana, code.code)  # the admin asked: the admin confirms
    await world.service.forget(boss, code.code)
    assert await world.store.get_profile(ana.id) is None
    assert await world.store.get_profile(boss.id) is not None


# reminder choices ---------------------------------------------------------------------------
async def test_reminder_choices_change_only_what_is_named(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    changed = await world.service.change_reminder_preferences(
        ana,
        SetReminders(
            kinds=[ReminderKind.BEFORE_2H, ReminderKind.BEFORE_24H],
            quiet_hours=QuietHours(start=time(22), end=time(7)),
        ),
    )
    assert changed.preferences.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]
    changed = await world.service.change_reminder_preferences(
        ana, SetReminders(route=ReminderRoute.NONE)
    )
    prefs = changed.preferences
    assert prefs.route is ReminderRoute.NONE
    assert prefs.quiet_hours == QuietHours(start=time(22), end=time(7))
    assert prefs.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]  # kept
    changed = await world.service.change_reminder_preferences(
        ana, SetReminders(class_id=plan.series.id, kinds=[ReminderKind.BEFORE_1H])
    )
    override = changed.preferences.per_class[plan.series.root_id]
    assert (override.kinds, override.route) == ([ReminderKind.BEFORE_1H], None)
    changed = await world.service.change_reminder_preferences(
        ana, SetReminders(class_id=plan.series.id, reset=True)
    )
    assert changed.preferences.per_class == {} and changed.preferences.route is ReminderRoute.NONE
    with pytest.raises(InvalidInput, match="one custom lead time") as refused:
        await world.service.change_reminder_preferences(
            ana, SetReminders(kinds=[ReminderKind.BEFORE_2H, ReminderKind.BEFORE_3H])
        )
    assert "24h, 1h and 10m" in (refused.value.hint or "")
    with pytest.raises(NotFound, match="No weekly class") as missing:
        await world.service.change_reminder_preferences(
            ana, SetReminders(class_id="nosuch", kinds=[ReminderKind.BEFORE_1H])
        )
    assert "/classes" in (missing.value.hint or "")
    cleared = await world.service.change_reminder_preferences(ana, SetReminders(reset=True))
    assert cleared.preferences == ReminderPreferences()


async def test_a_code_of_a_forgotten_account_links_nothing(world: World) -> None:
    ana = await who(world, ANA_SLACK)
    code = await world.service.link_code(ana)
    confirm = await world.service.forget_request(ana)
    await world.service.forget(ana, confirm.code)
    with pytest.raises(InvalidInput, match="unknown, used or expired"):
        await world.service.link(await who(world, ANA_DISCORD), code.code)
    assert await world.store.get_profile("slack:T1:U1") is None


async def test_a_class_choice_is_kept_under_the_class_id_whatever_segment_is_named(
    world: World,
) -> None:
    ana = await who(world, ANA_SLACK)
    plan = await world.service.schedule_series(SENSEI, kids(), ORIGIN)
    split = UpdateSeries(
        series_id=plan.series.id,
        scope=SeriesScope.FOLLOWING,
        from_day=date(2026, 12, 14),
        local_time=time(18, 0),
    )
    await world.service.update_series(SENSEI, split)
    segments = await world.store.list_series()
    segment = next(s for s in segments if s.id != plan.series.root_id)
    choice = ReminderPreferences(
        per_class={segment.id: ClassReminderOverride(kinds=[ReminderKind.BEFORE_1H])}
    )
    saved = await world.service.set_reminder_preferences(ana, choice)
    assert list(saved.preferences.per_class) == [plan.series.root_id]


async def test_linking_plans_the_profiles_custom_lead_time_where_the_rsvps_moved(
    world: World,
) -> None:
    """Ana chose 3 h on Slack; her Discord account, a stranger then, said going. Once
    linked, the RSVP is the profile's, and so is the 3 h reminder of that session."""
    on_slack = await who(world, ANA_SLACK)
    await world.service.change_reminder_preferences(
        on_slack, SetReminders(kinds=[ReminderKind.BEFORE_3H, ReminderKind.BEFORE_10M])
    )
    session = await world.schedule(timedelta(days=2))
    await world.service.rsvp(await who(world, ANA_DISCORD), session.id)

    async def kinds() -> set[ReminderKind]:
        due = await world.store.due_reminders(session.start_time, 20)
        return {r.kind for r in due if r.session_id == session.id}

    assert ReminderKind.BEFORE_3H not in await kinds()
    await linked(world)
    assert ReminderKind.BEFORE_3H in await kinds()
