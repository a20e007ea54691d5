"""The member part of the SessionStore contract, over every store: profiles found by any of
their identities, identities unique across profiles, linking and unlinking identities (what
was recorded moves, one row surviving per thing), forgetting a member (anonymous counts
stay), one-time member codes taken exactly once, and held (deferred) deliveries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.sql import open_sql_store
from core.errors import InvalidState, NotFound
from core.members import (
    FORGOTTEN_NAME,
    ClassReminderOverride,
    CodePurpose,
    MemberCode,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import (
    DeferredDelivery,
    DeliveryKey,
    Reminder,
    ReminderKind,
    RsvpStatus,
    SessionFilter,
    TrainingSession,
)
from core.ports import SessionStore
from core.recurrence import WeeklyRule
from core.series import Series, StandingRsvp
from tests.contract.conftest import empty_tables, sqlite_url
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store
from tests.pg_server import require_server

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SLACK = "slack:T1:U7"
DISCORD = "discord:4242"
LEASE = timedelta(minutes=5)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def profile(member_id: str = SLACK, **changes: Any) -> MemberProfile:
    values: dict[str, Any] = {
        "id": member_id,
        "display_name": "Ana",
        "timezone": "Europe/Madrid",
        "locale": "es",
        "identities": [member_id],
        "last_seen_at": T0,
        "created_at": T0,
        "updated_at": T0,
    }
    return MemberProfile.model_validate(values | changes)


def session(session_id: str, **changes: Any) -> TrainingSession:
    values: dict[str, Any] = {
        "id": session_id,
        "title": "Judo",
        "instructor_id": "slack:T1:SENSEI",
        "instructor_name": "Sensei",
        "start_time": at(24 * 60),
        "duration_minutes": 60,
        "capacity": 10,
        "created_at": T0,
        "updated_at": T0,
    }
    return TrainingSession.model_validate(values | changes)


def series(series_id: str, instructor_id: str) -> Series:
    rule = WeeklyRule(
        weekdays=frozenset({0}),
        local_time=time(18, 0),
        timezone="UTC",
        first_day=date(2026, 12, 7),
        until=date(2027, 3, 1),
    )
    return Series(
        id=series_id,
        root_id=series_id,
        title="Kids",
        instructor_id=instructor_id,
        instructor_name="Teacher",
        rule=rule,
        duration_minutes=60,
        created_at=T0,
        updated_at=T0,
    )


def key(
    session_id: str, recipient: str, kind: ReminderKind = ReminderKind.BEFORE_1H
) -> DeliveryKey:
    return DeliveryKey(
        session_id=session_id, recipient_id=recipient, kind=kind, start_time=at(24 * 60)
    )


def code(
    text: str = "ABCD1234", expires: datetime = T0 + timedelta(minutes=10), **changes: Any
) -> MemberCode:
    values: dict[str, Any] = {
        "code": text,
        "purpose": CodePurpose.LINK,
        "member_id": SLACK,
        "issued_by": SLACK,
        "expires_at": expires,
    }
    return MemberCode.model_validate(values | changes)


# profiles -------------------------------------------------------------------------------
async def test_a_profile_round_trips_and_is_found_by_any_identity(store: SessionStore) -> None:
    prefs = ReminderPreferences(
        kinds=[ReminderKind.BEFORE_1H],
        route=ReminderRoute.DM,
        quiet_hours=QuietHours(start=time(22, 0), end=time(7, 0)),
        per_class={"kids": ClassReminderOverride(route=ReminderRoute.NONE)},
    )
    ana = profile(identities=[SLACK, DISCORD], preferences=prefs, preferred_platform="discord")
    await store.save_profile(ana)
    assert await store.get_profile(SLACK) == ana
    assert await store.get_profile(DISCORD) == ana
    assert await store.get_profile("slack:T1:NOBODY") is None
    await store.save_profile(profile("terminal:bo", display_name="Bo", timezone=None, locale=None))
    found = await store.get_profiles([DISCORD, "terminal:bo", "terminal:nobody", SLACK])
    assert found == {
        DISCORD: ana,
        SLACK: ana,
        "terminal:bo": await store.get_profile("terminal:bo"),
    }
    assert await store.get_profiles([]) == {}


async def test_saving_overwrites_keeps_links_and_never_takes_another_profiles_identity(
    store: SessionStore,
) -> None:
    await store.save_profile(profile(identities=[SLACK, DISCORD]))
    await store.save_profile(profile("terminal:bo", display_name="Bo"))
    with pytest.raises(InvalidState):
        await store.save_profile(profile("terminal:bo", identities=["terminal:bo", DISCORD]))
    with pytest.raises(InvalidState):
        await store.save_profile(profile(DISCORD))
    stale = profile(display_name="Ana María", last_seen_at=at(5), identities=[SLACK])
    await store.save_profile(stale)  # read before DISCORD was linked: the link stays
    renamed = stale.model_copy(update={"identities": [SLACK, DISCORD]})
    assert await store.get_profile(SLACK) == renamed
    assert await store.get_profile(DISCORD) == renamed
    stored = await store.get_profile("terminal:bo")
    assert stored is not None and stored.identities == ["terminal:bo"]


async def test_a_profile_lists_its_own_id_first(store: SessionStore) -> None:
    await store.save_profile(profile(identities=[DISCORD]))
    stored = await store.get_profile(DISCORD)
    assert stored is not None and stored.identities == [SLACK, DISCORD]


# linking --------------------------------------------------------------------------------
async def test_linking_moves_every_record_keeping_one_per_thing(store: SessionStore) -> None:
    for n in range(1, 5):
        await store.add_session(session(f"s{n}", capacity=1))
    await store.add_session(session("taught", instructor_id=DISCORD, instructor_name="Ana D"))
    await store.add_series(series("kids", DISCORD))
    await store.add_series(series("adults", "slack:T1:SENSEI"))
    await store.save_profile(profile())
    await store.save_profile(profile(DISCORD, display_name="Ana D"))
    # s1: slack waitlisted, discord going -> discord's going row survives
    await store.rsvp_going("s1", DISCORD, "Ana D", at(1))
    await store.rsvp_going("s1", SLACK, "Ana", at(2))
    # s2: both waitlisted behind someone: the earlier (slack) survives
    await store.rsvp_going("s2", "x", "X", at(1))
    await store.rsvp_going("s2", SLACK, "Ana", at(2))
    await store.rsvp_going("s2", DISCORD, "Ana D", at(3))
    # s3: only discord (left)
    await store.rsvp_going("s3", DISCORD, "Ana D", at(1))
    await store.rsvp_leave("s3", DISCORD, at(2))
    await store.record_join("s1", SLACK, "Ana", at(10))
    await store.record_join("s1", DISCORD, "Ana D", at(20))
    await store.record_leave("s1", DISCORD, at(30))
    kids_slack = StandingRsvp(series_id="kids", member_id=SLACK, member_name="Ana", created_at=T0)
    await store.add_standing_rsvp(kids_slack)
    kids_discord = kids_slack.model_copy(update={"member_id": DISCORD, "created_at": at(1)})
    await store.add_standing_rsvp(kids_discord)
    await store.add_standing_rsvp(
        StandingRsvp(series_id="adults", member_id=DISCORD, member_name="Ana D", created_at=T0)
    )
    # deliveries: s1's 1h sent to discord, only claimed for slack -> the sent one survives
    await store.claim_deliveries([key("s1", SLACK), key("s1", DISCORD)], at(0), LEASE)
    await store.mark_deliveries_sent([key("s1", DISCORD)], at(1))
    await store.claim_deliveries([key("s2", DISCORD)], at(0), LEASE)
    await store.defer_deliveries(
        [DeferredDelivery(key=key("s3", DISCORD), due_at=at(5), useful_until=at(9))]
    )

    linked = await store.link_identity(SLACK, DISCORD, at(40))

    assert linked.identities == [SLACK, DISCORD] and linked.updated_at == at(40)
    assert linked.display_name == "Ana"
    assert await store.get_profile(DISCORD) == linked
    s1 = await store.list_rsvps("s1")
    assert [(r.member_id, r.member_name, r.status) for r in s1] == [
        (SLACK, "Ana D", RsvpStatus.GOING)
    ]
    s2 = await store.list_rsvps("s2")
    assert [(r.member_id, r.member_name, r.position) for r in s2] == [
        ("x", "X", 1),
        (SLACK, "Ana", 2),
    ]
    s3 = await store.list_rsvps("s3")
    assert [(r.member_id, r.status) for r in s3] == [(SLACK, RsvpStatus.LEFT)]
    stays = await store.list_attendance("s1")
    assert [(s.member_id, s.member_name, s.joined_at) for s in stays] == [
        (SLACK, "Ana", at(10)),
        (SLACK, "Ana D", at(20)),
    ]
    await store.record_leave("s1", SLACK, at(50))  # the open stay is now the profile's
    assert [s.left_at for s in await store.list_attendance("s1")] == [at(50), at(30)]
    kids = await store.list_standing_rsvps("kids")
    assert [(r.member_id, r.member_name, r.created_at) for r in kids] == [(SLACK, "Ana", T0)]
    adults = await store.list_standing_rsvps("adults")
    assert [(r.member_id, r.member_name) for r in adults] == [(SLACK, "Ana D")]
    assert await store.delivery_sent(key("s1", SLACK))
    assert not await store.delivery_sent(key("s1", DISCORD))
    assert await store.claim_deliveries([key("s1", DISCORD), key("s2", SLACK)], at(1), LEASE) == [
        key("s1", DISCORD)
    ]  # s2's claim moved to the profile (fresh); nothing is left under the old id
    assert await store.due_deferred(at(5), 10) == [
        DeferredDelivery(key=key("s3", SLACK), due_at=at(5), useful_until=at(9))
    ]
    taught = await store.get_session("taught")
    assert taught is not None and taught.instructor_id == SLACK
    assert taught.instructor_name == "Ana D"
    assert await store.count_sessions(SessionFilter(instructor_id=DISCORD)) == 0
    kids_class = await store.get_series("kids")
    assert kids_class is not None and kids_class.instructor_id == SLACK


async def test_linking_keeps_one_stay_per_join_instant_and_the_earlier_held_delivery(
    store: SessionStore,
) -> None:
    await store.add_session(session("s1"))
    await store.save_profile(profile())
    await store.record_join("s1", SLACK, "Ana", at(10))
    await store.record_join("s1", DISCORD, "Ana D", at(10))  # the same instant, twice
    await store.record_join("s1", DISCORD, "Ana D", at(12))
    early = DeferredDelivery(key=key("s1", DISCORD), due_at=at(5), useful_until=at(9))
    late = DeferredDelivery(key=key("s1", SLACK), due_at=at(7), useful_until=at(8))
    await store.defer_deliveries([early, late])
    await store.link_identity(SLACK, DISCORD, at(20))
    stays = await store.list_attendance("s1")
    assert [(s.member_id, s.member_name, s.joined_at) for s in stays] == [
        (SLACK, "Ana", at(10)),
        (SLACK, "Ana D", at(12)),
    ]
    assert await store.due_deferred(at(60), 10) == [
        DeferredDelivery(key=key("s1", SLACK), due_at=at(5), useful_until=at(9))
    ]


async def test_linking_is_refused_or_a_no_op_where_it_must_be(store: SessionStore) -> None:
    await store.save_profile(profile())
    with pytest.raises(NotFound):
        await store.link_identity("slack:T1:NOBODY", DISCORD, at(1))
    linked = await store.link_identity(SLACK, DISCORD, at(1))  # no profile of its own yet
    assert linked.identities == [SLACK, DISCORD]
    assert await store.link_identity(SLACK, DISCORD, at(2)) == linked  # already linked
    assert await store.link_identity(DISCORD, DISCORD, at(2)) == linked  # by any identity
    await store.save_profile(profile("terminal:bo", identities=["terminal:bo", "discord:99"]))
    with pytest.raises(InvalidState):
        await store.link_identity(SLACK, "discord:99", at(3))
    with pytest.raises(InvalidState):
        await store.link_identity(SLACK, "terminal:bo", at(3))
    assert (await store.get_profile("discord:99")) == (await store.get_profile("terminal:bo"))


async def test_linking_drops_the_absorbed_profiles_codes(store: SessionStore) -> None:
    await store.save_profile(profile())
    await store.save_profile(profile(DISCORD))
    await store.add_member_code(code("OLDCODE", member_id=DISCORD, issued_by=DISCORD))
    await store.link_identity(SLACK, DISCORD, at(1))
    assert await store.take_member_code("OLDCODE", at(2)) is None


async def test_unlinking_gives_the_identity_its_own_profile(store: SessionStore) -> None:
    await store.add_session(session("s1"))
    await store.save_profile(
        profile(identities=[SLACK, DISCORD, "terminal:ana"], preferred_platform="discord")
    )
    await store.rsvp_going("s1", SLACK, "Ana", at(1))
    with pytest.raises(NotFound):
        await store.unlink_identity(SLACK, "discord:other", at(2))
    with pytest.raises(NotFound):
        await store.unlink_identity(DISCORD, DISCORD, at(2))  # not a profile id
    await store.unlink_identity(SLACK, DISCORD, at(2))
    kept = await store.get_profile(SLACK)
    assert kept is not None and kept.identities == [SLACK, "terminal:ana"]
    assert kept.preferred_platform is None and kept.updated_at == at(2)
    own = await store.get_profile(DISCORD)
    assert own is not None and own.id == DISCORD and own.identities == [DISCORD]
    assert (own.display_name, own.timezone, own.locale) == ("Ana", "Europe/Madrid", "es")
    assert [r.member_id for r in await store.list_rsvps("s1")] == [SLACK]
    with pytest.raises(InvalidState):
        await store.unlink_identity(SLACK, SLACK, at(3))


# forgetting -----------------------------------------------------------------------------
async def test_forgetting_keeps_only_anonymous_rows(store: SessionStore) -> None:
    await store.add_session(session("s1"))
    await store.add_session(session("s2", instructor_id=DISCORD, instructor_name="Ana D"))
    await store.add_series(series("kids", SLACK))
    await store.save_profile(profile(identities=[SLACK, DISCORD]))
    await store.save_profile(profile("terminal:bo", display_name="Bo"))
    await store.rsvp_going("s1", SLACK, "Ana", at(1))
    await store.rsvp_going("s1", "terminal:bo", "Bo", at(1))
    await store.rsvp_going("s2", DISCORD, "Ana D", at(1))
    await store.rsvp_leave("s2", DISCORD, at(2))
    await store.record_join("s1", SLACK, "Ana", at(10))
    await store.record_join("s1", DISCORD, "Ana D", at(11))
    await store.add_standing_rsvp(
        StandingRsvp(series_id="kids", member_id=DISCORD, member_name="Ana", created_at=T0)
    )
    await store.claim_deliveries([key("s1", SLACK)], at(0), LEASE)
    await store.defer_deliveries(
        [DeferredDelivery(key=key("s1", DISCORD), due_at=at(5), useful_until=at(9))]
    )
    await store.add_member_code(code("FORGET01", purpose=CodePurpose.FORGET))
    await store.add_member_code(code("BOCODE", member_id="terminal:bo", issued_by="terminal:bo"))

    assert await store.forget_member(DISCORD, "forgotten:x1", at(20)) == 4  # 2 RSVPs + 2 stays

    assert await store.get_profile(SLACK) is None and await store.get_profile(DISCORD) is None
    assert await store.forget_member(SLACK, "forgotten:x2", at(21)) is None
    rows = [*await store.list_rsvps("s1"), *await store.list_rsvps("s2")]
    assert sorted((r.member_id, r.member_name) for r in rows) == [
        ("forgotten:x1", FORGOTTEN_NAME),
        ("forgotten:x1", FORGOTTEN_NAME),
        ("terminal:bo", "Bo"),
    ]
    stays = await store.list_attendance("s1")
    assert {(s.member_id, s.member_name) for s in stays} == {("forgotten:x1", FORGOTTEN_NAME)}
    assert len(stays) == 2
    standing = await store.list_standing_rsvps("kids")
    assert [(r.member_id, r.member_name) for r in standing] == [("forgotten:x1", FORGOTTEN_NAME)]
    taught = await store.get_session("s2")
    assert taught is not None
    assert (taught.instructor_id, taught.instructor_name) == ("forgotten:x1", FORGOTTEN_NAME)
    kids = await store.get_series("kids")
    assert kids is not None
    assert (kids.instructor_id, kids.instructor_name) == ("forgotten:x1", FORGOTTEN_NAME)
    assert not await store.claim_deliveries([key("s1", "forgotten:x1")], at(1), LEASE)
    assert await store.due_deferred(at(60), 10) == []
    assert await store.take_member_code("FORGET01", at(0)) is None
    assert await store.take_member_code("BOCODE", at(0)) is not None
    assert await store.get_profile("terminal:bo") is not None


# member codes ---------------------------------------------------------------------------
async def test_a_member_code_is_taken_once_and_not_after_it_expired(store: SessionStore) -> None:
    issued = code()
    await store.add_member_code(issued)
    with pytest.raises(InvalidState):
        await store.add_member_code(code(member_id="discord:1"))
    assert await store.take_member_code("NOPE", at(0)) is None
    assert await store.take_member_code("ABCD1234", at(1)) == issued
    assert await store.take_member_code("ABCD1234", at(1)) is None
    await store.add_member_code(code("LATE0001", expires=at(10)))
    assert await store.take_member_code("LATE0001", at(10)) is None  # expired at its instant
    assert await store.take_member_code("LATE0001", at(5)) is None  # and gone
    await store.add_member_code(code("LATE0001", expires=at(20)))  # the code is free again


async def test_a_code_handed_back_after_a_take_is_taken_again_exactly_once(
    store: SessionStore,
) -> None:
    """A refused use hands its code back by adding it again (same code, same expiry)."""
    issued = code()
    for _ in range(3):
        await store.add_member_code(issued)
        taken = await asyncio.gather(
            *(store.take_member_code(issued.code, at(1)) for _ in range(5))
        )
        assert [t for t in taken if t is not None] == [issued]
        assert await store.take_member_code(issued.code, at(1)) is None


async def test_racing_takers_get_a_code_exactly_once(store: SessionStore) -> None:
    await store.add_member_code(code())
    taken = await asyncio.gather(*(store.take_member_code("ABCD1234", at(1)) for _ in range(20)))
    assert [t for t in taken if t is not None] == [code()]


# held deliveries ------------------------------------------------------------------------
async def test_held_deliveries_come_due_in_order_once_and_count_for_the_next_wake_up(
    store: SessionStore,
) -> None:
    await store.add_session(session("s1"))
    await store.add_session(session("s2"))
    assert await store.next_reminder_due() is None
    late = DeferredDelivery(key=key("s1", SLACK), due_at=at(30), useful_until=at(60))
    early = DeferredDelivery(key=key("s2", DISCORD), due_at=at(20), useful_until=at(60))
    tie = DeferredDelivery(key=key("s1", DISCORD), due_at=at(20), useful_until=at(60))
    await store.defer_deliveries([late, early])
    await store.defer_deliveries([tie, late.model_copy(update={"due_at": at(5)})])  # kept first
    assert await store.next_reminder_due() == at(20)
    reminder = Reminder(
        session_id="s1",
        kind=ReminderKind.BEFORE_1H,
        start_time=at(24 * 60),
        due_at=at(25),
        useful_until=at(26),
    )
    await store.replace_reminders("s1", [reminder])
    assert await store.next_reminder_due() == at(20)
    assert await store.due_deferred(at(19), 10) == []
    assert await store.due_deferred(at(30), 10) == [tie, early, late]
    assert await store.due_deferred(at(30), 2) == [tie, early]
    await store.drop_deferred([tie.key, early.key, key("s2", "nobody")])
    assert await store.due_deferred(at(30), 10) == [late]
    assert await store.next_reminder_due() == at(25)
    await store.finish_reminders([reminder], at(25))
    assert await store.next_reminder_due() == at(30)
    with pytest.raises(NotFound):
        await store.defer_deliveries(
            [DeferredDelivery(key=key("nope", SLACK), due_at=at(1), useful_until=at(2))]
        )


# across processes: two stores (two engines, two pools / two HTTP clients) on one database ----
@asynccontextmanager
async def two_stores(kind: str, tmp_path: Path) -> AsyncIterator[tuple[SessionStore, SessionStore]]:
    """Two independent stores on one database, like two processes."""
    if kind == "zerodb":
        standin = ZeroDBStandIn()
        base_url = await standin.start()
        pair = (
            await open_standin_store(base_url, standin),
            await open_standin_store(base_url, standin),
        )
        try:
            yield pair
        finally:
            for opened in pair:
                await opened.close()
            await standin.close()
        return
    if kind == "sqlite":
        url = sqlite_url(tmp_path / "race.db")
    else:
        url = await require_server().reused_database("dojobot_member_race")
    first, second = await open_sql_store(url), await open_sql_store(url)
    try:
        if kind == "postgres":
            await empty_tables(first)
        yield first, second
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres", "zerodb"])
async def test_codes_are_taken_once_across_processes(kind: str, tmp_path: Path) -> None:
    async with two_stores(kind, tmp_path) as (first, second):
        codes = [code(f"CODE{n:04d}") for n in range(5)]
        for issued in codes:
            await first.add_member_code(issued)
        taken = await asyncio.gather(
            *(
                s.take_member_code(c.code, at(1))
                for c in codes
                for _ in range(3)
                for s in (first, second)
            )
        )
        assert sorted(t.code for t in taken if t is not None) == [c.code for c in codes]


@pytest.mark.parametrize("kind", ["sqlite", "postgres", "zerodb"])
async def test_an_identity_joins_one_profile_across_processes(kind: str, tmp_path: Path) -> None:
    async with two_stores(kind, tmp_path) as (first, second):
        claims = [
            profile(f"terminal:p{n}", identities=[f"terminal:p{n}", DISCORD]) for n in range(4)
        ]
        results = await asyncio.gather(
            *((first, second)[n % 2].save_profile(p) for n, p in enumerate(claims)),
            return_exceptions=True,
        )
        assert sum(1 for r in results if r is None) == 1
        assert all(isinstance(r, InvalidState) for r in results if r is not None)
        owner = await second.get_profile(DISCORD)
        assert owner is not None and owner == await first.get_profile(owner.id)
