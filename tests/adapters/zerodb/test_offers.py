"""Waitlist offers on ZeroDB: RSVP rows stored before offers existed (no `offer_expires_at`)
still load and take offers; two stores on one project (two processes) give each seat one
winner and lapse each offer once; what each offer operation costs in requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.zerodb import ZeroDBSessionStore
from core.model import RsvpStatus
from core.offers import ClaimOutcome
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DEADLINE = T0 + timedelta(hours=2)
Stores = tuple[ZeroDBSessionStore, ZeroDBSessionStore]


def legacy_rsvp(member: str, status: str, position: int) -> dict[str, Any]:
    """An `rsvps` row as the store wrote it before offers: no `offer_expires_at` field."""
    stamp = "2026-12-01T09:00:00.000000Z"
    return {
        "session_id": "s1",
        "member_id": member,
        "member_name": member.title(),
        "status": status,
        "position": position,
        "created_at": stamp,
        "updated_at": stamp,
    }


async def test_rows_without_an_offer_deadline_load_and_take_offers(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session("s1", capacity=1))
        rows = [legacy_rsvp("ana", "going", 1), legacy_rsvp("bo", "waitlisted", 2)]
        await store.tables.insert("dojobot_rsvps", rows)
        assert [(r.member_id, r.offer_expires_at) for r in await store.list_rsvps("s1")] == [
            ("ana", None),
            ("bo", None),
        ]
        assert await store.next_offer_lapse() is None
        assert await store.lapse_offers(DEADLINE, 10) == []
        await store.rsvp_leave("s1", "ana", T0, promote=False)
        (offer,) = await store.offer_seats("s1", T0, DEADLINE, frozenset())
        assert (offer.member_id, offer.status, offer.position) == ("bo", RsvpStatus.OFFERED, 2)
        assert await store.next_offer_lapse() == DEADLINE
    finally:
        await store.close()


async def seats_open(store: ZeroDBSessionStore, seats: int, waiting: int) -> None:
    await store.add_session(make_session("s1", capacity=seats))
    for n in range(seats):
        await store.rsvp_going("s1", f"g{n}", "G", T0)
    for n in range(waiting):
        await store.rsvp_going("s1", f"w{n}", "W", T0)
    for n in range(seats):
        await store.rsvp_leave("s1", f"g{n}", T0, promote=False)


async def test_claims_from_two_processes_have_one_winner_per_seat(two_stores: Stores) -> None:
    first, second = two_stores
    await seats_open(first, seats=2, waiting=8)
    claims = await asyncio.gather(
        *(
            (first if n % 2 else second).claim_seat("s1", f"w{n}", T0, open_to_all=True)
            for n in range(8)
        )
    )
    outcomes = [c.outcome for c in claims]
    assert outcomes.count(ClaimOutcome.CLAIMED) == 2
    assert outcomes.count(ClaimOutcome.TAKEN) == 6
    assert await first.count_going("s1") == 2


async def test_lapses_from_two_processes_return_each_offer_once(two_stores: Stores) -> None:
    first, second = two_stores
    await seats_open(first, seats=3, waiting=4)
    await first.offer_seats("s1", T0, DEADLINE, frozenset())
    one, other = await asyncio.gather(
        first.lapse_offers(DEADLINE, 10), second.lapse_offers(DEADLINE, 10)
    )
    lapsed = sorted(r.member_id for r in (*one, *other))
    assert lapsed == ["w0", "w1", "w2"]
    assert await second.next_offer_lapse() is None


async def test_offer_operations_cost_few_requests(standin: tuple[ZeroDBStandIn, str]) -> None:
    fake, base_url = standin
    store = await open_standin_store(base_url, fake)
    try:
        await seats_open(store, seats=2, waiting=3)

        async def cost(call: Awaitable[Any]) -> int:
            before = store.tables.requests
            await call
            return store.tables.requests - before

        # lease (insert, read-back), session, RSVPs, one write per offer, lease release
        assert await cost(store.offer_seats("s1", T0, DEADLINE, frozenset())) == 5 + 2
        assert await cost(store.next_offer_lapse()) == 1
        assert await cost(store.claim_seat("s1", "w0", T0, open_to_all=False)) == 5 + 1
        assert await cost(store.claim_seat("s1", "w2", T0, open_to_all=False)) == 5
        # lease, RSVPs, one write per offer, release (no capacity read)
        assert await cost(store.withdraw_offers("s1", T0)) == 4 + 1
        await store.offer_seats("s1", T0, DEADLINE, frozenset())
        # the due offers, then per session: lease, RSVPs, one write per offer, release
        assert await cost(store.lapse_offers(DEADLINE, 10)) == 1 + 4 + 1
    finally:
        await store.close()
