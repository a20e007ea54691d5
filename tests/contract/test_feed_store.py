"""The calendar-feed part of the SessionStore contract, over every store: one feed per
member, found by the hash of its token; a new one replaces the old (whose hash stops
matching), revoking drops it; two saves at once leave one whole feed; linking moves a feed
to the profile (the profile's own wins) and forgetting a member drops it; a member's
sessions (active RSVPs from a day on) are read by member, soonest first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.calendar_feed import feed_token_hash, new_feed_token
from core.errors import InvalidState
from core.members import MemberProfile
from core.model import TrainingSession
from core.ports import SessionStore

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ANA = "slack:T1:U7"
ANA_DISCORD = "discord:4242"
BO = "terminal:bo"


def a_hash() -> str:
    return feed_token_hash(new_feed_token())


def profile(member_id: str, name: str = "Ana") -> MemberProfile:
    return MemberProfile(
        id=member_id,
        display_name=name,
        timezone="Europe/Madrid",
        locale="es",
        identities=[member_id],
        created_at=T0,
        updated_at=T0,
        last_seen_at=T0,
    )


async def test_a_feed_is_found_by_its_hash_and_a_new_one_replaces_it(
    store: SessionStore,
) -> None:
    first, second, other = a_hash(), a_hash(), a_hash()
    assert await store.member_of_feed(first) is None
    await store.save_feed_token(ANA, first, T0)
    await store.save_feed_token(BO, other, T0)
    assert await store.member_of_feed(first) == ANA
    await store.save_feed_token(ANA, second, T0 + timedelta(minutes=1))
    assert await store.member_of_feed(first) is None  # the old URL stops working
    assert await store.member_of_feed(second) == ANA
    assert await store.member_of_feed(other) == BO  # someone else's is untouched


async def test_revoking_drops_the_feed_once(store: SessionStore) -> None:
    token_hash = a_hash()
    await store.save_feed_token(ANA, token_hash, T0)
    assert await store.drop_feed_token(ANA)
    assert await store.member_of_feed(token_hash) is None
    assert not await store.drop_feed_token(ANA)
    assert not await store.drop_feed_token(BO)


async def test_a_hash_held_by_another_member_is_refused(store: SessionStore) -> None:
    token_hash = a_hash()
    await store.save_feed_token(ANA, token_hash, T0)
    with pytest.raises(InvalidState):
        await store.save_feed_token(BO, token_hash, T0)
    assert await store.member_of_feed(token_hash) == ANA
    await store.save_feed_token(ANA, token_hash, T0 + timedelta(minutes=1))  # their own: fine


@pytest.mark.parametrize("hashes", [2, 5])
async def test_saves_at_once_leave_exactly_one_feed(store: SessionStore, hashes: int) -> None:
    made = [a_hash() for _ in range(hashes)]
    await asyncio.gather(*(store.save_feed_token(ANA, h, T0) for h in made))
    found = [h for h in made if await store.member_of_feed(h) == ANA]
    assert len(found) == 1
    assert await store.drop_feed_token(ANA)
    assert [h for h in made if await store.member_of_feed(h) is not None] == []


async def test_linking_moves_the_identitys_feed_to_the_profile(store: SessionStore) -> None:
    await store.save_profile(profile(ANA))
    await store.save_profile(profile(ANA_DISCORD))
    theirs = a_hash()
    await store.save_feed_token(ANA_DISCORD, theirs, T0)
    await store.link_identity(ANA, ANA_DISCORD, T0 + timedelta(minutes=1))
    assert await store.member_of_feed(theirs) == ANA
    assert await store.drop_feed_token(ANA)
    assert not await store.drop_feed_token(ANA_DISCORD)


async def test_linking_keeps_the_profiles_own_feed_and_drops_the_identitys(
    store: SessionStore,
) -> None:
    await store.save_profile(profile(ANA))
    await store.save_profile(profile(ANA_DISCORD))
    own, theirs = a_hash(), a_hash()
    await store.save_feed_token(ANA, own, T0)
    await store.save_feed_token(ANA_DISCORD, theirs, T0)
    await store.link_identity(ANA, ANA_DISCORD, T0 + timedelta(minutes=1))
    assert await store.member_of_feed(own) == ANA
    assert await store.member_of_feed(theirs) is None


async def test_forgetting_a_member_drops_their_feed(store: SessionStore) -> None:
    await store.save_profile(profile(ANA))
    await store.save_profile(profile(BO, "Bo"))
    mine, bos = a_hash(), a_hash()
    await store.save_feed_token(ANA, mine, T0)
    await store.save_feed_token(BO, bos, T0)
    await store.forget_member(ANA, "forgotten:1", T0 + timedelta(minutes=1))
    assert await store.member_of_feed(mine) is None  # not moved to the anonymous id
    assert not await store.drop_feed_token("forgotten:1")
    assert await store.member_of_feed(bos) == BO


def a_session(session_id: str, start: datetime, capacity: int | None = 1) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=start,
        duration_minutes=60,
        capacity=capacity,
        created_at=T0,
        updated_at=T0,
    )


async def test_a_members_sessions_are_their_active_rsvps_from_a_day_on(
    store: SessionStore,
) -> None:
    day = timedelta(days=1)
    for session_id, start in (("s-old", T0 - 40 * day), ("s-b", T0 + 2 * day), ("s-a", T0 + day)):
        await store.add_session(a_session(session_id, start))
    await store.add_session(a_session("s-left", T0 + day))
    await store.add_session(a_session("s-other", T0 + day))
    await store.add_session(a_session("s-same", T0 + day))  # same start as s-a: by id
    for session_id in ("s-old", "s-a", "s-b", "s-left", "s-same"):
        await store.rsvp_going(session_id, BO, "Bo", T0)  # Bo takes the seats
        await store.rsvp_going(session_id, ANA, "Ana", T0 + timedelta(seconds=1))  # waitlisted
    await store.rsvp_going("s-other", BO, "Bo", T0)
    await store.rsvp_leave("s-left", ANA, T0 + timedelta(minutes=1))
    await store.rsvp_leave("s-b", BO, T0 + timedelta(minutes=1))  # Ana promoted to going
    await store.add_session(a_session("s-offer", T0 + 3 * day))
    await store.rsvp_going("s-offer", BO, "Bo", T0)
    await store.rsvp_going("s-offer", ANA, "Ana", T0 + timedelta(seconds=1))
    await store.rsvp_leave("s-offer", BO, T0 + timedelta(minutes=1), promote=False)
    offered = await store.offer_seats("s-offer", T0 + timedelta(minutes=1), T0 + day, frozenset())
    assert [r.member_id for r in offered] == [ANA]  # holding a seat offered to her
    since = T0 - 30 * day
    assert await store.member_session_ids(ANA, since, 10) == ["s-a", "s-same", "s-b", "s-offer"]
    assert await store.member_session_ids(ANA, since, 2) == ["s-a", "s-same"]
    assert await store.member_session_ids(BO, since, 10) == ["s-a", "s-left", "s-other", "s-same"]
    assert await store.member_session_ids("terminal:nobody", since, 10) == []
