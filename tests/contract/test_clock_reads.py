"""What the alarm clock's wake-up asks of every store in fewer round trips.

`record_and_claim`: the group just sent is recorded and the next one claimed in one go,
telling which claims are retries (as `mark_deliveries_sent`, `claim_deliveries` and
`reclaimed_deliveries` one after the other would). `session_ends`: the scheduled ends of
the sessions `list_sessions` would return, in its order, without reading them whole.
`members_of_sessions`: the member ids of `list_rsvps_of_sessions`, without the RSVPs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import NotFound
from core.model import RsvpStatus, SessionFilter, SessionStatus
from core.ports import DeliveryClaim, SessionStore
from tests.contract.test_release_deliveries import CLAIMED, SOON
from tests.contract.test_session_store import LEASE, at, claim, key, make_session


async def test_record_and_claim_records_the_sent_group_and_claims_the_next(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    first = await store.record_and_claim([], [key("a"), key("b")], at(0), LEASE)
    assert first == DeliveryClaim(claimed=[key("a"), key("b")], reclaimed=[])
    second = await store.record_and_claim([key("a"), key("b")], [key("c")], at(1), LEASE)
    assert second == DeliveryClaim(claimed=[key("c")], reclaimed=[])
    assert [await store.delivery_sent(k) for k in (key("a"), key("b"), key("c"))] == [
        True,
        True,
        False,
    ]
    # recording alone (the last group), claiming alone, and nothing at all
    assert await store.record_and_claim([key("c")], [], at(2), LEASE) == DeliveryClaim()
    assert await store.delivery_sent(key("c"))
    assert await store.record_and_claim([], [], at(2), LEASE) == DeliveryClaim()


async def test_record_and_claim_claims_as_claim_deliveries_does(store: SessionStore) -> None:
    await store.add_session(make_session())
    fresh, stale, sent = key("fresh"), key("stale"), key("sent")
    assert await claim(store, stale, sent, now=at(0)) == [stale, sent]
    await store.mark_deliveries_sent([sent], at(1))
    assert await claim(store, fresh, now=at(4)) == [fresh]
    asked = [key("new"), fresh, stale, sent, key("new")]
    got = await store.record_and_claim([], asked, at(0) + LEASE, LEASE)
    # fresh and sent keys are not claimed; order kept, each key once
    assert got.claimed == [key("new"), stale]
    # `stale` was claimed before and never recorded sent: it may have gone out
    assert got.reclaimed == [stale]
    assert got.reclaimed == await store.reclaimed_deliveries(got.claimed)


async def test_a_released_claim_comes_back_as_a_retry(store: SessionStore) -> None:
    await store.add_session(make_session())
    await claim(store, key("a"), key("b"), now=CLAIMED)
    await store.release_deliveries([key("a")], CLAIMED)
    got = await store.record_and_claim([], [key("b"), key("a")], SOON, LEASE)
    assert got == DeliveryClaim(claimed=[key("a")], reclaimed=[key("a")])


async def test_record_and_claim_never_claims_what_it_records(store: SessionStore) -> None:
    await store.add_session(make_session())
    await claim(store, key(), now=at(0))
    got = await store.record_and_claim([key()], [key()], at(0) + LEASE, LEASE)
    assert got == DeliveryClaim()
    assert await store.delivery_sent(key())


async def test_record_and_claim_for_an_unknown_session_changes_nothing(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    await claim(store, key("sent"), now=at(0))
    with pytest.raises(NotFound, match="ghost"):
        await store.record_and_claim([key("sent")], [key(session_id="ghost")], at(1), LEASE)
    with pytest.raises(NotFound, match="ghost"):
        await store.record_and_claim([key(session_id="ghost")], [key("next")], at(1), LEASE)
    assert not await store.delivery_sent(key("sent"))
    assert await claim(store, key("next"), now=at(1)) == [key("next")]


async def test_session_ends_follow_list_sessions(store: SessionStore) -> None:
    durations = [90, 15, 480, 60, 45]
    for n, minutes in enumerate(durations):
        status = SessionStatus.LIVE if n == 3 else SessionStatus.SCHEDULED
        start = at(24 * 60 + 30 * (n // 2))  # pairs start together: ties broken by id
        await store.add_session(
            make_session(f"s{n}", start_time=start, duration_minutes=minutes, status=status)
        )
    criteria = [
        SessionFilter(status=[SessionStatus.SCHEDULED], limit=50),
        SessionFilter(status=[SessionStatus.SCHEDULED], limit=2, offset=1),
        SessionFilter(status=[SessionStatus.LIVE]),
        SessionFilter(status=[SessionStatus.SCHEDULED], starts_before=at(24 * 60 + 30)),
        SessionFilter(descending=True),
        SessionFilter(status=[SessionStatus.CANCELED]),
    ]
    for criterion in criteria:
        listed = await store.list_sessions(criterion)
        assert await store.session_ends(criterion) == [s.end_time for s in listed], criterion
    assert await store.session_ends(SessionFilter(limit=1)) == [at(24 * 60 + 90)]
    live = await store.session_ends(SessionFilter(status=[SessionStatus.LIVE]))
    assert live == [at(24 * 60 + 30) + timedelta(minutes=60)]


async def test_members_of_sessions_are_the_listed_rsvps_member_ids(store: SessionStore) -> None:
    for session_id, capacity in (("s1", 2), ("s2", 5), ("s3", 1)):
        await store.add_session(make_session(session_id, capacity=capacity))
    for n in (3, 1, 2, 0):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))  # m3, m1 going; m2, m0 waitlisted
    for n in range(3):
        await store.rsvp_going("s2", f"m{n}", "M", at(n))
    await store.rsvp_leave("s2", "m1", at(5))
    await store.rsvp_going("s3", "m9", "M", at(1))
    await store.rsvp_leave("s3", "m9", at(2))
    ids = ["s3", "s1", "s2", "s1", "ghost"]
    going = await store.members_of_sessions(ids, RsvpStatus.GOING)
    assert going == {"s1": ["m3", "m1"], "s2": ["m0", "m2"]}
    assert await store.members_of_sessions(ids, RsvpStatus.WAITLISTED) == {"s1": ["m2", "m0"]}
    for status in (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.LEFT):
        listed: dict[str, list[str]] = {}
        for rsvp in await store.list_rsvps_of_sessions(ids, status):
            listed.setdefault(rsvp.session_id, []).append(rsvp.member_id)
        assert await store.members_of_sessions(ids, status) == listed
    assert await store.members_of_sessions([], RsvpStatus.GOING) == {}
